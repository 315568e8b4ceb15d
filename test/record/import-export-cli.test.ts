/**
 * `snowflake-auth-mock import` and `export` as a user runs them: help with exit codes; bad input is
 * exit 2 with one `file: field: problem` line and no stack trace; a secret left after redaction is
 * exit 1 naming file#pointer with a ready --allow, never the value; import → export → import works.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { takeRepeated } from '../../cli/args.ts';
import { main } from '../../cli/main.ts';
import { readRecording } from '../../record/store.ts';

const BIN = fileURLToPath(new URL('../../bin/snowflake-auth-mock.js', import.meta.url));
const temp = (): string => mkdtempSync(join(tmpdir(), 'sam-cli-'));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** The CLI in this process (fast): exit code and what it printed. A thrown error would fail the test, so no stack trace can reach a user. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(`${a.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(`${a.join(' ')}\n`));
  try {
    return { code: await main(args), stdout: out.join(''), stderr: err.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const SECRET = 'q7Xr2LmZ9vBc4NtK8wYp3HsJ6dFa1GeU0iOo5QxR';
function har(dir: string, content: string): string {
  const file = join(dir, 'session.har');
  const entry = (url: string, text: string) => ({ startedDateTime: '2026-03-01T12:00:00.000Z', time: 5, request: { method: 'POST', url, headers: [{ name: 'Authorization', value: 'Bearer pat-alice-ci' }] }, response: { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }], content: { mimeType: 'application/json', text } } });
  writeFileSync(file, JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [entry('https://myorg-myaccount.snowflakecomputing.com/api/v2/statements', content)] } }));
  return file;
}

describe('import', () => {
  it('--help lists both kinds, their flags and the exit codes (exit 0)', () => {
    const r = cli('import', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('import har <file.har> --out <dir>');
    expect(r.stdout).toContain('import wiremock <mappings dir> --out <dir>');
    expect(r.stdout).toMatch(/--redact-identities[\s\S]*--allow[\s\S]*exit codes:\n {2}0 {2}imported\n {2}1 {2}the final scan[\s\S]*\n {2}2 {2}usage error/);
  });

  it('imports a HAR, redacted, and prints a summary (exit 0); export har writes it back as HAR', async () => {
    const dir = temp();
    const r = cli('import', 'har', har(dir, '{"data":[["1"]]}'), '--out', join(dir, 'rec'), '--name', 'pat', '--redact-identities');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^imported 1 exchange\(s\) from .*session\.har into .*rec; placeholders: /);
    const recording = readRecording(join(dir, 'rec'));
    expect(recording.manifest).toMatchObject({ name: 'pat', upstream: 'https://redacted-account-1.snowflakecomputing.com', redaction: { identities: true } });
    expect(recording.exchanges[0]!.request.headers.authorization).toBe('Bearer __redacted_access_token_1__');
    const exported = cli('export', 'har', join(dir, 'rec'), '--out', join(dir, 'out.har'));
    expect(exported.code).toBe(0);
    const harOut = JSON.parse(readFileSync(join(dir, 'out.har'), 'utf8')) as { log: { entries: { request: { url: string } }[] } };
    expect(harOut.log.entries[0]!.request.url).toBe('https://redacted-account-1.snowflakecomputing.com/api/v2/statements');
    expect((await run('import', 'har', join(dir, 'out.har'), '--out', join(dir, 'again'))).code).toBe(0);
    expect(readRecording(join(dir, 'again')).exchanges[0]!.request.headers.authorization).toBe('Bearer __redacted_access_token_1__');
  });

  it('a secret left after redaction: exit 1, file#pointer and a ready --allow, never the value; nothing written', async () => {
    const dir = temp();
    const file = har(dir, JSON.stringify({ opaque: SECRET }));
    const r = cli('import', 'har', file, '--out', join(dir, 'rec'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("exchanges/0001-post-api-v2-statements.json#/response/body/json/opaque: holds a random-looking string");
    expect(r.stderr).toContain("allow it with --allow 'exchanges/0001-post-api-v2-statements.json#/response/body/json/opaque'");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain('pat-alice-ci');
    expect(existsSync(join(dir, 'rec'))).toBe(false);
    expect((await run('import', 'har', file, '--out', join(dir, 'rec'), '--allow', 'exchanges/0001-post-api-v2-statements.json#/response/body/json/opaque')).code).toBe(0);
  });

  it.each([
    [['import'], /usage: snowflake-auth-mock import har/],
    [['import', 'zip', 'x'], /snowflake-auth-mock import: unknown kind "zip": import har or import wiremock/],
    [['import', 'har'], /snowflake-auth-mock import: name the HAR file to import/],
    [['import', 'har', 'x.har'], /snowflake-auth-mock import: --out <dir> is required/],
    [['import', 'har', 'x.har', '--out', 'd', '--allow'], /snowflake-auth-mock import: --allow needs a value/],
    [['import', 'har', 'x.har', '--out', 'd', '--bogus'], /snowflake-auth-mock import: unknown flag --bogus/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('input it cannot read: exit 2 with file: field: problem, no stack trace', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'bad.har'), JSON.stringify({ log: { entries: [{ request: { url: '/relative' }, response: { status: 200 } }] } }));
    const bad = cli('import', 'har', join(dir, 'bad.har'), '--out', join(dir, 'rec'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`snowflake-auth-mock import: ${join(dir, 'bad.har')}: log.entries[0].request.url: expected an absolute URL\n`);
    const missing = await run('import', 'har', join(dir, 'missing.har'), '--out', join(dir, 'rec'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^snowflake-auth-mock import: .*missing\.har: \(file\): ENOENT/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('import wiremock dispatches to the WireMock importer', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'mappings'));
    writeFileSync(join(dir, 'mappings', 'login.json'), JSON.stringify({ request: { method: 'POST', url: '/session/v1/login-request' }, response: { status: 200, jsonBody: { data: { token: 'ver:1-hint:1-fixture-token' }, success: true } } }));
    const r = await run('import', 'wiremock', join(dir, 'mappings'), '--out', join(dir, 'rec'), '--attribution', 'test mappings');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const recording = readRecording(join(dir, 'rec'));
    expect(recording.manifest.attribution).toBe('test mappings');
    expect(recording.exchanges[0]!.response.body).toEqual({ json: { data: { token: '__redacted_session_token_1__' }, success: true } });
  });

  it('import wiremock --set fills a driver test\'s placeholder text before reading (gosnowflake\'s %CLIENT_TELEMETRY_ENABLED%)', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'mappings'));
    // Not JSON until the placeholder is filled; a numeric-string delay as the python fixtures write it.
    writeFileSync(join(dir, 'mappings', 'login.json'), '{ "request": { "method": "POST", "url": "/session/v1/login-request" }, "response": { "status": 200, "fixedDelayMilliseconds": "1000", "jsonBody": { "data": { "telemetry": %CLIENT_TELEMETRY_ENABLED% }, "success": true } } }');
    const without = await run('import', 'wiremock', join(dir, 'mappings'), '--out', join(dir, 'rec'));
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/login\.json/);
    const r = await run('import', 'wiremock', join(dir, 'mappings'), '--out', join(dir, 'rec'), '--set', '%CLIENT_TELEMETRY_ENABLED%=true');
    expect(r.code).toBe(0);
    const exchange = readRecording(join(dir, 'rec')).exchanges[0]!;
    expect(exchange.response.body).toEqual({ json: { data: { telemetry: true }, success: true } });
    expect(exchange.durationMs).toBe(1000);
    const bad = await run('import', 'wiremock', join(dir, 'mappings'), '--out', join(dir, 'rec'), '--set', 'no-equals-sign');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set "no-equals-sign": expected NAME=VALUE/);
  });
});

describe('export', () => {
  it('--help and usage errors', async () => {
    const help = await run('export', 'har', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: snowflake-auth-mock export har <recording dir> \[--out file\.har\][\s\S]*exit codes:\n {2}0 {2}written\n {2}2 {2}usage error/);
    const wrong = await run('export', 'csv', 'x');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('unknown format "csv": export har');
  });

  it('a folder that holds no recording: exit 2 naming the file', async () => {
    const dir = temp();
    const r = await run('export', 'har', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`snowflake-auth-mock export: ${join(dir, 'recording.json')}: (file): not found: a recording folder holds recording.json\n`);
  });
});

describe('takeRepeated', () => {
  it('collects every --allow, in both spellings, and leaves the rest in order', () => {
    expect(takeRepeated(['a', '--allow', '/x', '--out', 'd', '--allow=/y'], 'allow')).toEqual({ values: ['/x', '/y'], rest: ['a', '--out', 'd'] });
  });
});
