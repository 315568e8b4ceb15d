/**
 * Builds the runtime model (`model.ts`) from a world config. Validation runs first and throws
 * with every problem; after it, the config's shape is trusted, so this file only normalises:
 * upper-cased identifiers, parsed CIDRs, imported keys, timestamps and generated secrets.
 */
import type { Ids } from '../ids.ts';
import { parseDuration } from '../clock.ts';
import { parseCidr } from '../network/cidr.ts';
import { buildExternalOAuthIntegration } from './build-external-oauth.ts';
import {
  SYSTEM_ROLES, WORLD_DEFAULTS, accountsOf,
  type AccountConfig, type ApiAuthenticationIntegrationConfig, type DatabaseConfig, type NetworkPolicyConfig,
  type NetworkRuleConfig, type OAuthAccessTokenConfig, type OAuthIntegrationConfig, type PatConfig, type PatPolicyConfig,
  type SecurityIntegrationConfig, type ExternalOAuthIntegrationConfig, type UserConfig, type WarehouseConfig, type WorldConfig,
} from './config.ts';
import type {
  Account, ApiAuthenticationIntegration, ClockSettings, Database, NetworkPolicy, NetworkRule, OAuthAccessToken,
  OAuthIntegration, PatPolicy, ProgrammaticAccessToken, PublicKeySlot, SecurityIntegration, Switches, User, UserType,
  Warehouse, World,
} from './model.ts';
import {
  importConfiguredKey, parseInstant, splitLocator, validateClockConfig, validateWorldConfig, warehouseSize,
  worldConfigError, type LineLocator,
} from './validate.ts';
import { linkOutbound } from '../native-app/build.ts';
import { compileStatements, type StatementResponder } from '../sql/answers.ts';
import { declareSchema } from './databases.ts';

/**
 * What building needs besides the config.
 *
 * @example
 * buildWorld(config, { now: clock.now(), ids: createIds(42), file: 'world.yaml' })
 */
