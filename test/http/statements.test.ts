/**
 * Statements users answer (decisions/0016) over real fetch, on both transports of SQL: the SQL API
 * (`POST /api/v2/statements`, https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses)
 * and a driver session's query-request (the GS `rowtype` + `rowset` shape). Every response is
 * checked against its endpoint contract (useMock).
 */
import { describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import type { StatementContext, StatementHook } from '../../domain/sql/responders.ts';
import type { StatementConfig, WorldConfig } from '../../domain/world/config.ts';
import { WorldConfigError } from '../../domain/world/validate.ts';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import { ACCOUNT_HOST, exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';
import { call, useMock, type Answer } from '../helpers/msw.ts';

const COLUMNS = [
  { name: 'ID', type: 'NUMBER', nullable: false },
  { name: 'ITEM', type: 'VARCHAR' },
  { name: 'PAID', type: 'BOOLEAN' },
  { name: 'ORDERED_AT', type: 'TIMESTAMP_NTZ' },
  { name: 'SHIPS_ON', type: 'DATE' },
  { name: 'AMOUNT', type: 'NUMBER', precision: 10, scale: 2 },
  { name: 'WEIGHT', type: 'FLOAT' },
  { name: 'TAGS', type: 'VARIANT' },
  { name: 'RAW', type: 'BINARY' },
  { name: 'AT', type: 'TIME' },
  { name: 'SEEN', type: 'TIMESTAMP_LTZ', scale: 3 },
  { name: 'LOCAL', type: 'TIMESTAMP_TZ' },
];
const ROW = [1, 'widget', true, '2026-01-01 10:00:00', '2026-01-02', '12.5', 0.25, { gift: true }, 'cafe', '10:30:00.5', '2026-01-01T10:00:00.123Z', '2026-01-01T12:00:00+02:00'];
const WIRE_ROW = ['1', 'widget', '1', '1767261600.000000000', '20455', '12.50', '0.25', '{\n  "gift": true\n}', 'CAFE', '37800.500000000', '1767261600.123', '1767261600.000000000 1560'];

/** The world these tests run on: the example world with statements at the world's top level and in the account. */
function statementsWorld(patch?: (w: WorldConfig & { accounts: NonNullable<WorldConfig['accounts']> }) => void): WorldConfig {
  return exampleWorld((w) => {
    w.accounts[0]!.statements = [
      { match: 'SELECT * FROM ORDERS', result: { columns: COLUMNS, rows: [ROW, Array(COLUMNS.length).fill(null).map((v, i) => (i === 0 ? 2 : v))] } },
      { match: 'SELECT ITEM FROM ORDERS WHERE ID = ?', bindings: ['42'], result: { columns: [{ name: 'ITEM', type: 'TEXT' }], rows: [['forty-two']] } },
      { regex: '^select .* from finance\\.', roles: ['SYSADMIN'], result: { columns: [{ name: 'TOTAL', type: 'NUMBER' }], rows: [[1000]] } },
      { prefix: 'DROP TABLE', roles: ['SYSADMIN'], result: { columns: [{ name: 'status', type: 'TEXT' }], rows: [['dropped']] } },
      { prefix: 'UPDATE ORDERS', error: { code: 3001, sql_state: '42501', message: "SQL access control error:\nInsufficient privileges to operate on table 'ORDERS'" } },
      { match: 'SELECT SLOWLY', delay: '300ms', result: { columns: [{ name: 'X', type: 'INT' }], rows: [[1]] } },
      { match: 'SHOW ME', result: { columns: [{ name: 'who', type: 'TEXT' }], rows: [['the account']] } },
      { match: 'SELECT 7', bindings: ['x'], result: { columns: [{ name: '7', type: 'TEXT' }], rows: [['bound seven']] } },
    ];
    w.statements = [
      { prefix: 'INSERT INTO ORDERS', result: { rows_affected: 3 } },
      { prefix: 'UPDATE T', result: { rows_affected: 2 } },
      { prefix: 'MERGE INTO T', result: { rows_affected: 4 } },
      { prefix: 'TRUNCATE', result: { rows_affected: 5 } },
      { match: 'SHOW ME', result: { columns: [{ name: 'who', type: 'TEXT' }], rows: [['the world']] } },
      { match: 'SHOW WORLD', result: { columns: [{ name: 'who', type: 'TEXT' }], rows: [['the world']] } },
    ];
    patch?.(w);
  });
}

const rowsOf = (a: Answer): unknown => a.body?.data;
const pat = { token: 'pat-alice-ci', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' };

/** A driver session of ALICE: login-request with her password, then query-request with its token. */
async function driverSession(): Promise<(sqlText: string, bindings?: Record<string, unknown>) => Promise<Answer>> {
  const login = await fetch(`${ACCOUNT_HOST}/session/v1/login-request`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.5' },
    body: JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } }),
  });
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  return async (sqlText, bindings) => {
    const res = await fetch(`${ACCOUNT_HOST}/queries/v1/query-request?requestId=1`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${token}"`, 'x-forwarded-for': '10.0.0.5' },
      body: JSON.stringify({ sqlText, ...(bindings && { bindings }) }),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text, headers: res.headers };
  };
}

