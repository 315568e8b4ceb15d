/**
 * The in-process recorder: for a suite that runs its requests through msw (`setupServer`) once
 * against a live account, it records what passes, through msw's life-cycle events
 * (https://mswjs.io/docs/api/life-cycle-events) — nothing of the suite changes. Bodies are read
 * from clones (a body can be read once; the client reads its own), the request's as it starts,
 * the response's when msw reports it, and exchanges are written in the order msw reported them.
 */
import type { SetupServer } from 'msw/node';
import { capturedMessage, hostName, recordedBody, recordedHeaders } from './capture.ts';
import type { RecordedResponse, RecordingManifest } from './format.ts';
import { createRecordingSink, RecordingIncompleteError, safeDetail, type RawExchange, type RecordingFailure, type RecordingSink } from './sink.ts';

/**
 * `record`: every exchange, answered by a handler or by the network; `record-missing`: only those
 * that went to the network (e.g. behind replay handlers that answer what is recorded already);
 * `passthrough`: nothing.
 *
 * @example
 * createRecorder({ server, out: 'recordings/new-calls', name: 'new-calls', mode: 'record-missing' })
 */
export type RecorderMode = 'record' | 'record-missing' | 'passthrough';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** The msw server to listen to (`setupServer(...)` from `msw/node`). */
  readonly server: Pick<SetupServer, 'events'>;
  /** Recording folder. */
  readonly out: string;
  /** Recording name for the manifest. */
  readonly name: string;
  /** Default `record`. */
  readonly mode?: RecorderMode;
  /** Base URL for the manifest; default: the origin of the first request recorded. */
  readonly upstream?: string;
  readonly identities?: boolean;
  readonly allow?: readonly string[];
  /** Where problem lines go; default standard error. */
  readonly log?: (line: string) => void;
}

/** An attached recorder. */
export interface Recorder {
  /**
   * Detaches, waits for the bodies still being read, and writes the manifest (undefined in
   * `passthrough`: nothing written). Asynchronous because bodies are read asynchronously: a
   * synchronous stop could lose the last exchange. Rejects with RecordingIncompleteError
   * (record/sink.ts) when an exchange was left out.
   */
  stop(): Promise<RecordingManifest | undefined>;
}

interface Started {
  readonly startedAt: string;
  readonly t0: number;
  readonly body: Promise<Buffer>;
}

type RequestEvent = { readonly requestId: string; readonly request: Request };
type ResponseEvent = RequestEvent & { readonly response: Response };

/**
 * Starts recording what passes through `server`.
 *
 * @example
 * const server = setupServer()                    // no handlers: everything goes to the live account
 * const recorder = createRecorder({ server, out: 'recordings/suite', name: 'suite' })
 * server.listen({ onUnhandledFrame: 'bypass' })
 * // … the suite runs …
 * afterAll(async () => { await recorder.stop(); server.close() })
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const mode = options.mode ?? 'record';
  if (!['record', 'record-missing', 'passthrough'].includes(mode)) {
    throw new TypeError(`createRecorder: mode must be record, record-missing or passthrough, got ${JSON.stringify(mode)}; to replay in-process use createReplayHandlers`);
  }
  const started = new Map<string, Started>();
  let sink: RecordingSink | undefined;
  let queue: Promise<void> = Promise.resolve();
  const lost: RecordingFailure[] = [];
  let firstOrigin: string | undefined;
  let stopped = false;
  const open = (upstream: string): RecordingSink =>
    (sink ??= createRecordingSink(options.out, { name: options.name, upstream, ...(options.identities !== undefined && { identities: options.identities }), ...(options.allow && { allow: options.allow }), ...(options.log && { log: options.log }) }));
  const onStart = ({ requestId, request }: RequestEvent): void => {
    started.set(requestId, { startedAt: new Date().toISOString(), t0: performance.now(), body: bytesOf(request.clone()) });
  };
  const onResponse = (bypassed: boolean) => ({ requestId, request, response }: ResponseEvent): void => {
    const start = started.get(requestId);
    started.delete(requestId);
    if (!start || stopped || (mode === 'record-missing' && !bypassed)) return;
    const durationMs = Math.round(performance.now() - start.t0);
    const upstream = (firstOrigin ??= options.upstream ?? new URL(request.url).origin);
    const raw = toRaw(request, response.clone(), start, durationMs, upstream);
    // Chained so exchanges are written in the order msw reported them, whatever the body sizes.
    queue = queue.then(async () => {
      const exchange = await raw;
      open(upstream).add(exchange);
    }).catch((error: unknown) => {
      // Not a redaction failure (the sink keeps those): the writer could not be opened, say.
      const message = `${request.method} ${new URL(request.url).pathname} not recorded: ${safeDetail(error)}`;
      lost.push({ message });
      (options.log ?? ((line: string) => void process.stderr.write(`${line}\n`)))(`snowflake-auth-mock record: ${message}`);
    });
  };
  if (mode === 'passthrough') return { stop: async () => undefined };
  const mocked = onResponse(false);
  const bypass = onResponse(true);
  options.server.events.on('request:start', onStart);
  options.server.events.on('response:mocked', mocked);
  options.server.events.on('response:bypass', bypass);
  return {
    async stop() {
      stopped = true;
      options.server.events.removeListener('request:start', onStart);
      options.server.events.removeListener('response:mocked', mocked);
      options.server.events.removeListener('response:bypass', bypass);
      await queue;
      const manifest = open(firstOrigin ?? options.upstream ?? 'msw (in-process)').finish();
      if (lost.length > 0) throw new RecordingIncompleteError(manifest, lost);
      return manifest;
    },
  };
}

async function toRaw(request: Request, response: Response, start: Started, durationMs: number, upstream: string): Promise<RawExchange> {
  const url = new URL(request.url);
  const [requestBytes, responseBytes] = await Promise.all([start.body, bytesOf(response)]);
  // No proxy in between: any host other than the upstream's is one the client named, an IP included.
  const host = url.hostname === new URL(upstream).hostname ? undefined : hostName(url.host);
  return {
    startedAt: start.startedAt,
    durationMs,
    request: { method: request.method.toUpperCase(), url: url.pathname + url.search, ...(host !== undefined && { host }), ...capturedMessage(headersOf(request.headers), requestBytes) },
    response: { status: response.status, ...responseMessage(response, responseBytes) },
  };
}

/**
 * A Response body may already be decoded (fetch decodes what the network sent, and keeps the
 * Content-Encoding header): decode when the bytes still are encoded, else take them as they are.
 */
function responseMessage(response: Response, bytes: Buffer): Omit<RecordedResponse, 'status'> {
  const headers = headersOf(response.headers);
  const captured = capturedMessage(headers, bytes);
  if (captured.headers['content-encoding'] === undefined) return captured;
  const body = recordedBody(bytes, headers['content-type']);
  return { headers: recordedHeaders(headers, true), ...(body !== undefined && { body }) };
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`));
  return out;
}

async function bytesOf(message: Request | Response): Promise<Buffer> {
  if (message.body === null) return Buffer.alloc(0);
  try {
    return Buffer.from(await message.arrayBuffer());
  } catch {
    return Buffer.alloc(0);
  }
}
