/**
 * Snowflake OAuth before and right after sign-in: scope parsing (https://docs.snowflake.com/en/user-guide/oauth-custom), the authorize
 * checks (https://docs.snowflake.com/en/user-guide/oauth-custom) and consent (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake).
 */
import { describe, expect, it } from 'vitest';
import { checkAuthorizeRequest, MAX_STATE_LENGTH, type AuthorizeQuery, type AuthorizeRequest } from '../../domain/oauth/authorize.ts';
import { recheckConsent, resolveConsent } from '../../domain/oauth/consent.ts';
import { defaultSessionRole } from '../../domain/world/roles.ts';
import { parseScope, type ParsedScope } from '../../domain/oauth/scope.ts';
import type { Account, OAuthIntegration, User } from '../../domain/world/model.ts';
import { makeAccount, makeOAuthIntegration, makeUser } from '../helpers/world-builder.ts';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 appendix B

function scopeOf(raw: string | undefined): ParsedScope {
  const parsed = parseScope(raw);
  if (!parsed.ok) throw new Error(`expected a valid scope, got: ${parsed.reason}`);
  return parsed.scope;
}

describe('parseScope (https://docs.snowflake.com/en/user-guide/oauth-custom)', () => {
  it('treats an absent or blank scope as no refresh token and no role', () => {
    expect(scopeOf(undefined)).toEqual({ raw: '', refreshToken: false });
    expect(scopeOf('')).toEqual({ raw: '', refreshToken: false });
  });

  it('reads refresh_token and one session role from a space-delimited list', () => {
    expect(scopeOf('refresh_token session:role:R1')).toEqual({ raw: 'refresh_token session:role:R1', refreshToken: true, role: 'R1' });
  });

  it('decodes session:role-encoded', () => {
    expect(scopeOf('session:role-encoded:AUTH%20SNOWFLAKE').role).toBe('AUTH SNOWFLAKE');
  });

  it('refuses session:role-any: it needs OAUTH_ANY_ROLE_MODE = ENABLE, and the mock models only DISABLE (the default)', () => {
    const parsed = parseScope('session:role-any refresh_token');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/OAUTH_ANY_ROLE_MODE/);
  });

  it('keeps role names exactly (case-sensitive)', () => {
    expect(scopeOf('session:role:analyst').role).toBe('analyst');
  });

  it.each([
    ['two role scopes', 'session:role:R1 session:role:R2', 'more than one session role'],
    ['a role and an encoded role', 'session:role:R1 session:role-encoded:R2', 'more than one session role'],
    ['an unknown scope', 'bogus_scope', 'unknown scope "bogus_scope"'],
    ['a role scope without a role', 'session:role:', 'names no role'],
    ['bad URL encoding', 'session:role-encoded:%ZZ', 'not valid URL encoding'],
  ])('refuses %s', (_, raw, reason) => {
    const parsed = parseScope(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

// ---- authorize ----

function account(integration: Partial<OAuthIntegration> = {}, extra: OAuthIntegration[] = []): Account {
  return makeAccount({ securityIntegrations: [makeOAuthIntegration({ name: 'MY_APP', ...integration }), ...extra] });
}

const VALID: AuthorizeQuery = { client_id: 'client-my_app', response_type: 'code', redirect_uri: 'https://app.example.com/callback' };

function refusal(q: AuthorizeQuery, acc: Account = account()): { code: string; cause?: string; explanation: string } {
  const r = checkAuthorizeRequest(q, acc);
  if (r.ok) throw new Error('expected a refusal');
  return r.rejection;
}

function accepted(q: AuthorizeQuery, acc: Account = account()): AuthorizeRequest {
  const r = checkAuthorizeRequest(q, acc);
  if (!r.ok) throw new Error(`expected success, got ${r.rejection.code}: ${r.rejection.explanation}`);
  return r.request;
}

describe('checkAuthorizeRequest (https://docs.snowflake.com/en/user-guide/oauth-custom)', () => {
  it('accepts a valid request and carries redirect URI as sent, state, scope and login_hint', () => {
    const req = accepted({ ...VALID, redirect_uri: 'https://app.example.com/callback?authType=snowflake', state: 'xyz', scope: 'refresh_token', login_hint: 'alice' });
    expect(req.integration.name).toBe('MY_APP');
    expect(req.redirectUri).toBe('https://app.example.com/callback?authType=snowflake');
    expect(req).toMatchObject({ state: 'xyz', loginHint: 'alice', scope: { refreshToken: true } });
    expect(req.pkce).toBeUndefined();
  });

  it('refuses an unknown or missing client_id with 390306', () => {
    expect(refusal({ ...VALID, client_id: 'nope' })).toMatchObject({ code: '390306', cause: 'AUTHORIZE_CLIENT_UNKNOWN' });
    expect(refusal({ ...VALID, client_id: undefined })).toMatchObject({ code: '390306', cause: 'AUTHORIZE_CLIENT_UNKNOWN' });
  });

  it('refuses a disabled integration with 390306', () => {
    expect(refusal(VALID, account({ enabled: false }))).toMatchObject({ code: '390306', cause: 'AUTHORIZE_CLIENT_DISABLED' });
  });

  it('checks the client before the redirect URI, and the redirect URI before the response type', () => {
    expect(refusal({ client_id: 'nope', redirect_uri: 'https://evil.example.com/' }).code).toBe('390306');
    expect(refusal({ ...VALID, redirect_uri: 'https://evil.example.com/', response_type: 'token' }).code).toBe('390307');
  });

  it.each([
    ['missing', undefined, 'AUTHORIZE_REDIRECT_URI_MISSING'],
    ['not a URL', 'callback', 'AUTHORIZE_REDIRECT_URI_MALFORMED'],
    ['with a fragment', 'https://app.example.com/callback#x', 'AUTHORIZE_REDIRECT_URI_MALFORMED'],
    ['another path', 'https://app.example.com/other', 'AUTHORIZE_REDIRECT_URI_MISMATCH'],
    ['another host', 'https://evil.example.com/callback', 'AUTHORIZE_REDIRECT_URI_MISMATCH'],
  ])('refuses a redirect_uri %s with 390307', (_, uri, cause) => {
    expect(refusal({ ...VALID, redirect_uri: uri })).toMatchObject({ code: '390307', cause });
  });

  it('ignores the query string of the request redirect_uri when matching', () => {
    expect(accepted({ ...VALID, redirect_uri: 'https://app.example.com/callback?authType=snowflake' }).integration.name).toBe('MY_APP');
  });

  it('accepts an alternate redirect URI', () => {
    const acc = account({ oauthAlternateRedirectUris: ['https://alt.example.com/cb'] });
    expect(accepted({ ...VALID, redirect_uri: 'https://alt.example.com/cb' }, acc).redirectUri).toBe('https://alt.example.com/cb');
    expect(refusal({ ...VALID, redirect_uri: 'https://alt.example.com/cb' }).code).toBe('390307');
  });

  it('allows a non-TLS redirect URI only with OAUTH_ALLOW_NON_TLS_REDIRECT_URI', () => {
    const http = 'http://127.0.0.1:8080/cb';
    expect(refusal({ ...VALID, redirect_uri: http }, account({ oauthRedirectUri: http }))).toMatchObject({ code: '390307', cause: 'AUTHORIZE_REDIRECT_URI_NOT_TLS' });
    expect(accepted({ ...VALID, redirect_uri: http }, account({ oauthRedirectUri: http, oauthAllowNonTlsRedirectUri: true })).redirectUri).toBe(http);
  });

  it('refuses a response_type other than code with 390304', () => {
    expect(refusal({ ...VALID, response_type: 'token' })).toMatchObject({ code: '390304', cause: 'AUTHORIZE_RESPONSE_TYPE_UNSUPPORTED' });
    expect(refusal({ ...VALID, response_type: undefined }).code).toBe('390304');
  });

  it('allows a state of 2048 characters and refuses 2049 with 390305', () => {
    expect(accepted({ ...VALID, state: 'a'.repeat(MAX_STATE_LENGTH) }).state).toHaveLength(2048);
    expect(refusal({ ...VALID, state: 'a'.repeat(2049) })).toMatchObject({ code: '390305', cause: 'AUTHORIZE_STATE_TOO_LONG' });
  });

  it('refuses a semantically invalid scope before sign-in with 390308', () => {
    expect(refusal({ ...VALID, scope: 'bogus_scope' })).toMatchObject({ code: '390308', cause: 'AUTHORIZE_SCOPE_MALFORMED' });
  });

  it('does not judge whether the user has the scope role before sign-in', () => {
    expect(accepted({ ...VALID, scope: 'session:role:NOBODY_HAS_THIS' }).scope.role).toBe('NOBODY_HAS_THIS');
  });

  it('accepts an S256 challenge', () => {
    expect(accepted({ ...VALID, code_challenge: CHALLENGE, code_challenge_method: 'S256' }).pkce).toEqual({ challenge: CHALLENGE, method: 'S256' });
  });

  it.each([
    ['method plain', { code_challenge: CHALLENGE, code_challenge_method: 'plain' }, 'AUTHORIZE_PKCE_METHOD_UNSUPPORTED'],
    ['a challenge without method', { code_challenge: CHALLENGE }, 'AUTHORIZE_PKCE_INCOMPLETE'],
    ['a method without challenge', { code_challenge_method: 'S256' }, 'AUTHORIZE_PKCE_INCOMPLETE'],
    ['a 42-character challenge', { code_challenge: CHALLENGE.slice(1), code_challenge_method: 'S256' }, 'AUTHORIZE_PKCE_CHALLENGE_MALFORMED'],
    ['a challenge with padding', { code_challenge: CHALLENGE + '=', code_challenge_method: 'S256' }, 'AUTHORIZE_PKCE_CHALLENGE_MALFORMED'],
  ])('refuses %s with 390311', (_, pkce, cause) => {
    expect(refusal({ ...VALID, ...pkce })).toMatchObject({ code: '390311', cause });
  });

  it('requires a challenge when the integration enforces PKCE', () => {
    const acc = account({ oauthEnforcePkce: true });
    expect(refusal(VALID, acc)).toMatchObject({ code: '390311', cause: 'AUTHORIZE_PKCE_REQUIRED' });
    expect(accepted({ ...VALID, code_challenge: CHALLENGE, code_challenge_method: 'S256' }, acc).pkce?.method).toBe('S256');
  });
});

// ---- consent ----

function consentFor(scope: string | undefined, user: User, options: { integration?: Partial<OAuthIntegration>; privilegedBlocked?: boolean } = {}) {
  const integration = makeOAuthIntegration({ name: 'MY_APP', ...options.integration });
  const acc = makeAccount({ users: [user], securityIntegrations: [integration], oauthAddPrivilegedRolesToBlockedList: options.privilegedBlocked ?? true });
  const req: AuthorizeRequest = { integration, redirectUri: 'https://app.example.com/callback', scope: scopeOf(scope) };
  return resolveConsent(req, user, acc);
}

const analyst = (extra: Parameters<typeof makeUser>[0] = {}) => makeUser({ name: 'ALICE', roles: ['ANALYST', 'ACCOUNTADMIN', 'SECURITYADMIN', 'ORGADMIN', 'GLOBALORGADMIN', 'REPORTER'], defaultRole: 'REPORTER', ...extra });

describe('resolveConsent (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)', () => {
  it('uses the scope role when given', () => {
    expect(consentFor('session:role:ANALYST', analyst())).toEqual({ ok: true, role: 'ANALYST', preAuthorized: false });
  });

  it('falls back to the default role, and to PUBLIC when the default role is not granted', () => {
    expect(consentFor(undefined, analyst())).toMatchObject({ ok: true, role: 'REPORTER' });
    const user = analyst();
    user.roles.delete('REPORTER');
    expect(defaultSessionRole(user)).toBe('PUBLIC');
    expect(consentFor(undefined, user)).toMatchObject({ ok: true, role: 'PUBLIC' });
  });

  it('refuses a scope role the user does not have with 390308 (after sign-in)', () => {
    const r = consentFor('session:role:SYSADMIN', analyst());
    expect(r).toMatchObject({ ok: false, rejection: { code: '390308', cause: 'CONSENT_ROLE_NOT_GRANTED' } });
  });

  it('compares role names case-sensitively', () => {
    expect(consentFor('session:role:analyst', analyst())).toMatchObject({ ok: false, rejection: { code: '390308' } });
  });

  it('refuses a disabled user with 390302', () => {
    expect(consentFor('session:role:ANALYST', analyst({ disabled: true }))).toMatchObject({ ok: false, rejection: { code: '390302', cause: 'CONSENT_USER_DISABLED' } });
  });

  it.each(['ACCOUNTADMIN', 'ORGADMIN', 'GLOBALORGADMIN', 'SECURITYADMIN'])('blocks privileged role %s with 390302 while the account parameter is TRUE', (role) => {
    expect(consentFor(`session:role:${role}`, analyst())).toMatchObject({ ok: false, rejection: { code: '390302', cause: 'CONSENT_ROLE_PRIVILEGED' } });
    expect(consentFor(`session:role:${role}`, analyst(), { privilegedBlocked: false })).toMatchObject({ ok: true, role });
  });

  it('blocks a role in BLOCKED_ROLES_LIST with 390302', () => {
    const r = consentFor('session:role:ANALYST', analyst(), { integration: { blockedRolesList: ['ANALYST'] } });
    expect(r).toMatchObject({ ok: false, rejection: { code: '390302', cause: 'CONSENT_ROLE_BLOCKED' } });
  });

  it('blocks a role outside a non-empty ALLOWED_ROLES_LIST with 390302', () => {
    const integration = { allowedRolesList: ['REPORTER'] };
    expect(consentFor('session:role:ANALYST', analyst(), { integration })).toMatchObject({ ok: false, rejection: { code: '390302', cause: 'CONSENT_ROLE_NOT_ALLOWED' } });
    expect(consentFor('session:role:REPORTER', analyst(), { integration })).toMatchObject({ ok: true, role: 'REPORTER' });
  });

  it('marks a role in PRE_AUTHORIZED_ROLES_LIST as pre-authorized (confidential clients only)', () => {
    expect(consentFor('session:role:ANALYST', analyst(), { integration: { preAuthorizedRolesList: ['ANALYST'] } })).toMatchObject({ ok: true, preAuthorized: true });
    expect(consentFor('session:role:REPORTER', analyst(), { integration: { preAuthorizedRolesList: ['ANALYST'] } })).toMatchObject({ ok: true, preAuthorized: false });
    const publicClient = { preAuthorizedRolesList: ['ANALYST'], oauthClientType: 'PUBLIC' as const };
    expect(consentFor('session:role:ANALYST', analyst(), { integration: publicClient })).toMatchObject({ ok: true, preAuthorized: false });
  });
});

describe('recheckConsent (token endpoint)', () => {
  const integration = makeOAuthIntegration({ name: 'MY_APP' });
  it('finds the user when all is still good, and says why not otherwise', () => {
    const alice = analyst();
    const acc = makeAccount({ users: [alice], securityIntegrations: [integration] });
    expect(recheckConsent(integration, acc, 'ALICE', 'ANALYST')).toEqual({ user: alice });
    expect(recheckConsent(integration, acc, 'NOBODY', 'ANALYST')).toMatchObject({ reason: 'USER_UNKNOWN' });
    expect(recheckConsent(integration, acc, 'ALICE', 'ACCOUNTADMIN')).toMatchObject({ reason: 'ROLE_BLOCKED' });
    alice.roles.delete('ANALYST');
    expect(recheckConsent(integration, acc, 'ALICE', 'ANALYST')).toMatchObject({ reason: 'ROLE_NOT_GRANTED' });
    alice.disabled = true;
    expect(recheckConsent(integration, acc, 'ALICE', 'ANALYST')).toMatchObject({ reason: 'USER_DISABLED' });
  });
});
