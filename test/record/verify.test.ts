/**
 * `verifyRecording` (record/verify.ts): recordings of the model itself (made through the writer,
 * so with placeholders where a recorder puts them) verify clean, which proves that each kind of
 * placeholder is resolved to a value the model accepts; tampered answers show up as differences
 * that the explained list must name; listed ones that no longer happen are stale.
 */
import { describe, expect, it } from 'vitest';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import type { Exchange } from '../../record/format.ts';
import { verifyRecording, type ExchangeResult, type VerifyResult } from '../../record/verify.ts';
import { nameMatch } from '../../record/verify/origin-match.ts';
import { privateKeyPem } from '../helpers/keys.ts';
import { aliceLogin, capture, recordingOf, selectOne } from '../helpers/verify-fixtures.ts';

const all = (r: VerifyResult): ExchangeResult[] => r.flows.flatMap((f) => f.exchanges);
const diffs = (r: VerifyResult): string[] => all(r).flatMap((e) => e.differences.map((d) => `${e.id} ${d.diff}`));

describe('placeholders resolved to values the model accepts', () => {
  it('password, session and master tokens: a login, a query and a renewal verify clean', async () => {
    const c = capture();
    const login = await c.send(aliceLogin());
    await c.send(selectOne(login.json));
    await c.send({ path: '/session/token-request', query: 'requestId=r3', headers: { authorization: `Snowflake Token="${String(login.json.data?.masterToken)}"` }, json: { oldSessionToken: login.json.data?.token, requestType: 'RENEW' } });
    const rec = recordingOf(c.raws);
    expect(JSON.stringify(rec.exchanges)).not.toContain('alice-password');
    const result = await verifyRecording(rec);
    expect(diffs(result)).toEqual([]);
    expect(result.passed).toBe(true);
    const [l, q, r] = all(result);
    expect(l!.sent).toContain('PASSWORD=__redacted_password_1__⇒world');
    expect(q!.sent).toContain('Authorization Snowflake Token=__redacted_session_token_1__⇒issued');
    expect(r!.sent).toContain('oldSessionToken=__redacted_session_token_1__⇒issued');
    expect(all(result).flatMap((e) => e.adaptations)).toEqual([]);
  });

  it('a PAT placeholder is the PAT of the LOGIN_NAME\'s user', async () => {
    const c = capture();
    await c.send({ path: '/session/v1/login-request', json: { data: { LOGIN_NAME: 'alice', AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', TOKEN: 'pat-alice-ci' } } });
    const result = await verifyRecording(recordingOf(c.raws));
    expect(diffs(result)).toEqual([]);
    expect(all(result)[0]!.sent).toContain('TOKEN=__redacted_pat_1__⇒world');
  });

  it('a key-pair JWT (signature redacted) is re-signed with the key the world registers, at the model\'s clock', async () => {
    // Recorded in 2020: the recorded JWT itself would be long expired on the model's clock.
    const c = capture(createSnowflakeMock({ seed: 3, clockStart: '2020-01-01T00:00:00Z' }));
    const jwt = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'alice', now: Date.parse('2020-01-01T00:00:00Z') });
    await c.send({ path: '/session/v1/login-request', json: { data: { LOGIN_NAME: 'alice', AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: jwt } } });
    const rec = recordingOf(c.raws);
    expect(JSON.stringify(rec.exchanges[0]!.request.body)).toMatch(/__redacted_jwt_signature_1__/);
    const result = await verifyRecording(rec);
    expect(diffs(result)).toEqual([]);
    expect(all(result)[0]!.adaptations).toEqual(['jwt-signed']);
  });

  it('an access token the model issued earlier in the recording (client credentials) is bound by placeholder', async () => {
    const c = capture();
    const token = await c.send({ path: '/oauth/token-request', headers: { authorization: `Basic ${Buffer.from('driver-app-client:driver-app-secret').toString('base64')}` }, form: { grant_type: 'client_credentials', scope: 'session:role:ANALYST' } });
    await c.send({ path: '/session/v1/login-request', json: { data: { AUTHENTICATOR: 'OAUTH', TOKEN: token.json.access_token } } });
    const result = await verifyRecording(recordingOf(c.raws));
    expect(diffs(result)).toEqual([]);
    expect(all(result)[1]!.sent).toMatch(/TOKEN=__redacted_\w+_1__⇒issued/);
  });

  it('SQL API bearer tokens: a key-pair JWT re-signed, a PAT and an OAuth token from the world, a refused one', async () => {
    const c = capture();
    const statement = (token: string, type: string): Parameters<typeof c.send>[0] => ({ path: '/api/v2/statements', headers: { authorization: `Bearer ${token}`, 'x-snowflake-authorization-token-type': type, accept: 'application/json' }, json: { statement: 'SELECT 1' } });
    const jwt = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'alice', now: c.mock.clock.now() });
    await c.send(statement(jwt, 'KEYPAIR_JWT'));
    await c.send(statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN'));
    await c.send(statement('oauth-alice-token', 'OAUTH'));
    const refused = await c.send(statement('not-a-pat-anyone-has', 'PROGRAMMATIC_ACCESS_TOKEN'));
    expect(c.raws.map((r) => r.response.status)).toEqual([200, 200, 200, 401]);
    expect(refused.json.code).toBeDefined();
    const result = await verifyRecording(recordingOf(c.raws));
    expect(diffs(result)).toEqual([]);
    expect(all(result).map((e) => e.sent.replace(/^.* Authorization Bearer /, ''))).toEqual([
      expect.stringMatching(/^eyJ\S*⇒world$/), '__redacted_pat_1__⇒world', expect.stringMatching(/^__redacted_\w+_1__⇒world$/), '__redacted_pat_2__⇒refused',
    ]);
  });

  it('a credential the recorded answer refused is sent as a value the world does not hold', async () => {
    const c = capture();
    await c.send(aliceLogin('not-her-password'));
    const result = await verifyRecording(recordingOf(c.raws));
    expect(diffs(result)).toEqual([]);
    expect(all(result)[0]!.adaptations).toEqual(['refused-credential']);
    expect(all(result)[0]!.sent).toContain('⇒refused');
  });

  it('a recorded 390112 (session expired) moves the model\'s clock past the session\'s validity first', async () => {
    const c = capture();
    const login = await c.send(aliceLogin());
    c.mock.clock.advance('2h');
    const expired = await c.send(selectOne(login.json));
    expect(expired.json.code).toBe('390112');
    const result = await verifyRecording(recordingOf(c.raws));
    expect(diffs(result)).toEqual([]);
    expect(all(result)[1]!.setup.join()).toMatch(/clock advanced 61m/);
  });
});

describe('flows', () => {
  const withOrigin = (raw: Omit<Exchange, 'id'>, origin: string, durationMs = 0): Omit<Exchange, 'id'> => ({ ...raw, origin, durationMs });

  it('each origin file runs against a fresh model; a session it lacks comes from a login of verify\'s', async () => {
    const c = capture();
    const login = await c.send(aliceLogin());
    const query = await c.send(selectOne(login.json));
    const result = await verifyRecording(recordingOf([withOrigin(login.raw, 'a.json#1'), withOrigin(query.raw, 'b.json#1')]));
    expect(result.flows.map((f) => f.name)).toEqual(['a.json', 'b.json']);
    expect(result.flows[1]!.exchanges[0]!.setup).toEqual([expect.stringMatching(/^password login of ALICE/)]);
    expect(diffs(result)).toEqual([]);
  });

  it('a WireMock mapping\'s delay is a difference (the model answers at once); a captured latency is not', async () => {
    const c = capture();
    const login = await c.send(aliceLogin());
    const imported = await verifyRecording(recordingOf([withOrigin(login.raw, 'a.json#1', 2000)], 'wm', 'wiremock:mappings'));
    expect(diffs(imported)).toEqual(['0001 delay: 2000 ms → none']);
    const har = await verifyRecording(recordingOf([withOrigin(login.raw, 'session.har#/log/entries/0', 2000)]));
    expect(diffs(har)).toEqual([]);
    const proxied = await verifyRecording(recordingOf([{ ...login.raw, durationMs: 2000 }]));
    expect(diffs(proxied)).toEqual([]);
  });

  it('an adaptation of the explained file applies to the exchanges it names and is reported', async () => {
    const c = capture();
    await c.send(aliceLogin());
    const result = await verifyRecording(recordingOf([withOrigin(c.raws[0]!, 'x/login.json#1')]), {
      adaptations: [{ id: 'other-account', text: 'Sent to an account the world lacks.', exchanges: ['x/login.json'], host: 'nowhere.snowflakecomputing.com' }],
    });
    expect(result.flows[0]!.host).toBe('nowhere.snowflakecomputing.com');
    expect(all(result)[0]!.adaptations).toContain('other-account');
    expect(result.adaptations['other-account']).toBe('Sent to an account the world lacks.');
    expect(diffs(result)).toContain('0001 success: true → false ("390144")');
  });
});

describe('explained, unexplained and stale differences', () => {
  /** A login and a query whose recorded answer has a key the model does not send. */
  async function tampered(): Promise<ReturnType<typeof recordingOf>> {
    const c = capture();
    const login = await c.send(aliceLogin());
    const query = await c.send(selectOne(login.json));
    const body = query.raw.response.body as { json: { data: Record<string, unknown> } };
    body.json.data.recordedOnly = 1;
    return recordingOf(c.raws);
  }
  const DIFF = 'data keys missing: recordedOnly';

  it('an unlisted difference fails', async () => {
    const result = await verifyRecording(await tampered());
    expect(all(result)[1]!.differences).toEqual([{ diff: DIFF, status: 'unexplained' }]);
    expect(result).toMatchObject({ passed: false, counts: { differences: 1, explained: 0, unexplained: 1, stale: 0 } });
  });

  it('a listed difference passes, named by file name or id', async () => {
    const rec = await tampered();
    for (const exchange of ['0002-post-queries-v1-query-request.json', '0002']) {
      const result = await verifyRecording(rec, { explained: [{ exchange, diff: DIFF, reason: 'test-only' }], reasons: { 'test-only': 'The recording was edited.' } });
      expect(all(result)[1]!.differences).toEqual([{ diff: DIFF, status: 'explained', reason: 'test-only' }]);
      expect(result.passed).toBe(true);
    }
  });

  it('a listed difference of another exchange does not explain it', async () => {
    const result = await verifyRecording(await tampered(), { explained: [{ exchange: '0001', diff: DIFF, reason: 'r' }] });
    expect(result.passed).toBe(false);
    expect(result.stale).toEqual([{ exchange: '0001', diff: DIFF, reason: 'r' }]);
  });

  it('an exact name wins over one that only fits a redacted origin', async () => {
    const rec = await tampered();
    const redacted = { ...rec, exchanges: rec.exchanges.map((e) => ({ ...e, origin: `pat/__redacted_secret_1__.json#${Number(e.id)}` })) };
    const result = await verifyRecording(redacted, { explained: [{ exchange: 'pat/other.json#2', diff: DIFF, reason: 'loose' }, { exchange: 'pat/__redacted_secret_1__.json#2', diff: DIFF, reason: 'exact' }] });
    expect(all(result)[1]!.differences).toEqual([{ diff: DIFF, status: 'explained', reason: 'exact' }]);
    expect(result.stale.map((s) => s.reason)).toEqual(['loose']);
  });

  it('a listed difference that no longer happens is stale and fails', async () => {
    const stale = { exchange: '0001', diff: 'code: "390100" → null', reason: 'r' };
    const result = await verifyRecording(await tampered(), { explained: [{ exchange: '0002', diff: DIFF, reason: 'r' }, stale] });
    expect(result.stale).toEqual([stale]);
    expect(result).toMatchObject({ passed: false, counts: { explained: 1, unexplained: 0, stale: 1 } });
  });
});

describe('naming an exchange', () => {
  const ex = { id: '0003', file: 'exchanges/0003-post-session-v1-login-request.json', origin: 'auth/pat/__redacted_secret_5__.json#1' };
  it('by id, file name, origin or (whole) origin file; an origin the writer redacted is matched loosely, and reported so', () => {
    expect(nameMatch('0003', ex)).toBe('exact');
    expect(nameMatch('0003-post-session-v1-login-request.json', ex)).toBe('exact');
    expect(nameMatch('auth/pat/__redacted_secret_5__.json#1', ex)).toBe('exact');
    expect(nameMatch('auth/pat/invalid_token.json#1', ex)).toBe('redacted');
    expect(nameMatch('auth/pat/invalid_token.json', ex, true)).toBe('redacted');
    expect(nameMatch('auth/pat/invalid_token.json', ex)).toBeUndefined();
    expect(nameMatch('auth/pat/invalid_token.json#2', ex)).toBeUndefined();
    expect(nameMatch('auth/other/invalid_token.json#1', ex)).toBeUndefined();
  });
});
