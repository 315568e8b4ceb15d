/**
 * External OAuth over real fetch (msw; issue #6, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external): an outside IdP's access token on
 * the SQL API and at login-request, every refusal 401 (or the login envelope) with 390303 and its
 * EXTERNAL_OAUTH_* cause in the journal; the mock IdP's token and JWKS endpoints; and the real
 * snowflake-sdk's OAUTH_CLIENT_CREDENTIALS flow against the mock IdP (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts).
 */
import { connectError, sdk, whoAmI, type ConnectionOptions } from '../helpers/snowflake-sdk.ts';
import { describe, expect, it } from 'vitest';
import { signExternalOAuthToken } from '../../domain/auth/external-oauth-sign.ts';
import type { ExternalOAuthIntegrationConfig } from '../../domain/world/config.ts';
import type { IssueTokenOptions } from '../../api/external-oauth.ts';
import { externalIdpJwksEndpoint, externalIdpTokenEndpoint, idpEndpointFor } from '../../http/endpoints/external-idp-token.ts';
import type { MockRequest } from '../../http/record.ts';
import { ACCOUNT_HOST, exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem, publicKeyPem } from '../helpers/keys.ts';
import { call, useMock } from '../helpers/msw.ts';
import { decodeProtectedHeader } from 'jose';

void sdk;
const ISSUER = 'https://idp.example.com/oauth2/default';
const TOKEN_URL = `${ISSUER}/v1/token`;
const IDP_HOST = 'idp.example.com';
const PARTNER = 'https://partner.example';
const MESSAGE = /^Invalid OAuth access token\. \[\d{13}\]$/;

/** The issue's example world plus OKTA_IDP (the mock is its IdP) and PARTNER_IDP (RSA key; tests sign). */
const world = exampleWorld((w) => {
  const account = w.accounts[0]!;
  account.roles!.push('REPORTER');
  account.users![0]!.email = 'alice@example.com';
  account.users![0]!.roles!.push('REPORTER');
  (account.security_integrations as ExternalOAuthIntegrationConfig[]).push(
    {
      name: 'OKTA_IDP', type: 'external_oauth', external_oauth_type: 'okta', external_oauth_issuer: ISSUER,
      external_oauth_token_user_mapping_claim: 'sub', external_oauth_snowflake_user_mapping_attribute: 'login_name',
      mock_idp: { clients: [{ client_id: 'etl', client_secret: 'etl-secret', subject: 'alice', scopes: ['session:role:ANALYST', 'session:role:REPORTER', 'session:role:SYSADMIN'] }] },
    },
    {
      name: 'PARTNER_IDP', type: 'external_oauth', external_oauth_type: 'custom', external_oauth_issuer: PARTNER,
      external_oauth_rsa_public_key: publicKeyPem('bob'), external_oauth_token_user_mapping_claim: 'email',
      external_oauth_snowflake_user_mapping_attribute: 'email_address', external_oauth_any_role_mode: 'enable',
    },
  );
});

// ALICE's own policy allows 10.0.0.0/8: External OAuth traffic is judged by it (https://docs.snowflake.com/en/user-guide/network-policies).
const mock = useMock({ world, clientIp: '10.0.0.5' });

const issue = (o: Partial<IssueTokenOptions> = {}) => mock.externalOAuth.issueToken('OKTA_IDP', { subject: 'alice', scopes: ['session:role:ANALYST'], ...o });
const partner = (claims: Record<string, unknown> = {}) => {
  const now = Math.floor(mock.clock.now() / 1000);
  return signExternalOAuthToken({ privateKey: privateKeyPem('bob'), claims: { iss: PARTNER, email: 'alice@example.com', aud: ACCOUNT_HOST, iat: now, exp: now + 600, ...claims } });
};
const whoSql = 'SELECT CURRENT_USER(), CURRENT_ROLE()';

