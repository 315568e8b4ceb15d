/**
 * A request body that must be a JSON object, read once: the login parser and the renewal and
 * query endpoints all want `{…}` and refuse anything else, each with its own code.
 */

/**
 * Parses a body that must be a JSON object; otherwise says what it is instead.
 *
 * @example
 * readJsonObject('{"sqlText":"SELECT 1"}') // { sqlText: 'SELECT 1' }
 * readJsonObject('[1]') // 'is not a JSON object'
 */
export function readJsonObject(body: string): Record<string, unknown> | string {
  if (body.trim() === '') return 'is empty';
  if (exceedsJsonDepth(body)) return `is nested more than ${MAX_JSON_DEPTH} levels deep`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'is not JSON';
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : 'is not a JSON object';
}

/**
 * Deepest nesting of arrays and objects a client's JSON may have. Snowflake documents no limit, so
 * this one is the mock's (inferred); no request any driver sends comes near it (drivers' login and query bodies, and
 * SQL API bodies with bindings, nest a handful of levels), and values nested thousands deep are what made
 * explanations overflow the stack (issue #14), so they are refused as a malformed body at parse.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays/objects more than `max` levels, judged on the text in one pass
 * without parsing it (brackets inside strings do not count). Text that is not JSON may answer
 * either way; the parser refuses it after.
 *
 * @example
 * exceedsJsonDepth('[[1]]', 1) // true
 * exceedsJsonDepth('{"a":"[[[["}', 1) // false
 */
export function exceedsJsonDepth(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
