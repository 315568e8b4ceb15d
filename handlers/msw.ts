/**
 * MSW adapter (DESIGN.md §4): maps the route table onto msw handlers for account hosts (and the
 * external OAuth provider's hosts of the current world, decisions/0007) and converts a Fetch Request to the plain record once, and the record response back once.
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import { isSnowflakeHost } from '../http/account-host.ts';
import type { MockCore } from '../http/core.ts';
import { decodeBody } from '../http/body.ts';
import { type MockRequest, type MockResponse } from '../http/record.ts';
import { claimsProviderUrl } from '../http/provider/dispatch.ts';

/** Options of {@link createHandlers}. */
export interface HandlerOptions {
  /**
   * Extra hosts answered in-process besides `*.snowflakecomputing.com`, e.g. `localhost` or
   * `127.0.0.1` when a client is configured with a local base URL.
   */
  readonly hosts?: readonly string[];
}

/**
 * Creates msw handlers over a core: one per route, plus a catch-all that answers unknown paths
 * on account hosts the way Snowflake does (404/405) instead of letting them through.
 *
 * @example
 * const server = setupServer(...createHandlers(core))
 */
export function createHandlers(core: MockCore, options: HandlerOptions = {}): HttpHandler[] {
  const extra = new Set((options.hosts ?? []).map(hostOf));
  // The external OAuth provider's hosts come from the current world, asked per request (an index lookup; issue #6).
  const ours = (url: URL): boolean => isSnowflakeHost(url.hostname.toLowerCase()) || extra.has(url.hostname.toLowerCase()) || claimsProviderUrl(core, url);
  const resolver = async ({ request }: { request: Request }): Promise<Response> => deliver(await core.handle(await toRecord(request, core)));
  const perRoute = core.router.routes.map((route) =>
    http.all(({ request }) => {
      const url = new URL(request.url);
      return ours(url) && core.router.match(url.pathname)?.route === route;
    }, resolver),
  );
  const catchAll = http.all(({ request }) => ours(new URL(request.url)), resolver);
  return [...perRoute, catchAll];
}

function hostOf(entry: string): string {
  return (/^[a-z]+:\/\//i.test(entry) ? new URL(entry).hostname : entry.split(':')[0]!).toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

async function toRecord(request: Request, core: MockCore): Promise<MockRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const bytes = request.body ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array();
  const { body, tooLarge } = decodeBody(bytes, headers['content-encoding']);
  return {
    method: request.method.toUpperCase(),
    host: url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1'),
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    body,
    ...(tooLarge && { bodyTooLarge: true }),
    // In-process there is no socket: X-Forwarded-For, else the mock's default (mock.clientIp).
    clientIp: headers['x-forwarded-for']?.split(',')[0]?.trim() || core.clientIp,
  };
}

/** An injected fault's delay (a real timer: msw's `delay`) and reset (a network error: fetch rejects with a TypeError). */
async function deliver(r: MockResponse): Promise<Response> {
  if (!r.fault) return toResponse(r);
  if (r.fault.delayMs) await delay(r.fault.delayMs);
  return r.fault.reset ? HttpResponse.error() : toResponse(r);
}

function toResponse(r: { status: number; headers: Readonly<Record<string, string>>; body: string }): Response {
  return new HttpResponse(r.body === '' ? null : r.body, { status: r.status, headers: r.headers });
}
