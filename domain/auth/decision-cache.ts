/**
 * Accepted bearer decisions, reused while nothing they depend on has changed (DESIGN.md §5.8,
 * generalised from "a key-pair JWT is verified once"): the same token, on the same account, with the
 * same token-type header, from the same client IP, before the credential's own expiry, in the same world. A world
 * change rebuilds the stores and so empties this cache; a clock set back before the decision was
 * taken makes it stale too. Refusals are never cached: each one is judged and explained afresh.
 */
import { BoundedMap } from '../bounded-map.ts';
import type { AuthSuccess } from './context.ts';

interface Entry {
  readonly account: string;
  readonly tokenType: string | undefined;
  readonly clientIp: string;
  /** Mock time the decision was taken at. */
  readonly from: number;
  readonly until: number;
  readonly outcome: AuthSuccess;
}

/** The cache's face. */
export interface DecisionCache {
  get(token: string, account: string, tokenType: string | undefined, clientIp: string, now: number): AuthSuccess | undefined;
  put(token: string, account: string, tokenType: string | undefined, clientIp: string, now: number, outcome: AuthSuccess): void;
  readonly size: number;
}

/** Tokens longer than this are not worth keeping (and could be abuse). */
const MAX_TOKEN = 4096;

/**
 * Creates a bounded decision cache (oldest entry dropped first, in O(1): issue #14).
 *
 * @example
 * const decisions = createDecisionCache()
 * decisions.get(token, 'MYORG-MYACCOUNT', 'PROGRAMMATIC_ACCESS_TOKEN', '10.0.0.5', clock.now())
 */
export function createDecisionCache(limit = 10_000): DecisionCache {
  const map = new BoundedMap<string, Entry>(limit);
  return {
    get(token, account, tokenType, clientIp, now) {
      const e = map.get(token);
      if (!e || e.account !== account || e.tokenType !== tokenType || e.clientIp !== clientIp || now < e.from || now >= e.until) return undefined;
      return e.outcome;
    },
    put(token, account, tokenType, clientIp, now, outcome) {
      const until = outcome.validUntil;
      if (until === undefined || token.length > MAX_TOKEN) return;
      map.set(token, { account, tokenType, clientIp, from: now, until, outcome });
    },
    get size() {
      return map.size;
    },
  };
}
