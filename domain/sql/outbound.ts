/**
 * Dispatch of the outbound-OAuth and Native App statements (issue #6): the commands of
 * outbound-commands.ts and application-commands.ts, `SELECT SYSTEM$START_OAUTH_FLOW('…')` and
 * `SELECT SYSTEM$FINISH_OAUTH_FLOW('…')`, and {@link executeInApplication}, which runs one
 * statement of a setup script in the application's context.
 */
import type { Rejection } from '../errors/rejection.ts';
import { finishOAuthFlow, startOAuthFlow, type FlowContext } from '../native-app/oauth-flow.ts';
import type { Account } from '../world/model.ts';
import {
  answerSpecificationCommand, describeConfigurationCommand, grantApplicationRoleCommand, setConfigurationDefinitionCommand,
  setConfigurationValueCommand, setSpecificationCommand, showConfigurationsCommand, showSpecificationsCommand, unsetConfigurationValueCommand,
} from './application-commands.ts';
import { textColumn } from './columns.ts';
import type { SqlEnv, SqlResult, SqlSession } from './execute.ts';
import { createApplicationRoleCommand, createIntegrationCommand, createSchemaCommand, createSecretCommand, grantCommand } from './outbound-commands.ts';
import type { Runner } from './outbound-context.ts';
import { parseOutboundCommand, type OutboundCommand } from './parse-outbound.ts';
import { failed } from './refusals.ts';
import { type Cursor, SqlSyntaxError } from './tokens.ts';

/**
 * Runs a parsed outbound statement.
 *
 * @example
 * runOutbound(parseOutboundCommand(cursor)!, { account, actor: { kind: 'application', application: 'EXAMPLE_APP' }, env })
 */
export function runOutbound(cmd: OutboundCommand, r: Runner): SqlResult {
  switch (cmd.kind) {
    case 'create-integration':
      return createIntegrationCommand(cmd, r);
    case 'create-secret':
      return createSecretCommand(cmd, r);
    case 'create-schema':
      return createSchemaCommand(cmd, r);
    case 'create-application-role':
      return createApplicationRoleCommand(cmd, r);
    case 'grant':
      return grantCommand(cmd, r);
    case 'grant-application-role':
      return grantApplicationRoleCommand(cmd, r);
    case 'set-specification':
      return setSpecificationCommand(cmd, r);
    case 'set-configuration-definition':
      return setConfigurationDefinitionCommand(cmd, r);
    case 'answer-specification':
      return answerSpecificationCommand(cmd, r);
    case 'set-configuration-value':
      return setConfigurationValueCommand(cmd, r);
    case 'unset-configuration-value':
      return unsetConfigurationValueCommand(cmd, r);
    case 'show-specifications':
      return showSpecificationsCommand(cmd, r);
    case 'show-configurations':
      return showConfigurationsCommand(cmd, r);
    case 'describe-configuration':
      return describeConfigurationCommand(cmd, r);
  }
}

/**
 * The runner of a statement in a user's session.
 *
 * @example
 * sessionRunner(session, env).actor // { kind: 'session', user: 'ALICE', role: 'ANALYST', … }
 */
export function sessionRunner(session: SqlSession, env: SqlEnv): Runner {
  return { account: session.account, env, actor: { kind: 'session', user: session.user.name, role: session.role, database: session.database, schema: session.schema } };
}

const FLOW_FUNCTIONS = ['SYSTEM$START_OAUTH_FLOW', 'SYSTEM$FINISH_OAUTH_FLOW'];

type FlowAnswer = { ok: true; value: string } | { ok: false; rejection: Rejection };

/**
 * `SELECT SYSTEM$START_OAUTH_FLOW('<secret>') [AS alias]` or `SELECT SYSTEM$FINISH_OAUTH_FLOW('<query
 * string>') [AS alias]` alone in a statement; `undefined` (nothing consumed) for any other statement.
 * START answers the authorization URL, FINISH a status; the session is `env.sessionKey` (a driver
 * session), else the statement is a session of its own (SQL API: FINISH can never follow there).
 *
 * @example
 * oauthFlowStatement(cursor, "SELECT SYSTEM$START_OAUTH_FLOW('EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET')", session, env)
 */
export function oauthFlowStatement(c: Cursor, sql: string, session: SqlSession, env: SqlEnv): SqlResult | undefined {
  const fn = c.peek(1);
  if (!(c.isWord(0, 'SELECT') && fn.kind === 'word' && FLOW_FUNCTIONS.includes(fn.value) && c.peek(2).kind === 'punct' && c.peek(2).value === '(')) return undefined;
  c.next();
  c.next();
  c.next();
  const argument = c.string(fn.value === 'SYSTEM$START_OAUTH_FLOW' ? "the secret's name ('<db>.<schema>.<secret>')" : 'the query string of the redirect');
  c.expectPunct(')');
  let name = sql.slice(fn.start, c.lastEnd()).toUpperCase();
  if (c.word('AS')) {
    const alias = c.peek();
    name = c.identifier('an alias');
    if (alias.kind === 'word') name = alias.value;
  }
  c.expectEnd();
  const ctx: FlowContext = {
    account: session.account, now: env.now, ids: env.ids, provider: env.provider,
    session: env.sessionKey ?? `statement:${env.ids.token('', 16)}`, statementOnly: env.sessionKey === undefined,
    user: session.user.name, role: session.role, database: session.database, schema: session.schema,
  };
  const result = fn.value === 'SYSTEM$START_OAUTH_FLOW' ? start(ctx, argument, fn) : finish(ctx, argument);
  if (!result.ok) return failed(result.rejection);
  return { ok: true, kind: 'select', columns: [textColumn(name)], rows: [[result.value]], changed: false, cacheable: false };
}

function start(ctx: FlowContext, argument: string, at: SqlSyntaxError['token']): FlowAnswer {
  const parts = argument.split('.').map((p) => (p.startsWith('"') && p.endsWith('"') && p.length > 1 ? p.slice(1, -1) : p.toUpperCase()));
  if (parts.some((p) => p === '')) throw new SqlSyntaxError(at, `"${argument.slice(0, 100)}" is not a secret name ('<db>.<schema>.<secret>')`);
  const r = startOAuthFlow(ctx, parts);
  return r.ok ? { ok: true, value: r.url } : r;
}

function finish(ctx: FlowContext, argument: string): FlowAnswer {
  const r = finishOAuthFlow(ctx, argument);
  return r.ok ? { ok: true, value: r.message } : r;
}

/**
 * Runs one statement of an application's setup script in the application's context: `ALTER
 * APPLICATION SET …` means this application, two-part names lie in its database, grants go to its
 * application roles. Only the outbound statements run here; anything else is a 001003.
 *
 * @example
 * executeInApplication("CREATE SECRET app_schema.oauth_secret TYPE = oauth2 API_AUTHENTICATION = oauth_integration", account, 'EXAMPLE_APP', env)
 */
export function executeInApplication(c: Cursor, account: Account, application: string, env: SqlEnv): SqlResult {
  const cmd = parseOutboundCommand(c);
  if (!cmd) throw c.unexpected('not a statement the mock runs in a setup script (CREATE SCHEMA | APPLICATION ROLE | SECURITY INTEGRATION | SECRET, GRANT … TO APPLICATION ROLE, ALTER APPLICATION SET SPECIFICATION | CONFIGURATION DEFINITION)');
  return runOutbound(cmd, { account, env, actor: { kind: 'application', application } });
}
