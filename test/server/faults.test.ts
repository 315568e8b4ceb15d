/**
 * Injected faults on the standalone server (issue #5): the control API (POST/GET/DELETE
 * /__mock/faults), statuses then the normal answer, a reset as a socket error, delays, and a
 * close() that does not wait for a pending delay.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FAULT_HEADER } from '../../domain/faults.ts';
import type { MockRequest } from '../../http/record.ts';
import { startServer } from '../../server/index.ts';
import { LOOPBACK_WORLD, useControlServer } from '../helpers/control-server.ts';

const world = LOOPBACK_WORLD;
const server = useControlServer();

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server().url}/__mock/${path}`, { method, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  return { status: res.status, json: await res.json() };
}

/** GET /api/v2/warehouses with ALICE's PAT: 200 [{ name: 'COMPUTE_WH', … }] when no fault answers. */
function warehouses(base = server().url): Promise<Response> {
  return fetch(`${base}/api/v2/warehouses`, { headers: { authorization: 'Bearer pat-alice-ci', accept: 'application/json' } });
}

/** A request with node:http, to see the socket error a reset gives. */
function rawWarehouses(): Promise<{ status: number } | { error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const req = httpRequest(`${server().url}/api/v2/warehouses`, { headers: { authorization: 'Bearer pat-alice-ci' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', (error) => resolve({ error }));
    req.end();
  });
}

describe('injected faults on serve', () => {
  it('POST /__mock/faults: 503 twice, GET lists what is left, then the normal answer', async () => {
    const injected = await control('POST', 'faults', { path: '/api/v2/warehouses', method: 'GET', count: 2, status: 503 });
    expect(injected.status).toBe(200);
    expect(injected.json.injected).toEqual([{ id: 1, path: '/api/v2/warehouses', method: 'GET', count: 2, remaining: 2, status: 503 }]);
    const first = await warehouses();
    expect(first.status).toBe(503);
    expect(first.headers.get(FAULT_HEADER)).toBe('1');
    expect(await first.json()).toEqual({ message: 'Service Unavailable' });
    expect((await control('GET', 'faults')).json.faults).toMatchObject([{ id: 1, remaining: 1 }]);
    expect((await warehouses()).status).toBe(503);
    expect((await control('GET', 'faults')).json.faults).toEqual([]);
    const normal = await warehouses();
    expect(normal.status).toBe(200);
    expect((await normal.json())[0].name).toBe('COMPUTE_WH');
    const journal = (await control('GET', 'journal')).json.entries;
    expect(journal.map((e: { decision: string; status: number }) => [e.decision, e.status])).toEqual([['fault', 503], ['fault', 503], ['allowed', 200]]);
    expect(journal[1].explanation).toBe('fault: injected 503 (#1, 0 of 2 left) on GET /api/v2/warehouses');
  });

  it('a reset drops the connection: a socket error, no answer', async () => {
    await control('POST', 'faults', [{ path: '/api/v2/warehouses', reset: true }, { path: '/api/v2/warehouses', reset: true }]);
    const raw = await rawWarehouses();
    expect('error' in raw && raw.error.code).toBe('ECONNRESET');
    await expect(warehouses()).rejects.toThrow(TypeError);
    expect(server().core.journal.last()).toMatchObject({ decision: 'fault', status: 0 });
    expect((await warehouses()).status).toBe(200);
  });

  it('a delay-only fault answers normally, late', async () => {
    await control('POST', 'faults', { path: '/api/v2/warehouses', delay: 20 });
    const res = await warehouses();
    expect(res.status).toBe(200);
    expect(server().core.journal.last()?.explanation).toMatch(/\(fault: injected delay of 20 ms \(#1, 0 of 1 left\) on GET \/api\/v2\/warehouses\)$/);
  });

  it('a delayed status and a delayed reset', async () => {
    await control('POST', 'faults', [{ path: '/api/v2/warehouses', status: 504, delay: '20ms' }, { path: '/api/v2/warehouses', reset: true, delay: '20ms' }]);
    expect((await warehouses()).status).toBe(504);
    const raw = await rawWarehouses();
    expect('error' in raw && raw.error.code).toBe('ECONNRESET');
  });

  it('DELETE /__mock/faults clears; POST /__mock/reset and PUT /__mock/world do too', async () => {
    await control('POST', 'faults', { path: '*', status: 503, count: 'always' });
    expect((await control('GET', 'faults')).json.faults).toMatchObject([{ path: '*', count: 'always', remaining: 'always' }]);
    expect((await warehouses()).status).toBe(503);
    expect(await control('DELETE', 'faults')).toEqual({ status: 200, json: { cleared: 1 } });
    expect((await warehouses()).status).toBe(200);
    await control('POST', 'faults', { path: '*', status: 503 });
    await control('POST', 'reset');
    expect((await control('GET', 'faults')).json.faults).toEqual([]);
    await control('POST', 'faults', { path: '*', status: 503 });
    expect((await control('PUT', 'world', world)).status).toBe(200);
    expect((await control('GET', 'faults')).json.faults).toEqual([]);
  });

  it('the control API itself is never faulted', async () => {
    await control('POST', 'faults', { path: '*', status: 503, count: 'always' });
    expect((await control('GET', 'health')).status).toBe(200);
  });

  it('the world change inject_fault goes through POST /__mock/world/change', async () => {
    expect((await control('POST', 'world/change', { inject_fault: { path: '/api/v2/warehouses', status: 500 } })).status).toBe(200);
    expect((await warehouses()).status).toBe(500);
    const bad = await control('POST', 'world/change', { inject_fault: { path: '/api/v2/warehouses', status: 500, reset: true } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid fault: inject_fault.status: a reset drops the connection, so nothing is answered: remove status or reset');
  });

  it('a bad rule is a 400 naming the field, and nothing is injected', async () => {
    const bad = await control('POST', 'faults', [{ path: '/api/v2/warehouses', status: 503 }, { path: '/x', status: 503, delay: 'soon' }]);
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: 'invalid fault: [1].delay: expected milliseconds or a duration such as "2s" or "1500ms", from 0 to 600s, got the string "soon"',
      issues: [{ path: '[1].delay', message: 'expected milliseconds or a duration such as "2s" or "1500ms", from 0 to 600s, got the string "soon"' }],
    });
    expect((await control('POST', 'faults', 'not json')).status).toBe(400);
    expect((await control('PUT', 'faults', {})).status).toBe(405);
    expect((await control('GET', 'faults')).json.faults).toEqual([]);
  });
});

describe('close() with a delay pending', () => {
  it('does not wait for the timer', async () => {
    const s = await startServer({ world, port: 0, seed: 1 });
    s.core.faults.inject({ path: '/api/v2/warehouses', delay: '10m' });
    // Resolve once the core has taken the request (its answer is then held by the delay timer).
    const taken = new Promise<void>((resolve) => {
      const handle = s.core.handle;
      s.core.handle = (request: MockRequest) => {
        const response = handle(request);
        resolve();
        return response;
      };
    });
    const pending = warehouses(s.url).then(
      (res) => res.status,
      (error: unknown) => error,
    );
    await taken;
    await s.close();
    expect(await pending).toBeInstanceOf(TypeError);
  });
});
