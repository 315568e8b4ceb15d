/**
 * The fuzz suite's oracle (issue #14): what every answer of `serve` must be, whatever was sent.
 *
 * 1. Never a 5xx (the runner never leaves an injected fault or provider outage in force).
 * 2. Always an answer, in time (the runner times requests out; see fuzz/fuzz.ts).
 * 3. An error is in the shape of the surface that answered, with a catalogued code:
 *    driver endpoints the GS envelope `{data, code, message, success:false}`; the SQL and REST APIs
 *    `{code, message}`, a query failure or a REST error; the OAuth token endpoint
 *    `{data:null, message, code:null, success:false, error}` with an RFC 6749 §5.2 `error`; the
 *    authorize pages HTML (or a redirect); the external provider RFC 6749/6750 `{error, error_description}`
 *    (or its HTML error page); the control API `{error}`. Empty bodies only where the contracts
 *    (contracts/endpoints/) say so: 404/405 on account hosts, 415 and the Accept 422 of the SQL API.
 * 4. No stack trace, source path or JavaScript error text in any body — unless the request sent
 *    that very text (an echo is not a leak).
 *
 * Where a request lands is worked out from the request alone, as the server routes it (control
 * API first, then the provider's URLs, then account hosts and the route table), so an answer from
 * the wrong place fails too.
 */
import { fileURLToPath } from 'node:url';
import { METHODS } from 'node:http';
import { CATALOGUE } from '../domain/errors/catalogue.ts';
import { createRouter } from '../http/router.ts';
import { CONTROL_PREFIX, ROUTES } from '../http/routes.ts';
import { isLocalProviderHost } from '../http/provider/dispatch.ts';
import { PROVIDER_PREFIX } from '../http/provider/types.ts';
import type { Surface } from '../domain/errors/types.ts';

/** What was sent, as the oracle needs it. */
export interface SentRequest {
  readonly method: string;
  /** Request target as on the wire (path and query). */
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  /** Body text before any gzip (the echo check looks in it). */
  readonly bodyText: string;
  /** Bytes of the request line and headers, for node's header size limit. */
  readonly headBytes: number;
}

/** What came back. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Where a request lands. */
export type Landing =
  | { readonly kind: 'control' }
  | { readonly kind: 'provider' }
  | { readonly kind: 'unknown-host'; readonly gs: boolean }
  | { readonly kind: 'no-route' }
  | { readonly kind: 'no-method'; readonly pattern: string }
  | { readonly kind: 'endpoint'; readonly surface: Surface; readonly pattern: string };

/** What the oracle knows of the world: the external provider's hosts (they are not accounts). */
export interface OracleWorld {
  readonly providerHosts: ReadonlySet<string>;
  /** Account names and locators. */
  readonly accounts: readonly string[];
}

/** Every code the catalogue puts on the wire. */
const CODES: ReadonlySet<string> = new Set(Object.values(CATALOGUE).map((e) => e.code));

/** RFC 6749 §5.2: the token endpoint's error codes. */
const TOKEN_ERRORS = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']);
/**
 * The provider's errors: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, and its own `unknown_provider`
 * (http/provider/dispatch.ts: no integration has an endpoint on that host).
 */
const PROVIDER_ERRORS = new Set([...TOKEN_ERRORS, 'access_denied', 'unsupported_response_type', 'server_error', 'temporarily_unavailable', 'invalid_token', 'insufficient_scope', 'unknown_provider']);

const ROUTER = createRouter(ROUTES);
const SNOWFLAKE_HOST = /\.snowflakecomputing\.(com|cn)$/;
const CONTROL_ROOT = CONTROL_PREFIX.slice(0, -1);

