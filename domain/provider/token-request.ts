/**
 * The provider's token endpoint (RFC 6749 §3.2, §4, §5): Content-Type → form → grant_type present
 * → client authentication → grant known → grant allowed for the client (its OAUTH_GRANT) → the
 * grant's own checks → issue. A grant module only decides; what it consumes (a code) is used up
 * only once the request succeeds. Grants are dispatched by their wire string (DESIGN.md §5.2).
 *
 * The same grant modules serve the in-process {@link ProviderService} calls (provider.ts), which
 * skip the HTTP steps: Snowflake is the client and authenticates as its integration says.
 */
import { SOURCES } from '../errors/sources.ts';
import { readForm } from '../form.ts';
import type { Ids } from '../ids.ts';
import { accessValidityS, grantAllowed, JWT_BEARER_GRANT, refreshValidityS, type ProviderClient } from './clients.ts';
import { authenticateProviderClient, type ProviderClientAuthMethod } from './client-auth.ts';
import { fail, type ProviderFailure } from './failure.ts';
import { quoteUntrusted as quoted } from '../safe-text.ts';
import { authorizationCodeGrant } from './grants/authorization-code.ts';
import { clientCredentialsGrant } from './grants/client-credentials.ts';
import { jwtBearerGrant } from './grants/jwt-bearer.ts';
import { refreshTokenGrant } from './grants/refresh-token.ts';
import type { ProviderTokenSet } from './service.ts';
import type { ProviderStore } from './store.ts';

/** The parsed form: one value per field (RFC 6749 §3.2: no repeated parameters). */
export type ProviderForm = Readonly<Record<string, string>>;

/** What a grant reads besides the form. */
export interface GrantContext {
  readonly store: ProviderStore;
  readonly ids: Ids;
  /** Mock-clock time, epoch ms. */
  readonly now: number;
}

/** What a grant decided. */
export interface GrantDecision {
  /** The resource owner the tokens act for. */
  readonly sub: string;
  readonly scope: readonly string[];
  /** Issue a refresh token with the access token. */
  readonly refresh: boolean;
  /** The chain the tokens join (a code's, or a refresh token's); a new one when absent. */
  readonly chain?: string;
  /** Uses up what the grant consumed; run only when the request succeeds. */
  readonly consume?: () => void;
  /** One line for the journal, e.g. `code for jane exchanged`. */
  readonly summary: string;
}

export type GrantOutcome = { ok: true; decision: GrantDecision } | ProviderFailure;

/** A grant module: reads the form, decides, changes nothing but a revocation on replay. */
export type ProviderGrantHandler = (form: ProviderForm, client: ProviderClient, ctx: GrantContext) => GrantOutcome;

const GRANTS: ReadonlyMap<string, ProviderGrantHandler> = new Map([
  ['client_credentials', clientCredentialsGrant],
  ['authorization_code', authorizationCodeGrant],
  ['refresh_token', refreshTokenGrant],
  [JWT_BEARER_GRANT, jwtBearerGrant],
]);

/** Tokens issued, with what the journal says about them. */
export interface IssuedTokens {
  readonly ok: true;
  readonly tokens: ProviderTokenSet;
  readonly client: ProviderClient;
  readonly explanation: string;
}

/** A token request's answer; a refusal knows its client when authentication got that far. */
export type TokenRequestOutcome = IssuedTokens | (ProviderFailure & { readonly client?: ProviderClient; readonly basicTried?: boolean });

/** The HTTP request as the endpoint received it. */
export interface ProviderTokenInput {
  readonly authorization?: string | undefined;
  readonly contentType?: string | undefined;
  readonly body: string;
}

/**
 * Handles one HTTP token request from the clients of the endpoint. Never throws.
 *
 * @example
 * providerTokenRequest({ contentType: 'application/x-www-form-urlencoded', body: 'grant_type=client_credentials&client_id=your_client_id&client_secret=your_client_secret' }, clients, ctx)
 * // { ok: true, tokens: { accessToken: 'mock-at-…', tokenType: 'Bearer', expiresAt, scope: 'read write' }, client, explanation: '…' }
 */
