/**
 * IncomingMessage → request record, directly (no Fetch objects on the server's hot path,
 * DESIGN.md §5.1).
 */
import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES, type MockRequest } from '../http/record.ts';

/**
 * Reads a request into a record. Bodies past {@link MAX_BODY_BYTES} are drained, not kept.
 *
 * @example
 * const record = await readRequest(req, { trustProxy: false })
 */
export function readRequest(req: IncomingMessage, options: { trustProxy: boolean }): Promise<MockRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const tooLarge = size > MAX_BODY_BYTES;
      const body = tooLarge || chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      resolve(toRecord(req, body, tooLarge, options.trustProxy));
    });
  });
}

function toRecord(req: IncomingMessage, body: string, tooLarge: boolean, trustProxy: boolean): MockRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    host: hostName(headers.host ?? ''),
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers,
    body,
    ...(tooLarge && { bodyTooLarge: true }),
    clientIp: clientIp(req, headers, trustProxy),
  };
}

/** `myorg-myaccount.localhost:4010` → `myorg-myaccount.localhost`; `[::1]:4010` → `::1`. */
function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return h.split(':', 1)[0] ?? '';
}

function clientIp(req: IncomingMessage, headers: Record<string, string | undefined>, trustProxy: boolean): string {
  const forwarded = trustProxy ? headers['x-forwarded-for']?.split(',')[0]?.trim() : undefined;
  const socket = req.socket.remoteAddress ?? '';
  // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; the client's address is a.b.c.d.
  return forwarded || socket.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}
