/**
 * The external OAuth provider on `serve` (issue #6): routed by the Host header, or under
 * /__provider/<host>/<path> for a browser that reaches only the server, beside the Snowflake
 * endpoints on the same port; and its control API, POST|GET /__mock/provider.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.ts';
import { validateResponse } from '../../contracts/validate-response.ts';

const WORLD_FILE = 'scenarios/provider/worlds/provider.yaml';
const REDIRECT = 'https://myorg-myaccount.snowflakecomputing.com/oauth/complete-secret';
const FORM = 'application/x-www-form-urlencoded';
const CC = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cc-client', client_secret: 'cc-secret' }).toString();

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ world: WORLD_FILE, port: 0, control: true, seed: 3 });
});
afterAll(async () => server.close());
beforeEach(async () => void (await fetch(`${server.url}/__mock/reset`, { method: 'POST' })));

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

/** node:http, so the Host header can name the provider; every answer is contract-checked. */
function send(o: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  const url = new URL(o.path, server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: o.method ?? (o.body === undefined ? 'GET' : 'POST'), headers: { ...(o.host && { host: o.host }), ...o.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        if (!o.path.startsWith('/__mock/')) {
          const check = validateResponse({ method: o.method ?? (o.body === undefined ? 'GET' : 'POST'), path: url.pathname }, { status: res.statusCode!, headers, body: text });
          if (!check.ok) reject(new Error(check.problems.join('\n')));
        }
        resolve({ status: res.statusCode!, headers, body, text });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
const control = (path: string, body?: unknown): Promise<Reply> => send({ path: `/__mock/${path}`, ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });

describe('routing on serve', () => {
  it('Host: <provider host> reaches the provider; the Snowflake endpoints stay on the server host', async () => {
    const r = await send({ path: '/oauth2/token', host: 'provider.example.com', headers: { 'content-type': FORM }, body: CC });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read write' });
    const me = await send({ path: '/me', host: 'provider.example.com:443', headers: { authorization: `Bearer ${r.body.access_token}` } });
    expect(me.body).toMatchObject({ sub: 'cc-client' });
    expect(server.core.journal.last()).toMatchObject({ path: '/me', decision: 'allowed', explanation: expect.stringMatching(/^allowed: provider provider\.example\.com resource: /) });
    const snowflake = await send({ path: '/api/v2/databases' });
    expect(snowflake).toMatchObject({ status: 401, body: { code: '390303' } });
  });

  it('/__provider/<host>/<path> is https://<host>/<path>: the consent page posts back under the prefix and redirects to the client', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'code-client', redirect_uri: REDIRECT, state: 'st-1', scope: 'read' });
    const page = await send({ path: `/__provider/provider.example.com/oauth2/authorize?${q}` });
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/__provider/provider.example.com/oauth2/authorize"');
    const form = new URLSearchParams({ ...Object.fromEntries(q), username: 'jane', decision: 'allow' }).toString();
    const allowed = await send({ path: '/__provider/provider.example.com/oauth2/authorize', headers: { 'content-type': FORM }, body: form });
    expect(allowed.status).toBe(302);
    const location = new URL(allowed.headers.location!);
    expect(location.searchParams.get('state')).toBe('st-1');
    const code = location.searchParams.get('code')!;
    const exchanged = await send({
      path: '/__provider/provider.example.com/oauth2/token', headers: { 'content-type': FORM },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'code-client', client_secret: 'code-secret', code, redirect_uri: REDIRECT }).toString(),
    });
    expect(exchanged.body).toMatchObject({ token_type: 'Bearer', scope: 'read', refresh_token: expect.any(String) });
  });

  it('an unknown host under the prefix is 404 unknown_provider; an unknown Host is not the provider', async () => {
    expect(await send({ path: '/__provider/nowhere.example.com/token' })).toMatchObject({ status: 404, body: { error: 'unknown_provider' } });
    expect((await send({ path: '/oauth2/token', host: 'nowhere.example.com', headers: { 'content-type': FORM }, body: CC })).headers['x-snowflake-auth-mock-provider']).toBeUndefined();
  });
});

