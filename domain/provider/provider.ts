/**
 * The external OAuth provider of one mock (issue #6): its memory (store.ts), its view of the world's
 * API_AUTHENTICATION integrations (clients.ts), which of its hosts are down, the
 * {@link ProviderService} Snowflake calls in-process, and the controls tests use. Pure: the HTTP
 * endpoints live in http/provider/ and call into this. Expiry reads the `now` it is given (the
 * mock clock), never the wall clock.
 */
import { mockIdpHosts } from '../auth/external-oauth-idp.ts';
import { isoTime } from '../clock.ts';
import type { Ids } from '../ids.ts';
import type { ApiAuthenticationIntegration, World } from '../world/model.ts';
import { withQuery } from './authorize.ts';
import { buildProviderIndex, clientOf, hostName, JWT_BEARER_GRANT, type ProviderClient, type ProviderIndex } from './clients.ts';
import type { ProviderClientAuthMethod } from './client-auth.ts';
import { fail } from './failure.ts';
import { DEFAULT_DOWN_STATUS } from './limits.ts';
import type { AuthorizationRequest, ProviderResult, ProviderService } from './service.ts';
import { createProviderStore, type ProviderStore, type ProviderToken } from './store.ts';
import { grantFor, type ProviderForm, type TokenRequestOutcome } from './token-request.ts';

/** A token as `tokens()` lists it: secrets shown (it is a mock), times as ISO 8601. */
export interface ProviderTokenView {
  readonly kind: 'access' | 'refresh';
  readonly token: string;
  readonly integration: string;
  readonly account: string;
  readonly clientId: string;
  readonly sub: string;
  readonly scope: string;
  readonly grant: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revoked: boolean;
  readonly expired: boolean;
}

/** What a test can do to the provider (`mock.provider`, `POST /__mock/provider`, scenario world changes). */
export interface ProviderControl {
  /**
   * Revokes the live refresh tokens of an integration (by name), or of every integration: the next
   * refresh answers `invalid_grant` — a consumer must re-authenticate. Returns how many.
   *
   * @example
   * mock.provider.revokeRefreshTokens('OAUTH_INTEGRATION') // 1
   */
  revokeRefreshTokens(integration?: string): number;
  /**
   * Makes the live refresh tokens of an integration (or all) expire now, on the mock clock. Returns how many.
   *
   * @example
   * mock.provider.expireRefreshTokens() // 2
   */
  expireRefreshTokens(integration?: string): number;
  /**
   * Revokes every live access and refresh token of an integration (or all): resources answer 401 `invalid_token`.
   *
   * @example
   * mock.provider.revokeTokens('OAUTH_INTEGRATION') // 3
   */
  revokeTokens(integration?: string): number;
  /**
   * Takes a provider down: the hosts of an integration's endpoints, or one origin / host. Every
   * request to them — in-process ProviderService calls included — gets `status` (5xx, default 503)
   * with `{"error":"temporarily_unavailable"}`. Returns the hosts.
   *
   * @example
   * mock.provider.down('OAUTH_INTEGRATION')                  // ['provider.example.com']
   * mock.provider.down('https://provider.example.com', 502)  // ['provider.example.com']
   */
  down(target: string, status?: number): string[];
  /**
   * Brings hosts back up: an integration's, one origin's, or all when no target. Returns the hosts.
   *
   * @example
   * mock.provider.up() // ['provider.example.com']
   */
  up(target?: string): string[];
  /**
   * Every token the provider holds, oldest first, secrets shown (it is a mock).
   *
   * @example
   * mock.provider.tokens()
   * // [{ kind: 'access', token: 'mock-at-…', integration: 'OAUTH_INTEGRATION', sub: 'jane', scope: 'read', expiresAt: '2026-…Z', revoked: false, expired: false, … }]
   */
  tokens(): ProviderTokenView[];
  /**
   * Hosts told to be down, with their status.
   *
   * @example
   * mock.provider.downHosts() // [{ host: 'provider.example.com', status: 503 }]
   */
  downHosts(): { host: string; status: number }[];
}

