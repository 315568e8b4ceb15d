/**
 * Canonical forms replay compares by: JSON with sorted keys (key order never matters), form and
 * query fields grouped by name (field order across names never matters; the order of one name's
 * repeated values does), and redirect URIs on a loopback host without their port.
 */
import { LOOPBACK_PORT_FIELDS } from './volatile.ts';

/**
 * JSON text with object keys sorted at every level.
 *
 * @example
 * canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }) // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Fields by name, each name's values in the order sent. */
export type Fields = ReadonlyMap<string, readonly string[]>;

/**
 * Groups `name=value` pairs by name (a query string or a form body), loopback redirect ports dropped.
 *
 * @example
 * groupFields([['b', '2'], ['a', '1'], ['b', '3']]) // Map { 'a' => ['1'], 'b' => ['2', '3'] }
 */
export function groupFields(pairs: Iterable<readonly [string, string]>): Fields {
  const out = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const v = LOOPBACK_PORT_FIELDS.includes(name) ? withoutLoopbackPort(value) : value;
    const list = out.get(name);
    if (list) list.push(v);
    else out.set(name, [v]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Fields of a query string (`a=1&b=2`, no `?`).
 *
 * @example
 * queryFields('delete=true&requestId=1') // Map { 'delete' => ['true'], 'requestId' => ['1'] }
 */
export function queryFields(query: string): Fields {
  return groupFields(new URLSearchParams(query));
}

const LOOPBACK = /^(https?:\/\/)(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+(?=\/|$|\?|#)/i;

/**
 * A redirect URI with the port of a loopback host removed (RFC 8252 §7.3: native apps pick the port
 * per run, and servers must accept any).
 *
 * @example
 * withoutLoopbackPort('http://127.0.0.1:53111/callback') // 'http://127.0.0.1/callback'
 * withoutLoopbackPort('https://app.example.com:8443/cb') // unchanged
 */
export function withoutLoopbackPort(uri: string): string {
  return uri.replace(LOOPBACK, '$1$2');
}

/**
 * The account a host names, when it is an account host (`<account>.snowflakecomputing.com`, or
 * `<account>.localhost` for `serve`), in upper case with `_` as `-` (hosts write either).
 *
 * @example
 * accountOfHost('myorg-myaccount.snowflakecomputing.com') // 'MYORG-MYACCOUNT'
 * accountOfHost('127.0.0.1:4010') // undefined
 */
export function accountOfHost(host: string | undefined): string | undefined {
  const h = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  if (!/\.snowflakecomputing\.(com|cn)$|\.localhost$/.test(h)) return undefined;
  const label = h.split('.', 1)[0]!;
  // Placeholders keep their case and underscores: they are compared as written in the recording.
  return label.startsWith('__redacted_') ? label : label.toUpperCase().replace(/_/g, '-');
}
