/**
 * SQL API shapes and bad input (https://docs.snowflake.com/en/developer-guide/sql-api/reference) over real fetch: payload errors, media types,
 * methods, statement handles, async, cancel, roles, and the statements the mock answers.
 */
import { describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';
import { call, scalar, useMock } from '../helpers/msw.ts';

const mock = useMock({ world: exampleWorld(), clientIp: '10.0.0.5' });
const pat = { token: 'pat-alice-ci' };
const jwtFree = { token: 'oauth-bot-token', ip: '192.168.0.1' }; // ETL_BOT via OAuth (integration policy)

describe('POST /api/v2/statements payload (https://docs.snowflake.com/en/developer-guide/sql-api/reference)', () => {
  it.each([
    ['malformed JSON', '{"statement": '],
    ['an empty body', ''],
    ['a JSON array', '[1,2]'],
    ['a missing statement', '{"timeout": 10}'],
    ['a non-string statement', '{"statement": 42}'],
    ['a negative timeout', '{"statement": "SELECT 1", "timeout": -1}'],
    ['a non-string role', '{"statement": "SELECT 1", "role": 7}'],
    ['non-object bindings', '{"statement": "SELECT 1", "bindings": "x"}'],
  ])('%s → 400 390142', async (_name, body) => {
    const answer = await call(undefined, { ...pat, body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: '390142', message: 'Incoming request does not contain a valid payload.' });
    expect(mock.journal.last()?.explanation).toMatch(/invalid payload/);
  });

  it('a body over 4 MiB → 400 390142, not a crash', async () => {
    const answer = await call(undefined, { ...pat, body: JSON.stringify({ statement: 'SELECT 1', pad: 'x'.repeat(5 * 1024 * 1024) }) });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('390142');
  });

  it('a non-JSON Content-Type → 415', async () => {
    const answer = await call('SELECT 1', { ...pat, headers: { 'content-type': 'text/plain' } });
    expect(answer.status).toBe(415);
  });

  it('an Accept without application/json → 422', async () => {
    const answer = await call('SELECT 1', { ...pat, headers: { accept: 'text/csv' } });
    expect(answer.status).toBe(422);
  });

  it('authentication comes first: a bad token with a bad body is 401', async () => {
    const answer = await call(undefined, { token: 'nope', body: '{' });
    expect(answer.status).toBe(401);
  });
});

describe('methods and paths', () => {
  it('GET on /api/v2/statements → 405 with an empty body', async () => {
    const answer = await call(undefined, { ...pat, method: 'GET' });
    expect(answer.status).toBe(405);
    expect(answer.text).toBe('');
    expect(answer.headers.get('allow')).toBe('POST');
  });

  it('an unknown path on an account host → 404 (answered, not passed through)', async () => {
    const answer = await call(undefined, { ...pat, method: 'GET', path: '/api/v2/nothing-here' });
    expect(answer.status).toBe(404);
  });

  it('an unknown account host → 403 390144 "Invalid account name or host."', async () => {
    const answer = await call('SELECT 1', { ...pat, host: 'https://nosuch-account.snowflakecomputing.com' });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ code: '390144', message: 'Invalid account name or host.' });
  });
});

