/**
 * The world at a glance, for people (`GET /__mock/world/summary`, the inspector page): users and
 * how they can sign in, PATs with the time left on the mock clock, key fingerprints, security
 * integrations and network policies. Unlike the view of api/world-view.ts it holds no
 * secret at all — no password, PAT or OAuth token value, no client secret — so a page may show
 * all of it (issue #12, inspector).
 */
import { isoTime } from '../domain/clock.ts';
import type { Account, NetworkPolicy, ProgrammaticAccessToken, PublicKeySlot, SecurityIntegration, User, World } from '../domain/world/model.ts';

/**
 * The summary of a whole world at one instant of its clock.
 *
 * @example
 * worldSummary(world, clock.now(), clock.frozen).accounts[0].pats[0].msLeft // 1_296_000_000 (15 days)
 */
export interface WorldSummary {
  readonly clock: { readonly now: string; readonly epochMs: number; readonly frozen: boolean };
  readonly accounts: readonly AccountSummary[];
}

/**
 * One account's objects, names only.
 *
 * @example
 * summary.accounts[0].networkPolicy // 'ACCOUNT_POLICY'
 */
export interface AccountSummary {
  readonly name: string;
  readonly locator: string;
  /** The account-level network policy, if one is set. */
  readonly networkPolicy?: string;
  readonly users: readonly UserSummary[];
  readonly pats: readonly PatSummary[];
  readonly keys: readonly KeySummary[];
  readonly integrations: readonly IntegrationSummary[];
  readonly networkPolicies: readonly NetworkPolicySummary[];
}

/**
 * A user, and the ways it can authenticate.
 *
 * @example
 * { name: 'ALICE', loginName: 'ALICE', type: 'PERSON', authMethods: ['password', 'key-pair', 'PAT', 'OAuth token'], disabled: false, roles: ['ANALYST', 'PUBLIC'] }
 */
export interface UserSummary {
  readonly name: string;
  readonly loginName: string;
  readonly type: string;
  readonly defaultRole?: string;
  readonly roles: readonly string[];
  /** `password`, `MFA`, `key-pair`, `PAT`, `OAuth token` — what the world gives this user. */
  readonly authMethods: readonly string[];
  readonly disabled: boolean;
  /** Set while password logins are locked out (MINS_TO_UNLOCK, too many failures). */
  readonly lockedUntil?: string;
  readonly networkPolicy?: string;
}

/**
 * A programmatic access token, without its secret; `msLeft` is on the mock clock (≤ 0 once expired).
 *
 * @example
 * { user: 'ALICE', name: 'CI', expiresAt: '2026-03-16T12:00:00.000Z', msLeft: 1_296_000_000, expired: false, disabled: false, rotatedSecrets: 0 }
 */
export interface PatSummary {
  readonly user: string;
  readonly name: string;
  readonly roleRestriction?: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly msLeft: number;
  readonly expired: boolean;
  readonly disabled: boolean;
  /** Old secrets still accepted after a rotation (their grace period has not ended). */
  readonly rotatedSecrets: number;
}

/**
 * A registered public key: its owner, slot and `SHA256:…` fingerprint.
 *
 * @example
 * { owner: 'user ALICE', slot: 'RSA_PUBLIC_KEY', fingerprint: 'SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=' }
 */
export interface KeySummary {
  readonly owner: string;
  readonly slot: string;
  readonly fingerprint: string;
}

/**
 * A security integration; `detail` names its client id, issuer or grant (never a secret).
 *
 * @example
 * { name: 'MY_APP', type: 'OAUTH', enabled: true, detail: 'client my-app-client', networkPolicy: 'INTEGRATION_ONLY' }
 */
export interface IntegrationSummary {
  readonly name: string;
  readonly type: string;
  readonly enabled: boolean;
  readonly detail: string;
  readonly networkPolicy?: string;
}

/**
 * A network policy and where it is set.
 *
 * @example
 * { name: 'CORP_ONLY', allowed: ['10.0.0.0/8'], blocked: ['10.0.0.99'], allowedRules: [], blockedRules: [], usedBy: ['user ALICE'] }
 */
export interface NetworkPolicySummary {
  readonly name: string;
  readonly allowed: readonly string[];
  readonly blocked: readonly string[];
  readonly allowedRules: readonly string[];
  readonly blockedRules: readonly string[];
  readonly usedBy: readonly string[];
}

/**
 * Summarises a world at mock time `now`.
 *
 * @example
 * worldSummary(core.world, core.clock.now(), core.clock.frozen).accounts[0].users.map((u) => u.name) // ['ALICE', 'ETL_BOT']
 */
export function worldSummary(world: World, now: number, frozen: boolean): WorldSummary {
  return { clock: { now: isoTime(now), epochMs: now, frozen }, accounts: world.accounts.map((account) => accountSummary(account, now)) };
}

