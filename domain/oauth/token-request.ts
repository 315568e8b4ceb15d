/**
 * `POST /oauth/token-request` (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake). Steps, in order: Content-Type → form →
 * client authentication → grant type → the grant's own checks → the integration's network policy
 * (https://docs.snowflake.com/en/user-guide/network-policies; the user is known only once the grant is read) → issue. A grant module only
 * decides; nothing is used up or issued until every check passed, so a refused request (e.g. by
 * the network policy) leaves its code or refresh token as it was.
 *
 * Grants are dispatched by their wire string (DESIGN: one module per grant).
 */
import { andThen, type Awaitable } from '../awaitable.ts';
import { isFormContentType, readForm } from '../form.ts';
import { reject, type Rejection } from '../errors/rejection.ts';
import type { Ids } from '../ids.ts';
import type { OAuthTokenStore } from '../auth/oauth-token.ts';
import { checkNetworkAccess } from '../network/precedence.ts';
import type { Account, OAuthIntegration, User, World } from '../world/model.ts';
import { authenticateClient, type ClientAuthMethod } from './client-auth.ts';
import { authorizationCodeGrant } from './grants/authorization-code.ts';
import { clientCredentialsGrant } from './grants/client-credentials.ts';
import { refreshTokenGrant } from './grants/refresh-token.ts';
import type { OAuthServerStore } from './server-store.ts';

/** The request as the HTTP layer received it. */
export interface TokenRequestInput {
  authorization?: string;
  contentType?: string;
  /** Raw form body. */
  body: string;
}

/** Everything a token request needs, nothing ambient. */
export interface TokenRequestContext {
  world: World;
  account: Account;
  /** Mock-clock time, epoch ms. */
  now: number;
  ids: Ids;
  clientIp: string;
  /** Access tokens go here, so they work on the SQL/REST API. */
  oauthTokens: OAuthTokenStore;
  server: OAuthServerStore;
}

/** Success body per https://docs.snowflake.com/en/user-guide/oauth-custom; `username` only on the code exchange, `refresh_token` only when issued. */
export interface TokenResponseBody {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  token_type: 'Bearer';
  username?: string;
}

export type TokenRequestResult =
  | { ok: true; body: TokenResponseBody; explanation: string; user: string; role: string }
  | { ok: false; rejection: Rejection };

/** The parsed form: one value per field (repeated fields are refused, RFC 6749 §3.2). */
export type TokenForm = Readonly<Record<string, string>>;

/** A client that passed client authentication. */
export interface AuthenticatedClient {
  readonly integration: OAuthIntegration;
  readonly method: ClientAuthMethod;
}

/** What a grant decided: who gets a token, in which role, and what else comes with it. */
export interface GrantDecision {
  readonly user: User;
  readonly role: string;
  /** https://docs.snowflake.com/en/user-guide/oauth-custom: `username` is "only returned when exchanging an authorization code". */
  readonly includeUsername: boolean;
  /** Issue a refresh token: in a new chain, or (rotation) in `chain`. */
  readonly refresh?: { readonly singleUse: boolean; readonly chain?: string };
  /** Uses up the code or old refresh token; run only once the request will succeed. */
  readonly consume?: () => void;
  /** One line for the explanation, e.g. "code issued 2026-… exchanged". */
  readonly summary: string;
}

export type GrantOutcome = { ok: true; decision: GrantDecision } | { ok: false; rejection: Rejection };

/** A grant module: reads the form, decides, changes nothing. */
export type GrantHandler = (form: TokenForm, client: AuthenticatedClient, ctx: TokenRequestContext) => GrantOutcome;

const GRANTS: ReadonlyMap<string, GrantHandler> = new Map([
  ['authorization_code', authorizationCodeGrant],
  ['refresh_token', refreshTokenGrant],
  ['client_credentials', clientCredentialsGrant],
]);

/**
 * Handles one token request. Never throws. Synchronous unless a client JWT's signature must be
 * checked (then a promise).
 *
 * @example
 * await handleTokenRequest({ authorization: 'Basic …', contentType: 'application/x-www-form-urlencoded', body: 'grant_type=authorization_code&code=…&redirect_uri=…' }, ctx)
 * // { ok: true, body: { access_token: 'ver:1-hint:…', expires_in: 600, refresh_token: 'ver:2-hint:…', token_type: 'Bearer', username: 'ALICE' }, user: 'ALICE', role: 'ANALYST', explanation: '…' }
 */
export function handleTokenRequest(input: TokenRequestInput, ctx: TokenRequestContext): Awaitable<TokenRequestResult> {
  const bad = checkContentType(input.contentType);
  if (bad) return { ok: false, rejection: bad };
  const form = parseForm(input.body);
  if ('rejection' in form) return form;
  const client = authenticateClient({ ...(input.authorization !== undefined && { authorization: input.authorization }), form: form.value }, ctx.account, ctx.now);
  return andThen(client, (c) => (c.ok ? grantFor(form.value, c, ctx) : c));
}

/** The authenticated client's grant: the network policy first, then the grant module, then the tokens. */
function grantFor(form: TokenForm, client: AuthenticatedClient, ctx: TokenRequestContext): TokenRequestResult {
  const grantType = form.grant_type ?? '';
  const grant = GRANTS.get(grantType);
  if (!grant) return { ok: false, rejection: unsupportedGrant(grantType) };
  // https://docs.snowflake.com/en/user-guide/network-policies: the integration's policy governs token traffic. Judged BEFORE the grant runs, so a
  // refused address learns nothing about codes or tokens and cannot trigger a chain revocation; the
  // user (for the seed precedence) is read from the code or refresh token without touching it.
  const network = checkNetworkAccess({
    account: ctx.account, user: principalHint(form, client, ctx), integration: client.integration.name, traffic: 'oauth-token',
    precedence: ctx.world.switches.networkPolicyPrecedence, clientIp: ctx.clientIp,
  });
  if (!network.ok) return { ok: false, rejection: network.rejection };
  const outcome = grant(form, client, ctx);
  if (!outcome.ok) return outcome;
  return issue(grantType, outcome.decision, client, ctx);
}

