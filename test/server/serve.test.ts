/**
 * The standalone server on a real port: the same endpoints as the msw handlers, client IP from the
 * socket (or X-Forwarded-For behind --trust-proxy), Host-based account routing, the control API.
 */
import { request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';

let server: RunningServer;
let proxied: RunningServer;

beforeAll(async () => {
  // Loopback clients are 127.0.0.1: give ALICE an open policy here so the socket address passes.
  const world = exampleWorld((w) => {
    w.accounts[0]!.network_policies!.push({ name: 'LOOPBACK', allowed_ip_list: ['127.0.0.0/8', '::1'] });
    w.accounts[0]!.users![0]!.network_policy = 'LOOPBACK';
  });
  server = await startServer({ world, port: 0, control: true, seed: 1 });
  proxied = await startServer({ world: exampleWorld(), port: 0, trustProxy: true });
});
afterAll(async () => {
  await server.close();
  await proxied.close();
});

async function post(base: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}/api/v2/statements`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('serve over HTTP', () => {
  it('answers SELECT CURRENT_USER() for a PAT, with the socket address as client IP', async () => {
    const answer = await post(server.url, JSON.stringify({ statement: 'SELECT CURRENT_USER()' }), { authorization: 'Bearer pat-alice-ci' });
    expect(answer.status).toBe(200);
    expect(answer.json.data).toEqual([['ALICE']]);
    expect(server.core.journal.last()).toMatchObject({ clientIp: '127.0.0.1', decision: 'allowed' });
  });

  it('answers a reused key-pair JWT', async () => {
    const token = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: server.core.clock.now() });
    for (let i = 0; i < 3; i++) expect((await post(server.url, '{"statement":"SELECT 1"}', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('answers CONNECT like any other method (405 on an endpoint, journaled), then closes: no silent hang-up, no tunnel', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, method: 'CONNECT', path: '/api/v2/statements' });
      req.on('connect', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
    expect(server.core.journal.last()).toMatchObject({ method: 'CONNECT', path: '/api/v2/statements', decision: 'rejected' });
  });

  it('closes a CONNECT socket itself: after the answer even if the client keeps its side open, and on close() while a delay fault holds it', async () => {
    const held = await startServer({ world: exampleWorld(), port: 0, control: true, seed: 1 });
    const connectRaw = (path: string): Promise<{ ended: Promise<void>; firstLine: Promise<string> }> => new Promise((resolve) => {
      // allowHalfOpen: this client never closes its side by itself; only the server can end the connection.
      const socket = netConnect({ port: held.port, host: '127.0.0.1', allowHalfOpen: true }, () => {
        socket.write(`CONNECT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
        resolve({ ended: new Promise((done) => socket.once('end', () => done())), firstLine: new Promise((line) => socket.once('data', (d) => line(String(d).split('\r\n')[0]!))) });
      });
      socket.on('error', () => undefined);
    });
    const answered = await connectRaw('/nowhere');
    expect(await answered.firstLine).toBe('HTTP/1.1 404 Not Found');
    await answered.ended;
    await fetch(`${held.url}/__mock/faults`, { method: 'POST', body: JSON.stringify({ path: '/api/v2/warehouses', delay: '60s' }) });
    const waiting = await connectRaw('/api/v2/warehouses');
    // Until the server has taken the CONNECT (the fault is spent): then close() must end it, and resolve.
    while (held.core.faults.list().some((f) => f.remaining !== 0)) await new Promise((r) => setTimeout(r, 5));
    await held.close();
    await waiting.ended;
  });

  it('answers 500 and stays up should an asynchronous answer ever reject (never a crash, never a hang)', async () => {
    const handle = server.core.handle;
    server.core.handle = () => Promise.reject(new Error('boom'));
    try {
      const broken = await post(server.url, '{"statement":"SELECT 1"}', { authorization: 'Bearer pat-alice-ci' });
      // The SQL API's own shape with the mock's internal-error code; the error's text stays out of the body.
      expect(broken).toEqual({ status: 500, json: { code: '999000', message: expect.stringMatching(/^snowflake-auth-mock internal error/) } });
      expect(JSON.stringify(broken.json)).not.toContain('boom');
    } finally {
      server.core.handle = handle;
    }
    expect((await post(server.url, '{"statement":"SELECT 1"}', { authorization: 'Bearer pat-alice-ci' })).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless --trust-proxy', async () => {
    const answer = await post(server.url, '{"statement":"SELECT 1"}', { authorization: 'Bearer pat-alice-ci', 'x-forwarded-for': '8.8.8.8' });
    expect(answer.status).toBe(200);
    const trusted = await post(proxied.url, '{"statement":"SELECT 1"}', { authorization: 'Bearer pat-alice-ci', 'x-forwarded-for': '10.0.0.5' });
    expect(trusted.status).toBe(200);
    const refused = await post(proxied.url, '{"statement":"SELECT 1"}', { authorization: 'Bearer pat-alice-ci', 'x-forwarded-for': '8.8.8.8' });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('390422');
  });

  it("routes by the Host header's first label when it names an account", async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/v2/statements`, { method: 'POST', headers: { host: `otherorg-other.localhost:${server.port}`, 'content-type': 'application/json', authorization: 'Bearer pat-other-alice' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end('{"statement":"SELECT CURRENT_ACCOUNT()"}');
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data).toEqual([['ZZ99999']]);
  });

  it('bad input is a Snowflake error, never a 500', async () => {
    expect((await post(server.url, '{oops', { authorization: 'Bearer pat-alice-ci' })).status).toBe(400);
    expect((await post(server.url, '{}', { authorization: `Bearer ${'z'.repeat(10_000)}` })).status).toBe(401);
    // node:http answers a 1 MB header with 431 before the mock sees it (a response, not a reset).
    const big = await fetch(`${server.url}/api/v2/statements`, { method: 'POST', headers: { 'x-big': 'b'.repeat(1024 * 1024) }, body: '{}' });
    expect(big.status).toBe(431);
    const huge = await fetch(`${server.url}/__mock/clock`, { method: 'POST', body: JSON.stringify({ set: 1e20 }) });
    expect(huge.status).toBe(400);
    expect((await huge.json()).error).toMatch(/out of the range of dates/);
    expect((await fetch(`${server.url}/__mock/health`)).status).toBe(200);
  });
});

describe('hostile OAuth input over HTTP', () => {
  it('a redirect_uri query with a newline and non-ASCII is encoded in Location; the server keeps answering', async () => {
    const plain = await startServer({ port: 0 }); // the default world's TEST_APP auto-consents
    try {
      const q = new URLSearchParams({ client_id: 'test-app-client', response_type: 'code', redirect_uri: 'http://localhost:8080/callback?x=a\nb€\u0000', login_hint: 'alice' });
      const res = await fetch(`${plain.url}/oauth/authorize?${q}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(/^http:\/\/localhost:8080\/callback\?x=ab%E2%82%AC(%00)?&code=/); // the URL parser drops the newline (and a trailing NUL) itself
      expect((await fetch(`${plain.url}/api/v2/databases`, { headers: { authorization: 'Bearer pat-alice-ci' } })).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});

describe('control API (--control)', () => {
  it('health, clock (GET/POST advance/set), journal, reset', async () => {
    const health = await (await fetch(`${server.url}/__mock/health`)).json();
    expect(health).toMatchObject({ status: 'ok', accounts: ['MYORG-MYACCOUNT', 'OTHERORG-OTHER'] });
    const set = await (await fetch(`${server.url}/__mock/clock`, { method: 'POST', body: JSON.stringify({ set: '2026-03-01T12:00:00Z' }) })).json();
    expect(set.now).toBe('2026-03-01T12:00:00.000Z');
    await fetch(`${server.url}/__mock/clock`, { method: 'POST', body: JSON.stringify({ freeze: true }) });
    const advanced = await (await fetch(`${server.url}/__mock/clock`, { method: 'POST', body: JSON.stringify({ advance: '16d' }) })).json();
    expect(advanced.now).toBe('2026-03-17T12:00:00.000Z');
    const expired = await post(server.url, '{"statement":"SELECT 1"}', { authorization: 'Bearer pat-alice-ci' });
    expect(expired.status).toBe(401);
    expect(expired.json.code).toBe('394400');
    const journal = await (await fetch(`${server.url}/__mock/journal?limit=1`)).json();
    expect(journal.entries).toHaveLength(1);
    expect(journal.entries[0]).toMatchObject({ code: '394400', cause: 'PAT_EXPIRED' });
    const reset = await fetch(`${server.url}/__mock/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect((await (await fetch(`${server.url}/__mock/journal`)).json()).entries).toEqual([]);
  });

  it('bad control input → 400 with a message; unknown control path → 404', async () => {
    const bad = await fetch(`${server.url}/__mock/clock`, { method: 'POST', body: JSON.stringify({ advance: 'soon' }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/advance/);
    expect((await fetch(`${server.url}/__mock/nope`)).status).toBe(404);
  });

  it('is off without --control', async () => {
    expect((await fetch(`${proxied.url}/__mock/health`)).status).toBe(404);
  });

  it('refuses --control on a non-loopback bind without --allow-remote-control', async () => {
    await expect(startServer({ port: 0, host: '0.0.0.0', control: true })).rejects.toThrow(/allow-remote-control/);
  });
});

describe('gzip request bodies on serve', () => {
  it('inflates Content-Encoding: gzip before the endpoint reads the body', async () => {
    const plain = await startServer({ port: 0 }); // the default world
    try {
      const body = gzipSync(JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } }));
      const res = await fetch(`${plain.url}/session/v1/login-request`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
      expect(((await res.json()) as { success: boolean }).success).toBe(true);
    } finally {
      await plain.close();
    }
  });
});
