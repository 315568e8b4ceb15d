/**
 * Cached MFA tokens (test/driver/driver-cases.ts): with ALLOW_CLIENT_MFA_CACHING on the account and
 * `CLIENT_REQUEST_MFA_TOKEN` in the login, a successful MFA login returns `data.mfaToken`; the
 * driver sends it back as `TOKEN` with the password and skips the second factor until it expires.
 */
import { BoundedMap } from '../bounded-map.ts';
import type { Ids } from '../ids.ts';

interface Held {
  readonly account: string;
  readonly user: string;
  readonly expiresAt: number;
}

/** The MFA token store's face. */
export interface MfaTokenStore {
  issue(account: string, user: string, now: number, validitySeconds: number): string;
  /** The token's holder while it is valid. */
  check(token: string, now: number): Held | undefined;
  clear(): void;
}

const MAX_TOKENS = 10_000;

/**
 * Creates an empty, bounded MFA token store (the oldest token goes first, in O(1): issue #14).
 *
 * @example
 * const tokens = createMfaTokenStore(ids)
 * const t = tokens.issue('MYORG-MYACCOUNT', 'ALICE', now, 14400)
 * tokens.check(t, now)?.user // 'ALICE'
 */
export function createMfaTokenStore(ids: Ids): MfaTokenStore {
  const map = new BoundedMap<string, Held>(MAX_TOKENS);
  return {
    issue(account, user, now, validitySeconds) {
      const token = ids.token('mfa-', 40);
      map.set(token, { account, user, expiresAt: now + validitySeconds * 1000 });
      return token;
    },
    check(token, now) {
      const held = map.get(token);
      if (!held) return undefined;
      if (now >= held.expiresAt) {
        map.delete(token);
        return undefined;
      }
      return held;
    },
    clear: () => map.clear(),
  };
}
