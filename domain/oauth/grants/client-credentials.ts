/**
 * `grant_type=client_credentials` — inferred. Snowflake documents only authorization_code and
 * refresh_token for its built-in server (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview), but snowflake-sdk's
 * OAUTH_CLIENT_CREDENTIALS flow sends this grant to /oauth/token-request (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts). The mock
 * accepts it only for an integration whose `mockAutoConsent` names a user: that user is the
 * principal (there is no browser to sign in). Otherwise the documented `unsupported_grant_type`.
 * Role: the scope's `session:role:<R>` (which must pass the consent rules), else the user's
 * default role. No refresh token (RFC 6749 §4.4.3) and no `username` (https://docs.snowflake.com/en/user-guide/oauth-custom).
 */
import { reject, type Rejection } from '../../errors/rejection.ts';
import { resolveConsent } from '../consent.ts';
import { parseScope } from '../scope.ts';
import type { AuthenticatedClient, GrantOutcome, TokenForm, TokenRequestContext } from '../token-request.ts';

const fail = (code: string, cause: string, explanation: string, rule = 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts; inferred: decisions/0004-inferred-choices-of-issue-2.md'): { ok: false; rejection: Rejection } => ({ ok: false, rejection: reject(code, rule, explanation, cause) });

/**
 * Decides a client-credentials grant for an auto-consent integration.
 *
 * @example
 * clientCredentialsGrant({ grant_type: 'client_credentials', scope: 'session:role:ANALYST' }, client, ctx)
 * // { ok: true, decision: { user: svc, role: 'ANALYST', includeUsername: false, summary: 'client credentials for SVC (mockAutoConsent)' } }
 */
export function clientCredentialsGrant(form: TokenForm, client: AuthenticatedClient, ctx: TokenRequestContext): GrantOutcome {
  const integration = client.integration;
  const principal = integration.mockAutoConsent;
  // 'login_hint' auto-consent names no user; a token request has no login hint to read.
  if (principal === undefined || principal === 'login_hint') {
    return fail('unsupported_grant_type', 'CLIENT_CREDENTIALS_NOT_ENABLED', `grant_type client_credentials is not documented for Snowflake OAuth; the mock accepts it only when integration ${integration.name} has mock_auto_consent naming a user`, 'https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview; https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts; inferred: decisions/0004-inferred-choices-of-issue-2.md');
  }
  if (client.method === 'public') return fail('invalid_client', 'CLIENT_CREDENTIALS_PUBLIC_CLIENT', `client_credentials needs an authenticated confidential client; ${integration.name} sent no secret`, 'RFC 6749 §4.4; inferred: decisions/0004-inferred-choices-of-issue-2.md');
  const user = ctx.account.users.get(principal);
  if (!user) return fail('invalid_grant', 'GRANT_USER_UNKNOWN', `mock_auto_consent user ${principal} of integration ${integration.name} does not exist`);
  if (user.disabled) return fail('invalid_grant', 'GRANT_USER_DISABLED', `user ${user.name} is disabled`);
  const scope = parseScope(form.scope);
  if (!scope.ok) return fail('invalid_request', 'TOKEN_SCOPE_MALFORMED', `scope is invalid: ${scope.reason}`, 'https://docs.snowflake.com/en/user-guide/oauth-custom');
  const consent = resolveConsent({ integration, redirectUri: '', scope: scope.scope }, user, ctx.account);
  if (!consent.ok) return fail('invalid_grant', 'CLIENT_CREDENTIALS_ROLE_REFUSED', consent.rejection.explanation, consent.rejection.rule);
  return { ok: true, decision: { user, role: consent.role, includeUsername: false, summary: `client credentials for ${user.name} (mockAutoConsent)` } };
}