function accountSummary(account: Account, now: number): AccountSummary {
  const users = [...account.users.values()];
  const integrations = [...account.securityIntegrations.values()];
  return {
    name: account.name,
    locator: account.locator,
    ...(account.networkPolicy !== undefined && { networkPolicy: account.networkPolicy }),
    users: users.map((user) => userSummary(user, account, now)),
    pats: users.flatMap((user) => user.programmaticAccessTokens.map((pat) => patSummary(user, pat, now))),
    keys: [...users.flatMap((u) => keysOf(`user ${u.name}`, [u.rsaPublicKey, u.rsaPublicKey2])), ...integrations.flatMap((i) => keysOf(`integration ${i.name}`, integrationKeys(i)))],
    integrations: integrations.map(integrationSummary),
    networkPolicies: [...account.networkPolicies.values()].map((policy) => policySummary(policy, account, users, integrations)),
  };
}

function userSummary(user: User, account: Account, now: number): UserSummary {
  const locked = user.lockedUntil !== undefined && now < user.lockedUntil;
  return {
    name: user.name,
    loginName: user.loginName,
    type: user.type,
    ...(user.defaultRole !== undefined && { defaultRole: user.defaultRole }),
    roles: [...user.roles].sort(),
    authMethods: authMethodsOf(user, account),
    disabled: user.disabled,
    ...(locked && { lockedUntil: isoTime(user.lockedUntil!) }),
    ...(user.networkPolicy !== undefined && { networkPolicy: user.networkPolicy }),
  };
}

function authMethodsOf(user: User, account: Account): string[] {
  const methods: string[] = [];
  if (user.password !== undefined) methods.push('password');
  if (user.mfa) methods.push('MFA');
  if (user.rsaPublicKey || user.rsaPublicKey2) methods.push('key-pair');
  if (user.programmaticAccessTokens.length > 0) methods.push('PAT');
  if (account.oauthAccessTokens.some((t) => t.user === user.name)) methods.push('OAuth token');
  return methods;
}

function patSummary(user: User, pat: ProgrammaticAccessToken, now: number): PatSummary {
  return {
    user: user.name,
    name: pat.name,
    ...(pat.roleRestriction !== undefined && { roleRestriction: pat.roleRestriction }),
    createdAt: isoTime(pat.createdAt),
    expiresAt: isoTime(pat.expiresAt),
    msLeft: pat.expiresAt - now,
    // The same test as pat.ts: expired from the instant of expiry on.
    expired: now >= pat.expiresAt,
    disabled: pat.disabled || user.disabled,
    rotatedSecrets: pat.rotated.filter((r) => now < r.expiresAt).length,
  };
}

function keysOf(owner: string, slots: readonly (PublicKeySlot | undefined)[]): KeySummary[] {
  return slots.filter((s): s is PublicKeySlot => s !== undefined).map((s) => ({ owner, slot: s.slot, fingerprint: s.fingerprint }));
}

function integrationKeys(integration: SecurityIntegration): (PublicKeySlot | undefined)[] {
  if (integration.type === 'OAUTH') return [integration.oauthClientRsaPublicKey, integration.oauthClientRsaPublicKey2];
  if (integration.type === 'EXTERNAL_OAUTH') return [integration.externalOauthRsaPublicKey, integration.externalOauthRsaPublicKey2];
  return [];
}

function integrationSummary(integration: SecurityIntegration): IntegrationSummary {
  const policy = integration.type === 'OAUTH' ? integration.networkPolicy : undefined;
  return { name: integration.name, type: integration.type, enabled: integration.enabled, detail: integrationDetail(integration), ...(policy !== undefined && { networkPolicy: policy }) };
}

/** What tells integrations apart at a glance; client ids and issuers are public, secrets are left out. */
function integrationDetail(integration: SecurityIntegration): string {
  if (integration.type === 'OAUTH') return `${integration.oauthClientType.toLowerCase()} client ${integration.oauthClientId}`;
  if (integration.type === 'EXTERNAL_OAUTH') return `${integration.externalOauthType} issuer ${integration.externalOauthIssuer}`;
  return [integration.oauthGrant && `grant ${integration.oauthGrant}`, integration.oauthClientId && `client ${integration.oauthClientId}`, integration.application && `of application ${integration.application}`].filter(Boolean).join(', ');
}

function policySummary(policy: NetworkPolicy, account: Account, users: readonly User[], integrations: readonly SecurityIntegration[]): NetworkPolicySummary {
  const usedBy = [
    ...(account.networkPolicy === policy.name ? ['account'] : []),
    ...users.filter((u) => u.networkPolicy === policy.name).map((u) => `user ${u.name}`),
    ...integrations.filter((i) => i.type === 'OAUTH' && i.networkPolicy === policy.name).map((i) => `integration ${i.name}`),
  ];
  return {
    name: policy.name,
    allowed: policy.allowedIpList.map((c) => c.text),
    blocked: policy.blockedIpList.map((c) => c.text),
    allowedRules: [...policy.allowedNetworkRuleList],
    blockedRules: [...policy.blockedNetworkRuleList],
    usedBy,
  };
}
