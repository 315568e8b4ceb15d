/**
 * The fuzz suite's HTTP client: one request at a time over a keep-alive connection to 127.0.0.1,
 * headers exactly as the case says (Host included, or none), a deadline per request. A request
 * that gets no answer in time, or a connection that drops without one, is a result, not an error.
 */
import { Agent, request } from 'node:http';
import type { WireRequest } from './target.ts';

/** An answer, or why there was none. */
export type Sent =
  | { readonly ok: true; readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly body: string; readonly ms: number }
  | { readonly ok: false; readonly error: string; readonly timedOut: boolean; readonly ms: number };

/** A client of one server port. */
export interface FuzzClient {
  send(req: WireRequest): Promise<Sent>;
  close(): void;
}

/**
 * A client for `127.0.0.1:<port>`.
 *
 * @example
 * const client = createClient(server.port, 10_000)
 * const sent = await client.send({ method: 'GET', target: '/__mock/health', headers: [['host', '127.0.0.1']], body: undefined, chunked: false, bodyText: '' })
 */
export function createClient(port: number, timeoutMs: number): FuzzClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  return {
    send: (req) => send(port, agent, req, timeoutMs),
    close: () => agent.destroy(),
  };
}

function send(port: number, agent: Agent, req: WireRequest, timeoutMs: number): Promise<Sent> {
  const start = performance.now();
  const ms = (): number => performance.now() - start;
  return new Promise((resolve) => {
    let settled = false;
    const done = (sent: Sent): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(sent);
    };
    // node's flat [name, value, …] form keeps repeated names and the case's order.
    const headers: string[] = [];
    for (const [name, value] of req.headers) headers.push(name, value);
    // Framing said outright: node chunks a body on its own only for methods that usually carry one (not GET, DELETE, …).
    if (req.body !== undefined) headers.push(...(req.chunked ? ['transfer-encoding', 'chunked'] : ['content-length', String(req.body.length)]));
    let r: ReturnType<typeof request>;
    try {
      r = request({ host: '127.0.0.1', port, method: req.method, path: req.target, headers, agent, setHost: false });
    } catch (error) {
      // The client would not send it (node's own checks): not the server's doing.
      resolve({ ok: false, error: `client refused to send: ${(error as Error).message}`, timedOut: false, ms: 0 });
      return;
    }
    const timer = setTimeout(() => {
      done({ ok: false, error: `no answer within ${timeoutMs} ms`, timedOut: true, ms: ms() });
      r.destroy();
    }, timeoutMs);
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: ms() }));
      res.on('error', (e) => done({ ok: false, error: `answer broken off: ${e.message}`, timedOut: false, ms: ms() }));
    });
    // node hands the answer to a CONNECT over 'connect', with the raw socket: read the body its Content-Length announces.
    r.on('connect', (res, socket, head) => {
      const want = Number(res.headers['content-length'] ?? 0);
      const chunks: Buffer[] = [head];
      let got = head.length;
      const finish = (): void => {
        socket.destroy();
        done({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: ms() });
      };
      if (got >= want) return finish();
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        if ((got += c.length) >= want) finish();
      });
      socket.on('close', finish);
    });
    r.on('error', (e) => done({ ok: false, error: `no answer: ${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim(), timedOut: false, ms: ms() }));
    if (req.body === undefined) {
      r.end();
    } else if (req.chunked) {
      // A few chunks, as a streaming client sends them.
      const third = Math.ceil(req.body.length / 3);
      for (let i = 0; i < req.body.length; i += third) r.write(req.body.subarray(i, i + third));
      r.end();
    } else {
      r.end(req.body);
    }
  });
}
