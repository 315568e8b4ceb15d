/**
 * The second factor of `USERNAME_PASSWORD_MFA` (test/driver/driver-cases.ts). The driver sends
 * `EXT_AUTHN_DUO_METHOD` `passcode` with `PASSCODE` (or the code at the end of `PASSWORD` with
 * `passcodeInPassword`), or `push`, and may send a cached MFA token as `TOKEN`. A user enrolled in
 * MFA (`mfa:` in the world) who sends none of these gets 394508, as in gosnowflake's MFA fixture.
 */
import { reject, type Rejection } from '../errors/rejection.ts';
import type { User } from '../world/model.ts';
import type { LoginContext } from './context.ts';
import type { LoginRequest } from './login-request.ts';
import { verifyTotp } from './totp.ts';

const RULE = 'test/driver/driver-cases.ts';

/** Passcodes are 6 digits; with `passcodeInPassword` they are the password's last 6 characters. */
const PASSCODE_LENGTH = 6;

/**
 * The password part of `PASSWORD` (without a trailing passcode when `passcodeInPassword`).
 *
 * @example
 * passwordPart({ password: 'secret123456', passcodeInPassword: true, … }) // 'secret'
 */
export function passwordPart(req: LoginRequest): string | undefined {
  if (req.password === undefined || !req.passcodeInPassword) return req.password;
  return req.password.slice(0, -PASSCODE_LENGTH);
}

/**
 * Checks the second factor of an enrolled user. Returns a note on success or the refusal.
 *
 * @example
 * secondFactor(alice, request, ctx) // 'MFA passcode accepted (TOTP)'
 */
export function secondFactor(user: User, req: LoginRequest, ctx: LoginContext): string | Rejection {
  const enrolled = user.mfa;
  if (!enrolled) return req.duoMethod || req.token ? 'user has no MFA enrolled; password alone suffices' : '';
  if (req.token !== undefined) {
    const held = ctx.mfaTokens.check(req.token, ctx.now);
    if (held && held.account === ctx.account.name && held.user === user.name) return 'cached MFA token accepted';
  }
  const code = req.passcodeInPassword ? req.password?.slice(-PASSCODE_LENGTH) : req.passcode;
  if (req.duoMethod === 'passcode' && code !== undefined) {
    if (enrolled.passcode !== undefined && code === enrolled.passcode) return 'MFA passcode accepted (fixed passcode)';
    if (enrolled.totpSecret !== undefined && verifyTotp(enrolled.totpSecret, code, ctx.now)) return 'MFA passcode accepted (TOTP on the mock clock)';
    return reject('394508-passcode', RULE, `MFA passcode for ${user.name} is wrong (neither the fixed passcode nor the TOTP code of the mock clock's time ±30 s)`, undefined, mfaParams(req));
  }
  // The mock has no phone to ask: a push is approved at once.
  if (req.duoMethod === 'push') return 'MFA push approved by the mock';
  const why = req.token !== undefined ? 'the cached MFA token is unknown or expired, and no passcode was sent' : 'no passcode, push or cached MFA token was sent';
  return reject('394508', RULE, `user ${user.name} is enrolled in MFA: ${why}`, undefined, mfaParams(req));
}

function mfaParams(req: LoginRequest): Record<string, string> {
  return { loginName: req.loginName ?? '' };
}
