/**
 * `POST /queries/v1/query-request` (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/statement.js):
 * the drivers' way to run SQL inside a session.
 * The statement goes through the same SQL command layer as the SQL API (`domain/sql`); results come
 * back in the GS shape the drivers parse (`rowtype` + `rowset` of strings), failures as HTTP 200
 * with `success:false`, the Snowflake code and the query data.
 */
import { reject } from '../../domain/errors/rejection.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import { andThen, type Awaitable } from '../../domain/awaitable.ts';
import { executeSql, statementForJournal, type SqlEnv, type SqlResult, type SqlSession } from '../../domain/sql/execute.ts';
import { bindingsOf, type StatementBinding } from '../../domain/sql/matching.ts';
import { applyContext, type Session } from '../../domain/session/sessions.ts';
import type { User } from '../../domain/world/model.ts';
import type { Endpoint, RequestContext } from '../endpoint.ts';
import { allowed, delayed, rejected, type Outcome, type Principal } from '../outcome.ts';
import { json } from '../respond.ts';
import { readJsonObject } from '../../domain/json-object.ts';
import { gsSuccess } from './login-response.ts';
import { withSession } from './session-gate.ts';
import { SESSION_PARAMETERS } from './session-parameters.ts';

/**
 * `statementTypeId` by statement kind: SELECT is 0x1000 (the SELECT 1 fixtures under
 * recordings/driver-fixtures/, e.g. gosnowflake/test_data/wiremock/mappings/select1.json); the others follow
 * the drivers' statement-type ranges (SCL 0x4000 for SHOW/DESCRIBE, DDL 0x6000; inferred).
 */
const STATEMENT_TYPE: Readonly<Record<Extract<SqlResult, { ok: true }>['kind'], number>> = { select: 0x1000, show: 0x4000, describe: 0x4000, ddl: 0x6000, dml: 0x3000 };

/** `POST /queries/v1/query-request` */
export const queryRequest: Endpoint = (req, ctx) =>
  withSession(req, ctx, (session, user, principal) => {
    const query = readQuery(req.body);
    if ('why' in query) return rejected(reject('390400', SOURCES.decisionDriverSessions, query.why, 'QUERY_BODY_INVALID'), 'session', ctx, principal);
    return run(query.sqlText, query.bindings, session, user, principal, ctx);
  });

function run(sqlText: string, bindings: readonly StatementBinding[], session: Session, user: User, principal: Principal, ctx: RequestContext): Awaitable<Outcome> {
  // The driver session is the session SYSTEM$START_OAUTH_FLOW and SYSTEM$FINISH_OAUTH_FLOW share
  // (https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow).
  const env: SqlEnv = {
    world: ctx.core.world, now: ctx.now, ids: ctx.ids, provider: ctx.core.provider, journal: ctx.core.journal, sessionKey: `session:${session.id}`,
    statements: ctx.core.answers.statements, bindings, surface: 'driver',
  };
  const hook = ctx.core.answers.onStatement;
  const who = sqlSession(session, user, ctx);
  const result = hook ? executeSql(sqlText, who, { ...env, onStatement: hook }) : executeSql(sqlText, who, env);
  return andThen(result, (r) => answer(sqlText, r, bindings.length, session, principal, ctx));
}

function answer(sqlText: string, result: SqlResult, binds: number, session: Session, principal: Principal, ctx: RequestContext): Outcome {
  const queryId = ctx.ids.uuid();
  const ran = `session ${session.id}: ${statementForJournal(sqlText)}`;
  if (!result.ok) return delayed(rejected({ ...result.rejection, explanation: `${ran}: ${result.rejection.explanation}` }, 'session', { ...ctx, statementHandle: queryId }, principal), result.delayMs);
  if (result.changed) ctx.core.worldChanged();
  // USE, CREATE DATABASE/SCHEMA and ALTER SESSION move the driver session; final*Name then report it.
  if (result.context) applyContext(session, result.context);
  const note = result.note ? `; ${result.note}` : '';
  return delayed(allowed(json(200, gsSuccess(resultData(result, session, queryId, ctx.now, binds))), `ran ${ran}${note}`, principal), result.delayMs);
}

function sqlSession(session: Session, user: User, ctx: RequestContext): SqlSession {
  return {
    account: ctx.account, user, role: session.role, auth: session.auth,
    // The login's role lock stays with the session: USE ROLE cannot leave a PAT's or an OAuth token's role (decisions/0015).
    ...(session.roleLocked === true && { roleLocked: true }),
    ...(session.selectableRoles !== undefined && { selectableRoles: session.selectableRoles }),
    ...(session.database !== null && { database: session.database }),
    ...(session.schema !== null && { schema: session.schema }),
    ...(session.warehouse !== null && { warehouse: session.warehouse }),
  };
}

function resultData(result: Extract<SqlResult, { ok: true }>, session: Session, queryId: string, now: number, binds: number): Record<string, unknown> {
  return {
    parameters: SESSION_PARAMETERS,
    rowtype: result.columns.map((c) => ({ name: c.name, database: '', schema: '', table: '', byteLength: c.byteLength, length: c.length, type: c.type, scale: c.scale, precision: c.precision, nullable: c.nullable, collation: null })),
    rowset: result.rows,
    total: result.rows.length,
    returned: result.rows.length,
    queryId,
    databaseProvider: null,
    finalDatabaseName: session.database,
    finalSchemaName: session.schema,
    finalWarehouseName: session.warehouse,
    finalRoleName: session.role,
    numberOfBinds: binds, // the bindings sent (inferred; 0 in the SELECT 1 fixtures, which bind nothing)
    arrayBindSupported: false,
    statementTypeId: result.statementType ?? STATEMENT_TYPE[result.kind],
    version: 1,
    sendResultTime: now,
    queryResultFormat: 'json',
    queryContext: { entries: [] },
  };
}

/** `sqlText` and the bound values (snowflake-sdk statement.js `buildBindsMap`: `{"1": {type, value}}`). */
function readQuery(body: string): { sqlText: string; bindings: StatementBinding[] } | { why: string } {
  const parsed = readJsonObject(body);
  if (typeof parsed === 'string') return { why: `query-request body ${parsed}` };
  return typeof parsed.sqlText === 'string' ? { sqlText: parsed.sqlText, bindings: bindingsOf(parsed.bindings) } : { why: 'query-request body has no string sqlText' };
}
