/**
 * `GET /oauth/authorize`: the checks Snowflake makes BEFORE the user signs in
 * (https://docs.snowflake.com/en/user-guide/oauth-custom). Whether the user may have the requested role is decided after sign-in (consent.ts).
 * Errors here are shown on an error page, never redirected (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview, RFC 6749 §4.1.2.1):
 * that is the HTTP layer's concern; this module only says which code and why.
 */
import { reject, type Rejection } from '../errors/rejection.ts';
import type { Account, OAuthIntegration } from '../world/model.ts';
import { isPkceChallenge, PKCE_METHOD } from './pkce.ts';
import { cut, parseScope, type ParsedScope } from './scope.ts';

/**
 * The query parameters of an authorize request, as received (all optional on the wire). A type
 * alias rather than an interface so it is assignable to `Record<string, string | undefined>`
 * (the HTTP layer carries it through its sign-in form).
 */
export type AuthorizeQuery = {
  client_id?: string;
  response_type?: string;
  redirect_uri?: string;
  state?: string;
  scope?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  login_hint?: string;
};

/** An authorize request that passed every pre-sign-in check. */
export interface AuthorizeRequest {
  integration: OAuthIntegration;
  /** As sent (with its query string): the code exchange must repeat it exactly (https://docs.snowflake.com/en/user-guide/oauth-custom). */
  redirectUri: string;
  state?: string;
  scope: ParsedScope;
  pkce?: { challenge: string; method: 'S256' };
  loginHint?: string;
}

export type AuthorizeCheck = { ok: true; request: AuthorizeRequest } | { ok: false; rejection: Rejection };

/** https://docs.snowflake.com/en/user-guide/oauth-custom: `state` may be at most 2048 characters (2048 allowed, 2049 refused). */
export const MAX_STATE_LENGTH = 2048;

/**
 * The enabled-or-not Snowflake OAuth integration with this client id, if any.
 *
 * @example
 * findOAuthClient(account, 'client-my_app')?.name // 'MY_APP'
 */
export function findOAuthClient(account: Account, clientId: string): OAuthIntegration | undefined {
  if (clientId === '') return undefined;
  for (const i of account.securityIntegrations.values()) {
    if (i.type === 'OAUTH' && i.oauthClientId === clientId) return i;
  }
  return undefined;
}

/**
 * Runs the pre-sign-in checks in Snowflake's order: client → redirect URI → response type →
 * state → scope → PKCE. The first failure wins.
 *
 * @example
 * checkAuthorizeRequest({ client_id: 'client-my_app', response_type: 'code', redirect_uri: 'https://app.example.com/callback' }, account)
 * // { ok: true, request: { integration: MY_APP, redirectUri: 'https://app.example.com/callback', scope: { raw: '', … } } }
 * checkAuthorizeRequest({ client_id: 'nope' }, account) // { ok: false, rejection: { code: '390306', cause: 'AUTHORIZE_CLIENT_UNKNOWN', … } }
 */
export function checkAuthorizeRequest(q: AuthorizeQuery, account: Account): AuthorizeCheck {
  const integration = checkClient(q.client_id, account);
  if ('rejection' in integration) return integration;
  const redirect = checkRedirectUri(q.redirect_uri, integration.value);
  if (redirect) return { ok: false, rejection: redirect };
  const early = checkResponseType(q.response_type) ?? checkState(q.state);
  if (early) return { ok: false, rejection: early };
  const scope = parseScope(present(q.scope));
  // https://docs.snowflake.com/en/user-guide/oauth-custom: a semantically invalid scope is refused before the user authenticates.
  if (!scope.ok) return { ok: false, rejection: reject('390308', 'https://docs.snowflake.com/en/user-guide/oauth-custom', `scope is invalid: ${scope.reason}`, 'AUTHORIZE_SCOPE_MALFORMED') };
  const pkce = checkPkce(q, integration.value);
  if ('rejection' in pkce) return pkce;
  return { ok: true, request: buildRequest(q, integration.value, scope.scope, pkce.value) };
}

