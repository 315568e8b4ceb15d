/**
 * IncomingMessage → request record, directly (no Fetch objects on the server's hot path,
 * DESIGN.md §5.1). Callback style on purpose: this runs once per request.
 */
import type { IncomingMessage } from 'node:http';
import { decodeBody } from '../http/body.ts';
import { MAX_BODY_BYTES, type MockRequest } from '../http/record.ts';

/**
 * Reads a request into a record and hands it to `done`. Bodies past {@link MAX_BODY_BYTES} are
 * drained, not kept.
 *
 * @example
 * readRequest(req, { trustProxy: false }, async (record) => write(res, await core.handle(record)))
 */
export function readRequest(req: IncomingMessage, options: { trustProxy: boolean; state?: { clientIp?: string } }, done: (record: MockRequest) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    const { body, tooLarge } = size > MAX_BODY_BYTES ? { body: '', tooLarge: true } : decodeBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), req.headers['content-encoding']);
    done(toRecord(req, body, tooLarge, options.trustProxy, options.state?.clientIp));
  });
}

function toRecord(req: IncomingMessage, body: string, tooLarge: boolean, trustProxy: boolean, assumedIp: string | undefined): MockRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  // node already lower-cases names and joins repeated request headers with ", " (set-cookie aside,
  // which requests do not carry), so its object is the record's header map as it stands.
  const headers = req.headers as Record<string, string | undefined>;
  return {
    method: req.method ?? 'GET',
    host: hostName(headers.host ?? ''),
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers,
    body,
    ...(tooLarge && { bodyTooLarge: true }),
    clientIp: clientIp(req, headers, trustProxy, assumedIp),
  };
}

/** `myorg-myaccount.localhost:4010` → `myorg-myaccount.localhost`; `[::1]:4010` → `::1`. */
function hostName(hostHeader: string): string {
  const h = hostHeader.toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

function clientIp(req: IncomingMessage, headers: Record<string, string | undefined>, trustProxy: boolean, assumedIp: string | undefined): string {
  const forwarded = trustProxy ? headers['x-forwarded-for']?.split(',')[0]?.trim() : undefined;
  if (forwarded) return forwarded;
  // Set through the control API (POST /__mock/client-ip): the loopback socket stands for that address.
  if (assumedIp) return assumedIp;
  const socket = req.socket.remoteAddress ?? '';
  // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; the client's address is a.b.c.d.
  return socket.startsWith('::ffff:') && socket.includes('.') ? socket.slice(7) : socket;
}
