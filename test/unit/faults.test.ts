/**
 * The fault plan (issue #5): matching by path, pattern and method, counts, order, and the
 * validation messages that name the field.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../contracts/load-scenario.ts';
import { createFaultPlan, FAULT_HEADER, FaultRuleError, validateFaultRules } from '../../domain/faults.ts';

const LOGIN = '/session/v1/login-request';

describe('fault plan: matching and counts', () => {
  it('answers the next N matching requests, then nothing', () => {
    const plan = createFaultPlan();
    plan.inject({ path: LOGIN, method: 'post', count: 2, status: 503 });
    const first = plan.take('POST', LOGIN);
    expect(first?.response).toEqual({ status: 503, headers: { 'content-type': 'application/json', [FAULT_HEADER]: '1' }, body: '{"message":"Service Unavailable"}' });
    expect(first?.explanation).toBe(`injected 503 (#1, 1 of 2 left) on POST ${LOGIN}`);
    expect(plan.list()).toMatchObject([{ id: 1, method: 'POST', count: 2, remaining: 1 }]);
    expect(plan.take('POST', LOGIN)?.explanation).toBe(`injected 503 (#1, 0 of 2 left) on POST ${LOGIN}`);
    expect(plan.take('POST', LOGIN)).toBeUndefined();
    expect(plan.size).toBe(0);
  });

  it('matches the method only when one is given', () => {
    const plan = createFaultPlan();
    plan.inject({ path: LOGIN, method: 'POST', status: 429 });
    expect(plan.take('GET', LOGIN)).toBeUndefined();
    plan.inject({ path: LOGIN, status: 500 });
    expect(plan.take('GET', LOGIN)?.response?.status).toBe(500);
    expect(plan.take('POST', LOGIN)?.response?.status).toBe(429);
  });

  it('matches exact paths, route patterns, prefixes and *', () => {
    const plan = createFaultPlan();
    plan.inject([
      { path: '/api/v2/statements/:handle', status: 502, count: 'always' },
      { path: '/oauth/*', status: 504, count: 'always' },
      { path: '*', status: 500, count: 'always' },
    ]);
    expect(plan.take('GET', '/api/v2/statements/01b2-abc')?.response?.status).toBe(502);
    expect(plan.take('GET', '/api/v2/statements/01b2-abc/')?.response?.status).toBe(502);
    expect(plan.take('POST', '/api/v2/statements/01b2-abc/cancel')?.response?.status).toBe(500);
    expect(plan.take('POST', '/oauth/token-request')?.response?.status).toBe(504);
    expect(plan.take('GET', '/oauth')?.response?.status).toBe(504);
    expect(plan.take('GET', '/oauthx')?.response?.status).toBe(500);
    expect(plan.list().map((f) => f.remaining)).toEqual(['always', 'always', 'always']);
  });

  it('checks rules in insertion order and uses one count of the first match only', () => {
    const plan = createFaultPlan();
    plan.inject([{ path: LOGIN, status: 503 }, { path: '*', status: 500, count: 3 }]);
    expect(plan.take('POST', LOGIN)?.response?.status).toBe(503);
    expect(plan.take('POST', LOGIN)?.response?.status).toBe(500);
    expect(plan.list()).toMatchObject([{ id: 2, remaining: 2 }]);
  });

  it('takes an exact path literally (no regex), and the router tolerance of one trailing slash', () => {
    const plan = createFaultPlan();
    plan.inject({ path: '/a.b', status: 503, count: 'always' });
    expect(plan.take('GET', '/aXb')).toBeUndefined();
    expect(plan.take('GET', '/a.b/')?.response?.status).toBe(503);
  });

  it('describes delays and resets, and a delay-only fault has no answer of its own', () => {
    const plan = createFaultPlan();
    plan.inject([{ path: LOGIN, delay: '20ms' }, { path: LOGIN, reset: true, delay: 20 }, { path: LOGIN, status: 503, delay: '1s' }]);
    const delayed = plan.take('POST', LOGIN)!;
    expect(delayed).toMatchObject({ delayMs: 20, reset: false, explanation: `injected delay of 20 ms (#1, 0 of 1 left) on POST ${LOGIN}` });
    expect(delayed.response).toBeUndefined();
    expect(plan.take('POST', LOGIN)).toMatchObject({ delayMs: 20, reset: true, explanation: `injected connection reset after 20 ms (#2, 0 of 1 left) on POST ${LOGIN}` });
    expect(plan.take('POST', LOGIN)).toMatchObject({ delayMs: 1000, response: { status: 503 } });
  });

  it('builds the answer from body and headers', () => {
    const plan = createFaultPlan();
    plan.inject([
      { path: '/x', status: 429, headers: { 'Retry-After': '2' } },
      { path: '/x', status: 503, body: 'down for maintenance' },
      { path: '/x', status: 500, body: { code: '390100', success: false }, headers: { 'content-type': 'application/vnd.snowflake+json' } },
      { path: '/x', status: 204 },
      { path: '/x', status: 418 },
    ]);
    expect(plan.take('GET', '/x')?.response).toMatchObject({ headers: { 'retry-after': '2', 'content-type': 'application/json' }, body: '{"message":"Too Many Requests"}' });
    expect(plan.take('GET', '/x')?.response).toMatchObject({ headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'down for maintenance' });
    expect(plan.take('GET', '/x')?.response).toMatchObject({ headers: { 'content-type': 'application/vnd.snowflake+json' }, body: '{"code":"390100","success":false}' });
    expect(plan.take('GET', '/x')?.response).toMatchObject({ status: 204, body: '' });
    expect(plan.take('GET', '/x')?.response?.body).toBe('{"message":"Client Error"}');
  });

  it("answers a default 429 on the SQL/REST API with the documented 390505 envelope", () => {
    const plan = createFaultPlan();
    plan.inject({ path: '*', status: 429, count: 2 });
    expect(plan.take('POST', '/api/v2/statements')?.response?.body).toBe('{"code":"390505","message":"Too many requests. Please retry the request later."}');
    expect(plan.take('POST', LOGIN)?.response?.body).toBe('{"message":"Too Many Requests"}');
  });

  it('lists rules as given: no default body, headers lower-cased with the content type of a given body', () => {
    const plan = createFaultPlan();
    expect(plan.inject([{ path: LOGIN, status: 503 }, { path: LOGIN, status: 503, body: { a: 1 }, headers: { 'X-A': 'b' } }])).toEqual([
      { id: 1, path: LOGIN, count: 1, remaining: 1, status: 503 },
      { id: 2, path: LOGIN, count: 1, remaining: 1, status: 503, headers: { 'content-type': 'application/json', 'x-a': 'b' }, body: '{"a":1}' },
    ]);
  });

  it('clears, and numbers from 1 again after a clear', () => {
    const plan = createFaultPlan();
    plan.inject([{ path: '*', status: 503 }, { path: '*', status: 503 }]);
    expect(plan.clear()).toBe(2);
    expect(plan.list()).toEqual([]);
    expect(plan.inject({ path: '*', status: 503 })[0]!.id).toBe(1);
  });
});

describe('fault plan: validation', () => {
  const problems = (input: unknown): string[] => validateFaultRules(input).problems.map((p) => `${p.path.join('.')}: ${p.message}`);

  it('names the field of every problem, all at once', () => {
    expect(problems({ path: 'session', status: 42, count: 0, delay: 'soon', method: 'PO ST' })).toEqual([
      'path: expected a path starting with "/" or "*", got "session"',
      'method: expected an HTTP method such as POST, got "PO ST"',
      'count: expected a whole number between 1 and 10000 or "always", got number 0',
      'status: expected a whole number between 200 and 599 (1xx are interim answers, not faults), got number 42',
      'delay: expected milliseconds or a duration such as "2s" or "1500ms", from 0 to 600s, got the string "soon"',
    ]);
  });

  it('places problems of a list at their item', () => {
    expect(problems([{ path: '/a', status: 503 }, { path: '/b', statuss: 503 }])).toEqual([
      '1.statuss: unknown key "statuss"; did you mean "status"?',
      '1: a fault needs status, delay or reset: e.g. {"path":"/session/v1/login-request","status":503}',
    ]);
  });

  it('requires a path, and something to do', () => {
    expect(problems({ status: 503 })[0]).toMatch(/^path: required \(an exact path like/);
    expect(problems({ path: '/a' })).toEqual([': a fault needs status, delay or reset: e.g. {"path":"/session/v1/login-request","status":503}']);
    expect(problems({ path: '/a', body: 'x' })).toEqual(['status: required when body or headers are given (the status of the injected answer)']);
    expect(problems([])).toEqual([': expected a fault rule or a non-empty list of them']);
    expect(problems('503')).toEqual([': expected a mapping, got the string "503"']);
  });

  it('refuses answers with a reset, bodies on 204, bad headers, wildcards mid-path and queries', () => {
    expect(problems({ path: '/a', reset: true, status: 503 })).toEqual(['status: a reset drops the connection, so nothing is answered: remove status or reset']);
    expect(problems({ path: '/a', status: 204, body: 'x' })).toEqual(['body: a 204 answer has no body']);
    expect(problems({ path: '/a', status: 503, headers: { 'bad name': 'x', 'content-length': '3', 'x-a': 'a\nb' } })).toEqual([
      "headers.bad name: not a valid header name: only letters, digits and !#$%&'*+-.^_`|~ (an RFC 9110 token)",
      'headers.content-length: set by the transport from the body; leave it out',
      'headers.x-a: a header value holds only tab, space, visible ASCII and bytes 0x80–0xFF; U+000A at index 1 is none of them',
    ]);
    expect(problems({ path: '/a/*/b', status: 503 })[0]).toMatch(/^path: "\*" stands only alone or as the last segment/);
    expect(problems({ path: '/a?x=1', status: 503 })[0]).toMatch(/^path: a path without query or fragment/);
    expect(problems({ path: '/a', status: 503, count: 10_001 })[0]).toMatch(/^count: expected a whole number between 1 and 10000 or "always"/);
    expect(problems({ path: '/a', delay: '11m' })[0]).toMatch(/^delay: .*from 0 to 600s/);
  });

  it('reads delays as milliseconds or durations', () => {
    const delays = (delay: unknown): number | undefined => validateFaultRules({ path: '/a', delay }).rules[0]?.delayMs;
    expect([delays(20), delays('20'), delays('20ms'), delays('2s'), delays('1m')]).toEqual([20, 20, 20, 2000, 60_000]);
  });

  it('inject throws a FaultRuleError and adds nothing when any rule is wrong', () => {
    const plan = createFaultPlan();
    expect(() => plan.inject([{ path: '/a', status: 503 }, { path: '/b', status: 700 }])).toThrow(FaultRuleError);
    expect(() => plan.inject([{ path: '/a', status: 503 }, { path: '/b', status: 700 }])).toThrow(/^\[1\]\.status: expected a whole number between 200 and 599/);
    expect(() => plan.inject({ path: '/a' })).toThrow(/^fault: a fault needs status, delay or reset/);
    expect(plan.size).toBe(0);
  });
});

