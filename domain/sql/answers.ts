/**
 * Answers users write (decisions/0016): a `statements:` entry of the world, of an account or of
 * the mock's options, and what an `onStatement` hook returns. One reader checks both — reporting
 * each problem at its field, as world validation does — and compiles the answer once into the
 * strings Snowflake sends (cells.ts), so answering costs no conversion.
 */
import { readDelay } from '../faults.ts';
import { Checker, describe, isAbsent, isRecord, type Entry, type Rec } from '../world/validate/checker.ts';
import type { ConfigPath } from '../world/validate/world-config-error.ts';
import type { StatementConfig } from '../world/statements-config.ts';
import { CellError, columnOf, encodeCell } from './cells.ts';
import type { Column, Row } from './columns.ts';
import { describeMatcher, firstKeyword, matcherOf, regexProblem, type Matcher } from './matching.ts';

/**
 * An answer, compiled: rows as wire strings, a DML count, or a failure as given.
 *
 * @example
 * const a: CompiledAnswer = { kind: 'count', count: 2, delayMs: 0 }
 */
export type CompiledAnswer =
  | { readonly kind: 'rows'; readonly columns: readonly Column[]; readonly rows: readonly Row[]; readonly delayMs: number }
  | { readonly kind: 'count'; readonly count: number; readonly delayMs: number }
  | { readonly kind: 'error'; readonly code: string; readonly sqlState: string; readonly message: string; readonly delayMs: number };

/**
 * A compiled `statements:` entry: how it recognises a statement, who may run it, its answer, and
 * how the journal names it (`statements[2] (prefix "DROP TABLE") of account MYORG-MYACCOUNT`).
 *
 * @example
 * compileStatements([{ prefix: 'DROP TABLE', result: { rows_affected: 0 } }], 'the world')[0].label
 */
export interface StatementResponder {
  readonly label: string;
  readonly matcher: Matcher;
  /** Upper-case role names; absent = every role. */
  readonly roles?: ReadonlySet<string>;
  /** Expected bound values, in order; absent = any. */
  readonly bindings?: readonly (string | null)[];
  readonly answer: CompiledAnswer;
}

const ANSWER_KEYS = ['result', 'error', 'delay'];
const ENTRY_KEYS = ['match', 'prefix', 'regex', 'roles', 'bindings', ...ANSWER_KEYS];
const MATCHERS = ['match', 'prefix', 'regex'] as const;
const COLUMN_KEYS = ['name', 'type', 'nullable', 'scale', 'precision'];
/**
 * Most rows one answer may hold (a test fixture, not a table).
 *
 * @example
 * readAnswer(new Checker(), { result: { columns: [{ name: 'X', type: 'INT' }], rows: Array(MAX_ANSWER_ROWS + 1).fill([1]) } }, []) // undefined, with a problem at result.rows
 */
export const MAX_ANSWER_ROWS = 10_000;

/**
 * Reads a hook's answer or the answer part of an entry: exactly one of `result` and `error`, and
 * an optional `delay`. `keys` limits the mapping's keys (a hook's answer: only the answer's).
 *
 * @example
 * const c = new Checker()
 * readAnswer(c, { result: { rows_affected: 2 } }, ['onStatement']) // { kind: 'count', count: 2, delayMs: 0 }
 */
export function readAnswer(c: Checker, r: Rec, path: ConfigPath, keys: readonly string[] = ANSWER_KEYS): CompiledAnswer | undefined {
  c.keys(r, path, keys);
  const delayMs = readDelay(c, r, path) ?? 0;
  const given = ['result', 'error'].filter((k) => !isAbsent(r[k]));
  if (given.length !== 1) {
    c.add(path, given.length === 0 ? 'give an answer: result (rows or rows_affected) or error' : 'give one answer, result or error, not both');
    return undefined;
  }
  return given[0] === 'error' ? readError(c, r.error, [...path, 'error'], delayMs) : readResult(c, r.result, [...path, 'result'], delayMs);
}

