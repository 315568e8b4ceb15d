/**
 * The headline of issue #12 part 3: the real, unmodified `snowflake-sdk` connects to `serve --https`
 * with certificate verification on, trusting the dev CA that `serve` printed — and the same client
 * without that CA fails with a certificate error, which proves verification is on. The driver runs
 * in a child process (test/driver/sdk-https-child.ts): Node reads NODE_EXTRA_CA_CERTS only at start
 * (https://nodejs.org/api/cli.html#node_extra_ca_certsfile).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caPathOf, childEnv, startServe, type ServeProcess } from '../helpers/serve-process.ts';

const CHILD = fileURLToPath(new URL('./sdk-https-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sam-sdk-https-'));
let serve: ServeProcess;
let pat: string;
beforeAll(async () => {
  serve = await startServe(['serve', '--https', '--port', '0', '--tls-dir', dir]);
  // `serve` prints the credentials it accepts: ALICE's PAT of the default world.
  pat = /PAT CI\s+(\S+)/.exec(serve.stdout())![1]!;
});
afterAll(async () => {
  await serve.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Outcome = { ok: true; rows: unknown[] } | { ok: false; code: unknown; message: string };

/** Runs the driver in a child with `env`; its one JSON line. */
function driver(env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv({ MOCK_URL: serve.url, MOCK_PAT: pat, ...env }) });
    let [stdout, stderr] = ['', ''];
    const limit = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(limit);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Outcome);
      } catch {
        reject(new Error(`the driver child exited ${String(code)} without an outcome; stdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
  });
}

describe('snowflake-sdk over serve --https, verification on', () => {
  it('connects with a PAT and runs SELECT 1, trusting the printed dev CA', async () => {
    expect(serve.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const outcome = await driver({ NODE_EXTRA_CA_CERTS: caPathOf(serve.stdout()) });
    expect(outcome).toEqual({ ok: true, rows: [{ 1: 1 }] });
  });

  it('without the CA the same driver fails with a certificate error', async () => {
    const outcome = await driver({});
    expect(outcome.ok).toBe(false);
    expect((outcome as { message: string }).message).toMatch(/unable to verify the first certificate/);
  });
});
