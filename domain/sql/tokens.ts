/**
 * The tokenizer and token cursor of the mock's small SQL grammar. One linear pass, no regular
 * expressions over the whole text, and a cap on the number of tokens: garbage or a huge statement
 * costs at most one scan and ends in a syntax error, never a hang or a throw out of the layer.
 */

/** Kinds of token: keyword or unquoted identifier, "quoted identifier", 'string', integer, punctuation, end. */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'end';

/** One token with where it sits in the statement text. */
export interface Token {
  readonly kind: TokenKind;
  /**
   * Normalised value: a word upper-cased (Snowflake resolves unquoted identifiers to upper case),
   * a quoted identifier or string unescaped, a number's digits, the punctuation character, or
   * `<EOF>` at the end (Snowflake's own word for it in syntax errors).
   */
  readonly value: string;
  /** Offset of the first character in the statement. */
  readonly start: number;
  /** Offset after the last character. */
  readonly end: number;
}

/**
 * A statement the grammar refuses: which token and why (for the journal). Thrown inside the SQL
 * layer only; `executeSql` turns it into a 001003 rejection.
 *
 * @example
 * throw new SqlSyntaxError(token, 'expected = after DAYS_TO_EXPIRY')
 */
export class SqlSyntaxError extends Error {
  readonly token: Token;
  constructor(token: Token, explanation: string) {
    super(explanation);
    this.name = 'SqlSyntaxError';
    this.token = token;
  }
}

/** Work cap: statements with more tokens are refused (the mock answers short admin statements). */
export const MAX_TOKENS = 10_000;

const isWordStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordPart = (c: number): boolean => isWordStart(c) || isDigit(c) || c === 36; // and $
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * Splits a statement into tokens; the last token is always `end`. Skips `--`, `//` and block
 * comments. Throws {@link SqlSyntaxError} on an unterminated string or identifier, or past
 * {@link MAX_TOKENS}.
 *
 * @example
 * tokenize("select 'a''b' as x").map((t) => t.value) // ['SELECT', "a'b", 'AS', 'X', '<EOF>']
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: TokenKind, value: string, start: number, end: number): void => {
    if (tokens.length >= MAX_TOKENS) {
      throw new SqlSyntaxError({ kind, value, start, end }, `the statement has more than ${MAX_TOKENS} tokens; the mock parses at most that many`);
    }
    tokens.push({ kind, value, start, end });
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if ((c === 45 && sql.charCodeAt(i + 1) === 45) || (c === 47 && sql.charCodeAt(i + 1) === 47)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (isWordStart(c)) {
      const start = i;
      while (i < n && isWordPart(sql.charCodeAt(i))) i++;
      push('word', sql.slice(start, i).toUpperCase(), start, i);
    } else if (isDigit(c)) {
      const start = i;
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
      push('number', sql.slice(start, i), start, i);
    } else if (c === 39 || c === 34) {
      const start = i;
      const value = quoted(sql, i, c === 39 ? "'" : '"');
      if (!value) throw new SqlSyntaxError({ kind: 'punct', value: sql[i]!, start, end: start + 1 }, `unterminated ${c === 39 ? 'string' : 'quoted identifier'}`);
      i = value.end;
      push(c === 39 ? 'string' : 'quoted', value.text, start, i);
    } else {
      // One character; a surrogate pair stays whole so the error names a real character.
      const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      push('punct', sql.slice(i, i + width), i, i + width);
      i += width;
    }
  }
  tokens.push({ kind: 'end', value: '<EOF>', start: n, end: n });
  return tokens;
}

/** A quoted run starting at `open`; the quote character doubled stands for itself. */
function quoted(sql: string, open: number, q: string): { text: string; end: number } | undefined {
  let text = '';
  let from = open + 1;
  for (;;) {
    const close = sql.indexOf(q, from);
    if (close < 0) return undefined;
    text += sql.slice(from, close);
    if (sql[close + 1] !== q) return { text, end: close + 1 };
    text += q;
    from = close + 2;
  }
}

/**
 * A cursor over tokens with the few moves a recursive-descent parser needs.
 *
 * @example
 * const c = new Cursor(tokenize('DESC USER alice'))
 * c.word('DESC', 'DESCRIBE'); c.expectWord('USER'); c.identifier() // 'ALICE'
 */
export class Cursor {
  private readonly tokens: readonly Token[];
  private index = 0;
  private previousEnd = 0;

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  /** The current token (the `end` token once everything is consumed). */
  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    this.previousEnd = t.end;
    return t;
  }

  /** Offset after the last consumed token. */
  lastEnd(): number {
    return this.previousEnd;
  }

  /** True (and consumes it) when the current token is one of these keywords. */
  word(...keywords: string[]): string | undefined {
    const t = this.peek();
    if (t.kind === 'word' && keywords.includes(t.value)) {
      this.next();
      return t.value;
    }
    return undefined;
  }

  /** True when the token `ahead` is one of these keywords (nothing consumed). */
  isWord(ahead: number, ...keywords: string[]): boolean {
    const t = this.peek(ahead);
    return t.kind === 'word' && keywords.includes(t.value);
  }

  expectWord(...keywords: string[]): string {
    const got = this.word(...keywords);
    if (got === undefined) throw this.unexpected(`expected ${keywords.join(' or ')}`);
    return got;
  }

  /** True (and consumes it) when the current token is this punctuation. */
  punct(char: string): boolean {
    const t = this.peek();
    if (t.kind === 'punct' && t.value === char) {
      this.next();
      return true;
    }
    return false;
  }

  expectPunct(char: string): void {
    if (!this.punct(char)) throw this.unexpected(`expected ${char}`);
  }

  /** An object name: an unquoted identifier (upper-cased) or a "quoted" one (exact). */
  identifier(what = 'a name'): string {
    const t = this.peek();
    if ((t.kind === 'word' || t.kind === 'quoted') && t.value !== '') {
      this.next();
      return t.value;
    }
    throw this.unexpected(`expected ${what}`);
  }

  /** A 'string literal'. */
  string(what = 'a string literal'): string {
    const t = this.peek();
    if (t.kind !== 'string') throw this.unexpected(`expected ${what}`);
    this.next();
    return t.value;
  }

  /** A whole number, optionally negative (the range check belongs to the command, not the grammar). */
  integer(what = 'a number'): number {
    const negative = this.punct('-');
    const t = this.peek();
    if (t.kind !== 'number' || t.value.length > 15) throw this.unexpected(`expected ${what}`);
    this.next();
    return negative ? -Number(t.value) : Number(t.value);
  }

  /** TRUE or FALSE. */
  boolean(): boolean {
    return this.expectWord('TRUE', 'FALSE') === 'TRUE';
  }

  /** The end of the statement: an optional `;`, then nothing. */
  expectEnd(): void {
    this.punct(';');
    if (this.peek().kind !== 'end') throw this.unexpected('expected the end of the statement');
  }

  unexpected(explanation: string): SqlSyntaxError {
    return new SqlSyntaxError(this.peek(), explanation);
  }
}
