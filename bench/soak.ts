/**
 * `npx node bench/soak.ts [--seconds 60] [--window 10] [--select-seconds 10]` (issue #14): does
 * `serve` stay as fast, and stop growing, once every bounded store is full?
 *
 * The server runs in a child process (server-child.ts, `mock` mode: so the RSS is the server's), on
 * its own core when `taskset` exists. First `SELECT 1` with a PAT is measured on the fresh server;
 * then a state-creating mix drives it at saturation for `--seconds`:
 * - OAuth: authorize (a code) → code exchange (a refresh token and an access token); on some
 *   connections the new access token then runs a statement (an OAuth bearer decision) and is
 *   refreshed (another access token);
 * - driver: login-request (a session) → query-request on that session;
 * - SQL API: statements with a PAT (a statement handle each, a journal entry each);
 * - key-pair JWT: statements with freshly signed JWTs (new iat/jti: the verifier's caches and the
 *   decision cache fill), reusing the newest one while the signer catches up.
 * Every `--window` seconds it samples the requests answered, the server's CPU, RSS and heap, and
 * how full each store is (over the child's IPC channel). Then `SELECT 1` is measured again, on the
 * full stores. It prints a table and writes bench/results/soak-latest.json.
 *
 * The goal: throughput flat within noise across windows and memory levelling off once the stores
 * are at their caps. "live" is the heap right after the latest mark-compact GC, about the data the
 * server holds: it should stop growing once the stores are full. RSS and heapUsed also count garbage
 * that V8 lets pile up between full GCs (its limit grows with the live size, so on a large machine
 * RSS levels off only after a few full GCs; `--seconds 180` shows it). Loopback only; every phase is
 * bounded in time.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signKeypairJwt } from '../domain/auth/keypair-jwt-sign.ts';
import { MAX_ISSUED_TOKENS } from '../domain/auth/oauth-token.ts';
import { MAX_CODES, MAX_REFRESH_TOKENS } from '../domain/oauth/server-store.ts';
import { MAX_SESSIONS } from '../domain/session/sessions.ts';

const { values: opts } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, window: { type: 'string', default: '10' }, 'select-seconds': { type: 'string', default: '10' } },
});
const SECONDS = Number(opts.seconds);
const WINDOW = Number(opts.window);
const SELECT_SECONDS = Number(opts['select-seconds']);
if (!(SECONDS > 0 && WINDOW > 0 && SELECT_SECONDS > 0)) throw new Error('usage: soak.ts [--seconds 60] [--window 10] [--select-seconds 10]');
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** What the child answers over IPC (server-child.ts). */
interface Stats {
  readonly rss: number;
  readonly heapUsed: number;
  /** User + system CPU time of the child so far, µs. */
  readonly cpuUs: number;
  /** Mark-compact GCs so far, and heapUsed right after the latest (≈ the live data; 0 before the first). */
  readonly majorGcs: number;
  readonly liveAfterMajorGc: number;
  readonly stores: Readonly<Record<string, number>>;
}

/**
 * The caps the stores fill to: the exported limits, and the defaults `createCore` takes for the
 * rest (createJournal 10 000, createStatementStore 1 000, createDecisionCache 10 000,
 * createKeypairJwtVerifier 10 000), none of which `startServer` lets a caller lower but the journal's.
 */
const CAPS: Readonly<Record<string, number>> = {
  journal: 10_000, statements: 1_000, accessTokens: MAX_ISSUED_TOKENS, refreshTokens: MAX_REFRESH_TOKENS,
  codes: MAX_CODES, sessions: MAX_SESSIONS, decisions: 10_000, verifiedJwts: 10_000,
};

const pinning = availableParallelism() >= 2 && existsSync('/usr/bin/taskset');
if (pinning) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

