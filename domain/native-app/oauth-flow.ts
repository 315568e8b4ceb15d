/**
 * SYSTEM$START_OAUTH_FLOW and SYSTEM$FINISH_OAUTH_FLOW (https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow, https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Consumer
 * authentication"), and the rules every use of an OAUTH2 secret shares: the integration must be
 * enabled, and a Native App's secret needs an approved matching specification. Pure: the
 * provider is the injected {@link ProviderService}; each refusal is a catalogue {@link Rejection}.
 */
import { accountUrl } from '../world/account-url.ts';
import { reject, type Rejection } from '../errors/rejection.ts';
import type { Ids } from '../ids.ts';
import { endpointOf } from '../provider/clients.ts';
import type { ProviderResult, ProviderService } from '../provider/service.ts';
import type { Account, ApiAuthenticationIntegration, OAuth2Secret, PendingOAuthFlow } from '../world/model.ts';
import { storeTokens } from './mutations.ts';
import { configurationRolesOf, holds } from './privileges.ts';
import { apiIntegration, applicationsOf, flowsOf, resolveSecretName, secretsOf, type Actor } from './state.ts';

const RULE = 'https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow; https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Consumer authentication"';
const cut = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** What START/FINISH know about the statement's session. */
export interface FlowContext {
  readonly account: Account;
  readonly now: number;
  readonly ids: Ids;
  readonly provider?: ProviderService | undefined;
  /** Identifies the session: START and FINISH must share it (https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow). */
  readonly session: string;
  /**
   * The session ends with this statement (SQL API): FINISH can never follow, so START answers
   * the URL but keeps no pending flow (decisions/0008).
   */
  readonly statementOnly?: boolean | undefined;
  readonly user: string;
  readonly role: string;
  readonly database?: string | undefined;
  readonly schema?: string | undefined;
}

/** An answer or the refusal to give instead. */
export type FlowResult<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly rejection: Rejection };

const refused = (rejection: Rejection): { ok: false; rejection: Rejection } => ({ ok: false, rejection });

/** Most flows the mock keeps pending per account (expired ones, then the oldest, are forgotten first). */
export const MAX_PENDING_FLOWS = 1000;

/** Most flows one user keeps pending across sessions (their oldest is forgotten first). */
export const MAX_PENDING_FLOWS_PER_USER = 20;

/** How long a pending flow waits for FINISH: 10 minutes, the provider's authorization-code lifetime (inferred). */
export const PENDING_FLOW_TTL_MS = 10 * 60_000;

const expired = (flow: PendingOAuthFlow, now: number): boolean => flow.startedAt + PENDING_FLOW_TTL_MS <= now;

/** Makes room for one more flow of `user`: expired flows go first, then the user's oldest, then the account's oldest. */
function makeRoom(flows: Map<string, PendingOAuthFlow>, user: string, now: number): void {
  if (flows.size >= MAX_PENDING_FLOWS) for (const [state, f] of flows) if (expired(f, now)) flows.delete(state);
  const mine = [...flows.values()].filter((f) => f.user === user);
  for (let i = 0; i <= mine.length - MAX_PENDING_FLOWS_PER_USER; i++) flows.delete(mine[i]!.state);
  while (flows.size >= MAX_PENDING_FLOWS) flows.delete(flows.keys().next().value!);
}

/**
 * Snowflake's redirect URI for the consent (inferred: the docs do not give it; decisions/0008): a page of
 * the account host that shows the query string to copy into SYSTEM$FINISH_OAUTH_FLOW.
 *
 * @example
 * redirectUriFor(account) // 'https://myorg-myaccount.snowflakecomputing.com/oauth/complete-secret'
 */
export function redirectUriFor(account: Account): string {
  return `${accountUrl(account)}/oauth/complete-secret`;
}

/**
 * The rules every use of a secret shares: its integration exists, is enabled (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth)
 * and — for a Native App's secret — matches an APPROVED SECURITY_INTEGRATION specification of the
 * application (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization: "Applications can not use security integration without a corresponding
 * approved application specification."). A specification matches when its OAUTH_TYPE is the
 * integration's OAUTH_GRANT and its endpoints are the integration's, compared as the provider
 * compares them (host case and a trailing `/` aside; inferred).
 *
 * @example
 * const usable = usableSecret(account, secret); if (!usable.ok) return usable
 */
