import { describe, expect, it } from 'vitest';
import { parseIp } from '../../domain/network/cidr.ts';
import { evaluatePolicy } from '../../domain/network/policy.ts';
import { checkNetworkAccess, selectPolicy, type PolicySelectionInput } from '../../domain/network/precedence.ts';
import type { Account, NetworkPolicy } from '../../domain/world/model.ts';
import { makeAccount, makeNetworkPolicy, makeNetworkRule, makeOAuthIntegration, makeUser } from '../helpers/world-builder.ts';

const ip = (text: string) => {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`bad test ip ${text}`);
  return parsed;
};

/** Evaluates one policy (built from the given lists) in an account that also holds `rules`. */
function verdictFor(policy: NetworkPolicy, address: string, account: Account = makeAccount()) {
  return evaluatePolicy(policy, ip(address), account);
}
const allows = (policy: NetworkPolicy, address: string, account?: Account) => verdictFor(policy, address, account).allowed;

describe('evaluatePolicy — IP lists (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  const corp = makeNetworkPolicy({ name: 'CORP_ONLY', allowedIpList: ['10.0.0.0/8'] });

  it('allows an IPv4 address in the allowed list and refuses one outside it', () => {
    expect(allows(corp, '10.1.2.3')).toBe(true);
    const v = verdictFor(corp, '192.168.1.5');
    expect(v).toMatchObject({ allowed: false, reason: 'not-allowed' });
    expect(v.explanation).toBe('IP 192.168.1.5 not in ALLOWED_IP_LIST of policy CORP_ONLY');
  });

  it('honours the /8 boundary exactly', () => {
    expect(allows(corp, '10.0.0.0')).toBe(true);
    expect(allows(corp, '10.255.255.255')).toBe(true);
    expect(allows(corp, '9.255.255.255')).toBe(false);
    expect(allows(corp, '11.0.0.0')).toBe(false);
  });

  it('treats a bare address as /32', () => {
    const one = makeNetworkPolicy({ allowedIpList: ['203.0.113.7/32', '198.51.100.1'] });
    expect(allows(one, '203.0.113.7')).toBe(true);
    expect(allows(one, '203.0.113.8')).toBe(false);
    expect(allows(one, '198.51.100.1')).toBe(true);
    expect(allows(one, '198.51.100.2')).toBe(false);
  });

  it('0.0.0.0/0 allows every IPv4 address', () => {
    const any = makeNetworkPolicy({ allowedIpList: ['0.0.0.0/0'] });
    expect(allows(any, '1.2.3.4')).toBe(true);
    expect(allows(any, '255.255.255.255')).toBe(true);
  });

  it('blocked beats allowed (allow 192.168.1.0/24, block 192.168.1.99)', () => {
    const p = makeNetworkPolicy({ name: 'CORP_ONLY', allowedIpList: ['192.168.1.0/24'], blockedIpList: ['192.168.1.99'] });
    const blocked = verdictFor(p, '192.168.1.99');
    expect(blocked).toMatchObject({ allowed: false, reason: 'blocked' });
    expect(blocked.explanation).toBe('IP 192.168.1.99 is in BLOCKED_IP_LIST (192.168.1.99) of policy CORP_ONLY');
    expect(allows(p, '192.168.1.98')).toBe(true);
    expect(allows(p, '192.168.2.1')).toBe(false);
  });

  it('a blocked list alone refuses only what it names', () => {
    const p = makeNetworkPolicy({ blockedIpList: ['10.0.0.99'] });
    expect(verdictFor(p, '10.0.0.99').reason).toBe('blocked');
    expect(verdictFor(p, '10.0.0.98')).toMatchObject({ allowed: true, reason: 'no-allowed-list' });
  });

  it('an empty policy allows everything (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
    const empty = makeNetworkPolicy({ name: 'EMPTY' });
    expect(verdictFor(empty, '8.8.8.8')).toMatchObject({ allowed: true, reason: 'no-allowed-list' });
    expect(allows(empty, '2001:db8::1')).toBe(true);
  });
});