/** The user a grant would act for, read without side effects (undefined when not knowable). */
function principalHint(form: TokenForm, client: AuthenticatedClient, ctx: TokenRequestContext): User | undefined {
  const record = form.grant_type === 'authorization_code' ? ctx.server.code(form.code ?? '') : form.grant_type === 'refresh_token' ? ctx.server.refresh(form.refresh_token ?? '') : undefined;
  if (record) return record.account === ctx.account.name ? ctx.account.users.get(record.user) : undefined;
  const auto = client.integration.mockAutoConsent;
  return form.grant_type === 'client_credentials' && auto !== undefined && auto !== 'login_hint' ? ctx.account.users.get(auto) : undefined;
}

/** https://docs.snowflake.com/en/user-guide/oauth-custom: `Content-Type: application/x-www-form-urlencoded` is required (parameters such as charset allowed). */
function checkContentType(contentType: string | undefined): Rejection | undefined {
  if (isFormContentType(contentType)) return undefined;
  const what = contentType === undefined || contentType.trim() === '' ? 'no Content-Type' : `Content-Type ${JSON.stringify(contentType.slice(0, 80))}`;
  return reject('invalid_request', 'https://docs.snowflake.com/en/user-guide/oauth-custom', `${what}; the token endpoint requires application/x-www-form-urlencoded`, 'TOKEN_CONTENT_TYPE_UNSUPPORTED');
}

/** RFC 6749 §3.2: parameters must not be included more than once. */
function parseForm(body: string): { value: TokenForm } | { ok: false; rejection: Rejection } {
  const read = readForm(body);
  if (!read.ok) return { ok: false, rejection: reject('invalid_request', 'https://docs.snowflake.com/en/user-guide/oauth-custom; RFC 6749 §3.2', `form field ${JSON.stringify(read.repeated.slice(0, 40))} is given more than once`, 'TOKEN_PARAMETER_REPEATED') };
  return { value: read.form };
}

/** https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview: only authorization_code and refresh_token are documented (client_credentials: see its module). */
function unsupportedGrant(grantType: string): Rejection {
  const what = grantType === '' ? 'grant_type is missing' : `grant_type ${JSON.stringify(grantType.slice(0, 80))} is not supported`;
  return reject('unsupported_grant_type', 'https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview', `${what}; use authorization_code or refresh_token`, 'GRANT_TYPE_UNSUPPORTED');
}

/** Uses up what the grant consumed, then issues the access token (and refresh token when planned). */
function issue(grantType: string, d: GrantDecision, client: AuthenticatedClient, ctx: TokenRequestContext): TokenRequestResult {
  const integration = client.integration;
  d.consume?.();
  const expiresAt = ctx.now + integration.oauthAccessTokenValidity * 1000;
  const access = accessTokenText(ctx.ids);
  ctx.oauthTokens.issue({ token: access, user: d.user.name, role: d.role, expiresAt, integration: integration.name, account: ctx.account.name });
  const refresh = d.refresh && issueRefresh(d, d.refresh, integration, ctx);
  // https://docs.snowflake.com/en/user-guide/single-use-refresh-tokens: a single-use chain's access tokens are revoked with it when an old refresh token is reused.
  if (refresh?.singleUse) ctx.server.linkAccessToken(refresh.chain, access, expiresAt, ctx.now);
  // The documented example's field order (https://docs.snowflake.com/en/user-guide/oauth-custom); username is the LOGIN_NAME as stored.
  // Built field by field (no spreads on this hot path); JSON keeps the insertion order.
  const body = { access_token: access, expires_in: integration.oauthAccessTokenValidity } as { -readonly [K in keyof TokenResponseBody]: TokenResponseBody[K] };
  if (refresh) body.refresh_token = refresh.token;
  body.token_type = 'Bearer';
  if (d.includeUsername) body.username = d.user.loginName;
  // Validities as durations: the journal entry's time gives the expiry, and equal explanations are shared.
  const withRefresh = refresh ? `; refresh token${refresh.singleUse ? ' (single-use)' : ''} valid ${integration.oauthRefreshTokenValidity} s` : '';
  const explanation = `${grantType} grant by ${integration.name} (${client.method}): ${d.summary}; access token for ${d.user.name} as ${d.role} valid ${integration.oauthAccessTokenValidity} s${withRefresh}`;
  return { ok: true, body, explanation, user: d.user.name, role: d.role };
}

function issueRefresh(d: GrantDecision, plan: NonNullable<GrantDecision['refresh']>, integration: OAuthIntegration, ctx: TokenRequestContext) {
  // https://docs.snowflake.com/en/user-guide/single-use-refresh-tokens: a rotated refresh token gets the full configured validity.
  return ctx.server.issueRefresh({
    account: ctx.account.name, integration: integration.name, user: d.user.name, role: d.role,
    issuedAt: ctx.now, expiresAt: ctx.now + integration.oauthRefreshTokenValidity * 1000,
    chain: plan.chain ?? ctx.ids.uuid(), singleUse: plan.singleUse,
  }, ctx.ids);
}

/** Opaque, shaped like Snowflake's `ver:1-hint:<number>-ETMsDg…` access tokens (inferred from the shape only). */
function accessTokenText(ids: Ids): string {
  // The whole text as token()'s prefix: one flat string (the same draws, in the same order, as prefix + token).
  return ids.token(`ver:1-hint:${ids.incidentNumber()}-ETMsDgAAA`, 64);
}
