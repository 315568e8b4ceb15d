/**
 * One request forwarded to the upstream and its answer streamed back to the client, byte for
 * byte, while a copy is kept for the record.
 *
 * node:http rather than fetch: fetch treats Host as a forbidden header and replaces it (Fetch
 * standard, https://fetch.spec.whatwg.org/#forbidden-request-header; so on Node 22), and `serve`
 * routes accounts by Host; fetch also adds accept-encoding and user-agent the client never sent,
 * and decodes the body the client should get as sent. node:http follows no redirects either
 * (fetch's `redirect: 'manual'`), so a 302 from the OAuth endpoints reaches the client as it is.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { endToEndHeaders } from './capture.ts';

/** The largest answer body the record keeps (the client still gets all of it). */
export const MAX_RECORDED_BYTES = 16 * 1024 * 1024;

/** The upstream's answer as received (still content-encoded). */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body as received; undefined when it was larger than {@link MAX_RECORDED_BYTES}. */
  readonly bytes: Buffer | undefined;
}

/** Where to forward and which Host to send. */
export interface ForwardTarget {
  readonly upstream: URL;
  readonly timeoutMs: number;
}

/**
 * Forwards `req` (whose body was read into `body`) and streams the answer into `res`. Rejects when
 * the upstream cannot be reached or breaks off; `res` is then untouched if nothing was sent yet.
 *
 * @example
 * const answer = await forward({ upstream: new URL('http://127.0.0.1:4010'), timeoutMs: 120_000 }, req, body, res)
 */
export function forward(target: ForwardTarget, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<UpstreamAnswer> {
  const { upstream } = target;
  const url = targetUrl(upstream, req.url ?? '/');
  if (!url) return Promise.reject(new Error('the request target is not a path on the upstream'));
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const out = send(url, { method: req.method ?? 'GET', headers: outgoingHeaders(req, body, upstream), timeout: target.timeoutMs }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, endToEndRaw(answer.rawHeaders));
      // The client gets every byte; the record keeps a copy only up to its limit.
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_RECORDED_BYTES) chunks.push(chunk);
        res.write(chunk);
      });
      answer.on('end', () => {
        res.end();
        resolve({ status: answer.statusCode ?? 502, headers: answer.headers, bytes: size <= MAX_RECORDED_BYTES ? Buffer.concat(chunks) : undefined });
      });
      answer.on('error', reject);
      answer.on('aborted', () => reject(new Error('the upstream broke off its answer')));
    });
    out.on('timeout', () => out.destroy(new Error(`no answer within ${Math.round(target.timeoutMs / 1000)} s`)));
    out.on('error', reject);
    // The client left: stop waiting on the upstream for it.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy(new Error('the client went away'));
    });
    out.end(body);
  });
}

/** The client's end-to-end headers, with the Host of {@link upstreamHost}. */
function outgoingHeaders(req: IncomingMessage, body: Buffer, upstream: URL): Record<string, string> {
  const headers = endToEndHeaders(req.headers);
  delete headers['content-length'];
  if (body.length > 0 || req.headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
  headers.host = upstreamHost(req.headers.host, upstream);
  return headers;
}

/**
 * The Host sent upstream. A plain-http upstream is `serve` (or a container of it), which routes
 * accounts by Host as Snowflake does (http/account-host.ts), so it gets the client's; an https
 * upstream is a real account and gets its own, which its certificate and routing expect.
 *
 * @example
 * upstreamHost('myorg-myaccount.localhost:4011', new URL('http://127.0.0.1:4010'))              // 'myorg-myaccount.localhost:4011'
 * upstreamHost('127.0.0.1:4011', new URL('https://myorg-myaccount.snowflakecomputing.com'))     // 'myorg-myaccount.snowflakecomputing.com'
 */
export function upstreamHost(clientHost: string | undefined, upstream: URL): string {
  return upstream.protocol === 'http:' && clientHost ? clientHost : upstream.host;
}

/** Raw header pairs (case and repeats kept, Set-Cookie included) without the hop-by-hop ones. */
function endToEndRaw(raw: readonly string[]): string[] {
  const pairs: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) (pairs[raw[i]!] ??= []).push(raw[i + 1]!);
  const keep = new Set(Object.keys(endToEndHeaders(Object.fromEntries(Object.entries(pairs).map(([k, v]) => [k, v.join(', ')])))));
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (keep.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

/**
 * The upstream URL for a request target: only origin-form targets (`/path?query`, RFC 9112 §3.2.1)
 * are forwarded, and only to the upstream's own origin. An absolute-form (`http://other/x`) or
 * scheme-relative (`//other/x`) target would otherwise send the client's credentials elsewhere.
 *
 * @example
 * targetUrl(new URL('http://127.0.0.1:4010'), '/api/v2/statements')?.href // 'http://127.0.0.1:4010/api/v2/statements'
 * targetUrl(new URL('http://127.0.0.1:4010'), 'http://169.254.169.254/') // undefined
 */
export function targetUrl(upstream: URL, target: string): URL | undefined {
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  const url = new URL(`${upstream.origin}${upstream.pathname.replace(/\/$/, '')}${target}`);
  return url.origin === upstream.origin ? url : undefined;
}
