/**
 * JSON pointers (RFC 6901, https://www.rfc-editor.org/rfc/rfc6901) and a walk over every string of
 * an exchange, which redaction rewrites and the scan reads. A `{base64}` body is handed over as its
 * decoded bytes (one character per byte, latin1), so secrets inside binary bodies are seen too.
 */
import type { Exchange } from './format.ts';

/**
 * The pointer of a child: `~` and `/` escaped as RFC 6901 says.
 *
 * @example
 * child('/request/headers', 'x/y') // '/request/headers/x~1y'
 */
export function child(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * Rewrites one string; `pointer` says where it is, `isKey` that it is an object member's name.
 *
 * @example
 * const upper: StringMapper = (value, _pointer, isKey) => (isKey ? value : value.toUpperCase())
 */
export type StringMapper = (value: string, pointer: string, isKey: boolean) => string;

/**
 * A deep copy of a JSON value with every string (object keys included) passed through `fn`.
 *
 * @example
 * mapStrings({ a: ['x'] }, '', (s) => s.toUpperCase()) // { A: ['X'] }
 */
export function mapStrings(value: unknown, pointer: string, fn: StringMapper): unknown {
  if (typeof value === 'string') return fn(value, pointer, false);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, child(pointer, i), fn));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const here = child(pointer, key);
    out[fn(key, here, true)] = mapStrings(v, here, fn);
  }
  return out;
}

const latin1 = (base64: string): string => Buffer.from(base64, 'base64').toString('latin1');
const base64 = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('base64');

/**
 * The exchange with every string rewritten by `fn`; a base64 body is decoded for `fn` (pointer
 * `…/body/base64`) and encoded again.
 *
 * @example
 * mapExchangeStrings(raw, (s) => s.replaceAll('hunter2', '__redacted_password_1__'))
 */
export function mapExchangeStrings<E extends Omit<Exchange, 'id'>>(exchange: E, fn: StringMapper): E {
  return mapStrings(exchange, '', (value, pointer, isKey) =>
    !isKey && /^\/(request|response)\/body\/base64$/.test(pointer) ? base64(fn(latin1(value), pointer, false)) : fn(value, pointer, isKey),
  ) as E;
}

/**
 * Calls `fn` on every string of the exchange (keys included), base64 bodies decoded.
 *
 * @example
 * eachExchangeString(exchange, (s, pointer) => { if (s.includes('secret')) console.log(pointer) })
 */
export function eachExchangeString(exchange: Omit<Exchange, 'id'>, fn: (value: string, pointer: string, isKey: boolean) => void): void {
  mapExchangeStrings(exchange, (value, pointer, isKey) => {
    fn(value, pointer, isKey);
    return value;
  });
}
