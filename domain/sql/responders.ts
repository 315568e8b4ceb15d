/**
 * Statements the mock's own commands do not run, answered by users (decisions/0016), in this
 * order: the `onStatement` hook; the `statements:` entries of the mock's options, of the account,
 * of the world; the built-in SELECT of literals and context functions; and at last the mock's own
 * "not modelled" answer (999001, or no rows under the switch `unmodelled_statements: empty`).
 * Synchronous unless the hook returns a promise.
 */
import { andThen, type Awaitable } from '../awaitable.ts';
import { reject, type Rejection } from '../errors/rejection.ts';
import { SOURCES } from '../errors/sources.ts';
import { Checker, describe, isRecord } from '../world/validate/checker.ts';
import { formatPath } from '../world/validate/world-config-error.ts';
import type { StatementAnswerConfig } from '../world/statements-config.ts';
import { countRows, readAnswer, statementShape, type CompiledAnswer, type StatementResponder } from './answers.ts';
import { STATUS_COLUMNS } from './columns.ts';
import { usableRoles } from './context-commands.ts';
import type { SqlEnv, SqlResult, SqlSession } from './execute.ts';
import { bindingsMatch, matches, normaliseStatement, objectOf, type StatementBinding } from './matching.ts';
import { doesNotExist, failed } from './refusals.ts';

/**
 * Which transport a statement came by: the SQL API, or a driver session's query-request.
 *
 * @example
 * const surface: StatementSurface = 'driver'
 */
export type StatementSurface = 'sql-api' | 'driver';

/**
 * What an `onStatement` hook is told about a statement.
 *
 * @example
 * // { statement: 'SELECT * FROM ORDERS WHERE ID = ?', bindings: [{ type: 'FIXED', value: '42' }], user: 'ALICE', role: 'ANALYST', account: 'MYORG-MYACCOUNT', surface: 'driver', … }
 */
export interface StatementContext {
  /** As the client sent it. */
  readonly statement: string;
  /** Bound values in order (`"1"`, `"2"`, …). */
  readonly bindings: readonly StatementBinding[];
  readonly user: string;
  readonly role: string;
  /** Org-account name, e.g. `MYORG-MYACCOUNT`. */
  readonly account: string;
  readonly database: string | undefined;
  readonly schema: string | undefined;
  readonly warehouse: string | undefined;
  readonly surface: StatementSurface;
}

/**
 * Answers statements in test code: an answer (`{ result: { columns, rows } }`, `{ result: {
 * rows_affected } }`, `{ error: { code, sql_state, message } }`, each with an optional `delay`),
 * or nothing to let the next responder try. May return a promise.
 *
 * @example
 * const onStatement: StatementHook = ({ statement }) => /^select \* from orders/i.test(statement) ? { result: { columns: [{ name: 'ID', type: 'NUMBER' }], rows: [[1]] } } : undefined
 */
export type StatementHook = (context: StatementContext) => StatementAnswerConfig | null | undefined | void | Promise<StatementAnswerConfig | null | undefined | void>;

const RULE = `${SOURCES.decisionStatements} (answered as written by the user)`;

/**
 * Answers a statement no built-in command ran. `rest` is the built-in SELECT (or the syntax error
 * of a malformed built-in statement); undefined when it has nothing to say.
 *
 * @example
 * answerUnclaimed('DROP TABLE T', session, env, undefined, () => undefined) // answered by an entry, or 999001
 */
export function answerUnclaimed(sql: string, session: SqlSession, env: SqlEnv, hook: StatementHook | undefined, rest: () => SqlResult | undefined): Awaitable<SqlResult> {
  const hooked = hook ? askHook(hook, sql, session, env) : undefined;
  return andThen(hooked, (answer) => answer ?? afterHook(sql, session, env, hook !== undefined, rest));
}

function afterHook(sql: string, session: SqlSession, env: SqlEnv, hooked: boolean, rest: () => SqlResult | undefined): SqlResult {
  const normalised = normaliseStatement(sql);
  const lists = [env.statements, session.account.statements, env.world.statements];
  let tried = 0;
  for (const list of lists) {
    for (const entry of list ?? []) {
      tried++;
      if (!matches(entry.matcher, normalised)) continue;
      if (entry.bindings && !bindingsMatch(entry.bindings, env.bindings ?? [])) continue;
      if (entry.roles && !mayRun(entry.roles, session)) return refusedByRole(entry, sql, session);
      return resultOf(entry.answer, sql, `answered by ${entry.label}`);
    }
  }
  return rest() ?? unmodelled(sql, env, hooked, tried);
}

