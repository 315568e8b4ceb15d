/**
 * The HTTP face of the mock External OAuth IdPs (decisions/0009; what snowflake-sdk's
 * OAUTH_CLIENT_CREDENTIALS sends, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts): the token endpoint
 * (`grant_type=client_credentials`, RFC 6749 JSON answers and `{error, error_description}` errors,
 * not Snowflake's envelope) and the JWKS document at the integration's keys URL. These hosts are no
 * Snowflake account: a host-based dispatcher asks {@link idpEndpointFor} first and, on a hit, calls
 * {@link handleExternalIdp} (or the two endpoints) instead of the account route table. An issued
 * token and the JWKS come once jose has signed or exported them (a promise); refusals at once.
 */
import { andThen, type Awaitable } from '../../domain/awaitable.ts';
import { allMockIdps, idpClientCredentials, idpsAtTokenEndpoint, idpsServingJwks, isSnowflakeServiceHost, jwksOf, type MockIdpIntegration } from '../../domain/auth/external-oauth-idp.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import { hostName, normalizePath } from '../../domain/provider/clients.ts';
import type { World } from '../../domain/world/model.ts';
import type { Outcome } from '../outcome.ts';
import type { MockRequest } from '../record.ts';
import { idpOutcome, providerError, providerJson } from '../provider/respond.ts';

/** What the IdP endpoints need: the world (its integrations and keys) and the mock clock. */
export interface IdpRequestContext {
  readonly world: World;
  /** Mock-clock time of the request, epoch ms. */
  readonly now: number;
  /** The endpoint kind named in the provider marker header; default `idp`. */
  readonly kind?: string;
}

/** A request that a mock IdP answers: its token endpoint, or a JWKS URL. */
export type IdpEndpointHit =
  | { readonly kind: 'token'; readonly idps: readonly MockIdpIntegration[] }
  | { readonly kind: 'jwks'; readonly idps: readonly MockIdpIntegration[] };

/** The mock IdPs' endpoints of one world, by host + normalised path (built once per provider index). */
export interface IdpEndpointIndex {
  /** Hosts with a mock IdP endpoint (never `*.snowflakecomputing.com`). */
  readonly hosts: ReadonlySet<string>;
  at(host: string, path: string): IdpEndpointHit | undefined;
}

const RULE = `${SOURCES.decisionExternalOAuth}; RFC 6749 §4.4, §5`;

/**
 * Indexes a world's mock IdP endpoints (token endpoints and JWKS URLs); Snowflake's own hosts are
 * left out (decisions/0009): a mock IdP never answers there.
 *
 * @example
 * buildIdpEndpointIndex(world).at('idp.example.com', '/oauth2/v1/token') // { kind: 'token', idps: [OKTA_IDP] }
 */
export function buildIdpEndpointIndex(world: World): IdpEndpointIndex {
  const hits = new Map<string, IdpEndpointHit>();
  const hosts = new Set<string>();
  const keyOf = (url: string): { host: string; key: string } | undefined => {
    if (!URL.canParse(url)) return undefined;
    const u = new URL(url);
    const host = hostName(u.hostname);
    return isSnowflakeServiceHost(host) ? undefined : { host, key: host + normalizePath(u.pathname) };
  };
  const idps = allMockIdps(world);
  for (const idp of idps) {
    const k = keyOf(idp.integration.mockIdp.tokenEndpoint);
    if (!k) continue;
    hosts.add(k.host);
    const hit = hits.get(k.key);
    if (hit?.kind === 'token') hits.set(k.key, { kind: 'token', idps: [...hit.idps, idp] });
    else hits.set(k.key, { kind: 'token', idps: [idp] });
  }
  for (const idp of idps) {
    for (const url of idp.integration.mockIdp.jwksUrls) {
      const k = keyOf(url);
      if (!k || hits.has(k.key)) continue;
      const serving = idpsServingJwks(world, url);
      if (serving.length === 0) continue;
      hosts.add(k.host);
      hits.set(k.key, { kind: 'jwks', idps: serving });
    }
  }
  return { hosts, at: (host, path) => (hosts.has(host) ? hits.get(host + normalizePath(path)) : undefined) };
}

/**
 * Whether a request (lower-case host without port, path) hits a mock IdP: the token endpoint of an
 * integration's `mock_idp`, or a URL where one serves its JWKS. Scheme and port are not compared;
 * Snowflake's own hosts never are a mock IdP's.
 *
 * @example
 * idpEndpointFor(core.world, 'idp.example.com', '/oauth2/v1/token') // { kind: 'token', idps: [OKTA_IDP] }
 * idpEndpointFor(core.world, 'idp.example.com', '/oauth2/v1/keys')  // { kind: 'jwks', idps: [OKTA_IDP] }
 * idpEndpointFor(core.world, 'myorg-myaccount.snowflakecomputing.com', '/api/v2/statements') // undefined
 */
export function idpEndpointFor(world: World, host: string, path: string): IdpEndpointHit | undefined {
  return buildIdpEndpointIndex(world).at(hostName(host), path);
}

/**
 * Answers a request for a mock IdP, or returns `undefined` when the request is not for one. A
 * caller that already looked the endpoint up passes its `hit`.
 *
 * @example
 * const outcome = (await handleExternalIdp(request, { world: core.world, now: core.clock.now() })) ?? routeToAccount(request)
 */
