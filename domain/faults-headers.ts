/**
 * Which header names and values an injected fault may answer with: exactly those Node's http
 * module sends (`validateHeaderName`/`validateHeaderValue` of node:http), checked as pure code so
 * the pure fault plan refuses them when the rule is added — a header Node refuses would otherwise
 * fail at `writeHead` and turn the injected answer into a 500 (issue #14). WHATWG `Headers` (the
 * msw transport) accepts everything these allow (its values may hold more control characters).
 * test/unit/fault-headers.test.ts checks both against Node on arbitrary strings.
 */

/** RFC 9110 §5.6.2 `token` (https://www.rfc-editor.org/rfc/rfc9110#name-tokens): Node's `checkIsHttpToken`. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What Node refuses in a value (`checkInvalidHeaderChar`): anything but TAB, 0x20–0x7E and 0x80–0xFF. */
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Why Node would refuse this header name, or `undefined` when it sends it.
 *
 * @example
 * headerNameProblem('x-retry') // undefined
 * headerNameProblem('bad name') // 'not a valid header name: only letters, digits and !#$%&\'*+-.^_`|~ (an RFC 9110 token)'
 */
export function headerNameProblem(name: string): string | undefined {
  // The name is not quoted: every caller reports the problem at a path that ends with it.
  return TOKEN.test(name) ? undefined : `not a valid header name: only letters, digits and !#$%&'*+-.^_\`|~ (an RFC 9110 token)${name === '' ? ', got an empty name' : ''}`;
}

/**
 * Why Node would refuse this header value, or `undefined` when it sends it; names the first
 * character it refuses and where it is.
 *
 * @example
 * headerValueProblem('max-age=60') // undefined
 * headerValueProblem('a\nb') // 'a header value holds only tab, space, visible ASCII and bytes 0x80–0xFF; U+000A at index 1 is none of them'
 */
export function headerValueProblem(value: string): string | undefined {
  const bad = INVALID_VALUE_CHAR.exec(value);
  if (!bad) return undefined;
  // The whole code point (an emoji is two UTF-16 units; a lone surrogate stays itself).
  const code = value.codePointAt(bad.index)!;
  return `a header value holds only tab, space, visible ASCII and bytes 0x80–0xFF; U+${code.toString(16).toUpperCase().padStart(4, '0')} at index ${bad.index} is none of them`;
}
