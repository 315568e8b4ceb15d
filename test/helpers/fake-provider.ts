/**
 * A small in-memory {@link ProviderService} for pure tests of the Snowflake side of outbound OAuth
 * (issue #6): it issues codes on `consent`, exchanges them once, refreshes until a refresh token is
 * revoked or expired, and counts its calls. The real provider lives in domain/provider/.
 */
import type { ProviderResult, ProviderService } from '../../domain/provider/service.ts';
import type { ApiAuthenticationIntegration } from '../../domain/world/model.ts';

export interface FakeProvider extends ProviderService {
  /** The user at the provider consents: the query string the provider redirects to Snowflake with. */
  consent(authorizationUrl: string, options?: { deny?: boolean }): string;
  /** Revokes every refresh token. */
  revokeRefreshTokens(): void;
  readonly calls: { authorize: number; exchange: number; refresh: number; clientCredentials: number };
  /** Access token lifetime (ms). */
  accessTtl: number;
  /** Refresh token lifetime (ms), or undefined for none reported. */
  refreshTtl: number | undefined;
}

/**
 * Creates a fake provider.
 *
 * @example
 * const provider = fakeProvider(); const qs = provider.consent(url)
 */
export function fakeProvider(): FakeProvider {
  let n = 0;
  const codes = new Map<string, { client: string; redirectUri: string; scope: string }>();
  const refreshTokens = new Map<string, { client: string; revoked: boolean; expiresAt: number | undefined }>();
  const calls = { authorize: 0, exchange: 0, refresh: 0, clientCredentials: 0 };
  const fail = (error: 'invalid_grant' | 'invalid_client', description: string): ProviderResult => ({ ok: false, error, description, status: 400 });
  const issue = (i: ApiAuthenticationIntegration, now: number, scope: string, withRefresh: boolean): ProviderResult => {
    n++;
    const refreshToken = withRefresh ? `rt-${n}` : undefined;
    const refreshExpiresAt = withRefresh && self.refreshTtl !== undefined ? now + self.refreshTtl : undefined;
    if (refreshToken) refreshTokens.set(refreshToken, { client: i.oauthClientId ?? '', revoked: false, expiresAt: refreshExpiresAt });
    return {
      ok: true,
      tokens: { accessToken: `at-${n}`, tokenType: 'Bearer', expiresAt: now + self.accessTtl, scope, ...(refreshToken && { refreshToken }), ...(refreshExpiresAt !== undefined && { refreshExpiresAt }) },
    };
  };
  const self: FakeProvider = {
    calls,
    accessTtl: 3_600_000,
    refreshTtl: 86_400_000,
    authorizationUrl(i, r) {
      calls.authorize++;
      const q = new URLSearchParams({ response_type: 'code', client_id: i.oauthClientId ?? '', redirect_uri: r.redirectUri, state: r.state });
      if (r.scopes.length > 0) q.set('scope', r.scopes.join(' '));
      return `${i.oauthAuthorizationEndpoint}?${q}`;
    },
    consent(url, options = {}) {
      const q = new URL(url).searchParams;
      const state = q.get('state') ?? '';
      if (options.deny) return `error=access_denied&error_description=${encodeURIComponent('The resource owner denied the request.')}&state=${state}`;
      const code = `code-${++n}`;
      codes.set(code, { client: q.get('client_id') ?? '', redirectUri: q.get('redirect_uri') ?? '', scope: q.get('scope') ?? '' });
      return `state=${state}&code=${code}`;
    },
    exchangeCode(i, code, redirectUri, now) {
      calls.exchange++;
      const c = codes.get(code);
      codes.delete(code);
      if (!c || c.client !== i.oauthClientId) return fail('invalid_grant', 'unknown or used code');
      if (c.redirectUri !== redirectUri) return fail('invalid_grant', 'redirect_uri differs');
      return issue(i, now, c.scope, true);
    },
    refresh(i, refreshToken, now) {
      calls.refresh++;
      const t = refreshTokens.get(refreshToken);
      if (!t || t.revoked || t.client !== i.oauthClientId) return fail('invalid_grant', 'refresh token revoked or unknown');
      if (t.expiresAt !== undefined && t.expiresAt <= now) return fail('invalid_grant', 'refresh token expired');
      return issue(i, now, '', false);
    },
    clientCredentials(i, scopes, now) {
      calls.clientCredentials++;
      if (i.oauthClientSecret === 'wrong') return fail('invalid_client', 'bad client secret');
      return issue(i, now, scopes.join(' '), false);
    },
    revokeRefreshTokens() {
      for (const t of refreshTokens.values()) t.revoked = true;
    },
  };
  return self;
}
