/**
 * What redaction has learnt over one recording: every secret value with its placeholder, and every
 * identity. The book makes the same secret the same placeholder in every file (a session token a
 * login returned is the same `__redacted_session_token_1__` in each later request that carries it),
 * and the final scan asks it whether a text still holds anything it knows.
 */
import { placeholder, type SecretKind } from './format.ts';
import { dnsPlaceholder, inHostName, rewriteJwtClaims } from './identities.ts';
import type { IdentityKind } from './secret-names.ts';

/**
 * Secrets shorter than this are replaced where a rule found them and where a whole value equals
 * them, never as substrings: a password `abc1` must not rewrite every `abc1` in the recording.
 *
 * @example
 * 'alice-password'.length >= SUBSTRING_MIN // true: replaced wherever it appears
 */
export const SUBSTRING_MIN = 8;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;' };

/**
 * The ways a secret is written on the wire or on disk besides itself: URL- and form-encoded,
 * JSON-escaped (with `\/` too), HTML-escaped, its UTF-8 bytes as latin1 (how a base64 body is read),
 * and upper-cased: Snowflake names an unaliased result column by its expression's text in upper case,
 * so `SELECT SYSTEM$FINISH_OAUTH_FLOW('code=abc…')` answers a column `…('CODE=ABC…')`.
 *
 * @example
 * secretVariants('a b/c') // ['a b/c', 'a%20b%2Fc', 'a+b%2Fc', 'a b\\/c', 'A B/C']
 */
export function secretVariants(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([
    value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2),
    json, json.replace(/\//g, '\\/'), value.replace(/[&"'<>]/g, (c) => HTML[c]!), Buffer.from(value, 'utf8').toString('latin1'),
    value.toUpperCase(),
  ])];
}

/** Identities compare without case and with `-` and `_` alike (host names use `-` for an account's `_`). */
const normIdentity = (value: string): string => value.toLowerCase().replace(/_/g, '-');

const PLACEHOLDER_TEXT = String.raw`__redacted_[a-z_]+?_\d+__`;

/**
 * The secrets and identities of one recording with their placeholders.
 *
 * @example
 * const book = new SecretBook()
 * book.add('pat-alice-ci', 'pat')                       // '__redacted_pat_1__'
 * book.replaceSecrets('Bearer pat-alice-ci')            // 'Bearer __redacted_pat_1__'
 */
export class SecretBook {
  private readonly secrets = new Map<string, string>();
  private readonly variants = new Map<string, string>();
  private readonly identities = new Map<string, { placeholder: string; value: string; kind: IdentityKind }>();
  private readonly counters = new Map<SecretKind, number>();
  private secretPattern: RegExp | undefined;
  private identityPattern: RegExp | undefined;

  /**
   * The placeholder of a secret, allocating the next of its kind the first time it is seen.
   *
   * @example
   * book.add('ver:1-hint:abc', 'session_token') // '__redacted_session_token_1__'
   */
  add(value: string, kind: SecretKind): string {
    const known = this.secrets.get(value);
    if (known !== undefined) return known;
    const text = this.next(kind);
    this.secrets.set(value, text);
    for (const v of secretVariants(value)) if (!this.variants.has(v)) this.variants.set(v, text);
    this.secretPattern = undefined;
    return text;
  }

  /**
   * The placeholder of an identity (`ALICE` and `alice` share one).
   *
   * @example
   * book.addIdentity('MYORG-MYACCOUNT', 'account') // '__redacted_account_1__'
   */
  addIdentity(value: string, kind: IdentityKind): string {
    const key = normIdentity(value);
    const known = this.identities.get(key);
    if (known) return known.placeholder;
    const text = this.next(kind);
    this.identities.set(key, { placeholder: text, value, kind });
    this.identityPattern = undefined;
    return text;
  }

  /**
   * Marks a placeholder already in the input as taken (an exchange of an earlier recording fed
   * through again, a re-imported HAR), so a new secret never gets its number.
   *
   * @example
   * book.reserve('session_token', 3); book.add('ver:1-hint:new', 'session_token') // '__redacted_session_token_4__'
   */
  reserve(kind: SecretKind, n: number): void {
    if (n > (this.counters.get(kind) ?? 0)) this.counters.set(kind, n);
  }

