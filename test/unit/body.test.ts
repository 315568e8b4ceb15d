/**
 * Request bodies as text (http/body.ts): a gzip body is inflated up to the limit; one that inflates
 * past it is "too large"; one that does not inflate is read as sent, so the endpoint refuses it as a
 * malformed body in its surface's shape, not as an oversized one (issue #14).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../http/body.ts';
import { createCore } from '../../http/core.ts';
import { MAX_BODY_BYTES } from '../../http/record.ts';
import { exampleWorld } from '../helpers/http-world.ts';

describe('decodeBody', () => {
  it('inflates gzip; past the limit once inflated is too large', () => {
    expect(decodeBody(gzipSync('{"sqlText":"SELECT 1"}'), 'gzip')).toEqual({ body: '{"sqlText":"SELECT 1"}', tooLarge: false });
    expect(decodeBody(gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1)), 'gzip')).toEqual({ body: '', tooLarge: true });
  });

  it('a truncated or corrupt gzip stream is read as sent, not called too large', () => {
    const cut = gzipSync('{"sqlText":"SELECT 1"}').subarray(0, 12);
    const decoded = decodeBody(cut, 'gzip');
    expect(decoded.tooLarge).toBe(false);
    expect(decoded.body.length).toBeGreaterThan(0);
  });

  it('the SQL API then answers 390142 saying the body is not JSON', () => {
    const core = createCore({ config: exampleWorld(), seed: 1 });
    const body = decodeBody(gzipSync('{"statement":"SELECT 1"}').subarray(0, 12), 'gzip').body;
    const r = core.handle({
      method: 'POST', host: 'myorg-myaccount.snowflakecomputing.com', path: '/api/v2/statements', query: '', clientIp: '10.0.0.5', body,
      headers: { authorization: 'Bearer pat-alice-ci', 'content-type': 'application/json', accept: 'application/json', 'content-encoding': 'gzip' },
    }) as { status: number; body: string };
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ code: '390142' });
    expect(core.journal.last()!.explanation).toMatch(/not valid JSON/);
  });
});