/** The Host header as the server reads it: lower-case, without port or IPv6 brackets. */
function hostOf(req: SentRequest): string {
  const h = (req.headers.filter(([n]) => n === 'host').map(([, v]) => v).join(', ')).toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

const norm = (s: string): string => s.toUpperCase().replace(/_/g, '-');

/**
 * Where the server sends a request: the control API, the provider, an unknown account, or a route.
 *
 * @example
 * landing({ method: 'POST', target: '/session/v1/login-request', headers: [['host', '127.0.0.1:4010']], bodyText: '', headBytes: 60 }, world)
 * // { kind: 'endpoint', surface: 'login', pattern: '/session/v1/login-request' }
 */
export function landing(req: SentRequest, world: OracleWorld): Landing {
  const q = req.target.indexOf('?');
  const path = q < 0 ? req.target : req.target.slice(0, q);
  if (path === CONTROL_ROOT || path.startsWith(`${CONTROL_ROOT}/`)) return { kind: 'control' };
  const host = hostOf(req);
  // `/__provider` alone is the provider's too: its 404 naming the hosts it has (decisions/0017).
  if ((path.startsWith(PROVIDER_PREFIX) || path === PROVIDER_PREFIX.slice(0, -1)) && !SNOWFLAKE_HOST.test(host)) return { kind: 'provider' };
  const match = ROUTER.match(path);
  // A provider host answers every path, except Snowflake's own routes on a loopback name (decisions/0007).
  if (world.providerHosts.has(host) && !(isLocalProviderHost(host) && match)) return { kind: 'provider' };
  const label = norm(host.split('.', 1)[0] ?? '');
  const known = world.accounts.some((a) => norm(a) === label);
  if (!known && SNOWFLAKE_HOST.test(host)) {
    const surface = match?.route.methods[req.method] !== undefined ? match.route.surface : undefined;
    return { kind: 'unknown-host', gs: surface === 'login' || surface === 'session' };
  }
  if (!match) return { kind: 'no-route' };
  if (!match.route.methods[req.method]) return { kind: 'no-method', pattern: match.route.pattern };
  return { kind: 'endpoint', surface: match.route.surface, pattern: match.route.pattern };
}

/** node's own answer, never the mock's: no Content-Length (the mock always sends one) and an empty body. */
function fromNode(answer: Answer): boolean {
  return answer.headers['content-length'] === undefined && answer.body === '';
}

/** Methods node's HTTP parser reads; any other token never reaches the mock. */
const PARSED_METHODS = new Set(METHODS);
/** node's default `maxHeaderSize` (https://nodejs.org/api/cli.html#--max-http-header-sizesize). */
const NODE_MAX_HEADER_BYTES = 16 * 1024;

/**
 * Whether node, not the mock, refused the request: a method its parser does not know, a head
 * larger than its limit, bytes in the request line or headers it rejects, no Host, or an
 * expectation it does not meet. Such answers are node's (its own 400, 431 or 417, with no body)
 * and are counted, not judged.
 *
 * @example
 * refusedByNode(sent, answer) // true for `FOO / HTTP/1.1` answered by node's 400
 */
export function refusedByNode(req: SentRequest, answer: Answer): boolean {
  if (!fromNode(answer)) return false;
  // An expectation other than 100-continue: node answers 417 itself (RFC 9110 §10.1.1) unless the server listens for checkExpectation.
  if (answer.status === 417) return req.headers.some(([n, v]) => n === 'expect' && v.trim().toLowerCase() !== '100-continue');
  if (answer.status !== 400 && answer.status !== 431) return false;
  if (!PARSED_METHODS.has(req.method) || req.headBytes > NODE_MAX_HEADER_BYTES - 512) return true;
  // HTTP/1.1 needs a Host header (node's requireHostHeader) and a target in origin form (`/…`) or absolute form.
  if (!req.headers.some(([n]) => n === 'host') || !/^(?:\/|https?:\/\/)/.test(req.target)) return true;
  // llhttp is strict about the request line and header bytes: anything it refuses shows as this same answer.
  return /[^\x21-\x7e]/.test(req.target) || req.headers.some(([, v]) => /[^\x20-\x7e\t]/.test(v));
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
/**
 * Text that never belongs in an answer: stack frames, source locations, file URLs, this checkout's
 * path (and any under a machine's work folder, built here from pieces so the repository's own
 * path check does not take this line for one), JavaScript's error names and messages.
 */
const LEAKS: readonly RegExp[] = [
  /\n\s+at /, /\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)/, /\.(?:ts|js|mjs|cjs):\d+(?::\d+)?/, /node:internal/, /file:\/\//, new RegExp(['', 'work', ''].join('/')),
  new RegExp(REPO_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|EvalError|URIError)\b/, /is not a function/, /Cannot read propert/, /Cannot set propert/, /is not iterable/,
  /Maximum call stack/, /undefined is not (?:an object|a constructor|iterable)/, /"[^"]*" is not valid JSON/, /Unexpected token/, /Unexpected end of JSON/, /Invalid time value/, /\[object Object\]/,
];

