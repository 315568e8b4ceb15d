/**
 * Which network policy applies to a request (https://docs.snowflake.com/en/user-guide/network-policies, https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview), and the one network check
 * every auth flow runs. The most specific applicable policy REPLACES the others; nothing merges.
 */
import { reject, type Rejection } from '../errors/rejection.ts';
import type { Account, NetworkPolicy, Switches, User } from '../world/model.ts';
import { parseIp } from './cidr.ts';
import { evaluatePolicy } from './policy.ts';

export type PolicyLevel = 'user' | 'integration' | 'account';

/**
 * - `user-credential`: the user's own credential (key-pair JWT, PAT); no integration is involved.
 * - `oauth-token`: a Snowflake OAuth access token used against the API.
 */
export type NetworkTraffic = 'user-credential' | 'oauth-token';

export interface PolicySelectionInput {
  readonly account: Account;
  readonly user?: User;
  /** OAuth security integration name (only read for `oauth-token` traffic). */
  readonly integration?: string;
  readonly traffic: NetworkTraffic;
  readonly precedence: Switches['networkPolicyPrecedence'];
}

export interface PolicySelection {
  readonly policy?: NetworkPolicy;
  readonly level?: PolicyLevel;
  readonly explanation: string;
}

export type NetworkAccess =
  | { readonly ok: true; readonly explanation: string; readonly policy?: NetworkPolicy; readonly level?: PolicyLevel }
  | { readonly ok: false; readonly rejection: Rejection };

/** Most specific first, per precedence mode. */
const ORDER: Readonly<Record<Switches['networkPolicyPrecedence'], readonly PolicyLevel[]>> = {
  // An earlier version of https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview: the integration's policy "overrides a
  // network policy applied to the entire account, but is overridden by a network policy assigned to a user".
  seed: ['user', 'integration', 'account'],
  // https://docs.snowflake.com/en/user-guide/network-policies (current docs): security integration > user > account.
  'current-docs': ['integration', 'user', 'account'],
};

/**
 * Picks the policy that governs a request: the first level, most specific first, that has one.
 *
 * @example
 * selectPolicy({ account, user: alice, traffic: 'user-credential', precedence: 'seed' })
 * // { policy: CORP_ONLY, level: 'user', explanation: "user ALICE's policy CORP_ONLY applies (seed precedence: user > integration > account)" }
 */
export function selectPolicy(input: PolicySelectionInput): PolicySelection {
  const levels = applicableLevels(input);
  const notes: string[] = [];
  for (const level of levels) {
    const name = policyName(input, level);
    if (name === undefined) continue;
    const policy = input.account.networkPolicies.get(name) ?? input.account.networkPolicies.get(name.toUpperCase());
    // A dangling name is skipped, not fatal: Snowflake refuses to drop a policy that is in use, so
    // this only happens mid-mutation; the explanation keeps it visible.
    if (!policy) {
      notes.push(`${owner(input, level)} names missing policy ${name}`);
      continue;
    }
    return { policy, level, explanation: `${owner(input, level)}'s policy ${policy.name} applies (${input.precedence} precedence: ${levels.join(' > ')})${suffix(notes)}` };
  }
  return { explanation: `no network policy applies (checked ${levels.join(', ')})${suffix(notes)}` };
}

/**
 * Runs the network check for a request: selects the policy, then evaluates the client address.
 * Refusals carry wire code 390422 with `params.ip` for the message template (decisions/0004-inferred-choices-of-issue-2.md).
 *
 * @example
 * checkNetworkAccess({ account, user: alice, traffic: 'user-credential', precedence: 'seed', clientIp: '192.168.1.5' })
 * // { ok: false, rejection: { code: '390422', explanation: "IP 192.168.1.5 not in ALLOWED_IP_LIST of policy CORP_ONLY (user ALICE's policy)", … } }
 */
