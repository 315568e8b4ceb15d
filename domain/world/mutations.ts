/**
 * Changes to a built world at run time, for tests and the control API: the SQL a Snowflake admin
 * would run (`ALTER USER … SET DISABLED`, `… ROTATE PAT`, `… SET RSA_PUBLIC_KEY`, `GRANT ROLE`).
 * Each checks its inputs against the same rules as the config loader and throws a plain Error
 * saying what is wrong. Users are looked up by NAME, case-insensitively.
 */
import { parseDuration } from '../clock.ts';
import type { Ids } from '../ids.ts';
import { keySlot } from './build.ts';
import { WORLD_DEFAULTS } from './config.ts';
import type { Account, OAuthAccessToken, OAuthIntegration, ProgrammaticAccessToken, PublicKeySlot, User, World } from './model.ts';
import { SERVICE_USER_TYPES, parseInstant, patNameProblem, suggest } from './validate.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Time and generated values for mutations that create secrets.
 *
 * @example
 * rotatePat(world, 'MYORG-MYACCOUNT', 'ALICE', 'CI', { now: clock.now(), ids })
 */
export interface MutationContext {
  /** Mock-clock time, epoch ms. */
  readonly now: number;
  readonly ids: Ids;
}

/**
 * Which rule a mutation refused, for callers that answer like Snowflake (the SQL command layer
 * maps each to a catalogue code). The message stays the human explanation.
 *
 * @example
 * try { addPat(world, account, 'ALICE', { name: 'CI' }, ctx) } catch (e) { if (e instanceof MutationError) e.problem // 'PAT_EXISTS' }
 */
export type MutationProblem =
  | 'UNKNOWN_ACCOUNT' | 'UNKNOWN_USER' | 'UNKNOWN_PAT' | 'UNKNOWN_ROLE' | 'UNKNOWN_POLICY' | 'UNKNOWN_INTEGRATION'
  | 'NOT_AN_OAUTH_INTEGRATION' | 'PAT_NAME' | 'PAT_EXISTS' | 'PAT_LIMIT' | 'ROLE_RESTRICTION_REQUIRED' | 'ROLE_NOT_GRANTED'
  | 'NETWORK_POLICY_REQUIRED' | 'OUT_OF_RANGE' | 'SECRET_IN_USE' | 'BAD_KEY'
  // outbound OAuth and Native Apps (native-app/mutations.ts, issue #6)
  | 'UNKNOWN_SECRET' | 'UNKNOWN_APPLICATION' | 'UNKNOWN_APPLICATION_ROLE' | 'UNKNOWN_SPECIFICATION' | 'UNKNOWN_CONFIGURATION'
  | 'UNKNOWN_DATABASE' | 'UNKNOWN_SCHEMA' | 'OBJECT_EXISTS' | 'INVALID_VALUE' | 'NOT_API_AUTHENTICATION' | 'NOT_OWNED'
  | 'PRIVILEGE_MISSING' | 'NO_TOKENS';

/**
 * The Error every check of this module throws: a plain Error (same messages as ever) that also
 * names the {@link MutationProblem} and the offending value.
 *
 * @example
 * new MutationError('OUT_OF_RANGE', 'daysToExpiry must be …', { what: 'daysToExpiry', value: '400' })
 */
export class MutationError extends Error {
  readonly problem: MutationProblem;
  /** The offending name or value, e.g. `{ what: 'daysToExpiry', value: '400' }` or `{ name: 'CI' }`. */
  readonly detail: Readonly<Record<string, string>>;
  constructor(problem: MutationProblem, message: string, detail: Record<string, string> = {}) {
    super(message);
    this.name = 'MutationError';
    this.problem = problem;
    this.detail = detail;
  }
}

function hint(name: string, candidates: Iterable<string>): string {
  const h = suggest(name, candidates);
  return h ? `; did you mean "${h}"?` : '';
}

/**
 * Finds an account by org-account name or locator (case-insensitive).
 *
 * @example
 * findAccount(world, 'myorg-myaccount').locator // 'XY12345'
 */
