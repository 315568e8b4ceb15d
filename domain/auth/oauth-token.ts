/**
 * Snowflake OAuth access tokens presented as bearer tokens (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview,
 * https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_07/bcr-2421). Tokens are
 * opaque strings (DESIGN.md §5.8): the store is a map, swept of long-expired tokens in slices.
 * An outside IdP's JWT goes to the account's External OAuth integrations first (`external-oauth.ts`).
 */
import type { Awaitable } from '../awaitable.ts';
import { BoundedMap } from '../bounded-map.ts';
import { isoTime as iso } from '../clock.ts';
import { reject } from '../errors/rejection.ts';
import { SOURCES } from '../errors/sources.ts';
import type { OAuthAccessToken, User, World } from '../world/model.ts';
import type { AuthContext, AuthFailure, AuthOutcome } from './context.ts';
import { authenticateExternalOAuthToken } from './external-oauth.ts';

/** A token with the account that issued it (tokens are only good on that account). */
export interface IssuedOAuthToken extends OAuthAccessToken {
  /** Upper-case org-account name of the issuing account. */
  readonly account: string;
}

/** The live access tokens of one mock, across all accounts. */
export interface OAuthTokenStore {
  get(token: string): IssuedOAuthToken | undefined;
  /** Adds (or replaces) a token. */
  issue(t: IssuedOAuthToken): void;
  /** Forgets one token; true when it was known. */
  revoke(token: string): boolean;
  /** Forgets every matching token (e.g. all of a user's, or of a dropped integration); returns how many. */
  revokeWhere(pred: (t: IssuedOAuthToken) => boolean): number;
  readonly size: number;
  /**
   * Drops tokens expired for more than 1 h, at most `budget` per call, resuming where the last
   * call stopped so a hot path can sweep in small slices. Returns how many were dropped.
   */
  sweep(now: number, budget?: number): number;
}

/** Named 390303/390318 causes (journal-only). */
export type OAuthTokenCause =
  | 'OAUTH_TOKEN_UNKNOWN'
  | 'OAUTH_TOKEN_WRONG_ACCOUNT'
  | 'OAUTH_TOKEN_EXPIRED'
  | 'OAUTH_USER_NOT_FOUND'
  | 'OAUTH_USER_DISABLED'
  | 'OAUTH_ROLE_NOT_GRANTED'
  | 'OAUTH_INTEGRATION_DISABLED';

const INVALID = '390303';
const EXPIRED = '390318';
/** Expired tokens are kept this long so a late request still gets "expired", not "unknown". */
const SWEEP_GRACE_MS = 3_600_000;

/** The most access tokens kept at once; past it the oldest issued ones go (world-config tokens always stay). */
export const MAX_ISSUED_TOKENS = 200_000;

/**
 * Creates a token store seeded with every account's configured `oauthAccessTokens`.
 *
 * @example
 * const store = createOAuthTokenStore(world)
 * store.issue({ token: 'ver:1-hint:…', user: 'ALICE', role: 'ANALYST', expiresAt: now + 600_000, account: 'MYORG-ACC' })
 */
export function createOAuthTokenStore(world: World): OAuthTokenStore {
  // Tokens of the world config are never swept or evicted: an expired one keeps answering "expired"
  // (390303, or 390318 under BCR 2026_07), not "unknown", however long a test runs. They live apart
  // from issued tokens, so evicting the oldest issued token is O(1) (issue #14), never a walk past them.
  const pinned = new Map<string, IssuedOAuthToken>();
  for (const account of world.accounts) for (const t of account.oauthAccessTokens) pinned.set(t.token, { ...t, account: account.name });
  // Bounded like the server's other stores: the world's tokens count towards the limit, and past it
  // the oldest issued token goes first, so a long soak cannot grow memory without end.
  const issued = new BoundedMap<string, IssuedOAuthToken>(Math.max(1, MAX_ISSUED_TOKENS - pinned.size));
  return {
    get: (token) => issued.get(token) ?? pinned.get(token),
    issue(t) {
      // One entry per token text: an issued token replaces a world token of the same text.
      pinned.delete(t.token);
      issued.set(t.token, t);
    },
    revoke: (token) => issued.delete(token) || pinned.delete(token),
    revokeWhere(pred) {
      let n = 0;
      for (const map of [pinned, issued]) for (const [key, t] of map) if (pred(t) && map.delete(key)) n++;
      return n;
    },
    get size() {
      return pinned.size + issued.size;
    },
    // A small slice per call (a few times the budget, at most one lap), so the hot path stays O(1).
    sweep: (now, budget = Infinity) => (budget <= 0 ? 0 : issued.sweep(Math.min(issued.size, budget * 4), (t) => now - t.expiresAt > SWEEP_GRACE_MS, budget)),
  };
}

