/**
 * The inspector (`GET /__mock/` with --control, issue #12) in real Chromium (Debian's, driven by
 * playwright-core, headless, loopback only): a PAT's time left on the mock clock, the +16d button
 * expiring it, the refused request appearing live in the journal with 394400 and its explanation,
 * the full entry in a dialog (mouse and keyboard), the filters, a key-pair JWT login decoded without
 * its signature, a JWT whose time claims are no date, a path full of markup shown as text, a
 * restarted mock that already passed the page's cursor, and a DNS-rebinding page refused. Every wait
 * is for a page condition; the mock's clock only moves when the page or the test tells it to.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { privateKeyPem, publicKeyPem } from '../helpers/keys.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags known to work on these machines: no sandbox as root, and no background traffic to the internet.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // DNS rebinding without DNS: the attacker's name already points at the mock.
  '--host-resolver-rules=MAP attacker.example 127.0.0.1'];

/** ALICE holds a PAT that expires in 15 days on a frozen mock clock, and a key for key-pair JWTs. */
const WORLD: WorldConfig = {
  clock: { start: '2026-03-01T12:00:00Z', frozen: true },
  network_policies: [{ name: 'OPEN', allowed_ip_list: ['0.0.0.0/0', '::/0'] }],
  network_policy: 'OPEN',
  roles: ['ANALYST'],
  users: [
    {
      name: 'ALICE', login_name: 'alice', password: 'alice-password', default_role: 'ANALYST', roles: ['ANALYST'], rsa_public_key: publicKeyPem('alice'),
      programmatic_access_tokens: [{ name: 'CI', secret: 'pat-alice-ci', role_restriction: 'ANALYST', days_to_expiry: 15 }],
    },
    { name: 'BOB', login_name: 'bob', password: 'bob-password', default_role: 'ANALYST', roles: ['ANALYST'] },
  ],
  security_integrations: [
    { name: 'MY_APP', type: 'oauth', oauth_client: 'custom', oauth_client_type: 'confidential', oauth_redirect_uri: 'https://app.example.com/callback', oauth_client_id: 'my-app-client', oauth_client_secret: 'my-app-secret' },
  ],
};

let browser: Browser;
let mock: RunningServer;
let page: Page;
/** Every URL the page asked for, to check it never reads the credentials view. */
let asked: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium package (or set CHROMIUM_PATH)`);
  mock = await startServer({ world: WORLD, port: 0, control: true, seed: 12 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

beforeEach(async () => {
  await control('reset', {});
  asked = [];
  page = await browser.newPage();
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  // Anything the Content-Security-Policy refuses is a bug of the page: collect it.
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${mock.url}/__mock`);
  await page.getByText('2026-03-01 12:00:00 UTC', { exact: true }).waitFor();
  return async () => {
    expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
    expect(asked.filter((p) => p === '/__mock/world')).toEqual([]);
    await page.close();
  };
});

async function control(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${mock.url}/__mock/${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
}

/** An unsigned JWT with these claims: refused by the mock, but journaled with its header and claims. */
const unsignedJwt = (claims: Record<string, unknown>): string => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

async function statement(token: string, type: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${mock.url}/api/v2/statements`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-snowflake-authorization-token-type': type, 'content-type': 'application/json' }, body: '{"statement":"SELECT CURRENT_USER()"}' });
  return { status: res.status, body: await res.json() };
}

async function login(data: Record<string, string>): Promise<any> {
  const res = await fetch(`${mock.url}/session/v1/login-request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }) });
  return res.json();
}

const row = (text: string | RegExp) => page.locator('#journal-rows tr', { hasText: text });
const visibleRows = () => page.locator('#journal-rows tr:not([hidden])');

