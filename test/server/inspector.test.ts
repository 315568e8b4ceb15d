/**
 * The inspector's endpoints and their security properties, without a browser (issue #12): the page
 * and its files only with --control, their headers (strict CSP, no-store, types), the journal
 * cursor (`GET /__mock/journal?since=`), the secret-free world summary, and that no secret a client
 * sends or the world holds — password, PAT, OAuth token, client secret, session or master token,
 * JWT signature — reaches anything the page reads.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { INSPECTOR_CSP } from '../../server/inspector.ts';
import { exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';

/** A PAT secret shaped like a JWT: a PAT is a secret as a whole, so it must never be decoded into the journal. */
const JWT_SHAPED_PAT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQQVRUWS1zZWNyZXQtY2xhaW0ifQ.cGF0dHktc2lnbmF0dXJl';
const jwtShaped = (claim: string): string => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: claim })).toString('base64url')}.c2lnbmF0dXJl`;
/** The old secret of PATTY's rotated PAT, still inside its grace period; also JWT-shaped. */
const JWT_SHAPED_ROTATED = jwtShaped('ROTATED-secret-claim');
/** A JWT-shaped PAT of a user of the other account of the world. */
const JWT_SHAPED_OTHER = jwtShaped('OTHER-secret-claim');

let server: RunningServer;
let bare: RunningServer;

beforeAll(async () => {
  const world = exampleWorld((w) => {
    const account = w.accounts[0]!;
    account.network_policies!.push({ name: 'LOOPBACK', allowed_ip_list: ['127.0.0.0/8', '::1'] });
    account.users![0]!.network_policy = 'LOOPBACK';
    account.users!.push(
      { name: 'LARRY', login_name: 'larry', password: 'larry-password', mins_to_unlock: 30 },
      { name: 'PATTY', programmatic_access_tokens: [{ name: 'LOOKS_LIKE_JWT', secret: JWT_SHAPED_PAT, rotated: [{ secret: JWT_SHAPED_ROTATED, expire_after_hours: 24 }] }] },
    );
    w.accounts[1]!.users!.push({ name: 'OTTO', programmatic_access_tokens: [{ name: 'OTHER', secret: JWT_SHAPED_OTHER }] });
  });
  server = await startServer({ world, port: 0, control: true, seed: 4 });
  bare = await startServer({ world: exampleWorld(), port: 0 });
});
afterAll(async () => {
  await server?.close();
  await bare?.close();
});

const get = (base: string, path: string, init?: RequestInit): Promise<Response> => fetch(`${base}${path}`, { redirect: 'manual', ...init });
const getJson = async (path: string): Promise<any> => (await get(server.url, path)).json();
const control = (path: string, body: unknown): Promise<Response> => fetch(`${server.url}/__mock/${path}`, { method: 'POST', body: JSON.stringify(body) });

async function statement(token: string, type?: string): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(type && { 'x-snowflake-authorization-token-type': type }) };
  return fetch(`${server.url}/api/v2/statements`, { method: 'POST', headers, body: '{"statement":"SELECT 1"}' });
}

async function login(data: Record<string, string>): Promise<any> {
  const res = await fetch(`${server.url}/session/v1/login-request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }) });
  return res.json();
}

const aliceJwt = (): Promise<string> => signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: server.core.clock.now() });
const signatureOf = (jwt: string): string => jwt.slice(jwt.lastIndexOf('.') + 1);

describe('the inspector is served only with --control', () => {
  it.each(['/__mock/', '/__mock', '/__mock/inspector.js', '/__mock/inspector.css', '/__mock/inspector.svg', '/__mock/world/summary', '/__mock/journal?since=0'])('%s is a 404 without it', async (path) => {
    const res = await get(bare.url, path);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<html');
  });

  it('GET /__mock redirects to /__mock/ (relative links need the folder form); other methods are refused', async () => {
    const res = await get(server.url, '/__mock');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/__mock/');
    expect((await get(server.url, '/__mock', { method: 'POST' })).status).toBe(405);
    expect(server.core.journal.entries().filter((e) => e.path.startsWith('/__mock'))).toEqual([]);
  });
});

