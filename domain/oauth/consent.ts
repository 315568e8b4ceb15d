/**
 * Consent, after the user signed in (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake): which role the token will carry,
 * whether the user may have it, whether the integration lets it through, and whether a consent
 * page is needed at all. The same role rules are re-checked when a code or refresh token is
 * redeemed (inferred: a grant or block made after consent should take effect on the next token).
 */
import { defaultSessionRole } from '../world/roles.ts';
import { reject, type Rejection } from '../errors/rejection.ts';
import type { Account, OAuthIntegration, User } from '../world/model.ts';
import type { AuthorizeRequest } from './authorize.ts';

/** https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview: blocked for Snowflake OAuth while OAUTH_ADD_PRIVILEGED_ROLES_TO_BLOCKED_LIST is TRUE. */
export const PRIVILEGED_ROLES: ReadonlySet<string> = new Set(['ACCOUNTADMIN', 'ORGADMIN', 'GLOBALORGADMIN', 'SECURITYADMIN']);

export type ConsentResult = { ok: true; role: string; preAuthorized: boolean } | { ok: false; rejection: Rejection };

/** Why a consented role is no longer good, in words a grant can put in its own rejection. */
export type ConsentProblem = { readonly reason: 'USER_UNKNOWN' | 'USER_DISABLED' | 'ROLE_NOT_GRANTED' | 'ROLE_BLOCKED'; readonly explanation: string; readonly rule: string };

/**
 * Decides consent for a signed-in user: role = the scope's role, else the user's default role
 * (when granted), else PUBLIC.
 *
 * @example
 * resolveConsent(request, alice, account) // { ok: true, role: 'ANALYST', preAuthorized: false }
 * resolveConsent(requestForAccountadmin, alice, account) // { ok: false, rejection: { code: '390302', cause: 'CONSENT_ROLE_PRIVILEGED', … } }
 */
export function resolveConsent(req: AuthorizeRequest, user: User, account: Account): ConsentResult {
  const integration = req.integration;
  if (user.disabled) return { ok: false, rejection: reject('390302', 'https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview; inferred: decisions/0004-inferred-choices-of-issue-2.md', `user ${user.name} is disabled`, 'CONSENT_USER_DISABLED') };
  const role = req.scope.role ?? defaultSessionRole(user);
  // https://docs.snowflake.com/en/user-guide/oauth-custom: a scope the user cannot be granted fails only after authentication, as 390308.
  if (!holdsRole(user, role)) {
    return { ok: false, rejection: reject('390308', 'https://docs.snowflake.com/en/user-guide/oauth-custom', `role ${role} of the scope is not granted to user ${user.name}`, 'CONSENT_ROLE_NOT_GRANTED') };
  }
  const blocked = roleBlock(role, integration, account);
  if (blocked) return { ok: false, rejection: reject('390302', 'https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake ; inferred: decisions/0004-inferred-choices-of-issue-2.md', blocked.explanation, blocked.cause) };
  return { ok: true, role, preAuthorized: isPreAuthorized(role, integration) };
}

/**
 * Re-checks, at the token endpoint, that a user still exists, is enabled, holds the consented
 * role and that the integration still lets it through. Returns `{ user }` when all is good.
 *
 * @example
 * recheckConsent(integration, account, 'ALICE', 'ANALYST') // { user: alice } when all is well
 */
export function recheckConsent(integration: OAuthIntegration, account: Account, userName: string, role: string): { user: User } | ConsentProblem {
  const user = account.users.get(userName);
  if (!user) return { reason: 'USER_UNKNOWN', rule: 'https://docs.snowflake.com/en/user-guide/oauth-custom', explanation: `user ${userName} no longer exists in account ${account.name}` };
  if (user.disabled) return { reason: 'USER_DISABLED', rule: 'https://docs.snowflake.com/en/user-guide/oauth-custom; inferred: decisions/0004-inferred-choices-of-issue-2.md', explanation: `user ${user.name} is disabled` };
  if (!holdsRole(user, role)) return { reason: 'ROLE_NOT_GRANTED', rule: 'https://docs.snowflake.com/en/user-guide/oauth-custom; inferred: decisions/0004-inferred-choices-of-issue-2.md', explanation: `role ${role} is no longer granted to user ${user.name}` };
  const blocked = roleBlock(role, integration, account);
  if (blocked) return { reason: 'ROLE_BLOCKED', rule: 'https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake; inferred: decisions/0004-inferred-choices-of-issue-2.md', explanation: blocked.explanation };
  return { user };
}


/** PUBLIC is granted to everyone (model: always included). Role names compare case-sensitively. */
function holdsRole(user: User, role: string): boolean {
  return role === 'PUBLIC' || user.roles.has(role);
}

/**
 * https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake: privileged roles (unless the account parameter is FALSE), the
 * BLOCKED_ROLES_LIST, and — when ALLOWED_ROLES_LIST is not empty — anything outside it.
 */
function roleBlock(role: string, integration: OAuthIntegration, account: Account): { cause: string; explanation: string } | undefined {
  if (PRIVILEGED_ROLES.has(role) && account.parameters.oauthAddPrivilegedRolesToBlockedList) {
    return { cause: 'CONSENT_ROLE_PRIVILEGED', explanation: `role ${role} is privileged and blocked for OAuth (account ${account.name} has OAUTH_ADD_PRIVILEGED_ROLES_TO_BLOCKED_LIST = TRUE)` };
  }
  if (integration.blockedRolesList.includes(role)) {
    return { cause: 'CONSENT_ROLE_BLOCKED', explanation: `role ${role} is in BLOCKED_ROLES_LIST of integration ${integration.name}` };
  }
  if (integration.allowedRolesList.length > 0 && !integration.allowedRolesList.includes(role)) {
    return { cause: 'CONSENT_ROLE_NOT_ALLOWED', explanation: `role ${role} is not in ALLOWED_ROLES_LIST (${integration.allowedRolesList.join(', ')}) of integration ${integration.name}` };
  }
  return undefined;
}

/**
 * https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake: roles in PRE_AUTHORIZED_ROLES_LIST need no explicit consent — for confidential
 * clients only (the list is documented as confidential-only; a public client always sees the page).
 */
function isPreAuthorized(role: string, integration: OAuthIntegration): boolean {
  return integration.oauthClientType === 'CONFIDENTIAL' && integration.preAuthorizedRolesList.includes(role);
}
