/**
 * Issue #13 part 4, papercut 7: a passing `npm test` prints no "[MSW] Error" lines. A request no
 * handler answers is still refused (the caller's fetch rejects, nothing leaves the machine), but
 * test/helpers/msw.ts records it instead of letting msw print it; a test that expects one asserts
 * it, and one nobody asserted fails the test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import { recordUnhandledFrame, takeUnhandledRequests, useMock } from '../helpers/msw.ts';

describe('requests no msw handler answers', () => {
  useMock({ world: defaultWorldConfig() });
  let printed: { mock: { calls: unknown[][] }; mockRestore(): void };
  beforeEach(() => {
    printed = vi.spyOn(console, 'error');
  });
  afterEach(() => printed.mockRestore());

  it('are refused, recorded for the test to assert, and not printed', async () => {
    await expect(fetch('https://nowhere.example.com/token', { method: 'POST', body: 'x=1' })).rejects.toThrow();
    expect(takeUnhandledRequests()).toEqual(['POST https://nowhere.example.com/token']);
    expect(takeUnhandledRequests()).toEqual([]);
    const lines = printed.mock.calls.map((args: unknown[]) => args.map(String).join(' '));
    expect(lines.filter((l: string) => l.includes('[MSW]'))).toEqual([]);
  });

  it('the hosts of the world are still answered (nothing recorded)', async () => {
    const res = await fetch('https://myorg-myaccount.snowflakecomputing.com/api/v2/databases');
    expect(res.status).toBe(401);
    expect(takeUnhandledRequests()).toEqual([]);
  });

  it('the handler fails the request as a network error, and keeps what it was', () => {
    const request = new Request('https://nowhere.example.com/x', { method: 'GET' });
    let thrown: unknown;
    try {
      recordUnhandledFrame({ frame: { protocol: 'http', data: { request } } });
    } catch (error) {
      thrown = error;
    }
    // A network error response: msw answers with it, and the caller's fetch rejects.
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).type).toBe('error');
    expect(takeUnhandledRequests()).toEqual(['GET https://nowhere.example.com/x']);
  });
});
