/**
 * A tiny hand-rolled builder of world-model objects for unit tests: every field has a sensible
 * default, lists are given as arrays and CIDRs as strings, and the result is the runtime model
 * (`domain/world/model.ts`) with its Maps and Sets — no loader involved.
 *
 * @example
 * const world = makeWorld({
 *   accounts: [makeAccount({
 *     users: [makeUser({ name: 'ALICE', roles: ['ANALYST'], networkPolicy: 'CORP_ONLY' })],
 *     networkPolicies: [makeNetworkPolicy({ name: 'CORP_ONLY', allowedIpList: ['10.0.0.0/8'] })],
 *   })],
 *   switches: { bcr2026_07: true },
 * })
 */
import { buildPatIndex } from '../../domain/auth/pat.ts';
import { createOAuthTokenStore } from '../../domain/auth/oauth-token.ts';
import type { AuthContext, AuthStores } from '../../domain/auth/context.ts';
import { parseCidr } from '../../domain/network/cidr.ts';
import type {
  Account,
  Cidr,
  ClockSettings,
  NetworkPolicy,
  NetworkRule,
  OAuthAccessToken,
  OAuthIntegration,
  PatPolicy,
  ProgrammaticAccessToken,
  RotatedPatSecret,
  SecurityIntegration,
  Switches,
  User,
  UserType,
  World,
} from '../../domain/world/model.ts';

/** A fixed instant tests build around: 2026-01-01T00:00:00Z. */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Parses a CIDR or throws (test input is trusted; a typo should fail loudly). */
export function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`world-builder: bad CIDR ${JSON.stringify(text)}`);
  return c;
}

export interface UserInput extends Partial<Omit<User, 'roles' | 'programmaticAccessTokens' | 'name' | 'loginName' | 'type'>> {
  name?: string;
  loginName?: string;
  type?: UserType;
  /** Granted roles besides PUBLIC (and besides the default role, which is granted automatically). */
  roles?: Iterable<string>;
  programmaticAccessTokens?: ProgrammaticAccessToken[];
}

/**
 * A user: ALICE, PERSON, enabled, default role granted, PUBLIC always granted.
 *
 * @example
 * makeUser({ name: 'SVC', type: 'SERVICE', defaultRole: 'LOADER' })
 */
export function makeUser(input: UserInput = {}): User {
  const { roles = [], programmaticAccessTokens = [], ...rest } = input;
  const name = (input.name ?? 'ALICE').toUpperCase();
  const granted = new Set(['PUBLIC', ...roles, ...(input.defaultRole ? [input.defaultRole] : [])]);
  return { disabled: false, ...rest, name, loginName: (input.loginName ?? name).toUpperCase(), type: input.type ?? 'PERSON', roles: granted, programmaticAccessTokens };
}

export interface PatInput extends Partial<Omit<ProgrammaticAccessToken, 'rotated'>> {
  rotated?: RotatedPatSecret[];
}

/**
 * A PAT: name CI, created at T0, 15 days, enabled, no bypass window; `expiresAt` follows
 * `createdAt + daysToExpiry` unless given.
 *
 * @example
 * makePat({ name: 'CI', secret: 'pat-ci', roleRestriction: 'ANALYST' })
 */
export function makePat(input: PatInput = {}): ProgrammaticAccessToken {
  const name = (input.name ?? 'CI').toUpperCase();
  const createdAt = input.createdAt ?? T0;
  const daysToExpiry = input.daysToExpiry ?? 15;
  return {
    secret: `pat-secret-${name.toLowerCase()}`,
    disabled: false,
    minsToBypassNetworkPolicyRequirement: 0,
    expiresAt: createdAt + daysToExpiry * DAY,
    ...input,
    name,
    createdAt,
    daysToExpiry,
    rotated: input.rotated ?? [],
  };
}

export interface NetworkPolicyInput {
  name?: string;
  allowedIpList?: string[];
  blockedIpList?: string[];
  allowedNetworkRuleList?: string[];
  blockedNetworkRuleList?: string[];
  comment?: string;
}

/**
 * A network policy (empty lists by default, which allows everything).
 *
 * @example
 * makeNetworkPolicy({ name: 'CORP_ONLY', allowedIpList: ['192.168.1.0/24'], blockedIpList: ['192.168.1.99'] })
 */
export function makeNetworkPolicy(input: NetworkPolicyInput = {}): NetworkPolicy {
  return {
    name: (input.name ?? 'POLICY').toUpperCase(),
    allowedIpList: (input.allowedIpList ?? []).map(cidr),
    blockedIpList: (input.blockedIpList ?? []).map(cidr),
    allowedNetworkRuleList: input.allowedNetworkRuleList ?? [],
    blockedNetworkRuleList: input.blockedNetworkRuleList ?? [],
    ...(input.comment !== undefined && { comment: input.comment }),
  };
}

/**
 * An INGRESS network rule; the type follows the first value's family unless given.
 *
 * @example
 * makeNetworkRule({ name: 'OFFICE', valueList: ['203.0.113.0/24'] })
 */
export function makeNetworkRule(input: { name?: string; type?: 'IPV4' | 'IPV6'; valueList?: string[] } = {}): NetworkRule {
  const valueList = (input.valueList ?? []).map(cidr);
  const type = input.type ?? (valueList[0]?.family === 6 ? 'IPV6' : 'IPV4');
  return { name: (input.name ?? 'RULE').toUpperCase(), type, mode: 'INGRESS', valueList };
}

/**
 * A Snowflake OAuth (`type: oauth`) integration, enabled, confidential CUSTOM client.
 *
 * @example
 * makeOAuthIntegration({ name: 'MY_APP', networkPolicy: 'APP_NET' })
 */
