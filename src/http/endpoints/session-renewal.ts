/**
 * `POST /session/token-request` (drivers §4): the driver renews an expired session token with
 * `Authorization: Snowflake Token="<master token>"` and `{"requestType":"RENEW","oldSessionToken":…}`.
 * The master token keeps its own expiry; past it the answer is 390114 and the driver must log in.
 */
import { isoTime } from '../../domain/clock.ts';
import { reject, type Rejection } from '../../domain/errors/rejection.ts';
import type { Session } from '../../domain/session/sessions.ts';
import type { Endpoint, RequestContext } from '../endpoint.ts';
import { allowed, rejected, type Principal } from '../outcome.ts';
import type { MockRequest } from '../record.ts';
import { json } from '../respond.ts';
import { gsSuccess } from './login-response.ts';
import { snowflakeToken } from './session-gate.ts';

const RULE = 'drivers §4';

/** `POST /session/token-request` */
export const renewSession: Endpoint = (req, ctx) => {
  const found = masterSession(req, ctx);
  if ('rejection' in found) return rejected(found.rejection, 'session', ctx, found.principal);
  const { session, principal } = found;
  const problem = checkBody(req.body, session);
  if (problem) return rejected(problem, 'session', ctx, principal);
  ctx.core.sessions.renew(session, ctx.now, ctx.account.parameters.sessionTokenValidity);
  const data = {
    sessionToken: session.token,
    validityInSecondsST: Math.round((session.tokenExpiresAt - ctx.now) / 1000),
    masterToken: session.masterToken,
    validityInSecondsMT: Math.round((session.masterExpiresAt - ctx.now) / 1000),
    sessionId: session.id,
  };
  return allowed(json(200, gsSuccess(data)), `session ${session.id} of ${session.user} renewed (renewal ${session.renewals}); new session token valid until ${isoTime(session.tokenExpiresAt)}`, principal);
};

function masterSession(req: MockRequest, ctx: RequestContext): { session: Session; principal: Principal } | { rejection: Rejection; principal?: Principal } {
  const token = snowflakeToken(req.headers.authorization);
  if (token === undefined || token === '') return { rejection: reject('390115', RULE, 'renewal without Authorization: Snowflake Token="<master token>"', 'MASTER_TOKEN_MISSING') };
  const session = ctx.core.sessions.byMasterToken(token);
  if (!session || session.account !== ctx.account.name) return { rejection: reject('390113', RULE, 'master token unknown to the mock (a session token sent instead?)') };
  const principal: Principal = { authMethod: session.auth, user: session.user, role: session.role };
  if (session.closedAt !== undefined) return { rejection: reject('390111', RULE, `session ${session.id} was closed at ${isoTime(session.closedAt)}`, 'SESSION_CLOSED'), principal };
  if (ctx.now >= session.masterExpiresAt) {
    return { rejection: reject('390114', RULE, `master token of session ${session.id} expired at ${isoTime(session.masterExpiresAt)}; the client must log in again`), principal };
  }
  return { session, principal };
}

function checkBody(body: string, session: Session): Rejection | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return reject('390400', RULE, 'renewal body is not JSON', 'RENEW_BODY_INVALID');
  }
  const b = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (b.requestType !== 'RENEW') return reject('390400', RULE, `requestType ${JSON.stringify(b.requestType)?.slice(0, 40)} is not "RENEW"`, 'RENEW_BODY_INVALID');
  const old = b.oldSessionToken;
  // Inferred: the old token must be one this session has had (a driver sends the one that expired).
  if (typeof old !== 'string' || (old !== session.token && !session.previousTokens.includes(old))) {
    return reject('390104', RULE, `oldSessionToken is not a session token of session ${session.id}`, 'SESSION_TOKEN_UNKNOWN');
  }
  return undefined;
}