/** The provider of one mock: service, controls and the state the HTTP endpoints use. */
export interface MockProvider extends ProviderService, ProviderControl {
  /** `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` in-process (beyond the service contract). */
  jwtBearer(integration: ApiAuthenticationIntegration, assertion: string, scopes: readonly string[], now: number): ProviderResult;
  readonly store: ProviderStore;
  /** The clients and endpoints of the current world (rebuilt on `worldChanged`). */
  index(): ProviderIndex;
  /** The world the provider serves (the External OAuth IdP endpoints read their integrations from it). */
  world(): World;
  /** Status of a host told to be down, else undefined. */
  downStatus(host: string): number | undefined;
  /** The world changed in place: rebuild the index (codes and tokens survive). */
  worldChanged(): void;
  /** Forgets codes, tokens and down hosts. */
  reset(): void;
  /** Drops long-expired codes and tokens, at most `budget`; returns how many. */
  sweep(now: number, budget?: number): number;
}

/** What the provider needs from its mock; getters, because `reset()` replaces the world and ids. */
export interface ProviderDeps {
  readonly world: () => World;
  readonly ids: () => Ids;
  readonly now: () => number;
}

/**
 * Creates the provider over a mock's world, ids and clock.
 *
 * @example
 * const provider = createProviderService({ world: () => core.world, ids: () => core.ids, now: () => core.clock.now() })
 * const integration = core.world.accounts[0].securityIntegrations.get('SOME_API_AUTHENTICATION_SECURITY_INTEGRATION')
 * provider.clientCredentials(integration, ['read'], core.clock.now())
 * // { ok: true, tokens: { accessToken: 'mock-at-…', tokenType: 'Bearer', expiresAt, scope: 'read' } }
 */
