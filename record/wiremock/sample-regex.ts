/**
 * A string a regular expression matches in full, for WireMock's `matches` and `url*Pattern`
 * matchers (whole-value matches, https://wiremock.org/docs/request-matching/). Covers the subset
 * mappings use — literals, escapes, `.`, character classes, groups with alternatives, and the
 * quantifiers `* + ? {n,m}` — taking the shortest choice each time; returns undefined when the
 * pattern has anything else or the sample does not match after all.
 */

/**
 * A sample of `pattern`, or undefined.
 *
 * @example
 * sampleRegex('testState|invalidState') // 'testState'
 * sampleRegex('/session/v1/login-request.*') // '/session/v1/login-request'
 * sampleRegex('http://(127.0.0.1|localhost):[0-9]+.*') // 'http://127.0.0.1:0'
 */
export function sampleRegex(pattern: string): string | undefined {
  let sample: string | undefined;
  try {
    const p = new Parser(pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, ''));
    sample = p.alternatives();
    if (!p.done()) return undefined;
    return new RegExp(`^(?:${pattern})$`).test(sample) ? sample : undefined;
  } catch {
    return undefined;
  }
}

const CLASS_ESCAPES: Readonly<Record<string, string>> = { d: '0', w: 'a', s: ' ', D: 'a', W: '-', S: 'a' };

class Parser {
  private i = 0;
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  done(): boolean {
    return this.i >= this.src.length;
  }

  /** `a|b|c` up to the end or a closing parenthesis: the first alternative's sample. */
  alternatives(): string {
    const first = this.sequence();
    while (this.src[this.i] === '|') {
      this.i++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (!this.done() && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      out += this.repeat(atom);
    }
    return out;
  }

  private atom(): string {
    const c = this.src[this.i++]!;
    if (c === '.') return '.'; // reads right where the author meant a literal dot (127.0.0.1)
    if (c === '\\') return this.escape();
    if (c === '[') return this.charClass();
    if (c === '(') {
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (this.src[this.i] === '?') throw new Error('lookaround');
      const inner = this.alternatives();
      if (this.src[this.i++] !== ')') throw new Error('unclosed group');
      return inner;
    }
    if ('*+?{}'.includes(c)) throw new Error('quantifier without atom');
    return c;
  }

  private escape(): string {
    const c = this.src[this.i++];
    if (c === undefined) throw new Error('trailing backslash');
    if (/[bBAzZ1-9]/.test(c)) throw new Error('unsupported escape');
    return CLASS_ESCAPES[c] ?? c;
  }

  /** `[...]`: its first member (a range's start), or for `[^...]` a common character it lets through. */
  private charClass(): string {
    const start = this.i - 1;
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    let first: string | undefined;
    while (this.src[this.i] !== ']') {
      if (this.done()) throw new Error('unclosed class');
      const c = this.src[this.i++]!;
      const member = c === '\\' ? this.escape() : c;
      first ??= member;
    }
    this.i++;
    if (!negated) {
      if (first === undefined) throw new Error('empty class');
      return first;
    }
    const cls = new RegExp(this.src.slice(start, this.i));
    const pick = ['x', 'a', '0', '_', 'Z', ' '].find((ch) => cls.test(ch));
    if (pick === undefined) throw new Error('no sample for negated class');
    return pick;
  }

  private repeat(atom: string): string {
    const q = this.src[this.i];
    if (q === '*' || q === '?') {
      this.i++;
      this.lazy();
      return '';
    }
    if (q === '+') {
      this.i++;
      this.lazy();
      return atom;
    }
    if (q === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) throw new Error('bad quantifier');
      this.i += m[0].length;
      this.lazy();
      return atom.repeat(Number(m[1]));
    }
    return atom;
  }

  /** A lazy or possessive marker after a quantifier changes nothing for the shortest sample. */
  private lazy(): void {
    if (this.src[this.i] === '?' || this.src[this.i] === '+') this.i++;
  }
}
