/**
 * Client authentication at `POST /oauth/token-request` (https://docs.snowflake.com/en/user-guide/oauth-custom).
 *
 * - `client_secret_basic` (documented): `Authorization: Basic base64(urlencode(id):urlencode(secret))`;
 *   the non-url-encoded form is accepted too, as most clients send it.
 * - `client_secret_post` (inferred: not documented for Snowflake OAuth, but it is what
 *   snowflake-sdk sends, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts; decisions/0004): `client_id` and `client_secret` in the form body.
 * - `client_jwt` (documented): `Authorization: Bearer <JWT>`, RS256 with the integration's
 *   OAUTH_CLIENT_RSA_PUBLIC_KEY(_2), iss `<client_id>.<SHA256:fp>`, sub `<locator>.<client_id>`.
 * - `public`: a PUBLIC client sends its client_id alone (PKCE then mandatory at the code grant).
 *
 * Decision (RFC 6749 §2.3: one method per request): an Authorization header together with a body
 * `client_secret` is `invalid_request`; a body `client_id` beside a header must name the same client.
 * Every refusal is `invalid_client` unless said otherwise. Never throws. A client JWT's signature is
 * checked by jose (https://github.com/panva/jose), asynchronously; every other answer is synchronous.
 */
import { andThen, type Awaitable } from '../awaitable.ts';
import { credentialVariants, safeEqual } from '../client-secret.ts';
import { verifyJws, type JoseFailure } from '../auth/jws.ts';
import { decodeJwt, toEpochMs } from '../auth/keypair-jwt-claims.ts';
import { quoteUntrusted as quote } from '../safe-text.ts';
import { isoTime } from '../clock.ts';
import { reject, type Rejection } from '../errors/rejection.ts';
import { SOURCES } from '../errors/sources.ts';
import type { Account, OAuthIntegration, PublicKeySlot } from '../world/model.ts';
import { findOAuthClient } from './authorize.ts';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_jwt' | 'public';

export interface ClientAuthInput {
  /** The Authorization header, if any. */
  authorization?: string;
  /** The parsed form body. */
  form: Readonly<Record<string, string>>;
}

export type ClientAuthResult =
  | { ok: true; integration: OAuthIntegration; method: ClientAuthMethod }
  | { ok: false; rejection: Rejection };

type Failure = { ok: false; rejection: Rejection };

const invalidClient = (cause: string, explanation: string, rule: string = SOURCES.oauthCustom): Failure => ({ ok: false, rejection: reject('invalid_client', rule, explanation, cause) });

/**
 * Authenticates the client of a token request.
 *
 * A client JWT whose signature must be checked is answered with a promise; everything else at once.
 *
 * @example
 * authenticateClient({ authorization: 'Basic ' + btoa('client-my_app:secret-my_app'), form: {} }, account, now)
 * // { ok: true, integration: MY_APP, method: 'client_secret_basic' }
 * authenticateClient({ form: { client_id: 'client-my_app', client_secret: 'wrong' } }, account, now)
 * // { ok: false, rejection: { code: 'invalid_client', cause: 'CLIENT_SECRET_MISMATCH', … } }
 */
export function authenticateClient(input: ClientAuthInput, account: Account, now: number): Awaitable<ClientAuthResult> {
  const header = input.authorization?.trim() ?? '';
  if (header === '') return authenticateForm(input.form, account);
  if (input.form.client_secret !== undefined) {
    return { ok: false, rejection: reject('invalid_request', `${SOURCES.oauthCustom}; RFC 6749 §2.3`, 'client credentials were sent both in the Authorization header and as client_secret in the body; use one method', 'CLIENT_AUTH_MULTIPLE_METHODS') };
  }
  const bodyId = input.form.client_id;
  return andThen(authenticateHeader(header, account, now), (result) => {
    if (result.ok && bodyId !== undefined && bodyId !== result.integration.oauthClientId) {
      return invalidClient('CLIENT_ID_MISMATCH', `body client_id ${quote(bodyId)} differs from the client ${result.integration.oauthClientId} authenticated by the Authorization header`);
    }
    return result;
  });
}

function authenticateHeader(header: string, account: Account, now: number): Awaitable<ClientAuthResult> {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const credentials = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') return basicOnce(credentials, account);
  if (scheme === 'bearer') return authenticateClientJwt(credentials, account, now);
  return invalidClient('CLIENT_AUTH_SCHEME_UNSUPPORTED', `Authorization scheme ${quote(scheme)} is not supported; use Basic (or Bearer with a client JWT)`);
}

