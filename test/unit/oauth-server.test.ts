/**
 * Snowflake OAuth's server side: the code / refresh-token store and POST /oauth/token-request
 * (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake, https://docs.snowflake.com/en/user-guide/network-policies; https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts).
 */
import { describe, expect, it } from 'vitest';
import { authenticateOAuthToken, createOAuthTokenStore, type OAuthTokenStore } from '../../domain/auth/oauth-token.ts';
import { createIds, type Ids } from '../../domain/ids.ts';
import { checkAuthorizeRequest, type AuthorizeQuery } from '../../domain/oauth/authorize.ts';
import { resolveConsent } from '../../domain/oauth/consent.ts';
import { s256Challenge } from '../../domain/oauth/pkce.ts';
import { CODE_LIFETIME_MS, MAX_CODES, createOAuthServerStore, type OAuthServerStore } from '../../domain/oauth/server-store.ts';
import { parseScope } from '../../domain/oauth/scope.ts';
import type { Awaitable } from '../../domain/awaitable.ts';
import { handleTokenRequest, type TokenRequestContext, type TokenRequestResult } from '../../domain/oauth/token-request.ts';
import type { Account, OAuthIntegration, Switches, User, World } from '../../domain/world/model.ts';
import { DAY, HOUR, MINUTE, T0, makeAccount, makeAuthContext, makeNetworkPolicy, makeOAuthIntegration, makeUser, makeWorld } from '../helpers/world-builder.ts';

const FORM = 'application/x-www-form-urlencoded';
const REDIRECT = 'https://app.example.com/callback';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
const APP_AUTH = basic('client-my_app', 'secret-my_app');

/** Secret-based client authentication answers at once: only a client JWT waits for jose. */
function atOnce<T>(value: Awaitable<T>): T {
  if (value instanceof Promise) throw new Error('expected a synchronous answer');
  return value;
}

interface Setup {
  world: World;
  account: Account;
  alice: User;
  server: OAuthServerStore;
  tokens: OAuthTokenStore;
  ids: Ids;
  now: number;
  clientIp: string;
  ctx(): TokenRequestContext;
  /** Runs authorize + consent as the HTTP layer would, returns the code. */
  code(q?: Partial<AuthorizeQuery>, user?: User): string;
  token(form: Record<string, string>, options?: { authorization?: string | null; contentType?: string }): TokenRequestResult;
  setIntegration(name: string, change: Partial<OAuthIntegration>): void;
}

function setup(options: { app?: Partial<OAuthIntegration>; others?: OAuthIntegration[]; users?: User[]; switches?: Partial<Switches>; policies?: Parameters<typeof makeNetworkPolicy>[0][] } = {}): Setup {
  const alice = makeUser({ name: 'ALICE', loginName: 'alice.login', roles: ['ANALYST'], defaultRole: 'REPORTER' });
  const app = makeOAuthIntegration({ name: 'MY_APP', ...options.app });
  const account = makeAccount({
    users: [alice, ...(options.users ?? [])],
    securityIntegrations: [app, ...(options.others ?? [])],
    networkPolicies: (options.policies ?? []).map(makeNetworkPolicy),
  });
  const world = makeWorld({ accounts: [account], ...(options.switches && { switches: options.switches }) });
  const s: Setup = {
    world, account, alice,
    server: createOAuthServerStore(),
    tokens: createOAuthTokenStore(world),
    ids: createIds(7),
    now: T0,
    clientIp: '10.0.0.5',
    ctx: () => ({ world, account, now: s.now, ids: s.ids, clientIp: s.clientIp, oauthTokens: s.tokens, server: s.server }),
    code(q = {}, user = alice) {
      const checked = checkAuthorizeRequest({ client_id: 'client-my_app', response_type: 'code', redirect_uri: REDIRECT, ...q }, account);
      if (!checked.ok) throw new Error(`authorize refused: ${checked.rejection.explanation}`);
      const consent = resolveConsent(checked.request, user, account);
      if (!consent.ok) throw new Error(`consent refused: ${consent.rejection.explanation}`);
      const r = checked.request;
      return s.server.issueCode({ account: account.name, integration: r.integration.name, user: user.name, role: consent.role, redirectUri: r.redirectUri, scope: r.scope, ...(r.pkce && { pkce: r.pkce }) }, s.now, s.ids).code;
    },
    token(form, opts = {}) {
      const authorization = opts.authorization === undefined ? APP_AUTH : opts.authorization ?? undefined;
      return atOnce(handleTokenRequest({ ...(authorization !== undefined && { authorization }), contentType: opts.contentType ?? FORM, body: new URLSearchParams(form).toString() }, s.ctx()));
    },
    setIntegration(name, change) {
      const current = account.securityIntegrations.get(name) as OAuthIntegration;
      account.securityIntegrations.set(name, { ...current, ...change });
    },
  };
  return s;
}