export function findAccount(world: World, account: string): Account {
  const key = account.toUpperCase();
  const found = world.accounts.find((a) => a.name === key || a.locator === key);
  if (found) return found;
  throw new MutationError('UNKNOWN_ACCOUNT', `unknown account "${account}" (accounts: ${world.accounts.map((a) => a.name).join(', ')})${hint(key, world.accounts.map((a) => a.name))}`);
}

/**
 * Finds a user of an account by NAME (case-insensitive).
 *
 * @example
 * findUser(world, 'MYORG-MYACCOUNT', 'alice').loginName // 'ALICE'
 */
export function findUser(world: World, account: string, user: string): User {
  const a = findAccount(world, account);
  const found = a.users.get(user.toUpperCase());
  if (found) return found;
  throw new MutationError('UNKNOWN_USER', `unknown user "${user}" in account ${a.name}${hint(user.toUpperCase(), a.users.keys())}`, { name: user.toUpperCase() });
}

function findPat(user: User, name: string): ProgrammaticAccessToken {
  const found = user.programmaticAccessTokens.find((p) => p.name === name.toUpperCase());
  if (found) return found;
  throw new MutationError('UNKNOWN_PAT', `user ${user.name} has no programmatic access token "${name}"${hint(name.toUpperCase(), user.programmaticAccessTokens.map((p) => p.name))}`, { name: name.toUpperCase() });
}

function declaredRole(account: Account, role: string): string {
  const name = role.toUpperCase();
  if (account.roles.has(name)) return name;
  throw new MutationError('UNKNOWN_ROLE', `role "${name}" does not exist in account ${account.name}${hint(name, account.roles)}`, { name });
}

/**
 * `ALTER USER … SET DISABLED = TRUE|FALSE`. Disabling also disables the user's PATs, and they stay
 * disabled when the user is enabled again (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
 *
 * @example
 * disableUser(world, 'MYORG-MYACCOUNT', 'ALICE')
 */
export function disableUser(world: World, account: string, user: string, disabled = true): User {
  const u = findUser(world, account, user);
  u.disabled = disabled;
  if (disabled) for (const pat of u.programmaticAccessTokens) pat.disabled = true;
  return u;
}

/**
 * `ALTER USER … MODIFY PAT <name> SET DISABLED = TRUE|FALSE`.
 *
 * @example
 * setPatDisabled(world, 'MYORG-MYACCOUNT', 'ALICE', 'CI', true)
 */
export function setPatDisabled(world: World, account: string, user: string, name: string, disabled = true): ProgrammaticAccessToken {
  const pat = findPat(findUser(world, account, user), name);
  pat.disabled = disabled;
  return pat;
}

/**
 * `ALTER USER … REMOVE PAT <name>`; returns the removed token.
 *
 * @example
 * removePat(world, 'MYORG-MYACCOUNT', 'ALICE', 'CI')
 */
export function removePat(world: World, account: string, user: string, name: string): ProgrammaticAccessToken {
  const u = findUser(world, account, user);
  const pat = findPat(u, name);
  u.programmaticAccessTokens = u.programmaticAccessTokens.filter((p) => p !== pat);
  return pat;
}

/**
 * What `ALTER USER … MODIFY PAT <name> SET|UNSET …|RENAME TO …` changes (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens);
 * `comment: null` unsets the comment. Expiry and role restriction cannot change after creation.
 *
 * @example
 * modifyPat(world, account, 'ALICE', 'CI', { newName: 'CI_2', disabled: false })
 */
export interface PatChanges {
  readonly disabled?: boolean;
  readonly minsToBypassNetworkPolicyRequirement?: number;
  readonly comment?: string | null;
  readonly newName?: string;
}

/**
 * `ALTER USER … MODIFY PAT <name> …`: checks every change first, then applies them all.
 *
 * @example
 * modifyPat(world, 'MYORG-MYACCOUNT', 'ALICE', 'CI', { newName: 'NIGHTLY' }).name // 'NIGHTLY'
 */
