/**
 * Scenarios answered from a recording (record/recording-target.ts, `run --target <recording>`):
 * shipped scenarios are recorded with `run --target <serve> --record <dir>`, then run against that
 * folder. Steps that need the mock are skipped with the reason — clock, world and journal — never
 * passed; a scenario that skipped steps does not hand its unused exchanges to the next one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../contracts/load-scenario.ts';
import type { RunResult, ScenarioResult } from '../../contracts/result.ts';
import { runScenarios } from '../../contracts/runner.ts';
import { recordingTarget } from '../../record/recording-target.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { runCli } from '../helpers/cli-process.ts';

const FILES = [
  'scenarios/pat/disabled-pat-is-refused-until-re-enabled.yaml',
  'scenarios/pat/pat-expires-after-days-to-expiry.yaml',
  'scenarios/oauth-server/client-credentials-in-the-body-are-accepted.yaml',
  'scenarios/oauth-server/no-refresh-token-when-the-integration-issues-none.yaml',
];
const REASON = 'replaying a recording, which answers as recorded';
const parent = mkdtempSync(join(tmpdir(), 'sam-scenarios-'));
const dir = join(parent, 'pat-and-oauth');
let serve: RunningServer;
let result: RunResult;
let target: ReturnType<typeof recordingTarget>;

beforeAll(async () => {
  serve = await startServer({ port: 0, control: true });
  const recorded = await runCli(['run', ...FILES, '--target', serve.url, '--record', dir], 30_000);
  if (recorded.code !== 0) throw new Error(`recording the scenarios failed (${String(recorded.code)}): ${recorded.stderr}`);
  target = recordingTarget(dir);
  result = await runScenarios(FILES.map((f) => loadScenarioFile(f)), target);
}, 60_000);
afterAll(async () => {
  await serve.close();
  rmSync(parent, { recursive: true, force: true });
});

const scenario = (file: string): ScenarioResult => result.scenarios.find((s) => s.file?.endsWith(file))!;
const steps = (file: string): { status: string; note?: string }[] => scenario(file).steps.map((s) => ({ status: s.status, ...(s.note !== undefined && { note: s.note }) }));

describe('run against a recording', () => {
  it('a scenario of requests only passes, answered from the recording; nothing unmatched', () => {
    expect(scenario('no-refresh-token-when-the-integration-issues-none.yaml').status).toBe('passed');
    expect(result.failed).toBe(0);
    expect(target.engine.report()).toMatchObject({ unmatched: 0 });
  });

  it('a world change is skipped with the reason, and so is the rest of its scenario', () => {
    expect(steps('disabled-pat-is-refused-until-re-enabled.yaml')).toEqual([
      { status: 'passed' },
      { status: 'skipped', note: `needs the mock's world (${REASON})` },
      ...Array(4).fill({ status: 'skipped', note: `skipped: step 2 needs the mock's world (${REASON})` }),
    ]);
  });

  it('a clock step is skipped with the reason — and the request before it got its own answer, not the one the skipped scenario left unused', () => {
    expect(steps('pat-expires-after-days-to-expiry.yaml')).toEqual([
      { status: 'passed' },
      { status: 'skipped', note: `needs the mock's clock (${REASON})` },
      { status: 'skipped', note: `skipped: step 2 needs the mock's clock (${REASON})` },
    ]);
  });

  it('a journal expectation is not checked and says so; the scenario goes on', () => {
    const s = scenario('client-credentials-in-the-body-are-accepted.yaml');
    expect(s.status).toBe('skipped');
    expect(steps('client-credentials-in-the-body-are-accepted.yaml')).toEqual([
      { status: 'passed' },
      { status: 'skipped', note: `journal expectation not checked: needs the mock's journal (${REASON})` },
      { status: 'passed' },
    ]);
    // The rest of that step was checked: a skipped step still reports what came back.
    expect(s.steps[1]!.response?.status).toBe(200);
  });

  it('`run --target <recording folder>` picks the recording; exit 0 with no failure, and a replay line on stderr', async () => {
    const r = await runCli(['run', ...FILES, '--target', dir], 30_000);
    expect(r.stdout).toContain('1 passed, 0 failed, 3 skipped');
    expect(r.stderr).toContain('replay of "pat-and-oauth": 7 requests, 0 matched no recorded exchange');
    expect(r.code).toBe(0);
    const record = await runCli(['run', FILES[0]!, '--target', dir, '--record', join(dir, 'again')]);
    expect([record.code, record.stderr]).toEqual([2, expect.stringContaining('--record cannot record a replay')]);
  });
});