function ok(r: TokenRequestResult) {
  if (!r.ok) throw new Error(`expected success, got ${r.rejection.code}/${r.rejection.cause}: ${r.rejection.explanation}`);
  return r;
}

function refused(r: TokenRequestResult, code: string, cause: string): string {
  if (r.ok) throw new Error(`expected ${code}/${cause}, got success: ${r.explanation}`);
  expect(r.rejection).toMatchObject({ code, cause });
  return r.rejection.explanation;
}

const exchange = (s: Setup, code: string, extra: Record<string, string> = {}) => s.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra });
const refresh = (s: Setup, token: string, extra: Record<string, string> = {}) => s.token({ grant_type: 'refresh_token', refresh_token: token, ...extra });

// ---- store ----

describe('OAuthServerStore', () => {
  const scope = () => { const p = parseScope('refresh_token'); if (!p.ok) throw new Error(); return p.scope; };
  const input = (user = 'ALICE') => ({ account: 'A', integration: 'MY_APP', user, role: 'PUBLIC', redirectUri: REDIRECT, scope: scope() });
  const refreshInput = (chain: string, user = 'ALICE') => ({ account: 'A', integration: 'MY_APP', user, role: 'PUBLIC', issuedAt: T0, expiresAt: T0 + DAY, chain, singleUse: true });

  it('issues unused codes living 600 s (https://docs.snowflake.com/en/user-guide/oauth-custom, inferred)', () => {
    const server = createOAuthServerStore();
    const c = server.issueCode(input(), T0, createIds(1));
    expect(CODE_LIFETIME_MS).toBe(600_000);
    expect(server.code(c.code)).toMatchObject({ used: false, issuedAt: T0, expiresAt: T0 + 600_000, user: 'ALICE' });
  });

  it('sweeps codes and refresh tokens only well after expiry', () => {
    const server = createOAuthServerStore();
    const ids = createIds(1);
    const c = server.issueCode(input(), T0, ids);
    const t = server.issueRefresh(refreshInput('c1'), ids);
    expect(server.sweep(T0 + CODE_LIFETIME_MS + 1)).toBe(0); // just expired: still answers "expired"
    expect(server.sweep(T0 + CODE_LIFETIME_MS + HOUR + 1)).toBe(1);
    expect(server.code(c.code)).toBeUndefined();
    expect(server.sweep(T0 + DAY + 2 * HOUR)).toBe(1);
    expect(server.refresh(t.token)).toBeUndefined();
  });

  it('sweeps in small slices', () => {
    const server = createOAuthServerStore();
    const ids = createIds(1);
    for (let i = 0; i < 10; i++) server.issueCode(input(), T0, ids);
    expect(server.sweep(T0 + DAY, 3)).toBe(3);
    expect(server.size.codes).toBe(7);
  });

  it('bounds the number of codes, dropping the oldest', () => {
    const server = createOAuthServerStore();
    const ids = createIds(1);
    const first = server.issueCode(input(), T0, ids);
    for (let i = 0; i < MAX_CODES; i++) server.issueCode(input(), T0, ids);
    expect(server.size.codes).toBe(MAX_CODES);
    expect(server.code(first.code)).toBeUndefined();
  });

  it('revokes a chain: its refresh tokens, and forgets its access-token links', () => {
    const server = createOAuthServerStore();
    const ids = createIds(1);
    const a = server.issueRefresh(refreshInput('c1'), ids);
    const b = server.issueRefresh(refreshInput('c1'), ids);
    const other = server.issueRefresh(refreshInput('c2'), ids);
    server.linkAccessToken('c1', 'acc-1', T0 + MINUTE, T0);
    expect(server.chainAccessTokens('c1')).toEqual(['acc-1']);
    server.revokeChain('c1');
    expect([a.revoked, b.revoked, other.revoked]).toEqual([true, true, false]);
    expect(server.chainAccessTokens('c1')).toEqual([]);
  });

  it('revokes consent: the user’s refresh tokens for the integration, and their pending codes', () => {
    const server = createOAuthServerStore();
    const ids = createIds(1);
    const mine = [server.issueRefresh(refreshInput('c1'), ids), server.issueRefresh(refreshInput('c2'), ids)];
    const bobs = server.issueRefresh(refreshInput('c3', 'BOB'), ids);
    const code = server.issueCode(input(), T0, ids);
    expect(server.revokeConsent('A', 'alice', 'my_app')).toBe(2);
    expect(mine.map((t) => t.revoked)).toEqual([true, true]);
    expect(bobs.revoked).toBe(false);
    expect(code.revoked).toBe(true); // its own flag, so the journal can say "revoked" rather than "reused"
    expect(server.revokeConsent('A', 'ALICE', 'MY_APP')).toBe(0);
  });
});

