/**
 * The session-token check in front of every driver endpoint after login (the codes of
 * https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts; decisions/0006):
 * `Authorization: Snowflake Token="<session token>"`. Unknown or replaced tokens get 390104, a
 * closed session 390111, an expired session token 390112 (the driver then renews and resends).
 */
import { checkSessionToken } from '../../domain/session/session-tokens.ts';
import type { Session } from '../../domain/session/sessions.ts';
import type { User } from '../../domain/world/model.ts';
import type { RequestContext } from '../endpoint.ts';
import { rejected, type Outcome, type Principal } from '../outcome.ts';
import type { MockRequest } from '../record.ts';

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
export function withSession<T extends Outcome | Promise<Outcome>>(req: MockRequest, ctx: RequestContext, then: (session: Session, user: User, principal: Principal) => T): T | Outcome {
  const token = snowflakeToken(req.headers.authorization);
  const check = checkSessionToken(token, ctx.core.sessions, ctx.account, ctx.now);
  const principal = principalOfSession(check.session);
  if (!check.ok) {
    const r = check.rejection;
    // Say which header was wrong when there was one (the rule is the same).
    const rejection = token === undefined && req.headers.authorization !== undefined ? { ...r, explanation: 'the Authorization header is not Snowflake Token="…": a session token is required' } : r;
    return rejected(rejection, 'session', ctx, principal);
  }
  return then(check.session, check.user, principal);
}

/**
 * The journal's principal for a session (nobody when no session was named).
 *
 * @example
 * principalOfSession(session) // { authMethod: 'PASSWORD', user: 'ALICE', role: 'ANALYST' }
 */
export function principalOfSession(session: Session | undefined): Principal {
  return { authMethod: session?.auth, user: session?.user, role: session?.role };
}
