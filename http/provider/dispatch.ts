/**
 * Routing to the external OAuth provider (issue #6, decisions/0007). A request belongs to the
 * provider when its host and path are an integration's OAUTH_TOKEN_ENDPOINT or
 * OAUTH_AUTHORIZATION_ENDPOINT (scheme and port ignored), when its host is a provider host (any
 * other path: a protected resource), or when it is addressed as `/__provider/<host>/<path>` — never
 * by Snowflake account. On a loopback host (`localhost`, `*.localhost`, `127.x`, the host `serve`
 * runs on) only the exact endpoints are the provider's, and never a path of Snowflake's account
 * route table (`/session/v1/login-request`, …), so a provider configured at `http://localhost:…`
 * cannot hide the Snowflake endpoints; Snowflake's own hosts are never the provider's nor a mock IdP's.
 *
 * The kinds are a table: the dispatcher asks them in order (exact endpoints first, the host-wide
 * resource kind last), so another kind of endpoint is one more row.
 */
import { andThen, type Awaitable } from '../../domain/awaitable.ts';
import type { MockProvider } from '../../domain/provider/provider.ts';
import { hostName, normalizePath } from '../../domain/provider/clients.ts';
import { isSnowflakeHost } from '../account-host.ts';
import { isLoopbackHost } from '../../domain/network/loopback.ts';
import type { MockCore } from '../core.ts';
import type { MockRequest } from '../record.ts';
import { ACCOUNT_ROUTER } from '../routes.ts';
import { providerAuthorize, providerAuthorizeForm } from './authorize.ts';
import { providerError, providerOutcome } from './respond.ts';
import { providerResource } from './resource.ts';
import { providerToken } from './token.ts';
import { PROVIDER_PREFIX, type ProviderAnswer, type ProviderContext, type ProviderEndpoint, type ProviderEndpointKind, type ProviderTarget } from './types.ts';
import { buildIdpEndpointIndex, handleExternalIdp, type IdpEndpointIndex } from '../endpoints/external-idp-token.ts';

const BARE_PREFIX = PROVIDER_PREFIX.slice(0, -1);

/**
 * A host on this machine for the provider's routing: the one loopback rule, plus `0.0.0.0` (the
 * address `serve --host 0.0.0.0` answers on, which a browser may use).
 *
 * @example
 * isLocalProviderHost('0.0.0.0') // true
 * isLocalProviderHost('provider.example.com') // false
 */
export function isLocalProviderHost(host: string): boolean {
  return host === '0.0.0.0' || isLoopbackHost(host);
}

/**
 * What the dispatcher knows of a world, computed once per provider index (the index is rebuilt on
 * every world change): every host the provider or a mock IdP answers on, and the IdP endpoints.
 */
interface DispatchIndex {
  readonly hosts: ReadonlySet<string>;
  readonly idp: IdpEndpointIndex;
}
const dispatchIndexes = new WeakMap<object, DispatchIndex>();
function dispatchIndexOf(provider: MockProvider): DispatchIndex {
  const index = provider.index();
  let hit = dispatchIndexes.get(index);
  if (!hit) {
    const idp = buildIdpEndpointIndex(provider.world());
    hit = { hosts: new Set([...index.hosts, ...idp.hosts]), idp };
    dispatchIndexes.set(index, hit);
  }
  return hit;
}

/** An External OAuth mock IdP endpoint (decisions/0009), answered through the provider's respond helpers. */
const idpEndpoint: ProviderEndpoint = (req, ctx) => {
  const hit = dispatchIndexOf(ctx.provider).idp.at(ctx.target.host, ctx.target.path);
  return andThen(handleExternalIdp({ ...req, host: ctx.target.host, path: ctx.target.path }, { world: ctx.core.world, now: ctx.now, kind: ctx.kind }, hit)!, (outcome) => ({ outcome }));
};

/** The provider endpoint kinds, in the order they are asked. */
export const PROVIDER_ENDPOINT_KINDS: readonly ProviderEndpointKind[] = [
  { name: 'idp', claims: (t, p) => !isSnowflakeHost(t.host) && dispatchIndexOf(p).idp.at(t.host, t.path) !== undefined, methods: idpEndpoint },
  { name: 'authorize', claims: (t, p) => p.index().authorizeClients(t.host, t.path) !== undefined, methods: { GET: providerAuthorize, POST: providerAuthorizeForm } },
  { name: 'token', claims: (t, p) => p.index().tokenClients(t.host, t.path) !== undefined, methods: { POST: providerToken } },
  { name: 'resource', claims: (t, p) => p.index().hosts.has(t.host) && (t.prefixed || !isLocalProviderHost(t.host)), methods: providerResource },
];

