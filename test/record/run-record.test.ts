/**
 * `snowflake-auth-mock run … --target <url> --record <dir>`: the scenario requests (not the control
 * API calls that set the world up) are written through the writer, secrets redacted; the report on
 * standard output stays clean; `--record` without a URL target is a usage error.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../record/store.ts';
import { startServer, type RunningServer } from '../../server/index.ts';

const BIN = fileURLToPath(new URL('../../bin/snowflake-auth-mock.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const limit = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
  });
}

let serve: RunningServer;
beforeAll(async () => {
  serve = await startServer({ port: 0, control: true, seed: 6 });
});
afterAll(() => serve.close());

const SCENARIOS = ['scenarios/pat/pat-runs-as-its-user-in-its-restricted-role.yaml', 'scenarios/pat/unknown-pat-secret-is-refused.yaml'];

describe('run --record', () => {
  it('records each scenario request in order, redacted, and none of the control calls', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sam-run-rec-')), 'pat-scenarios');
    const { code, stdout, stderr } = await run(['run', ...SCENARIOS, '--target', serve.url, '--record', out, '--reporter', 'json']);
    expect(code).toBe(0);
    expect(() => JSON.parse(stdout)).not.toThrow();
    expect(stderr).toMatch(/recorded 3 exchange\(s\) to .*pat-scenarios\n {2}placeholders: /);
    const recording = readRecording(out);
    expect(recording.manifest.name).toBe('pat-scenarios');
    expect(recording.manifest.upstream).toBe(serve.url);
    expect(recording.exchanges.map((e) => `${e.request.method} ${e.request.url} ${e.response.status}`)).toEqual([
      'POST /api/v2/statements 200',
      'POST /api/v2/statements 200',
      'POST /api/v2/statements 401',
    ]);
    expect(recording.exchanges[0]!.request.body).toEqual({ json: { statement: 'SELECT CURRENT_USER(), CURRENT_ROLE()' } });
    expect(recording.exchanges[2]!.response.body).toMatchObject({ json: { code: '394400' } });
    const onDisk = readdirSync(join(out, 'exchanges')).map((f) => readFileSync(join(out, 'exchanges', f), 'utf8')).join('\n') + readFileSync(join(out, 'recording.json'), 'utf8');
    for (const secret of ['pat-alice-ci', 'pat-alice-does-not-exist']) expect(onDisk.includes(secret), 'a PAT is on disk').toBe(false);
    expect(onDisk).not.toContain('/__mock/');
  });

  it('--record without a URL target, or into a place that cannot hold a folder, is exit 2 without a stack trace', async () => {
    const { code, stderr } = await run(['run', SCENARIOS[0]!, '--record', join(tmpdir(), 'never-written')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--record needs a URL --target/);
    const file = join(mkdtempSync(join(tmpdir(), 'sam-run-rec-')), 'a-file');
    writeFileSync(file, 'not a folder');
    const blocked = await run(['run', SCENARIOS[0]!, '--target', serve.url, '--record', join(file, 'rec')]);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toMatch(/--record .*a-file\/rec: cannot write a recording there \(ENOTDIR/);
    expect(blocked.stderr).not.toMatch(/\n\s+at /);
  });
});
