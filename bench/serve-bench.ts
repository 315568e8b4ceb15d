/**
 * `npm run bench`: requests/s and p99 of `serve` for SELECT 1 with PAT auth and with a reused
 * key-pair JWT, beside a bare node:http server answering fixed JSON — same machine, same run —
 * reported as ratios. Loopback only; every run is bounded in time.
 *
 * Fairness on a small, shared machine: the server under test is pinned to one core and the load
 * generator (this process) to another when `taskset` exists, the three servers are measured in
 * interleaved rounds, and the medians are reported.
 *
 * Targets (issue #2): PAT ≥ 50 % of bare, reused JWT ≥ 40 % of bare; `serve --replay` of a recorded
 * SELECT 1 ≥ 40 % (issue #11). Then the recording proxy's added latency: sequential requests
 * straight to `serve` and through the proxy in record mode, p50 and p99 of each.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signKeypairJwt } from '../domain/auth/keypair-jwt-sign.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

interface Sample {
  readonly rps: number;
  readonly p99: number;
  readonly non2xx: number;
}

interface Run {
  readonly name: string;
  readonly mode: 'bare' | 'mock' | 'replay';
  /** Arguments after the mode (the recording folder of `replay`). */
  readonly args?: readonly string[];
  /** Built right before each measurement (a key-pair JWT must be fresh: 60 s issue window; a refresh token needs a code). */
  readonly request: (port: number) => Promise<Prepared> | Prepared;
  readonly target?: number;
}

