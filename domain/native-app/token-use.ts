/**
 * App code's use of an OAUTH2 secret (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 6" and "Token expiration and
 * re-authentication"): what `_snowflake.get_oauth_access_token` would hand a UDF. A live access
 * token is returned as is; an expired one is refreshed with the stored refresh token through the
 * provider (and the new tokens kept); a client-credentials secret gets its token from the
 * provider's client-credentials grant. When the refresh token expired or was revoked, use fails
 * until the consumer re-runs START/FINISH. Not SQL: the mock exposes it as
 * `mock.world.oauthAccessToken(secret)`.
 */
import { reject, type Rejection } from '../errors/rejection.ts';
import type { ProviderResult, ProviderService } from '../provider/service.ts';
import type { Account } from '../world/model.ts';
import { storeTokens } from './mutations.ts';
import { providerRefusal, refreshExpiry, usableSecret } from './oauth-flow.ts';
import { secretsOf } from './state.ts';

const RULE = 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Token expiration and re-authentication"';

/** A live access token and how it was obtained, or the refusal (with a journal cause). */
export type TokenUse =
  | { readonly ok: true; readonly accessToken: string; readonly expiresAt: number; readonly how: 'stored' | 'refreshed' | 'client_credentials'; readonly explanation: string }
  | { readonly ok: false; readonly rejection: Rejection };

/**
 * A live access token for the secret `DATABASE.SCHEMA.NAME`, refreshing or fetching it through
 * the provider when the stored one expired.
 *
 * @example
 * useSecretToken(account, 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET', provider, clock.now())
 * // { ok: true, accessToken: '…', how: 'refreshed', … }
 */
export function useSecretToken(account: Account, name: string, provider: ProviderService | undefined, now: number): TokenUse {
  const secret = secretsOf(account).get(name);
  if (!secret) return { ok: false, rejection: reject('002003', RULE, `no secret ${name.slice(0, 200)} in ${account.name}`, undefined, { kind: 'Secret', name: name.slice(0, 255) }) };
  const usable = usableSecret(account, secret);
  if (!usable.ok) return usable;
  const integration = usable.integration;
  if (secret.accessToken !== undefined && (secret.accessTokenExpiresAt ?? 0) > now) {
    return { ok: true, accessToken: secret.accessToken, expiresAt: secret.accessTokenExpiresAt!, how: 'stored', explanation: `secret ${secret.name}: stored access token, valid until ${new Date(secret.accessTokenExpiresAt!).toISOString()}` };
  }
  const unusable = (cause: string, why: string): TokenUse => ({ ok: false, rejection: reject('394618', RULE, `secret ${secret.name}: ${why}`, cause, { name: secret.name }) });
  if (!provider) return { ok: false, rejection: reject('394613', RULE, 'no external OAuth provider is wired into this mock', undefined, { error: 'temporarily_unavailable', description: 'the mock has no OAuth provider' }) };
  if (integration.oauthGrant === 'CLIENT_CREDENTIALS') {
    const scopes = secret.oauthScopes.length > 0 ? secret.oauthScopes : integration.oauthAllowedScopes;
    const r = provider.clientCredentials(integration, scopes, now);
    if (!r.ok) return { ok: false, rejection: providerRefusal(r, 'SECRET_GRANT_REJECTED', `the provider refused the client-credentials grant for secret ${secret.name}`) };
    storeTokens(secret, { accessToken: r.tokens.accessToken, accessTokenExpiresAt: r.tokens.expiresAt });
    return { ok: true, accessToken: r.tokens.accessToken, expiresAt: r.tokens.expiresAt, how: 'client_credentials', explanation: `secret ${secret.name}: new access token from the client-credentials grant of ${integration.name}` };
  }
  if (integration.oauthGrant !== 'AUTHORIZATION_CODE') {
    return { ok: false, rejection: reject('001422', RULE, `integration ${integration.name} has OAUTH_GRANT ${integration.oauthGrant ?? '(none)'}, which the mock does not run`, undefined, { parameter: 'OAUTH_GRANT', value: integration.oauthGrant ?? '' }) };
  }
  if (secret.oauthRefreshToken === undefined) {
    const why = secret.accessToken === undefined ? 'holds no tokens: the consumer has not completed SYSTEM$START_OAUTH_FLOW / SYSTEM$FINISH_OAUTH_FLOW' : 'the access token expired and the provider issued no refresh token';
    return unusable('SECRET_NOT_AUTHORIZED', why);
  }
  if (secret.oauthRefreshTokenExpiryTime !== undefined && secret.oauthRefreshTokenExpiryTime <= now) {
    return unusable('SECRET_REFRESH_TOKEN_EXPIRED', `the access token and the refresh token (expired ${new Date(secret.oauthRefreshTokenExpiryTime).toISOString()}) have expired: the consumer must re-authenticate`);
  }
  const r = provider.refresh(integration, secret.oauthRefreshToken, now);
  if (!r.ok) {
    if (r.error === 'invalid_grant') return unusable(refreshRefusalCause(r), `the provider refused the refresh token (invalid_grant: ${r.description.slice(0, 200)}): the consumer must re-authenticate`);
    return { ok: false, rejection: providerRefusal(r, 'SECRET_GRANT_REJECTED', `the provider refused the refresh for secret ${secret.name}`) };
  }
  const t = r.tokens;
  storeTokens(secret, { accessToken: t.accessToken, accessTokenExpiresAt: t.expiresAt, refreshToken: t.refreshToken, refreshTokenExpiresAt: refreshExpiry(t.refreshExpiresAt, integration, now) });
  return { ok: true, accessToken: t.accessToken, expiresAt: t.expiresAt, how: 'refreshed', explanation: `secret ${secret.name}: access token refreshed with the stored refresh token at ${integration.name}'s provider` };
}

/** The provider's causes of a refused refresh token that Snowflake's side names more finely. */
const REFRESH_CAUSES: Readonly<Record<string, string>> = {
  PROVIDER_REFRESH_TOKEN_EXPIRED: 'SECRET_REFRESH_TOKEN_EXPIRED',
  PROVIDER_REFRESH_TOKEN_REVOKED: 'SECRET_REFRESH_TOKEN_REVOKED',
};

/**
 * The journal cause of an `invalid_grant` refresh: from the provider's cause when it gives one
 * (expired, revoked), else the neutral SECRET_REFRESH_TOKEN_REJECTED.
 *
 * @example
 * refreshRefusalCause({ ok: false, error: 'invalid_grant', description: '…', status: 400, cause: 'PROVIDER_REFRESH_TOKEN_EXPIRED' }) // 'SECRET_REFRESH_TOKEN_EXPIRED'
 */
export function refreshRefusalCause(result: Extract<ProviderResult, { ok: false }>): string {
  return (result.cause !== undefined && REFRESH_CAUSES[result.cause]) || 'SECRET_REFRESH_TOKEN_REJECTED';
}
