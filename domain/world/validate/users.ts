/**
 * An account's users and their programmatic access tokens (https://docs.snowflake.com/en/user-guide/key-pair-auth, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). PATs are checked
 * inside their user because their rules depend on the user's type and granted roles.
 */
import { WORLD_DEFAULTS } from '../config.ts';
import { checkKeyField, isAbsent, names, type Checker, type Entry, type Rec } from './checker.ts';
import { SERVICE_USER_TYPES, patNameProblem } from './field-rules.ts';
import { checkPolicyRef, roleField, roleRef, type Scope, type UserFacts } from './scope.ts';
import type { ConfigPath } from './world-config-error.ts';

const USER_KEYS = [
  'name', 'login_name', 'password', 'type', 'default_role', 'roles', 'disabled', 'email', 'comment',
  'rsa_public_key', 'rsa_public_key_2', 'network_policy', 'programmatic_access_tokens', 'display_name', 'mfa', 'mins_to_unlock',
];
const MFA_KEYS = ['passcode', 'totp_secret'];
const PAT_KEYS = [
  'name', 'secret', 'role_restriction', 'days_to_expiry', 'disabled', 'mins_to_bypass_network_policy_requirement',
  'comment', 'created_on', 'rotated',
];
const ROTATED_KEYS = ['secret', 'expire_after_hours', 'rotated_on'];

/**
 * Checks `users` (and their PATs), records each user in the scope, and checks that names and
 * login names are unique.
 *
 * @example
 * checkUsers(c, scope, account) // scope.users now maps ALICE to her type and granted roles
 */
export function checkUsers(c: Checker, scope: Scope, a: Rec): void {
  const users = c.records(a, 'users', scope.path, USER_KEYS);
  for (const user of users) {
    const facts = checkUser(c, scope, user);
    if (facts && !scope.users.has(facts.name)) scope.users.set(facts.name, facts);
  }
  c.unique(names(users), 'user name');
  // LOGIN_NAME defaults to NAME; both must be unique, as the JWT `iss` names the login (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating)
  const logins = users.map((u) => (typeof u.value.login_name === 'string' ? names([u], 'login_name') : names([u]))).flat();
  c.unique(logins, 'login_name');
}

function checkUser(c: Checker, scope: Scope, { value: u, path }: Entry<Rec>): UserFacts | undefined {
  const name = c.string(u, 'name', path, true)?.toUpperCase();
  for (const key of ['login_name', 'password', 'email', 'comment', 'display_name']) c.string(u, key, path);
  c.bool(u, 'disabled', path);
  c.int(u, 'mins_to_unlock', path, 0, 525_600, ' (a year)');
  checkMfa(c, u, path);
  // `type: null` reads as absent here; build.ts maps it to Snowflake's TYPE = NULL
  const type = c.choice(u, 'type', path, ['PERSON', 'SERVICE', 'LEGACY_SERVICE', 'SERVICE_AGENT', 'NULL']);
  const granted = new Set(['PUBLIC']);
  for (const role of c.strings(u, 'roles', path)) {
    const known = roleRef(c, scope, role);
    if (known) granted.add(known);
  }
  const defaultRole = roleField(c, scope, u, 'default_role', path);
  if (defaultRole && !granted.has(defaultRole)) {
    c.add([...path, 'default_role'], `default role "${defaultRole}" is not granted to user ${name ?? '?'} (granted: ${[...granted].join(', ')}); add it to the user's roles`);
  }
  for (const key of ['rsa_public_key', 'rsa_public_key_2']) checkKeyField(c, u, key, path);
  checkPolicyRef(c, scope, u, 'network_policy', path);
  const facts: UserFacts = { name: name ?? '', type: type ?? 'PERSON', granted };
  checkPats(c, scope, facts, u, path);
  return name ? facts : undefined;
}