describe('SQL API with an External OAuth token (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external, https://docs.snowflake.com/en/developer-guide/sql-api/reference)', () => {
  it('runs as the mapped user in the scope\'s role, with or without the OAUTH token-type header', async () => {
    for (const tokenType of ['OAUTH', undefined]) {
      const answer = await call(whoSql, { token: await issue(), ...(tokenType && { tokenType }) });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.data).toEqual([['ALICE', 'ANALYST']]);
      expect(mock.journal.last()).toMatchObject({ decision: 'allowed', authMethod: 'OAUTH', user: 'ALICE', role: 'ANALYST' });
      expect(mock.journal.last()!.explanation).toContain('External OAuth token of ALICE from OKTA_IDP');
    }
  });

  it('a token the tests sign for an RSA-key integration works too (any role mode: the default role)', async () => {
    const answer = await call(whoSql, { token: await partner() });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data).toEqual([['ALICE', 'ANALYST']]);
  });

  it("the SQL API body's role: any role mode lets the token pick a role its rules allow; otherwise the token's role is fixed", async () => {
    const pick = (token: string, role: string) => call(undefined, { token, body: JSON.stringify({ statement: 'SELECT CURRENT_ROLE()', role }) });
    const anyRole = await pick(await partner(), 'REPORTER');
    expect(anyRole.status, anyRole.text).toBe(200);
    expect(anyRole.body.data).toEqual([['REPORTER']]);
    const fixed = await pick(await issue(), 'REPORTER');
    expect(fixed.status).toBe(422);
    expect(fixed.body.code).toBe('390189');
  });

  const refusals: [string, () => Promise<string>, string, (() => void)?][] = [
    ['an expired token', () => issue({ expiresIn: -60 }), 'EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED'],
    ['a token not yet valid', () => issue({ notBefore: mock.clock.now() + 60_000 }), 'EXTERNAL_OAUTH_ACCESS_TOKEN_NOT_YET_VALID'],
    ['a token for another audience', () => issue({ audience: 'https://otherorg-other.snowflakecomputing.com' }), 'EXTERNAL_OAUTH_AUDIENCE_VALIDATION_FAILED'],
    ['a token without aud', () => issue({ claims: { aud: undefined } }), 'EXTERNAL_OAUTH_MISSING_AUDIENCE'],
    ['a token of an unknown issuer', () => issue({ claims: { iss: 'https://evil.example' } }), 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_FOUND'],
    ['a JWT without iss', () => issue({ claims: { iss: undefined } }), 'EXTERNAL_OAUTH_MISSING_ISSUER'],
    ['a token signed by another key', async () => (await partner()).replace(/\.[^.]+$/, `.${(await issue()).split('.')[2]}`), 'EXTERNAL_OAUTH_INVALID_SIGNATURE'],
    ['an unsigned token', () => signExternalOAuthToken({ privateKey: privateKeyPem('bob'), alg: 'none', claims: { iss: PARTNER } }), 'EXTERNAL_OAUTH_JWS_INVALID_TYPE'],
    ['a token without the user claim', () => partner({ email: undefined }), 'EXTERNAL_OAUTH_USER_CLAIM_MISSING'],
    ['a token of an unknown user', () => issue({ subject: 'mallory' }), 'EXTERNAL_OAUTH_USER_NOT_FOUND'],
    ['a token without a role scope', () => issue({ scopes: [] }), 'EXTERNAL_OAUTH_ROLE_SCOPE_INVALID'],
    ['a privileged role', () => issue({ scopes: ['session:role:ACCOUNTADMIN'] }), 'EXTERNAL_OAUTH_ROLE_BLOCKED'],
    ['a disabled integration', () => issue(), 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_ENABLED', () => mock.world.setIntegrationEnabled('OKTA_IDP', false)],
    ['a disabled user', () => issue(), 'EXTERNAL_OAUTH_USER_DISABLED', () => mock.world.disableUser('ALICE')],
  ];

  it.each(refusals)('%s is 401 390303, cause in the journal', async (_what, token, cause, change) => {
    const t = await token();
    change?.();
    const answer = await call(whoSql, { token: t, tokenType: 'OAUTH' });
    expect(answer.status, answer.text).toBe(401);
    expect(answer.body).toEqual({ code: '390303', message: expect.stringMatching(MESSAGE) });
    expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: '390303', cause });
  });

  it('the user\'s network policy governs the token; no integration policy applies', async () => {
    const token = await issue();
    const answer = await call(whoSql, { token, ip: '192.168.1.5' });
    expect(answer.status).toBe(403);
    expect(mock.journal.last()).toMatchObject({ code: '390422', cause: 'NETWORK_POLICY_BLOCKED' });
    expect(mock.journal.last()!.explanation).toContain("user ALICE's policy");
    // Said once: the outcome adds "rejected: ", the policy's own explanation does not.
    expect(mock.journal.last()!.explanation).toMatch(/^rejected: IP 192\.168\.1\.5 not in /);
  });
});

