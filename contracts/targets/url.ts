/**
 * The URL target: any base URL — `serve`, the container, or a real account. When the target has
 * the control API (`/__mock/health` answers), each scenario's world is loaded with
 * `PUT /__mock/world` and its clock, client-IP, world and journal steps go through `/__mock/…`;
 * without it those steps are skipped with "needs control API".
 *
 * node:http is used rather than fetch so the Host header can name an account on a local server
 * (`myorg-myaccount.localhost:4010`), which is how `serve` routes accounts.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { JournalEntry } from '../../domain/journal.ts';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import type { WorldView } from '../../api/world-view.ts';
import type { OutgoingRequest, Target, TargetResponse } from './target.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/;

/**
 * A request the target sent as it went out (on the base URL, Host set when it names an account) and its answer; `run --record` writes these.
 *
 * @example
 * urlTarget(url, { onExchange: ({ request, response }) => console.log(request.method, response.status) })
 */
export interface SentExchange {
  readonly request: OutgoingRequest;
  readonly response: TargetResponse;
  readonly startedAt: string;
  readonly durationMs: number;
}

/**
 * Creates a target for a base URL.
 *
 * @example
 * await runScenarios(loaded, urlTarget('http://127.0.0.1:4010'))
 * urlTarget('http://127.0.0.1:4010', { onExchange: (e) => seen.push(e) }) // sees each scenario request and its answer
 */
export function urlTarget(baseUrl: string, options: { timeoutMs?: number; onExchange?: (exchange: SentExchange) => void } = {}): Target {
  const base = new URL(baseUrl);
  const root = base.href.replace(/\/$/, '');
  const send = (r: OutgoingRequest): Promise<TargetResponse> => sendHttp(r, options.timeoutMs ?? 15_000);
  const { onExchange } = options;
  // Only the scenario's own requests are seen (control API calls are the runner's plumbing).
  const sendSeen = onExchange === undefined ? send : async (r: OutgoingRequest): Promise<TargetResponse> => {
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const response = await send(r);
    onExchange({ request: r, response, startedAt, durationMs: Math.round(performance.now() - t0) });
    return response;
  };
  const control = async (method: string, path: string, body?: unknown): Promise<TargetResponse> => {
    const r = await send({ method, url: `${root}/__mock/${path}`, headers: { 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    if (r.status >= 400 && path !== 'health') throw new Error(`control API ${method} /__mock/${path} answered ${r.status}: ${r.body.slice(0, 500)}`);
    return r;
  };
  return {
    name: root,
    async open(loaded) {
      const hasControl = await probe(() => control('GET', 'health'));
      if (hasControl) {
        await control('PUT', 'world', loaded.world ?? defaultWorldConfig());
        if (loaded.scenario.client_ip !== undefined) await control('POST', 'client-ip', { ip: loaded.scenario.client_ip });
      }
      const caps = { clock: hasControl, world: hasControl, journal: hasControl, clientIp: hasControl };
      return {
        capabilities: caps,
        urlFor: (account, path) => root + path,
        send: (r) => sendSeen(onBase(withAccountHost(r, base), base, root)),
        now: async () => (hasControl ? (JSON.parse((await control('GET', 'clock')).body) as { epochMs: number }).epochMs : Date.now()),
        advance: async (by) => void (await control('POST', 'clock', { advance: by })),
        setClientIp: async (ip) => void (await control('POST', 'client-ip', { ip })),
        changeWorld: async (change) => (JSON.parse((await control('POST', 'world/change', change)).body) as { captured: Record<string, string> }).captured,
        lastJournal: async () => (JSON.parse((await control('GET', 'journal?limit=1')).body) as { entries: JournalEntry[] }).entries[0],
        view: async () => (hasControl ? (JSON.parse((await control('GET', 'world')).body) as WorldView) : undefined),
        close: async () => undefined,
      };
    },
  };
}

/**
 * Everything goes to the target's base URL, never elsewhere: a request written with an absolute URL
 * (`https://nosuch-account.snowflakecomputing.com/…`) is sent to the base with that host in the Host
 * header — how `serve` routes by host, and no scenario can make the runner reach another machine.
 */
function onBase(r: OutgoingRequest, base: URL, root: string): OutgoingRequest {
  const url = new URL(r.url);
  if (url.origin === base.origin) return r;
  return { ...r, url: root + url.pathname + url.search, headers: { ...r.headers, host: url.host } };
}

/** On a local server, name the account in the Host header (`<account>.localhost:<port>`). */
function withAccountHost(r: OutgoingRequest, base: URL): OutgoingRequest {
  if (r.account === undefined || !LOOPBACK.test(base.hostname)) return r;
  return { ...r, headers: { ...r.headers, host: `${r.account.toLowerCase()}.localhost${base.port ? `:${base.port}` : ''}` } };
}

async function probe(call: () => Promise<TargetResponse>): Promise<boolean> {
  try {
    const r = await call();
    return r.status === 200 && /"status"\s*:\s*"ok"/.test(r.body);
  } catch {
    return false;
  }
}

function sendHttp(r: OutgoingRequest, timeoutMs: number): Promise<TargetResponse> {
  const url = new URL(r.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: r.method, headers: r.headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.origin} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(r.body);
  });
}