export function modifyPat(world: World, account: string, user: string, name: string, changes: PatChanges): ProgrammaticAccessToken {
  const u = findUser(world, account, user);
  const pat = findPat(u, name);
  let newName: string | undefined;
  if (changes.newName !== undefined) {
    const problem = patNameProblem(changes.newName);
    if (problem) throw new MutationError('PAT_NAME', problem, { name: changes.newName });
    newName = changes.newName.toUpperCase();
    if (newName !== pat.name && u.programmaticAccessTokens.some((p) => p.name === newName)) {
      throw new MutationError('PAT_EXISTS', `user ${u.name} already has a programmatic access token named ${newName}`, { name: newName });
    }
  }
  const mins = changes.minsToBypassNetworkPolicyRequirement;
  if (mins !== undefined) checkWhole('minsToBypassNetworkPolicyRequirement', mins, 0, WORLD_DEFAULTS.patMaxBypassMinutes);
  if (newName !== undefined) pat.name = newName;
  if (mins !== undefined) pat.minsToBypassNetworkPolicyRequirement = mins;
  if (changes.comment !== undefined) pat.comment = changes.comment ?? undefined;
  if (changes.disabled !== undefined) pat.disabled = changes.disabled;
  return pat;
}

/**
 * Output of {@link rotatePat}, named like Snowflake's result columns.
 *
 * @example
 * const { tokenSecret, rotatedTokenName } = rotatePat(world, account, 'ALICE', 'CI', { now, ids })
 */
export interface RotatedPat {
  readonly tokenName: string;
  readonly tokenSecret: string;
  readonly rotatedTokenName: string;
}

/**
 * `ALTER USER … ROTATE PAT <name> [EXPIRE_ROTATED_TOKEN_AFTER_HOURS = n]` (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens): a new
 * secret with the same DAYS_TO_EXPIRY counted from now; the old secret keeps working as
 * `<NAME>_ROTATED_<epoch-ms>` for n hours (default 24, 0 = at once, at most the hours left).
 *
 * @example
 * const { tokenSecret } = rotatePat(world, 'MYORG-MYACCOUNT', 'ALICE', 'CI', { now: clock.now(), ids })
 */
export function rotatePat(
  world: World, account: string, user: string, name: string,
  options: MutationContext & { expireRotatedTokenAfterHours?: number },
): RotatedPat {
  const pat = findPat(findUser(world, account, user), name);
  const { now, ids } = options;
  const hours = options.expireRotatedTokenAfterHours ?? WORLD_DEFAULTS.rotatedPatExpireAfterHours;
  const hoursLeft = Math.max(0, Math.floor((pat.expiresAt - now) / HOUR_MS));
  if (!Number.isInteger(hours) || hours < 0 || hours > hoursLeft) {
    throw new MutationError('OUT_OF_RANGE', `expireRotatedTokenAfterHours must be a whole number from 0 to ${hoursLeft} (the hours left on PAT ${pat.name}), got ${hours}`, { what: 'expireRotatedTokenAfterHours', value: String(hours) });
  }
  const rotatedTokenName = `${pat.name}_ROTATED_${now}`;
  pat.rotated.push({ name: rotatedTokenName, secret: pat.secret, expiresAt: now + hours * HOUR_MS });
  pat.secret = ids.token('pat-', 40);
  pat.createdAt = now;
  pat.expiresAt = now + pat.daysToExpiry * DAY_MS;
  return { tokenName: pat.name, tokenSecret: pat.secret, rotatedTokenName };
}

/**
 * The options of `ALTER USER … ADD PAT` (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token).
 *
 * @example
 * addPat(world, account, 'ALICE', { name: 'NIGHTLY', daysToExpiry: 7 }, { now, ids })
 */
export interface AddPatSpec {
  readonly name: string;
  /** Generated when absent. */
  readonly secret?: string;
  readonly roleRestriction?: string;
  /** Default: the account's `pat_policy.default_expiry_in_days`. */
  readonly daysToExpiry?: number;
  readonly minsToBypassNetworkPolicyRequirement?: number;
  readonly comment?: string;
  readonly disabled?: boolean;
}

