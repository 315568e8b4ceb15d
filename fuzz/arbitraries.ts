/**
 * The fast-check arbitraries of the fuzz suite (issue #14): what a fuzzed request is made of, as
 * plain data that fast-check can print, replay and shrink. Large or deep values are written as
 * short markers (`@@HUGE(n,u)@@`, `"@@DEEP(n,k)@@"`) and expanded only when the request is sent
 * (fuzz/target.ts), so a 4 MB string costs nothing to generate and prints as one line.
 */
import fc from 'fast-check';

/** A request the fuzz sends, before placeholders (`{{NAME}}`) and markers are expanded. */
export interface FuzzCase {
  /** The endpoint group it aims at (fuzz/target.ts); the oracle judges by where it really lands. */
  readonly group: string;
  readonly method: string;
  /** Path and query as they go on the request line. */
  readonly target: string;
  /** The Host header; `null` sends none. */
  readonly host: string | null;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: BodySpec | null;
  /** What `{{JWT}}` stands for: a valid key-pair JWT. */
  readonly jwt?: JwtSpec;
  /** What `{{BAD_JWT}}` stands for: one with something wrong. */
  readonly badJwt?: JwtSpec;
}

/** How a body is put on the wire. */
export type BodyWrap = 'plain' | 'gzip' | 'gzip-truncated' | 'gzip-corrupt' | 'gzip-magic-garbage' | 'gzip-bomb' | 'gzip-twice';

/** A body: text (placeholders and markers expanded), then raw bytes, then the wrap. */
export interface BodySpec {
  readonly text: string;
  /** Appended after the text: invalid UTF-8 and other raw bytes. */
  readonly bytes?: readonly number[];
  readonly wrap: BodyWrap;
  /** Sent with Transfer-Encoding: chunked instead of Content-Length. */
  readonly chunked?: boolean;
}

/** The fixture key pairs (fixtures/keys). */
export type FixtureKey = 'alice' | 'alice-rotated' | 'bob' | 'etl-bot' | 'ec-p256' | 'weak-1024';

/** A key-pair JWT to sign (`signed`), or a JWT-shaped token built by hand (`forged`). */
export type JwtSpec =
  | {
      readonly mode: 'signed';
      readonly key: FixtureKey;
      /** Whose fingerprint goes into `iss` (another key than the signing one: a wrong signature). */
      readonly fingerprintOf?: FixtureKey;
      readonly account: string;
      readonly user: string;
      readonly alg: string;
      readonly timeUnit: 's' | 'ms';
      /** Issue time relative to the mock clock, seconds. */
      readonly iatOffset: number;
      readonly lifetime: number;
      readonly upperCase: boolean;
      readonly claims?: Readonly<Record<string, unknown>>;
      readonly header?: Readonly<Record<string, unknown>>;
      readonly tamper: 'none' | 'signature' | 'payload' | 'strip-signature' | 'extra-part' | 'padding';
    }
  | { readonly mode: 'forged'; readonly header: unknown; readonly payload: unknown; readonly signature: string; readonly parts?: number };

// ---- strings -------------------------------------------------------------------------------------

/** Values that have broken parsers before: separators, escapes, encodings, numbers in disguise, names of prototype members. */
export const NASTY_STRINGS: readonly string[] = [
  '', ' ', '\t', '\u0000', '%00', '%', '%%', '%zz', '%u0041', '+', '&', '=', '&&=&', ';', ',', '"', "'", '\\', '\\u0000', '\\ud800', '\r\n', '\n', '\u2028',
  '\ud800', '\udfff', '\ufeff', '\uffff', '🦄', 'é', 'İ', 'ǅ', 'ß', '\u202e', '<script>', '</html>', '${x}', '{{x}}', '`', '../', '..\\', '/..', '//', '/./',
  'null', 'undefined', 'true', 'NaN', 'Infinity', '-0', '0', '-1', '1e309', '9007199254740993', '0x10', '1_000', ' 1 ', '08',
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'toJSON', 'hasOwnProperty', 'then',
  'SELECT 1', "SELECT 'x'", '--', '/*', '*/', '$$', "''", '""', 'a'.repeat(256), 'A'.repeat(1025),
];

