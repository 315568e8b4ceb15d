/**
 * Replay in-process: msw handlers answering from a recording, for `setupServer(...handlers)`, as
 * handlers/msw.ts does for the mock. They take the Snowflake host of each account the recording
 * addresses and the hosts it recorded (its upstream, each recorded Host); a request there that
 * matches nothing gets the replay-unmatched 404, never the network.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { decodeBody } from '../http/body.ts';
import type { MockRequest } from '../http/record.ts';
import { accountsOf } from './recording-accounts.ts';
import { createReplayEngine, type ReplayEngine, type ReplayOptions } from './replay-engine.ts';
import { readRecording, type Recording } from './store.ts';

/** Options of {@link createReplayHandlers}. */
export interface ReplayHandlerOptions extends ReplayOptions {
  /** Extra hosts to answer (`localhost`, `http://127.0.0.1:4010`) besides the recording's own. */
  readonly hosts?: readonly string[];
}

/**
 * msw handlers replaying the recording in `dir`; `.engine` gives its report.
 *
 * @example
 * const handlers = createReplayHandlers('recordings/pat-login', { strict: true })
 * const server = setupServer(...handlers)
 * server.listen({ onUnhandledFrame: 'error' })
 * // … run the client …
 * expect(handlers.engine.report().unmatched).toBe(0)
 */
export function createReplayHandlers(dir: string, options: ReplayHandlerOptions = {}): HttpHandler[] & { readonly engine: ReplayEngine } {
  const recording = readRecording(dir);
  const engine = createReplayEngine(recording, options);
  const ours = hostMatcher(recording, options.hosts ?? []);
  const handler = http.all(({ request }) => ours(new URL(request.url)), async ({ request }) => {
    const r = engine.handle(await toRecord(request));
    return new HttpResponse(r.body === '' ? null : r.body, { status: r.status, headers: r.headers });
  });
  return Object.assign([handler], { engine });
}

/**
 * A test for the hosts this replay answers: `<account>.snowflakecomputing.com` for each account the
 * recording addresses (any account when it is redacted), and the recorded hosts themselves — with
 * their port when they have one, so a replay of a recording made against `serve` on 127.0.0.1:4010
 * does not take every other local server of the test too.
 */
function hostMatcher(recording: Recording, extra: readonly string[]): (url: URL) => boolean {
  const hosts = new Set<string>();
  let anyAccount = false;
  for (const account of accountsOf(recording)) {
    if (account.startsWith('__redacted_')) anyAccount = true;
    else hosts.add(`${account.toLowerCase()}.snowflakecomputing.com`);
  }
  const add = (host: string): void => {
    if (host.includes('__redacted_')) anyAccount = true;
    else if (host !== '') hosts.add(host.toLowerCase());
  };
  add(hostOf(recording.manifest.upstream));
  for (const e of recording.exchanges) if (e.request.host) add(e.request.host);
  for (const h of extra) add(/^[a-z]+:\/\//i.test(h) ? hostOf(h) : h);
  return (url) => hosts.has(url.host.toLowerCase()) || hosts.has(url.hostname.toLowerCase()) || (anyAccount && /\.snowflakecomputing\.(com|cn)$/i.test(url.hostname));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

async function toRecord(request: Request): Promise<MockRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const bytes = request.body ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array();
  return {
    method: request.method.toUpperCase(),
    host: url.hostname.toLowerCase(),
    path: url.pathname,
    query: url.search.slice(1),
    headers: { host: url.host, ...headers },
    body: decodeBody(bytes, headers['content-encoding']).body,
    clientIp: headers['x-forwarded-for']?.split(',')[0]?.trim() || '127.0.0.1',
  };
}