function startChild(): Promise<{ child: ChildProcess; port: number }> {
  const [cmd, args] = pinning ? ['taskset', ['-c', '0', process.execPath]] : [process.execPath, []];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args, here('./server-child.ts'), 'mock'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /ready (\d+)/.exec(chunk.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function ask<T>(child: ChildProcess, question: 'stats' | 'gc'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not answer ${question} within 30 s`)), 30_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as T);
    });
    child.send(question);
  });
}

const stats = (child: ChildProcess): Promise<Stats> => ask<Stats>(child, 'stats');

const PAT_HEADERS = { authorization: 'Bearer pat-alice-ci', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' };
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const SELECT_1 = '{"statement":"SELECT 1"}';

/** SELECT 1 with a PAT, as serve-bench measures it: 32 connections, a 2 s warm-up, then `seconds`. */
async function select1(port: number, seconds: number): Promise<{ rps: number; p99: number; non2xx: number }> {
  const o = { url: `http://127.0.0.1:${port}/api/v2/statements`, method: 'POST' as const, headers: { ...JSON_HEADERS, ...PAT_HEADERS }, body: SELECT_1, connections: 32 };
  await autocannon({ ...o, duration: 2 });
  const r = await autocannon({ ...o, duration: seconds });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from('test-app-client:test-app-secret').toString('base64') };
const REDIRECT = 'http://localhost:8080/callback';
const AUTHORIZE = `/oauth/authorize?${new URLSearchParams({ client_id: 'test-app-client', response_type: 'code', redirect_uri: REDIRECT, scope: 'refresh_token', login_hint: 'alice' })}`;
const LOGIN = JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password', ACCOUNT_NAME: 'MYORG-MYACCOUNT', CLIENT_APP_ID: 'JavaScript', CLIENT_APP_VERSION: '2.0.0' } });

type Context = Record<string, string | undefined>;
type Req = { path: string; method: string; headers: Record<string, string>; body?: string | Buffer };
/** autocannon's request step, as used here: setupRequest may answer null (start the flow over), which its types do not say. */
interface Step {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly setupRequest?: (req: Req, ctx: Context) => Req | null;
  readonly onResponse?: (status: number, body: string, ctx: Context, headers: Record<string, string | undefined>) => void;
}
const json = (body: string): Record<string, unknown> => {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
};

// Fresh key-pair JWTs (new iat, jti): signed in the background at a bounded rate, so the load
// generator keeps most of its core; requests reuse the newest one while none is waiting.
const aliceKey = createPrivateKey(readFileSync(here('../fixtures/keys/alice.p8'), 'utf8'));
const alicePublic = createPublicKey(aliceKey);
const fresh: string[] = [];
let newest = '';
let signed = 0;
async function signSome(count: number): Promise<void> {
  for (let i = 0; i < count && fresh.length < 512; i++) {
    fresh.push(await signKeypairJwt({ privateKey: aliceKey, publicKey: alicePublic, account: 'MYORG-MYACCOUNT', user: 'ALICE', claims: { jti: `soak-${++signed}` } }));
  }
}
function nextJwt(): string {
  newest = fresh.shift() ?? newest;
  return newest;
}

/** One group of connections looping over one flow; a step without what it needs starts the flow over. */
interface Group {
  readonly name: string;
  readonly connections: number;
  readonly requests: readonly Step[];
  /** Statuses of a step that did what it should (2xx, and the authorize redirect). */
  readonly ok: (status: number) => boolean;
}

const is2xx = (s: number): boolean => s >= 200 && s < 300;
const CODE_FLOW: readonly Step[] = [
  { method: 'GET', path: AUTHORIZE, onResponse: (_s, _b, ctx, headers) => void (ctx.code = codeOf(headers.location)) },
  {
    method: 'POST', path: '/oauth/token-request', headers: FORM,
    setupRequest: (req, ctx) => (ctx.code ? { ...req, body: `grant_type=authorization_code&code=${ctx.code}&redirect_uri=${encodeURIComponent(REDIRECT)}` } : null),
    onResponse: (_s, body, ctx) => {
      const t = json(body);
      ctx.access = typeof t.access_token === 'string' ? t.access_token : undefined;
      ctx.refresh = typeof t.refresh_token === 'string' ? t.refresh_token : undefined;
    },
  },
];
// Connections per group: mostly the flows that fill the largest stores (200 000 refresh and access tokens, 100 000
// sessions), so that they are full well before the end; a SQL API statement fills its stores (1000, 10 000) at once.
const GROUPS: Group[] = [
  { name: 'oauth', connections: 18, ok: (s) => is2xx(s) || s === 302, requests: CODE_FLOW },
  {
    name: 'oauth-use', connections: 2, ok: (s) => is2xx(s) || s === 302,
    requests: [
      ...CODE_FLOW,
      {
        method: 'POST', path: '/api/v2/statements', body: SELECT_1,
        setupRequest: (req, ctx) => (ctx.access ? { ...req, headers: { ...JSON_HEADERS, authorization: `Bearer ${ctx.access}`, 'x-snowflake-authorization-token-type': 'OAUTH' } } : null),
      },
      {
        method: 'POST', path: '/oauth/token-request', headers: FORM,
        setupRequest: (req, ctx) => (ctx.refresh ? { ...req, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(ctx.refresh)}` } : null),
      },
    ],
  },
  {
    name: 'driver', connections: 9, ok: is2xx,
    requests: [
      { method: 'POST', path: '/session/v1/login-request', headers: JSON_HEADERS, body: LOGIN, onResponse: (_s, body, ctx) => void (ctx.token = sessionToken(body)) },
      {
        method: 'POST', path: '/queries/v1/query-request', body: '{"sqlText":"SELECT 1"}',
        setupRequest: (req, ctx) => (ctx.token ? { ...req, headers: { ...JSON_HEADERS, authorization: `Snowflake Token="${ctx.token}"` } } : null),
      },
    ],
  },
  { name: 'sql-pat', connections: 1, ok: is2xx, requests: [{ method: 'POST', path: '/api/v2/statements', headers: { ...JSON_HEADERS, ...PAT_HEADERS }, body: SELECT_1 }] },
  {
    name: 'jwt', connections: 2, ok: is2xx,
    requests: [{
      method: 'POST', path: '/api/v2/statements', body: SELECT_1,
      setupRequest: (req) => ({ ...req, headers: { ...JSON_HEADERS, authorization: `Bearer ${nextJwt()}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' } }),
    }],
  },
];

function codeOf(location: string | undefined): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location).searchParams.get('code') ?? undefined;
  } catch {
    return undefined;
  }
}

