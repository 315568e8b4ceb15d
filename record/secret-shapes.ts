/**
 * Secrets recognised inside any text, by shape or by the name written next to them: PEM private
 * keys (RFC 7468), JWT signatures, `Bearer`/`Basic`/`Snowflake Token=` credentials (RFC 6750,
 * RFC 7617, Snowflake's session header), SQL `PASSWORD = '…'`-style literals, URL and form
 * parameters, JSON members inside strings, HTML hidden inputs, Snowflake's `ver:1-hint:` tokens and
 * the mock's own `pat-…` secrets. Each hit is a span of the text, so only the secret is replaced.
 */
import type { SecretKind } from './format.ts';
import { decodeSegment, JWT_IN_TEXT } from './jwt.ts';
import { secretKindOfField, secretKindOfName } from './secret-names.ts';

/**
 * A secret found in a text: `value` is the secret itself, `start`/`end` what to replace (they differ
 * when the text holds it encoded).
 *
 * @example
 * shapeSpans('/cb?code=a%2Fb12345', true)[0] // { start: 9, end: 19, value: 'a/b12345', kind: 'oauth_code', rule: 'parameter code' }
 */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly value: string;
  readonly kind: SecretKind;
  /** The rule that found it, for messages. */
  readonly rule: string;
}

const PLACEHOLDER_ONLY = /^(?:__redacted_[a-z_]+?_\d+__|redacted-[a-z]+(?:-[a-z]+)*-\d+)+$/;

/**
 * True for a text that is nothing but placeholders: already redacted, so no finding.
 *
 * @example
 * isPlaceholderOnly('__redacted_pat_1__') // true
 */
export function isPlaceholderOnly(text: string): boolean {
  return PLACEHOLDER_ONLY.test(text);
}

type Rule = (text: string, snowflake: boolean) => Span[];

const span = (start: number, end: number, value: string, kind: SecretKind, rule: string): Span => ({ start, end, value, kind, rule });

const pem: Rule = (text) =>
  [...text.matchAll(/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:[\s\S]*?-----END \1PRIVATE KEY-----|[\s\S]*$)/g)].map((m) =>
    // Inside JSON text the line breaks are `\n`: the key is the same one, so it gets the same placeholder.
    span(m.index, m.index + m[0].length, m[0].replace(/\\r/g, '\r').replace(/\\n/g, '\n').replace(/\\\//g, '/'), 'private_key', 'PEM private key'),
  );

const jwt: Rule = (text) =>
  [...text.matchAll(JWT_IN_TEXT)]
    .filter((m) => m[1] !== '' && decodeSegment(m[0].slice(0, m[0].indexOf('.'))) !== undefined)
    .map((m) => span(m.index + m[0].length - m[1]!.length, m.index + m[0].length, m[1]!, 'jwt_signature', 'JWT signature'));

/**
 * What a bearer token is when nothing says more: Snowflake treats an untyped one as OAuth
 * (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating).
 *
 * @example
 * bearerKind(false) // 'provider_token'
 */
export function bearerKind(snowflake: boolean): SecretKind {
  return snowflake ? 'access_token' : 'provider_token';
}

const schemes: Rule = (text, snowflake) => {
  const out: Span[] = [];
  for (const m of text.matchAll(/\bBearer\s+([A-Za-z0-9._~+/=_-]{8,})/gd)) {
    if (/[0-9._~+/=-]/.test(m[1]!) && !/^eyJ/.test(m[1]!)) out.push(span(m.indices![1]![0], m.indices![1]![1], m[1]!, bearerKind(snowflake), 'Bearer credentials'));
  }
  for (const m of text.matchAll(/\bSnowflake\s+Token\s*=\s*\\?"?([^"\\\s,]+)/gd)) out.push(span(m.indices![1]![0], m.indices![1]![1], m[1]!, 'session_token', 'Snowflake Token header'));
  for (const m of text.matchAll(/\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/gd)) {
    if (basicCredentials(m[1]!)) out.push(span(m.indices![1]![0], m.indices![1]![1], m[1]!, 'authorization', 'Basic credentials'));
  }
  return out;
};

/**
 * `id:secret` of Basic credentials (RFC 7617 §2), or undefined when the text is not base64 of one.
 *
 * @example
 * basicCredentials(btoa('my-app-client:s3cret')) // { id: 'my-app-client', secret: 's3cret' }
 */
