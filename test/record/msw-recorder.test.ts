/**
 * The in-process recorder (record/msw-recorder.ts) on an msw 3 `setupServer` whose "upstream" is
 * the mock's own handlers (handlers/mock.ts), plus `serve` on 127.0.0.1 for requests msw lets
 * through: exchanges land in order, secrets redacted, the session token's placeholder linking the
 * login to the next query; `record-missing` keeps only what went to the network.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import { createRecorder } from '../../record/msw-recorder.ts';
import { readRecording } from '../../record/store.ts';
import { startServer, type RunningServer } from '../../server/index.ts';

const ACCOUNT = 'https://myorg-myaccount.snowflakecomputing.com';
const mock = createSnowflakeMock({ seed: 7 });
const server = setupServer(...mock.handlers);
let serve: RunningServer;

beforeAll(async () => {
  serve = await startServer({ port: 0, seed: 8 });
  server.listen({ onUnhandledFrame: 'bypass' });
});
afterEach(() => mock.reset());
afterAll(async () => {
  server.close();
  await serve.close();
});

const tempDir = (): string => join(mkdtempSync(join(tmpdir(), 'sam-msw-rec-')), 'rec');
const json = { 'content-type': 'application/json', accept: 'application/json' };

/** A password login, `SELECT 1` with its session token, a PAT statement (all in-process), then a PAT statement to serve (bypassed). */
async function suite(): Promise<{ sessionToken: string; masterToken: string }> {
  const login = await fetch(`${ACCOUNT}/session/v1/login-request?requestId=1`, {
    method: 'POST', headers: json,
    body: JSON.stringify({ data: { ACCOUNT_NAME: 'MYORG-MYACCOUNT', LOGIN_NAME: 'alice', PASSWORD: 'alice-password', CLIENT_APP_ID: 'JavaScript', CLIENT_APP_VERSION: '2.0.0' } }),
  });
  const { data } = (await login.json()) as { data: { token: string; masterToken: string } };
  const query = await fetch(`${ACCOUNT}/queries/v1/query-request?requestId=2`, { method: 'POST', headers: { ...json, authorization: `Snowflake Token="${data.token}"` }, body: JSON.stringify({ sqlText: 'SELECT 1' }) });
  expect(query.status).toBe(200);
  const statement = { method: 'POST', headers: { ...json, authorization: 'Bearer pat-alice-ci' }, body: JSON.stringify({ statement: 'SELECT CURRENT_USER()' }) };
  expect((await fetch(`${ACCOUNT}/api/v2/statements`, statement)).status).toBe(200);
  expect((await fetch(`${serve.url}/api/v2/statements`, statement)).status).toBe(200);
  return { sessionToken: data.token, masterToken: data.masterToken };
}

function filesText(dir: string): string {
  return ['recording.json', ...readdirSync(join(dir, 'exchanges')).map((f) => join('exchanges', f))].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}

describe('createRecorder on setupServer', () => {
  it('records every exchange in order, mocked and bypassed, with no secret on disk', async () => {
    const out = tempDir();
    const recorder = createRecorder({ server, out, name: 'msw-suite' });
    const { sessionToken, masterToken } = await suite();
    const manifest = await recorder.stop();
    expect(manifest?.upstream).toBe(ACCOUNT);
    const recording = readRecording(out);
    expect(recording.exchanges.map((e) => `${e.request.method} ${e.request.url.split('?')[0]} ${e.response.status}`)).toEqual([
      'POST /session/v1/login-request 200',
      'POST /queries/v1/query-request 200',
      'POST /api/v2/statements 200',
      'POST /api/v2/statements 200',
    ]);
    // The bypassed request went to serve, a host other than the manifest's upstream.
    expect(recording.exchanges.map((e) => e.request.host)).toEqual([undefined, undefined, undefined, '127.0.0.1']);
    const text = filesText(out);
    for (const secret of ['alice-password', 'pat-alice-ci', sessionToken, masterToken]) {
      expect(text.includes(secret), 'a secret used by the suite is on disk').toBe(false);
    }
    const loginData = (recording.exchanges[0]!.response.body as { json: { data: { token: string } } }).json.data;
    expect(loginData.token).toMatch(/^__redacted_session_token_\d+__$/);
    expect(recording.exchanges[1]!.request.headers.authorization).toBe(`Snowflake Token="${loginData.token}"`);
    expect((recording.exchanges[0]!.request.body as { json: { data: { LOGIN_NAME: string } } }).json.data.LOGIN_NAME).toBe('alice');
  });

  it('record-missing keeps only what no handler answered; passthrough writes nothing; detached after stop', async () => {
    const out = tempDir();
    const missing = createRecorder({ server, out, name: 'missing', mode: 'record-missing' });
    await suite();
    await missing.stop();
    const recording = readRecording(out);
    expect(recording.exchanges).toHaveLength(1);
    expect(recording.exchanges[0]!.request.url).toBe('/api/v2/statements');

    const nothing = tempDir();
    const pass = createRecorder({ server, out: nothing, name: 'pass', mode: 'passthrough' });
    await suite();
    expect(await pass.stop()).toBeUndefined();
    expect(() => readdirSync(nothing)).toThrow();
    // The first recorder is detached: the second suite run wrote nothing more into its folder.
    await new Promise((settle) => setTimeout(settle, 100));
    expect(readdirSync(join(out, 'exchanges'))).toEqual(['0001-post-api-v2-statements.json']);
  });

  it('replay is not a recorder mode: it points to the replay handlers', () => {
    expect(() => createRecorder({ server, out: tempDir(), name: 'x', mode: 'replay' as never })).toThrow(/createReplayHandlers/);
  });
});
