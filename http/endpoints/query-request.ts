/**
 * `POST /queries/v1/query-request` (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/statement.js):
 * the drivers' way to run SQL inside a session.
 * The statement goes through the same SQL command layer as the SQL API (`domain/sql`); results come
 * back in the GS shape the drivers parse (`rowtype` + `rowset` of strings), failures as HTTP 200
 * with `success:false`, the Snowflake code and the query data.
 */
import { reject } from '../../domain/errors/rejection.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import { executeSql, statementForJournal, type SqlResult } from '../../domain/sql/execute.ts';
import type { Session } from '../../domain/session/sessions.ts';
import type { User } from '../../domain/world/model.ts';
import type { Endpoint, RequestContext } from '../endpoint.ts';
import { allowed, rejected, type Outcome, type Principal } from '../outcome.ts';
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
const STATEMENT_TYPE: Readonly<Record<Extract<SqlResult, { ok: true }>['kind'], number>> = { select: 0x1000, show: 0x4000, describe: 0x4000, ddl: 0x6000 };

/** `POST /queries/v1/query-request` */
export const queryRequest: Endpoint = (req, ctx) =>
  withSession(req, ctx, (session, user, principal) => {
    const sqlText = readSqlText(req.body);
    if (typeof sqlText !== 'string') return rejected(reject('390400', SOURCES.decisionDriverSessions, sqlText.why, 'QUERY_BODY_INVALID'), 'session', ctx, principal);
    return run(sqlText, session, user, principal, ctx);
  });

function run(sqlText: string, session: Session, user: User, principal: Principal, ctx: RequestContext): Outcome {
  // The driver session is the session SYSTEM$START_OAUTH_FLOW and SYSTEM$FINISH_OAUTH_FLOW share
  // (https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow).
  const env = { world: ctx.core.world, now: ctx.now, ids: ctx.ids, provider: ctx.core.provider, journal: ctx.core.journal, sessionKey: `session:${session.id}` };
  const result = executeSql(sqlText, sqlSession(session, user, ctx), env);
  const queryId = ctx.ids.uuid();
  const ran = `session ${session.id}: ${statementForJournal(sqlText)}`;
  if (!result.ok) return rejected({ ...result.rejection, explanation: `${ran}: ${result.rejection.explanation}` }, 'session', { ...ctx, statementHandle: queryId }, principal);
  if (result.changed) ctx.core.worldChanged();
  return allowed(json(200, gsSuccess(resultData(result, session, queryId, ctx.now))), `ran ${ran}`, principal);
}

function sqlSession(session: Session, user: User, ctx: RequestContext) {
  return {
    account: ctx.account, user, role: session.role, auth: session.auth,
    ...(session.database !== null && { database: session.database }),
    ...(session.schema !== null && { schema: session.schema }),
    ...(session.warehouse !== null && { warehouse: session.warehouse }),
  };
}

function resultData(result: Extract<SqlResult, { ok: true }>, session: Session, queryId: string, now: number): Record<string, unknown> {
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
    numberOfBinds: 0,
    arrayBindSupported: false,
    statementTypeId: STATEMENT_TYPE[result.kind],
    version: 1,
    sendResultTime: now,
    queryResultFormat: 'json',
    queryContext: { entries: [] },
  };
}

function readSqlText(body: string): string | { why: string } {
  const parsed = readJsonObject(body);
  if (typeof parsed === 'string') return { why: `query-request body ${parsed}` };
  return typeof parsed.sqlText === 'string' ? parsed.sqlText : { why: 'query-request body has no string sqlText' };
}
