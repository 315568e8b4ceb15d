/**
 * The external OAuth provider over real fetch (msw, issue #6): the token endpoint per grant and per
 * error, the consent page and its form (redirect with code and the unchanged state, Deny), the
 * protected resource (200/401), Basic vs POST client authentication, a provider that is down, the
 * journal, the /__provider/ prefix, and provider hosts following the world at run time. Every
 * response is checked against its contract (useMock).
 */
import { describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import type { ApiAuthenticationIntegrationConfig } from '../../domain/world/config.ts';
import type { ApiAuthenticationIntegration } from '../../domain/world/model.ts';
import { loadWorldFile } from '../../api/world-file.ts';
import { takeUnhandledRequests, useMock } from '../helpers/msw.ts';
import { privateKeyPem } from '../helpers/keys.ts';

const WORLD_FILE = 'scenarios/provider/worlds/provider.yaml';
const P = 'https://provider.example.com';
const TOKEN = `${P}/oauth2/token`;
const AUTHORIZE = `${P}/oauth2/authorize`;
const REDIRECT = 'https://myorg-myaccount.snowflakecomputing.com/oauth/complete-secret';
const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}
async function read(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}
const token = async (form: Record<string, string>, headers: Record<string, string> = {}, url = TOKEN): Promise<Reply> =>
  read(await fetch(url, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body: new URLSearchParams(form) }));
