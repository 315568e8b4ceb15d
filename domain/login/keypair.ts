/**
 * `SNOWFLAKE_JWT` logins (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_keypair.js): the JWT in `TOKEN` is checked by the same verifier as a
 * key-pair bearer token (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating, https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting, including snowflake-sdk's millisecond `iat`/`exp`).
 */
import { andThen } from '../awaitable.ts';
import type { AuthOutcome } from '../auth/context.ts';
import { reject } from '../errors/rejection.ts';
import { loginNameMismatch, type Authenticator, type LoginOutcome } from './context.ts';

/**
 * Authenticates a key-pair JWT login.
 *
 * @example
 * await keypairLogin({ authenticator: 'SNOWFLAKE_JWT', loginName: 'alice', token: jwt, … }, ctx)
 */
export const keypairLogin: Authenticator = (req, ctx) => {
  if (req.token === undefined || req.token === '') {
    return { ok: false, auth: 'KEYPAIR_JWT', rejection: reject('390144', 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_keypair.js', 'SNOWFLAKE_JWT login without a TOKEN', '394301') };
  }
  const loginName = req.loginName;
  return andThen(ctx.stores.jwt.verify(req.token, ctx), (out) => judge(out, loginName));
};

function judge(out: AuthOutcome, loginName: string | undefined): LoginOutcome {
  if (!out.ok) {
    // BCR 2026_07 (https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_07/bcr-2421) concerns bearer tokens on the APIs; a login keeps 390144.
    const r = out.rejection;
    const rejection = r.code === '390144' ? r : reject('390144', r.rule, r.explanation, r.cause);
    return out.user ? { ok: false, user: out.user, auth: 'KEYPAIR_JWT', rejection } : { ok: false, auth: 'KEYPAIR_JWT', rejection };
  }
  // Inferred: LOGIN_NAME, when sent, must name the JWT's user (the iss user is the LOGIN_NAME, https://docs.snowflake.com/en/developer-guide/sql-api/authenticating).
  const why = loginNameMismatch(loginName, out.user, "the JWT's user");
  if (why) {
    return { ok: false, user: out.user, auth: 'KEYPAIR_JWT', rejection: reject('390144', 'https://docs.snowflake.com/en/developer-guide/sql-api/authenticating; inferred: decisions/0006-driver-sessions.md', why, '394300') };
  }
  return { ok: true, user: out.user, auth: 'KEYPAIR_JWT', role: out.role, roleLocked: false, traffic: 'user-credential', explanation: out.explanation };
}
