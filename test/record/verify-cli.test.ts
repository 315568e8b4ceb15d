/**
 * `snowflake-auth-mock verify` as a user runs it: exit 0 when every difference is explained, 1 on
 * an unexplained or stale one, 2 on usage errors and unreadable inputs (`file: field: problem`,
 * never a stack trace); reporters and --output.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { runCli, type CliResult } from '../helpers/cli-process.ts';
import { aliceLogin, capture, recordingOf, selectOne } from '../helpers/verify-fixtures.ts';

const c = capture();
const login = await c.send(aliceLogin());
await c.send(selectOne(login.json));
const CLEAN = recordingOf(c.raws, 'clean').dir;
(c.raws[1]!.response.body as { json: { data: Record<string, unknown> } }).json.data.recordedOnly = 1;
const EDITED = recordingOf(c.raws, 'edited').dir;
const TMP = mkdtempSync(join(tmpdir(), 'verify-cli-'));
const file = (name: string, text: string): string => {
  writeFileSync(join(TMP, name), text);
  return join(TMP, name);
};
const EXPLAINED = file('explained.yaml', 'reasons: { edited: The test added a key. }\ndifferences:\n  - { exchange: "0002", diff: "data keys missing: recordedOnly", reason: edited }\n');

/** The CLI in this process (fast); one test runs the real binary. */
async function cli(argv: string[]): Promise<CliResult> {
  let [stdout, stderr] = ['', ''];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.join(' ')}\n`));
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (stderr += `${a.join(' ')}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    log.mockRestore();
    err.mockRestore();
    write.mockRestore();
  }
}

describe('snowflake-auth-mock verify', () => {
  it('--help names the flags and the exit codes (the real binary)', async () => {
    const { code, stdout } = await runCli(['verify', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: snowflake-auth-mock verify <recording dir>');
    expect(stdout).toMatch(/--explained <value>\s+explained-differences file/);
    expect(stdout).toContain('exit codes:\n  0  every difference is explained\n  1  a difference is not explained, or a listed one no longer happens (stale)\n  2');
  });

  it('exit 0: a recording of the model verifies clean', async () => {
    const { code, stdout, stderr } = await cli(['verify', CLEAN]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/2 exchange\(s\) in 1 flow\(s\) against \(embedded\): 0 difference\(s\).* — passed/);
  });

  it('exit 1 on an unexplained difference, 0 once it is explained, 1 when a listed one is stale', async () => {
    const bad = await cli(['verify', EDITED]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('data keys missing: recordedOnly (unexplained)');
    expect((await cli(['verify', EDITED, '--explained', EXPLAINED])).code).toBe(0);
    const stale = await cli(['verify', CLEAN, '--explained', EXPLAINED]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('✗ 0002: data keys missing: recordedOnly (edited)');
  });

  it('--reporter junit --output writes the report to a file', async () => {
    const out = join(TMP, 'verify.xml');
    const { code, stdout } = await cli(['verify', EDITED, '--world', 'recordings/driver-fixtures/world.yaml', '--reporter', 'junit', '--output', out]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/<testsuite name="edited" tests="2" failures="\d+"/);
  });

  it.each([
    [[], /verify: name the recording folder to verify\nrun "snowflake-auth-mock verify --help" for usage\./],
    [['DIR', '--reporter', 'html'], /--reporter must be one of pretty, json, markdown, junit/],
    [['DIR', '--nope'], /unknown flag --nope/],
    [['/nonexistent-recording'], /^snowflake-auth-mock verify: \/nonexistent-recording\/recording\.json: \(file\): not found/],
    [['DIR', '--explained', 'BADEXPLAINED'], /^snowflake-auth-mock verify: .*bad\.yaml: differences\[0\]\.reason: "nope" is not one of reasons\n$/],
    [['DIR', '--world', 'BADWORLD'], /^snowflake-auth-mock verify: invalid world config/],
  ])('exit 2: %j', async (args, message) => {
    const bad = file('bad.yaml', 'reasons: { r: x }\ndifferences: [{ exchange: a, diff: d, reason: nope }]\n');
    const world = file('world.yaml', 'accounts: 3\n');
    const argv = ['verify', ...args.map((a) => (a === 'DIR' ? CLEAN : a === 'BADEXPLAINED' ? bad : a === 'BADWORLD' ? world : a))];
    const { code, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