// ---- token request: transport-level rules ----

describe('handleTokenRequest: request shape (https://docs.snowflake.com/en/user-guide/oauth-custom)', () => {
  it('requires Content-Type application/x-www-form-urlencoded (charset allowed)', () => {
    const s = setup();
    refused(s.token({ grant_type: 'refresh_token', refresh_token: 'x' }, { contentType: 'application/json' }), 'invalid_request', 'TOKEN_CONTENT_TYPE_UNSUPPORTED');
    refused(s.token({ grant_type: 'refresh_token', refresh_token: 'x' }, { contentType: '' }), 'invalid_request', 'TOKEN_CONTENT_TYPE_UNSUPPORTED');
    ok(exchange(s, s.code())); // the helper's plain application/x-www-form-urlencoded
  });

  it('accepts the Content-Type snowflake-sdk sends', () => {
    const s = setup();
    const code = s.code();
    ok(s.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { contentType: 'application/x-www-form-urlencoded;charset=UTF-8' }));
  });

  it('refuses a repeated form field with invalid_request', () => {
    const s = setup();
    const r = atOnce(handleTokenRequest({ authorization: APP_AUTH, contentType: FORM, body: 'grant_type=refresh_token&grant_type=authorization_code' }, s.ctx()));
    refused(r, 'invalid_request', 'TOKEN_PARAMETER_REPEATED');
  });

  it('authenticates the client before anything else', () => {
    refused(setup().token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, { authorization: basic('client-my_app', 'wrong') }), 'invalid_client', 'CLIENT_SECRET_MISMATCH');
  });

  it('answers unsupported_grant_type for a missing or unknown grant_type', () => {
    const s = setup();
    refused(s.token({ grant_type: 'password', username: 'a', password: 'b' }), 'unsupported_grant_type', 'GRANT_TYPE_UNSUPPORTED');
    refused(s.token({}), 'unsupported_grant_type', 'GRANT_TYPE_UNSUPPORTED');
    refused(s.token({ grant_type: 'toString' }), 'unsupported_grant_type', 'GRANT_TYPE_UNSUPPORTED');
  });
});

