/**
 * Client-secret handling shared by every OAuth server the mock plays (Snowflake OAuth, the external
 * provider, the External OAuth IdP): constant-time comparison, and the two readings of a Basic
 * credential (RFC 6749 §2.3.1 form-encodes id and secret; many clients do not).
 */
import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets in constant time (for equal lengths).
 *
 * @example
 * safeEqual('my-app-secret', given) // true only when they are the same text
 */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The text as sent and, when different, form-urlencoding decoded ('+' is a space): either may match.
 *
 * @example
 * credentialVariants('my%20app') // ['my%20app', 'my app']
 */
export function credentialVariants(text: string): string[] {
  let decoded: string | undefined;
  try {
    decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    decoded = undefined; // not valid percent-encoding: only the text as sent can match
  }
  return decoded === undefined || decoded === text ? [text] : [text, decoded];
}
