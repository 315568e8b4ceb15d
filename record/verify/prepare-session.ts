/**
 * A recorded request inside a session (renewal, query, close, heartbeat, telemetry, or any other
 * endpoint, the SQL and REST APIs' bearer tokens too: record/verify/prepare-bearer.ts) made
 * sendable: its session token is the one the model issued for the recorded one;
 * where the flow has none yet (the recording started inside a session, or a mapping pins no
 * header), verify logs in first. A query without a body gets the `SELECT 1` a driver sends. Where
 * the recorded answer says the session expired (390112), the model's clock is moved past the
 * session's validity first, since a recording's hour-long wait is not in it.
 */
import { answerOf } from './answers.ts';
import { bearerToken } from './prepare-bearer.ts';
import { SESSION_KINDS, type EndpointKind } from './endpoints.ts';
import { bind, setupLogin, type Flow, type Step } from './flow.ts';
import { note, splitUrl, type Prepared } from './prepared.ts';
import { sentLine, shown, type Mark } from './shown.ts';
import { bodyText } from './request-body.ts';

/** snowflake-sdk's SELECT 1 (test/driver/driver-cases.ts). */
const SELECT_1 = JSON.stringify({ sqlText: 'SELECT 1', disableOfflineChunks: false, queryContextDTO: { entries: [] } });
/** Session token validity when the login answer did not say (Snowflake's default, 1 h). */
const DEFAULT_VALIDITY_S = 3600;

/**
 * The request to send for a recorded one that is not a login, an authorize or a token request.
 *
 * @example
 * const { request } = await prepareSession(flow, step, 'query')
 */
export async function prepareSession(flow: Flow, step: Step, kind: EndpointKind): Promise<Prepared> {
  const [path, query] = splitUrl(step.ex.request.url);
  const headers: Record<string, string> = { ...step.ex.request.headers };
  let body = bodyText(step.ex.request.body);
  const fields: string[] = [];
  if (kind === 'query' && body === '') {
    body = SELECT_1;
    headers['content-type'] ??= 'application/json';
    note(step, 'sdk-select-1');
    fields.push('sqlText=SELECT 1');
  }
  if (kind === 'renew') body = await renewBody(flow, step, body, fields);
  await authorization(flow, step, kind, headers, fields);
  await expireIfRecorded(flow, step, kind);
  return { request: { method: step.ex.request.method, path, query, headers, body }, sent: sentLine(step.ex.request.method, path, query, fields), compare: {} };
}

/** The session token a recorded one stands for: bound, or the flow's session (logging in first). */
async function sessionFor(flow: Flow, step: Step, recorded: string | undefined, master: boolean): Promise<[string | undefined, Mark | undefined]> {
  const bound = recorded === undefined ? undefined : flow.bindings.get(recorded);
  if (bound !== undefined) return [bound, 'issued'];
  if (!flow.session) await setupLogin(flow, step);
  const value = master ? flow.session?.master : flow.session?.token;
  if (recorded !== undefined) bind(flow, recorded, value);
  return [value, value === undefined ? undefined : 'issued'];
}

async function renewBody(flow: Flow, step: Step, body: string, fields: string[]): Promise<string> {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(body || '{}') as Record<string, unknown>;
  } catch {
    return body;
  }
  const old = typeof parsed.oldSessionToken === 'string' ? parsed.oldSessionToken : undefined;
  const [token, mark] = await sessionFor(flow, step, old, false);
  if (token !== undefined) parsed.oldSessionToken = token;
  fields.push(`requestType=${String(parsed.requestType)}`, `oldSessionToken=${shown(old ?? token, mark)}`);
  return JSON.stringify(parsed);
}

async function authorization(flow: Flow, step: Step, kind: EndpointKind, headers: Record<string, string>, fields: string[]): Promise<void> {
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '');
  if (bearer) {
    const [token, mark] = await bearerToken(flow, step, bearer[1]!, headers['x-snowflake-authorization-token-type'], answerOf(step.ex));
    headers.authorization = `Bearer ${token}`;
    fields.push(`Authorization Bearer ${shown(bearer[1], mark)}`);
    return;
  }
  const m = /^Snowflake Token="(.*)"$/.exec(headers.authorization ?? '');
  if (m) {
    const [token, mark] = await sessionFor(flow, step, m[1]!, kind === 'renew');
    if (token !== undefined) headers.authorization = `Snowflake Token="${token}"`;
    fields.push(`Authorization Snowflake Token=${shown(m[1], mark)}`);
    return;
  }
  if (headers.authorization !== undefined || !SESSION_KINDS.has(kind)) return;
  const [token] = await sessionFor(flow, step, undefined, kind === 'renew');
  if (token === undefined) return;
  headers.authorization = `Snowflake Token="${token}"`;
  note(step, 'session-header');
}

/** 390112 recorded for a session the model still holds valid: its clock moves past the validity first. */
async function expireIfRecorded(flow: Flow, step: Step, kind: EndpointKind): Promise<void> {
  if (!SESSION_KINDS.has(kind) || answerOf(step.ex).code !== '390112' || !flow.session || flow.expired === flow.session.token) return;
  const minutes = Math.ceil((flow.session.validityS ?? DEFAULT_VALIDITY_S) / 60) + 1;
  flow.mock.clock.advance(`${minutes}m`);
  flow.expired = flow.session.token;
  step.setup.push(`clock advanced ${minutes}m, past the session token's validity: the recorded answer says the session expired (390112)`);
}
