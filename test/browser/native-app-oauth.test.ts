/**
 * Seed 002 ("Request OAuth authorization from consumers") end to end, in order, against `serve`:
 * the provider's setup SQL (steps 1–5), the consumer approving the specification and granting the
 * application role, SHOW CONFIGURATIONS naming the secret, SYSTEM$START_OAUTH_FLOW in a real
 * snowflake-sdk session, consent at the mock provider in real Chromium, SYSTEM$FINISH_OAUTH_FLOW in
 * the same session, VALUE = 'configured' with its callbacks, app code obtaining a usable access
 * token, refresh after the clock passes its expiry, and re-authentication after the provider
 * revokes the refresh token. Loopback only: Chromium's requests to https://provider.example.com and
 * the account host are answered by `serve` (playwright routes them), nothing leaves the machine.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseOptions, connect, destroy, query, sdk } from '../helpers/snowflake-sdk.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import { createWorldApi } from '../../api/world.ts';

void sdk;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The consumer account: an admin who approves, and ALICE whose role will hold the application role. */
const WORLD: WorldConfig = {
  roles: ['ANALYST'],
  network_policy: 'OPEN',
  network_policies: [{ name: 'OPEN', allowed_ip_list: ['0.0.0.0/0', '::/0'] }],
  users: [
    { name: 'ADMIN', login_name: 'admin', password: 'admin-password', default_role: 'ACCOUNTADMIN', roles: ['ACCOUNTADMIN'] },
    { name: 'ALICE', login_name: 'alice', password: 'alice-password', default_role: 'ANALYST', roles: ['ANALYST'] },
  ],
  applications: [{ name: 'EXAMPLE_APP' }],
};

