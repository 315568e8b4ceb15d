/**
 * The recording proxy (issue #11): a node:http server in front of a live account or `serve` that
 * forwards each request, streams the answer back, and hands the exchange to the writer, which
 * redacts before anything reaches disk. Modes in Polly.js's vocabulary
 * (https://netflix.github.io/pollyjs/#/configuration?id=mode):
 *
 * - `record`: forward and record everything;
 * - `replay`: answer only from the recording at `out` (record/replay.ts); nothing is forwarded;
 * - `record-missing`: answer what the recording has, forward and append what it has not;
 * - `passthrough`: forward, record nothing.
 *
 * It never crashes on a request: an unreachable upstream is a 502 labelled as the proxy's, and an
 * exchange the writer refuses is left out and reported (record/sink.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MAX_BODY_BYTES, type MockRequest, type MockResponse } from '../http/record.ts';
import { addressedHost, capturedMessage } from './capture.ts';
import type { RecordingManifest } from './format.ts';
import { forward, MAX_RECORDED_BYTES, targetUrl } from './proxy-forward.ts';
import { readBody, toMockRequest, writeAnswer } from './proxy-io.ts';
import { createReplayEngine } from './replay-engine.ts';
import { createRecordingSink, type RawExchange, type RecordingSink } from './sink.ts';
import { isRecordingDir, readRecording, type Recording } from './store.ts';

/**
 * What the proxy does with each request (Polly.js's modes).
 *
 * @example
 * const mode: ProxyMode = 'record-missing'
 */
export type ProxyMode = 'record' | 'replay' | 'record-missing' | 'passthrough';

/**
 * The modes, for flag checking.
 *
 * @example
 * PROXY_MODES.includes(flag as ProxyMode)
 */
export const PROXY_MODES: readonly ProxyMode[] = ['record', 'replay', 'record-missing', 'passthrough'];

/** Options of {@link startRecordingProxy}. */
export interface RecordingProxyOptions {
  /** Base URL to forward to: `https://myorg-myaccount.snowflakecomputing.com` or `serve`'s `http://127.0.0.1:4010`. */
  readonly upstream: string;
  /** Default 4011; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The recording folder (written in `record`/`record-missing`, read in `replay`/`record-missing`). */
  readonly out: string;
  /** Recording name for the manifest; default: the folder's name. */
  readonly name?: string;
  /** Default `record`. */
  readonly mode?: ProxyMode;
  /** Redact account names, locators, user names and IPs too. */
  readonly identities?: boolean;
  /** JSON paths allowed through the writer's final scan. */
  readonly allow?: readonly string[];
  /** How long to wait for the upstream's answer; default 120 s. */
  readonly timeoutMs?: number;
  /** Where problem lines go; default standard error. */
  readonly log?: (line: string) => void;
  /**
   * Sees each exchange before redaction, real secrets included (tests collect the secrets they must
   * not find on disk). Never log or persist what it gets.
   */
  readonly onRawExchange?: (raw: RawExchange) => void;
}

/** A running proxy. */
export interface RecordingProxy {
  /** e.g. `http://127.0.0.1:4011`. */
  readonly url: string;
  readonly port: number;
  readonly mode: ProxyMode;
  /**
   * Stops it and writes the manifest (undefined in `replay` and `passthrough`: nothing written).
   * Rejects with RecordingIncompleteError (record/sink.ts) when an exchange was left out.
   */
  close(): Promise<RecordingManifest | undefined>;
}

/** Answers a request from a recording; undefined means forward it. */
type Answerer = (req: MockRequest) => MockResponse | undefined;

