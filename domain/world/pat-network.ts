/**
 * Which PATs need a network policy (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens):
 * under PAT_POLICY NETWORK_POLICY_EVALUATION = ENFORCED_REQUIRED (the default) a user must be
 * subject to a network policy to use a PAT; SERVICE_AGENT users are exempt, and PERSON (and
 * TYPE = NULL) users may be let off for a while by a token's MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT.
 * One place for the rule: the request check (domain/auth/pat.ts), the load-time warnings
 * (warnings.ts) and `serve`'s banner all read it from here.
 */

/**
 * Whether a user of this TYPE needs a network policy to use a PAT under this
 * NETWORK_POLICY_EVALUATION (either may be written in any case).
 *
 * @example
 * patRequiresNetworkPolicy('ENFORCED_REQUIRED', 'PERSON')        // true
 * patRequiresNetworkPolicy('ENFORCED_REQUIRED', 'SERVICE_AGENT') // false
 * patRequiresNetworkPolicy('ENFORCED_NOT_REQUIRED', 'SERVICE')   // false
 */
export function patRequiresNetworkPolicy(evaluation: string, userType: string): boolean {
  return evaluation.toUpperCase() === 'ENFORCED_REQUIRED' && userType.toUpperCase() !== 'SERVICE_AGENT';
}

/**
 * Whether MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT can lift the requirement for a user of this
 * TYPE: PERSON and TYPE = NULL users only; service users never.
 *
 * @example
 * patBypassApplies('PERSON')  // true
 * patBypassApplies('SERVICE') // false
 */
export function patBypassApplies(userType: string): boolean {
  const type = userType.toUpperCase();
  return type === 'PERSON' || type === 'NULL';
}