// A client sends the same Basic header on every request: remember accepted ones per account. A hit
// counts only while the account still holds that very integration object, and it is still enabled.
const acceptedBasic = new WeakMap<Account, Map<string, Extract<ClientAuthResult, { ok: true }>>>();
function basicOnce(credentials: string, account: Account): ClientAuthResult {
  let known = acceptedBasic.get(account);
  const hit = known?.get(credentials);
  if (hit && hit.integration.enabled && account.securityIntegrations.get(hit.integration.name) === hit.integration) return hit;
  const result = authenticateBasic(credentials, account);
  if (result.ok) {
    if (!known) acceptedBasic.set(account, (known = new Map()));
    if (known.size >= 256) known.clear();
    known.set(credentials, result);
  }
  return result;
}

/** Basic base64(urlencode(id) ':' urlencode(secret)) (oauth-custom, single-use-refresh-tokens); plain id:secret accepted too. */
function authenticateBasic(credentials: string, account: Account): ClientAuthResult {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(credentials) ? Buffer.from(credentials, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon < 0) return invalidClient('CLIENT_BASIC_MALFORMED', 'Authorization: Basic does not carry base64 of <client_id>:<client_secret>');
  const ids = credentialVariants(text.slice(0, colon));
  const integration = ids.map((id) => findOAuthClient(account, id)).find((i) => i !== undefined);
  if (!integration) return unknownClient(ids[0] ?? '', account);
  return checkSecret(integration, credentialVariants(text.slice(colon + 1)), 'client_secret_basic');
}

/** Body credentials (client_secret_post — what snowflake-sdk sends, label inferred) or a public client's bare client_id. */
function authenticateForm(form: Readonly<Record<string, string>>, account: Account): ClientAuthResult {
  const clientId = form.client_id;
  if (clientId === undefined || clientId === '') return invalidClient('CLIENT_CREDENTIALS_MISSING', 'no client credentials: no Authorization header and no client_id in the body');
  const integration = findOAuthClient(account, clientId);
  if (!integration) return unknownClient(clientId, account);
  return checkSecret(integration, form.client_secret === undefined ? [] : [form.client_secret], 'client_secret_post');
}

/** The client's secret must be OAUTH_CLIENT_SECRET or _2 (https://docs.snowflake.com/en/sql-reference/functions/system_show_oauth_client_secrets); a PUBLIC client may send none. */
function checkSecret(integration: OAuthIntegration, candidates: readonly string[], method: ClientAuthMethod): ClientAuthResult {
  if (!integration.enabled) return disabled(integration);
  const secrets = [integration.oauthClientSecret, integration.oauthClientSecret2].filter((s): s is string => s !== undefined && s !== '');
  if (candidates.some((c) => secrets.some((s) => safeEqual(c, s)))) return { ok: true, integration, method };
  const none = candidates.every((c) => c === '');
  if (none && integration.oauthClientType === 'PUBLIC') return { ok: true, integration, method: 'public' };
  if (none) return invalidClient('CLIENT_SECRET_MISSING', `integration ${integration.name} is a confidential client and no client_secret was sent`, `${SOURCES.oauthCustom}, ${SOURCES.oauthIntegration}`);
  return invalidClient('CLIENT_SECRET_MISMATCH', `client_secret matches neither OAUTH_CLIENT_SECRET nor OAUTH_CLIENT_SECRET_2 of integration ${integration.name}`);
}

/**
 * Bearer client JWT for integrations with OAUTH_CLIENT_RSA_PUBLIC_KEY(_2) (oauth-custom, "Using key-pair authentication").
 * Order: shape → RS256 → iss → client → enabled → key by fingerprint → signature → sub → exp.
 */
function authenticateClientJwt(token: string, account: Account, now: number): Awaitable<ClientAuthResult> {
  const decoded = decodeJwt(token);
  if (!decoded.ok) return invalidClient('CLIENT_JWT_MALFORMED', `client JWT: ${decoded.explanation}`);
  if (decoded.header.alg !== 'RS256') return invalidClient('CLIENT_JWT_ALGORITHM', `client JWT alg ${quote(decoded.header.alg)} is not RS256`);
  const issuer = parseClientIssuer(decoded.payload.iss);
  if (!issuer) return invalidClient('CLIENT_JWT_MALFORMED', `client JWT iss ${quote(decoded.payload.iss)} is not <client_id>.SHA256:<fingerprint>`);
  const integration = findOAuthClient(account, issuer.clientId);
  if (!integration) return unknownClient(issuer.clientId, account);
  if (!integration.enabled) return disabled(integration);
  const slot = keySlot(integration, issuer.fingerprint);
  if ('rejection' in slot) return slot;
  return verifyJws(decoded.compact, slot.key, ['RS256']).then((failure) => {
    if (failure) return clientJwtJoseProblem(failure, slot, integration);
    const claims = checkClientClaims(decoded.payload, integration, account, now);
    return claims ?? { ok: true, integration, method: 'client_jwt' };
  });
}

