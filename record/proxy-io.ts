/**
 * The proxy's plain I/O: reading a client's body, seeing a request as the mock's request record
 * (for the replay engine, which answers records), and writing a record answer back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBody } from '../http/body.ts';
import { MAX_BODY_BYTES, type MockRequest, type MockResponse } from '../http/record.ts';
import { hostName } from './capture.ts';

/**
 * The whole body of a request, as sent (still content-encoded).
 *
 * @example
 * const body = await readBody(req)
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    // Over the limit: read to the end (so the answer can be sent), keep nothing.
    req.on('end', () => ok(size <= limit ? Buffer.concat(chunks) : undefined));
    req.on('error', fail);
  });
}

/**
 * A request as the mock's transport-neutral record (http/record.ts): body decoded, host without port.
 *
 * @example
 * engine.tryHandle(toMockRequest(req, body))
 */
export function toMockRequest(req: IncomingMessage, body: Buffer): MockRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const socket = req.socket.remoteAddress ?? '';
  const decoded = decodeBody(body, req.headers['content-encoding']);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    host: hostName(req.headers.host ?? ''),
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: req.headers as Record<string, string | undefined>,
    body: decoded.body,
    ...(decoded.tooLarge && { bodyTooLarge: true }),
    clientIp: socket.startsWith('::ffff:') && socket.includes('.') ? socket.slice(7) : socket,
  };
}

/**
 * Writes a record answer (a replayed exchange) to the client.
 *
 * @example
 * writeAnswer(res, engine.handle(toMockRequest(req, body)))
 */
export function writeAnswer(res: ServerResponse, answer: MockResponse): void {
  const headers: string[] = ['content-length', String(Buffer.byteLength(answer.body))];
  for (const [name, value] of Object.entries(answer.headers)) if (name !== 'content-length') headers.push(name, value);
  res.writeHead(answer.status, headers).end(answer.body);
}
