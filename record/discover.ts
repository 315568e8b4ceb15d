/**
 * Finding the secrets of one exchange, before anything is replaced: by where they are (the
 * `Authorization` header, a login request's `data.PASSWORD`, a form's `client_secret`, an SQL
 * result's `token_secret` column) and by shape anywhere (record/secret-shapes.ts). Redaction
 * replaces what this finds; the final scan runs it again on the redacted exchange and refuses the
 * file if it still finds anything.
 */
import type { Exchange, RecordedBody, SecretKind } from './format.ts';
import { isJwt, signatureStart } from './jwt.ts';
import { child, eachExchangeString } from './pointer.ts';
import { secretKindOfField, secretKindOfName } from './secret-names.ts';
import { basicCredentials, bearerKind, isPlaceholderOnly, shapeSpans, type Span } from './secret-shapes.ts';

/**
 * A secret at a place: replace `start`–`end` of the string at `pointer` (no span: a value known to be
 * secret, but not written there as such).
 *
 * @example
 * const f: Finding = { pointer: '/request/headers/authorization', start: 7, end: 19, value: 'pat-alice-ci', kind: 'pat', rule: 'Authorization: Bearer' }
 */
export interface Finding extends Omit<Span, 'start' | 'end'> {
  readonly pointer: string;
  readonly start?: number;
  readonly end?: number;
}

/** What is known of the exchange when reading its parts. */
interface Context {
  /** Snowflake's own endpoint (tokens are Snowflake's) rather than an OAuth provider's. */
  readonly snowflake: boolean;
  /** `POST /session/token-request`: its `Snowflake Token=` header carries the master token. */
  readonly renewal: boolean;
  /** `X-Snowflake-Authorization-Token-Type` (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating). */
  readonly tokenType: string | undefined;
}

const SNOWFLAKE_PATH = /^\/(api\/v2\/|session(\/|$)|queries\/|oauth\/(token-request|authorize|complete-secret|revoke)|telemetry\/|monitoring\/)/;

/**
 * True for the paths Snowflake itself serves (an account host's API), false for an OAuth provider's.
 *
 * @example
 * isSnowflakePath('/oauth/token-request') // true
 * isSnowflakePath('/oauth2/v1/token')     // false
 */
export function isSnowflakePath(path: string): boolean {
  return SNOWFLAKE_PATH.test(path);
}

/**
 * Every secret in an exchange, field rules first, then shapes; overlapping finds in one string keep
 * the earlier; placeholders are not findings.
 *
 * @example
 * discoverSecrets(raw).map((f) => `${f.pointer} ${f.kind}`) // ['/request/headers/authorization pat', …]
 */
export function discoverSecrets(exchange: Omit<Exchange, 'id'>): Finding[] {
  const path = exchange.request.url.split('?')[0] ?? '';
  const ctx: Context = {
    snowflake: isSnowflakePath(path),
    renewal: path === '/session/token-request',
    tokenType: exchange.request.headers['x-snowflake-authorization-token-type']?.toUpperCase(),
  };
  const found: Finding[] = [];
  headerRules(exchange.request.headers, '/request/headers', ctx, found);
  headerRules(exchange.response.headers, '/response/headers', ctx, found);
  bodyRules(exchange.request.body, '/request/body', 'request', ctx, found);
  bodyRules(exchange.response.body, '/response/body', 'response', ctx, found);
  eachExchangeString(exchange, (text, pointer, isKey) => {
    if (!isKey) for (const s of shapeSpans(text, ctx.snowflake)) found.push({ ...s, pointer });
  });
  return withoutOverlaps(found.filter((f) => f.value !== '' && !isPlaceholderOnly(f.value)));
}

function withoutOverlaps(found: readonly Finding[]): Finding[] {
  const kept: Finding[] = [];
  for (const f of found) {
    const clash = f.start !== undefined && kept.some((k) => k.pointer === f.pointer && k.start !== undefined && f.start! < k.end! && k.start < f.end!);
    if (!clash) kept.push(f);
  }
  return kept;
}

