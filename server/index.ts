/**
 * The standalone server (`snowflake-auth-mock/server`): node:http over the same route table as the
 * MSW handlers, for clients in any language.
 */
import { isLoopbackHost } from '../domain/network/loopback.ts';
import { createServer, ServerResponse, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createCore, type MockCore } from '../http/core.ts';
import type { MockRequest, MockResponse } from '../http/record.ts';
import { json } from '../http/respond.ts';
import type { StatementConfig, WorldConfig } from '../domain/world/config.ts';
import { withHookTimeout, type StatementHook } from '../domain/sql/responders.ts';
import { resolveWorldInput } from '../api/world-file.ts';
import { CONTROL_PREFIX, controlRefusal, handleControl, type ServerState } from './control.ts';
import { failedSurfaceOf, internalErrorResponse } from '../http/internal-error.ts';
import { readRequest } from './node-request.ts';

// The dev CA of `serve --https`, for programmatic HTTPS: `startServer({ tls: await ensureDevCertificates() })`.
export { DEFAULT_HOSTNAMES, defaultTlsDir, ensureDevCertificates, subjectAltNameOf, TlsSetupError, type DevCertificateOptions, type DevCertificates, type SanEntry } from './tls.ts';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** A world config object, or a path to a YAML/JSON world file; default: the embedded world. */
  readonly world?: string | WorldConfig;
  /** Default 4010; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly seed?: number;
  /** Take the client IP from X-Forwarded-For (behind a proxy). */
  readonly trustProxy?: boolean;
  /** Serve the control API under /__mock/. */
  readonly control?: boolean;
  /** Allow the control API on a non-loopback bind (off by default: it can change the clock). */
  readonly allowRemoteControl?: boolean;
  /** Start the clock here instead of the world's start or the real current time. */
  readonly clockStart?: Date | string | number;
  /** How many requests the journal keeps (oldest dropped first); default 10 000. */
  readonly journalCapacity?: number;
  /**
   * Answers requests instead of the mock (`serve --replay` passes a replay of a recording). Its
   * `control`, when given, answers the control API (with `control: true`); paths it returns
   * undefined for get a 404 — the mock's own control actions would act on a mock nobody hears.
   */
  readonly handler?: RequestHandler;
  /**
   * Serve HTTPS with this PEM certificate (chain) and private key, e.g. from `ensureDevCertificates`
   * (`server/tls.ts`); the URL becomes `https://…`. Default: plain HTTP.
   */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Statements to answer in every account besides the world file's `statements:` (tried first;
   * decisions/0016). `serve` passes none: it answers what its world file says.
   *
   * @example
   * await startServer({ port: 0, statements: [{ prefix: 'DROP TABLE', result: { rows_affected: 0 } }] })
   */
  readonly statements?: readonly StatementConfig[];
  /** Answers statements in code before any `statements:` entry; may be async (decisions/0016). */
  readonly onStatement?: StatementHook;
  /** How long a promise `onStatement` returned may take before the 999002 "did not answer within N ms"; default 30 000. */
  readonly statementHookTimeoutMs?: number;
}

/**
 * Something that answers request records in place of the mock.
 *
 * @example
 * const handler: RequestHandler = { handle: (req) => ({ status: 204, headers: {}, body: '' }) }
 */
export interface RequestHandler {
  handle(req: MockRequest): MockResponse | Promise<MockResponse>;
  control?(req: MockRequest): MockResponse | undefined;
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4010` (`https://…` with {@link ServerOptions.tls}). */
  readonly url: string;
  readonly port: number;
  /** The mock's core (idle when {@link ServerOptions.handler} answers instead). */
  readonly core: MockCore;
  close(): Promise<void>;
}


