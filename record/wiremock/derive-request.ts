/**
 * The concrete request a mapping's matcher stands for: one the mapping matches
 * (https://wiremock.org/docs/request-matching/), with the values a driver sends where the matcher
 * leaves a value open (a PKCE pair, a state, a request id). Nothing here knows a world: choosing
 * credentials, clients and sessions is the verifier's job (record/verify/), which states each
 * choice.
 */
import type { RecordedBody, RecordedRequest } from '../format.ts';
import { isObject, WiremockError, type WmBodyPattern, type WmMatcher, type WmRequest } from './mapping.ts';
import { sampleRegex } from './sample-regex.ts';

/**
 * RFC 7636 appendix B's code verifier and its S256 challenge: the pair sent where a mapping leaves PKCE open.
 *
 * @example
 * PKCE.verifier.length // 43
 */
export const PKCE = { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' } as const;
/**
 * The redirect URI sent where a mapping leaves it open (a loopback redirect, as the drivers' browser flows use).
 *
 * @example
 * new URL(DEFAULT_REDIRECT).hostname // 'localhost'
 */
export const DEFAULT_REDIRECT = 'http://localhost:8001/snowflake/oauth-redirect';

/** What earlier mappings of the same file fixed: the redirect URI of its authorize request. */
export interface DeriveContext {
  redirect?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Driver-like values for parameters a matcher leaves open. */
const DEFAULTS: Readonly<Record<string, (ctx: DeriveContext) => string>> = {
  state: () => 'abc123',
  code_challenge: () => PKCE.challenge,
  code_challenge_method: () => 'S256',
  code_verifier: () => PKCE.verifier,
  response_type: () => 'code',
  redirect_uri: (ctx) => ctx.redirect ?? DEFAULT_REDIRECT,
  request_id: () => '6a1f0b4e-5d2c-4c2b-9a57-3f1e2d4c5b6a',
  requestId: () => '6a1f0b4e-5d2c-4c2b-9a57-3f1e2d4c5b6a',
  request_guid: () => 'c8f5e2a0-3b7d-4e61-9f0a-2d4b6c8e1f3a',
};

/**
 * The request of one mapping. `where` names the mapping in errors (`mappings[2].request`);
 * `implied` lists query parameters the response shows the request had (see `impliedQuery`).
 *
 * @example
 * deriveRequest({ method: 'POST', urlPath: '/session', queryParameters: { delete: { equalTo: 'true' } } }, {}, 'f.json', 'request')
 * // { method: 'POST', url: '/session?delete=true', headers: {} }
 */
export function deriveRequest(req: WmRequest, ctx: DeriveContext, file: string, where: string, implied: readonly string[] = []): RecordedRequest {
  const [path, urlQuery] = deriveUrl(req, file, where);
  const query = new URLSearchParams(urlQuery);
  // What the answer shows the request carried (a template reads it, a redirect returns its state), the request carries.
  for (const key of implied) if (!query.has(key) && req.queryParameters?.[key] === undefined) query.set(key, DEFAULTS[key]?.(ctx) ?? key);
  for (const [key, m] of Object.entries(req.queryParameters ?? {})) {
    const v = valueFor(key, m, ctx, file, `${where}.queryParameters.${key}`);
    if (v !== undefined) query.set(key, v);
  }
  const headers: Record<string, string> = {};
  for (const [name, m] of Object.entries(req.headers ?? {})) {
    const v = valueFor(name, m, ctx, file, `${where}.headers.${name}`);
    if (v !== undefined) headers[name.toLowerCase()] = v;
  }
  const body = deriveBody(req, headers, ctx, file, where);
  if (body && headers['content-type'] === undefined) headers['content-type'] = 'json' in body ? 'application/json' : 'form' in body ? 'application/x-www-form-urlencoded' : 'text/plain';
  const qs = query.toString();
  const method = !req.method || req.method === 'ANY' ? (body ? 'POST' : 'GET') : req.method.toUpperCase();
  if (path.startsWith('/oauth/authorize') && query.has('redirect_uri')) ctx.redirect = query.get('redirect_uri')!;
  return { method, url: `${path}${qs ? `?${qs}` : ''}`, headers, ...(body && { body }) };
}

function deriveUrl(req: WmRequest, file: string, where: string): [string, string] {
  if (req.url !== undefined || req.urlPath !== undefined) {
    const [path = '', query = ''] = (req.url ?? req.urlPath!).split('?');
    return [path, query];
  }
  const pattern = req.urlPathPattern ?? req.urlPattern;
  const field = req.urlPathPattern !== undefined ? 'urlPathPattern' : 'urlPattern';
  if (pattern === undefined) return ['/', ''];
  // A trailing `*` is usually meant as a glob (`/session/v1/login-request*`): try the pattern without it first.
  const globless = pattern.replace(/(\.\*|\*)$/, '').replace(/\\(.)/g, '$1');
  const sample = fullMatch(pattern, globless) ? globless : sampleRegex(pattern);
  if (sample === undefined || !sample.startsWith('/')) throw new WiremockError(file, `${where}.${field}`, `cannot derive a path from the pattern ${JSON.stringify(pattern)}`);
  const [path = '/', query = ''] = sample.split('?');
  return [path, query];
}

/**
 * A value a matcher accepts: `equalTo` as is; else the driver-like default when the matcher
 * accepts it; else what `contains` names or a sample of `matches`. Undefined for `absent`.
 */
function valueFor(key: string, m: WmMatcher, ctx: DeriveContext, file: string, where: string): string | undefined {
  if (m.absent === true || m.absent === '(absent)' || (m.absent !== undefined && m.absent !== false)) return undefined;
  if (m.equalTo !== undefined) return m.equalTo;
  const fallback = DEFAULTS[key]?.(ctx);
  if (m.contains !== undefined) return fallback?.includes(m.contains) ? fallback : m.contains;
  if (m.matches !== undefined) {
    if (fallback !== undefined && fullMatch(m.matches, fallback)) return fallback;
    const sample = sampleRegex(m.matches);
    if (sample === undefined) throw new WiremockError(file, `${where}.matches`, `cannot derive a value from the regex ${JSON.stringify(m.matches)}`);
    return sample;
  }
  return fallback;
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

function deriveBody(req: WmRequest, headers: Readonly<Record<string, string>>, ctx: DeriveContext, file: string, where: string): RecordedBody | undefined {
  const patterns = req.bodyPatterns ?? [];
  if (patterns.some((p) => p.equalToJson !== undefined || p.matchesJsonPath !== undefined)) return { json: jsonFromPatterns(patterns, file, where) };
  const form = /x-www-form-urlencoded/i.test(headers['content-type'] ?? '') || req.formParameters !== undefined;
  const texts = patterns.map((p, i) => textOf(p, file, `${where}.bodyPatterns[${i}]`)).filter((t): t is string => t !== undefined);
  if (form) return { form: [...formFromMatchers(texts, req.formParameters ?? {}, ctx, file, where)] };
  return texts.length > 0 ? { text: texts.join('') } : undefined;
}

/** The text a string body pattern asks for (`doesNotMatch` asks for nothing). */
function textOf(p: WmBodyPattern, file: string, where: string): string | undefined {
  if (p.equalTo !== undefined || p.contains !== undefined) return p.equalTo ?? p.contains;
  if (p.matches === undefined) return undefined;
  const sample = sampleRegex(p.matches);
  if (sample === undefined) throw new WiremockError(file, `${where}.matches`, `cannot derive a body from the regex ${JSON.stringify(p.matches)}`);
  return sample;
}

const decodeForm = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));

/** The form fields the text patterns spell out, then `formParameters`, in order. */
function formFromMatchers(texts: readonly string[], params: Readonly<Record<string, WmMatcher>>, ctx: DeriveContext, file: string, where: string): Map<string, string> {
  const form = new Map<string, string>();
  for (const text of texts) {
    for (const part of text.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      form.set(decodeForm(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decodeForm(part.slice(eq + 1)));
    }
  }
  for (const [key, m] of Object.entries(params)) {
    const v = valueFor(key, m, ctx, file, `${where}.formParameters.${key}`);
    if (v !== undefined) form.set(key, v);
  }
  return form;
}

/** The JSON body the patterns describe: `equalToJson` merged, `matchesJsonPath` paths set or removed. */
function jsonFromPatterns(patterns: readonly WmBodyPattern[], file: string, where: string): JsonObject {
  let body: JsonObject = {};
  patterns.forEach((p, i) => {
    const at = `${where}.bodyPatterns[${i}]`;
    if (p.equalToJson !== undefined) body = deepMerge(body, parseJsonPattern(p.equalToJson, file, `${at}.equalToJson`));
    else if (typeof p.matchesJsonPath === 'string') body = applyJsonPathString(body, p.matchesJsonPath, file, at);
    else if (p.matchesJsonPath !== undefined) {
      const jp = p.matchesJsonPath;
      const path = jsonPathSegments(jp.expression, file, `${at}.matchesJsonPath.expression`);
      if (jp.absent !== undefined && jp.absent !== false) body = setPath(body, path, undefined);
      else body = setPath(body, path, jp.equalTo ?? jp.contains ?? (jp.matches === undefined ? {} : sampleOrThrow(jp.matches, file, `${at}.matchesJsonPath.matches`)));
    }
  });
  return body;
}

function parseJsonPattern(value: unknown, file: string, where: string): JsonObject {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new WiremockError(file, where, 'not JSON');
    }
  }
  if (!isObject(v)) throw new WiremockError(file, where, 'expected a JSON object');
  return v as JsonObject;
}

