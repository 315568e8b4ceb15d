/**
 * The outside IdP the mock plays for an External OAuth integration with `mock_idp`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external;
 * snowflake-sdk's OAUTH_CLIENT_CREDENTIALS, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts): it issues RS256 JWT access tokens for the integration's issuer, answers the
 * client-credentials grant at its token endpoint (RFC 6749 §4.4, client_secret_post or Basic) and
 * publishes its key as a JWKS. Snowflake-side checks live in `external-oauth.ts`. Time comes only
 * from the caller (the mock clock). Signing, the JWKS and the `kid` go through jose, so issuing a
 * token and serving the JWKS are asynchronous; every refusal of the token endpoint is not.
 */
import { endpointOf } from '../provider/clients.ts';
import { accountUrl } from '../world/account-url.ts';
import { isFormContentType, readForm } from '../form.ts';
import type { KeyObject } from 'node:crypto';
import type { Awaitable } from '../awaitable.ts';
import { safeEqual } from '../client-secret.ts';
import { parseDuration } from '../clock.ts';
import type { Account, ExternalOAuthIntegration, MockIdp, MockIdpClient, World } from '../world/model.ts';
import { keyIdOf, publicJwk, signExternalOAuthToken, type RsaJwk } from './external-oauth-sign.ts';

/** An integration whose IdP the mock plays, with the account it belongs to. */
export interface MockIdpIntegration {
  readonly account: Account;
  readonly integration: ExternalOAuthIntegration & { readonly mockIdp: MockIdp };
}

/** What a token carries besides the IdP's defaults. */
export interface IssueExternalTokenOptions {
  /** The user-mapping claim's value (a LOGIN_NAME or an email, per the integration). */
  readonly subject: string;
  /** e.g. `['session:role:ANALYST']`; default none. */
  readonly scopes?: readonly string[];
  /** Seconds or a duration (`10m`); default the IdP's access_token_validity. Negative: already expired. */
  readonly expiresIn?: number | string;
  /** `aud`; default the first of the audience list, else the account URL. */
  readonly audience?: string | readonly string[];
  /** `nbf`, epoch ms; default none. */
  readonly notBefore?: number;
  /** Extra or overriding claims; `undefined` deletes one (e.g. `{ sub: undefined }`). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export { accountUrl } from '../world/account-url.ts';

/**
 * Finds an integration by name (any account, or the named one) that has a mock IdP; throws a
 * readable Error otherwise.
 *
 * @example
 * findMockIdp(world, 'OKTA_IDP').integration.mockIdp.tokenEndpoint
 */
export function findMockIdp(world: World, name: string, account?: string): MockIdpIntegration {
  const wanted = name.toUpperCase();
  const accounts = account === undefined ? world.accounts : world.accounts.filter((a) => a.name === account.toUpperCase() || a.locator === account.toUpperCase());
  if (accounts.length === 0) throw new Error(`no account ${account} in the world`);
  const found = accounts.flatMap((a) => {
    const i = a.securityIntegrations.get(wanted);
    return i ? [{ account: a, integration: i }] : [];
  });
  if (found.length === 0) throw new Error(`no security integration ${wanted} in ${accounts.map((a) => a.name).join(', ')}`);
  if (found.length > 1) throw new Error(`security integration ${wanted} exists in ${found.map((f) => f.account.name).join(' and ')}; name the account`);
  const { account: a, integration: i } = found[0]!;
  if (i.type !== 'EXTERNAL_OAUTH') throw new Error(`integration ${wanted} is of type ${i.type}, not external_oauth`);
  if (!i.mockIdp) throw new Error(`integration ${wanted} has no mock_idp: the mock cannot sign its tokens (sign them with signExternalOAuthToken)`);
  return { account: a, integration: i as MockIdpIntegration['integration'] };
}

/**
 * Issues an access token as the integration's IdP: iss, sub and the user-mapping claim = subject,
 * aud, iat/exp on the given clock, the scopes in the scope claim (an array for Okta's `scp`, else
 * joined by the delimiter), signed RS256 with the IdP's key (`kid` = its thumbprint).
 *
 * @example
 * await issueExternalOAuthToken(findMockIdp(world, 'OKTA_IDP'), { subject: 'alice', scopes: ['session:role:ANALYST'] }, clock.now())
 */
export async function issueExternalOAuthToken(idp: MockIdpIntegration, o: IssueExternalTokenOptions, now: number): Promise<string> {
  const { integration: i, account } = idp;
  const lifetimeMs = o.expiresIn === undefined ? i.mockIdp.accessTokenValidity * 1000 : parseDuration(o.expiresIn);
  if (lifetimeMs === undefined) throw new Error(`expiresIn ${JSON.stringify(o.expiresIn)} is not seconds or a duration such as 10m`);
  const iat = Math.floor(now / 1000);
  const scopes = o.scopes ?? [];
  const claims: Record<string, unknown> = {
    iss: i.externalOauthIssuer,
    sub: o.subject,
    aud: o.audience ?? i.externalOauthAudienceList[0] ?? accountUrl(account),
    iat,
    exp: iat + Math.trunc(lifetimeMs / 1000),
    ...(o.notBefore !== undefined && { nbf: Math.floor(o.notBefore / 1000) }),
  };
  claims[i.externalOauthTokenUserMappingClaim[0] ?? 'sub'] = o.subject;
  const attribute = i.externalOauthScopeMappingAttribute;
  if (scopes.length > 0) claims[attribute] = i.externalOauthType === 'OKTA' && attribute === 'scp' ? [...scopes] : scopes.join(i.externalOauthScopeDelimiter);
  for (const [name, value] of Object.entries(o.claims ?? {})) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  const key = i.mockIdp.signingKey;
  return signExternalOAuthToken({ privateKey: key.privateKey, kid: await keyIdOf(key.publicKey), claims });
}

/**
 * `host` + path of a URL, the way requests are matched (scheme and port aside: `serve` speaks
 * plain HTTP on its own port); a trailing slash does not count.
 *
 * @example
 * urlKey('https://IDP.example.com/oauth2/v1/keys/') // 'idp.example.com/oauth2/v1/keys'
 */
export function urlKey(url: string): string {
  // The provider's endpoint normalisation (host case, port and a trailing slash do not count).
  const e = endpointOf(url);
  return e === undefined ? url : `${e.host}${e.path === '/' ? '' : e.path}`;
}

function mockIdps(world: World): MockIdpIntegration[] {
  const out: MockIdpIntegration[] = [];
  for (const account of world.accounts) {
    for (const i of account.securityIntegrations.values()) if (i.type === 'EXTERNAL_OAUTH' && i.mockIdp) out.push({ account, integration: i as MockIdpIntegration['integration'] });
  }
  return out;
}

/**
 * The mock IdPs that serve a JWKS at a URL (none: nothing the mock could fetch there).
 *
 * @example
 * idpsServingJwks(world, 'https://idp.example.com/oauth2/v1/keys').length // 1
 */
export function idpsServingJwks(world: World, url: string): MockIdpIntegration[] {
  const key = urlKey(url);
  return mockIdps(world).filter(({ integration }) => integration.mockIdp.jwksUrls.some((u) => urlKey(u) === key));
}

/** A key a JWKS publishes, with its `kid`. */
export interface PublishedKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
}

