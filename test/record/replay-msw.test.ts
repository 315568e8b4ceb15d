/**
 * Replay in-process (record/replay-msw.ts): `createReplayHandlers(dir)` behind msw's `setupServer`
 * answers the real snowflake-sdk at `https://myorg-myaccount.snowflakecomputing.com` from a
 * recording made against `serve` on 127.0.0.1, and leaves hosts the recording never addressed alone.
 */
import { forgetCachedCredentials } from '../helpers/snowflake-sdk.ts';
import { setupServer } from 'msw/node';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplayHandlers } from '../../record/replay.ts';
import { recordSdkFlows } from '../helpers/record-flows.ts';
import { runSdkFlows } from '../helpers/replay-flows.ts';
import { loginAnswer, loginBody, recordedLogin, recordingOf, writeRecordingDir } from '../helpers/replay-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'sam-replay-msw-'));
const server = setupServer();
let other: Server;

beforeAll(async () => {
  // Recorded before msw listens: the recording proxy and serve are real sockets.
  await recordSdkFlows(dir);
  forgetCachedCredentials();
  other = createServer((_req, res) => res.end('not a replay'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  server.listen({ onUnhandledFrame: 'bypass' });
}, 60_000);
afterAll(async () => {
  server.close();
  await new Promise((resolve) => other.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('createReplayHandlers', () => {
  it('answers snowflake-sdk in-process from a recording made against serve; nothing unmatched', async () => {
    const handlers = createReplayHandlers(dir, { strict: true });
    server.resetHandlers(...handlers);
    const one = { '1': 1 };
    expect(await runSdkFlows('https://myorg-myaccount.snowflakecomputing.com')).toEqual({ password: [one], keypair: [one], pat: [one], oauth: [one] });
    expect(handlers.engine.report()).toMatchObject({ unmatched: 0, failed: false });
    expect(handlers.engine.report().exchanges.every((x) => x.uses === 1)).toBe(true);
  }, 30_000);

  it('an unmatched request on a recorded host gets the replay-unmatched 404; other hosts are not taken', async () => {
    const rec = writeRecordingDir(recordingOf([{ url: '/session/v1/login-request', body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) }]));
    const handlers = createReplayHandlers(rec);
    rmSync(rec, { recursive: true, force: true });
    server.resetHandlers(...handlers);
    const url = 'https://myorg-myaccount.snowflakecomputing.com/session/v1/login-request';
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(loginBody({ LOGIN_NAME: 'ALICE', PASSWORD: 'x' })) });
    expect(ok.status).toBe(200);
    const miss = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(loginBody({ LOGIN_NAME: 'ALICE', PASSWORD: 'y' })) });
    expect([miss.status, miss.headers.get('x-snowflake-auth-mock')]).toEqual([404, 'replay-unmatched']);
    expect(handlers.engine.report()).toMatchObject({ matched: 1, unmatched: 1 });
    // 127.0.0.1 on another port was never addressed by this recording: the real server answers.
    const port = (other.address() as AddressInfo).port;
    expect(await (await fetch(`http://127.0.0.1:${port}/session/v1/login-request`)).text()).toBe('not a replay');
    expect(handlers.engine.report().requests).toBe(2);
  });
});
