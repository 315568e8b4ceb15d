/**
 * The session-token check in front of every driver endpoint after login (drivers §2.4–§2.5, §4):
 * `Authorization: Snowflake Token="<session token>"`. Unknown or replaced tokens get 390104, a
 * closed session 390111, an expired session token 390112 (the driver then renews and resends).
 */
import { isoTime } from '../../domain/clock.ts';
import { reject, type Rejection } from '../../domain/errors/rejection.ts';
import type { Session } from '../../domain/session/sessions.ts';
import type { User } from '../../domain/world/model.ts';
import type { RequestContext } from '../endpoint.ts';
import { rejected, type Outcome, type Principal } from '../outcome.ts';
import type { MockRequest } from '../record.ts';

const RULE = 'drivers §4';

/**
 * The token of a `Snowflake Token="…"` Authorization header, if the header has that form.
 *
 * @example
 * snowflakeToken('Snowflake Token="ver:1-hint:abc"') // 'ver:1-hint:abc'
 */
export function snowflakeToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const m = /^Snowflake\s+Token\s*=\s*"([^"]*)"\s*$/i.exec(authorization.trim());
  return m ? m[1] : undefined;
}

/**
 * Runs `then` for a request with a live session token; otherwise answers the session refusal.
 *
 * @example
 * export const heartbeat: Endpoint = (req, ctx) => withSession(req, ctx, (s) => allowed(ok(), `heartbeat of session ${s.id}`))
 */
export function withSession(req: MockRequest, ctx: RequestContext, then: (session: Session, user: User, principal: Principal) => Outcome): Outcome {
  const found = findSession(req, ctx);
  if ('rejection' in found) return rejected(found.rejection, 'session', ctx, found.principal);
  return then(found.session, found.user, found.principal);
}

type Found = { session: Session; user: User; principal: Principal } | { rejection: Rejection; principal?: Principal };

function findSession(req: MockRequest, ctx: RequestContext): Found {
  const token = snowflakeToken(req.headers.authorization);
  if (token === undefined) {
    const what = req.headers.authorization === undefined ? 'no Authorization header' : 'the Authorization header is not Snowflake Token="…"';
    return { rejection: reject('390104', RULE, `${what}: a session token is required`, 'SESSION_TOKEN_MISSING') };
  }
  const hit = ctx.core.sessions.bySessionToken(token);
  if (!hit || hit.session.account !== ctx.account.name) {
    return { rejection: reject('390104', RULE, hit ? `session token of account ${hit.session.account} presented to ${ctx.account.name}` : 'session token unknown to the mock', 'SESSION_TOKEN_UNKNOWN') };
  }
  const { session } = hit;
  const principal: Principal = { authMethod: session.auth, user: session.user, role: session.role };
  const state = sessionState(session, hit.current, ctx);
  if (state) return { rejection: state, principal };
  const user = ctx.account.users.get(session.user);
  // Inferred: a dropped or disabled user's sessions end (and stay ended if the user is enabled again).
  if (!user || user.disabled) {
    ctx.core.sessions.close(session, ctx.now);
    return { rejection: reject('390111', RULE, `user ${session.user} of session ${session.id} is ${user ? 'disabled' : 'dropped'}; the session ends`, 'SESSION_USER_GONE'), principal };
  }
  return { session, user, principal };
}

function sessionState(session: Session, current: boolean, ctx: RequestContext): Rejection | undefined {
  if (session.closedAt !== undefined) return reject('390111', RULE, `session ${session.id} was closed at ${isoTime(session.closedAt)}`, 'SESSION_CLOSED');
  if (!current) return reject('390104', RULE, `session token of session ${session.id} was replaced by a renewal`, 'SESSION_TOKEN_REPLACED');
  if (ctx.now >= session.tokenExpiresAt) {
    return reject('390112', RULE, `session token of session ${session.id} expired at ${isoTime(session.tokenExpiresAt)} (renew it with the master token)`);
  }
  return undefined;
}
