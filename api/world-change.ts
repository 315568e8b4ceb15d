/**
 * A world change described as data (scenario steps, `POST /__mock/world/change`), applied through
 * the world API. Named like the Snowflake command each stands for — except `inject_fault` and
 * `clear_faults`, which change the mock's fault plan (domain/faults.ts), not the world.
 */
import type { Awaitable } from '../domain/awaitable.ts';
import type { FaultPlan, FaultRule } from '../domain/faults.ts';
import type { ProviderControl } from '../domain/provider/provider.ts';
import type { PolicyLevel } from '../domain/world/mutations.ts';
import type { Switches } from '../domain/world/model.ts';
import type { WorldApi } from './world.ts';

type On = { readonly account?: string };

/** One world change; exactly one key. `capture` names a variable for a value the change creates. */
export interface WorldChange {
  readonly disable_user?: On & { readonly user: string; readonly disabled?: boolean };
  readonly disable_pat?: On & { readonly user: string; readonly name: string; readonly disabled?: boolean };
  readonly remove_pat?: On & { readonly user: string; readonly name: string };
  readonly rotate_pat?: On & { readonly user: string; readonly name: string; readonly expire_rotated_token_after_hours?: number; readonly capture?: string };
  readonly add_pat?: On & { readonly user: string; readonly name: string; readonly role_restriction?: string; readonly days_to_expiry?: number; readonly mins_to_bypass_network_policy_requirement?: number; readonly capture?: string };
  readonly set_rsa_public_key?: On & { readonly user: string; readonly slot?: 1 | 2; readonly key: string | null };
  readonly set_network_policy?: On & { readonly level: PolicyLevel; readonly policy: string | null };
  readonly grant_role?: On & { readonly user: string; readonly role: string };
  readonly revoke_role?: On & { readonly user: string; readonly role: string };
  readonly set_integration_enabled?: On & { readonly integration: string; readonly enabled: boolean };
  readonly issue_oauth_token?: On & { readonly user: string; readonly role?: string; readonly expires_in?: number | string; readonly integration?: string; readonly capture?: string };
  readonly revoke_consent?: On & { readonly user: string; readonly integration: string };
  /** Runs SQL as an installed application's setup script (issue #6; decisions/0008). */
  readonly run_setup_script?: On & { readonly application: string; readonly sql: string };
  /** `ALTER APPLICATION <app> APPROVE | DECLINE SPECIFICATION <s>` at its current sequence number (issue #6). */
  readonly approve_specification?: On & { readonly application: string; readonly specification: string; readonly approve?: boolean };
  /** Not a change: an External OAuth integration's mock IdP issues a token (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external), captured. */
  readonly issue_external_oauth_token?: On & { readonly integration: string; readonly subject: string; readonly scopes?: readonly string[]; readonly expires_in?: number | string; readonly audience?: string; readonly claims?: Readonly<Record<string, unknown>>; readonly capture: string };
  readonly set_switches?: { readonly network_policy_precedence?: 'seed' | 'current-docs'; readonly bcr_2026_07?: boolean; readonly jwt_specific_errors?: boolean; readonly jwt_algorithms?: readonly string[] };
  /** Answers the next matching requests with a status, a delay or a reset (issue #5). */
  readonly inject_fault?: FaultRule | readonly FaultRule[];
  /** Removes every injected fault. */
  readonly clear_faults?: true;
  /** The external OAuth provider (issue #6): an integration's provider hosts, or one origin, answer a 5xx (default 503). */
  readonly provider_down?: ProviderTarget & { readonly status?: number };
  /** Brings them back (all hosts when neither is named). */
  readonly provider_up?: ProviderTarget;
  /** Revokes the provider's live refresh tokens of an integration (all when none is named). */
  readonly revoke_provider_refresh_tokens?: { readonly integration?: string };
  /** Expires them now, on the mock clock. */
  readonly expire_provider_refresh_tokens?: { readonly integration?: string };
}

/** An integration (its endpoint hosts) or an origin of the provider. */
type ProviderTarget = { readonly integration?: string; readonly origin?: string };

/** Changes of the external OAuth provider's state (domain/provider), not of the world. */
const PROVIDER_CHANGES = ['provider_down', 'provider_up', 'revoke_provider_refresh_tokens', 'expire_provider_refresh_tokens'] as const;
type ProviderChange = (typeof PROVIDER_CHANGES)[number];

