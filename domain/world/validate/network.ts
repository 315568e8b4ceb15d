/**
 * An account's network rules and network policies (https://docs.snowflake.com/en/user-guide/network-policies). Rules come first because
 * policies name them; both are recorded in the scope for the references that follow.
 */
import { parseCidr } from '../../network/cidr.ts';
import { isAbsent, names, type Checker, type Entry, type Rec } from './checker.ts';
import { cidrProblem } from './field-rules.ts';
import type { Scope } from './scope.ts';
import { didYouMean, suggest } from './suggest.ts';
import { formatPath } from './world-config-error.ts';

const RULE_KEYS = ['name', 'type', 'mode', 'value_list', 'comment'];
const POLICY_KEYS = ['name', 'allowed_ip_list', 'blocked_ip_list', 'allowed_network_rule_list', 'blocked_network_rule_list', 'comment'];

/**
 * Checks `network_rules` then `network_policies`, and records their names in the scope.
 *
 * @example
 * checkNetwork(c, scope, account) // scope.policies now holds the declared policy names
 */
export function checkNetwork(c: Checker, scope: Scope, a: Rec): void {
  const rules = c.records(a, 'network_rules', scope.path, RULE_KEYS);
  for (const rule of rules) checkNetworkRule(c, rule);
  c.unique(names(rules), 'network rule name');
  for (const r of rules) if (typeof r.value.name === 'string') scope.rules.add(r.value.name.toUpperCase());
  const policies = c.records(a, 'network_policies', scope.path, POLICY_KEYS);
  for (const policy of policies) checkNetworkPolicy(c, scope, policy);
  c.unique(names(policies), 'network policy name');
  for (const p of policies) if (typeof p.value.name === 'string') scope.policies.add(p.value.name.toUpperCase());
}

function checkNetworkRule(c: Checker, { value: r, path }: Entry<Rec>): void {
  c.string(r, 'name', path, true);
  const type = c.choice(r, 'type', path, ['IPV4', 'IPV6'], 'for a network rule (IPV4 or IPV6)');
  c.choice(r, 'mode', path, ['INGRESS']);
  c.string(r, 'comment', path);
  if (isAbsent(r.value_list)) c.add([...path, 'value_list'], 'required field is missing (the rule\'s addresses or CIDR blocks)');
  for (const entry of c.strings(r, 'value_list', path)) {
    const problem = cidrProblem(entry.value);
    if (problem) c.add(entry.path, problem);
    else if (type && `IPV${parseCidr(entry.value)!.family}` !== type) c.add(entry.path, `"${entry.value}" is not an ${type} block, but the rule's type is ${type}`);
  }
}

function checkNetworkPolicy(c: Checker, scope: Scope, { value: p, path }: Entry<Rec>): void {
  c.string(p, 'name', path, true);
  c.string(p, 'comment', path);
  for (const key of ['allowed_ip_list', 'blocked_ip_list']) {
    for (const entry of c.strings(p, key, path)) {
      const problem = cidrProblem(entry.value);
      if (problem) c.add(entry.path, problem);
    }
  }
  for (const key of ['allowed_network_rule_list', 'blocked_network_rule_list']) {
    for (const { value, path: at } of c.strings(p, key, path)) {
      const name = value.toUpperCase();
      if (scope.rules.has(name)) continue;
      const where = formatPath([...scope.path, 'network_rules']);
      c.add(at, `network rule "${name}" is not declared in ${where}${didYouMean(suggest(name, scope.rules))}`);
    }
  }
}