export function usableSecret(account: Account, secret: OAuth2Secret): FlowResult<{ integration: ApiAuthenticationIntegration }> {
  const integration = apiIntegration(account, secret.apiAuthentication);
  if (!integration) {
    return refused(reject('002003', 'https://docs.snowflake.com/en/sql-reference/sql/create-secret', `secret ${secret.name} names integration ${secret.apiAuthentication}, which no longer exists`, undefined, { kind: 'Integration', name: secret.apiAuthentication }));
  }
  if (!integration.enabled) {
    return refused(reject('394615', 'https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth (ENABLED = FALSE)', `integration ${integration.name} of secret ${secret.name} is disabled`, undefined, { name: integration.name }));
  }
  if (secret.application !== undefined) {
    const problem = specificationProblem(account, secret.application, integration);
    if (problem) return refused(reject('394616', 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Consumer authentication" (approved app specification)', `secret ${secret.name} of application ${secret.application}: ${problem}`));
  }
  return { ok: true, integration };
}

/**
 * Whether two endpoint URLs are the same endpoint as the provider sees it (host case and a
 * trailing `/` do not matter: the provider's `endpointOf`); exact text when either is no URL.
 *
 * @example
 * sameEndpoint('https://Provider.example.com/oauth2/token/', 'https://provider.example.com/oauth2/token') // true
 */
export function sameEndpoint(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  const ka = endpointOf(a);
  const kb = endpointOf(b);
  return ka !== undefined && kb !== undefined && ka.host === kb.host && ka.path === kb.path && new URL(a!).protocol === new URL(b!).protocol && new URL(a!).port === new URL(b!).port;
}

/** Why no approved specification of the application corresponds to the integration, or undefined. */
function specificationProblem(account: Account, application: string, integration: ApiAuthenticationIntegration): string | undefined {
  const app = applicationsOf(account).get(application);
  const specs = app ? [...app.specifications.values()].filter((s) => s.type === 'SECURITY_INTEGRATION') : [];
  const matching = specs.filter((s) =>
    s.oauthType === integration.oauthGrant && sameEndpoint(s.oauthTokenEndpoint, integration.oauthTokenEndpoint) &&
    (s.oauthAuthorizationEndpoint === undefined || sameEndpoint(s.oauthAuthorizationEndpoint, integration.oauthAuthorizationEndpoint)));
  if (matching.some((s) => s.status === 'APPROVED')) return undefined;
  if (matching.length > 0) return `specification ${matching.map((s) => `${s.name} is ${s.status} (sequence number ${s.sequenceNumber})`).join(', ')}; ALTER APPLICATION ${application} APPROVE SPECIFICATION … SEQUENCE_NUMBER = …`;
  if (specs.length > 0) return `no SECURITY_INTEGRATION specification matches integration ${integration.name} (OAUTH_TYPE ${integration.oauthGrant ?? '-'}, OAUTH_TOKEN_ENDPOINT ${integration.oauthTokenEndpoint ?? '-'}); specifications: ${specs.map((s) => s.name).join(', ')}`;
  return `application ${application} set no SECURITY_INTEGRATION specification (ALTER APPLICATION SET SPECIFICATION … TYPE = SECURITY_INTEGRATION)`;
}

/**
 * Whether the session role may run the OAuth flow on a secret. A Native App's secret: the role
 * must hold an application role listed in a configuration of the secret (MODIFY VALUE, seed
 * "Consumer authentication"), and that application role needs USAGE on the integration and
 * MODIFY on the secret (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4). An account secret: the role itself needs both.
 * Refusals are 003001 naming the object that lacks the grant.
 *
 * @example
 * const denied = flowAccess(account, secret, 'ANALYST'); if (denied) return refused(denied)
 */
export function flowAccess(account: Account, secret: OAuth2Secret, role: string): Rejection | undefined {
  const rule = 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4–5, "Consumer authentication" (privileges)';
  const denied = (kind: string, name: string, why: string): Rejection => reject('003001', rule, why, undefined, { kind, name });
  if (secret.application === undefined) {
    if (!holds(account, { role }, 'USAGE', 'INTEGRATION', secret.apiAuthentication)) {
      return denied('integration', secret.apiAuthentication, `role ${role} lacks USAGE on integration ${secret.apiAuthentication} (GRANT USAGE ON INTEGRATION ${secret.apiAuthentication} TO ROLE ${role})`);
    }
    if (!holds(account, { role }, 'MODIFY', 'SECRET', secret.name, secret)) {
      return denied('secret', secret.name, `role ${role} lacks MODIFY on secret ${secret.name} (GRANT MODIFY ON SECRET ${secret.name} TO ROLE ${role})`);
    }
    return undefined;
  }
  const app = applicationsOf(account).get(secret.application);
  const configs = app ? [...app.configurations.values()].filter((c) => c.secret === secret.name) : [];
  const appRoles = app ? [...new Set(configs.flatMap((c) => configurationRolesOf(app, c, role)))] : [];
  if (!app || appRoles.length === 0) {
    const listed = configs.flatMap((c) => c.applicationRoles.map((r) => `${secret.application}.${r}`));
    const hint = configs.length === 0
      ? `no configuration of application ${secret.application} names the secret`
      : `the configuration lists ${[...new Set(listed)].join(', ')}; GRANT APPLICATION ROLE ${listed[0]} TO ROLE ${role}`;
    return denied('secret', secret.name, `role ${role} holds no application role with MODIFY VALUE on a configuration of secret ${secret.name} (${hint})`);
  }
  const grantee = (r: string) => ({ application: app.name, applicationRole: r });
  if (!appRoles.some((r) => holds(account, grantee(r), 'USAGE', 'INTEGRATION', secret.apiAuthentication))) {
    return denied('integration', secret.apiAuthentication, `application role ${appRoles.map((r) => `${app.name}.${r}`).join(', ')} of role ${role} lacks USAGE on integration ${secret.apiAuthentication} (the setup script must GRANT USAGE ON INTEGRATION … TO APPLICATION ROLE …)`);
  }
  if (!appRoles.some((r) => holds(account, grantee(r), 'MODIFY', 'SECRET', secret.name, secret))) {
    return denied('secret', secret.name, `application role ${appRoles.map((r) => `${app.name}.${r}`).join(', ')} of role ${role} lacks MODIFY on secret ${secret.name} (the setup script must GRANT MODIFY ON SECRET … TO APPLICATION ROLE …)`);
  }
  return undefined;
}

/** The secret a flow statement names, its integration, after every rule; or the refusal. */
function flowSecret(ctx: FlowContext, parts: readonly string[]): FlowResult<{ secret: OAuth2Secret; integration: ApiAuthenticationIntegration }> {
  const actor: Actor = { kind: 'session', user: ctx.user, role: ctx.role, database: ctx.database, schema: ctx.schema };
  const resolved = resolveSecretName(parts, actor);
  const written = parts.join('.');
  if (!resolved.ok) return refused(reject('002003', RULE, `secret name ${cut(written)}: ${resolved.why}`, undefined, { kind: 'Secret', name: written }));
  const secret = secretsOf(ctx.account).get(resolved.full);
  if (!secret) return refused(reject('002003', RULE, `no secret ${cut(resolved.full)} in ${ctx.account.name}`, undefined, { kind: 'Secret', name: resolved.full }));
  const denied = flowAccess(ctx.account, secret, ctx.role);
  if (denied) return refused(denied);
  const integration = apiIntegration(ctx.account, secret.apiAuthentication);
  if (integration && integration.oauthGrant !== 'AUTHORIZATION_CODE') {
    const why = `integration ${integration.name} of secret ${secret.name} has OAUTH_GRANT ${integration.oauthGrant ?? '(none)'}; the OAuth flow needs AUTHORIZATION_CODE`;
    return refused(reject('001422', RULE, why, undefined, { parameter: 'OAUTH_GRANT', value: integration.oauthGrant ?? '' }));
  }
  const usable = usableSecret(ctx.account, secret);
  if (!usable.ok) return usable;
  return { ok: true, secret, integration: usable.integration };
}

/**
 * `SELECT SYSTEM$START_OAUTH_FLOW('<db>.<schema>.<secret>')`: the provider's authorization URL
 * (client id, Snowflake's redirect URI, a fresh state, the secret's scopes — else the
 * integration's OAUTH_ALLOWED_SCOPES). The flow waits for FINISH in this session for
 * {@link PENDING_FLOW_TTL_MS}; a new START in the same session replaces it. A statement-only
 * session (SQL API) gets the URL but no pending flow: FINISH can never follow there.
 *
 * @example
 * startOAuthFlow(ctx, ['EXAMPLE_APP', 'APP_SCHEMA', 'OAUTH_SECRET']) // { ok: true, url: 'https://provider…/authorize?…' }
 */
export function startOAuthFlow(ctx: FlowContext, parts: readonly string[]): FlowResult<{ url: string; flow: PendingOAuthFlow }> {
  const found = flowSecret(ctx, parts);
  if (!found.ok) return found;
  const { secret, integration } = found;
  const missing = !integration.oauthAuthorizationEndpoint ? 'OAUTH_AUTHORIZATION_ENDPOINT' : !integration.oauthClientId ? 'OAUTH_CLIENT_ID' : undefined;
  if (missing) return refused(reject('001422', RULE, `integration ${integration.name} has no ${missing}, so there is no authorization URL to open`, undefined, { parameter: missing, value: '' }));
  if (!ctx.provider) return refused(noProvider());
  const flows = flowsOf(ctx.account);
  for (const [state, f] of flows) if (f.session === ctx.session) flows.delete(state);
  const flow: PendingOAuthFlow = {
    state: ctx.ids.token('', 32), session: ctx.session, user: ctx.user, secret: secret.name,
    redirectUri: redirectUriFor(ctx.account), scopes: secret.oauthScopes.length > 0 ? secret.oauthScopes : integration.oauthAllowedScopes, startedAt: ctx.now,
  };
  const url = ctx.provider.authorizationUrl(integration, { state: flow.state, redirectUri: flow.redirectUri, scopes: flow.scopes });
  if (!ctx.statementOnly) {
    makeRoom(flows, ctx.user, ctx.now);
    flows.set(flow.state, flow);
  }
  return { ok: true, url, flow };
}

function expiredFlow(flow: PendingOAuthFlow): Rejection {
  const why = `the flow for secret ${flow.secret} started at ${new Date(flow.startedAt).toISOString()} and expired after ${PENDING_FLOW_TTL_MS / 60_000} minutes; call SYSTEM$START_OAUTH_FLOW again`;
  return reject('394610', RULE, why, 'OAUTH_FLOW_EXPIRED');
}

/** FINISH's answer on success (inferred: the docs do not give the return value; decisions/0008). */
export const FINISH_MESSAGE = 'OAuth flow completed successfully.';

/**
 * `SELECT SYSTEM$FINISH_OAUTH_FLOW('<query string>')`: the query string of the browser's final
 * URL (`state=…&code=…`, or `authz_code=…` as the docs' example writes it; a whole URL is cut at
 * `?`). Refuses a session with no pending flow (394610), another session's state (394611), a
 * state other than this session's (394612), a provider error or refused exchange (394613), a
 * query string without code (394614), a disabled integration (394615) and an unapproved
 * specification (394616). On success the secret holds the access and refresh tokens.
 *
 * @example
 * finishOAuthFlow(ctx, `state=${state}&code=${code}`) // { ok: true, message: 'OAuth flow completed successfully.' }
 */
export function finishOAuthFlow(ctx: FlowContext, queryString: string): FlowResult<{ message: string; secret: OAuth2Secret }> {
  const query = new URLSearchParams(queryString.includes('?') ? queryString.slice(queryString.indexOf('?') + 1) : queryString.replace(/^\?/, ''));
  const flows = flowsOf(ctx.account);
  const mine = [...flows.values()].find((f) => f.session === ctx.session);
  const state = query.get('state');
  const flow = state === null ? undefined : flows.get(state);
  if (flow && flow.session !== ctx.session) {
    return refused(reject('394611', RULE, `the state belongs to a flow for secret ${flow.secret} started by ${flow.user} in another session; this statement runs in session ${cut(ctx.session, 60)}`));
  }
  if (!flow) {
    if (!mine) return refused(reject('394610', RULE, `no SYSTEM$START_OAUTH_FLOW is pending in session ${cut(ctx.session, 60)}${state === null ? '' : ' and the state names no flow'}`));
    if (expired(mine, ctx.now)) {
      flows.delete(mine.state);
      return refused(expiredFlow(mine));
    }
    const why = state === null ? 'the query string has no state' : `state ${cut(state, 60)} is not the state ${mine.state.slice(0, 6)}… this session's START issued`;
    return refused(reject('394612', RULE, `${why} (flow for secret ${mine.secret})`));
  }
  flows.delete(flow.state);
  if (expired(flow, ctx.now)) return refused(expiredFlow(flow));
  const error = query.get('error');
  if (error !== null) {
    const description = query.get('error_description') ?? 'no description';
    return refused(reject('394613', RULE, `the provider redirected with error=${cut(error, 60)} for secret ${flow.secret}`, 'OAUTH_FLOW_CONSENT_DENIED', { error: cut(error, 60), description: cut(description) }));
  }
  const code = query.get('code') ?? query.get('authz_code');
  if (code === null || code === '') return refused(reject('394614', RULE, `no code or authz_code in the query string (flow for secret ${flow.secret})`, undefined, { reason: 'no code or authz_code parameter' }));
  const secret = secretsOf(ctx.account).get(flow.secret);
  if (!secret) return refused(reject('002003', RULE, `secret ${flow.secret} was dropped or replaced since START`, undefined, { kind: 'Secret', name: flow.secret }));
  const denied = flowAccess(ctx.account, secret, ctx.role);
  if (denied) return refused(denied);
  const usable = usableSecret(ctx.account, secret);
  if (!usable.ok) return usable;
  if (!ctx.provider) return refused(noProvider());
  const exchanged = ctx.provider.exchangeCode(usable.integration, code, flow.redirectUri, ctx.now);
  if (!exchanged.ok) return refused(providerRefusal(exchanged, 'OAUTH_FLOW_CODE_REJECTED', `the provider refused the code for secret ${secret.name}`));
  const t = exchanged.tokens;
  storeTokens(secret, {
    accessToken: t.accessToken, accessTokenExpiresAt: t.expiresAt, refreshToken: t.refreshToken,
    refreshTokenExpiresAt: refreshExpiry(t.refreshExpiresAt, usable.integration, ctx.now),
  });
  return { ok: true, message: FINISH_MESSAGE, secret };
}

/**
 * When a stored refresh token expires: the provider's word, else the integration's
 * OAUTH_REFRESH_TOKEN_VALIDITY from now, else never (inferred).
 *
 * @example
 * refreshExpiry(undefined, { oauthRefreshTokenValidity: 86400 }, now) // now + 86_400_000
 */
export function refreshExpiry(fromProvider: number | undefined, integration: ApiAuthenticationIntegration, now: number): number | undefined {
  if (fromProvider !== undefined) return fromProvider;
  return integration.oauthRefreshTokenValidity ? now + integration.oauthRefreshTokenValidity * 1000 : undefined;
}

/**
 * A provider's refusal as 394613 with its RFC error and description.
 *
 * @example
 * providerRefusal(result, 'SECRET_GRANT_REJECTED', 'the provider refused the refresh')
 */
export function providerRefusal(result: Extract<ProviderResult, { ok: false }>, cause: string, why: string): Rejection {
  return reject('394613', 'https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow; RFC 6749 §5.2', `${why}: ${result.error} (HTTP ${result.status}): ${cut(result.description)}`, cause, { error: result.error, description: cut(result.description) });
}

function noProvider(): Rejection {
  const why = 'no external OAuth provider is wired into this mock (SqlEnv.provider); the provider side (issue #6) answers authorize and token requests';
  return reject('394613', 'https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow', why, undefined, { error: 'temporarily_unavailable', description: 'the mock has no OAuth provider' });
}
