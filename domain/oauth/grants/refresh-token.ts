/**
 * `grant_type=refresh_token` (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake): a new access token from a refresh token.
 * The answer has no `username`, and a new `refresh_token` only in single-use mode, where the old
 * one is used up; presenting a used one again revokes its whole chain — refresh tokens and the
 * access tokens issued from it (https://docs.snowflake.com/en/user-guide/single-use-refresh-tokens; the docs say "earlier" tokens: we revoke the
 * chain's live refresh token too, as RFC 9700 §4.14.2 recommends).
 */
import { isoTime } from '../../clock.ts';
import { reject, type Rejection } from '../../errors/rejection.ts';
import { recheckConsent } from '../consent.ts';
import type { RefreshToken } from '../server-store.ts';
import type { AuthenticatedClient, GrantDecision, GrantOutcome, TokenForm, TokenRequestContext } from '../token-request.ts';

type Failure = { ok: false; rejection: Rejection };

const invalidGrant = (cause: string, explanation: string, rule = 'https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake'): Failure => ({ ok: false, rejection: reject('invalid_grant', rule, explanation, cause) });

/**
 * Decides a refresh; the only change it makes itself is revoking a chain on reuse.
 *
 * @example
 * refreshTokenGrant({ grant_type: 'refresh_token', refresh_token: 'ver:2-hint:…' }, client, ctx)
 * // { ok: true, decision: { user: alice, role: 'ANALYST', includeUsername: false, … } }
 */
export function refreshTokenGrant(form: TokenForm, client: AuthenticatedClient, ctx: TokenRequestContext): GrantOutcome {
  if (!form.refresh_token) return { ok: false, rejection: reject('invalid_request', 'https://docs.snowflake.com/en/user-guide/oauth-custom', 'refresh_token is missing; grant_type=refresh_token requires it', 'TOKEN_REFRESH_TOKEN_MISSING') };
  const t = usableRefreshToken(form.refresh_token, client, ctx);
  if ('rejection' in t) return t;
  const holder = recheckConsent(client.integration, ctx.account, t.user, t.role);
  if ('reason' in holder) return invalidGrant(`GRANT_${holder.reason}`, holder.explanation, holder.rule);
  // https://docs.snowflake.com/en/user-guide/single-use-refresh-tokens: rotation when the chain is single-use, or the integration now requires it.
  const singleUse = t.singleUse || client.integration.oauthSingleUseRefreshTokensRequired;
  const decision: GrantDecision = {
    user: holder.user, role: t.role, includeUsername: false,
    ...(singleUse && { refresh: { singleUse: true, chain: t.chain }, consume: () => void (t.used = true) }),
    summary: `refresh token of ${t.user}${singleUse ? ' rotated' : ' used'}`,
  };
  return { ok: true, decision };
}

/** Known (in this account) → this client's → not revoked → not reused → unexpired → still issued by the integration. */
function usableRefreshToken(text: string, client: AuthenticatedClient, ctx: TokenRequestContext): RefreshToken | Failure {
  const t = ctx.server.refresh(text);
  if (!t || t.account !== ctx.account.name) return invalidGrant('REFRESH_TOKEN_UNKNOWN', 'refresh token is not one this account issued');
  const integration = client.integration;
  if (t.integration !== integration.name) return invalidGrant('REFRESH_TOKEN_CLIENT_MISMATCH', `refresh token was issued to integration ${t.integration}, not ${integration.name}`);
  if (t.revoked) return invalidGrant('REFRESH_TOKEN_REVOKED', `refresh token of ${t.user} (integration ${t.integration}) was revoked`);
  if (t.used) {
    const revoked = revokeChain(t, ctx);
    return invalidGrant('REFRESH_TOKEN_REUSED_CHAIN_REVOKED', `single-use refresh token of ${t.user} was already used; its chain is revoked (every refresh token and ${revoked} live access token(s))`, 'https://docs.snowflake.com/en/user-guide/single-use-refresh-tokens');
  }
  if (ctx.now >= t.expiresAt) return invalidGrant('REFRESH_TOKEN_EXPIRED', `refresh token of ${t.user} expired at ${isoTime(t.expiresAt)}`);
  // https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake: OAUTH_ISSUE_REFRESH_TOKENS = FALSE revokes consent.
  if (!integration.oauthIssueRefreshTokens) return invalidGrant('REFRESH_TOKENS_DISABLED', `integration ${integration.name} has OAUTH_ISSUE_REFRESH_TOKENS = FALSE, which revokes its refresh tokens`);
  return t;
}

/** Revokes a chain's access tokens from the token store, then its refresh tokens; returns how many access tokens. */
function revokeChain(t: RefreshToken, ctx: TokenRequestContext): number {
  let n = 0;
  for (const access of ctx.server.chainAccessTokens(t.chain)) if (ctx.oauthTokens.revoke(access)) n++;
  ctx.server.revokeChain(t.chain);
  return n;
}
