/**
 * The in-process recorder's main use: a suite that runs once against a live account, with msw in
 * the process and no handler answering (`setupServer()`, `onUnhandledFrame: 'bypass'`). Here the
 * "account" is `serve` on 127.0.0.1 and the client is the real snowflake-sdk (its requests go
 * through node:http, not fetch): the session is recorded in order, its secrets redacted.
 */
import { baseOptions, connect, destroy, forgetCachedCredentials, query } from '../helpers/snowflake-sdk.ts';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { expect, it } from 'vitest';
import { createWorldApi } from '../../api/world.ts';
import { createRecorder } from '../../record/msw-recorder.ts';
import { readRecording } from '../../record/store.ts';
import { startServer } from '../../server/index.ts';

it('records the real snowflake-sdk going to the network through msw, redacted and in order', async () => {
  const serve = await startServer({ port: 0, seed: 2 });
  const server = setupServer();
  const out = join(mkdtempSync(join(tmpdir(), 'sam-msw-sdk-')), 'rec');
  const recorder = createRecorder({ server, out, name: 'live-suite' });
  server.listen({ onUnhandledFrame: 'bypass' });
  // A test-only tap: the real tokens serve issued, to look for on disk.
  const issued: string[] = [];
  server.events.on('response:bypass', ({ response }) => {
    void response.clone().json().then((b: { data?: { token?: string; masterToken?: string } }) => issued.push(...[b.data?.token, b.data?.masterToken].filter((t): t is string => typeof t === 'string')), () => undefined);
  });
  try {
    const target = { name: 'serve', accessUrl: serve.url, clock: serve.core.clock, journal: serve.core.journal, world: createWorldApi(serve.core), faults: serve.core.faults, reset: () => serve.core.reset() };
    const connection = await connect(baseOptions(target, { username: 'alice', password: 'alice-password' }));
    expect(await query(connection, 'SELECT 1')).toEqual([{ 1: 1 }]);
    await destroy(connection);
  } finally {
    await recorder.stop();
    server.close();
    await serve.close();
    forgetCachedCredentials();
  }
  const recording = readRecording(out);
  expect(recording.manifest.upstream).toBe(serve.url);
  expect(recording.exchanges.map((e) => `${e.request.method} ${e.request.url.split('?')[0]} ${e.response.status}`)).toEqual([
    'POST /session/v1/login-request 200',
    'POST /queries/v1/query-request 200',
    'POST /session 200',
  ]);
  const token = (recording.exchanges[0]!.response.body as { json: { data: { token: string } } }).json.data.token;
  expect(token).toMatch(/^__redacted_session_token_\d+__$/);
  expect(recording.exchanges[1]!.request.headers.authorization).toBe(`Snowflake Token="${token}"`);
  expect(recording.exchanges[1]!.request.body).toMatchObject({ json: { sqlText: 'SELECT 1' } });
  const text = readdirSync(join(out, 'exchanges')).map((f) => readFileSync(join(out, 'exchanges', f), 'utf8')).join('');
  expect(issued).toHaveLength(2); // the session and master token of the login
  for (const secret of ['alice-password', ...issued]) expect(text.includes(secret), 'a secret of the session is on disk').toBe(false);
});
