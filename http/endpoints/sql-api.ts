/**
 * SQL API (https://docs.snowflake.com/en/developer-guide/sql-api/reference): `POST /api/v2/statements`, `GET /api/v2/statements/{handle}` and
 * `POST /api/v2/statements/{handle}/cancel`, behind the bearer gate.
 */
import type { AuthSuccess } from '../../domain/auth/context.ts';
import { reject } from '../../domain/errors/rejection.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import { andThen, type Awaitable } from '../../domain/awaitable.ts';
import { executeSql, type SqlEnv, type SqlResult, type SqlSession, statementForJournal } from '../../domain/sql/execute.ts';
import { bindingsOf } from '../../domain/sql/matching.ts';
import type { Endpoint, RequestContext } from '../endpoint.ts';
import { allowed, delayed, plain, principalOf, rejected, type Outcome, type Principal } from '../outcome.ts';
import type { MockRequest } from '../record.ts';
import { empty, json, jsonText } from '../respond.ts';
import type { StoredStatement } from '../statement-store.ts';
import { withBearer } from './bearer-gate.ts';
import { parsePayload, type StatementPayload } from './sql-payload.ts';
import { queryStatus, resultSetJson } from './sql-result.ts';

const SQL_RULE = SOURCES.sqlApiReference;

/** `POST /api/v2/statements` */
export const submitStatement: Endpoint = (req, ctx) =>
  withBearer(req, ctx, (auth) => {
    const media = checkMediaTypes(req);
    if (media) return media(principalOf(auth));
    const payload = parsePayload(req);
    if (!payload.ok) return rejected(reject('390142', SQL_RULE, payload.explanation), 'api', ctx, principalOf(auth));
    const role = sessionRole(payload.value, auth, ctx);
    if (typeof role !== 'string') return rejected(role, 'api', ctx, principalOf(auth));
    return run(req, ctx, auth, payload.value, role);
  });

/** `GET /api/v2/statements/{handle}` */
export const statementStatus: Endpoint = (req, ctx) =>
  withBearer(req, ctx, (auth) => {
    const stored = ownStatement(ctx, auth);
    if (!stored) return notFound(ctx, auth);
    if (!stored.result.ok) {
      const r = stored.result.rejection;
      const why = { ...r, rule: `${r.rule}; ${SQL_RULE} (a failed statement answers its failure again)`, explanation: `statement ${stored.handle} failed: ${r.explanation}` };
      return rejected(why, 'api', { ...ctx, statementHandle: stored.handle }, principalOf(auth));
    }
    return allowed(jsonText(200, resultSetJson(stored, query(req), ctx.ids)), `${auth.explanation}; statement ${stored.handle} status`, principalOf(auth), '090001');
  });

/** `POST /api/v2/statements/{handle}/cancel` */
export const cancelStatement: Endpoint = (req, ctx) =>
  withBearer(req, ctx, (auth) => {
    const stored = ownStatement(ctx, auth);
    if (!stored) return notFound(ctx, auth);
    const body = { code: '000604', sqlState: '57014', message: 'SQL execution canceled', statementHandle: stored.handle, statementStatusUrl: `/api/v2/statements/${stored.handle}` };
    return allowed(json(200, body), `${auth.explanation}; statement ${stored.handle} cancelled`, principalOf(auth), '000604');
  });

function run(req: MockRequest, ctx: RequestContext, auth: AuthSuccess, payload: StatementPayload, role: string): Awaitable<Outcome> {
  const session: SqlSession = { account: ctx.account, user: auth.user, role, auth: auth.method, ...optional(payload), ...roleLock(auth) };
  // No sessionKey: the SQL API has no sessions, so each statement is one of its own (decisions/0008).
  // A USE / ALTER SESSION here answers success and its context change is dropped: the docs support them "only within a
  // request that specifies multiple statements" (https://docs.snowflake.com/en/developer-guide/sql-api/intro#limitations-of-the-sql-api)
  // without saying what a single one answers (inferred, decisions/0015).
  const env: SqlEnv = {
    world: ctx.core.world, now: ctx.now, ids: ctx.ids, provider: ctx.core.provider, journal: ctx.core.journal,
    statements: ctx.core.answers.statements, bindings: bindingsOf(payload.bindings), surface: 'sql-api',
  };
  const hook = ctx.core.answers.onStatement;
  // Cache first (a pure SELECT is answered without parsing); anything else runs through the SQL command layer.
  // A hook or bound values may answer the same text differently each time (decisions/0016): no cache then.
  const result = hook ? executeSql(payload.statement, session, { ...env, onStatement: hook })
    : env.bindings!.length > 0 ? executeSql(payload.statement, session, env)
    : ctx.core.statements.execute(payload.statement, session, env, executeSql);
  return andThen(result, (r) => answer(req, ctx, auth, payload, role, r));
}