export function providerTokenRequest(input: ProviderTokenInput, candidates: readonly ProviderClient[], ctx: GrantContext): TokenRequestOutcome {
  const media = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/x-www-form-urlencoded') {
    const what = input.contentType === undefined || input.contentType.trim() === '' ? 'no Content-Type' : `Content-Type ${quoted(input.contentType)}`;
    return fail('invalid_request', 'PROVIDER_CONTENT_TYPE', `${what}; the token endpoint takes application/x-www-form-urlencoded`, 'RFC 6749 §3.2');
  }
  const form = parseProviderForm(input.body);
  if (!form.ok) return form;
  const grantType = form.value.grant_type;
  if (grantType === undefined || grantType === '') return fail('invalid_request', 'PROVIDER_GRANT_TYPE_MISSING', 'grant_type is missing', 'RFC 6749 §4');
  const auth = authenticateProviderClient({ authorization: input.authorization, form: form.value }, candidates, grantType);
  if (!auth.ok) return auth;
  return grantFor(grantType, form.value, auth.client, ctx, auth.method);
}

/**
 * Runs one grant for an authenticated client and issues its tokens (the in-process service enters
 * here, `method` being the integration's own).
 *
 * @example
 * grantFor('client_credentials', { grant_type: 'client_credentials', scope: 'read' }, client, ctx, 'client_secret_post')
 */
export function grantFor(grantType: string, form: ProviderForm, client: ProviderClient, ctx: GrantContext, method: ProviderClientAuthMethod): TokenRequestOutcome {
  const grant = GRANTS.get(grantType);
  const integration = client.integration;
  if (!grant) return { ...fail('unsupported_grant_type', 'PROVIDER_GRANT_TYPE_UNSUPPORTED', `grant_type ${quoted(grantType)} is not one the provider knows (client_credentials, authorization_code, refresh_token, ${JWT_BEARER_GRANT})`, 'RFC 6749 §5.2'), client };
  if (!grantAllowed(integration, grantType)) {
    return { ...fail('unauthorized_client', 'PROVIDER_GRANT_NOT_ALLOWED', `integration ${integration.name} has OAUTH_GRANT ${integration.oauthGrant ?? '-'}; grant_type ${grantType} is not allowed for it`, `RFC 6749 §5.2; ${SOURCES.apiAuthIntegration}`), client };
  }
  const outcome = grant(form, client, ctx);
  if (!outcome.ok) return { ...outcome, client };
  return issue(grantType, outcome.decision, client, ctx, method);
}

function issue(grantType: string, d: GrantDecision, client: ProviderClient, ctx: GrantContext, method: ProviderClientAuthMethod): IssuedTokens {
  d.consume?.();
  const integration = client.integration;
  const chain = d.chain ?? ctx.ids.uuid();
  const grantee = { clientKey: client.key, clientIdentity: client.identity, account: client.account, integration: integration.name, clientId: client.clientId ?? '', sub: d.sub, scope: d.scope, chain, hosts: client.hosts };
  const accessS = accessValidityS(integration);
  const access = ctx.store.issueToken({ ...grantee, kind: 'access', grant: grantType, issuedAt: ctx.now, expiresAt: ctx.now + accessS * 1000 }, ctx.ids);
  const refreshS = refreshValidityS(integration);
  const refresh = d.refresh ? ctx.store.issueToken({ ...grantee, kind: 'refresh', grant: grantType, issuedAt: ctx.now, expiresAt: ctx.now + refreshS * 1000 }, ctx.ids) : undefined;
  const tokens: ProviderTokenSet = {
    accessToken: access.token,
    tokenType: 'Bearer',
    expiresAt: access.expiresAt,
    ...(refresh && { refreshToken: refresh.token, refreshExpiresAt: refresh.expiresAt }),
    scope: d.scope.join(' '),
  };
  const withRefresh = refresh ? `; refresh token valid ${refreshS} s` : '';
  const explanation = `${grantType} grant for integration ${integration.name} (${method}): ${d.summary}; access token for ${quoted(d.sub)} valid ${accessS} s, scope ${quoted(tokens.scope)}${withRefresh}`;
  return { ok: true, tokens, client, explanation };
}

/**
 * Parses an urlencoded form, refusing repeated parameters (RFC 6749 §3.2).
 *
 * @example
 * parseProviderForm('grant_type=client_credentials&scope=read+write') // { ok: true, value: { grant_type: 'client_credentials', scope: 'read write' } }
 */
export function parseProviderForm(body: string): { ok: true; value: ProviderForm } | ProviderFailure {
  const read = readForm(body);
  if (!read.ok) return fail('invalid_request', 'PROVIDER_PARAMETER_REPEATED', `parameter ${quoted(read.repeated)} is given more than once`, 'RFC 6749 §3.2');
  return { ok: true, value: read.form };
}
