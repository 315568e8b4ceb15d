/**
 * The sign-in page of `/oauth/authorize`: login name and password of a user of the world.
 */
import { escapeHtml, hidden, page } from './layout.ts';

/**
 * Renders the sign-in form; `carry` holds the authorize query, posted back with the credentials.
 *
 * @example
 * loginPage({ account: 'MYORG-MYACCOUNT', client: 'MY_APP', carry: { client_id: 'x' } })
 */
export function loginPage(o: { account: string; client: string; carry: Record<string, string | undefined>; error?: string; loginName?: string }): string {
  const error = o.error ? `<div class="error" role="alert">${escapeHtml(o.error)}</div>` : '';
  return page(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(o.account)}</h1><p class="sub"><strong>${escapeHtml(o.client)}</strong> is requesting access to your Snowflake account.</p>${error}
<form method="post" action="/oauth/authorize">${hidden({ ...o.carry, step: 'login' })}
<label for="login_name">User name</label><input id="login_name" name="login_name" type="text" autocomplete="username" required autofocus value="${escapeHtml(o.loginName ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button class="primary" type="submit">Sign in</button></div></form>`,
  );
}