describe('evaluatePolicy — IPv6 (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  it('allows an IPv6 address inside an IPv6 CIDR and refuses one outside', () => {
    const p = makeNetworkPolicy({ allowedIpList: ['2001:db8::/32'] });
    expect(allows(p, '2001:db8:abcd::1')).toBe(true);
    expect(allows(p, '2001:db9::1')).toBe(false);
  });

  it('refuses an IPv6 request against an IPv4-only policy', () => {
    const p = makeNetworkPolicy({ name: 'V4', allowedIpList: ['0.0.0.0/0'] });
    const v = verdictFor(p, '2001:db8::1');
    expect(v).toMatchObject({ allowed: false, reason: 'not-allowed' });
    expect(v.explanation).toContain('no IPv6 entries');
  });

  it('refuses an IPv4 request against an IPv6-only allowed list (inferred: an allowed list is a whitelist)', () => {
    const p = makeNetworkPolicy({ allowedIpList: ['::/0'] });
    expect(verdictFor(p, '10.0.0.1')).toMatchObject({ allowed: false, reason: 'not-allowed' });
  });

  it('reads an IPv4-mapped IPv6 client address as IPv4', () => {
    const p = makeNetworkPolicy({ allowedIpList: ['10.0.0.0/8'] });
    expect(allows(p, '::ffff:10.0.0.5')).toBe(true);
    expect(allows(p, '::ffff:11.0.0.5')).toBe(false);
    expect(verdictFor(p, '::ffff:11.0.0.5').explanation).toContain('IP 11.0.0.5 ');
  });

  it('refuses a garbage client address without throwing', () => {
    const p = makeNetworkPolicy({ name: 'ANY' });
    const v = evaluatePolicy(p, 'not-an-ip', makeAccount());
    expect(v).toMatchObject({ allowed: false, reason: 'unparsable-ip' });
    expect(v.explanation).toContain('"not-an-ip"');
  });
});

describe('evaluatePolicy — network rules (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  const account = makeAccount({
    networkRules: [
      makeNetworkRule({ name: 'OFFICE', valueList: ['203.0.113.0/24'] }),
      makeNetworkRule({ name: 'OFFICE_V6', valueList: ['2001:db8:1::/48'] }),
      makeNetworkRule({ name: 'BAD_HOST', valueList: ['203.0.113.66'] }),
    ],
  });

  it('allows addresses in an allowed rule and refuses others', () => {
    const p = makeNetworkPolicy({ name: 'RULES', allowedNetworkRuleList: ['OFFICE', 'OFFICE_V6'] });
    const v = verdictFor(p, '203.0.113.10', account);
    expect(v).toMatchObject({ allowed: true, reason: 'allowed' });
    expect(v.explanation).toBe('IP 203.0.113.10 is in ALLOWED_NETWORK_RULE_LIST (rule OFFICE: 203.0.113.0/24) of policy RULES');
    expect(allows(p, '2001:db8:1::5', account)).toBe(true);
    const out = verdictFor(p, '198.51.100.1', account);
    expect(out.allowed).toBe(false);
    expect(out.explanation).toBe('IP 198.51.100.1 not in ALLOWED_NETWORK_RULE_LIST of policy RULES');
  });

  it('a blocked rule beats an allowed rule', () => {
    const p = makeNetworkPolicy({ allowedNetworkRuleList: ['OFFICE'], blockedNetworkRuleList: ['BAD_HOST'] });
    const v = verdictFor(p, '203.0.113.66', account);
    expect(v).toMatchObject({ allowed: false, reason: 'blocked' });
    expect(v.explanation).toContain('BLOCKED_NETWORK_RULE_LIST (rule BAD_HOST: 203.0.113.66)');
    expect(allows(p, '203.0.113.65', account)).toBe(true);
  });

  it('combines the IP list and allowed rules as one whitelist', () => {
    const p = makeNetworkPolicy({ allowedIpList: ['10.0.0.0/8'], allowedNetworkRuleList: ['OFFICE'] });
    expect(allows(p, '10.9.9.9', account)).toBe(true);
    expect(allows(p, '203.0.113.1', account)).toBe(true);
    expect(verdictFor(p, '8.8.8.8', account).explanation).toContain('ALLOWED_IP_LIST or ALLOWED_NETWORK_RULE_LIST');
  });
});