/**
 * Whether the session's role may run an entry limited to `roles`: the role itself or any role it
 * holds — PUBLIC and the system roles below it (ACCOUNTADMIN holds SYSADMIN and SECURITYADMIN,
 * SECURITYADMIN holds USERADMIN: https://docs.snowflake.com/en/user-guide/security-access-control-overview#system-defined-roles),
 * the hierarchy USE ROLE follows (context-commands.ts `usableRoles`).
 */
function mayRun(roles: ReadonlySet<string>, session: SqlSession): boolean {
  for (const held of usableRoles({ ...session.user, roles: new Set([session.role]) })) if (roles.has(held)) return true;
  return false;
}

/**
 * A role-restricted entry's answer to any other role: Snowflake's "does not exist or not
 * authorized" (002003), naming the object the statement reads — a table one may not see is
 * reported as absent (https://docs.snowflake.com/en/user-guide/security-access-control-overview;
 * the object named this way is inferred).
 */
function refusedByRole(entry: StatementResponder, sql: string, session: SqlSession): SqlResult {
  const object = objectOf(sql);
  const roles = [...entry.roles!].join(', ');
  const why = `${entry.label} matched, but only role${entry.roles!.size === 1 ? '' : 's'} ${roles} may run it, not ${session.role}: ${object.kind} '${object.name}' does not exist or not authorized`;
  return failed(doesNotExist(object.kind, object.name, `https://docs.snowflake.com/en/user-guide/security-access-control-overview; ${SOURCES.decisionStatements} (inferred)`, why));
}

/**
 * A compiled answer as a result: rows (cacheable never: answers may change with the world or the
 * hook), a DML count with its verb's columns, or the failure as written.
 *
 * @example
 * resultOf({ kind: 'count', count: 1, delayMs: 0 }, 'INSERT INTO T VALUES (1)', 'answered by onStatement') // { ok: true, kind: 'dml', rows: [['1']], … }
 */
export function resultOf(answer: CompiledAnswer, sql: string, note: string): SqlResult {
  const delay = answer.delayMs > 0 ? { delayMs: answer.delayMs } : {};
  if (answer.kind === 'error') {
    const rejection: Rejection = { ...reject(answer.code, RULE, `${note}: error ${answer.code} (${answer.sqlState})`), answer: { code: answer.code, sqlState: answer.sqlState, message: answer.message } };
    return { ...failed(rejection), ...delay };
  }
  if (answer.kind === 'count') {
    const counted = countRows(sql, answer.count);
    return { ok: true, kind: 'dml', columns: counted.columns, rows: counted.rows, changed: false, cacheable: false, statementType: counted.statementType, ...(counted.stats && { stats: counted.stats }), note, ...delay };
  }
  const shape = statementShape(sql);
  return { ok: true, kind: shape.kind, columns: answer.columns, rows: answer.rows, changed: false, cacheable: false, statementType: shape.statementType, note, ...delay };
}

/**
 * How long the mock waits for a hook's promise before answering 999002 (30 s), unless
 * {@link withHookTimeout} says otherwise.
 *
 * @example
 * DEFAULT_STATEMENT_HOOK_TIMEOUT_MS // 30000
 */
export const DEFAULT_STATEMENT_HOOK_TIMEOUT_MS = 30_000;

/** Timeouts of hooks made by {@link withHookTimeout} (a wrapper each, so one function may serve mocks with different timeouts). */
const HOOK_TIMEOUTS = new WeakMap<StatementHook, number>();

/**
 * The hook, with its own timeout: a promise that has not settled after `timeoutMs` is answered
 * 999002 "did not answer within N ms" (its late answer is ignored). Undefined keeps the default
 * ({@link DEFAULT_STATEMENT_HOOK_TIMEOUT_MS}). A timeout that is not a whole number of
 * milliseconds from 1 to 2^31 − 1 (what a timer can wait) throws a TypeError.
 *
 * @example
 * createCore({ config, onStatement: withHookTimeout(({ statement }) => fetchAnswer(statement), 5_000) })
 */
export function withHookTimeout(hook: StatementHook, timeoutMs: number | undefined): StatementHook {
  if (timeoutMs === undefined) return hook;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
    throw new TypeError(`statementHookTimeoutMs: expected a whole number of milliseconds from 1 to 2147483647, got ${String(timeoutMs)}`);
  }
  const timed: StatementHook = (context) => hook(context);
  HOOK_TIMEOUTS.set(timed, timeoutMs);
  return timed;
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * The hook's answer, or undefined when it has none. Whatever goes wrong — it throws, rejects, never
 * settles, or answers something that throws while being read (a getter, a Proxy, a circular or
 * too-deep cell) — is the mock's 999002, never an exception.
 */
