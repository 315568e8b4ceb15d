/**
 * The state of one flow sent to the model: a fresh mock, the host it is sent to, and what the
 * model issued in place of recorded values (bound by the recorded value — a placeholder, or a
 * literal the writer left — as the flow goes). Also the setup requests verify makes when a
 * recorded request needs something the recording does not contain: a session, a code, a refresh
 * token.
 */
import type { Exchange } from '../format.ts';
import type { MockResponse } from '../../http/record.ts';
import type { SnowflakeMock } from '../../handlers/mock.ts';
import type { Account, OAuthIntegration, User } from '../../domain/world/model.ts';
import { PKCE } from '../wiremock/derive-request.ts';
import { parseJson, isObject } from './compare.ts';
import type { Adaptation } from './types.ts';
import { accountOf, firstPasswordUser } from './world-facts.ts';

/** A request as verify sends it (the host and client IP are the flow's). */
export interface SendRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** One flow in progress. */
export interface Flow {
  readonly mock: Pick<SnowflakeMock, 'core' | 'clock'>;
  readonly name: string;
  host: string;
  /** Recorded value → the value the model issued (or verify chose) in its place. */
  readonly bindings: Map<string, string>;
  session?: { token: string; master: string; validityS?: number };
  /** The session token whose expiry verify already brought about (once per session). */
  expired?: string;
  /** The flow's OAuth client and the redirect URI of its last authorize request. */
  client?: OAuthIntegration;
  redirect?: string;
  /** The code of the flow's last authorize answer, for a code exchange that names none. */
  lastCode?: string;
  /** Every recorded exchange of the flow, for what later answers say (evidence, lookahead). */
  readonly exchanges: readonly Exchange[];
  /** Every exchange of the recording: a placeholder is one value throughout it. */
  readonly recording: readonly Exchange[];
  index: number;
  /** Which world PAT each PAT placeholder stands for, per user. */
  readonly pats: Map<string, string[]>;
}

/** The exchange being prepared: its adaptations, setup lines and hints. */
export interface Step {
  readonly ex: Exchange;
  readonly notes: string[];
  readonly setup: string[];
  readonly hints: readonly Adaptation[];
}

/**
 * The verifier's PKCE pair (RFC 7636 appendix B): sent in place of recorded ones, which are redacted or too short.
 *
 * @example
 * OWN_PKCE.challenge // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export const OWN_PKCE = PKCE;
/**
 * The state of authorize requests verify makes.
 *
 * @example
 * new URLSearchParams({ state: OWN_STATE })
 */
export const OWN_STATE = 'abc123';
/**
 * Scope of codes obtained for refresh tokens (https://docs.snowflake.com/en/user-guide/oauth-custom: refresh tokens need it).
 *
 * @example
 * REFRESH_SCOPE // 'refresh_token session:role:ANALYST'
 */
export const REFRESH_SCOPE = 'refresh_token session:role:ANALYST';
/**
 * The scope a driver asks by default.
 *
 * @example
 * DEFAULT_SCOPE // 'session:role:ANALYST'
 */
export const DEFAULT_SCOPE = 'session:role:ANALYST';

/**
 * Sends a request to the flow's model, from 127.0.0.1.
 *
 * @example
 * const res = await send(flow, { method: 'POST', path: '/session/heartbeat', query: '', headers: {}, body: '' })
 */
export async function send(flow: Flow, req: SendRequest): Promise<MockResponse> {
  return flow.mock.core.handle({ ...req, host: flow.host, clientIp: '127.0.0.1' });
}

/**
 * The account the flow's host names (the world's first for a host it does not know).
 *
 * @example
 * account(flow)?.name // 'MYORG-MYACCOUNT'
 */
export function account(flow: Flow): Account | undefined {
  // A host the world lacks still gets credentials filled from its first account: the model refuses the host anyway.
  return accountOf(flow.mock.core.world, flow.host) ?? flow.mock.core.world.accounts[0];
}

/**
 * Records that the model answered `value` where the recording has `recorded`.
 *
 * @example
 * bind(flow, '__redacted_session_token_1__', 'ver:1-hint:…')
 */
export function bind(flow: Flow, recorded: unknown, value: unknown): void {
  if (typeof recorded === 'string' && typeof value === 'string' && recorded !== '') flow.bindings.set(recorded, value);
}

/**
 * Logs the world's first password user in, so that a request recorded inside a session has one.
 *
 * @example
 * await setupLogin(flow, step) // flow.session is set
 */
export async function setupLogin(flow: Flow, step: Step): Promise<User | undefined> {
  const user = firstPasswordUser(account(flow));
  if (!user) return undefined;
  const body = JSON.stringify({ data: { LOGIN_NAME: user.loginName, PASSWORD: user.password } });
  const res = await send(flow, { method: 'POST', path: '/session/v1/login-request', query: '', headers: { 'content-type': 'application/json' }, body });
  const data = (parseJson(res.body) as { data?: { token?: unknown; masterToken?: unknown } } | undefined)?.data;
  if (typeof data?.token !== 'string' || typeof data.masterToken !== 'string') return undefined;
  flow.session = { token: data.token, master: data.masterToken };
  step.setup.push(`password login of ${user.loginName}, whose session stands for the recorded one`);
  return user;
}

/**
 * An authorize request of `client` for a code (the world's auto-consent signs its user in).
 *
 * @example
 * const code = await setupCode(flow, step, client, 'http://localhost:8009/snowflake/oauth-redirect', 'session:role:ANALYST')
 */
export async function setupCode(flow: Flow, step: Step, client: OAuthIntegration, redirect: string, scope: string): Promise<string | undefined> {
  const query = new URLSearchParams({ client_id: client.oauthClientId, response_type: 'code', redirect_uri: redirect, scope, code_challenge: OWN_PKCE.challenge, code_challenge_method: 'S256', state: OWN_STATE });
  const res = await send(flow, { method: 'GET', path: '/oauth/authorize', query: query.toString(), headers: {}, body: '' });
  const code = res.headers.location === undefined ? undefined : new URL(res.headers.location).searchParams.get('code') ?? undefined;
  if (code !== undefined) step.setup.push(`authorize request of client ${client.oauthClientId} (scope ${scope}) for a code the model issued`);
  return code;
}

/**
 * A code flow ending in a refresh token; single-use (`enable_single_use_refresh_tokens`) when the
 * recorded refresh answer rotates it.
 *
 * @example
 * const rt = await setupRefreshToken(flow, step, client, redirect, true)
 */
export async function setupRefreshToken(flow: Flow, step: Step, client: OAuthIntegration, redirect: string, singleUse: boolean): Promise<string | undefined> {
  const code = await setupCode(flow, step, client, redirect, REFRESH_SCOPE);
  if (code === undefined) return undefined;
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: OWN_PKCE.verifier, client_id: client.oauthClientId, client_secret: client.oauthClientSecret });
  if (singleUse) form.set('enable_single_use_refresh_tokens', 'true');
  const res = await send(flow, { method: 'POST', path: '/oauth/token-request', query: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const body = parseJson(res.body);
  const token = isObject(body) && typeof body.refresh_token === 'string' ? body.refresh_token : undefined;
  if (token !== undefined) step.setup.push(`code exchange for a refresh token${singleUse ? ' (single-use, so a refresh rotates it as recorded)' : ' (not single-use, so a refresh returns no new one, as recorded)'}`);
  return token;
}
