/**
 * The consent page: after sign-in the user sees which client asks for which role, and allows or denies.
 */
import { escapeHtml, hidden, page } from './layout.ts';

/**
 * Renders the consent form for a pending authorization.
 *
 * @example
 * consentPage({ client: 'MY_APP', user: 'ALICE', role: 'ANALYST', offline: true, consentId: 'c-1' })
 */
export function consentPage(o: { client: string; user: string; role: string; offline: boolean; consentId: string; account: string }): string {
  return page(
    'Allow access',
    `<h1>Allow ${escapeHtml(o.client)} to access Snowflake?</h1><p class="sub">Signed in as <strong>${escapeHtml(o.user)}</strong> on ${escapeHtml(o.account)}.</p>
<dl><dt>Application</dt><dd>${escapeHtml(o.client)}</dd><dt>Role it will use</dt><dd>${escapeHtml(o.role)}</dd><dt>Access</dt><dd>${o.offline ? 'Until you revoke it (refresh token)' : 'This session only'}</dd></dl>
<form method="post" action="/oauth/authorize">${hidden({ step: 'consent', consent_id: o.consentId })}
<div class="actions"><button class="secondary" type="submit" name="decision" value="deny">Deny</button><button class="primary" type="submit" name="decision" value="allow">Allow</button></div></form>`,
  );
}
