/**
 * `grant_type=authorization_code` (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake): redeem a code from /oauth/authorize.
 * The code must be known, issued to this client, unused (single use) and unexpired; redirect_uri
 * must repeat the authorize request's exactly; code_verifier must answer the S256 challenge.
 */
import { reject, type Rejection } from '../../errors/rejection.ts';
import type { OAuthIntegration } from '../../world/model.ts';
import { isoTime } from '../../clock.ts';
import { recheckConsent } from '../consent.ts';
import { isPkceVerifier, pkceMatches } from '../pkce.ts';
import type { AuthorizationCode } from '../server-store.ts';
import type { AuthenticatedClient, GrantDecision, GrantOutcome, TokenForm, TokenRequestContext } from '../token-request.ts';

type Failure = { ok: false; rejection: Rejection };

const invalidGrant = (cause: string, explanation: string, rule = 'https://docs.snowflake.com/en/user-guide/oauth-custom'): Failure => ({ ok: false, rejection: reject('invalid_grant', rule, explanation, cause) });
const invalidRequest = (cause: string, explanation: string): Failure => ({ ok: false, rejection: reject('invalid_request', 'https://docs.snowflake.com/en/user-guide/oauth-custom', explanation, cause) });

/**
 * Decides an authorization-code exchange; uses nothing up (the caller runs `consume`).
 *
 * @example
 * authorizationCodeGrant({ grant_type: 'authorization_code', code, redirect_uri, code_verifier }, client, ctx)
 * // { ok: true, decision: { user: alice, role: 'ANALYST', includeUsername: true, refresh: { singleUse: false }, … } }
 */
export function authorizationCodeGrant(form: TokenForm, client: AuthenticatedClient, ctx: TokenRequestContext): GrantOutcome {
  if (!form.code) return invalidRequest('TOKEN_CODE_MISSING', 'code is missing; grant_type=authorization_code requires it');
  if (!form.redirect_uri) return invalidRequest('TOKEN_REDIRECT_URI_MISSING', 'redirect_uri is missing; grant_type=authorization_code requires the one sent to /oauth/authorize');
  const code = usableCode(form.code, client, ctx);
  if ('rejection' in code) return code;
  if (code.redirectUri !== form.redirect_uri) {
    return invalidGrant('CODE_REDIRECT_URI_MISMATCH', `redirect_uri ${JSON.stringify(form.redirect_uri.slice(0, 120))} is not the ${JSON.stringify(code.redirectUri)} the code was issued for`);
  }
  const pkce = checkVerifier(code, form.code_verifier, client);
  if (pkce) return pkce;
  const holder = recheckConsent(client.integration, ctx.account, code.user, code.role);
  if ('reason' in holder) return invalidGrant(`GRANT_${holder.reason}`, holder.explanation, holder.rule);
  const refresh = refreshPlan(code, form, client.integration);
  const decision: GrantDecision = {
    user: holder.user, role: code.role, includeUsername: true,
    ...(refresh && { refresh }),
    consume: () => void (code.used = true),
    summary: `code issued ${isoTime(code.issuedAt)} exchanged`,
  };
  return { ok: true, decision };
}

/** Known (in this account) → issued to this client → unused → unexpired. */
function usableCode(text: string, client: AuthenticatedClient, ctx: TokenRequestContext): AuthorizationCode | Failure {
  const code = ctx.server.code(text);
  if (!code || code.account !== ctx.account.name) return invalidGrant('CODE_UNKNOWN', 'authorization code is not one this account issued');
  if (code.integration !== client.integration.name) {
    return invalidGrant('CODE_CLIENT_MISMATCH', `authorization code was issued to integration ${code.integration}, not ${client.integration.name}`);
  }
  // Single use (https://docs.snowflake.com/en/user-guide/oauth-custom: a code is short-lived; single use inferred, as a third-party answer says, and RFC 6749 §4.1.2).
  if (code.revoked) return invalidGrant('CODE_REVOKED', `authorization code for ${code.user} was revoked with the consent to ${code.integration}`, 'https://docs.snowflake.com/en/user-guide/oauth-custom (consent revocation)');
  if (code.used) return invalidGrant('CODE_REUSED', `authorization code for ${code.user} was already exchanged; a code is single-use`, 'https://docs.snowflake.com/en/user-guide/oauth-custom, RFC 6749 §4.1.2; inferred: decisions/0004-inferred-choices-of-issue-2.md');
  if (ctx.now >= code.expiresAt) return invalidGrant('CODE_EXPIRED', `authorization code for ${code.user} expired at ${isoTime(code.expiresAt)}`, 'https://docs.snowflake.com/en/user-guide/oauth-custom (lifetime inferred)');
  return code;
}

/**
 * https://docs.snowflake.com/en/user-guide/oauth-custom: code_verifier is required iff the authorize request carried a challenge, and
 * BASE64URL(SHA256(verifier)) must equal it. A public client must have used PKCE (it has no secret).
 */
function checkVerifier(code: AuthorizationCode, verifier: string | undefined, client: AuthenticatedClient): Failure | undefined {
  if (!code.pkce) {
    if (client.method !== 'public') return undefined; // a verifier without a challenge is ignored
    return invalidGrant('PKCE_REQUIRED_FOR_PUBLIC_CLIENT', `integration ${client.integration.name} authenticated as a public client, and its code was issued without code_challenge`, 'https://docs.snowflake.com/en/user-guide/oauth-custom, RFC 7636; inferred: decisions/0004-inferred-choices-of-issue-2.md');
  }
  if (verifier === undefined || verifier === '') return invalidGrant('PKCE_VERIFIER_MISSING', 'code_verifier is missing; the code was issued with a code_challenge');
  if (!isPkceVerifier(verifier)) return invalidGrant('PKCE_VERIFIER_MALFORMED', 'code_verifier is not 43–128 unreserved characters (RFC 7636 §4.1)', 'https://docs.snowflake.com/en/user-guide/oauth-custom; RFC 7636 §4.1');
  if (!pkceMatches(verifier, code.pkce.challenge)) return invalidGrant('PKCE_VERIFIER_MISMATCH', 'BASE64URL(SHA256(code_verifier)) does not equal the code_challenge of the authorize request', 'https://docs.snowflake.com/en/user-guide/oauth-custom');
  return undefined;
}

/**
 * https://docs.snowflake.com/en/user-guide/oauth-custom: a refresh token only when the integration issues them AND the consented scope
 * had `refresh_token`; https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake: single-use when the integration requires it or the form
 * (or the authorize request) asked for `enable_single_use_refresh_tokens=true`.
 */
function refreshPlan(code: AuthorizationCode, form: TokenForm, integration: OAuthIntegration): GrantDecision['refresh'] {
  if (!integration.oauthIssueRefreshTokens || !code.scope.refreshToken) return undefined;
  const asked = (form.enable_single_use_refresh_tokens ?? '').toLowerCase() === 'true';
  return { singleUse: integration.oauthSingleUseRefreshTokensRequired || asked };
}
