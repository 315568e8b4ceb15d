/**
 * `GET|POST /oauth/authorize` — Snowflake OAuth's browser side (https://docs.snowflake.com/en/user-guide/oauth-custom): the request
 * is checked before sign-in (errors are shown on a page, never redirected: the redirect URI is not
 * trusted yet, RFC 6749 §4.1.2.1), the user signs in with a password of the world, the user-level
 * network policy governs this browser traffic (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview), consent is asked unless the role is
 * pre-authorized, and the code goes back on a 302 to `redirect_uri` with `code`, `state`, `scope`.
 * Integrations with `mock_auto_consent` skip the pages, for fetch-only tests.
 */
import { BoundedMap } from '../../domain/bounded-map.ts';
import { checkAuthorizeRequest, type AuthorizeQuery, type AuthorizeRequest } from '../../domain/oauth/authorize.ts';
import { resolveConsent } from '../../domain/oauth/consent.ts';
import { checkNetworkAccess } from '../../domain/network/precedence.ts';
import { reject } from '../../domain/errors/rejection.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import type { User } from '../../domain/world/model.ts';
import type { MockCore } from '../core.ts';
import type { Endpoint, RequestContext } from '../endpoint.ts';
import { allowed, plain, rejected, type Outcome } from '../outcome.ts';
import { consentPage } from '../pages/consent.ts';
import { loginPage } from '../pages/login.ts';