function readResult(c: Checker, value: unknown, path: ConfigPath, delayMs: number): CompiledAnswer | undefined {
  const r = c.record(value, path, ['columns', 'rows', 'rows_affected']);
  if (!r) return undefined;
  if (!isAbsent(r.rows_affected)) {
    if (!isAbsent(r.columns) || !isAbsent(r.rows)) c.add(path, 'give rows_affected (a DML count) or columns and rows, not both');
    const count = c.int(r, 'rows_affected', path, 0, Number.MAX_SAFE_INTEGER);
    return count === undefined ? undefined : { kind: 'count', count, delayMs };
  }
  const columns = readColumns(c, r, path);
  const rows = columns && readRows(c, r, path, columns);
  return columns && rows ? { kind: 'rows', columns, rows, delayMs } : undefined;
}

function readColumns(c: Checker, r: Rec, path: ConfigPath): Column[] | undefined {
  if (isAbsent(r.columns)) {
    c.add([...path, 'columns'], 'required: the columns of the rows (or give rows_affected for a DML count)');
    return undefined;
  }
  const before = c.problems.length;
  const specs = c.records(r, 'columns', path, COLUMN_KEYS);
  if (Array.isArray(r.columns) && r.columns.length === 0) c.add([...path, 'columns'], 'list at least one column');
  const columns = specs.map(({ value, path: at }) => readColumn(c, value, at));
  return c.problems.length === before ? (columns as Column[]) : undefined;
}

function readColumn(c: Checker, s: Rec, path: ConfigPath): Column | undefined {
  const before = c.problems.length;
  const name = c.string(s, 'name', path, true);
  const type = c.string(s, 'type', path, true);
  const nullable = c.bool(s, 'nullable', path);
  const scale = c.int(s, 'scale', path, 0, 38);
  const precision = c.int(s, 'precision', path, 1, 38);
  if (c.problems.length !== before || name === undefined || type === undefined) return undefined;
  try {
    return columnOf({ name, type, nullable, scale, precision });
  } catch (e) {
    if (!(e instanceof CellError)) throw e;
    c.add([...path, fieldOf(e.message)], e.message);
    return undefined;
  }
}

/** The column field a {@link columnOf} problem is about (its message names it first). */
const fieldOf = (message: string): string => (/^precision/.test(message) ? 'precision' : /^scale/.test(message) ? 'scale' : 'type');

function readRows(c: Checker, r: Rec, path: ConfigPath, columns: readonly Column[]): Row[] | undefined {
  const list = c.list(r, 'rows', path) ?? [];
  if (list.length > MAX_ANSWER_ROWS) {
    c.add([...path, 'rows'], `at most ${MAX_ANSWER_ROWS} rows, got ${list.length}`);
    return undefined;
  }
  const before = c.problems.length;
  const rows = list.map((row, i) => readRow(c, row, [...path, 'rows', i], columns));
  return c.problems.length === before ? (rows as Row[]) : undefined;
}

function readRow(c: Checker, row: unknown, path: ConfigPath, columns: readonly Column[]): Row | undefined {
  if (!Array.isArray(row)) {
    c.add(path, `expected a list of ${columns.length} value${columns.length === 1 ? '' : 's'} (one per column), got ${describe(row)}`);
    return undefined;
  }
  if (row.length !== columns.length) {
    c.add(path, `this row has ${row.length} value${row.length === 1 ? '' : 's'}, but there ${columns.length === 1 ? 'is 1 column' : `are ${columns.length} columns`} (${columns.map((col) => col.name).join(', ')})`);
    return undefined;
  }
  return row.map((cell, j) => {
    try {
      return encodeCell(cell, columns[j]!);
    } catch (e) {
      if (!(e instanceof CellError)) throw e;
      c.add([...path, j], `column ${columns[j]!.name} (${columns[j]!.type}): ${e.message}`);
      return null;
    }
  });
}

function readError(c: Checker, value: unknown, path: ConfigPath, delayMs: number): CompiledAnswer | undefined {
  const r = c.record(value, path, ['code', 'sql_state', 'message']);
  if (!r) return undefined;
  const code = readCode(c, r, path);
  const sqlState = c.string(r, 'sql_state', path, 'a 5-character SQL state, e.g. 42S02 or 02000');
  if (sqlState !== undefined && !/^[0-9A-Z]{5}$/.test(sqlState)) c.add([...path, 'sql_state'], `expected 5 digits or capital letters (an ANSI SQLSTATE such as 42S02), got "${sqlState}"`);
  const message = c.string(r, 'message', path, 'the error message clients show');
  if (message !== undefined && message.length > 4000) c.add([...path, 'message'], `at most 4000 characters, got ${message.length}`);
  if (code === undefined || sqlState === undefined || !/^[0-9A-Z]{5}$/.test(sqlState) || message === undefined || message.length > 4000) return undefined;
  return { kind: 'error', code, sqlState, message, delayMs };
}