function answer(req: MockRequest, ctx: RequestContext, auth: AuthSuccess, payload: StatementPayload, role: string, result: SqlResult): Outcome {
  // A command that changed the world (a new PAT, a key, a policy) rebuilds the token indexes and decision caches.
  if (result.ok && result.changed) ctx.core.worldChanged();
  const handle = ctx.ids.uuid();
  const stored: StoredStatement = { handle, account: ctx.account.name, user: auth.user.name, result, createdOn: ctx.now, statement: payload.statement };
  const principal: Principal = { authMethod: auth.method, user: auth.user.name, role };
  // Failed statements are kept too: fetching one by its handle answers its failure again.
  ctx.core.statements.put(stored);
  if (!result.ok) {
    const r = result.rejection;
    const why = { ...r, explanation: `${r.explanation} (authenticated: ${auth.explanation})` };
    return delayed(rejected(why, 'api', { ...ctx, statementHandle: handle }, principal), result.delayMs);
  }
  const q = query(req);
  if (q.get('async') === 'true') {
    // A user's delay models the statement running: async=true answers at once, as Snowflake does (decisions/0016).
    return allowed(json(202, queryStatus(handle, q)), `${auth.explanation}; statement accepted for async execution`, principal, '333334');
  }
  const note = result.note ? `; ${result.note}` : '';
  return delayed(allowed(jsonText(200, resultSetJson(stored, q, ctx.ids)), `${auth.explanation}; ran ${statementForJournal(payload.statement)}${note}`, principal, '090001'), result.delayMs);
}

/** The role for the session: the body's `role` if the credential may use it, else the credential's. */
function sessionRole(payload: StatementPayload, auth: AuthSuccess, _ctx: RequestContext): string | ReturnType<typeof reject> {
  const wanted = payload.role;
  // Request-body values are case-sensitive (sql-api/reference): "analyst" is not the role ANALYST.
  if (wanted === undefined || wanted === auth.role) return auth.role;
  // An External OAuth token under an any-role mode may pick a role its rules allow (decisions/0009).
  if (auth.selectableRoles?.has(wanted)) return wanted;
  // A role-restricted PAT or an OAuth token fixes the session role (programmatic-access-tokens, oauth-custom); a key pair may use any granted role.
  const restricted = auth.method === 'OAUTH' || auth.roleLocked === true;
  if (!restricted && auth.user.roles.has(wanted)) return wanted;
  const why = restricted ? `the ${auth.method} credential is limited to role ${auth.role}` : `role ${JSON.stringify(wanted.slice(0, 100))} is not granted to ${auth.user.name} (role names are case-sensitive)`;
  return reject('390189', `${SQL_RULE} (role in the request body)`, why, undefined, { role: wanted.slice(0, 255) });
}

/**
 * The credential's role lock, as sessionRole below reads it: a role-restricted PAT or an OAuth
 * token (not one under an any-role mode) fixes the role, so a USE ROLE in the statement may not
 * leave it (decisions/0015).
 */
function roleLock(auth: AuthSuccess): Pick<SqlSession, 'roleLocked' | 'selectableRoles'> {
  if (auth.selectableRoles !== undefined && auth.roleLocked !== true) return { selectableRoles: auth.selectableRoles };
  return auth.roleLocked === true || auth.method === 'OAUTH' ? { roleLocked: true } : {};
}

function checkMediaTypes(req: MockRequest): ((principal: Principal) => Outcome) | undefined {
  const raw = req.headers['content-type'] ?? '';
  const type = raw === 'application/json' ? raw : raw.split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return (p) => plain(empty(415), 'rejected', `rejected: Content-Type "${type.slice(0, 60)}" is not application/json`, SQL_RULE, p);
  }
  const accept = req.headers.accept;
  if (accept !== undefined && accept !== 'application/json' && accept !== '*/*' && !/application\/json|\*\/\*|application\/\*/i.test(accept)) {
    return (p) => plain(empty(422), 'rejected', `rejected: Accept "${accept.slice(0, 60)}" does not include application/json`, `${SQL_RULE} (inferred body)`, p);
  }
  return undefined;
}

function ownStatement(ctx: RequestContext, auth: AuthSuccess): StoredStatement | undefined {
  const stored = ctx.core.statements.get(ctx.params.handle ?? '');
  // Another user's statement is answered like an unknown one: handles do not leak across users.
  return stored && stored.account === ctx.account.name && stored.user === auth.user.name ? stored : undefined;
}

function notFound(ctx: RequestContext, auth: AuthSuccess): Outcome {
  const handle = (ctx.params.handle ?? '').slice(0, 100);
  const why = reject('000709', SQL_RULE, `no statement ${handle} of ${auth.user.name}`, undefined, { handle });
  return rejected(why, 'api', { ...ctx, statementHandle: handle }, principalOf(auth));
}

const NO_QUERY = new URLSearchParams();
const query = (req: MockRequest): URLSearchParams => (req.query === '' ? NO_QUERY : new URLSearchParams(req.query));

function optional(p: StatementPayload): Pick<SqlSession, 'database' | 'schema' | 'warehouse'> {
  return { ...(p.database !== undefined && { database: p.database }), ...(p.schema !== undefined && { schema: p.schema }), ...(p.warehouse !== undefined && { warehouse: p.warehouse }) };
}
