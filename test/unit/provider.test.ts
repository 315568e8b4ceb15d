/**
 * The external OAuth provider (issue #6), below HTTP: the endpoint index, every grant and refusal,
 * client authentication, scopes, validities, the ProviderService Snowflake calls in-process,
 * expiry on the mock clock, revocation, a provider that is down, and the provider contracts (every
 * declared response produced, none other).
 */
import { describe, expect, it } from 'vitest';
import { PROVIDER_CONTRACTS, responseKey } from '../../contracts/endpoints.ts';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { s256Challenge } from '../../domain/oauth/pkce.ts';
import { checkAuthorizeRequest, decideConsent, withQuery } from '../../domain/provider/authorize.ts';
import { authenticateProviderClient } from '../../domain/provider/client-auth.ts';
import { buildProviderIndex, endpointOf, normalizePath, type ProviderClient } from '../../domain/provider/clients.ts';
import { checkBearer } from '../../domain/provider/resource.ts';
import type { ProviderResult } from '../../domain/provider/service.ts';
import { providerTokenRequest } from '../../domain/provider/token-request.ts';
import type { ApiAuthenticationIntegration } from '../../domain/world/model.ts';
import { createCore, type MockCore } from '../../http/core.ts';
import type { MockRequest } from '../../http/record.ts';
import { providerTarget } from '../../http/provider/dispatch.ts';
import { loadWorldFile } from '../../api/world-file.ts';
import { describeProviders } from '../../cli/credentials.ts';
import { checkContracts } from '../helpers/contract-check.ts';
import { privateKeyPem } from '../helpers/keys.ts';

const WORLD = loadWorldFile('scenarios/provider/worlds/provider.yaml');
const T0 = Date.parse('2026-03-01T12:00:00Z');
const REDIRECT = 'https://myorg-myaccount.snowflakecomputing.com/oauth/complete-secret';
const HOST = 'provider.example.com';
const MIN = 60_000;

function setup(): { core: MockCore; i: (name: string) => ApiAuthenticationIntegration; now: () => number } {
  const core = createCore({ config: WORLD, seed: 5 });
  const i = (name: string) => core.world.accounts[0]!.securityIntegrations.get(name) as ApiAuthenticationIntegration;
  return { core, i, now: () => core.clock.now() };
}
const clientsAt = (core: MockCore, kind: 'token' | 'authorize'): readonly ProviderClient[] =>
  (kind === 'token' ? core.provider.index().tokenClients(HOST, '/oauth2/token') : core.provider.index().authorizeClients(HOST, '/oauth2/authorize')) ?? [];
const ok = (r: ProviderResult) => {
  if (!r.ok) throw new Error(`expected tokens, got ${r.error}: ${r.description}`);
  return r.tokens;
};
const refused = (r: ProviderResult) => (r.ok ? { ok: true } : { error: r.error, status: r.status, description: r.description });

/** A code for `client_id` via the authorize checks and an Allow for jane. */
function codeFor(core: MockCore, o: { clientId?: string; scope?: string; challenge?: string; redirect?: string } = {}): string {
  const q: Record<string, string> = { response_type: 'code', client_id: o.clientId ?? 'code-client', redirect_uri: o.redirect ?? REDIRECT, state: 's1' };
  if (o.scope !== undefined) q.scope = o.scope;
  if (o.challenge !== undefined) Object.assign(q, { code_challenge: o.challenge, code_challenge_method: 'S256' });
  const check = checkAuthorizeRequest(Object.entries(q), clientsAt(core, 'authorize'));
  if (!check.ok) throw new Error(check.description);
  const outcome = decideConsent(check.request, 'allow', 'jane', { store: core.provider.store, ids: core.ids, now: core.clock.now() });
  if (outcome.kind !== 'redirect') throw new Error(outcome.kind);
  return new URL(outcome.location).searchParams.get('code')!;
}

function signAssertion(now: number, claims: Record<string, unknown> = {}): Promise<string> {
  return signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'X', user: 'Y', now, claims: { iss: 'https://issuer.example.com', sub: 'svc-42', aud: 'https://provider.example.com/oauth2/token', ...claims } });
}