/** `$.a.b` (the path must exist) or `$[?(@.a.b == "v")]` (it must equal v). */
function applyJsonPathString(body: JsonObject, expr: string, file: string, where: string): JsonObject {
  const filter = /^\$\[\?\(@\.([\w.]+)\s*==\s*["'](.*)["']\)\]$/.exec(expr);
  if (filter) return setPath(body, filter[1]!.split('.'), filter[2]!);
  const path = jsonPathSegments(expr, file, `${where}.matchesJsonPath`);
  return getPath(body, path) === undefined ? setPath(body, path, {}) : body;
}

function jsonPathSegments(expr: string, file: string, where: string): string[] {
  if (!/^\$(\.\w+)+$/.test(expr)) throw new WiremockError(file, where, `only $.a.b paths and $[?(@.a.b == "v")] filters are read, found ${JSON.stringify(expr)}`);
  return expr.slice(2).split('.');
}

function sampleOrThrow(pattern: string, file: string, where: string): string {
  const s = sampleRegex(pattern);
  if (s === undefined) throw new WiremockError(file, where, `cannot derive a value from the regex ${JSON.stringify(pattern)}`);
  return s;
}

function deepMerge(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] = isObject(cur) && isObject(v) ? deepMerge(cur as JsonObject, v as JsonObject) : v;
  }
  return out;
}

function getPath(body: Json, path: readonly string[]): Json | undefined {
  let cur: Json | undefined = body;
  for (const k of path) cur = isObject(cur) ? (cur as JsonObject)[k] : undefined;
  return cur;
}

function setPath(body: JsonObject, path: readonly string[], value: Json | undefined): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return body;
  const out: JsonObject = { ...body };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const cur = out[head];
  out[head] = setPath(isObject(cur) ? (cur as JsonObject) : {}, rest, value);
  return out;
}
