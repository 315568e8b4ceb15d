/**
 * Statements users answer (decisions/0016), pure: how a statement is normalised and matched, how
 * cells are encoded the way Snowflake sends them (https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses;
 * decoded as https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/result/column.js does),
 * the order responders are asked in, and world-config problems placed at file, line and field.
 */
import { describe, expect, it } from 'vitest';
import { compileStatements, countRows, statementShape } from '../../domain/sql/answers.ts';
import { CellError, columnOf, encodeCell } from '../../domain/sql/cells.ts';
import { executeSql, type HookedSqlEnv, type SqlEnv, type SqlResult, type SqlSession } from '../../domain/sql/execute.ts';
import { bindingsMatch, bindingsOf, describeMatcher, firstKeyword, matcherOf, matches, MAX_REGEX_INPUT, normaliseStatement, objectOf, regexProblem } from '../../domain/sql/matching.ts';
import { excerpt } from '../../domain/sql/responders.ts';
import { createIds } from '../../domain/ids.ts';
import { buildWorld } from '../../domain/world/build.ts';
import type { StatementConfig, WorldConfig } from '../../domain/world/config.ts';
import { parseWorldText } from '../../domain/world/parse-text.ts';
import { validateWorldConfig, WorldConfigError } from '../../domain/world/validate.ts';

