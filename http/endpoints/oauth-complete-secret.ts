/**
 * `GET /oauth/complete-secret` on the account host: where the external provider sends the
 * consumer's browser after consent (the redirect URI SYSTEM$START_OAUTH_FLOW puts in the
 * authorization URL; inferred, decisions/0008). Snowflake's Snowsight completes the flow itself;
 * a consumer in SQL copies the query string into `SYSTEM$FINISH_OAUTH_FLOW('…')` in the session
 * that started the flow — this page shows it, ready to copy. It changes nothing.
 */
import type { Endpoint } from '../endpoint.ts';
import { allowed } from '../outcome.ts';
import { escapeHtml, page } from '../pages/layout.ts';

/** `GET /oauth/complete-secret?state=…&code=…` (or `?error=…`). */
export const completeSecretPage: Endpoint = (req) => {
  const query = req.query;
  const params = new URLSearchParams(query);
  const error = params.get('error');
  const statement = `SELECT SYSTEM$FINISH_OAUTH_FLOW('${query.replace(/'/g, "''")}');`;
  const heading = error === null ? 'Complete the OAuth flow in Snowflake' : `The provider answered ${escapeHtml(error)}`;
  const body = `<h1>${heading}</h1>
<p class="sub">Run this in the same Snowflake session that called SYSTEM$START_OAUTH_FLOW:</p>
<pre id="finish-statement">${escapeHtml(statement)}</pre>
<p>Query string: <code id="query-string">${escapeHtml(query)}</code></p>`;
  // The page shows an authorization code: never cached (RFC 6749 §10.5 keeps codes short-lived and secret).
  const response = { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: page('Complete the OAuth flow', body) };
  const what = error === null ? (params.has('code') || params.has('authz_code') ? 'a code' : 'no code') : `error=${error.slice(0, 60)}`;
  return allowed(response, `OAuth redirect page for SYSTEM$FINISH_OAUTH_FLOW shown (${what}; nothing changes until FINISH runs)`);
};
