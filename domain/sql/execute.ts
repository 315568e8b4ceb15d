/**
 * The SQL command layer: ONE entry point, {@link executeSql}, that both the SQL API
 * (`POST /api/v2/statements`) and the drivers' `POST /queries/v1/query-request` call. It runs the
 * statements of the auth model (SYSTEM$DECODE_PAT and the OAuth flow functions, key-pair keys,
 * PATs, DESC USER, an integration's network policy, the outbound and Native App statements) and
 * the context statements; everything else is answered by users (responders.ts: the onStatement
 * hook, then `statements:` entries), then by the built-in SELECT of literals and context
 * functions, else by the mock's own "not modelled" answer (decisions/0016). Pure: no transport,
 * never throws on any input.
 */
import type { Rejection } from '../errors/rejection.ts';
import type { Ids } from '../ids.ts';
import type { Journal } from '../journal.ts';
import type { ProviderService } from '../provider/service.ts';
import type { Account, User, World } from '../world/model.ts';
import type { Column, Row } from './columns.ts';
import { contextStatement, type ContextChange } from './context-commands.ts';
import { alterIntegration, setIntegrationEnabledCommand } from './integration-commands.ts';
import { executeInApplication, oauthFlowStatement, runOutbound, sessionRunner } from './outbound.ts';
import { parseCommand, type Command } from './parse.ts';
import { parseOutboundCommand } from './parse-outbound.ts';
import { addPatCommand, modifyPatCommand, removePatCommand, rotatePatCommand, showPats } from './pat-commands.ts';
import type { Awaitable } from '../awaitable.ts';
import type { StatementResponder } from './answers.ts';
import type { StatementBinding } from './matching.ts';
import { failed, syntaxError } from './refusals.ts';
import { answerUnclaimed, type StatementHook, type StatementSurface } from './responders.ts';
import { MalformedCall, runSelect } from './statements.ts';
import { Cursor, SqlSyntaxError, tokenize } from './tokens.ts';
import { describeUser, setKeys } from './user-commands.ts';

export type { Column } from './columns.ts';

import type { SessionAuth } from '../auth/context.ts';

export type { SessionAuth };

/** Who runs the statement and where. */
export interface SqlSession {
  readonly account: Account;
  readonly user: User;
  readonly role: string;
  readonly auth: SessionAuth;
  readonly database?: string;
  readonly schema?: string;
  readonly warehouse?: string;
  /**
   * The credential fixes `role` (a role-restricted PAT, an OAuth token): USE ROLE may name no
   * other (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token,
   * https://docs.snowflake.com/en/user-guide/oauth-custom; context-commands.ts).
   */
  readonly roleLocked?: boolean;
  /** External OAuth under an any-role mode: the only roles USE ROLE may pick (inferred, decisions/0015). */
  readonly selectableRoles?: ReadonlySet<string>;
}

/** What a statement may read and change besides the session. */
export interface SqlEnv {
  readonly world: World;
  /** Mock-clock time, epoch ms. */
  readonly now: number;
  readonly ids: Ids;
  /** The external OAuth provider SYSTEM$START_OAUTH_FLOW / SYSTEM$FINISH_OAUTH_FLOW talk to (issue #6). */
  readonly provider?: ProviderService | undefined;
  /**
   * The session START and FINISH must share (https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow): the driver session id on
   * query-request. Absent (the SQL API, which has no sessions) = each statement is a session of
   * its own, so FINISH never follows START there (decisions/0008).
   */
  readonly sessionKey?: string | undefined;
  /** Where the Native App framework's configuration callbacks are journaled (native-app/events.ts). */
  readonly journal?: Journal | undefined;
  /** `statements:` of the mock's options (createSnowflakeMock, startServer), tried before the account's and the world's (decisions/0016). */
  readonly statements?: readonly StatementResponder[] | undefined;
  /** The request's bound values, in order, for `bindings:` entries and the hook. */
  readonly bindings?: readonly StatementBinding[] | undefined;
  /** The transport the statement came by (what the hook is told); default `sql-api`. */
  readonly surface?: StatementSurface | undefined;
}

/**
 * A {@link SqlEnv} with an `onStatement` hook: {@link executeSql} may then answer with a promise
 * (only when the hook does).
 *
 * @example
 * const env: HookedSqlEnv = { world, now, ids, onStatement: ({ statement }) => undefined }
 */
export interface HookedSqlEnv extends SqlEnv {
  readonly onStatement: StatementHook;
}

