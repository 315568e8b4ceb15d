/**
 * The context statements of issue #13 (decisions/0015) over real fetch (msw), every response
 * checked against its endpoint contract: the SQL API (one statement per request, no session: a
 * USE has no lasting effect, the request's own role/warehouse/database/schema set the context),
 * the drivers' query-request (the session keeps what USE, CREATE DATABASE/SCHEMA and ALTER SESSION
 * changed, and final*Name report it), and the seed 002 provider setup run over the SQL API from
 * `CREATE DATABASE provider_db; CREATE SCHEMA provider_db.app_schema;`.
 */
import { describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { secretsOf } from '../../domain/native-app/state.ts';
import { ACCOUNT_HOST, exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';
import { call, scalar, useMock, type Answer } from '../helpers/msw.ts';

// ALICE also holds ACCOUNTADMIN here, so one key pair runs the provider's setup; her policy wants 10.0.0.0/8.
const mock = useMock({
  world: exampleWorld((w) => {
    w.accounts[0]!.users![0]!.roles = ['ANALYST', 'SYSADMIN', 'ACCOUNTADMIN'];
  }),
  clientIp: '10.0.0.5',
});

const jwt = async (): Promise<string> => signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: mock.clock.now() });

/** One SQL API statement as ALICE with the request's own context fields. */
async function api(statement: string, fields: { role?: string; warehouse?: string; database?: string; schema?: string } = {}): Promise<Answer> {
  return call(undefined, { token: await jwt(), tokenType: 'KEYPAIR_JWT', body: JSON.stringify({ statement, ...fields }) });
}

const admin = (statement: string, fields: { database?: string; schema?: string } = {}) => api(statement, { role: 'ACCOUNTADMIN', ...fields });

async function ok(answer: Promise<Answer>): Promise<unknown> {
  const a = await answer;
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return scalar(a);
}

async function post(path: string, body: unknown, token?: string): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Snowflake Token="${token}"`;
  const res = await fetch(`${ACCOUNT_HOST}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

