/**
 * The driver session surface over real fetch (msw): `POST /session/v1/login-request`, the session
 * token on `/queries/v1/query-request`, renewal through `/session/token-request`, close,
 * heartbeat and telemetry (what snowflake-sdk calls: test/driver/driver-cases.ts, decisions/0006), each refusal as Snowflake's GS envelope — HTTP 200,
 * `success:false`, the code a string — and explained in the journal.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import { useMock } from '../helpers/msw.ts';
import { ACCOUNT_HOST } from '../helpers/http-world.ts';

const OTHER_HOST = 'https://otherorg-other.snowflakecomputing.com';

function world(): WorldConfig {
  const config = defaultWorldConfig();
  config.accounts!.push({
    name: 'OTHERORG-OTHER',
    locator: 'ZZ99999',
    network_policy: 'OPEN',
    network_policies: [{ name: 'OPEN', allowed_ip_list: ['0.0.0.0/0'] }],
    users: [{ name: 'ALICE', login_name: 'alice', password: 'other-password', default_role: 'PUBLIC' }],
  });
  return config;
}

const mock = useMock({ world: world(), clockStart: '2026-03-01T12:00:00Z' });

interface Reply {
  status: number;
  contentType: string | null;
  body: any;
}

async function post(path: string, o: { body?: unknown; token?: string; authorization?: string; ip?: string; query?: string; host?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (o.token !== undefined) headers.authorization = `Snowflake Token="${o.token}"`;
  if (o.authorization !== undefined) headers.authorization = o.authorization;
  if (o.ip !== undefined) headers['x-forwarded-for'] = o.ip;
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const res = await fetch(`${o.host ?? ACCOUNT_HOST}${path}${o.query ? `?${o.query}` : ''}`, { method: 'POST', headers, ...(body !== undefined && { body }) });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: text === '' ? undefined : JSON.parse(text) };
}

const login = (data: Record<string, unknown>, o: { query?: string; ip?: string; host?: string } = {}) => post('/session/v1/login-request', { body: { data: { CLIENT_APP_ID: 'JavaScript', ...data } }, ...o });
const aliceLogin = (query?: string) => login({ LOGIN_NAME: 'alice', PASSWORD: 'alice-password' }, query === undefined ? {} : { query });
const query = (token: string, sqlText = 'SELECT CURRENT_USER()') => post('/queries/v1/query-request', { token, body: { sqlText, disableOfflineChunks: false, queryContextDTO: { entries: [] } }, query: 'requestId=r1&request_guid=g1' });
const renew = (master: string, oldSessionToken: string) => post('/session/token-request', { token: master, body: { requestType: 'RENEW', oldSessionToken } });

async function session(query?: string): Promise<{ token: string; masterToken: string; sessionId: number }> {
  const reply = await aliceLogin(query);
  expect(reply.body.success, JSON.stringify(reply.body)).toBe(true);
  return reply.body.data;
}

/** The GS failure envelope of the drivers' fixtures (recordings/driver-fixtures/), with the code as a string. */
function expectFailure(reply: Reply, code: string, message?: string | RegExp): void {
  expect(reply.status).toBe(200);
  expect(reply.contentType).toMatch(/^application\/json/);
  expect(Object.keys(reply.body).sort()).toEqual(['code', 'data', 'headers', 'message', 'success']);
  expect(reply.body).toMatchObject({ code, success: false, headers: null });
  expect(typeof reply.body.code).toBe('string');
  if (typeof message === 'string') expect(reply.body.message).toBe(message);
  else if (message) expect(reply.body.message).toMatch(message);
}

const last = () => mock.journal.last()!;