/**
 * jose's refusal of a client JWT as its cause: a bad signature, or a key that cannot verify RS256
 * → CLIENT_JWT_SIGNATURE_INVALID; an algorithm outside the allow-list → CLIENT_JWT_ALGORITHM; a JWS
 * jose cannot read, or a critical header extension it does not know → CLIENT_JWT_MALFORMED.
 *
 * @example
 * clientJwtJoseProblem({ kind: 'signature', reason: 'signature verification failed' }, slot, integration) // { ok: false, rejection: { cause: 'CLIENT_JWT_SIGNATURE_INVALID', … } }
 */
export function clientJwtJoseProblem(failure: JoseFailure, slot: PublicKeySlot, integration: OAuthIntegration): Failure {
  switch (failure.kind) {
    case 'signature':
    case 'key':
      return invalidClient('CLIENT_JWT_SIGNATURE_INVALID', `client JWT signature does not verify with ${slot.slot} (${slot.fingerprint}) of integration ${integration.name}`);
    case 'algorithm':
      return invalidClient('CLIENT_JWT_ALGORITHM', `client JWT alg is not RS256: ${failure.reason}`);
    case 'unsupported':
    case 'malformed':
      return invalidClient('CLIENT_JWT_MALFORMED', `client JWT: ${failure.reason}`);
  }
}

/** iss = `<client_id>.SHA256:<fp>`, split at the last `.SHA256:` (client ids are opaque). */
function parseClientIssuer(iss: unknown): { clientId: string; fingerprint: string } | undefined {
  if (typeof iss !== 'string') return undefined;
  const mark = iss.lastIndexOf('.SHA256:');
  if (mark <= 0 || mark + '.SHA256:'.length === iss.length) return undefined;
  return { clientId: iss.slice(0, mark), fingerprint: iss.slice(mark + 1) };
}

function keySlot(integration: OAuthIntegration, fingerprint: string): PublicKeySlot | Failure {
  const slots = [integration.oauthClientRsaPublicKey, integration.oauthClientRsaPublicKey2].filter((s): s is PublicKeySlot => s !== undefined);
  if (slots.length === 0) return invalidClient('CLIENT_JWT_NOT_CONFIGURED', `integration ${integration.name} has no OAUTH_CLIENT_RSA_PUBLIC_KEY; client JWTs cannot authenticate it`);
  const slot = slots.find((s) => s.fingerprint === fingerprint);
  if (slot) return slot;
  const known = slots.map((s) => `${s.slot} ${s.fingerprint}`).join(', ');
  return invalidClient('CLIENT_JWT_FINGERPRINT_MISMATCH', `client JWT fingerprint ${quote(fingerprint)} matches no key of integration ${integration.name} (${known})`);
}

/** sub = `<account_locator>.<client_id>`; exp required and in the future (oauth-custom). */
function checkClientClaims(payload: Readonly<Record<string, unknown>>, integration: OAuthIntegration, account: Account, now: number): Failure | undefined {
  const sub = `${account.locator}.${integration.oauthClientId}`;
  if (payload.sub !== sub) return invalidClient('CLIENT_JWT_SUBJECT_MISMATCH', `client JWT sub ${quote(payload.sub)} is not ${quote(sub)} (<account_locator>.<client_id>)`);
  if (typeof payload.exp !== 'number') return invalidClient('CLIENT_JWT_EXPIRY_MISSING', `client JWT exp is ${payload.exp === undefined ? 'missing' : 'not a number'}; it is required`);
  const exp = toEpochMs(payload.exp);
  if (exp <= now) return invalidClient('CLIENT_JWT_EXPIRED', `client JWT of integration ${integration.name} expired at ${isoTime(exp)}`);
  return undefined;
}

function unknownClient(clientId: string, account: Account): Failure {
  return invalidClient('CLIENT_UNKNOWN', `client_id ${quote(clientId)} belongs to no OAuth integration of account ${account.name}`);
}

function disabled(integration: OAuthIntegration): Failure {
  return invalidClient('CLIENT_DISABLED', `integration ${integration.name} is disabled`, `${SOURCES.oauthCustom}, ${SOURCES.oauthIntegration}`);
}


