/**
 * Injected faults in-process (issue #5), through the msw handlers and real fetch calls: statuses
 * for N requests then the normal answer, resets as network errors, delays, and the journal.
 * Fault answers are not the endpoints' own, so this file runs its own msw server without the
 * contract checks of test/helpers/msw.ts.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_HEADER } from '../../domain/faults.ts';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import { applyWorldChange } from '../../api/world-change.ts';
import { ACCOUNT_HOST, exampleWorld } from '../helpers/http-world.ts';

const mock = createSnowflakeMock({ world: exampleWorld(), seed: 7, clientIp: '10.0.0.5' });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const LOGIN = '/session/v1/login-request';

/** GET /api/v2/warehouses with ALICE's PAT: 200 [{ name: 'COMPUTE_WH', … }] when no fault answers. */
function warehouses(): Promise<Response> {
  return fetch(`${ACCOUNT_HOST}/api/v2/warehouses`, { headers: { authorization: 'Bearer pat-alice-ci', accept: 'application/json' } });
}

describe('injected faults through msw', () => {
  it('answers 503 twice, then the normal answer', async () => {
    mock.faults.inject({ path: '/api/v2/warehouses', method: 'GET', count: 2, status: 503 });
    const first = await warehouses();
    expect(first.status).toBe(503);
    expect(first.headers.get(FAULT_HEADER)).toBe('1');
    expect(await first.json()).toEqual({ message: 'Service Unavailable' });
    expect((await warehouses()).status).toBe(503);
    const third = await warehouses();
    expect(third.status).toBe(200);
    expect((await third.json())[0].name).toBe('COMPUTE_WH');
    expect(mock.journal.entries().map((e) => [e.decision, e.status])).toEqual([['fault', 503], ['fault', 503], ['allowed', 200]]);
    expect(mock.journal.entries()[0]).toMatchObject({ account: 'MYORG-MYACCOUNT', explanation: 'fault: injected 503 (#1, 1 of 2 left) on GET /api/v2/warehouses' });
    expect(mock.faults.list()).toEqual([]);
  });

  it('answers 429 with the headers and body given', async () => {
    mock.faults.inject({ path: LOGIN, method: 'POST', status: 429, headers: { 'Retry-After': '1' }, body: { code: null, message: 'slow down', success: false } });
    const res = await fetch(`${ACCOUNT_HOST}${LOGIN}?request_id=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ code: null, message: 'slow down', success: false });
    expect(mock.journal.last()).toMatchObject({ decision: 'fault', status: 429, path: LOGIN, explanation: `fault: injected 429 (#1, 0 of 1 left) on POST ${LOGIN}` });
  });

  it('drops the connection on a reset: fetch rejects with a TypeError', async () => {
    mock.faults.inject({ path: '/api/v2/warehouses', reset: true });
    await expect(warehouses()).rejects.toThrow(TypeError);
    expect(mock.journal.last()).toMatchObject({ decision: 'fault', status: 0, explanation: 'fault: injected connection reset (#1, 0 of 1 left) on GET /api/v2/warehouses' });
    expect((await warehouses()).status).toBe(200);
  });

  it('delays, then answers normally (a delay-only fault keeps the endpoint decision)', async () => {
    mock.faults.inject({ path: '/api/v2/warehouses', delay: '20ms' });
    const res = await warehouses();
    expect(res.status).toBe(200);
    expect(res.headers.get(FAULT_HEADER)).toBeNull();
    expect(mock.journal.last()).toMatchObject({ decision: 'allowed', status: 200 });
    expect(mock.journal.last()?.explanation).toMatch(/^allowed: .* \(fault: injected delay of 20 ms \(#1, 0 of 1 left\) on GET \/api\/v2\/warehouses\)$/);
  });

  it('matches route patterns and methods, and leaves other requests alone', async () => {
    mock.faults.inject({ path: '/api/v2/databases/:name', method: 'GET', status: 502, count: 'always' });
    const get = (path: string): Promise<Response> => fetch(`${ACCOUNT_HOST}${path}`, { headers: { authorization: 'Bearer pat-alice-ci' } });
    expect((await get('/api/v2/databases/SALES')).status).toBe(502);
    expect((await get('/api/v2/databases/OTHER')).status).toBe(502);
    expect((await get('/api/v2/databases')).status).toBe(200);
    expect(mock.faults.list()).toMatchObject([{ remaining: 'always' }]);
    expect(mock.faults.clear()).toBe(1);
    expect((await get('/api/v2/databases/SALES')).status).not.toBe(502);
  });

  it('never answers for a host that names no account', async () => {
    mock.faults.inject({ path: '*', status: 503 });
    const res = await fetch('https://nosuch-account.snowflakecomputing.com/api/v2/databases', { headers: { authorization: 'Bearer pat-alice-ci' } });
    expect(res.status).toBe(403);
    expect(mock.faults.list()).toMatchObject([{ remaining: 1 }]);
  });

  it('is emptied by reset(), and injected as a world change on mock.world', async () => {
    mock.faults.inject({ path: '*', status: 503 });
    mock.reset();
    expect(mock.faults.list()).toEqual([]);
    applyWorldChange(mock.world, { inject_fault: [{ path: '/api/v2/warehouses', status: 500 }] });
    expect((await warehouses()).status).toBe(500);
    applyWorldChange(mock.world, { inject_fault: { path: '*', status: 503, count: 'always' } });
    applyWorldChange(mock.world, { clear_faults: true });
    expect((await warehouses()).status).toBe(200);
  });

  it('refuses a bad rule with the field named', () => {
    expect(() => mock.faults.inject({ path: LOGIN, status: 99 })).toThrow(/^status: expected a whole number between 200 and 599/);
    expect(() => applyWorldChange(mock.world, { inject_fault: { path: LOGIN } })).toThrow(/a fault needs status, delay or reset/);
  });
});
