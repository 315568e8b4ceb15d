/**
 * A recorded `/oauth/authorize` request made sendable. What the recording leaves open or hides is
 * filled as a driver sends it (https://docs.snowflake.com/en/user-guide/oauth-custom): the world's
 * client (by id, else the one registering the redirect the recorded answer went to), a redirect
 * URI that client registers, `response_type=code`, a scope, S256 PKCE with the verifier's own
 * pair (a recorded challenge belongs to a verifier that is redacted), and a state.
 */
import type { OAuthIntegration } from '../../domain/world/model.ts';
import { answerOf } from './answers.ts';
import { clientById, clientByRedirect, hiddenClient, registeredRedirect } from './clients.ts';
import { bodyValue, isObject } from './compare.ts';
import { endpointKind } from './endpoints.ts';
import { account, DEFAULT_SCOPE, OWN_PKCE, OWN_STATE, REFRESH_SCOPE, type Flow, type Step } from './flow.ts';
import { note, splitUrl, type Prepared } from './prepared.ts';
import { sentLine } from './shown.ts';
import { oauthClients } from './world-facts.ts';

/**
 * The authorize request to send for a recorded one.
 *
 * @example
 * const { request } = prepareAuthorize(flow, step) // request.query has client_id, redirect_uri, scope, PKCE, state
 */
export function prepareAuthorize(flow: Flow, step: Step): Prepared {
  const [path, recordedQs] = splitUrl(step.ex.request.url);
  const q = new URLSearchParams(recordedQs);
  const recordedTarget = recordedRedirectTarget(step);
  const client = pickClient(flow, step, q, recordedTarget);
  if (client) {
    if (clientById(account(flow), q.get('client_id'))?.name !== client.name) setParam(step, q, 'client_id', client.oauthClientId, 'authorize-query');
    const redirect = registeredRedirect(client, q.get('redirect_uri'), recordedTarget);
    if (redirect !== undefined && q.get('redirect_uri') !== redirect) setParam(step, q, 'redirect_uri', redirect, q.has('redirect_uri') ? 'redirect-registered' : 'authorize-query');
    flow.client = client;
  }
  if (!q.has('response_type')) setParam(step, q, 'response_type', 'code', 'authorize-query');
  if (!q.has('scope')) setParam(step, q, ...scopeFor(flow, step));
  if (q.get('code_challenge') !== OWN_PKCE.challenge) setParam(step, q, 'code_challenge', OWN_PKCE.challenge, q.has('code_challenge') ? 'pkce' : 'authorize-query');
  if (!q.has('code_challenge_method')) setParam(step, q, 'code_challenge_method', 'S256', 'authorize-query');
  if (!q.has('state')) setParam(step, q, 'state', OWN_STATE, 'authorize-query');
  flow.redirect = q.get('redirect_uri') ?? undefined;
  const sent = sentLine('GET', path, '', [`client_id=${q.get('client_id') ?? ''}`, `scope=${q.get('scope') ?? ''}`, `redirect_uri=${q.get('redirect_uri') ?? ''}`]);
  return { request: { method: 'GET', path, query: q.toString(), headers: { ...step.ex.request.headers }, body: '' }, sent, compare: { recordedQuery: new URLSearchParams(recordedQs), sentQuery: q } };
}

function setParam(step: Step, q: URLSearchParams, key: string, value: string, id: string): void {
  q.set(key, value);
  note(step, id);
}

/** Where the recorded answer redirected to (origin and path), if it did. */
function recordedRedirectTarget(step: Step): string | undefined {
  const loc = step.ex.response.headers.location;
  if (loc === undefined) return undefined;
  try {
    const u = new URL(loc);
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/**
 * The client: by id; else, when the recorded answer is a page (a browser left waiting to sign
 * in), one that shows it (no auto-consent); else the one registering the redirect; else the first.
 */
function pickClient(flow: Flow, step: Step, q: URLSearchParams, recordedTarget: string | undefined): OAuthIntegration | undefined {
  const acct = account(flow);
  const byId = clientById(acct, q.get('client_id'));
  if (byId) return byId;
  if (step.ex.response.status === 200 && recordedTarget === undefined) {
    const waiting = oauthClients(acct).find((c) => !c.mockAutoConsent);
    if (waiting) {
      note(step, 'sign-in-page');
      return waiting;
    }
  }
  return clientByRedirect(acct, q.get('redirect_uri')) ?? clientByRedirect(acct, recordedTarget) ?? hiddenClient(acct, 'authorization_code');
}

/** An open scope: one Snowflake refuses where the recorded answer is invalid_scope; refresh_token where the flow's code exchange got a refresh token. */
function scopeFor(flow: Flow, step: Step): [key: string, value: string, id: string] {
  const loc = step.ex.response.headers.location;
  if (loc !== undefined && /[?&]error=invalid_scope\b/.test(loc)) return ['scope', 'bogus_scope', 'authorize-bogus-scope'];
  const later = flow.exchanges.slice(flow.index + 1).find((e) => endpointKind(splitUrl(e.request.url)[0]) === 'token');
  const body = later ? bodyValue(later.response.body) : undefined;
  if (isObject(body) && body.refresh_token !== undefined && answerOf(later!).error === undefined) return ['scope', REFRESH_SCOPE, 'authorize-refresh-scope'];
  return ['scope', DEFAULT_SCOPE, 'authorize-query'];
}
