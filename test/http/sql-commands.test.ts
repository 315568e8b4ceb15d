/**
 * The SQL command layer through the SQL API (https://docs.snowflake.com/en/developer-guide/sql-api/reference) over real fetch: world changes reach
 * the token indexes at once, only pure SELECTs are cached, failures are 422 QueryFailureStatus
 * with the catalogue's sqlState, and the session's auth method comes from the bearer token.
 */
import { describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import type { SqlResult } from '../../domain/sql/execute.ts';
import { createStatementStore, MAX_CACHED_STATEMENT } from '../../http/statement-store.ts';
import { exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';
import { call, scalar, useMock } from '../helpers/msw.ts';

const mock = useMock({ world: exampleWorld(), clientIp: '10.0.0.5' });
const pat = { token: 'pat-alice-ci', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' };
const jwt = async () => ({ token: await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: mock.clock.now() }), tokenType: 'KEYPAIR_JWT' });
const asRole = (statement: string, role: string) => JSON.stringify({ statement, role });

describe('PAT commands over the SQL API (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('ADD PAT answers the secret, which works as a bearer token at once', async () => {
    const added = await call("ALTER USER ADD PAT NIGHTLY ROLE_RESTRICTION = 'SYSADMIN'", await jwt());
    expect(added.status).toBe(200);
    expect(added.body.resultSetMetaData.rowType.map((c: { name: string }) => c.name)).toEqual(['token_name', 'token_secret']);
    const [name, secret] = added.body.data[0];
    expect(name).toBe('NIGHTLY');
    const used = await call('SELECT CURRENT_USER(), CURRENT_ROLE()', { token: secret, tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' });
    expect(used.status).toBe(200);
    expect(used.body.data).toEqual([['ALICE', 'SYSADMIN']]);
    expect(mock.journal.last()).toMatchObject({ decision: 'allowed', authMethod: 'PROGRAMMATIC_ACCESS_TOKEN', user: 'ALICE' });
  });

  it('REMOVE PAT refuses the secret at once, even after it was accepted (the decision cache is dropped)', async () => {
    expect((await call('SELECT 1', pat)).status).toBe(200);
    const removed = await call('ALTER USER ALICE REMOVE PAT CI', await jwt());
    expect(scalar(removed)).toBe('Programmatic access token CI successfully removed.');
    const refused = await call('SELECT 1', pat);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('394400');
  });

  it('a PAT session cannot add a PAT for its own user: 422 394401 (the auth method comes from the bearer token)', async () => {
    const answer = await call('ALTER USER ADD PAT OTHER', pat);
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      code: '394401',
      message: 'SQL execution error:\nCannot add a programmatic access token in a session authenticated with a programmatic access token of the same user.',
      sqlState: '42501',
      statementHandle: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: '394401', authMethod: 'PROGRAMMATIC_ACCESS_TOKEN' });
    const viaOAuth = await call('ALTER USER ADD PAT OTHER', { token: 'oauth-alice-token', tokenType: 'OAUTH' });
    expect(viaOAuth.status).toBe(200);
  });

  it('SHOW USER PATS: TIMESTAMP_LTZ columns, null cells as "null" with nullable=false', async () => {
    const shown = await call('SHOW USER PATS', { ...(await jwt()), path: '/api/v2/statements?nullable=false' });
    expect(shown.status).toBe(200);
    expect(shown.body.resultSetMetaData.rowType[3]).toMatchObject({ name: 'expires_at', type: 'timestamp_ltz', scale: 9 });
    expect(shown.body.data[0]).toEqual(['CI', 'ALICE', 'ANALYST', '1773662400.000000000', 'ACTIVE', 'null', '1772366400.000000000', 'ALICE', '0', 'null']);
  });
});