export function makeOAuthIntegration(input: Partial<OAuthIntegration> = {}): OAuthIntegration {
  const name = (input.name ?? 'MY_APP').toUpperCase();
  return {
    type: 'OAUTH',
    enabled: true,
    oauthClient: 'CUSTOM',
    oauthClientType: 'CONFIDENTIAL',
    oauthRedirectUri: 'https://app.example.com/callback',
    oauthAlternateRedirectUris: [],
    oauthClientId: `client-${name.toLowerCase()}`,
    oauthClientSecret: `secret-${name.toLowerCase()}`,
    oauthAllowNonTlsRedirectUri: false,
    oauthEnforcePkce: false,
    oauthIssueRefreshTokens: true,
    oauthAccessTokenValidity: 600,
    oauthRefreshTokenValidity: 7_776_000,
    oauthSingleUseRefreshTokensRequired: false,
    preAuthorizedRolesList: [],
    allowedRolesList: [],
    blockedRolesList: [],
    ...input,
    name,
  };
}

/**
 * An OAuth access token for ALICE as PUBLIC, valid 10 minutes from T0.
 *
 * @example
 * makeOAuthToken({ token: 'tok-1', role: 'ANALYST', integration: 'MY_APP' })
 */
export function makeOAuthToken(input: Partial<OAuthAccessToken> = {}): OAuthAccessToken {
  return { token: 'oauth-token-1', user: 'ALICE', role: 'PUBLIC', expiresAt: T0 + 10 * MINUTE, ...input };
}

export interface AccountInput {
  name?: string;
  locator?: string;
  region?: string;
  /** Account-level network policy name. */
  networkPolicy?: string;
  roles?: Iterable<string>;
  oauthAddPrivilegedRolesToBlockedList?: boolean;
  users?: User[];
  networkPolicies?: NetworkPolicy[];
  networkRules?: NetworkRule[];
  securityIntegrations?: SecurityIntegration[];
  oauthAccessTokens?: OAuthAccessToken[];
  patPolicy?: Partial<PatPolicy>;
}

/**
 * An account: MYORG-MYACCOUNT / XY12345, PAT policy at Snowflake's defaults; its roles include
 * every role granted to its users.
 *
 * @example
 * makeAccount({ networkPolicy: 'CORP', networkPolicies: [makeNetworkPolicy({ name: 'CORP' })] })
 */
export function makeAccount(input: AccountInput = {}): Account {
  const users = input.users ?? [];
  const roles = new Set(['PUBLIC', 'ACCOUNTADMIN', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN', ...(input.roles ?? []), ...users.flatMap((u) => [...u.roles])]);
  return {
    name: (input.name ?? 'MYORG-MYACCOUNT').toUpperCase(),
    locator: (input.locator ?? 'XY12345').toUpperCase(),
    ...(input.region !== undefined && { region: input.region }),
    ...(input.networkPolicy !== undefined && { networkPolicy: input.networkPolicy }),
    roles,
    parameters: { oauthAddPrivilegedRolesToBlockedList: input.oauthAddPrivilegedRolesToBlockedList ?? true, allowClientMfaCaching: false, sessionTokenValidity: 3600, masterTokenValidity: 14_400 },
    networkPolicies: byName(input.networkPolicies ?? []),
    networkRules: byName(input.networkRules ?? []),
    users: byName(users),
    oauthAccessTokens: input.oauthAccessTokens ?? [],
    securityIntegrations: byName(input.securityIntegrations ?? []),
    patPolicy: { networkPolicyEvaluation: 'ENFORCED_REQUIRED', requireRoleRestrictionForServiceUsers: true, defaultExpiryInDays: 15, maxExpiryInDays: 365, ...input.patPolicy },
    databases: [],
    warehouses: [],
  };
}

/** Snowflake-documented defaults (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating, https://docs.snowflake.com/en/user-guide/network-policies seed default). */
export const DEFAULT_SWITCHES: Switches = { networkPolicyPrecedence: 'seed', bcr2026_07: false, jwtSpecificErrors: false, jwtAlgorithms: ['RS256'] };

/**
 * A world: one default account unless given, default switches, a frozen clock at T0.
 *
 * @example
 * makeWorld({ accounts: [makeAccount()], switches: { networkPolicyPrecedence: 'current-docs' } })
 */
export function makeWorld(input: { accounts?: Account[]; switches?: Partial<Switches>; clock?: Partial<ClockSettings> } = {}): World {
  return {
    accounts: input.accounts ?? [makeAccount()],
    switches: { ...DEFAULT_SWITCHES, ...input.switches },
    clock: { start: T0, frozen: true, ...input.clock },
  };
}

/**
 * An auth context on the world's first account (or the named one) at `now` (default T0), with
 * PAT and OAuth stores built from the world. `jwt` is a stub unless given.
 *
 * @example
 * const ctx = makeAuthContext(world, { now: T0 + 16 * DAY, clientIp: '10.0.0.5' })
 */
export function makeAuthContext(world: World, options: { account?: string; now?: number; clientIp?: string; stores?: Partial<AuthStores> } = {}): AuthContext {
  const account = options.account === undefined ? world.accounts[0] : world.accounts.find((a) => a.name === options.account?.toUpperCase());
  if (!account) throw new Error(`world-builder: no account ${options.account ?? '(first)'} in world`);
  const stores: AuthStores = {
    pats: buildPatIndex(world),
    oauthTokens: createOAuthTokenStore(world),
    jwt: undefined as unknown as AuthStores['jwt'],
    ...options.stores,
  };
  return { world, account, now: options.now ?? T0, clientIp: options.clientIp ?? '127.0.0.1', stores };
}

function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}
