/**
 * `npm run bench`: requests/s and p99 of `serve` for SELECT 1 with PAT auth and with a reused
 * key-pair JWT, beside a bare node:http server answering fixed JSON — same machine, same run —
 * reported as ratios. Loopback only; each run is bounded in time.
 *
 * Targets (issue #2): PAT ≥ 50 % of bare, reused JWT ≥ 40 % of bare.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signKeypairJwt } from '../src/domain/auth/keypair-jwt-sign.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

interface Result {
  readonly name: string;
  readonly rps: number;
  readonly p99: number;
  readonly non2xx: number;
}

function startChild(mode: 'bare' | 'mock'): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here('./server-child.ts'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /ready (\d+)/.exec(chunk.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

async function load(name: string, port: number, headers: Record<string, string>): Promise<Result> {
  const opts = { url: `http://127.0.0.1:${port}/api/v2/statements`, method: 'POST' as const, headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: '{"statement":"SELECT 1"}', connections: CONNECTIONS };
  await autocannon({ ...opts, duration: 2 }); // warm-up: JIT, key cache, connection pool
  const r = await autocannon({ ...opts, duration: SECONDS });
  return { name, rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
}

async function measure(mode: 'bare' | 'mock', runs: [string, Record<string, string>][]): Promise<Result[]> {
  const { child, port } = await startChild(mode);
  try {
    const results: Result[] = [];
    for (const [name, headers] of runs) results.push(await load(name, port, headers));
    return results;
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

const jwt = signKeypairJwt({ privateKey: readFileSync(here('../fixtures/keys/alice.p8'), 'utf8'), account: 'MYORG-MYACCOUNT', user: 'ALICE', lifetimeSeconds: 3540 });
const [bare] = await measure('bare', [['bare node:http, fixed JSON', {}]]);
const mock = await measure('mock', [
  ['serve, SELECT 1, PAT', { authorization: 'Bearer pat-alice-ci', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' }],
  ['serve, SELECT 1, reused key-pair JWT', { authorization: `Bearer ${jwt}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' }],
]);

const rows = [bare!, ...mock];
const targets: Record<string, number> = { 'serve, SELECT 1, PAT': 0.5, 'serve, SELECT 1, reused key-pair JWT': 0.4 };
console.log(`\n${SECONDS}s per run, ${CONNECTIONS} connections, loopback\n`);
console.log('run'.padEnd(40) + 'req/s'.padStart(10) + 'p99 ms'.padStart(9) + 'non-2xx'.padStart(9) + '  ratio   target');
for (const r of rows) {
  const ratio = r.rps / bare!.rps;
  const target = targets[r.name];
  const verdict = target === undefined ? '' : `${(ratio * 100).toFixed(0)} %`.padStart(6) + `   ≥ ${target * 100} % ${ratio >= target ? 'met' : 'MISSED'}`;
  console.log(r.name.padEnd(40) + r.rps.toFixed(0).padStart(10) + String(r.p99).padStart(9) + String(r.non2xx).padStart(9) + '  ' + verdict);
}
mkdirSync(here('./results'), { recursive: true });
writeFileSync(here('./results/latest.json'), JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, connections: CONNECTIONS, rows }, null, 2));
if (mock.some((r) => r.non2xx > 0)) {
  console.error('\nsome requests were not 2xx: the benchmark did not measure what it claims');
  process.exitCode = 1;
}