/** A Snowflake error code: 6 digits, as drivers parse codes as numbers (a YAML number is zero-padded: 2003 → 002003). */
function readCode(c: Checker, r: Rec, path: ConfigPath): string | undefined {
  const v = r.code;
  if (isAbsent(v)) {
    c.add([...path, 'code'], 'required: a 6-digit Snowflake error code, e.g. 002003');
    return undefined;
  }
  const text = typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v).padStart(6, '0') : typeof v === 'string' ? v.trim() : '';
  if (/^\d{6}$/.test(text)) return text;
  c.add([...path, 'code'], `expected a 6-digit error code such as 002003, got ${describe(v)}`);
  return undefined;
}

/**
 * Reads one `statements:` entry: exactly one matcher, `roles` (each checked by `role`, which
 * reports an unknown one and returns the upper-case name), `bindings`, and the answer.
 *
 * @example
 * readStatementEntry(c, { prefix: 'DROP TABLE', error: { code: '002003', sql_state: '02000', message: 'no' } }, ['statements', 0], (e) => e.value.toUpperCase())
 */
export function readStatementEntry(c: Checker, r: Rec, path: ConfigPath, role: (entry: Entry<string>) => string | undefined): Omit<StatementResponder, 'label'> | undefined {
  const matcher = readMatcher(c, r, path);
  const roles = readRoles(c, r, path, role);
  const bindings = readBindings(c, r, path);
  const answer = readAnswer(c, r, path, ENTRY_KEYS);
  if (!matcher || !answer || roles === null || bindings === null) return undefined;
  return { matcher, answer, ...(roles && { roles }), ...(bindings && { bindings }) };
}

function readMatcher(c: Checker, r: Rec, path: ConfigPath): Matcher | undefined {
  const given = MATCHERS.filter((k) => !isAbsent(r[k]));
  if (given.length !== 1) {
    c.add(path, given.length === 0 ? 'give one matcher: match (the whole statement), prefix or regex' : `give one matcher, not ${given.join(' and ')}`);
    return undefined;
  }
  const kind = given[0]!;
  const text = c.string(r, kind, path);
  if (text === undefined) return undefined;
  const problem = kind === 'regex' ? regexProblem(text) : undefined;
  if (problem) c.add([...path, kind], problem);
  return problem ? undefined : matcherOf(kind, text);
}

/** `undefined` = not given; `null` = given but wrong (reported). */
function readRoles(c: Checker, r: Rec, path: ConfigPath, role: (entry: Entry<string>) => string | undefined): ReadonlySet<string> | undefined | null {
  if (isAbsent(r.roles)) return undefined;
  const before = c.problems.length;
  const names = c.strings(r, 'roles', path).map(role);
  if (Array.isArray(r.roles) && r.roles.length === 0) c.add([...path, 'roles'], 'list at least one role (leave roles out to let every role run it)');
  return c.problems.length === before ? new Set(names as string[]) : null;
}

function readBindings(c: Checker, r: Rec, path: ConfigPath): readonly (string | null)[] | undefined | null {
  const list = c.list(r, 'bindings', path);
  if (list === undefined) return isAbsent(r.bindings) ? undefined : null;
  const before = c.problems.length;
  const values = list.map((v, i) => {
    if (v === null || typeof v === 'string') return v;
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
    c.add([...path, 'bindings', i], `expected a bound value (text, a number, true/false or null), got ${describe(v)}`);
    return null;
  });
  return c.problems.length === before ? values : null;
}

/**
 * Compiles entries already validated (world load, the mock's options): a problem here is a bug,
 * so it throws. `where` ends each label: `the world`, `account MYORG-MYACCOUNT`, `the mock's options`.
 *
 * @example
 * compileStatements(config.statements, 'the world')
 */
