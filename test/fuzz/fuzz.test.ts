/**
 * The fuzz suite in `npm test` (issue #14): a small seeded run of fuzz/fuzz.ts against an
 * in-process `serve` (every endpoint group, the control API included) must find nothing; and the
 * oracle itself is checked on answers it must refuse, so a green run means something.
 * `npm run fuzz` is the long run (fuzz/run.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatFailure, formatReport, runFuzz } from '../../fuzz/fuzz.ts';
import { judge, landing, type Answer, type OracleWorld, type SentRequest } from '../../fuzz/oracle.ts';
import { GROUPS } from '../../fuzz/target.ts';

describe('a seeded fuzz run against serve', () => {
  it('3000 cases at every endpoint group: no 5xx, no hang, every error in its surface shape with a catalogued code, no leak', async () => {
    const report = await runFuzz({ seed: 1414, count: 3000, scale: 'small', seconds: 25 });
    expect(report.failures.map((f) => formatFailure(f, report.seed)), formatReport(report)).toEqual([]);
    expect(report.failureCount).toBe(0);
    expect(report.cases).toBe(3000);
    for (const group of GROUPS) expect(report.perGroup[group.name], group.name).toBeGreaterThan(0);
    // Mostly-valid requests get through: the fuzz reaches the endpoints' own work, not only their first check.
    for (const group of ['sql-submit', 'login', 'query', 'oauth-token', 'provider-token', 'control']) expect(report.accepted[group], group).toBeGreaterThan(0);
  }, 60_000);
});

const WORLD: OracleWorld = { providerHosts: new Set(['example.com']), accounts: ['MYORG-MYACCOUNT', 'XY12345'] };
const sent = (method: string, target: string, extra: Partial<SentRequest> = {}): SentRequest => ({ method, target, headers: [['host', '127.0.0.1:4010']], bodyText: '', headBytes: 100, ...extra });
const json = (status: number, body: unknown): Answer => ({ status, headers: { 'content-type': 'application/json', 'content-length': '1' }, body: JSON.stringify(body) });

describe('the oracle', () => {
  it('routes a request as the server does: control API, provider, unknown account, route table', () => {
    expect(landing(sent('GET', '/__mock/health'), WORLD).kind).toBe('control');
    expect(landing(sent('GET', '/__provider'), WORLD).kind).toBe('provider');
    expect(landing(sent('GET', '/x', { headers: [['host', 'example.com']] }), WORLD).kind).toBe('provider');
    expect(landing(sent('POST', '/session/v1/login-request', { headers: [['host', 'nope.snowflakecomputing.com']] }), WORLD)).toEqual({ kind: 'unknown-host', gs: true });
    expect(landing(sent('GET', '/session/v1/login-request'), WORLD).kind).toBe('no-method');
    expect(landing(sent('POST', '/api/v2/statements/'), WORLD)).toMatchObject({ kind: 'endpoint', surface: 'api' });
  });

  it('refuses a 5xx, a body in the wrong envelope, an uncatalogued code', () => {
    expect(judge(sent('POST', '/api/v2/statements'), json(500, { code: '999000', message: 'x' }), WORLD)).toEqual(['5xx: 500']);
    expect(judge(sent('POST', '/session/v1/login-request'), json(200, { success: false, code: '390100', message: 'x' }), WORLD)).toEqual([expect.stringContaining('no data member')]);
    expect(judge(sent('POST', '/api/v2/statements'), json(401, { code: '123456', message: 'x' }), WORLD)).toEqual([expect.stringContaining('not in the catalogue')]);
    expect(judge(sent('POST', '/oauth/token-request'), json(400, { data: null, message: 'x', code: null, success: false, error: 'bad_thing' }), WORLD)).toEqual([expect.stringContaining('RFC 6749')]);
    expect(judge(sent('GET', '/__provider/example.com/x'), { ...json(401, { error_description: 'no token' }), headers: { 'content-type': 'application/json', 'x-snowflake-auth-mock-provider': 'resource' } }, WORLD)).toEqual([expect.stringContaining('not an RFC 6749/6750 code')]);
    expect(judge(sent('POST', '/__mock/clock'), json(400, { message: 'x' }), WORLD)).toEqual([expect.stringContaining('{error}')]);
    expect(judge(sent('GET', '/nope'), json(404, { code: '390144', message: 'x' }), WORLD)).toEqual([expect.stringContaining('with a body')]);
  });

  it('accepts what is documented: the GS failure envelope, empty 404/405/415, the provider error page', () => {
    expect(judge(sent('POST', '/session/v1/login-request'), json(200, { data: null, code: '390100', message: 'x', success: false, headers: null }), WORLD)).toEqual([]);
    expect(judge(sent('GET', '/nope'), { status: 404, headers: { 'content-length': '0' }, body: '' }, WORLD)).toEqual([]);
    expect(judge(sent('POST', '/api/v2/statements'), { status: 415, headers: { 'content-length': '0' }, body: '' }, WORLD)).toEqual([]);
    expect(judge(sent('POST', '/oauth/token-request'), json(400, { data: null, message: 'x', code: null, success: false, error: 'invalid_grant' }), WORLD)).toEqual([]);
  });

  it('finds stack traces, source paths and JavaScript errors in any body, but not an echo of the request', () => {
    const leak = json(422, { code: '001003', message: "TypeError: Cannot read properties of undefined (reading 'x')\n    at parse (file:///srv/app/domain/sql/parse.ts:12:3)" });
    expect(judge(sent('POST', '/api/v2/statements'), leak, WORLD).filter((p) => p.startsWith('leak:')).length).toBeGreaterThan(3);
    expect(judge(sent('POST', '/api/v2/statements'), json(400, { code: '390142', message: 'x "{" is not valid JSON' }), WORLD)).toEqual([expect.stringContaining('leak:')]);
    expect(judge(sent('POST', '/api/v2/statements'), json(400, { code: '390142', message: 'invalid payload: the body is not valid JSON' }), WORLD)).toEqual([]);
    const echo = json(422, { code: '001003', message: "SQL compilation error: unexpected 'TypeError'" });
    expect(judge(sent('POST', '/api/v2/statements', { bodyText: '{"statement":"SELECT TypeError"}' }), echo, WORLD)).toEqual([]);
  });

  it("counts node's own refusals (no Content-Length, empty 400/431) only where node refuses: an unknown method, no Host, a head too large", () => {
    const refusal: Answer = { status: 400, headers: { connection: 'close' }, body: '' };
    expect(judge(sent('FOO', '/api/v2/statements'), refusal, WORLD)).toEqual([]);
    expect(judge(sent('GET', '/api/v2/databases', { headers: [] }), refusal, WORLD)).toEqual([]);
    expect(judge(sent('GET', '/api/v2/databases'), refusal, WORLD)).not.toEqual([]);
  });
});
