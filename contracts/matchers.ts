/**
 * Subset matching for scenario expectations (`expect.json`, `expect.headers`, `expect.journal`).
 *
 * Rules, in the order they apply to an expected value:
 * - A **matcher** is a plain object whose keys start with `$` (`{ $regex: '^x' }`); it is applied
 *   to the actual value. Literal keys without `$` (`regex`) are ordinary keys.
 * - An **object** matches when every listed key matches; extra keys in the actual are fine.
 * - An **array** matches element-wise and must have the **same length** (use `{ $contains: [...] }`
 *   for "includes these, any order").
 * - A **primitive** matches by strict equality, types included: Snowflake sends many numbers as
 *   strings (`"code": "390303"`), so `390303` does not match `"390303"`, and the message says so.
 * - A missing key (or `undefined`, which JSON cannot carry) fails with `missing key`, except under
 *   `{ $absent: true }`.
 *
 * Every failure is a {@link Mismatch} with a one-line message and a path such as
 * `json $.data[0][0]`; inside a JWT the path continues after `#header` / `#claims`
 * (`json $.token#claims.iss`).
 */
import type { Mismatch } from './result.ts';
import { appendSegment } from './json-path.ts';
import { decodeJwt as decodeClaims, decodeProtectedHeader } from 'jose';

/**
 * The matcher keys this module knows; anything else starting with `$` is reported, never passed.
 *
 * @example
 * MATCHER_KEYS.includes('$regex') // true
 */
export const MATCHER_KEYS = ['$regex', '$like', '$type', '$absent', '$iso8601', '$jwt', '$contains', '$any'] as const;

/**
 * Names accepted by `{ $type: … }`: JSON's types, with `null` and `array` apart from `object`.
 *
 * @example
 * const t: TypeName = 'array'; matchSubset({ $type: t }, []) // []
 */
export const TYPE_NAMES = ['string', 'number', 'boolean', 'object', 'array', 'null'] as const;
/** One of {@link TYPE_NAMES}. @example const t: TypeName = 'null' */
export type TypeName = (typeof TYPE_NAMES)[number];

/** Where the walk is: the formatted path and the label that prefixes it in a Mismatch. */
interface At {
  readonly path: string;
  readonly label: string;
}

type Obj = Record<string, unknown>;

/**
 * Matches `actual` against `expected` (subset rules and matchers, see the module comment) and
 * returns every difference; an empty array means it matched.
 *
 * @param basePath where `actual` sits, `$` for a whole body; a header name for headers.
 * @param label prefixes each Mismatch path (`json $.a`); `''` for no prefix.
 * @example
 * matchSubset({ code: '390303', data: { $absent: true } }, body)
 * // [{ path: 'json $.code', expected: '390303', actual: '390144', message: 'expected "390303", got "390144"' }]
 * matchSubset({ $regex: '^application/json' }, headers.get('content-type'), 'content-type', 'header')
 */
export function matchSubset(expected: unknown, actual: unknown, basePath = '$', label = 'json'): Mismatch[] {
  return matchValue(expected, actual, { path: basePath, label });
}

/**
 * True for matcher syntax: a plain object with at least one `$`-key. Objects that mix `$`-keys
 * with literal keys count too, so they are reported as invalid instead of silently matched as data.
 *
 * @example
 * isMatcher({ $regex: '^x' })  // true
 * isMatcher({ regex: '^x' })   // false
 */
