/**
 * What Snowflake's OAuth server remembers between requests: authorization codes and refresh
 * tokens (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake). Both are opaque strings in bounded maps; expired entries are
 * swept in small slices (like `auth/oauth-token.ts`) so the hot path stays O(1). A side map ties
 * single-use refresh chains to the access tokens issued from them, so reuse of an old refresh
 * token can revoke those too (https://docs.snowflake.com/en/user-guide/single-use-refresh-tokens).
 * Every map is a {@link BoundedMap}, so a full store evicts its oldest entry in O(1) (issue #14).
 */
import { BoundedMap } from '../bounded-map.ts';
import type { Ids } from '../ids.ts';
import type { ParsedScope } from './scope.ts';

/** An authorization code handed out on the authorize redirect. */
export interface AuthorizationCode {
  code: string;
  /** Upper-case org-account name. */
  account: string;
  /** Integration name. */
  integration: string;
  /** User NAME. */
  user: string;
  /** Consented role. */
  role: string;
  /** redirect_uri exactly as sent to /oauth/authorize; the exchange must repeat it (https://docs.snowflake.com/en/user-guide/oauth-custom). */
  redirectUri: string;
  scope: ParsedScope;
  pkce?: { challenge: string; method: 'S256' };
  issuedAt: number;
  expiresAt: number;
  used: boolean;
  /** Consent was revoked before the code was exchanged. */
  revoked?: boolean;
}

/** A refresh token (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake). */
export interface RefreshToken {
  token: string;
  account: string;
  integration: string;
  user: string;
  role: string;
  issuedAt: number;
  expiresAt: number;
  /** Every refresh token descending from one code exchange shares the chain id. */
  chain: string;
  /** Rotating: each use returns a new refresh token and uses this one up (https://docs.snowflake.com/en/user-guide/single-use-refresh-tokens). */
  singleUse: boolean;
  used: boolean;
  revoked: boolean;
}

/** Codes and refresh tokens of one mock, across all accounts. */
export interface OAuthServerStore {
  /** Issues a single-use code valid {@link CODE_LIFETIME_MS}. */
  issueCode(input: Omit<AuthorizationCode, 'code' | 'issuedAt' | 'expiresAt' | 'used'>, now: number, ids: Ids): AuthorizationCode;
  code(code: string): AuthorizationCode | undefined;
  refresh(token: string): RefreshToken | undefined;
  issueRefresh(input: Omit<RefreshToken, 'token' | 'used' | 'revoked'>, ids: Ids): RefreshToken;
  /** Revokes every refresh token of a chain and forgets its access-token links (https://docs.snowflake.com/en/user-guide/single-use-refresh-tokens). */
  revokeChain(chain: string): void;
  /**
   * `ALTER USER … REMOVE DELEGATED AUTHORIZATION` equivalent (https://docs.snowflake.com/en/user-guide/oauth-custom): revokes the user's
   * refresh tokens for the integration and uses up their outstanding codes. Returns how many
   * refresh tokens it revoked (access tokens live on until they expire — inferred).
   */
  revokeConsent(account: string, user: string, integration: string): number;
  /** Remembers that an access token was issued from a (single-use) chain. */
  linkAccessToken(chain: string, token: string, expiresAt: number, now: number): void;
  /** Access tokens issued from a chain and not yet known to be expired. */
  chainAccessTokens(chain: string): string[];
  /** Drops codes and refresh tokens expired for more than 1 h, at most `budget` per call; returns how many. */
  sweep(now: number, budget?: number): number;
  readonly size: { readonly codes: number; readonly refreshTokens: number };
}

/** https://docs.snowflake.com/en/user-guide/oauth-custom: UNCONFIRMED; a third-party answer says 10 minutes → inferred. */
export const CODE_LIFETIME_MS = 600_000;
/** Bounds (mock limits, inferred): the oldest entry is dropped when a map is full. */
export const MAX_CODES = 10_000;
export const MAX_REFRESH_TOKENS = 200_000;
/** Access tokens remembered per chain; beyond it the oldest link is forgotten. */
export const MAX_LINKS_PER_CHAIN = 1_000;
/** Expired entries are kept this long so a late request is told "expired", not "unknown". */
const SWEEP_GRACE_MS = 3_600_000;

/**
 * Creates an empty store.
 *
 * @example
 * const server = createOAuthServerStore()
 * const c = server.issueCode({ account: 'MYORG-MYACCOUNT', integration: 'MY_APP', user: 'ALICE', role: 'ANALYST', redirectUri, scope }, now, ids)
 * server.code(c.code)?.used // false
 */