/** Random text of every kind fast-check has: ASCII, any code unit (lone surrogates included), graphemes. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 10 }), fc.constantFrom(...NASTY_STRINGS)).map(([a, b, c]) => a + b + c) },
);

/** Units a huge string is made of: one byte, two bytes, four bytes, an escape, a percent-escape, and the separators parsers loop on. */
export const HUGE_UNITS = ['a', 'é', '🦄', '\\u0041', '%41', '\\"', ' ', ';', '.', '9', "''", '(', '-', '/*', '$', '\t', '=', 'a ', '/', '*', ',', '%'] as const;

/**
 * Sizes of huge values: `full` up to past the 4 MiB body limit, `small` keeps a quick run quick.
 *
 * @example
 * hugeMarker('small') // an arbitrary of strings like '@@HUGE(70000,a)@@'
 */
export function hugeMarker(scale: Scale): fc.Arbitrary<string> {
  const sizes = scale === 'full' ? [70_000, 300_000, 1_100_000, 3_000_000, 4_200_000] : [20_000, 70_000, 300_000];
  return fc.tuple(fc.constantFrom(...sizes), fc.constantFrom(...HUGE_UNITS)).map(([n, u]) => `@@HUGE(${n},${u})@@`);
}

/** Deep nesting kinds: arrays, objects, mixed, and unbalanced (opening only). */
export const DEEP_KINDS = ['a', 'o', 'm', 'u'] as const;

/**
 * A JSON value nested `n` deep, as a string marker expanded at send time (the quotes go too).
 *
 * @example
 * deepMarker('full') // an arbitrary of '@@DEEP(5000,o)@@'
 */
export function deepMarker(scale: Scale): fc.Arbitrary<string> {
  const depths = scale === 'full' ? [65, 200, 5000, 50_000] : [65, 200, 5000];
  return fc.tuple(fc.constantFrom(...depths), fc.constantFrom(...DEEP_KINDS)).map(([n, k]) => `@@DEEP(${n},${k})@@`);
}

/** How big the fuzz makes things: `full` for `npm run fuzz`, `small` for the test suite. */
export type Scale = 'small' | 'full';

// ---- JSON ----------------------------------------------------------------------------------------

/**
 * A JSON value of the wrong kind for any field: numbers, booleans, null, arrays, objects, nasty
 * and huge strings, deep nesting, objects whose keys are prototype member names.
 *
 * @example
 * fc.sample(wrongValue('small'), 3)
 */
export function wrongValue(scale: Scale): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: anyText },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 2 ** 53 + 1, 1e308, -1e308, 5e-324)) },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'toJSON', 'length', '0'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) },
    { weight: 1, arbitrary: hugeMarker(scale) },
    { weight: 1, arbitrary: deepMarker(scale) },
  );
}

/** A path into a JSON object: keys, and indexes of arrays. */
type JsonPath = readonly (string | number)[];

function pathsOf(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

function withValueAt(root: unknown, path: JsonPath, change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path[path.length - 1]!);
  return copy;
}

/**
 * JSON text of a template with one thing wrong: a field of the wrong type, missing, an extra or
 * repeated key, a structural break in the text, or no JSON at all.
 *
 * @example
 * fuzzedJson(fc.constant({ statement: 'SELECT 1' }), 'small') // '{"statement":7}', '{"statement":"SELECT 1"', …
 */