export function isMatcher(value: unknown): value is Obj {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

/**
 * A short text of what an expected value (matcher or literal) accepts, for reporters.
 *
 * @example
 * describeExpected({ $regex: '^x', $flags: 'i' })  // 'a string matching /^x/i'
 * describeExpected({ $type: 'array' })             // 'an array'
 * describeExpected('390303')                       // '"390303"'
 */
export function describeExpected(value: unknown): string {
  if (!isMatcher(value)) return show(value);
  const key = matcherKey(value);
  const arg = key === undefined ? undefined : value[key];
  switch (key) {
    case '$regex': return `a string matching ${regexText(arg, value.$flags)}`;
    case '$like': return `a value shaped like ${show(arg)}`;
    case '$type': return typeof arg === 'string' ? typeDescription(arg) : `a value of type ${show(arg)}`;
    case '$absent': return arg === false ? 'a present key' : 'an absent key';
    case '$iso8601': return 'an ISO 8601 date-time';
    case '$jwt': return jwtDescription(arg);
    case '$contains': return `an array containing ${show(arg)}`;
    case '$any': return Array.isArray(arg) ? `any of: ${arg.map(describeExpected).join(' | ')}` : `any of ${show(arg)}`;
    default: return `unknown matcher ${show(value)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The walk

function matchValue(expected: unknown, actual: unknown, at: At): Mismatch[] {
  if (isMatcher(expected)) return applyMatcher(expected, actual, at);
  if (actual === undefined) return [miss(at, expected, actual, 'missing key')];
  if (Array.isArray(expected)) return matchArray(expected, actual, at);
  if (isPlainObject(expected)) return matchObject(expected, actual, at);
  return matchPrimitive(expected, actual, at);
}

function matchObject(expected: Obj, actual: unknown, at: At): Mismatch[] {
  if (!isPlainObject(actual)) return [miss(at, expected, actual, `expected an object, got ${show(actual)}`)];
  // Keys whose expected value is undefined are skipped, as JSON.stringify would drop them.
  return Object.entries(expected)
    .filter(([, value]) => value !== undefined)
    .flatMap(([key, value]) => matchValue(value, ownValue(actual, key), child(at, key)));
}

function matchArray(expected: readonly unknown[], actual: unknown, at: At): Mismatch[] {
  if (!Array.isArray(actual)) return [miss(at, expected, actual, `expected an array, got ${show(actual)}`)];
  if (actual.length !== expected.length) {
    return [miss(at, expected, actual, `expected array of length ${expected.length}, got ${actual.length}`)];
  }
  return expected.flatMap((value, i) => matchValue(value, actual[i], child(at, i)));
}

function matchPrimitive(expected: unknown, actual: unknown, at: At): Mismatch[] {
  if (expected === actual) return [];
  return [miss(at, expected, actual, `expected ${show(expected)}, got ${show(actual)}${typeNote(expected, actual)}`)];
}

/** Explains the near miss that bites most: the same text but a different JSON type. */
function typeNote(expected: unknown, actual: unknown): string {
  if (typeOf(expected) === typeOf(actual) || String(expected) !== String(actual)) return '';
  return ` (a ${typeOf(actual)}, not a ${typeOf(expected)}: types must match exactly)`;
}

// ---------------------------------------------------------------------------------------------
// Matchers

function applyMatcher(matcher: Obj, actual: unknown, at: At): Mismatch[] {
  const key = matcherKey(matcher);
  if (key === undefined) return [invalidMatcher(matcher, actual, at)];
  const arg = matcher[key];
  // Only $absent and $any can say something useful about a missing key.
  if (actual === undefined && key !== '$absent' && key !== '$any') return [miss(at, matcher, actual, 'missing key')];
  switch (key) {
    case '$regex': return matchRegex(matcher, arg, actual, at);
    case '$like': return matchLike(arg, actual, at);
    case '$type': return matchType(matcher, arg, actual, at);
    case '$absent': return matchAbsent(matcher, arg, actual, at);
    case '$iso8601': return matchIso(matcher, arg, actual, at);
    case '$jwt': return matchJwt(matcher, arg, actual, at);
    case '$contains': return matchContains(matcher, arg, actual, at);
    case '$any': return matchAny(matcher, arg, actual, at);
  }
}

/** The matcher's main key, or undefined when the object is not exactly one known matcher. */
function matcherKey(matcher: Obj): (typeof MATCHER_KEYS)[number] | undefined {
  const keys = Object.keys(matcher);
  // `$flags` is the only modifier, and only next to `$regex`.
  const main = keys.filter((key) => key !== '$flags');
  const [only] = main;
  if (main.length !== 1 || only === undefined) return undefined;
  if (keys.includes('$flags') && only !== '$regex') return undefined;
  return (MATCHER_KEYS as readonly string[]).includes(only) ? (only as (typeof MATCHER_KEYS)[number]) : undefined;
}

function invalidMatcher(matcher: Obj, actual: unknown, at: At): Mismatch {
  const keys = Object.keys(matcher);
  const known = `(known: ${MATCHER_KEYS.join(', ')})`;
  const unknown = keys.filter((key) => key.startsWith('$') && key !== '$flags' && !(MATCHER_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) return miss(at, matcher, actual, `unknown matcher ${unknown.join(', ')} ${known}`);
  const why = keys.some((key) => !key.startsWith('$'))
    ? 'mixes $-keys with literal keys'
    : 'use exactly one matcher per object ($flags only next to $regex)';
  return miss(at, matcher, actual, `invalid matcher ${show(matcher)}: ${why}`);
}

function matchRegex(matcher: Obj, source: unknown, actual: unknown, at: At): Mismatch[] {
  const regex = compileRegex(source, matcher.$flags);
  if (typeof regex === 'string') return [miss(at, matcher, actual, regex)];
  if (typeof actual === 'string' && regex.test(actual)) return [];
  return [miss(at, matcher, actual, `expected a string matching ${regex}, got ${show(actual)}`)];
}

/** A RegExp, or the reason the matcher is malformed. */
function compileRegex(source: unknown, flags: unknown): RegExp | string {
  if (typeof source !== 'string') return `invalid $regex ${show(source)}: expected a string pattern`;
  if (flags !== undefined && typeof flags !== 'string') return `invalid $flags ${show(flags)}: expected a string like "i"`;
  try {
    return new RegExp(source, flags);
  } catch (error) {
    return `invalid $regex ${regexText(source, flags)}: ${(error as Error).message}`;
  }
}

function matchType(matcher: Obj, name: unknown, actual: unknown, at: At): Mismatch[] {
  if (!(TYPE_NAMES as readonly unknown[]).includes(name)) {
    return [miss(at, matcher, actual, `invalid $type ${show(name)} (use ${TYPE_NAMES.join(', ')})`)];
  }
  if (typeOf(actual) === name) return [];
  return [miss(at, matcher, actual, `expected ${typeDescription(name as string)}, got ${show(actual)}`)];
}

function matchAbsent(matcher: Obj, flag: unknown, actual: unknown, at: At): Mismatch[] {
  if (typeof flag !== 'boolean') return [miss(at, matcher, actual, `invalid $absent ${show(flag)}: expected true or false`)];
  // `$absent: false` means "present, any value": handy for keys whose value is unpredictable.
  if (flag && actual !== undefined) return [miss(at, matcher, actual, 'unexpected key present')];
  if (!flag && actual === undefined) return [miss(at, matcher, actual, 'missing key')];
  return [];
}

function matchIso(matcher: Obj, flag: unknown, actual: unknown, at: At): Mismatch[] {
  if (flag !== true) return [miss(at, matcher, actual, `invalid $iso8601 ${show(flag)}: expected true`)];
  if (typeof actual === 'string' && isIsoDateTime(actual)) return [];
  return [miss(at, matcher, actual, `expected an ISO 8601 date-time, got ${show(actual)}`)];
}

/** `YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh[:]mm]`; a date alone is not a date-time. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?$/;

/**
 * Whether a string is an ISO 8601 date-time with real calendar values. Checked by hand because
 * V8's `Date.parse` accepts `2026-02-30` and rolls it over to March.
 *
 * @example
 * isIsoDateTime('2026-01-01T00:00:00.000Z') // true
 * isIsoDateTime('2026-02-30T00:00:00Z')     // false
 */
export function isIsoDateTime(text: string): boolean {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second = 0, offH = 0, offM = 0] = m.slice(1).map((p) => (p === undefined ? undefined : Number(p)));
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offH <= 23 && offM <= 59;
}

function matchContains(matcher: Obj, wanted: unknown, actual: unknown, at: At): Mismatch[] {
  if (!Array.isArray(wanted)) return [miss(at, matcher, actual, `invalid $contains ${show(wanted)}: expected an array`)];
  if (!Array.isArray(actual)) return [miss(at, matcher, actual, `expected an array containing ${show(wanted)}, got ${show(actual)}`)];
  const unmatched = unmatchedElements(wanted, actual, at);
  return unmatched.map((element) => miss(at, element, actual, `expected an array containing ${describeExpected(element)}, got ${show(actual)}`));
}

/**
 * The wanted elements that find no partner, each actual element used at most once (so
 * `[1, 1]` is not contained in `[1]`). Bipartite matching by augmenting paths: arrays in
 * scenarios are small, and a greedy pass would fail `[{$type:'string'}, 'a']` against `['a', 'b']`.
 */
function unmatchedElements(wanted: readonly unknown[], actual: readonly unknown[], at: At): unknown[] {
  const fits = wanted.map((w) => actual.map((a, j) => matchValue(w, a, child(at, j)).length === 0));
  const owner: (number | undefined)[] = actual.map(() => undefined);
  const assign = (w: number, seen: Set<number>): boolean =>
    actual.some((_, j) => {
      if (!fits[w]?.[j] || seen.has(j)) return false;
      seen.add(j);
      const current = owner[j];
      if (current !== undefined && !assign(current, seen)) return false;
      owner[j] = w;
      return true;
    });
  return wanted.filter((_, w) => !assign(w, new Set()));
}

function matchAny(matcher: Obj, alternatives: unknown, actual: unknown, at: At): Mismatch[] {
  if (!Array.isArray(alternatives) || alternatives.length === 0) {
    return [miss(at, matcher, actual, `invalid $any ${show(alternatives)}: expected a non-empty array of alternatives`)];
  }
  if (alternatives.some((alt) => matchValue(alt, actual, at).length === 0)) return [];
  const got = actual === undefined ? 'a missing key' : show(actual);
  return [miss(at, matcher, actual, `expected any of: ${alternatives.map(describeExpected).join(' | ')}, got ${got}`)];
}

// ---------------------------------------------------------------------------------------------
// $like: same shape and types, values ignored

function matchLike(template: unknown, actual: unknown, at: At): Mismatch[] {
  // A matcher inside the template applies as itself, so shapes can pin a few values.
  if (isMatcher(template)) return applyMatcher(template, actual, at);
  if (actual === undefined) return [miss(at, template, actual, 'missing key')];
  if (Array.isArray(template)) return likeArray(template, actual, at);
  if (isPlainObject(template)) return likeObject(template, actual, at);
  if (typeOf(template) === typeOf(actual)) return [];
  return [miss(at, template, actual, `expected ${typeDescription(typeOf(template))} (like ${show(template)}), got ${show(actual)}`)];
}

function likeObject(template: Obj, actual: unknown, at: At): Mismatch[] {
  if (!isPlainObject(actual)) return [miss(at, template, actual, `expected an object like ${show(template)}, got ${show(actual)}`)];
  return Object.entries(template).flatMap(([key, value]) => matchLike(value, ownValue(actual, key), child(at, key)));
}

function likeArray(template: readonly unknown[], actual: unknown, at: At): Mismatch[] {
  if (!Array.isArray(actual)) return [miss(at, template, actual, `expected an array like ${show(template)}, got ${show(actual)}`)];
  // `[]` as a template means "any array"; otherwise every element is like the first template element.
  if (template.length === 0) return [];
  if (actual.length === 0) return [miss(at, template, actual, `expected a non-empty array like ${show(template)}, got []`)];
  return actual.flatMap((element, i) => matchLike(template[0], element, child(at, i)));
}

// ---------------------------------------------------------------------------------------------
// $jwt: decode a compact JWS and match its header and claims (no signature check)

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const JWT_SPEC_KEYS = ['header', 'claims'];

function matchJwt(matcher: Obj, spec: unknown, actual: unknown, at: At): Mismatch[] {
  // `$jwt: true` is shorthand for "any well-formed JWT".
  const parts = spec === true ? {} : spec;
  if (!isPlainObject(parts) || Object.keys(parts).some((key) => !JWT_SPEC_KEYS.includes(key))) {
    return [miss(at, matcher, actual, `invalid $jwt ${show(spec)}: expected true or { header?, claims? }`)];
  }
  const decoded = decodeJwt(actual);
  if (typeof decoded === 'string') return [miss(at, matcher, actual, decoded)];
  return [
    ...(parts.header === undefined ? [] : matchValue(parts.header, decoded.header, { ...at, path: `${at.path}#header` })),
    ...(parts.claims === undefined ? [] : matchValue(parts.claims, decoded.claims, { ...at, path: `${at.path}#claims` })),
  ];
}

