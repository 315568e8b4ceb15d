/**
 * How a recorded answer and the model's answer are compared, per endpoint — THE comparison of
 * `verify` (and so of the driver-fixture check, docs/driver-fixtures.md). Each difference is one
 * line, "recorded → model":
 *
 * - GS endpoints (login, renewal, query, close, heartbeat, telemetry): HTTP status, `success`,
 *   `code`, `message` (a trailing ` [incident]` ignored), the envelope keys, the keys of `data`
 *   two levels deep and the JSON types of their values (below the top level `null` matches any
 *   type: an unset field);
 * - `/oauth/token-request`: status, RFC 6749 §5.2 `error`, its text (`error_description` or
 *   `message`), the body keys and value types;
 * - `/oauth/authorize`: status, the redirect target, the redirect's query keys and its `state`;
 * - anything else: status, `code`, `message`, body keys and types.
 *
 * A WireMock import's duration is the mapping's deliberate delay (`fixedDelayMilliseconds`); the
 * model answers at once, which is a difference too. A captured duration is latency, not one.
 */
import type { RecordedBody, RecordedResponse } from '../format.ts';
import type { MockResponse } from '../../http/record.ts';
import type { EndpointKind } from './endpoints.ts';

/** What a comparison needs besides the two answers. */
export interface CompareContext {
  /** The mapping's deliberate delay (WireMock imports only). */
  readonly delayMs?: number;
  /** Query of the authorize request as recorded, and as sent to the model. */
  readonly recordedQuery?: URLSearchParams;
  readonly sentQuery?: URLSearchParams;
}

/**
 * The differences between a recorded answer and the model's, as lines.
 *
 * @example
 * compareAnswers('login', { status: 200, headers: {}, body: { json: { success: false, code: '390100' } } }, modelResponse, {})
 * // ['code: "390100" → "390144"', …]
 */
export function compareAnswers(kind: EndpointKind, recorded: RecordedResponse, model: MockResponse, ctx: CompareContext): string[] {
  const out: string[] = [];
  if (recorded.status !== model.status) out.push(`status: ${recorded.status} → ${model.status}`);
  if (ctx.delayMs) out.push(`delay: ${ctx.delayMs} ms → none`);
  if (kind === 'authorize') return [...out, ...compareRedirect(recorded, model, ctx)];
  const f = bodyValue(recorded.body);
  const m = parseJson(model.body);
  if (kind === 'token') return [...out, ...compareToken(f, m)];
  return [...out, ...compareEnvelope(f, m)];
}

/**
 * A recorded body as a value: JSON as is, text parsed when it is JSON; otherwise undefined.
 *
 * @example
 * bodyValue({ text: '{"a":1}' }) // { a: 1 }
 */
export function bodyValue(body: RecordedBody | undefined): unknown {
  if (body === undefined) return undefined;
  if ('json' in body) return body.json;
  if ('text' in body) return parseJson(body.text);
  return undefined;
}

/**
 * Parsed JSON, or undefined for anything else.
 *
 * @example
 * parseJson('nope') // undefined
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A plain object.
 *
 * @example
 * isObject({}) // true; isObject([]) // false
 */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** A value in a difference line: JSON, cut after 100 characters. */
const q = (v: unknown): string => {
  if (v === undefined || v === null) return 'null';
  const text = JSON.stringify(v);
  return text.length > 100 ? `${text.slice(0, 99)}…"` : text;
};

/** Key sets and value types, two levels deep; below the top, `null` on one side is an unset field. */
function shapeDiffs(label: string, f: unknown, m: unknown, depth: number, out: string[]): void {
  const tf = typeName(f === undefined && depth === 0 ? null : f);
  const tm = typeName(m === undefined && depth === 0 ? null : m);
  if (tf !== tm) {
    if (depth > 0 && (tf === 'null' || tm === 'null')) return;
    out.push(`${label}: ${tf} → ${tm}`);
    return;
  }
  if (!isObject(f) || !isObject(m) || depth >= 2) return;
  const missing = Object.keys(f).filter((k) => !(k in m)).sort();
  const extra = Object.keys(m).filter((k) => !(k in f)).sort();
  if (missing.length) out.push(`${label} keys missing: ${missing.join(', ')}`);
  if (extra.length) out.push(`${label} keys extra: ${extra.join(', ')}`);
  for (const k of Object.keys(f)) if (k in m) shapeDiffs(`${label}.${k}`, f[k], m[k], depth + 1, out);
}

