/**
 * Role rules shared by every auth method.
 */
import type { User } from './model.ts';

/**
 * The session role when the credential names none: the user's DEFAULT_ROLE while it is still
 * granted, else PUBLIC (which every user holds).
 *
 * @example
 * defaultSessionRole(alice) // 'ANALYST'
 */
export function defaultSessionRole(user: User): string {
  return user.defaultRole !== undefined && user.roles.has(user.defaultRole) ? user.defaultRole : 'PUBLIC';
}