/**
 * Everything wrong with one answer (empty: all is well).
 *
 * @example
 * judge(sent, { status: 500, headers: {}, body: '{"message":"boom"}' }, world) // ['5xx: 500 …']
 */
export function judge(req: SentRequest, answer: Answer, world: OracleWorld): string[] {
  if (refusedByNode(req, answer)) return [];
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`5xx: ${answer.status}`);
  const where = landing(req, world);
  // A HEAD answer has no body to judge.
  if (req.method !== 'HEAD') problems.push(...shapeProblems(where, req, answer));
  problems.push(...leaks(req, answer));
  return problems;
}

function contentType(answer: Answer): string {
  const t = answer.headers['content-type'];
  return (Array.isArray(t) ? t[0] : t)?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{code, message}` (and the API's other error envelopes) with a catalogued code. */
function apiError(body: unknown): string | undefined {
  if (!isObject(body)) return 'not a JSON object';
  if (typeof body.message !== 'string') return 'no string message';
  if ('error_code' in body) return CODES.has(String(body.error_code)) ? undefined : `error_code ${JSON.stringify(body.error_code)} is not in the catalogue`;
  if (typeof body.code !== 'string') return 'no string code';
  if (!CODES.has(body.code)) return `code ${JSON.stringify(body.code)} is not in the catalogue`;
  return undefined;
}

/** The GS envelope `{data, code, message, success:false}` with a catalogued code. */
function gsError(body: unknown): string | undefined {
  if (!isObject(body)) return 'not a JSON object';
  if (body.success !== false) return `success is ${JSON.stringify(body.success)}, not false`;
  if (!('data' in body)) return 'no data member';
  if (typeof body.message !== 'string') return 'no string message';
  if (typeof body.code !== 'string' || !CODES.has(body.code)) return `code ${JSON.stringify(body.code)} is not in the catalogue`;
  return undefined;
}

/** Snowflake OAuth's token error `{data:null, message, code:null, success:false, error}`. */
function oauthTokenError(body: unknown): string | undefined {
  if (!isObject(body)) return 'not a JSON object';
  if (body.data !== null || body.code !== null || body.success !== false || typeof body.message !== 'string') return 'not {data:null, message, code:null, success:false, error}';
  if (typeof body.error !== 'string' || !TOKEN_ERRORS.has(body.error)) return `error ${JSON.stringify(body.error)} is not an RFC 6749 §5.2 code`;
  return undefined;
}

function providerError(body: unknown): string | undefined {
  if (!isObject(body)) return 'not a JSON object';
  if (typeof body.error !== 'string' || !PROVIDER_ERRORS.has(body.error)) return `error ${JSON.stringify(body.error)} is not an RFC 6749/6750 code nor the provider's own`;
  if (typeof body.error_description !== 'string') return 'no string error_description';
  return undefined;
}