export function fuzzedJson(template: fc.Arbitrary<Record<string, unknown>>, scale: Scale): fc.Arbitrary<string> {
  return template.chain((t) => {
    const paths = pathsOf(t);
    const valid = fc.constant(JSON.stringify(t));
    const field = paths.length === 0 ? valid : fc.tuple(fc.constantFrom(...paths), wrongValue(scale)).map(([p, v]) => JSON.stringify(withValueAt(t, p, (o, k) => void (o[k] = v))));
    const missing = paths.length === 0 ? valid : fc.constantFrom(...paths).map((p) => JSON.stringify(withValueAt(t, p, (o, k) => void delete o[k])));
    const extra = fc.tuple(anyText, wrongValue(scale)).map(([k, v]) => JSON.stringify({ ...t, [k]: v }));
    // JSON.parse keeps the last of two equal keys: the second value is the one that counts.
    const repeated = paths.length === 0 ? valid : fc.tuple(fc.constantFrom(...Object.keys(t)), wrongValue(scale)).map(([k, v]) => JSON.stringify(t).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v)},`));
    const text = fc.tuple(fc.constant(JSON.stringify(t)), fc.nat(), textDamage).map(([s, at, damage]) => damage(s, at % (s.length + 1)));
    return fc.oneof(
      { weight: 5, arbitrary: field },
      { weight: 2, arbitrary: missing },
      { weight: 1, arbitrary: extra },
      { weight: 1, arbitrary: repeated },
      { weight: 2, arbitrary: text },
      { weight: 2, arbitrary: notTheJson(scale) },
    );
  });
}

/** Damage to JSON text at a position. */
const textDamage: fc.Arbitrary<(s: string, at: number) => string> = fc.oneof(
  fc.constant((s: string, at: number) => s.slice(0, at)),
  fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', '\ud800', '/*x*/', 'NaN', "'").map((c) => (s: string, at: number) => s.slice(0, at) + c + s.slice(at)),
  fc.constant((s: string) => `\ufeff${s}`),
  fc.constant((s: string) => `${s} trailing`),
  fc.constant((s: string) => `${s}${s}`),
  fc.constant((s: string) => s.replace(/"/g, "'")),
);

/**
 * Bodies that are not the JSON object an endpoint wants: other JSON, text, deep or huge values.
 *
 * @example
 * fc.sample(notTheJson('small'), 5)
 */
export function notTheJson(scale: Scale): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('', ' ', 'null', 'true', '0', '[]', '{}', '""', '[{}]', '{"a":}', '{', '}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', 'undefined', 'a=b&c=d'),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    anyText,
    deepMarker(scale).map((m) => `"${m}"`),
    deepMarker(scale).map((m) => `{"data":"${m}","statement":"${m}","sqlText":"${m}"}`),
    hugeMarker(scale).map((m) => `"${m}"`),
  );
}

// ---- forms ---------------------------------------------------------------------------------------

/** Form fields, in order (repeats allowed). */
export type FormFields = readonly (readonly [string, string])[];

/**
 * An urlencoded form (or query string) of fields, placeholders and size markers left as they are.
 *
 * @example
 * encodeForm([['grant_type', 'client_credentials'], ['scope', 'read write']]) // 'grant_type=client_credentials&scope=read+write'
 */
export function encodeForm(fields: FormFields): string {
  return fields.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

/**
 * An urlencoded form built from a template with one thing wrong: a field repeated
 * (`grant_type=a&grant_type=b`), missing, of another value, an extra field, or broken encoding.
 *
 * @example
 * fuzzedForm(fc.constant([['grant_type', 'client_credentials']]), 'small')
 */
export function fuzzedForm(template: fc.Arbitrary<FormFields>, scale: Scale): fc.Arbitrary<string> {
  return template.chain((fields) => {
    const encode = encodeForm;
    const n = fields.length;
    const index = fc.nat({ max: Math.max(0, n - 1) });
    const value = fc.oneof({ weight: 4, arbitrary: anyText }, { weight: 1, arbitrary: hugeMarker(scale) });
    return fc.oneof(
      { weight: n === 0 ? 0 : 3, arbitrary: fc.tuple(index, value).map(([i, v]) => encode(fields.map((f, j) => (j === i ? [f[0], v] : f)))) },
      { weight: n === 0 ? 0 : 2, arbitrary: fc.tuple(index, value).map(([i, v]) => encode([...fields, [fields[i]![0], v]])) },
      { weight: n === 0 ? 0 : 2, arbitrary: index.map((i) => encode(fields.filter((_, j) => j !== i))) },
      { weight: 1, arbitrary: fc.tuple(anyText, value).map(([k, v]) => encode([...fields, [k, v]])) },
      // Raw text: broken percent-escapes and separators the encoder would never produce.
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom('%', '%zz', '%e9', '%ed%a0%80', '&&', '==', '=', '+', ';', '%00', '\r\n', 'é'), fc.nat()).map(([junk, at]) => {
        const s = encode(fields);
        const i = at % (s.length + 1);
        return s.slice(0, i) + junk + s.slice(i);
      }) },
      { weight: 1, arbitrary: notTheJson(scale) },
    );
  });
}

/**
 * Percent-encoding as forms do (space as +), leaving `{{NAME}}` placeholders and size markers as
 * they are (they are filled in at send time); unpaired surrogates, which encodeURIComponent
 * refuses, are sent as their raw UTF-16 escape.
 */
function enc(s: string): string {
  return s.split(/(\{\{[A-Z_]+\}\}|@@[A-Z]+\(\d+,[^)]*\)@@)/).map((part, i) => (i % 2 === 1 ? part : encPart(part))).join('');
}

function encPart(s: string): string {
  try {
    return encodeURIComponent(s).replace(/%20/g, '+');
  } catch {
    return s.replace(/[\ud800-\udfff]/g, (c) => `%u${c.charCodeAt(0).toString(16)}`);
  }
}

// ---- wire-level pieces ---------------------------------------------------------------------------

/** HTTP methods: the endpoint's, the other standard ones, methods node's parser knows, and tokens it does not. */
export const ODD_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'PROPFIND', 'PURGE', 'SEARCH', 'M-SEARCH', 'LOCK', 'QUERY', 'FOO', 'get', 'Post', 'X-CUSTOM', 'G', 'GET\u00e9'] as const;

/**
 * Another method than the endpoint's: standard ones, ones node's parser knows, tokens it does not.
 *
 * @example
 * oddMethod()
 */
export function oddMethod(): fc.Arbitrary<string> {
  return fc.constantFrom(...ODD_METHODS);
}

/**
 * Odd variations of a path: doubled and trailing slashes, dot segments, percent-escapes, NUL,
 * other case, unicode (raw UTF-8 and escaped), very long.
 *
 * @example
 * oddPath('/api/v2/statements')
 */
export function oddPath(path: string): fc.Arbitrary<string> {
  const odd: fc.Arbitrary<(p: string) => string>[] = [
    fc.constant((p: string) => `/${p}`),
    fc.constant((p: string) => `${p}/`),
    fc.constant((p: string) => `${p}//`),
    fc.constant((p: string) => p.replace(/\//g, '//')),
    fc.constant((p: string) => `/x/..${p}`),
    fc.constant((p: string) => `/.${p}`),
    fc.constant((p: string) => p.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)),
    fc.constant((p: string) => p.replace(/\//g, '%2F')),
    fc.constant((p: string) => `${p}%00`),
    fc.constant((p: string) => `${p}/%00/x`),
    fc.constant((p: string) => p.toUpperCase()),
    fc.constant((p: string) => `${p}/🦄`),
    fc.constant((p: string) => `${p}/%F0%9F%A6%84`),
    fc.constant((p: string) => `${p}/%ff%fe`),
    fc.constant((p: string) => `${p};jsessionid=1`),
    fc.constant((p: string) => `${p}#frag`),
    fc.constant((p: string) => `${p}/${'a'.repeat(8000)}`),
    // Runs of one separator inside the path, for regexes anchored at the end (`/\/+$/` tries every run).
    fc.tuple(fc.constantFrom('/', ';', '.', '%2F'), fc.constantFrom('x', 'x/')).map(([sep, end]) => (p: string) => `${p}${sep.repeat(Math.floor(12_000 / sep.length))}${end}`),
    fc.constant((p: string) => p.replace(/^\//, '')),
    fc.constant((p: string) => `http://myorg-myaccount.localhost${p}`),
    fc.constant((p: string) => `${p}/..`),
    fc.constant((p: string) => `${p}\\`),
  ];
  return fc.oneof(...odd).map((f) => f(path));
}

/**
 * A query string broken, repeated, or huge.
 *
 * @example
 * oddQuery(fc.constant('async=true'), 'small')
 */
export function oddQuery(query: fc.Arbitrary<string>, scale: Scale): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom('?', '?&', '?=', '?a', '?%zz=%zz', '?a=1&a=2', '?delete=true&delete=false', '?requestId=x&requestId=y', '?async=TRUE', '?async=true&async=false', '?%00=%00', '?limit=-1', '?since=-1', '?since=99999999999999999', '?page=1e309', '??', '?a=🦄') },
    { weight: 1, arbitrary: fc.tuple(query, anyText, anyText).map(([q, k, v]) => `${q}${q.includes('?') ? '&' : '?'}${enc(k)}=${enc(v)}`) },
    // Long query strings: under and over node's 16 KiB header limit, which the request line counts in.
    { weight: 1, arbitrary: fc.tuple(query, fc.constantFrom(3000, scale === 'full' ? 12_000 : 6000, 17_000), fc.constantFrom('a', '%41', 'é')).map(([q, n, u]) => `${q}${q.includes('?') ? '&' : '?'}x=@@HUGE(${n},${u})@@`) },
  );
}

/** Content-Type values for a JSON body, right and wrong. */
export const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=latin1', ' application/json ', 'application/json;;;',
  'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8', 'text/plain', 'text/html', 'multipart/form-data; boundary=x',
  'application/jsonx', 'json', '*/*', '', ';', 'application/json, text/plain', 'application/vnd.snowflake+json', 'application/json\u00e9',
] as const;

/**
 * Headers with one changed: another value of a known header, a header dropped, an odd header
 * added (Content-Encoding, Origin, a browser's User-Agent, Expect, a huge value, a repeated name).
 *
 * @example
 * oddHeaders([['content-type', 'application/json']], 'small')
 */
export function oddHeaders(base: readonly (readonly [string, string])[], scale: Scale): fc.Arbitrary<readonly (readonly [string, string])[]> {
  const extra: fc.Arbitrary<readonly [string, string]> = fc.oneof(
    fc.constantFrom(...CONTENT_TYPES).map((v) => ['content-type', v] as const),
    fc.constantFrom('gzip', 'GZIP', 'gzip, deflate', 'deflate', 'br', 'identity', 'x-gzip', '').map((v) => ['content-encoding', v] as const),
    fc.constantFrom('application/json', 'text/html', '*/*', 'application/*', 'application/snowflake', '').map((v) => ['accept', v] as const),
    fc.constantFrom('KEYPAIR_JWT', 'OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN', 'keypair_jwt', ' OAUTH ', 'WORKLOAD_IDENTITY_FEDERATION', 'PAT', '', 'é').map((v) => ['x-snowflake-authorization-token-type', v] as const),
    fc.constantFrom('http://evil.example', 'null', 'http://127.0.0.1', 'not a url').map((v) => ['origin', v] as const),
    fc.constant(['user-agent', 'Mozilla/5.0 (X11; Linux x86_64)'] as const),
    fc.constantFrom('same-origin', 'cross-site').map((v) => ['sec-fetch-site', v] as const),
    fc.constantFrom('10.0.0.5', '10.0.0.99', '::1', 'garbage', '1.2.3.4, 5.6.7.8').map((v) => ['x-forwarded-for', v] as const),
    fc.constantFrom('100-continue', 'foo', '200-ok').map((v) => ['expect', v] as const),
    fc.constant(['connection', 'close'] as const),
    fc.tuple(fc.constantFrom('x-fuzz', 'authorization', 'cookie', 'x-snowflake-authorization-token-type'), fc.constantFrom(scale === 'full' ? 15_000 : 12_000, 20_000)).map(([name, n]) => [name, 'x'.repeat(n)] as const),
    fc.tuple(fc.constantFrom('x-fuzz', 'accept', 'content-type'), anyText).map(([name, v]) => [name, latin1(v)] as const),
  );
  const dropOne = base.length === 0 ? fc.constant(base) : fc.nat({ max: base.length - 1 }).map((i) => base.filter((_, j) => j !== i));
  return fc.oneof(
    { weight: 2, arbitrary: dropOne },
    { weight: 3, arbitrary: extra.map((h) => [...base.filter(([n]) => n !== h[0]), h]) },
    // The same name twice: node joins repeated headers with ", ".
    { weight: 1, arbitrary: extra.map((h) => [...base, h]) },
  );
}

/**
 * A header value any client can send: the text's UTF-8 bytes, one character per byte (node
 * writes header values as latin1), without the CR, LF and NUL no header may hold.
 *
 * @example
 * latin1('é') // 'Ã©': the bytes C3 A9 on the wire
 */
export function latin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1').replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/**
 * A body put on the wire oddly: gzip (right, truncated, corrupt, a bomb, twice), invalid UTF-8
 * bytes after the text, or chunked.
 *
 * @example
 * oddWrap(fc.constant('{"statement":"SELECT 1"}'))
 */
export function oddWrap(text: fc.Arbitrary<string>): fc.Arbitrary<BodySpec> {
  const gzip = fc.constantFrom<BodyWrap>('gzip', 'gzip', 'gzip-truncated', 'gzip-corrupt', 'gzip-magic-garbage', 'gzip-bomb', 'gzip-twice');
  const bytes = fc.oneof(
    fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x00], [0xef, 0xbb, 0xbf], [0x80, 0x80, 0x80]),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a) => [...a]),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(text, gzip).map(([t, wrap]): BodySpec => ({ text: t, wrap })) },
    { weight: 2, arbitrary: fc.tuple(text, bytes).map(([t, b]): BodySpec => ({ text: t, bytes: b, wrap: 'plain' })) },
    { weight: 1, arbitrary: text.map((t): BodySpec => ({ text: t, wrap: 'plain', chunked: true })) },
  );
}