// At file level: the msw server of the file lives as long as the file (describes below bring their own mocks).
const mock = useMock({ world: statementsWorld(), clientIp: '10.0.0.5' });

describe('statements: entries answer typed rows, encoded as Snowflake sends them', () => {

  it('SQL API: rowType in lower case with scale/precision/length, data as strings or null', async () => {
    const answer = await call('select *\n   from orders;', pat);
    expect(answer.status).toBe(200);
    expect(answer.body.resultSetMetaData.rowType.map((c: { name: string; type: string; scale: number | null; precision: number | null; nullable: boolean }) => [c.name, c.type, c.scale, c.precision, c.nullable])).toEqual([
      ['ID', 'fixed', 0, 38, false], ['ITEM', 'text', null, null, true], ['PAID', 'boolean', null, null, true], ['ORDERED_AT', 'timestamp_ntz', 9, 0, true],
      ['SHIPS_ON', 'date', null, null, true], ['AMOUNT', 'fixed', 2, 10, true], ['WEIGHT', 'real', null, null, true], ['TAGS', 'variant', null, null, true],
      ['RAW', 'binary', null, null, true], ['AT', 'time', 9, 0, true], ['SEEN', 'timestamp_ltz', 3, 0, true], ['LOCAL', 'timestamp_tz', 9, 0, true],
    ]);
    expect(answer.body.resultSetMetaData.rowType[1]).toMatchObject({ length: 16_777_216, byteLength: 16_777_216 });
    expect(rowsOf(answer)).toEqual([WIRE_ROW, ['2', ...Array(COLUMNS.length - 1).fill(null)]]);
    expect(mock.journal.last()?.explanation).toMatch(/answered by statements\[0\] \(match "SELECT \* FROM ORDERS"\) of account MYORG-MYACCOUNT$/);
  });

  it('SQL API with nullable=false sends SQL NULL as "null"', async () => {
    const answer = await call('SELECT * FROM ORDERS', { ...pat, path: '/api/v2/statements?nullable=false' });
    expect(answer.body.data[1][1]).toBe('null');
  });

  it('query-request: the same rowtype and rowset, statementTypeId 0x1000', async () => {
    const query = await driverSession();
    const answer = await query('SELECT * FROM ORDERS');
    expect(answer.body.success).toBe(true);
    expect(answer.body.data.rowtype.map((c: { type: string }) => c.type)).toEqual(['fixed', 'text', 'boolean', 'timestamp_ntz', 'date', 'fixed', 'real', 'variant', 'binary', 'time', 'timestamp_ltz', 'timestamp_tz']);
    expect(answer.body.data.rowset[0]).toEqual(WIRE_ROW);
    expect(answer.body.data.statementTypeId).toBe(0x1000);
    expect(mock.journal.last()?.explanation).toMatch(/^allowed: ran session .*answered by statements\[0\]/);
  });

  it("the account's entry comes before the world's; the world's answers every account", async () => {
    expect(rowsOf(await call('SHOW ME', pat))).toEqual([['the account']]);
    expect(rowsOf(await call('show   world', pat))).toEqual([['the world']]);
    expect(mock.journal.last()?.explanation).toMatch(/answered by statements\[5\] \(match "SHOW WORLD"\) of the world$/);
  });

  it('a delay answers that much later in real time (the fault mechanism of the transports)', async () => {
    const started = performance.now();
    const answer = await call('SELECT SLOWLY', pat);
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('statements: DML counts take the column of their verb', () => {
  useMock({ world: statementsWorld(), clientIp: '10.0.0.5' });

  it.each([
    ['INSERT INTO ORDERS VALUES (1)', [['number of rows inserted', '3']], { numRowsInserted: 3 }, 0x3100],
    ['UPDATE T SET X = 1', [['number of rows updated', '2'], ['number of multi-joined rows updated', '0']], { numRowsUpdated: 2 }, 0x3200],
    ['MERGE INTO T USING S ON T.ID = S.ID WHEN MATCHED THEN UPDATE SET X = 1', [['number of rows inserted', '0'], ['number of rows updated', '4']], { numRowsUpdated: 4 }, 0x3400],
    ['TRUNCATE TABLE T', [['number of rows affected', '5']], undefined, 0x3000],
  ] as const)('%s', async (sql, columns, stats, statementType) => {
    const answer = await call(sql, pat);
    expect(answer.body.resultSetMetaData.rowType.map((c: { name: string }) => c.name)).toEqual(columns.map(([name]) => name));
    expect(answer.body.resultSetMetaData.rowType[0]).toMatchObject({ type: 'fixed', scale: 0, nullable: false });
    expect(answer.body.data).toEqual([columns.map(([, value]) => value)]);
    expect(answer.body.stats).toEqual(stats);
    const driven = await (await driverSession())(sql);
    expect(driven.body.data.statementTypeId).toBe(statementType);
    expect(driven.body.data.rowset).toEqual([columns.map(([, value]) => value)]);
  });
});

describe('statements: error answers, roles and bindings', () => {
  const mock = useMock({ world: statementsWorld(), clientIp: '10.0.0.5' });
  const jwt = async () => ({ token: await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: mock.clock.now() }), tokenType: 'KEYPAIR_JWT' });
  const asRole = async (statement: string, role: string) => call(undefined, { ...(await jwt()), body: JSON.stringify({ statement, role }) });

  it('an error answer is sent as written: 422 QueryFailureStatus (a YAML number code is zero-padded), and again by its handle', async () => {
    const answer = await call("UPDATE ORDERS SET STATUS = 'x'", pat);
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({ code: '003001', sqlState: '42501', message: "SQL access control error:\nInsufficient privileges to operate on table 'ORDERS'", statementHandle: expect.any(String) });
    expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: '003001' });
    expect(mock.journal.last()?.explanation).toMatch(/answered by statements\[4\] \(prefix "UPDATE ORDERS"\) of account MYORG-MYACCOUNT: error 003001 \(42501\)/);
    const again = await call(undefined, { ...pat, method: 'GET', path: `/api/v2/statements/${answer.body.statementHandle}` });
    expect(again.body).toEqual(answer.body);
  });

  it('an error answer on a driver session: HTTP 200, success false, data.errorCode and sqlState', async () => {
    const answer = await (await driverSession())('update orders set status = 1');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ success: false, code: '003001', message: "SQL access control error:\nInsufficient privileges to operate on table 'ORDERS'", data: { errorCode: '003001', sqlState: '42501' } });
  });

  it('roles: the listed role runs it; another gets 002003 naming the object after FROM, or the table after DROP TABLE', async () => {
    expect(rowsOf(await asRole('SELECT SUM(X) FROM FINANCE.PUBLIC.PAY', 'SYSADMIN'))).toEqual([['1000']]);
    const refused = await asRole('select sum(x) from finance.public.pay', 'ANALYST');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: '002003', sqlState: '02000', message: "SQL compilation error:\nObject 'FINANCE.PUBLIC.PAY' does not exist or not authorized." });
    expect(mock.journal.last()?.explanation).toMatch(/only role SYSADMIN may run it, not ANALYST/);
    const dropped = await asRole('DROP TABLE IF EXISTS sales."Orders"', 'ANALYST');
    expect(dropped.body.message).toBe("SQL compilation error:\nTable 'SALES.Orders' does not exist or not authorized.");
  });

  it('bindings: the entry answers only its bound values, on the SQL API and on query-request; the cache never mixes them up', async () => {
    const bound = (value: string) => call(undefined, { ...pat, body: JSON.stringify({ statement: 'SELECT ITEM FROM ORDERS WHERE ID = ?', bindings: { '1': { type: 'FIXED', value } } }) });
    expect(rowsOf(await bound('42'))).toEqual([['forty-two']]);
    expect((await bound('43')).body.code).toBe('999001');
    expect(rowsOf(await bound('42'))).toEqual([['forty-two']]);
    const query = await driverSession();
    expect((await query('select item from orders where id = ?', { '1': { type: 'FIXED', value: '42' } })).body.data).toMatchObject({ rowset: [['forty-two']], numberOfBinds: 1 });
    expect((await query('select item from orders where id = ?', { '1': { type: 'TEXT', value: '41' } })).body.code).toBe('999001');
  });

  it('a pure SELECT the built-in answered (and cached) is not what a bound entry for the same text gets', async () => {
    expect(rowsOf(await call('SELECT 7', pat))).toEqual([['7']]);
    expect(rowsOf(await call(undefined, { ...pat, body: JSON.stringify({ statement: 'SELECT 7', bindings: { '1': { type: 'TEXT', value: 'x' } } }) }))).toEqual([['bound seven']]);
  });
});

