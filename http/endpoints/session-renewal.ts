/**
 * `POST /session/token-request` (as snowflake-sdk renews, test/driver/driver-cases.ts; fixture
 * recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/session_token_renewal.json): the driver renews an expired session token with
 * `Authorization: Snowflake Token="<master token>"` and `{"requestType":"RENEW","oldSessionToken":…}`.
 * The master token keeps its own expiry; past it the answer is 390114 and the driver must log in.
 * The token rules live in `domain/session/session-tokens.ts`.
 */
import { isoTime } from '../../domain/clock.ts';
import { reject } from '../../domain/errors/rejection.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import { checkMasterToken, renewSessionToken } from '../../domain/session/session-tokens.ts';
import type { Session } from '../../domain/session/sessions.ts';
import type { Endpoint } from '../endpoint.ts';
import { allowed, rejected } from '../outcome.ts';
import { json } from '../respond.ts';
import { readJsonObject } from '../../domain/json-object.ts';
import { quoteUntrusted } from '../../domain/safe-text.ts';
import { gsSuccess } from './login-response.ts';
import { principalOfSession, snowflakeToken } from './session-gate.ts';

/** `POST /session/token-request` */
export const renewSession: Endpoint = (req, ctx) => {
  const check = checkMasterToken(snowflakeToken(req.headers.authorization), ctx.core.sessions, ctx.account, ctx.now);
  const principal = principalOfSession(check.session);
  if (!check.ok) return rejected(check.rejection, 'session', ctx, principal);
  const { session } = check;
  const body = readJsonObject(req.body);
  if (typeof body === 'string' || typeof body.requestType !== 'string' || body.requestType !== 'RENEW') {
    // The same 390400 as any other bad renewal body; a non-string requestType is named by kind, never formatted as itself.
    const why = typeof body === 'string' ? `renewal body ${body}`
      : typeof body.requestType !== 'string' ? `requestType ${body.requestType === undefined ? 'is missing' : `is not a string (${quoteUntrusted(body.requestType, 40)})`}; expected "RENEW"`
        : `requestType ${quoteUntrusted(body.requestType, 40)} is not "RENEW"`;
    return rejected(reject('390400', SOURCES.decisionDriverSessions, why, 'RENEW_BODY_INVALID'), 'session', ctx, principal);
  }
  const renewed = renewSessionToken(session, body.oldSessionToken, ctx.core.sessions, ctx.now, ctx.account.parameters.sessionTokenValidity);
  if (!renewed.ok) return rejected(renewed.rejection, 'session', ctx, principal);
  const how = renewed.rotated ? `renewed (renewal ${session.renewals})` : 'already renewed by a concurrent request: the current token is returned';
  return allowed(json(200, gsSuccess(renewalData(session, ctx.now))), `session ${session.id} of ${session.user} ${how}; session token valid until ${isoTime(session.tokenExpiresAt)}`, principal);
};

function renewalData(session: Session, now: number): Record<string, unknown> {
  return {
    sessionToken: session.token,
    validityInSecondsST: Math.round((session.tokenExpiresAt - now) / 1000),
    masterToken: session.masterToken,
    validityInSecondsMT: Math.round((session.masterExpiresAt - now) / 1000),
    sessionId: session.id,
  };
}
