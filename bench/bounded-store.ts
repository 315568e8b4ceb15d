/**
 * `npx node bench/bounded-store.ts` (issue #14): fills each bounded store to its cap, then inserts
 * as many again, and prints the cost per insert for each 10 % of the inserts past the cap. A store
 * that evicts in O(1) shows the same µs/op in every window; one that walks its map from the start
 * to find the oldest entry grows with the deleted slots it walks (~66 µs/op at 200k before).
 *
 * Only public store APIs are used, so the same script measures the code before and after the change.
 * BENCH_CAP (default 200000) sets the cap; BENCH_STORES (comma list) picks stores.
 */
import { createDecisionCache } from '../domain/auth/decision-cache.ts';
import type { AuthSuccess } from '../domain/auth/context.ts';
import { createOAuthTokenStore } from '../domain/auth/oauth-token.ts';
import { createIds } from '../domain/ids.ts';
import { createOAuthServerStore } from '../domain/oauth/server-store.ts';
import { createProviderStore } from '../domain/provider/store.ts';
import { createSessionStore } from '../domain/session/sessions.ts';
import type { World } from '../domain/world/model.ts';

const CAP = Number(process.env.BENCH_CAP ?? 200_000);
const WANTED = process.env.BENCH_STORES?.split(',');
const WINDOWS = 10;

interface Bench {
  readonly name: string;
  /** The store's real cap (some are fixed constants), and how to insert the i-th entry. */
  make(): { cap: number; insert: (i: number) => void };
}

const ids = createIds(1);
const world = { accounts: [] } as unknown as World;
const FAR = Number.MAX_SAFE_INTEGER;

const benches: Bench[] = [
  {
    name: 'oauth access tokens (MAX_ISSUED_TOKENS)',
    make() {
      const store = createOAuthTokenStore(world);
      return { cap: 200_000, insert: (i) => store.issue({ token: `t${i}`, user: 'ALICE', role: 'PUBLIC', expiresAt: FAR, account: 'A' } as never) };
    },
  },
  {
    name: 'oauth server refresh tokens (MAX_REFRESH_TOKENS)',
    make() {
      const store = createOAuthServerStore();
      return { cap: 200_000, insert: (i) => void store.issueRefresh({ account: 'A', integration: 'I', user: 'U', role: 'R', issuedAt: 0, expiresAt: FAR, chain: `c${i}`, singleUse: true }, ids) };
    },
  },
  {
    name: 'provider access tokens (MAX_PROVIDER_ACCESS_TOKENS)',
    make() {
      const store = createProviderStore();
      const grantee = { clientKey: 'A.I', clientIdentity: 'x', account: 'A', integration: 'I', clientId: 'c', sub: 's', scope: [] };
      return { cap: 200_000, insert: (i) => void store.issueToken({ ...grantee, kind: 'access', grant: 'client_credentials', issuedAt: 0, expiresAt: FAR, chain: `c${i}`, hosts: [] }, ids) };
    },
  },
  {
    name: 'sessions (capacity = cap)',
    make() {
      const store = createSessionStore(ids, CAP);
      const spec = { account: 'A', user: 'U', auth: 'PASSWORD', role: 'R', warehouse: null, database: null, schema: null, validity: 3600, masterValidity: 14400 } as const;
      return { cap: CAP, insert: () => void store.open(spec as never, 0) };
    },
  },
  {
    name: 'decision cache (limit = cap)',
    make() {
      const cache = createDecisionCache(CAP);
      const outcome = { ok: true, validUntil: FAR } as unknown as AuthSuccess;
      return { cap: CAP, insert: (i) => cache.put(`d${i}`, 'A', undefined, '127.0.0.1', 0, outcome) };
    },
  },
];

for (const bench of benches) {
  if (WANTED && !WANTED.some((w) => bench.name.includes(w))) continue;
  const { cap, insert } = bench.make();
  const t0 = performance.now();
  for (let i = 0; i < cap; i++) insert(i);
  const fill = ((performance.now() - t0) * 1000) / cap;
  // Past the cap every insert evicts: time each tenth of another cap's worth of inserts.
  const step = Math.ceil(cap / WINDOWS);
  const windows: string[] = [];
  for (let w = 0, i = cap; w < WINDOWS; w++) {
    const start = performance.now();
    for (let end = i + step; i < end; i++) insert(i);
    windows.push((((performance.now() - start) * 1000) / step).toFixed(2));
  }
  console.log(`${bench.name}: cap ${cap}, fill ${fill.toFixed(2)} µs/op; past the cap, µs/op per 10 %: ${windows.join(' ')}`);
}
