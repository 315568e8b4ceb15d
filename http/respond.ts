/**
 * The ONE place where a domain rejection becomes an HTTP response (DESIGN.md §4). Status,
 * envelope and message come from the error catalogue for the surface the request arrived on.
 */
import { CATALOGUE, entryFor, formatMessage } from '../domain/errors/catalogue.ts';
import type { CatalogueEntry, Envelope, Surface, SurfaceForm } from '../domain/errors/types.ts';
import type { Rejection, UserAnswerError } from '../domain/errors/rejection.ts';
import { createIds, type Ids } from '../domain/ids.ts';
import type { Switches } from '../domain/world/model.ts';
import { escapeHtml } from './pages/layout.ts';
import type { MockResponse } from './record.ts';

const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

/**
 * A JSON response.
 *
 * @example
 * json(200, { ok: true })
 */
export function json(status: number, body: unknown, headers?: Record<string, string>): MockResponse {
  return { status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS, body: JSON.stringify(body) };
}

/**
 * A JSON response from text already serialised.
 *
 * @example
 * jsonText(200, '{"ok":true}')
 */
export function jsonText(status: number, body: string): MockResponse {
  return { status, headers: JSON_HEADERS, body };
}

/**
 * A response with no body (e.g. 405, whose documented body is empty).
 *
 * @example
 * empty(405, { allow: 'POST' })
 */
export function empty(status: number, headers: Record<string, string> = {}): MockResponse {
  return { status, headers, body: '' };
}

/** What `rejectionResponse` needs besides the rejection. */
export interface RespondContext {
  readonly switches: Switches;
  readonly ids: Ids;
  /** Extra fields for envelopes that carry them (statementHandle for query failures, queryId for GS ones). */
  readonly statementHandle?: string;
}

/** The code that goes on the wire: the generic one, or the specific 3943xx behind the switch (https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting). */
export function wireCode(rejection: Rejection, switches: Switches): string {
  const cause = rejection.cause;
  if (switches.jwtSpecificErrors && cause && CATALOGUE[cause]?.wireCode === rejection.code) return cause;
  return rejection.code;
}

/**
 * Turns a rejection into the response Snowflake gives on this surface.
 *
 * @example
 * rejectionResponse(reject('390303', SOURCES.sqlApiReference, 'unknown token'), 'api', ctx) // 401 {"code":"390303",…}
 */
export function rejectionResponse(rejection: Rejection, surface: Surface, ctx: RespondContext): MockResponse {
  if (rejection.answer) return answeredFailure(rejection.answer, surface, ctx);
  const code = wireCode(rejection, ctx.switches);
  const entry = entryFor(code);
  const form = formOf(entry, surface);
  const message = formatMessage(entry, { ...rejection.params }, incidentFor(entry, ctx.ids));
  return envelope(form.envelope, form.status, entry, message, ctx, rejection.params);
}

/**
 * A catalogue entry's answer on `surface` with its own message and no parameters, for the mock's
 * own codes that need no request context (999000, the internal error).
 *
 * @example
 * catalogueResponse('999000', 'api').status // 500
 */
export function catalogueResponse(code: string, surface: Surface): MockResponse {
  const entry = entryFor(code);
  const form = formOf(entry, surface);
  return envelope(form.envelope, form.status, entry, entry.message, NO_CONTEXT);
}

/** No request context: the switches only choose 3943xx codes, and an id (a query failure's handle) comes from a seeded generator. */
const NO_CONTEXT: RespondContext = { switches: {} as Switches, ids: createIds(0) };

/**
 * A failure a user wrote (decisions/0016) in the envelope of a failed statement: 422
 * QueryFailureStatus on the SQL API, the GS query failure on a driver session; code, SQL state
 * and message as given.
 */