function buildRequest(q: AuthorizeQuery, integration: OAuthIntegration, scope: ParsedScope, pkce: AuthorizeRequest['pkce']): AuthorizeRequest {
  const request: AuthorizeRequest = { integration, redirectUri: q.redirect_uri ?? '', scope };
  if (q.state !== undefined) request.state = q.state;
  if (pkce) request.pkce = pkce;
  const hint = present(q.login_hint);
  if (hint !== undefined) request.loginHint = hint;
  return request;
}

/** https://docs.snowflake.com/en/user-guide/oauth-custom: unknown client_id → 390306; a disabled integration is unusable (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake). */
function checkClient(clientId: string | undefined, account: Account): { value: OAuthIntegration } | { ok: false; rejection: Rejection } {
  const integration = findOAuthClient(account, clientId ?? '');
  if (!integration) {
    const what = clientId ? `client_id ${JSON.stringify(cut(clientId))} belongs to no OAuth integration of account ${account.name}` : 'client_id is missing';
    return { ok: false, rejection: reject('390306', 'https://docs.snowflake.com/en/user-guide/oauth-custom', what, 'AUTHORIZE_CLIENT_UNKNOWN') };
  }
  if (!integration.enabled) {
    return { ok: false, rejection: reject('390306', 'https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake', `integration ${integration.name} (client_id ${integration.oauthClientId}) is disabled`, 'AUTHORIZE_CLIENT_DISABLED') };
  }
  return { value: integration };
}

/**
 * https://docs.snowflake.com/en/user-guide/oauth-custom: redirect_uri must match OAUTH_REDIRECT_URI or one of
 * OAUTH_ALTERNATE_REDIRECT_URIS, the request's query string ignored for matching; malformed →
 * 390307. https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake: non-TLS only with OAUTH_ALLOW_NON_TLS_REDIRECT_URI.
 */
function checkRedirectUri(uri: string | undefined, integration: OAuthIntegration): Rejection | undefined {
  const fail = (cause: string, why: string): Rejection => reject('390307', 'https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake', why, cause);
  if (uri === undefined || uri === '') return fail('AUTHORIZE_REDIRECT_URI_MISSING', 'redirect_uri is missing');
  const shown = JSON.stringify(cut(uri));
  const url = URL.canParse(uri) ? new URL(uri) : undefined;
  // RFC 6749 §3.1.2: an absolute URI without fragment; userinfo is refused too (inferred: never legitimate here).
  if (!url || url.hash !== '' || url.username !== '' || url.password !== '') return fail('AUTHORIZE_REDIRECT_URI_MALFORMED', `redirect_uri ${shown} is not an absolute URI without fragment`);
  if (url.protocol !== 'https:' && !integration.oauthAllowNonTlsRedirectUri) {
    return fail('AUTHORIZE_REDIRECT_URI_NOT_TLS', `redirect_uri ${shown} is not https and integration ${integration.name} has OAUTH_ALLOW_NON_TLS_REDIRECT_URI = FALSE`);
  }
  const registered = [integration.oauthRedirectUri, ...integration.oauthAlternateRedirectUris].filter((u): u is string => u !== undefined);
  if (registered.some((r) => withoutQuery(r) === withoutQuery(uri) || sameLoopback(r, url))) return undefined;
  const list = registered.length === 0 ? 'none is registered' : `registered: ${registered.join(', ')}`;
  return fail('AUTHORIZE_REDIRECT_URI_MISMATCH', `redirect_uri ${shown} matches no redirect URI of integration ${integration.name} (${list})`);
}

/**
 * RFC 8252 §7.3: a loopback IP redirect URI (`http://127.0.0.1`, `http://[::1]`) matches on any
 * port, since native clients such as the drivers listen on a free port (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_authorization_code.js). Inferred
 * for Snowflake custom integrations; Snowflake's own SNOWFLAKE$LOCAL_APPLICATION must do the same.
 */