/** A whole value is the secret, except a JWT, whose signature alone is. */
function pushValue(found: Finding[], value: string, kind: SecretKind, pointer: string, rule: string, offset = 0): void {
  if (isJwt(value)) {
    const at = signatureStart(value);
    found.push({ pointer, start: offset + at, end: offset + value.length, value: value.slice(at), kind: 'jwt_signature', rule: `${rule} (JWT signature)` });
  } else found.push({ pointer, start: offset, end: offset + value.length, value, kind, rule });
}

function headerRules(headers: Readonly<Record<string, string>>, at: string, ctx: Context, found: Finding[]): void {
  for (const [name, value] of Object.entries(headers)) {
    const pointer = child(at, name);
    if (name === 'authorization' || name === 'proxy-authorization') authorization(value, pointer, ctx, found);
    else if (name === 'cookie') cookies(value, /;\s*/g, pointer, found);
    else if (name === 'set-cookie') setCookies(value, pointer, found);
    else if (SECRET_HEADER.test(name) && !PUBLIC_HEADERS.has(name)) pushValue(found, value, 'secret', pointer, `header ${name}`);
  }
}

const SECRET_HEADER = /token|secret|password|passwd|api-?key|credential/;
/** Headers with a secret-sounding name that carry none. */
const PUBLIC_HEADERS = new Set(['x-snowflake-authorization-token-type', 'www-authenticate']);

/** `Authorization: <scheme> <credentials>` (RFC 9110 §11.6.2): the scheme stays, the credentials go. */
function authorization(value: string, pointer: string, ctx: Context, found: Finding[]): void {
  const m = /^(\S+)\s+(.*)$/s.exec(value);
  if (!m) return pushValue(found, value, 'authorization', pointer, 'Authorization header');
  const scheme = m[1]!.toLowerCase();
  const offset = value.length - m[2]!.length;
  if (scheme === 'bearer') return pushValue(found, m[2]!, bearerTokenKind(ctx), pointer, 'Authorization: Bearer', offset);
  if (scheme === 'snowflake') {
    const t = /^Token\s*=\s*"?([^"]*)"?/.exec(m[2]!);
    if (t) return pushValue(found, t[1]!, ctx.renewal ? 'master_token' : 'session_token', pointer, 'Authorization: Snowflake Token', offset + m[2]!.indexOf(t[1]!));
  }
  pushValue(found, m[2]!, 'authorization', pointer, `Authorization: ${m[1]!}`, offset);
  const basic = scheme === 'basic' ? basicCredentials(m[2]!) : undefined;
  // RFC 6749 §2.3.1: the client secret is form-encoded before it is put in Basic credentials.
  if (basic && basic.secret !== '') found.push({ pointer, value: decodeURIComponentSafe(basic.secret), kind: 'client_secret', rule: 'client secret in Basic credentials' });
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function bearerTokenKind(ctx: Context): SecretKind {
  if (ctx.tokenType === 'PROGRAMMATIC_ACCESS_TOKEN') return 'pat';
  return ctx.tokenType === 'OAUTH' || ctx.tokenType === undefined ? bearerKind(ctx.snowflake) : 'secret';
}

/** Every `name=value` of a Cookie header (RFC 6265 §4.2): the values go, the names stay. */
function cookies(value: string, separator: RegExp, pointer: string, found: Finding[], base = 0): void {
  let at = 0;
  for (const part of value.split(separator)) {
    const start = value.indexOf(part, at);
    at = start + part.length;
    const eq = part.indexOf('=');
    const cookie = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (cookie !== '') found.push({ pointer, start: base + start + eq + 1, end: base + start + eq + 1 + cookie.length, value: cookie, kind: 'cookie', rule: 'cookie' });
  }
}

/** Set-Cookie (RFC 6265 §4.1): only each cookie's own value; attributes such as Path and Expires stay. Several are joined with `, `. */
function setCookies(value: string, pointer: string, found: Finding[]): void {
  let at = 0;
  for (const one of value.split(/,\s*(?=[^;,=\s]+=)/)) {
    const start = value.indexOf(one, at);
    at = start + one.length;
    const first = one.split(';', 1)[0]!;
    cookies(first, /$^/, pointer, found, start);
  }
}

