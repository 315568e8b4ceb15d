/**
 * The final scan, fail closed: after an exchange is redacted and serialised, and before its file is
 * written, it is searched for (a) every secret the redactor has seen in this recording, in every
 * written form, (b) anything the redaction rules still find (a secret shape, a secret-named field
 * that is not a placeholder), (c) long random-looking strings nobody declared (record/entropy.ts).
 * A hit throws {@link RedactionError} naming the file and JSON pointer, never the value. The user's
 * `allow` list (`--allow`) lets (b) and (c) through at named pointers; (a) never: a value redaction
 * itself took for a secret is not written anywhere.
 */
import { discoverSecrets } from './discover.ts';
import type { Exchange } from './format.ts';
import { highEntropyRuns, isPublicName } from './entropy.ts';
import { JWT_IN_TEXT } from './jwt.ts';
import { eachExchangeString } from './pointer.ts';
import { RedactionError, type RedactionRule } from './redaction-error.ts';
import { SUBSTRING_MIN, type SecretBook } from './secret-book.ts';
import { discoverIdentities } from './identities.ts';

export { RedactionError } from './redaction-error.ts';

/**
 * What the scan checks one file against.
 *
 * @example
 * const options: ScanOptions = { file: 'exchanges/0001-post-session-v1-login-request.json', book: redactor.book, allow: ['/response/body/json/etag'] }
 */
export interface ScanOptions {
  /** The file as it will be written, relative to the recording folder (for messages and `file#pointer` allowances). */
  readonly file: string;
  /** Secrets (and identities) seen so far in the recording. */
  readonly book: SecretBook;
  /** Identities were redacted, so any left over is a hit too. */
  readonly identities?: boolean;
  /** JSON pointers, or `file#pointer`, let through the shape and entropy checks. */
  readonly allow?: readonly string[];
}

/**
 * Scans one redacted exchange and its serialised text; returns the allowances it used
 * (`file#pointer`, for the manifest), throws {@link RedactionError} on the first hit.
 *
 * @example
 * const used = scanExchange(redacted, JSON.stringify(redacted, null, 2), { file: 'exchanges/0001-post-session-v1-login-request.json', book: redactor.book })
 */
export function scanExchange(exchange: Omit<Exchange, 'id'>, serialised: string, options: ScanOptions): string[] {
  const { file, book } = options;
  eachExchangeString(exchange, (text, pointer, isKey) => {
    const texts = [text, ...jwtSegments(text)];
    const seen = firstOf(texts, (t) => book.findSecret(t));
    if (seen !== undefined) throw refusal(file, pointer, book, 'seen', `holds a secret redaction replaced elsewhere by ${seen}`);
    // Identities are replaced in values only (record/redact.ts), so only values are held to it.
    const identity = options.identities && !isKey ? firstOf(texts, (t) => book.findIdentity(t)) : undefined;
    if (identity !== undefined) throw refusal(file, pointer, book, 'seen', `holds an identity redacted elsewhere as ${identity}`);
  });
  // The serialised text too, in case a secret spans what the walk sees as separate strings.
  const whole = book.findSecret(serialised);
  if (whole !== undefined) throw new RedactionError(file, '', 'seen', `holds a secret redaction replaced elsewhere by ${whole}`);
  const used = new Set<string>();
  const allowed = (pointer: string): boolean => {
    const hit = isAllowed(options.allow ?? [], file, pointer);
    if (hit) used.add(`${file}#${pointer}`);
    return hit;
  };
  for (const f of discoverSecrets(exchange)) {
    if (!allowed(f.pointer)) throw refusal(file, f.pointer, book, 'shape', `holds a ${f.kind.replace(/_/g, ' ')} (${f.rule}) that redaction left in place`);
  }
  if (options.identities) {
    for (const f of discoverIdentities(exchange)) {
      if (!allowed(f.pointer)) throw refusal(file, f.pointer, book, 'shape', `holds an unredacted ${f.kind} identity`);
    }
  }
  eachExchangeString(exchange, (text, pointer, isKey) => {
    const name = isKey ? undefined : fieldName(exchange, pointer);
    const hit = name !== undefined && isPublicName(name) ? undefined : highEntropyRuns(text)[0];
    if (hit && !allowed(pointer)) {
      const hint = masked(pointer, book) === pointer ? `; if it is not a secret, allow it with --allow '${file}#${pointer}'` : '';
      throw refusal(file, pointer, book, 'entropy', `holds a random-looking string (${hit.length} characters, ${hit.bits.toFixed(1)} bits each) that no rule declared${hint}`);
    }
  });
  return [...used];
}

/** The error, its pointer masked where an object key itself holds a secret (the message must never carry one). */
function refusal(file: string, pointer: string, book: SecretBook, rule: RedactionRule, problem: string): RedactionError {
  return new RedactionError(file, masked(pointer, book), rule, problem);
}

/**
 * A pointer with each segment that is a known secret or random-looking replaced by `…`.
 *
 * @example
 * masked('/response/body/json/q7Xr2LmZ9vBc4NtK8wYp3HsJ6dFa1GeU', new SecretBook()) // '/response/body/json/…'
 */
export function masked(pointer: string, book: SecretBook): string {
  return pointer.split('/').map((s) => (s.length >= SUBSTRING_MIN && (book.findSecret(s) !== undefined || highEntropyRuns(s).length > 0) ? '…' : s)).join('/');
}

/** The name a value is filed under: its header, form field or JSON member. */
function fieldName(exchange: Omit<Exchange, 'id'>, pointer: string): string | undefined {
  const form = /^\/(request|response)\/body\/form\/(\d+)\/1$/.exec(pointer);
  if (form) {
    const body = exchange[form[1] as 'request' | 'response'].body;
    return body && 'form' in body ? body.form[Number(form[2])]?.[0] : undefined;
  }
  const last = pointer.slice(pointer.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(last) ? undefined : last;
}

/** The decoded header and claims of each JWT in a text (base64url, so a plain search misses what they hold). */
function jwtSegments(text: string): string[] {
  return [...text.matchAll(JWT_IN_TEXT)].flatMap((m) => m[0].split('.').slice(0, 2).map((s) => Buffer.from(s, 'base64url').toString('utf8')));
}

function firstOf(texts: readonly string[], find: (text: string) => string | undefined): string | undefined {
  for (const t of texts) {
    const found = find(t);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * True when `allow` names this pointer: alone (any file) or as `file#pointer`, the file given as
 * `exchanges/0003-….json` or `0003-….json`.
 *
 * @example
 * isAllowed(['/response/body/json/data/etag'], 'exchanges/0001-get-x.json', '/response/body/json/data/etag') // true
 */
export function isAllowed(allow: readonly string[], file: string, pointer: string): boolean {
  const base = file.split('/').pop();
  return allow.some((entry) => {
    const hash = entry.indexOf('#');
    if (hash < 0) return entry === pointer;
    const f = entry.slice(0, hash);
    return entry.slice(hash + 1) === pointer && (f === file || f === base);
  });
}
