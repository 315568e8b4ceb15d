/**
 * Who the provider knows: one client per `API_AUTHENTICATION` integration of the world
 * (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth), reached at the integration's OAUTH_TOKEN_ENDPOINT and OAUTH_AUTHORIZATION_ENDPOINT. An
 * endpoint is identified by host and path only — scheme and port are ignored (decisions/0007), so
 * `https://provider.example.com/oauth2/token` is also `http://provider.example.com:4010/oauth2/token`
 * on `serve`. An integration with ENABLED = FALSE is still a client: Snowflake stops using it, the
 * provider does not know.
 */
import type { ApiAuthenticationIntegration, World } from '../world/model.ts';
import { DEFAULT_ACCESS_TOKEN_VALIDITY_S, DEFAULT_REFRESH_TOKEN_VALIDITY_S } from './limits.ts';

/** An endpoint as the provider routes it: lower-case host without port, normalised path. */
export interface EndpointKey {
  readonly host: string;
  readonly path: string;
}

/** The wire names of the grants, by OAUTH_GRANT. */
export type ProviderGrant = 'client_credentials' | 'authorization_code' | 'refresh_token' | 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * A client of the provider: an integration, read through. The provider's own notion of a client is
 * its endpoint + client_id ({@link ProviderClient.identity}): two accounts registering the same
 * endpoint and client id are one client to it (decisions/0007); the account only attributes the
 * journal entry and selects tokens for the mock's controls.
 */
export interface ProviderClient {
  /** `<ACCOUNT>.<INTEGRATION>`: the Snowflake object (journal attribution, controls by integration). */
  readonly key: string;
  /** `<token endpoint host+path> <client_id>` (the authorization endpoint when there is no token endpoint): what codes and tokens are bound to. */
  readonly identity: string;
  readonly account: string;
  readonly integration: ApiAuthenticationIntegration;
  readonly clientId: string | undefined;
  readonly token: EndpointKey | undefined;
  readonly authorize: EndpointKey | undefined;
  /** Hosts of its endpoints: where its access tokens are accepted as bearer tokens. */
  readonly hosts: readonly string[];
}

/**
 * Host and path of an endpoint URL; undefined when it is not an absolute http(s) URL.
 *
 * @example
 * endpointOf('https://Provider.example.com:8443/oauth2/token/') // { host: 'provider.example.com', path: '/oauth2/token' }
 */
export function endpointOf(url: string | undefined): EndpointKey | undefined {
  if (url === undefined) return undefined;
  const known = parsed.get(url);
  if (known !== undefined || parsed.has(url)) return known;
  let key: EndpointKey | undefined;
  try {
    const u = new URL(url);
    key = u.protocol === 'https:' || u.protocol === 'http:' ? { host: hostName(u.hostname), path: normalizePath(u.pathname) } : undefined;
  } catch {
    key = undefined;
  }
  if (parsed.size >= 1024) parsed.clear();
  parsed.set(url, key);
  return key;
}
const parsed = new Map<string, EndpointKey | undefined>();

/**
 * Paths compare without a trailing slash (`/oauth2/token/` is `/oauth2/token`); the root stays `/`.
 *
 * @example
 * normalizePath('/oauth2/token/') // '/oauth2/token'
 */
export function normalizePath(path: string): string {
  const p = path === '' ? '/' : path;
  if (p.length <= 1 || !p.endsWith('/')) return p;
  // A backward scan, not `/\/+$/`: the regex tries every run of slashes inside the path as the end,
  // quadratic in a client's path (12 000 slashes: ~100 ms a request; issue #14, the fuzz suite).
  let end = p.length;
  while (end > 0 && p.charCodeAt(end - 1) === 0x2f) end--;
  return end === 0 ? '/' : p.slice(0, end);
}

/** Lower-case, without IPv6 brackets or a port. */
export function hostName(host: string): string {
  const h = host.toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.indexOf(':');
  return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.slice(0, colon) : h;
}

/**
 * The client of an integration.
 *
 * @example
 * clientOf(integration, 'MYORG-MYACCOUNT').key // 'MYORG-MYACCOUNT.SOME_API_AUTHENTICATION_SECURITY_INTEGRATION'
 */
export function clientOf(integration: ApiAuthenticationIntegration, account: string): ProviderClient {
  const token = endpointOf(integration.oauthTokenEndpoint);
  const authorize = endpointOf(integration.oauthAuthorizationEndpoint);
  const hosts = [...new Set([token?.host, authorize?.host].filter((h): h is string => h !== undefined))];
  const at = token ?? authorize;
  const identity = `${at ? at.host + at.path : `${account}.${integration.name}`} ${integration.oauthClientId ?? ''}`;
  return { key: `${account}.${integration.name}`, identity, account, integration, clientId: integration.oauthClientId, token, authorize, hosts };
}

