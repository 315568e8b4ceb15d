/**
 * Evaluation of ONE network policy against one client address (https://docs.snowflake.com/en/user-guide/network-policies). Which policy
 * applies is decided in `precedence.ts`; this file only answers "does this policy let it in".
 */
import type { Account, Cidr, NetworkPolicy } from '../world/model.ts';
import { cidrContains, parseIp, type Ip } from './cidr.ts';

/** Why a verdict went the way it did; stable, so tests and callers need not parse prose. */
export type PolicyReason = 'blocked' | 'not-allowed' | 'allowed' | 'no-allowed-list' | 'unparsable-ip';

/** The answer of {@link evaluatePolicy}. */
export interface PolicyVerdict {
  readonly allowed: boolean;
  readonly reason: PolicyReason;
  /** One line naming the IP, the list (and entry) that decided, and the policy. */
  readonly explanation: string;
}

/** One CIDR and the list it came from, for explanations. */
interface Entry {
  readonly cidr: Cidr;
  /** `BLOCKED_IP_LIST` or `BLOCKED_NETWORK_RULE_LIST`, etc. */
  readonly list: string;
  /** Network rule name, when the entry came from a rule. */
  readonly rule?: string;
}

/**
 * Decides whether `ip` may pass `policy`. Blocked lists are applied first (blocked beats allowed);
 * a non-empty allowed list is exclusive. Never throws: an unparsable address is refused.
 *
 * @example
 * evaluatePolicy(corpOnly, parseIp('192.168.1.5')!, account)
 * // { allowed: false, reason: 'not-allowed', explanation: 'IP 192.168.1.5 not in ALLOWED_IP_LIST of policy CORP_ONLY' }
 */
export function evaluatePolicy(policy: NetworkPolicy, ip: Ip | string, account: Account): PolicyVerdict {
  const addr = typeof ip === 'string' ? parseIp(ip) : ip;
  if (!addr) {
    return { allowed: false, reason: 'unparsable-ip', explanation: `IP ${JSON.stringify(String(ip))} is not a valid IPv4/IPv6 address, so policy ${policy.name} cannot allow it` };
  }
  // https://docs.snowflake.com/en/user-guide/network-policies: blocked lists are applied first, so blocked beats allowed.
  const blocked = firstMatch(policy, account, 'BLOCKED', addr);
  if (blocked) return { allowed: false, reason: 'blocked', explanation: `IP ${addr.text} is in ${describe(blocked)} of policy ${policy.name}` };

  // https://docs.snowflake.com/en/user-guide/network-policies: allowed lists are exclusive; families are evaluated independently and
  // cidrContains never matches across families, so an IPv6 request against IPv4-only entries is refused.
  // DECISION (inferred): an IPv4 request against a policy whose allowed entries are all IPv6 is
  // refused as well — a policy with an allowed list is a whitelist, whatever the families in it.
  // A hit is looked for first (an empty allowed list has none): the common answer builds no entry list.
  const hit = firstMatch(policy, account, 'ALLOWED', addr);
  if (hit) return { allowed: true, reason: 'allowed', explanation: `IP ${addr.text} is in ${describe(hit)} of policy ${policy.name}` };

  const allowed = entries(policy, account, 'ALLOWED');
  // https://docs.snowflake.com/en/user-guide/network-policies: no allowed entries at all → everything not blocked passes.
  if (allowed.length === 0) return { allowed: true, reason: 'no-allowed-list', explanation: `IP ${addr.text} not blocked by policy ${policy.name}, which has no allowed list` };
  return { allowed: false, reason: 'not-allowed', explanation: `IP ${addr.text} not in ${listNames(allowed)} of policy ${policy.name}${familyNote(allowed, addr)}` };
}

const IP_LIST = { ALLOWED: 'ALLOWED_IP_LIST', BLOCKED: 'BLOCKED_IP_LIST' } as const;
const RULE_LIST = { ALLOWED: 'ALLOWED_NETWORK_RULE_LIST', BLOCKED: 'BLOCKED_NETWORK_RULE_LIST' } as const;

/** The first entry of one side of a policy that holds `addr`, in {@link entries} order, without building the list (every token request asks). */
function firstMatch(policy: NetworkPolicy, account: Account, side: 'ALLOWED' | 'BLOCKED', addr: Ip): Entry | undefined {
  for (const cidr of side === 'ALLOWED' ? policy.allowedIpList : policy.blockedIpList) if (cidrContains(cidr, addr)) return { cidr, list: IP_LIST[side] };
  for (const name of side === 'ALLOWED' ? policy.allowedNetworkRuleList : policy.blockedNetworkRuleList) {
    const rule = account.networkRules.get(name) ?? account.networkRules.get(name.toUpperCase());
    if (rule?.mode !== 'INGRESS') continue;
    for (const cidr of rule.valueList) if (cidrContains(cidr, addr)) return { cidr, list: RULE_LIST[side], rule: rule.name };
  }
  return undefined;
}

/** The IP-list entries and the IPv4/IPv6 network-rule values of one side of a policy. */
function entries(policy: NetworkPolicy, account: Account, side: 'ALLOWED' | 'BLOCKED'): Entry[] {
  const ipList = side === 'ALLOWED' ? policy.allowedIpList : policy.blockedIpList;
  const ruleNames = side === 'ALLOWED' ? policy.allowedNetworkRuleList : policy.blockedNetworkRuleList;
  const out: Entry[] = ipList.map((cidr) => ({ cidr, list: IP_LIST[side] }));
  for (const name of ruleNames) {
    // A rule name that no longer resolves contributes nothing (Snowflake refuses to drop a rule in use).
    const rule = account.networkRules.get(name) ?? account.networkRules.get(name.toUpperCase());
    if (rule?.mode !== 'INGRESS') continue;
    for (const cidr of rule.valueList) out.push({ cidr, list: RULE_LIST[side], rule: rule.name });
  }
  return out;
}

function describe(e: Entry): string {
  return e.rule === undefined ? `${e.list} (${e.cidr.text})` : `${e.list} (rule ${e.rule}: ${e.cidr.text})`;
}

function listNames(allowed: readonly Entry[]): string {
  return [...new Set(allowed.map((e) => e.list))].join(' or ');
}

function familyNote(allowed: readonly Entry[], ip: Ip): string {
  return allowed.some((e) => e.cidr.family === ip.family) ? '' : ` (it has no IPv${ip.family} entries)`;
}
