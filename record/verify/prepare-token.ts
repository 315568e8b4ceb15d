/**
 * A recorded `/oauth/token-request` made sendable (https://docs.snowflake.com/en/user-guide/oauth-custom,
 * RFC 6749 §4.1.3, §4.4, §6). The client authenticates with the world's secret (Basic when the
 * recording used Basic, else client_secret_post); a code is the one the model issued for the
 * recorded one (an authorize request of verify's when the flow has none); a refresh token likewise
 * (a code flow of verify's when the flow has none); the PKCE verifier is the verifier's own.
 * Where the recorded answer refused a credential, a value the model does not hold is sent for it.
 */
import type { OAuthIntegration } from '../../domain/world/model.ts';
import { answerOf, isPlaceholder, tokenGranted, type Answer } from './answers.ts';
import { basicCredentials, basicHeader, clientById, clientByRedirect, clientNamedBy, hiddenClient, registeredRedirect } from './clients.ts';
import { endpointKind, TOKEN_ALIASES } from './endpoints.ts';
import { account, bind, DEFAULT_SCOPE, OWN_PKCE, REFRESH_SCOPE, setupCode, setupRefreshToken, type Flow, type Step } from './flow.ts';
import { hint, note, splitUrl, type Prepared } from './prepared.ts';
import { formOf } from './request-body.ts';
import { sentLine, shown, type Mark } from './shown.ts';

/** What the token preparers share. */
interface TokenCtx {
  readonly flow: Flow;
  readonly step: Step;
  readonly form: Map<string, string>;
  readonly headers: Record<string, string>;
  readonly answer: Answer;
  readonly marks: Map<string, Mark>;
  readonly recorded: Map<string, string>;
}

/**
 * The token request to send for a recorded one.
 *
 * @example
 * const { request } = await prepareToken(flow, step)
 */
export async function prepareToken(flow: Flow, step: Step): Promise<Prepared> {
  let [path, query] = splitUrl(step.ex.request.url);
  if (TOKEN_ALIASES.includes(path)) {
    path = '/oauth/token-request';
    note(step, 'token-url');
  }
  const ctx: TokenCtx = { flow, step, form: formOf(step.ex.request.body), headers: { ...step.ex.request.headers }, answer: answerOf(step.ex), marks: new Map(), recorded: new Map() };
  for (const [k, v] of Object.entries(hint(step, 'form') ?? {})) v === null ? ctx.form.delete(k) : ctx.form.set(k, v);
  if (!ctx.form.has('grant_type')) {
    ctx.form.set('grant_type', 'authorization_code');
    note(step, 'sdk-code-exchange');
  }
  ctx.headers['content-type'] ??= 'application/x-www-form-urlencoded';
  const shownForm = new Map(ctx.form);
  const client = authenticate(ctx);
  const grant = ctx.form.get('grant_type');
  if (grant === 'authorization_code' && client) await codeGrant(ctx, client);
  if (grant === 'refresh_token' && client) await refreshGrant(ctx, client);
  const fields = [...shownForm].filter(([k]) => !['client_id', 'client_secret', 'redirect_uri', 'code_verifier'].includes(k)).map(([k, v]) => `${k}=${shown(v, ctx.marks.get(k))}`);
  fields.push(`client ${client?.oauthClientId ?? '?'} (${ctx.headers.authorization?.startsWith('Basic ') ? 'Basic' : 'client_secret_post'})`);
  return { request: { method: 'POST', path, query, headers: ctx.headers, body: new URLSearchParams([...ctx.form]).toString() }, sent: sentLine('POST', path, '', fields), compare: {} };
}

/** The client and its authentication: the recorded method with the world's secret, or a wrong one where the answer refused the client. */
function authenticate(ctx: TokenCtx): OAuthIntegration | undefined {
  const acct = account(ctx.flow);
  // A redacted Authorization of a token request is the client's Basic header (RFC 6749 §2.3.1).
  const auth = ctx.headers.authorization;
  const basic = auth !== undefined && (auth.startsWith('Basic') || isPlaceholder(auth));
  const fromBasic = basicCredentials(ctx.headers.authorization);
  const named = fromBasic?.id ?? ctx.form.get('client_id') ?? (basic ? clientNamedBy(ctx.flow.recording, auth!) : undefined);
  const client = clientById(acct, named) ?? ctx.flow.client ?? clientByRedirect(acct, ctx.form.get('redirect_uri')) ?? hiddenClient(acct, ctx.form.get('grant_type'));
  if (!client) return undefined;
  ctx.flow.client = client;
  const secret = clientRefused(ctx) ? 'verify-refused-client-secret' : client.oauthClientSecret;
  if (secret !== client.oauthClientSecret) note(ctx.step, 'refused-credential');
  if (basic) {
    if (fromBasic === undefined) note(ctx.step, 'basic-client');
    ctx.headers.authorization = basicHeader(client.oauthClientId, secret);
    return client;
  }
  if (!ctx.form.has('client_id')) note(ctx.step, 'client-added');
  ctx.form.set('client_id', client.oauthClientId);
  ctx.form.set('client_secret', secret);
  return client;
}

