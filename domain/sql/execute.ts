/**
 * The SQL command layer: ONE entry point, {@link executeSql}, that both the SQL API
 * (`POST /api/v2/statements`) and the drivers' `POST /queries/v1/query-request` call. It answers
 * a handful of statements (SELECT of literals and context functions, SYSTEM$DECODE_PAT, key-pair
 * keys, PATs, DESC USER, an integration's network policy) and refuses anything else with a
 * Snowflake-shaped compilation error. Pure: no transport, never throws on any input.
 */
import type { Rejection } from '../errors/rejection.ts';
import type { Ids } from '../ids.ts';
import type { Journal } from '../journal.ts';
import type { ProviderService } from '../provider/service.ts';
import type { Account, User, World } from '../world/model.ts';
import type { Column, Row } from './columns.ts';
import { alterIntegration, setIntegrationEnabledCommand } from './integration-commands.ts';
import { executeInApplication, oauthFlowStatement, runOutbound, sessionRunner } from './outbound.ts';
import { parseCommand, type Command } from './parse.ts';
import { parseOutboundCommand } from './parse-outbound.ts';
import { addPatCommand, modifyPatCommand, removePatCommand, rotatePatCommand, showPats } from './pat-commands.ts';
import { failed, syntaxError } from './refusals.ts';
import { runSelect } from './statements.ts';
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
}

/** A statement's answer: rows, or the rejection to answer with. */
export type SqlResult =
  | {
      readonly ok: true;
      readonly kind: 'select' | 'show' | 'describe' | 'ddl';
      readonly columns: readonly Column[];
      readonly rows: readonly Row[];
      /** True when the statement changed the world (the caller then calls core.worldChanged()). */
      readonly changed: boolean;
      /** True when the same text in the same session always gives the same result (only pure SELECTs). */
      readonly cacheable: boolean;
    }
  | { readonly ok: false; readonly rejection: Rejection };

/**
 * Runs one statement for a session. Never throws for any input: a statement the mock does not
 * know, or a malformed one, is a 001003 syntax error naming the offending token (the first token
 * when the statement itself is unknown).
 *
 * @example
 * executeSql('ALTER USER ADD PAT nightly', { account, user, role: 'ANALYST', auth: 'KEYPAIR_JWT' }, { world, now: clock.now(), ids })
 * // { ok: true, kind: 'ddl', columns: [token_name, token_secret], rows: [['NIGHTLY', 'pat-…']], changed: true, cacheable: false }
 */
export function executeSql(sql: string, session: SqlSession, env: SqlEnv): SqlResult {
  return guarded(sql, (c) => {
    const flow = oauthFlowStatement(c, sql, session, env);
    if (flow) return flow;
    if (c.word('SELECT')) return runSelect(c, sql, session, env);
    const command = parseCommand(c);
    if (command) return run(command, session, env);
    const outbound = parseOutboundCommand(c);
    if (outbound) return runOutbound(outbound, sessionRunner(session, env));
    const first = c.peek();
    throw new SqlSyntaxError(first, `${JSON.stringify(sql.slice(first.start, first.start + 60))}… is not a statement the mock supports (SELECT, ALTER USER keys/PATs, SHOW USER PATS, DESC USER, ALTER SECURITY INTEGRATION, the outbound OAuth and Native App statements of decisions/0008)`);
  });
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
    const t = e.token;
    const token = t.kind === 'end' ? '<EOF>' : sql.slice(t.start, Math.min(t.end, t.start + 40));
    return failed(syntaxError(token, `syntax error at offset ${t.start} (${JSON.stringify(token)}): ${e.message}`, lineAndPosition(sql, t.start)));
  }
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