describe('endpoints and clients', () => {
  it('an endpoint is its host and path: scheme, port, case and a trailing slash do not matter', () => {
    expect(endpointOf('https://Provider.Example.com:8443/oauth2/token/')).toEqual({ host: 'provider.example.com', path: '/oauth2/token' });
    expect(endpointOf('http://[::1]:4010/t')).toEqual({ host: '::1', path: '/t' });
    expect(endpointOf('ftp://x/y')).toBeUndefined();
    expect(endpointOf('not a url')).toBeUndefined();
  });

  it('drops trailing slashes in time linear in the path (the fuzz suite: a run of slashes inside the path was quadratic)', () => {
    expect([normalizePath(''), normalizePath('/'), normalizePath('///'), normalizePath('/a//'), normalizePath('/a//b')]).toEqual(['/', '/', '/', '/a', '/a//b']);
    const path = `/a${'/'.repeat(60_000)}b/`;
    const started = performance.now();
    expect(normalizePath(path)).toBe(path.slice(0, -1));
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('indexes every API_AUTHENTICATION integration by endpoint, disabled ones included, never a Snowflake host', () => {
    const { core } = setup();
    const index = core.provider.index();
    expect(index.tokenClients(HOST, '/oauth2/token')?.map((c) => c.integration.name)).toEqual(['OAUTH_INTEGRATION', 'SECOND_APP', 'CC_INTEGRATION', 'BASIC_INTEGRATION', 'JWT_INTEGRATION']);
    expect(index.tokenClients('auth.other.example.org', '/token/')?.[0]?.integration.enabled).toBe(false);
    expect([...index.hosts].sort()).toEqual(['auth.other.example.org', HOST]);
    const world = structuredClone(WORLD);
    world.accounts![0]!.security_integrations!.push({ name: 'SF', type: 'api_authentication', oauth_token_endpoint: 'https://other-acct.snowflakecomputing.com/oauth/token-request' });
    core.load(world);
    expect(core.provider.index().hosts.has('other-acct.snowflakecomputing.com')).toBe(false);
  });

  it('is rebuilt when the world changes', () => {
    const { core } = setup();
    expect(core.provider.index().hosts.has('new.example.net')).toBe(false);
    const world = structuredClone(WORLD);
    world.accounts![0]!.security_integrations!.push({ name: 'NEW', type: 'api_authentication', oauth_token_endpoint: 'https://new.example.net/t' });
    core.load(world);
    expect(core.provider.index().hosts.has('new.example.net')).toBe(true);
  });

  it('serve prints each client and where its endpoints are answered', () => {
    const { core } = setup();
    const text = describeProviders(core.world, 'http://127.0.0.1:4010');
    expect(text).toContain('client_id cc-client, client_secret cc-secret, allowed scopes read write');
    expect(text).toContain('https://provider.example.com/oauth2/token → http://127.0.0.1:4010/__provider/provider.example.com/oauth2/token');
    expect(text).toContain('OTHER_PROVIDER (account MYORG-MYACCOUNT, client_credentials, client_secret_post, disabled in Snowflake)');
  });
});

describe('client authentication', () => {
  const auth = (core: MockCore, input: { authorization?: string; form: Record<string, string> }, grant = 'client_credentials') => authenticateProviderClient(input, clientsAt(core, 'token'), grant);
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('client_secret_post works for every client', () => {
    const { core } = setup();
    const r = auth(core, { form: { client_id: 'basic-client', client_secret: 'basic-secret' } });
    expect(r.ok && [r.client.integration.name, r.method]).toEqual(['BASIC_INTEGRATION', 'client_secret_post']);
  });

  it('client_secret_basic works only for a CLIENT_SECRET_BASIC client, url-encoded or not', () => {
    const { core } = setup();
    const r = auth(core, { authorization: basic('basic-client', 'basic-secret'), form: {} });
    expect(r.ok && r.method).toBe('client_secret_basic');
    const post = auth(core, { authorization: basic('cc-client', 'cc-secret'), form: {} });
    expect(post).toMatchObject({ ok: false, error: 'invalid_client', status: 401, cause: 'PROVIDER_CLIENT_AUTH_METHOD', basicTried: true });
  });

  it('refuses unknown clients, wrong or missing secrets, two methods at once, and other schemes', () => {
    const { core } = setup();
    expect(auth(core, { form: { client_id: 'nobody', client_secret: 'x' } })).toMatchObject({ error: 'invalid_client', cause: 'PROVIDER_CLIENT_UNKNOWN', basicTried: false });
    expect(auth(core, { form: { client_id: 'cc-client', client_secret: 'wrong' } })).toMatchObject({ error: 'invalid_client', cause: 'PROVIDER_CLIENT_SECRET_MISMATCH' });
    expect(auth(core, { form: { client_id: 'cc-client' } })).toMatchObject({ error: 'invalid_client', cause: 'PROVIDER_CLIENT_SECRET_MISSING' });
    expect(auth(core, { form: {} })).toMatchObject({ error: 'invalid_client', cause: 'PROVIDER_CLIENT_CREDENTIALS_MISSING' });
    expect(auth(core, { authorization: basic('basic-client', 'basic-secret'), form: { client_secret: 'basic-secret' } })).toMatchObject({ error: 'invalid_request', status: 400, cause: 'PROVIDER_CLIENT_AUTH_MULTIPLE' });
    expect(auth(core, { authorization: 'Bearer abc', form: {} })).toMatchObject({ error: 'invalid_client', cause: 'PROVIDER_CLIENT_AUTH_SCHEME', basicTried: true });
    expect(auth(core, { authorization: 'Basic !!!', form: {} })).toMatchObject({ cause: 'PROVIDER_CLIENT_BASIC_MALFORMED' });
    expect(auth(core, { authorization: basic('basic-client', 'basic-secret'), form: { client_id: 'cc-client' } })).toMatchObject({ cause: 'PROVIDER_CLIENT_ID_MISMATCH' });
  });
});

describe('client credentials (service)', () => {
  it('grants the requested scopes within OAUTH_ALLOWED_SCOPES for OAUTH_ACCESS_TOKEN_VALIDITY seconds, no refresh token', () => {
    const { core, i, now } = setup();
    const t = ok(core.provider.clientCredentials(i('CC_INTEGRATION'), ['read'], now()));
    expect(t).toMatchObject({ tokenType: 'Bearer', scope: 'read', expiresAt: T0 + 600_000 });
    expect(t.refreshToken).toBeUndefined();
    expect(t.accessToken).toMatch(/^mock-at-/);
  });

  it('no scope requested = every allowed scope; an empty allowed list allows any scope', () => {
    const { core, i, now } = setup();
    expect(ok(core.provider.clientCredentials(i('CC_INTEGRATION'), [], now())).scope).toBe('read write');
    expect(ok(core.provider.clientCredentials(i('BASIC_INTEGRATION'), ['anything', 'else'], now())).scope).toBe('anything else');
    expect(ok(core.provider.clientCredentials(i('BASIC_INTEGRATION'), [], now())).scope).toBe('');
  });

  it('a scope outside OAUTH_ALLOWED_SCOPES, or malformed, is invalid_scope', () => {
    const { core, i, now } = setup();
    expect(refused(core.provider.clientCredentials(i('CC_INTEGRATION'), ['read', 'admin'], now()))).toMatchObject({ error: 'invalid_scope', status: 400, description: expect.stringContaining('"admin"') });
    expect(refused(core.provider.clientCredentials(i('BASIC_INTEGRATION'), ['bad"scope'], now()))).toMatchObject({ error: 'invalid_scope' });
  });

  it('OAUTH_ACCESS_TOKEN_VALIDITY 0 means the provider default of 3600 s', () => {
    const { core, i, now } = setup();
    const code = codeFor(core);
    expect(ok(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), code, REDIRECT, now())).expiresAt).toBe(T0 + 3_600_000);
  });

  it('a grant other than the integration OAUTH_GRANT is unauthorized_client', () => {
    const { core, i, now } = setup();
    expect(refused(core.provider.clientCredentials(i('OAUTH_INTEGRATION'), [], now()))).toMatchObject({ error: 'unauthorized_client', status: 400 });
    expect(refused(core.provider.exchangeCode(i('CC_INTEGRATION'), 'x', REDIRECT, now()))).toMatchObject({ error: 'unauthorized_client' });
  });

  it('an integration disabled in Snowflake still gets tokens from the provider', () => {
    const { core, i, now } = setup();
    expect(i('OTHER_PROVIDER').enabled).toBe(false);
    expect(ok(core.provider.clientCredentials(i('OTHER_PROVIDER'), [], now())).accessToken).toMatch(/^mock-at-/);
  });
});

