/**
 * The recording proxy (record/proxy.ts) in front of `serve` on 127.0.0.1 and of a small upstream of
 * the test's own: it answers as the upstream does, keeps the client's Host for `serve`, records the
 * exchange decoded and without hop-by-hop headers, never follows redirects, labels its own 502, and
 * writes nothing in passthrough.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamHost } from '../../record/proxy-forward.ts';
import { startRecordingProxy, type RecordingProxyOptions } from '../../record/proxy.ts';
import { RecordingIncompleteError } from '../../record/sink.ts';
import { readRecording } from '../../record/store.ts';
import { startServer, type RunningServer } from '../../server/index.ts';

const LEAK = '3f9aK2mQ8xLp0ZrT7vWcB4nYhE6sJ1dGq8Zk';
let serve: RunningServer;
let own: Server;
let ownUrl: string;
const ownSeen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  serve = await startServer({ port: 0, seed: 3 });
  own = createServer((req, res) => {
    ownSeen.push(req.headers);
    if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
    // A random-looking value under a name no rule knows: the writer's final scan refuses it.
    if (req.url === '/leaky') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { note: LEAK } }));
    const body = gzipSync(JSON.stringify({ data: { greeting: 'hello' }, success: true }));
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', connection: 'keep-alive, x-hop', 'x-hop': 'drop me', 'x-kept': 'yes', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((ok) => own.listen(0, '127.0.0.1', ok));
  ownUrl = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await serve.close();
  await new Promise((ok) => own.close(ok));
});

const tempDir = (): string => join(mkdtempSync(join(tmpdir(), 'sam-proxy-')), 'rec');

async function withProxy<T>(options: Partial<RecordingProxyOptions> & { upstream: string }, run: (url: string) => Promise<T>) {
  const log: string[] = [];
  const out = options.out ?? tempDir();
  const proxy = await startRecordingProxy({ port: 0, out, log: (line) => log.push(line), ...options });
  const result = await run(proxy.url);
  const manifest = await proxy.close();
  return { result, manifest, log, out };
}

/** node:http, because fetch cannot set Host; answers with the raw body bytes. */
function send(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url + options.path, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const statement = (token: string, host?: string) => ({
  method: 'POST',
  path: '/api/v2/statements?async=false',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', ...(host && { host }) },
  body: JSON.stringify({ statement: 'SELECT CURRENT_USER()' }),
});

describe('record mode in front of serve', () => {
  it('answers as serve answers directly, and records the exchange in order with its status', async () => {
    const direct = await send(serve.url, statement('pat-alice-ci'));
    const { result, manifest, out } = await withProxy({ upstream: serve.url }, async (url) => [await send(url, statement('pat-alice-ci')), await send(url, statement('pat-nobody'))]);
    const [ok, refused] = result;
    expect(ok!.status).toBe(direct.status);
    expect(JSON.parse(ok!.bytes.toString()).data).toEqual([['ALICE']]);
    expect(refused!.status).toBe(401);
    expect(manifest?.exchanges).toHaveLength(2);
    const recording = readRecording(out);
    expect(recording.exchanges.map((e) => [e.request.method, e.request.url, e.response.status])).toEqual([
      ['POST', '/api/v2/statements?async=false', 200],
      ['POST', '/api/v2/statements?async=false', 401],
    ]);
    const first = recording.exchanges[0]!;
    expect(first.request.body).toEqual({ json: { statement: 'SELECT CURRENT_USER()' } });
    expect(first.request.headers['content-length']).toBeUndefined();
    expect(first.request.host).toBeUndefined(); // the client addressed the proxy itself
    expect(Date.parse(first.startedAt)).toBeGreaterThan(0);
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("keeps the client's Host, so serve routes the account as it does for direct clients, and records it", async () => {
    const { result, out } = await withProxy({ upstream: serve.url }, async (url) => ({
      known: await send(url, statement('pat-alice-ci', 'xy12345.snowflakecomputing.com')),
      unknown: await send(url, statement('pat-alice-ci', 'nosuch-account.snowflakecomputing.com')),
    }));
    const directUnknown = await send(serve.url, statement('pat-alice-ci', 'nosuch-account.snowflakecomputing.com'));
    expect(result.known.status).toBe(200);
    // An unknown account host is refused by serve; with the upstream's own Host it would have been served.
    expect(directUnknown.status).not.toBe(200);
    expect(result.unknown.status).toBe(directUnknown.status);
    expect(readRecording(out).exchanges.map((e) => e.request.host)).toEqual(['xy12345.snowflakecomputing.com', 'nosuch-account.snowflakecomputing.com']);
  });

  it('--redact-identities (identities: true) reaches the writer: the account in the Host is replaced too', async () => {
    const { out } = await withProxy({ upstream: serve.url, identities: true }, (url) => send(url, statement('pat-alice-ci', 'xy12345.snowflakecomputing.com')));
    const recording = readRecording(out);
    expect(recording.manifest.redaction.identities).toBe(true);
    expect(recording.exchanges[0]!.request.host).toMatch(/^redacted-locator-\d+\.snowflakecomputing\.com$/);
    expect(JSON.stringify(recording)).not.toMatch(/xy12345/i);
  });

  it('records a gzip request body inflated, as the driver sends its login', async () => {
    const login = { data: { ACCOUNT_NAME: 'MYORG-MYACCOUNT', LOGIN_NAME: 'alice', PASSWORD: 'alice-password', CLIENT_APP_ID: 'JavaScript' } };
    const { result, out } = await withProxy({ upstream: serve.url }, (url) =>
      send(url, { method: 'POST', path: '/session/v1/login-request?requestId=1', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(login)) }));
    expect(JSON.parse(result.bytes.toString()).success).toBe(true);
    const [exchange] = readRecording(out).exchanges;
    expect(exchange!.request.headers['content-encoding']).toBeUndefined();
    const body = exchange!.request.body as { json: { data: Record<string, string> } };
    expect(body.json.data.LOGIN_NAME).toBe('alice');
    expect(body.json.data.PASSWORD).not.toBe('alice-password');
  });
});

describe('record mode, byte for byte', () => {
  it('passes the gzip answer through untouched, records it decoded, and drops hop-by-hop headers both ways', async () => {
    const { result, out } = await withProxy({ upstream: ownUrl }, (url) =>
      send(url, { path: '/x', headers: { connection: 'keep-alive, x-client-hop', 'x-client-hop': 'drop', 'x-client': 'keep', 'accept-encoding': 'gzip' } }));
    expect(result.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(result.bytes).toString())).toEqual({ data: { greeting: 'hello' }, success: true });
    expect(result.headers['x-hop']).toBeUndefined();
    expect(result.headers['x-kept']).toBe('yes');
    const seen = ownSeen.at(-1)!;
    expect(seen['x-client-hop']).toBeUndefined();
    expect(seen['x-client']).toBe('keep');
    const [exchange] = readRecording(out).exchanges;
    expect(exchange!.response.body).toEqual({ json: { data: { greeting: 'hello' }, success: true } });
    expect(Object.keys(exchange!.response.headers).sort()).toEqual(['content-type', 'date', 'x-kept']);
    expect(exchange!.request.headers).toEqual({ 'x-client': 'keep', 'accept-encoding': 'gzip' });
  });

  it('does not follow a redirect: the client gets the 302 and it is recorded as such', async () => {
    const { result, out } = await withProxy({ upstream: ownUrl }, (url) => send(url, { path: '/redirect' }));
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('http://127.0.0.1:9/elsewhere');
    expect(readRecording(out).exchanges[0]!.response).toMatchObject({ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } });
  });
});