/** A message without the mock's ` [incident]` suffix (Snowflake's messages carry incident numbers too). */
const normMessage = (v: unknown): string | null => (typeof v === 'string' ? v.replace(/\s*\[[^\]]*\]\s*$/, '').trim() : v === undefined || v === null ? null : JSON.stringify(v));
const norm = (v: unknown): unknown => (v === undefined ? null : v);

function compareEnvelope(f: unknown, m: unknown): string[] {
  const out: string[] = [];
  if (!isObject(f) || !isObject(m)) {
    if (typeName(f) !== typeName(m)) out.push(`body: ${typeName(f)} → ${typeName(m)}`);
    return out;
  }
  const flag = (b: Record<string, unknown>): string => `${'success' in b ? String(b.success) : 'absent'}${b.code ? ` (${q(b.code)})` : ''}`;
  if (f.success !== m.success) return [`success: ${flag(f)} → ${flag(m)}`];
  const missing = Object.keys(f).filter((k) => !(k in m)).sort();
  const extra = Object.keys(m).filter((k) => !(k in f)).sort();
  if (missing.length) out.push(`envelope keys missing: ${missing.join(', ')}`);
  if (extra.length) out.push(`envelope keys extra: ${extra.join(', ')}`);
  if (norm(f.code) !== norm(m.code)) out.push(`code: ${q(f.code)} → ${q(m.code)}`);
  const fm = normMessage(f.message);
  const mm = normMessage(m.message);
  if (fm !== mm) out.push(`message: ${q(fm)} → ${q(mm)}`);
  shapeDiffs('data', f.data, m.data, 0, out);
  return out;
}

function compareToken(f: unknown, m: unknown): string[] {
  const out: string[] = [];
  if (!isObject(f)) {
    if (isObject(m)) out.push(`body: none → JSON${typeof m.error === 'string' ? ` (error ${q(m.error)})` : ''}`);
    return out;
  }
  if (!isObject(m)) return [`body: object → ${typeName(m)}`];
  if (f.error !== m.error) out.push(`error: ${f.error === undefined ? 'none' : q(f.error)} → ${m.error === undefined ? 'none' : q(m.error)}`);
  const ft = f.error_description ?? f.message;
  const mt = m.message ?? m.error_description;
  if (ft !== undefined && ft !== mt) out.push(`error text: ${q(ft)} → ${q(mt)}`);
  shapeDiffs('body', f, m, 0, out);
  return out;
}

function location(headers: Readonly<Record<string, string>>): URL | undefined {
  const loc = headers.location ?? headers.Location;
  if (loc === undefined) return undefined;
  try {
    return new URL(loc);
  } catch {
    return undefined;
  }
}

/** Where a redirect goes: "the request's redirect_uri" when it goes there, so a recording and the model may use different ones. */
function target(url: URL, query: URLSearchParams | undefined): string {
  const at = `${url.origin}${url.pathname}`;
  return at === query?.get('redirect_uri') ? 'the request\'s redirect_uri' : at;
}

function compareRedirect(recorded: RecordedResponse, model: MockResponse, ctx: CompareContext): string[] {
  const out: string[] = [];
  const f = location(recorded.headers);
  const m = location(model.headers);
  if (f === undefined) {
    if (m) out.push(`Location: none → ${m.origin}${m.pathname}`);
    return out;
  }
  const fKeys = [...f.searchParams.keys()];
  if (!m) return [`Location: redirect with ${fKeys.join(', ')} → none`];
  // A recording without redirect_uri went where the one verify sent goes (the client's registered URI).
  const recordedQuery = ctx.recordedQuery?.has('redirect_uri') ? ctx.recordedQuery : ctx.sentQuery;
  const [ft, mt] = [target(f, recordedQuery), target(m, ctx.sentQuery)];
  if (ft !== mt) out.push(`Location target: ${ft} → ${mt}`);
  const mKeys = [...m.searchParams.keys()];
  const missing = fKeys.filter((k) => !mKeys.includes(k)).sort();
  const extra = mKeys.filter((k) => !fKeys.includes(k)).sort();
  if (missing.length) out.push(`Location keys missing: ${missing.join(', ')}`);
  if (extra.length) out.push(`Location keys extra: ${extra.join(', ')}`);
  const fs = f.searchParams.get('state');
  const ms = m.searchParams.get('state');
  // Values are not shown: a recorded state is redacted, and only whether it is the request's matters (RFC 6749 §4.1.2).
  const [fOwn, mOwn] = [fs === ctx.recordedQuery?.get('state'), ms === ctx.sentQuery?.get('state')];
  if (fs !== null && ms !== null && fOwn !== mOwn) out.push(`Location state: ${fOwn ? 'the request\'s' : 'not the request\'s'} → ${mOwn ? 'the request\'s' : 'not the request\'s'}`);
  return out;
}