interface Prepared {
  readonly path?: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const pinning = availableParallelism() >= 2 && existsSync('/usr/bin/taskset');
if (pinning) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

function startChild(mode: Run['mode'] | 'proxy', extra: readonly string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const [cmd, args] = pinning ? ['taskset', ['-c', '0', process.execPath]] : [process.execPath, []];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args, here('./server-child.ts'), mode, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /ready (\d+)/.exec(chunk.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

async function measure(run: Run): Promise<Sample> {
  const { child, port } = await startChild(run.mode, run.args);
  try {
    const prepared = await run.request(port);
    const opts = { url: `http://127.0.0.1:${port}${prepared.path ?? '/api/v2/statements'}`, method: 'POST' as const, headers: { 'content-type': 'application/json', accept: 'application/json', ...prepared.headers }, body: prepared.body ?? '{"statement":"SELECT 1"}', connections: CONNECTIONS };
    await autocannon({ ...opts, duration: 2 }); // warm-up: JIT, caches, connection pool
    const r = await autocannon({ ...opts, duration: SECONDS });
    return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

const TEST_APP_BASIC = 'Basic ' + Buffer.from('test-app-client:test-app-secret').toString('base64');

/** A refresh token from the default world's auto-consent TEST_APP: authorize → code → exchange. */
async function refreshToken(port: number): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  const q = new URLSearchParams({ client_id: 'test-app-client', response_type: 'code', redirect_uri: 'http://localhost:8080/callback', scope: 'refresh_token', login_hint: 'alice' });
  const authorize = await fetch(`${base}/oauth/authorize?${q}`, { redirect: 'manual' });
  const code = new URL(authorize.headers.get('location') ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error(`authorize answered ${authorize.status} without a code`);
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:8080/callback' });
  const token = (await (await fetch(`${base}/oauth/token-request`, { method: 'POST', headers: { authorization: TEST_APP_BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as { refresh_token?: string };
  if (!token.refresh_token) throw new Error(`no refresh token: ${JSON.stringify(token)}`);
  return token.refresh_token;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

const PAT_HEADERS = { authorization: 'Bearer pat-alice-ci', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' };
const select1 = (base: string): Promise<Response> =>
  fetch(`${base}/api/v2/statements`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...PAT_HEADERS }, body: '{"statement":"SELECT 1"}' });

/** Stops a child and waits for it (the proxy writes its manifest on SIGTERM). */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Records one PAT SELECT 1 through the recording proxy in front of `serve`: what `serve --replay` answers below. */
async function recordSelect1(dir: string): Promise<void> {
  const mock = await startChild('mock');
  const proxy = await startChild('proxy', [`http://127.0.0.1:${mock.port}`, dir]);
  const answer = await select1(`http://127.0.0.1:${proxy.port}`);
  if (answer.status !== 200) throw new Error(`recording SELECT 1 through the proxy answered ${answer.status}`);
  await answer.arrayBuffer();
  await stop(proxy.child);
  await stop(mock.child);
}

/** Sequential round trips (ms) of SELECT 1 against `base`. */
async function roundTrips(base: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const answer = await select1(base);
    await answer.arrayBuffer();
    if (answer.status !== 200) throw new Error(`SELECT 1 answered ${answer.status}`);
    times.push(performance.now() - start);
  }
  return times;
}

/** The proxy's added latency: the same requests straight to `serve` and through the proxy (record mode), interleaved in blocks. */
async function proxyLatency(dir: string, count: number): Promise<{ direct: number[]; proxied: number[] }> {
  const mock = await startChild('mock');
  const proxy = await startChild('proxy', [`http://127.0.0.1:${mock.port}`, dir]);
  const direct: number[] = [];
  const proxied: number[] = [];
  try {
    await roundTrips(`http://127.0.0.1:${mock.port}`, 50); // warm-up of both paths
    await roundTrips(`http://127.0.0.1:${proxy.port}`, 50);
    for (let block = 0; block < 5; block++) {
      direct.push(...(await roundTrips(`http://127.0.0.1:${mock.port}`, count / 5)));
      proxied.push(...(await roundTrips(`http://127.0.0.1:${proxy.port}`, count / 5)));
    }
  } finally {
    await stop(proxy.child);
    await stop(mock.child);
  }
  return { direct, proxied };
}

const scratch = mkdtempSync(join(tmpdir(), 'sam-bench-'));
const recording = join(scratch, 'select1');
await recordSelect1(recording);

const aliceKey = readFileSync(here('../fixtures/keys/alice.p8'), 'utf8');
const freshJwt = (): Promise<string> => signKeypairJwt({ privateKey: aliceKey, account: 'MYORG-MYACCOUNT', user: 'ALICE', lifetimeSeconds: 3540 });
const RUNS: Run[] = [
  { name: 'bare node:http, fixed JSON', mode: 'bare', request: () => ({ headers: {} }) },
  { name: 'serve, SELECT 1, PAT', mode: 'mock', request: () => ({ headers: PAT_HEADERS }), target: 0.5 },
  { name: 'serve, SELECT 1, reused key-pair JWT', mode: 'mock', request: async () => ({ headers: { authorization: `Bearer ${await freshJwt()}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' } }), target: 0.4 },
  {
    name: 'serve, token-request, refresh grant',
    mode: 'mock',
    request: async (port) => ({
      path: '/oauth/token-request',
      headers: { authorization: TEST_APP_BASIC, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: await refreshToken(port) }).toString(),
    }),
    target: 0.4,
  },
  { name: 'serve --replay, recorded SELECT 1, PAT', mode: 'replay', args: [recording], request: () => ({ headers: PAT_HEADERS }), target: 0.4 },
];

const samples = new Map<string, Sample[]>(RUNS.map((r) => [r.name, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const run of RUNS) samples.get(run.name)!.push(await measure(run));
  process.stderr.write(`round ${round}/${ROUNDS} done\n`);
}

const summary = RUNS.map((run) => {
  const s = samples.get(run.name)!;
  return { name: run.name, target: run.target, rps: median(s.map((x) => x.rps)), p99: median(s.map((x) => x.p99)), non2xx: s.reduce((a, x) => a + x.non2xx, 0), all: s.map((x) => Math.round(x.rps)) };
});
const bare = summary[0]!;
console.log(`\n${ROUNDS} interleaved rounds × ${SECONDS}s, ${CONNECTIONS} connections, loopback${pinning ? ', server on core 0, load generator on core 1' : ''}; medians\n`);
console.log('run'.padEnd(40) + 'req/s'.padStart(9) + 'p99 ms'.padStart(8) + 'p99 ×'.padStart(7) + 'non-2xx'.padStart(9) + '   ratio  target       per round (req/s)');
for (const r of summary) {
  const ratio = r.rps / bare.rps;
  const verdict = r.target === undefined ? ''.padEnd(22) : `${(ratio * 100).toFixed(0)} %`.padStart(7) + `  ≥ ${r.target * 100} % ${ratio >= r.target ? 'met   ' : 'MISSED'}`;
  const p99x = bare.p99 > 0 ? `${(r.p99 / bare.p99).toFixed(1)}` : '-';
  console.log(r.name.padEnd(40) + r.rps.toFixed(0).padStart(9) + String(r.p99).padStart(8) + p99x.padStart(7) + String(r.non2xx).padStart(9) + verdict + '  ' + r.all.join(' / '));
}
const LATENCY_REQUESTS = Number(process.env.BENCH_PROXY_REQUESTS ?? 1000);
const latency = await proxyLatency(join(scratch, 'latency'), LATENCY_REQUESTS);
const ms = (x: number): string => x.toFixed(2);
const [d50, d99, p50, p99] = [percentile(latency.direct, 0.5), percentile(latency.direct, 0.99), percentile(latency.proxied, 0.5), percentile(latency.proxied, 0.99)];
console.log(`\nrecording proxy, record mode, ${LATENCY_REQUESTS} sequential SELECT 1 each way (interleaved blocks):`);
console.log(`  straight to serve   p50 ${ms(d50)} ms   p99 ${ms(d99)} ms`);
console.log(`  through the proxy   p50 ${ms(p50)} ms   p99 ${ms(p99)} ms   (added: p50 +${ms(p50 - d50)} ms, p99 +${ms(p99 - d99)} ms)`);
rmSync(scratch, { recursive: true, force: true });

mkdirSync(here('./results'), { recursive: true });
const proxy = { requests: LATENCY_REQUESTS, directP50: d50, directP99: d99, proxiedP50: p50, proxiedP99: p99 };
writeFileSync(here('./results/latest.json'), JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, pinning, summary, proxy }, null, 2));
if (summary.some((r) => r.non2xx > 0)) {
  console.error('\nsome requests were not 2xx: the benchmark did not measure what it claims');
  process.exitCode = 1;
}
