/**
 * Compact JWS tokens (RFC 7515 §7.1, https://www.rfc-editor.org/rfc/rfc7515#section-7.1): three
 * base64url segments. Recordings keep a JWT's header and claims, which say what was sent, and never
 * its signature, which is what makes it a credential.
 */

/**
 * A JWT anywhere in a text; group 1 is the signature.
 *
 * @example
 * [...'Bearer eyJhbGciOiJub25lIn0.eyJhIjoxfQ.c2ln'.matchAll(JWT_IN_TEXT)][0]?.[1] // 'c2ln'
 */
export const JWT_IN_TEXT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.([A-Za-z0-9_-]*)/g;

/**
 * The JSON a base64url segment encodes, or undefined when it is not a JSON object.
 *
 * @example
 * decodeSegment('eyJhbGciOiJSUzI1NiJ9') // { alg: 'RS256' }
 */
export function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when the whole text is a JWT whose header decodes to a JSON object.
 *
 * @example
 * isJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln') // true
 */
export function isJwt(text: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(text) && decodeSegment(text.split('.')[0]!) !== undefined;
}

/**
 * Where the signature of a JWT text starts (after the second dot).
 *
 * @example
 * signatureStart('aaa.bbb.sig') // 8
 */
export function signatureStart(jwt: string): number {
  return jwt.lastIndexOf('.') + 1;
}
