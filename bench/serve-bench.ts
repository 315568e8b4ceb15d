/**
 * `npm run bench`: requests/s and p99 of `serve` for SELECT 1 with PAT auth and with a reused
 * key-pair JWT, beside a bare node:http server answering fixed JSON — same machine, same run —
 * reported as ratios. Loopback only; every run is bounded in time.
 *
 * Fairness on a small, shared machine: the server under test is pinned to one core and the load
 * generator (this process) to another when `taskset` exists, the three servers are measured in
 * interleaved rounds, and the medians are reported.
 *
 * Targets (issue #2): PAT ≥ 50 % of bare, reused JWT ≥ 40 % of bare.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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
  readonly mode: 'bare' | 'mock';
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

function startChild(mode: Run['mode']): Promise<{ child: ChildProcess; port: number }> {
  const [cmd, args] = pinning ? ['taskset', ['-c', '0', process.execPath]] : [process.execPath, []];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args, here('./server-child.ts'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /ready (\d+)/.exec(chunk.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

async function measure(run: Run): Promise<Sample> {
  const { child, port } = await startChild(run.mode);
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

const aliceKey = readFileSync(here('../fixtures/keys/alice.p8'), 'utf8');
const freshJwt = (): Promise<string> => signKeypairJwt({ privateKey: aliceKey, account: 'MYORG-MYACCOUNT', user: 'ALICE', lifetimeSeconds: 3540 });
const RUNS: Run[] = [
  { name: 'bare node:http, fixed JSON', mode: 'bare', request: () => ({ headers: {} }) },
  { name: 'serve, SELECT 1, PAT', mode: 'mock', request: () => ({ headers: { authorization: 'Bearer pat-alice-ci', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' } }), target: 0.5 },
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
mkdirSync(here('./results'), { recursive: true });
writeFileSync(here('./results/latest.json'), JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, pinning, summary }, null, 2));
if (summary.some((r) => r.non2xx > 0)) {
  console.error('\nsome requests were not 2xx: the benchmark did not measure what it claims');
  process.exitCode = 1;
}