// The provider behind a world API (set by createSnowflakeMock), like FAULT_PLANS below.
const PROVIDERS = new WeakMap<WorldApi, ProviderControl>();

/**
 * Ties a world API to its mock's external OAuth provider, for the `provider_*` changes.
 *
 * @example
 * linkProvider(createWorldApi(core), core.provider)
 */
export function linkProvider<T extends WorldApi>(api: T, provider: ProviderControl): T {
  PROVIDERS.set(api, provider);
  return api;
}

const isProviderChange = (key: string): key is ProviderChange => (PROVIDER_CHANGES as readonly string[]).includes(key);

function applyProviderChange(provider: ProviderControl, key: ProviderChange, change: WorldChange): Record<string, string> {
  const target = (t: ProviderTarget | undefined): string | undefined => t?.integration ?? t?.origin;
  if (key === 'provider_down') {
    const at = target(change.provider_down);
    if (at === undefined) throw new Error('provider_down names an integration or an origin');
    provider.down(at, change.provider_down!.status);
  } else if (key === 'provider_up') provider.up(target(change.provider_up));
  else if (key === 'revoke_provider_refresh_tokens') provider.revokeRefreshTokens(change.revoke_provider_refresh_tokens!.integration);
  else provider.expireRefreshTokens(change.expire_provider_refresh_tokens!.integration);
  return {};
}

/** The two changes of the fault plan; every other change goes through the world API. */
const FAULT_CHANGES = ['inject_fault', 'clear_faults'] as const;
type FaultChange = (typeof FAULT_CHANGES)[number];

// The fault plan behind a world API (set by createSnowflakeMock): `mock.world` reaches it without
// widening WorldApi, so the in-process scenario target applies `inject_fault` like any change.
const FAULT_PLANS = new WeakMap<WorldApi, FaultPlan>();

/**
 * Ties a world API to its mock's fault plan, for {@link applyWorldChange}'s `inject_fault`.
 *
 * @example
 * linkFaultPlan(createWorldApi(core), core.faults)
 */
export function linkFaultPlan<T extends WorldApi>(api: T, faults: FaultPlan): T {
  FAULT_PLANS.set(api, faults);
  return api;
}

type Apply<K extends keyof WorldChange> = (api: WorldApi, arg: NonNullable<WorldChange[K]>) => Awaitable<Record<string, string>>;