const QUERY_KEYS = ['client_id', 'response_type', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method', 'login_hint'] as const;
const CONSENT_TTL_MS = 10 * 60_000;
const HTML = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

interface PendingConsent {
  readonly request: AuthorizeRequest;
  readonly user: string;
  readonly role: string;
  readonly account: string;
  readonly expiresAt: number;
}

/**
 * Open consent pages kept at most: past it the oldest is forgotten in O(1) (issue #14), as the other
 * stores are bounded — a page never submitted (a test that stops at the consent step, a fuzzer) must
 * not grow the process. Its form then answers like an expired one.
 */
export const MAX_PENDING_CONSENTS = 10_000;

// Pending consents live with the core's OAuth server state: reset() replaces that, and with it these.
const pendingByStore = new WeakMap<object, BoundedMap<string, PendingConsent>>();
const pending = (core: MockCore): BoundedMap<string, PendingConsent> => {
  let map = pendingByStore.get(core.oauth);
  if (!map) pendingByStore.set(core.oauth, (map = new BoundedMap(MAX_PENDING_CONSENTS)));
  return map;
};

/**
 * Drops the open consent pages of a user for an integration (consent revocation, https://docs.snowflake.com/en/user-guide/oauth-custom).
 *
 * @example
 * dropPendingConsents(core, 'MYORG-MYACCOUNT', 'ALICE', 'MY_APP')
 */
export function dropPendingConsents(core: MockCore, account: string, user: string, integration: string): void {
  const map = pending(core);
  for (const [id, p] of map) if (p.account === account && p.user === user && p.request.integration.name === integration) map.delete(id);
}

/** `GET /oauth/authorize` */
export const authorize: Endpoint = (req, ctx) => {
  const params = new URLSearchParams(req.query);
  const twice = repeated(params);
  if (twice) return rejected(twice, 'oauth-authorize', ctx);
  const query = pick(params);
  const checked = checkAuthorizeRequest(query, ctx.account);
  if (!checked.ok) return rejected(checked.rejection, 'oauth-authorize', ctx);
  const auto = checked.request.integration.mockAutoConsent;
  if (auto) return autoConsent(checked.request, auto, ctx);
  const page = loginPage({ account: ctx.account.name, client: checked.request.integration.name, carry: query });
  return plain(html(200, page), 'allowed', `allowed: authorize request of ${checked.request.integration.name} is valid; showing the sign-in page`, SOURCES.oauthCustom);
};

/** `POST /oauth/authorize` — the sign-in and consent forms post here. */
export const authorizeForm: Endpoint = (req, ctx) => {
  const form = new URLSearchParams(req.body);
  if (form.get('step') === 'consent') return consentDecision(form, ctx);
  const twice = repeated(form);
  if (twice) return rejected(twice, 'oauth-authorize', ctx);
  const query = pick(form);
  const checked = checkAuthorizeRequest(query, ctx.account);
  if (!checked.ok) return rejected(checked.rejection, 'oauth-authorize', ctx);
  const loginName = form.get('login_name') ?? '';
  const user = findUser(ctx, loginName, false);
  // The network policy is judged before the password, so a refused address cannot test passwords
  // (the user's policy, else the account's — oauth-snowflake-overview; an unknown name gets the account's).
  const access = checkNetworkAccess({ account: ctx.account, ...(user && { user }), traffic: 'user-credential', precedence: ctx.switches.networkPolicyPrecedence, clientIp: ctx.clientIp });
  if (!access.ok) return rejected(access.rejection, 'oauth-authorize', ctx);
  if (!user || user.password === undefined || user.password !== (form.get('password') ?? '') || user.disabled) {
    const page = loginPage({ account: ctx.account.name, client: checked.request.integration.name, carry: query, error: 'Incorrect username or password was specified.', loginName });
    const why = !user ? `no user with login name ${JSON.stringify(loginName.slice(0, 100))}` : user.disabled ? `user ${user.name} is disabled` : `wrong password for ${user.name}`;
    return { ...plain(html(200, page), 'rejected', `rejected: sign-in failed: ${why}`, `${SOURCES.oauthCustom} (login page)`), code: '390100' };
  }
  return signedIn(checked.request, user, ctx, false);
};

function autoConsent(request: AuthorizeRequest, auto: string, ctx: RequestContext): Outcome {
  const name = auto === 'login_hint' ? (request.loginHint ?? '') : auto;
  const user = findUser(ctx, name, true);
  if (!user) {
    const why = reject('390302', `${SOURCES.decisionInferred} (mock_auto_consent)`, `auto-consent of ${request.integration.name} names no user of the world (${JSON.stringify(name.slice(0, 100))}; pass login_hint)`, 'AUTO_CONSENT_USER_UNKNOWN');
    return rejected(why, 'oauth-authorize', ctx);
  }
  return signedIn(request, user, ctx, true);
}

/** After sign-in: the user's network policy, then consent (oauth-snowflake-overview, oauth-custom). */
function signedIn(request: AuthorizeRequest, user: User, ctx: RequestContext, auto: boolean): Outcome {
  // The browser's traffic to the authorization server follows the user's policy, else the account's;
  // the integration's policy does not apply here (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview).
  const access = checkNetworkAccess({ account: ctx.account, user, traffic: 'user-credential', precedence: ctx.switches.networkPolicyPrecedence, clientIp: ctx.clientIp });
  if (!access.ok) return rejected(access.rejection, 'oauth-authorize', ctx, { authMethod: undefined, user: user.name, role: undefined });
  const consent = resolveConsent(request, user, ctx.account);
  if (!consent.ok) return rejected(consent.rejection, 'oauth-authorize', ctx, { authMethod: undefined, user: user.name, role: undefined });
  if (auto || consent.preAuthorized) return redirectWithCode(request, user, consent.role, ctx, auto ? 'auto-consent (mock_auto_consent)' : 'pre-authorized role');
  const consentId = ctx.ids.token('consent-', 32);
  pending(ctx.core).set(consentId, { request, user: user.name, role: consent.role, account: ctx.account.name, expiresAt: ctx.now + CONSENT_TTL_MS });
  const page = consentPage({ client: request.integration.name, user: user.name, role: consent.role, offline: request.scope.refreshToken, consentId, account: ctx.account.name });
  return plain(html(200, page), 'allowed', `allowed: ${user.name} signed in; asking consent for role ${consent.role} of ${request.integration.name}`, SOURCES.oauthCustom, { authMethod: undefined, user: user.name, role: consent.role });
}

function consentDecision(form: URLSearchParams, ctx: RequestContext): Outcome {
  const id = form.get('consent_id') ?? '';
  const p = pending(ctx.core).get(id);
  pending(ctx.core).delete(id);
  if (!p || p.account !== ctx.account.name || ctx.now >= p.expiresAt) {
    return rejected(reject('390302', SOURCES.oauthOverview, `consent ${id.slice(0, 60)} is unknown, used or expired (consent pages are valid 10 minutes)`), 'oauth-authorize', ctx);
  }
  const user = ctx.account.users.get(p.user);
  if (!user) return rejected(reject('390302', SOURCES.oauthOverview, `user ${p.user} no longer exists`, 'CONSENT_USER_DISABLED'), 'oauth-authorize', ctx);
  // The world may have changed while the page was open: judge the integration and the consent again.
  const fresh = ctx.account.securityIntegrations.get(p.request.integration.name);
  if (fresh?.type !== 'OAUTH' || !fresh.enabled) {
    return rejected(reject('390306', SOURCES.oauthCustom, `integration ${p.request.integration.name} was disabled or dropped while the consent page was open`, 'AUTHORIZE_CLIENT_DISABLED'), 'oauth-authorize', ctx);
  }
  // The code carries the role the page showed; it must still be consentable.
  const request = { ...p.request, integration: fresh, scope: { ...p.request.scope, role: p.role } };
  const again = resolveConsent(request, user, ctx.account);
  if (!again.ok) return rejected(again.rejection, 'oauth-authorize', ctx, { authMethod: undefined, user: user.name, role: p.role });
  if (form.get('decision') !== 'allow') {
    // RFC 6749 §4.1.2.1: the redirect URI is trusted now, so a denial goes back to the client (inferred for Snowflake).
    const location = withParams(p.request.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: p.request.state });
    return plain(redirect(location), 'rejected', `rejected: ${user.name} denied consent to ${p.request.integration.name}`, 'RFC 6749 §4.1.2.1', { authMethod: undefined, user: user.name, role: p.role });
  }
  return redirectWithCode(request, user, again.role, ctx, 'consent given');
}

