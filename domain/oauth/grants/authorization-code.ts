/**
 * `grant_type=authorization_code` (reference §1.4, §1.5): redeem a code from /oauth/authorize.
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

const invalidGrant = (cause: string, explanation: string, rule = 'reference §1.4'): Failure => ({ ok: false, rejection: reject('invalid_grant', rule, explanation, cause) });
const invalidRequest = (cause: string, explanation: string): Failure => ({ ok: false, rejection: reject('invalid_request', 'reference §1.4', explanation, cause) });

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
  // Single use (reference §1.2: a code is short-lived; single use inferred from the cited Q&A and RFC 6749 §4.1.2).
  if (code.revoked) return invalidGrant('CODE_REVOKED', `authorization code for ${code.user} was revoked with the consent to ${code.integration}`, 'reference §1.7 (consent revocation)');
  if (code.used) return invalidGrant('CODE_REUSED', `authorization code for ${code.user} was already exchanged; a code is single-use`, 'reference §1.2 (inferred), RFC 6749 §4.1.2');
  if (ctx.now >= code.expiresAt) return invalidGrant('CODE_EXPIRED', `authorization code for ${code.user} expired at ${isoTime(code.expiresAt)}`, 'reference §1.2 (lifetime inferred)');
  return code;
}

/**
 * reference §1.4: code_verifier is required iff the authorize request carried a challenge, and
 * BASE64URL(SHA256(verifier)) must equal it. A public client must have used PKCE (it has no secret).
 */
function checkVerifier(code: AuthorizationCode, verifier: string | undefined, client: AuthenticatedClient): Failure | undefined {
  if (!code.pkce) {
    if (client.method !== 'public') return undefined; // a verifier without a challenge is ignored
    return invalidGrant('PKCE_REQUIRED_FOR_PUBLIC_CLIENT', `integration ${client.integration.name} authenticated as a public client, and its code was issued without code_challenge`, 'reference §1.4 (inferred), RFC 7636');
  }
  if (verifier === undefined || verifier === '') return invalidGrant('PKCE_VERIFIER_MISSING', 'code_verifier is missing; the code was issued with a code_challenge');
  if (!isPkceVerifier(verifier)) return invalidGrant('PKCE_VERIFIER_MALFORMED', 'code_verifier is not 43–128 unreserved characters (RFC 7636 §4.1)', 'reference §1.4; RFC 7636 §4.1');
  if (!pkceMatches(verifier, code.pkce.challenge)) return invalidGrant('PKCE_VERIFIER_MISMATCH', 'BASE64URL(SHA256(code_verifier)) does not equal the code_challenge of the authorize request', 'reference §1.2, §1.4');
  return undefined;
}

/**
 * reference §1.4: a refresh token only when the integration issues them AND the consented scope
 * had `refresh_token`; reference §1.5: single-use when the integration requires it or the form
 * (or the authorize request) asked for `enable_single_use_refresh_tokens=true`.
 */
function refreshPlan(code: AuthorizationCode, form: TokenForm, integration: OAuthIntegration): GrantDecision['refresh'] {
  if (!integration.oauthIssueRefreshTokens || !code.scope.refreshToken) return undefined;
  const asked = (form.enable_single_use_refresh_tokens ?? '').toLowerCase() === 'true';
  return { singleUse: integration.oauthSingleUseRefreshTokensRequired || asked };
}
