/**
 * Should the mock ever fail (a bug of ours), the client gets a 500 in the shape of the surface it
 * asked, with the catalogued code 999000 (decisions/0017) — the GS envelope for a driver, the SQL
 * API's `{code,message}`, an RFC 6749 body on the token endpoints, an HTML page on the authorize
 * pages — and the journal, not the body, says what failed.
 */
import { describe, expect, it } from 'vitest';
import { loadWorldFile } from '../../api/world-file.ts';
import { CATALOGUE } from '../../domain/errors/catalogue.ts';
import { createCore, type MockCore } from '../../http/core.ts';
import { describeError, internalErrorResponse } from '../../http/internal-error.ts';
import type { MockRequest, MockResponse } from '../../http/record.ts';

const HOST = 'myorg-myaccount.snowflakecomputing.com';

/** A core whose every account route throws, and whose provider throws when asked if it is down. */
function brokenCore(): MockCore {
  const core = createCore({ config: loadWorldFile('scenarios/provider/worlds/provider.yaml'), seed: 1 });
  core.router.match = () => {
    throw new TypeError('route table exploded at src/secret-path.ts:12');
  };
  core.provider.downStatus = () => {
    throw new Error('provider exploded');
  };
  return core;
}

async function ask(core: MockCore, method: string, host: string, path: string, headers: Record<string, string> = {}): Promise<MockResponse> {
  const request: MockRequest = { method, host, path, query: '', clientIp: '127.0.0.1', headers, body: '{}' };
  return core.handle(request);
}

describe('an internal error answers in the shape of the surface asked', () => {
  it('a driver endpoint: the GS envelope with code 999000', async () => {
    const core = brokenCore();
    for (const path of ['/session/v1/login-request', '/queries/v1/query-request', '/session/token-request']) {
      const r = await ask(core, 'POST', HOST, path);
      expect(r.status).toBe(500);
      expect(JSON.parse(r.body)).toEqual({ data: null, code: '999000', message: CATALOGUE['999000']!.message, success: false, headers: null });
    }
  });

  it('the SQL and REST APIs: {code, message}', async () => {
    const core = brokenCore();
    for (const path of ['/api/v2/statements', '/api/v2/databases']) {
      const r = await ask(core, 'POST', HOST, path);
      expect(r.status).toBe(500);
      expect(JSON.parse(r.body)).toEqual({ code: '999000', message: CATALOGUE['999000']!.message });
    }
  });

  it('the OAuth token endpoint: RFC 6749 server_error in Snowflake\'s OAuth envelope', async () => {
    const r = await ask(brokenCore(), 'POST', HOST, '/oauth/token-request');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body)).toEqual({ data: null, message: CATALOGUE['999000']!.message, code: null, success: false, error: 'server_error' });
  });

  it('the authorize page: an HTML error page naming the code', async () => {
    const r = await ask(brokenCore(), 'GET', HOST, '/oauth/authorize');
    expect(r.status).toBe(500);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('999000');
  });

  it('the external provider: RFC 6749 {error: server_error}, never cached', async () => {
    const r = await ask(brokenCore(), 'POST', 'provider.example.com', '/oauth2/token');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body)).toEqual({ error: 'server_error', error_description: expect.stringContaining('999000') });
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('journals the failure as an error with code 999000 and its text; no stack, path or text of it on the wire', async () => {
    const core = brokenCore();
    const r = await ask(core, 'POST', HOST, '/api/v2/statements');
    expect(r.body).not.toMatch(/exploded|\.ts:|secret|TypeError/);
    expect(core.journal.last()).toMatchObject({ decision: 'error', code: '999000', explanation: expect.stringContaining('TypeError: route table exploded') });
  });

  it('the control API keeps its own {error} shape', () => {
    expect(JSON.parse(internalErrorResponse('control').body)).toEqual({ error: expect.stringContaining('999000') });
  });
});

describe('describeError', () => {
  it('never calls a thrown object\'s own methods and never throws', () => {
    const hostile = { toString: () => { throw new Error('no'); }, get message(): string { throw new Error('no'); } };
    expect(() => describeError(hostile)).not.toThrow();
    expect(describeError(hostile)).not.toContain('no');
    expect(describeError(new RangeError('x'))).toBe('RangeError: x');
    const deep: unknown[] = [];
    let cur = deep;
    for (let i = 0; i < 10000; i++) cur = (cur[0] = []) as unknown[];
    expect(describeError(deep).length).toBeLessThan(250);
  });
});
