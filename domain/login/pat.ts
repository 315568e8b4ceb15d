/**
 * `PROGRAMMATIC_ACCESS_TOKEN` logins (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_pat.js): the PAT in `TOKEN` (snowflake-sdk also sends a
 * `password` option there), checked by the same rules as a PAT bearer token (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
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
    return { ok: false, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: reject('394400', 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_pat.js', 'PROGRAMMATIC_ACCESS_TOKEN login without a TOKEN', 'PAT_VALIDATION_FAILED') };
  }
  const out = authenticatePat(secret, ctx);
  if (!out.ok) return out.user ? { ok: false, user: out.user, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: out.rejection } : { ok: false, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: out.rejection };
  // "User not associated with the token" is a documented PAT_INVALID cause (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
  const why = loginNameMismatch(req.loginName, out.user, 'the user of the PAT,');
  if (why) {
    return { ok: false, user: out.user, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: reject('394400', 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens', why, 'PAT_USER_NOT_ASSOCIATED') };
  }
  const skipNetwork = !patNetworkPolicyEnforced(ctx.account);
  return { ok: true, user: out.user, auth: 'PROGRAMMATIC_ACCESS_TOKEN', role: out.role, roleLocked: out.roleLocked === true, traffic: 'user-credential', skipNetwork, explanation: out.explanation };
};