export function handleExternalIdp(req: MockRequest, ctx: IdpRequestContext, hit: IdpEndpointHit | undefined = idpEndpointFor(ctx.world, req.host, req.path)): Awaitable<Outcome> | undefined {
  if (!hit) return undefined;
  return hit.kind === 'token' ? tokenAnswer(req, hit.idps, ctx) : jwksAnswer(req, hit.idps, ctx);
}

/**
 * `POST <mock_idp.token_endpoint>`: the client-credentials grant (client_secret_post or Basic).
 * A request that is not for a token endpoint answers 404.
 *
 * @example
 * await externalIdpTokenEndpoint({ method: 'POST', host: 'idp.example.com', path: '/oauth2/v1/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret', query: '', clientIp: '127.0.0.1' }, { world, now })
 * // 200 {"access_token":"eyJ…","token_type":"Bearer","expires_in":3600,"scope":"session:role:ANALYST"}
 */
export function externalIdpTokenEndpoint(req: MockRequest, ctx: IdpRequestContext): Awaitable<Outcome> {
  const idps = isSnowflakeServiceHost(req.host) ? [] : idpsAtTokenEndpoint(ctx.world, req.host, req.path);
  if (idps.length === 0) return notFound(req, ctx, 'no mock IdP token endpoint', 'IDP_UNKNOWN_ENDPOINT');
  return tokenAnswer(req, idps, ctx);
}

/**
 * `GET <external_oauth_jws_keys_url>` of a mock IdP: `{"keys":[<RSA JWK>]}`; 404 elsewhere.
 *
 * @example
 * (await externalIdpJwksEndpoint({ method: 'GET', host: 'idp.example.com', path: '/oauth2/v1/keys', … }, { world, now })).response.body // '{"keys":[{"kty":"RSA",…}]}'
 */
export function externalIdpJwksEndpoint(req: MockRequest, ctx: IdpRequestContext): Awaitable<Outcome> {
  const idps = isSnowflakeServiceHost(req.host) ? [] : idpsServingJwks(ctx.world, `https://${req.host}${req.path}`);
  if (idps.length === 0) return notFound(req, ctx, 'no mock IdP serves a JWKS', 'IDP_UNKNOWN_ENDPOINT');
  return jwksAnswer(req, idps, ctx);
}

const kindOf = (ctx: IdpRequestContext): string => ctx.kind ?? 'idp';

function notFound(req: MockRequest, ctx: IdpRequestContext, what: string, cause: string): Outcome {
  const description = `${what} at ${req.host.slice(0, 100)}${req.path.slice(0, 200)}`;
  return idpOutcome(providerError(kindOf(ctx), 404, 'invalid_request', description), 'rejected', description, { code: 'invalid_request', cause, rule: RULE });
}

function notAllowed(req: MockRequest, ctx: IdpRequestContext, where: string, allow: string): Outcome {
  const description = `${req.method} is not allowed on ${where}; use ${allow}`;
  return idpOutcome(providerError(kindOf(ctx), 405, 'invalid_request', description, { allow }), 'rejected', description, { code: 'invalid_request', cause: 'IDP_METHOD_NOT_ALLOWED', rule: 'RFC 9110 §15.5.6' });
}

function tokenAnswer(req: MockRequest, idps: readonly MockIdpIntegration[], ctx: IdpRequestContext): Awaitable<Outcome> {
  if (req.method !== 'POST') return notAllowed(req, ctx, 'the mock IdP token endpoint', 'POST');
  if (req.bodyTooLarge) return idpError(ctx, 400, 'invalid_request', 'the token request body is larger than the mock reads', 'IDP_BODY_TOO_LARGE');
  const result = idpClientCredentials(idps, { authorization: req.headers.authorization, contentType: req.headers['content-type'], body: req.body }, ctx.now, ctx.world);
  return andThen(result, (r) => {
    if (!r.ok) {
      // RFC 6749 §5.2: a failed Basic authentication answers 401 with WWW-Authenticate.
      return idpError(ctx, r.status, r.error, r.description, r.cause, r.basic ? { 'www-authenticate': 'Basic realm="mock-idp"' } : {});
    }
    return idpOutcome(providerJson(kindOf(ctx), 200, r.body, {}, true), 'allowed', r.explanation, { rule: RULE });
  });
}

function jwksAnswer(req: MockRequest, idps: readonly MockIdpIntegration[], ctx: IdpRequestContext): Awaitable<Outcome> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return notAllowed(req, ctx, 'a JWKS URL', 'GET, HEAD');
  return jwksOf(idps).then((keys) => idpOutcome(providerJson(kindOf(ctx), 200, keys), 'allowed', `mock IdP JWKS: ${keys.keys.map((k) => k.kid).join(', ')}`, { rule: 'RFC 7517 §5' }));
}

function idpError(ctx: IdpRequestContext, status: number, error: string, description: string, cause: string, headers: Record<string, string> = {}): Outcome {
  return idpOutcome(providerError(kindOf(ctx), status, error, description, headers, true), 'rejected', description, { code: error, cause, rule: RULE });
}
