/**
 * An account's security integrations (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external): OAUTH ones, which issue tokens,
 * API_AUTHENTICATION ones, which describe an outside OAuth server, and EXTERNAL_OAUTH ones
 * (`external-oauth.ts`), which accept an outside IdP's tokens. Their keys and rules differ, so each
 * type has its own key list and check.
 */
import { PRIVILEGED_ROLES } from '../config.ts';
import { checkKeyField, names, type Checker, type Entry, type Rec } from './checker.ts';
import { httpUrlProblem, redirectUriProblem } from './field-rules.ts';
import { checkExternalOAuthIntegration, checkIssuersUnique } from './external-oauth.ts';
import { scopeTokens } from './outbound.ts';
import { checkPolicyRef, roleRef, type Scope } from './scope.ts';
import type { ConfigPath } from './world-config-error.ts';

const OAUTH_KEYS = [
  'type', 'name', 'enabled', 'oauth_client', 'oauth_client_type', 'oauth_redirect_uri', 'oauth_alternate_redirect_uris',
  'oauth_client_id', 'oauth_client_secret', 'oauth_client_secret_2', 'oauth_allow_non_tls_redirect_uri', 'oauth_enforce_pkce',
  'oauth_issue_refresh_tokens', 'oauth_access_token_validity', 'oauth_refresh_token_validity',
  'oauth_single_use_refresh_tokens_required', 'pre_authorized_roles_list', 'allowed_roles_list', 'blocked_roles_list',
  'oauth_client_rsa_public_key', 'oauth_client_rsa_public_key_2', 'network_policy', 'comment', 'mock_auto_consent',
];
const API_AUTH_KEYS = [
  'type', 'name', 'auth_type', 'oauth_token_endpoint', 'oauth_authorization_endpoint', 'oauth_client_auth_method',
  'oauth_client_id', 'oauth_client_secret', 'oauth_grant', 'oauth_access_token_validity', 'oauth_refresh_token_validity',
  'oauth_allowed_scopes', 'oauth_assertion_issuer', 'enabled', 'comment',
];

/**
 * Checks `security_integrations` by type and records each one's name and type in the scope.
 *
 * @example
 * checkIntegrations(c, scope, account) // scope.integrations.get('TABLEAU') === 'OAUTH'
 */
export function checkIntegrations(c: Checker, scope: Scope, a: Rec): void {
  const entries = c.records(a, 'security_integrations', scope.path);
  const external: Entry<Rec>[] = [];
  for (const entry of entries) {
    const type = c.choice(entry.value, 'type', entry.path, ['OAUTH', 'API_AUTHENTICATION', 'EXTERNAL_OAUTH'], 'for a security integration (oauth, api_authentication or external_oauth)');
    if (type === 'OAUTH') checkOAuthIntegration(c, scope, entry);
    if (type === 'API_AUTHENTICATION') checkApiAuthentication(c, entry);
    if (type === 'EXTERNAL_OAUTH') {
      checkExternalOAuthIntegration(c, scope, entry);
      external.push(entry);
    }
    const name = c.string(entry.value, 'name', entry.path, true)?.toUpperCase();
    if (type && name && !scope.integrations.has(name)) scope.integrations.set(name, type);
  }
  c.unique(names(entries), 'security integration name');
  checkIssuersUnique(c, external);
}

function checkOAuthIntegration(c: Checker, scope: Scope, { value: r, path }: Entry<Rec>): void {
  c.keys(r, path, OAUTH_KEYS);
  const client = c.choice(r, 'oauth_client', path, ['CUSTOM', 'TABLEAU_DESKTOP', 'TABLEAU_SERVER', 'LOOKER'], 'for an oauth integration (CUSTOM, TABLEAU_DESKTOP, TABLEAU_SERVER or LOOKER)');
  const clientType = c.choice(r, 'oauth_client_type', path, ['CONFIDENTIAL', 'PUBLIC'], client === 'CUSTOM' && 'for a CUSTOM client (CONFIDENTIAL or PUBLIC)');
  checkRedirectUris(c, r, path, client);
  for (const key of ['oauth_client_secret', 'oauth_client_secret_2', 'comment']) c.string(r, key, path);
  const clientId = c.string(r, 'oauth_client_id', path);
  if (clientId) scope.clientIds.push({ value: clientId, path: [...path, 'oauth_client_id'] });
  for (const key of ['enabled', 'oauth_enforce_pkce', 'oauth_issue_refresh_tokens', 'oauth_single_use_refresh_tokens_required']) c.bool(r, key, path);
  c.int(r, 'oauth_access_token_validity', path, 60, 3600, ' (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)');
  const refreshMin = client === 'CUSTOM' ? 86_400 : 3600;
  c.int(r, 'oauth_refresh_token_validity', path, refreshMin, 7_776_000, ` for ${client === 'CUSTOM' ? 'custom' : 'partner'} clients (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)`);
  checkPreAuthorizedRoles(c, scope, r, path, client === 'CUSTOM' && clientType === 'CONFIDENTIAL');
  for (const key of ['allowed_roles_list', 'blocked_roles_list']) for (const role of c.strings(r, key, path)) roleRef(c, scope, role);
  for (const key of ['oauth_client_rsa_public_key', 'oauth_client_rsa_public_key_2']) checkKeyField(c, r, key, path);
  checkPolicyRef(c, scope, r, 'network_policy', path);
  checkAutoConsent(c, scope, r, path);
}