/**
 * `ALTER USER … ADD PAT <name> …`, with Snowflake's checks (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens); returns the
 * token's name and secret (the only time Snowflake shows the secret).
 *
 * @example
 * addPat(world, 'MYORG-MYACCOUNT', 'ETL_BOT', { name: 'NIGHTLY', roleRestriction: 'SYSADMIN' }, { now: clock.now(), ids })
 */
export function addPat(world: World, account: string, user: string, spec: AddPatSpec, context: MutationContext): { tokenName: string; tokenSecret: string } {
  const a = findAccount(world, account);
  const u = findUser(world, account, user);
  const name = checkNewPatName(u, spec.name, context.now);
  const roleRestriction = checkPatRole(a, u, spec.roleRestriction);
  checkPatNetworkPolicy(a, u);
  const days = spec.daysToExpiry ?? a.patPolicy.defaultExpiryInDays;
  checkWhole('daysToExpiry', days, 1, a.patPolicy.maxExpiryInDays);
  const mins = spec.minsToBypassNetworkPolicyRequirement ?? 0;
  checkWhole('minsToBypassNetworkPolicyRequirement', mins, 0, WORLD_DEFAULTS.patMaxBypassMinutes);
  const secret = spec.secret ?? context.ids.token('pat-', 40);
  checkSecretUnused(a, secret);
  u.programmaticAccessTokens.push({
    name, secret, roleRestriction, daysToExpiry: days, createdAt: context.now, expiresAt: context.now + days * DAY_MS,
    disabled: spec.disabled ?? false, minsToBypassNetworkPolicyRequirement: mins, comment: spec.comment, rotated: [],
  });
  return { tokenName: name, tokenSecret: secret };
}

function checkNewPatName(u: User, name: string, now: number): string {
  const problem = patNameProblem(name);
  if (problem) throw new MutationError('PAT_NAME', problem, { name });
  const upper = name.toUpperCase();
  if (u.programmaticAccessTokens.some((p) => p.name === upper)) throw new MutationError('PAT_EXISTS', `user ${u.name} already has a programmatic access token named ${upper}`, { name: upper });
  // expired tokens do not count towards the limit (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)
  const live = u.programmaticAccessTokens.filter((p) => p.expiresAt > now).length;
  if (live >= WORLD_DEFAULTS.patMaxPerUser) throw new MutationError('PAT_LIMIT', `user ${u.name} already has ${live} programmatic access tokens; Snowflake allows at most ${WORLD_DEFAULTS.patMaxPerUser} per user`);
  return upper;
}

function checkPatRole(a: Account, u: User, role: string | undefined): string | undefined {
  if (role === undefined) {
    if (SERVICE_USER_TYPES.has(u.type) && a.patPolicy.requireRoleRestrictionForServiceUsers) {
      throw new MutationError('ROLE_RESTRICTION_REQUIRED', `user ${u.name} is a ${u.type} user, so its PATs need a roleRestriction (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)`);
    }
    return undefined;
  }
  const name = declaredRole(a, role);
  if (!u.roles.has(name)) throw new MutationError('ROLE_NOT_GRANTED', `role "${name}" is not granted to user ${u.name}, so it cannot be a PAT's role restriction (granted: ${[...u.roles].join(', ')})`, { name });
  return name;
}

/** SERVICE and LEGACY_SERVICE users generate PATs only while a network policy applies (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). */
function checkPatNetworkPolicy(a: Account, u: User): void {
  const needsPolicy = (u.type === 'SERVICE' || u.type === 'LEGACY_SERVICE') && a.patPolicy.networkPolicyEvaluation === 'ENFORCED_REQUIRED';
  if (needsPolicy && !u.networkPolicy && !a.networkPolicy) {
    throw new MutationError('NETWORK_POLICY_REQUIRED', `user ${u.name} is a ${u.type} user subject to no network policy, so it cannot generate a PAT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)`);
  }
}

function checkWhole(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new MutationError('OUT_OF_RANGE', `${what} must be a whole number from ${min} to ${max}, got ${value}`, { what, value: String(value) });
}

