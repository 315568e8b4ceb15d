/**
 * The writer on real traffic: the auth flows of the mock (`serve` on 127.0.0.1) captured as the
 * recorders capture them and written through record/write.ts. Every flow must be written without a
 * refusal (no false positive of the final scan on what Snowflake-shaped traffic carries: request
 * ids, statement handles, public keys, fingerprints, PKCE challenges, HTML pages), and no secret
 * any flow used or received may be on disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { recordedBody, recordedHeaders } from '../../record/capture.ts';
import type { Exchange } from '../../record/format.ts';
import { readRecording } from '../../record/store.ts';
import { writeRecording } from '../../record/write.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { privateKeyPem } from '../helpers/keys.ts';

let serve: RunningServer;
const raws: Omit<Exchange, 'id'>[] = [];
/** Every secret value the flows sent or received; none may be written. */
const secrets = new Set<string>(['alice-password', 'carol-password', 'pat-alice-ci', 'my-app-secret', '123456']);
/** Values that are public and must stay as they were (OAuth `state`: RFC 6749 §10.12, a CSRF value replay echoes). */
const publics = new Set<string>();

beforeAll(async () => {
  serve = await startServer({ port: 0, seed: 11 });
});
afterAll(async () => serve.close());

/** Sends a request to serve and keeps the exchange as a recorder would (record/capture.ts). */
async function call(method: string, path: string, o: { headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const t0 = Date.now();
  const res = await fetch(`${serve.url}${path}`, { method, redirect: 'manual', ...(o.headers && { headers: o.headers }), ...(o.body !== undefined && { body: o.body }) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const requestBody = o.body === undefined ? undefined : recordedBody(Buffer.from(o.body), o.headers?.['content-type']);
  const responseBody = recordedBody(bytes, res.headers.get('content-type') ?? undefined);
  raws.push({
    startedAt: new Date(t0).toISOString(), durationMs: Date.now() - t0,
    request: { method, url: path, headers: recordedHeaders(o.headers ?? {}, true), ...(requestBody && { body: requestBody }) },
    response: { status: res.status, headers: recordedHeaders(Object.fromEntries(res.headers), true), ...(responseBody && { body: responseBody }) },
  });
  return { status: res.status, text: bytes.toString('utf8'), headers: res.headers };
}

const JSON_TYPE = { 'content-type': 'application/json', accept: 'application/json' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function driverSession(): Promise<void> {
  const login = await call('POST', '/session/v1/login-request?requestId=6f1c2d3e-0000-4000-8000-000000000001&request_guid=0b9e1a2c-0000-4000-8000-000000000002', {
    headers: JSON_TYPE, body: JSON.stringify({ data: { ACCOUNT_NAME: 'MYORG-MYACCOUNT', LOGIN_NAME: 'alice', PASSWORD: 'alice-password', CLIENT_APP_ID: 'JavaScript', CLIENT_APP_VERSION: '2.0.0', CLIENT_ENVIRONMENT: { OS: 'Linux' } } }),
  });
  expect(login.status).toBe(200);
  const { token, masterToken } = (JSON.parse(login.text) as { data: { token: string; masterToken: string } }).data;
  secrets.add(token).add(masterToken);
  const session = { ...JSON_TYPE, authorization: `Snowflake Token="${token}"` };
  const add = await call('POST', '/queries/v1/query-request?requestId=1', { headers: session, body: JSON.stringify({ sqlText: 'ALTER USER ALICE ADD PROGRAMMATIC ACCESS TOKEN NIGHTLY', sequenceId: 1 }) });
  const pat = (JSON.parse(add.text) as { data: { rowset: string[][] } }).data.rowset[0]![1]!;
  secrets.add(pat);
  await call('POST', '/queries/v1/query-request?requestId=2', { headers: session, body: JSON.stringify({ sqlText: 'DESC USER ALICE', sequenceId: 2 }) });
  await call('POST', '/queries/v1/query-request?requestId=3', { headers: session, body: JSON.stringify({ sqlText: "ALTER USER ALICE SET PASSWORD = 'n3w-Passw0rd-for-alice'" }) });
  secrets.add('n3w-Passw0rd-for-alice');
  const renewed = await call('POST', '/session/token-request?requestId=4', { headers: { ...JSON_TYPE, authorization: `Snowflake Token="${masterToken}"` }, body: JSON.stringify({ requestType: 'RENEW', oldSessionToken: token }) });
  secrets.add((JSON.parse(renewed.text) as { data: { sessionToken: string } }).data.sessionToken);
  await call('POST', '/api/v2/statements', { headers: { ...JSON_TYPE, authorization: `Bearer ${pat}`, 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' }, body: JSON.stringify({ statement: `SELECT SYSTEM$DECODE_PAT('${pat}')` }) });
}

async function mfaAndKeyPair(): Promise<void> {
  await call('POST', '/session/v1/login-request?requestId=5', {
    headers: JSON_TYPE, body: JSON.stringify({ data: { LOGIN_NAME: 'carol', PASSWORD: 'carol-password', PASSCODE: '123456', EXT_AUTHN_DUO_METHOD: 'passcode', SESSION_PARAMETERS: { CLIENT_REQUEST_MFA_TOKEN: true } } }),
  }).then((r) => {
    const data = (JSON.parse(r.text) as { data: { token: string; masterToken: string; mfaToken?: string } }).data;
    for (const v of [data.token, data.masterToken, data.mfaToken]) if (v) secrets.add(v);
  });
  const jwt = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE' });
  secrets.add(jwt.split('.')[2]!);
  const r = await call('POST', '/api/v2/statements?requestId=7b1c2d3e-0000-4000-8000-000000000003', { headers: { ...JSON_TYPE, authorization: `Bearer ${jwt}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' }, body: JSON.stringify({ statement: 'SELECT CURRENT_USER()' }) });
  expect(r.status).toBe(200);
}

async function oauthWithPages(): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  secrets.add(verifier);
  const query = new URLSearchParams({
    client_id: 'my-app-client', response_type: 'code', redirect_uri: 'https://app.example.com/callback', scope: 'refresh_token',
    state: randomBytes(16).toString('base64url'), code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  });
  publics.add(query.get('state')!);
  const page = await call('GET', `/oauth/authorize?${query}`);
  expect(page.status).toBe(200);
  const consent = await call('POST', '/oauth/authorize', { headers: FORM, body: new URLSearchParams({ ...Object.fromEntries(query), step: 'login', login_name: 'alice', password: 'alice-password' }).toString() });
  const consentId = /name="consent_id" value="([^"]+)"/.exec(consent.text)![1]!;
  secrets.add(consentId);
  const redirect = await call('POST', '/oauth/authorize', { headers: FORM, body: new URLSearchParams({ step: 'consent', consent_id: consentId, decision: 'allow' }).toString() });
  expect(redirect.status).toBe(302);
  const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
  secrets.add(code);
  const tokens = await call('POST', '/oauth/token-request', { headers: { ...FORM, authorization: basic('my-app-client', 'my-app-secret') }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'https://app.example.com/callback', code_verifier: verifier }).toString() });
  const { access_token, refresh_token } = JSON.parse(tokens.text) as { access_token: string; refresh_token: string };
  secrets.add(access_token).add(refresh_token);
  const refreshed = await call('POST', '/oauth/token-request', { headers: FORM, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token, client_id: 'my-app-client', client_secret: 'my-app-secret' }).toString() });
  secrets.add((JSON.parse(refreshed.text) as { access_token: string }).access_token);
  await call('POST', '/api/v2/statements', { headers: { ...JSON_TYPE, authorization: `Bearer ${access_token}`, 'x-snowflake-authorization-token-type': 'OAUTH' }, body: JSON.stringify({ statement: 'SELECT CURRENT_ROLE()' }) });
}

describe('real flows through the writer', () => {
  let dir: string;
  beforeAll(async () => {
    await driverSession();
    await mfaAndKeyPair();
    await oauthWithPages();
    dir = join(mkdtempSync(join(tmpdir(), 'sam-flows-')), 'rec');
    writeRecording(dir, { name: 'flows', upstream: serve.url, recordedAt: '2026-03-01T12:00:00.000Z' }, raws);
  });

  it('writes every exchange (the scan refuses none)', () => {
    const recording = readRecording(dir);
    expect(recording.exchanges).toHaveLength(raws.length);
    expect(raws.map((r) => r.response.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302, 200, 200, 200]);
  });

  it('no secret the flows used or received is on disk, in any form', () => {
    const files = ['recording.json', ...readdirSync(join(dir, 'exchanges')).map((f) => join('exchanges', f))];
    const leaks: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const s of secrets) if (text.includes(s) || text.includes(encodeURIComponent(s))) leaks.push(`${file}: a secret of ${s.length} characters`);
    }
    expect(leaks).toEqual([]);
  });

  it('public values the flows sent (the OAuth state) are on disk as they were', () => {
    const text = readdirSync(join(dir, 'exchanges')).map((f) => readFileSync(join(dir, 'exchanges', f), 'utf8')).join('\n');
    expect(publics.size).toBe(1);
    for (const p of publics) expect(text).toContain(p);
  });

  it('placeholders link the flow: the login\'s session token is the next query\'s, the code the token request\'s', () => {
    const { exchanges } = readRecording(dir);
    const login = exchanges[0]!.response.body as { json: { data: { token: string } } };
    expect(login.json.data.token).toBe('__redacted_session_token_1__');
    expect(exchanges[1]!.request.headers.authorization).toBe('Snowflake Token="__redacted_session_token_1__"');
    const redirect = exchanges.find((e) => e.response.status === 302)!;
    const code = new URL(redirect.response.headers.location!).searchParams.get('code');
    expect(code).toMatch(/^__redacted_oauth_code_\d+__$/);
    expect(JSON.stringify(exchanges.find((e) => e.request.url === '/oauth/token-request')!.request.body)).toContain(code!);
  });

  it('with identities, no account or user name is left either, and the scan still passes every file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sam-flows-')), 'rec');
    writeRecording(out, { name: 'flows', upstream: 'https://myorg-myaccount.snowflakecomputing.com', identities: true }, raws);
    const text = ['recording.json', ...readdirSync(join(out, 'exchanges')).map((f) => join('exchanges', f))].map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(text.match(/alice|carol|myorg|myaccount/gi)).toBeNull();
    expect(text).toContain('"LOGIN_NAME": "__redacted_user_1__"');
  });

  it('keeps what is public: the public key and fingerprint of DESC USER, the PKCE challenge, request ids', () => {
    const text = readdirSync(join(dir, 'exchanges')).map((f) => readFileSync(join(dir, 'exchanges', f), 'utf8')).join('\n');
    expect(text).toContain('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1h/LrozEaoOhif61Ogyy2x');
    expect(text).toContain('SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=');
    expect(text).toMatch(/code_challenge=[A-Za-z0-9_-]{43}&/);
    expect(text).toContain('6f1c2d3e-0000-4000-8000-000000000001');
  });
});