  private next(kind: SecretKind): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return placeholder(kind, n);
  }

  /** The placeholder of a known secret (any of its written forms). */
  placeholderOf(value: string): string | undefined {
    return this.secrets.get(value) ?? this.variants.get(value);
  }

  /** How many secrets the book holds. */
  get size(): number {
    return this.secrets.size;
  }

  /**
   * The text with every known secret replaced: long ones (and their encodings) anywhere, short ones
   * only when they are the whole text. Placeholders already there are left alone.
   *
   * @example
   * book.replaceSecrets('Snowflake Token="ver:1-hint:abc"') // 'Snowflake Token="__redacted_session_token_1__"'
   */
  replaceSecrets(text: string): string {
    const whole = this.variants.get(text);
    if (whole !== undefined) return whole;
    const pattern = this.secretsRegExp();
    return pattern ? text.replace(pattern, (hit) => this.variants.get(hit) ?? hit) : text;
  }

  /**
   * The first known secret a text still holds, as its placeholder (for the scan's message).
   *
   * @example
   * book.findSecret('… ver:1-hint:abc …') // '__redacted_session_token_1__'
   */
  findSecret(text: string): string | undefined {
    const whole = this.variants.get(text);
    if (whole !== undefined) return whole;
    const pattern = this.secretsRegExp();
    if (!pattern) return undefined;
    for (const m of text.matchAll(pattern)) {
      const found = this.variants.get(m[0]);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private secretsRegExp(): RegExp | undefined {
    if (this.secretPattern === undefined) {
      const long = [...this.variants.keys()].filter((v) => v.length >= SUBSTRING_MIN).sort((a, b) => b.length - a.length);
      // Placeholders come first in the alternation so that a secret inside one is never rewritten.
      this.secretPattern = long.length === 0 ? undefined : new RegExp(`${PLACEHOLDER_TEXT}|${long.map(escapeRegExp).join('|')}`, 'g');
    }
    return this.secretPattern;
  }

  /**
   * The text with every known identity replaced, without case and at word boundaries; inside a host
   * name in the DNS-safe form (`redacted-account-1.snowflakecomputing.com`); inside JWT claims too.
   *
   * @example
   * book.replaceIdentities('https://myorg-myaccount.snowflakecomputing.com') // 'https://redacted-account-1.snowflakecomputing.com'
   */
  replaceIdentities(text: string): string {
    const pattern = this.identitiesRegExp();
    if (!pattern) return text;
    const replace = (t: string): string =>
      t.replace(pattern, (hit, offset: number, whole: string) => {
        const known = this.identities.get(normIdentity(hit));
        if (!known) return hit;
        return inHostName(whole, offset, offset + hit.length) ? dnsPlaceholder(known.placeholder) : known.placeholder;
      });
    return replace(rewriteJwtClaims(text, replace));
  }

  /**
   * The first known identity a text still holds, as its placeholder.
   *
   * @example
   * book.findIdentity('user ALICE') // '__redacted_user_1__'
   */
  findIdentity(text: string): string | undefined {
    const pattern = this.identitiesRegExp();
    if (!pattern) return undefined;
    pattern.lastIndex = 0;
    const hit = pattern.exec(text)?.[0];
    pattern.lastIndex = 0;
    return hit === undefined ? undefined : this.identities.get(normIdentity(hit))?.placeholder;
  }

  private identitiesRegExp(): RegExp | undefined {
    if (this.identityPattern === undefined && this.identities.size > 0) {
      const values = [...this.identities.values()].sort((a, b) => b.value.length - a.value.length);
      const alternatives = values.map(({ value, kind }) =>
        kind === 'ip'
          ? `(?<![\\w.:])${escapeRegExp(value)}(?![\\w:]|\\.\\d)`
          : `(?<![A-Za-z0-9_])${escapeRegExp(value).replace(/[-_]/g, '[-_]')}(?![A-Za-z0-9_])`,
      );
      this.identityPattern = new RegExp(alternatives.join('|'), 'gi');
    }
    return this.identityPattern;
  }
}