export function checkNetworkAccess(input: PolicySelectionInput & { readonly clientIp: string }): NetworkAccess {
  const governing = governingPolicy(input);
  // No policy, no address check: a garbage client IP is only refused when a policy must judge it.
  if (!governing) return NO_POLICY;
  const { policy, level } = governing;
  const ip = parseIp(input.clientIp);
  const verdict = evaluatePolicy(policy, ip ?? input.clientIp, input.account);
  const whose = `(${owner(input, level)}'s policy)`;
  if (verdict.allowed) return { ok: true, policy, level, explanation: `${verdict.explanation} ${whose}` };
  const params = { ip: ip?.text ?? input.clientIp.trim() };
  return { ok: false, rejection: reject('390422', 'https://docs.snowflake.com/en/user-guide/network-policies', `${verdict.explanation} ${whose}`, 'NETWORK_POLICY_BLOCKED', params) };
}

const NO_POLICY: NetworkAccess = Object.freeze({ ok: true, explanation: 'no network policy applies' });

/**
 * {@link selectPolicy}'s choice without its explanation, which the network check does not use
 * (it runs on every token request and every uncached login).
 */
function governingPolicy(input: PolicySelectionInput): { readonly policy: NetworkPolicy; readonly level: PolicyLevel } | undefined {
  for (const level of applicableLevels(input)) {
    const name = policyName(input, level);
    if (name === undefined) continue;
    const policy = input.account.networkPolicies.get(name) ?? input.account.networkPolicies.get(name.toUpperCase());
    if (policy) return { policy, level };
  }
  return undefined;
}

/** Levels that can govern this traffic, most specific first. */
function applicableLevels(input: PolicySelectionInput): readonly PolicyLevel[] {
  return LEVELS[input.precedence][input.traffic];
}

function levelsFor(precedence: Switches['networkPolicyPrecedence'], traffic: NetworkTraffic): readonly PolicyLevel[] {
  return ORDER[precedence].filter((level) => {
    // Key-pair JWTs and PATs involve no integration (brief: user > account in both modes).
    if (level === 'integration') return traffic === 'oauth-token';
    // https://docs.snowflake.com/en/user-guide/network-policies: for Snowflake OAuth token traffic the user-level policy is not considered.
    if (level === 'user') return !(precedence === 'current-docs' && traffic === 'oauth-token');
    return true;
  });
}

/** {@link levelsFor} of every mode and traffic, computed once. */
const LEVELS: Readonly<Record<Switches['networkPolicyPrecedence'], Readonly<Record<NetworkTraffic, readonly PolicyLevel[]>>>> = {
  seed: { 'user-credential': levelsFor('seed', 'user-credential'), 'oauth-token': levelsFor('seed', 'oauth-token') },
  'current-docs': { 'user-credential': levelsFor('current-docs', 'user-credential'), 'oauth-token': levelsFor('current-docs', 'oauth-token') },
};

function policyName(input: PolicySelectionInput, level: PolicyLevel): string | undefined {
  if (level === 'user') return input.user?.networkPolicy;
  if (level === 'account') return input.account.networkPolicy;
  if (input.integration === undefined) return undefined;
  const integration = input.account.securityIntegrations.get(input.integration) ?? input.account.securityIntegrations.get(input.integration.toUpperCase());
  // https://docs.snowflake.com/en/user-guide/network-policies: only Snowflake OAuth integrations carry a network policy.
  return integration?.type === 'OAUTH' ? integration.networkPolicy : undefined;
}

/** "user ALICE", "integration TABLEAU", "account MYORG-ACC" — the owner of a level's policy. */
function owner(input: PolicySelectionInput, level: PolicyLevel): string {
  if (level === 'user') return `user ${input.user?.name ?? '?'}`;
  if (level === 'integration') return `integration ${input.integration ?? '?'}`;
  return `account ${input.account.name}`;
}

function suffix(notes: readonly string[]): string {
  return notes.length === 0 ? '' : `; ${notes.join('; ')}`;
}
