/**
 * The proxy's plain I/O: reading a client's body, seeing a request as the mock's request record
 * (for the replay engine, which answers records), and writing a record answer back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBody } from '../http/body.ts';
import type { MockRequest, MockResponse } from '../http/record.ts';
import { hostName } from './capture.ts';

/**
 * The whole body of a request, as sent (still content-encoded).
 *
 * @example
 * const body = await readBody(req)
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => ok(Buffer.concat(chunks)));
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
