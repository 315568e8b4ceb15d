/**
 * Programmatic access tokens as SQL (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens): ADD, REMOVE, ROTATE, MODIFY and SHOW.
 * The rules themselves live in world/mutations.ts (shared with the world API); this module checks
 * who may act, maps each refused rule to its catalogue code, and shapes the result columns.
 */
import { WORLD_DEFAULTS } from '../world/config.ts';
import { addPat, modifyPat, MutationError, removePat, rotatePat } from '../world/mutations.ts';
import type { ProgrammaticAccessToken, User } from '../world/model.ts';
import { patNameProblem } from '../world/validate.ts';
import { numberColumn, textColumn, timestampCell, timestampColumn, type Column, type Row } from './columns.ts';
import type { SqlEnv, SqlResult, SqlSession } from './execute.ts';
import type { Command } from './parse.ts';
import { NOTHING_DONE, patTarget, statusResult, targetUser } from './privileges.ts';
import { alreadyExists, doesNotExist, failed, invalidValue, patRefused } from './refusals.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** SQL parameter names of the mutations' option names. */
const PARAMETERS: Readonly<Record<string, string>> = {
  daysToExpiry: 'DAYS_TO_EXPIRY',
  minsToBypassNetworkPolicyRequirement: 'MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT',
  expireRotatedTokenAfterHours: 'EXPIRE_ROTATED_TOKEN_AFTER_HOURS',
};

/**
 * Maps a refused mutation to its Snowflake-shaped failure; anything else is a bug and rethrown.
 *
 * @example
 * try { addPat(…) } catch (e) { return refusedMutation(e, 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token') }
 */