describe('normaliseStatement: whitespace runs collapse, case folds outside quotes, a trailing ; goes', () => {
  it.each([
    ['select *\n\t from   orders;', 'SELECT * FROM ORDERS'],
    ["  select 'Ann  B' from \"My  Table\" ;  ", `SELECT 'Ann  B' FROM "My  Table"`],
    ["select 'it''s'", "SELECT 'it''s'"],
    ['drop table t;;', 'DROP TABLE T'],
    ['', ''],
  ])('%j → %j', (sql, normalised) => {
    expect(normaliseStatement(sql)).toBe(normalised);
  });

  it('is linear in long runs of spaces or semicolons inside the text (the fuzz suite: 300 000 quoted spaces took minutes)', () => {
    const spaces = ' '.repeat(100_000);
    const started = performance.now();
    expect(normaliseStatement(`select '${spaces}x' ;; `)).toBe(`SELECT '${spaces}x'`);
    expect(normaliseStatement(`select 1${';'.repeat(100_000)}x`)).toBe(`SELECT 1${';'.repeat(100_000)}X`);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('matchers', () => {
  it('match is the whole normalised statement; prefix its start; regex is case-insensitive on the normalised text', () => {
    const n = normaliseStatement('select *  from orders where id = 1;');
    expect(matches(matcherOf('match', 'SELECT * FROM ORDERS WHERE ID = 1'), n)).toBe(true);
    expect(matches(matcherOf('match', 'SELECT * FROM ORDERS'), n)).toBe(false);
    expect(matches(matcherOf('prefix', 'select * from orders'), n)).toBe(true);
    expect(matches(matcherOf('prefix', 'SELECT * FROM ORDERZ'), n)).toBe(false);
    expect(matches(matcherOf('regex', '^select \\* from orders where id = \\d+$'), n)).toBe(true);
    expect(matches(matcherOf('regex', 'where id = 2'), n)).toBe(false);
  });

  it('a quoted literal keeps its case: match of another case does not match', () => {
    expect(matches(matcherOf('match', "select 'Ann'"), normaliseStatement("SELECT 'ann'"))).toBe(false);
  });

  it('a regex runs on bounded input only', () => {
    const long = `SELECT ${'X'.repeat(MAX_REGEX_INPUT)}`;
    expect(matches(matcherOf('regex', '^select'), long)).toBe(false);
    expect(matches(matcherOf('prefix', 'select'), long)).toBe(true);
  });

  it('refuses invalid, oversized and catastrophic-looking regular expressions', () => {
    expect(regexProblem('^select')).toBeUndefined();
    expect(regexProblem('[ab]*c')).toBeUndefined();
    expect(regexProblem('(a|b)*c')).toMatch(/^looks catastrophic/); // an alternation repeated without bound (statement-guards.test.ts)
    expect(regexProblem('(')).toMatch(/^not a valid JavaScript regular expression/);
    expect(regexProblem('x'.repeat(1001))).toMatch(/at most 1000 characters/);
    for (const bad of ['(a+)+$', '(.*)*', '(?:x+)*y', '(\\d+){2,}', '(a*)+?']) expect(regexProblem(bad), bad).toMatch(/^looks catastrophic/);
  });

  it('reads in the journal as its kind and text', () => {
    expect(describeMatcher(matcherOf('prefix', 'drop table'))).toBe('prefix "DROP TABLE"');
    expect(describeMatcher(matcherOf('regex', '^delete'))).toBe('regex /^delete/i');
  });
});

describe('bindings', () => {
  it('are read in order "1", "2", …; values as text, null kept, a list for array binding; other keys ignored', () => {
    expect(bindingsOf({ '2': { type: 'TEXT', value: 'b' }, '1': { type: 'FIXED', value: '1' }, x: { value: 'no' } })).toEqual([{ type: 'FIXED', value: '1' }, { type: 'TEXT', value: 'b' }]);
    expect(bindingsOf({ '1': { type: 'FIXED', value: 42 }, '2': { type: 'TEXT', value: null }, '3': { type: 'TEXT', value: ['a', null] } })).toEqual([
      { type: 'FIXED', value: '42' }, { type: 'TEXT', value: null }, { type: 'TEXT', value: ['a', null] },
    ]);
    expect(bindingsOf(undefined)).toEqual([]);
    expect(bindingsOf([1])).toEqual([]);
  });

  it('match position by position, exactly, with as many values as the entry names', () => {
    const actual = bindingsOf({ '1': { type: 'FIXED', value: '42' }, '2': { type: 'TEXT', value: null } });
    expect(bindingsMatch(['42', null], actual)).toBe(true);
    expect(bindingsMatch(['42'], actual)).toBe(false);
    expect(bindingsMatch(['42', 'null'], actual)).toBe(false);
  });
});

describe('objectOf: the name a role-refused entry puts in its 002003', () => {
  it.each([
    ['select * from sales.public.orders where 1=1', 'Object', 'SALES.PUBLIC.ORDERS'],
    ['INSERT INTO t VALUES (1)', 'Object', 'T'],
    ['update orders set x = 1', 'Object', 'ORDERS'],
    ['DROP TABLE IF EXISTS db."My Table"', 'Table', 'DB.My Table'],
    ['create or replace view v as select 1', 'View', 'V'],
    ["call my_proc('from x')", 'Object', 'MY_PROC'],
    ['/* from c */ select 1 from -- from d\n real_t', 'Object', 'REAL_T'],
  ])('%j → %s %s', (sql, kind, name) => {
    expect(objectOf(sql)).toEqual({ kind, name });
  });

  it('the first keyword skips comments', () => {
    expect(firstKeyword('/* nightly */ -- x\n insert into t values (1)')).toBe('INSERT');
    expect(firstKeyword('(select 1)')).toBe('SELECT');
  });
});

describe('cells: encoded as Snowflake sends them', () => {
  const col = (type: string, extra: object = {}) => columnOf({ name: 'C', type, ...extra });
  const enc = (value: unknown, type: string, extra: object = {}) => encodeCell(value, col(type, extra));
  const refused = (value: unknown, type: string, extra: object = {}) => {
    try {
      enc(value, type, extra);
    } catch (e) {
      expect(e).toBeInstanceOf(CellError);
      return (e as Error).message;
    }
    throw new Error(`${String(value)} was accepted as ${type}`);
  };

  it('NUMBER: decimal text with exactly scale digits; precision and scale checked; big values as strings', () => {
    expect(enc(42, 'INTEGER')).toBe('42');
    expect(enc('-0', 'NUMBER')).toBe('0');
    expect(enc('007', 'NUMBER')).toBe('7');
    expect(enc(12.5, 'NUMBER', { scale: 2 })).toBe('12.50');
    expect(enc('-3.10', 'DECIMAL', { precision: 5, scale: 1 })).toBe('-3.1');
    expect(enc('99999999999999999999999999999999999999', 'NUMBER')).toBe('9'.repeat(38));
    expect(refused(1.5, 'NUMBER')).toMatch(/more than 0 digits after the point/);
    expect(refused(123456, 'NUMBER', { precision: 5 })).toMatch(/more than 5 digits before the point/);
    expect(refused(2 ** 60, 'NUMBER')).toMatch(/loses digits as a JavaScript number: write it as a string/);
    expect(refused('1e3', 'NUMBER')).toMatch(/expected a number/);
    expect(refused(true, 'NUMBER')).toMatch(/expected a number, got boolean true/);
  });

  it('FLOAT as JavaScript prints it; TEXT as given (numbers and booleans as text)', () => {
    expect(enc(0.25, 'DOUBLE')).toBe('0.25');
    expect(enc('1e21', 'FLOAT')).toBe('1e+21');
    expect(refused(Infinity, 'FLOAT')).toMatch(/finite number/);
    expect(enc('x', 'STRING')).toBe('x');
    expect(enc(7, 'VARCHAR')).toBe('7');
    expect(refused({ a: 1 }, 'TEXT')).toMatch(/expected text, got a mapping/);
  });

  it('BOOLEAN as "1"/"0" (the Python connector reads only "1"/"TRUE" as true); only true/false accepted', () => {
    expect(enc(true, 'BOOLEAN')).toBe('1');
    expect(enc(false, 'BOOLEAN')).toBe('0');
    expect(refused('true', 'BOOLEAN')).toMatch(/expected true or false/);
  });

  it('DATE as days since 1970-01-01; TIME as seconds since midnight', () => {
    expect(enc('2026-01-01', 'DATE')).toBe('20454');
    expect(enc('1969-12-31', 'DATE')).toBe('-1');
    expect(enc(new Date('2026-01-02T23:00:00Z'), 'DATE')).toBe('20455');
    expect(refused('2026-02-30', 'DATE')).toMatch(/not a valid date/);
    expect(enc('10:30:00.5', 'TIME')).toBe('37800.500000000');
    expect(enc('00:00', 'TIME', { scale: 0 })).toBe('0');
    expect(refused('24:00:00', 'TIME')).toMatch(/not a time of day/);
  });

  it('TIMESTAMP_NTZ/LTZ as epoch seconds with scale decimals; TZ adds the offset index (minutes + 1440)', () => {
    expect(enc('2026-01-01 10:00:00', 'TIMESTAMP_NTZ')).toBe('1767261600.000000000');
    expect(enc('2026-01-01T10:00:00Z', 'TIMESTAMP')).toBe('1767261600.000000000');
    expect(refused('2026-01-01 10:00:00+02:00', 'TIMESTAMP_NTZ')).toMatch(/TIMESTAMP_NTZ has no time zone: write 2026-01-01 10:00:00/);
    expect(enc('2026-01-01T12:00:00.123456789+02:00', 'TIMESTAMP_LTZ')).toBe('1767261600.123456789');
    expect(enc('2026-01-01T12:00:00+02:00', 'TIMESTAMP_TZ')).toBe('1767261600.000000000 1560');
    expect(enc('2026-01-01T05:00:00-05:00', 'TIMESTAMP_TZ', { scale: 0 })).toBe('1767261600 1140');
    expect(enc('1969-12-31 23:59:58.5', 'TIMESTAMP_NTZ', { scale: 1 })).toBe('-1.5');
    expect(refused('2026-01-01 10:00:00.1234', 'TIMESTAMP_NTZ', { scale: 3 })).toMatch(/more than 3 fractional second digits/);
    expect(enc(new Date('2026-01-01T10:00:00.250Z'), 'TIMESTAMP_LTZ', { scale: 3 })).toBe('1767261600.250');
  });

  it('VARIANT/OBJECT/ARRAY as JSON indented by two spaces; BINARY as upper-case hex', () => {
    expect(enc({ a: [1, 'x'] }, 'VARIANT')).toBe('{\n  "a": [\n    1,\n    "x"\n  ]\n}');
    expect(enc('text', 'VARIANT')).toBe('"text"');
    expect(enc([1], 'ARRAY')).toBe('[\n  1\n]');
    expect(refused([1], 'OBJECT')).toMatch(/expected a mapping/);
    expect(refused({ a: 1 }, 'ARRAY')).toMatch(/expected a list/);
    expect(enc('cafe', 'BINARY')).toBe('CAFE');
    expect(enc(new Uint8Array([1, 255]), 'VARBINARY')).toBe('01FF');
    expect(refused('abc', 'BINARY')).toMatch(/hex text/);
  });

  it('null is SQL NULL, refused in a column that is not nullable', () => {
    expect(enc(null, 'TEXT')).toBeNull();
    expect(refused(null, 'TEXT', { nullable: false })).toMatch(/column C is not nullable/);
  });

  it('columns: rowType names, NUMBER precision/scale, lengths; scale and precision only where they apply', () => {
    expect(col('int')).toEqual({ name: 'C', type: 'fixed', nullable: true, scale: 0, precision: 38, length: null, byteLength: null });
    expect(col('TIMESTAMP_TZ')).toMatchObject({ type: 'timestamp_tz', scale: 9, precision: 0 });
    expect(col('double precision').type).toBe('real');
    expect(col('varchar')).toMatchObject({ length: 16_777_216, byteLength: 16_777_216 });
    expect(() => col('TEXT', { scale: 2 })).toThrow(/scale applies to NUMBER, TIME and TIMESTAMP columns only/);
    expect(() => col('TIME', { precision: 2 })).toThrow(/precision applies to NUMBER columns only/);
    expect(() => col('NUMBER', { precision: 2, scale: 3 })).toThrow(/scale 3 is not 0 … 2/);
    expect(() => col('MONEY')).toThrow(/unknown type "MONEY"/);
  });
});

describe('DML counts and statement types by verb', () => {
  it.each([
    ['insert into t values (1)', ['number of rows inserted'], ['3'], { numRowsInserted: 3 }, 0x3100],
    ['UPDATE t SET x = 1', ['number of rows updated', 'number of multi-joined rows updated'], ['3', '0'], { numRowsUpdated: 3 }, 0x3200],
    ['delete from t', ['number of rows deleted'], ['3'], { numRowsDeleted: 3 }, 0x3300],
    ['merge into t using s on 1=1 when matched then delete', ['number of rows inserted', 'number of rows updated'], ['0', '3'], { numRowsUpdated: 3 }, 0x3400],
    ['copy into t from @s', ['number of rows affected'], ['3'], undefined, 0x3000],
  ])('%s', (sql, names, row, stats, type) => {
    const r = countRows(sql, 3);
    expect(r.columns.map((c) => c.name)).toEqual(names);
    expect(r.rows).toEqual([row]);
    expect(r.stats).toEqual(stats);
    expect(r.statementType).toBe(type);
  });

  it('rows answers take the statement type of their verb', () => {
    expect(statementShape('with x as (select 1) select * from x')).toEqual({ kind: 'select', statementType: 0x1000 });
    expect(statementShape('SHOW TABLES')).toEqual({ kind: 'show', statementType: 0x4000 });
    expect(statementShape('insert into t select 1')).toEqual({ kind: 'dml', statementType: 0x3100 });
    expect(statementShape('CREATE TABLE t (x INT)')).toEqual({ kind: 'ddl', statementType: 0x6000 });
  });

  it('the "not modelled" message quotes at most 60 characters, literals masked', () => {
    expect(excerpt("CREATE USER bob PASSWORD = 'hunter2'")).toBe(`"CREATE USER bob PASSWORD = '***'"`);
    expect(excerpt(`SELECT\n\n ${'x'.repeat(100)}`)).toBe(`"SELECT ${'x'.repeat(53)}…"`);
  });
});

describe('the order responders are asked in (executeSql)', () => {
  const world = (statements: StatementConfig[], accountStatements: StatementConfig[] = [], switches: WorldConfig['switches'] = {}) =>
    buildWorld({
      statements, switches,
      accounts: [{ name: 'MYORG-MYACCOUNT', locator: 'XY12345', roles: ['ANALYST'], users: [{ name: 'ALICE', roles: ['ANALYST'], default_role: 'ANALYST' }], statements: accountStatements }],
    }, { now: 0, ids: createIds(1) });
  const text = (column: string, value: string): StatementConfig['result'] => ({ columns: [{ name: column, type: 'TEXT' }], rows: [[value]] });
  const setup = (w: ReturnType<typeof world>) => {
    const account = w.accounts[0]!;
    const session: SqlSession = { account, user: account.users.get('ALICE')!, role: 'ANALYST', auth: 'PASSWORD' };
    const env: SqlEnv = { world: w, now: 0, ids: createIds(2) };
    return { session, env };
  };
  const value = (r: SqlResult): unknown => (r.ok ? r.rows[0]?.[0] : r.rejection.code);

  it('built-in commands first, then the hook, the options\' entries, the account\'s, the world\'s, then the built-in SELECT, then 999001', () => {
    const w = world([{ match: 'SELECT 1', result: text('who', 'world') }, { match: 'SHOW X', result: text('who', 'world') }], [{ match: 'SHOW X', result: text('who', 'account') }]);
    const { session, env } = setup(w);
    expect(value(executeSql('SHOW X', session, env))).toBe('account');
    expect(value(executeSql('SELECT 1', session, env))).toBe('world');
    expect(value(executeSql('SELECT 2', session, env))).toBe('2');
    expect(value(executeSql('SHOW Y', session, env))).toBe('999001');
    const options = compileStatements([{ match: 'SHOW X', result: text('who', 'options') }], "the mock's options");
    expect(value(executeSql('SHOW X', session, { ...env, statements: options }))).toBe('options');
    const hooked: HookedSqlEnv = { ...env, statements: options, onStatement: ({ statement }) => (statement === 'SHOW X' ? { result: text('who', 'hook') } : undefined) };
    const sync = executeSql('SHOW X', session, hooked);
    expect(sync).not.toBeInstanceOf(Promise);
    expect(value(sync as SqlResult)).toBe('hook');
    expect(value(executeSql('DESC USER ALICE', session, hooked) as SqlResult)).toBe('NAME');
  });

  it('keeps the sync path sync; a promise only when the hook returns one', async () => {
    const { session, env } = setup(world([]));
    const asyncHook: HookedSqlEnv = { ...env, onStatement: async () => ({ result: { rows_affected: 1 } }) };
    const pending = executeSql('DELETE FROM T', session, asyncHook);
    expect(pending).toBeInstanceOf(Promise);
    expect(value(await pending)).toBe('1');
    const quiet: HookedSqlEnv = { ...env, onStatement: () => undefined };
    expect(executeSql('DELETE FROM T', session, quiet)).not.toBeInstanceOf(Promise);
  });

  it('a malformed statement of the mock\'s is 001003 after the user\'s answers had their chance; one they answer is theirs', () => {
    const { session, env } = setup(world([{ prefix: 'ALTER USER ALICE SET DEFAULT_ROLE', result: text('status', 'ok') }]));
    expect(value(executeSql('ALTER USER ALICE SET DEFAULT_ROLE = ANALYST', session, env))).toBe('ok');
    expect(value(executeSql('ALTER USER ALICE SET RSA_PUBLIC_KEY = 42', session, env))).toBe('001003');
    expect(value(executeSql("SELECT 'unterminated", session, env))).toBe('001003');
    expect(value(executeSql(';', session, env))).toBe('001003');
  });

  it('switch unmodelled_statements: empty answers no rows, noting it was not modelled', () => {
    const { session, env } = setup(world([], [], { unmodelled_statements: 'empty' }));
    const r = executeSql('CREATE TABLE T (X INT)', session, env);
    expect(r).toMatchObject({ ok: true, kind: 'ddl', rows: [], statementType: 0x6000 });
    expect(r.ok && r.note).toMatch(/"CREATE TABLE T \(X INT\)" is not modelled: .*answered with no rows \(switches\.unmodelled_statements: empty\)$/);
  });
});

describe('world config: bad entries fail at load naming file, line and field', () => {
  const load = (yaml: string): WorldConfigError => {
    try {
      parseWorldText(yaml, 'world.yaml');
    } catch (e) {
      if (e instanceof WorldConfigError) return e;
      throw e;
    }
    throw new Error('the world loaded');
  };
  const issue = (yaml: string) => load(yaml).issues.map((i) => `${i.file}:${i.line}: ${i.path}: ${i.message}`);

  it.each([
    ['two matchers', 'statements:\n  - match: SELECT 1\n    prefix: SELECT\n    result: { rows_affected: 1 }\n', /^world\.yaml:2: statements\[0\]: give one matcher, not match and prefix$/],
    ['no matcher', 'statements:\n  - result: { rows_affected: 1 }\n', /^world\.yaml:2: statements\[0\]: give one matcher: match \(the whole statement\), prefix or regex$/],
    ['no answer', 'statements:\n  - match: SELECT 1\n', /^world\.yaml:2: statements\[0\]: give an answer: result \(rows or rows_affected\) or error$/],
    ['two answers', 'statements:\n  - match: SELECT 1\n    result: { rows_affected: 1 }\n    error: { code: 2003, sql_state: "02000", message: x }\n', /^world\.yaml:2: statements\[0\]: give one answer, result or error, not both$/],
    ['bad regex', "statements:\n  - regex: '(unclosed'\n    result: { rows_affected: 1 }\n", /^world\.yaml:2: statements\[0\]\.regex: not a valid JavaScript regular expression/],
    ['catastrophic regex', "statements:\n  - regex: '(a+)+$'\n    result: { rows_affected: 1 }\n", /^world\.yaml:2: statements\[0\]\.regex: looks catastrophic/],
    ['unknown type', 'statements:\n  - match: SELECT 1\n    result:\n      columns:\n        - { name: X, type: NUMBERISH }\n', /^world\.yaml:5: statements\[0\]\.result\.columns\[0\]\.type: unknown type "NUMBERISH"/],
    ['row width', 'statements:\n  - match: SELECT 1\n    result:\n      columns: [{ name: X, type: INT }, { name: Y, type: TEXT }]\n      rows:\n        - [1]\n', /^world\.yaml:6: statements\[0\]\.result\.rows\[0\]: this row has 1 value, but there are 2 columns \(X, Y\)$/],
    ['a row too wide', 'statements:\n  - match: SELECT 1\n    result:\n      columns: [{ name: X, type: INT }]\n      rows:\n        - [1, 2]\n', /^world\.yaml:6: statements\[0\]\.result\.rows\[0\]: this row has 2 values, but there is 1 column \(X\)$/],
    ['a cell of the wrong type', 'statements:\n  - match: SELECT 1\n    result:\n      columns: [{ name: D, type: DATE }]\n      rows:\n        - [yesterday]\n', /^world\.yaml:6: statements\[0\]\.result\.rows\[0\]\[0\]: column D \(date\): expected a date such as 2026-01-01/],
    ['a bad error code', "statements:\n  - match: SELECT 1\n    error: { code: 'E42', sql_state: '02000', message: x }\n", /^world\.yaml:3: statements\[0\]\.error\.code: expected a 6-digit error code/],
    ['an unknown key', 'statements:\n  - match: SELECT 1\n    result: { rows_affected: 1 }\n    rolez: [ANALYST]\n', /^world\.yaml:4: statements\[0\]\.rolez: unknown key "rolez"; did you mean "roles"\?$/],
  ])('%s', (_what, yaml, expected) => {
    expect(issue(yaml)).toEqual([expect.stringMatching(expected)]);
  });

  it("an account's entry names a role the account does not declare; a top-level one a role no account declares", () => {
    const yaml = [
      'statements:',
      '  - { match: SELECT 1, roles: [AUDITOR], result: { rows_affected: 1 } }',
      'accounts:',
      '  - name: A',
      '    locator: AB12345',
      '    roles: [ANALYST]',
      '    statements:',
      '      - { match: SELECT 2, roles: [ANALYZT], result: { rows_affected: 1 } }',
    ].join('\n');
    expect(issue(yaml)).toEqual([
      expect.stringMatching(/^world\.yaml:2: statements\[0\]\.roles\[0\]: role "AUDITOR" is declared in no account/),
      expect.stringMatching(/^world\.yaml:8: accounts\[0\]\.statements\[0\]\.roles\[0\]: role "ANALYZT" is not declared in accounts\[0\]\.roles .*did you mean "ANALYST"\?/),
    ]);
  });

  it('in the single-account form the top-level statements: are the world\'s, not also the account\'s', () => {
    const w = buildWorld({ statements: [{ match: 'X', result: { rows_affected: 0 } }] }, { now: 0, ids: createIds(1) });
    expect(w.statements?.map((s) => s.label)).toEqual(['statements[0] (match "X") of the world']);
    expect(w.accounts[0]!.statements).toBeUndefined();
  });

  it('statements: may sit beside accounts: (the world\'s), and the switch takes error or empty', () => {
    expect(validateWorldConfig({ statements: [{ match: 'X', result: { rows_affected: 0 } }], accounts: [{ name: 'A', locator: 'AB12345' }] })).toEqual([]);
    expect(validateWorldConfig({ switches: { unmodelled_statements: 'silent' as never } })).toEqual([{ path: ['switches', 'unmodelled_statements'], message: expect.stringMatching(/^expected one of error, empty/) }]);
  });
});
