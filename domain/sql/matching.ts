/**
 * How a `statements:` entry recognises a statement (decisions/0016): the statement's normalised
 * text for `match`, `prefix` and `regex`, its bound values for `bindings`, and the object name a
 * role-refused entry names in its 002003. One linear pass per statement; a regular expression runs
 * on bounded input only and must not look catastrophic.
 */

/**
 * A bound value as both surfaces send it: `{"1": {"type": "FIXED", "value": "42"}}` — the SQL API
 * (https://docs.snowflake.com/en/developer-guide/sql-api/submitting-requests, "Using bind variables")
 * and snowflake-sdk's query-request (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/statement.js
 * `buildBindsMap`: values as text, null kept, a list for array binding).
 *
 * @example
 * const b: StatementBinding = { type: 'FIXED', value: '42' }
 */
export interface StatementBinding {
  readonly type: string;
  readonly value: string | null | readonly (string | null)[];
}

/**
 * The three ways an entry recognises a statement.
 *
 * @example
 * const m: Matcher = { kind: 'prefix', text: 'DROP TABLE' }
 */
export type Matcher =
  | { readonly kind: 'match'; readonly text: string }
  | { readonly kind: 'prefix'; readonly text: string }
  | { readonly kind: 'regex'; readonly source: string; readonly pattern: RegExp };

/**
 * Longest normalised statement a regular expression is run on; longer ones match `match`/`prefix` entries only.
 *
 * @example
 * matches(matcherOf('regex', '^select'), `SELECT ${'X'.repeat(MAX_REGEX_INPUT)}`) // false
 */
export const MAX_REGEX_INPUT = 16_384;
/**
 * Longest regular expression an entry may give.
 *
 * @example
 * regexProblem('x'.repeat(MAX_REGEX_SOURCE + 1)) // 'a regular expression of at most 1000 characters, …'
 */
export const MAX_REGEX_SOURCE = 1000;
/**
 * Most bindings read from one request (the rest are ignored).
 *
 * @example
 * bindingsOf(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [String(i + 1), { value: 'x' }]))).length // 1000
 */
export const MAX_BINDINGS = 1000;

/**
 * A statement as entries see it: runs of whitespace become one space, letters outside 'strings'
 * and "quoted identifiers" are upper-cased (Snowflake resolves unquoted identifiers to upper case,
 * https://docs.snowflake.com/en/sql-reference/identifiers-syntax), quoted text is kept exactly, and
 * trailing `;` and spaces are dropped. Comments are kept as text.
 *
 * @example
 * normaliseStatement("select *\n  from orders where name = 'Ann';") // "SELECT * FROM ORDERS WHERE NAME = 'Ann'"
 */
export function normaliseStatement(sql: string): string {
  let out = '';
  for (const [segment] of sql.matchAll(SEGMENTS)) {
    const quoted = segment.charCodeAt(0) === 39 || segment.charCodeAt(0) === 34; // ' or "
    out += quoted ? segment : segment.replace(/\s+/g, ' ').toUpperCase();
  }
  return trimTrailing(out.trimStart());
}

/**
 * Drops trailing `;` and whitespace in one backward pass. Not `/[;\s]+$/`: a regex tries every run
 * of spaces or semicolons inside the text as a possible end, so `SELECT '` + 300 000 spaces + `x'`
 * took minutes (issue #14, the fuzz suite).
 */
function trimTrailing(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING.test(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
}

const TRAILING = /^[;\s]$/;

// A 'string' or "quoted identifier" (a doubled quote stands for itself; an unterminated one runs to the end), or a run of anything else.
const SEGMENTS = /'(?:[^']|'')*'?|"(?:[^"]|"")*"?|[^'"]+/g;

/**
 * Why a regular expression is refused, or undefined: too long, not valid JavaScript, or a shape
 * that backtracks exponentially (https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS):
 * a group, at any depth, repeated without bound or more than {@link MAX_SAFE_REPEAT} times (`*`,
 * `+`, `{n,}`, `{n,m}` with m > 10) whose body holds a quantifier (`?` included) or an alternation
 * (`(a+)+`, `(\w+\s?)+`, `(a|b)*`, `(.*,){12}`), and any backreference (`\1`, `\k<name>`). The
 * check is syntactic and does not catch everything: adjacent unbounded quantifiers (`.*.*.*x`) still
 * cost polynomial time, which {@link MAX_REGEX_INPUT} bounds.
 *
 * @example
 * regexProblem('(a+)+$') // 'looks catastrophic: …'
 * regexProblem('^select') // undefined
 */
export function regexProblem(source: string): string | undefined {
  if (source.length > MAX_REGEX_SOURCE) return `a regular expression of at most ${MAX_REGEX_SOURCE} characters, got ${source.length}`;
  try {
    new RegExp(source, 'i');
  } catch (e) {
    return `not a valid JavaScript regular expression: ${(e as Error).message}`;
  }
  return catastrophicShape(source);
}

