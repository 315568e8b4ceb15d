/**
 * `serve --url-file <path>` / SNOWFLAKE_MOCK_URL_FILE (cli/serve.ts): once listening, the URL the
 * server really has (the port bound for --port 0, https with --https) and a newline, written
 * atomically; removed after a clean stop (SIGTERM), unless another server wrote its own since. The
 * container's HEALTHCHECK reads it.
 */
import { request as httpsRequest } from 'node:https';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachableUrl } from '../../cli/serve.ts';
import { recordingOf, writeRecordingDir } from '../helpers/replay-fixtures.ts';
import { runServe, startServe, useServeScratch } from '../helpers/serve-process.ts';

const scratch = useServeScratch('sam-url-file-');
const { root, freshDir } = scratch;

describe('serve --url-file', () => {
  it('--port 0: the file holds the URL with the port really bound and a newline, nothing else is left beside it; removed after SIGTERM', async () => {
    const file = join(root, 'plain.url');
    scratch.running = await startServe(['serve', '--port', '0', '--url-file', file]);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(`${scratch.running.url}\n`);
    expect(text).toMatch(/^http:\/\/127\.0\.0\.1:(\d+)\n$/);
    expect(text).not.toMatch(/:0\n$/);
    // The URL answers: the REST API without a token is a 401.
    expect((await fetch(`${text.trim()}/api/v2/databases`)).status).toBe(401);
    // Written through a temporary file and a rename: no temporary is left in the folder.
    expect(readdirSync(root).filter((f) => f.startsWith('plain.url'))).toEqual(['plain.url']);
    const stopped = await scratch.running.stop();
    scratch.running = undefined;
    expect(stopped.code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('SNOWFLAKE_MOCK_URL_FILE with HTTPS from variables: an https URL a client trusting the dev CA reaches', async () => {
    const file = join(root, 'https.url');
    const tls = freshDir();
    scratch.running = await startServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_HTTPS: 'yes', SNOWFLAKE_MOCK_TLS_DIR: tls, SNOWFLAKE_MOCK_URL_FILE: file });
    const url = readFileSync(file, 'utf8');
    expect(url).toBe(`${scratch.running.url}\n`);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\n$/);
    const status = await new Promise<number>((resolve, reject) => {
      httpsRequest(`${url.trim()}/api/v2/databases`, { ca: readFileSync(join(tls, 'ca.pem')), agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(status).toBe(401);
    expect((await scratch.running.stop()).code).toBe(0);
    scratch.running = undefined;
    expect(existsSync(file)).toBe(false);
  });

  it('serve --replay writes and removes it too', async () => {
    const recording = writeRecordingDir(recordingOf([], 'http://127.0.0.1:4010', 'url-file'));
    const file = join(root, 'replay.url');
    try {
      scratch.running = await startServe(['serve', '--replay', recording, '--port', '0', '--url-file', file]);
      expect(readFileSync(file, 'utf8')).toBe(`${scratch.running.url}\n`);
      expect((await scratch.running.stop()).code).toBe(0);
      scratch.running = undefined;
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(recording, { recursive: true, force: true });
    }
  });

  it('a file another server has written since is left alone on stop', async () => {
    const file = join(root, 'shared.url');
    scratch.running = await startServe(['serve', '--port', '0', '--url-file', file]);
    writeFileSync(file, 'http://127.0.0.1:1\n');
    expect((await scratch.running.stop()).code).toBe(0);
    scratch.running = undefined;
    expect(readFileSync(file, 'utf8')).toBe('http://127.0.0.1:1\n');
  });

  it('a file that cannot be written: exit 1 naming it, and the server is closed (the process ends)', async () => {
    const file = join(root, 'no-such-dir', 'x.url');
    const r = await runServe(['serve', '--port', '0', '--url-file', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`snowflake-auth-mock serve: cannot write --url-file ${file}: ENOENT`);
    expect(r.stdout).not.toContain('listening');
    const env = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_URL_FILE: file });
    expect([env.code, env.stderr]).toEqual([1, expect.stringContaining(`cannot write SNOWFLAKE_MOCK_URL_FILE ${file}`)]);
  });

  it('serve --help documents the flag and its variable', async () => {
    const { code, stdout } = await runServe(['serve', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--url-file <value> +once listening, write the URL to reach the server \(e\.g\. https:\/\/127\.0\.0\.1:4010: the port really bound, 0\.0\.0\.0 as 127\.0\.0\.1\) and a newline to this file; removed on a clean stop/);
    expect(stdout).toContain('SNOWFLAKE_MOCK_URL_FILE');
  });
});

describe('reachableUrl: what the file holds for a server bound to every interface', () => {
  it('0.0.0.0 and :: become loopback of their family, the port kept; anything else is as it is', () => {
    expect(reachableUrl('http://0.0.0.0:4010')).toBe('http://127.0.0.1:4010');
    expect(reachableUrl('https://0.0.0.0:443')).toBe('https://127.0.0.1:443');
    expect(reachableUrl('https://[::]:4443')).toBe('https://[::1]:4443');
    expect(reachableUrl('http://[0:0::0]:4010')).toBe('http://[::1]:4010');
    for (const url of ['http://127.0.0.1:4010', 'https://127.0.0.2:1', 'http://[::1]:9', 'http://localhost:4010', 'https://10.0.0.5:4010']) expect(reachableUrl(url)).toBe(url);
  });
});
