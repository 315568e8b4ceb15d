/**
 * The rules for the two tokens of a driver session (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts), pure: which refusal a session
 * token or a master token gets, and what a renewal hands out. Both HTTP endpoints that take a
 * token (the session gate and `/session/token-request`) call these, so each rule lives once.
 */
import { isoTime } from '../clock.ts';
import { reject, type Rejection } from '../errors/rejection.ts';
import type { Account, User } from '../world/model.ts';
import type { Session, SessionStore } from './sessions.ts';

const RULE = 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts';

/** A live session and its user, or the refusal (with the session when the token named one). */
export type SessionCheck =
  | { readonly ok: true; readonly session: Session; readonly user: User }
  | { readonly ok: false; readonly rejection: Rejection; readonly session?: Session };

/**
 * Judges a session token: unknown, another account's or replaced → 390104; closed, or its user
 * disabled or dropped → 390111 (the session ends); expired → 390112 (the driver renews).
 *
 * @example
 * const check = checkSessionToken(token, sessions, account, clock.now())
 * if (!check.ok) return check.rejection.code // '390112'
 */
export function checkSessionToken(token: string | undefined, sessions: SessionStore, account: Account, now: number): SessionCheck {
  if (token === undefined) return { ok: false, rejection: reject('390104', RULE, 'no Authorization header: a session token is required', 'SESSION_TOKEN_MISSING') };
  const hit = sessions.bySessionToken(token);
  if (!hit || hit.session.account !== account.name) return { ok: false, rejection: unknownToken(hit?.session, account, 'session token') };
  const { session } = hit;
  const gone = goneSession(session, sessions, account, now);
  if (gone) return { ok: false, rejection: gone, session };
  if (!hit.current) return { ok: false, rejection: reject('390104', RULE, `session token of session ${session.id} was replaced by a renewal`, 'SESSION_TOKEN_REPLACED'), session };
  if (now >= session.tokenExpiresAt) {
    return { ok: false, rejection: reject('390112', RULE, `session token of session ${session.id} expired at ${isoTime(session.tokenExpiresAt)} (renew it with the master token)`), session };
  }
  return { ok: true, session, user: account.users.get(session.user)! };
}

/**
 * Judges a master token for renewal: absent → 390115, unknown → 390113, session gone → 390111,
 * expired → 390114 (the client must log in again).
 *
 * @example
 * checkMasterToken(masterToken, sessions, account, clock.now()).ok
 */
export function checkMasterToken(token: string | undefined, sessions: SessionStore, account: Account, now: number): SessionCheck {
  if (token === undefined || token === '') return { ok: false, rejection: reject('390115', RULE, 'renewal without Authorization: Snowflake Token="<master token>"', 'MASTER_TOKEN_MISSING') };
  const session = sessions.byMasterToken(token);
  if (!session || session.account !== account.name) return { ok: false, rejection: reject('390113', RULE, session ? `master token of account ${session.account} presented to ${account.name}` : 'master token unknown to the mock (a session token sent instead?)') };
  const gone = goneSession(session, sessions, account, now);
  if (gone) return { ok: false, rejection: gone, session };
  if (now >= session.masterExpiresAt) {
    return { ok: false, rejection: reject('390114', RULE, `master token of session ${session.id} expired at ${isoTime(session.masterExpiresAt)}; the client must log in again`), session };
  }
  return { ok: true, session, user: account.users.get(session.user)! };
}

/**
 * Renews a session's token from `oldSessionToken`. The token being replaced gets a new one; a
 * token this session already replaced (a second renewal racing the first, as a driver with
 * parallel statements sends) gets the current one, unrotated, so neither caller is logged out.
 * Inferred: the new token never outlives the master token.
 *
 * @example
 * const renewed = renewSessionToken(session, body.oldSessionToken, sessions, now, 3600)
 * if (renewed.ok) renewed.rotated // true
 */
export function renewSessionToken(session: Session, oldSessionToken: unknown, sessions: SessionStore, now: number, validitySeconds: number): { ok: true; rotated: boolean } | { ok: false; rejection: Rejection } {
  if (oldSessionToken === session.token) {
    sessions.renew(session, now, validitySeconds);
    return { ok: true, rotated: true };
  }
  if (typeof oldSessionToken === 'string' && session.previousTokens.includes(oldSessionToken) && now < session.tokenExpiresAt) return { ok: true, rotated: false };
  return { ok: false, rejection: reject('390104', RULE, `oldSessionToken is not a session token of session ${session.id} (inferred: it must be the one that expired)`, 'SESSION_TOKEN_UNKNOWN') };
}

/** Closed → 390111; a user disabled or dropped since login ends the session → 390111 (inferred). */
function goneSession(session: Session, sessions: SessionStore, account: Account, now: number): Rejection | undefined {
  if (session.closedAt !== undefined) return reject('390111', RULE, `session ${session.id} was closed at ${isoTime(session.closedAt)}`, 'SESSION_CLOSED');
  const user = account.users.get(session.user);
  if (user && !user.disabled) return undefined;
  // The session stays ended if the user is enabled again.
  sessions.close(session, now);
  return reject('390111', RULE, `user ${session.user} of session ${session.id} is ${user ? 'disabled' : 'dropped'}; the session ends`, 'SESSION_USER_GONE');
}

function unknownToken(session: Session | undefined, account: Account, what: string): Rejection {
  return reject('390104', RULE, session ? `${what} of account ${session.account} presented to ${account.name}` : `${what} unknown to the mock`, 'SESSION_TOKEN_UNKNOWN');
}