describe('statements: what nothing answers', () => {
  const mock = useMock({ world: statementsWorld(), clientIp: '10.0.0.5' });

  it('is the mock-labelled 999001 on both surfaces, naming the statement with literals masked', async () => {
    const answer = await call("CREATE TABLE T (ID INT, NAME VARCHAR DEFAULT 'secret')", pat);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      code: '999001', sqlState: '0A000',
      message: `snowflake-auth-mock: this statement is not modelled ("CREATE TABLE T (ID INT, NAME VARCHAR DEFAULT '***')"). Answer it with a statements: entry in the world or an onStatement hook; see README.md#statements-you-answer.`,
    });
    expect(mock.journal.last()?.explanation).toMatch(/is not modelled: no built-in command runs it, no statements: entry matched \(14 tried\)/);
    const driven = await (await driverSession())('CREATE TABLE T (ID INT)');
    expect(driven.body).toMatchObject({ success: false, code: '999001', data: { errorCode: '999001', sqlState: '0A000', type: 'EXECUTION' } });
  });

  it('a malformed statement the mock runs stays 001003', async () => {
    expect((await call('ALTER USER ADD PAT X DAYS_TO_EXPIRY =', pat)).body.code).toBe('001003');
  });
});

describe('statements: switch unmodelled_statements: empty', () => {
  const mock = useMock({ world: statementsWorld((w) => (w.switches = { unmodelled_statements: 'empty' })), clientIp: '10.0.0.5' });

  it('succeeds with no rows; the journal still says the statement was not modelled', async () => {
    const answer = await call('CREATE TABLE T (ID INT)', pat);
    expect(answer.status).toBe(200);
    expect(answer.body.resultSetMetaData).toMatchObject({ numRows: 0, rowType: [{ name: 'status', type: 'text' }] });
    expect(answer.body.data).toEqual([]);
    expect(mock.journal.last()?.explanation).toMatch(/is not modelled: .*answered with no rows \(switches\.unmodelled_statements: empty\)$/);
    const driven = await (await driverSession())('DELETE FROM NOWHERE');
    expect(driven.body.data).toMatchObject({ rowset: [], statementTypeId: 0x3300 });
  });
});

