/**
 * The provider's authorization endpoint (`OAUTH_AUTHORIZATION_ENDPOINT`): GET shows the consent
 * page for a valid request; the page posts back here with a user name and Allow / Deny. Allow →
 * 302 to redirect_uri with `code` and the unchanged `state`; Deny → `error=access_denied`. A bad
 * client_id or redirect_uri gets an error page, never a redirect (RFC 6749 §4.1.2.1).
 */
import { AUTHORIZE_PARAMETERS, checkAuthorizeRequest, decideConsent, type AuthorizeRefusal, type ValidAuthorizeRequest } from '../../domain/provider/authorize.ts';
import type { MockRequest } from '../record.ts';
import { providerConsentPage, providerErrorPage } from './pages.ts';
import { providerHtml, providerOutcome, providerRedirect } from './respond.ts';
import type { ProviderAnswer, ProviderContext, ProviderEndpoint } from './types.ts';

const PARAMETERS: ReadonlySet<string> = new Set(AUTHORIZE_PARAMETERS);

/** `GET <oauth_authorization_endpoint>?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…` */
export const providerAuthorize: ProviderEndpoint = (req, ctx) => {
  const check = checkAuthorizeRequest(new URLSearchParams(req.query), clientsOf(ctx));
  if (!check.ok) return refusal(ctx, check);
  return consentPage(ctx, check.request, 'consent page shown');
};

/** `POST <oauth_authorization_endpoint>`: the consent form. */
export const providerAuthorizeForm: ProviderEndpoint = (req, ctx) => {
  if (!isForm(req)) return errorPage(ctx, 'invalid_request', 'the consent form posts application/x-www-form-urlencoded', 'PROVIDER_CONSENT_CONTENT_TYPE');
  const form = new URLSearchParams(req.body);
  const check = checkAuthorizeRequest([...form].filter(([k]) => PARAMETERS.has(k)), clientsOf(ctx));
  if (!check.ok) return refusal(ctx, check);
  const r = check.request;
  const outcome = decideConsent(r, form.get('decision') ?? undefined, form.get('username') ?? undefined, { store: ctx.provider.store, ids: ctx.core.ids, now: ctx.now });
  const account = r.client.account;
  if (outcome.kind === 'again') return consentPage(ctx, r, `consent page shown again: ${outcome.message}`, outcome.message);
  if (outcome.kind === 'refused') return errorPage(ctx, outcome.error, outcome.description, outcome.cause, account);
  const response = providerRedirect(ctx.kind, outcome.location);
  const journal = outcome.allowed ? { rule: 'RFC 6749 §4.1.2' } : { code: 'access_denied', cause: 'PROVIDER_CONSENT_DENIED', rule: 'RFC 6749 §4.1.2.1' };
  return { outcome: providerOutcome(ctx, response, outcome.allowed ? 'allowed' : 'rejected', outcome.explanation, journal), account };
};

const clientsOf = (ctx: ProviderContext) => ctx.provider.index().authorizeClients(ctx.target.host, ctx.target.path) ?? [];

function isForm(req: MockRequest): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function consentPage(ctx: ProviderContext, r: ValidAuthorizeRequest, explanation: string, error?: string): ProviderAnswer {
  const integration = r.client.integration;
  const html = providerConsentPage({ host: ctx.target.host, action: ctx.target.selfPath, client: `${r.client.clientId ?? ''} (${integration.name})`, scope: r.scope, carry: r.carry, ...(error !== undefined && { error }) });
  const response = providerHtml(ctx.kind, 200, html);
  return { outcome: providerOutcome(ctx, response, 'allowed', `${explanation} for integration ${integration.name}, scope ${JSON.stringify(r.scope.join(' '))}`, { rule: 'RFC 6749 §4.1.1' }), account: r.client.account };
}

function refusal(ctx: ProviderContext, r: AuthorizeRefusal): ProviderAnswer {
  if (r.location === undefined) return errorPage(ctx, r.error, r.description, r.cause, r.client?.account, r.rule);
  const response = providerRedirect(ctx.kind, r.location);
  return { outcome: providerOutcome(ctx, response, 'rejected', `${r.error} redirected to the client: ${r.description}`, { code: r.error, cause: r.cause, rule: r.rule }), account: r.client?.account };
}

function errorPage(ctx: ProviderContext, error: string, description: string, cause: string, account?: string, rule = 'RFC 6749 §4.1.2.1'): ProviderAnswer {
  const response = providerHtml(ctx.kind, 400, providerErrorPage({ host: ctx.target.host, error, description }));
  return { outcome: providerOutcome(ctx, response, 'rejected', `${error} on an error page: ${description}`, { code: error, cause, rule }), account };
}
