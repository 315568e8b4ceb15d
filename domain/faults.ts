/**
 * Injected faults (issue #5): a plan of rules, each answering the next N matching requests with a
 * given status, after a delay, or by dropping the connection, so a client's retry handling can be
 * tested offline. Pure: the core consumes a rule per matching request and the transports carry
 * out the delay or the reset (decisions/0005).
 */
import { parseDuration } from './clock.ts';
import { entryFor } from './errors/catalogue.ts';
import { headerNameProblem, headerValueProblem } from './faults-headers.ts';
import { quoteUntrusted } from './safe-text.ts';
import { Checker, describe, isAbsent, isRecord, type Rec } from './world/validate/checker.ts';
import { formatPath, type ConfigPath, type ConfigProblem } from './world/validate/world-config-error.ts';

/**
 * One fault as written (programmatic API, `POST /__mock/faults`, the scenario world change `inject_fault`).
 *
 * @example
 * const rule: FaultRule = { path: '/session/v1/login-request', method: 'POST', count: 2, status: 503 }
 */
export interface FaultRule {
  /**
   * Which requests: an exact path (`/session/v1/login-request`), a route pattern
   * (`/api/v2/statements/:handle`), a prefix ending in `/*` (`/oauth/*`), or `*` for every path.
   */
  readonly path: string;
  /** Only this method (any case); default every method. */
  readonly method?: string;
  /** How many matching requests the fault answers; default 1; `'always'` (or `Infinity`) until cleared. */
  readonly count?: number | 'always';
  /** Answer with this status (200–599) instead of the endpoint's answer. */
  readonly status?: number;
  /**
   * Body of that answer: text, or a value sent as JSON. Default: for 429 on `/api/v2/…` the SQL API's
   * `{"code":"390505",…}`; otherwise JSON `{"message": "<reason phrase>"}` for 4xx/5xx, nothing below 400.
   */
  readonly body?: string | Readonly<Record<string, unknown>> | readonly unknown[];
  /** Extra headers of that answer. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering (ms, or a duration such as `'2s'`, `'1500ms'`). */
  readonly delay?: number | string;
  /** Drop the connection without an answer (after `delay`, if given). */
  readonly reset?: boolean;
}

/**
 * A fault in the plan, as listed: the rule normalised, with what is left of its count.
 *
 * @example
 * // { id: 1, path: '/session/v1/login-request', method: 'POST', count: 2, remaining: 1, status: 503, headers: {…}, body: '{"message":"Service Unavailable"}' }
 */
export interface Fault {
  /** 1, 2, … in the order injected since the last clear (sent as the `x-snowflake-auth-mock-fault` header). */
  readonly id: number;
  readonly path: string;
  /** Upper-case; absent = every method. */
  readonly method?: string;
  readonly count: number | 'always';
  readonly remaining: number | 'always';
  readonly status?: number;
  /** Headers as given (lower-case names), plus the content type of a given body. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body as given (a JSON value serialised); absent = the default body for the status and path. */
  readonly body?: string;
  readonly delayMs?: number;
  readonly reset?: boolean;
}

/**
 * What a matching request gets: the fault (after this use), the answer that replaces the
 * endpoint's (absent for a delay-only fault), the delay, and whether to drop the connection.
 *
 * @example
 * plan.take('POST', '/session/v1/login-request')?.explanation // 'injected 503 (1 of 2 left) on POST /session/v1/login-request'
 */
export interface FaultHit {
  readonly fault: Fault;
  readonly response?: { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string };
  /** 0 when the fault has no delay. */
  readonly delayMs: number;
  readonly reset: boolean;
  /** One line for the journal, without the `fault: ` prefix. */
  readonly explanation: string;
}

/**
 * The injected faults of one mock (`core.faults`).
 *
 * @example
 * core.faults.inject({ path: '*', status: 503, count: 'always' })
 * core.faults.size // 1
 */
export interface FaultPlan {
  /** Validates every rule first (throws {@link FaultRuleError}, adding none), then appends them in order. */
  inject(rules: FaultRule | readonly FaultRule[]): Fault[];
  /** The first fault matching the request, in insertion order, using one of its count; `undefined` when none. */
  take(method: string, path: string): FaultHit | undefined;
  /** The faults with count left, in the order they are checked. */
  list(): Fault[];
  /** Removes every fault and numbers the next from 1 again (deterministic after `mock.reset()`); returns how many there were. */
  clear(): number;
  /** Number of faults with count left (0 = the request path pays nothing). */
  readonly size: number;
}

/**
 * The public face of a plan (`mock.faults`): no `take`.
 *
 * @example
 * const faults: FaultControl = mock.faults
 * faults.inject({ path: '/session/v1/login-request', status: 429 })
 */