export function createOAuthServerStore(): OAuthServerStore {
  const codes = new BoundedMap<string, AuthorizationCode>(MAX_CODES);
  const chains = createChains();
  // An evicted refresh token leaves its chain too, as a swept one does.
  const refreshTokens = new BoundedMap<string, RefreshToken>(MAX_REFRESH_TOKENS, (_, t) => chains.remove(t));
  const dropRefresh = (t: RefreshToken): void => {
    refreshTokens.delete(t.token);
    chains.remove(t);
  };
  return {
    issueCode(input, now, ids) {
      const code: AuthorizationCode = { ...input, code: ids.token('', 40), issuedAt: now, expiresAt: now + CODE_LIFETIME_MS, used: false };
      codes.set(code.code, code);
      return code;
    },
    code: (code) => codes.get(code),
    refresh: (token) => refreshTokens.get(token),
    issueRefresh(input, ids) {
      const t: RefreshToken = { ...input, token: refreshTokenText(ids), used: false, revoked: false };
      refreshTokens.set(t.token, t);
      chains.add(t);
      return t;
    },
    revokeChain(chain) {
      for (const t of chains.members(chain)) t.revoked = true;
      chains.forgetLinks(chain);
    },
    revokeConsent(account, user, integration) {
      const matches = (x: { account: string; user: string; integration: string }) => x.account === account && sameName(x.user, user) && sameName(x.integration, integration);
      for (const c of codes.values()) if (matches(c)) c.revoked = true;
      let n = 0;
      for (const t of refreshTokens.values()) {
        if (!matches(t) || t.revoked) continue;
        t.revoked = true;
        n++;
      }
      return n;
    },
    linkAccessToken: (chain, token, expiresAt, now) => chains.link(chain, token, expiresAt, now),
    chainAccessTokens: (chain) => chains.accessTokens(chain),
    sweep(now, budget = Infinity) {
      const expired = (x: { expiresAt: number }) => now - x.expiresAt > SWEEP_GRACE_MS;
      const dropped = sweepSlice(codes, budget, expired);
      return dropped + sweepSlice(refreshTokens, budget - dropped, (t) => expired(t) && (chains.remove(t), true));
    },
    get size() {
      return { codes: codes.size, refreshTokens: refreshTokens.size };
    },
  };
}

/** Snowflake's tokens look like `ver:1-hint:<number>-ETMsDg…`; ours imitate the shape (inferred). */
function refreshTokenText(ids: Ids): string {
  // The whole text as token()'s prefix: one flat string (the same draws, in the same order, as prefix + token).
  return ids.token(`ver:2-hint:${ids.incidentNumber()}-ETMsDgAAA`, 64);
}

/** Chain id → its refresh tokens, and → the access tokens issued from it (token → expiresAt). */
function createChains() {
  // A chain of one token (every chain that does not rotate) holds it directly: a Set per chain was
  // ~100 bytes more per refresh token, of up to MAX_REFRESH_TOKENS (issue #14, bench/soak.ts).
  const members = new Map<string, RefreshToken | Set<RefreshToken>>();
  const links = new Map<string, BoundedMap<string, number>>();
  return {
    add(t: RefreshToken): void {
      const held = members.get(t.chain);
      if (held === undefined) members.set(t.chain, t);
      else if (held instanceof Set) held.add(t);
      else if (held !== t) members.set(t.chain, new Set([held, t]));
    },
    remove(t: RefreshToken): void {
      const held = members.get(t.chain);
      // Only a member leaves, and the chain goes with its last member.
      if (held instanceof Set ? !held.delete(t) || held.size > 0 : held !== t) return;
      members.delete(t.chain);
      links.delete(t.chain);
    },
    members(chain: string): Iterable<RefreshToken> {
      const held = members.get(chain);
      return held === undefined ? [] : held instanceof Set ? held : [held];
    },
    link(chain: string, token: string, expiresAt: number, now: number): void {
      let map = links.get(chain);
      if (!map) links.set(chain, (map = new BoundedMap(MAX_LINKS_PER_CHAIN)));
      // Expired links go a small slice at a time; a full chain then forgets its oldest link in O(1)
      // (that token will simply not be revoked with its chain).
      map.sweep(LINK_SWEEP_SLICE, (expires) => expires <= now);
      map.set(token, expiresAt);
    },
    accessTokens: (chain: string): string[] => [...(links.get(chain)?.keys() ?? [])],
    forgetLinks: (chain: string): void => void links.delete(chain),
  };
}

/** Links looked at per new link: enough to outpace a chain's expiries, small enough to stay O(1). */
const LINK_SWEEP_SLICE = 4;

/** Names are stored upper-case; accept the caller's spelling either way. */
function sameName(stored: string, given: string): boolean {
  return stored === given || stored === given.toUpperCase();
}

/**
 * The stores' sweep slice: looks at a few times `budget` entries of `map` (at most one lap),
 * round-robin across calls, dropping those `drop` accepts, at most `budget` of them; also used by
 * the provider's store.
 *
 * @example
 * sweepSlice(codes, 16, (c) => now - c.expiresAt > SWEEP_GRACE_MS) // how many went
 */
export function sweepSlice<V>(map: BoundedMap<string, V>, budget: number, drop: (v: V) => boolean): number {
  if (budget <= 0) return 0;
  return map.sweep(Math.min(map.size, budget * 4), drop, budget);
}
