/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3): redeem a code from the consent page. The
 * code must be known, issued to this client, unused (single use: a replay revokes every token the
 * code produced, §4.1.2), unexpired (10 min, limits.ts), and redirect_uri must repeat the authorize
 * request's exactly. PKCE (RFC 7636): with a challenge, code_verifier must answer it (S256); a
 * verifier without a challenge is refused too (RFC 9700 §4.8.2). A refresh token comes with it.
 */
import { isoTime } from '../../clock.ts';
import { isPkceVerifier, pkceMatches } from '../../oauth/pkce.ts';
import { fail, type ProviderFailure } from '../failure.ts';
import { quoteUntrusted as quoted } from '../../safe-text.ts';
import type { ProviderCode } from '../store.ts';
import type { GrantContext, GrantOutcome, ProviderGrantHandler } from '../token-request.ts';
import type { ProviderClient } from '../clients.ts';

const RULE = 'RFC 6749 §4.1.3';
const invalidGrant = (cause: string, description: string, rule = RULE): ProviderFailure => fail('invalid_grant', cause, description, rule);

/**
 * Decides a code exchange; uses nothing up (the caller runs `consume`).
 *
 * @example
 * authorizationCodeGrant({ grant_type: 'authorization_code', code, redirect_uri }, client, ctx)
 * // { ok: true, decision: { sub: 'jane', scope: ['read'], refresh: true, chain, consume, summary: 'code for "jane" exchanged' } }
 */
export const authorizationCodeGrant: ProviderGrantHandler = (form, client, ctx): GrantOutcome => {
  if (!form.code) return fail('invalid_request', 'PROVIDER_CODE_MISSING', 'code is missing; grant_type=authorization_code requires it', RULE);
  if (!form.redirect_uri) return fail('invalid_request', 'PROVIDER_REDIRECT_URI_MISSING', 'redirect_uri is missing; it must repeat the one of the authorize request', RULE);
  const code = usableCode(form.code, client, ctx);
  if ('error' in code) return code;
  if (code.redirectUri !== form.redirect_uri) {
    return invalidGrant('PROVIDER_CODE_REDIRECT_URI_MISMATCH', `redirect_uri ${quoted(form.redirect_uri)} is not the ${quoted(code.redirectUri)} the code was issued for`);
  }
  const pkce = checkVerifier(code, form.code_verifier);
  if (pkce) return pkce;
  return {
    ok: true,
    decision: { sub: code.sub, scope: code.scope, refresh: true, chain: code.chain, consume: () => void (code.used = true), summary: `code for ${quoted(code.sub)} issued ${isoTime(code.issuedAt)} exchanged` },
  };
};

/** Known → this client's → unused (a replay revokes its chain) → unexpired. */
function usableCode(text: string, client: ProviderClient, ctx: GrantContext): ProviderCode | ProviderFailure {
  const code = ctx.store.code(text);
  if (!code) return invalidGrant('PROVIDER_CODE_UNKNOWN', 'authorization code is not one this provider issued');
  if (code.clientIdentity !== client.identity) return invalidGrant('PROVIDER_CODE_CLIENT_MISMATCH', `authorization code was issued to integration ${code.integration} (client ${quoted(code.clientId)}), not to client ${quoted(client.clientId ?? '')} (${client.integration.name}) at this endpoint`);
  if (code.used) {
    const revoked = ctx.store.revokeChain(code.chain);
    return invalidGrant('PROVIDER_CODE_REUSED', `authorization code for ${quoted(code.sub)} was already exchanged; a code is single-use, and the ${revoked} token(s) it produced are now revoked`, 'RFC 6749 §4.1.2');
  }
  if (ctx.now >= code.expiresAt) return invalidGrant('PROVIDER_CODE_EXPIRED', `authorization code for ${quoted(code.sub)} expired at ${isoTime(code.expiresAt)} (codes live 10 minutes)`, 'RFC 6749 §4.1.2 (lifetime inferred)');
  return code;
}

function checkVerifier(code: ProviderCode, verifier: string | undefined): ProviderFailure | undefined {
  if (!code.pkce) {
    if (verifier === undefined) return undefined;
    return invalidGrant('PROVIDER_PKCE_UNEXPECTED_VERIFIER', 'code_verifier was sent, but the authorize request had no code_challenge', 'RFC 9700 §4.8.2');
  }
  if (verifier === undefined || verifier === '') return invalidGrant('PROVIDER_PKCE_VERIFIER_MISSING', 'code_verifier is missing; the authorize request had a code_challenge', 'RFC 7636 §4.5');
  if (!isPkceVerifier(verifier)) return invalidGrant('PROVIDER_PKCE_VERIFIER_MALFORMED', 'code_verifier is not 43–128 unreserved characters', 'RFC 7636 §4.1');
  if (!pkceMatches(verifier, code.pkce.challenge)) return invalidGrant('PROVIDER_PKCE_VERIFIER_MISMATCH', 'BASE64URL(SHA256(code_verifier)) does not equal the code_challenge of the authorize request', 'RFC 7636 §4.6');
  return undefined;
}