/** A statement's answer: rows, or the rejection to answer with. */
export type SqlResult =
  | {
      readonly ok: true;
      readonly kind: 'select' | 'show' | 'describe' | 'ddl' | 'dml';
      readonly columns: readonly Column[];
      readonly rows: readonly Row[];
      /** True when the statement changed the world (the caller then calls core.worldChanged()). */
      readonly changed: boolean;
      /** True when the same text in the same session always gives the same result (only pure SELECTs). */
      readonly cacheable: boolean;
      /** Where the statement moved the session (USE, CREATE DATABASE/SCHEMA, ALTER SESSION; context-commands.ts). */
      readonly context?: ContextChange;
      /** The driver's statementTypeId when the kind alone does not say it (a user-answered DML, decisions/0016). */
      readonly statementType?: number;
      /** SQL API `stats` of a DML count (https://docs.snowflake.com/en/developer-guide/sql-api/reference, ResultSet). */
      readonly stats?: Readonly<Record<string, number>>;
      /** What the journal adds: who answered (`answered by statements[2] (…) of the world`), or that nothing did. */
      readonly note?: string;
      /** Answer this much later, in real time (a user's `delay:`; the transports carry it out like a fault's). */
      readonly delayMs?: number;
    }
  | { readonly ok: false; readonly rejection: Rejection; readonly delayMs?: number };

/**
 * Runs one statement for a session, in the order of decisions/0016: the auth-model (SYSTEM$DECODE_PAT
 * and the OAuth flow functions included) and context statements the mock runs; then (for anything else, or one of those the mock's grammar refuses)
 * the onStatement hook and the `statements:` entries; then the built-in SELECT of literals and
 * context functions; then a malformed built-in statement's 001003 syntax error, or the mock's
 * 999001 "not modelled". Never throws for any input. Synchronous unless `env.onStatement` answers
 * with a promise.
 *
 * @example
 * executeSql('ALTER USER ADD PAT nightly', { account, user, role: 'ANALYST', auth: 'KEYPAIR_JWT' }, { world, now: clock.now(), ids })
 * // { ok: true, kind: 'ddl', columns: [token_name, token_secret], rows: [['NIGHTLY', 'pat-…']], changed: true, cacheable: false }
 * executeSql('DROP TABLE t', session, { world, now, ids }) // { ok: false, rejection: { code: '999001', … } } unless a statements: entry answers it
 */
export function executeSql(sql: string, session: SqlSession, env: HookedSqlEnv): Awaitable<SqlResult>;
export function executeSql(sql: string, session: SqlSession, env: SqlEnv): SqlResult;
export function executeSql(sql: string, session: SqlSession, env: SqlEnv): Awaitable<SqlResult> {
  const modelled = claim(sql, (c) => {
    const flow = oauthFlowStatement(c, sql, session, env);
    if (flow) return flow;
    // The auth model's SYSTEM$ functions of the built-in SELECT cannot be overridden either (README "Who answers first");
    // any other SELECT — literals, context functions — comes after the user's answers.
    if (c.isWord(0, 'SELECT')) return authFunctionSelect(c, sql, session, env);
    const command = parseCommand(c);
    if (command) return run(command, session, env);
    // Context statements (USE, CREATE DATABASE/SCHEMA, SHOW, ALTER SESSION) precede the outbound grammar, whose CREATE SCHEMA is a setup script's.
    const context = contextStatement(c, session, env); if (context) return context;
    const outbound = parseOutboundCommand(c);
    if (outbound) return runOutbound(outbound, sessionRunner(session, env));
    return undefined;
  });
  if (modelled.kind === 'answered') return modelled.result;
  const hook = (env as Partial<HookedSqlEnv>).onStatement;
  return answerUnclaimed(sql, session, env, hook, () => (modelled.kind === 'malformed' ? modelled.result : builtInSelect(sql, session, env)));
}

/**
 * The SYSTEM$ functions of the auth model that the built-in SELECT runs (statements.ts):
 * SYSTEM$DECODE_PAT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). The
 * OAuth flow functions are claimed by oauthFlowStatement (outbound.ts).
 *
 * @example
 * AUTH_MODEL_FUNCTIONS.includes('SYSTEM$DECODE_PAT') // true: a `{ regex: '.*' }` entry never answers it
 */
export const AUTH_MODEL_FUNCTIONS: readonly string[] = ['SYSTEM$DECODE_PAT'];

/**
 * A SELECT that calls one of {@link AUTH_MODEL_FUNCTIONS}: the built-in SELECT runs it before the
 * hook and the `statements:` entries (decisions/0016 order, step 1). A malformed call is the
 * mock's 001003 (malformed, as before); a SELECT the built-in SELECT cannot evaluate around it
 * (`… FROM t`) stays unclaimed, so a user's answer may still take it (inferred: the mock models
 * the function, not the query around it).
 */
function authFunctionSelect(c: Cursor, sql: string, session: SqlSession, env: SqlEnv): SqlResult | undefined {
  if (!callsAuthFunction(c)) return undefined;
  c.next();
  try {
    return runSelect(c, sql, session, env);
  } catch (e) {
    if (e instanceof SqlSyntaxError && !(e instanceof MalformedCall)) return undefined;
    throw e;
  }
}

