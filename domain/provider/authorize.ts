/**
 * The provider's authorization endpoint (RFC 6749 §4.1.1–§4.1.2): which requests get the consent
 * page, which are refused on an error page (never redirected: a bad client_id or redirect_uri,
 * §4.1.2.1), which are redirected back with an error, and what Allow / Deny do.
 *
 * redirect_uri: the provider has no registered redirect URI (API_AUTHENTICATION has no such field),
 * so any absolute URI without a fragment is accepted (decisions/0007, inferred) — the one
 * SYSTEM$START_OAUTH_FLOW sends is Snowflake's — and the code is bound to it (§4.1.3).
 */
import type { Ids } from '../ids.ts';
import { isPkceChallenge, PKCE_METHOD } from '../oauth/pkce.ts';
import { grantAllowed, type ProviderClient } from './clients.ts';
import { quoteUntrusted as quoted } from '../safe-text.ts';
import { MAX_STATE_LENGTH, MAX_USERNAME_LENGTH } from './limits.ts';
import { grantScope, splitScope } from './scope.ts';
import type { ProviderStore } from './store.ts';

/** The parameters an authorize request carries to the consent page and back. */
export const AUTHORIZE_PARAMETERS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

/** A request fit for the consent page. */
export interface ValidAuthorizeRequest {
  readonly client: ProviderClient;
  readonly redirectUri: string;
  readonly state?: string;
  readonly scope: readonly string[];
  readonly pkce?: { readonly challenge: string };
  /** The authorize parameters as received, carried through the consent form. */
  readonly carry: Readonly<Record<string, string>>;
}

/** A refusal: on an error page (status 400), or as a redirect to the client with `error`. */
export interface AuthorizeRefusal {
  readonly ok: false;
  readonly error: string;
  readonly description: string;
  readonly cause: string;
  readonly rule: string;
  /** Set when the refusal is redirected (the redirect_uri was trustworthy). */
  readonly location?: string;
  /** The client, when known (for the journal). */
  readonly client?: ProviderClient;
}

export type AuthorizeCheck = { ok: true; request: ValidAuthorizeRequest } | AuthorizeRefusal;

const RULE = 'RFC 6749 §4.1.2.1';
const onPage = (error: string, cause: string, description: string, client?: ProviderClient): AuthorizeRefusal => ({ ok: false, error, description, cause, rule: RULE, ...(client && { client }) });

/**
 * Checks an authorize request (query of the GET, or the fields of the consent form).
 *
 * @example
 * checkAuthorizeRequest(new URLSearchParams('response_type=code&client_id=app&redirect_uri=https%3A%2F%2Fx%2Fcb&state=s'), clients)
 * // { ok: true, request: { client, redirectUri: 'https://x/cb', state: 's', scope: ['read', 'write'], carry } }
 */
export function checkAuthorizeRequest(pairs: Iterable<[string, string]>, candidates: readonly ProviderClient[]): AuthorizeCheck {
  const fields = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [k, v] of pairs) {
    if (fields.has(k)) repeated.add(k);
    else fields.set(k, v);
  }
  // Errors about the client or its redirect URI are shown on a page: redirecting would trust them.
  for (const key of ['client_id', 'redirect_uri']) if (repeated.has(key)) return onPage('invalid_request', 'PROVIDER_AUTHORIZE_REPEATED', `${key} is given more than once`);
  const clientId = fields.get('client_id');
  if (!clientId) return onPage('invalid_request', 'PROVIDER_AUTHORIZE_CLIENT_MISSING', 'client_id is missing');
  const known = candidates.filter((c) => c.clientId === clientId);
  if (known.length === 0) return onPage('invalid_client', 'PROVIDER_AUTHORIZE_CLIENT_UNKNOWN', `client_id ${quoted(clientId)} is the OAUTH_CLIENT_ID of no API_AUTHENTICATION integration at this authorization endpoint`);
  const client = known.find((c) => grantAllowed(c.integration, 'authorization_code')) ?? known[0]!;
  const redirectUri = fields.get('redirect_uri');
  if (!redirectUri) return onPage('invalid_request', 'PROVIDER_REDIRECT_URI_MISSING', 'redirect_uri is missing; the provider has no registered redirect URI to fall back on', client);
  const bad = redirectUriProblem(redirectUri);
  if (bad) return onPage('invalid_request', 'PROVIDER_REDIRECT_URI_INVALID', `redirect_uri ${quoted(redirectUri)} ${bad}`, client);

  // From here on the client and redirect URI are trusted: errors go back to the client (§4.1.2.1).
  const state = fields.get('state');
  const back = (error: string, cause: string, description: string, rule = RULE): AuthorizeRefusal => ({
    ok: false, error, description, cause, rule, client,
    location: withQuery(redirectUri, { error, error_description: description, ...(state !== undefined && state.length <= MAX_STATE_LENGTH && { state }) }),
  });
  if (repeated.size > 0) return back('invalid_request', 'PROVIDER_AUTHORIZE_REPEATED', `${[...repeated].join(', ')} given more than once`, 'RFC 6749 §3.1');
  const responseType = fields.get('response_type');
  if (!responseType) return back('invalid_request', 'PROVIDER_RESPONSE_TYPE_MISSING', 'response_type is missing');
  if (responseType !== 'code') return back('unsupported_response_type', 'PROVIDER_RESPONSE_TYPE_UNSUPPORTED', `response_type ${quoted(responseType)} is not supported; use code`);
  if (!grantAllowed(client.integration, 'authorization_code')) {
    return back('unauthorized_client', 'PROVIDER_GRANT_NOT_ALLOWED', `integration ${client.integration.name} has OAUTH_GRANT ${client.integration.oauthGrant}; it may not use the authorization code flow`);
  }
  if (state !== undefined && state.length > MAX_STATE_LENGTH) return back('invalid_request', 'PROVIDER_STATE_TOO_LONG', `state is ${state.length} characters; the mock carries at most ${MAX_STATE_LENGTH}`, 'mock limit; inferred: decisions/0007-mock-oauth-provider.md');
  const scope = grantScope(client.integration, splitScope(fields.get('scope')));
  if (!scope.ok) return back('invalid_scope', scope.cause, scope.description, scope.rule);
  const pkce = readPkce(fields.get('code_challenge'), fields.get('code_challenge_method'));
  if (typeof pkce === 'string') return back('invalid_request', 'PROVIDER_PKCE_INVALID', pkce, 'RFC 7636 §4.3, §4.4.1');
  const carry: Record<string, string> = {};
  for (const key of AUTHORIZE_PARAMETERS) {
    const v = fields.get(key);
    if (v !== undefined) carry[key] = v;
  }
  return { ok: true, request: { client, redirectUri, ...(state !== undefined && { state }), scope: scope.scope, ...(pkce && { pkce }), carry } };
}

