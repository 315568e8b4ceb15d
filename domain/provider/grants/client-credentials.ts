/**
 * `grant_type=client_credentials` (RFC 6749 §4.4): the client acts for itself — `sub` is its
 * client id. Scope per OAUTH_ALLOWED_SCOPES (scope.ts). No refresh token (§4.4.3).
 */
import { grantScope, splitScope } from '../scope.ts';
import type { GrantOutcome, ProviderGrantHandler } from '../token-request.ts';

/**
 * Decides a client-credentials grant.
 *
 * @example
 * clientCredentialsGrant({ grant_type: 'client_credentials', scope: 'read' }, client, ctx)
 * // { ok: true, decision: { sub: 'your_client_id', scope: ['read'], refresh: false, summary: 'client credentials of your_client_id' } }
 */
export const clientCredentialsGrant: ProviderGrantHandler = (form, client): GrantOutcome => {
  const scope = grantScope(client.integration, splitScope(form.scope));
  if (!scope.ok) return scope;
  const sub = client.clientId ?? client.integration.name;
  return { ok: true, decision: { sub, scope: scope.scope, refresh: false, summary: `client credentials of ${sub}` } };
};
