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
  // One pass over the body, no arrays of parts (every token request reads one). A malformed
  // escape makes the whole body go through URLSearchParams, whose lenient decoding stays the reference.
  try {
    for (let start = 0; start < body.length;) {
      let end = body.indexOf('&', start);
      if (end < 0) end = body.length;
      if (end > start) {
        const eq = body.indexOf('=', start);
        const key = decodePart(eq < 0 || eq > end ? body.slice(start, end) : body.slice(start, eq));
        if (key in form) return { ok: false, repeated: key };
        form[key] = eq < 0 || eq > end ? '' : decodePart(body.slice(eq + 1, end));
      }
      start = end + 1;
    }
    return { ok: true, form };
  } catch {
    return readPairs(new URLSearchParams(body));
  }
}

function readPairs(pairs: Iterable<[string, string]>): FormRead {
  const form: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of pairs) {
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
  if (contentType === 'application/x-www-form-urlencoded') return true;
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

const NEEDS_DECODING = /[%+]/;
const decodePart = (s: string): string => (NEEDS_DECODING.test(s) ? decodeURIComponent(s.includes('+') ? s.replace(/\+/g, ' ') : s) : s);