/**
 * Decodes a compact JWS's header and claims (base64url JSON objects) without verifying it, or
 * returns why the value is not one.
 *
 * @example
 * decodeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJBIn0.c2ln') // { header: { alg: 'RS256' }, claims: { sub: 'A' } }
 * decodeJwt('nope') // 'expected a JWT (three base64url segments), got "nope"'
 */
export function decodeJwt(token: unknown): { header: Obj; claims: Obj } | string {
  if (typeof token !== 'string' || !COMPACT_JWS.test(token)) return `expected a JWT (three base64url segments), got ${show(token)}`;
  const header = decodeWith(decodeProtectedHeader, token);
  if (!header) return `expected a JWT, but its header is not base64url JSON: ${show(token)}`;
  const claims = decodeWith(decodeClaims, token);
  if (!claims) return `expected a JWT, but its claims are not base64url JSON: ${show(token)}`;
  return { header, claims };
}

/** jose's decoders (https://github.com/panva/jose) throw on anything but a base64url JSON object. */
function decodeWith(decode: (token: string) => object, token: string): Obj | undefined {
  try {
    const value: unknown = decode(token);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function jwtDescription(spec: unknown): string {
  if (!isPlainObject(spec)) return 'a JWT';
  const parts = JWT_SPEC_KEYS.filter((key) => spec[key] !== undefined).map((key) => `${key} ${show(spec[key])}`);
  return parts.length > 0 ? `a JWT with ${parts.join(' and ')}` : 'a JWT';
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function miss(at: At, expected: unknown, actual: unknown, message: string): Mismatch {
  return { path: at.label ? `${at.label} ${at.path}` : at.path, expected, actual, message };
}

function child(at: At, segment: string | number): At {
  return { ...at, path: appendSegment(at.path, segment) };
}

function ownValue(object: Obj, key: string): unknown {
  // Own keys only, so `{ constructor: … }` never matches Object.prototype.constructor.
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isPlainObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON's type names (`null` and `array` are their own types). */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function typeDescription(name: string): string {
  if (name === 'null') return 'null';
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

function regexText(source: unknown, flags: unknown): string {
  return `/${String(source)}/${typeof flags === 'string' ? flags : ''}`;
}

const MAX_SHOWN = 120;

/** A value as one line of JSON, shortened so a huge body never floods a report. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