export function compileStatements(list: readonly StatementConfig[] | undefined, where: string): StatementResponder[] {
  if (!list || list.length === 0) return [];
  const c = new Checker();
  const out = list.map((entry, i) => {
    const compiled = isRecord(entry) ? readStatementEntry(c, entry, ['statements', i], (e) => e.value.toUpperCase()) : undefined;
    if (!compiled) throw new Error(`statements[${i}] of ${where} was not validated: ${c.problems.map((p) => p.message).join('; ')}`);
    return { ...compiled, label: `statements[${i}] (${describeMatcher(compiled.matcher)}) of ${where}` };
  });
  return out;
}

/** The verb of a DML statement and what Snowflake answers for it. */
interface DmlShape {
  readonly columns: readonly string[];
  /** Which column holds the count (the others are 0); default the first. */
  readonly at?: number;
  /** SQL API `stats` field (https://docs.snowflake.com/en/developer-guide/sql-api/reference, ResultSet.stats). */
  readonly stat?: 'numRowsInserted' | 'numRowsUpdated' | 'numRowsDeleted';
  /** The driver's statementTypeId (snowflake-sdk lib/connection/result/statement_type.js: DML 0x3000 … 0x3FFF). */
  readonly statementType: number;
}

/**
 * Columns of a DML result by verb: INSERT "number of rows inserted", UPDATE "number of rows updated"
 * and "number of multi-joined rows updated", DELETE "number of rows deleted", MERGE "number of rows
 * inserted" and "number of rows updated" (the column names Snowflake's DML results carry; which
 * MERGE column gets the count is inferred: the updated one). snowflake-sdk adds up every column of
 * a DML result for getNumUpdatedRows() (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/result/result.js).
 * Any other verb: one "number of rows affected" column (the mock's).
 */
const DML: Readonly<Record<string, DmlShape>> = {
  INSERT: { columns: ['number of rows inserted'], stat: 'numRowsInserted', statementType: 0x3100 },
  UPDATE: { columns: ['number of rows updated', 'number of multi-joined rows updated'], stat: 'numRowsUpdated', statementType: 0x3200 },
  DELETE: { columns: ['number of rows deleted'], stat: 'numRowsDeleted', statementType: 0x3300 },
  MERGE: { columns: ['number of rows inserted', 'number of rows updated'], at: 1, stat: 'numRowsUpdated', statementType: 0x3400 },
};
const OTHER_DML: DmlShape = { columns: ['number of rows affected'], statementType: 0x3000 };

const countColumn = (name: string): Column => ({ name, type: 'fixed', nullable: false, scale: 0, precision: 19, length: null, byteLength: null });

/**
 * The result kind and driver statement type of a statement, by its first keyword: SELECT 0x1000 (the
 * SELECT 1 driver fixtures), DML as above, SHOW/DESCRIBE 0x4000 and the rest 0x6000 as the mock's
 * own commands (http/endpoints/query-request.ts; inferred).
 *
 * @example
 * statementShape('insert into t values (1)') // { kind: 'dml', statementType: 0x3100 }
 */
export function statementShape(sql: string): { kind: 'select' | 'show' | 'dml' | 'ddl'; statementType: number } {
  const verb = firstKeyword(sql);
  if (['SELECT', 'WITH', 'VALUES'].includes(verb)) return { kind: 'select', statementType: 0x1000 };
  if (['SHOW', 'DESC', 'DESCRIBE', 'LIST', 'LS'].includes(verb)) return { kind: 'show', statementType: 0x4000 };
  const dml = DML[verb];
  return dml ? { kind: 'dml', statementType: dml.statementType } : { kind: 'ddl', statementType: 0x6000 };
}

/**
 * The rows of a DML count answer for this statement: columns by verb, one row, SQL API stats.
 *
 * @example
 * countRows('DELETE FROM t', 2) // { columns: [number of rows deleted], rows: [['2']], stats: { numRowsDeleted: 2 }, statementType: 0x3300 }
 */
export function countRows(sql: string, count: number): { columns: Column[]; rows: Row[]; stats?: Readonly<Record<string, number>>; statementType: number } {
  const shape = DML[firstKeyword(sql)] ?? OTHER_DML;
  const row = shape.columns.map((_, i) => (i === (shape.at ?? 0) ? String(count) : '0'));
  return { columns: shape.columns.map(countColumn), rows: [row], ...(shape.stat && { stats: { [shape.stat]: count } }), statementType: shape.statementType };
}
