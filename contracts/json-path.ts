/**
 * A deliberately small JSONPath subset for scenario captures (`capture: { token: $.access_token }`)
 * and for naming where a mismatch happened (`json $.data[0][0]`).
 *
 * Supported: `$`, `$.a.b`, `$.a[0].b`, `$['odd key']` (or double quotes), `$.data[0][0]`.
 * Anything that can select more than one value (`*`, `..`, filters, slices) is refused with an
 * Error: a capture must name exactly one value, and a silent "first match" would hide mistakes.
 */

/**
 * One step of a path: an object key or an array index.
 *
 * @example
 * const segments: PathSegment[] = ['data', 0, 0] // $.data[0][0]
 */
export type PathSegment = string | number;

/**
 * What {@link readPath} found; `found: false` when any step is missing (distinct from a `null` value).
 *
 * @example
 * const r: PathResult = readPath(body, '$.access_token')
 * if (!r.found) throw new Error('no access_token')
 */
export interface PathResult {
  readonly found: boolean;
  readonly value?: unknown;
}

/** Keys that can be written as `.key`; anything else is written as `['key']`. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A `.name` segment: stops at the next `.` or `[`. */
const DOT_NAME = /^[^.[\]\s*?@()]+/;

/**
 * Parses a path into segments; throws an Error naming the path and the unsupported part.
 *
 * @example
 * parsePath("$.data[0]['odd key']") // ['data', 0, 'odd key']
 */
export function parsePath(path: string): PathSegment[] {
  const text = path.trim();
  if (!text.startsWith('$')) throw pathError(path, 'a path must start with "$"');
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const step = text[i] === '.' ? readDotSegment(path, text, i) : text[i] === '[' ? readBracketSegment(path, text, i) : undefined;
    if (!step) throw pathError(path, `unexpected ${JSON.stringify(text.slice(i))}`);
    segments.push(step.segment);
    i = step.next;
  }
  return segments;
}

/**
 * Reads the single value a path names; `found` is false when a key or index is missing or a
 * step meets the wrong kind of value (a key on an array, an index on an object).
 *
 * @example
 * readPath({ data: [['42']] }, '$.data[0][0]') // { found: true, value: '42' }
 * readPath({ data: [] }, '$.data[0]')          // { found: false }
 */
export function readPath(value: unknown, path: string): PathResult {
  let current: unknown = value;
  for (const segment of parsePath(path)) {
    const next = step(current, segment);
    if (!next.found) return { found: false };
    current = next.value;
  }
  return { found: true, value: current };
}

/**
 * Writes segments back as a path, for reports; the inverse of {@link parsePath}.
 *
 * @example
 * formatPath(['data', 0, 0])       // '$.data[0][0]'
 * formatPath(['odd key'])          // "$['odd key']"
 * formatPath(['iss'], '$.token#claims') // '$.token#claims.iss'
 */
export function formatPath(segments: readonly PathSegment[], root = '$'): string {
  return segments.reduce<string>((text, segment) => appendSegment(text, segment), root);
}

/**
 * Appends one segment to an already formatted path (what the matcher does while descending).
 *
 * @example
 * appendSegment('$.data', 0)     // '$.data[0]'
 * appendSegment('$', 'odd key')  // "$['odd key']"
 */
export function appendSegment(path: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${path}[${segment}]`;
  if (IDENTIFIER.test(segment)) return `${path}.${segment}`;
  return `${path}['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

function step(current: unknown, segment: PathSegment): PathResult {
  if (typeof segment === 'number') {
    return Array.isArray(current) && segment < current.length ? { found: true, value: current[segment] } : { found: false };
  }
  // Own properties only: `$.constructor` must not reach into the prototype.
  if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) {
    return { found: false };
  }
  return { found: true, value: (current as Record<string, unknown>)[segment] };
}

interface Parsed {
  readonly segment: PathSegment;
  readonly next: number;
}

function readDotSegment(path: string, text: string, i: number): Parsed {
  if (text[i + 1] === '.') throw pathError(path, 'recursive descent ".." is not supported');
  const name = DOT_NAME.exec(text.slice(i + 1))?.[0];
  if (!name) throw pathError(path, `unsupported segment ${JSON.stringify(text.slice(i))} (wildcards and filters are not supported)`);
  return { segment: name, next: i + 1 + name.length };
}

function readBracketSegment(path: string, text: string, i: number): Parsed {
  const quote = text[i + 1];
  if (quote === "'" || quote === '"') return readQuotedKey(path, text, i + 2, quote);
  const close = text.indexOf(']', i);
  const inner = close < 0 ? text.slice(i + 1) : text.slice(i + 1, close);
  if (close < 0 || !/^\d+$/.test(inner)) {
    throw pathError(path, `unsupported index [${inner}] (only non-negative integers and quoted keys; no *, slices or filters)`);
  }
  return { segment: Number(inner), next: close + 1 };
}

function readQuotedKey(path: string, text: string, start: number, quote: string): Parsed {
  let key = '';
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      key += text[++i];
    } else if (ch === quote) {
      if (text[i + 1] !== ']') throw pathError(path, `expected "]" after the quoted key ${JSON.stringify(key)}`);
      return { segment: key, next: i + 2 };
    } else {
      key += ch;
    }
  }
  throw pathError(path, 'unterminated quoted key');
}

function pathError(path: string, why: string): Error {
  return new Error(`unsupported JSONPath ${JSON.stringify(path)}: ${why}. Supported: $, $.a.b, $.a[0], $['odd key']`);
}
