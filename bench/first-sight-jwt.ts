/**
 * `npm run bench` (second part): the cost of a key-pair JWT the mock has NOT seen before — the one
 * path where jose verifies a signature (decisions/0011). Reused JWTs are answered from the
 * verifier's cache and are measured by serve-bench.ts over HTTP; this measures `core.handle`
 * in-process, so the number is the verification path itself, not the transport.
 *
 * Tokens are signed before timing starts (RS256 signing is ~1 ms each), each used once: sequentially
 * (latency of one verification) and with many in flight (throughput of jose's async crypto).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signKeypairJwt } from '../domain/auth/keypair-jwt-sign.ts';
import { defaultWorldConfig } from '../domain/world/default-world.ts';
import { createCore } from '../http/core.ts';
import type { MockRequest } from '../http/record.ts';

const N = Number(process.env.BENCH_JWTS ?? 2000);
const key = readFileSync(fileURLToPath(new URL('../fixtures/keys/alice.p8', import.meta.url)), 'utf8');
const core = createCore({ config: defaultWorldConfig(), seed: 1 });
const request = (token: string): MockRequest => ({
  method: 'POST', host: 'myorg-myaccount.snowflakecomputing.com', path: '/api/v2/statements', query: '', clientIp: '127.0.0.1', body: '{"statement":"SELECT 1"}',
  headers: { authorization: `Bearer ${token}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT', 'content-type': 'application/json', accept: 'application/json' },
});

/** `count` distinct tokens: a different lifetime each, so every signature is new. */
async function tokens(count: number): Promise<string[]> {
  const now = core.clock.now();
  return Promise.all(Array.from({ length: count }, (_, i) => signKeypairJwt({ privateKey: key, account: 'MYORG-MYACCOUNT', user: 'ALICE', now, lifetimeSeconds: 600 + i })));
}

async function sequential(list: string[]): Promise<number> {
  const start = performance.now();
  for (const t of list) if ((await core.handle(request(t))).status !== 200) throw new Error('a first-sight JWT was refused');
  return ((performance.now() - start) * 1000) / list.length;
}

async function concurrent(list: string[]): Promise<number> {
  const start = performance.now();
  const answers = await Promise.all(list.map((t) => core.handle(request(t))));
  if (answers.some((a) => a.status !== 200)) throw new Error('a first-sight JWT was refused');
  return ((performance.now() - start) * 1000) / list.length;
}

await sequential(await tokens(200)); // warm-up: JIT, key import
const seq = await sequential(await tokens(N));
const par = await concurrent(await tokens(N));
const cached = await tokens(1);
await core.handle(request(cached[0]!));
const start = performance.now();
for (let i = 0; i < N; i++) await core.handle(request(cached[0]!));
const reuse = ((performance.now() - start) * 1000) / N;
console.log(`\nkey-pair JWT in-process (core.handle, ${N} tokens): first sight ${seq.toFixed(0)} µs/request sequential, ${par.toFixed(0)} µs/request with ${N} in flight; reused (cache) ${reuse.toFixed(1)} µs/request`);
