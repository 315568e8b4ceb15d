/**
 * Outbound OAuth and Native App configuration over real fetch (msw), with the mock's own external
 * OAuth provider (issue #6; decisions/0007, 0008): the seed 002 consumer flow in a driver session
 * (START → consent at the provider → the redirect page → FINISH → 'configured'), the SQL API's
 * one-statement sessions, refresh on the mock clock, revocation and re-authentication, and the
 * world API (setup scripts, the seed's integration object, app code's tokens).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyWorldChange } from '../../api/world-change.ts';
import { OutboundError } from '../../api/world-outbound.ts';
import { APIAuthenticationSecurityIntegration } from '../../api/world-builders.ts';
import { ACCOUNT_HOST } from '../helpers/http-world.ts';
import { call, useMock } from '../helpers/msw.ts';

const WORLD = fileURLToPath(new URL('../../scenarios/native-app/worlds/native-app.yaml', import.meta.url));
const mock = useMock({ world: WORLD });
const SECRET = 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET';
const START = `SELECT SYSTEM$START_OAUTH_FLOW('example_app.app_schema.oauth_secret')`;
const finish = (qs: string): string => `SELECT SYSTEM$FINISH_OAUTH_FLOW('${qs}')`;
const APPROVE = 'ALTER APPLICATION example_app APPROVE SPECIFICATION oauth_spec SEQUENCE_NUMBER = 1';
const CONFIGURE = "ALTER APPLICATION example_app SET CONFIGURATION oauth_config VALUE = 'configured'";

async function post(path: string, body: unknown, token?: string): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Snowflake Token="${token}"`;
  const res = await fetch(`${ACCOUNT_HOST}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

/** A driver session of a user (login-request with the password). */
async function login(loginName: 'alice' | 'admin' | 'bob'): Promise<string> {
  const reply = await post('/session/v1/login-request', { data: { LOGIN_NAME: loginName, PASSWORD: `${loginName}-password`, CLIENT_APP_ID: 'JavaScript' } });
  expect(reply.success, JSON.stringify(reply)).toBe(true);
  return reply.data.token;
}

/** Runs SQL in a driver session: the first cell, or the GS failure. */
async function sql(token: string, sqlText: string): Promise<{ ok: true; value: string } | { ok: false; code: string; message: string }> {
  const reply = await post('/queries/v1/query-request?requestId=r1', { sqlText }, token);
  return reply.success ? { ok: true, value: reply.data.rowset[0]?.[0] } : { ok: false, code: reply.code, message: reply.message };
}

const value = async (token: string, sqlText: string): Promise<string> => {
  const r = await sql(token, sqlText);
  if (!r.ok) throw new Error(`${sqlText}: ${r.code} ${r.message}`);
  return r.value;
};

/** The consumer at the provider: the consent page, then Allow (or Deny) as `alice`; returns the redirect Location. */
async function consent(authorizationUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await fetch(authorizationUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/Allow .*example-app-client/);
  const url = new URL(authorizationUrl);
  const form = new URLSearchParams([...url.searchParams, ['username', 'alice'], ['decision', decision]]);
  const answer = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  expect(answer.status).toBe(302);
  return answer.headers.get('location')!;
}

/** ADMIN approves; ALICE starts, consents and finishes in one session; returns ALICE's session token. */
async function authorize(): Promise<string> {
  await value(await login('admin'), APPROVE);
  const alice = await login('alice');
  const location = await consent(await value(alice, START));
  expect(await value(alice, finish(new URL(location).search.slice(1)))).toBe('OAuth flow completed successfully.');
  return alice;
}