function checkPats(c: Checker, scope: Scope, user: UserFacts, u: Rec, path: ConfigPath): void {
  const pats = c.records(u, 'programmatic_access_tokens', path, PAT_KEYS);
  if (pats.length > WORLD_DEFAULTS.patMaxPerUser) {
    c.add([...path, 'programmatic_access_tokens'], `user ${user.name} has ${pats.length} programmatic access tokens; Snowflake allows at most ${WORLD_DEFAULTS.patMaxPerUser} per user (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)`);
  }
  for (const pat of pats) checkPat(c, scope, user, pat);
  c.unique(names(pats), `PAT name of user ${user.name}`);
}

function checkPat(c: Checker, scope: Scope, user: UserFacts, { value: p, path }: Entry<Rec>): void {
  const name = c.string(p, 'name', path, true);
  const nameProblem = name === undefined ? undefined : patNameProblem(name);
  if (nameProblem) c.add([...path, 'name'], nameProblem);
  const secret = c.string(p, 'secret', path);
  if (secret) scope.secrets.push({ value: secret, path: [...path, 'secret'] });
  checkRoleRestriction(c, scope, user, p, path);
  const why = scope.pat.maxDays === WORLD_DEFAULTS.patMaxExpiryInDays ? ' (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)' : ' (pat_policy.max_expiry_in_days)';
  c.int(p, 'days_to_expiry', path, 1, scope.pat.maxDays, why);
  c.int(p, 'mins_to_bypass_network_policy_requirement', path, 0, WORLD_DEFAULTS.patMaxBypassMinutes, ' (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)');
  c.bool(p, 'disabled', path);
  c.string(p, 'comment', path);
  c.instant(p, 'created_on', path);
  for (const r of c.records(p, 'rotated', path, ROTATED_KEYS)) {
    const old = c.string(r.value, 'secret', r.path, 'for a rotated PAT secret');
    if (old) scope.secrets.push({ value: old, path: [...r.path, 'secret'] });
    c.int(r.value, 'expire_after_hours', r.path, 0);
    c.instant(r.value, 'rotated_on', r.path);
  }
}

function checkRoleRestriction(c: Checker, scope: Scope, user: UserFacts, p: Rec, path: ConfigPath): void {
  const role = roleField(c, scope, p, 'role_restriction', path);
  if (role && !user.granted.has(role)) {
    c.add([...path, 'role_restriction'], `role_restriction "${role}" is not granted to user ${user.name} (granted: ${[...user.granted].join(', ')}); https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token`);
  }
  if (isAbsent(p.role_restriction) && SERVICE_USER_TYPES.has(user.type) && scope.pat.requireRoleRestriction) {
    c.add([...path, 'role_restriction'], `user ${user.name} is a ${user.type} user, so its PATs need a role_restriction (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token); set one, or set pat_policy.require_role_restriction_for_service_users: false`);
  }
}

/** A passcode is 6 digits; a TOTP secret is base32 (RFC 4648) of at least 80 bits (test/driver/driver-cases.ts). */
function checkMfa(c: Checker, u: Rec, path: ConfigPath): void {
  const mfa = c.section(u, 'mfa', path, MFA_KEYS);
  if (!mfa) return;
  const where = [...path, 'mfa'];
  const passcode = c.string(mfa, 'passcode', where);
  if (passcode !== undefined && !/^\d{6}$/.test(passcode)) c.add([...where, 'passcode'], `expected 6 digits (quote it: "012345"), got "${passcode.slice(0, 20)}"`);
  const secret = c.string(mfa, 'totp_secret', where);
  if (secret !== undefined && !/^[A-Z2-7]{16,}=*$/i.test(secret.replace(/\s/g, ''))) {
    c.add([...where, 'totp_secret'], 'expected a base32 secret of at least 16 characters (A-Z, 2-7), as authenticator apps use');
  }
  if (passcode === undefined && secret === undefined) c.add(where, 'give passcode, totp_secret or both');
}