describe('login-request (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js)', () => {
  it('answers a password login with the full success shape of the drivers\' login fixtures', async () => {
    const reply = await aliceLogin('requestId=r&request_guid=g&warehouse=COMPUTE_WH&databaseName=analytics&schemaName=public&roleName=sysadmin');
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^application\/json/);
    expect(Object.keys(reply.body).sort()).toEqual(['code', 'data', 'message', 'success']);
    expect(reply.body).toMatchObject({ code: null, message: null, success: true });
    const d = reply.body.data;
    expect(Object.keys(d).sort()).toEqual(
      [
        'token', 'masterToken', 'validityInSeconds', 'masterValidityInSeconds', 'sessionId', 'displayUserName', 'serverVersion', 'firstLogin',
        'remMeToken', 'remMeValidityInSeconds', 'healthCheckInterval', 'newClientForUpgrade', 'parameters', 'sessionInfo', 'idToken',
        'idTokenValidityInSeconds', 'mfaToken', 'mfaTokenValidityInSeconds', 'responseData',
      ].sort(),
    );
    expect(d).toMatchObject({
      token: expect.any(String),
      masterToken: expect.any(String),
      validityInSeconds: 3600,
      masterValidityInSeconds: 14_400,
      sessionId: expect.any(Number),
      displayUserName: 'ALICE',
      serverVersion: expect.any(String),
      firstLogin: false,
      remMeToken: null,
      remMeValidityInSeconds: 0,
      healthCheckInterval: 45,
      newClientForUpgrade: null,
      sessionInfo: { databaseName: 'ANALYTICS', schemaName: 'PUBLIC', warehouseName: 'COMPUTE_WH', roleName: 'SYSADMIN' },
      idToken: null,
      idTokenValidityInSeconds: 0,
      mfaToken: null,
      mfaTokenValidityInSeconds: 0,
      responseData: null,
    });
    expect(d.token).not.toBe(d.masterToken);
    expect(Number.isInteger(d.sessionId)).toBe(true);
    expect(d.parameters.length).toBeGreaterThan(0);
    for (const p of d.parameters) expect(Object.keys(p).sort()).toEqual(['name', 'value']);
    expect(last()).toMatchObject({ decision: 'allowed', authMethod: 'PASSWORD', user: 'ALICE', role: 'SYSADMIN', status: 200 });
    expect(last().explanation).toContain(`session ${d.sessionId} opened`);
  });

  it('answers failures with HTTP 200, success:false and the code as a string', async () => {
    const wrong = await login({ LOGIN_NAME: 'alice', PASSWORD: 'nope' });
    expectFailure(wrong, '390100', 'Incorrect username or password was specified.');
    expect(wrong.body.data).toBeNull();
    expect(last()).toMatchObject({ decision: 'rejected', code: '390100', cause: 'PASSWORD_WRONG', user: 'ALICE', status: 200 });
    expect(last().explanation).toContain('wrong password for ALICE');

    const unknown = await login({ LOGIN_NAME: 'mallory', PASSWORD: 'nope' });
    expectFailure(unknown, '390100', 'Incorrect username or password was specified.');
    expect(unknown.body).toEqual({ ...wrong.body });
    expect(last()).toMatchObject({ cause: 'USER_UNKNOWN' });
    expect(last().user).toBeUndefined();
  });

  it('a PAT refusal carries the RETRY_LOGIN data of the driver fixtures', async () => {
    const reply = await login({ AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: 'bob', TOKEN: 'pat-alice-ci' });
    expectFailure(reply, '394400', 'Programmatic access token is invalid.');
    expect(reply.body.data).toEqual({ nextAction: 'RETRY_LOGIN', authnMethod: 'PAT', signInOptions: {} });
    expect(last()).toMatchObject({ cause: 'PAT_USER_NOT_ASSOCIATED', user: 'ALICE' });
    expect(last().explanation).toContain('LOGIN_NAME "bob" is not the user of the PAT, ALICE');
  });

  it('MFA required is 394508 with the loginName in data; the passcode then logs in and can return an MFA token', async () => {
    const required = await login({ AUTHENTICATOR: 'USERNAME_PASSWORD_MFA', LOGIN_NAME: 'carol', PASSWORD: 'carol-password' });
    expectFailure(required, '394508', /MFA with TOTP is required/);
    expect(required.body.data).toEqual({ authnMethod: 'USERNAME_PASSWORD', loginName: 'carol', nextAction: 'RETRY_LOGIN', signInOptions: {} });
    expect(last().explanation).toContain('user CAROL is enrolled in MFA');

    const wrong = await login({ AUTHENTICATOR: 'USERNAME_PASSWORD_MFA', LOGIN_NAME: 'carol', PASSWORD: 'carol-password', EXT_AUTHN_DUO_METHOD: 'passcode', PASSCODE: '000000' });
    expectFailure(wrong, '394508', 'Failed to authenticate: TOTP Invalid.');

    const ok = await login({
      AUTHENTICATOR: 'USERNAME_PASSWORD_MFA', LOGIN_NAME: 'carol', PASSWORD: 'carol-password', EXT_AUTHN_DUO_METHOD: 'passcode', PASSCODE: '123456',
      SESSION_PARAMETERS: { CLIENT_REQUEST_MFA_TOKEN: true },
    });
    expect(ok.body.data).toMatchObject({ mfaToken: expect.stringMatching(/^mfa-/), mfaTokenValidityInSeconds: 14_400 });
    expect(last()).toMatchObject({ authMethod: 'MFA', user: 'CAROL' });
    expect(last().explanation).toContain('MFA token issued');

    const cached = await login({ AUTHENTICATOR: 'USERNAME_PASSWORD_MFA', LOGIN_NAME: 'carol', PASSWORD: 'carol-password', TOKEN: ok.body.data.mfaToken });
    expect(cached.body.success).toBe(true);
    expect(cached.body.data.mfaToken).toBeNull();
  });

  it("refuses BOB from outside CORP_ONLY with 390422 naming the IP; X-Forwarded-For from inside is let in", async () => {
    const refused = await login({ LOGIN_NAME: 'bob', PASSWORD: 'bob-password' }, { ip: '192.168.1.5' });
    expectFailure(refused, '390422', /^Incoming request with IP\/Token 192\.168\.1\.5 is not allowed to access Snowflake\./);
    expect(last()).toMatchObject({ decision: 'rejected', code: '390422', cause: 'NETWORK_POLICY_BLOCKED', user: 'BOB', clientIp: '192.168.1.5' });
    expect(last().explanation).toMatch(/192\.168\.1\.5.*CORP_ONLY.*user BOB's policy/);

    const ok = await login({ LOGIN_NAME: 'bob', PASSWORD: 'bob-password' }, { ip: '10.1.2.3' });
    expect(ok.body.success).toBe(true);
  });

  it('refuses a role that is not granted with 390189 naming the role, and explains it', async () => {
    const reply = await aliceLogin('roleName=ACCOUNTADMIN');
    expectFailure(reply, '390189', /^Role 'ACCOUNTADMIN' specified in the connect string does not exist or not authorized\./);
    expect(last().explanation).toContain('role ACCOUNTADMIN is not granted to ALICE');
  });

  it('a lock-out explains whom and until when', async () => {
    for (let i = 0; i < 5; i++) await login({ LOGIN_NAME: 'alice', PASSWORD: 'nope' });
    expect(last().explanation).toContain('5 failed password attempts: user locked until 2026-03-01T12:15:00.000Z');
    expectFailure(await aliceLogin(), '390102', /^User temporarily locked\./);
    expect(last().explanation).toBe('rejected: user ALICE is temporarily locked until 2026-03-01T12:15:00.000Z');
    mock.clock.advance('15m');
    expect((await aliceLogin()).body.success).toBe(true);
  });

  it('a disabled user is 390101', async () => {
    mock.world.disableUser('ALICE');
    expectFailure(await aliceLogin(), '390101', /^User access disabled\./);
  });

  it('an expired OAuth token is 390318 at login; a LOGIN_NAME that is not the token user 390309', async () => {
    expect((await login({ AUTHENTICATOR: 'OAUTH', TOKEN: 'oauth-alice-token' })).body.success).toBe(true);
    expectFailure(await login({ AUTHENTICATOR: 'OAUTH', TOKEN: 'oauth-alice-token', LOGIN_NAME: 'bob' }), '390309');
    mock.clock.advance('601s');
    const expired = await login({ AUTHENTICATOR: 'OAUTH', TOKEN: 'oauth-alice-token' });
    expectFailure(expired, '390318', /^OAuth access token expired\./);
    expect(expired.body.data).toEqual({ nextAction: 'RETRY_LOGIN', authnMethod: 'OAUTH', signInOptions: {} });
  });

  it.each([
    ['a body that is not JSON', 'LOGIN_NAME=alice'],
    ['JSON without data', '{"LOGIN_NAME":"alice"}'],
    ['a number LOGIN_NAME', '{"data":{"LOGIN_NAME":7,"PASSWORD":"x"}}'],
  ])('refuses %s with 390400', async (_what, body) => {
    expectFailure(await post('/session/v1/login-request', { body }), '390400', 'Bad request. Please check the request and try again.');
    expect(last()).toMatchObject({ cause: 'LOGIN_BODY_INVALID' });
  });

  it('refuses an authenticator the mock does not implement with 390400', async () => {
    expectFailure(await login({ AUTHENTICATOR: 'EXTERNALBROWSER', LOGIN_NAME: 'alice' }), '390400');
    expect(last()).toMatchObject({ cause: 'AUTHENTICATOR_UNSUPPORTED' });
  });

  it('logs in to the account of the host, not ACCOUNT_NAME', async () => {
    expect((await login({ ACCOUNT_NAME: 'OTHERORG-OTHER', LOGIN_NAME: 'alice', PASSWORD: 'alice-password' })).body.success).toBe(true);
    expectFailure(await login({ LOGIN_NAME: 'alice', PASSWORD: 'alice-password' }, { host: OTHER_HOST }), '390100');
    expect((await login({ LOGIN_NAME: 'alice', PASSWORD: 'other-password' }, { host: OTHER_HOST })).body.success).toBe(true);
  });
});

