/**
 * `SNOWFLAKE_JWT` logins (drivers §3.3): the JWT in `TOKEN` is checked by the same verifier as a
 * key-pair bearer token (reference §2.1–§2.4, including snowflake-sdk's millisecond `iat`/`exp`).
 */
import { reject } from '../errors/rejection.ts';
import { loginNameMismatch, type Authenticator } from './context.ts';

/**
 * Authenticates a key-pair JWT login.
 *
 * @example
 * keypairLogin({ authenticator: 'SNOWFLAKE_JWT', loginName: 'alice', token: jwt, … }, ctx)
 */
export const keypairLogin: Authenticator = (req, ctx) => {
  if (req.token === undefined || req.token === '') {
    return { ok: false, auth: 'KEYPAIR_JWT', rejection: reject('390144', 'drivers §3.3', 'SNOWFLAKE_JWT login without a TOKEN', '394301') };
  }
  const out = ctx.stores.jwt.verify(req.token, ctx);
  if (!out.ok) {
    // BCR 2026_07 (reference §2.6) concerns bearer tokens on the APIs; a login keeps 390144.
    const r = out.rejection;
    const rejection = r.code === '390144' ? r : reject('390144', r.rule, r.explanation, r.cause);
    return out.user ? { ok: false, user: out.user, auth: 'KEYPAIR_JWT', rejection } : { ok: false, auth: 'KEYPAIR_JWT', rejection };
  }
  // Inferred: LOGIN_NAME, when sent, must name the JWT's user (the iss user is the LOGIN_NAME, reference §2.1).
  const why = loginNameMismatch(req.loginName, out.user, "the JWT's user");
  if (why) {
    return { ok: false, user: out.user, auth: 'KEYPAIR_JWT', rejection: reject('390144', 'reference §2.1 (inferred)', why, '394300') };
  }
  return { ok: true, user: out.user, auth: 'KEYPAIR_JWT', role: out.role, roleLocked: false, traffic: 'user-credential', explanation: out.explanation };
};
