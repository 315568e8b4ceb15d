/**
 * What keeps users' statements from hurting the mock (decisions/0016): SHOW … LIKE matched without
 * a regular expression (https://docs.snowflake.com/en/sql-reference/functions/like), regexes that
 * backtrack exponentially refused at load, hook answers that throw while being read, a hook that
 * never answers, the role hierarchy of `roles:`, and the dates a cell may hold.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { likeMatch, likeMatcher } from '../../domain/sql/context-show.ts';
import { CellError, columnOf, encodeCell } from '../../domain/sql/cells.ts';
import { executeSql, type HookedSqlEnv, type SqlEnv, type SqlResult, type SqlSession } from '../../domain/sql/execute.ts';
import { MAX_SAFE_REPEAT, regexProblem } from '../../domain/sql/matching.ts';
import { DEFAULT_STATEMENT_HOOK_TIMEOUT_MS, withHookTimeout, type StatementHook } from '../../domain/sql/responders.ts';
import { createIds } from '../../domain/ids.ts';
import { buildWorld } from '../../domain/world/build.ts';
import type { StatementConfig } from '../../domain/world/config.ts';
import { parseWorldText } from '../../domain/world/parse-text.ts';
import { WorldConfigError } from '../../domain/world/validate.ts';

describe('SHOW … LIKE: % any run, _ one character, \\ escapes, case-insensitive', () => {
  it.each([
    ['prov%', 'PROVIDER_DB', true],
    ['%_db', 'provider_db', true],
    ['p_ovider%', 'PROVIDER_DB', true],
    ['PROVIDER\\_DB', 'PROVIDER_DB', true],
    ['PROVIDER\\_DB', 'PROVIDERXDB', false],
    ['PROVIDER_DB', 'PROVIDERXDB', true],
    ['100\\%', '100%', true],
    ['100\\%', '1000', false],
    ['a\\\\b', 'a\\b', true],
    ['a\\', 'a\\', true],
    ['%', '', true],
    ['', '', true],
    ['', 'x', false],
    ['_', '', false],
    ['_', '😀', true],
    ['%a%b%', 'xxAxxBxx', true],
    ['%a%b%', 'xxbxxaxx', false],
    ['a%b%c', 'abc', true],
    ['a%b%c', 'acb', false],
    ['%ab', 'aab', true],
    ['%aab', 'aaab', true],
    ['_%_', 'ab', true],
    ['_%_', 'a', false],
    ['ä%', 'ÄBC', true],
    ['[x]', '[x]', true],
    ['.*', 'anything', false],
    ['(?<x>)', '(?<x>)', true],
  ])('%j on %j → %s', (pattern, name, expected) => {
    expect(likeMatcher(pattern)(name)).toBe(expected);
  });

  it('takes at most (name + 1) × (pattern + 1) steps on patterns a regex backtracked on for minutes', () => {
    const name = `${'A'.repeat(1000)}B`;
    const bound = (pattern: string) => (name.length + 1) * (pattern.length + 1);
    for (const pattern of ['%'.repeat(50) + 'x', `${'%_'.repeat(25)}x`, `${'_%'.repeat(25)}c`, `${'%a'.repeat(25)}c`, `${'%'.repeat(30)}${'_'.repeat(20)}x`]) {
      const { matched, steps } = likeMatch(pattern, name);
      expect(matched, pattern).toBe(false);
      expect(steps, pattern).toBeLessThanOrEqual(bound(pattern));
    }
    // A run of % is one %: linear in the name.
    expect(likeMatch(`${'%'.repeat(50)}x`, name).steps).toBeLessThanOrEqual(2 * (name.length + 1));
    expect(likeMatch(`${'%_'.repeat(25)}B`, name)).toMatchObject({ matched: true });
  });
});

describe('regexProblem: groups that backtrack exponentially are refused', () => {
  it.each([
    ['^(\\w+\\s?)+$', '(\\w+\\s?)', '+', 'a quantifier'],
    ['((a+))+$', '((a+))', '+', 'a quantifier'],
    ['(a+|b)+$', '(a+|b)', '+', 'a quantifier'],
    ['(.*,){12}X', '(.*,)', '{12}', 'a quantifier'],
    ['^(\\w|\\d)+$', '(\\w|\\d)', '+', 'an alternation'],
    ['(a|b)*c', '(a|b)', '*', 'an alternation'],
    ['(?:x+)*y', '(?:x+)', '*', 'a quantifier'],
    ['(\\d+){2,}', '(\\d+)', '{2,}', 'a quantifier'],
    ['(a*)+?', '(a*)', '+?', 'a quantifier'],
    ['(a?b){0,11}', '(a?b)', '{0,11}', 'a quantifier'],
    ['x((?:a|b)c)+', '((?:a|b)c)', '+', 'an alternation'],
  ])('%s', (source, group, quantifier, holds) => {
    const problem = regexProblem(source);
    expect(problem).toContain(`looks catastrophic: the group ${group} is repeated by ${quantifier} and holds ${holds}`);
    expect(problem).toMatch(/rewrite it so each character can be matched only one way — a character class instead of the group \(\^\[\\w\\s\]\+\$ for \^\(\\w\+\\s\?\)\+\$, \[ab\]\+ for \(a\|b\)\+\).* or use prefix: or match:$/);
  });

  it('refuses backreferences', () => {
    expect(regexProblem('(a)\\1')).toMatch(/^looks catastrophic: the backreference \\1 can take exponential time/);
    expect(regexProblem('(?<x>a+)b\\k<x>')).toMatch(/^looks catastrophic: the backreference \\k<x> /);
  });

  it.each([
    '^DELETE FROM ORDERS',
    '^SELECT .* FROM T WHERE ID = \\d+$',
    '(?:A|B) X',
    '^select .* from finance\\.',
    '^(SELECT|WITH)\\b',
    '(ab)+c',
    `(a|b){0,${MAX_SAFE_REPEAT}}`,
    '(a+)?b',
    '[(a+)+]x',
    '\\(a+\\)+',
    '(?=(a+))x',
    'x{2,}',
  ])('accepts %s', (source) => {
    expect(regexProblem(source)).toBeUndefined();
  });

  it('a refused regex in a world file names file, line and field', () => {
    const yaml = (source: string) => `statements:\n  - match: SELECT 1\n    result: { rows_affected: 1 }\n  - regex: '${source}'\n    result: { rows_affected: 1 }\n`;
    for (const source of ['^(\\w+\\s?)+$', '((a+))+$', '(a+|b)+$', '(.*,){12}X']) {
      let error: unknown;
      try {
        parseWorldText(yaml(source), 'world.yaml');
      } catch (e) {
        error = e;
      }
      expect(error, source).toBeInstanceOf(WorldConfigError);
      expect((error as WorldConfigError).issues, source).toEqual([
        expect.objectContaining({ file: 'world.yaml', line: 4, path: 'statements[1].regex', message: expect.stringMatching(/^looks catastrophic: the group /) }),
      ]);
    }
  });
});

describe('cells that cannot be written as JSON, and dates', () => {
  const col = (type: string, extra: object = {}) => columnOf({ name: 'C', type, ...extra });
  const refused = (value: unknown, type: string, extra: object = {}): string => {
    try {
      encodeCell(value, col(type, extra));
    } catch (e) {
      expect(e).toBeInstanceOf(CellError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('a circular, too deep or throwing VARIANT/OBJECT/ARRAY is a CellError, not a TypeError or RangeError', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let deepObject: unknown = 1;
    for (let i = 0; i < 100_000; i++) deepObject = { a: deepObject };
    expect(refused(circular, 'VARIANT')).toMatch(/cannot be written as JSON: it contains itself \(a circular reference\)/);
    expect(refused(deep, 'ARRAY')).toMatch(/cannot be written as JSON: it is nested too deeply/);
    expect(refused(deepObject, 'OBJECT')).toMatch(/cannot be written as JSON: it is nested too deeply/);
    expect(refused({ toJSON: () => { throw new Error('x'); } }, 'VARIANT')).toMatch(/cannot be written as JSON: reading it threw/);
  });

  it('a recursive YAML alias in a VARIANT cell fails the load at file, line and field', () => {
    const yaml = 'statements:\n  - match: SELECT 1\n    result:\n      columns: [{ name: X, type: VARIANT }]\n      rows: [[&a [*a]]]\n';
    let error: unknown;
    try {
      parseWorldText(yaml, 'world.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorldConfigError);
    expect((error as WorldConfigError).issues).toEqual([
      expect.objectContaining({ file: 'world.yaml', line: 5, path: 'statements[0].result.rows[0][0]', message: expect.stringMatching(/column X \(variant\): .*circular reference/) }),
    ]);
  });

  it('dates before year 100 are those years, not 19xx', () => {
    expect(encodeCell('0050-01-01', col('DATE'))).toBe(String(-701265));
    expect(encodeCell('0001-01-01', col('DATE'))).toBe(String(-719162));
    expect(encodeCell('0050-01-01 00:00:00', col('TIMESTAMP_NTZ', { scale: 0 }))).toBe(String(-701265 * 86400));
    expect(refused('0050-02-29', 'DATE')).toMatch(/not a valid date/); // 50 is no leap year
    expect(encodeCell('1950-01-01', col('DATE'))).toBe(String(-7305));
  });

  it('a Date with more fractional digits than the scale is refused, as the same instant written as text', () => {
    const at = new Date('2026-01-01T00:00:00.500Z');
    expect(refused(at, 'TIMESTAMP_NTZ', { scale: 0 })).toMatch(/2026-01-01T00:00:00\.500Z has more than 0 fractional second digits \(the column's scale\)/);
    expect(refused('2026-01-01 00:00:00.5', 'TIMESTAMP_NTZ', { scale: 0 })).toMatch(/more than 0 fractional second digits/);
    expect(refused(new Date('2026-01-01T00:00:00.250Z'), 'TIMESTAMP_LTZ', { scale: 1 })).toMatch(/more than 1 fractional second digit \(/);
    expect(encodeCell(new Date('2026-01-01T00:00:00.200Z'), col('TIMESTAMP_LTZ', { scale: 1 }))).toBe('1767225600.2');
    expect(encodeCell(new Date('2026-01-01T00:00:00.000Z'), col('TIMESTAMP_TZ', { scale: 0 }))).toBe('1767225600 1440');
    expect(encodeCell(new Date('1969-12-31T23:59:59.500Z'), col('TIMESTAMP_NTZ', { scale: 1 }))).toBe('-0.5');
    expect(refused(new Date('1969-12-31T23:59:59.500Z'), 'TIMESTAMP_NTZ', { scale: 0 })).toMatch(/more than 0 fractional second digits/);
  });
});

describe('executeSql: the hook and roles:', () => {
  const world = (statements: StatementConfig[]) =>
    buildWorld({
      statements,
      accounts: [{ name: 'MYORG-MYACCOUNT', locator: 'XY12345', roles: ['ANALYST'], users: [{ name: 'ALICE', roles: ['ANALYST', 'ACCOUNTADMIN'], default_role: 'ANALYST' }] }],
    }, { now: 0, ids: createIds(1) });
  const setup = (statements: StatementConfig[] = [], role = 'ANALYST') => {
    const w = world(statements);
    const account = w.accounts[0]!;
    const session: SqlSession = { account, user: account.users.get('ALICE')!, role, auth: 'PASSWORD' };
    const env: SqlEnv = { world: w, now: 0, ids: createIds(2) };
    return { session, env };
  };
  const failure = (r: SqlResult): { code: string; message: string } => {
    expect(r.ok).toBe(false);
    return r.ok ? { code: '', message: '' } : { code: r.rejection.code, message: r.rejection.explanation };
  };

  afterEach(() => {
    vi.useRealTimers();
  });

  it('a hook answer that throws while being read is 999002, synchronously or from a promise', async () => {
    const { session, env } = setup();
    const circular: Record<string, unknown> = {};
    circular.c = circular;
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const answers: Record<string, () => unknown> = {
      circular: () => ({ result: { columns: [{ name: 'X', type: 'VARIANT' }], rows: [[circular]] } }),
      deep: () => ({ result: { columns: [{ name: 'X', type: 'ARRAY' }], rows: [[deep]] } }),
      getter: () => ({ get result() { throw new Error('getter'); } }),
      proxy: () => new Proxy({}, { ownKeys() { throw new Error('proxy'); } }),
      prototype: () => new Proxy({}, { getPrototypeOf() { throw new Error('prototype'); } }),
      'a thrown Error whose message throws': () => { throw Object.defineProperty(new Error('x'), 'message', { get() { throw new Error('y'); } }); },
    };
    for (const [what, answer] of Object.entries(answers)) {
      const sync = executeSql('SELECT X', session, { ...env, onStatement: answer as StatementHook });
      expect(sync, what).not.toBeInstanceOf(Promise);
      expect(failure(sync as SqlResult).code, what).toBe('999002');
      const later = await executeSql('SELECT X', session, { ...env, onStatement: (async () => answer()) as StatementHook });
      expect(failure(later).code, what).toBe('999002');
    }
  });

  it('a hook promise that never settles is 999002 after 30 s by default, or after its own timeout', async () => {
    vi.useFakeTimers();
    const { session, env } = setup();
    const hang: StatementHook = () => new Promise(() => {});
    let result: SqlResult | undefined;
    void (executeSql('SELECT X', session, { ...env, onStatement: hang }) as Promise<SqlResult>).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(DEFAULT_STATEMENT_HOOK_TIMEOUT_MS - 1);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(failure(result!)).toEqual({ code: '999002', message: expect.stringContaining('onStatement did not answer within 30000 ms') });

    result = undefined;
    void (executeSql('SELECT X', session, { ...env, onStatement: withHookTimeout(hang, 500) }) as Promise<SqlResult>).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(499);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(failure(result!).message).toContain('onStatement did not answer within 500 ms');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a hook that answers in time clears its timer', async () => {
    vi.useFakeTimers();
    const { session, env } = setup();
    const r = await executeSql('DELETE FROM T', session, { ...env, onStatement: withHookTimeout(async () => ({ result: { rows_affected: 1 } }), 500) });
    expect(r).toMatchObject({ ok: true, rows: [['1']] });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('withHookTimeout refuses a timeout a timer cannot wait', () => {
    const hook: StatementHook = () => undefined;
    expect(withHookTimeout(hook, undefined)).toBe(hook);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 31]) expect(() => withHookTimeout(hook, bad), String(bad)).toThrow(TypeError);
  });

  it('roles: the session role or any role it holds may run the entry; a role below it may not run one above', () => {
    const text = (v: string): StatementConfig['result'] => ({ columns: [{ name: 'X', type: 'TEXT' }], rows: [[v]] });
    const entries: StatementConfig[] = [
      { match: 'SYS', roles: ['SYSADMIN'], result: text('sys') },
      { match: 'USERADMIN', roles: ['USERADMIN'], result: text('useradmin') },
      { match: 'EVERYONE', roles: ['PUBLIC'], result: text('everyone') },
      { match: 'TOP', roles: ['ACCOUNTADMIN'], result: text('top') },
    ];
    const run = (sql: string, role: string): unknown => {
      const { session, env } = setup(entries, role);
      const r = executeSql(sql, session, env);
      return r.ok ? r.rows[0]?.[0] : r.rejection.code;
    };
    expect(run('SYS', 'ACCOUNTADMIN')).toBe('sys');
    expect(run('USERADMIN', 'ACCOUNTADMIN')).toBe('useradmin');
    expect(run('EVERYONE', 'ANALYST')).toBe('everyone');
    expect(run('TOP', 'ACCOUNTADMIN')).toBe('top');
    expect(run('SYS', 'ANALYST')).toBe('002003');
    expect(run('TOP', 'SYSADMIN')).toBe('002003');
  });
});