/**
 * Starts the server.
 *
 * @example
 * const server = await startServer({ port: 0, control: true })
 * await fetch(`${server.url}/__mock/health`)
 * await server.close()
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.control && !isLoopbackHost(host) && !options.allowRemoteControl) {
    throw new Error(`refusing to serve the control API on non-loopback address ${host}: it can change the clock and reset state; pass --allow-remote-control to do it anyway`);
  }
  const { config, file } = resolveWorldInput(options.world);
  const clockStart = options.clockStart === undefined ? undefined : new Date(options.clockStart).getTime();
  if (clockStart !== undefined && !Number.isFinite(clockStart)) throw new TypeError(`startServer: clockStart ${JSON.stringify(options.clockStart)} is not a date`);
  const core = createCore({
    config, ...(file !== undefined && { file }), ...(options.seed !== undefined && { seed: options.seed }),
    ...(clockStart !== undefined && { clock: { start: clockStart, frozen: false } }), ...(options.journalCapacity !== undefined && { journalCapacity: options.journalCapacity }),
    ...(options.statements !== undefined && { statements: options.statements }), ...(options.onStatement !== undefined && { onStatement: withHookTimeout(options.onStatement, options.statementHookTimeoutMs) }),
  });
  const handler = options.handler;
  const trustProxy = options.trustProxy ?? false;
  const control = options.control ?? false;
  const state: ServerState = {};
  // Timers of injected-fault delays still running: cleared on close, so close() never waits on them.
  const pending = new Set<NodeJS.Timeout>();
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    req.on('error', () => res.destroy());
    readRequest(req, { trustProxy, state }, (record) => {
      // Where an internal error would be answered: the surface asked (decisions/0017), found only then.
      const failed = (): MockResponse => internalErrorResponse(failedSurfaceOf(record, handler ? undefined : core.provider));
      let response: MockResponse | Promise<MockResponse>;
      try {
        response = (control && (handler ? handlerControl(handler, record) : handleControl(core, record, state))) || (handler ? handled(handler, record) : core.handle(record));
      } catch {
        response = failed();
      }
      if (!(response instanceof Promise)) return answer(res, response, pending, failed);
      // A promise while jose verifies or signs; should it ever reject, answer like the core's internal error. Never an unhandled rejection (it would end the process).
      response.then((r) => answer(res, r, pending, failed), () => answer(res, failed(), pending, failed)).catch(() => res.destroy());
    });
  };
  // https.createServer takes http.createServer's options too (https://nodejs.org/api/https.html#httpscreateserveroptions-requestlistener).
  const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, keepAliveTimeout: 5000 }, listener) : createServer({ keepAliveTimeout: 5000 }, listener);
  // Node closes a CONNECT's connection without a word unless someone listens for 'connect' (found by
  // the fuzz suite): answer it like any other request (the route table's 405 or 404, journaled), then close — no tunnels.
  // Such a socket is the server's no longer (closeAllConnections skips it): kept here, destroyed on close.
  const connectSockets = new Set<Socket>();
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    connectSockets.add(socket);
    socket.once('close', () => connectSockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    // As Node does for `Connection: close`: the socket is destroyed once written, whatever the client does.
    res.on('finish', () => socket.destroySoon());
    listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    core,
    close: () => new Promise<void>((resolve) => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of connectSockets) socket.destroy();
    }),
  };
}

/**
 * Writes the answer, carrying out an injected fault (decisions/0005): its delay on a timer (dropped
 * when the client goes away or the server closes), its reset as a TCP RST without any answer.
 */
function answer(res: ServerResponse, response: MockResponse, pending: Set<NodeJS.Timeout>, failed: () => MockResponse): void {
  const fault = response.fault;
  if (!fault) return write(res, response, failed);
  const finish = (): void => {
    if (fault.reset) reset(res.socket);
    else write(res, response, failed);
  };
  if (!fault.delayMs) return finish();
  const timer = setTimeout(() => {
    pending.delete(timer);
    finish();
  }, fault.delayMs);
  pending.add(timer);
  res.once('close', () => {
    clearTimeout(timer);
    pending.delete(timer);
  });
}

/**
 * Ends the connection with a TCP RST (https://nodejs.org/api/net.html#socketresetanddestroy). A TLS
 * socket cannot: its handle is the TLS layer (ERR_INVALID_HANDLE_TYPE), so the TCP socket under it
 * is reset — `_parent`, undocumented; should a Node version lack it, the socket is destroyed instead.
 */
function reset(socket: Socket | null): void {
  const s = socket as (Socket & { encrypted?: boolean; _parent?: Socket }) | null;
  if (!s) return;
  if (!s.encrypted) s.resetAndDestroy();
  else if (s._parent) s._parent.resetAndDestroy();
  else s.destroy();
}

/** A custom handler's answer; should it throw, the listener answers the internal error, never a dead server. */
function handled(handler: RequestHandler, req: MockRequest): MockResponse | Promise<MockResponse> {
  return handler.handle(req);
}

/**
 * The control API of a custom handler: its own answers, a 404 for the rest of `/__mock/`. Guarded
 * as the mock's own (control.ts): a replay's report and journal hold what the recording holds, and
 * its reset is a change, so a rebinding or cross-site page gets the same 403.
 */
function handlerControl(handler: RequestHandler, req: MockRequest): MockResponse | undefined {
  if (!req.path.startsWith(CONTROL_PREFIX)) return undefined;
  const refusal = controlRefusal(req);
  if (refusal) return refusal;
  // Should it throw (a report too large to serialise), the listener answers the internal error, never a dead server — as for handle.
  return handler.control?.(req) ?? json(404, { error: `no control endpoint ${req.path} on this server: it does not run the mock` });
}

function write(res: ServerResponse, response: MockResponse, failed: () => MockResponse): void {
  // The client may have gone while jose was working: nothing to answer then.
  if (res.destroyed) return;
  // writeHead's flat [name, value, …] form: no object is built per response.
  const headers: string[] = ['content-length', String(Buffer.byteLength(response.body))];
  for (const name in response.headers) headers.push(name, response.headers[name]!);
  try {
    res.writeHead(response.status, headers);
  } catch {
    // A header node refuses (a bug of ours) must never take the server down: the surface's 500 (decisions/0017).
    const fallback = failed();
    res.writeHead(500, { ...fallback.headers, 'content-length': String(Buffer.byteLength(fallback.body)) }).end(fallback.body);
    return;
  }
  res.end(response.body);
}