describe('selectPolicy / checkNetworkAccess (https://docs.snowflake.com/en/user-guide/network-policies, https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview)', () => {
  const policies = ['USER_NET', 'APP_NET', 'ACCT_NET'].map((name) => makeNetworkPolicy({ name, allowedIpList: ['10.0.0.0/8'] }));
  const alice = makeUser({ name: 'ALICE', networkPolicy: 'USER_NET' });
  const bob = makeUser({ name: 'BOB' });
  const account = makeAccount({
    networkPolicy: 'ACCT_NET',
    users: [alice, bob],
    networkPolicies: policies,
    securityIntegrations: [makeOAuthIntegration({ name: 'MY_APP', networkPolicy: 'APP_NET' }), makeOAuthIntegration({ name: 'NO_NET' })],
  });
  const levelOf = (input: Partial<PolicySelectionInput>) => {
    const s = selectPolicy({ account, traffic: 'oauth-token', precedence: 'seed', ...input });
    return s.policy ? `${s.level}:${s.policy.name}` : 'none';
  };

  it('seed: user > integration > account for OAuth token traffic', () => {
    expect(levelOf({ user: alice, integration: 'MY_APP' })).toBe('user:USER_NET');
    expect(levelOf({ user: bob, integration: 'MY_APP' })).toBe('integration:APP_NET');
    expect(levelOf({ user: bob, integration: 'NO_NET' })).toBe('account:ACCT_NET');
    expect(levelOf({ user: alice, integration: 'NO_NET' })).toBe('user:USER_NET');
  });

  it('current-docs: integration > user, and the user policy is ignored for OAuth token traffic', () => {
    expect(levelOf({ precedence: 'current-docs', user: alice, integration: 'MY_APP' })).toBe('integration:APP_NET');
    // With no integration policy, the user's is skipped and the account's applies.
    expect(levelOf({ precedence: 'current-docs', user: alice, integration: 'NO_NET' })).toBe('account:ACCT_NET');
  });

  it('user-credential traffic: user > account in both modes, integration never considered', () => {
    for (const precedence of ['seed', 'current-docs'] as const) {
      expect(levelOf({ precedence, traffic: 'user-credential', user: alice, integration: 'MY_APP' })).toBe('user:USER_NET');
      expect(levelOf({ precedence, traffic: 'user-credential', user: bob, integration: 'MY_APP' })).toBe('account:ACCT_NET');
    }
  });

  it('the most specific policy replaces the others (no merging)', () => {
    const openUser = makeUser({ name: 'CAROL', networkPolicy: 'OPEN' });
    const acct = makeAccount({
      networkPolicy: 'ACCT_NET',
      users: [openUser],
      networkPolicies: [makeNetworkPolicy({ name: 'OPEN' }), makeNetworkPolicy({ name: 'ACCT_NET', allowedIpList: ['10.0.0.0/8'] })],
    });
    expect(checkNetworkAccess({ account: acct, user: openUser, traffic: 'user-credential', precedence: 'seed', clientIp: '8.8.8.8' }).ok).toBe(true);
  });

  it('refuses with 390422, the IP as param, and names the policy and its level', () => {
    const policy = makeNetworkPolicy({ name: 'CORP_ONLY', allowedIpList: ['10.0.0.0/8'] });
    const user = makeUser({ name: 'ALICE', networkPolicy: 'CORP_ONLY' });
    const acct = makeAccount({ users: [user], networkPolicies: [policy] });
    const result = checkNetworkAccess({ account: acct, user, traffic: 'user-credential', precedence: 'seed', clientIp: '192.168.1.5' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection).toMatchObject({ code: '390422', params: { ip: '192.168.1.5' } });
    expect(result.rejection.rule).toBe('https://docs.snowflake.com/en/user-guide/network-policies');
    expect(result.rejection.explanation).toBe("IP 192.168.1.5 not in ALLOWED_IP_LIST of policy CORP_ONLY (user ALICE's policy)");
  });

  it('allows with the deciding policy and level', () => {
    const result = checkNetworkAccess({ account, user: bob, integration: 'MY_APP', traffic: 'oauth-token', precedence: 'seed', clientIp: '10.1.1.1' });
    expect(result).toMatchObject({ ok: true, level: 'integration', policy: { name: 'APP_NET' } });
  });

  it('names the account level in a refusal by the account policy', () => {
    const result = checkNetworkAccess({ account, user: bob, traffic: 'user-credential', precedence: 'seed', clientIp: '::ffff:172.16.0.1' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection.params).toEqual({ ip: '172.16.0.1' });
      expect(result.rejection.explanation).toContain("(account MYORG-MYACCOUNT's policy)");
    }
  });

  it('refuses a garbage client address when a policy applies', () => {
    const result = checkNetworkAccess({ account, user: bob, traffic: 'user-credential', precedence: 'seed', clientIp: 'garbage' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection.code).toBe('390422');
  });

  it('skips a level whose policy name no longer resolves, and says so', () => {
    const ghost = makeUser({ name: 'GHOST', networkPolicy: 'DROPPED' });
    const acct = makeAccount({ networkPolicy: 'ACCT_NET', users: [ghost], networkPolicies: policies });
    const s = selectPolicy({ account: acct, user: ghost, traffic: 'user-credential', precedence: 'seed' });
    expect(s).toMatchObject({ level: 'account', policy: { name: 'ACCT_NET' } });
    expect(s.explanation).toContain('user GHOST names missing policy DROPPED');
  });

  it('is ok with "no network policy applies" when no level has one', () => {
    const bare = makeAccount({ users: [bob] });
    expect(checkNetworkAccess({ account: bare, user: bob, traffic: 'user-credential', precedence: 'seed', clientIp: '8.8.8.8' })).toEqual({ ok: true, explanation: 'no network policy applies' });
    expect(selectPolicy({ account: bare, user: bob, traffic: 'oauth-token', precedence: 'current-docs' }).policy).toBeUndefined();
  });
});
