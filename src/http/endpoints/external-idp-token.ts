/**
 * The HTTP face of the mock External OAuth IdPs (reference §1.9; drivers §3.6): the token endpoint
 * (`grant_type=client_credentials`, RFC 6749 JSON answers and `{error, error_description}` errors,
 * not Snowflake's envelope) and the JWKS document at the integration's keys URL. These hosts are no
 * Snowflake account: a host-based dispatcher asks {@link idpEndpointFor} first and, on a hit, calls
 * {@link handleExternalIdp} (or the two endpoints) instead of the account route table.
 */
import { idpClientCredentials, idpsAtTokenEndpoint, jwksAt, type MockIdpIntegration } from '../../domain/auth/external-oauth-idp.ts';
import type { World } from '../../domain/world/model.ts';
import { allowed, plain, type Outcome } from '../outcome.ts';
import type { MockRequest } from '../record.ts';
import { empty, json } from '../respond.ts';

/** What the IdP endpoints need: the world (its integrations and keys) and the mock clock. */
export interface IdpRequestContext {
  readonly world: World;
  /** Mock-clock time of the request, epoch ms. */
  readonly now: number;
}

/** A request that a mock IdP answers: its token endpoint, or a JWKS URL. */
export type IdpEndpointHit =
  | { readonly kind: 'token'; readonly idps: readonly MockIdpIntegration[] }
  | { readonly kind: 'jwks'; readonly keys: NonNullable<ReturnType<typeof jwksAt>> };

const RULE = 'reference §1.9; RFC 6749 §4.4, §5';
// RFC 6749 §5.1: token answers must not be cached.
const NO_STORE: Readonly<Record<string, string>> = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * Whether a request (lower-case host without port, path) hits a mock IdP: the token endpoint of an
 * integration's `mock_idp`, or a URL where one serves its JWKS. Scheme and port are not compared.
 *
 * @example
 * idpEndpointFor(core.world, 'idp.example.com', '/oauth2/v1/token') // { kind: 'token', idps: [OKTA_IDP] }
 * idpEndpointFor(core.world, 'idp.example.com', '/oauth2/v1/keys')  // { kind: 'jwks', keys: { keys: [ … ] } }
 * idpEndpointFor(core.world, 'myorg-myaccount.snowflakecomputing.com', '/api/v2/statements') // undefined
 */
export function idpEndpointFor(world: World, host: string, path: string): IdpEndpointHit | undefined {
  const idps = idpsAtTokenEndpoint(world, host, path);
  if (idps.length > 0) return { kind: 'token', idps };
  const keys = jwksAt(world, `https://${host}${path}`);
  return keys && { kind: 'jwks', keys };
}

/**
 * Answers a request for a mock IdP, or returns `undefined` when the request is not for one.
 *
 * @example
 * const outcome = handleExternalIdp(request, { world: core.world, now: core.clock.now() }) ?? routeToAccount(request)
 */
export function handleExternalIdp(req: MockRequest, ctx: IdpRequestContext): Outcome | undefined {
  const hit = idpEndpointFor(ctx.world, req.host, req.path);
  if (!hit) return undefined;
  return hit.kind === 'token' ? tokenAnswer(req, hit.idps, ctx) : jwksAnswer(req, hit.keys);
}

/**
 * `POST <mock_idp.token_endpoint>`: the client-credentials grant (client_secret_post or Basic).
 * A request that is not for a token endpoint answers 404.
 *
 * @example
 * externalIdpTokenEndpoint({ method: 'POST', host: 'idp.example.com', path: '/oauth2/v1/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret', query: '', clientIp: '127.0.0.1' }, { world, now })
 * // 200 {"access_token":"eyJ…","token_type":"Bearer","expires_in":3600,"scope":"session:role:ANALYST"}
 */
export function externalIdpTokenEndpoint(req: MockRequest, ctx: IdpRequestContext): Outcome {
  const idps = idpsAtTokenEndpoint(ctx.world, req.host, req.path);
  if (idps.length === 0) return plain(empty(404), 'rejected', `rejected: no mock IdP token endpoint at ${req.host.slice(0, 100)}${req.path.slice(0, 200)}`, RULE);
  return tokenAnswer(req, idps, ctx);
}

/**
 * `GET <external_oauth_jws_keys_url>` of a mock IdP: `{"keys":[<RSA JWK>]}`; 404 elsewhere.
 *
 * @example
 * externalIdpJwksEndpoint({ method: 'GET', host: 'idp.example.com', path: '/oauth2/v1/keys', … }, { world, now }).response.body // '{"keys":[{"kty":"RSA",…}]}'
 */
export function externalIdpJwksEndpoint(req: MockRequest, ctx: IdpRequestContext): Outcome {
  const keys = jwksAt(ctx.world, `https://${req.host}${req.path}`);
  if (!keys) return plain(empty(404), 'rejected', `rejected: no mock IdP serves a JWKS at ${req.host.slice(0, 100)}${req.path.slice(0, 200)}`, RULE);
  return jwksAnswer(req, keys);
}

function tokenAnswer(req: MockRequest, idps: readonly MockIdpIntegration[], ctx: IdpRequestContext): Outcome {
  if (req.method !== 'POST') return plain(empty(405, { allow: 'POST' }), 'rejected', `rejected: ${req.method} not allowed on the mock IdP token endpoint (allowed: POST)`, RULE);
  if (req.bodyTooLarge) return idpError(400, 'invalid_request', 'the token request body is larger than the mock reads');
  const result = idpClientCredentials(idps, { authorization: req.headers.authorization, contentType: req.headers['content-type'], body: req.body }, ctx.now);
  if (!result.ok) {
    // RFC 6749 §5.2: a failed Basic authentication answers 401 with WWW-Authenticate.
    return idpError(result.status, result.error, result.description, result.basic ? { 'www-authenticate': 'Basic realm="mock-idp"' } : {});
  }
  return allowed(json(200, result.body, NO_STORE), result.explanation);
}

function jwksAnswer(req: MockRequest, keys: NonNullable<ReturnType<typeof jwksAt>>): Outcome {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(empty(405, { allow: 'GET, HEAD' }), 'rejected', `rejected: ${req.method} not allowed on a JWKS URL (allowed: GET, HEAD)`, RULE);
  return allowed(json(200, keys), `mock IdP JWKS: ${keys.keys.map((k) => k.kid).join(', ')}`);
}

function idpError(status: number, error: string, description: string, headers: Record<string, string> = {}): Outcome {
  return {
    response: json(status, { error, error_description: description }, { ...NO_STORE, ...headers }),
    decision: 'rejected',
    explanation: `rejected: ${description}`,
    code: error,
    cause: undefined,
    rule: RULE,
    authMethod: undefined,
    user: undefined,
    role: undefined,
  };
}
