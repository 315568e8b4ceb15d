/**
 * `OAUTH` logins (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth.js, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_authorization_code.js): an access token in `TOKEN`, from the world or issued by the
 * mock's OAuth server, or an External OAuth IdP's JWT (also what the driver-driven
 * `OAUTH_AUTHORIZATION_CODE` and `OAUTH_CLIENT_CREDENTIALS` flows log in with). The token fixes
 * the session role, except an External OAuth token under any role mode (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external).
 */
import { andThen } from '../awaitable.ts';
import type { AuthOutcome } from '../auth/context.ts';
import { authenticateOAuthToken } from '../auth/oauth-token.ts';
import { reject } from '../errors/rejection.ts';
import type { LoginRequest } from './login-request.ts';
import { loginNameMismatch, type Authenticator, type LoginOutcome } from './context.ts';

/**
 * Authenticates an OAuth access-token login.
 *
 * @example
 * await oauthLogin({ authenticator: 'OAUTH', token: 'oauth-alice-token', … }, ctx)
 */
export const oauthLogin: Authenticator = (req, ctx) => {
  if (req.token === undefined || req.token === '') {
    return { ok: false, auth: 'OAUTH', rejection: reject('390303', 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth.js', 'OAUTH login without a TOKEN', 'TOKEN_MISSING') };
  }
  return andThen(authenticateOAuthToken(req.token, ctx), (out) => judge(out, req));
};

function judge(out: AuthOutcome, req: LoginRequest): LoginOutcome {
  if (!out.ok) {
    // The driver fixtures (gosnowflake's auth/oauth2/login_request_with_expired_access_token.json): an expired token answers 390318 at login (the driver refreshes on it).
    const r = out.rejection;
    const rejection = r.cause === 'OAUTH_TOKEN_EXPIRED' && r.code !== '390318' ? reject('390318', 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth.js', r.explanation, r.cause) : r;
    return out.user ? { ok: false, user: out.user, auth: 'OAUTH', rejection } : { ok: false, auth: 'OAUTH', rejection };
  }
  const why = loginNameMismatch(req.loginName, out.user, "the token's user");
  if (why) {
    return { ok: false, user: out.user, auth: 'OAUTH', rejection: reject('390309', 'https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview', why) };
  }
  const flow = req.oauthType ? ` (driver flow ${req.oauthType.slice(0, 40)})` : '';
  // A Snowflake OAuth token fixes the role; an External OAuth one may not (any role mode), and is user traffic (https://docs.snowflake.com/en/user-guide/network-policies).
  const base = { ok: true, user: out.user, auth: 'OAUTH', role: out.role, roleLocked: out.roleLocked ?? true, traffic: out.traffic ?? 'oauth-token', explanation: `${out.explanation}${flow}` } as const;
  const withRoles = out.selectableRoles === undefined ? base : { ...base, selectableRoles: out.selectableRoles };
  return out.integration === undefined ? withRoles : { ...withRoles, integration: out.integration };
}
