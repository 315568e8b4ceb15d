/**
 * What every auth method module receives and returns (DESIGN.md §5.2: one module per method,
 * same export shape, dispatched by the wire string).
 */
import type { Rejection } from '../errors/rejection.ts';
import type { NetworkTraffic } from '../network/precedence.ts';
import type { Account, User, World } from '../world/model.ts';
import type { KeypairJwtVerifier } from './keypair-jwt.ts';
import type { OAuthTokenStore } from './oauth-token.ts';
import type { DecisionCache } from './decision-cache.ts';
import type { PatIndex } from './pat.ts';

/** Wire names of the bearer token types (`X-Snowflake-Authorization-Token-Type`, https://docs.snowflake.com/en/developer-guide/sql-api/reference). */
export type AuthMethod = 'KEYPAIR_JWT' | 'OAUTH' | 'PROGRAMMATIC_ACCESS_TOKEN';

/** How a driver session or SQL statement was authenticated: a login authenticator or a bearer token type. */
export type SessionAuth = 'PASSWORD' | 'MFA' | 'KEYPAIR_JWT' | 'OAUTH' | 'PROGRAMMATIC_ACCESS_TOKEN';

/** Per-mock token stores and caches, rebuilt from the world when it changes. */
export interface AuthStores {
  readonly pats: PatIndex;
  readonly oauthTokens: OAuthTokenStore;
  readonly jwt: KeypairJwtVerifier;
  /** Accepted bearer decisions, reused until the credential's expiry (rebuilt with the stores on any world change). */
  readonly decisions?: DecisionCache;
}

/** Everything a method needs to decide, with nothing read from ambient state. */
export interface AuthContext {
  readonly world: World;
  /** The account the request was routed to (by host). */
  readonly account: Account;
  /** Mock-clock time, epoch ms. */
  readonly now: number;
  readonly clientIp: string;
  readonly stores: AuthStores;
}

/** An accepted credential: who, in which role, and why it was accepted. */
export interface AuthSuccess {
  readonly ok: true;
  readonly method: AuthMethod;
  readonly user: User;
  /** Session role (PAT role restriction, OAuth token role, else the user's default role or PUBLIC). */
  readonly role: string;
  /** True when the credential fixes the session role (a role-restricted PAT, an OAuth token). */
  readonly roleLocked?: boolean;
  /** Epoch ms until which this same credential would be accepted again unchanged (its expiry); enables the decision cache. */
  readonly validUntil?: number;
  /** Issuing security integration (OAuth tokens), for integration-level network policy. */
  readonly integration?: string;
  /**
   * Which network rules apply when the method does not say (https://docs.snowflake.com/en/user-guide/network-policies): External OAuth tokens
   * come as `OAUTH` but are `user-credential` traffic (user, else account policy; never an integration's).
   */
  readonly traffic?: NetworkTraffic;
  /** Any-role mode (External OAuth): the roles a login may pick instead of `role` (role not locked). */
  readonly selectableRoles?: ReadonlySet<string>;
  /** One line naming what accepted it, e.g. "PAT CI of ALICE (role ANALYST)". */
  readonly explanation: string;
}

/** A refused credential; `user` is set when the credential named a known user. */
export interface AuthFailure {
  readonly ok: false;
  readonly method?: AuthMethod;
  readonly user?: User;
  readonly rejection: Rejection;
}

export type AuthOutcome = AuthSuccess | AuthFailure;
