/**
 * Temporary lock-outs of password logins: a user with MINS_TO_UNLOCK set is locked until then,
 * and the password policy's defaults (PASSWORD_MAX_RETRIES = 5, PASSWORD_LOCKOUT_TIME_MINS = 15;
 * inferred for the mock, https://docs.snowflake.com/en/sql-reference/sql/create-password-policy) lock a user after five consecutive wrong passwords. Such
 * temporary lock-outs do not disable the user's PATs (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
 */
import { isoTime } from '../clock.ts';
import { reject, type Rejection } from '../errors/rejection.ts';
import { WORLD_DEFAULTS } from '../world/config.ts';
import type { User } from '../world/model.ts';

const RULE = 'https://docs.snowflake.com/en/sql-reference/sql/create-password-policy (defaults); inferred: decisions/0006-driver-sessions.md';

/**
 * The refusal for a user locked at `now`, if any.
 *
 * @example
 * lockedOut(alice, clock.now()) // undefined, or a 390102 rejection saying until when
 */
export function lockedOut(user: User, now: number): Rejection | undefined {
  if (user.lockedUntil === undefined || now >= user.lockedUntil) return undefined;
  return reject('390102', RULE, `user ${user.name} is temporarily locked until ${isoTime(user.lockedUntil)}`);
}

/**
 * Counts a wrong password; the fifth in a row locks the user. Returns a note for the journal.
 *
 * @example
 * recordFailure(alice, now) // 'failed password attempt 1 of 5'
 */
export function recordFailure(user: User, now: number): string {
  const failures = (user.failedLogins ?? 0) + 1;
  user.failedLogins = failures;
  const max = WORLD_DEFAULTS.passwordMaxRetries;
  if (failures < max) return `failed password attempt ${failures} of ${max}`;
  user.failedLogins = 0;
  user.lockedUntil = now + WORLD_DEFAULTS.passwordLockoutMinutes * 60_000;
  return `${max} failed password attempts: user locked until ${isoTime(user.lockedUntil)}`;
}

/**
 * Clears the failure count after a successful password check.
 *
 * @example
 * recordSuccess(alice)
 */
export function recordSuccess(user: User): void {
  user.failedLogins = 0;
}