const none = {};
const APPLY: { readonly [K in Exclude<keyof WorldChange, FaultChange | ProviderChange>]-?: Apply<K> } = {
  disable_user: (api, a) => (api.disableUser(a.user, a.disabled ?? true), none),
  disable_pat: (api, a) => (api.disablePat(a.user, a.name, a.disabled ?? true), none),
  remove_pat: (api, a) => (api.removePat(a.user, a.name), none),
  rotate_pat: (api, a) => {
    const r = api.rotatePat(a.user, a.name, { ...(a.expire_rotated_token_after_hours !== undefined && { expireRotatedTokenAfterHours: a.expire_rotated_token_after_hours }) });
    return a.capture ? { [a.capture]: r.tokenSecret } : none;
  },
  add_pat: (api, a) => {
    const r = api.addPat(a.user, {
      name: a.name,
      ...(a.role_restriction !== undefined && { roleRestriction: a.role_restriction }),
      ...(a.days_to_expiry !== undefined && { daysToExpiry: a.days_to_expiry }),
      ...(a.mins_to_bypass_network_policy_requirement !== undefined && { minsToBypassNetworkPolicyRequirement: a.mins_to_bypass_network_policy_requirement }),
    });
    return a.capture ? { [a.capture]: r.tokenSecret } : none;
  },
  set_rsa_public_key: (api, a) => (api.setRsaPublicKey(a.user, a.slot ?? 1, a.key), none),
  set_network_policy: (api, a) => (api.setNetworkPolicy(a.level, a.policy), none),
  grant_role: (api, a) => (api.grantRole(a.user, a.role), none),
  revoke_role: (api, a) => (api.revokeRole(a.user, a.role), none),
  set_integration_enabled: (api, a) => (api.setIntegrationEnabled(a.integration, a.enabled), none),
  issue_oauth_token: (api, a) => {
    const t = api.issueOAuthToken({ user: a.user, ...(a.role !== undefined && { role: a.role }), ...(a.expires_in !== undefined && { expiresIn: a.expires_in }), ...(a.integration !== undefined && { integration: a.integration }) });
    return a.capture ? { [a.capture]: t.token } : none;
  },
  revoke_consent: (api, a) => (api.revokeConsent(a.user, a.integration), none),
  run_setup_script: (api, a) => (api.runSetupScript(a.application, a.sql), none),
  approve_specification: (api, a) => (api.approveSpecification(a.application, a.specification, a.approve ?? true), none),
  issue_external_oauth_token: async (api, a) => ({
    [a.capture]: await api.issueExternalOAuthToken(a.integration, {
      subject: a.subject,
      ...(a.scopes !== undefined && { scopes: a.scopes }),
      ...(a.expires_in !== undefined && { expiresIn: a.expires_in }),
      ...(a.audience !== undefined && { audience: a.audience }),
      // null in a scenario deletes a claim (YAML has no undefined)
      ...(a.claims !== undefined && { claims: Object.fromEntries(Object.entries(a.claims).map(([k, v]) => [k, v === null ? undefined : v])) }),
    }),
  }),
  set_switches: (api, a) => {
    const s: Partial<Switches> = {
      ...(a.network_policy_precedence !== undefined && { networkPolicyPrecedence: a.network_policy_precedence }),
      ...(a.bcr_2026_07 !== undefined && { bcr2026_07: a.bcr_2026_07 }),
      ...(a.jwt_specific_errors !== undefined && { jwtSpecificErrors: a.jwt_specific_errors }),
      ...(a.jwt_algorithms !== undefined && { jwtAlgorithms: a.jwt_algorithms.map((x) => x.toUpperCase()) }),
    };
    api.setSwitches(s);
    return none;
  },
};

/**
 * Applies one change; returns the values it captured (e.g. a rotated PAT's new secret), as a
 * promise for the one change jose must sign for (issue_external_oauth_token).
 * Throws an Error with a readable message when the change names something that does not exist.
 * `faults` is the plan `inject_fault`/`clear_faults` change (default: the one linked to `api`);
 * `provider` the external OAuth provider the `provider_*` changes act on (likewise).
 *
 * @example
 * applyWorldChange(mock.world, { rotate_pat: { user: 'ALICE', name: 'CI', capture: 'new_secret' } }) // { new_secret: 'pat-…' }
 * applyWorldChange(mock.world, { inject_fault: { path: '/session/v1/login-request', status: 503, count: 2 } })
 * await applyWorldChange(mock.world, { issue_external_oauth_token: { integration: 'OKTA_IDP', subject: 'alice', capture: 'token' } }) // { token: 'eyJ…' }
 */
export function applyWorldChange(api: WorldApi, change: WorldChange, faults: FaultPlan | undefined = FAULT_PLANS.get(api), provider: ProviderControl | undefined = PROVIDERS.get(api)): Awaitable<Record<string, string>> {
  const keys = Object.keys(change) as (keyof WorldChange)[];
  const known = [...Object.keys(APPLY), ...FAULT_CHANGES, ...PROVIDER_CHANGES];
  if (keys.length !== 1 || !known.includes(keys[0]!)) throw new Error(`a world change has exactly one of ${known.join(', ')}; got ${keys.join(', ') || 'none'}`);
  const key = keys[0]!;
  if (key === 'inject_fault' || key === 'clear_faults') {
    if (!faults) throw new Error(`${key} needs the mock's fault plan (use mock.world, or pass core.faults)`);
    if (key === 'inject_fault') faults.inject(change.inject_fault!);
    else faults.clear();
    return none;
  }
  if (isProviderChange(key)) {
    if (!provider) throw new Error(`${key} needs the mock's provider (use mock.world, or pass core.provider)`);
    return applyProviderChange(provider, key, change);
  }
  const arg = change[key] as { account?: string };
  const scoped = arg.account === undefined ? api : api.forAccount(arg.account);
  return (APPLY[key] as Apply<typeof key>)(scoped, arg as never);
}