describe('failures and modes', () => {
  it('an upstream that is down: a 502 labelled as the proxy’s own, a line on stderr, nothing recorded', async () => {
    const dead = await startServer({ port: 0 });
    const deadUrl = dead.url;
    await dead.close();
    const { result, manifest, log } = await withProxy({ upstream: deadUrl }, (url) => send(url, statement('pat-alice-ci')));
    expect(result.status).toBe(502);
    expect(result.headers['x-snowflake-auth-mock']).toBe('proxy-error');
    const body = JSON.parse(result.bytes.toString());
    expect(body).toMatchObject({ error: 'upstream_unreachable', source: 'snowflake-auth-mock proxy' });
    expect(body.code).toBeUndefined(); // no fake Snowflake code
    expect(log.join('\n')).toMatch(/POST \/api\/v2\/statements: upstream http:\/\/127\.0\.0\.1:\d+ failed \(ECONNREFUSED\); answered 502/);
    expect(log.join('\n')).not.toContain('pat-alice-ci');
    expect(manifest?.exchanges).toEqual([]);
  });

  it('passthrough forwards and writes nothing', async () => {
    const { result, manifest, out } = await withProxy({ upstream: serve.url, mode: 'passthrough' }, (url) => send(url, statement('pat-alice-ci')));
    expect(result.status).toBe(200);
    expect(manifest).toBeUndefined();
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('a busy port leaves an existing recording at out alone', async () => {
    const { out } = await withProxy({ upstream: serve.url }, (url) => send(url, statement('pat-alice-ci')));
    const first = await startRecordingProxy({ upstream: serve.url, port: 0, out: tempDir() });
    await expect(startRecordingProxy({ upstream: serve.url, port: first.port, out })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.close();
    expect(readRecording(out).exchanges).toHaveLength(1);
  });

  it('refuses an upstream that is not an http(s) URL, and an unknown mode', async () => {
    await expect(startRecordingProxy({ upstream: 'ftp://example.com', out: tempDir(), port: 0 })).rejects.toThrow(/http or https/);
    await expect(startRecordingProxy({ upstream: 'not a url', out: tempDir(), port: 0 })).rejects.toThrow(/base URL/);
    await expect(startRecordingProxy({ upstream: serve.url, out: tempDir(), port: 0, mode: 'bogus' as never })).rejects.toThrow(/mode must be one of/);
  });
});

describe('a secret left after redaction', () => {
  it('the client still gets its answer, the exchange is not written, the error names file and path only, close() rejects', async () => {
    const out = tempDir();
    const log: string[] = [];
    const proxy = await startRecordingProxy({ upstream: ownUrl, port: 0, out, log: (line) => log.push(line) });
    const leaky = await send(proxy.url, { path: '/leaky' });
    const fine = await send(proxy.url, { path: '/x' });
    const closed = await proxy.close().then(() => undefined, (error: unknown) => error);
    expect(leaky.status).toBe(200);
    expect(JSON.parse(leaky.bytes.toString()).data.note).toBe(LEAK);
    expect(fine.status).toBe(200);
    expect(closed).toBeInstanceOf(RecordingIncompleteError);
    const error = closed as RecordingIncompleteError;
    expect(error.failures).toEqual([expect.objectContaining({ file: 'exchanges/0001-get-leaky.json', path: '/response/body/json/data/note' })]);
    // What was written is a valid recording without the refused exchange.
    expect(error.manifest?.exchanges).toEqual(['0001-get-x.json']);
    expect(readRecording(out).exchanges.map((e) => e.request.url)).toEqual(['/x']);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/GET \/leaky not written: .*exchanges\/0001-get-leaky\.json at \/response\/body\/json\/data\/note/);
    for (const text of [...log, error.message]) expect(text).not.toContain(LEAK);
  });

  it('--allow lets that path through, and the manifest says so', async () => {
    const { manifest, out } = await withProxy({ upstream: ownUrl, allow: ['/response/body/json/data/note'] }, (url) => send(url, { path: '/leaky' }));
    expect(manifest?.redaction.allowed).toEqual(['exchanges/0001-get-leaky.json#/response/body/json/data/note']);
    expect(readRecording(out).exchanges).toHaveLength(1);
  });
});

describe('replay and record-missing', () => {
  const journalSize = (): number => serve.core.journal.entries().length;

  it('replay answers from the recording without any upstream, and answers the unmatched with the engine’s 404', async () => {
    const out = tempDir();
    await withProxy({ upstream: serve.url, out }, (url) => send(url, statement('pat-alice-ci')));
    const { result } = await withProxy({ upstream: 'http://127.0.0.1:9', out, mode: 'replay' }, async (url) => ({
      same: await send(url, statement('pat-alice-ci')),
      other: await send(url, { path: '/api/v2/databases', headers: { authorization: 'Bearer pat-alice-ci' } }),
    }));
    expect(result.same.status).toBe(200);
    expect(JSON.parse(result.same.bytes.toString()).data).toEqual([['ALICE']]);
    expect(result.other.status).toBe(404);
    expect(result.other.headers['x-snowflake-auth-mock']).toBe('replay-unmatched');
    expect(readRecording(out).exchanges).toHaveLength(1); // replay wrote nothing
  });

  it('replay refuses to start without a recording', async () => {
    await expect(startRecordingProxy({ upstream: serve.url, out: tempDir(), port: 0, mode: 'replay' })).rejects.toThrow(/recording\.json/);
  });

  it('record-missing answers what is recorded, forwards the rest, and keeps both in the recording', async () => {
    const out = tempDir();
    await withProxy({ upstream: serve.url, out }, (url) => send(url, statement('pat-alice-ci')));
    const before = journalSize();
    const { result, manifest } = await withProxy({ upstream: serve.url, out, mode: 'record-missing' }, async (url) => ({
      recorded: await send(url, statement('pat-alice-ci')),
      afterRecorded: journalSize(),
      missing: await send(url, { path: '/api/v2/databases', headers: { authorization: 'Bearer pat-alice-ci', accept: 'application/json' } }),
    }));
    expect(result.recorded.status).toBe(200);
    expect(result.afterRecorded).toBe(before); // answered from the recording: serve never saw it
    expect(result.missing.status).toBe(200);
    expect(journalSize()).toBe(before + 1); // forwarded
    expect(manifest?.exchanges).toEqual(['0001-post-api-v2-statements.json', '0002-get-api-v2-databases.json']);
    const text = readRecording(out).exchanges.map((e) => JSON.stringify(e)).join('');
    expect(text).not.toContain('pat-alice-ci');
  });

  // The exchanges already recorded are written again through the writer; the placeholders they hold
  // keep their numbers (record/redact.ts reserves them), so a new secret gets the next one.
  it('record-missing: a new secret does not take the placeholder of a recorded one', async () => {
    const out = tempDir();
    const login = (user: string) => ({ method: 'POST', path: '/session/v1/login-request?requestId=1', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { ACCOUNT_NAME: 'MYORG-MYACCOUNT', LOGIN_NAME: user, PASSWORD: `${user}-password` } }) });
    await withProxy({ upstream: serve.url, out }, (url) => send(url, login('alice')));
    await withProxy({ upstream: serve.url, out, mode: 'record-missing' }, (url) => send(url, login('carol')));
    const passwords = readRecording(out).exchanges.map((e) => (e.request.body as { json: { data: { PASSWORD: string } } }).json.data.PASSWORD);
    expect(passwords).toHaveLength(2);
    expect(passwords[0]).not.toBe(passwords[1]);
  });

  it('record-missing without a recording yet records everything', async () => {
    const { manifest } = await withProxy({ upstream: serve.url, mode: 'record-missing' }, (url) => send(url, statement('pat-alice-ci')));
    expect(manifest?.exchanges).toHaveLength(1);
  });
});

describe('the Host sent upstream', () => {
  it("is the client's for a plain-http upstream (serve) and the upstream's own for https (a real account)", () => {
    expect(upstreamHost('myorg-myaccount.localhost:4011', new URL('http://127.0.0.1:4010'))).toBe('myorg-myaccount.localhost:4011');
    expect(upstreamHost(undefined, new URL('http://127.0.0.1:4010'))).toBe('127.0.0.1:4010');
    expect(upstreamHost('127.0.0.1:4011', new URL('https://myorg-myaccount.snowflakecomputing.com'))).toBe('myorg-myaccount.snowflakecomputing.com');
  });
});

