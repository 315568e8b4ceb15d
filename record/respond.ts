/**
 * Turning a recorded response into the replay's answer: placeholders become the values bound in
 * this replay (what the client sent, or what the replay issued, record/reissue.ts), volatile values
 * the recorded request had (an OAuth `state`, a `requestId`) become the client's, and clock readings
 * move to the replay's clock (record/replay-clock.ts).
 */
import type { Bindings } from './replay-bindings.ts';
import type { Exchange, RecordedBody } from './format.ts';
import type { MockResponse } from '../http/record.ts';
import { issuedValue } from './reissue.ts';
import { shiftHttpDate, shiftJson, SHIFTED_HEADERS, SHIFTED_JSON_FIELDS } from './replay-clock.ts';
import { LOOPBACK_PORT_FIELDS, UNBOUND_PLACEHOLDER_KINDS, VOLATILE_QUERY_PARAMS } from './volatile.ts';

/** What an answer depends on besides the exchange. */
export interface AnswerContext {
  readonly bindings: Bindings;
  /** Seed of issued values (the recording's identity). */
  readonly seed: string;
  /** The replay's clock now, epoch ms. */
  readonly now: number;
  /** Recorded value → the client's, for volatile values the response may repeat. */
  readonly echoes: ReadonlyMap<string, string>;
}

/** Response headers a replay never repeats: they described the recorded transfer, not the answer. */
const DROPPED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);
/** Shorter recorded values are not echoed: replacing them could hit unrelated text. */
const MIN_ECHO_LENGTH = 6;

/**
 * The answer to a matched request.
 *
 * @example
 * answer(exchange, { bindings, seed: 'pat-login', now: Date.now(), echoes: new Map() })
 */
export function answer(exchange: Exchange, ctx: AnswerContext): MockResponse {
  const recorded = exchange.response;
  const started = Date.parse(exchange.startedAt);
  const shift = Number.isFinite(started) ? ctx.now - started : 0;
  const leaf = (text: string): string => fill(echo(text, ctx.echoes), ctx);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded.headers)) {
    if (DROPPED_HEADERS.has(name)) continue;
    headers[name] = SHIFTED_HEADERS.includes(name) ? shiftHttpDate(value, shift) : leaf(value);
  }
  const template = recorded.body !== undefined && 'json' in recorded.body && ctx.echoes.size === 0 ? templateOf(recorded.body) : undefined;
  const body = template ? fillTemplate(template, shift, ctx) : bodyText(recorded.body, shift, leaf);
  return { status: recorded.status, headers, body };
}

/**
 * A recorded JSON body serialised once, with holes where each answer differs: the shifted times
 * and the strings that hold placeholders. A replay answers the same body many times (a bench, a
 * retry loop); joining strings costs a fraction of walking and serialising the tree each time.
 */
interface Template {
  readonly parts: readonly string[];
  /** One per gap between parts: a recorded time to shift, or a string to fill. */
  readonly holes: readonly ({ readonly time: number } | { readonly text: string })[];
}

const templates = new WeakMap<object, Template | undefined>();
const HOLE = /"\\u0000(\d+)\\u0000"/g;

/** The body's template; undefined when its text already holds the marker (then the tree is walked each time). */
function templateOf(body: { readonly json: unknown }): Template | undefined {
  if (templates.has(body)) return templates.get(body);
  if (JSON.stringify(body.json)?.includes('\\u0000')) {
    templates.set(body, undefined);
    return undefined;
  }
  const holes: ({ time: number } | { text: string })[] = [];
  const mark = (hole: { time: number } | { text: string }): string => `\u0000${holes.push(hole) - 1}\u0000`;
  const text = JSON.stringify(body.json, function (key: string, value: unknown) {
    if (typeof value === 'number' && SHIFTED_JSON_FIELDS.includes(key) && !Array.isArray(this)) return mark({ time: value });
    if (typeof value === 'string' && value.includes('__redacted_')) return mark({ text: value });
    return value;
  }) ?? '';
  const parts = text.split(HOLE).filter((_, i) => i % 2 === 0);
  const template = { parts, holes };
  templates.set(body, template);
  return template;
}

function fillTemplate(t: Template, shift: number, ctx: AnswerContext): string {
  let out = t.parts[0]!;
  for (let i = 0; i < t.holes.length; i++) {
    const hole = t.holes[i]!;
    out += ('time' in hole ? String(hole.time + shift) : JSON.stringify(fill(hole.text, ctx))) + t.parts[i + 1]!;
  }
  return out;
}

function bodyText(body: RecordedBody | undefined, shift: number, leaf: (s: string) => string): string {
  if (body === undefined) return '';
  if ('json' in body) return JSON.stringify(shiftJson(body.json, shift, leaf));
  if ('form' in body) return new URLSearchParams(body.form.map(([k, v]) => [k, leaf(v)])).toString();
  if ('text' in body) return leaf(body.text);
  // Bytes that were not UTF-8: the transports carry text, so they go out as decoded by Node.
  return Buffer.from(body.base64, 'base64').toString('utf8');
}

/**
 * Every placeholder replaced by its bound value, issuing (and binding) one where there is none yet.
 * A value bound from a client's query or form field is its decoded text: inside a URL's query (a
 * Location header) it is encoded again, as the recorded one was.
 */
function fill(text: string, ctx: AnswerContext): string {
  if (!text.includes('__redacted_')) return text;
  return text.replace(/__redacted_([a-z_]+?)_(\d+)__/g, (placeholder: string, kind: string, _n: string, offset: number) => {
    let value = ctx.bindings.valueOf(placeholder);
    if (value === undefined) {
      value = issuedValue(ctx.seed, placeholder);
      if (!UNBOUND_PLACEHOLDER_KINDS.includes(kind)) ctx.bindings.bind(placeholder, value);
    }
    return IN_URL_QUERY.test(text.slice(0, offset)) ? new URLSearchParams([['', value]]).toString().slice(1) : value;
  });
}

/** Text ending inside a URL's query right after `name=`. */
const IN_URL_QUERY = /(?:^|[\s"'(<])(?:https?:\/\/|\/)[^\s"'<>]*\?[^\s"'<>#]*=$/;

function echo(text: string, echoes: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [recorded, actual] of echoes) if (out.includes(recorded)) out = out.split(recorded).join(actual);
  return out;
}

/**
 * Volatile values of the recorded request (query and form fields of {@link VOLATILE_QUERY_PARAMS},
 * loopback redirect URIs) paired with the client's, for {@link answer} to repeat the client's.
 *
 * @example
 * echoesOf('/oauth/authorize?state=abc123', 'state=zzz999', undefined, '') // Map { 'abc123' => 'zzz999' }
 */
export function echoesOf(recordedUrl: string, clientQuery: string, recordedBody: RecordedBody | undefined, clientBody: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = recordedUrl.indexOf('?');
  pair(out, new URLSearchParams(q < 0 ? '' : recordedUrl.slice(q + 1)), new URLSearchParams(clientQuery));
  if (recordedBody && 'form' in recordedBody) pair(out, new URLSearchParams(recordedBody.form.map(([k, v]) => [k, v])), new URLSearchParams(clientBody));
  return out;
}

function pair(out: Map<string, string>, recorded: URLSearchParams, client: URLSearchParams): void {
  for (const name of [...VOLATILE_QUERY_PARAMS, ...LOOPBACK_PORT_FIELDS]) {
    const [r, a] = [recorded.get(name), client.get(name)];
    if (r !== null && a !== null && r !== a && r.length >= MIN_ECHO_LENGTH && !r.includes('__redacted_')) out.set(r, a);
  }
}
