/**
 * `PROGRAMMATIC_ACCESS_TOKEN` logins (drivers §3.5): the PAT in `TOKEN` (snowflake-sdk also sends a
 * `password` option there), checked by the same rules as a PAT bearer token (reference §3).
 */
import { authenticatePat, patNetworkPolicyEnforced } from '../auth/pat.ts';
import { reject } from '../errors/rejection.ts';
import { loginNameMismatch, type Authenticator } from './context.ts';

/**
 * Authenticates a PAT login.
 *
 * @example
 * patLogin({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', loginName: 'alice', token: 'pat-alice-ci', … }, ctx)
 */
export const patLogin: Authenticator = (req, ctx) => {
  const secret = req.token ?? req.password;
  if (secret === undefined || secret === '') {
    return { ok: false, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: reject('394400', 'drivers §3.5', 'PROGRAMMATIC_ACCESS_TOKEN login without a TOKEN', 'PAT_VALIDATION_FAILED') };
  }
  const out = authenticatePat(secret, ctx);
  if (!out.ok) return out.user ? { ok: false, user: out.user, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: out.rejection } : { ok: false, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: out.rejection };
  // reference §3.5 names "user not associated with the token" among the PAT_INVALID causes.
  const why = loginNameMismatch(req.loginName, out.user, 'the user of the PAT,');
  if (why) {
    return { ok: false, user: out.user, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: reject('394400', 'reference §3.5', why, 'PAT_USER_NOT_ASSOCIATED') };
  }
  const skipNetwork = !patNetworkPolicyEnforced(ctx.account);
  return { ok: true, user: out.user, auth: 'PROGRAMMATIC_ACCESS_TOKEN', role: out.role, roleLocked: out.roleLocked === true, traffic: 'user-credential', skipNetwork, explanation: out.explanation };
};