/** Mock-only: `true` (sign in the request's login_hint user) or a user NAME that is signed in and consents. */
function checkAutoConsent(c: Checker, scope: Scope, r: Rec, path: ConfigPath): void {
  const v = r.mock_auto_consent;
  if (v === undefined || v === null || v === true || v === false) return;
  if (typeof v !== 'string') return void c.add([...path, 'mock_auto_consent'], 'expected true, false or a user name');
  if (!scope.users.has(v.toUpperCase())) c.add([...path, 'mock_auto_consent'], `user "${v}" is not declared in this account`);
}

function checkRedirectUris(c: Checker, r: Rec, path: ConfigPath, client: string | undefined): void {
  const allowNonTls = c.bool(r, 'oauth_allow_non_tls_redirect_uri', path) ?? false;
  const required = (client === 'CUSTOM' || client === 'LOOKER') && `for a ${client} client (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)`;
  const primary = c.string(r, 'oauth_redirect_uri', path, required);
  const uris = c.strings(r, 'oauth_alternate_redirect_uris', path);
  if (primary) uris.unshift({ value: primary, path: [...path, 'oauth_redirect_uri'] });
  for (const uri of uris) {
    const problem = redirectUriProblem(uri.value, allowNonTls);
    if (problem) c.add(uri.path, problem);
  }
}

function checkPreAuthorizedRoles(c: Checker, scope: Scope, r: Rec, path: ConfigPath, allowed: boolean): void {
  const roles = c.strings(r, 'pre_authorized_roles_list', path);
  if (roles.length > 0 && !allowed) {
    c.add([...path, 'pre_authorized_roles_list'], 'only CUSTOM clients of type CONFIDENTIAL take pre_authorized_roles_list (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)');
  }
  for (const role of roles) {
    const name = roleRef(c, scope, role);
    if (name && PRIVILEGED_ROLES.includes(name)) {
      c.add(role.path, `pre_authorized_roles_list cannot contain ${name} (Snowflake forbids ${PRIVILEGED_ROLES.join(', ')}; https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)`);
    }
  }
}

function checkApiAuthentication(c: Checker, { value: r, path }: Entry<Rec>): void {
  c.keys(r, path, API_AUTH_KEYS);
  c.choice(r, 'auth_type', path, ['OAUTH2']);
  for (const key of ['oauth_token_endpoint', 'oauth_authorization_endpoint']) {
    const url = c.string(r, key, path);
    const problem = url === undefined ? undefined : httpUrlProblem(url);
    if (problem) c.add([...path, key], problem);
    // RFC 6749 §3.1, §3.2: endpoint URIs MUST NOT include a fragment (the provider's parameters would land in it).
    else if (url !== undefined && url.includes('#')) c.add([...path, key], 'must not have a fragment (#…): RFC 6749 §3.1/§3.2 endpoint URIs carry none');
  }
  c.choice(r, 'oauth_client_auth_method', path, ['CLIENT_SECRET_POST', 'CLIENT_SECRET_BASIC']);
  c.choice(r, 'oauth_grant', path, ['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'JWT_BEARER']);
  for (const key of ['oauth_client_id', 'oauth_client_secret', 'oauth_assertion_issuer', 'comment']) c.string(r, key, path);
  c.int(r, 'oauth_access_token_validity', path, 0);
  c.int(r, 'oauth_refresh_token_validity', path, 0);
  scopeTokens(c, r, 'oauth_allowed_scopes', path); // RFC 6749 §3.3 scope tokens (outbound.ts)
  c.bool(r, 'enabled', path);
}