/**
 * The signing keys these IdPs publish (one per `kid`): what Snowflake would fetch from
 * EXTERNAL_OAUTH_JWS_KEYS_URL.
 *
 * @example
 * await publishedKeys(idpsServingJwks(world, 'https://idp.example.com/oauth2/v1/keys')) // [{ kid: '…', publicKey: KeyObject }]
 */
export async function publishedKeys(idps: readonly MockIdpIntegration[]): Promise<PublishedKey[]> {
  const keys = new Map<string, PublishedKey>();
  for (const { integration } of idps) {
    const publicKey = integration.mockIdp.signingKey.publicKey;
    const kid = await keyIdOf(publicKey);
    keys.set(kid, { kid, publicKey });
  }
  return [...keys.values()];
}

/**
 * The JWKS document these IdPs serve (`{"keys":[…]}`, jose `exportJWK`).
 *
 * @example
 * await jwksOf(idpsServingJwks(world, 'https://idp.example.com/oauth2/v1/keys')) // { keys: [{ kty: 'RSA', kid: '…', n, e, … }] }
 */
export async function jwksOf(idps: readonly MockIdpIntegration[]): Promise<{ keys: RsaJwk[] }> {
  const keys = await publishedKeys(idps);
  return { keys: await Promise.all(keys.map((k) => publicJwk(k.publicKey, k.kid))) };
}

/**
 * The JWKS document at a URL, or undefined when no mock IdP serves it.
 *
 * @example
 * await jwksAt(world, 'https://idp.example.com/oauth2/v1/keys') // { keys: [{ kty: 'RSA', kid: '…', n, e, … }] }
 */
export function jwksAt(world: World, url: string): Promise<{ keys: RsaJwk[] }> | undefined {
  const idps = idpsServingJwks(world, url);
  return idps.length === 0 ? undefined : jwksOf(idps);
}

/**
 * The integrations whose mock IdP has its token endpoint at this host and path.
 *
 * @example
 * idpsAtTokenEndpoint(world, 'idp.example.com', '/oauth2/v1/token').length // 1
 */
export function idpsAtTokenEndpoint(world: World, host: string, path: string): MockIdpIntegration[] {
  const key = `${host.toLowerCase()}${path.replace(/\/+$/, '')}`;
  return mockIdps(world).filter(({ integration }) => urlKey(integration.mockIdp.tokenEndpoint) === key);
}

