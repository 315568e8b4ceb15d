/**
 * `serve --replay` over HTTP on 127.0.0.1, as a separate process (cli/serve-replay.ts), and the
 * `replay-report` command reading its report (cli/replay-report.ts).
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliProcess } from '../helpers/cli-process.ts';
import { loginAnswer, loginBody, recordedLogin, recordingOf, writeRecordingDir } from '../helpers/replay-fixtures.ts';

const LOGIN = '/session/v1/login-request';
const dir = writeRecordingDir(recordingOf([
  { url: `${LOGIN}?requestId=r1`, host: 'myorg-myaccount.localhost:4010', body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) },
  { url: '/queries/v1/query-request?requestId=r2', host: 'myorg-myaccount.localhost:4010', headers: { 'content-type': 'application/json', authorization: 'Snowflake Token="__redacted_session_token_1__"' }, body: { json: { sqlText: 'SELECT 1' } }, response: { json: { data: { rowset: [['1']] }, success: true } } },
], 'http://127.0.0.1:4010', 'alice-login'));

let running: CliProcess | undefined;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('serve --replay', () => {
  it('prints what it replays instead of the credentials, and answers the recorded flow', async () => {
    running = await startCli(['serve', '--replay', dir, '--port', '0', '--control'], /Ctrl-C/);
    const out = running.stdout();
    expect(out).toMatch(/replaying "alice-login" on http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain('recorded   from http://127.0.0.1:4010 at 2026-12-06T10:00:00.000Z');
    expect(out).toContain(`exchanges  2 in ${dir}`);
    expect(out).toContain('accounts   MYORG-MYACCOUNT');
    expect(out).not.toContain('pat-alice-ci');
    const login = await post(running.url, `${LOGIN}?requestId=x`, loginBody({ LOGIN_NAME: 'ALICE', PASSWORD: 'pw' }));
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { data: { token: string } }).data.token;
    const q = await post(running.url, '/queries/v1/query-request?requestId=y', { sqlText: 'SELECT 1' }, { authorization: `Snowflake Token="${token}"` });
    expect(((await q.json()) as { data: unknown }).data).toEqual({ rowset: [['1']] });
    const report = (await (await fetch(`${running.url}/__mock/replay/report`)).json()) as { matched: number; unmatched: number; exchanges: { uses: number }[] };
    expect(report).toMatchObject({ matched: 2, unmatched: 0 });
    expect(report.exchanges.map((x) => x.uses)).toEqual([1, 1]);
    expect((await fetch(`${running.url}/__mock/health`).then((r) => r.json()))).toMatchObject({ status: 'replaying', recording: 'alice-login' });
    // The mock's own control actions would act on a mock nobody hears: not there.
    expect((await fetch(`${running.url}/__mock/clock`)).status).toBe(404);
    expect((await running.stop()).code).toBe(0);
  });

  it('an unmatched request: 404 replay-unmatched with near misses, a stderr line, and replay-report exits 1', async () => {
    running = await startCli(['serve', '--replay', dir, '--port', '0', '--control'], /Ctrl-C/);
    const r = await post(running.url, `${LOGIN}?requestId=x`, loginBody({ LOGIN_NAME: 'BOB', PASSWORD: 'bob-secret-pw' }));
    expect(r.status).toBe(404);
    expect(r.headers.get('x-snowflake-auth-mock')).toBe('replay-unmatched');
    expect(await r.json()).toEqual({
      error: 'no recorded exchange matches',
      request: `POST ${LOGIN}`,
      recording: 'alice-login',
      nearest: [
        { exchange: 'exchanges/0001-post-session-v1-login-request.json', differences: ['body.data.LOGIN_NAME: recorded "ALICE", got "BOB"'] },
        { exchange: 'exchanges/0002-post-queries-v1-query-request.json', differences: expect.any(Array) },
      ],
    });
    const pretty = await runCli(['replay-report', '--url', running.url]);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toContain(`✗ #1 POST ${LOGIN} — no recorded exchange matches`);
    expect(pretty.stdout).toContain('body.data.LOGIN_NAME: recorded "ALICE", got "BOB"');
    expect(pretty.stdout).toContain('0 matched, 1 unmatched of 1 requests; 2 of 2 exchanges unused');
    const junit = await runCli(['replay-report', '--url', running.url, '--reporter', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toContain('<failure message="no recorded exchange matches" type="replay-unmatched">');
    const json = await runCli(['replay-report', '--url', running.url, '--reporter', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ unmatched: 1, strict: false, failed: false });
    const stopped = await running.stop();
    expect(stopped.stderr).toContain(`replay: no recorded exchange matches POST ${LOGIN}; nearest exchanges/0001-post-session-v1-login-request.json: body.data.LOGIN_NAME: recorded "ALICE", got "BOB"`);
    for (const text of [stopped.stdout, stopped.stderr, pretty.stdout, junit.stdout, json.stdout]) expect(text).not.toContain('bob-secret-pw');
    expect(stopped.code).toBe(0);
  });

  it('--strict: an unmatched request makes the exit code 1 when it stops, said on stderr', async () => {
    running = await startCli(['serve', '--replay', dir, '--port', '0', '--strict'], /Ctrl-C/);
    expect(running.stdout()).toContain('--strict: exit code 1 when stopped');
    expect((await fetch(`${running.url}/nowhere`)).status).toBe(404);
    const stopped = await running.stop();
    running = undefined;
    expect(stopped.stderr).toContain('replay: no recorded exchange matches GET /nowhere');
    expect(stopped.stderr).toContain('(--strict: the run has failed)');
    expect(stopped.stderr).toContain('1 of 1 requests matched no recorded exchange (--strict): exit code 1');
    expect(stopped.code).toBe(1);
  });

  it('--strict with every request matched exits 0; replay-report exits 0', async () => {
    running = await startCli(['serve', '--replay', dir, '--port', '0', '--strict', '--control'], /Ctrl-C/);
    expect((await post(running.url, LOGIN, loginBody({ LOGIN_NAME: 'ALICE', PASSWORD: 'pw' }))).status).toBe(200);
    expect((await runCli(['replay-report', '--url', running.url])).code).toBe(0);
    const stopped = await running.stop();
    running = undefined;
    expect(stopped.code).toBe(0);
  });

  it('clear errors, no stack traces: a folder without a recording, --strict alone, mock flags with --replay', async () => {
    const missing = await runCli(['serve', '--replay', '/nonexistent/rec', '--port', '0']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot replay /nonexistent/rec: /nonexistent/rec/recording.json: (file): not found: a recording folder holds recording.json');
    const strict = await runCli(['serve', '--strict']);
    expect([strict.code, strict.stderr]).toEqual([2, expect.stringContaining('--strict applies to --replay only')]);
    const world = await runCli(['serve', '--replay', dir, '--world', 'w.yaml']);
    expect([world.code, world.stderr]).toEqual([2, expect.stringContaining('--world has no meaning with --replay')]);
    for (const r of [missing, strict, world]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('replay-report', () => {
  it('--help names the exit codes; a bad flag or reporter is exit 2', async () => {
    const help = await runCli(['replay-report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('exit codes: 0 every request matched a recorded exchange, 1 some request matched none, 2 usage error or no report');
    expect((await runCli(['replay-report'])).stderr).toContain('--url is required');
    const bad = await runCli(['replay-report', '--url', 'http://127.0.0.1:9', '--reporter', 'xml']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--reporter must be one of pretty, json, junit')]);
  });

  it('a server that is down, or not replaying, is exit 2 with the reason', async () => {
    const down = await runCli(['replay-report', '--url', 'http://127.0.0.1:9']);
    expect([down.code, down.stderr]).toEqual([2, expect.stringContaining('cannot reach http://127.0.0.1:9')]);
    running = await startCli(['serve', '--port', '0', '--control'], /Ctrl-C/);
    const mock = await runCli(['replay-report', '--url', running.url]);
    expect([mock.code, mock.stderr]).toEqual([2, expect.stringContaining('has no replay report: start it with serve --replay <dir> --control')]);
  });
});
