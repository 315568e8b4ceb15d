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
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'is not JSON';
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : 'is not a JSON object';
}
