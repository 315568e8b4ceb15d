/**
 * What the runner does with expectations a target cannot check (issue #11): a journal expectation
 * on a target without a journal makes its step skipped with the reason — never passed — and, since
 * a request changes nothing the next steps depend on, the scenario goes on; a target may say why it
 * lacks a capability (a recording), else the note is "needs control API".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../contracts/load-scenario.ts';
import { runScenario } from '../../contracts/runner.ts';
import type { Target } from '../../contracts/targets/target.ts';
import { urlTarget } from '../../contracts/targets/url.ts';
import { startServer, type RunningServer } from '../../server/index.ts';

const yaml = `name: journal on a target without one
steps:
  - request: { path: /api/v2/statements, bearer: pat-alice-ci, json: { statement: SELECT 1 } }
    expect: { status: 200, journal: { decision: allowed } }
  - request: { path: /api/v2/statements, bearer: pat-alice-ci, json: { statement: SELECT 1 } }
    expect: { status: 200 }
  - request: { path: /api/v2/statements, bearer: pat-alice-ci, json: { statement: SELECT 1 } }
    expect: { status: 401, journal: { decision: rejected } }
  - advance: 1d`;
let plain: RunningServer;
beforeAll(async () => {
  plain = await startServer({ port: 0 });
});
afterAll(() => plain.close());

describe('expectations the target cannot check', () => {
  it('a journal expectation makes its step skipped, says why, and the scenario goes on; a failing step still fails', async () => {
    const r = await runScenario(parseScenarioText(yaml, 'inline.yaml'), urlTarget(plain.url));
    expect(r.steps.map((s) => [s.status, s.note])).toEqual([
      ['skipped', 'journal expectation not checked: needs control API'],
      ['passed', undefined],
      ['failed', undefined],
      ['skipped', 'skipped after step 3 failed'],
    ]);
    expect(r.status).toBe('failed');
  });

  it('a target that says why it lacks a capability has its reason in the notes', async () => {
    const base = urlTarget(plain.url);
    const explained: Target = {
      name: 'explained',
      async open(loaded, o) {
        const session = await base.open(loaded, o);
        return { ...session, capabilities: { ...session.capabilities, unavailable: 'a test target' } };
      },
    };
    const r = await runScenario(parseScenarioText(yaml.replace('status: 401, journal: { decision: rejected }', 'status: 200'), 'inline.yaml'), explained);
    expect(r.steps.map((s) => s.note)).toEqual(["journal expectation not checked: needs the mock's journal (a test target)", undefined, undefined, "needs the mock's clock (a test target)"]);
    expect(r.status).toBe('skipped');
  });
});