describe('the seed 002 consumer flow in a driver session, against the mock provider', () => {
  it('approve → SHOW CONFIGURATIONS → START → consent → redirect page → FINISH → configured → callbacks → app token', async () => {
    const admin = await login('admin');
    const alice = await login('alice');
    expect(await sql(alice, START)).toMatchObject({ ok: false, code: '394616', message: 'Applications can not use security integration without a corresponding approved application specification.' });
    await value(admin, APPROVE);
    const shown = await post('/queries/v1/query-request', { sqlText: 'SHOW CONFIGURATIONS IN APPLICATION example_app' }, alice);
    const additional = shown.data.rowtype.findIndex((c: { name: string }) => c.name === 'additionalProperties');
    expect(JSON.parse(shown.data.rowset[0][additional])).toEqual({ secret: SECRET });

    const authorizationUrl = await value(alice, START);
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe('https://provider.example.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: 'example-app-client', redirect_uri: `${ACCOUNT_HOST}/oauth/complete-secret` });
    const location = await consent(authorizationUrl);
    expect(location).toMatch(new RegExp(`^${ACCOUNT_HOST}/oauth/complete-secret\\?code=.+&state=${url.searchParams.get('state')}$`));

    const page = await fetch(location);
    expect(page.status).toBe(200);
    const html = await page.text();
    const query = new URL(location).search.slice(1);
    expect(html).toMatch(/<pre id="finish-statement">SELECT SYSTEM\$FINISH_OAUTH_FLOW\(/);
    expect(html).toContain(query.replace(/&/g, '&#38;'));

    expect(await value(alice, finish(query))).toBe('OAuth flow completed successfully.');
    expect(mock.world.secret(SECRET).oauthRefreshToken).toBeDefined();
    expect(await value(alice, CONFIGURE)).toBe('Statement executed successfully.');
    expect(mock.journal.entries().filter((e) => e.method === 'CALLBACK').map((e) => e.path)).toEqual(['before_configuration_change', 'after_configuration_change']);
    const token = mock.world.oauthAccessToken(SECRET);
    expect(token).toBe(mock.world.secret(SECRET).accessToken);
    expect(mock.journal.last()).toMatchObject({ method: 'APP', path: 'oauth_access_token', decision: 'allowed' });
  });

  it('FINISH in another driver session is 394611 in the GS envelope; the flow still finishes in its own', async () => {
    await value(await login('admin'), APPROVE);
    const alice = await login('alice');
    const other = await login('alice');
    const query = new URL(await consent(await value(alice, START))).search.slice(1);
    expect(await sql(other, finish(query))).toMatchObject({ ok: false, code: '394611' });
    expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: '394611', user: 'ALICE' });
    expect(await value(alice, finish(query))).toBe('OAuth flow completed successfully.');
  });

  it('the SQL API has no sessions: START answers the URL there but keeps no flow, FINISH never follows (422 394610)', async () => {
    await value(await login('admin'), APPROVE);
    const pat = { token: 'pat-alice-native', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' };
    const started = await call(START, pat);
    expect(started.status).toBe(200);
    const query = new URL(await consent(started.body.data[0][0])).search.slice(1);
    const finished = await call(finish(query), pat);
    expect(finished.status).toBe(422);
    expect(finished.body).toMatchObject({ code: '394610', sqlState: '55000' });
  });

  it('Deny at the provider: the redirect carries error=access_denied and FINISH answers 394613', async () => {
    await value(await login('admin'), APPROVE);
    const alice = await login('alice');
    const location = await consent(await value(alice, START), 'deny');
    expect(await sql(alice, finish(new URL(location).search.slice(1)))).toMatchObject({ ok: false, code: '394613', message: expect.stringContaining('access_denied') });
    expect(mock.journal.last()).toMatchObject({ code: '394613', cause: 'OAUTH_FLOW_CONSENT_DENIED' });
  });
});

describe('token expiry on the mock clock: refresh, revocation, re-authentication', () => {
  it('an expired access token is refreshed with the stored refresh token; a revoked one fails until START/FINISH again', async () => {
    const alice = await authorize();
    const first = mock.world.oauthAccessToken(SECRET);
    mock.clock.advance('2h');
    const second = mock.world.oauthAccessToken(SECRET);
    expect(second).not.toBe(first);
    expect(mock.world.secret(SECRET).accessTokenExpiresAt).toBeGreaterThan(mock.clock.now());
    mock.provider.revokeRefreshTokens('OAUTH_INTEGRATION');
    mock.clock.advance('2h');
    let error: unknown;
    try {
      mock.world.oauthAccessToken(SECRET);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutboundError);
    expect(error).toMatchObject({ code: '394618', reason: 'SECRET_REFRESH_TOKEN_REVOKED' });
    expect(mock.journal.last()).toMatchObject({ method: 'APP', decision: 'rejected', code: '394618', cause: 'SECRET_REFRESH_TOKEN_REVOKED' });
    const again = await login('alice'); // the first session expired meanwhile (1 h session tokens)
    expect(alice).not.toBe(again);
    const query = new URL(await consent(await value(again, START))).search.slice(1);
    expect(await value(again, finish(query))).toBe('OAuth flow completed successfully.');
    expect(mock.world.oauthAccessToken(SECRET)).toBe(mock.world.secret(SECRET).accessToken);
  });

  it("refresh tokens the provider expired (mock.provider.expireRefreshTokens) fail as SECRET_REFRESH_TOKEN_EXPIRED, the provider's cause", async () => {
    await authorize();
    mock.provider.expireRefreshTokens();
    mock.clock.advance('2h');
    expect(() => mock.world.oauthAccessToken(SECRET)).toThrow(OutboundError);
    expect(mock.journal.last()).toMatchObject({ method: 'APP', decision: 'rejected', code: '394618', cause: 'SECRET_REFRESH_TOKEN_EXPIRED' });
  });

  it('a disabled integration makes the secret unusable (394615) until it is enabled again', async () => {
    await authorize();
    mock.world.setIntegrationEnabled('OAUTH_INTEGRATION', false);
    expect(() => mock.world.oauthAccessToken(SECRET)).toThrow(/^394615: SQL execution error: Security integration 'OAUTH_INTEGRATION' is disabled\./);
    mock.world.setIntegrationEnabled('OAUTH_INTEGRATION', true);
    expect(mock.world.oauthAccessToken(SECRET)).toBeTypeOf('string');
  });
});

describe('the world API and world changes of issue #6', () => {
  it('addSecurityIntegration takes the seed object; a client-credentials secret on it gets its token from the provider', async () => {
    mock.world.addSecurityIntegration(new APIAuthenticationSecurityIntegration({
      name: 'some_api_authentication_security_integration', oauth_token_endpoint: 'https://api.example.org/oauth/token', oauth_client_auth_method: 'CLIENT_SECRET_POST',
      oauth_client_id: 'your_client_id', oauth_client_secret: 'your_client_secret', oauth_grant: 'client_credentials', oauth_access_token_validity: 3600, oauth_allowed_scopes: ['read', 'write'],
    }));
    const admin = await login('admin');
    expect(await value(admin, "CREATE SECRET my_db.public.seed_secret TYPE = OAUTH2 API_AUTHENTICATION = some_api_authentication_security_integration OAUTH_SCOPES = ('read')")).toBe('Secret SEED_SECRET successfully created.');
    const token = mock.world.oauthAccessToken('my_db.public.seed_secret');
    expect(token).toBe(mock.world.secret('MY_DB.PUBLIC.SEED_SECRET').accessToken);
    expect(() => mock.world.addSecurityIntegration({ name: 'bad', type: 'api_authentication', oauth_token_endpoint: 'ftp://x' })).toThrow(/oauth_token_endpoint/);
  });

  it('runSetupScript runs an upgrade in the app context; run_setup_script and approve_specification do the same as world changes', async () => {
    const reports = mock.world.runSetupScript('example_app', "ALTER APPLICATION SET SPECIFICATION oauth_spec TYPE = SECURITY_INTEGRATION LABEL = 'v2' DESCRIPTION = 'v2' OAUTH_TYPE = 'AUTHORIZATION_CODE' OAUTH_TOKEN_ENDPOINT = 'https://provider.example.com/oauth2/token';\nCALL app_schema.setup();");
    expect(reports.map((r) => r.outcome)).toEqual(['ran', 'skipped']);
    expect(mock.world.application('EXAMPLE_APP').specifications.get('OAUTH_SPEC')).toMatchObject({ sequenceNumber: 2, status: 'PENDING' });
    applyWorldChange(mock.world, { approve_specification: { application: 'EXAMPLE_APP', specification: 'OAUTH_SPEC' } });
    expect(mock.world.application('EXAMPLE_APP').specifications.get('OAUTH_SPEC')!.status).toBe('APPROVED');
    applyWorldChange(mock.world, { run_setup_script: { application: 'EXAMPLE_APP', sql: 'CREATE APPLICATION ROLE IF NOT EXISTS app_admin;' } });
    expect([...mock.world.application('EXAMPLE_APP').applicationRoles]).toEqual(['APP_USER', 'APP_ADMIN']);
    expect(() => mock.world.runSetupScript('EXAMPLE_APP', 'CREATE SCHEMA s;\nCREATE SECRET s.x TYPE = OAUTH2 API_AUTHENTICATION = nowhere;')).toThrow(/setup script of EXAMPLE_APP failed at line 2 .*002003/);
  });
});