function redirectWithCode(request: AuthorizeRequest, user: User, role: string, ctx: RequestContext, why: string): Outcome {
  const code = ctx.core.oauth.issueCode(
    { account: ctx.account.name, integration: request.integration.name, user: user.name, role, redirectUri: request.redirectUri, scope: request.scope, ...(request.pkce && { pkce: request.pkce }) },
    ctx.now,
    ctx.ids,
  );
  const location = withParams(request.redirectUri, { code: code.code, state: request.state, scope: request.scope.raw || undefined });
  return allowed(redirect(location), `${why}: authorization code for ${user.name} (role ${role}) sent to ${request.redirectUri.split('?')[0]}`, { authMethod: undefined, user: user.name, role });
}

/** Sign-in is by LOGIN_NAME; the auto-consent setting may also name a user by NAME. */
function findUser(ctx: RequestContext, name: string, orName: boolean): User | undefined {
  const wanted = name.trim().toUpperCase();
  if (wanted === '') return undefined;
  for (const u of ctx.account.users.values()) if (u.loginName === wanted) return u;
  return orName ? ctx.account.users.get(wanted) : undefined;
}

/** The code each authorize parameter is judged under (oauth-custom, oauth-snowflake-overview). */
const CODE_OF: Readonly<Record<(typeof QUERY_KEYS)[number], string>> = {
  client_id: '390306', response_type: '390304', redirect_uri: '390307', state: '390305', scope: '390308',
  code_challenge: '390311', code_challenge_method: '390311', login_hint: '390302',
};

/** RFC 6749 §3.1: a parameter sent twice makes the request ambiguous; refused, never read as its first value. */
function repeated(params: URLSearchParams): ReturnType<typeof reject> | undefined {
  const key = QUERY_KEYS.find((k) => params.getAll(k).length > 1);
  return key && reject(CODE_OF[key], `${SOURCES.oauthCustom}; RFC 6749 §3.1`, `authorize parameter ${key} is given more than once`, 'AUTHORIZE_PARAMETER_REPEATED');
}

function pick(params: URLSearchParams): AuthorizeQuery {
  const q: Record<string, string> = {};
  for (const k of QUERY_KEYS) {
    const v = params.get(k);
    if (v !== null) q[k] = v;
  }
  return q as AuthorizeQuery;
}

/**
 * The redirect back to the client, serialised by the URL API: control characters and non-ASCII in
 * the client's URI come out percent-encoded (a raw newline in a Location header would break the
 * response), and parameters of ours that the URI already carries are replaced, never duplicated
 * (a `?code=EVIL` on the redirect URI cannot ride in front of the real code).
 */
function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const key of ['code', 'state', 'scope', 'error', 'error_description']) url.searchParams.delete(key);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(key, value);
  return url.href;
}

const html = (status: number, body: string) => ({ status, headers: HTML, body });
const redirect = (location: string) => ({ status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' });

