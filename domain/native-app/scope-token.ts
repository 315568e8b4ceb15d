/**
 * RFC 6749 §3.3: a scope is a space-delimited list of scope tokens, each
 * `1*( %x21 / %x23-5B / %x5D-7E )` — printable ASCII without space, `"` or `\`. A scope with a
 * space can never travel on the wire as one token, so the mock refuses it where it is declared
 * (world config, SQL, world API).
 */

/**
 * Why a scope is not an RFC 6749 scope token, or undefined when it is one.
 *
 * @example
 * scopeTokenProblem('read') // undefined
 * scopeTokenProblem('a b')  // 'contains a space (scopes are space-delimited: list each scope separately)'
 */
export function scopeTokenProblem(scope: string): string | undefined {
  if (scope === '') return 'is empty';
  if (/\s/.test(scope)) return 'contains whitespace (scopes are space-delimited on the wire: list each scope separately)';
  const bad = [...scope].find((ch) => ch === '"' || ch === '\\' || ch.codePointAt(0)! < 0x21 || ch.codePointAt(0)! > 0x7e);
  if (bad !== undefined) return `contains ${JSON.stringify(bad)}, which RFC 6749 §3.3 does not allow in a scope token (printable ASCII except " and \\)`;
  return undefined;
}
