/**
 * Issue #13 part 4, the first-run papercuts of the command line, as a new user meets them: the
 * bare command, `--version`, every command's help with its exit codes, every control endpoint in
 * `serve --help` and the banner, and a world's warnings printed by `serve` (papercuts 2, 3, 4).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../cli/main.ts';
import { controlEndpoints } from '../../cli/serve.ts';
import { CONTROL_ENDPOINTS } from '../../server/control.ts';
import { runCli, startCli } from '../helpers/cli-process.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** The control endpoints as the brief of issue #13 lists them; the list derived from server/control.ts must hold them all. */
const EXPECTED_CONTROL = ['health', 'clock', 'journal', 'reset', 'world', 'world/change', 'world/summary', 'faults', 'provider', 'client-ip'];

const dir = mkdtempSync(join(tmpdir(), 'sam-first-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bare command, help and --version (papercut 4)', () => {
  it('no arguments prints the help and exits 0', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^usage: snowflake-auth-mock <command>/);
  });

  it('the help lists every command, help and --version, and its exit codes', async () => {
    const { stdout } = await runCli(['--help']);
    expect(COMMAND_NAMES).toEqual(['serve', 'run', 'record', 'replay-report', 'import', 'export', 'verify']);
    for (const name of [...COMMAND_NAMES, 'help']) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(stdout).toMatch(/^ {2}--version, -v /m);
    expect(stdout).toMatch(/^exit codes: /m);
    expect((await runCli(['help'])).stdout).toBe(stdout);
  });

  it('--version and -v print the version of package.json and exit 0', async () => {
    for (const flag of ['--version', '-v']) {
      const { code, stdout } = await runCli([flag]);
      expect([flag, code, stdout]).toEqual([flag, 0, `${VERSION}\n`]);
    }
  });

  it('an unknown command is still a usage error (exit 2)', async () => {
    expect((await runCli(['bogus'])).code).toBe(2);
  });

  it.each(COMMAND_NAMES)('%s --help gives its exit codes, and exits 0', async (name) => {
    const { code, stdout } = await runCli([name, '--help']);
    expect(code).toBe(0);
    const codes = stdout.slice(stdout.indexOf('exit codes:'));
    expect(stdout).toContain('exit codes:');
    expect(codes).toMatch(/\b0\b/);
    expect(codes).toMatch(/\b2\b/);
  });
});

describe('serve lists every control endpoint (papercut 3)', () => {
  it('the list comes from server/control.ts and holds every endpoint', () => {
    const names = controlEndpoints().map((e) => e.name);
    expect([...names].sort()).toEqual([...EXPECTED_CONTROL].sort());
    // Every action of the control API is in it, but the inspector page's own files.
    for (const key of CONTROL_ENDPOINTS) {
      const [method, name] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
      if (name === '' || name.startsWith('inspector.')) continue;
      expect(controlEndpoints().find((e) => e.name === name)?.methods).toContain(method);
    }
  });

  it('serve --help names every endpoint with its methods, and the inspector page', async () => {
    const { stdout } = await runCli(['serve', '--help']);
    for (const { name, methods } of controlEndpoints()) expect(stdout).toMatch(new RegExp(`^  ${methods.join('\\|')} +/__mock/${name}$`, 'm'));
    expect(stdout).toMatch(/^ {2}GET +\/__mock\/ +the inspector page/m);
  });

  it('the banner with --control names every endpoint and the inspector page', async () => {
    const serve = await startCli(['serve', '--port', '0', '--control'], /Ctrl-C/);
    const { stdout } = await serve.stop();
    const line = stdout.split('\n').find((l) => l.startsWith('  control   '))!;
    expect(line).toBe(`  control   ${serve.url}/__mock/${controlEndpoints().map((e) => e.name).join(' | ')}`);
    for (const name of EXPECTED_CONTROL) expect(line.split(/\/__mock\/| \| /)).toContain(name);
    expect(stdout).toContain(`  inspector ${serve.url}/__mock/  (the journal live`);
  });
});

describe("serve prints the world's warnings and marks the PAT (papercut 2)", () => {
  it('a person user with a PAT and no network policy: a warning with file and line on stderr, the banner says how to fix it', async () => {
    const file = join(dir, 'world.yaml');
    writeFileSync(file, 'roles: [ANALYST]\nusers:\n  - name: ALICE\n    default_role: ANALYST\n    roles: [ANALYST]\n    programmatic_access_tokens:\n      - { name: CI, secret: pat-alice-ci }\n');
    const serve = await startCli(['serve', '--port', '0', '--world', file], /Ctrl-C/);
    const { code, stdout, stderr } = await serve.stop();
    expect(code).toBe(0);
    expect(stderr).toContain(`snowflake-auth-mock serve: warning: ${file}:7:9: users[0].programmatic_access_tokens[0]: PAT CI of user ALICE can never be used`);
    expect(stdout).toMatch(/PAT CI +pat-alice-ci .* needs a network policy: add network_policy: on account MYORG-MYACCOUNT or on user ALICE/);
  });

  it('the same from SNOWFLAKE_MOCK_WORLD, placed in the variable', async () => {
    const world = 'users:\n  - name: BOT\n    type: service\n    programmatic_access_tokens: [{ name: ETL, secret: pat-bot, role_restriction: PUBLIC }]\n';
    const serve = await startCli(['serve', '--port', '0'], /Ctrl-C/, { env: { SNOWFLAKE_MOCK_WORLD: world } });
    const { stderr } = await serve.stop();
    expect(stderr).toMatch(/warning: SNOWFLAKE_MOCK_WORLD:4:\d+: users\[0\]\.programmatic_access_tokens\[0\]: PAT ETL of user BOT can never be used: a SERVICE user/);
  });

  it('the embedded default world starts without a warning', async () => {
    const serve = await startCli(['serve', '--port', '0'], /Ctrl-C/);
    const { stdout, stderr } = await serve.stop();
    expect(stderr).not.toContain('warning');
    expect(stdout).not.toContain('needs a network policy');
  });
});