function checkSecretUnused(a: Account, secret: string): void {
  const used = a.oauthAccessTokens.some((t) => t.token === secret) ||
    [...a.users.values()].some((u) => u.programmaticAccessTokens.some((p) => p.secret === secret || p.rotated.some((r) => r.secret === secret)));
  if (used) throw new MutationError('SECRET_IN_USE', `that secret is already used by another token in account ${a.name}`);
}

/**
 * `ALTER USER … SET RSA_PUBLIC_KEY[_2] = '…'` (or UNSET with null). The key must be RSA ≥ 2048
 * bits or EC (https://docs.snowflake.com/en/user-guide/key-pair-auth). Returns the new slot.
 *
 * @example
 * setRsaPublicKey(world, 'MYORG-MYACCOUNT', 'ALICE', 2, readFileSync('fixtures/keys/alice-rotated.pub', 'utf8'))
 */
export function setRsaPublicKey(world: World, account: string, user: string, slot: 1 | 2, keyText: string | null): PublicKeySlot | undefined {
  const u = findUser(world, account, user);
  if (slot !== 1 && slot !== 2) throw new Error(`slot must be 1 (RSA_PUBLIC_KEY) or 2 (RSA_PUBLIC_KEY_2), got ${String(slot)}`);
  let value: PublicKeySlot | undefined;
  try {
    value = keyText === null ? undefined : keySlot(keyText, slot === 1 ? 'RSA_PUBLIC_KEY' : 'RSA_PUBLIC_KEY_2');
  } catch (e) {
    throw new MutationError('BAD_KEY', `not a usable public key for user ${u.name}: ${(e as Error).message}`);
  }
  if (slot === 1) u.rsaPublicKey = value;
  else u.rsaPublicKey2 = value;
  return value;
}

/**
 * Where a network policy is activated (https://docs.snowflake.com/en/user-guide/network-policies).
 *
 * @example
 * setNetworkPolicy(world, account, { integration: 'MY_APP' }, 'CORP_ONLY')
 */
export type PolicyLevel = 'account' | { readonly user: string } | { readonly integration: string };

/**
 * `ALTER ACCOUNT|USER|SECURITY INTEGRATION … SET NETWORK_POLICY = <p>` (or UNSET with null).
 *
 * @example
 * setNetworkPolicy(world, 'MYORG-MYACCOUNT', { user: 'ALICE' }, 'CORP_ONLY')
 */
export function setNetworkPolicy(world: World, account: string, level: PolicyLevel, policyName: string | null): void {
  const a = findAccount(world, account);
  const policy = policyName === null ? undefined : policyName.toUpperCase();
  if (policy !== undefined && !a.networkPolicies.has(policy)) {
    throw new MutationError('UNKNOWN_POLICY', `network policy "${policy}" does not exist in account ${a.name}${hint(policy, a.networkPolicies.keys())}`, { name: policy });
  }
  if (level === 'account') a.networkPolicy = policy;
  else if ('user' in level) findUser(world, account, level.user).networkPolicy = policy;
  else oauthIntegration(a, level.integration).networkPolicy = policy;
}

function oauthIntegration(a: Account, name: string): { networkPolicy?: string } & OAuthIntegration {
  const integration = a.securityIntegrations.get(name.toUpperCase());
  if (!integration) throw new MutationError('UNKNOWN_INTEGRATION', `unknown security integration "${name}" in account ${a.name}${hint(name.toUpperCase(), a.securityIntegrations.keys())}`, { name: name.toUpperCase() });
  if (integration.type !== 'OAUTH') throw new MutationError('NOT_AN_OAUTH_INTEGRATION', `integration ${integration.name} is of type ${integration.type}; only oauth integrations carry a network policy here`);
  // the model marks the field readonly for readers; this module is the one writer
  return integration as { networkPolicy?: string } & OAuthIntegration;
}

