/**
 * Redaction by default: every secret of an exchange becomes a placeholder before anything is
 * written, and the same secret the same placeholder across the whole recording (record/secret-book.ts).
 * A JWT keeps its header and claims, never its signature; an `Authorization` header keeps its
 * scheme; a cookie its name. With `identities`, account names, locators, user names and IP
 * addresses are replaced too. What counts as a secret: record/discover.ts and record/secret-shapes.ts;
 * the list is in docs/recording-format.md.
 */
import { placeholdersIn, type Exchange, type SecretKind } from './format.ts';
import { discoverSecrets, type Finding } from './discover.ts';
import { discoverIdentities, identitiesInText } from './identities.ts';
import { eachExchangeString, mapExchangeStrings } from './pointer.ts';
import { SecretBook } from './secret-book.ts';
import { shapeSpans } from './secret-shapes.ts';

/**
 * How to redact.
 *
 * @example
 * createRedactor({ identities: true })
 */
export interface RedactOptions {
  /** Also replace account names, locators, user names and IP addresses (`--redact-identities`). */
  readonly identities?: boolean;
}

/**
 * Redaction state for one recording.
 *
 * @example
 * const redactor: Redactor = createRedactor()
 */
export interface Redactor {
  /** The book of secrets seen so far (the final scan reads it). */
  readonly book: SecretBook;
  readonly identities: boolean;
  /**
   * The exchange with its secrets replaced; what it found is remembered for the rest of the recording.
   *
   * @example
   * redactor.exchange(raw).request.headers.authorization // 'Bearer __redacted_pat_1__'
   */
  exchange<E extends Omit<Exchange, 'id'>>(raw: E): E;
  /**
   * One free-standing text (the manifest's upstream URL) redacted with the same book.
   *
   * @example
   * redactor.text('https://myorg-myaccount.snowflakecomputing.com') // 'https://redacted-account-1.snowflakecomputing.com' with identities
   */
  text(value: string): string;
}

/**
 * A redactor whose placeholders are consistent across every exchange it is given.
 *
 * @example
 * const redactor = createRedactor({ identities: false })
 * const first = redactor.exchange(login)   // data.token → __redacted_session_token_1__
 * const second = redactor.exchange(query)  // Authorization: Snowflake Token="__redacted_session_token_1__"
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const book = new SecretBook();
  const identities = options.identities === true;
  return {
    book,
    identities,
    exchange(raw) {
      eachExchangeString(raw, (text) => reservePlaceholders(book, text));
      const findings = discoverSecrets(raw);
      for (const f of findings) book.add(f.value, f.kind);
      if (identities) for (const f of discoverIdentities(raw)) book.addIdentity(f.value, f.kind);
      const spans = byPointer(findings);
      return mapExchangeStrings(raw, (text, pointer, isKey) => {
        const out = book.replaceSecrets(isKey ? text : applySpans(text, spans.get(pointer), book));
        return identities && !isKey ? book.replaceIdentities(out) : out;
      });
    },
    text(value) {
      reservePlaceholders(book, value);
      const spans = shapeSpans(value, true).map((s) => ({ ...s, pointer: '' }));
      for (const s of spans) book.add(s.value, s.kind);
      if (identities) for (const f of identitiesInText(value)) book.addIdentity(f.value, f.kind);
      const out = book.replaceSecrets(applySpans(value, spans, book));
      return identities ? book.replaceIdentities(out) : out;
    },
  };
}

/**
 * Redacts a list of exchanges as one recording (the same secret, the same placeholder).
 *
 * @example
 * const [login, query] = redactExchanges([rawLogin, rawQuery])
 */
export function redactExchanges<E extends Omit<Exchange, 'id'>>(raws: readonly E[], options: RedactOptions = {}): E[] {
  const redactor = createRedactor(options);
  return raws.map((raw) => redactor.exchange(raw));
}

/** Placeholders already in a text (plain or in their DNS-safe form) keep their numbers. */
function reservePlaceholders(book: SecretBook, text: string): void {
  if (!text.includes('redacted')) return;
  for (const p of placeholdersIn(text)) book.reserve(p.kind, p.n);
  for (const m of text.matchAll(/\bredacted-(account|locator|user|ip)-(\d+)\b/g)) book.reserve(m[1] as SecretKind, Number(m[2]));
}

function byPointer(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.start === undefined) continue;
    const list = map.get(f.pointer) ?? [];
    list.push(f);
    map.set(f.pointer, list);
  }
  return map;
}

/** Replaces each found span (they do not overlap) by its secret's placeholder, right to left so offsets hold. */
function applySpans(text: string, spans: readonly Finding[] | undefined, book: SecretBook): string {
  if (!spans) return text;
  let out = text;
  for (const s of [...spans].sort((a, b) => b.start! - a.start!)) {
    const text = book.placeholderOf(s.value);
    if (text !== undefined) out = out.slice(0, s.start) + text + out.slice(s.end);
  }
  return out;
}