describe('authorization code', () => {
  it('authorizationUrl is the authorization endpoint with client_id, redirect_uri, response_type, scope and state', () => {
    const { core, i } = setup();
    const url = new URL(core.provider.authorizationUrl(i('OAUTH_INTEGRATION'), { state: 'st 1', redirectUri: REDIRECT, scopes: ['read', 'write'] }));
    expect(url.origin + url.pathname).toBe('https://provider.example.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', client_id: 'code-client', redirect_uri: REDIRECT, scope: 'read write', state: 'st 1' });
    expect(new URL(core.provider.authorizationUrl(i('OAUTH_INTEGRATION'), { state: 's', redirectUri: REDIRECT, scopes: [] })).searchParams.has('scope')).toBe(false);
    expect(() => core.provider.authorizationUrl(i('CC_INTEGRATION'), { state: 's', redirectUri: REDIRECT, scopes: [] })).toThrow(/no OAUTH_AUTHORIZATION_ENDPOINT/);
  });

  it('the consent code exchanges once for an access token and a refresh token of OAUTH_REFRESH_TOKEN_VALIDITY', () => {
    const { core, i, now } = setup();
    const t = ok(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), codeFor(core, { scope: 'read' }), REDIRECT, now()));
    expect(t).toMatchObject({ scope: 'read', refreshExpiresAt: T0 + 86_400_000 });
    expect(t.refreshToken).toMatch(/^mock-rt-/);
  });

  it('a code is single-use: the replay is invalid_grant and revokes what the code produced', () => {
    const { core, i, now } = setup();
    const code = codeFor(core);
    const t = ok(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), code, REDIRECT, now()));
    expect(refused(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), code, REDIRECT, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('2 token(s)') });
    expect(refused(core.provider.refresh(i('OAUTH_INTEGRATION'), t.refreshToken!, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('revoked') });
    expect(checkBearer(`Bearer ${t.accessToken}`, HOST, core.provider.store, now())).toMatchObject({ ok: false, cause: 'PROVIDER_TOKEN_REVOKED' });
  });

  it('a code expires after 10 minutes on the mock clock', () => {
    const { core, i, now } = setup();
    const code = codeFor(core);
    core.clock.advance('10m');
    expect(refused(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), code, REDIRECT, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('expired') });
    const fresh = codeFor(core);
    core.clock.advance(9 * 60 + 59);
    expect(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), fresh, REDIRECT, now()).ok).toBe(true);
  });

  it('the code is bound to its client and redirect_uri; an unknown code is invalid_grant', () => {
    const { core, i, now } = setup();
    expect(refused(core.provider.exchangeCode(i('SECOND_APP'), codeFor(core), REDIRECT, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('issued to integration OAUTH_INTEGRATION') });
    expect(refused(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), codeFor(core), `${REDIRECT}x`, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('redirect_uri') });
    expect(refused(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), 'mock-code-nope', REDIRECT, now()))).toMatchObject({ error: 'invalid_grant' });
  });

  it('PKCE S256: the verifier must answer the challenge; a verifier without a challenge is refused', () => {
    const { core, now } = setup();
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const token = (form: Record<string, string>) =>
      providerTokenRequest({ contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'code-client', client_secret: 'code-secret', redirect_uri: REDIRECT, ...form }).toString() }, clientsAt(core, 'token'), { store: core.provider.store, ids: core.ids, now: now() });
    expect(token({ code: codeFor(core, { challenge: s256Challenge(verifier) }), code_verifier: verifier }).ok).toBe(true);
    expect(token({ code: codeFor(core, { challenge: s256Challenge(verifier) }), code_verifier: `${verifier}x` })).toMatchObject({ error: 'invalid_grant', cause: 'PROVIDER_PKCE_VERIFIER_MISMATCH' });
    expect(token({ code: codeFor(core, { challenge: s256Challenge(verifier) }) })).toMatchObject({ error: 'invalid_grant', cause: 'PROVIDER_PKCE_VERIFIER_MISSING' });
    expect(token({ code: codeFor(core), code_verifier: verifier })).toMatchObject({ error: 'invalid_grant', cause: 'PROVIDER_PKCE_UNEXPECTED_VERIFIER' });
  });
});

