/**
 * OAUTH_REFRESH_TOKEN_EXPIRY_TIME as CREATE SECRET takes it (https://docs.snowflake.com/en/sql-reference/sql/create-secret): `YYYY-MM-DD`,
 * `YYYY-MM-DD HH:MI`, `YYYY-MM-DD HH:MI:SS`, each optionally followed by a time zone (`UTC`, `Z`,
 * `+02:00`, `-0700`). Without a zone the time is UTC (inferred: Snowflake would use the session's
 * TIMEZONE). An ISO 8601 instant (`2026-01-01T00:00:00Z`) is accepted too.
 */
const FORM = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch ms of an expiry time, or undefined when the text is none of the accepted forms.
 *
 * @example
 * parseExpiryTime('2026-06-01 12:30 +02:00') // Date.parse('2026-06-01T10:30:00Z')
 */
export function parseExpiryTime(text: string): number | undefined {
  const m = FORM.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const offset = zone === undefined || /^(Z|UTC|GMT)$/i.test(zone) ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}