export interface BuildOptions {
  /** The clock start (epoch ms): default PAT `created_on`, base of token expiries. */
  readonly now: number;
  /** Source of generated secrets (seeded for reproducible worlds). */
  readonly ids: Ids;
  /** Source file name, for error messages. */
  readonly file?: string;
  /** Maps config paths to lines, for error messages. */
  readonly lines?: LineLocator;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const up = (s: string): string => s.toUpperCase();
const upOpt = (s: string | null | undefined): string | undefined => (s == null ? undefined : s.toUpperCase());
const opt = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

/**
 * Validates a world config and builds the runtime model; throws a `WorldConfigError` listing
 * every problem.
 *
 * @example
 * const world = buildWorld(defaultWorldConfig(), { now: Date.parse('2026-01-01T00:00:00Z'), ids: createIds(1) })
 * world.accounts[0].users.get('ALICE')?.rsaPublicKey?.fingerprint
 */
export function buildWorld(config: WorldConfig, options: BuildOptions): World {
  const problems = validateWorldConfig(config);
  if (problems.length > 0) throw worldConfigError(problems, options);
  const entries = accountsOf(config);
  const world: World = {
    accounts: entries.map(({ account, locatorDerived }) => buildAccount(account, locatorDerived, options)),
    switches: switchesOf(config),
    clock: clockSettingsOf(config),
    ...statementsOf(config.statements, 'the world'),
  };
  // Secrets, grants and Native Apps (issue #6) go through the SQL layer's rules, setup scripts included.
  const linked = entries.flatMap(({ account, path }, i) => linkOutbound(world, world.accounts[i]!, account, path, options));
  if (linked.length > 0) throw worldConfigError(linked, options);
  return world;
}

/**
 * The clock settings of a config, so a caller can start its clock before building
 * (`frozen` defaults to true when `start` is given). Throws a `WorldConfigError` on a bad clock.
 *
 * @example
 * clockSettingsOf({ clock: { start: '2026-01-01T00:00:00Z' } }) // { start: 1767225600000, frozen: true }
 */
export function clockSettingsOf(config: WorldConfig): ClockSettings {
  const problems = validateClockConfig(config);
  if (problems.length > 0) throw worldConfigError(problems);
  const start = config.clock?.start === undefined ? undefined : parseInstant(config.clock.start);
  const frozen = config.clock?.frozen ?? start !== undefined;
  return start === undefined ? { frozen } : { start, frozen };
}

function switchesOf(config: WorldConfig): Switches {
  const s = config.switches ?? {};
  return {
    networkPolicyPrecedence: s.network_policy_precedence === 'current-docs' ? 'current-docs' : 'seed',
    bcr2026_07: s.bcr_2026_07 ?? false,
    jwtSpecificErrors: s.jwt_specific_errors ?? false,
    jwtAlgorithms: [...new Set((s.jwt_algorithms ?? ['RS256']).map(up))],
    ...(s.unmodelled_statements != null && { unmodelledStatements: s.unmodelled_statements.toLowerCase() as 'error' | 'empty' }),
  };
}

/** Compiled `statements:` (decisions/0016) as an optional field: absent when none are given. */
function statementsOf(list: WorldConfig['statements'], where: string): { statements?: StatementResponder[] } {
  const compiled = compileStatements(list ?? undefined, where);
  return compiled.length > 0 ? { statements: compiled } : {};
}

function buildAccount(a: AccountConfig & { readonly locator: string }, locatorDerived: boolean, o: BuildOptions): Account {
  const { locator, region } = splitLocator(a.locator.trim());
  const patPolicy = patPolicyOf(a.pat_policy);
  const declared = (a.roles ?? []).map(up);
  const users = byName((a.users ?? []).map((u) => buildUser(u, patPolicy, o)));
  return {
    name: up(a.name),
    locator,
    ...(locatorDerived && { locatorDerived }),
    region: region ?? opt(a.region)?.toLowerCase(),
    networkPolicy: upOpt(a.network_policy),
    roles: new Set(['PUBLIC', ...declared, ...SYSTEM_ROLES]),
    parameters: {
      oauthAddPrivilegedRolesToBlockedList: a.parameters?.oauth_add_privileged_roles_to_blocked_list ?? true,
      externalOauthAddPrivilegedRolesToBlockedList: a.parameters?.external_oauth_add_privileged_roles_to_blocked_list ?? true,
      allowClientMfaCaching: a.parameters?.allow_client_mfa_caching ?? false,
      sessionTokenValidity: seconds(a.parameters?.mock_session_token_validity) ?? WORLD_DEFAULTS.sessionTokenValidity,
      masterTokenValidity: seconds(a.parameters?.mock_master_token_validity) ?? WORLD_DEFAULTS.masterTokenValidity,
    },
    networkRules: byName((a.network_rules ?? []).map(buildNetworkRule)),
    networkPolicies: byName((a.network_policies ?? []).map(buildNetworkPolicy)),
    users,
    securityIntegrations: byName((a.security_integrations ?? []).map((i) => buildIntegration(i, o.ids, up(a.name)))),
    oauthAccessTokens: (a.oauth_access_tokens ?? []).map((t) => buildOAuthToken(t, users, o.now)),
    patPolicy,
    databases: a.databases ? a.databases.map((d) => buildDatabase(d, o.now)) : defaultDatabases(o.now),
    warehouses: (a.warehouses ?? [{ name: 'COMPUTE_WH', owner: 'ACCOUNTADMIN' }]).map((w) => buildWarehouse(w, o.now)),
    ...statementsOf(a.statements, `account ${up(a.name)}`),
  };
}

function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

function patPolicyOf(p: PatPolicyConfig = {}): PatPolicy {
  return {
    networkPolicyEvaluation: p.network_policy_evaluation ? (up(p.network_policy_evaluation) as PatPolicy['networkPolicyEvaluation']) : 'ENFORCED_REQUIRED',
    requireRoleRestrictionForServiceUsers: p.require_role_restriction_for_service_users ?? true,
    defaultExpiryInDays: p.default_expiry_in_days ?? WORLD_DEFAULTS.patDefaultExpiryInDays,
    maxExpiryInDays: p.max_expiry_in_days ?? WORLD_DEFAULTS.patMaxExpiryInDays,
  };
}

function cidrs(list: readonly string[] | undefined): NetworkPolicy['allowedIpList'] {
  return (list ?? []).map((text) => parseCidr(text)!);
}

function buildNetworkRule(r: NetworkRuleConfig): NetworkRule {
  return { name: up(r.name), type: up(r.type) as NetworkRule['type'], mode: 'INGRESS', valueList: cidrs(r.value_list) };
}

function buildNetworkPolicy(p: NetworkPolicyConfig): NetworkPolicy {
  return {
    name: up(p.name),
    allowedIpList: cidrs(p.allowed_ip_list),
    blockedIpList: cidrs(p.blocked_ip_list),
    allowedNetworkRuleList: (p.allowed_network_rule_list ?? []).map(up),
    blockedNetworkRuleList: (p.blocked_network_rule_list ?? []).map(up),
    comment: opt(p.comment),
  };
}

/**
 * Imports a configured public key into a model slot.
 *
 * @example
 * keySlot(alicePub, 'RSA_PUBLIC_KEY').fingerprint // 'SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk='
 */
export function keySlot(text: string, slot: PublicKeySlot['slot']): PublicKeySlot {
  const { key, fingerprint, body } = importOnce(text);
  return { slot, fingerprint, key, text: body };
}

// Each key is imported once per process (DESIGN.md §5.8), keyed by its base64 body so a PEM and the
// bare body of the same key share one KeyObject; a reset or a second mock reuses it.
const importedKeys = new Map<string, ReturnType<typeof importConfiguredKey>>();
function importOnce(text: string): ReturnType<typeof importConfiguredKey> {
  const body = text.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  const known = importedKeys.get(body);
  if (known) return known;
  const imported = importConfiguredKey(text);
  if (importedKeys.size >= 1024) importedKeys.clear();
  importedKeys.set(body, imported);
  return imported;
}

const keyOpt = (text: string | null | undefined, slot: PublicKeySlot['slot']): PublicKeySlot | undefined =>
  text == null ? undefined : keySlot(text, slot);

/**
 * A user's TYPE as the model keeps it: absent means PERSON, YAML's `type: null` means Snowflake's
 * TYPE = NULL. Shared with the load-time warnings (`warnings.ts`), which judge users before building.
 *
 * @example
 * userTypeOf(undefined) // 'PERSON'
 * userTypeOf('service') // 'SERVICE'
 */
export function userTypeOf(type: UserConfig['type']): UserType {
  if (type === null) return 'NULL'; // YAML's `type: null` is Snowflake's TYPE = NULL
  return type === undefined ? 'PERSON' : (up(type) as UserType);
}

function buildUser(u: UserConfig, policy: PatPolicy, o: BuildOptions): User {
  const name = up(u.name);
  return {
    name,
    loginName: up(u.login_name ?? u.name),
    password: opt(u.password),
    type: userTypeOf(u.type),
    defaultRole: upOpt(u.default_role),
    roles: new Set(['PUBLIC', ...(u.roles ?? []).map(up)]),
    disabled: u.disabled ?? false,
    rsaPublicKey: keyOpt(u.rsa_public_key, 'RSA_PUBLIC_KEY'),
    rsaPublicKey2: keyOpt(u.rsa_public_key_2, 'RSA_PUBLIC_KEY_2'),
    networkPolicy: upOpt(u.network_policy),
    programmaticAccessTokens: (u.programmatic_access_tokens ?? []).map((p) => buildPat(p, policy, o)),
    email: opt(u.email),
    comment: opt(u.comment),
    displayName: opt(u.display_name),
    mfa: mfaOf(u.mfa),
    lockedUntil: u.mins_to_unlock ? o.now + u.mins_to_unlock * 60_000 : undefined,
    failedLogins: 0,
  };
}

function mfaOf(m: UserConfig['mfa']): User['mfa'] {
  if (!m) return undefined;
  const totpSecret = m.totp_secret?.replace(/\s/g, '').toUpperCase();
  return { ...(m.passcode !== undefined && { passcode: m.passcode }), ...(totpSecret !== undefined && { totpSecret }) };
}

function buildPat(p: PatConfig, policy: PatPolicy, o: BuildOptions): ProgrammaticAccessToken {
  const name = up(p.name);
  const daysToExpiry = p.days_to_expiry ?? policy.defaultExpiryInDays;
  const createdAt = p.created_on === undefined ? o.now : parseInstant(p.created_on)!;
  return {
    name,
    secret: p.secret ?? o.ids.token('pat-', 40),
    roleRestriction: upOpt(p.role_restriction),
    daysToExpiry,
    createdAt,
    expiresAt: createdAt + daysToExpiry * DAY_MS,
    disabled: p.disabled ?? false,
    minsToBypassNetworkPolicyRequirement: p.mins_to_bypass_network_policy_requirement ?? 0,
    comment: opt(p.comment),
    rotated: (p.rotated ?? []).map((r) => {
      const rotatedOn = r.rotated_on === undefined ? o.now : parseInstant(r.rotated_on)!;
      const hours = r.expire_after_hours ?? WORLD_DEFAULTS.rotatedPatExpireAfterHours;
      return { name: `${name}_ROTATED_${rotatedOn}`, secret: r.secret, expiresAt: rotatedOn + hours * HOUR_MS };
    }),
  };
}

function buildIntegration(i: SecurityIntegrationConfig, ids: Ids, account: string): SecurityIntegration {
  if (up(i.type) === 'EXTERNAL_OAUTH') return buildExternalOAuthIntegration(i as ExternalOAuthIntegrationConfig, account, keySlot);
  return up(i.type) === 'OAUTH' ? buildOAuthIntegration(i as OAuthIntegrationConfig, ids) : buildApiAuthentication(i as ApiAuthenticationIntegrationConfig);
}

/** Partner clients have a fixed kind; Tableau Desktop runs on the user's machine (a public client). */
function clientTypeOf(i: OAuthIntegrationConfig, client: OAuthIntegration['oauthClient']): OAuthIntegration['oauthClientType'] {
  if (i.oauth_client_type) return up(i.oauth_client_type) as OAuthIntegration['oauthClientType'];
  return client === 'TABLEAU_DESKTOP' ? 'PUBLIC' : 'CONFIDENTIAL';
}

function buildOAuthIntegration(i: OAuthIntegrationConfig, ids: Ids): OAuthIntegration {
  const oauthClient = up(i.oauth_client) as OAuthIntegration['oauthClient'];
  return {
    type: 'OAUTH',
    name: up(i.name),
    enabled: i.enabled ?? true,
    oauthClient,
    oauthClientType: clientTypeOf(i, oauthClient),
    oauthRedirectUri: opt(i.oauth_redirect_uri),
    oauthAlternateRedirectUris: i.oauth_alternate_redirect_uris ?? [],
    // Snowflake's generated client ids and secrets are opaque base64-looking strings
    oauthClientId: i.oauth_client_id ?? ids.token('', 28),
    oauthClientSecret: i.oauth_client_secret ?? ids.token('', 44),
    oauthClientSecret2: opt(i.oauth_client_secret_2),
    oauthAllowNonTlsRedirectUri: i.oauth_allow_non_tls_redirect_uri ?? false,
    oauthEnforcePkce: i.oauth_enforce_pkce ?? false,
    oauthIssueRefreshTokens: i.oauth_issue_refresh_tokens ?? true,
    oauthAccessTokenValidity: i.oauth_access_token_validity ?? WORLD_DEFAULTS.oauthAccessTokenValidity,
    oauthRefreshTokenValidity: i.oauth_refresh_token_validity ?? WORLD_DEFAULTS.oauthRefreshTokenValidity,
    oauthSingleUseRefreshTokensRequired: i.oauth_single_use_refresh_tokens_required ?? false,
    preAuthorizedRolesList: (i.pre_authorized_roles_list ?? []).map(up),
    allowedRolesList: (i.allowed_roles_list ?? []).map(up),
    blockedRolesList: (i.blocked_roles_list ?? []).map(up),
    oauthClientRsaPublicKey: keyOpt(i.oauth_client_rsa_public_key, 'RSA_PUBLIC_KEY'),
    oauthClientRsaPublicKey2: keyOpt(i.oauth_client_rsa_public_key_2, 'RSA_PUBLIC_KEY_2'),
    networkPolicy: upOpt(i.network_policy),
    comment: opt(i.comment),
    mockAutoConsent: i.mock_auto_consent === true ? 'login_hint' : typeof i.mock_auto_consent === 'string' ? up(i.mock_auto_consent) : undefined,
  };
}

/**
 * The model of one (already validated) `type: api_authentication` integration config, with the
 * seed's defaults (also used by `mock.world.addSecurityIntegration`).
 *
 * @example
 * buildApiAuthentication({ name: 'ext', type: 'api_authentication' }).enabled // true
 */
export function buildApiAuthentication(i: ApiAuthenticationIntegrationConfig): ApiAuthenticationIntegration {
  return {
    type: 'API_AUTHENTICATION',
    name: up(i.name),
    enabled: i.enabled ?? true,
    authType: 'OAUTH2',
    oauthTokenEndpoint: opt(i.oauth_token_endpoint),
    oauthAuthorizationEndpoint: opt(i.oauth_authorization_endpoint),
    oauthClientAuthMethod: upOpt(i.oauth_client_auth_method) as ApiAuthenticationIntegration['oauthClientAuthMethod'],
    oauthClientId: opt(i.oauth_client_id),
    oauthClientSecret: opt(i.oauth_client_secret),
    oauthGrant: upOpt(i.oauth_grant) as ApiAuthenticationIntegration['oauthGrant'],
    oauthAccessTokenValidity: i.oauth_access_token_validity ?? WORLD_DEFAULTS.apiAuthAccessTokenValidity,
    oauthRefreshTokenValidity: opt(i.oauth_refresh_token_validity),
    oauthAllowedScopes: i.oauth_allowed_scopes ?? [],
    oauthAssertionIssuer: opt(i.oauth_assertion_issuer),
    comment: opt(i.comment),
  };
}

function buildOAuthToken(t: OAuthAccessTokenConfig, users: ReadonlyMap<string, User>, now: number): OAuthAccessToken {
  const user = users.get(up(t.user))!;
  const expiresAt = t.expires_at !== undefined
    ? parseInstant(t.expires_at)!
    : now + parseDuration(t.expires_in ?? WORLD_DEFAULTS.oauthTokenExpiresInSeconds)!;
  return {
    token: t.token,
    user: user.name,
    role: upOpt(t.role) ?? user.defaultRole ?? 'PUBLIC',
    expiresAt,
    integration: upOpt(t.integration),
  };
}

function defaultDatabases(now: number): Database[] {
  return [
    { name: 'SNOWFLAKE', owner: '', kind: 'PERMANENT', createdOn: now },
    { name: 'SNOWFLAKE_SAMPLE_DATA', owner: 'ACCOUNTADMIN', kind: 'PERMANENT', comment: 'Provided by Snowflake during account provisioning', createdOn: now },
  ];
}

function buildDatabase(d: DatabaseConfig, now: number): Database {
  const db: Database = {
    name: up(d.name),
    owner: upOpt(d.owner) ?? WORLD_DEFAULTS.databaseOwner,
    comment: opt(d.comment),
    kind: d.kind ? (up(d.kind) as Database['kind']) : 'PERMANENT',
    createdOn: now,
  };
  // Declared schemas belong to the database's owner (inferred), like PUBLIC.
  for (const schema of d.schemas ?? []) declareSchema(db, up(schema), db.owner, now);
  return db;
}

function buildWarehouse(w: WarehouseConfig, now: number): Warehouse {
  return {
    name: up(w.name),
    size: w.size ? warehouseSize(w.size)! : WORLD_DEFAULTS.warehouseSize,
    owner: upOpt(w.owner) ?? WORLD_DEFAULTS.warehouseOwner,
    createdOn: now,
  };
}

function seconds(v: number | string | undefined): number | undefined {
  const ms = v === undefined ? undefined : parseDuration(v);
  return ms === undefined ? undefined : ms / 1000;
}