describe('authorize request checks', () => {
  const check = (core: MockCore, q: Record<string, string>) => checkAuthorizeRequest(Object.entries({ response_type: 'code', client_id: 'code-client', redirect_uri: REDIRECT, state: 'xyz', ...q }), clientsAt(core, 'authorize'));
  const params = (location: string | undefined) => Object.fromEntries(new URL(location!).searchParams);
  /** How a refusal is delivered: on a page or by redirect. */
  const delivered = (r: ReturnType<typeof check>) => (r.ok ? 'accepted' : r.location === undefined ? `page ${r.error}` : `redirect ${r.error}`);

  it('a bad client_id or redirect_uri is an error page, never a redirect', () => {
    const { core } = setup();
    expect(delivered(check(core, { client_id: 'nobody' }))).toBe('page invalid_client');
    expect(check(core, { redirect_uri: '/relative' })).toMatchObject({ ok: false, cause: 'PROVIDER_REDIRECT_URI_INVALID' });
    expect(delivered(check(core, { redirect_uri: '/relative' }))).toBe('page invalid_request');
    expect(delivered(check(core, { redirect_uri: 'https://x.example/cb#frag' }))).toBe('page invalid_request');
    expect(delivered(check(core, { redirect_uri: 'javascript:alert(1)' }))).toBe('page invalid_request');
    expect(delivered(checkAuthorizeRequest([['client_id', 'code-client'], ['client_id', 'code-client'], ['redirect_uri', REDIRECT]], clientsAt(core, 'authorize')))).toBe('page invalid_request');
    expect(delivered(checkAuthorizeRequest([['client_id', 'code-client'], ['redirect_uri', REDIRECT], ['response_type', 'code'], ['scope', 'read'], ['scope', 'read']], clientsAt(core, 'authorize')))).toBe('redirect invalid_request');
  });

  it('any absolute redirect_uri is accepted, and its query kept on the redirect', () => {
    const { core } = setup();
    expect(check(core, { redirect_uri: 'http://localhost:9/cb?x=1' }).ok).toBe(true);
    expect(withQuery('http://localhost:9/cb?x=1', { code: 'c', state: 's' })).toBe('http://localhost:9/cb?x=1&code=c&state=s');
    // A fragment stays last: the parameters go into the query, not after the '#'.
    expect(withQuery('https://idp.example.com/authorize?tenant=1#frag', { state: 's' })).toBe('https://idp.example.com/authorize?tenant=1&state=s#frag');
  });

  it('other errors go back to the client with the state: response_type, scope, grant, PKCE method', () => {
    const { core } = setup();
    const token = check(core, { response_type: 'token' });
    expect(!token.ok && params(token.location)).toMatchObject({ error: 'unsupported_response_type', state: 'xyz' });
    const scope = check(core, { scope: 'read admin' });
    expect(!scope.ok && params(scope.location)).toMatchObject({ error: 'invalid_scope', state: 'xyz' });
    const plain = check(core, { code_challenge: s256Challenge('x'.repeat(43)), code_challenge_method: 'plain' });
    expect(!plain.ok && params(plain.location)).toMatchObject({ error: 'invalid_request' });
    const cc = checkAuthorizeRequest(Object.entries({ response_type: 'code', client_id: 'cc-client', redirect_uri: REDIRECT }), [...clientsAt(core, 'authorize'), ...core.provider.index().byIntegration('CC_INTEGRATION')]);
    expect(!cc.ok && params(cc.location)).toMatchObject({ error: 'unauthorized_client' });
    expect(check(core, { state: 'x'.repeat(2049) })).toMatchObject({ ok: false, cause: 'PROVIDER_STATE_TOO_LONG' });
  });

  it('Deny answers access_denied with the state; Allow needs a user name', () => {
    const { core, now } = setup();
    const r = check(core, {});
    if (!r.ok) throw new Error(r.description);
    const ctx = { store: core.provider.store, ids: core.ids, now: now() };
    const deny = decideConsent(r.request, 'deny', undefined, ctx);
    expect(deny.kind === 'redirect' && params(deny.location)).toMatchObject({ error: 'access_denied', state: 'xyz' });
    expect(decideConsent(r.request, 'allow', '  ', ctx)).toMatchObject({ kind: 'again' });
    expect(decideConsent(r.request, 'maybe', 'jane', ctx)).toMatchObject({ kind: 'refused', error: 'invalid_request' });
    expect(core.provider.store.size.codes).toBe(0);
  });
});

