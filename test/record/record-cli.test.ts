/**
 * `snowflake-auth-mock record` as a user runs it: help with exit codes, clear usage errors (exit 2,
 * no stack trace), a busy port (exit 1), and a real session in front of `serve`: the banner says
 * where to point clients, SIGTERM writes the manifest and prints what was recorded (exit 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../record/store.ts';
import { startServer, type RunningServer } from '../../server/index.ts';

const BIN = fileURLToPath(new URL('../../bin/snowflake-auth-mock.js', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | string | null>;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, 'record', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  const limit = setTimeout(() => child.kill('SIGKILL'), 15_000);
  child.stdout!.on('data', (c) => (output.stdout += c));
  child.stderr!.on('data', (c) => (output.stderr += c));
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => {
    clearTimeout(limit);
    resolve(code ?? (signal ? `signal ${signal}` : null));
  }));
  const waitFor = (pattern: RegExp) => new Promise<RegExpMatchArray>((resolve, reject) => {
    const check = (): void => {
      const m = pattern.exec(output.stdout);
      if (m) resolve(m);
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`exited before ${pattern}: ${output.stderr}`)));
    check();
  });
  return { child, output, waitFor, exited };
}

async function run(args: string[]): Promise<{ code: number | string | null; stdout: string; stderr: string }> {
  const r = start(args);
  const code = await r.exited;
  return { code, ...r.output };
}

let serve: RunningServer;
beforeAll(async () => {
  serve = await startServer({ port: 0, seed: 4 });
});
afterAll(() => serve.close());

const tempDir = (): string => join(mkdtempSync(join(tmpdir(), 'sam-rec-cli-')), 'rec');

describe('snowflake-auth-mock record', () => {
  it('--help lists the flags and the exit codes', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/usage: snowflake-auth-mock record --upstream <base URL> --out <dir>/);
    for (const flag of ['--upstream', '--out', '--port', '--host', '--name', '--mode', '--redact-identities', '--allow']) expect(stdout).toContain(flag);
    expect(stdout).toMatch(/exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
  });

  it('usage errors exit 2 with a clear line and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--upstream is required/],
      [['--upstream', serve.url], /--out is required/],
      [['--upstream', serve.url, '--out', tempDir(), '--mode', 'bogus'], /--mode must be one of record, replay, record-missing, passthrough, got "bogus"/],
      [['--upstream', 'ftp://example.com', '--out', tempDir()], /--upstream must be an http or https base URL/],
      [['--upstream', serve.url, '--out', tempDir(), '--allow'], /--allow needs a value/],
      [['--upstream', serve.url, '--out', tempDir(), '--mode', 'replay', '--port', '0'], /cannot read the recording to replay: .*recording\.json/],
      // A real account is recorded only on purpose: nothing is sent before the flag is there.
      [['--upstream', 'https://myorg-myaccount.snowflakecomputing.com', '--out', tempDir()], /is not on this machine; pass --live to record a real account/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run(args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a port in use is exit 1 with a hint', async () => {
    const busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
    const { code, stderr } = await run(['--upstream', serve.url, '--out', tempDir(), '--port', String((busy.address() as AddressInfo).port)]);
    busy.close();
    expect(code).toBe(1);
    expect(stderr).toMatch(/port \d+ is already in use; pick another with --port/);
  });

  it('a secret left after redaction: the client is answered, the command exits 1 naming file and path only; --allow lets it through', async () => {
    const LEAK = '3f9aK2mQ8xLp0ZrT7vWcB4nYhE6sJ1dGq8Zk';
    const leaky = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { note: LEAK } })));
    await new Promise<void>((ok) => leaky.listen(0, '127.0.0.1', ok));
    const upstream = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}`;
    const session = async (extra: string[]) => {
      const proxy = start(['--upstream', upstream, '--out', tempDir(), '--port', '0', ...extra]);
      const [, url] = await proxy.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      await proxy.waitFor(/Ctrl-C to stop/);
      const answered = (await (await fetch(`${url}/leaky`)).json()) as { data: { note: string } };
      proxy.child.kill('SIGINT');
      return { code: await proxy.exited, answered, ...proxy.output };
    };
    const refused = await session([]);
    const allowed = await session(['--allow', '/response/body/json/data/note']);
    leaky.close();
    expect(refused.answered.data.note).toBe(LEAK);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/recorded 0 exchange\(s\)/);
    expect(refused.stderr).toMatch(/1 exchange\(s\) were NOT recorded:\n {2}- GET \/leaky not written: .*exchanges\/0001-get-leaky\.json at \/response\/body\/json\/data\/note/);
    expect(refused.stdout + refused.stderr).not.toContain(LEAK);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/recorded 1 exchange\(s\)/);
  });

  it('records in front of serve: banner, then SIGTERM writes the manifest and prints the summary', async () => {
    const out = tempDir();
    const proxy = start(['--upstream', serve.url, '--out', out, '--port', '0', '--name', 'cli-session', '--allow', '/x', '--allow=/y', '--redact-identities']);
    const [, url] = await proxy.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect(proxy.output.stdout).toContain(`accessUrl: '${url}'`);
    expect(proxy.output.stdout).toContain(`curl ${url}/api/v2/statements`);
    await proxy.waitFor(/Ctrl-C to stop/);
    const res = await fetch(`${url}/api/v2/statements`, { method: 'POST', headers: { authorization: 'Bearer pat-alice-ci', 'content-type': 'application/json' }, body: JSON.stringify({ statement: 'SELECT 1' }) });
    expect(res.status).toBe(200);
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    expect(proxy.output.stdout).toMatch(new RegExp(`recorded 1 exchange\\(s\\) to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n {2}placeholders: \\w+ \\d`));
    const recording = readRecording(out);
    expect(recording.manifest.name).toBe('cli-session');
    expect(recording.manifest.redaction.identities).toBe(true);
    const onDisk = readdirSync(join(out, 'exchanges')).map((f) => readFileSync(join(out, 'exchanges', f), 'utf8')).join('');
    expect(onDisk).not.toContain('pat-alice-ci');
    expect(proxy.output.stdout + proxy.output.stderr).not.toContain('pat-alice-ci');
  });
});
