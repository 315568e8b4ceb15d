/**
 * The provider's token endpoint (`OAUTH_TOKEN_ENDPOINT` of an API_AUTHENTICATION integration):
 * POST form → RFC 6749 §5.1 JSON `{access_token, token_type, expires_in, refresh_token?, scope}`
 * with `Cache-Control: no-store`, or a §5.2 error — 401 for `invalid_client`, with
 * `WWW-Authenticate: Basic` when the client tried Basic.
 */
import { providerTokenRequest } from '../../domain/provider/token-request.ts';
import { providerError, providerJson, providerOutcome } from './respond.ts';
import type { ProviderEndpoint } from './types.ts';

/** `POST <oauth_token_endpoint>` */
export const providerToken: ProviderEndpoint = (req, ctx) => {
  const { host, path } = ctx.target;
  const clients = ctx.provider.index().tokenClients(host, path) ?? [];
  const result = req.bodyTooLarge
    ? ({ ok: false, error: 'invalid_request', description: 'the request body is larger than the mock reads', status: 400, cause: 'PROVIDER_BODY_TOO_LARGE', rule: 'mock limit' } as const)
    : providerTokenRequest({ authorization: req.headers.authorization, contentType: req.headers['content-type'], body: req.body }, clients, { store: ctx.provider.store, ids: ctx.core.ids, now: ctx.now });
  if (!result.ok) {
    const challenge: Record<string, string> = result.status === 401 && 'basicTried' in result && result.basicTried ? { 'www-authenticate': `Basic realm="${host}"` } : {};
    const response = providerError(ctx.kind, result.status, result.error, result.description, challenge, true);
    const account = 'client' in result ? result.client?.account : undefined;
    return { outcome: providerOutcome(ctx, response, 'rejected', `${result.error}: ${result.description}`, { code: result.error, cause: result.cause, rule: result.rule }), account };
  }
  const t = result.tokens;
  // RFC 6749 §5.1 fields; expires_in counts from now on the mock clock.
  const body: Record<string, unknown> = { access_token: t.accessToken, token_type: t.tokenType, expires_in: Math.round((t.expiresAt - ctx.now) / 1000) };
  if (t.refreshToken !== undefined) body.refresh_token = t.refreshToken;
  body.scope = t.scope;
  return { outcome: providerOutcome(ctx, providerJson(ctx.kind, 200, body, {}, true), 'allowed', result.explanation, { rule: 'RFC 6749 §5.1' }), account: result.client.account };
};