describe('refresh (service)', () => {
  function tokens(core: MockCore, i: (n: string) => ApiAuthenticationIntegration) {
    return ok(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), codeFor(core), REDIRECT, core.clock.now()));
  }

  it('renews the access token; the refresh token is not rotated and keeps working', () => {
    const { core, i, now } = setup();
    const t = tokens(core, i);
    core.clock.advance('2h');
    const again = ok(core.provider.refresh(i('OAUTH_INTEGRATION'), t.refreshToken!, now()));
    expect(again.refreshToken).toBeUndefined();
    expect(again).toMatchObject({ scope: 'read write', expiresAt: now() + 3_600_000 });
    expect(core.provider.refresh(i('OAUTH_INTEGRATION'), t.refreshToken!, now()).ok).toBe(true);
  });

  it('expires with OAUTH_REFRESH_TOKEN_VALIDITY on the mock clock', () => {
    const { core, i, now } = setup();
    const t = tokens(core, i);
    core.clock.advance('23h59m');
    expect(core.provider.refresh(i('OAUTH_INTEGRATION'), t.refreshToken!, now()).ok).toBe(true);
    core.clock.advance('1m');
    expect(refused(core.provider.refresh(i('OAUTH_INTEGRATION'), t.refreshToken!, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('expired at 2026-03-02T12:00:00.000Z') });
  });

  it('a refused refresh says why in ProviderResult.cause: expired, revoked or unknown', () => {
    const { core, i, now } = setup();
    const integration = i('OAUTH_INTEGRATION');
    const first = ok(core.provider.exchangeCode(integration, codeFor(core), REDIRECT, now())).refreshToken!;
    core.provider.expireRefreshTokens();
    expect(core.provider.refresh(integration, first, now())).toMatchObject({ ok: false, error: 'invalid_grant', cause: 'PROVIDER_REFRESH_TOKEN_EXPIRED' });
    const second = ok(core.provider.exchangeCode(integration, codeFor(core), REDIRECT, now())).refreshToken!;
    core.provider.revokeRefreshTokens();
    expect(core.provider.refresh(integration, second, now())).toMatchObject({ ok: false, cause: 'PROVIDER_REFRESH_TOKEN_REVOKED' });
    expect(core.provider.refresh(integration, 'mock-rt-nope', now())).toMatchObject({ ok: false, cause: 'PROVIDER_REFRESH_TOKEN_UNKNOWN' });
  });

  it('is refused once revoked or expired at the provider (the consumer must re-authenticate)', () => {
    const { core, i, now } = setup();
    const a = tokens(core, i);
    expect(core.provider.revokeRefreshTokens('oauth_integration')).toBe(1);
    expect(refused(core.provider.refresh(i('OAUTH_INTEGRATION'), a.refreshToken!, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('revoked') });
    const b = tokens(core, i);
    expect(core.provider.expireRefreshTokens()).toBe(1);
    expect(refused(core.provider.refresh(i('OAUTH_INTEGRATION'), b.refreshToken!, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('expired') });
  });

  it('may narrow the scope, never widen it; only this client, only refresh tokens', () => {
    const { core, i, now } = setup();
    const t = ok(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), codeFor(core, { scope: 'read' }), REDIRECT, now()));
    const form = (extra: Record<string, string>) => providerTokenRequest(
      { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'code-client', client_secret: 'code-secret', refresh_token: t.refreshToken!, ...extra }).toString() },
      clientsAt(core, 'token'), { store: core.provider.store, ids: core.ids, now: now() },
    );
    expect(form({ scope: 'read write' })).toMatchObject({ error: 'invalid_scope', cause: 'PROVIDER_SCOPE_WIDENED' });
    expect(refused(core.provider.refresh(i('SECOND_APP'), t.refreshToken!, now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('issued to integration OAUTH_INTEGRATION') });
    expect(refused(core.provider.refresh(i('OAUTH_INTEGRATION'), t.accessToken, now()))).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('jwt bearer (RFC 7523)', () => {
  it('an assertion from OAUTH_ASSERTION_ISSUER, for the token endpoint, unexpired, gets a token for its sub (signature not checked)', async () => {
    const { core, i, now } = setup();
    const t = ok(core.provider.jwtBearer(i('JWT_INTEGRATION'), await signAssertion(now()), [], now()));
    expect(t).toMatchObject({ scope: 'read' });
    expect(t.refreshToken).toBeUndefined();
    expect(checkBearer(`Bearer ${t.accessToken}`, HOST, core.provider.store, now())).toMatchObject({ ok: true, body: { sub: 'svc-42', client_id: 'jwt-client' } });
    expect(core.provider.jwtBearer(i('JWT_INTEGRATION'), await signAssertion(now(), { aud: ['https://provider.example.com'] }), ['read'], now()).ok).toBe(true);
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example.com' }, 'is not OAUTH_ASSERTION_ISSUER'],
    ['no sub', { sub: undefined }, 'no sub'],
    ['another audience', { aud: 'https://elsewhere.example.com/token' }, 'does not name the token endpoint'],
    ['no audience', { aud: undefined }, 'does not name the token endpoint'],
    ['no exp', { exp: undefined }, 'no numeric exp'],
    ['a future nbf', { nbf: Math.floor(T0 / 1000) + 60 }, 'not valid before'],
  ])('%s is invalid_grant', async (_what, claims, text) => {
    const { core, i, now } = setup();
    expect(refused(core.provider.jwtBearer(i('JWT_INTEGRATION'), await signAssertion(now(), claims), [], now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining(text) });
  });

  it('an expired assertion is invalid_grant (mock clock); so is one that is not a JWT, and one for an integration without an issuer', async () => {
    const { core, i, now } = setup();
    const assertion = await signAssertion(now());
    core.clock.advance('59m');
    expect(refused(core.provider.jwtBearer(i('JWT_INTEGRATION'), assertion, [], now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('expired') });
    expect(refused(core.provider.jwtBearer(i('JWT_INTEGRATION'), 'abc', [], now()))).toMatchObject({ error: 'invalid_grant' });
    const world = structuredClone(WORLD);
    const jwt = world.accounts![0]!.security_integrations!.find((x) => x.name === 'JWT_INTEGRATION')! as { oauth_assertion_issuer?: string | null };
    delete jwt.oauth_assertion_issuer;
    core.load(world);
    expect(refused(core.provider.jwtBearer(i('JWT_INTEGRATION'), await signAssertion(now()), [], now()))).toMatchObject({ error: 'invalid_grant', description: expect.stringContaining('no OAUTH_ASSERTION_ISSUER') });
  });
});

describe('resources (bearer tokens)', () => {
  it('a live access token opens its own provider only, until it expires or is revoked', () => {
    const { core, i, now } = setup();
    const t = ok(core.provider.clientCredentials(i('CC_INTEGRATION'), ['write'], now()));
    const bearer = `Bearer ${t.accessToken}`;
    expect(checkBearer(bearer, HOST, core.provider.store, now())).toEqual({ ok: true, token: expect.anything(), body: { sub: 'cc-client', scope: 'write', client_id: 'cc-client', exp: (T0 + 600_000) / 1000 } });
    expect(checkBearer(bearer, 'auth.other.example.org', core.provider.store, now())).toMatchObject({ ok: false, error: 'invalid_token', cause: 'PROVIDER_TOKEN_OTHER_PROVIDER' });
    const missing = checkBearer(undefined, HOST, core.provider.store, now());
    expect(missing).toMatchObject({ ok: false, cause: 'PROVIDER_BEARER_MISSING' });
    expect(!missing.ok && missing.error).toBeUndefined();
    expect(checkBearer('Bearer nope', HOST, core.provider.store, now())).toMatchObject({ ok: false, error: 'invalid_token', cause: 'PROVIDER_TOKEN_UNKNOWN' });
    core.clock.advance(600);
    expect(checkBearer(bearer, HOST, core.provider.store, now())).toMatchObject({ ok: false, cause: 'PROVIDER_TOKEN_EXPIRED' });
    const u = ok(core.provider.clientCredentials(i('CC_INTEGRATION'), [], now()));
    expect(core.provider.revokeTokens('CC_INTEGRATION')).toBe(1);
    expect(checkBearer(`Bearer ${u.accessToken}`, HOST, core.provider.store, now())).toMatchObject({ ok: false, cause: 'PROVIDER_TOKEN_REVOKED' });
  });

  it('a refresh token is not a bearer token', () => {
    const { core, i, now } = setup();
    const t = ok(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), codeFor(core), REDIRECT, now()));
    expect(checkBearer(`Bearer ${t.refreshToken}`, HOST, core.provider.store, now())).toMatchObject({ ok: false, cause: 'PROVIDER_TOKEN_NOT_ACCESS' });
  });
});

describe('controls', () => {
  it('down(integration) answers 503 temporarily_unavailable to in-process calls, until up()', () => {
    const { core, i, now } = setup();
    expect(core.provider.down('CC_INTEGRATION')).toEqual([HOST]);
    expect(refused(core.provider.clientCredentials(i('CC_INTEGRATION'), [], now()))).toEqual({ error: 'temporarily_unavailable', status: 503, description: expect.stringContaining('down') });
    expect(refused(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), 'x', REDIRECT, now()))).toMatchObject({ status: 503 });
    expect(core.provider.clientCredentials(i('OTHER_PROVIDER'), [], now()).ok).toBe(true);
    expect(core.provider.up()).toEqual([HOST]);
    expect(core.provider.clientCredentials(i('CC_INTEGRATION'), [], now()).ok).toBe(true);
  });

  it('down(origin, status) takes one host down with that status; bad targets and statuses throw', () => {
    const { core, i, now } = setup();
    expect(core.provider.down('https://auth.other.example.org:8443', 502)).toEqual(['auth.other.example.org']);
    expect(core.provider.downHosts()).toEqual([{ host: 'auth.other.example.org', status: 502 }]);
    expect(refused(core.provider.clientCredentials(i('OTHER_PROVIDER'), [], now()))).toMatchObject({ status: 502 });
    expect(() => core.provider.down('NOPE')).toThrow(/neither an API_AUTHENTICATION integration nor a provider host/);
    expect(() => core.provider.down(HOST, 404)).toThrow(/5xx/);
    expect(() => core.provider.revokeRefreshTokens('NOPE')).toThrow(/no API_AUTHENTICATION integration "NOPE"/);
    expect(core.provider.up('auth.other.example.org')).toEqual(['auth.other.example.org']);
  });

  it('tokens() lists every token with its secret; reset() forgets tokens and down hosts', () => {
    const { core, i, now } = setup();
    ok(core.provider.exchangeCode(i('OAUTH_INTEGRATION'), codeFor(core), REDIRECT, now()));
    core.provider.down(HOST);
    const list = core.provider.tokens();
    expect(list.map((t) => [t.kind, t.integration, t.sub, t.scope, t.grant, t.revoked, t.expired])).toEqual([
      ['access', 'OAUTH_INTEGRATION', 'jane', 'read write', 'authorization_code', false, false],
      ['refresh', 'OAUTH_INTEGRATION', 'jane', 'read write', 'authorization_code', false, false],
    ]);
    expect(list[0]!.expiresAt).toBe('2026-03-01T13:00:00.000Z');
    core.reset();
    expect(core.provider.tokens()).toEqual([]);
    expect(core.provider.downHosts()).toEqual([]);
  });

  it('tokens and codes survive a world change; sweeping drops them an hour after expiry', () => {
    const { core, i, now } = setup();
    ok(core.provider.clientCredentials(i('CC_INTEGRATION'), [], now()));
    codeFor(core);
    core.worldChanged();
    expect(core.provider.store.size).toEqual({ codes: 1, accessTokens: 1, refreshTokens: 0 });
    core.clock.advance('70m'); // both expired at 10 min: kept for an hour after
    expect(core.provider.sweep(now())).toBe(0);
    core.clock.advance('1s');
    expect(core.provider.sweep(now())).toBe(2);
    expect(core.provider.store.size).toEqual({ codes: 0, accessTokens: 0, refreshTokens: 0 });
  });
});