export function createProviderService(deps: ProviderDeps): MockProvider {
  const store = createProviderStore();
  const down = new Map<string, number>();
  let cached: { world: World; index: ProviderIndex } | undefined;
  const index = (): ProviderIndex => {
    const world = deps.world();
    if (cached?.world !== world) cached = { world, index: buildProviderIndex(world) };
    return cached.index;
  };

  /** The client an integration object is (its account found by identity, else by name). */
  const clientFor = (integration: ApiAuthenticationIntegration): ProviderClient => {
    const known = index().clients.find((c) => c.integration === integration);
    if (known) return known;
    const account = deps.world().accounts.find((a) => a.securityIntegrations.get(integration.name) !== undefined);
    return clientOf(integration, account?.name ?? '');
  };

  /** Snowflake calling the token endpoint: down → the status; the client authenticates as configured. */
  const call = (integration: ApiAuthenticationIntegration, grantType: string, form: ProviderForm, now: number): ProviderResult => {
    const client = clientFor(integration);
    const status = client.token ? down.get(client.token.host) : undefined;
    if (status !== undefined) return clean(fail('temporarily_unavailable', 'PROVIDER_DOWN', `the provider at ${client.token!.host} is down (told to answer ${status})`, 'mock.provider.down', status));
    if (!client.clientId || !integration.oauthClientSecret) return clean(fail('invalid_client', 'PROVIDER_CLIENT_INCOMPLETE', `integration ${integration.name} has no OAUTH_CLIENT_ID or OAUTH_CLIENT_SECRET to authenticate with`, 'RFC 6749 §2.3'));
    const method: ProviderClientAuthMethod = integration.oauthClientAuthMethod === 'CLIENT_SECRET_BASIC' ? 'client_secret_basic' : 'client_secret_post';
    return clean(grantFor(grantType, { grant_type: grantType, ...form }, client, { store, ids: deps.ids(), now }, method));
  };

  /** Clients an integration name selects (all when absent); an unknown name throws. */
  const select = (integration: string | undefined): Set<string> => {
    const all = index().clients;
    if (integration === undefined) return new Set(all.map((c) => c.key));
    const chosen = index().byIntegration(integration);
    if (chosen.length === 0) throw new Error(`no API_AUTHENTICATION integration ${JSON.stringify(integration)}; known: ${all.map((c) => c.integration.name).join(', ') || 'none'}`);
    return new Set(chosen.map((c) => c.key));
  };
  const live = (t: ProviderToken): boolean => !t.revoked && t.expiresAt > deps.now();
  const eachToken = (integration: string | undefined, kinds: readonly ProviderToken['kind'][], act: (t: ProviderToken) => boolean): number => {
    const keys = select(integration);
    let n = 0;
    for (const t of store.tokens()) if (keys.has(t.clientKey) && kinds.includes(t.kind) && act(t)) n++;
    return n;
  };

  /** An integration's hosts, or the host of an origin / URL / host name the provider plays. */
  const hostsOf = (target: string): string[] => {
    const byName = index().byIntegration(target);
    if (byName.length > 0) {
      const hosts = [...new Set(byName.flatMap((c) => c.hosts))];
      if (hosts.length === 0) throw new Error(`integration ${target} has no OAUTH_TOKEN_ENDPOINT or OAUTH_AUTHORIZATION_ENDPOINT`);
      return hosts;
    }
    let host: string;
    try {
      host = target.includes('://') ? hostName(new URL(target).hostname) : hostName(target);
    } catch {
      host = '';
    }
    // A mock External OAuth IdP's host can be down too (its token endpoint and JWKS go through the same dispatcher).
    if (!index().hosts.has(host) && !mockIdpHosts(deps.world()).has(host)) {
      throw new Error(`${JSON.stringify(target)} is neither an API_AUTHENTICATION integration nor a provider host (nor a mock IdP's); hosts: ${[...index().hosts].join(', ') || 'none'}`);
    }
    return [host];
  };

  return {
    world: deps.world,
    authorizationUrl(integration: ApiAuthenticationIntegration, request: AuthorizationRequest): string {
      const endpoint = integration.oauthAuthorizationEndpoint;
      if (endpoint === undefined || integration.oauthClientId === undefined) {
        throw new TypeError(`integration ${integration.name} has no OAUTH_AUTHORIZATION_ENDPOINT or OAUTH_CLIENT_ID; it cannot start an authorization code flow`);
      }
      const scope = request.scopes.join(' ');
      return withQuery(endpoint, { response_type: 'code', client_id: integration.oauthClientId, redirect_uri: request.redirectUri, ...(scope !== '' && { scope }), state: request.state });
    },
    exchangeCode: (integration, code, redirectUri, now) => call(integration, 'authorization_code', { code, redirect_uri: redirectUri }, now),
    refresh: (integration, refreshToken, now) => call(integration, 'refresh_token', { refresh_token: refreshToken }, now),
    clientCredentials: (integration, scopes, now) => call(integration, 'client_credentials', scopes.length > 0 ? { scope: scopes.join(' ') } : {}, now),
    jwtBearer: (integration, assertion, scopes, now) => call(integration, JWT_BEARER_GRANT, { assertion, ...(scopes.length > 0 && { scope: scopes.join(' ') }) }, now),

    revokeRefreshTokens: (integration) => eachToken(integration, ['refresh'], (t) => live(t) && (t.revoked = true)),
    expireRefreshTokens: (integration) => eachToken(integration, ['refresh'], (t) => live(t) && ((t.expiresAt = deps.now()), true)),
    revokeTokens: (integration) => eachToken(integration, ['access', 'refresh'], (t) => live(t) && (t.revoked = true)),
    down(target, status = DEFAULT_DOWN_STATUS) {
      if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError(`a provider that is down answers a 5xx status; got ${JSON.stringify(status)}`);
      const hosts = hostsOf(target);
      for (const h of hosts) down.set(h, status);
      return hosts;
    },
    up(target) {
      const hosts = target === undefined ? [...down.keys()] : hostsOf(target);
      for (const h of hosts) down.delete(h);
      return hosts;
    },
    tokens() {
      const now = deps.now();
      return store.tokens().map((t) => ({
        kind: t.kind, token: t.token, integration: t.integration, account: t.account, clientId: t.clientId, sub: t.sub, scope: t.scope.join(' '), grant: t.grant,
        issuedAt: isoTime(t.issuedAt), expiresAt: isoTime(t.expiresAt), revoked: t.revoked, expired: now >= t.expiresAt,
      }));
    },
    downHosts: () => [...down].map(([host, status]) => ({ host, status })),

    store,
    index,
    downStatus: (host) => down.get(host),
    worldChanged() {
      cached = undefined;
    },
    reset() {
      store.clear();
      down.clear();
      cached = undefined;
    },
    sweep: (now, budget) => store.sweep(now, budget),
  };
}

/** A token request's outcome as the service contract has it (no journal fields). */
function clean(outcome: TokenRequestOutcome): ProviderResult {
  return outcome.ok ? { ok: true, tokens: outcome.tokens } : { ok: false, error: outcome.error, description: outcome.description, status: outcome.status, cause: outcome.cause };
}
