/**
 * `serve` configured by environment (cli/serve-env.ts), as the container is: every flag as
 * SNOWFLAKE_MOCK_<FLAG>, flags on the command line winning, booleans and numbers read strictly
 * with errors naming the variable; SNOWFLAKE_MOCK_WORLD as the world's YAML or JSON text, validated
 * like a file with its line and field; SNOWFLAKE_MOCK_WORLD_FILE as --world.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/args.ts';
import { SERVE_FLAGS } from '../../cli/serve.ts';
import { envValue, envVariable, readServeEnv, serveWorld } from '../../cli/serve-env.ts';
import { WorldConfigError } from '../../domain/world/validate.ts';
import { recordingOf, writeRecordingDir } from '../helpers/replay-fixtures.ts';
import { runServe, startServe, type ServeProcess } from '../helpers/serve-process.ts';

const root = mkdtempSync(join(tmpdir(), 'sam-serve-env-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An empty recording (any request is unmatched): enough for serve --replay to start. */
const recordings: string[] = [];
afterAll(() => recordings.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const recordingDir = (): string => recordings[recordings.push(writeRecordingDir(recordingOf([], 'http://127.0.0.1:4010', 'env-false'))) - 1]!;

const WORLD_YAML = 'users:\n  - name: DORA\n    password: dora-password\n';
const WORLD_JSON = JSON.stringify({ users: [{ name: 'ERIN', password: 'erin-password' }] });
const BAD_WORLD = 'roles: [ANALYST]\nusers:\n  - name: ALICE\n    default_role: ANALIST\n';

describe('the variables', () => {
  it('each flag has its SNOWFLAKE_MOCK_<FLAG>; --world is SNOWFLAKE_MOCK_WORLD_FILE; --help none', () => {
    const names = Object.keys(SERVE_FLAGS).filter((f) => f !== 'help').map(envVariable);
    expect(names).toEqual([
      'SNOWFLAKE_MOCK_WORLD_FILE', 'SNOWFLAKE_MOCK_PORT', 'SNOWFLAKE_MOCK_HOST', 'SNOWFLAKE_MOCK_URL_FILE', 'SNOWFLAKE_MOCK_SEED', 'SNOWFLAKE_MOCK_TRUST_PROXY',
      'SNOWFLAKE_MOCK_CONTROL', 'SNOWFLAKE_MOCK_ALLOW_REMOTE_CONTROL', 'SNOWFLAKE_MOCK_CLOCK_START', 'SNOWFLAKE_MOCK_HTTPS',
      'SNOWFLAKE_MOCK_TLS_DIR', 'SNOWFLAKE_MOCK_HOSTNAME', 'SNOWFLAKE_MOCK_TLS_CERT', 'SNOWFLAKE_MOCK_TLS_KEY',
      'SNOWFLAKE_MOCK_REPLAY', 'SNOWFLAKE_MOCK_STRICT',
    ]);
    expect(readServeEnv({ SNOWFLAKE_MOCK_HELP: 'true' }, SERVE_FLAGS).flags).toEqual({});
  });

  it('reads every flag from its variable, typed', () => {
    const env = {
      SNOWFLAKE_MOCK_WORLD_FILE: 'world.yaml', SNOWFLAKE_MOCK_PORT: '4010', SNOWFLAKE_MOCK_HOST: '0.0.0.0', SNOWFLAKE_MOCK_URL_FILE: 'url', SNOWFLAKE_MOCK_SEED: '42',
      SNOWFLAKE_MOCK_TRUST_PROXY: 'yes', SNOWFLAKE_MOCK_CONTROL: 'true', SNOWFLAKE_MOCK_ALLOW_REMOTE_CONTROL: 'no',
      SNOWFLAKE_MOCK_CLOCK_START: '2026-01-01T00:00:00Z', SNOWFLAKE_MOCK_HTTPS: '1', SNOWFLAKE_MOCK_TLS_DIR: '/tls',
      SNOWFLAKE_MOCK_HOSTNAME: 'a,b', SNOWFLAKE_MOCK_TLS_CERT: 'c.pem', SNOWFLAKE_MOCK_TLS_KEY: 'k.pem', SNOWFLAKE_MOCK_REPLAY: 'rec', SNOWFLAKE_MOCK_STRICT: '0',
    };
    const read = readServeEnv(env, SERVE_FLAGS);
    expect(read.flags).toEqual({
      world: 'world.yaml', port: 4010, host: '0.0.0.0', 'url-file': 'url', seed: 42, 'trust-proxy': true, control: true, 'allow-remote-control': false,
      'clock-start': '2026-01-01T00:00:00Z', https: true, 'tls-dir': '/tls', hostname: 'a,b', 'tls-cert': 'c.pem', 'tls-key': 'k.pem', replay: 'rec', strict: false,
    });
    expect(read.sources.port).toBe('SNOWFLAKE_MOCK_PORT');
    expect(read.unknown).toEqual([]);
  });

  it('booleans: 1/0, true/false, yes/no in any case; anything else names the variable', () => {
    const spec = { type: 'boolean' as const, description: '' };
    for (const yes of ['1', 'true', 'TRUE', 'yes', 'Yes', ' true ']) expect(envValue('SNOWFLAKE_MOCK_HTTPS', spec, yes), yes).toBe(true);
    for (const no of ['0', 'false', 'False', 'no', 'NO']) expect(envValue('SNOWFLAKE_MOCK_HTTPS', spec, no), no).toBe(false);
    for (const bad of ['on', 'off', '2', 'y', 'maybe']) expect(() => envValue('SNOWFLAKE_MOCK_HTTPS', spec, bad), bad).toThrow(UsageError);
    expect(() => readServeEnv({ SNOWFLAKE_MOCK_CONTROL: 'maybe' }, SERVE_FLAGS)).toThrow('SNOWFLAKE_MOCK_CONTROL must be 1/0, true/false or yes/no, got "maybe"');
  });

  it('numbers: whole and non-negative; anything else names the variable', () => {
    expect(readServeEnv({ SNOWFLAKE_MOCK_PORT: ' 4010 ' }, SERVE_FLAGS).flags.port).toBe(4010);
    for (const bad of ['abc', '-1', '1.5', ' ']) {
      expect(() => readServeEnv({ SNOWFLAKE_MOCK_SEED: bad }, SERVE_FLAGS), bad).toThrow(/^SNOWFLAKE_MOCK_SEED must be a non-negative whole number/);
    }
  });

  it('an empty variable is unset; a flag given on the command line is not read from its variable', () => {
    expect(readServeEnv({ SNOWFLAKE_MOCK_PORT: '', SNOWFLAKE_MOCK_WORLD: '' }, SERVE_FLAGS)).toEqual({ flags: {}, sources: {}, unknown: [] });
    expect(readServeEnv({ SNOWFLAKE_MOCK_PORT: 'abc', SNOWFLAKE_MOCK_SEED: '7' }, SERVE_FLAGS, { port: 0 }).flags).toEqual({ seed: 7 });
  });

  it('a SNOWFLAKE_MOCK_* variable that sets nothing is reported, with the nearest name', () => {
    expect(readServeEnv({ SNOWFLAKE_MOCK_PROT: '4010', SNOWFLAKE_MOCK_WORLD: WORLD_YAML }, SERVE_FLAGS).unknown).toEqual(['SNOWFLAKE_MOCK_PROT: serve reads no such variable; did you mean "SNOWFLAKE_MOCK_PORT"?']);
  });
});

describe('SNOWFLAKE_MOCK_WORLD: the world as text', () => {
  const world = (env: NodeJS.ProcessEnv, cliWorld?: string): ReturnType<typeof serveWorld> => serveWorld(cliWorld, readServeEnv(env, SERVE_FLAGS));

  it('YAML and JSON text are worlds; without it, --world and then SNOWFLAKE_MOCK_WORLD_FILE are paths', () => {
    expect(world({ SNOWFLAKE_MOCK_WORLD: WORLD_YAML })).toEqual({ users: [{ name: 'DORA', password: 'dora-password' }] });
    expect(world({ SNOWFLAKE_MOCK_WORLD: WORLD_JSON })).toEqual({ users: [{ name: 'ERIN', password: 'erin-password' }] });
    expect(world({ SNOWFLAKE_MOCK_WORLD_FILE: 'w.yaml' })).toBe('w.yaml');
    expect(world({}, 'cli.yaml')).toBe('cli.yaml');
    expect(world({})).toBeUndefined();
  });

  it('an invalid world is refused like a file: SNOWFLAKE_MOCK_WORLD, line, column and field', () => {
    let error: unknown;
    try {
      world({ SNOWFLAKE_MOCK_WORLD: BAD_WORLD });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorldConfigError);
    expect((error as WorldConfigError).issues).toMatchObject([{ file: 'SNOWFLAKE_MOCK_WORLD', line: 4, path: 'users[0].default_role' }]);
    expect((error as Error).message).toMatch(/SNOWFLAKE_MOCK_WORLD:4:\d+: users\[0\]\.default_role: /);
    expect(() => world({ SNOWFLAKE_MOCK_WORLD: '{"users": [' })).toThrow(/SNOWFLAKE_MOCK_WORLD:1:\d+: YAML syntax error/);
  });

  it('the text together with a path is a usage error', () => {
    expect(() => world({ SNOWFLAKE_MOCK_WORLD: WORLD_YAML }, 'w.yaml')).toThrow(/^--world and SNOWFLAKE_MOCK_WORLD both give the world; give one/);
    expect(() => world({ SNOWFLAKE_MOCK_WORLD: WORLD_YAML, SNOWFLAKE_MOCK_WORLD_FILE: 'w.yaml' })).toThrow(/^SNOWFLAKE_MOCK_WORLD_FILE and SNOWFLAKE_MOCK_WORLD both give the world/);
  });
});

describe('serve configured by environment (a separate process)', () => {
  let running: ServeProcess | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('port, control, seed and clock start from variables', async () => {
    running = await startServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_CONTROL: 'yes', SNOWFLAKE_MOCK_SEED: '7', SNOWFLAKE_MOCK_CLOCK_START: '2026-01-01T00:00:00Z' });
    expect(running.stdout()).toMatch(/control {3}http:\/\/127\.0\.0\.1:\d+\/__mock\/health/);
    const clock = (await (await fetch(`${running.url}/__mock/clock`)).json()) as { now: string };
    expect(Date.parse(clock.now) - Date.parse('2026-01-01T00:00:00Z')).toBeLessThan(60_000);
  });

  it('a flag on the command line wins over its variable (whose value is then not even read)', async () => {
    running = await startServe(['serve', '--port', '0', '--control'], { SNOWFLAKE_MOCK_PORT: 'not-a-port', SNOWFLAKE_MOCK_CONTROL: 'false' });
    expect(running.stdout()).toMatch(/control {3}http:\/\/127\.0\.0\.1:\d+\/__mock\/health/);
    expect((await fetch(`${running.url}/__mock/health`)).status).toBe(200);
  });

  it('a bad boolean or number is a usage error naming the variable, exit 2', async () => {
    const bool = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_CONTROL: 'maybe' });
    expect([bool.code, bool.stderr]).toEqual([2, expect.stringContaining('SNOWFLAKE_MOCK_CONTROL must be 1/0, true/false or yes/no, got "maybe"')]);
    const num = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: 'http' });
    expect([num.code, num.stderr]).toEqual([2, expect.stringContaining('SNOWFLAKE_MOCK_PORT must be a non-negative whole number, got "http"')]);
    const clock = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_CLOCK_START: 'tomorrow' });
    expect([clock.code, clock.stderr]).toEqual([2, expect.stringContaining('SNOWFLAKE_MOCK_CLOCK_START: cannot read "tomorrow"')]);
  });

  it('a port outside 0-65535 is a usage error naming the variable or flag, exit 2, before anything starts', async () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['serve'], { SNOWFLAKE_MOCK_PORT: '99999' }, 'SNOWFLAKE_MOCK_PORT must be a port number from 0 to 65535 (0: any free port), got 99999'],
      [['serve'], { SNOWFLAKE_MOCK_PORT: '65536' }, 'SNOWFLAKE_MOCK_PORT must be a port number from 0 to 65535 (0: any free port), got 65536'],
      [['serve'], { SNOWFLAKE_MOCK_PORT: '-1' }, 'SNOWFLAKE_MOCK_PORT must be a non-negative whole number, got "-1"'],
      [['serve'], { SNOWFLAKE_MOCK_PORT: '1.5' }, 'SNOWFLAKE_MOCK_PORT must be a non-negative whole number, got "1.5"'],
      [['serve', '--port', '99999'], {}, '--port must be a port number from 0 to 65535 (0: any free port), got 99999'],
      [['serve', '--port', '-1'], {}, '--port must be a non-negative whole number, got "-1"'],
      [['serve', '--port=1.5'], {}, '--port must be a non-negative whole number, got "1.5"'],
      // The flag wins over the variable, and so does its name in the message.
      [['serve', '--port', '70000'], { SNOWFLAKE_MOCK_PORT: '0' }, '--port must be a port number from 0 to 65535'],
      // Also with --replay and --https: the check comes first (the recording folder is not even read).
      [['serve', '--replay', join(root, 'no-such-recording'), '--https'], { SNOWFLAKE_MOCK_PORT: '99999' }, 'SNOWFLAKE_MOCK_PORT must be a port number from 0 to 65535'],
    ];
    const results = await Promise.all(cases.map(([args, env]) => runServe(args, env)));
    results.forEach((r, i) => {
      expect([r.code, r.stderr], cases[i]![2]).toEqual([2, expect.stringContaining(cases[i]![2])]);
      expect(r.stderr).toContain('run "snowflake-auth-mock serve --help" for usage.');
      expect(r.stdout).not.toContain('listening');
    });
  });

  it('a boolean set false counts as not set: SNOWFLAKE_MOCK_STRICT=false without --replay, _TRUST_PROXY=false with it', async () => {
    running = await startServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_STRICT: 'false', SNOWFLAKE_MOCK_ALLOW_REMOTE_CONTROL: 'no' });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await running.stop();
    running = await startServe(['serve', '--replay', recordingDir()], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_TRUST_PROXY: '0', SNOWFLAKE_MOCK_STRICT: 'no' });
    expect(running.stdout()).toMatch(/replaying "env-false" on http:/);
    await running.stop();
    // On the command line too (--strict=false is not strict), while a true one is still refused.
    running = await startServe(['serve', '--port', '0', '--strict=false']);
    await running.stop();
    running = undefined;
    const strict = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_STRICT: 'true' });
    expect([strict.code, strict.stderr]).toEqual([2, expect.stringContaining('SNOWFLAKE_MOCK_STRICT applies to --replay only')]);
  });

  it('a false on the command line still wins over a true variable', async () => {
    running = await startServe(['serve', '--control=false'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_CONTROL: 'true' });
    expect(running.stdout()).toContain('control   off');
    expect((await fetch(`${running.url}/__mock/health`)).status).toBe(404);
  });

  it('SNOWFLAKE_MOCK_HOSTNAME with an IPv6 zone (fe80::1%eth0): a usage error naming the variable and the value, exit 2', async () => {
    const r = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_HTTPS: 'true', SNOWFLAKE_MOCK_TLS_DIR: join(root, 'tls-zone'), SNOWFLAKE_MOCK_HOSTNAME: 'mock,fe80::1%eth0' });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('SNOWFLAKE_MOCK_HOSTNAME: "fe80::1%eth0" is an IPv6 address with a zone (the part from %); a certificate cannot name a zone')]);
    expect(r.stderr).not.toContain('Invalid URL');
    const flag = await runServe(['serve', '--https', '--port', '0', '--tls-dir', join(root, 'tls-zone'), '--hostname', '[fe80::1%25eth0]']);
    expect([flag.code, flag.stderr]).toEqual([2, expect.stringContaining('--hostname: "[fe80::1%25eth0]" is an IPv6 address with a zone')]);
  });

  it('SNOWFLAKE_MOCK_WORLD as YAML text and as JSON text', async () => {
    running = await startServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_WORLD: WORLD_YAML });
    expect(running.stdout()).toContain('dora-password');
    expect(running.stdout()).not.toContain('alice-password');
    await running.stop();
    running = await startServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_WORLD: WORLD_JSON });
    expect(running.stdout()).toContain('erin-password');
  });

  it('SNOWFLAKE_MOCK_WORLD_FILE is a path, as --world', async () => {
    const file = join(root, 'world.yaml');
    writeFileSync(file, WORLD_YAML);
    running = await startServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_WORLD_FILE: file });
    expect(running.stdout()).toContain('dora-password');
  });

  it('an invalid SNOWFLAKE_MOCK_WORLD: exit 2, naming the variable, the line and the field', async () => {
    const r = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_WORLD: BAD_WORLD });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the world config is invalid');
    expect(r.stderr).toMatch(/SNOWFLAKE_MOCK_WORLD:4:\d+: users\[0\]\.default_role: /);
  });

  it('SNOWFLAKE_MOCK_WORLD with --world or SNOWFLAKE_MOCK_WORLD_FILE: usage error, exit 2', async () => {
    const cli = await runServe(['serve', '--world', 'w.yaml'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_WORLD: WORLD_YAML });
    expect([cli.code, cli.stderr]).toEqual([2, expect.stringContaining('--world and SNOWFLAKE_MOCK_WORLD both give the world')]);
    const env = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_WORLD: WORLD_YAML, SNOWFLAKE_MOCK_WORLD_FILE: 'w.yaml' });
    expect([env.code, env.stderr]).toEqual([2, expect.stringContaining('SNOWFLAKE_MOCK_WORLD_FILE and SNOWFLAKE_MOCK_WORLD both give the world')]);
  });

  it('HTTPS from variables: SNOWFLAKE_MOCK_HTTPS, _TLS_DIR and a comma-separated _HOSTNAME', async () => {
    const dir = join(root, 'tls');
    running = await startServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_HTTPS: 'true', SNOWFLAKE_MOCK_TLS_DIR: dir, SNOWFLAKE_MOCK_HOSTNAME: 'snowflake, 10.9.8.7' });
    expect(running.url).toMatch(/^https:/);
    expect(running.stdout()).toContain(`the dev CA ${join(dir, 'ca.pem')}`);
    expect(running.stdout()).toMatch(/certificate for [^\n]*snowflake, 10\.9\.8\.7/);
    const bad = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_HTTPS: 'true', SNOWFLAKE_MOCK_TLS_DIR: dir, SNOWFLAKE_MOCK_HOSTNAME: 'ok,not ok' });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('SNOWFLAKE_MOCK_HOSTNAME: "not ok" is neither an IP address nor a DNS name')]);
  });

  it('TLS variables without HTTPS are not an error (the image sets SNOWFLAKE_MOCK_TLS_DIR for everyone); an unknown variable is a warning', async () => {
    running = await startServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_TLS_DIR: join(root, 'unused'), SNOWFLAKE_MOCK_PROT: '4010' });
    expect(running.url).toMatch(/^http:/);
    expect(running.stderr()).toContain('ignoring SNOWFLAKE_MOCK_PROT: serve reads no such variable; did you mean "SNOWFLAKE_MOCK_PORT"?');
  });

  it('with --replay, a variable of the mock is named in the usage error', async () => {
    const r = await runServe(['serve', '--replay', root], { SNOWFLAKE_MOCK_SEED: '3' });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('SNOWFLAKE_MOCK_SEED has no meaning with --replay')]);
  });
});
