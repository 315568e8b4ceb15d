/**
 * Who may run a command on which user (https://docs.snowflake.com/en/user-guide/key-pair-auth, https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). Snowflake asks for OWNERSHIP
 * or MODIFY PROGRAMMATIC AUTHENTICATION METHODS on another user; the mock has no ownership or
 * grants model, so a few administrative session roles stand in for those privileges (inferred).
 */
import type { User } from '../world/model.ts';
import type { SqlResult, SqlSession } from './execute.ts';
import { STATUS_COLUMNS } from './columns.ts';
import { doesNotExist, failed, insufficientPrivileges, patRefused } from './refusals.ts';

/** Inferred stand-ins for OWNERSHIP / MODIFY PROGRAMMATIC AUTHENTICATION METHODS on any user. */
export const USER_ADMIN_ROLES: ReadonlySet<string> = new Set(['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN']);

/** Inferred: roles that may ALTER a security integration (its owner in Snowflake). */
export const INTEGRATION_ADMIN_ROLES: ReadonlySet<string> = new Set(['ACCOUNTADMIN', 'SECURITYADMIN']);

/**
 * The status answer of a DDL statement that changed nothing or something.
 *
 * @example
 * statusResult('Statement executed successfully.', true)
 */
export function statusResult(message: string, changed: boolean): SqlResult {
  return { ok: true, kind: 'ddl', columns: STATUS_COLUMNS, rows: [[message]], changed, cacheable: false };
}

/** `ALTER … IF EXISTS` on a missing object: success, nothing done. */
export const NOTHING_DONE = 'Statement executed successfully.';

/** A resolved target user, or the answer to give instead. */
export type Target = { readonly ok: true; readonly user: User; readonly self: boolean } | { readonly ok: false; readonly result: SqlResult };

/**
 * Resolves the user a command acts on: `name` (omitted = the session's user, https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token), which
 * must exist (else 002003, or a no-op success under IF EXISTS) and be the session's own user or
 * the session role must be a {@link USER_ADMIN_ROLES} role (else 003001).
 *
 * @example
 * const t = targetUser('ETL_BOT', false, session, 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token')
 * if (!t.ok) return t.result
 */
export function targetUser(name: string | undefined, ifExists: boolean, session: SqlSession, rule: string): Target {
  if (name === undefined) return { ok: true, user: session.user, self: true };
  const user = session.account.users.get(name);
  if (!user) {
    if (ifExists) return { ok: false, result: statusResult(NOTHING_DONE, false) };
    return { ok: false, result: failed(doesNotExist('User', name, rule, `no user ${JSON.stringify(name.slice(0, 100))} in ${session.account.name}`)) };
  }
  const self = user.name === session.user.name;
  if (!self && !USER_ADMIN_ROLES.has(session.role)) {
    const why = `${session.user.name} in role ${session.role} acts on another user ${user.name}: needs OWNERSHIP or MODIFY PROGRAMMATIC AUTHENTICATION METHODS, which the mock grants to ${[...USER_ADMIN_ROLES].join(', ')} only (inferred)`;
    return { ok: false, result: failed(insufficientPrivileges('user', user.name, `${rule}; privileges inferred`, why)) };
  }
  return { ok: true, user, self };
}

/**
 * A session authenticated with a PAT cannot add, modify, rename, rotate or remove PATs of its own
 * user (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens, documented for modify/rename/rotate/revoke; ADD is inferred to follow).
 *
 * @example
 * const refused = patSessionRule(session, target, 'rotate'); if (refused) return refused
 */
export function patSessionRule(session: SqlSession, target: { readonly self: boolean }, action: 'add' | 'modify' | 'rotate' | 'remove'): SqlResult | undefined {
  if (session.auth !== 'PROGRAMMATIC_ACCESS_TOKEN' || !target.self) return undefined;
  const rule = action === 'add' ? 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens (PAT sessions; extended to ADD, inferred)' : 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens (PAT sessions)';
  const reason = `Cannot ${action} a programmatic access token in a session authenticated with a programmatic access token of the same user.`;
  return failed(patRefused(reason, rule, `${session.user.name} is authenticated with a PAT, so it cannot ${action} its own PATs`));
}

/**
 * The target of a PAT command (ADD/REMOVE/ROTATE/MODIFY): {@link targetUser}, then the PAT-session
 * rule of https://docs.snowflake.com/en/user-guide/programmatic-access-tokens.
 *
 * @example
 * const target = patTarget(cmd, session, 'rotate', 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens')
 * if (!target.ok) return target.result
 */
export function patTarget(cmd: { readonly user?: string | undefined; readonly ifExists: boolean }, session: SqlSession, action: 'add' | 'modify' | 'rotate' | 'remove', rule: string): Target {
  const target = targetUser(cmd.user, cmd.ifExists, session, rule);
  if (!target.ok) return target;
  const refused = patSessionRule(session, target, action);
  return refused ? { ok: false, result: refused } : target;
}
