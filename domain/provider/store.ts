/**
 * What the external OAuth provider remembers: authorization codes, access tokens and refresh
 * tokens, all opaque strings in {@link BoundedMap}s (O(1) eviction of the oldest, issue #14) swept
 * in small slices (the helper of `oauth/server-store.ts`). Every token descends from a `chain` (one code exchange or one
 * client-credentials / jwt-bearer grant), so a replayed code can revoke what it produced
 * (RFC 6749 §4.1.2).
 */
import { BoundedMap } from '../bounded-map.ts';
import { sweepSlice } from '../oauth/server-store.ts';
import type { Ids } from '../ids.ts';
import { MAX_PROVIDER_ACCESS_TOKENS, MAX_PROVIDER_CODES, MAX_PROVIDER_REFRESH_TOKENS, PROVIDER_CODE_LIFETIME_MS, PROVIDER_SWEEP_GRACE_MS } from './limits.ts';

/** Whom a code or token was issued to, and for whom. */
export interface Grantee {
  /** `<ACCOUNT>.<INTEGRATION>` of the client. */
  readonly clientKey: string;
  /** The client as the provider knows it: endpoint + client_id ({@link ProviderClient.identity}); codes and refresh tokens check this. */
  readonly clientIdentity: string;
  readonly account: string;
  readonly integration: string;
  readonly clientId: string;
  /** The resource owner: the consenting user, the assertion's `sub`, or the client id itself. */
  readonly sub: string;
  /** Granted scopes. */
  readonly scope: readonly string[];
}

/** A code handed out on the authorize redirect: single use, {@link PROVIDER_CODE_LIFETIME_MS}. */
export interface ProviderCode extends Grantee {
  readonly code: string;
  /** redirect_uri as sent to the authorize endpoint; the exchange must repeat it (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
  readonly pkce?: { readonly challenge: string };
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly chain: string;
  used: boolean;
}

/** An access or refresh token. */
export interface ProviderToken extends Grantee {
  readonly token: string;
  readonly kind: 'access' | 'refresh';
  /** The grant that issued it (`refresh_token` for an access token from a refresh). */
  readonly grant: string;
  readonly issuedAt: number;
  expiresAt: number;
  readonly chain: string;
  /** Hosts where an access token is accepted as a bearer token (its client's endpoint hosts). */
  readonly hosts: readonly string[];
  revoked: boolean;
}

/** The provider's memory, across all clients. */
export interface ProviderStore {
  issueCode(input: Omit<ProviderCode, 'code' | 'issuedAt' | 'expiresAt' | 'used'>, now: number, ids: Ids): ProviderCode;
  code(code: string): ProviderCode | undefined;
  issueToken(input: Omit<ProviderToken, 'token' | 'revoked'>, ids: Ids): ProviderToken;
  /** An access or refresh token by its text. */
  token(token: string): ProviderToken | undefined;
  /** Every token held (access and refresh), oldest first. */
  tokens(): ProviderToken[];
  /** Revokes every token of a chain; returns how many were live. */
  revokeChain(chain: string): number;
  /** Drops entries expired for more than an hour, at most `budget` per call; returns how many. */
  sweep(now: number, budget?: number): number;
  clear(): void;
  readonly size: { readonly codes: number; readonly accessTokens: number; readonly refreshTokens: number };
}

/**
 * Creates an empty store.
 *
 * @example
 * const store = createProviderStore()
 * const c = store.issueCode({ clientKey, account, integration, clientId, sub: 'jane', scope: ['read'], redirectUri, chain: ids.uuid() }, now, ids)
 * store.code(c.code)?.used // false
 */
export function createProviderStore(): ProviderStore {
  const codes = new BoundedMap<string, ProviderCode>(MAX_PROVIDER_CODES);
  const access = new BoundedMap<string, ProviderToken>(MAX_PROVIDER_ACCESS_TOKENS);
  const refresh = new BoundedMap<string, ProviderToken>(MAX_PROVIDER_REFRESH_TOKENS);
  return {
    issueCode(input, now, ids) {
      const code: ProviderCode = { ...input, code: ids.token('mock-code-', 32), issuedAt: now, expiresAt: now + PROVIDER_CODE_LIFETIME_MS, used: false };
      codes.set(code.code, code);
      return code;
    },
    code: (code) => codes.get(code),
    issueToken(input, ids) {
      const map = input.kind === 'access' ? access : refresh;
      const t: ProviderToken = { ...input, token: ids.token(input.kind === 'access' ? 'mock-at-' : 'mock-rt-', 40), revoked: false };
      map.set(t.token, t);
      return t;
    },
    token: (token) => access.get(token) ?? refresh.get(token),
    tokens: () => [...access.values(), ...refresh.values()].sort((a, b) => a.issuedAt - b.issuedAt),
    revokeChain(chain) {
      let n = 0;
      for (const map of [access, refresh]) {
        for (const t of map.values()) {
          if (t.chain !== chain || t.revoked) continue;
          t.revoked = true;
          n++;
        }
      }
      return n;
    },
    sweep(now, budget = Infinity) {
      const expired = (x: { expiresAt: number }): boolean => now - x.expiresAt > PROVIDER_SWEEP_GRACE_MS;
      let dropped = sweepSlice(codes, budget, expired);
      dropped += sweepSlice(access, budget - dropped, expired);
      dropped += sweepSlice(refresh, budget - dropped, expired);
      return dropped;
    },
    clear() {
      codes.clear();
      access.clear();
      refresh.clear();
    },
    get size() {
      return { codes: codes.size, accessTokens: access.size, refreshTokens: refresh.size };
    },
  };
}
