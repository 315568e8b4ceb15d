/**
 * The external OAuth provider's HTTP side (issue #6, decisions/0007): the kinds of provider endpoint,
 * what each endpoint gets, and the marker header that tells contracts which provider endpoint
 * answered (provider URLs are the world's, so a path alone cannot name the contract).
 */
import type { Awaitable } from '../../domain/awaitable.ts';
import type { MockProvider } from '../../domain/provider/provider.ts';
import type { MockCore } from '../core.ts';
import type { Outcome } from '../outcome.ts';
import type { MockRequest } from '../record.ts';

/** `x-snowflake-auth-mock-provider: token | authorize | resource`: set on every provider answer. */
export const PROVIDER_KIND_HEADER = 'x-snowflake-auth-mock-provider';

/** `serve` (and msw extra hosts) reach `https://<host>/<path>` as `/__provider/<host>/<path>`. */
export const PROVIDER_PREFIX = '/__provider/';

/** The provider URL a request addresses. */
export interface ProviderTarget {
  /** Lower-case host without port (after the prefix, if any). */
  readonly host: string;
  /** Path at the provider. */
  readonly path: string;
  /** The path the client used: what pages post back to (differs under the prefix). */
  readonly selfPath: string;
  /** Reached through {@link PROVIDER_PREFIX}. */
  readonly prefixed: boolean;
  /** The kind that claimed it, as found by `providerTarget` (so the dispatcher asks the claims once). */
  readonly kind?: ProviderEndpointKind | undefined;
}

/** What a provider endpoint gets besides the request. */
export interface ProviderContext {
  readonly core: MockCore;
  readonly provider: MockProvider;
  readonly target: ProviderTarget;
  /** Mock-clock time of the request, epoch ms. */
  readonly now: number;
  /** The kind that claimed the request (its name goes into {@link PROVIDER_KIND_HEADER}). */
  readonly kind: string;
}

/** An endpoint's answer and the account the journal files it under (the client's, when known). */
export interface ProviderAnswer {
  readonly outcome: Outcome;
  readonly account?: string | undefined;
}

export type ProviderEndpoint = (req: MockRequest, ctx: ProviderContext) => Awaitable<ProviderAnswer>;

/**
 * One kind of provider endpoint: which provider URLs it serves, and its methods. The dispatcher
 * asks the kinds in table order; an External OAuth IdP token endpoint is meant to be one more row.
 */
export interface ProviderEndpointKind {
  readonly name: string;
  claims(target: ProviderTarget, provider: MockProvider): boolean;
  /** An endpoint per method (others get 405), or one endpoint for every method. */
  readonly methods: Readonly<Record<string, ProviderEndpoint>> | ProviderEndpoint;
}