/** Whether a token of the statement is a call of an auth-model function (`SYSTEM$DECODE_PAT (`). */
function callsAuthFunction(c: Cursor): boolean {
  for (let i = 1; c.peek(i).kind !== 'end'; i++) {
    const t = c.peek(i);
    const open = c.peek(i + 1);
    if (t.kind === 'word' && AUTH_MODEL_FUNCTIONS.includes(t.value) && open.kind === 'punct' && open.value === '(') return true;
  }
  return false;
}

/** A statement the mock's grammar ran, refused as malformed, or did not recognise. */
type Claim = { readonly kind: 'answered' | 'malformed'; readonly result: SqlResult } | { readonly kind: 'unclaimed' };

/**
 * Runs `body` on the statement's tokens: its result; its (or the tokenizer's) syntax error as
 * Snowflake's 001003 — "malformed"; or "unclaimed" when it recognises nothing. An empty statement
 * is malformed.
 */
function claim(sql: string, body: (c: Cursor) => SqlResult | undefined): Claim {
  try {
    const c = new Cursor(tokenize(sql));
    if (c.peek().kind === 'end' || (c.peek().kind === 'punct' && c.peek().value === ';')) throw c.unexpected('an empty statement');
    const result = body(c);
    return result ? { kind: 'answered', result } : { kind: 'unclaimed' };
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    return { kind: 'malformed', result: syntaxFailure(sql, e) };
  }
}

/**
 * The built-in SELECT (statements.ts): its rows; a 001003 when a function it runs is called wrongly;
 * undefined — not modelled — for a SELECT it cannot evaluate (`SELECT * FROM t`), or no SELECT.
 */
function builtInSelect(sql: string, session: SqlSession, env: SqlEnv): SqlResult | undefined {
  try {
    const c = new Cursor(tokenize(sql));
    return c.word('SELECT') ? runSelect(c, sql, session, env) : undefined;
  } catch (e) {
    if (e instanceof MalformedCall) return syntaxFailure(sql, e);
    if (e instanceof SqlSyntaxError) return undefined;
    throw e;
  }
}

/**
 * Runs one statement of an application's setup script in the application's context (issue #6;
 * see native-app/setup-script.ts). Never throws for any input, like {@link executeSql}.
 *
 * @example
 * executeSqlInApplication('CREATE APPLICATION ROLE IF NOT EXISTS app_user', account, 'EXAMPLE_APP', env)
 */
export function executeSqlInApplication(sql: string, account: Account, application: string, env: SqlEnv): SqlResult {
  return guarded(sql, (c) => executeInApplication(c, account, application, env));
}

/** Tokenizes and runs; a {@link SqlSyntaxError} becomes Snowflake's 001003 naming the token. */
function guarded(sql: string, body: (c: Cursor) => SqlResult): SqlResult {
  try {
    return body(new Cursor(tokenize(sql)));
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    return syntaxFailure(sql, e);
  }
}

/** Snowflake's 001003 naming the token a {@link SqlSyntaxError} stopped at. */
function syntaxFailure(sql: string, e: SqlSyntaxError): SqlResult {
  const t = e.token;
  const token = t.kind === 'end' ? '<EOF>' : sql.slice(t.start, Math.min(t.end, t.start + 40));
  return failed(syntaxError(token, `syntax error at offset ${t.start} (${JSON.stringify(token)}): ${e.message}`, lineAndPosition(sql, t.start)));
}

function run(command: Command, session: SqlSession, env: SqlEnv): SqlResult {
  switch (command.kind) {
    case 'set-keys':
      return setKeys(command, session, env);
    case 'describe-user':
      return describeUser(command, session);
    case 'add-pat':
      return addPatCommand(command, session, env);
    case 'remove-pat':
      return removePatCommand(command, session, env);
    case 'rotate-pat':
      return rotatePatCommand(command, session, env);
    case 'modify-pat':
      return modifyPatCommand(command, session, env);
    case 'show-pats':
      return showPats(command, session, env);
    case 'alter-integration':
      return alterIntegration(command, session, env);
    case 'alter-integration-enabled':
      return setIntegrationEnabledCommand(command, session, env);
  }
}

/** Snowflake's "line N at position P": 1-based line, 0-based position within it. */
function lineAndPosition(sql: string, offset: number): { line: number; position: number } {
  const before = sql.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
  return { line, position: offset - lastBreak - 1 };
}

/**
 * A statement as the journal shows it: the first 80 characters, string literals masked (they may
 * hold secrets: `SYSTEM$DECODE_PAT('<secret>')`, `SET RSA_PUBLIC_KEY = '…'`).
 *
 * @example
 * statementForJournal("SELECT SYSTEM$DECODE_PAT('pat-alice-ci')") // '"SELECT SYSTEM$DECODE_PAT(\'***\')"'
 */
export function statementForJournal(sql: string): string {
  const masked = sql.includes("'") ? sql.replace(/'(?:[^']|'')*'?/g, "'***'") : sql;
  return JSON.stringify(masked.slice(0, 80));
}
