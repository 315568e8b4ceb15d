/**
 * `OAUTH` logins (drivers §3.4, §3.6): an access token in `TOKEN`, from the world or issued by the
 * mock's OAuth server, or an External OAuth IdP's JWT (also what the driver-driven
 * `OAUTH_AUTHORIZATION_CODE` and `OAUTH_CLIENT_CREDENTIALS` flows log in with). The token fixes
 * the session role, except an External OAuth token under any role mode (reference §1.9).
 */
import { authenticateOAuthToken } from '../auth/oauth-token.ts';
import { reject } from '../errors/rejection.ts';
import { loginNameMismatch, type Authenticator } from './context.ts';

/**
 * Authenticates an OAuth access-token login.
 *
 * @example
 * oauthLogin({ authenticator: 'OAUTH', token: 'oauth-alice-token', … }, ctx)
 */
export const oauthLogin: Authenticator = (req, ctx) => {
  if (req.token === undefined || req.token === '') {
    return { ok: false, auth: 'OAUTH', rejection: reject('390303', 'drivers §3.4', 'OAUTH login without a TOKEN', 'TOKEN_MISSING') };
  }
  const out = authenticateOAuthToken(req.token, ctx);
  if (!out.ok) {
    // drivers §3.4 and the driver fixtures: an expired token answers 390318 at login (the driver refreshes on it).
    const r = out.rejection;
    const rejection = r.cause === 'OAUTH_TOKEN_EXPIRED' && r.code !== '390318' ? reject('390318', 'drivers §3.4', r.explanation, r.cause) : r;
    return out.user ? { ok: false, user: out.user, auth: 'OAUTH', rejection } : { ok: false, auth: 'OAUTH', rejection };
  }
  const why = loginNameMismatch(req.loginName, out.user, "the token's user");
  if (why) {
    return { ok: false, user: out.user, auth: 'OAUTH', rejection: reject('390309', 'reference §1.6', why) };
  }
  const flow = req.oauthType ? ` (driver flow ${req.oauthType.slice(0, 40)})` : '';
  // A Snowflake OAuth token fixes the role; an External OAuth one may not (any role mode), and is user traffic (reference §4.3).
  const base = { ok: true, user: out.user, auth: 'OAUTH', role: out.role, roleLocked: out.roleLocked ?? true, traffic: out.traffic ?? 'oauth-token', explanation: `${out.explanation}${flow}` } as const;
  const withRoles = out.selectableRoles === undefined ? base : { ...base, selectableRoles: out.selectableRoles };
  return out.integration === undefined ? withRoles : { ...withRoles, integration: out.integration };
};