describe('the inspector in Chromium', () => {
  it('shows a PAT expiring on the mock clock, and the refused request live with 394400, its explanation and its detail', async () => {
    const pats = page.getByRole('table', { name: /Programmatic access tokens/ });
    await pats.getByRole('row', { name: /CI.*ALICE.*15d 0h left/ }).waitFor();
    await page.getByRole('table', { name: 'Public keys' }).getByRole('cell', { name: /^SHA256:[A-Za-z0-9+/]{43}=$/ }).waitFor();
    await page.getByRole('table', { name: 'Security integrations' }).getByRole('row', { name: /MY_APP.*OAUTH.*enabled.*client my-app-client/ }).waitFor();
    await page.getByRole('table', { name: 'Network policies' }).getByRole('row', { name: /OPEN.*0\.0\.0\.0\/0.*account/ }).waitFor();
    await page.getByRole('table', { name: 'Users' }).getByRole('row', { name: /ALICE.*password, key-pair, PAT.*active/ }).waitFor();

    await page.getByRole('button', { name: '+16d' }).click();
    await page.getByText('2026-03-17 12:00:00 UTC', { exact: true }).waitFor();
    await pats.getByRole('row', { name: /CI.*ALICE.*expired 1d 0h ago/ }).waitFor();
    expect(mock.core.clock.now()).toBe(Date.parse('2026-03-17T12:00:00Z'));

    const refused = await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    expect(refused).toEqual({ status: 401, body: { code: '394400', message: 'Programmatic access token is invalid.' } });
    const entry = row('394400');
    await entry.waitFor();
    const cells = await entry.locator('td').allTextContents();
    expect(cells.slice(0, 7)).toEqual(['03-17 12:00:00', 'POST', '/api/v2/statements', 'ALICE', 'PAT', 'rejected', '394400']);
    expect(cells[7]).toBe('rejected: PAT CI of ALICE expired at 2026-03-16T12:00:00.000Z (DAYS_TO_EXPIRY 15)');

    await entry.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading', { level: 2 }).textContent()).toMatch(/^Request #\d+: POST \/api\/v2\/statements$/);
    const fields = await dialog.locator('#detail-fields').innerText();
    expect(fields).toMatch(/Snowflake code\s+394400/);
    expect(fields).toMatch(/Cause\s+PAT_EXPIRED/);
    expect(fields).toMatch(/HTTP status\s+401/);
    expect(fields).toMatch(/Auth method\s+PROGRAMMATIC_ACCESS_TOKEN/);
    expect(await dialog.locator('#detail-jwt').isHidden()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.closest('tr')?.textContent?.includes('394400'));
  });

  it('advances the clock by a typed duration, and says so when it cannot read one', async () => {
    await page.getByLabel('Advance by').fill('1h30m');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await page.getByText('2026-03-01 13:30:00 UTC', { exact: true }).waitFor();
    await page.getByLabel('Advance by').fill('soon');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await page.getByRole('status').getByText(/Cannot advance the clock: advance: cannot read duration "soon"/).waitFor();
    expect(await page.getByLabel('Advance by').getAttribute('aria-invalid')).toBe('true');
    expect(mock.core.clock.now()).toBe(Date.parse('2026-03-01T13:30:00Z'));
  });

  it('filters by decision, user and code, and forgets the rows of a cleared journal', async () => {
    expect((await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN')).status).toBe(200);
    expect((await login({ LOGIN_NAME: 'bob', PASSWORD: 'not-bobs' })).code).toBe('390100');
    expect((await login({ LOGIN_NAME: 'alice', PASSWORD: 'not-alices' })).code).toBe('390100');
    expect((await statement('no-such-token', 'OAUTH')).body.code).toBe('390303');
    await page.getByText('4 requests').waitFor();

    await page.getByLabel('Decision').selectOption('rejected');
    expect(await visibleRows().count()).toBe(3);
    expect(await page.locator('#journal-count').textContent()).toBe('Showing 3 of 4 requests');
    await page.getByLabel('User', { exact: true }).fill('bo');
    expect(await visibleRows().locator('td:nth-child(4)').allTextContents()).toEqual(['BOB']);
    await page.getByLabel('User', { exact: true }).fill('');
    await page.getByLabel('Code').fill('390303');
    expect(await visibleRows().locator('td:nth-child(7)').allTextContents()).toEqual(['390303']);
    await page.getByLabel('Decision').selectOption('allowed');
    expect(await visibleRows().count()).toBe(0);
    await page.getByLabel('Decision').selectOption('');
    await page.getByLabel('Code').fill('3901');
    expect(await visibleRows().locator('td:nth-child(4)').allTextContents()).toEqual(['ALICE', 'BOB']);
    await page.getByLabel('Code').fill('oauth_token_unknown');
    expect(await visibleRows().locator('td:nth-child(7)').allTextContents()).toEqual(['390303']);
    await page.getByLabel('Code').fill('');

    await fetch(`${mock.url}/__mock/journal`, { method: 'DELETE' });
    await page.getByText('No request yet.').waitFor();
    expect(await page.locator('#journal-rows tr').count()).toBe(0);
  });

  it('holds the journal still while paused, and catches up after', async () => {
    await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    await page.getByText('1 request').waitFor();
    await page.getByLabel('Pause live updates').check();
    await page.getByText('paused', { exact: true }).waitFor();
    await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    // The world still refreshes while paused: once it shows the moved clock, a poll has run since the request.
    await control('clock', { advance: '1m' });
    await page.getByText('2026-03-01 12:01:00 UTC', { exact: true }).waitFor();
    expect(await page.locator('#journal-rows tr').count()).toBe(1);
    await page.getByLabel('Pause live updates').uncheck();
    await page.getByText('2 requests').waitFor();
  });

  it('opens a key-pair JWT login from the keyboard with its decoded header and claims, and no signature or secret anywhere', async () => {
    const jwt = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: mock.core.clock.now() });
    const loggedIn = await login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'alice', TOKEN: jwt });
    expect(loggedIn.success).toBe(true);
    expect((await login({ LOGIN_NAME: 'alice', PASSWORD: 'alice-password' })).success).toBe(true);
    expect((await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN')).status).toBe(200);
    await page.getByText('3 requests').waitFor();

    const entry = row('key-pair JWT');
    await entry.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.locator('#detail-jwt').isVisible()).toBe(true);
    expect(await dialog.locator('#jwt-header').innerText()).toMatch(/alg\s+RS256\s+typ\s+JWT/);
    const claims = await dialog.locator('#jwt-claims').innerText();
    expect(claims).toMatch(/iss\s+MYORG-MYACCOUNT\.ALICE\.SHA256:[A-Za-z0-9+/]{43}=/);
    expect(claims).toMatch(/sub\s+MYORG-MYACCOUNT\.ALICE/);
    expect(claims).toMatch(/exp\s+\d+ \(2026-03-01T12:59:00\.000Z\)/);

    const shown = await page.evaluate(() => document.documentElement.innerText + document.documentElement.outerHTML);
    const signature = jwt.split('.')[2]!;
    for (const secret of [signature, jwt, 'alice-password', 'pat-alice-ci', 'my-app-secret', loggedIn.data.token, loggedIn.data.masterToken]) {
      expect(shown.includes(secret), `the page shows ${secret.slice(0, 16)}…`).toBe(false);
    }
    await page.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('key-pair JWT');
  });

  it('opens the detail of a JWT whose time claims are past any date: the number alone', async () => {
    const jwt = unsignedJwt({ iss: 'MYORG-MYACCOUNT.ALICE.SHA256:x', sub: 'MYORG-MYACCOUNT.ALICE', iat: 1_772_366_400, exp: 1e13, nbf: -1e13 });
    expect((await statement(jwt, 'KEYPAIR_JWT')).status).toBe(401);
    const entry = row('key-pair JWT');
    await entry.waitFor();
    await entry.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const claims = await dialog.locator('#jwt-claims').innerText();
    expect(claims).toMatch(/exp\s+10000000000000\s/);
    expect(claims).toMatch(/nbf\s+-10000000000000\s*$/);
    expect(claims).toMatch(/iat\s+1772366400 \(2026-03-01T12:00:00\.000Z\)/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('starts over when the mock restarted and already passed its cursor before the next poll', async () => {
    await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    await page.getByText('1 request', { exact: true }).waitFor();
    const cursor = mock.core.journal.lastSeq;
    // Held still, so the restarted mock gets ahead of the page for sure.
    await page.getByLabel('Pause live updates').check();
    const port = mock.port;
    await mock.close();
    mock = await startServer({ world: WORLD, port, control: true, seed: 12 });
    const count = cursor + 2;
    for (let i = 0; i < count; i++) expect((await statement('no-such-token', 'OAUTH')).status).toBe(401);
    expect(mock.core.journal.lastSeq).toBeGreaterThan(cursor);
    await page.getByLabel('Pause live updates').uncheck();
    await page.getByText(`${count} requests`, { exact: true }).waitFor();
    // Only the new mock's entries: the old allowed one is gone, none of the new ones was skipped.
    expect(await page.locator('#journal-rows tr.allowed').count()).toBe(0);
    expect(await page.locator('#journal-rows tr.rejected').count()).toBe(count);
    expect(await page.locator('#journal-rows tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.seq)))).toEqual(Array.from({ length: count }, (_, i) => count - i));
  });

  it('refuses a DNS-rebinding page: same origin as the mock through its own name, it reads no credential and moves no clock', async () => {
    const attacker = await browser.newPage();
    try {
      // The name points at the mock (the resolver rule above), as after a rebind; the inspector is
      // not served through it. Any document of that origin will do (this 403 is one, from a loopback
      // address, as a rebound page's is), and its fetches reach the mock same-origin: Origin and Host both attacker.example.
      const navigation = await attacker.goto(`http://attacker.example:${mock.port}/__mock/`);
      expect(navigation?.status()).toBe(403);
      const before = mock.core.clock.now();
      const seen = await attacker.evaluate(async () => {
        const world = await fetch('/__mock/world');
        const clock = await fetch('/__mock/clock', { method: 'POST', body: JSON.stringify({ advance: '16d' }) });
        return { world: world.status, worldBody: await world.text(), clock: clock.status };
      });
      expect(seen).toMatchObject({ world: 403, clock: 403 });
      expect(JSON.parse(seen.worldBody).error).toMatch(/^refused: a browser asked for \/__mock\/world through the name "attacker\.example"/);
      expect(seen.worldBody).not.toContain('pat-alice-ci');
      expect(mock.core.clock.now()).toBe(before);
    } finally {
      await attacker.close();
    }
  });

  it('shows a path full of markup as text, in the row and in the detail', async () => {
    const path = '/<img/src=x/onerror=window.__pwned=1>';
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: mock.port, path, method: 'GET' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(404);
    const entry = row('onerror');
    await entry.waitFor();
    expect(await entry.locator('td.path').textContent()).toBe(path);
    expect(await entry.locator('td.explanation').textContent()).toBe(`rejected: no endpoint at ${path}`);
    await entry.click();
    await page.getByRole('dialog').waitFor();
    expect(await page.locator('#detail-title').textContent()).toBe(`Request #${mock.core.journal.lastSeq}: GET ${path}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  });

  it('lists the faults in force', async () => {
    await page.getByText('No fault injected.').waitFor();
    await control('faults', { path: '/oauth/*', method: 'POST', status: 503, count: 3, delay: '2s' });
    const faults = page.getByRole('table', { name: 'Injected faults, checked in order' });
    await faults.getByRole('row', { name: '#1 POST /oauth/* status 503, after 2s 3' }).waitFor();
    await fetch(`${mock.url}/__mock/faults`, { method: 'DELETE' });
    await page.getByText('No fault injected.').waitFor();
  });

  it('is built for keyboard and screen reader: labelled fields, scoped headers, focusable rows, real buttons', async () => {
    await control('faults', { path: '/oauth/*', status: 503 });
    await statement('pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
    await page.getByText('1 request').waitFor();
    await page.getByRole('table', { name: 'Injected faults, checked in order' }).waitFor();
    const report = await page.evaluate(() => ({
      unlabelled: [...document.querySelectorAll('input, select')].filter((e) => (e as HTMLInputElement).labels?.length === 0).map((e) => e.id),
      unscoped: [...document.querySelectorAll('th')].filter((th) => !th.getAttribute('scope')).length,
      rows: [...document.querySelectorAll('#journal-rows tr')].map((tr) => (tr as HTMLElement).tabIndex),
      clickable: [...document.querySelectorAll('[data-advance], [onclick]')].map((e) => e.tagName),
      dialog: document.querySelector('#detail')?.tagName,
      tables: document.querySelectorAll('table').length,
      captions: document.querySelectorAll('table > caption').length,
    }));
    expect(report).toEqual({ unlabelled: [], unscoped: 0, rows: [0], clickable: ['BUTTON', 'BUTTON', 'BUTTON', 'BUTTON'], dialog: 'DIALOG', tables: 7, captions: 7 });
    // Tab from the last filter reaches the journal's row.
    await page.getByLabel('Pause live updates').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.matches('#journal-rows tr'))).toBe(true);
  });
});