/**
 * Authenticates an OAuth access token presented as a bearer token. Never throws. Synchronous,
 * except for an External OAuth token whose signature jose must check first.
 *
 * @example
 * await authenticateOAuthToken(token, ctx)
 * // { ok: true, method: 'OAUTH', user, role: 'ANALYST', integration: 'MY_APP', explanation: 'OAuth token of ALICE (role ANALYST, integration MY_APP, expires …)' }
 */
export function authenticateOAuthToken(token: string, ctx: AuthContext): Awaitable<AuthOutcome> {
  // A JWT from an outside IdP is judged by the account's External OAuth integrations
  // (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external).
  const external = authenticateExternalOAuthToken(token, ctx);
  if (external) return external;
  const t = ctx.stores.oauthTokens.get(token);
  // 390303 "Access token presented … is invalid" (oauth-snowflake-overview, error codes).
  if (!t) return fail(INVALID, 'OAUTH_TOKEN_UNKNOWN', SOURCES.oauthOverview, 'OAuth access token is not one this mock issued');
  if (t.account !== ctx.account.name) {
    return fail(INVALID, 'OAUTH_TOKEN_WRONG_ACCOUNT', SOURCES.oauthOverview, `OAuth token of ${t.user} was issued by account ${t.account}, presented to account ${ctx.account.name}`);
  }
  if (ctx.now >= t.expiresAt) {
    // With BCR 2026_07 expired tokens answer 390318 instead of 390303 (bcr-2421).
    const bcr = ctx.world.switches.bcr2026_07;
    return fail(bcr ? EXPIRED : INVALID, 'OAUTH_TOKEN_EXPIRED', bcr ? SOURCES.bcr2026_07 : SOURCES.oauthOverview, `OAuth token of ${t.user} expired at ${iso(t.expiresAt)}`);
  }
  return checkHolder(t, ctx);
}

/** The token is sound; is its user, role and integration still good? */
function checkHolder(t: IssuedOAuthToken, ctx: AuthContext): AuthOutcome {
  const user = ctx.account.users.get(t.user);
  if (!user) return fail(INVALID, 'OAUTH_USER_NOT_FOUND', SOURCES.oauthOverview, `OAuth token names user ${t.user}, who does not exist in account ${ctx.account.name}`);
  if (user.disabled) return fail(INVALID, 'OAUTH_USER_DISABLED', SOURCES.oauthOverview, `OAuth token of ${user.name}: user is disabled`, user);
  // Inferred (decisions/0004): the session role must still be granted, as at consent time (390302).
  if (t.role !== 'PUBLIC' && !user.roles.has(t.role)) {
    return fail(INVALID, 'OAUTH_ROLE_NOT_GRANTED', `${SOURCES.oauthOverview}; ${SOURCES.decisionInferred}`, `OAuth token of ${user.name}: role ${t.role} is no longer granted`, user);
  }
  // Inferred: a disabled integration's tokens stop working. A name that no longer resolves is not
  // judged here: dropping an integration should revokeWhere() its tokens.
  const integration = t.integration === undefined ? undefined : ctx.account.securityIntegrations.get(t.integration);
  if (integration && !integration.enabled) {
    return fail(INVALID, 'OAUTH_INTEGRATION_DISABLED', `${SOURCES.oauthIntegration}; ${SOURCES.decisionInferred}`, `OAuth token of ${user.name}: integration ${integration.name} is disabled`, user);
  }
  const via = t.integration === undefined ? '' : `, integration ${t.integration}`;
  const explanation = `OAuth token of ${user.name} (role ${t.role}${via}, expires ${iso(t.expiresAt)})`;
  return t.integration === undefined
    ? { ok: true, method: 'OAUTH', user, role: t.role, explanation, validUntil: t.expiresAt }
    : { ok: true, method: 'OAUTH', user, role: t.role, integration: t.integration, explanation, validUntil: t.expiresAt };
}

function fail(code: string, cause: OAuthTokenCause, rule: string, explanation: string, user?: User): AuthFailure {
  const rejection = reject(code, rule, explanation, cause);
  return user ? { ok: false, method: 'OAUTH', user, rejection } : { ok: false, method: 'OAUTH', rejection };
}