describe('login-request with AUTHENTICATOR OAUTH and an External OAuth token (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth.js)', () => {
  const login = async (token: string, query = '') => {
    const res = await fetch(`${ACCOUNT_HOST}/session/v1/login-request${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ data: { CLIENT_APP_ID: 'JavaScript', AUTHENTICATOR: 'OAUTH', TOKEN: token } }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('opens a session as the mapped user; the session runs SQL in the token\'s role', async () => {
    const reply = await login(await issue({ scopes: ['session:role:REPORTER'] }), '?roleName=REPORTER');
    expect(reply.body.success, JSON.stringify(reply.body)).toBe(true);
    expect(reply.body.data.sessionInfo).toMatchObject({ roleName: 'REPORTER' });
    const res = await fetch(`${ACCOUNT_HOST}/queries/v1/query-request?requestId=r&request_guid=g`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Snowflake Token="${reply.body.data.token}"` },
      body: JSON.stringify({ sqlText: whoSql }),
    });
    expect(((await res.json()) as any).data.rowset).toEqual([['ALICE', 'REPORTER']]);
  });

  it('a refused token is the login envelope with 390303 (also when expired)', async () => {
    for (const [token, cause] of [[await issue({ expiresIn: -1 }), 'EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED'], [await issue({ subject: 'nobody' }), 'EXTERNAL_OAUTH_USER_NOT_FOUND']] as const) {
      const reply = await login(token);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ success: false, code: '390303', message: expect.stringMatching(MESSAGE) });
      expect(mock.journal.last()).toMatchObject({ code: '390303', cause });
    }
  });

  it('roleName must be the token\'s role, unless any role mode lets the login pick', async () => {
    expect((await login(await issue(), '?roleName=SYSADMIN')).body).toMatchObject({ success: false, code: '390189' });
    const picked = await login(await partner(), '?roleName=SYSADMIN');
    expect(picked.body.data?.sessionInfo, JSON.stringify(picked.body)).toMatchObject({ roleName: 'SYSADMIN' });
    expect((await login(await partner(), '?roleName=ACCOUNTADMIN')).body).toMatchObject({ success: false, code: '390189' });
  });
});