/**
 * Most times a group that holds a quantifier or an alternation may be repeated (`{n,m}`, m ≤ this).
 *
 * @example
 * regexProblem(`(a|b){0,${MAX_SAFE_REPEAT}}`) // undefined
 */
export const MAX_SAFE_REPEAT = 10;

const REWRITE = 'rewrite it so each character can be matched only one way — a character class instead of the group (^[\\w\\s]+$ for ^(\\w+\\s?)+$, [ab]+ for (a|b)+), no quantifier inside a repeated group, or a repeat of at most {0,10} — or use prefix: or match:';

/** A group being read: where it opens and what its body holds so far. */
interface GroupFrame {
  readonly open: number;
  quantifier: boolean;
  alternation: boolean;
}

/** A quantifier at `i`: how many times at most (Infinity when unbounded) and where it ends. */
function quantifierAt(source: string, i: number): { readonly max: number; readonly end: number } | undefined {
  const ch = source[i];
  let max: number;
  let end: number;
  if (ch === '*' || ch === '+') [max, end] = [Infinity, i + 1];
  else if (ch === '?') [max, end] = [1, i + 1];
  else {
    const m = ch === '{' ? /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(i, i + 40)) : null;
    if (!m) return undefined;
    max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    end = i + m[0].length;
  }
  return { max, end: source[end] === '?' ? end + 1 : end };
}

/** The reason a valid regular expression is refused as catastrophic (see {@link regexProblem}). */
function catastrophicShape(source: string): string | undefined {
  const stack: GroupFrame[] = [{ open: -1, quantifier: false, alternation: false }];
  let i = 0;
  const quantified = (): void => {
    const q = quantifierAt(source, i);
    if (q === undefined) return;
    stack[stack.length - 1]!.quantifier = true;
    i = q.end;
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) {
        const ref = next === 'k' ? source.slice(i, source.indexOf('>', i) + 1 || i + 3) : `\\${/^\d+/.exec(source.slice(i + 1))![0]}`;
        return `looks catastrophic: the backreference ${ref} can take exponential time to match; ${REWRITE}`;
      }
      i += 2;
      quantified();
    } else if (ch === '[') {
      i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      quantified();
    } else if (ch === '(') {
      stack.push({ open: i, quantifier: false, alternation: false });
      const prefix = /^\(\?(?::|=|!|<=|<!|<[^>]*>)/.exec(source.slice(i, i + 200));
      i += prefix ? prefix[0].length : 1;
    } else if (ch === ')') {
      const group = stack.length > 1 ? stack.pop()! : { open: 0, quantifier: false, alternation: false };
      const close = i;
      i++;
      const q = quantifierAt(source, i);
      const risky = q !== undefined && q.max > MAX_SAFE_REPEAT;
      if (risky && (group.quantifier || group.alternation)) {
        const text = source.slice(group.open, close + 1);
        const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
        const holds = group.quantifier ? 'a quantifier' : 'an alternation (|)';
        return `looks catastrophic: the group ${shown} is repeated by ${source.slice(i, q.end)} and holds ${holds}, so a statement that almost matches makes it try every way of splitting the text (exponential time); ${REWRITE}`;
      }
      const parent = stack[stack.length - 1]!;
      parent.quantifier ||= group.quantifier || q !== undefined;
      parent.alternation ||= group.alternation;
      if (q !== undefined) i = q.end;
    } else if (ch === '|') {
      stack[stack.length - 1]!.alternation = true;
      i++;
    } else {
      i++;
      quantified();
    }
  }
  return undefined;
}

/**
 * Builds a matcher; `regex` must have passed {@link regexProblem}.
 *
 * @example
 * matcherOf('prefix', 'drop table') // { kind: 'prefix', text: 'DROP TABLE' }
 */
export function matcherOf(kind: Matcher['kind'], text: string): Matcher {
  if (kind === 'regex') return { kind, source: text, pattern: new RegExp(text, 'i') };
  return { kind, text: normaliseStatement(text) };
}

/**
 * Whether a normalised statement is the one a matcher names.
 *
 * @example
 * matches(matcherOf('match', 'select 1;'), normaliseStatement('SELECT   1')) // true
 */
export function matches(matcher: Matcher, normalised: string): boolean {
  switch (matcher.kind) {
    case 'match':
      return normalised === matcher.text;
    case 'prefix':
      return normalised.startsWith(matcher.text);
    case 'regex':
      return normalised.length <= MAX_REGEX_INPUT && matcher.pattern.test(normalised);
  }
}

/**
 * How a matcher reads in the journal: `prefix "DROP TABLE"`, `regex /^delete/i`.
 *
 * @example
 * describeMatcher(matcherOf('prefix', 'drop table')) // 'prefix "DROP TABLE"'
 */
export function describeMatcher(matcher: Matcher): string {
  const cut = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
  return matcher.kind === 'regex' ? `regex /${cut(matcher.source)}/i` : `${matcher.kind} ${JSON.stringify(cut(matcher.text))}`;
}

