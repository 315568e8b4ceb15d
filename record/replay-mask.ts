/**
 * How replay writes a client's value into a difference, a report or an error body without
 * repeating a secret: the recording side is already redacted on disk, but the client's side is
 * live. Values under secret-looking names are shown by length only, an Authorization header by its
 * scheme, a JWT by its claims, and a value bound to a placeholder by that placeholder's name.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';

/** Field and header names whose values are secrets (the token-type header names a type, not a token). */
const SECRET_NAME = /pass(word|code)?|secret|token|assertion|verifier|^code$|authorization|cookie|private_?key|credential|api[-_]?key|signature|^mfa/i;
const NOT_SECRET_NAME = /type$|^token_?name$|^authenticator$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;
const MAX = 80;

/**
 * True when a field or header of this name holds a secret.
 *
 * @example
 * isSecretName('PASSWORD') // true
 * isSecretName('x-snowflake-authorization-token-type') // false
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

/**
 * A client's value as a difference may show it. `boundTo` names the placeholder the value is bound
 * to in this replay, when it is.
 *
 * @example
 * showValue('PASSWORD', 'hunter2') // 'a 7-character value (hidden)'
 * showValue('authorization', 'Bearer abc') // 'Bearer (hidden, 3 characters)'
 * showValue('LOGIN_NAME', 'BOB') // '"BOB"'
 */
export function showValue(name: string, value: unknown, boundTo?: string): string {
  if (value === undefined) return 'none';
  if (typeof value !== 'string') return clip(JSON.stringify(value) ?? String(value));
  if (boundTo !== undefined) return `the value bound to ${boundTo}`;
  if (name.toLowerCase() === 'authorization') {
    const [scheme, ...rest] = value.split(' ');
    return rest.length > 0 ? `${scheme} (hidden, ${rest.join(' ').length} characters)` : `(hidden, ${value.length} characters)`;
  }
  const jwt = jwtClaimsText(value);
  if (jwt !== undefined) return `a JWT with claims ${jwt}`;
  if (isSecretName(name)) return `a ${value.length}-character value (hidden)`;
  return clip(JSON.stringify(value));
}

/**
 * A recorded value as a difference shows it (already redacted on disk).
 *
 * @example
 * showRecorded('__redacted_password_1__') // '"__redacted_password_1__"'
 */
export function showRecorded(value: unknown): string {
  if (value === undefined) return 'none';
  const jwt = typeof value === 'string' ? jwtClaimsText(value) : undefined;
  return jwt !== undefined ? `a JWT with claims ${jwt}` : clip(JSON.stringify(value) ?? String(value));
}

/**
 * True for text shaped like a compact JWS whose header and payload decode.
 *
 * @example
 * isJwtLike('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJBIn0.__redacted_jwt_signature_1__') // true
 */
export function isJwtLike(text: string): boolean {
  if (!JWT_SHAPE.test(text)) return false;
  try {
    decodeProtectedHeader(text);
    decodeJwt(text);
    return true;
  } catch {
    return false;
  }
}

function jwtClaimsText(text: string): string | undefined {
  if (!isJwtLike(text)) return undefined;
  return clip(JSON.stringify(decodeJwt(text)));
}

function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}
