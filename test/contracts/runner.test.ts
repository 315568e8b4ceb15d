/**
 * The scenario runner tested as a user meets it: passing and failing scenarios, the failure
 * output, captures and templates, targets without a control API, and loader errors placed at
 * file:line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText, ScenarioError } from '../../contracts/load-scenario.ts';
import { REPORTERS } from '../../contracts/reporters/index.ts';
import { runScenario, runScenarios } from '../../contracts/runner.ts';
import { mswTarget } from '../../contracts/targets/msw.ts';
import { urlTarget } from '../../contracts/targets/url.ts';
import { startServer, type RunningServer } from '../../server/index.ts';

const scenario = (yaml: string) => parseScenarioText(yaml, 'inline.yaml');

const PAT_STEP = `
  - request:
      path: /api/v2/statements
      bearer: pat-alice-ci
      json: { statement: SELECT CURRENT_USER() }
    expect: { status: 200, code: '090001', json: { data: [[ALICE]] } }`;

describe('runner on the in-process target', () => {
  it('passes a scenario whose expectations hold', async () => {
    const r = await runScenario(scenario(`name: ok\nsteps:${PAT_STEP}`), mswTarget());
    expect(r.status).toBe('passed');
    expect(r.steps[0]).toMatchObject({ status: 'passed', response: { status: 200, code: '090001' }, request: { method: 'POST' } });
  });

  it('applies query: to an absolute url: as well (appended to its own query string)', async () => {
    const yaml = `name: url with query
steps:
  - request:
      url: https://myorg-myaccount.snowflakecomputing.com/api/v2/statements?requestId=r1
      query: { async: 'true' }
      bearer: pat-alice-ci
      json: { statement: SELECT 1 }
    expect: { status: 202, code: '333334' }`;
    const r = await runScenario(scenario(yaml), mswTarget());
    expect(r.status, JSON.stringify(r.steps[0])).toBe('passed');
    expect(r.steps[0]!.request!.url).toBe('https://myorg-myaccount.snowflakecomputing.com/api/v2/statements?requestId=r1&async=true');
  });

  it('fails a scenario that should fail, naming status, code and the JSON path that differed', async () => {
    const r = await runScenario(scenario(`name: wrong
steps:
  - request: { path: /api/v2/statements, bearer: nope, json: { statement: SELECT 1 } }
    expect: { status: 200, code: '090001', json: { data: [[ALICE]] } }
  - advance: 1d`), mswTarget());
    expect(r.status).toBe('failed');
    const [first, second] = r.steps;
    expect(first!.mismatches.map((m) => m.path)).toEqual(expect.arrayContaining(['status', 'code']));
    expect(first!.mismatches.find((m) => m.path === 'status')?.message).toBe('expected 200, got 401');
    expect(first!.mismatches.some((m) => m.path.startsWith('json $.data'))).toBe(true);
    expect(second).toMatchObject({ status: 'skipped', note: 'skipped after step 1 failed' });
    const report = REPORTERS.pretty({ target: 'msw', scenarios: [r], passed: 0, failed: 1, skipped: 0, durationMs: r.durationMs });
    expect(report).toContain('✗ wrong');
    expect(report).toContain('expected 200, got 401');
    expect(report).toMatch(/0 passed, 1 failed/);
  });

  it('captures values and uses them in later steps; templates read the world', async () => {
    const r = await runScenario(scenario(`name: capture
steps:
  - request: { path: /api/v2/statements, bearer: '{{ world.users.ALICE.pat.CI }}', json: { statement: SELECT 1 } }
    capture: { handle: $.statementHandle, type: 'header:content-type' }
  - request: { path: '/api/v2/statements/{{ handle }}', bearer: pat-alice-ci }
    expect: { status: 200, json: { statementHandle: '{{ handle }}' }, headers: { Content-Type: '{{ type }}' } }`), mswTarget());
    expect(r.status).toBe('passed');
  });

  it('an unknown template variable fails the step with a message naming it', async () => {
    const r = await runScenario(scenario(`name: typo\nsteps:\n  - request: { path: /api/v2/databases, bearer: '{{ tokn }}' }`), mswTarget());
    expect(r.status).toBe('failed');
    expect(r.steps[0]!.note).toMatch(/unknown variable "tokn"/);
  });

  it('signs JWTs relative to the mock clock (iat 61 s ago is refused, 30 s ago accepted)', async () => {
    const r = await runScenario(scenario(`name: jwt
steps:
  - sign_jwt: { as: late, key: alice, account: MYORG-MYACCOUNT, user: alice, iat: -61s }
  - request: { path: /api/v2/statements, bearer: '{{ late }}', json: { statement: SELECT 1 } }
    expect: { status: 401, code: '390144', journal: { cause: '394302' } }
  - sign_jwt: { as: fresh, key: alice, account: MYORG-MYACCOUNT, user: alice, iat: -30s, unit: ms }
  - request: { path: /api/v2/statements, bearer: '{{ fresh }}', json: { statement: SELECT 1 } }
    expect: { status: 200 }`), mswTarget());
    expect(r.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
  });

  it('filters by tag and counts results', async () => {
    const a = scenario(`name: a\ntags: [pat]\nsteps:${PAT_STEP}`);
    const b = scenario(`name: b\ntags: [jwt]\nsteps:${PAT_STEP}`);
    const result = await runScenarios([a, b], mswTarget(), { tags: ['pat'] });
    expect(result.scenarios.map((s) => s.name)).toEqual(['a']);
    expect(result).toMatchObject({ passed: 1, failed: 0, skipped: 0 });
  });
});

describe('runner on a URL target', () => {
  let plain: RunningServer;
  let controlled: RunningServer;
  beforeAll(async () => {
    plain = await startServer({ port: 0 });
    controlled = await startServer({ port: 0, control: true });
  });
  afterAll(async () => {
    await plain.close();
    await controlled.close();
  });

  const clockScenario = `name: expiry
steps:${PAT_STEP}
  - advance: 16d
  - request: { path: /api/v2/statements, bearer: pat-alice-ci, json: { statement: SELECT 1 } }
    expect: { status: 401, code: '394400', journal: { cause: PAT_EXPIRED } }`;

  it('without the control API, a clock step is skipped with "needs control API"', async () => {
    const r = await runScenario(scenario(clockScenario), urlTarget(plain.url));
    expect(r.status).toBe('skipped');
    expect(r.steps[1]).toMatchObject({ status: 'skipped', note: 'needs control API' });
  });

  it('with the control API, the same scenario passes (world loaded, clock moved, journal read)', async () => {
    const r = await runScenario(scenario(clockScenario), urlTarget(controlled.url));
    expect(r.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'passed']);
  });

  it('an absolute URL is sent to the target, with its host in the Host header', async () => {
    const r = await runScenario(scenario(`name: host
steps:
  - request: { url: 'https://nosuch-account.snowflakecomputing.com/api/v2/statements', bearer: pat-alice-ci, json: { statement: SELECT 1 } }
    expect: { status: 403, code: '390144', json: { message: Invalid account name or host. } }`), urlTarget(controlled.url));
    expect(r.status).toBe('passed');
  });

  it('a target that is down fails the scenario with a clear error', async () => {
    const r = await runScenario(scenario(`name: down\nsteps:${PAT_STEP}`), urlTarget('http://127.0.0.1:9'));
    expect(r.status).toBe('failed');
    expect(r.steps[0]!.note).toMatch(/ECONNREFUSED/);
  });
});

describe('scenario files are checked on load', () => {
  it('names file, line, field and expectation for each problem', () => {
    const text = `name: bad
tags: [Pat]
steps:
  - request: { path: api/v2/statements, methd: POST }
  - advance: 1d
    client_ip: 1.2.3.4
  - world: { disable_pat: { user: ALICE } }
`;
    let error: unknown;
    try {
      parseScenarioText(text, 'bad.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const message = (error as Error).message;
    expect(message).toMatch(/bad\.yaml:2:\d+: tags\[0\]: must match pattern/);
    expect(message).toMatch(/bad\.yaml:4:\d+: steps\[0\]\.request: unknown key "methd"; did you mean "method"\?/);
    expect(message).toMatch(/steps\[0\]\.request\.path: must match pattern "\^\/"/);
    expect(message).toMatch(/bad\.yaml:5:\d+: steps\[1\]: a step has exactly one of request, advance, client_ip, world, sign_jwt; found advance and client_ip/);
    expect(message).toMatch(/steps\[2\]\.world\.disable_pat: missing required key "name"/);
  });

  it('an inline world is checked by the world validator, with the scenario file\'s lines', () => {
    expect(() => parseScenarioText('name: w\nworld:\n  users:\n    - name: ALICE\n      default_role: NOPE\nsteps:\n  - advance: 1s\n', 'w.yaml')).toThrow(/w\.yaml:5:\d+: world\.users\[0\]\.default_role: .*NOPE/);
  });

  it('YAML syntax errors are placed too', () => {
    expect(() => parseScenarioText('name: x\nsteps: [\n', 's.yaml')).toThrow(/s\.yaml:\d+:\d+: YAML/);
  });
});