/**
 * Starts the proxy.
 *
 * @example
 * const proxy = await startRecordingProxy({ upstream: 'http://127.0.0.1:4010', port: 0, out: 'recordings/pat-login' })
 * // point the client at proxy.url …
 * const manifest = await proxy.close()
 */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const mode = options.mode ?? 'record';
  if (!PROXY_MODES.includes(mode)) throw new TypeError(`startRecordingProxy: mode must be one of ${PROXY_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  const upstream = upstreamUrl(options.upstream);
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const previous = mode === 'replay' || (mode === 'record-missing' && isRecordingDir(options.out)) ? readRecording(options.out) : undefined;
  const inflight = new Set<Promise<void>>();
  let context: Context | undefined;
  const server = createServer((req, res) => {
    const done = handle(context!, req, res).catch((error: unknown) => internalFailure(context!, res, error));
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 4011, options.host ?? '127.0.0.1', () => ok());
  });
  // Only once listening: the writer replaces what `out` held, which a busy port must not cost.
  let sink: RecordingSink | undefined;
  try {
    sink = mode === 'record' || mode === 'record-missing' ? openSink(options, upstream, previous, log) : undefined;
  } catch (error) {
    await new Promise((closed) => server.close(closed));
    throw error;
  }
  context = { upstream, timeoutMs: options.timeoutMs ?? 120_000, log, answerer: previous && replayAnswerer(previous, mode), sink, onRaw: options.onRawExchange };
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  let closing: Promise<RecordingManifest | undefined> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    mode,
    close: () => (closing ??= shutDown(server, inflight, sink)),
  };
}

interface Context {
  readonly upstream: URL;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  readonly answerer: Answerer | undefined;
  readonly sink: RecordingSink | undefined;
  readonly onRaw: ((raw: RawExchange) => void) | undefined;
}

async function handle(context: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const what = `${(req.method ?? 'GET').toUpperCase()} ${(req.url ?? '/').split('?')[0]!.slice(0, 200)}`;
  if (!targetUrl(context.upstream, req.url ?? '/')) return refuse(res, 400, 'bad_request_target', 'only a path on the upstream (origin-form) is forwarded');
  const body = await readBody(req);
  if (!body) {
    context.sink?.skip(what, `its body is over ${MAX_BODY_BYTES} bytes`);
    return refuse(res, 413, 'request_too_large', `the proxy reads bodies up to ${MAX_BODY_BYTES} bytes`);
  }
  const replayed = context.answerer?.(toMockRequest(req, body));
  if (replayed) return writeAnswer(res, replayed);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  let answer;
  try {
    answer = await forward(context, req, body, res);
  } catch (error) {
    return upstreamFailure(context, req, res, error);
  }
  if (!context.sink) return;
  if (!answer.bytes) return context.sink.skip(what, `the answer's body is over ${MAX_RECORDED_BYTES} bytes (the client got all of it)`);
  let raw: RawExchange;
  try {
    raw = {
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      request: { method: (req.method ?? 'GET').toUpperCase(), url: req.url ?? '/', ...hostPart(req, context.upstream), ...capturedMessage(req.headers, body) },
      response: { status: answer.status, ...capturedMessage(answer.headers, answer.bytes) },
    };
  } catch (error) {
    // Counted like a redaction refusal: the recording must not look complete without it.
    return context.sink.skip(what, `it could not be captured (${error instanceof Error ? error.message.slice(0, 120) : 'unknown error'})`);
  }
  context.onRaw?.(raw);
  context.sink.add(raw);
}

/** An answer of the proxy itself (labelled, never a Snowflake code): nothing is forwarded or recorded. */
function refuse(res: ServerResponse, status: number, error: string, message: string): void {
  const body = JSON.stringify({ error, message: `snowflake-auth-mock recording proxy: ${message}`, source: 'snowflake-auth-mock proxy' });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-snowflake-auth-mock': 'proxy-error' }).end(body);
}

function hostPart(req: IncomingMessage, upstream: URL): { host?: string } {
  const host = addressedHost(req.headers.host, upstream);
  return host === undefined ? {} : { host };
}

/** `replay` answers everything from the recording (its unmatched answer included); `record-missing` only what matches. */
function replayAnswerer(recording: Recording, mode: ProxyMode): Answerer {
  const engine = createReplayEngine(recording);
  return mode === 'replay' ? (req) => engine.handle(req) : (req) => engine.tryHandle(req);
}

/**
 * The writer starts a folder afresh, so in `record-missing` the exchanges already recorded are
 * written again first, through the same redaction and scan, with the allowances they had.
 */
function openSink(options: RecordingProxyOptions, upstream: URL, previous: Recording | undefined, log: (line: string) => void): RecordingSink {
  const allow = [...(options.allow ?? []), ...(previous?.manifest.redaction.allowed ?? [])];
  const sink = createRecordingSink(options.out, {
    name: options.name ?? previous?.manifest.name ?? basename(resolve(options.out)),
    upstream: upstream.href.replace(/\/$/, ''),
    identities: options.identities === true || previous?.manifest.redaction.identities === true,
    ...(allow.length > 0 && { allow }),
    log,
  });
  for (const { id: _id, ...exchange } of previous?.exchanges ?? []) sink.add(exchange);
  return sink;
}

function upstreamUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`startRecordingProxy: upstream must be an http(s) base URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`startRecordingProxy: upstream must be http or https, got ${url.protocol}`);
  return url;
}

/** Labelled as the proxy's own answer, not a Snowflake error: a client must not mistake it for the account's. */
function upstreamFailure(context: Context, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
  // Method and path only: a query may carry a token.
  context.log(`snowflake-auth-mock record: ${req.method} ${(req.url ?? '/').split('?')[0]}: upstream ${context.upstream.origin} failed (${reason}); answered 502, nothing recorded`);
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ error: 'upstream_unreachable', message: `snowflake-auth-mock recording proxy: the upstream ${context.upstream.origin} failed (${reason})`, source: 'snowflake-auth-mock proxy' });
  res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-snowflake-auth-mock': 'proxy-error' }).end(body);
}

function internalFailure(context: Context, res: ServerResponse, error: unknown): void {
  context.log(`snowflake-auth-mock record: internal error: ${error instanceof Error ? error.name : 'error'}; the request was dropped`);
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'proxy_internal_error', source: 'snowflake-auth-mock proxy' }));
  else res.destroy();
}

/** Stops accepting, lets requests in flight finish (5 s at most), then writes the manifest. */
async function shutDown(server: ReturnType<typeof createServer>, inflight: Set<Promise<void>>, sink: RecordingSink | undefined): Promise<RecordingManifest | undefined> {
  const stopped = new Promise<void>((ok) => server.close(() => ok()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...inflight]), new Promise((ok) => (timer = setTimeout(ok, 5000)))]);
  clearTimeout(timer);
  server.closeAllConnections();
  await stopped;
  return sink?.finish();
}