describe('queries in a session (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/statement.js)', () => {
  it('runs SELECT CURRENT_USER() with the session token and answers rowtype + rowset', async () => {
    const s = await session();
    const reply = await query(s.token);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ success: true, code: null, message: null });
    expect(reply.body.data.rowtype).toEqual([expect.objectContaining({ name: 'CURRENT_USER()', type: 'text', nullable: expect.any(Boolean) })]);
    expect(reply.body.data.rowset).toEqual([['ALICE']]);
    expect(reply.body.data).toMatchObject({ total: 1, returned: 1, finalRoleName: 'ANALYST', queryId: expect.any(String), statementTypeId: 4096 });
    expect(last()).toMatchObject({ decision: 'allowed', authMethod: 'PASSWORD', user: 'ALICE', role: 'ANALYST' });
  });

  it('the session runs in the role and namespace of the login', async () => {
    const s = await session('roleName=SYSADMIN&warehouse=compute_wh');
    const reply = await query(s.token, 'SELECT CURRENT_ROLE()');
    expect(reply.body.data.rowset).toEqual([['SYSADMIN']]);
    expect(reply.body.data).toMatchObject({ finalRoleName: 'SYSADMIN', finalWarehouseName: 'COMPUTE_WH' });
  });

  it.each([
    ['a garbage token', { authorization: 'Snowflake Token="garbage"' }, 'SESSION_TOKEN_UNKNOWN'],
    ['no Authorization header', {}, 'SESSION_TOKEN_MISSING'],
    ['a Bearer token', { authorization: 'Bearer pat-alice-ci' }, 'SESSION_TOKEN_MISSING'],
    ['a PAT as the session token', { authorization: 'Snowflake Token="pat-alice-ci"' }, 'SESSION_TOKEN_UNKNOWN'],
  ])('refuses %s with 390104', async (_what, o, cause) => {
    const reply = await post('/queries/v1/query-request', { ...o, body: { sqlText: 'SELECT 1' } });
    expectFailure(reply, '390104', 'Session token is invalid. Please login again.');
    expect(last()).toMatchObject({ decision: 'rejected', code: '390104', cause });
  });

  it('refuses the session token on another account with 390104', async () => {
    const s = await session();
    expectFailure(await post('/queries/v1/query-request', { token: s.token, host: OTHER_HOST, body: { sqlText: 'SELECT 1' } }), '390104');
    expect(last().explanation).toContain('presented to OTHERORG-OTHER');
  });

  it('a statement the mock cannot run is a GS query failure (HTTP 200, success:false)', async () => {
    const s = await session();
    const reply = await query(s.token, 'DROP TABLE T');
    expect(reply.status).toBe(200);
    expect(reply.body.success).toBe(false);
    expect(typeof reply.body.code).toBe('string');
    expect(last()).toMatchObject({ decision: 'rejected', user: 'ALICE' });
  });

  it('a body without sqlText is 390400', async () => {
    const s = await session();
    expectFailure(await post('/queries/v1/query-request', { token: s.token, body: { sql: 'SELECT 1' } }), '390400');
  });
});