// ---- tokens --------------------------------------------------------------------------------------

/** base64url of text or bytes. */
const b64u = (data: string | Uint8Array): string => Buffer.from(data).toString('base64url');

/**
 * Bogus tokens of every kind: JWT-shaped base64url, `alg: none`, nested and huge claims, PAT- and
 * OAuth-shaped strings, padding and whitespace, binary.
 *
 * @example
 * fc.sample(bogusToken('small'), 5)
 */
export function bogusToken(scale: Scale): fc.Arbitrary<string> {
  const part = fc.uint8Array({ maxLength: 48 }).map(b64u);
  return fc.oneof(
    fc.tuple(part, part, part).map(([a, b, c]) => `${a}.${b}.${c}`),
    fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 4 })).map(([h, p]) => `${b64u(JSON.stringify(h))}.${b64u(JSON.stringify(p))}.`),
    fc.constantFrom('pat-alice-ci ', 'PAT-ALICE-CI', 'pat-alice-c', 'pat-', 'ver:1-hint:1-ETMsDgAAAA', 'oauth-alice-tokenx', 'eyJ', 'eyJ.eyJ.', '...', 'a.b', 'a.b.c.d.e', 'Bearer', '=', '=='),
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'.split('')), minLength: 1, maxLength: 300 }),
    fc.constantFrom(scale === 'full' ? 14_000 : 8_000).map((n) => `eyJ${'A'.repeat(n)}.eyJ${'B'.repeat(n)}.${'C'.repeat(100)}`),
    anyText.map(latin1),
  );
}