/** A driver session of ALICE (password login, optionally with the connect string's namespace). */
async function login(query = ''): Promise<string> {
  const reply = await post(`/session/v1/login-request${query}`, { data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password', CLIENT_APP_ID: 'JavaScript' } });
  expect(reply.success, JSON.stringify(reply)).toBe(true);
  return reply.data.token;
}

const query = (token: string, sqlText: string): Promise<any> => post('/queries/v1/query-request?requestId=r1', { sqlText }, token);

describe('the SQL API: one statement per request, no session', () => {
  it("the request's role, warehouse, database and schema set the statement's context", async () => {
    const a = await api('SELECT CURRENT_ROLE(), CURRENT_WAREHOUSE(), CURRENT_DATABASE(), CURRENT_SCHEMA()', { role: 'SYSADMIN', warehouse: 'COMPUTE_WH', database: 'SNOWFLAKE_SAMPLE_DATA', schema: 'PUBLIC' });
    expect(a.body.data).toEqual([['SYSADMIN', 'COMPUTE_WH', 'SNOWFLAKE_SAMPLE_DATA', 'PUBLIC']]);
  });

  it('USE answers "Statement executed successfully." but the next request starts afresh', async () => {
    const used = await api('USE WAREHOUSE compute_wh');
    expect(used.status).toBe(200);
    expect(used.body.resultSetMetaData.rowType.map((c: { name: string }) => c.name)).toEqual(['status']);
    expect(used.body.data).toEqual([['Statement executed successfully.']]);
    expect(await ok(api('USE ROLE sysadmin'))).toBe('Statement executed successfully.');
    expect((await api('SELECT CURRENT_ROLE(), CURRENT_WAREHOUSE()')).body.data).toEqual([['ANALYST', null]]);
  });

  it('failures are 422 QueryFailureStatus: USE ROLE not granted 002003, USE of a missing database 002043, CREATE DATABASE as ANALYST 003001', async () => {
    const role = await call('USE ROLE orgadmin', { token: 'pat-etl-bot', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' });
    expect(role.status).toBe(422);
    expect(role.body).toMatchObject({ code: '002003', sqlState: '02000', message: "SQL compilation error:\nRole 'ORGADMIN' does not exist or not authorized." });
    const db = await api('USE DATABASE nope_db');
    expect(db.status).toBe(422);
    expect(db.body).toMatchObject({ code: '002043', sqlState: '02000', message: 'SQL compilation error:\nObject does not exist, or operation cannot be performed.' });
    const denied = await api('CREATE DATABASE d');
    expect(denied.status).toBe(422);
    expect(denied.body).toMatchObject({ code: '003001', sqlState: '42501', message: "SQL access control error:\nInsufficient privileges to operate on account 'XY12345'" });
    expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: '003001', user: 'ALICE' });
  });

  it('a PAT with ROLE_RESTRICTION or an OAuth token fixes the role: USE ROLE of another granted role is 002003, of its own role succeeds', async () => {
    // https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token (ROLE_RESTRICTION), https://docs.snowflake.com/en/user-guide/oauth-custom (session:role)
    for (const credential of [{ token: 'pat-alice-ci', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' }, { token: 'oauth-alice-token', tokenType: 'OAUTH' }]) {
      const refused = await call('USE ROLE SYSADMIN', credential);
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body).toMatchObject({ code: '002003', message: "SQL compilation error:\nRole 'SYSADMIN' does not exist or not authorized." });
      expect(mock.journal.last()?.explanation).toContain('fixes the session role to ANALYST');
      expect((await call('USE ROLE ANALYST', credential)).status).toBe(200);
    }
    // A key pair is not locked: the same user may switch.
    expect(await ok(api('USE ROLE SYSADMIN'))).toBe('Statement executed successfully.');
  });

  it('CREATE DATABASE of a 100 000-character name is 001003 (identifiers hold at most 255 characters, https://docs.snowflake.com/en/sql-reference/identifiers-syntax) and nothing is created', async () => {
    const before = mock.core.world.accounts[0]!.databases.length;
    const long = await admin(`CREATE DATABASE "${'x'.repeat(100_000)}"`);
    expect(long.status).toBe(422);
    expect(long.body).toMatchObject({ code: '001003', sqlState: '42000' });
    expect(long.text.length).toBeLessThan(2000);
    expect(mock.core.world.accounts[0]!.databases.length).toBe(before);
  });

  it('CREATE DATABASE persists for the mock\'s lifetime (SHOW DATABASES, the REST API, a later login) and reset() drops it', async () => {
    expect(await ok(api('CREATE DATABASE sandbox', { role: 'SYSADMIN' }))).toBe('Database SANDBOX successfully created.');
    expect(await ok(api('CREATE DATABASE IF NOT EXISTS sandbox', { role: 'SYSADMIN' }))).toBe('SANDBOX already exists, statement succeeded.');
    const again = await api('CREATE DATABASE sandbox', { role: 'SYSADMIN' });
    expect(again.body).toMatchObject({ code: '002002', message: "SQL compilation error:\nObject 'SANDBOX' already exists." });
    const shown = await api('SHOW DATABASES');
    expect(shown.body.resultSetMetaData.rowType.slice(0, 4).map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([['created_on', 'timestamp_ltz'], ['name', 'text'], ['is_default', 'text'], ['is_current', 'text']]);
    expect(shown.body.data.map((r: string[]) => r[1])).toEqual(['SANDBOX', 'SNOWFLAKE', 'SNOWFLAKE_SAMPLE_DATA']);
    const rest = await call(undefined, { method: 'GET', path: '/api/v2/databases', token: await jwt(), tokenType: 'KEYPAIR_JWT' });
    expect(rest.body.map((d: { name: string }) => d.name)).toContain('SANDBOX');
    const reply = await post('/session/v1/login-request?databaseName=sandbox&schemaName=public', { data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password', CLIENT_APP_ID: 'JavaScript' } });
    expect(reply.data.sessionInfo).toMatchObject({ databaseName: 'SANDBOX', schemaName: 'PUBLIC' });
    // A schema the database does not have leaves the session without one, like an unknown database.
    const unknown = await post('/session/v1/login-request?databaseName=sandbox&schemaName=nope', { data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password', CLIENT_APP_ID: 'JavaScript' } });
    expect(unknown.data.sessionInfo).toMatchObject({ databaseName: 'SANDBOX', schemaName: null });
    mock.reset();
    mock.clientIp = '10.0.0.5';
    expect((await api('SHOW DATABASES')).body.data.map((r: string[]) => r[1])).toEqual(['SNOWFLAKE', 'SNOWFLAKE_SAMPLE_DATA']);
  });

  it('SHOW SCHEMAS IN DATABASE and SHOW WAREHOUSES answer their documented columns', async () => {
    const schemas = await api('SHOW SCHEMAS IN DATABASE snowflake_sample_data');
    expect(schemas.body.data.map((r: string[]) => [r[1], r[4]])).toEqual([['INFORMATION_SCHEMA', 'SNOWFLAKE_SAMPLE_DATA'], ['PUBLIC', 'SNOWFLAKE_SAMPLE_DATA']]);
    const missing = await api('SHOW SCHEMAS IN DATABASE nope_db');
    expect(missing.body).toMatchObject({ code: '002043' });
    const warehouses = await api('SHOW WAREHOUSES', { warehouse: 'COMPUTE_WH' });
    const names = warehouses.body.resultSetMetaData.rowType.map((c: { name: string }) => c.name);
    expect(names.slice(0, 11)).toEqual(['name', 'state', 'type', 'size', 'min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued', 'is_default', 'is_current']);
    expect(warehouses.body.data).toHaveLength(1);
    const row = warehouses.body.data[0];
    expect([row[0], row[1], row[3], row[names.indexOf('is_current')], row[names.indexOf('owner')]]).toEqual(['COMPUTE_WH', 'SUSPENDED', 'X-Small', 'Y', 'ACCOUNTADMIN']);
  });
});

describe('the seed 002 provider setup over the SQL API, from CREATE DATABASE provider_db', () => {
  const INTEGRATION = `CREATE SECURITY INTEGRATION oauth_integration
TYPE = API_AUTHENTICATION
AUTH_TYPE = OAUTH2
OAUTH_CLIENT_AUTH_METHOD = CLIENT_SECRET_POST
OAUTH_CLIENT_ID = 'example-app-client'
OAUTH_CLIENT_SECRET = 'example-app-client-secret'
OAUTH_GRANT = 'AUTHORIZATION_CODE'
OAUTH_TOKEN_ENDPOINT = 'https://provider.example.com/oauth2/token'
OAUTH_AUTHORIZATION_ENDPOINT = 'https://provider.example.com/oauth2/authorize'
ENABLED = TRUE`;
  const SECRET = `CREATE SECRET app_schema.oauth_secret
TYPE = oauth2
API_AUTHENTICATION = oauth_integration`;

  it('database, schema, integration, secret (two-part name in the request\'s database), grants; the analyst then starts the flow on it', async () => {
    expect(await ok(admin('CREATE DATABASE provider_db;'))).toBe('Database PROVIDER_DB successfully created.');
    expect(await ok(admin('CREATE SCHEMA provider_db.app_schema;'))).toBe('Schema APP_SCHEMA successfully created.');
    expect(await ok(admin(INTEGRATION))).toBe('Integration OAUTH_INTEGRATION successfully created.');
    // Without a database the two-part name resolves nowhere; the request's (case-sensitive) database places it.
    expect((await admin(SECRET)).body).toMatchObject({ code: '002003' });
    expect(await ok(admin(SECRET, { database: 'PROVIDER_DB' }))).toBe('Secret OAUTH_SECRET successfully created.');
    expect(await ok(admin('GRANT USAGE ON INTEGRATION oauth_integration TO ROLE analyst'))).toBe('Statement executed successfully.');
    expect(await ok(admin('GRANT MODIFY ON SECRET provider_db.app_schema.oauth_secret TO ROLE analyst'))).toBe('Statement executed successfully.');
    expect(mock.world.secret('PROVIDER_DB.APP_SCHEMA.OAUTH_SECRET')).toMatchObject({ apiAuthentication: 'OAUTH_INTEGRATION', owner: 'ACCOUNTADMIN' });
    const schemas = await api('SHOW SCHEMAS IN DATABASE provider_db');
    expect(schemas.body.data.map((r: string[]) => [r[1], r[5]])).toEqual([['APP_SCHEMA', 'ACCOUNTADMIN'], ['INFORMATION_SCHEMA', ''], ['PUBLIC', 'ACCOUNTADMIN']]);
    const url = new URL(String(await ok(api("SELECT SYSTEM$START_OAUTH_FLOW('provider_db.app_schema.oauth_secret')"))));
    expect(url.origin + url.pathname).toBe('https://provider.example.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('example-app-client');
  });

  it('a secret in a schema that was never created is 002003 "Schema \'PROVIDER_DB.NOPE\' does not exist or not authorized."', async () => {
    await ok(admin('CREATE DATABASE provider_db'));
    await ok(admin(INTEGRATION));
    const refused = await admin('CREATE SECRET provider_db.nope.oauth_secret TYPE = oauth2 API_AUTHENTICATION = oauth_integration');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: '002003', message: "SQL compilation error:\nSchema 'PROVIDER_DB.NOPE' does not exist or not authorized." });
    expect(secretsOf(mock.core.world.accounts[0]!).size).toBe(0);
  });
});

describe('query-request: the driver session keeps the context', () => {
  it('USE ROLE / WAREHOUSE, CREATE DATABASE IF NOT EXISTS, USE SCHEMA: each answer\'s final*Name, then CURRENT_*() reflect them', async () => {
    const token = await login();
    const role = await query(token, 'USE ROLE sysadmin');
    expect(role).toMatchObject({ success: true, data: { rowset: [['Statement executed successfully.']], finalRoleName: 'SYSADMIN', finalWarehouseName: null, finalDatabaseName: null } });
    expect((await query(token, 'USE WAREHOUSE compute_wh')).data.finalWarehouseName).toBe('COMPUTE_WH');
    const created = await query(token, 'CREATE DATABASE IF NOT EXISTS sandbox');
    expect(created.data).toMatchObject({ rowset: [['Database SANDBOX successfully created.']], finalDatabaseName: 'SANDBOX', finalSchemaName: 'PUBLIC' });
    expect((await query(token, 'CREATE SCHEMA staging')).data).toMatchObject({ rowset: [['Schema STAGING successfully created.']], finalSchemaName: 'STAGING' });
    expect((await query(token, 'USE SCHEMA sandbox.public')).data.finalSchemaName).toBe('PUBLIC');
    const current = await query(token, 'SELECT CURRENT_ROLE(), CURRENT_WAREHOUSE(), CURRENT_DATABASE(), CURRENT_SCHEMA()');
    expect(current.data.rowset).toEqual([['SYSADMIN', 'COMPUTE_WH', 'SANDBOX', 'PUBLIC']]);
    expect(mock.journal.last()).toMatchObject({ decision: 'allowed', role: 'SYSADMIN' });
  });

  it('a refused USE leaves the session as it was: USE ROLE not granted is 002003 in the GS envelope', async () => {
    const token = await login('?warehouse=COMPUTE_WH');
    const refused = await query(token, 'USE ROLE orgadmin');
    expect(refused).toMatchObject({ success: false, code: '002003', message: "SQL compilation error:\nRole 'ORGADMIN' does not exist or not authorized." });
    expect((await query(token, 'USE WAREHOUSE nope_wh')).code).toBe('002043');
    expect((await query(token, 'SELECT CURRENT_ROLE(), CURRENT_WAREHOUSE()')).data.rowset).toEqual([['ANALYST', 'COMPUTE_WH']]);
  });

  it('ALTER SESSION SET / UNSET are recorded on the session', async () => {
    const token = await login();
    expect((await query(token, "ALTER SESSION SET QUERY_TAG = 'nightly', TIMEZONE = 'UTC'")).data.rowset).toEqual([['Statement executed successfully.']]);
    await query(token, 'ALTER SESSION UNSET timezone');
    expect([...mock.core.sessions.bySessionToken(token)!.session.parameters]).toEqual([['QUERY_TAG', 'nightly']]);
  });

  it('the provider setup in a session: USE DATABASE and USE SCHEMA place a one-part secret name', async () => {
    const token = await login();
    await query(token, 'USE ROLE accountadmin');
    expect((await query(token, 'CREATE DATABASE provider_db')).success).toBe(true);
    expect((await query(token, 'CREATE SCHEMA app_schema')).success).toBe(true);
    await query(token, "CREATE SECURITY INTEGRATION oauth_integration TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 OAUTH_GRANT = 'CLIENT_CREDENTIALS' OAUTH_TOKEN_ENDPOINT = 'https://provider.example.com/oauth2/token' ENABLED = TRUE");
    await query(token, 'USE DATABASE snowflake_sample_data');
    await query(token, 'USE provider_db.app_schema');
    expect((await query(token, 'CREATE SECRET oauth_secret TYPE = OAUTH2 API_AUTHENTICATION = oauth_integration')).data.rowset).toEqual([['Secret OAUTH_SECRET successfully created.']]);
    expect(mock.world.secret('PROVIDER_DB.APP_SCHEMA.OAUTH_SECRET').database).toBe('PROVIDER_DB');
  });
});