function sameLoopback(registered: string, requested: URL): boolean {
  if (requested.protocol !== 'http:' || (requested.hostname !== '127.0.0.1' && requested.hostname !== '[::1]')) return false;
  const r = URL.canParse(registered) ? new URL(registered) : undefined;
  return r !== undefined && r.protocol === 'http:' && r.hostname === requested.hostname && r.pathname === requested.pathname;
}

/**
 * The URI's text before its query, compared exactly (inferred strict reading of https://docs.snowflake.com/en/user-guide/oauth-custom:
 * only the query string is ignored). No normalisation: `HTTPS://APP…:443`, `/x/../callback` or a
 * backslash are different redirect URIs, as a careful authorization server treats them.
 */
function withoutQuery(uri: string): string {
  const q = uri.search(/[?#]/);
  return q < 0 ? uri : uri.slice(0, q);
}

/** https://docs.snowflake.com/en/user-guide/oauth-custom: only `code` is supported → else 390304. */
function checkResponseType(responseType: string | undefined): Rejection | undefined {
  if (responseType === 'code') return undefined;
  const what = responseType === undefined ? 'response_type is missing' : `response_type ${JSON.stringify(cut(responseType))} is not supported`;
  return reject('390304', 'https://docs.snowflake.com/en/user-guide/oauth-custom', `${what}; only "code" is`, 'AUTHORIZE_RESPONSE_TYPE_UNSUPPORTED');
}

/** https://docs.snowflake.com/en/user-guide/oauth-custom: state of at most 2048 characters → else 390305. */
function checkState(state: string | undefined): Rejection | undefined {
  // https://docs.snowflake.com/en/user-guide/oauth-custom: at most 2048 ASCII characters (a non-ASCII state is refused the same way; inferred).
  if (state !== undefined && /[^\x20-\x7e]/.test(state)) return reject('390305', 'https://docs.snowflake.com/en/user-guide/oauth-custom', 'state must be printable ASCII (at most 2048 characters)', 'AUTHORIZE_STATE_NOT_ASCII');
  if (state === undefined || state.length <= MAX_STATE_LENGTH) return undefined;
  return reject('390305', 'https://docs.snowflake.com/en/user-guide/oauth-custom', `state is ${state.length} characters long; at most ${MAX_STATE_LENGTH} are allowed`, 'AUTHORIZE_STATE_TOO_LONG');
}

/**
 * https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake: only S256; challenge and method come together (PKCE is enforced when both
 * are sent), a challenge must look like one, and OAUTH_ENFORCE_PKCE makes it mandatory → 390311.
 */
function checkPkce(q: AuthorizeQuery, integration: OAuthIntegration): { value: AuthorizeRequest['pkce'] } | { ok: false; rejection: Rejection } {
  const fail = (cause: string, why: string) => ({ ok: false as const, rejection: reject('390311', 'https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake', why, cause) });
  const challenge = present(q.code_challenge);
  const method = present(q.code_challenge_method);
  if (method !== undefined && method !== PKCE_METHOD) return fail('AUTHORIZE_PKCE_METHOD_UNSUPPORTED', `code_challenge_method ${JSON.stringify(cut(method))} is not supported; only S256 is`);
  if ((challenge === undefined) !== (method === undefined)) {
    return fail('AUTHORIZE_PKCE_INCOMPLETE', `${challenge === undefined ? 'code_challenge_method' : 'code_challenge'} was sent without ${challenge === undefined ? 'code_challenge' : 'code_challenge_method'}`);
  }
  if (challenge === undefined) {
    if (integration.oauthEnforcePkce) return fail('AUTHORIZE_PKCE_REQUIRED', `integration ${integration.name} has OAUTH_ENFORCE_PKCE = TRUE and the request has no code_challenge`);
    return { value: undefined };
  }
  if (!isPkceChallenge(challenge)) return fail('AUTHORIZE_PKCE_CHALLENGE_MALFORMED', `code_challenge ${JSON.stringify(cut(challenge))} is not 43–128 base64url characters`);
  return { value: { challenge, method: 'S256' } };
}

/** An empty parameter counts as absent (`?scope=` is no scope). */
function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