function bodyRules(body: RecordedBody | undefined, at: string, side: 'request' | 'response', ctx: Context, found: Finding[]): void {
  if (!body) return;
  if ('json' in body) jsonRules(body.json, `${at}/json`, side, ctx, found);
  else if ('form' in body) {
    body.form.forEach(([name, value], i) => {
      const kind = secretKindOfName(name, 'form', ctx.snowflake);
      if (kind && value !== '') pushValue(found, value, kind, `${at}/form/${i}/1`, `form field ${name}`);
    });
  }
}

function jsonRules(value: unknown, pointer: string, side: 'request' | 'response', ctx: Context, found: Finding[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => jsonRules(v, child(pointer, i), side, ctx, found));
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(object)) {
    const here = child(pointer, key);
    if (typeof v !== 'string') jsonRules(v, here, side, ctx, found);
    else if (v !== '') {
      const kind = jsonKind(key, v, object, pointer, side, ctx);
      if (kind) pushValue(found, v, kind, here, `${side} field ${key}`);
    }
  }
  resultRows(object, pointer, found);
}

/**
 * A login request's `data.TOKEN` is whatever its AUTHENTICATOR says; a login response's
 * `data.token` is the session token (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating,
 * and the drivers' login: decisions/0006).
 */
function jsonKind(key: string, value: string, object: Record<string, unknown>, pointer: string, side: 'request' | 'response', ctx: Context): SecretKind | undefined {
  if (key.toLowerCase() === 'token') {
    if (side === 'request' && typeof object.AUTHENTICATOR === 'string') return AUTHENTICATOR_TOKEN[object.AUTHENTICATOR.toUpperCase()] ?? 'secret';
    if (side === 'response' && pointer === '/response/body/json/data') return 'session_token';
  }
  return secretKindOfField(key, value, 'json', ctx.snowflake);
}

const AUTHENTICATOR_TOKEN: Readonly<Record<string, SecretKind>> = {
  OAUTH: 'access_token', PROGRAMMATIC_ACCESS_TOKEN: 'pat', ID_TOKEN: 'id_token', SNOWFLAKE_JWT: 'secret', EXTERNALBROWSER: 'secret',
};

/**
 * Secret columns of an SQL result: the SQL API's `resultSetMetaData.rowType` + `data`
 * (https://docs.snowflake.com/en/developer-guide/sql-api/reference) and the drivers' `rowtype` +
 * `rowset`. `ALTER USER … ADD PROGRAMMATIC ACCESS TOKEN` returns the secret in `token_secret`.
 */
function resultRows(object: Record<string, unknown>, pointer: string, found: Finding[]): void {
  const meta = object.resultSetMetaData as { rowType?: unknown } | undefined;
  const [columns, rowsKey] = Array.isArray(object.rowtype) ? [object.rowtype, 'rowset'] : [meta?.rowType, 'data'];
  const rows = object[rowsKey];
  if (!Array.isArray(columns) || !Array.isArray(rows)) return;
  columns.forEach((column: unknown, i) => {
    const name = (column as { name?: unknown } | null)?.name;
    const named = typeof name === 'string' ? columnName(name) : undefined;
    if (named === undefined || secretKindOfName(named, 'json') === undefined) return;
    rows.forEach((row: unknown, r) => {
      const v = Array.isArray(row) ? row[i] : undefined;
      const kind = typeof v === 'string' && v !== '' ? secretKindOfField(named, v, 'json') : undefined;
      if (kind) pushValue(found, v as string, kind, child(child(child(pointer, rowsKey), r), i), `result column ${named}`);
    });
  });
}

/**
 * What a result column is called for the secret rules. An unaliased expression is named by its own
 * text, upper-cased (`SYSTEM$START_OAUTH_FLOW('EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET')`): a call is
 * judged by its function's name alone, never by its arguments, which are object names and literals.
 *
 * @example
 * columnName("SYSTEM$START_OAUTH_FLOW('DB.S.OAUTH_SECRET')") // 'SYSTEM$START_OAUTH_FLOW'
 * columnName('token_secret')                                 // 'token_secret'
 */
export function columnName(name: string): string {
  return /^\s*([A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*)\s*\(/.exec(name)?.[1] ?? name;
}