function askHook(hook: StatementHook, sql: string, session: SqlSession, env: SqlEnv): Awaitable<SqlResult | undefined> {
  let returned: unknown;
  try {
    returned = hook(contextOf(sql, session, env));
    if (returned instanceof Promise) {
      const ms = HOOK_TIMEOUTS.get(hook) ?? DEFAULT_STATEMENT_HOOK_TIMEOUT_MS;
      return within(returned, ms).then(
        (answer) => (answer === TIMED_OUT ? hookFailed(`did not answer within ${ms} ms (its promise never settled)`) : readHookAnswer(answer, sql)),
        (e: unknown) => hookFailed(`rejected with ${errorText(e)}`),
      );
    }
  } catch (e) {
    return hookFailed(`threw ${errorText(e)}`);
  }
  return readHookAnswer(returned, sql);
}

/** The promise's outcome, or {@link TIMED_OUT} after `ms`; the timer is cleared as soon as it settles. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function readHookAnswer(answer: unknown, sql: string): SqlResult | undefined {
  try {
    return fromHook(answer, sql);
  } catch (e) {
    return hookFailed(`answered something that could not be read (${errorText(e)})`);
  }
}

function contextOf(sql: string, session: SqlSession, env: SqlEnv): StatementContext {
  return {
    statement: sql,
    bindings: env.bindings ?? [],
    user: session.user.name,
    role: session.role,
    account: session.account.name,
    database: session.database,
    schema: session.schema,
    warehouse: session.warehouse,
    surface: env.surface ?? 'sql-api',
  };
}

function fromHook(answer: unknown, sql: string): SqlResult | undefined {
  if (answer === undefined || answer === null) return undefined;
  if (!isRecord(answer)) return hookFailed(`returned ${describe(answer)}; expected an answer ({ result } or { error }) or nothing`);
  const c = new Checker();
  const compiled = readAnswer(c, answer, []);
  if (!compiled || c.problems.length > 0) {
    const problems = c.problems.slice(0, 3).map((p) => `${formatPath(p.path) || 'answer'}: ${p.message}`).join('; ');
    return hookFailed(`answered something that is not a valid answer (${problems})`);
  }
  return resultOf(compiled, sql, 'answered by onStatement');
}

function hookFailed(reason: string): SqlResult {
  const cut = reason.length > 300 ? `${reason.slice(0, 300)}…` : reason;
  return failed(reject('999002', RULE, `onStatement ${cut}`, undefined, { reason: cut }));
}

/** What was thrown, as text; never throws itself (a throwing getter or toString is reported as such). */
function errorText(e: unknown): string {
  try {
    return e instanceof Error ? `${String(e.name)}: ${String(e.message)}` : describe(e);
  } catch {
    return 'a value that cannot be described (reading it threw)';
  }
}

/**
 * Nothing answered: the mock's 999001 naming the statement, or, under `unmodelled_statements:
 * empty`, success with no rows; the journal says "not modelled" either way.
 */
function unmodelled(sql: string, env: SqlEnv, hooked: boolean, tried: number): SqlResult {
  const statement = excerpt(sql);
  const hook = hooked ? 'the onStatement hook did not answer it, ' : '';
  const why = `${statement} is not modelled: no built-in command runs it, ${hook}no statements: entry matched (${tried} tried); answer it with a statements: entry or an onStatement hook (README.md#statements-you-answer)`;
  if (env.world.switches.unmodelledStatements !== 'empty') return failed(reject('999001', RULE, why, undefined, { statement }));
  const shape = statementShape(sql);
  return { ok: true, kind: shape.kind, columns: STATUS_COLUMNS, rows: [], changed: false, cacheable: false, statementType: shape.statementType, note: `${why}; answered with no rows (switches.unmodelled_statements: empty)` };
}

/**
 * A statement as the "not modelled" message quotes it: whitespace collapsed, string literals
 * masked (they may hold secrets), at most 60 characters.
 *
 * @example
 * excerpt("CREATE USER bob PASSWORD = 'hunter2'") // '"CREATE USER bob PASSWORD = \'***\'"'
 */
export function excerpt(sql: string): string {
  const flat = sql.slice(0, 400).replace(/'(?:[^']|'')*'?/g, "'***'").replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 60)}…` : flat);
}
