/**
 * `application/x-www-form-urlencoded` token-request bodies, read once for every OAuth server the
 * mock plays (Snowflake OAuth, the external provider, the External OAuth IdP): one value per field,
 * a repeated field refused (RFC 6749 §3.2), and the one Content-Type check.
 */

/** The fields of a form body, or the first field given twice. */
export type FormRead = { readonly ok: true; readonly form: Readonly<Record<string, string>> } | { readonly ok: false; readonly repeated: string };

/**
 * Reads a form body; a field given more than once is refused (RFC 6749 §3.2).
 *
 * @example
 * readForm('grant_type=client_credentials&scope=read+write') // { ok: true, form: { grant_type: 'client_credentials', scope: 'read write' } }
 * readForm('a=1&a=2') // { ok: false, repeated: 'a' }
 */
export function readForm(body: string): FormRead {
  const form: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of formPairs(body)) {
    if (key in form) return { ok: false, repeated: key };
    form[key] = value;
  }
  return { ok: true, form };
}

/**
 * Whether a Content-Type names a form body (parameters such as charset allowed).
 *
 * @example
 * isFormContentType('application/x-www-form-urlencoded;charset=UTF-8') // true
 */
export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * The pairs of an urlencoded body. Fast path: split, and percent-decode only the parts that need it;
 * anything malformed goes through URLSearchParams, whose lenient decoding stays the reference.
 */
function formPairs(body: string): Iterable<[string, string]> {
  if (body === '') return [];
  try {
    return body.split('&').filter((p) => p !== '').map((pair): [string, string] => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [decodePart(pair), ''] : [decodePart(pair.slice(0, eq)), decodePart(pair.slice(eq + 1))];
    });
  } catch {
    return new URLSearchParams(body);
  }
}

const NEEDS_DECODING = /[%+]/;
const decodePart = (s: string): string => (NEEDS_DECODING.test(s) ? decodeURIComponent(s.includes('+') ? s.replace(/\+/g, ' ') : s) : s);