// ---- the provider's contracts: every declared response is produced, and only those -----------

const FORM = 'application/x-www-form-urlencoded';
function request(o: { method?: string; host?: string; path: string; query?: Record<string, string>; form?: Record<string, string>; headers?: Record<string, string>; body?: string }): MockRequest {
  const headers: Record<string, string> = { ...(o.form && { 'content-type': FORM }), ...o.headers };
  return { method: o.method ?? (o.form ? 'POST' : 'GET'), host: o.host ?? HOST, path: o.path, query: o.query ? new URLSearchParams(o.query).toString() : '', headers, body: o.body ?? (o.form ? new URLSearchParams(o.form).toString() : ''), clientIp: '127.0.0.1' };
}

describe('provider contracts: drift', () => {
  it('the mock produces every declared provider response, each matching its contract', async () => {
    const { core } = setup();
    const check = checkContracts(core);
    const authorize = { response_type: 'code', client_id: 'code-client', redirect_uri: REDIRECT, state: 's' };
    const cc = { grant_type: 'client_credentials', client_id: 'cc-client', client_secret: 'cc-secret' };
    const token = JSON.parse((await core.handle(request({ path: '/oauth2/token', form: cc }))).body) as { access_token: string };
    await core.handle(request({ path: '/oauth2/token', form: { ...cc, client_secret: 'x' } }));
    await core.handle(request({ path: '/oauth2/token', form: { ...cc, scope: 'admin' } }));
    await core.handle(request({ method: 'GET', path: '/oauth2/token' }));
    await core.handle(request({ path: '/oauth2/authorize', query: authorize }));
    await core.handle(request({ path: '/oauth2/authorize', query: { ...authorize, client_id: 'nobody' } }));
    await core.handle(request({ path: '/oauth2/authorize', form: { ...authorize, decision: 'allow', username: 'jane' } }));
    await core.handle(request({ path: '/oauth2/authorize', form: { ...authorize, decision: 'deny' } }));
    await core.handle(request({ path: '/oauth2/authorize', form: { ...authorize, decision: 'allow', username: '' } }));
    await core.handle(request({ path: '/oauth2/authorize', form: { ...authorize, client_id: 'nobody', decision: 'allow' } }));
    await core.handle(request({ method: 'GET', path: '/oauth2/authorize', query: { ...authorize, response_type: 'token' } }));
    await core.handle(request({ method: 'DELETE', path: '/oauth2/authorize' }));
    await core.handle(request({ path: '/me', headers: { authorization: `Bearer ${token.access_token}` } }));
    await core.handle(request({ path: '/me' }));
    await core.handle(request({ path: '/me', headers: { authorization: 'Bearer nope' } }));
    await core.handle(request({ host: '127.0.0.1', path: '/__provider/nowhere.example.com/x' }));
    core.provider.down(HOST);
    for (const r of [request({ path: '/oauth2/token', form: cc }), request({ path: '/oauth2/token', method: 'PUT' }), request({ path: '/oauth2/authorize', query: authorize }), request({ path: '/oauth2/authorize', form: authorize }), request({ path: '/oauth2/authorize', method: 'PUT' }), request({ path: '/me' })]) await core.handle(r);
    expect(check.problems()).toEqual([]);
    const declared = PROVIDER_CONTRACTS.filter((c) => c.kind !== 'idp').flatMap((c) => c.responses.map((r) => responseKey(c, r)));
    expect(declared.filter((k) => !check.exercised().has(k)), 'declared provider responses no request produced').toEqual([]);
  });

  it('the External OAuth mock IdP produces every response declared for it (decisions/0009)', async () => {
    const core = createCore({ config: loadWorldFile('scenarios/external-oauth/worlds/idp.yaml'), seed: 3 });
    const check = checkContracts(core);
    const idp = async (r: Partial<MockRequest>): Promise<void> => void (await core.handle({ method: 'POST', host: 'idp.example.com', path: '/oauth2/default/v1/token', query: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', clientIp: '127.0.0.1', ...r }));
    const cc = 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret&scope=session%3Arole%3AANALYST';
    await idp({ body: cc });
    await idp({ body: cc.replace('etl-secret', 'wrong') });
    await idp({ method: 'GET' });
    const okta = [...core.world.accounts[0]!.securityIntegrations.values()].find((i) => i.type === 'EXTERNAL_OAUTH');
    const jwks = okta?.type === 'EXTERNAL_OAUTH' ? okta.mockIdp?.jwksUrls[0] : undefined;
    if (!jwks) throw new Error('idp.yaml serves no JWKS');
    const keys = new URL(jwks).pathname;
    for (const method of ['GET', 'HEAD']) await idp({ method, path: keys });
    await idp({ path: keys }); // POST to the JWKS URL → 405
    await idp({ method: 'PUT' }); // → 405
    core.provider.down('idp.example.com');
    for (const method of ['POST', 'GET', 'PUT']) await idp({ method, body: cc });
    expect(check.problems()).toEqual([]);
    const declared = PROVIDER_CONTRACTS.filter((c) => c.kind === 'idp').flatMap((c) => c.responses.map((r) => responseKey(c, r)));
    expect(declared.filter((k) => !check.exercised().has(k)), 'declared IdP responses no request produced').toEqual([]);
  });

  it('every provider answer names its endpoint kind; a Snowflake answer never does', async () => {
    const { core } = setup();
    expect((await core.handle(request({ path: '/oauth2/token', form: {} }))).headers['x-snowflake-auth-mock-provider']).toBe('token');
    expect((await core.handle(request({ path: '/oauth2/authorize' }))).headers['x-snowflake-auth-mock-provider']).toBe('authorize');
    expect((await core.handle(request({ path: '/anything' }))).headers['x-snowflake-auth-mock-provider']).toBe('resource');
    expect((await core.handle(request({ host: 'myorg-myaccount.snowflakecomputing.com', path: '/api/v2/databases' }))).headers['x-snowflake-auth-mock-provider']).toBeUndefined();
  });
});

describe('endpoint URLs at world load', () => {
  it('an API_AUTHENTICATION endpoint with a fragment is refused', () => {
    const world = structuredClone(WORLD);
    world.accounts![0]!.security_integrations!.push({ name: 'FRAG', type: 'api_authentication', oauth_authorization_endpoint: 'https://provider.example.com/authorize?tenant=1#frag' });
    expect(() => createCore({ config: world })).toThrow(/oauth_authorization_endpoint: must not have a fragment/);
  });
});

describe('one client per endpoint + client_id, across accounts (decisions/0007)', () => {
  /** The provider world with its account duplicated: the same integrations (endpoints, client ids) in two accounts. */
  function twoAccounts(secondSecret?: string): { core: MockCore; i: (account: number, name: string) => ApiAuthenticationIntegration } {
    const world = structuredClone(WORLD);
    const second = structuredClone(world.accounts![0]!);
    second.name = 'MYORG-SECOND';
    (second as { locator?: string }).locator = 'BB22222';
    if (secondSecret !== undefined) for (const i of second.security_integrations ?? []) if (i.name === 'OAUTH_INTEGRATION') (i as { oauth_client_secret?: string }).oauth_client_secret = secondSecret;
    world.accounts!.push(second);
    const core = createCore({ config: world, seed: 9 });
    return { core, i: (account, name) => core.world.accounts[account]!.securityIntegrations.get(name) as ApiAuthenticationIntegration };
  }
  /** START (authorizationUrl) → consent page → Allow over core.handle; returns the code. */
  async function consent(core: MockCore, integration: ApiAuthenticationIntegration): Promise<string> {
    const url = new URL(core.provider.authorizationUrl(integration, { state: 'st', redirectUri: REDIRECT, scopes: ['read'] }));
    const page = await core.handle(request({ path: url.pathname, query: Object.fromEntries(url.searchParams) }));
    expect(page.status).toBe(200);
    const allow = await core.handle(request({ path: url.pathname, form: { ...Object.fromEntries(url.searchParams), decision: 'allow', username: 'jane' } }));
    expect(allow.status).toBe(302);
    return new URL(allow.headers.location!).searchParams.get('code')!;
  }

  it('START → consent → FINISH works in the second account too; its refresh token works for it', async () => {
    const { core, i } = twoAccounts();
    for (const account of [1, 0]) {
      const tokens = ok(core.provider.exchangeCode(i(account, 'OAUTH_INTEGRATION'), await consent(core, i(account, 'OAUTH_INTEGRATION')), REDIRECT, core.clock.now()));
      expect(ok(core.provider.refresh(i(account, 'OAUTH_INTEGRATION'), tokens.refreshToken!, core.clock.now())).accessToken).toMatch(/^mock-at-/);
    }
    // Another client id at the same endpoint is still another client.
    expect(refused(core.provider.exchangeCode(i(1, 'SECOND_APP'), await consent(core, i(1, 'OAUTH_INTEGRATION')), REDIRECT, core.clock.now()))).toMatchObject({ error: 'invalid_grant' });
  });

  it('two accounts registering the same endpoint + client_id with different secrets: either secret is accepted', async () => {
    const { core, i } = twoAccounts('another-secret');
    const code = await consent(core, i(1, 'OAUTH_INTEGRATION'));
    expect(ok(core.provider.exchangeCode(i(1, 'OAUTH_INTEGRATION'), code, REDIRECT, core.clock.now())).accessToken).toMatch(/^mock-at-/);
    for (const secret of ['another-secret', i(0, 'OAUTH_INTEGRATION').oauthClientSecret!]) {
      const answer = await core.handle(request({ path: '/oauth2/token', form: { grant_type: 'authorization_code', code: await consent(core, i(0, 'OAUTH_INTEGRATION')), redirect_uri: REDIRECT, client_id: 'code-client', client_secret: secret } }));
      expect(answer.status, secret).toBe(200);
    }
  });
});

describe('routing (core)', () => {
  it('by endpoint host and path, before any account; a loopback host only at exact endpoints; the /__provider/ prefix anywhere but Snowflake hosts', async () => {
    const world = structuredClone(WORLD);
    world.accounts![0]!.security_integrations!.push({ name: 'LOCAL', type: 'api_authentication', oauth_client_id: 'l', oauth_client_secret: 'l', oauth_token_endpoint: 'http://localhost:9999/token' });
    const core = createCore({ config: world, seed: 1 });
    const kind = async (r: MockRequest) => (await core.handle(r)).headers['x-snowflake-auth-mock-provider'];
    expect(await kind(request({ host: 'localhost', path: '/token', form: {} }))).toBe('token');
    expect(await kind(request({ host: 'localhost', path: '/api/v2/databases' }))).toBeUndefined();
    expect(core.journal.last()).toMatchObject({ account: 'MYORG-MYACCOUNT', code: '390303' });
    expect(await kind(request({ host: '127.0.0.1', path: '/__provider/provider.example.com/oauth2/token', form: {} }))).toBe('token');
    expect(core.journal.last()).toMatchObject({ path: '/__provider/provider.example.com/oauth2/token', decision: 'rejected', code: 'invalid_request', explanation: 'rejected: provider provider.example.com token endpoint: invalid_request: grant_type is missing' });
    expect(await kind(request({ host: 'myorg-myaccount.snowflakecomputing.com', path: '/__provider/provider.example.com/oauth2/token', form: {} }))).toBeUndefined();
    expect(await kind(request({ host: 'provider.example.com', path: '/oauth2/token/', form: {} }))).toBe('token');
  });
  it('a loopback endpoint never shadows a Snowflake account route (decisions/0007)', async () => {
    const world = structuredClone(WORLD);
    world.accounts![0]!.security_integrations!.push({ name: 'SHADOW', type: 'api_authentication', oauth_client_id: 's', oauth_client_secret: 's', oauth_token_endpoint: 'http://localhost:4010/session/v1/login-request', oauth_authorization_endpoint: 'http://myorg-myaccount.localhost:4010/oauth/authorize' });
    const core = createCore({ config: world, seed: 1 });
    const kind = async (r: MockRequest) => (await core.handle(r)).headers['x-snowflake-auth-mock-provider'];
    expect(providerTarget(core.provider, { host: 'localhost', path: '/session/v1/login-request' })).toBeUndefined();
    expect(await kind(request({ host: 'localhost', path: '/session/v1/login-request', headers: { 'content-type': 'application/json' }, body: '{"data":{}}', method: 'POST' }))).toBeUndefined();
    expect(await kind(request({ host: 'myorg-myaccount.localhost', path: '/oauth/authorize' }))).toBeUndefined();
    // Not a route of Snowflake's: still the provider's, by its exact URL or the prefix.
    expect(await kind(request({ host: '127.0.0.1', path: '/__provider/localhost/session/v1/login-request', form: {} }))).toBe('token');
  });

  it('providerTarget returns early on a host no provider or mock IdP plays, and carries the claiming kind', () => {
    const { core } = setup();
    expect(providerTarget(core.provider, { host: 'myorg-myaccount.snowflakecomputing.com', path: '/api/v2/statements' })).toBeUndefined();
    expect(providerTarget(core.provider, { host: 'unrelated.example.net', path: '/oauth2/token' })).toBeUndefined();
    expect(providerTarget(core.provider, { host: HOST, path: '/oauth2/token' })?.kind?.name).toBe('token');
    expect(providerTarget(core.provider, { host: HOST, path: '/other' })?.kind?.name).toBe('resource');
    // The host check consults no per-endpoint key: a host outside the index never reaches the claims.
    const index = core.provider.index();
    const asked: string[] = [];
    const original = index.tokenClients;
    (index as { tokenClients: typeof original }).tokenClients = (h, p) => (asked.push(h), original(h, p));
    providerTarget(core.provider, { host: 'myorg-myaccount.snowflakecomputing.com', path: '/api/v2/statements' });
    expect(asked).toEqual([]);
    (index as { tokenClients: typeof original }).tokenClients = original;
  });
});