// ---- authorization_code ----

describe('grant_type=authorization_code (https://docs.snowflake.com/en/user-guide/oauth-custom)', () => {
  it('answers access token, expires_in, token_type and username (the LOGIN_NAME); the token works on the API', () => {
    const s = setup();
    const r = ok(exchange(s, s.code({ scope: 'session:role:ANALYST' })));
    expect(Object.keys(r.body)).toEqual(['access_token', 'expires_in', 'token_type', 'username']);
    expect(r.body).toMatchObject({ expires_in: 600, token_type: 'Bearer', username: 'ALICE.LOGIN' });
    expect(r).toMatchObject({ user: 'ALICE', role: 'ANALYST' });
    expect(s.tokens.get(r.body.access_token)).toEqual({ token: r.body.access_token, user: 'ALICE', role: 'ANALYST', expiresAt: T0 + 600_000, integration: 'MY_APP', account: 'MYORG-MYACCOUNT' });
    const auth = makeAuthContext(s.world, { now: T0 + MINUTE, stores: { oauthTokens: s.tokens } });
    expect(authenticateOAuthToken(r.body.access_token, auth)).toMatchObject({ ok: true, role: 'ANALYST', integration: 'MY_APP' });
  });

  it('takes expires_in and the expiry from OAUTH_ACCESS_TOKEN_VALIDITY', () => {
    const s = setup({ app: { oauthAccessTokenValidity: 3600 } });
    const r = ok(exchange(s, s.code()));
    expect(r.body.expires_in).toBe(3600);
    expect(s.tokens.get(r.body.access_token)?.expiresAt).toBe(T0 + 3_600_000);
  });

  it('issues a refresh token only when the scope has refresh_token and the integration issues them', () => {
    const s = setup();
    const withScope = ok(exchange(s, s.code({ scope: 'refresh_token' })));
    expect(Object.keys(withScope.body)).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type', 'username']);
    expect(s.server.refresh(withScope.body.refresh_token!)).toMatchObject({ user: 'ALICE', integration: 'MY_APP', expiresAt: T0 + 7_776_000_000, singleUse: false });
    expect(ok(exchange(s, s.code())).body.refresh_token).toBeUndefined();
    const off = setup({ app: { oauthIssueRefreshTokens: false } });
    expect(ok(exchange(off, off.code({ scope: 'refresh_token' }))).body.refresh_token).toBeUndefined();
  });

  it('takes the refresh validity from OAUTH_REFRESH_TOKEN_VALIDITY', () => {
    const s = setup({ app: { oauthRefreshTokenValidity: 86_400 } });
    const r = ok(exchange(s, s.code({ scope: 'refresh_token' })));
    expect(s.server.refresh(r.body.refresh_token!)?.expiresAt).toBe(T0 + DAY);
  });

  it('uses a code once: the second exchange is invalid_grant', () => {
    const s = setup();
    const code = s.code();
    ok(exchange(s, code));
    refused(exchange(s, code), 'invalid_grant', 'CODE_REUSED');
  });

  it('lets a code expire after 600 s', () => {
    const s = setup();
    const code = s.code();
    s.now = T0 + CODE_LIFETIME_MS;
    refused(exchange(s, code), 'invalid_grant', 'CODE_EXPIRED');
    const fresh = setup();
    const c2 = fresh.code();
    fresh.now = T0 + CODE_LIFETIME_MS - 1;
    ok(exchange(fresh, c2));
  });

  it('refuses an unknown code, and requires code and redirect_uri', () => {
    const s = setup();
    refused(exchange(s, 'nope'), 'invalid_grant', 'CODE_UNKNOWN');
    refused(s.token({ grant_type: 'authorization_code', redirect_uri: REDIRECT }), 'invalid_request', 'TOKEN_CODE_MISSING');
    refused(s.token({ grant_type: 'authorization_code', code: s.code() }), 'invalid_request', 'TOKEN_REDIRECT_URI_MISSING');
  });

  it('refuses a code issued to another client', () => {
    const other = makeOAuthIntegration({ name: 'OTHER' });
    const s = setup({ others: [other] });
    const asOther = { authorization: basic('client-other', 'secret-other') };
    refused(s.token({ grant_type: 'authorization_code', code: s.code(), redirect_uri: REDIRECT }, asOther), 'invalid_grant', 'CODE_CLIENT_MISMATCH');
  });

  it('requires the redirect_uri exactly as sent to /authorize', () => {
    const s = setup();
    const withQuery = `${REDIRECT}?authType=snowflake`;
    refused(exchange(s, s.code({ redirect_uri: withQuery })), 'invalid_grant', 'CODE_REDIRECT_URI_MISMATCH');
    ok(s.token({ grant_type: 'authorization_code', code: s.code({ redirect_uri: withQuery }), redirect_uri: withQuery }));
  });

  it('checks PKCE S256: right verifier passes, wrong or missing fails', () => {
    const s = setup();
    const pkce = { code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' };
    ok(exchange(s, s.code(pkce), { code_verifier: VERIFIER }));
    refused(exchange(s, s.code(pkce), { code_verifier: VERIFIER.replace('d', 'e') }), 'invalid_grant', 'PKCE_VERIFIER_MISMATCH');
    refused(exchange(s, s.code(pkce)), 'invalid_grant', 'PKCE_VERIFIER_MISSING');
    refused(exchange(s, s.code(pkce), { code_verifier: 'short' }), 'invalid_grant', 'PKCE_VERIFIER_MALFORMED');
  });

  it('does not use up a code on a failed PKCE check', () => {
    const s = setup();
    const code = s.code({ code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' });
    refused(exchange(s, code, { code_verifier: VERIFIER.replace('d', 'e') }), 'invalid_grant', 'PKCE_VERIFIER_MISMATCH');
    ok(exchange(s, code, { code_verifier: VERIFIER }));
  });

  it('makes PKCE mandatory for a public client', () => {
    const s = setup({ app: { oauthClientType: 'PUBLIC' } });
    const form = (code: string, extra: Record<string, string> = {}) => s.token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'client-my_app', ...extra }, { authorization: null });
    refused(form(s.code()), 'invalid_grant', 'PKCE_REQUIRED_FOR_PUBLIC_CLIENT');
    ok(form(s.code({ code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256' }), { code_verifier: VERIFIER }));
  });

  it('refuses the exchange when the user was disabled after consent', () => {
    const s = setup();
    const code = s.code();
    s.alice.disabled = true;
    refused(exchange(s, code), 'invalid_grant', 'GRANT_USER_DISABLED');
  });

  it('accepts body credentials (snowflake-sdk: client_secret_post)', () => {
    const s = setup();
    const r = s.token({ grant_type: 'authorization_code', code: s.code(), redirect_uri: REDIRECT, client_id: 'client-my_app', client_secret: 'secret-my_app' }, { authorization: null });
    expect(ok(r).explanation).toContain('client_secret_post');
  });
});

// ---- refresh_token ----

describe('grant_type=refresh_token (https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)', () => {
  function withRefresh(options: Parameters<typeof setup>[0] = {}, extra: Record<string, string> = {}) {
    const s = setup(options);
    const first = ok(exchange(s, s.code({ scope: 'refresh_token session:role:ANALYST' }), extra));
    return { s, first, refreshToken: first.body.refresh_token! };
  }

  it('answers a new access token without username and, by default, without refresh_token', () => {
    const { s, refreshToken } = withRefresh();
    s.now = T0 + HOUR;
    const r = ok(refresh(s, refreshToken));
    expect(Object.keys(r.body)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(s.tokens.get(r.body.access_token)).toMatchObject({ user: 'ALICE', role: 'ANALYST', expiresAt: T0 + HOUR + 600_000 });
    ok(refresh(s, refreshToken)); // not single-use: reusable
  });

  it('rotates single-use refresh tokens asked for with enable_single_use_refresh_tokens=true', () => {
    const { s, refreshToken } = withRefresh({}, { enable_single_use_refresh_tokens: 'true' });
    const r = ok(refresh(s, refreshToken));
    expect(Object.keys(r.body)).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(r.body.refresh_token).not.toBe(refreshToken);
    expect(s.server.refresh(refreshToken)?.used).toBe(true);
    ok(refresh(s, r.body.refresh_token!));
  });

  it('rotates when the integration requires single-use refresh tokens, with full validity', () => {
    const { s, refreshToken } = withRefresh({ app: { oauthSingleUseRefreshTokensRequired: true } });
    s.now = T0 + DAY;
    const r = ok(refresh(s, refreshToken));
    expect(s.server.refresh(r.body.refresh_token!)?.expiresAt).toBe(T0 + DAY + 7_776_000_000);
  });

  it('on reuse of a used single-use token revokes the whole chain, access tokens included', () => {
    const { s, first, refreshToken } = withRefresh({}, { enable_single_use_refresh_tokens: 'true' });
    const second = ok(refresh(s, refreshToken));
    expect(s.tokens.get(first.body.access_token)).toBeDefined();
    const explanation = refused(refresh(s, refreshToken), 'invalid_grant', 'REFRESH_TOKEN_REUSED_CHAIN_REVOKED');
    expect(explanation).toContain('2 live access token(s)');
    expect(s.tokens.get(first.body.access_token)).toBeUndefined();
    expect(s.tokens.get(second.body.access_token)).toBeUndefined();
    refused(refresh(s, second.body.refresh_token!), 'invalid_grant', 'REFRESH_TOKEN_REVOKED');
  });

  it('refuses a refresh token after its user was disabled', () => {
    const { s, refreshToken } = withRefresh();
    s.alice.disabled = true;
    refused(refresh(s, refreshToken), 'invalid_grant', 'GRANT_USER_DISABLED');
  });

  it('refuses an expired, unknown or missing refresh token', () => {
    const { s, refreshToken } = withRefresh({ app: { oauthRefreshTokenValidity: 86_400 } });
    s.now = T0 + DAY;
    refused(refresh(s, refreshToken), 'invalid_grant', 'REFRESH_TOKEN_EXPIRED');
    refused(refresh(s, 'ver:2-hint:nope'), 'invalid_grant', 'REFRESH_TOKEN_UNKNOWN');
    refused(s.token({ grant_type: 'refresh_token' }), 'invalid_request', 'TOKEN_REFRESH_TOKEN_MISSING');
  });

  it('refuses a refresh token of another client', () => {
    const { s, refreshToken } = withRefresh({ others: [makeOAuthIntegration({ name: 'OTHER' })] });
    refused(s.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basic('client-other', 'secret-other') }), 'invalid_grant', 'REFRESH_TOKEN_CLIENT_MISMATCH');
  });

  it('refuses refresh tokens once consent is revoked, or OAUTH_ISSUE_REFRESH_TOKENS is set FALSE', () => {
    const a = withRefresh();
    expect(a.s.server.revokeConsent(a.s.account.name, 'ALICE', 'MY_APP')).toBe(1);
    refused(refresh(a.s, a.refreshToken), 'invalid_grant', 'REFRESH_TOKEN_REVOKED');
    const b = withRefresh();
    b.s.setIntegration('MY_APP', { oauthIssueRefreshTokens: false });
    refused(refresh(b.s, b.refreshToken), 'invalid_grant', 'REFRESH_TOKENS_DISABLED');
  });

  it('refuses a refresh when the role was blocked since consent', () => {
    const { s, refreshToken } = withRefresh();
    s.setIntegration('MY_APP', { blockedRolesList: ['ANALYST'] });
    refused(refresh(s, refreshToken), 'invalid_grant', 'GRANT_ROLE_BLOCKED');
  });
});

// ---- client_credentials (inferred, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts) ----

describe('grant_type=client_credentials (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts, inferred)', () => {
  const svc = () => makeUser({ name: 'SVC', type: 'SERVICE', roles: ['LOADER', 'ANALYST'], defaultRole: 'LOADER' });
  const cc = (s: Setup, scope?: string) => s.token({ grant_type: 'client_credentials', client_id: 'client-my_app', client_secret: 'secret-my_app', ...(scope !== undefined && { scope }) }, { authorization: null });

  it('is unsupported_grant_type unless mock_auto_consent names a user', () => {
    refused(cc(setup()), 'unsupported_grant_type', 'CLIENT_CREDENTIALS_NOT_ENABLED');
    refused(cc(setup({ app: { mockAutoConsent: 'login_hint' } })), 'unsupported_grant_type', 'CLIENT_CREDENTIALS_NOT_ENABLED');
  });

  it('issues a token for the auto-consent user in the scope role, else the default role; no username, no refresh token', () => {
    const s = setup({ app: { mockAutoConsent: 'SVC' }, users: [svc()] });
    const r = ok(cc(s, 'session:role:ANALYST refresh_token'));
    expect(Object.keys(r.body)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(r).toMatchObject({ user: 'SVC', role: 'ANALYST' });
    expect(ok(cc(s)).role).toBe('LOADER');
  });

  it('refuses a role the user does not have or that is blocked', () => {
    const s = setup({ app: { mockAutoConsent: 'SVC' }, users: [svc()] });
    refused(cc(s, 'session:role:SYSADMIN'), 'invalid_grant', 'CLIENT_CREDENTIALS_ROLE_REFUSED');
    refused(cc(s, 'bogus'), 'invalid_request', 'TOKEN_SCOPE_MALFORMED');
  });

  it('refuses a disabled auto-consent user', () => {
    const s = setup({ app: { mockAutoConsent: 'SVC' }, users: [svc()] });
    s.account.users.get('SVC')!.disabled = true;
    refused(cc(s), 'invalid_grant', 'GRANT_USER_DISABLED');
  });
});

// ---- network policy (https://docs.snowflake.com/en/user-guide/network-policies) ----

describe('token traffic and the integration network policy (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  const policies = [{ name: 'APP_NET', allowedIpList: ['10.0.0.0/8'] }, { name: 'HOME', allowedIpList: ['192.168.0.0/16'] }];

  it('refuses a token request from outside the integration policy with 390422, leaving the code usable', () => {
    const s = setup({ app: { networkPolicy: 'APP_NET' }, policies });
    const code = s.code();
    s.clientIp = '192.168.1.5';
    const explanation = refused(exchange(s, code), '390422', 'NETWORK_POLICY_BLOCKED');
    expect(explanation).toContain('integration MY_APP');
    s.clientIp = '10.1.2.3';
    ok(exchange(s, code));
  });

  it('judges with the user and the precedence switch (seed: user > integration; current-docs: integration only)', () => {
    const home = makeUser({ name: 'HOMER', roles: ['ANALYST'], networkPolicy: 'HOME' });
    const seed = setup({ app: { networkPolicy: 'APP_NET' }, policies, users: [home] });
    seed.clientIp = '192.168.1.5';
    ok(exchange(seed, seed.code({}, home)));
    const docs = setup({ app: { networkPolicy: 'APP_NET' }, policies, users: [home], switches: { networkPolicyPrecedence: 'current-docs' } });
    docs.clientIp = '192.168.1.5';
    refused(exchange(docs, docs.code({}, home)), '390422', 'NETWORK_POLICY_BLOCKED');
  });
});
