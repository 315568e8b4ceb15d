/**
 * The recording proxy under hostile input (issue #11 review): it forwards only paths on its own
 * upstream, reads bounded bodies, never inflates a small gzip body into gigabytes, and an exchange it
 * could not capture makes the recording incomplete rather than silently missing.
 */
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeContent } from '../../record/capture.ts';
import { targetUrl } from '../../record/proxy-forward.ts';
import { startRecordingProxy } from '../../record/proxy.ts';
import { RecordingIncompleteError } from '../../record/sink.ts';
import { MAX_BODY_BYTES } from '../../http/record.ts';

let upstream: Server;
let upstreamUrl: string;
/** Another server the client names: the proxy must never reach it. */
let other: Server;
let otherPort: number;
let otherHits = 0;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  other = createServer((req, res) => {
    otherHits++;
    res.end('reached');
  });
  await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', ok));
  await new Promise<void>((ok) => other.listen(0, '127.0.0.1', ok));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  otherPort = (other.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((ok) => upstream.close(ok));
  await new Promise((ok) => other.close(ok));
});

const tempDir = (): string => join(mkdtempSync(join(tmpdir(), 'sam-proxy-hard-')), 'rec');

/** A raw request whose target is sent as given (fetch would normalise it). */
function raw(port: number, method: string, target: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: target, headers: { ...headers, ...(body && { 'content-length': String(body.length) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('request targets', () => {
  it('only origin-form targets reach the upstream; absolute and scheme-relative ones are refused 400 and go nowhere', async () => {
    const proxy = await startRecordingProxy({ upstream: upstreamUrl, port: 0, out: tempDir(), log: () => {} });
    const before = otherHits;
    for (const target of [`http://127.0.0.1:${otherPort}/steal`, `//127.0.0.1:${otherPort}/steal`]) {
      const answer = await raw(proxy.port, 'GET', target, undefined, { authorization: 'Bearer secret-token' });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'bad_request_target', source: 'snowflake-auth-mock proxy' });
    }
    expect(otherHits).toBe(before);
    expect((await raw(proxy.port, 'GET', '/api/v2/databases')).status).toBe(200);
    const manifest = await proxy.close();
    expect(manifest?.exchanges).toHaveLength(1);
  });

  it('targetUrl keeps the upstream origin and its base path', () => {
    expect(targetUrl(new URL('http://127.0.0.1:4010/base/'), '/x?y=1')?.href).toBe('http://127.0.0.1:4010/base/x?y=1');
    expect(targetUrl(new URL('http://127.0.0.1:4010'), 'http://169.254.169.254/')).toBeUndefined();
    expect(targetUrl(new URL('http://127.0.0.1:4010'), '//evil.example/')).toBeUndefined();
    expect(targetUrl(new URL('http://127.0.0.1:4010'), '*')).toBeUndefined();
  });
});

describe('bounded bodies', () => {
  it('a request body over the limit is answered 413, not forwarded, and the recording says it is incomplete', async () => {
    const proxy = await startRecordingProxy({ upstream: upstreamUrl, port: 0, out: tempDir(), log: () => {} });
    const answer = await raw(proxy.port, 'POST', '/api/v2/statements', Buffer.alloc(MAX_BODY_BYTES + 1, 0x61), { 'content-type': 'text/plain' });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'request_too_large' });
    await expect(proxy.close()).rejects.toBeInstanceOf(RecordingIncompleteError);
  });

  it('a gzip bomb is not inflated past the limit: the bytes are kept as they came', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros in ~64 KB
    const decoded = decodeContent(bomb, 'gzip');
    expect(decoded.decoded).toBe(false);
    expect(decoded.bytes).toBe(bomb);
    expect(decodeContent(gzipSync('{"a":1}'), 'gzip')).toMatchObject({ decoded: true });
  });
});