export type FaultControl = Pick<FaultPlan, 'inject' | 'list' | 'clear'>;

/**
 * Header every injected answer carries (the fault's id): the journal says the same, and contract
 * checks skip such answers since they are not the endpoint's (decisions/0005).
 *
 * @example
 * response.headers.get(FAULT_HEADER) // '1' for an answer of fault #1, null for the endpoint's own
 */
export const FAULT_HEADER = 'x-snowflake-auth-mock-fault';

/**
 * Largest finite `count`; beyond it, use `'always'`.
 *
 * @example
 * mock.faults.inject({ path: '*', status: 503, count: MAX_FAULT_COUNT })
 */
export const MAX_FAULT_COUNT = 10_000;

/** Pending faults at most: every request scans them in order, so the list stays short. */
export const MAX_FAULTS = 1000;

/**
 * Longest delay: 10 minutes (longer than the drivers' default login retry window of 5 minutes).
 *
 * @example
 * mock.faults.inject({ path: '/session/v1/login-request', delay: MAX_FAULT_DELAY_MS })
 */
export const MAX_FAULT_DELAY_MS = 600_000;

/**
 * Every problem of a rule or rule list, each at its field (`[1].status: …`; `fault: …` for the rule itself).
 *
 * @example
 * try { mock.faults.inject({ path: '/x', status: 42 }) } catch (e) { if (e instanceof FaultRuleError) e.issues[0]?.path } // ['status']
 */
export class FaultRuleError extends Error {
  readonly issues: readonly ConfigProblem[];
  constructor(issues: readonly ConfigProblem[]) {
    super(issues.map((i) => `${formatPath(i.path) || 'fault'}: ${i.message}`).join('\n'));
    this.name = 'FaultRuleError';
    this.issues = issues;
  }
}

const KEYS = ['path', 'method', 'count', 'status', 'body', 'headers', 'delay', 'reset'] as const;

/**
 * {@link describe}, bounded: a rule may come from a client (`POST /__mock/faults`), so its values
 * are quoted through quoteUntrusted, never echoed whole or converted by their own methods.
 */
function got(v: unknown): string {
  if (typeof v === 'string') return `the string ${quoteUntrusted(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${quoteUntrusted(v)}`;
  return v === null || typeof v === 'object' ? describe(v) : quoteUntrusted(v);
}

/**
 * Reason phrases for the default body (inferred: Snowflake's front end answers these from its load
 * balancer and the docs give no body; drivers retry 429/5xx without reading it).
 */
const PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/**
 * Checks a rule or a list of rules as data; `at` is where it sits in its document (a list's
 * items are at `[...at, i]`). Returns the normalised rules when there is no problem.
 *
 * @example
 * validateFaultRules({ path: '/session/v1/login-request', status: 42 }).problems
 * // [{ path: ['status'], message: 'expected a whole number between 200 and 599 (…), got number 42' }]
 */
export function validateFaultRules(input: unknown, at: ConfigPath = []): { rules: Omit<Fault, 'id' | 'remaining'>[]; problems: ConfigProblem[] } {
  const c = new Checker();
  const list = Array.isArray(input) ? input : [input];
  const paths: ConfigPath[] = Array.isArray(input) ? list.map((_, i) => [...at, i]) : [at];
  if (list.length === 0) c.add(at, 'expected a fault rule or a non-empty list of them');
  const rules: Omit<Fault, 'id' | 'remaining'>[] = [];
  list.forEach((item, i) => {
    const rule = readRule(c, item, paths[i]!);
    if (rule) rules.push(rule);
  });
  return { rules: c.problems.length === 0 ? rules : [], problems: c.problems };
}

function readRule(c: Checker, value: unknown, path: ConfigPath): Omit<Fault, 'id' | 'remaining'> | undefined {
  const before = c.problems.length;
  const r = c.record(value, path, KEYS);
  if (!r) return undefined;
  const p = readPath(c, r, path);
  const method = readMethod(c, r, path);
  const count = readCount(c, r, path);
  const status = c.int(r, 'status', path, 200, 599, ' (1xx are interim answers, not faults)');
  const headers = readHeaders(c, r, path);
  const delayMs = readDelay(c, r, path);
  const reset = c.bool(r, 'reset', path);
  const bodyGiven = !isAbsent(r.body);
  if (bodyGiven && typeof r.body !== 'string' && !isRecord(r.body) && !Array.isArray(r.body)) c.add([...path, 'body'], `expected text or a JSON mapping or list, got ${got(r.body)}`);
  if (reset) {
    for (const key of ['status', 'body', 'headers'] as const) if (!isAbsent(r[key])) c.add([...path, key], `a reset drops the connection, so nothing is answered: remove ${key} or reset`);
  } else if (status === undefined && isAbsent(r.status)) {
    if (bodyGiven || !isAbsent(r.headers)) c.add([...path, 'status'], 'required when body or headers are given (the status of the injected answer)');
    else if (isAbsent(r.delay)) c.add(path, 'a fault needs status, delay or reset: e.g. {"path":"/session/v1/login-request","status":503}');
  }
  if (status !== undefined && bodyGiven && [204, 205, 304].includes(status) && r.body !== '') c.add([...path, 'body'], `a ${status} answer has no body`);
  if (c.problems.length > before || p === undefined || count === undefined) return undefined;
  const given = bodyOf(r.body, headers);
  return {
    path: p,
    ...(method !== undefined && { method }),
    count,
    ...(status !== undefined && { status }),
    ...(Object.keys(given.headers).length > 0 && { headers: given.headers }),
    ...(given.body !== undefined && { body: given.body }),
    ...(delayMs !== undefined && delayMs > 0 && { delayMs }),
    ...(reset && { reset: true }),
  };
}

