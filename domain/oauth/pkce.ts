/**
 * PKCE as Snowflake OAuth supports it (https://docs.snowflake.com/en/user-guide/oauth-custom): only `S256`, where the challenge is
 * BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). Shapes follow RFC 7636 §4.1–§4.2.
 */
import { createHash } from 'node:crypto';
import { safeEqual } from '../client-secret.ts';

/** The only method Snowflake accepts (https://docs.snowflake.com/en/user-guide/oauth-custom). */
export const PKCE_METHOD = 'S256';

/** RFC 7636 §4.2: a challenge is base64url without padding; the brief allows 43–128 characters. */
const CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * Whether a `code_challenge` has the shape of a PKCE challenge.
 *
 * @example
 * isPkceChallenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM') // true
 * isPkceChallenge('short') // false
 */
export function isPkceChallenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/**
 * Whether a `code_verifier` has the shape RFC 7636 §4.1 requires.
 *
 * @example
 * isPkceVerifier('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // true
 */
export function isPkceVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

/**
 * The S256 challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))).
 *
 * @example
 * s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' (RFC 7636 appendix B)
 */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Whether `verifier` answers `challenge` under S256, compared in constant time.
 *
 * @example
 * pkceMatches('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM') // true
 */
export function pkceMatches(verifier: string, challenge: string): boolean {
  return safeEqual(s256Challenge(verifier), challenge);
}