describe('onStatement hook and the options\' statements (createSnowflakeMock)', () => {
  let hook: StatementHook = () => undefined;
  const seen: StatementContext[] = [];
  const options: StatementConfig[] = [
    { match: 'SHOW ME', result: { columns: [{ name: 'who', type: 'TEXT' }], rows: [['the options']] } },
    { match: 'SELECT 1', result: { columns: [{ name: 'ONE', type: 'TEXT' }], rows: [['options say one']] } },
  ];
  const mock = useMock({
    world: statementsWorld(), clientIp: '10.0.0.5', statements: options,
    onStatement: (ctx) => {
      seen.push(ctx);
      return hook(ctx);
    },
  });

  it('the options\' entries come before the account\'s and the world\'s, and before the built-in SELECT', async () => {
    hook = () => undefined;
    expect(rowsOf(await call('SHOW ME', pat))).toEqual([['the options']]);
    expect(mock.journal.last()?.explanation).toMatch(/answered by statements\[0\] \(match "SHOW ME"\) of the mock's options$/);
    expect(rowsOf(await call('SELECT 1', pat))).toEqual([['options say one']]);
  });

  it('the hook comes first and sees the statement, its bindings and who runs it, on both surfaces', async () => {
    seen.length = 0;
    hook = ({ statement }) => (/^show me/i.test(statement) ? { result: { columns: [{ name: 'who', type: 'TEXT' }], rows: [['the hook']] } } : undefined);
    const answer = await call(undefined, { ...pat, body: JSON.stringify({ statement: 'SHOW ME', bindings: { '1': { type: 'TEXT', value: 'x' } }, warehouse: 'WH', database: 'DB', schema: 'S' }) });
    expect(rowsOf(answer)).toEqual([['the hook']]);
    expect(mock.journal.last()?.explanation).toMatch(/answered by onStatement$/);
    expect(seen.at(-1)).toEqual({ statement: 'SHOW ME', bindings: [{ type: 'TEXT', value: 'x' }], user: 'ALICE', role: 'ANALYST', account: 'MYORG-MYACCOUNT', database: 'DB', schema: 'S', warehouse: 'WH', surface: 'sql-api' });
    await (await driverSession())('show me', { '1': { type: 'FIXED', value: '7' } });
    expect(seen.at(-1)).toMatchObject({ statement: 'show me', bindings: [{ type: 'FIXED', value: '7' }], surface: 'driver', user: 'ALICE' });
  });

  it('is not asked about statements the mock runs itself', async () => {
    seen.length = 0;
    hook = () => ({ result: { rows_affected: 1 } });
    expect((await call('DESC USER ALICE', pat)).status).toBe(200);
    expect(seen).toEqual([]);
  });

  it('may answer with a promise; a DML count and an error work the same way; the cache never hides its answer', async () => {
    let n = 0;
    hook = async ({ statement }) => (/^select 1$/i.test(statement) ? { result: { columns: [{ name: 'N', type: 'NUMBER' }], rows: [[++n]] } } : statement.startsWith('DELETE') ? { result: { rows_affected: 9 } } : { error: { code: '002003', sql_state: '02000', message: 'gone' } });
    expect(rowsOf(await call('SELECT 1', pat))).toEqual([['1']]);
    expect(rowsOf(await call('SELECT 1', pat))).toEqual([['2']]);
    expect((await call('DELETE FROM T', pat)).body.stats).toEqual({ numRowsDeleted: 9 });
    expect((await call('DROP VIEW V', pat)).body).toMatchObject({ code: '002003', sqlState: '02000', message: 'gone' });
    expect((await (await driverSession())('DROP VIEW V')).body).toMatchObject({ success: false, code: '002003', message: 'gone' });
  });

  it('a hook that throws, rejects or answers nonsense is the mock-labelled 999002 naming the problem', async () => {
    hook = () => {
      throw new Error('boom');
    };
    expect((await call('SHOW ANYTHING', pat)).body).toMatchObject({ code: '999002', sqlState: 'XX000', message: 'snowflake-auth-mock: the onStatement hook threw Error: boom; see README.md#statements-you-answer.' });
    hook = () => Promise.reject(new TypeError('late'));
    expect((await call('SHOW ANYTHING', pat)).body.message).toMatch(/hook rejected with TypeError: late;/);
    hook = () => ({ result: { columns: [{ name: 'X', type: 'NUMBERISH' }], rows: [[1]] } });
    expect((await call('SHOW ANYTHING', pat)).body.message).toMatch(/answered something that is not a valid answer \(result\.columns\[0\]\.type: unknown type "NUMBERISH"/);
    hook = () => ({ result: { rows_affected: 1 }, rezult: 1 }) as never;
    expect((await call('SHOW ANYTHING', pat)).body.message).toMatch(/not a valid answer \(rezult: unknown key "rezult"; did you mean "result"\?\)/);
    hook = () => 'yes' as never;
    expect((await call('SHOW ANYTHING', pat)).body.message).toMatch(/returned the string "yes"; expected an answer/);
    expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: '999002' });
  });
});

describe('createSnowflakeMock({ statements }) checks its entries at once', () => {
  it('a bad entry throws a WorldConfigError naming options.statements[i] and the field', () => {
    const make = (statements: unknown[]) => () => createSnowflakeMock({ statements: statements as StatementConfig[] });
    expect(make([{ regex: '(a+)+$', result: { rows_affected: 1 } }])).toThrow(WorldConfigError);
    expect(make([{ regex: '(a+)+$', result: { rows_affected: 1 } }])).toThrow(/options\.statements\[0\]\.regex: looks catastrophic/);
    expect(make([{ match: 'X', delay: '11m', result: { rows_affected: 1 } }])).toThrow(/options\.statements\[0\]\.delay: expected milliseconds or a duration/);
    expect(make([{ match: 'X', roles: ['NOBODY'], result: { rows_affected: 1 } }])).toThrow(/options\.statements\[0\]\.roles\[0\]: role "NOBODY" is declared in no account/);
  });
});