/**
 * `ALTER SECURITY INTEGRATION … SET ENABLED = TRUE|FALSE`.
 *
 * @example
 * setIntegrationEnabled(world, 'MYORG-MYACCOUNT', 'MY_APP', false)
 */
export function setIntegrationEnabled(world: World, account: string, integration: string, enabled: boolean): void {
  const a = findAccount(world, account);
  const found = a.securityIntegrations.get(integration.toUpperCase());
  if (!found) throw new Error(`unknown security integration "${integration}" in account ${a.name}${hint(integration.toUpperCase(), a.securityIntegrations.keys())}`);
  found.enabled = enabled;
}

/**
 * `GRANT ROLE <role> TO USER <user>`; the role must exist in the account.
 *
 * @example
 * grantRole(world, 'MYORG-MYACCOUNT', 'BOB', 'SYSADMIN')
 */
export function grantRole(world: World, account: string, user: string, role: string): User {
  const u = findUser(world, account, user);
  u.roles.add(declaredRole(findAccount(world, account), role));
  return u;
}

/**
 * `REVOKE ROLE <role> FROM USER <user>`; PUBLIC cannot be revoked.
 *
 * @example
 * revokeRole(world, 'MYORG-MYACCOUNT', 'ALICE', 'SYSADMIN')
 */
export function revokeRole(world: World, account: string, user: string, role: string): User {
  const u = findUser(world, account, user);
  const name = role.toUpperCase();
  if (name === 'PUBLIC') throw new Error('PUBLIC is granted to every user and cannot be revoked');
  if (!u.roles.delete(name)) throw new Error(`user ${u.name} has not been granted role "${name}" (granted: ${[...u.roles].join(', ')})`);
  return u;
}

/**
 * A token to add with {@link addOAuthAccessToken}.
 *
 * @example
 * addOAuthAccessToken(world, account, { user: 'ALICE', expiresIn: '10m' }, { now, ids })
 */
export interface AddOAuthTokenSpec {
  /** Generated when absent. */
  readonly token?: string;
  /** User NAME. */
  readonly user: string;
  /** Default: the user's default role, else PUBLIC. */
  readonly role?: string;
  /** Seconds or a duration (`10m`); default 600. */
  readonly expiresIn?: number | string;
  /** Absolute expiry (epoch ms, Date or ISO string) instead of `expiresIn`. */
  readonly expiresAt?: number | string | Date;
  /** Issuing `type: oauth` integration. */
  readonly integration?: string;
}

/**
 * Adds an OAuth access token the account accepts, as if an integration had issued it.
 *
 * @example
 * addOAuthAccessToken(world, 'MYORG-MYACCOUNT', { user: 'BOB', expiresIn: '10m', integration: 'MY_APP' }, { now: clock.now(), ids })
 */
export function addOAuthAccessToken(world: World, account: string, spec: AddOAuthTokenSpec, context: MutationContext): OAuthAccessToken {
  const a = findAccount(world, account);
  const u = findUser(world, account, spec.user);
  const role = declaredRole(a, spec.role ?? u.defaultRole ?? 'PUBLIC');
  const integration = spec.integration === undefined ? undefined : oauthIntegration(a, spec.integration).name;
  const token = spec.token ?? context.ids.token('oauth-', 48);
  checkSecretUnused(a, token);
  const added: OAuthAccessToken = { token, user: u.name, role, expiresAt: tokenExpiry(spec, context.now), integration };
  a.oauthAccessTokens.push(added);
  return added;
}

function tokenExpiry(spec: AddOAuthTokenSpec, now: number): number {
  if (spec.expiresAt !== undefined) {
    const at = parseInstant(spec.expiresAt);
    if (at === undefined) throw new Error(`expiresAt must be epoch ms, a Date or an ISO 8601 instant with a time zone, got ${String(spec.expiresAt)}`);
    return at;
  }
  const ms = parseDuration(spec.expiresIn ?? WORLD_DEFAULTS.oauthTokenExpiresInSeconds);
  if (ms === undefined) throw new Error(`expiresIn must be seconds or a duration such as "10m", got ${String(spec.expiresIn)}`);
  return now + ms;
}
