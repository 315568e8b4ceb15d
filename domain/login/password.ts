/**
 * `SNOWFLAKE` (password) and `USERNAME_PASSWORD_MFA` logins (recordings/driver-fixtures/gosnowflake/test_data/wiremock/mappings/auth/password/invalid_password.json, test/driver/driver-cases.ts). A PAT secret
 * sent as the password is accepted as that PAT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens: "the PAT is passed as the
 * password"). Unknown users and wrong passwords get the same 390100 (Snowflake does not say which).
 */
import { reject } from '../errors/rejection.ts';
import { checkNetworkAccess } from '../network/precedence.ts';
import { authenticatePat, patNetworkPolicyEnforced } from '../auth/pat.ts';
import { defaultSessionRole } from '../world/roles.ts';
import type { User } from '../world/model.ts';
import { userByLoginName, type Authenticator, type LoginContext, type LoginOutcome } from './context.ts';
import type { LoginRequest } from './login-request.ts';
import { lockedOut, recordFailure, recordSuccess } from './lockout.ts';
import { passwordPart, secondFactor } from './mfa.ts';

const RULE = 'recordings/driver-fixtures/gosnowflake/test_data/wiremock/mappings/auth/password/invalid_password.json';

/**
 * Authenticates `LOGIN_NAME` + `PASSWORD` (+ the second factor when the user is enrolled).
 *
 * @example
 * passwordLogin({ authenticator: 'SNOWFLAKE', loginName: 'alice', password: 'alice-password', … }, ctx)
 */
export const passwordLogin: Authenticator = (req, ctx) => {
  if (req.loginName === undefined || req.loginName === '') return fail(undefined, 'LOGIN_NAME is missing', 'USER_MISSING');
  const user = userByLoginName(ctx.account, req.loginName);
  if (!user) return fail(undefined, `no user has LOGIN_NAME ${JSON.stringify(req.loginName.slice(0, 100).toUpperCase())}`, 'USER_UNKNOWN');
  const password = passwordPart(req);
  const asPat = password !== undefined ? patAsPassword(password, user, ctx) : undefined;
  if (asPat) return asPat;
  // The user's network policy judges the address before the password (https://docs.snowflake.com/en/user-guide/network-policies): a refused
  // client learns nothing about the password and cannot lock the user out from outside.
  const access = checkNetworkAccess({ account: ctx.account, user, traffic: 'user-credential', precedence: ctx.world.switches.networkPolicyPrecedence, clientIp: ctx.clientIp });
  if (!access.ok) return { ok: false, user, auth: 'PASSWORD', rejection: access.rejection };
  // A temporary lock-out stops password logins only (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens: it does not disable PATs).
  const locked = lockedOut(user, ctx.now);
  if (locked) return { ok: false, user, auth: 'PASSWORD', rejection: locked };
  if (user.password === undefined || password !== user.password) {
    const why = user.password === undefined ? `user ${user.name} has no password` : `wrong password for ${user.name}`;
    return fail(user, `${why} (${recordFailure(user, ctx.now)})`, 'PASSWORD_WRONG');
  }
  recordSuccess(user);
  // Inferred: the password is checked first, so a wrong one never reveals that the user is disabled.
  if (user.disabled) return { ok: false, user, auth: 'PASSWORD', rejection: reject('390101', 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens; inferred: decisions/0006-driver-sessions.md', `user ${user.name} is disabled`) };
  const factor = secondFactor(user, req, ctx);
  if (typeof factor !== 'string') return { ok: false, user, auth: 'MFA', rejection: factor };
  const auth = user.mfa ? 'MFA' : 'PASSWORD';
  const note = factor === '' ? '' : `; ${factor}`;
  const role = defaultSessionRole(user);
  return { ok: true, user, auth, role, roleLocked: false, traffic: 'user-credential', mfa: user.mfa !== undefined, explanation: `password of ${user.name}${note}` };
};

/** A PAT of this user given as the password logs in as that PAT; another user's PAT is a wrong password. */
function patAsPassword(secret: string, user: User, ctx: LoginContext): LoginOutcome | undefined {
  const hit = ctx.stores.pats.lookup(secret);
  if (!hit || hit.user !== user) return undefined;
  const out = authenticatePat(secret, ctx);
  if (!out.ok) return { ok: false, user, auth: 'PROGRAMMATIC_ACCESS_TOKEN', rejection: out.rejection };
  const explanation = `${out.explanation}, given as the password (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)`;
  return { ok: true, user, auth: 'PROGRAMMATIC_ACCESS_TOKEN', role: out.role, roleLocked: out.roleLocked === true, traffic: 'user-credential', skipNetwork: !patNetworkPolicyEnforced(ctx.account), explanation };
}

function fail(user: User | undefined, explanation: string, cause: string): LoginOutcome {
  const rejection = reject('390100', RULE, explanation, cause);
  return user ? { ok: false, user, auth: 'PASSWORD', rejection } : { ok: false, auth: 'PASSWORD', rejection };
}

/** For the dispatch table: MFA logins run the same checks (the second factor is always checked). */
export const mfaLogin: Authenticator = (req: LoginRequest, ctx: LoginContext) => passwordLogin(req, ctx);
