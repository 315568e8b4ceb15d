/**
 * How an explained difference or an adaptation names an exchange. Imported exchanges are named by
 * origin (`<mapping file>#<n>`, or just the file for all of its exchanges), others by file name or
 * id. The writer redacts secrets wherever they occur, origins included (a fixture named after a
 * token value, `invalid_token.json`), so a placeholder in an origin matches any text.
 */
import type { Exchange } from '../format.ts';

const PLACEHOLDER = /__redacted_[a-z_]+?_\d+__/;

/** How an exchange can be named. */
export interface Named {
  readonly id: string;
  readonly file: string;
  readonly origin?: string;
}

/**
 * How well `name` names the exchange: `exact`, `redacted` (it fits an origin the writer partly
 * redacted; prefer an exact name where there is one) or undefined. `whole`: a file name names each
 * exchange of that file.
 *
 * @example
 * nameMatch('a/invalid_token.json#1', { id: '0003', file: 'exchanges/0003-post-x.json', origin: 'a/__redacted_secret_5__.json#1' }) // 'redacted'
 */
export function nameMatch(name: string, ex: Named, whole = false): 'exact' | 'redacted' | undefined {
  if (name === ex.id || name === ex.file || name === ex.file.split('/').pop()) return 'exact';
  if (ex.origin === undefined) return undefined;
  const target = whole && !name.includes('#') ? originFile(ex.origin) : ex.origin;
  if (name === target) return 'exact';
  return redactedMatch(target, name) ? 'redacted' : undefined;
}

/**
 * True when `name` names the exchange, exactly or through a redacted origin (see {@link nameMatch}).
 *
 * @example
 * namesExchange('0003', { id: '0003', file: 'exchanges/0003-post-x.json' }) // true
 */
export function namesExchange(name: string, ex: Named, whole = false): boolean {
  return nameMatch(name, ex, whole) !== undefined;
}

/** A redacted origin against a written name: each placeholder stands for some text. */
function redactedMatch(target: string, name: string): boolean {
  const parts = target.split(PLACEHOLDER);
  return parts.length > 1 && new RegExp(`^${parts.map(escape).join('.+?')}$`).test(name);
}

/**
 * The file part of an origin (`a/b.json#2` → `a/b.json`).
 *
 * @example
 * originFile('a/b.json#2') // 'a/b.json'
 */
export function originFile(origin: string): string {
  const i = origin.lastIndexOf('#');
  return i < 0 ? origin : origin.slice(0, i);
}

/**
 * The name of an exchange in reports and explained files: its origin when imported, else its file name.
 *
 * @example
 * exchangeKey(exchange, 'exchanges/0001-post-session-v1-login-request.json') // '0001-post-session-v1-login-request.json'
 */
export function exchangeKey(ex: Pick<Exchange, 'origin'>, file: string): string {
  return ex.origin ?? file.split('/').pop() ?? file;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