export function basicCredentials(token: string): { id: string; secret: string } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 || /[\u0000-\u001f\ufffd]/.test(text) ? undefined : { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

const sql: Rule = (text) => {
  const out: Span[] = [];
  for (const m of text.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'((?:[^'\\]|''|\\.)*)'|\$\$([\s\S]*?)\$\$)/gd)) {
    const kind = secretKindOfName(m[1]!, 'sql');
    const group = m[2] !== undefined ? 2 : 3;
    const raw = m[group]!;
    if (kind && raw !== '') out.push(span(m.indices![group]![0], m.indices![group]![1], group === 2 ? raw.replace(/''/g, "'") : raw, kind, `SQL ${m[1]!.toUpperCase()} literal`));
  }
  for (const m of text.matchAll(/SYSTEM\$DECODE_PAT\s*\(\s*'([^']+)'/gdi)) out.push(span(m.indices![1]![0], m.indices![1]![1], m[1]!, 'pat', 'SYSTEM$DECODE_PAT argument'));
  return out;
};

/**
 * Decodes a URL or form component (`+` is a space in forms); the raw text when it is not valid.
 *
 * @example
 * decodeComponent('a+b%2Fc') // 'a b/c'
 * decodeComponent('%zz')     // '%zz'
 */
export function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * `name=value` pairs of a query string, form body, URL fragment or JDBC-style URL inside a text,
 * with where each raw value is.
 *
 * @example
 * [...paramPairs('/cb?code=abc&state=1')].map((p) => p.name) // ['code', 'state']
 */
export function* paramPairs(text: string): Generator<{ name: string; raw: string; start: number; end: number }> {
  for (const m of text.matchAll(/(?:^|[?&#;])([A-Za-z_][A-Za-z0-9_.[\]-]*)=([^&#;\s"'<>]*)/gd)) {
    yield { name: decodeComponent(m[1]!), raw: m[2]!, start: m.indices![2]![0], end: m.indices![2]![1] };
  }
}

const params: Rule = (text, snowflake) =>
  [...paramPairs(text)].flatMap((p) => {
    const kind = secretKindOfName(p.name, 'form', snowflake);
    return kind && p.raw !== '' ? [span(p.start, p.end, decodeComponent(p.raw), kind, `parameter ${p.name}`)] : [];
  });

const jsonMembers: Rule = (text, snowflake) => {
  const out: Span[] = [];
  for (const m of text.matchAll(/"([A-Za-z_][\w$.-]*)"\s*:\s*"((?:[^"\\]|\\.)*)"/gd)) {
    const value = unescapeJson(m[2]!);
    const kind = secretKindOfField(m[1]!, value, 'json', snowflake);
    if (kind && m[2] !== '') out.push(span(m.indices![2]![0], m.indices![2]![1], value, kind, `JSON member ${m[1]!}`));
  }
  return out;
};

function unescapeJson(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>' };

const htmlInputs: Rule = (text, snowflake) => {
  const out: Span[] = [];
  for (const tag of text.matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname\s*=\s*["']([^"']*)["']/i.exec(tag[0])?.[1];
    const value = /\bvalue\s*=\s*(["'])([^"']*)\1/di.exec(tag[0]);
    const kind = name === undefined ? undefined : secretKindOfName(name, 'form', snowflake);
    if (!kind || !value || value[2] === '') continue;
    const at = tag.index + value.indices![2]![0];
    out.push(span(at, at + value[2]!.length, value[2]!.replace(/&(amp|quot|#39|lt|gt);/g, (e) => HTML_ENTITIES[e]!), kind, `HTML input ${name!}`));
  }
  return out;
};

const tokens: Rule = (text) => [
  ...[...text.matchAll(/ver:\d+-hint:[A-Za-z0-9+/=_.-]+/g)].map((m) => span(m.index, m.index + m[0].length, m[0], 'secret', 'Snowflake token')),
  ...[...text.matchAll(/\bpat-[A-Za-z0-9]{20,}/g)].map((m) => span(m.index, m.index + m[0].length, m[0], 'pat', 'programmatic access token')),
];

const RULES: readonly Rule[] = [pem, jwt, schemes, sql, params, jsonMembers, htmlInputs, tokens];

/**
 * Every secret the shape and name rules find in a text, in rule order (earlier rules win overlaps),
 * placeholders left out.
 *
 * @example
 * shapeSpans("ALTER USER a SET PASSWORD = 'hunter22'", true) // [{ start: 29, end: 37, value: 'hunter22', kind: 'password', rule: 'SQL PASSWORD literal' }]
 */
export function shapeSpans(text: string, snowflake: boolean): Span[] {
  if (text.length < 4) return [];
  return RULES.flatMap((rule) => rule(text, snowflake)).filter((s) => s.value !== '' && !isPlaceholderOnly(s.value));
}
