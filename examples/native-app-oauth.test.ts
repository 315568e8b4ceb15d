/**
 * Example: a Native App's consumer OAuth flow (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization), in-process — the setup script, the
 * consumer's SQL in a driver session, consent at the mock provider (two fetches stand in for the
 * browser), app code's token, refresh on the mock clock, and re-authentication after revocation.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createSnowflakeMock, OutboundError, type WorldConfig } from 'snowflake-auth-mock';

const SETUP = `
CREATE SCHEMA IF NOT EXISTS app_schema;
CREATE APPLICATION ROLE IF NOT EXISTS app_user;
CREATE SECURITY INTEGRATION oauth_integration TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2
  OAUTH_CLIENT_AUTH_METHOD = CLIENT_SECRET_POST OAUTH_CLIENT_ID = 'example-app-client' OAUTH_CLIENT_SECRET = 'shh'
  OAUTH_GRANT = 'AUTHORIZATION_CODE' OAUTH_TOKEN_ENDPOINT = 'https://provider.example.com/oauth2/token'
  OAUTH_AUTHORIZATION_ENDPOINT = 'https://provider.example.com/oauth2/authorize' ENABLED = TRUE;
CREATE SECRET app_schema.oauth_secret TYPE = oauth2 API_AUTHENTICATION = oauth_integration;
ALTER APPLICATION SET SPECIFICATION oauth_spec TYPE = SECURITY_INTEGRATION LABEL = 'OAuth connection'
  DESCRIPTION = 'Authorization Code grant' OAUTH_TYPE = 'AUTHORIZATION_CODE'
  OAUTH_TOKEN_ENDPOINT = 'https://provider.example.com/oauth2/token' OAUTH_AUTHORIZATION_ENDPOINT = 'https://provider.example.com/oauth2/authorize';
GRANT USAGE ON INTEGRATION oauth_integration TO APPLICATION ROLE app_user;
GRANT MODIFY ON SECRET app_schema.oauth_secret TO APPLICATION ROLE app_user;
ALTER APPLICATION SET CONFIGURATION DEFINITION oauth_config TYPE = SECRET_AUTHORIZATION
  SECRET = app_schema.oauth_secret LABEL = 'Authenticate' DESCRIPTION = 'Connect the app' APPLICATION_ROLES = (app_user);
`;
const world: WorldConfig = {
  roles: ['ANALYST'],
  users: [
    { name: 'ADMIN', login_name: 'admin', password: 'admin-password', default_role: 'ACCOUNTADMIN', roles: ['ACCOUNTADMIN'] },
    { name: 'ALICE', login_name: 'alice', password: 'alice-password', default_role: 'ANALYST', roles: ['ANALYST'] },
  ],
  applications: [{ name: 'EXAMPLE_APP', setup_script: SETUP }],
};

const mock = createSnowflakeMock({ world, seed: 1, clockStart: '2026-03-01T12:00:00Z' });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const ACCOUNT = 'https://myorg-myaccount.snowflakecomputing.com';
const SECRET = 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET';

/** A driver session (what snowflake-sdk does on connect) and one statement in it. */
async function login(user: 'admin' | 'alice'): Promise<string> {
  const res = await fetch(`${ACCOUNT}/session/v1/login-request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { LOGIN_NAME: user, PASSWORD: `${user}-password` } }) });
  return ((await res.json()) as { data: { token: string } }).data.token;
}
async function run(session: string, sqlText: string): Promise<string> {
  const res = await fetch(`${ACCOUNT}/queries/v1/query-request`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${session}"` }, body: JSON.stringify({ sqlText }) });
  const body = (await res.json()) as { success: boolean; data: { rowset: string[][] }; code: string; message: string };
  if (!body.success) throw new Error(`${body.code}: ${body.message}`);
  return body.data.rowset[0]![0]!;
}

/** The consumer's browser at the provider: the consent page, then Allow; the query string for FINISH. */
async function consent(authorizationUrl: string): Promise<string> {
  const url = new URL(authorizationUrl);
  expect((await fetch(url)).status).toBe(200);
  const form = new URLSearchParams([...url.searchParams, ['username', 'alice'], ['decision', 'allow']]);
  const answer = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  return new URL(answer.headers.get('location')!).search.slice(1);
}

async function authorize(alice: string): Promise<void> {
  const query = await consent(await run(alice, `SELECT SYSTEM$START_OAUTH_FLOW('${SECRET}')`));
  expect(await run(alice, `SELECT SYSTEM$FINISH_OAUTH_FLOW('${query}')`)).toBe('OAuth flow completed successfully.');
}

test('the consumer authorizes; app code gets a token that Snowflake refreshes; revocation needs a new consent', async () => {
  const admin = await login('admin');
  await run(admin, 'ALTER APPLICATION example_app APPROVE SPECIFICATION oauth_spec SEQUENCE_NUMBER = 1');
  await run(admin, 'GRANT APPLICATION ROLE example_app.app_user TO ROLE analyst');

  const alice = await login('alice');
  await authorize(alice);
  await run(alice, "ALTER APPLICATION example_app SET CONFIGURATION oauth_config VALUE = 'configured'");
  expect(mock.journal.filter((e) => e.method === 'CALLBACK').map((e) => e.path)).toEqual(['before_configuration_change', 'after_configuration_change']);

  const token = mock.world.oauthAccessToken(SECRET); // what the app's UDF gets
  const me = await fetch('https://provider.example.com/v1/me', { headers: { authorization: `Bearer ${token}` } });
  expect(await me.json()).toMatchObject({ sub: 'alice' });

  mock.clock.advance('61m'); // past the access token's hour: Snowflake refreshes it
  expect(mock.world.oauthAccessToken(SECRET)).not.toBe(token);

  mock.provider.revokeRefreshTokens('OAUTH_INTEGRATION');
  mock.clock.advance('61m');
  expect(() => mock.world.oauthAccessToken(SECRET)).toThrow(OutboundError);
  await authorize(await login('alice')); // the consumer re-authenticates (a new session: the old one's hour is up)
  expect(mock.world.oauthAccessToken(SECRET)).toEqual(expect.any(String));
});