/**
 * The provider URL a request addresses (with the kind that claims it), or undefined when it is not
 * the provider's. A host that is neither a provider's nor a mock IdP's costs one Set lookup; on a
 * loopback host a path of Snowflake's account routes is never the provider's (decisions/0007).
 *
 * @example
 * providerTarget(core.provider, { host: 'example.com', path: '/oauth/token', … }) // { host: 'example.com', path: '/oauth/token', selfPath: '/oauth/token', prefixed: false, kind: token }
 * providerTarget(core.provider, { host: '127.0.0.1', path: '/__provider/example.com/oauth/token', … }) // { host: 'example.com', path: '/oauth/token', prefixed: true, … }
 */
export function providerTarget(provider: MockProvider, req: Pick<MockRequest, 'host' | 'path'>): ProviderTarget | undefined {
  // `/__provider` alone names no host: the provider's 404 naming the hosts it has, not an account's empty one (decisions/0017).
  if (req.path.startsWith(PROVIDER_PREFIX) || req.path === BARE_PREFIX) {
    if (isSnowflakeHost(req.host)) return undefined;
    const rest = req.path.slice(PROVIDER_PREFIX.length);
    const slash = rest.indexOf('/');
    const host = hostName(slash < 0 ? rest : rest.slice(0, slash));
    const target: ProviderTarget = { host, path: normalizePath(slash < 0 ? '/' : rest.slice(slash)), selfPath: req.path, prefixed: true };
    return { ...target, kind: PROVIDER_ENDPOINT_KINDS.find((k) => k.claims(target, provider)) };
  }
  if (!dispatchIndexOf(provider).hosts.has(req.host)) return undefined;
  if (isLocalProviderHost(req.host) && ACCOUNT_ROUTER.match(req.path) !== undefined) return undefined;
  const target: ProviderTarget = { host: req.host, path: normalizePath(req.path), selfPath: req.path, prefixed: false };
  const kind = PROVIDER_ENDPOINT_KINDS.find((k) => k.claims(target, provider));
  return kind ? { ...target, kind } : undefined;
}

/**
 * Answers a request addressed to the provider: down → its 5xx; else the first kind that claims it.
 *
 * @example
 * const target = providerTarget(core.provider, request)
 * if (target) (await handleProvider(core, request, target, core.clock.now())).outcome.response.status
 */
export function handleProvider(core: MockCore, req: MockRequest, target: ProviderTarget, now: number): Awaitable<ProviderAnswer> {
  const provider = core.provider;
  const kind = 'kind' in target ? target.kind : PROVIDER_ENDPOINT_KINDS.find((k) => k.claims(target, provider));
  const ctx: ProviderContext = { core, provider, target, now, kind: kind?.name ?? 'resource' };
  if (!kind) {
    const known = [...provider.index().hosts].join(', ') || 'none';
    const response = providerError(ctx.kind, 404, 'unknown_provider', `no API_AUTHENTICATION integration has an endpoint on ${target.host}; provider hosts: ${known}`);
    return { outcome: providerOutcome(ctx, response, 'rejected', `no provider at ${target.host} (addressed as ${req.path.slice(0, 200)})`, { rule: 'decisions/0007' }) };
  }
  const account = provider.index().clients.find((c) => c.hosts.includes(target.host))?.account;
  const down = provider.downStatus(target.host);
  if (down !== undefined) {
    const response = providerError(kind.name, down, 'temporarily_unavailable', `the provider at ${target.host} is down (mock.provider.down)`, {}, kind.name === 'token');
    return { outcome: providerOutcome(ctx, response, 'rejected', `down: answered ${down} temporarily_unavailable`, { code: 'temporarily_unavailable', cause: 'PROVIDER_DOWN', rule: 'mock.provider.down' }), account };
  }
  const endpoint = typeof kind.methods === 'function' ? kind.methods : kind.methods[req.method];
  if (!endpoint) {
    const allow = Object.keys(kind.methods).join(', ');
    const response = providerError(kind.name, 405, 'invalid_request', `${req.method} is not allowed on the ${kind.name} endpoint; use ${allow}`, { allow });
    return { outcome: providerOutcome(ctx, response, 'rejected', `${req.method} not allowed (allowed: ${allow})`, { rule: 'RFC 9110 §15.5.6' }), account };
  }
  return endpoint(req, ctx);
}

/**
 * Whether a URL is the provider's (the msw adapter asks this before intercepting a host it does not
 * otherwise serve).
 *
 * @example
 * claimsProviderUrl(core, new URL('https://example.com/oauth/token')) // true on the default world
 */
export function claimsProviderUrl(core: MockCore, url: URL): boolean {
  return providerTarget(core.provider, { host: hostName(url.hostname), path: url.pathname }) !== undefined;
}
