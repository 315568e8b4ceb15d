/**
 * Warnings about a valid world: things Snowflake allows that cannot work as the author most likely
 * meant, found at load so a first run says so instead of a journal entry later. A warning never
 * stops a world from loading (that is what a problem of `validate.ts` does).
 */
import { userTypeOf } from './build.ts';
import { accountsOf, type WorldConfig } from './config.ts';
import { patBypassApplies, patRequiresNetworkPolicy } from './pat-network.ts';
import type { ConfigProblem } from './validate.ts';

const PAT_DOCS = 'https://docs.snowflake.com/en/user-guide/programmatic-access-tokens';

/**
 * The warnings of a validated world config, each at the config path it is about (place them in a
 * file with `placeIssues`). Today one kind: a PAT that can never be used because its user is
 * subject to no network policy while the PAT policy requires one (`serve` also marks such PATs
 * in its banner).
 *
 * @example
 * worldConfigWarnings({ users: [{ name: 'ALICE', programmatic_access_tokens: [{ name: 'CI' }] }] })
 * // [{ path: ['users', 0, 'programmatic_access_tokens', 0], message: 'PAT CI of user ALICE can never be used: …' }]
 */
export function worldConfigWarnings(config: WorldConfig): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  for (const { account, path } of accountsOf(config)) {
    const evaluation = account.pat_policy?.network_policy_evaluation ?? 'ENFORCED_REQUIRED';
    // For PAT traffic a user's policy, else the account's, applies (no integration is involved):
    // either one meets the requirement, whatever its IP lists say.
    if (present(account.network_policy)) continue;
    (account.users ?? []).forEach((user, i) => {
      const type = userTypeOf(user.type);
      if (!patRequiresNetworkPolicy(evaluation, type) || present(user.network_policy)) return;
      (user.programmatic_access_tokens ?? []).forEach((pat, j) => {
        // A bypass window lets the token work for a while after it was made: not "never".
        if (patBypassApplies(type) && (pat.mins_to_bypass_network_policy_requirement ?? 0) > 0) return;
        warnings.push({ path: [...path, 'users', i, 'programmatic_access_tokens', j], message: patWithoutPolicy(pat.name, user.name, type, account.name) });
      });
    });
  }
  return warnings;
}

function patWithoutPolicy(pat: string, user: string, type: string, account: string): string {
  const bypass = patBypassApplies(type) ? ', or mins_to_bypass_network_policy_requirement on the PAT for a while after it is made' : '';
  return (
    `PAT ${pat.toUpperCase()} of user ${user.toUpperCase()} can never be used: a ${type} user needs a network policy to use a PAT ` +
    `(PAT_POLICY NETWORK_POLICY_EVALUATION = ENFORCED_REQUIRED, the default; ${PAT_DOCS}), and neither user ${user.toUpperCase()} ` +
    `nor account ${account.toUpperCase()} has one, so every request with it is refused 394400 (cause PAT_NETWORK_POLICY_REQUIRED). ` +
    `Fix: add network_policy: <a policy of network_policies> on the account or on the user${bypass}`
  );
}

function present(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
