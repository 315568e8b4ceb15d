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
/** An object is described by at most this many key names, each cut to {@link KEY_MAX} characters. */
const KEYS_SHOWN = 6;
const KEY_MAX = 24;

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
 * showValue('data', { LOGIN_NAME: 'BOB', PASSWORD: 'x' }) // 'an object with keys LOGIN_NAME, PASSWORD'
 * showValue('PASSWORD', ['hunter2']) // 'an array of 1 item (hidden)'
 */
export function showValue(name: string, value: unknown, boundTo?: string): string {
  if (value === undefined) return 'none';
  if (value === null) return 'null';
  // The name before the type: a secret sent as an array or object (`PASSWORD: ["…"]`) is still a secret.
  if (typeof value !== 'string') return isSecretName(name) ? `${sizeOf(value)} (hidden)` : shape(value);
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

/**
 * A client's non-string value without its contents: an object by its (clipped) key names, an array
 * by its length — never serialised, since any field inside may hold a secret (a login compared with
 * a query exchange would otherwise print the whole `data` object, password included).
 */
function shape(value: unknown): string {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) return describe(value);
  return clip(JSON.stringify(value) ?? String(value));
}

/** Under a secret name even the key names may be the secret: only how many. */
function sizeOf(value: unknown): string {
  if (Array.isArray(value) || typeof value !== 'object' || value === null) return describe(value);
  const n = Object.keys(value).length;
  return n === 1 ? 'an object with 1 key' : `an object with ${n} keys`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 1 ? 'an array of 1 item' : `an array of ${value.length} items`;
  if (typeof value !== 'object' || value === null) return value === null ? 'null' : `a ${typeof value}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, KEYS_SHOWN).map((k) => JSON.stringify(clipKey(k)).slice(1, -1));
  return clip(`an object with keys ${shown.join(', ')}${keys.length > KEYS_SHOWN ? `, … (${keys.length} keys)` : ''}`);
}

function clipKey(key: string): string {
  return cut(key, KEY_MAX);
}

function clip(text: string): string {
  return cut(text, MAX);
}

/**
 * `text` cut to `max` characters (the last an ellipsis), as a string of its own: V8 keeps a slice
 * of a long string as a view onto it, so a report line holding 40 characters of a client's 1 MB
 * JSON key would keep the whole megabyte alive.
 *
 * @example
 * cut('LOGIN_NAME', 40) // 'LOGIN_NAME'
 * cut('k'.repeat(1_000_000), 5) // 'kkkk…'
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return Buffer.from(`${text.slice(0, max - 1)}…`, 'utf16le').toString('utf16le');
}
