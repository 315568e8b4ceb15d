/**
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` (RFC 7523 §2.1, §3): the client trades
 * an `assertion` JWT for an access token. The mock checks the claims and not the signature
 * (decisions/0007, inferred: the provider holds no key for the issuer, and a test signs with any
 * key): `iss` = the integration's OAUTH_ASSERTION_ISSUER, `sub` present, `aud` naming the token
 * endpoint (its URL, or its origin), `exp` in the future, `nbf` (if any) reached — on the mock clock.
 * Client authentication is still required (the integration has a client id and secret). Scope as
 * for client credentials; no refresh token.
 */
import { isoTime } from '../../clock.ts';
import { decodeJwt, toEpochMs } from '../../auth/keypair-jwt-claims.ts';
import { endpointOf, type ProviderClient } from '../clients.ts';
import { fail, type ProviderFailure } from '../failure.ts';
import { quoteUntrusted as quoted } from '../../safe-text.ts';
import { grantScope, splitScope } from '../scope.ts';
import type { GrantOutcome, ProviderGrantHandler } from '../token-request.ts';

const RULE = 'RFC 7523 §3';
const invalidGrant = (cause: string, description: string): ProviderFailure => fail('invalid_grant', cause, description, RULE);

/**
 * Decides a JWT-bearer grant.
 *
 * @example
 * jwtBearerGrant({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }, client, ctx)
 * // { ok: true, decision: { sub: 'svc-42', scope: ['read'], refresh: false, summary: 'assertion of "issuer" for "svc-42"' } }
 */
export const jwtBearerGrant: ProviderGrantHandler = (form, client, ctx): GrantOutcome => {
  if (!form.assertion) return fail('invalid_request', 'PROVIDER_ASSERTION_MISSING', 'assertion is missing; the jwt-bearer grant requires it', 'RFC 7523 §2.1');
  const jwt = decodeJwt(form.assertion);
  if (!jwt.ok) return invalidGrant('PROVIDER_ASSERTION_MALFORMED', `assertion: ${jwt.explanation}`);
  const claims = jwt.payload;
  const integration = client.integration;
  const issuer = integration.oauthAssertionIssuer;
  if (issuer === undefined) return invalidGrant('PROVIDER_ASSERTION_ISSUER_UNSET', `integration ${integration.name} has no OAUTH_ASSERTION_ISSUER; no assertion can be trusted`);
  // RFC 7519 §4.1.1–4.1.3: iss and sub are strings (StringOrURI), aud a string or an array of them;
  // anything else is a malformed assertion, refused before any message formats it.
  const shape = claimShapeProblem(claims);
  if (shape) return invalidGrant('PROVIDER_ASSERTION_MALFORMED', `assertion: ${shape}`);
  if (claims.iss !== issuer) return invalidGrant('PROVIDER_ASSERTION_ISSUER', `assertion iss ${quoted(claims.iss)} is not OAUTH_ASSERTION_ISSUER ${quoted(issuer)} of integration ${integration.name}`);
  if (typeof claims.sub !== 'string' || claims.sub === '') return invalidGrant('PROVIDER_ASSERTION_SUBJECT', 'assertion has no sub');
  if (!audienceNamesEndpoint(claims.aud, client)) {
    return invalidGrant('PROVIDER_ASSERTION_AUDIENCE', `assertion aud ${claims.aud === undefined ? 'missing' : quoted(claims.aud)} does not name the token endpoint ${integration.oauthTokenEndpoint ?? '-'}`);
  }
  if (typeof claims.exp !== 'number') return invalidGrant('PROVIDER_ASSERTION_EXPIRY_MISSING', 'assertion has no numeric exp');
  const exp = toEpochMs(claims.exp);
  if (exp <= ctx.now) return invalidGrant('PROVIDER_ASSERTION_EXPIRED', `assertion expired at ${isoTime(exp)}`);
  if (typeof claims.nbf === 'number' && toEpochMs(claims.nbf) > ctx.now) return invalidGrant('PROVIDER_ASSERTION_NOT_YET_VALID', `assertion is not valid before ${isoTime(toEpochMs(claims.nbf))}`);
  const scope = grantScope(integration, splitScope(form.scope));
  if (!scope.ok) return scope;
  return { ok: true, decision: { sub: claims.sub, scope: scope.scope, refresh: false, summary: `assertion of ${quoted(issuer)} for ${quoted(claims.sub)} (signature not checked)` } };
};

/** aud (string or array) names the token endpoint: same host, and its path or the root (the origin). */
function audienceNamesEndpoint(aud: unknown, client: ProviderClient): boolean {
  const token = client.token;
  if (!token) return false;
  const values = Array.isArray(aud) ? aud : [aud];
  return values.some((v) => {
    const e = typeof v === 'string' ? endpointOf(v) : undefined;
    return e !== undefined && e.host === token.host && (e.path === token.path || e.path === '/');
  });
}

/** Why iss, sub or aud has a type RFC 7519 §4.1.1–4.1.3 does not allow, or `undefined` (absent is judged later). */
function claimShapeProblem(claims: Readonly<Record<string, unknown>>): string | undefined {
  for (const name of ['iss', 'sub'] as const) {
    const value = claims[name];
    if (value !== undefined && typeof value !== 'string') return `${name} is not a string (${quoted(value)}; RFC 7519 §4.1)`;
  }
  const aud = claims.aud;
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    return `aud is neither a string nor an array of strings (${quoted(aud)}; RFC 7519 §4.1.3)`;
  }
  return undefined;
}