describe('session lifetime (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts)', () => {
  it('the session token expires after 1 h (390112) and the master token renews it; the old token is then invalid', async () => {
    const s = await session();
    mock.clock.advance('61m');
    const expired = await query(s.token);
    expectFailure(expired, '390112', 'Your session has expired. Please login again.');
    expect(last()).toMatchObject({ code: '390112', user: 'ALICE' });
    expect(last().explanation).toMatch(new RegExp(`session token of session ${s.sessionId} expired at 2026-03-01T13:00:00\\.000Z`));

    const renewed = await renew(s.masterToken, s.token);
    expect(renewed.status).toBe(200);
    expect(renewed.body).toEqual({
      data: { sessionToken: expect.any(String), validityInSecondsST: 3600, masterToken: s.masterToken, validityInSecondsMT: 4 * 3600 - 61 * 60, sessionId: s.sessionId },
      code: null,
      message: null,
      success: true,
    });
    expect(last()).toMatchObject({ decision: 'allowed', path: '/session/token-request', user: 'ALICE' });
    expect(last().explanation).toMatch(new RegExp(`session ${s.sessionId} of ALICE renewed \\(renewal 1\\)`));

    const again = await query(renewed.body.data.sessionToken);
    expect(again.body.data.rowset).toEqual([['ALICE']]);
    expectFailure(await query(s.token), '390104');
    expect(last()).toMatchObject({ cause: 'SESSION_TOKEN_REPLACED' });
  });

  it('the master token expires after 4 h: renewal is 390114', async () => {
    const s = await session();
    mock.clock.advance('4h');
    const reply = await renew(s.masterToken, s.token);
    expectFailure(reply, '390114');
    expect(last().explanation).toBe(`rejected: master token of session ${s.sessionId} expired at 2026-03-01T16:00:00.000Z; the client must log in again`);
  });

  it('the account parameters set both validities', async () => {
    mock.world.model.accounts[0]!.parameters.sessionTokenValidity = 60;
    mock.world.model.accounts[0]!.parameters.masterTokenValidity = 120;
    const s = await aliceLogin();
    expect(s.body.data).toMatchObject({ validityInSeconds: 60, masterValidityInSeconds: 120 });
    mock.clock.advance('61s');
    expectFailure(await query(s.body.data.token), '390112');
    mock.clock.advance('60s');
    expectFailure(await renew(s.body.data.masterToken, s.body.data.token), '390114');
  });

  it('renewal refusals: 390115 without a master token, 390113 for an unknown one or a session token, 390400 for a bad body, 390104 for a foreign oldSessionToken', async () => {
    const s = await session();
    const other = await session();
    expectFailure(await post('/session/token-request', { body: { requestType: 'RENEW', oldSessionToken: s.token } }), '390115');
    expectFailure(await renew('no-such-master', s.token), '390113');
    expectFailure(await renew(s.token, s.token), '390113');
    expectFailure(await post('/session/token-request', { token: s.masterToken, body: '{' }), '390400');
    expectFailure(await post('/session/token-request', { token: s.masterToken, body: { requestType: 'ISSUE', oldSessionToken: s.token } }), '390400');
    expectFailure(await renew(s.masterToken, other.token), '390104');
    expect(last().explanation).toContain(`oldSessionToken is not a session token of session ${s.sessionId}`);
  });

  it('closing the session (POST /session?delete=true) answers success; the token then gets 390111, and so does renewal', async () => {
    const s = await session();
    const closed = await post('/session', { token: s.token, query: 'delete=true&requestId=r' });
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ data: null, code: null, message: null, success: true });
    expect(last().explanation).toBe(`allowed: session ${s.sessionId} of ALICE closed`);
    expectFailure(await query(s.token), '390111', 'Session no longer exists. New login required to access the service.');
    expect(last()).toMatchObject({ cause: 'SESSION_CLOSED' });
    expect(last().explanation).toContain(`session ${s.sessionId} was closed at`);
    expectFailure(await post('/session/heartbeat', { token: s.token }), '390111');
    expectFailure(await renew(s.masterToken, s.token), '390111');
    // A second destroy: the sdk counts 390111 as disconnected.
    expectFailure(await post('/session', { token: s.token, query: 'delete=true' }), '390111');
  });

  it('POST /session without delete=true is 390400', async () => {
    const s = await session();
    expectFailure(await post('/session', { token: s.token }), '390400');
  });

  it("a disabled user's sessions are gone (390111)", async () => {
    const s = await session();
    mock.world.disableUser('ALICE');
    expectFailure(await query(s.token), '390111');
    expect(last().explanation).toContain('user ALICE of session');
  });

  it('heartbeat and telemetry answer within the session and are refused without it', async () => {
    const s = await session();
    expect((await post('/session/heartbeat', { token: s.token })).body).toEqual({ data: null, code: null, message: null, success: true });
    expect(last().explanation).toBe(`allowed: heartbeat of session ${s.sessionId}`);
    const logs = { logs: [{ timestamp: 1, message: { type: 'client_connection_identifier_shape' } }] };
    expect((await post('/telemetry/send', { token: s.token, body: logs, query: 'request_guid=g' })).body).toEqual({ data: 'Log Received', code: null, message: null, success: true });
    expectFailure(await post('/session/heartbeat', {}), '390104');
    expectFailure(await post('/telemetry/send', { authorization: 'Bearer x', body: logs }), '390104');
    mock.clock.advance('2h');
    expectFailure(await post('/session/heartbeat', { token: s.token }), '390112');
  });

  it('other methods are 405', async () => {
    const res = await fetch(`${ACCOUNT_HOST}/session/v1/login-request`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('gzip request bodies (Content-Encoding: gzip, as the Python connector sends them)', () => {
  const gzipPost = (path: string, token: string | undefined, bytes: Uint8Array) =>
    fetch(`${ACCOUNT_HOST}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...(token && { authorization: `Snowflake Token="${token}"` }) },
      body: bytes as unknown as BodyInit,
    }).then((r) => r.json() as Promise<any>);

  it('a gzipped login and query are read as their JSON', async () => {
    const login = await gzipPost('/session/v1/login-request', undefined, gzipSync(JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } })));
    expect(login.success).toBe(true);
    const reply = await gzipPost('/queries/v1/query-request', login.data.token, gzipSync(JSON.stringify({ sqlText: 'SELECT CURRENT_USER()' })));
    expect(reply.data.rowset).toEqual([['ALICE']]);
  });

  it('a gzip stream that inflates past 4 MiB, or is corrupt, is refused as unreadable, not inflated', async () => {
    const { token } = await session();
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20));
    expect((await gzipPost('/queries/v1/query-request', token, bomb)).code).toBe('390400');
    const corrupt = Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4]);
    expect((await gzipPost('/queries/v1/query-request', token, corrupt)).code).toBe('390400');
  });
});

describe('the journal masks string literals of statements (they may hold secrets)', () => {
  it('SYSTEM$DECODE_PAT of a secret runs, but the journal shows no secret', async () => {
    const { token } = await session();
    const reply = await query(token, "SELECT SYSTEM$DECODE_PAT('pat-alice-ci')");
    expect(JSON.parse(reply.body.data.rowset[0][0])).toMatchObject({ STATE: 'ACTIVE', PAT_NAME: 'CI', USER_NAME: 'ALICE' });
    const entry = mock.journal.last()!;
    expect(entry.explanation).toContain("SYSTEM$DECODE_PAT('***')");
    expect(entry.explanation).not.toContain('pat-alice-ci');
  });

  it('a Content-Encoding: gzip header on a plain body reads the body as it is', async () => {
    const res = await fetch(`${ACCOUNT_HOST}/session/v1/login-request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } }),
    });
    expect(((await res.json()) as { success: boolean }).success).toBe(true);
  });
});