describe('scenario files: the world change inject_fault', () => {
  const load = (change: string): string => {
    try {
      parseScenarioText(`name: x\nsteps:\n  - world: { ${change} }\n`, 'x.yaml');
      return 'ok';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('accepts a rule, a list of rules, and clear_faults', () => {
    expect(load('inject_fault: { path: /session/v1/login-request, method: POST, status: 503, count: 2 }')).toBe('ok');
    expect(load('inject_fault: [{ path: "*", delay: 2s }, { path: /api/v2/statements, reset: true, count: always }]')).toBe('ok');
    expect(load('clear_faults: true')).toBe('ok');
  });

  it('reports each problem at its line and field', () => {
    expect(load('inject_fault: { path: /a, statuss: 503 }')).toBe('x.yaml:3:14: steps[0].world.inject_fault: unknown key "statuss"; did you mean "status"?');
    expect(load('inject_fault: { path: /a, status: 503, delay: soon }')).toBe('x.yaml:3:53: steps[0].world.inject_fault.delay: expected milliseconds or a duration such as "2s" or "1500ms", from 0 to 600s, got the string "soon"');
    expect(load('inject_fault: [{ path: /a, status: 503 }, { path: /b, reset: true, status: 500 }]')).toBe('x.yaml:3:81: steps[0].world.inject_fault[1].status: a reset drops the connection, so nothing is answered: remove status or reset');
  });
});