describe('control API', () => {
  it('POST /__mock/provider {"down": …} answers 503 until {"up": null}', async () => {
    expect(await control('provider', { down: 'CC_INTEGRATION' })).toMatchObject({ status: 200, body: { down: ['provider.example.com'], hosts: [{ host: 'provider.example.com', status: 503 }] } });
    expect(await send({ path: '/oauth2/token', host: 'provider.example.com', headers: { 'content-type': FORM }, body: CC })).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
    expect(await control('provider', { down: 'https://provider.example.com', status: 502 })).toMatchObject({ status: 200 });
    expect((await send({ path: '/__provider/provider.example.com/oauth2/token', headers: { 'content-type': FORM }, body: CC })).status).toBe(502);
    expect(await control('provider', { up: null })).toMatchObject({ status: 200, body: { up: ['provider.example.com'], hosts: [] } });
    expect((await send({ path: '/__provider/provider.example.com/oauth2/token', headers: { 'content-type': FORM }, body: CC })).status).toBe(200);
  });

  it('{"revoke_refresh_tokens": …} revokes; GET /__mock/provider lists tokens; reset forgets them', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'code-client', redirect_uri: REDIRECT, username: 'jane', decision: 'allow' });
    const allowed = await send({ path: '/__provider/provider.example.com/oauth2/authorize', headers: { 'content-type': FORM }, body: q.toString() });
    const code = new URL(allowed.headers.location!).searchParams.get('code')!;
    const t = await send({ path: '/__provider/provider.example.com/oauth2/token', headers: { 'content-type': FORM }, body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'code-client', client_secret: 'code-secret', code, redirect_uri: REDIRECT }).toString() });
    const listed = await control('provider');
    expect(listed.body.tokens.map((x: { kind: string; token: string }) => [x.kind, x.token])).toEqual([['access', t.body.access_token], ['refresh', t.body.refresh_token]]);
    expect(await control('provider', { revoke_refresh_tokens: 'OAUTH_INTEGRATION' })).toMatchObject({ status: 200, body: { revoke_refresh_tokens: 1 } });
    const refresh = new URLSearchParams({ grant_type: 'refresh_token', client_id: 'code-client', client_secret: 'code-secret', refresh_token: t.body.refresh_token }).toString();
    expect(await send({ path: '/__provider/provider.example.com/oauth2/token', headers: { 'content-type': FORM }, body: refresh })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await control('reset', {});
    expect((await control('provider')).body).toEqual({ down: [], tokens: [] });
  });

  it('refuses what it cannot do with a 400 and the reason', async () => {
    expect(await control('provider', { down: 'NO_SUCH_THING' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('neither an API_AUTHENTICATION integration nor a provider host') } });
    expect(await control('provider', { down: 'CC_INTEGRATION', status: 404 })).toMatchObject({ status: 400, body: { error: expect.stringContaining('5xx') } });
    expect(await control('provider', { down: 'CC_INTEGRATION', up: 'CC_INTEGRATION' })).toMatchObject({ status: 400 });
    expect(await control('provider', { revoke_refresh_tokens: 3 })).toMatchObject({ status: 400 });
    expect(await control('provider', { revoke_refresh_tokens: 'NOPE' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('no API_AUTHENTICATION integration "NOPE"') } });
    expect((await send({ method: 'DELETE', path: '/__mock/provider' })).status).toBe(405);
  });

  it('the scenario world changes work through POST /__mock/world/change', async () => {
    expect((await control('world/change', { provider_down: { origin: 'https://provider.example.com' } })).status).toBe(200);
    expect((await send({ path: '/oauth2/token', host: 'provider.example.com', headers: { 'content-type': FORM }, body: CC })).status).toBe(503);
    expect((await control('world/change', { provider_up: { integration: 'CC_INTEGRATION' } })).status).toBe(200);
    expect((await send({ path: '/oauth2/token', host: 'provider.example.com', headers: { 'content-type': FORM }, body: CC })).status).toBe(200);
  });
});

describe('the External OAuth mock IdP on serve (decisions/0009)', () => {
  it('answers its token endpoint and JWKS through /__provider/<host>/…, and Snowflake accepts the token', async () => {
    const idp = await startServer({ world: 'scenarios/external-oauth/worlds/idp.yaml', port: 0, seed: 3, trustProxy: true });
    try {
      const core = idp.core;
      const okta = [...core.world.accounts[0]!.securityIntegrations.values()].find((i) => i.type === 'EXTERNAL_OAUTH' && i.mockIdp);
      if (!okta || okta.type !== 'EXTERNAL_OAUTH' || !okta.mockIdp) throw new Error('idp.yaml has no mock IdP');
      const token = new URL(okta.mockIdp.tokenEndpoint);
      const client = okta.mockIdp.clients[0]!;
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'session:role:ANALYST' });
      const res = await fetch(`${idp.url}/__provider/${token.host}${token.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-snowflake-auth-mock-provider')).toBe('idp');
      const { access_token } = (await res.json()) as { access_token: string };
      expect(access_token.split('.')).toHaveLength(3);
      // ALICE's own policy CORP_ONLY judges External OAuth traffic (https://docs.snowflake.com/en/user-guide/network-policies): send from 10.x.
      const sql = await fetch(`${idp.url}/api/v2/statements`, { method: 'POST', headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json', 'x-forwarded-for': '10.1.2.3' }, body: JSON.stringify({ statement: 'SELECT CURRENT_USER(), CURRENT_ROLE()' }) });
      expect(sql.status, idp.core.journal.last()?.explanation).toBe(200);
      expect(((await sql.json()) as { data: unknown }).data).toEqual([['ALICE', 'ANALYST']]);
      const jwks = okta.mockIdp.jwksUrls[0];
      if (jwks) {
        const u = new URL(jwks);
        const keys = await fetch(`${idp.url}/__provider/${u.host}${u.pathname}`);
        expect(((await keys.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
      }
    } finally {
      await idp.close();
    }
  });
});