function sessionToken(body: string): string | undefined {
  const data = json(body).data as { token?: unknown } | undefined;
  return typeof data?.token === 'string' ? data.token : undefined;
}

/** Busy CPU time of the whole machine so far, µs, from /proc/stat (Linux), or null. */
function machineCpu(): number | null {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields.map(Number);
    return ((user + nice + system + irq + softirq + steal) / 100) * 1e6; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function percentOther(before: number | null, after: number | null, oursUs: number, seconds: number): number | null {
  return before === null || after === null ? null : Math.max(0, ((after - before - oursUs) / 1e6 / seconds) * 100);
}

interface Window {
  readonly window: number;
  readonly seconds: number;
  readonly rps: number;
  readonly byGroup: Readonly<Record<string, number>>;
  readonly failed: number;
  /** Server CPU over the window, % of one core. */
  readonly serverCpu: number;
  /** This process's (the load generator's) CPU over the window, % of one core: near 100, it is what limits the rate. */
  readonly loadCpu: number;
  /** CPU used by every other process of the machine over the window, % of one core (Linux; null elsewhere): a shared machine's noise. */
  readonly otherCpu: number | null;
  readonly rssMiB: number;
  readonly heapMiB: number;
  /** Heap right after the latest mark-compact (≈ live data), and how many there were in the window. */
  readonly liveMiB: number;
  readonly majorGcs: number;
  readonly stores: Readonly<Record<string, number>>;
}

/** Runs every group at once for SECONDS, sampling every WINDOW seconds. */
async function soak(child: ChildProcess, port: number): Promise<Window[]> {
  const counts = new Map<string, number>(GROUPS.map((g) => [g.name, 0]));
  let failed = 0;
  const failures = new Map<string, number>();
  await signSome(64);
  const signer = setInterval(() => void signSome(6), 20); // ≤ 300 JWTs/s
  const ownCpu = (): number => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const first = await stats(child);
  let last = { at: performance.now(), counts: new Map(counts), failed: 0, cpuUs: first.cpuUs, majorGcs: first.majorGcs, loadUs: ownCpu(), machineUs: machineCpu() };
  const runs = GROUPS.map((g) => new Promise<autocannon.Result>((resolve, reject) => {
    const requests = g.requests as unknown as autocannon.Request[];
    const instance = autocannon({ url: `http://127.0.0.1:${port}`, connections: g.connections, duration: SECONDS, requests }, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('response', (_client, status) => {
      counts.set(g.name, counts.get(g.name)! + 1);
      if (!g.ok(status)) {
        failed++;
        const key = `${g.name} ${status}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
    });
  }));
  last.at = performance.now();
  const windows: Window[] = [];
  const windowCount = Math.ceil(SECONDS / WINDOW);
  for (let w = 1; w <= windowCount; w++) {
    const end = Math.min(w * WINDOW, SECONDS);
    await new Promise((r) => setTimeout(r, Math.max(0, last.at + (end - (w - 1) * WINDOW) * 1000 - performance.now())));
    const s = await stats(child);
    const now = performance.now();
    const seconds = (now - last.at) / 1000;
    const byGroup = Object.fromEntries(GROUPS.map((g) => [g.name, Math.round((counts.get(g.name)! - last.counts.get(g.name)!) / seconds)]));
    const total = Object.values(byGroup).reduce((a, x) => a + x, 0);
    windows.push({
      window: w, seconds, rps: total, byGroup, failed: failed - last.failed, serverCpu: ((s.cpuUs - last.cpuUs) / 1e6 / seconds) * 100, loadCpu: ((ownCpu() - last.loadUs) / 1e6 / seconds) * 100,
      otherCpu: percentOther(last.machineUs, machineCpu(), s.cpuUs - last.cpuUs + ownCpu() - last.loadUs, seconds),
      rssMiB: s.rss / 2 ** 20, heapMiB: s.heapUsed / 2 ** 20, liveMiB: s.liveAfterMajorGc / 2 ** 20, majorGcs: s.majorGcs - last.majorGcs, stores: s.stores,
    });
    process.stderr.write(`window ${w}/${windowCount}: ${total} req/s, RSS ${(s.rss / 2 ** 20).toFixed(0)} MiB\n`);
    last = { at: now, counts: new Map(counts), failed, cpuUs: s.cpuUs, majorGcs: s.majorGcs, loadUs: ownCpu(), machineUs: machineCpu() };
  }
  await Promise.all(runs);
  clearInterval(signer);
  if (failures.size > 0) console.error(`\nunexpected statuses during the soak: ${[...failures].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  return windows;
}

const { child, port } = await startChild();
let exitCode = 0;
try {
  process.stderr.write(`SELECT 1 before the soak (${SELECT_SECONDS} s)…\n`);
  const before = await select1(port, SELECT_SECONDS);
  const atStart = await stats(child);
  process.stderr.write(`soak: ${SECONDS} s at saturation…\n`);
  const windows = await soak(child, port);
  process.stderr.write(`SELECT 1 after the soak (${SELECT_SECONDS} s)…\n`);
  const after = await select1(port, SELECT_SECONDS);
  const atEnd = await stats(child);
  // Last, so it changes nothing measured: a forced full GC, and the live heap the full stores hold.
  const collected = await ask<{ live: number; rss: number }>(child, 'gc');

  const mib = (x: number): string => x.toFixed(0);
  console.log(`\nsoak: ${SECONDS} s at saturation, ${GROUPS.reduce((a, g) => a + g.connections, 0)} connections (${GROUPS.map((g) => `${g.name} ${g.connections}`).join(', ')}), loopback${pinning ? ', server on core 0, load generator on core 1' : ''}\n`);
  console.log('window'.padEnd(10) + 'req/s'.padStart(8) + GROUPS.map((g) => g.name.padStart(10)).join('') + 'failed'.padStart(8) + 'cpu %'.padStart(7) + 'gen %'.padStart(7) + 'other %'.padStart(9) + 'RSS MiB'.padStart(9) + 'heap MiB'.padStart(10) + 'live MiB'.padStart(10) + 'full GCs'.padStart(10) + '   stores (journal/statements/access/refresh/codes/sessions/decisions/jwts)');
  for (const w of windows) {
    const s = w.stores;
    const fill = [s.journal, s.statements, s.accessTokens, s.refreshTokens, s.codes, s.sessions, s.decisions, s.verifiedJwts].map((n) => String(n)).join('/');
    console.log(`${((w.window - 1) * WINDOW)}-${(w.window - 1) * WINDOW + Math.round(w.seconds)} s`.padEnd(10) + String(w.rps).padStart(8) + GROUPS.map((g) => String(w.byGroup[g.name]).padStart(10)).join('') + String(w.failed).padStart(8) + w.serverCpu.toFixed(0).padStart(7) + w.loadCpu.toFixed(0).padStart(7) + (w.otherCpu === null ? '-' : w.otherCpu.toFixed(0)).padStart(9) + mib(w.rssMiB).padStart(9) + mib(w.heapMiB).padStart(10) + mib(w.liveMiB).padStart(10) + String(w.majorGcs).padStart(10) + '   ' + fill);
  }
  console.log('\nstore'.padEnd(16) + 'cap'.padStart(10) + 'at end'.padStart(10) + '  full');
  for (const [name, cap] of Object.entries(CAPS)) {
    const n = atEnd.stores[name] ?? 0;
    console.log(name.padEnd(15) + String(cap).padStart(10) + String(n).padStart(10) + `  ${n >= cap ? 'yes' : `no (${((n / cap) * 100).toFixed(0)} %)`}`);
  }
  const ratio = after.rps / before.rps;
  console.log(`\nSELECT 1 with a PAT, 32 connections, ${SELECT_SECONDS} s: before ${before.rps.toFixed(0)} req/s (p99 ${before.p99} ms, RSS ${mib(atStart.rss / 2 ** 20)} MiB), after ${after.rps.toFixed(0)} req/s (p99 ${after.p99} ms, RSS ${mib(atEnd.rss / 2 ** 20)} MiB): ${(ratio * 100).toFixed(0)} % of before`);
  const entries = Object.keys(CAPS).reduce((a, name) => a + (atEnd.stores[name] ?? 0), 0);
  console.log(`live heap after a forced full GC at the end: ${mib(collected.live / 2 ** 20)} MiB (before the soak ${mib(atStart.heapUsed / 2 ** 20)} MiB heap used), RSS ${mib(collected.rss / 2 ** 20)} MiB; ${entries} entries in the stores`);
  console.log(`fresh key-pair JWTs signed: ${signed}`);

  mkdirSync(here('./results'), { recursive: true });
  writeFileSync(here('./results/soak-latest.json'), JSON.stringify({
    at: new Date().toISOString(), seconds: SECONDS, window: WINDOW, selectSeconds: SELECT_SECONDS, pinning,
    groups: GROUPS.map((g) => ({ name: g.name, connections: g.connections })), caps: CAPS,
    before: { ...before, rssMiB: atStart.rss / 2 ** 20 }, windows, after: { ...after, rssMiB: atEnd.rss / 2 ** 20, stores: atEnd.stores }, afterVsBefore: ratio, jwtsSigned: signed,
    liveAfterFullGcMiB: collected.live / 2 ** 20, rssAfterFullGcMiB: collected.rss / 2 ** 20,
  }, null, 2));
  if (before.non2xx + after.non2xx > 0) {
    console.error('\nsome SELECT 1 requests were not 2xx: the measurement did not measure what it claims');
    exitCode = 1;
  }
} finally {
  child.removeAllListeners('exit');
  child.kill();
}
process.exitCode = exitCode;