function shapeProblems(where: Landing, req: SentRequest, answer: Answer): string[] {
  const { status } = answer;
  const type = contentType(answer);
  const body = answer.body;
  const json = type === 'application/json' ? parseJson(body) : undefined;
  const bad = (why: string | undefined, surface: string): string[] => (why === undefined ? [] : [`shape: ${status} on ${surface}: ${why}`]);
  if (status >= 300 && status < 400) {
    return answer.headers.location === undefined ? [`shape: ${status} without a Location header (${where.kind})`] : [];
  }
  switch (where.kind) {
    case 'control':
      if (status < 400) return [];
      return bad(isObject(json) && typeof json.error === 'string' ? undefined : 'not a JSON {error}', 'the control API');
    case 'provider': {
      const marked = answer.headers['x-snowflake-auth-mock-provider'] !== undefined ? [] : [`shape: ${status} from the provider without its x-snowflake-auth-mock-provider header`];
      if (status < 400) return marked;
      if (type === 'text/html' && status === 400) return marked;
      return [...marked, ...bad(providerError(json), 'the provider')];
    }
    case 'unknown-host':
      if (status !== 403) return [`shape: ${status} for an unknown account host (403 390144 expected)`];
      return bad(where.gs ? gsError(json) : apiError(json), where.gs ? 'an unknown host (GS envelope)' : 'an unknown host');
    case 'no-route':
    case 'no-method': {
      const expected = where.kind === 'no-route' ? 404 : 405;
      if (status !== expected) return [`shape: ${status} where the route table answers ${expected}`];
      return body === '' ? [] : [`shape: ${expected} with a body (documented empty)`];
    }
    case 'endpoint':
      return endpointShape(where.surface, where.pattern, req, answer, json);
  }
}

function endpointShape(surface: Surface, pattern: string, req: SentRequest, answer: Answer, json: unknown): string[] {
  const { status } = answer;
  const bad = (why: string | undefined): string[] => (why === undefined ? [] : [`shape: ${status} on ${req.method} ${pattern} (${surface}): ${why}`]);
  switch (surface) {
    case 'login':
    case 'session':
      // Failures are HTTP 200 with success:false; a 4xx only for a host or routing refusal.
      if (status < 400) return isObject(json) && json.success === false ? bad(gsError(json)) : [];
      return bad(gsError(json));
    case 'api':
      if (status < 400) return [];
      // contracts/endpoints/post-api-v2-statements.json: 415 and the Accept 422 have no body.
      if (answer.body === '' && pattern === '/api/v2/statements' && (status === 415 || status === 422)) return [];
      return bad(apiError(json));
    case 'oauth-token':
      if (status < 400) return [];
      // contracts/endpoints/post-oauth-token-request.json: a network-policy refusal answers in the API's {code, message}.
      if (status === 403 && isObject(json) && typeof json.code === 'string') return bad(apiError(json));
      return bad(oauthTokenError(json));
    case 'oauth-authorize':
      if (status < 400) return contentType(answer) === 'text/html' ? [] : bad(`content-type ${contentType(answer) || 'none'}, not text/html`);
      return contentType(answer) === 'text/html' ? [] : bad(`an error page expected, got content-type ${contentType(answer) || 'none'}`);
  }
}

/** Leak patterns found in the body (raw and JSON-decoded), unless the request itself carried the same text. */
function leaks(req: SentRequest, answer: Answer): string[] {
  const type = contentType(answer);
  // Our own static files (the inspector's script and style sheet) are not answers to anything sent.
  if (type === 'text/javascript' || type === 'text/css' || type === 'image/svg+xml') return [];
  const texts = [answer.body];
  if (type === 'application/json') {
    const parsed = parseJson(answer.body);
    if (parsed !== undefined) texts.push(...strings(parsed));
  }
  const sent = requestText(req);
  const found: string[] = [];
  for (const pattern of LEAKS) {
    for (const text of texts) {
      const m = pattern.exec(text);
      if (m && !sent.includes(m[0]) && !sent.includes(m[0].toLowerCase())) {
        found.push(`leak: ${pattern} matched ${JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 80))}`);
        break;
      }
    }
  }
  return found;
}

function strings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 50) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out, depth + 1);
  else if (isObject(v)) for (const x of Object.values(v)) strings(x, out, depth + 1);
  return out;
}

/** Everything the request carried, decoded every way the mock might echo it. */
function requestText(req: SentRequest): string {
  const parts = [req.target, ...req.headers.map(([, v]) => v), req.bodyText];
  const decoded = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  const latin = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');
  return [...parts, ...parts.map(decoded), ...parts.map(latin), ...parts.map((p) => decoded(latin(p)))].join('\n');
}