/** The token endpoint's request, as read off the wire. */
export interface IdpTokenRequest {
  readonly authorization?: string | undefined;
  readonly contentType?: string | undefined;
  readonly body: string;
}

/** RFC 6749 §5.2 error codes the mock IdP answers. */
export type IdpError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

/** The IdP's answer: RFC 6749 §5.1 tokens, or §5.2 an error with its status, and why (for the journal). */
export type IdpTokenResult =
  | { readonly ok: true; readonly body: { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }; readonly explanation: string; readonly client: string }
  | { readonly ok: false; readonly status: number; readonly error: IdpError; readonly description: string; readonly basic: boolean; /** Finer reason for the journal, e.g. `IDP_CLIENT_SECRET_WRONG`. */ readonly cause: string };

type IdpFailure = Extract<IdpTokenResult, { ok: false }>;
const fail = (status: number, error: IdpError, description: string, basic = false, cause = 'IDP_REQUEST_INVALID'): IdpFailure => ({ ok: false, status, error, description, basic, cause });

/**
 * `grant_type=client_credentials` at a mock IdP's token endpoint (RFC 6749 §4.4). The client is
 * authenticated with client_secret_post (what snowflake-sdk sends, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts) or Basic
 * (RFC 6749 §2.3.1), never both; requested scopes must be the client's, and none means all of them.
 * A refusal comes at once; an issued token once jose has signed it.
 *
 * @example
 * await idpClientCredentials(idpsAtTokenEndpoint(world, host, path), { contentType: 'application/x-www-form-urlencoded', body: 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret' }, now)
 */
export function idpClientCredentials(idps: readonly MockIdpIntegration[], req: IdpTokenRequest, now: number, world?: World): Awaitable<IdpTokenResult> {
  if (!isFormContentType(req.contentType)) {
    const type = (req.contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
    return fail(400, 'invalid_request', `the token request must be application/x-www-form-urlencoded, not ${JSON.stringify(type.slice(0, 60))}`, false, 'IDP_CONTENT_TYPE');
  }
  const read = readForm(req.body);
  if (!read.ok) return fail(400, 'invalid_request', `parameter ${read.repeated.slice(0, 40)} is given more than once (RFC 6749 §3.2)`, false, 'IDP_PARAMETER_REPEATED');
  const params = read.form;
  const credentials = clientCredentialsOf(req.authorization, params);
  if ('error' in credentials) return credentials;
  const grant = params.grant_type ?? null;
  const matches = findClients(idps, credentials.id);
  const match = matches.find((m) => safeEqual(m.client.clientSecret, credentials.secret));
  const basic = credentials.basic;
  if (!match) {
    const why = matches.length > 0 ? `wrong client_secret for client ${matches[0]!.client.clientId}` : `no client ${JSON.stringify(credentials.id.slice(0, 80))} at this IdP`;
    return fail(401, 'invalid_client', `client authentication failed: ${why}`, basic, matches.length > 0 ? 'IDP_CLIENT_SECRET_WRONG' : 'IDP_CLIENT_UNKNOWN');
  }
  if (grant === null || grant === '') return fail(400, 'invalid_request', 'grant_type is missing', false, 'IDP_GRANT_TYPE_MISSING');
  if (grant !== 'client_credentials') return fail(400, 'unsupported_grant_type', `grant_type ${JSON.stringify(grant.slice(0, 60))} is not supported by the mock IdP (client_credentials only)`, false, 'IDP_GRANT_TYPE_UNSUPPORTED');
  const requested = (params.scope ?? '').split(' ').filter((s) => s !== '');
  const unknown = requested.filter((s) => !match.client.scopes.includes(s));
  if (unknown.length > 0) return fail(400, 'invalid_scope', `client ${match.client.clientId} may not ask for ${unknown.slice(0, 5).join(' ')} (its scopes: ${match.client.scopes.join(' ') || 'none'})`, false, 'IDP_SCOPE_NOT_ALLOWED');
  const scopes = requested.length > 0 ? requested : [...match.client.scopes];
  const idp = match.idp;
  const expiresIn = idp.integration.mockIdp.accessTokenValidity;
  const audience = world === undefined ? undefined : audiencesTrusting(world, idp.integration.externalOauthIssuer);
  const issued = issueExternalOAuthToken(idp, { subject: match.client.subject, scopes, claims: { cid: match.client.clientId }, ...(audience !== undefined && { audience }) }, now);
  return issued.then((accessToken): IdpTokenResult => ({
    ok: true,
    body: { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') },
    explanation: `mock IdP of ${idp.integration.name} issued a token to client ${match.client.clientId} for ${match.client.subject} (scope ${scopes.join(' ') || 'none'}, ${expiresIn} s)`,
    client: match.client.clientId,
  }));
}

function clientCredentialsOf(authorization: string | undefined, params: Readonly<Record<string, string>>): { id: string; secret: string; basic: boolean } | IdpFailure {
  const header = authorization?.trim() ?? '';
  const bodySecret = params.client_secret ?? null;
  if (header !== '') {
    const [scheme = '', encoded = ''] = header.split(/\s+/, 2);
    if (scheme.toLowerCase() !== 'basic') return fail(401, 'invalid_client', `Authorization scheme ${JSON.stringify(scheme.slice(0, 20))} is not Basic`, true, 'IDP_CLIENT_AUTH_SCHEME');
    if (bodySecret !== null) return fail(400, 'invalid_request', 'client credentials in both the Authorization header and the body; use one method (RFC 6749 §2.3)', false, 'IDP_CLIENT_AUTH_TWICE');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return fail(401, 'invalid_client', 'the Basic credentials are not base64 of client_id:client_secret', true, 'IDP_CLIENT_AUTH_MALFORMED');
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)), basic: true };
  }
  const id = params.client_id ?? null;
  if (id === null || id === '' || bodySecret === null) return fail(401, 'invalid_client', 'no client authentication: send client_id and client_secret in the body, or HTTP Basic', false, 'IDP_CLIENT_AUTH_MISSING');
  return { id, secret: bodySecret, basic: false };
}