function refusedMutation(error: unknown, rule: string): SqlResult {
  if (!(error instanceof MutationError)) throw error;
  const d = error.detail;
  switch (error.problem) {
    case 'OUT_OF_RANGE':
      return failed(invalidValue(PARAMETERS[d.what ?? ''] ?? d.what ?? '?', d.value ?? '', rule, error.message));
    case 'PAT_NAME':
      return failed(invalidValue('TOKEN_NAME', d.name ?? '', `${rule} (name rules)`, error.message));
    case 'PAT_EXISTS':
      return failed(alreadyExists(d.name ?? '', rule, error.message));
    case 'UNKNOWN_ROLE':
      return failed(doesNotExist('Role', d.name ?? '', rule, error.message));
    case 'UNKNOWN_PAT':
      return failed(doesNotExist('Programmatic access token', d.name ?? '', rule, error.message));
    case 'PAT_LIMIT':
      return failed(patRefused(`The maximum of ${WORLD_DEFAULTS.patMaxPerUser} programmatic access tokens per user has been reached.`, `${rule} (per-user limit; disabled tokens count, expired ones do not)`, error.message));
    case 'ROLE_RESTRICTION_REQUIRED':
      return failed(patRefused('ROLE_RESTRICTION is required for programmatic access tokens of service users.', `${rule} (REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS)`, error.message));
    case 'ROLE_NOT_GRANTED':
      return failed(patRefused(`Role '${d.name ?? ''}' is not granted to the user, so it cannot restrict a programmatic access token.`, `${rule} (ROLE_RESTRICTION must be granted)`, error.message));
    case 'NETWORK_POLICY_REQUIRED':
      return failed(patRefused('A service user must be subject to a network policy to generate a programmatic access token.', 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens', error.message));
    default:
      throw error;
  }
}

/** The PAT of `user` named `name` (names are stored upper-case). */
const findPat = (user: User, name: string): ProgrammaticAccessToken | undefined => user.programmaticAccessTokens.find((p) => p.name === name);

const noSuchPat = (user: User, name: string, rule: string): SqlResult =>
  failed(doesNotExist('Programmatic access token', name, rule, `user ${user.name} has no programmatic access token ${JSON.stringify(name.slice(0, 100))}`));

/** MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT, when given, is 1…1440 (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token; 0 only by default). */
function bypassProblem(mins: number | undefined, rule: string): SqlResult | undefined {
  if (mins === undefined || (Number.isInteger(mins) && mins >= 1 && mins <= WORLD_DEFAULTS.patMaxBypassMinutes)) return undefined;
  return failed(invalidValue(PARAMETERS.minsToBypassNetworkPolicyRequirement!, String(mins), rule, `MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT must be 1 to ${WORLD_DEFAULTS.patMaxBypassMinutes}, got ${mins}`));
}

const ADD_COLUMNS: readonly Column[] = Object.freeze([textColumn('token_name'), textColumn('token_secret')]);

/**
 * `ALTER USER [IF EXISTS] [<u>] ADD PAT [IF NOT EXISTS] <name> [ROLE_RESTRICTION] [DAYS_TO_EXPIRY]
 * [MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT] [COMMENT]` (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens): columns
 * `token_name`, `token_secret` — the only time the secret is shown.
 *
 * @example
 * addPatCommand(cmd, session, env).rows // [['NIGHTLY', 'pat-…']]
 */
export function addPatCommand(cmd: Extract<Command, { kind: 'add-pat' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const rule = 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token';
  const target = patTarget(cmd, session, 'add', rule);
  if (!target.ok) return target.result;
  const nameProblem = patNameProblem(cmd.name);
  if (nameProblem) return failed(invalidValue('TOKEN_NAME', cmd.name, `${rule} (name rules)`, nameProblem));
  // IF NOT EXISTS on an existing name: success, nothing created, no secret (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token).
  if (cmd.ifNotExists && findPat(target.user, cmd.name)) {
    return statusResult(`Programmatic access token ${cmd.name} already exists, statement succeeded.`, false);
  }
  const bypass = bypassProblem(cmd.options.minsToBypassNetworkPolicyRequirement, rule);
  if (bypass) return bypass;
  try {
    const { tokenName, tokenSecret } = addPat(env.world, session.account.name, target.user.name, { name: cmd.name, ...cmd.options }, env);
    return { ok: true, kind: 'ddl', columns: ADD_COLUMNS, rows: [[tokenName, tokenSecret]], changed: true, cacheable: false };
  } catch (e) {
    return refusedMutation(e, rule);
  }
}

/**
 * `ALTER USER [IF EXISTS] [<u>] REMOVE PAT <name>` (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens): status row
 * `Programmatic access token <NAME> successfully removed.`
 *
 * @example
 * removePatCommand({ kind: 'remove-pat', ifExists: false, name: 'CI' }, session, env).rows // [['Programmatic access token CI successfully removed.']]
 */
export function removePatCommand(cmd: Extract<Command, { kind: 'remove-pat' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const rule = 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens';
  const target = patTarget(cmd, session, 'remove', rule);
  if (!target.ok) return target.result;
  if (!findPat(target.user, cmd.name)) return noSuchPat(target.user, cmd.name, rule);
  const removed = removePat(env.world, session.account.name, target.user.name, cmd.name);
  return statusResult(`Programmatic access token ${removed.name} successfully removed.`, true);
}

const ROTATE_COLUMNS: readonly Column[] = Object.freeze([textColumn('token_name'), textColumn('token_secret'), textColumn('rotated_token_name')]);

/**
 * `ALTER USER [IF EXISTS] [<u>] ROTATE PAT [IF EXISTS] <name> [EXPIRE_ROTATED_TOKEN_AFTER_HOURS = n]`
 * (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens): columns `token_name`, `token_secret`, `rotated_token_name`. Without the
 * option the old secret lives 24 h, or the hours the token has left when fewer (inferred: the
 * documented range ends there).
 *
 * @example
 * rotatePatCommand({ kind: 'rotate-pat', ifExists: false, patIfExists: false, name: 'CI' }, session, env).rows[0][2] // 'CI_ROTATED_…'
 */
export function rotatePatCommand(cmd: Extract<Command, { kind: 'rotate-pat' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const rule = 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens';
  const target = patTarget(cmd, session, 'rotate', rule);
  if (!target.ok) return target.result;
  const pat = findPat(target.user, cmd.name);
  if (!pat) return cmd.patIfExists ? statusResult(NOTHING_DONE, false) : noSuchPat(target.user, cmd.name, rule);
  const hoursLeft = Math.max(0, Math.floor((pat.expiresAt - env.now) / HOUR_MS));
  const hours = cmd.hours ?? Math.min(WORLD_DEFAULTS.rotatedPatExpireAfterHours, hoursLeft);
  try {
    const r = rotatePat(env.world, session.account.name, target.user.name, pat.name, { now: env.now, ids: env.ids, expireRotatedTokenAfterHours: hours });
    return { ok: true, kind: 'ddl', columns: ROTATE_COLUMNS, rows: [[r.tokenName, r.tokenSecret, r.rotatedTokenName]], changed: true, cacheable: false };
  } catch (e) {
    return refusedMutation(e, rule);
  }
}

/**
 * `ALTER USER [IF EXISTS] [<u>] MODIFY PAT <name> { RENAME TO <new> | SET … | UNSET … }` with
 * DISABLED, MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT and COMMENT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
 *
 * @example
 * modifyPatCommand({ kind: 'modify-pat', ifExists: false, name: 'CI', changes: { disabled: true } }, session, env)
 */
export function modifyPatCommand(cmd: Extract<Command, { kind: 'modify-pat' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const rule = 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens';
  const target = patTarget(cmd, session, 'modify', rule);
  if (!target.ok) return target.result;
  if (!findPat(target.user, cmd.name)) return noSuchPat(target.user, cmd.name, rule);
  const { minsToBypassNetworkPolicyRequirement: mins, ...rest } = cmd.changes;
  const bypass = bypassProblem(mins ?? undefined, 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token');
  if (bypass) return bypass;
  try {
    // UNSET of the bypass window is back to its default, 0 (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token).
    modifyPat(env.world, session.account.name, target.user.name, cmd.name, { ...rest, ...(mins !== undefined && { minsToBypassNetworkPolicyRequirement: mins ?? 0 }) });
  } catch (e) {
    return refusedMutation(e, rule);
  }
  return statusResult('Statement executed successfully.', true);
}

const SHOW_COLUMNS: readonly Column[] = Object.freeze([
  textColumn('name'),
  textColumn('user_name'),
  textColumn('role_restriction'),
  timestampColumn('expires_at'),
  textColumn('status'),
  textColumn('comment'),
  timestampColumn('created_on'),
  textColumn('created_by'),
  numberColumn('mins_to_bypass_network_policy_requirement'),
  textColumn('rotated_to'),
]);

/** Expired tokens stay listed for 7 days (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). */
const LISTED_AFTER_EXPIRY_MS = 7 * DAY_MS;

/**
 * `SHOW USER { PROGRAMMATIC ACCESS TOKENS | PATS } [FOR USER <u>]` (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens), one row per
 * token and one per rotated secret still listed (`rotated_to` = the token it was rotated to).
 * Inferred: status EXPIRED for expired rows (not documented), `created_by` is
 * the token's user (the world records no creator), a rotated secret's `created_on` is null.
 *
 * @example
 * showPats({ kind: 'show-pats' }, session, env).rows.map((r) => r[0]) // ['CI']
 */
export function showPats(cmd: Extract<Command, { kind: 'show-pats' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const target = targetUser(cmd.user, false, session, 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens');
  if (!target.ok) return target.result;
  const u = target.user;
  const rows: Row[] = [];
  const listed = (expiresAt: number): boolean => expiresAt + LISTED_AFTER_EXPIRY_MS > env.now;
  const status = (expiresAt: number, disabled: boolean): string => (expiresAt <= env.now ? 'EXPIRED' : disabled ? 'DISABLED' : 'ACTIVE');
  for (const p of u.programmaticAccessTokens) {
    const disabled = p.disabled || u.disabled;
    const bypass = String(p.minsToBypassNetworkPolicyRequirement);
    if (listed(p.expiresAt)) {
      rows.push([p.name, u.name, p.roleRestriction ?? null, timestampCell(p.expiresAt), status(p.expiresAt, disabled), p.comment ?? null, timestampCell(p.createdAt), u.name, bypass, null]);
    }
    for (const r of p.rotated) {
      if (listed(r.expiresAt)) rows.push([r.name, u.name, p.roleRestriction ?? null, timestampCell(r.expiresAt), status(r.expiresAt, disabled), null, null, u.name, bypass, p.name]);
    }
  }
  return { ok: true, kind: 'show', columns: SHOW_COLUMNS, rows, changed: false, cacheable: false };
}
