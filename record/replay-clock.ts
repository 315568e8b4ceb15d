/**
 * Keeping a replayed answer's times coherent with the replay's clock. Relative fields say how long
 * something lasts from the moment of the answer, so they are answered as recorded:
 * {@link RELATIVE_FIELDS}. Absolute fields say when something happened; an exchange recorded at `s`
 * carrying time `t` is answered at `now` with `now + (t − s)`, so the answer is as old, relative to
 * its request, as it was when recorded: {@link SHIFTED_JSON_FIELDS} and {@link SHIFTED_HEADERS}.
 * Nothing else is touched — dates inside result rows are data, not clock readings.
 */

/**
 * Answered as recorded (seconds from the answer): the login's session and master token validity,
 * the session renewal's, the "remember me" token's, and OAuth's RFC 6749 §5.1 `expires_in` with
 * Snowflake's `refresh_token_expires_in`.
 *
 * @example
 * RELATIVE_FIELDS.includes('expires_in') // true
 */
export const RELATIVE_FIELDS: readonly string[] = [
  'validityInSeconds', 'masterValidityInSeconds', 'validityInSecondsST', 'validityInSecondsMT', 'remMeValidityInSeconds',
  'expires_in', 'refresh_token_expires_in',
];

/**
 * JSON fields holding an epoch-milliseconds clock reading, shifted when they are numbers:
 * `sendResultTime` of `/queries/v1/query-request` answers and `createdOn` of SQL API statement answers
 * (https://docs.snowflake.com/en/developer-guide/sql-api/reference#resultset).
 *
 * @example
 * SHIFTED_JSON_FIELDS // ['sendResultTime', 'createdOn']
 */
export const SHIFTED_JSON_FIELDS: readonly string[] = ['sendResultTime', 'createdOn'];

/**
 * Response headers holding an HTTP-date (RFC 9110 §5.6.7), shifted the same way.
 *
 * @example
 * SHIFTED_HEADERS // ['date']
 */
export const SHIFTED_HEADERS: readonly string[] = ['date'];

/**
 * Shifts every {@link SHIFTED_JSON_FIELDS} number in a JSON value by `by` milliseconds (a copy).
 *
 * @example
 * shiftJson({ data: { sendResultTime: 1000 } }, 500) // { data: { sendResultTime: 1500 } }
 */
export function shiftJson(value: unknown, by: number, leaf: (s: string) => string = (s) => s): unknown {
  if (typeof value === 'string') return leaf(value);
  if (Array.isArray(value)) return value.map((v) => shiftJson(v, by, leaf));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SHIFTED_JSON_FIELDS.includes(k) && typeof v === 'number' ? v + by : shiftJson(v, by, leaf);
  return out;
}

/**
 * Shifts an HTTP-date by `by` milliseconds; text that is not a date is kept.
 *
 * @example
 * shiftHttpDate('Sun, 06 Dec 2026 10:00:00 GMT', 60_000) // 'Sun, 06 Dec 2026 10:01:00 GMT'
 */
export function shiftHttpDate(text: string, by: number): string {
  const t = Date.parse(text);
  return Number.isFinite(t) ? new Date(t + by).toUTCString() : text;
}
