/**
 * The provider's protected resources (RFC 6750): every other request to a provider host. A live
 * access token of this provider → 200 `{sub, scope, client_id, exp}`; otherwise 401 with
 * `WWW-Authenticate: Bearer realm="<host>"`, plus `error="invalid_token"` when a token was presented
 * (§3.1: no error code when none was); the JSON body always names an `error`.
 */
import { checkBearer } from '../../domain/provider/resource.ts';
import { providerError, providerJson, providerOutcome } from './respond.ts';
import type { ProviderEndpoint } from './types.ts';

/** Any method, any path of a provider host that is not one of its endpoints. */
export const providerResource: ProviderEndpoint = (req, ctx) => {
  const host = ctx.target.host;
  const r = checkBearer(req.headers.authorization, host, ctx.provider.store, ctx.now);
  if (r.ok) {
    const t = r.token;
    const explanation = `access token of ${JSON.stringify(t.sub)} (integration ${t.integration}, scope ${JSON.stringify(r.body.scope)}) on ${req.method} ${ctx.target.path.slice(0, 200)}`;
    return { outcome: providerOutcome(ctx, providerJson(ctx.kind, 200, r.body), 'allowed', explanation, { rule: 'RFC 6750 §2.1' }), account: t.account };
  }
  const challenge = r.error === undefined ? `Bearer realm="${host}"` : `Bearer realm="${host}", error="${r.error}"`;
  // The header follows §3.1 (no error code without a token); the body always has an `error` member for
  // OAuth clients that parse one: invalid_request, "missing a required parameter", when no token came (decisions/0017).
  const response = providerError(ctx.kind, 401, r.error ?? 'invalid_request', r.description, { 'www-authenticate': challenge });
  return { outcome: providerOutcome(ctx, response, 'rejected', `${r.error ?? 'no token'}: ${r.description}`, { ...(r.error && { code: r.error }), cause: r.cause, rule: 'RFC 6750 §3.1' }), account: r.token?.account };
};
