/**
 * `startServer({ tls })` (issue #12): the same server over node:https. A client that trusts the dev
 * CA gets its answers; one that does not, or asks for a name the certificate does not cover, fails
 * the handshake (verification on). Injected delays and resets and close() work as over HTTP.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The package's server entry offers the dev CA too (as the README shows).
import { ensureDevCertificates, startServer, type DevCertificates, type RunningServer } from '../../server/index.ts';
import { exampleWorld } from '../helpers/http-world.ts';

// Loopback clients are 127.0.0.1: give ALICE an open policy so the socket address passes.
const world = exampleWorld((w) => {
  w.accounts[0]!.network_policies!.push({ name: 'LOOPBACK', allowed_ip_list: ['127.0.0.0/8', '::1'] });
  w.accounts[0]!.users![0]!.network_policy = 'LOOPBACK';
});

const dir = mkdtempSync(join(tmpdir(), 'sam-https-'));
let certs: DevCertificates;
let server: RunningServer;
beforeAll(async () => {
  certs = await ensureDevCertificates({ dir });
  server = await startServer({ world, port: 0, control: true, seed: 1, tls: certs });
});
afterEach(() => server.core.faults.clear());
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type Outcome = { status: number; body: string } | { error: NodeJS.ErrnoException };

/** GET /api/v2/warehouses with ALICE's PAT over node:https; `tls` adds or overrides TLS options (no `ca`: Node's own roots only). */
function get(base: string, tls: RequestOptions = { ca: certs.ca }): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpsRequest(`${base}/api/v2/warehouses`, { headers: { authorization: 'Bearer pat-alice-ci', accept: 'application/json' }, agent: false, ...tls }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => resolve({ error }));
    req.end();
  });
}

describe('startServer with tls', () => {
  it('serves https:// and answers a client that trusts the dev CA', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await get(server.url);
    expect(answer).toMatchObject({ status: 200 });
    expect(JSON.parse((answer as { body: string }).body)[0].name).toBe('COMPUTE_WH');
    // By name too: the certificate covers localhost.
    expect(await get(`https://localhost:${server.port}`)).toMatchObject({ status: 200 });
  });

  it('a client that does not trust the CA fails with a certificate error (verification on)', async () => {
    const before = server.core.journal.entries().length;
    const answer = await get(server.url, {});
    expect('error' in answer && answer.error.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // The handshake failed: no request reached the mock.
    expect(server.core.journal.entries().length).toBe(before);
  });

  it('a name the certificate does not cover fails the host check', async () => {
    const answer = await get(server.url, { ca: certs.ca, servername: 'other.example.test' });
    expect('error' in answer && answer.error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('plain HTTP to the HTTPS port: the connection is closed without a byte of answer, and the mock sees no request', async () => {
    // OpenSSL reads "GET " where a TLS record header belongs and fails the handshake with
    // SSL_R_HTTP_REQUEST ("http request"; Node's tlsClientError, code ERR_SSL_HTTP_REQUEST,
    // https://nodejs.org/api/tls.html#event-tlsclienterror); Node then destroys the socket. No
    // "400 The plain HTTP request was sent to HTTPS port" as nginx gives: the client sees an orderly close.
    const before = server.core.journal.entries().length;
    const raw = await new Promise<{ bytes: number; ended: boolean; hadError: boolean }>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      let [bytes, ended] = [0, false];
      socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
      socket.on('end', () => (ended = true));
      socket.on('close', (hadError) => resolve({ bytes, ended, hadError }));
    });
    expect(raw).toEqual({ bytes: 0, ended: true, hadError: false });
    // What fetch (undici) makes of it: no status, "other side closed".
    const error = await fetch(server.url.replace('https:', 'http:') + '/__mock/health').then(() => undefined, (e: unknown) => e as Error & { cause?: { code?: string; message?: string } });
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.message).toBe('fetch failed');
    expect(error?.cause).toMatchObject({ code: 'UND_ERR_SOCKET', message: 'other side closed' });
    expect(server.core.journal.entries().length).toBe(before);
  });

  it('the control API works over https', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      httpsRequest(`${server.url}/__mock/health`, { ca: certs.ca }, (r) => resolve(r.statusCode ?? 0)).on('error', reject).end();
    });
    expect(res).toBe(200);
  });
});

describe('injected faults over https', () => {
  it('a delayed answer comes, late', async () => {
    server.core.faults.inject({ path: '/api/v2/warehouses', delay: '30ms' });
    expect(await get(server.url)).toMatchObject({ status: 200 });
    expect(server.core.journal.last()?.explanation).toMatch(/injected delay of 30 ms/);
  });

  it('a reset drops the TCP connection under TLS: ECONNRESET, no answer; the next request is answered', async () => {
    server.core.faults.inject({ path: '/api/v2/warehouses', reset: true });
    const answer = await get(server.url);
    expect('error' in answer && answer.error.code).toBe('ECONNRESET');
    // A real RST is seen while reading; a plain close would be "socket hang up".
    expect('error' in answer && answer.error.message).toBe('read ECONNRESET');
    expect(server.core.journal.last()).toMatchObject({ decision: 'fault', status: 0 });
    expect(await get(server.url)).toMatchObject({ status: 200 });
  });

  it('a delayed reset', async () => {
    server.core.faults.inject({ path: '/api/v2/warehouses', reset: true, delay: '20ms' });
    const answer = await get(server.url);
    expect('error' in answer && answer.error.code).toBe('ECONNRESET');
  });

  it('close() does not wait for a pending delay, and ends open TLS connections', async () => {
    const s = await startServer({ world, port: 0, seed: 1, tls: certs });
    s.core.faults.inject({ path: '/api/v2/warehouses', delay: '10m' });
    const taken = new Promise<void>((resolve) => {
      const handle = s.core.handle;
      s.core.handle = (request) => {
        const response = handle(request);
        resolve();
        return response;
      };
    });
    const pending = get(s.url);
    await taken;
    await s.close();
    expect(await pending).toMatchObject({ error: expect.anything() });
  });
});