/** Claims values that are not what a key-pair JWT carries. */
function oddClaims(scale: Scale): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    fc.record({ iss: wrongValue(scale) }),
    fc.record({ sub: wrongValue(scale) }),
    fc.record({ iat: wrongValue(scale) }),
    fc.record({ exp: wrongValue(scale) }),
    fc.record({ nbf: wrongValue(scale) }),
    fc.record({ aud: wrongValue(scale) }),
    fc.constantFrom({ iss: undefined }, { sub: undefined }, { exp: undefined }, { iat: undefined }, { iat: 1e21 }, { exp: -1 }, { iat: 0.5 }, { exp: 'soon' }),
    fc.dictionary(anyText, wrongValue(scale), { maxKeys: 3 }),
  );
}

/** Users and accounts a JWT may name: the world's, in other spellings, and none of them. */
const JWT_ACCOUNTS = ['MYORG-MYACCOUNT', 'XY12345', 'myorg-myaccount', 'MYORG.MYACCOUNT', 'OTHER', '', 'MYORG-MYACCOUNT.EXTRA'];
const JWT_USERS = ['ALICE', 'ETL_BOT', 'BOB', 'CAROL', 'alice', 'MALLORY', '', 'ALICE.X'];

/**
 * A key-pair JWT spec signed with the key of the user it names, on the mock clock: valid for
 * ALICE and ETL_BOT (BOB's network policy refuses loopback).
 *
 * @example
 * validJwtSpec() // { mode: 'signed', key: 'alice', user: 'ALICE', … }
 */