describe('the mock IdP\'s endpoints (RFC 6749 §4.4; decisions/0009)', () => {
  const request = (o: Partial<MockRequest>): MockRequest => ({ method: 'POST', host: IDP_HOST, path: '/oauth2/default/v1/token', query: '', headers: {}, body: '', clientIp: '127.0.0.1', ...o });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const ctx = () => ({ world: mock.core.world, now: mock.clock.now() });

  it('idpEndpointFor finds the token endpoint and the JWKS URL, nothing on account hosts', async () => {
    expect(idpEndpointFor(mock.core.world, IDP_HOST, '/oauth2/default/v1/token')).toMatchObject({ kind: 'token' });
    expect(idpEndpointFor(mock.core.world, IDP_HOST, '/oauth2/default/v1/keys')).toMatchObject({ kind: 'jwks' });
    expect(idpEndpointFor(mock.core.world, 'myorg-myaccount.snowflakecomputing.com', '/oauth2/default/v1/token')).toBeUndefined();
    expect(idpEndpointFor(mock.core.world, IDP_HOST, '/other')).toBeUndefined();
  });

  it('client_secret_post: 200 with a token that works on the SQL API', async () => {
    const outcome = await externalIdpTokenEndpoint(request({ headers: form, body: 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret&scope=session%3Arole%3AREPORTER' }), ctx());
    expect(outcome.response.status).toBe(200);
    expect(outcome.response.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    const body = JSON.parse(outcome.response.body);
    expect(body).toEqual({ access_token: expect.stringMatching(/^eyJ/), token_type: 'Bearer', expires_in: 3600, scope: 'session:role:REPORTER' });
    expect((await call(whoSql, { token: body.access_token })).body.data).toEqual([['ALICE', 'REPORTER']]);
  });

  it('Basic: a wrong secret is 401 invalid_client with WWW-Authenticate; errors are RFC 6749 JSON', async () => {
    const basic = (secret: string) => `Basic ${Buffer.from(`etl:${secret}`).toString('base64')}`;
    expect((await externalIdpTokenEndpoint(request({ headers: { ...form, authorization: basic('etl-secret') }, body: 'grant_type=client_credentials' }), ctx())).response.status).toBe(200);
    const wrong = await externalIdpTokenEndpoint(request({ headers: { ...form, authorization: basic('nope') }, body: 'grant_type=client_credentials' }), ctx());
    expect(wrong.response.status).toBe(401);
    expect(wrong.response.headers['www-authenticate']).toMatch(/^Basic/);
    expect(JSON.parse(wrong.response.body)).toEqual({ error: 'invalid_client', error_description: expect.stringContaining('wrong client_secret') });
    expect(wrong).toMatchObject({ decision: 'rejected', code: 'invalid_client' });
    const grant = await externalIdpTokenEndpoint(request({ headers: form, body: 'grant_type=authorization_code&client_id=etl&client_secret=etl-secret' }), ctx());
    expect([grant.response.status, JSON.parse(grant.response.body).error]).toEqual([400, 'unsupported_grant_type']);
    expect((await externalIdpTokenEndpoint(request({ method: 'GET' }), ctx())).response.status).toBe(405);
    expect((await externalIdpTokenEndpoint(request({ path: '/nope' }), ctx())).response.status).toBe(404);
  });

  it('the JWKS URL serves the IdP\'s public key, whose kid the tokens carry', async () => {
    const outcome = await externalIdpJwksEndpoint(request({ method: 'GET', path: '/oauth2/default/v1/keys' }), ctx());
    const jwks = JSON.parse(outcome.response.body);
    const kid = decodeProtectedHeader(await issue()).kid;
    expect(jwks).toEqual({ keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: expect.any(String), e: 'AQAB' }] });
    expect(await mock.externalOAuth.jwks('OKTA_IDP')).toEqual(jwks);
  });
});

describe('snowflake-sdk OAUTH_CLIENT_CREDENTIALS against the mock IdP (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts)', () => {
  const options = (extra: Record<string, unknown>) => ({
    accessUrl: ACCOUNT_HOST, account: 'MYORG-MYACCOUNT', sfRetryMaxLoginRetries: 0, retryTimeout: 0,
    authenticator: 'OAUTH_CLIENT_CREDENTIALS', oauthClientId: 'etl', oauthClientSecret: 'etl-secret', oauthTokenRequestUrl: TOKEN_URL, ...extra,
  }) as unknown as ConnectionOptions;

  it('gets a token from the IdP (client_secret_post) and logs in with it', async () => {
    expect(await whoAmI(options({ role: 'SYSADMIN' }))).toEqual({ user: 'ALICE', role: 'SYSADMIN' });
    const idp = mock.journal.filter((e) => e.path === '/oauth2/default/v1/token');
    expect(idp.at(-1)).toMatchObject({ decision: 'allowed' });
    expect(mock.journal.filter((e) => e.path === '/session/v1/login-request').at(-1)).toMatchObject({ decision: 'allowed', user: 'ALICE', role: 'SYSADMIN' });
  });

  it('a wrong secret fails at the IdP; a disabled integration fails the login with 390303', async () => {
    expect((await connectError(options({ oauthClientSecret: 'wrong', role: 'ANALYST' }))).message).toMatch(/401|invalid_client/);
    mock.world.setIntegrationEnabled('OKTA_IDP', false);
    expect((await connectError(options({ role: 'ANALYST' }))).code).toBe('390303');
  });
});