/** RFC 6749 §2.3.1: Basic credentials are form-url-encoded first; plain ones are accepted too. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Every registration of a client id at this endpoint (two accounts may register it; either secret is accepted). */
function findClients(idps: readonly MockIdpIntegration[], id: string): { idp: MockIdpIntegration; client: MockIdpClient }[] {
  const out: { idp: MockIdpIntegration; client: MockIdpClient }[] = [];
  for (const idp of idps) {
    const client = idp.integration.mockIdp.clients.find((c) => c.clientId === id);
    if (client) out.push({ idp, client });
  }
  return out;
}

/**
 * The `aud` of a token the IdP's token endpoint issues: the token endpoint does not know which
 * account will use the token, so it names every account whose EXTERNAL_OAUTH integration trusts
 * this issuer (that integration's first EXTERNAL_OAUTH_AUDIENCE_LIST entry, else the account URL).
 * One audience is a string, several a list (RFC 7519 §4.1.3); undefined when none trusts it.
 *
 * @example
 * audiencesTrusting(world, 'https://idp.example.com/oauth2/default')
 * // ['https://myorg-first.snowflakecomputing.com', 'https://myorg-second.snowflakecomputing.com']
 */
export function audiencesTrusting(world: World, issuer: string): string | string[] | undefined {
  const out = new Set<string>();
  for (const account of world.accounts) {
    for (const i of account.securityIntegrations.values()) {
      if (i.type === 'EXTERNAL_OAUTH' && i.externalOauthIssuer === issuer) out.add(i.externalOauthAudienceList[0] ?? accountUrl(account));
    }
  }
  const list = [...out];
  return list.length === 0 ? undefined : list.length === 1 ? list[0]! : list;
}


/**
 * Every host where a mock IdP answers (its token endpoint and JWKS URLs): the provider dispatcher's
 * cheap first check before the exact URL match.
 *
 * @example
 * mockIdpHosts(world).has('idp.example.com') // true
 */
export function mockIdpHosts(world: World): Set<string> {
  const hosts = new Set<string>();
  for (const { integration } of mockIdps(world)) {
    for (const url of [integration.mockIdp.tokenEndpoint, ...integration.mockIdp.jwksUrls]) {
      if (!URL.canParse(url)) continue;
      const host = new URL(url).hostname.toLowerCase();
      if (!isSnowflakeServiceHost(host)) hosts.add(host);
    }
  }
  return hosts;
}

const SNOWFLAKE_SERVICE_HOST = /(^|\.)snowflakecomputing\.(com|cn)\.?$/;

/**
 * Whether a host is Snowflake's own (`*.snowflakecomputing.com`): a mock IdP never answers there
 * (the Snowflake side does), and a world may not put one there (decisions/0009).
 *
 * @example
 * isSnowflakeServiceHost('myorg-myaccount.snowflakecomputing.com') // true
 */
export function isSnowflakeServiceHost(host: string): boolean {
  return SNOWFLAKE_SERVICE_HOST.test(host.toLowerCase());
}

/**
 * Every mock IdP integration of a world, with its account (for the dispatcher's per-world index).
 *
 * @example
 * allMockIdps(world).map((m) => m.integration.name) // ['OKTA_IDP']
 */
export function allMockIdps(world: World): MockIdpIntegration[] {
  return mockIdps(world);
}
