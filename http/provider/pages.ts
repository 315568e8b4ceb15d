/**
 * The provider's pages: the consent page of its authorization endpoint and its error page. Plain
 * HTML on the mock's page frame (pages/layout.ts), branded with the provider's host — the provider
 * is not Snowflake. Everything from the request is escaped.
 */
import { escapeHtml, hidden, page, type PageBrand } from '../pages/layout.ts';

const brand = (host: string): PageBrand => ({ name: host, logo: '◆', foot: 'snowflake-auth-mock · mock OAuth provider' });

/**
 * The consent page: who asks, for which scopes, a user-name field, and Allow / Deny posting back.
 *
 * @example
 * providerConsentPage({ host: 'provider.example.com', action: '/oauth2/authorize', client: 'app (OAUTH_INTEGRATION)', scope: ['read'], carry: { client_id: 'app' } })
 */
export function providerConsentPage(o: { host: string; action: string; client: string; scope: readonly string[]; carry: Readonly<Record<string, string>>; error?: string; username?: string }): string {
  const error = o.error ? `<div class="error" role="alert">${escapeHtml(o.error)}</div>` : '';
  const scopes = o.scope.length > 0 ? o.scope.map(escapeHtml).join(', ') : '(none)';
  return page(
    'Allow access',
    `<h1>Allow ${escapeHtml(o.client)} to access your ${escapeHtml(o.host)} account?</h1><p class="sub">Sign in to ${escapeHtml(o.host)} and choose.</p>${error}
<dl><dt>Application</dt><dd>${escapeHtml(o.client)}</dd><dt>Scopes</dt><dd>${scopes}</dd></dl>
<form method="post" action="${escapeHtml(o.action)}">${hidden(o.carry)}
<label for="username">User name</label><input id="username" name="username" type="text" autocomplete="username" autofocus value="${escapeHtml(o.username ?? '')}">
<div class="actions"><button class="secondary" type="submit" name="decision" value="deny">Deny</button><button class="primary" type="submit" name="decision" value="allow">Allow</button></div></form>`,
    brand(o.host),
  );
}

/**
 * An error page (never a redirect: RFC 6749 §4.1.2.1).
 *
 * @example
 * providerErrorPage({ host: 'provider.example.com', error: 'invalid_client', description: 'client_id "x" is unknown' })
 */
export function providerErrorPage(o: { host: string; error: string; description: string }): string {
  return page('Error', `<h1>The request cannot be completed</h1><div class="error" role="alert">${escapeHtml(o.description)}</div><p class="sub">Error: <code>${escapeHtml(o.error)}</code></p>`, brand(o.host));
}
