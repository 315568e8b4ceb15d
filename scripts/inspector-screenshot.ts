/**
 * Writes docs/inspector.png: `serve --control` on the embedded default world, a few representative
 * requests (accepted and refused, a key-pair JWT, a driver login, an injected fault, an expired
 * PAT after the clock moved), then the inspector at 1280×800 in Debian's Chromium (headless,
 * loopback only). Run: `npx node scripts/inspector-screenshot.ts`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { signKeypairJwt } from '../domain/auth/keypair-jwt-sign.ts';
import { defaultWorldConfig } from '../domain/world/default-world.ts';
import { startServer, type RunningServer } from '../server/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs/inspector.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The flags of test/browser/*.test.ts: no sandbox as root, no background traffic to the internet.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A SQL API call with a bearer token.
 *
 * @example
 * await statement(server, 'pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN')
 */
async function statement(server: RunningServer, token: string, type?: string): Promise<number> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(type !== undefined && { 'x-snowflake-authorization-token-type': type }) };
  const res = await fetch(`${server.url}/api/v2/statements`, { method: 'POST', headers, body: JSON.stringify({ statement: 'SELECT CURRENT_USER()' }) });
  await res.arrayBuffer();
  return res.status;
}

/**
 * A driver login (`POST /session/v1/login-request`) with the given `data` fields.
 *
 * @example
 * await login(server, { LOGIN_NAME: 'alice', PASSWORD: 'wrong' })
 */
async function login(server: RunningServer, data: Record<string, string>): Promise<number> {
  const res = await fetch(`${server.url}/session/v1/login-request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { CLIENT_APP_ID: 'JavaScript', ...data } }) });
  await res.arrayBuffer();
  return res.status;
}

async function control(server: RunningServer, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${server.url}/__mock/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

/** The requests the picture shows: each kind of decision, newest last. */
async function traffic(server: RunningServer): Promise<void> {
  const now = server.core.clock.now();
  await statement(server, 'pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
  await statement(server, await signKeypairJwt({ privateKey: readFileSync(join(ROOT, 'fixtures/keys/alice.p8'), 'utf8'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now }));
  await login(server, { LOGIN_NAME: 'alice', PASSWORD: 'not-her-password' });
  await login(server, { LOGIN_NAME: 'bob', PASSWORD: 'bob-password' });
  await statement(server, 'oauth-alice-token', 'OAUTH');
  await control(server, 'faults', { path: '/session/v1/login-request', status: 503, count: 2 });
  await login(server, { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' });
  await control(server, 'clock', { advance: '16d' });
  await statement(server, 'pat-alice-ci', 'PROGRAMMATIC_ACCESS_TOKEN');
  await statement(server, 'pat-etl-bot', 'PROGRAMMATIC_ACCESS_TOKEN');
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // The embedded default world on a frozen clock: the picture shows the same times on every run.
  const world = { ...defaultWorldConfig(), clock: { start: '2026-03-01T09:00:00Z', frozen: true } };
  const server = await startServer({ world, port: 0, control: true, seed: 12 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    await traffic(server);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/__mock/`);
    await page.locator('#journal-rows tr').nth(7).waitFor();
    await page.getByText('expired', { exact: false }).first().waitFor();
    mkdirSync(dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT });
    console.log(`wrote ${OUT}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
