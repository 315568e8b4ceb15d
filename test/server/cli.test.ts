/**
 * The CLI as a user runs it: `snowflake-auth-mock serve` prints its URL and the credentials it
 * accepts; a broken world file is refused with file, line and field.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/snowflake-auth-mock.js', import.meta.url));

/** Runs the CLI until `until` matches stdout (then SIGTERM) or it exits. */
function run(args: string[], until?: RegExp): Promise<{ code: number | string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const limit = setTimeout(() => child.kill('SIGKILL'), 15_000);
    let stopping = false;
    child.stdout.on('data', (c) => {
      stdout += c;
      if (until && !stopping && until.test(stdout)) {
        stopping = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      resolve({ code: code ?? (signal ? `signal ${signal}` : null), stdout, stderr });
    });
  });
}

describe('snowflake-auth-mock serve', () => {
  it('starts on the embedded default world and prints the credentials it accepts', async () => {
    const { stdout, code } = await run(['serve', '--port', '0'], /Ctrl-C/);
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toContain('account MYORG-MYACCOUNT (locator XY12345)');
    expect(stdout).toContain('pat-alice-ci');
    expect(stdout).toContain('alice-password');
    expect(stdout).toMatch(/RSA_PUBLIC_KEY\s+SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0\+8ofV7jDk=\s+private key: .*fixtures\/keys\/alice\.p8/);
    expect(stdout).toContain('my-app-client');
    expect(stdout).toContain('control   off (start with --control)');
    expect(stdout).not.toContain('inspector');
    expect(code).toBe(0);
  });

  it('with --control the banner names the control endpoints and the inspector page', async () => {
    const { stdout, code } = await run(['serve', '--port', '0', '--control'], /Ctrl-C/);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1];
    expect(stdout).toContain(`control   ${url}/__mock/health | clock | journal | reset | world | world/summary | world/change | faults | provider | client-ip`);
    expect(stdout).toContain(`inspector ${url}/__mock/  (the journal live`);
    expect(code).toBe(0);
  });

  it('refuses a broken world file naming file, line and field, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sam-'));
    const file = join(dir, 'world.yaml');
    writeFileSync(file, 'users:\n  - name: ALICE\n    default_role: ANALIST\n');
    const { stderr, code } = await run(['serve', '--port', '0', '--world', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('world.yaml:3');
    expect(stderr).toContain('default_role');
  });

  it('a missing world file, an unknown flag and a bad port are usage errors', async () => {
    expect((await run(['serve', '--world', 'does-not-exist.yaml', '--port', '0'])).code).toBe(2);
    const flag = await run(['serve', '--prot', '4010']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown flag --prot');
    expect((await run(['serve', '--port', 'abc'])).stderr).toContain('--port must be');
    expect((await run(['bogus'])).code).toBe(2);
  });
});

describe('snowflake-auth-mock run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sam-run-'));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('runs a folder of shipped scenarios in-process and exits 0', async () => {
    const { code, stdout } = await run(['run', 'scenarios/pat']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ A PAT stops working after DAYS_TO_EXPIRY days/);
    expect(stdout).toMatch(/\d+ passed, 0 failed/);
  });

  it('exits 1 on a failing scenario and prints expected vs actual', async () => {
    const file = write('fails.yaml', 'name: expects the wrong status\nsteps:\n  - request: { path: /api/v2/databases, bearer: nope }\n    expect: { status: 200, code: "090001" }\n');
    const { code, stdout } = await run(['run', file]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ expects the wrong status');
    expect(stdout).toContain('expected 200, got 401');
  });

  it('exits 2 on an invalid scenario file, naming file and line', async () => {
    const file = write('invalid.yaml', 'name: x\nsteps:\n  - advance: 1d\n    request: { path: /x }\n');
    const { code, stderr } = await run(['run', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/invalid\.yaml:3:\d+: steps\[0\]: a step has exactly one of/);
  });

  it('writes JUnit XML with --output', async () => {
    const out = join(dir, 'report.xml');
    const { code } = await run(['run', 'scenarios/rest-api', '--reporter', 'junit', '--output', out]);
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuites[\s\S]*<testcase /);
  });

  it('refuses a remote --target without --live', async () => {
    const { code, stderr } = await run(['run', 'scenarios/pat', '--target', 'https://myorg-myaccount.snowflakecomputing.com']);
    expect(code).toBe(2);
    expect(stderr).toContain('--live');
  });
});