/**
 * The bound values of a request, in order: `"1"`, `"2"`, … of a `bindings` object (other keys
 * ignored). Values become text as the drivers send them; anything else is written as JSON.
 *
 * @example
 * bindingsOf({ '2': { type: 'TEXT', value: 'b' }, '1': { type: 'FIXED', value: '1' } }) // [{ type: 'FIXED', value: '1' }, { type: 'TEXT', value: 'b' }]
 */
export function bindingsOf(raw: unknown): StatementBinding[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  const out: StatementBinding[] = [];
  for (let i = 1; i <= MAX_BINDINGS; i++) {
    const entry = (raw as Record<string, unknown>)[String(i)];
    if (entry === undefined) break;
    const b = typeof entry === 'object' && entry !== null ? (entry as { type?: unknown; value?: unknown }) : { value: entry };
    out.push({ type: typeof b.type === 'string' ? b.type : 'TEXT', value: Array.isArray(b.value) ? b.value.map(asText) : asText(b.value) });
  }
  return out;
}

const asText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

/**
 * Whether the request's bound values are the entry's, position by position (text compared
 * exactly; an entry's number or boolean is compared as the drivers send it: `42` → "42").
 *
 * @example
 * bindingsMatch(['42', null], [{ type: 'FIXED', value: '42' }, { type: 'TEXT', value: null }]) // true
 */
export function bindingsMatch(expected: readonly (string | null)[], actual: readonly StatementBinding[]): boolean {
  return expected.length === actual.length && expected.every((v, i) => actual[i]!.value === v);
}

/**
 * The object a statement acts on, for the 002003 of a role-refused entry: the name after FROM,
 * INTO, UPDATE, JOIN or TABLE / VIEW (as Snowflake names it: "Object" after FROM/INTO/UPDATE/JOIN,
 * "Table"/"View" after those words), else the first name after the statement's first word. Unquoted
 * parts are upper-cased, quoted ones kept; a dotted name stays whole.
 *
 * @example
 * objectOf('select * from sales.public.orders where 1=1') // { kind: 'Object', name: 'SALES.PUBLIC.ORDERS' }
 * objectOf('DROP TABLE "t"') // { kind: 'Table', name: 't' }
 */
export function objectOf(sql: string): { kind: 'Object' | 'Table' | 'View'; name: string } {
  const words = nameTokens(sql);
  for (let i = 0; i < words.length - 1; i++) {
    const w = words[i]!;
    if (w.quoted) continue;
    const kind = w.text === 'TABLE' ? 'Table' : w.text === 'VIEW' ? 'View' : OBJECT_WORDS.has(w.text) ? 'Object' : undefined;
    if (kind !== undefined) return { kind, name: dottedName(words, i + 1) };
  }
  return { kind: 'Object', name: words.length > 1 ? dottedName(words, 1) : (words[0]?.text ?? '') };
}

const OBJECT_WORDS: ReadonlySet<string> = new Set(['FROM', 'INTO', 'UPDATE', 'JOIN']);
// Words that may follow TABLE/FROM before the name itself.
const SKIPPED: ReadonlySet<string> = new Set(['IF', 'NOT', 'EXISTS', 'ONLY', 'LATERAL']);

interface NameToken {
  readonly text: string;
  readonly quoted: boolean;
  /** Joined to the previous name by a dot. */
  readonly dotted: boolean;
}

/** Words, quoted identifiers and dots of the first 4 KB of a statement (strings and comments skipped). */
function nameTokens(sql: string): NameToken[] {
  const out: NameToken[] = [];
  const re = /--[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'?|"((?:[^"]|"")*)"?|([A-Za-z_][A-Za-z0-9_$]*)|(\.)|[^\s]/g;
  let dot = false;
  for (const m of sql.slice(0, 4096).matchAll(re)) {
    if (m[3] !== undefined) dot = true;
    else if (m[2] !== undefined) out.push({ text: m[2].toUpperCase(), quoted: false, dotted: dot });
    else if (m[1] !== undefined) out.push({ text: m[1].replace(/""/g, '"'), quoted: true, dotted: dot });
    if (m[3] === undefined) dot = false;
  }
  return out;
}

function dottedName(words: readonly NameToken[], from: number): string {
  let i = from;
  while (i < words.length - 1 && !words[i]!.quoted && SKIPPED.has(words[i]!.text)) i++;
  const parts = [words[i]?.text ?? ''];
  for (let j = i + 1; j < words.length && words[j]!.dotted; j++) parts.push(words[j]!.text);
  return parts.join('.');
}

/**
 * The statement's first keyword, upper-case (comments and spaces before it skipped): what decides
 * the DML count's column and the driver's statement type.
 *
 * @example
 * firstKeyword('/* nightly *\/ insert into t values (1)') // 'INSERT'
 */
export function firstKeyword(sql: string): string {
  const m = /^(?:\s+|--[^\n]*(?:\n|$)|\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*([A-Za-z_]+)/.exec(sql.slice(0, 4096));
  return m ? m[1]!.toUpperCase() : '';
}