const cc = { grant_type: 'client_credentials', client_id: 'cc-client', client_secret: 'cc-secret' };
const resource = async (accessToken?: string, url = `${P}/api/v1/me`): Promise<Reply> =>
  read(await fetch(url, { headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` } }));

/** GET the consent page of an authorize URL, then post its form with a decision. */
async function consent(url: string, decision: 'allow' | 'deny', username = 'jane'): Promise<Response> {
  const page = await (await fetch(url)).text();
  const fields = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(unescape(m[1]!), unescape(m[2]!));
  fields.set('username', username);
  fields.set('decision', decision);
  const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
  return fetch(new URL(unescape(action), url), { method: 'POST', headers: { 'content-type': FORM }, body: fields, redirect: 'manual' });
}
const unescape = (s: string): string => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

// At file level: the msw server of the file listens for all its describes (test/helpers/msw.ts).
const mock = useMock({ world: WORLD_FILE });
const integration = (name: string) => mock.world.account().securityIntegrations.get(name) as ApiAuthenticationIntegration;

describe('the provider in-process (msw)', () => {

  describe('token endpoint', () => {
    it('client_credentials: RFC 6749 §5.1 JSON, not cached, journaled under the integration account', async () => {
      const r = await token({ ...cc, scope: 'read' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ access_token: expect.stringMatching(/^mock-at-/), token_type: 'Bearer', expires_in: 600, scope: 'read' });
      expect(Object.keys(r.body)).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('pragma')).toBe('no-cache');
      expect(mock.journal.last()).toMatchObject({
        method: 'POST', path: '/oauth2/token', account: 'MYORG-MYACCOUNT', decision: 'allowed', status: 200,
        explanation: 'allowed: provider provider.example.com token endpoint: client_credentials grant for integration CC_INTEGRATION (client_secret_post): client credentials of cc-client; access token for "cc-client" valid 600 s, scope "read"',
      });
    });

    it.each([
      ['a wrong secret', { ...cc, client_secret: 'nope' }, 401, 'invalid_client'],
      ['an unknown client', { ...cc, client_id: 'nobody' }, 401, 'invalid_client'],
      ['an unknown grant', { ...cc, grant_type: 'password' }, 400, 'unsupported_grant_type'],
      ['no grant_type', { client_id: 'cc-client', client_secret: 'cc-secret' }, 400, 'invalid_request'],
      ['a scope outside OAUTH_ALLOWED_SCOPES', { ...cc, scope: 'admin' }, 400, 'invalid_scope'],
      ['a grant the integration does not have', { ...cc, grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, 400, 'unauthorized_client'],
      ['an unknown code', { grant_type: 'authorization_code', client_id: 'code-client', client_secret: 'code-secret', code: 'x', redirect_uri: REDIRECT }, 400, 'invalid_grant'],
      ['an unknown refresh token', { grant_type: 'refresh_token', client_id: 'code-client', client_secret: 'code-secret', refresh_token: 'x' }, 400, 'invalid_grant'],
    ])('%s → %s %s in the plain RFC format', async (_what, form, status, error) => {
      const r = await token(form);
      expect(r.status).toBe(status);
      expect(r.body).toEqual({ error, error_description: expect.any(String) });
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('www-authenticate')).toBeNull();
      expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: error, status, explanation: expect.stringContaining(`token endpoint: ${error}: `) });
    });

    it('a body that is not a form, or repeats a parameter, is invalid_request', async () => {
      const json = await read(await fetch(TOKEN, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cc) }));
      expect(json).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
      expect((await read(await fetch(TOKEN, { method: 'POST', headers: { 'content-type': FORM }, body: 'grant_type=client_credentials&grant_type=client_credentials' }))).body.error).toBe('invalid_request');
    });

    it('GET on the token endpoint is 405 with Allow: POST', async () => {
      const r = await read(await fetch(TOKEN));
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
    });
  });

  describe('client authentication: Basic vs POST', () => {
    it('a CLIENT_SECRET_BASIC client authenticates with Basic (and with POST)', async () => {
      expect((await token({ grant_type: 'client_credentials', scope: 'anything' }, { authorization: basic('basic-client', 'basic-secret') })).body).toMatchObject({ scope: 'anything' });
      expect((await token({ grant_type: 'client_credentials', client_id: 'basic-client', client_secret: 'basic-secret' })).status).toBe(200);
    });

    it('Basic from a CLIENT_SECRET_POST client, or a wrong Basic secret, is 401 invalid_client with WWW-Authenticate: Basic', async () => {
      for (const auth of [basic('cc-client', 'cc-secret'), basic('basic-client', 'nope')]) {
        const r = await token({ grant_type: 'client_credentials' }, { authorization: auth });
        expect(r.status).toBe(401);
        expect(r.body.error).toBe('invalid_client');
        expect(r.headers.get('www-authenticate')).toBe('Basic realm="provider.example.com"');
      }
    });

    it('Basic and a body secret together are invalid_request', async () => {
      const r = await token({ grant_type: 'client_credentials', client_secret: 'basic-secret' }, { authorization: basic('basic-client', 'basic-secret') });
      expect(r).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    });
  });

  describe('authorization code with the consent page', () => {
    const start = (state: string, scopes: string[] = ['read']) => mock.core.provider.authorizationUrl(integration('OAUTH_INTEGRATION'), { state, redirectUri: REDIRECT, scopes });

    it('Allow redirects to redirect_uri with a code and the state unchanged; the code, refresh and resource work', async () => {
      const state = 'st&ate=1 +/ü';
      const res = await consent(start(state), 'allow');
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(REDIRECT);
      expect(location.searchParams.get('state')).toBe(state);
      expect(mock.journal.last()).toMatchObject({ method: 'POST', path: '/oauth2/authorize', decision: 'allowed', account: 'MYORG-MYACCOUNT', explanation: expect.stringContaining('"jane" allowed integration OAUTH_INTEGRATION, scope "read"') });
      const code = location.searchParams.get('code')!;
      const exchanged = await token({ grant_type: 'authorization_code', client_id: 'code-client', client_secret: 'code-secret', code, redirect_uri: REDIRECT });
      expect(exchanged.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, refresh_token: expect.stringMatching(/^mock-rt-/), scope: 'read' });
      expect((await resource(exchanged.body.access_token)).body).toEqual({ sub: 'jane', scope: 'read', client_id: 'code-client', exp: Date.parse('2026-03-01T13:00:00Z') / 1000 });
      mock.clock.advance('1h');
      expect((await resource(exchanged.body.access_token)).status).toBe(401);
      const refreshed = await token({ grant_type: 'refresh_token', client_id: 'code-client', client_secret: 'code-secret', refresh_token: exchanged.body.refresh_token });
      expect(refreshed.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'read' });
      expect((await resource(refreshed.body.access_token)).status).toBe(200);
    });

    it('the redirect page showing the code is never cached', async () => {
      const location = new URL((await consent(start('nc'), 'allow')).headers.get('location')!);
      const page = await fetch(location.href);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(await page.text()).toContain(location.searchParams.get('code')!);
    });

    it('the consent page escapes what the request put on it and posts back to itself', async () => {
      const page = await (await fetch(start('"><script>alert(1)</script>'))).text();
      expect(page).not.toContain('<script>');
      expect(page).toContain('&#34;&#62;&#60;script&#62;');
      expect(page).toContain('action="/oauth2/authorize"');
      expect(page).toContain('provider.example.com');
      expect(page).not.toContain('❄');
    });

    it('Deny redirects with error=access_denied and the state', async () => {
      const res = await consent(start('s-9'), 'deny');
      const location = new URL(res.headers.get('location')!);
      expect(Object.fromEntries(location.searchParams)).toMatchObject({ error: 'access_denied', state: 's-9' });
      expect(location.searchParams.has('code')).toBe(false);
      expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: 'access_denied' });
    });

    it('Allow without a user name shows the page again', async () => {
      const res = await consent(start('s'), 'allow', ' ');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Enter a user name');
    });

    it('an unknown client_id is an error page, never a redirect', async () => {
      const url = new URL(start('s'));
      url.searchParams.set('client_id', 'nobody');
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('invalid_client');
    });

    it('a scope outside OAUTH_ALLOWED_SCOPES goes back to the client as invalid_scope', async () => {
      const res = await fetch(start('s2', ['read', 'admin']), { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(Object.fromEntries(new URL(res.headers.get('location')!).searchParams)).toMatchObject({ error: 'invalid_scope', state: 's2' });
    });
  });

  describe('jwt bearer', () => {
    it('an assertion of the integration issuer gets an access token for its sub', async () => {
      const assertion = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'X', user: 'Y', now: mock.clock.now(), claims: { iss: 'https://issuer.example.com', sub: 'svc-42', aud: TOKEN } });
      const r = await token({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion, client_id: 'jwt-client', client_secret: 'jwt-secret' });
      expect(r.body).toMatchObject({ token_type: 'Bearer', scope: 'read' });
      expect((await resource(r.body.access_token)).body.sub).toBe('svc-42');
    });
  });

  describe('protected resources', () => {
    it('no token: 401 with a Bearer challenge without error code (RFC 6750 §3.1)', async () => {
      const r = await resource();
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="provider.example.com"');
      // The body still names an error for OAuth clients that read one (decisions/0017).
      expect(r.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
      expect(mock.journal.last()).toMatchObject({ decision: 'rejected', path: '/api/v1/me', explanation: expect.stringContaining('no token') });
    });

    it('an unknown, expired or foreign token: 401 invalid_token', async () => {
      const r = await resource('mock-at-nope');
      expect(r).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="provider.example.com", error="invalid_token"');
      const other = await token({ grant_type: 'client_credentials', client_id: 'other-client', client_secret: 'other-secret' }, {}, 'https://auth.other.example.org/token');
      expect(other.status).toBe(200);
      expect((await resource(other.body.access_token)).status).toBe(401);
      expect((await resource(other.body.access_token, 'https://auth.other.example.org/userinfo')).status).toBe(200);
    });

    it('any method and path of a provider host is a resource', async () => {
      const { body } = await token(cc);
      const r = await read(await fetch(`${P}/v2/things/7?x=1`, { method: 'DELETE', headers: { authorization: `Bearer ${body.access_token}` } }));
      expect(r.body).toMatchObject({ sub: 'cc-client', scope: 'read write' });
    });
  });

  describe('a provider that is down', () => {
    it('answers 503 temporarily_unavailable to every request and in-process call until it is up', async () => {
      const { body } = await token(cc);
      expect(mock.provider.down('CC_INTEGRATION')).toEqual(['provider.example.com']);
      for (const r of [await token(cc), await resource(body.access_token), await read(await fetch(`${AUTHORIZE}?client_id=code-client`))]) {
        expect(r).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
      }
      expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: 'temporarily_unavailable', cause: 'PROVIDER_DOWN' });
      expect(mock.core.provider.clientCredentials(integration('CC_INTEGRATION'), [], mock.clock.now())).toMatchObject({ ok: false, error: 'temporarily_unavailable', status: 503 });
      mock.provider.up();
      expect((await resource(body.access_token)).status).toBe(200);
    });

    it('with the status it was given, on its hosts only; reset() brings it back', async () => {
      mock.provider.down('https://provider.example.com', 502);
      expect((await token(cc)).status).toBe(502);
      expect((await token({ grant_type: 'client_credentials', client_id: 'other-client', client_secret: 'other-secret' }, {}, 'https://auth.other.example.org/token')).status).toBe(200);
      mock.reset();
      expect((await token(cc)).status).toBe(200);
    });
  });

  describe('mock.provider', () => {
    it('revokeRefreshTokens: the next refresh is invalid_grant; tokens() lists what was issued', async () => {
      const res = await consent(mock.core.provider.authorizationUrl(integration('OAUTH_INTEGRATION'), { state: 's', redirectUri: REDIRECT, scopes: [] }), 'allow');
      const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
      const t = await token({ grant_type: 'authorization_code', client_id: 'code-client', client_secret: 'code-secret', code, redirect_uri: REDIRECT });
      expect(mock.provider.tokens().map((x) => [x.kind, x.token])).toEqual([['access', t.body.access_token], ['refresh', t.body.refresh_token]]);
      expect(mock.provider.revokeRefreshTokens('OAUTH_INTEGRATION')).toBe(1);
      const r = await token({ grant_type: 'refresh_token', client_id: 'code-client', client_secret: 'code-secret', refresh_token: t.body.refresh_token });
      expect(r).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('revoked') } });
    });

    it('scenario world changes reach the provider through mock.world', async () => {
      const { applyWorldChange } = await import('../../api/world-change.ts');
      applyWorldChange(mock.world, { provider_down: { integration: 'CC_INTEGRATION', status: 504 } });
      expect((await token(cc)).status).toBe(504);
      applyWorldChange(mock.world, { provider_up: {} });
      expect((await token(cc)).status).toBe(200);
    });
  });
});

describe('the /__provider/ prefix on an extra host', () => {
  useMock({ world: WORLD_FILE, hosts: ['http://localhost:4010'] });

  it('reaches https://<host>/<path> as http://localhost:4010/__provider/<host>/<path>, pages posting back under the prefix', async () => {
    const r = await token(cc, {}, 'http://localhost:4010/__provider/provider.example.com/oauth2/token');
    expect(r.status).toBe(200);
    expect((await resource(r.body.access_token, 'http://localhost:4010/__provider/provider.example.com/me')).status).toBe(200);
    const q = new URLSearchParams({ response_type: 'code', client_id: 'code-client', redirect_uri: REDIRECT, state: 's' });
    const page = await (await fetch(`http://localhost:4010/__provider/provider.example.com/oauth2/authorize?${q}`)).text();
    expect(page).toContain('action="/__provider/provider.example.com/oauth2/authorize"');
    const unknown = await read(await fetch('http://localhost:4010/__provider/nowhere.example.com/x'));
    expect(unknown).toMatchObject({ status: 404, body: { error: 'unknown_provider' } });
  });

  it('/__provider with no host is the provider\'s 404 naming the hosts it has, not an empty one', async () => {
    for (const path of ['/__provider', '/__provider/']) {
      const r = await read(await fetch(`http://localhost:4010${path}`));
      expect(r).toMatchObject({ status: 404, body: { error: 'unknown_provider', error_description: expect.stringContaining('provider.example.com') } });
    }
  });
});

describe('provider hosts follow the world', () => {
  const moving = useMock({ world: WORLD_FILE });

  it('a world loaded at run time moves the intercepted hosts', async () => {
    const world = loadWorldFile(WORLD_FILE);
    const integrations = world.accounts![0]!.security_integrations!;
    world.accounts![0]!.security_integrations = [{ ...(integrations.find((i) => i.name === 'CC_INTEGRATION') as ApiAuthenticationIntegrationConfig), oauth_token_endpoint: 'https://login.moved.example.net/token' }];
    moving.core.load(world);
    expect((await token(cc, {}, 'https://login.moved.example.net/token')).status).toBe(200);
    await expect(fetch(TOKEN, { method: 'POST', headers: { 'content-type': FORM }, body: new URLSearchParams(cc) })).rejects.toThrow();
    // The old host is no longer intercepted: msw has no handler for it (recorded, not printed).
    expect(takeUnhandledRequests()).toEqual([`POST ${TOKEN}`]);
    moving.core.load(loadWorldFile(WORLD_FILE));
  });
});