/**
 * The recorded answer refused the client (invalid_client, or a bodiless 4xx to a client-credentials
 * request, whose only credential is the client's) and no answer of this flow accepted the same
 * recorded credential.
 */
function clientRefused(ctx: TokenCtx): boolean {
  const a = ctx.answer;
  const bare = a.body === undefined && a.status >= 400 && ctx.form.get('grant_type') === 'client_credentials';
  if (a.error !== 'invalid_client' && !bare) return false;
  const mine = credentialOf(ctx.step.ex.request.headers.authorization, formOf(ctx.step.ex.request.body));
  return !ctx.flow.exchanges.some((e) => e !== ctx.step.ex && endpointKind(splitUrl(e.request.url)[0]) === 'token' && tokenGranted(answerOf(e)) && credentialOf(e.request.headers.authorization, formOf(e.request.body)) === mine);
}

function credentialOf(authorization: string | undefined, form: Map<string, string>): string {
  return authorization !== undefined ? authorization : `${form.get('client_id') ?? ''}:${form.get('client_secret') ?? ''}`;
}

function put(ctx: TokenCtx, key: string, value: string, mark: Mark): void {
  const old = ctx.form.get(key);
  if (old !== undefined) ctx.recorded.set(key, old);
  ctx.form.set(key, value);
  ctx.marks.set(key, mark);
}

async function codeGrant(ctx: TokenCtx, client: OAuthIntegration): Promise<void> {
  const code = ctx.form.get('code');
  const granted = tokenGranted(ctx.answer);
  if (!granted && ctx.answer.error !== 'invalid_client') {
    put(ctx, 'code', 'verify-unissued-code', 'refused');
    note(ctx.step, 'refused-credential');
  } else if (code !== undefined && ctx.flow.bindings.has(code)) put(ctx, 'code', ctx.flow.bindings.get(code)!, 'issued');
  else if (code === undefined && ctx.flow.lastCode !== undefined) put(ctx, 'code', ctx.flow.lastCode, 'issued');
  else {
    const redirect = registeredRedirect(client, ctx.form.get('redirect_uri'), ctx.flow.redirect) ?? '';
    const scope = hint(ctx.step, 'codeScope') ?? (ctx.answer.body?.refresh_token !== undefined ? REFRESH_SCOPE : DEFAULT_SCOPE);
    const issued = await setupCode(ctx.flow, ctx.step, client, redirect, scope);
    if (issued !== undefined) {
      put(ctx, 'code', issued, 'issued');
      bind(ctx.flow, code, issued);
      ctx.flow.redirect = redirect;
      note(ctx.step, 'code-flow');
    }
  }
  const redirect = ctx.flow.redirect ?? registeredRedirect(client, ctx.form.get('redirect_uri'));
  if (redirect !== undefined && ctx.form.get('redirect_uri') !== redirect) {
    note(ctx.step, ctx.form.has('redirect_uri') ? 'redirect-of-authorize' : 'redirect-added');
    ctx.form.set('redirect_uri', redirect);
  }
  if (ctx.form.get('code_verifier') !== OWN_PKCE.verifier) {
    note(ctx.step, ctx.form.has('code_verifier') ? 'pkce' : 'verifier-added');
    ctx.form.set('code_verifier', OWN_PKCE.verifier);
  }
}

async function refreshGrant(ctx: TokenCtx, client: OAuthIntegration): Promise<void> {
  const token = ctx.form.get('refresh_token');
  if (token !== undefined && ctx.flow.bindings.has(token)) return put(ctx, 'refresh_token', ctx.flow.bindings.get(token)!, 'issued');
  if (!tokenGranted(ctx.answer)) {
    if (token === undefined || isPlaceholder(token)) {
      put(ctx, 'refresh_token', 'verify-unknown-refresh-token', 'refused');
      note(ctx.step, 'refused-credential');
    }
    return;
  }
  const redirect = registeredRedirect(client, ctx.flow.redirect) ?? '';
  const issued = await setupRefreshToken(ctx.flow, ctx.step, client, redirect, ctx.answer.body?.refresh_token !== undefined);
  if (issued === undefined) return;
  put(ctx, 'refresh_token', issued, 'issued');
  bind(ctx.flow, token, issued);
  note(ctx.step, 'refresh-flow');
}
