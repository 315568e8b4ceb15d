/**
 * How a sent request reads in a report: method, path, query and the fields that decide the
 * answer, values shortened, with a mark where verify put a value in place of the recorded one.
 */

/** Why a value differs from the recorded one. */
export type Mark = 'issued' | 'world' | 'refused' | 'added';

/**
 * A value for the "sent" line: cut after 40 characters, with its mark.
 *
 * @example
 * shown('__redacted_password_1__', 'world') // '__redacted_password_1__⇒world'
 */
export function shown(value: unknown, mark?: Mark): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? 'none';
  const short = text.length > 40 ? `${text.slice(0, 16)}…` : text;
  return mark === undefined ? short : `${short}⇒${mark}`;
}

/**
 * The "sent" line of a request.
 *
 * @example
 * sentLine('POST', '/session/v1/login-request', '', ['LOGIN_NAME=alice']) // 'POST /session/v1/login-request LOGIN_NAME=alice'
 */
export function sentLine(method: string, path: string, query: string, fields: readonly string[]): string {
  const qs = query ? `?${safeDecode(query)}` : '';
  return `${method} ${path}${qs}${fields.length ? ` ${fields.join(', ')}` : ''}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