function readPath(c: Checker, r: Rec, path: ConfigPath): string | undefined {
  const p = c.string(r, 'path', path, '(an exact path like "/session/v1/login-request", a route pattern like "/api/v2/statements/:handle", or "*")');
  if (p === undefined) return undefined;
  if (p === '*') return p;
  if (!p.startsWith('/')) c.add([...path, 'path'], `expected a path starting with "/" or "*", got ${quoteUntrusted(p)}`);
  else if (/[?#]/.test(p)) c.add([...path, 'path'], `a path without query or fragment, got ${quoteUntrusted(p)} (faults match the path only)`);
  else if (/\*/.test(p.slice(0, -1)) || (p.endsWith('*') && !p.endsWith('/*'))) c.add([...path, 'path'], `"*" stands only alone or as the last segment ("/oauth/*"), got ${quoteUntrusted(p)}`);
  else return p;
  return undefined;
}

function readMethod(c: Checker, r: Rec, path: ConfigPath): string | undefined {
  const m = c.string(r, 'method', path);
  if (m === undefined) return undefined;
  if (!/^[A-Za-z]+$/.test(m)) {
    c.add([...path, 'method'], `expected an HTTP method such as POST, got ${quoteUntrusted(m)}`);
    return undefined;
  }
  return m.toUpperCase();
}

function readCount(c: Checker, r: Rec, path: ConfigPath): number | 'always' | undefined {
  const v = r.count;
  if (isAbsent(v)) return 1;
  if (v === 'always' || v === Infinity) return 'always';
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_FAULT_COUNT) return v;
  c.add([...path, 'count'], `expected a whole number between 1 and ${MAX_FAULT_COUNT} or "always", got ${got(v)}`);
  return undefined;
}

/**
 * The answer's extra headers, each checked as Node's http module checks it before sending
 * (domain/faults-headers.ts): a header it refuses would make the injected answer a 500.
 */
function readHeaders(c: Checker, r: Rec, path: ConfigPath): Record<string, string> {
  const out: Record<string, string> = {};
  const h = isAbsent(r.headers) ? undefined : c.record(r.headers, [...path, 'headers']);
  for (const [name, value] of Object.entries(h ?? {})) {
    const at = [...path, 'headers', name];
    const nameProblem = headerNameProblem(name);
    // Numbers are sent as their decimal text; a non-finite one has none a client could read.
    const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? `${value}` : undefined;
    if (nameProblem !== undefined) c.add(at, nameProblem);
    else if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'transfer-encoding') c.add(at, 'set by the transport from the body; leave it out');
    else if (text === undefined) c.add(at, `expected text or a finite number, got ${got(value)}`);
    else {
      const valueProblem = headerValueProblem(text);
      if (valueProblem !== undefined) c.add(at, valueProblem);
      else out[name.toLowerCase()] = text;
    }
  }
  return out;
}

/**
 * Reads `delay` of a mapping: milliseconds, or a duration such as `"2s"`, 0 … {@link MAX_FAULT_DELAY_MS};
 * a problem at `<path>.delay` otherwise. Shared with the delay of a `statements:` answer (decisions/0016).
 *
 * @example
 * readDelay(new Checker(), { delay: '2s' }, []) // 2000
 */
export function readDelay(c: Checker, r: Rec, path: ConfigPath): number | undefined {
  const v = r.delay;
  if (isAbsent(v)) return undefined;
  // A number is milliseconds here (parseDuration reads a bare number as seconds, like clock.advance).
  const ms = typeof v === 'number' ? (Number.isFinite(v) ? Math.round(v) : undefined) : typeof v === 'string' ? (/^\d+(\.\d+)?$/.test(v.trim()) ? Math.round(Number(v)) : parseDuration(v)) : undefined;
  if (ms === undefined || ms < 0 || ms > MAX_FAULT_DELAY_MS) {
    c.add([...path, 'delay'], `expected milliseconds or a duration such as "2s" or "1500ms", from 0 to ${MAX_FAULT_DELAY_MS / 1000}s, got ${got(v)}`);
    return undefined;
  }
  return ms;
}

