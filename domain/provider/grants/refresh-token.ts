/**
 * `grant_type=refresh_token` (RFC 6749 §6): a new access token from a refresh token of this client.
 * Refused when unknown, another client's, revoked (mock.provider.revokeRefreshTokens) or expired
 * (OAUTH_REFRESH_TOKEN_VALIDITY, default 90 days — limits.ts). No rotation (decisions/0007): the
 * answer has no new refresh token and the old one stays valid until it expires, so a secret that
 * stores it keeps working. `scope` may narrow the original grant, never widen it.
 */
import { isoTime } from '../../clock.ts';
import { fail } from '../failure.ts';
import { quoteUntrusted as quoted } from '../../safe-text.ts';
import { narrowScope, splitScope } from '../scope.ts';
import type { GrantOutcome, ProviderGrantHandler } from '../token-request.ts';

const RULE = 'RFC 6749 §6';

/**
 * Decides a refresh.
 *
 * @example
 * refreshTokenGrant({ grant_type: 'refresh_token', refresh_token: 'mock-rt-…' }, client, ctx)
 * // { ok: true, decision: { sub: 'jane', scope: ['read'], refresh: false, chain, summary: 'refresh token of "jane" used' } }
 */
export const refreshTokenGrant: ProviderGrantHandler = (form, client, ctx): GrantOutcome => {
  if (!form.refresh_token) return fail('invalid_request', 'PROVIDER_REFRESH_TOKEN_MISSING', 'refresh_token is missing; grant_type=refresh_token requires it', RULE);
  const t = ctx.store.token(form.refresh_token);
  if (!t || t.kind !== 'refresh') return fail('invalid_grant', 'PROVIDER_REFRESH_TOKEN_UNKNOWN', 'refresh token is not one this provider issued', RULE);
  if (t.clientIdentity !== client.identity) return fail('invalid_grant', 'PROVIDER_REFRESH_TOKEN_CLIENT_MISMATCH', `refresh token was issued to integration ${t.integration} (client ${quoted(t.clientId)}), not to client ${quoted(client.clientId ?? '')} (${client.integration.name}) at this endpoint`, RULE);
  if (t.revoked) return fail('invalid_grant', 'PROVIDER_REFRESH_TOKEN_REVOKED', `refresh token of ${quoted(t.sub)} (integration ${t.integration}) was revoked at the provider`, RULE);
  if (ctx.now >= t.expiresAt) return fail('invalid_grant', 'PROVIDER_REFRESH_TOKEN_EXPIRED', `refresh token of ${quoted(t.sub)} (integration ${t.integration}) expired at ${isoTime(t.expiresAt)}`, RULE);
  const scope = narrowScope(t.scope, splitScope(form.scope));
  if (!scope.ok) return scope;
  return { ok: true, decision: { sub: t.sub, scope: scope.scope, refresh: false, chain: t.chain, summary: `refresh token of ${quoted(t.sub)} issued ${isoTime(t.issuedAt)} used` } };
};
