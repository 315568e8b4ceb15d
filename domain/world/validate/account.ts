/**
 * One account: its identity, parameters and PAT policy, then each section in dependency order
 * (network first, as users and integrations name policies; users and integrations before the
 * tokens that name them), then the account-wide uniqueness of client ids. Returns the account's
 * secrets: they must be unique across the whole world (the PAT and OAuth indexes are world-wide).
 */
import { WORLD_DEFAULTS } from '../config.ts';
import type { Checker, Entry, Rec } from './checker.ts';
import { checkDatabases, checkWarehouses } from './databases-warehouses.ts';
import { splitLocator } from './field-rules.ts';
import { checkIntegrations } from './integrations.ts';
import { checkNetwork } from './network.ts';
import { checkOAuthTokens } from './oauth-tokens.ts';
import { checkOutbound } from './outbound.ts';
import { checkPolicyRef, roleRef, type Scope } from './scope.ts';
import { checkStatements } from './statements.ts';
import { checkUsers } from './users.ts';
import type { ConfigPath } from './world-config-error.ts';

const ACCOUNT_FIELD_KEYS = [
  'region', 'network_policy', 'roles', 'parameters', 'network_policies', 'network_rules', 'users',
  'oauth_access_tokens', 'security_integrations', 'pat_policy', 'databases', 'warehouses',
  // outbound OAuth and Native Apps (issue #6, validate/outbound.ts)
  'secrets', 'grants', 'applications',
  // statements the user answers (decisions/0016, validate/statements.ts)
  'statements',
];

/**
 * The keys an account mapping may hold (also the root's, in the single-account shorthand).
 *
 * @example
 * c.records(root, 'accounts', [], ACCOUNT_KEYS)
 */
export const ACCOUNT_KEYS = ['name', 'locator', ...ACCOUNT_FIELD_KEYS];
const PARAMETER_KEYS = [
  'oauth_add_privileged_roles_to_blocked_list', 'external_oauth_add_privileged_roles_to_blocked_list', 'allow_client_mfa_caching',
  'mock_session_token_validity', 'mock_master_token_validity',
];
const PAT_POLICY_KEYS = ['network_policy_evaluation', 'require_role_restriction_for_service_users', 'default_expiry_in_days', 'max_expiry_in_days'];

/**
 * Checks one account; `shorthand` is the single-account form, where the name is optional (the
 * locator is optional in both forms).
 *
 * @example
 * checkAccount(c, accounts[0].value, ['accounts', 0], false)
 */
export function checkAccount(c: Checker, a: Rec, path: ConfigPath, shorthand: boolean): Entry<string>[] {
  checkAccountIdentity(c, a, path, shorthand);
  const declared = ['PUBLIC', ...c.strings(a, 'roles', path).map((r) => r.value.toUpperCase()).filter((r) => r !== 'PUBLIC')];
  const section = c.section(a, 'parameters', path, PARAMETER_KEYS);
  if (section) {
    for (const key of ['oauth_add_privileged_roles_to_blocked_list', 'external_oauth_add_privileged_roles_to_blocked_list', 'allow_client_mfa_caching']) c.bool(section, key, [...path, 'parameters']);
    for (const key of ['mock_session_token_validity', 'mock_master_token_validity']) c.duration(section, key, [...path, 'parameters']);
  }
  const scope: Scope = {
    path, declared, policies: new Set(), rules: new Set(), users: new Map(), integrations: new Map(),
    secrets: [], clientIds: [], pat: checkPatPolicy(c, a, path),
  };
  checkNetwork(c, scope, a);
  checkPolicyRef(c, scope, a, 'network_policy', path);
  checkUsers(c, scope, a);
  checkIntegrations(c, scope, a);
  checkOAuthTokens(c, scope, a);
  checkDatabases(c, scope, a);
  checkWarehouses(c, scope, a);
  checkOutbound(c, scope, a);
  // In the single-account form, top-level `statements:` are the world's, checked by world.ts.
  if (!shorthand) checkStatements(c, a, path, (role) => roleRef(c, scope, role));
  c.unique(scope.clientIds, 'oauth_client_id', 'exact');
  return scope.secrets;
}

function checkAccountIdentity(c: Checker, a: Rec, path: ConfigPath, shorthand: boolean): void {
  const name = c.string(a, 'name', path, !shorthand && 'for every account (its org-account identifier, e.g. MYORG-MYACCOUNT)');
  if (name && !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    c.add([...path, 'name'], `account name "${name}" must be an org-account identifier such as MYORG-MYACCOUNT (letters, digits, "-" and "_")`);
  }
  // Optional everywhere: a missing locator is derived from the name (locator.ts), as the shorthand always did.
  const locatorText = c.string(a, 'locator', path);
  const region = c.string(a, 'region', path);
  if (!locatorText) return;
  const split = splitLocator(locatorText.trim());
  if (!/^[A-Z0-9]+$/.test(split.locator)) c.add([...path, 'locator'], `locator "${locatorText}" must be letters and digits, optionally followed by its region (e.g. xy12345.us-east-2.aws)`);
  if (split.region && region && split.region !== region.toLowerCase()) {
    c.add([...path, 'region'], `region "${region}" disagrees with the region "${split.region}" in locator "${locatorText}"`);
  }
}

function checkPatPolicy(c: Checker, a: Rec, path: ConfigPath): Scope['pat'] {
  const p = c.section(a, 'pat_policy', path, PAT_POLICY_KEYS) ?? {};
  const at = [...path, 'pat_policy'];
  c.choice(p, 'network_policy_evaluation', at, ['ENFORCED_REQUIRED', 'ENFORCED_NOT_REQUIRED', 'NOT_ENFORCED']);
  const requireRoleRestriction = c.bool(p, 'require_role_restriction_for_service_users', at) ?? true;
  const maxDays = c.int(p, 'max_expiry_in_days', at, 1, WORLD_DEFAULTS.patMaxExpiryInDays) ?? WORLD_DEFAULTS.patMaxExpiryInDays;
  const defaultDays = c.int(p, 'default_expiry_in_days', at, 1, WORLD_DEFAULTS.patMaxExpiryInDays) ?? WORLD_DEFAULTS.patDefaultExpiryInDays;
  if (defaultDays > maxDays) {
    c.add([...at, 'max_expiry_in_days'], `max_expiry_in_days (${maxDays}) is below default_expiry_in_days (${defaultDays}); the maximum ranges from the default to 365 (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)`);
  }
  return { defaultDays, maxDays, requireRoleRestriction };
}