function answeredFailure(answer: UserAnswerError, surface: Surface, ctx: RespondContext): MockResponse {
  const entry: CatalogueEntry = {
    code: answer.code, name: 'USER_ANSWER', message: answer.message, fidelity: 'mock', source: 'decisions/0016-statements.md',
    when: 'a statements: entry or the onStatement hook answered with this error', surfaces: { api: USER_FAILURE }, sqlState: answer.sqlState,
  };
  const form = formOf(entry, surface);
  return envelope(form.envelope, form.status, entry, answer.message, ctx);
}

const USER_FAILURE: SurfaceForm = { status: 422, envelope: 'query-failure', fidelity: 'documented' };

/** A SQL failure on a driver session: HTTP 200 with the GS envelope (snowflake-connector-nodejs lib/connection/statement.js; shape inferred, decisions/0006). */
const SESSION_QUERY_FAILURE: SurfaceForm = { status: 200, envelope: 'gs-query-failure', fidelity: 'inferred', note: 'GS query-failure data fields inferred' };

function formOf(entry: CatalogueEntry, surface: Surface): SurfaceForm {
  if (surface === 'session' && !entry.surfaces.session) {
    // Session endpoints speak the GS envelope: login-style for auth codes, query data for SQL failures.
    if (entry.surfaces.login) return entry.surfaces.login;
    if (entry.surfaces.api?.envelope === 'query-failure') return SESSION_QUERY_FAILURE;
  }
  const form = entry.surfaces[surface] ?? entry.surfaces.api ?? Object.values(entry.surfaces)[0];
  if (!form) throw new Error(`catalogue entry ${entry.code} has no surface`);
  // A browser on the authorize pages gets an error page whatever the code (e.g. a network-policy refusal).
  if (surface === 'oauth-authorize' && !entry.surfaces[surface]) return { ...form, envelope: 'html' };
  return form;
}

function incidentFor(entry: CatalogueEntry, ids: Ids): string | undefined {
  if (entry.incident === 'uuid') return ids.uuid();
  if (entry.incident === 'number') return ids.incidentNumber();
  return undefined;
}

function envelope(kind: Envelope, status: number, entry: CatalogueEntry, message: string, ctx: RespondContext, params?: Readonly<Record<string, string>>): MockResponse {
  switch (kind) {
    case 'api':
      return json(status, { code: entry.code, message });
    case 'query-failure':
      return json(status, { code: entry.code, message, sqlState: entry.sqlState ?? '42000', statementHandle: ctx.statementHandle ?? ctx.ids.uuid() });
    case 'login':
      return json(status, { data: loginData(entry, params), code: entry.code, message, success: false, headers: null });
    case 'gs-query-failure': {
      const data = { internalError: false, errorCode: entry.code, age: 0, sqlState: entry.sqlState ?? '42000', queryId: ctx.statementHandle ?? ctx.ids.uuid(), line: -1, pos: -1, type: message.startsWith('SQL compilation error') ? 'COMPILATION' : 'EXECUTION' };
      return json(status, { data, code: entry.code, message, success: false, headers: null });
    }
    case 'oauth':
      return json(status, { data: null, message, code: null, success: false, error: entry.oauthError ?? entry.code });
    case 'rest-error':
      return json(status, { message, error_code: entry.code, request_id: ctx.ids.uuid() });
    case 'html':
      return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: errorPage(entry, message) };
    case 'empty':
      return empty(status);
  }
}


function loginData(entry: CatalogueEntry, params: Readonly<Record<string, string>> | undefined): unknown {
  const data = entry.loginData;
  if (!data) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const param = typeof value === 'string' ? /^\{(\w+)\}$/.exec(value)?.[1] : undefined;
    out[key] = param === undefined ? value : (params?.[param] ?? null);
  }
  return out;
}

function errorPage(entry: CatalogueEntry, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Snowflake - error</title></head><body><main><h1>Something went wrong</h1><p>${escapeHtml(message)}</p><p>Error code: ${escapeHtml(entry.code)} (${escapeHtml(entry.name)})</p></main></body></html>`;
}