describe('statements the mock answers', () => {
  it('SELECT 1 has the ResultSet shape of the reference', async () => {
    const answer = await call('SELECT 1', pat);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      resultSetMetaData: { numRows: 1, format: 'jsonv2', rowType: [{ name: '1', type: 'fixed', scale: 0, nullable: false }], partitionInfo: [{ rowCount: 1 }] },
      data: [['1']],
      code: '090001',
      sqlState: '00000',
      statementHandle: expect.stringMatching(/^[0-9a-f-]{36}$/),
      statementStatusUrl: expect.stringMatching(/^\/api\/v2\/statements\//),
      createdOn: Date.parse('2026-03-01T12:00:00Z'),
    });
  });

  it('CURRENT_ACCOUNT() is the locator; several items in one SELECT', async () => {
    const answer = await call("select current_account(), current_user() as who, 'x''y', null;", pat);
    expect(answer.body.data).toEqual([['XY12345', 'ALICE', "x'y", null]]);
    expect(answer.body.resultSetMetaData.rowType.map((c: { name: string }) => c.name)).toEqual(['CURRENT_ACCOUNT()', 'WHO', "'X''Y'", 'NULL']);
  });

  it('nullable=false sends SQL NULL as the string "null"', async () => {
    const answer = await call('SELECT NULL', { ...pat, path: '/api/v2/statements?nullable=false' });
    expect(answer.body.data).toEqual([['null']]);
  });

  it('a statement nothing answers → 422 QueryFailureStatus with the mock\'s own 999001 "not modelled" (decisions/0016)', async () => {
    const answer = await call('SELECT * FROM orders', pat);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: '999001', sqlState: '0A000', statementHandle: expect.any(String) });
    expect(answer.body.message).toMatch(/^snowflake-auth-mock: this statement is not modelled \("SELECT \* FROM orders"\)\./);
  });

  it('GET /api/v2/statements/{handle} returns the result again; another user cannot read it', async () => {
    const first = await call('SELECT CURRENT_USER()', pat);
    const handle = first.body.statementHandle;
    const again = await call(undefined, { ...pat, method: 'GET', path: `/api/v2/statements/${handle}` });
    expect(again.status).toBe(200);
    expect(scalar(again)).toBe('ALICE');
    const other = await call(undefined, { ...jwtFree, method: 'GET', path: `/api/v2/statements/${handle}` });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('000709');
  });

  it('async=true → 202 QueryStatus 333334, then GET → 200', async () => {
    const started = await call('SELECT 42', { ...pat, path: '/api/v2/statements?async=true' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ code: '333334', statementHandle: expect.any(String), statementStatusUrl: expect.stringContaining(started.body.statementHandle) });
    const done = await call(undefined, { ...pat, method: 'GET', path: started.body.statementStatusUrl });
    expect(done.status).toBe(200);
    expect(scalar(done)).toBe('42');
  });

  it('cancel → 200 000604', async () => {
    const started = await call('SELECT 1', { ...pat, path: '/api/v2/statements?async=true' });
    const cancelled = await call(undefined, { ...pat, path: `/api/v2/statements/${started.body.statementHandle}/cancel`, body: '' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ code: '000604', sqlState: '57014', message: 'SQL execution canceled' });
  });
});

describe('role in the request body', () => {
  it('a role-restricted PAT cannot switch role → 422 390189', async () => {
    const answer = await call(undefined, { ...pat, body: JSON.stringify({ statement: 'SELECT CURRENT_ROLE()', role: 'SYSADMIN' }) });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('390189');
  });

  it('the restricted role itself is fine; role names are case-sensitive (sql-api/reference)', async () => {
    const answer = await call(undefined, { ...pat, body: JSON.stringify({ statement: 'SELECT CURRENT_ROLE()', role: 'ANALYST' }) });
    expect(scalar(answer)).toBe('ANALYST');
    const lower = await call(undefined, { ...pat, body: JSON.stringify({ statement: 'SELECT CURRENT_ROLE()', role: 'analyst' }) });
    expect(lower.status).toBe(422);
    expect(lower.body.code).toBe('390189');
  });

  it('the evaluation cache is per role and account: the same SQL in another role answers that role', async () => {
    const jwt = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: mock.clock.now() });
    expect(scalar(await call('SELECT CURRENT_ROLE()', { token: jwt }))).toBe('ANALYST');
    expect(scalar(await call(undefined, { token: jwt, body: JSON.stringify({ statement: 'SELECT CURRENT_ROLE()', role: 'SYSADMIN' }) }))).toBe('SYSADMIN');
    const other = await call('SELECT CURRENT_ACCOUNT()', { token: 'pat-other-alice', host: 'https://otherorg-other.snowflakecomputing.com' });
    expect(scalar(other)).toBe('ZZ99999');
    expect(scalar(await call('SELECT CURRENT_ACCOUNT()', pat))).toBe('XY12345');
  });
});

describe('REST API (https://docs.snowflake.com/en/developer-guide/snowflake-rest-api/reference/database)', () => {
  it('GET /api/v2/databases lists the databases with a PAT (the documented example)', async () => {
    const answer = await call(undefined, { ...pat, method: 'GET', path: '/api/v2/databases' });
    expect(answer.status).toBe(200);
    expect(answer.body.map((d: { name: string }) => d.name)).toEqual(['SNOWFLAKE', 'SNOWFLAKE_SAMPLE_DATA']);
  });

  it('GET /api/v2/databases without a token → 401 390303', async () => {
    const answer = await call(undefined, { method: 'GET', path: '/api/v2/databases' });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('390303');
  });

  it('GET /api/v2/databases/{name} → 200, or 404 with the REST error shape', async () => {
    expect((await call(undefined, { ...pat, method: 'GET', path: '/api/v2/databases/snowflake' })).body.name).toBe('SNOWFLAKE');
    const missing = await call(undefined, { ...pat, method: 'GET', path: '/api/v2/databases/NOPE' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error_code: '002003', message: expect.stringContaining('NOPE'), request_id: expect.any(String) });
  });

  it('GET /api/v2/warehouses lists warehouses', async () => {
    const answer = await call(undefined, { ...pat, method: 'GET', path: '/api/v2/warehouses' });
    expect(answer.status).toBe(200);
    expect(answer.body[0].name).toBe('COMPUTE_WH');
  });
});