describe('statement cache: only pure SELECTs', () => {
  it('SYSTEM$DECODE_PAT and SHOW answer the world as it is now', async () => {
    const decode = "SELECT SYSTEM$DECODE_PAT('pat-alice-ci')";
    expect(JSON.parse(scalar(await call(decode, await jwt())) as string)).toMatchObject({ STATE: 'ACTIVE' });
    expect((await call('ALTER USER MODIFY PAT CI SET DISABLED = TRUE', await jwt())).status).toBe(200);
    expect(JSON.parse(scalar(await call(decode, await jwt())) as string)).toMatchObject({ STATE: 'DISABLED' });
    expect((await call('SHOW USER PATS', await jwt())).body.data[0][4]).toBe('DISABLED');
    expect((await call('SELECT 1', pat)).status).toBe(401);
  });

  it('the store runs a cacheable statement once per session and anything else every time', () => {
    const store = createStatementStore(10);
    const session = { account: mock.core.world.accounts[0]!, user: mock.core.world.accounts[0]!.users.get('ALICE')!, role: 'ANALYST', auth: 'KEYPAIR_JWT' as const };
    const env = { world: mock.core.world, now: 0, ids: mock.core.ids };
    let runs = 0;
    const answer = (cacheable: boolean): SqlResult => ({ ok: true, kind: 'select', columns: [], rows: [], changed: false, cacheable });
    const first = store.execute('SELECT 1', session, env, () => (runs++, answer(true)));
    expect(store.execute('SELECT 1', session, env, () => (runs++, answer(true)))).toBe(first);
    expect(runs).toBe(1);
    store.execute('SHOW USER PATS', session, env, () => (runs++, answer(false)));
    store.execute('SHOW USER PATS', session, env, () => (runs++, answer(false)));
    expect(runs).toBe(3);
    store.execute('SELECT 1', { ...session, role: 'SYSADMIN' }, env, () => (runs++, answer(true)));
    expect(runs).toBe(4);
  });

  it('is bounded by the text it holds, not only by count: multi-megabyte statements do not pile up (the fuzz suite: 300 × 3 MB grew serve to 3.8 GB)', () => {
    const store = createStatementStore(1000, 10_000);
    const result = (cell: string): SqlResult => ({ ok: true, kind: 'select', columns: [], rows: [[cell]], changed: false, cacheable: true });
    const put = (handle: string, text: string): void => store.put({ handle, account: 'A', user: 'ALICE', result: result(text), createdOn: 0, statement: text });
    for (let i = 0; i < 10; i++) put(`h${i}`, 'x'.repeat(2000)); // 4000 characters each: text and cell
    expect(store.size).toBe(2);
    expect([store.get('h7'), store.get('h8'), store.get('h9')].map((s) => s !== undefined)).toEqual([false, true, true]);
    put('huge', 'y'.repeat(50_000));
    expect(store.size).toBe(1); // the newest stays, however large
    expect(store.get('huge')).toBeDefined();
    // A long statement is run every time, never pinned in the result cache.
    const session = { account: mock.core.world.accounts[0]!, user: mock.core.world.accounts[0]!.users.get('ALICE')!, role: 'ANALYST', auth: 'KEYPAIR_JWT' as const };
    const env = { world: mock.core.world, now: 0, ids: mock.core.ids };
    let runs = 0;
    const long = `SELECT '${'z'.repeat(MAX_CACHED_STATEMENT)}'`;
    store.execute(long, session, env, () => (runs++, result('z')));
    store.execute(long, session, env, () => (runs++, result('z')));
    expect(runs).toBe(2);
  });
});

describe('failures are 422 QueryFailureStatus with the catalogue sqlState (https://docs.snowflake.com/en/developer-guide/sql-api/reference)', () => {
  it.each([
    ['DESC USER ETL_BOT', '003001', '42501', "SQL access control error:\nInsufficient privileges to operate on user 'ETL_BOT'"],
    ['ALTER USER NOBODY ADD PAT X', '002003', '02000', "SQL compilation error:\nUser 'NOBODY' does not exist or not authorized."],
    ['ALTER USER ADD PAT CI', '002002', '42710', "SQL compilation error:\nObject 'CI' already exists."],
    ['ALTER USER ADD PAT X DAYS_TO_EXPIRY = 400', '001422', '22023', "SQL compilation error:\ninvalid value [400] for parameter 'DAYS_TO_EXPIRY'"],
    ['SHOW TABLES', '999001', '0A000', 'snowflake-auth-mock: this statement is not modelled ("SHOW TABLES"). Answer it with a statements: entry in the world or an onStatement hook; see README.md#statements-you-answer.'],
    ["ALTER USER ADD PAT X DAYS_TO_EXPIRY = 'seven'", '001003', '42000', "SQL compilation error:\nsyntax error line 1 at position 38 unexpected ''seven''."],
  ])('%s → %s', async (statement, code, sqlState, message) => {
    const answer = await call(statement, await jwt());
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({ code, sqlState, message, statementHandle: expect.any(String) });
    // Fetching the failed statement by its handle answers the same failure again.
    const again = await call(undefined, { ...(await jwt()), method: 'GET', path: `/api/v2/statements/${answer.body.statementHandle}` });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ ...answer.body });
  });

  it('async=true runs a command too: 202, then GET answers its rows', async () => {
    const started = await call('DESC USER ALICE', { ...(await jwt()), path: '/api/v2/statements?async=true' });
    expect(started.status).toBe(202);
    const done = await call(undefined, { ...(await jwt()), method: 'GET', path: started.body.statementStatusUrl });
    expect(done.status).toBe(200);
    expect(done.body.data).toContainEqual(['RSA_PUBLIC_KEY_FP', 'SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=', 'null', "Fingerprint of user's RSA public key."]);
  });

  it('a 1 MB statement is refused as a syntax error, not a crash', async () => {
    const answer = await call(`SELECT ${'1,'.repeat(512 * 1024)}1`, await jwt());
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('001003');
  });
});

describe('ALTER SECURITY INTEGRATION over the SQL API (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  it("an administrator's new integration policy governs the integration's OAuth tokens at once", async () => {
    mock.world.grantRole('ALICE', 'ACCOUNTADMIN');
    expect((await call('SELECT 1', { token: 'oauth-bot-token', ip: '192.168.0.1' })).status).toBe(200);
    const denied = await call(undefined, { ...(await jwt()), body: asRole("ALTER SECURITY INTEGRATION MY_APP SET NETWORK_POLICY = 'CORP_ONLY'", 'ANALYST') });
    expect(denied.body.code).toBe('003001');
    const set = await call(undefined, { ...(await jwt()), body: asRole("ALTER SECURITY INTEGRATION MY_APP SET NETWORK_POLICY = 'CORP_ONLY'", 'ACCOUNTADMIN') });
    expect(set.status).toBe(200);
    expect((await call('SELECT 1', { token: 'oauth-bot-token', ip: '192.168.0.1' })).status).toBe(403);
    expect((await call('SELECT 1', { token: 'oauth-bot-token', ip: '10.0.0.7' })).status).toBe(200);
  });
});