/** What the user chose on the consent page. */
export type ConsentOutcome =
  | { readonly kind: 'redirect'; readonly location: string; readonly allowed: boolean; readonly explanation: string }
  | { readonly kind: 'again'; readonly message: string }
  | { readonly kind: 'refused'; readonly error: string; readonly description: string; readonly cause: string };

/**
 * Applies the consent form's decision: Allow (with a user name) issues a single-use code bound to
 * the client, redirect URI, scope and PKCE challenge; Deny answers `access_denied` (§4.1.2.1).
 *
 * @example
 * decideConsent(request, 'allow', 'jane', { store, ids, now })
 * // { kind: 'redirect', allowed: true, location: 'https://…/cb?code=mock-code-…&state=s', … }
 */
export function decideConsent(r: ValidAuthorizeRequest, decision: string | undefined, username: string | undefined, ctx: { store: ProviderStore; ids: Ids; now: number }): ConsentOutcome {
  const state: Record<string, string> = r.state !== undefined ? { state: r.state } : {};
  const who = `integration ${r.client.integration.name}`;
  if (decision === 'deny') {
    return { kind: 'redirect', allowed: false, location: withQuery(r.redirectUri, { error: 'access_denied', error_description: 'The resource owner denied the request.', ...state }), explanation: `the user denied ${who} on the consent page` };
  }
  if (decision !== 'allow') return { kind: 'refused', error: 'invalid_request', description: `decision ${quoted(decision ?? '')} is neither allow nor deny`, cause: 'PROVIDER_CONSENT_DECISION' };
  const sub = (username ?? '').trim();
  if (sub === '') return { kind: 'again', message: 'Enter a user name to allow access.' };
  if (sub.length > MAX_USERNAME_LENGTH) return { kind: 'again', message: `The user name is longer than ${MAX_USERNAME_LENGTH} characters.` };
  const client = r.client;
  const code = ctx.store.issueCode({
    clientKey: client.key, clientIdentity: client.identity, account: client.account, integration: client.integration.name, clientId: client.clientId ?? '', sub, scope: r.scope,
    redirectUri: r.redirectUri, ...(r.pkce && { pkce: r.pkce }), chain: ctx.ids.uuid(),
  }, ctx.now, ctx.ids);
  const explanation = `${quoted(sub)} allowed ${who}, scope ${quoted(r.scope.join(' '))}${r.pkce ? ', PKCE S256' : ''}: code valid 10 min`;
  return { kind: 'redirect', allowed: true, location: withQuery(r.redirectUri, { code: code.code, ...state }), explanation };
}

/**
 * Adds parameters to a URI, keeping its query (RFC 6749 §3.1.2: "MUST retain the query component").
 *
 * @example
 * withQuery('https://app.example.com/cb?x=1', { code: 'c', state: 's' }) // 'https://app.example.com/cb?x=1&code=c&state=s'
 * withQuery('https://idp.example.com/authorize?tenant=1#frag', { state: 's' }) // 'https://idp.example.com/authorize?tenant=1&state=s#frag'
 */
export function withQuery(uri: string, params: Readonly<Record<string, string>>): string {
  if (!URL.canParse(uri)) {
    const query = new URLSearchParams(params).toString();
    return uri + (uri.includes('?') ? (uri.endsWith('?') || uri.endsWith('&') ? '' : '&') : '?') + query;
  }
  // Through URL.searchParams, so parameters land in the query even when the URI has a fragment.
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) url.searchParams.append(k, v);
  return url.href;
}

/** RFC 6749 §3.1.2: absolute, no fragment; script-like schemes are refused outright. */
function redirectUriProblem(uri: string): string | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (/^(javascript|data|vbscript):$/i.test(u.protocol)) return `has the scheme ${u.protocol} that no redirect may use`;
  if (uri.includes('#')) return 'has a fragment (RFC 6749 §3.1.2)';
  return undefined;
}

/** RFC 7636 §4.3: only S256 here (like Snowflake's own server); undefined = no PKCE; a string = why refused. */
function readPkce(challenge: string | undefined, method: string | undefined): { challenge: string } | undefined | string {
  if (challenge === undefined || challenge === '') return method === undefined ? undefined : 'code_challenge_method came without code_challenge';
  if (method !== PKCE_METHOD) return `code_challenge_method ${quoted(method ?? '(absent: plain)')} is not supported; the provider takes S256 only`;
  if (!isPkceChallenge(challenge)) return 'code_challenge is not 43–128 base64url characters';
  return { challenge };
}