/** The provider's setup script: seed 002 steps 1–5 as written (client id and secret filled in). */
const SETUP_SCRIPT = `
CREATE SCHEMA IF NOT EXISTS app_schema;
CREATE APPLICATION ROLE IF NOT EXISTS app_user;

CREATE SECURITY INTEGRATION oauth_integration
TYPE = API_AUTHENTICATION
AUTH_TYPE = OAUTH2
OAUTH_CLIENT_AUTH_METHOD = CLIENT_SECRET_POST
OAUTH_CLIENT_ID = 'example-app-client'
OAUTH_CLIENT_SECRET = 'example-app-client-secret'
OAUTH_GRANT = 'AUTHORIZATION_CODE'
OAUTH_TOKEN_ENDPOINT = 'https://provider.example.com/oauth2/token'
OAUTH_AUTHORIZATION_ENDPOINT = 'https://provider.example.com/oauth2/authorize'
ENABLED = TRUE;

CREATE SECRET app_schema.oauth_secret
TYPE = oauth2
API_AUTHENTICATION = oauth_integration;

ALTER APPLICATION SET SPECIFICATION oauth_spec
TYPE = SECURITY_INTEGRATION
LABEL = 'OAuth connection to external provider'
DESCRIPTION = 'Connects to external provider using Authorization Code grant'
OAUTH_TYPE = 'AUTHORIZATION_CODE'
OAUTH_TOKEN_ENDPOINT = 'https://provider.example.com/oauth2/token'
OAUTH_AUTHORIZATION_ENDPOINT = 'https://provider.example.com/oauth2/authorize';

GRANT USAGE ON INTEGRATION oauth_integration TO APPLICATION ROLE app_user;
GRANT MODIFY ON SECRET app_schema.oauth_secret TO APPLICATION ROLE app_user;

ALTER APPLICATION SET CONFIGURATION DEFINITION oauth_config
TYPE = SECRET_AUTHORIZATION
SECRET = app_schema.oauth_secret
LABEL = 'Authenticate with external provider'
DESCRIPTION = 'Complete the OAuth flow to connect the app to the external provider'
APPLICATION_ROLES = (app_user);
`;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium package (or set CHROMIUM_PATH)`);
  server = await startServer({ world: WORLD, port: 0, control: true, seed: 11 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The mock's control API (it is `serve`'s own; the test drives it like a CI job would). */
async function control(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${server.url}/__mock/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json();
  expect(res.status, JSON.stringify(answer)).toBe(200);
  return answer;
}

/**
 * Chromium cannot resolve provider.example.com or the account host, and they are https: playwright
 * hands their requests to `serve` (the provider under /__provider/<host>/…), redirects included.
 */
async function toServe(route: Route): Promise<void> {
  const request = route.request();
  const url = new URL(request.url());
  // Pages served under the prefix post back to the prefixed path: keep it as it is.
  const prefixed = url.hostname === 'provider.example.com' && !url.pathname.startsWith('/__provider/');
  const path = prefixed ? `/__provider/${url.host}${url.pathname}` : url.pathname;
  const contentType = request.headers()['content-type'];
  const res = await fetch(`${server.url}${path}${url.search}`, {
    method: request.method(),
    headers: contentType ? { 'content-type': contentType } : {},
    body: (request.postDataBuffer() ?? null) as BodyInit | null,
    redirect: 'manual',
  });
  await route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
}

/** The consumer's browser: open the authorization URL, sign in as `alice` at the provider, Allow; the final URL. */
async function consentInChromium(authorizationUrl: string): Promise<URL> {
  const page = await browser.newPage();
  try {
    await page.route('https://provider.example.com/**', toServe);
    await page.route('https://myorg-myaccount.snowflakecomputing.com/**', toServe);
    await page.goto(authorizationUrl);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('example-app-client');
    await page.getByLabel('User name').fill('alice');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL('https://myorg-myaccount.snowflakecomputing.com/oauth/complete-secret**');
    expect(await page.textContent('body')).toContain('SYSTEM$FINISH_OAUTH_FLOW');
    return new URL(page.url());
  } finally {
    await page.close();
  }
}

const sessionAs = (username: 'admin' | 'alice', password: string) => connect(baseOptions({ accessUrl: server.url } as never, { username, password }));
const first = async (conn: Awaited<ReturnType<typeof sessionAs>>, sql: string): Promise<unknown> => Object.values((await query(conn, sql))[0] ?? {})[0];
const callbacks = (): string[] => server.core.journal.entries().filter((e) => e.method === 'CALLBACK').map((e) => e.path);

/** App code (a UDF or a container with the secret): the access token, refreshed by Snowflake when needed. */
const appToken = (): string => createWorldApi(server.core).oauthAccessToken('EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET');
/** The app calls the external API with the token: the mock provider's protected resource. */
async function callExternalApi(token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/__provider/provider.example.com/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

describe('seed 002 in order: provider setup → consumer consent in Chromium → app code → refresh → re-authentication', () => {
  it('works end to end', async () => {
    // Provider setup (steps 1–5), run as the application's setup script.
    await control('world/change', { run_setup_script: { application: 'EXAMPLE_APP', sql: SETUP_SCRIPT } });

    // Consumer: an admin approves the specification and grants the application role to ANALYST.
    const admin = await sessionAs('admin', 'admin-password');
    expect(await first(admin, 'ALTER APPLICATION example_app APPROVE SPECIFICATION oauth_spec SEQUENCE_NUMBER = 1')).toMatch(/approved|success/i);
    await query(admin, 'GRANT APPLICATION ROLE example_app.app_user TO ROLE analyst');
    await destroy(admin);

    // Step 1: the secret's name, from the configuration's additionalProperties.
    const alice = await sessionAs('alice', 'alice-password');
    const [config] = await query(alice, 'SHOW CONFIGURATIONS IN APPLICATION example_app');
    const secret = JSON.parse(String(config!.additionalProperties)).secret as string;
    expect(secret).toBe('EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET');

    // Step 2: START in a driver session, consent in the browser, FINISH in the same session.
    const authorizationUrl = String(await first(alice, `SELECT SYSTEM$START_OAUTH_FLOW('${secret}')`));
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toBe('example-app-client');
    const landed = await consentInChromium(authorizationUrl);
    expect(landed.searchParams.get('state')).toBe(new URL(authorizationUrl).searchParams.get('state'));
    expect(await first(alice, `SELECT SYSTEM$FINISH_OAUTH_FLOW('${landed.search.slice(1)}')`)).toBe('OAuth flow completed successfully.');

    // Step 3: 'configured' fires the callbacks (journal).
    await query(alice, "ALTER APPLICATION example_app SET CONFIGURATION oauth_config VALUE = 'configured'");
    expect(callbacks()).toEqual(['before_configuration_change', 'after_configuration_change']);

    // App code obtains a usable access token.
    const token = appToken();
    expect(await callExternalApi(token)).toMatchObject({ status: 200, body: { sub: 'alice' } });

    // Past the access token's expiry Snowflake refreshes with the stored refresh token.
    server.core.clock.advance('61m');
    expect((await callExternalApi(token)).status).toBe(401);
    const refreshed = appToken();
    expect(refreshed).not.toBe(token);
    expect((await callExternalApi(refreshed)).status).toBe(200);

    // The provider revokes the refresh token: once the access token expires, use fails…
    await control('provider', { revoke_refresh_tokens: 'OAUTH_INTEGRATION' });
    server.core.clock.advance('61m');
    expect(() => appToken()).toThrow(/394618|re-?authenticat|refresh token/i);

    // …until the consumer runs START/FINISH again.
    const again = String(await first(alice, `SELECT SYSTEM$START_OAUTH_FLOW('${secret}')`));
    const relanded = await consentInChromium(again);
    expect(await first(alice, `SELECT SYSTEM$FINISH_OAUTH_FLOW('${relanded.search.slice(1)}')`)).toBe('OAuth flow completed successfully.');
    expect((await callExternalApi(appToken())).status).toBe(200);
    await destroy(alice);
  }, 60_000);
});