/** A given body as text, with its content type unless the headers name one. */
function bodyOf(body: unknown, headers: Record<string, string>): { headers: Record<string, string>; body?: string } {
  if (isAbsent(body)) return { headers };
  if (typeof body === 'string') return { headers: body === '' ? headers : { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
  return { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/**
 * The default answer of a status on a path (inferred, decisions/0005): the SQL API's documented
 * 429 `{"code":"390505",…}` under `/api/v2/`; JSON `{"message": reason}` for other 4xx/5xx; no body
 * below 400. No Retry-After: the docs give none, and drivers back off on their own schedule.
 */
function defaultAnswer(status: number, path: string): { headers: Record<string, string>; body: string } {
  if (status < 400) return { headers: {}, body: '' };
  const body = status === 429 && path.startsWith('/api/v2/')
    ? { code: '390505', message: entryFor('390505').message }
    : { message: PHRASES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error') };
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function answerOf(fault: Fault, path: string): NonNullable<FaultHit['response']> {
  const d = fault.body === undefined ? defaultAnswer(fault.status!, path) : { headers: {}, body: fault.body };
  return { status: fault.status!, headers: { ...d.headers, ...fault.headers, [FAULT_HEADER]: String(fault.id) }, body: d.body };
}

interface Active {
  readonly fault: Omit<Fault, 'remaining'>;
  readonly matches: (method: string, path: string) => boolean;
  remaining: number;
}

/**
 * Creates an empty fault plan.
 *
 * @example
 * const plan = createFaultPlan()
 * plan.inject({ path: '/session/v1/login-request', method: 'POST', count: 2, status: 503 })
 * plan.take('POST', '/session/v1/login-request')?.response?.status // 503
 */
export function createFaultPlan(): FaultPlan {
  let active: Active[] = [];
  let nextId = 0;
  const view = (a: Active): Fault => ({ ...a.fault, remaining: a.fault.count === 'always' ? 'always' : a.remaining });
  return {
    inject(input) {
      const { rules, problems } = validateFaultRules(input);
      if (active.length + rules.length > MAX_FAULTS) problems.push({ path: [], message: `at most ${MAX_FAULTS} faults may be pending (${active.length} are; clear some first)` });
      if (problems.length > 0) throw new FaultRuleError(problems);
      const added = rules.map((rule): Active => ({ fault: { id: ++nextId, ...rule }, matches: matcher(rule.path, rule.method), remaining: rule.count === 'always' ? Infinity : rule.count }));
      active = [...active, ...added];
      return added.map(view);
    },
    take(method, path) {
      const index = active.findIndex((a) => a.matches(method, path));
      if (index < 0) return undefined;
      const a = active[index]!;
      a.remaining -= 1;
      if (a.remaining <= 0) active = active.filter((_, i) => i !== index);
      const fault = view(a);
      const left = fault.count === 'always' ? 'always' : `${fault.remaining} of ${fault.count} left`;
      const what = fault.reset ? 'connection reset' : fault.status !== undefined ? String(fault.status) : `delay of ${fault.delayMs ?? 0} ms`;
      const after = fault.delayMs !== undefined && (fault.reset || fault.status !== undefined) ? ` after ${fault.delayMs} ms` : '';
      return {
        fault,
        ...(fault.status !== undefined && { response: answerOf(fault, path) }),
        delayMs: fault.delayMs ?? 0,
        reset: fault.reset === true,
        explanation: `injected ${what}${after} (#${fault.id}, ${left}) on ${method} ${path.slice(0, 200)}`,
      };
    },
    list: () => active.map(view),
    clear() {
      const n = active.length;
      active = [];
      nextId = 0;
      return n;
    },
    get size() {
      return active.length;
    },
  };
}

/** Compiles a rule's path and method into a predicate (route patterns like the router's: `/?` tolerated). */
function matcher(path: string, method: string | undefined): (method: string, path: string) => boolean {
  const byMethod = (m: string): boolean => method === undefined || m.toUpperCase() === method;
  if (path === '*') return byMethod;
  const prefix = path.endsWith('/*');
  const parts = (prefix ? path.slice(0, -2) : path).split('/');
  const source = parts.map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  const regex = new RegExp(`^${source}${prefix ? '(/.*)?' : '/?'}$`);
  return (m, p) => byMethod(m) && regex.test(p);
}
