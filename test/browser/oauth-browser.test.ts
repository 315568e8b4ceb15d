/**
 * The Snowflake OAuth flow in a real browser (Debian's Chromium driven by playwright-core, headless):
 * open the authorize URL, sign in, consent, land on the client's redirect with a code, exchange it,
 * call the SQL API with the token, let it expire on the mock clock, refresh, call again. And an
 * error page for a bad redirect URI. Loopback only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.ts';
import type { WorldConfig } from '../../domain/world/config.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags known to work on these machines: no sandbox as root, and no background traffic to the internet.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
let mock: RunningServer;
let callback: Server;
let callbackUrl: string;
const landed: URL[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium package (or set CHROMIUM_PATH)`);
  callback = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/callback') landed.push(url); // not /favicon.ico
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Client</title><h1>Signed in</h1>');
  });
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  const world: WorldConfig = {
    clock: { start: '2026-03-01T12:00:00Z', frozen: true },
    network_policies: [{ name: 'OPEN', allowed_ip_list: ['0.0.0.0/0', '::/0'] }],
    network_policy: 'OPEN',
    roles: ['ANALYST'],
    users: [{ name: 'ALICE', login_name: 'alice', password: 'alice-password', default_role: 'ANALYST', roles: ['ANALYST'] }],
    security_integrations: [
      { name: 'MY_APP', type: 'oauth', oauth_client: 'custom', oauth_client_type: 'confidential', oauth_redirect_uri: callbackUrl, oauth_allow_non_tls_redirect_uri: true, oauth_client_id: 'my-app-client', oauth_client_secret: 'my-app-secret' },
    ],
  };
  mock = await startServer({ world, port: 0, seed: 3 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await mock?.close();
  await new Promise<void>((resolve) => (callback ? callback.close(() => resolve()) : resolve()));
});

const basic = 'Basic ' + Buffer.from('my-app-client:my-app-secret').toString('base64');
const tokenRequest = async (form: Record<string, string>): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${mock.url}/oauth/token-request`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: res.status, body: await res.json() };
};
const whoAmI = async (token: string): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${mock.url}/api/v2/statements`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-snowflake-authorization-token-type': 'OAUTH', 'content-type': 'application/json' }, body: JSON.stringify({ statement: 'SELECT CURRENT_USER(), CURRENT_ROLE()' }) });
  return { status: res.status, body: await res.json() };
};

describe('Snowflake OAuth in Chromium', () => {
  it('signs in, consents, exchanges the code, uses, expires and refreshes the token', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({ client_id: 'my-app-client', response_type: 'code', redirect_uri: callbackUrl, scope: 'refresh_token session:role:ANALYST', state: 'xyz-123', code_challenge: challenge, code_challenge_method: 'S256' });
    const page = await browser.newPage();
    await page.goto(`${mock.url}/oauth/authorize?${query}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Sign in');
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('alice-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    expect(await page.textContent('main')).toContain('ANALYST');
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync('docs/images', { recursive: true });
      await page.screenshot({ path: 'docs/images/oauth-consent.png' });
    }
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.href.startsWith(callbackUrl));
    const back = landed.at(-1)!;
    expect(back.searchParams.get('state')).toBe('xyz-123');
    expect(back.searchParams.get('scope')).toBe('refresh_token session:role:ANALYST');
    const code = back.searchParams.get('code')!;
    expect(code).toBeTruthy();
    await page.close();

    const exchanged = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: callbackUrl, code_verifier: verifier });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, username: expect.any(String), refresh_token: expect.any(String) });
    expect((await whoAmI(exchanged.body.access_token)).body.data).toEqual([['ALICE', 'ANALYST']]);

    mock.core.clock.advance('11m');
    const expired = await whoAmI(exchanged.body.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('390303');

    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.username).toBeUndefined();
    expect((await whoAmI(refreshed.body.access_token)).body.data).toEqual([['ALICE', 'ANALYST']]);
  });

  it('shows an error page, and does not redirect, for a redirect URI that is not registered', async () => {
    const page = await browser.newPage();
    const bad = new URLSearchParams({ client_id: 'my-app-client', response_type: 'code', redirect_uri: 'https://evil.example/steal' });
    const response = await page.goto(`${mock.url}/oauth/authorize?${bad}`);
    expect(response?.status()).toBe(400);
    expect(page.url().startsWith(mock.url)).toBe(true);
    expect(await page.textContent('main')).toContain('390307');
    await page.close();
  });
});