export function validJwtSpec(): fc.Arbitrary<JwtSpec> {
  const owner = fc.constantFrom(['alice', 'ALICE'], ['etl-bot', 'ETL_BOT'], ['bob', 'BOB']) as fc.Arbitrary<[FixtureKey, string]>;
  return fc.tuple(owner, fc.constantFrom<'s' | 'ms'>('s', 's', 'ms'), fc.integer({ min: -30, max: 0 })).map(([[key, user], timeUnit, iatOffset]): JwtSpec => ({
    mode: 'signed', key, account: 'MYORG-MYACCOUNT', user, alg: 'RS256', timeUnit, iatOffset, lifetime: 3540, upperCase: true, tamper: 'none',
  }));
}

/**
 * A key-pair JWT spec with something wrong: another key, account or user, algorithm, times,
 * claims, header, a tampered token, or a JWT-shaped token built by hand.
 *
 * @example
 * jwtSpecArb('small')
 */
export function jwtSpecArb(scale: Scale): fc.Arbitrary<JwtSpec> {
  const owner = fc.constantFrom(['alice', 'ALICE'], ['etl-bot', 'ETL_BOT'], ['bob', 'BOB']) as fc.Arbitrary<[FixtureKey, string]>;
  const signed = owner.chain(([key, user]) =>
    fc.record({
      key: fc.oneof({ weight: 8, arbitrary: fc.constant(key) }, { weight: 1, arbitrary: fc.constantFrom<FixtureKey>('alice', 'alice-rotated', 'bob', 'etl-bot', 'ec-p256', 'weak-1024') }),
      fingerprintOf: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<FixtureKey>('alice', 'bob', 'etl-bot') }),
      account: fc.oneof({ weight: 8, arbitrary: fc.constant('MYORG-MYACCOUNT') }, { weight: 1, arbitrary: fc.constantFrom(...JWT_ACCOUNTS) }),
      user: fc.oneof({ weight: 8, arbitrary: fc.constant(user) }, { weight: 1, arbitrary: fc.constantFrom(...JWT_USERS) }),
      alg: fc.oneof({ weight: 10, arbitrary: fc.constant('RS256') }, { weight: 1, arbitrary: fc.constantFrom('RS384', 'RS512', 'ES256', 'HS256', 'none', 'PS256') }),
      timeUnit: fc.constantFrom<'s' | 'ms'>('s', 's', 'ms'),
      iatOffset: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -30, max: 0 }) }, { weight: 1, arbitrary: fc.constantFrom(-61, -3600, 61, 86_400 * 365, -(2 ** 31), 2 ** 40) }),
      lifetime: fc.oneof({ weight: 8, arbitrary: fc.constant(3540) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 3601, 86_400, 2 ** 53) }),
      upperCase: fc.oneof({ weight: 10, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      claims: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: oddClaims(scale) }),
      header: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('typ', 'kid', 'crit', 'jwk', 'x5u', 'b64', 'zip'), wrongValue(scale), { maxKeys: 2 }) }),
      tamper: fc.oneof({ weight: 10, arbitrary: fc.constant<'none'>('none') }, { weight: 1, arbitrary: fc.constantFrom('signature', 'payload', 'strip-signature', 'extra-part', 'padding') }),
    }).map((r): JwtSpec => ({ mode: 'signed', ...r })),
  );
  const forged = fc.record({
    header: fc.oneof(fc.constant({ alg: 'none', typ: 'JWT' }), fc.constant({ alg: 'RS256', typ: 'JWT' }), fc.jsonValue({ maxDepth: 3 })),
    payload: fc.oneof(
      fc.record({ iss: fc.constantFrom('MYORG-MYACCOUNT.ALICE.SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=', 'MYORG-MYACCOUNT.ALICE.SHA256:', 'X.Y.Z'), sub: fc.constantFrom('MYORG-MYACCOUNT.ALICE', 'A.B'), iat: fc.integer(), exp: fc.integer() }),
      fc.jsonValue({ maxDepth: 5 }),
      deepMarker(scale).map((m) => ({ iss: m, sub: m })),
    ),
    signature: fc.oneof(fc.constant(''), fc.uint8Array({ maxLength: 256 }).map(b64u), fc.constant('!!!'), fc.constant('A'.repeat(342))),
    parts: fc.constantFrom(3, 3, 3, 2, 4, 5),
  }).map((r): JwtSpec => ({ mode: 'forged', ...r }));
  return fc.oneof({ weight: 4, arbitrary: signed }, { weight: 1, arbitrary: forged });
}