/**
 * OAUTH_ACCESS_TOKEN_VALIDITY in seconds; 0 means the provider's default (seed 000: "Defaults to 0").
 *
 * @example
 * accessValidityS(integration) // 3600
 */
export function accessValidityS(integration: ApiAuthenticationIntegration): number {
  return integration.oauthAccessTokenValidity > 0 ? integration.oauthAccessTokenValidity : DEFAULT_ACCESS_TOKEN_VALIDITY_S;
}

/**
 * OAUTH_REFRESH_TOKEN_VALIDITY in seconds, honoured by the provider (inferred); absent or 0 = the default.
 *
 * @example
 * refreshValidityS(integration) // 7776000 (90 days)
 */
export function refreshValidityS(integration: ApiAuthenticationIntegration): number {
  const v = integration.oauthRefreshTokenValidity;
  return v !== undefined && v > 0 ? v : DEFAULT_REFRESH_TOKEN_VALIDITY_S;
}

/**
 * Which wire grants an integration's OAUTH_GRANT allows: AUTHORIZATION_CODE brings refresh_token
 * with it; no OAUTH_GRANT allows every grant (inferred: nothing restricts the client).
 *
 * @example
 * grantAllowed(integration, 'refresh_token') // true for an AUTHORIZATION_CODE integration
 */
export function grantAllowed(integration: ApiAuthenticationIntegration, grant: string): boolean {
  switch (integration.oauthGrant) {
    case undefined:
      return true;
    case 'CLIENT_CREDENTIALS':
      return grant === 'client_credentials';
    case 'AUTHORIZATION_CODE':
      return grant === 'authorization_code' || grant === 'refresh_token';
    case 'JWT_BEARER':
      return grant === JWT_BEARER_GRANT;
  }
}

/** The provider's view of a world: clients and the endpoints they are reached at. */
export interface ProviderIndex {
  readonly clients: readonly ProviderClient[];
  /** Hosts of every endpoint (lower-case, no port). */
  readonly hosts: ReadonlySet<string>;
  /** Clients whose OAUTH_TOKEN_ENDPOINT is this host and path. */
  tokenClients(host: string, path: string): readonly ProviderClient[] | undefined;
  /** Clients whose OAUTH_AUTHORIZATION_ENDPOINT is this host and path. */
  authorizeClients(host: string, path: string): readonly ProviderClient[] | undefined;
  /** Clients of integrations with this name (case-insensitive), in every account. */
  byIntegration(name: string): ProviderClient[];
}

/** Hosts the provider never plays: Snowflake's own, which the Snowflake side answers (decisions/0007). */
const SNOWFLAKE_HOST = /\.snowflakecomputing\.(com|cn)$/;

/**
 * Indexes the world's API_AUTHENTICATION integrations by endpoint.
 *
 * @example
 * buildProviderIndex(world).tokenClients('example.com', '/oauth/token')?.[0]?.integration.name
 * // 'SOME_API_AUTHENTICATION_SECURITY_INTEGRATION'
 */
export function buildProviderIndex(world: World): ProviderIndex {
  const clients: ProviderClient[] = [];
  const token = new Map<string, ProviderClient[]>();
  const authorize = new Map<string, ProviderClient[]>();
  const hosts = new Set<string>();
  const add = (map: Map<string, ProviderClient[]>, e: EndpointKey | undefined, c: ProviderClient): void => {
    if (!e || SNOWFLAKE_HOST.test(e.host)) return;
    hosts.add(e.host);
    const k = e.host + e.path;
    const list = map.get(k);
    if (list) list.push(c);
    else map.set(k, [c]);
  };
  for (const account of world.accounts) {
    for (const i of account.securityIntegrations.values()) {
      if (i.type !== 'API_AUTHENTICATION') continue;
      const c = clientOf(i, account.name);
      clients.push(c);
      add(token, c.token, c);
      add(authorize, c.authorize, c);
    }
  }
  return {
    clients,
    hosts,
    tokenClients: (host, path) => token.get(host + normalizePath(path)),
    authorizeClients: (host, path) => authorize.get(host + normalizePath(path)),
    byIntegration: (name) => clients.filter((c) => c.integration.name === name.toUpperCase() || c.integration.name === name),
  };
}