describe('the page files', () => {
  it.each([
    ['/__mock/', 'text/html; charset=utf-8', '<h1>snowflake-auth-mock'],
    ['/__mock/inspector.js', 'text/javascript; charset=utf-8', "'use strict'"],
    ['/__mock/inspector.css', 'text/css; charset=utf-8', ':root'],
    ['/__mock/inspector.svg', 'image/svg+xml', '<svg'],
  ])('%s is %s, never cached, under a strict Content-Security-Policy', async (path, type, start) => {
    const res = await get(server.url, path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(INSPECTOR_CSP);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    expect(directives).toMatchObject({ 'default-src': "'self'", 'script-src': "'self'", 'style-src': "'self'", 'connect-src': "'self'", 'object-src': "'none'", 'frame-ancestors': "'none'" });
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:|data:/);
    expect(await res.text()).toContain(start);
  });

  it('the page has nothing inline for the policy to refuse: no inline script, handler or style', async () => {
    const html = await (await get(server.url, '/__mock/')).text();
    expect(html).toMatch(/<script src="inspector\.js" defer><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=|<style/i);
  });

  it('the script inserts data as text only: no markup parsing, no eval', () => {
    const script = readFileSync(new URL('../../server/inspector/inspector.js', import.meta.url), 'utf8');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|createContextualFragment|DOMParser/);
    // It reads the secret-free summary, never the credentials view GET /__mock/world.
    const fetched = [...script.matchAll(/getJson\(\s*[`'"]([^`'"?$]+)/g)].map((m) => m[1]);
    expect(new Set(fetched)).toEqual(new Set(['journal', 'world/summary', 'faults', 'clock']));
  });
});

describe('GET /__mock/journal?since=SEQ (the page polls with a cursor)', () => {
  it('answers the entries after the cursor, the next cursor, and where the held entries start', async () => {
    await get(server.url, '/__mock/journal', { method: 'DELETE' });
    const before = await getJson('/__mock/journal?since=0');
    expect(before.entries).toEqual([]);
    const cursor = before.lastSeq as number;
    expect(before.firstSeq).toBe(cursor + 1);
    await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    await statement('no-such-token', 'OAUTH');
    const after = await getJson(`/__mock/journal?since=${cursor}`);
    expect(after.entries.map((e: any) => [e.seq, e.decision])).toEqual([[cursor + 1, 'allowed'], [cursor + 2, 'rejected']]);
    expect(after).toMatchObject({ firstSeq: cursor + 1, lastSeq: cursor + 2 });
    expect((await getJson(`/__mock/journal?since=${cursor + 1}`)).entries.map((e: any) => e.seq)).toEqual([cursor + 2]);
    expect((await getJson(`/__mock/journal?since=${cursor + 2}`)).entries).toEqual([]);
    expect((await getJson(`/__mock/journal?since=${cursor}&limit=1`)).entries.map((e: any) => e.seq)).toEqual([cursor + 2]);
  });

  it('after a clear the cursor keeps counting and firstSeq says every older row is gone', async () => {
    await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    const { lastSeq } = await getJson('/__mock/journal?since=0');
    await get(server.url, '/__mock/journal', { method: 'DELETE' });
    expect(await getJson(`/__mock/journal?since=${lastSeq}`)).toEqual({ entries: [], firstSeq: lastSeq + 1, lastSeq, instance: expect.any(String) });
    await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    expect((await getJson(`/__mock/journal?since=${lastSeq}`)).entries.map((e: any) => e.seq)).toEqual([lastSeq + 1]);
  });

  it('names its journal (instance): the same across clears and resets, another in another mock, whose count starts at 1 again', async () => {
    const { instance } = await getJson('/__mock/journal?since=0');
    expect(instance).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await get(server.url, '/__mock/journal', { method: 'DELETE' });
    await control('reset', {});
    expect((await getJson('/__mock/journal?since=0')).instance).toBe(instance);
    // A restarted mock: same world, same seed, a new journal.
    const restarted = await startServer({ world: exampleWorld(), port: 0, control: true, seed: 4 });
    try {
      const answer = await (await fetch(`${restarted.url}/__mock/journal?since=0`)).json();
      expect(answer).toMatchObject({ lastSeq: 0, instance: expect.any(String) });
      expect(answer.instance).not.toBe(instance);
    } finally {
      await restarted.close();
    }
  });

  it('keeps the old answer without since, and refuses a cursor that is not a number', async () => {
    await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    expect(Object.keys(await getJson('/__mock/journal'))).toEqual(['entries']);
    expect(Object.keys(await getJson('/__mock/journal?limit=1'))).toEqual(['entries']);
    for (const bad of ['-1', 'abc', '1e3', '']) {
      const res = await get(server.url, `/__mock/journal?since=${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).error).toMatch(/^since: .* is not a sequence number/);
    }
  });
});

describe('GET /__mock/world/summary (the world at a glance)', () => {
  it('shows users and their auth methods, PAT time left on the mock clock, fingerprints, integrations and policies', async () => {
    await control('reset', {});
    const summary = await getJson('/__mock/world/summary');
    expect(summary.clock).toEqual({ now: '2026-03-01T12:00:00.000Z', epochMs: Date.parse('2026-03-01T12:00:00Z'), frozen: true });
    const account = summary.accounts[0];
    expect(account.name).toBe('MYORG-MYACCOUNT');
    expect(account.users.find((u: any) => u.name === 'ALICE')).toMatchObject({ authMethods: ['password', 'key-pair', 'PAT', 'OAuth token'], disabled: false, networkPolicy: 'LOOPBACK' });
    expect(account.users.find((u: any) => u.name === 'LARRY')).toMatchObject({ authMethods: ['password'], lockedUntil: '2026-03-01T12:30:00.000Z' });
    expect(account.pats.find((p: any) => p.name === 'CI')).toEqual({
      user: 'ALICE', name: 'CI', roleRestriction: 'ANALYST', createdAt: '2026-03-01T12:00:00.000Z', expiresAt: '2026-03-16T12:00:00.000Z',
      msLeft: 15 * 86_400_000, expired: false, disabled: false, rotatedSecrets: 0,
    });
    expect(account.keys).toContainEqual({ owner: 'user ALICE', slot: 'RSA_PUBLIC_KEY', fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}=$/) });
    expect(account.integrations).toEqual([{ name: 'MY_APP', type: 'OAUTH', enabled: true, detail: 'confidential client my-app-client', networkPolicy: 'INTEGRATION_ONLY' }]);
    expect(account.networkPolicies.find((p: any) => p.name === 'CORP_ONLY')).toEqual({ name: 'CORP_ONLY', allowed: ['10.0.0.0/8'], blocked: ['10.0.0.99'], allowedRules: [], blockedRules: [], usedBy: [] });
    expect(account.networkPolicies.find((p: any) => p.name === 'ACCOUNT_POLICY').usedBy).toEqual(['account']);
  });

  it('marks a PAT expired once the clock passes its expiry, a disabled user disabled, and an unlocked user no longer locked', async () => {
    await control('reset', {});
    expect((await control('clock', { advance: '16d' })).status).toBe(200);
    await control('world/change', { disable_user: { user: 'ETL_BOT' } });
    const account = (await getJson('/__mock/world/summary')).accounts[0];
    expect(account.pats.find((p: any) => p.name === 'CI')).toMatchObject({ expired: true, msLeft: -86_400_000 });
    expect(account.pats.find((p: any) => p.name === 'ETL')).toMatchObject({ expired: false, disabled: true });
    expect(account.users.find((u: any) => u.name === 'ETL_BOT').disabled).toBe(true);
    expect(account.users.find((u: any) => u.name === 'LARRY').lockedUntil).toBeUndefined();
    await control('reset', {});
  });
});

describe('no secret reaches what the inspector reads', () => {
  it('passwords, PATs, OAuth tokens, client secrets, session tokens and JWT signatures stay out; JWT header and claims come in', async () => {
    await control('reset', {});
    const bearerJwt = await aliceJwt();
    const loginJwt = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: server.core.clock.now(), lifetimeSeconds: 120 });
    expect((await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN')).status).toBe(200);
    expect((await statement(bearerJwt)).status).toBe(200);
    expect((await statement('oauth-other-token', 'OAUTH')).status).toBe(401);
    expect((await statement(JWT_SHAPED_PAT, 'PROGRAMMATIC_ACCESS_TOKEN')).status).toBe(200);
    expect((await statement(JWT_SHAPED_PAT)).status).toBe(200);
    const session = await login({ LOGIN_NAME: 'alice', PASSWORD: 'alice-password' });
    expect(session.success).toBe(true);
    expect((await login({ LOGIN_NAME: 'alice', PASSWORD: 'not-alices-password-7' })).success).toBe(false);
    expect((await login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'alice', TOKEN: loginJwt })).success).toBe(true);
    expect((await login({ AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: 'alice', TOKEN: 'pat-alice-ci' })).success).toBe(true);
    // A JWT-shaped PAT — current, rotated (still valid) or of the other account — sent as a JWT: refused, and never decoded.
    const misTyped = [JWT_SHAPED_PAT, JWT_SHAPED_ROTATED, JWT_SHAPED_OTHER];
    for (const pat of misTyped) {
      for (const type of ['OAUTH', 'KEYPAIR_JWT']) expect((await statement(pat, type)).status, type).toBe(401);
      for (const authenticator of ['OAUTH', 'SNOWFLAKE_JWT']) expect((await login({ AUTHENTICATOR: authenticator, LOGIN_NAME: 'patty', TOKEN: pat })).success, authenticator).toBe(false);
    }
    expect((await statement(JWT_SHAPED_ROTATED, 'PROGRAMMATIC_ACCESS_TOKEN')).status, 'the rotated secret is still valid').toBe(200);

    const secrets = [
      'alice-password', 'not-alices-password-7', 'larry-password', 'pat-alice-ci', 'pat-etl-bot', 'oauth-alice-token', 'oauth-other-token', 'my-app-secret',
      session.data.token, session.data.masterToken, bearerJwt, loginJwt, signatureOf(bearerJwt), signatureOf(loginJwt),
      JWT_SHAPED_PAT, JWT_SHAPED_PAT.split('.')[1]!, 'PATTY-secret-claim',
      ...misTyped.flatMap((t) => [t, t.split('.')[1]!]), 'ROTATED-secret-claim', 'OTHER-secret-claim',
    ];
    const read = ['/__mock/journal', '/__mock/journal?since=0', '/__mock/world/summary', '/__mock/faults', '/__mock/clock', '/__mock/', '/__mock/inspector.js'];
    for (const path of read) {
      const text = await (await get(server.url, path)).text();
      for (const secret of secrets) expect(text.includes(secret), `${path} holds ${secret.slice(0, 20)}…`).toBe(false);
    }

    const entries = (await getJson('/__mock/journal?since=0')).entries as any[];
    const jwtEntries = entries.filter((e) => e.jwt);
    expect(jwtEntries.map((e) => [e.path, e.authMethod])).toEqual([['/api/v2/statements', 'KEYPAIR_JWT'], ['/session/v1/login-request', 'KEYPAIR_JWT']]);
    for (const e of jwtEntries) {
      expect(e.jwt.header).toEqual({ alg: 'RS256', typ: 'JWT' });
      expect(e.jwt.claims).toMatchObject({ iss: expect.stringMatching(/^MYORG-MYACCOUNT\.ALICE\.SHA256:/), sub: 'MYORG-MYACCOUNT.ALICE', iat: expect.any(Number), exp: expect.any(Number) });
      expect(Object.keys(e.jwt)).toEqual(['header', 'claims']);
    }
  });
});

describe('changes come from the inspector itself, never from a page of another site', () => {
  /** A POST with the headers a browser would add; node:http, so the Origin header goes out as given. */
  const post = (path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(`${server.url}/__mock/${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += String(c)));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  it('a cross-site POST (a "simple" request a browser sends without asking) is refused and changes nothing', async () => {
    const before = server.core.clock.now();
    const answer = await post('clock', { advance: '16d' }, { origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(/^refused: a page from http:\/\/evil\.example may not change the mock/);
    expect(server.core.clock.now() - before).toBeLessThan(60_000);
    // Another local port is another site too (a dev server on localhost:3000).
    expect((await post('reset', {}, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
  });

  it("the server's own origin, or no Origin at all (scripts, drivers), may change it", async () => {
    const host = new URL(server.url).host;
    expect((await post('clock', { advance: '1m' }, { origin: `http://${host}` })).status).toBe(200);
    expect((await post('clock', { advance: '1m' }, {})).status).toBe(200);
  });
});
