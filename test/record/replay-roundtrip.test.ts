/**
 * The round trip of issue #11: the real snowflake-sdk's password, key-pair JWT, PAT and OAuth
 * logins + SELECT 1 are recorded through the recording proxy in front of `serve`
 * (test/helpers/record-flows.ts), then `serve --replay <that folder> --strict` answers the same four
 * flows to the same driver — every one passes, the report lists nothing unmatched, every recorded
 * exchange is used once, and the strict server exits 0.
 */
import { forgetCachedCredentials } from '../helpers/snowflake-sdk.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../record/replay-report.ts';
import { recordSdkFlows, type RecordedFlows } from '../helpers/record-flows.ts';
import { runCli, startCli, type CliProcess } from '../helpers/cli-process.ts';
import { runSdkFlows } from '../helpers/replay-flows.ts';

const dir = mkdtempSync(join(tmpdir(), 'sam-roundtrip-'));
let recorded: RecordedFlows;
let replay: CliProcess | undefined;

beforeAll(async () => {
  recorded = await recordSdkFlows(dir);
  forgetCachedCredentials();
  replay = await startCli(['serve', '--replay', dir, '--port', '0', '--control', '--strict'], /Ctrl-C/);
}, 60_000);
afterAll(async () => {
  await replay?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('record with snowflake-sdk, replay to snowflake-sdk', () => {
  it('the four flows pass against the replay, twice, and the report lists nothing unmatched', async () => {
    const one = { '1': 1 };
    expect(await runSdkFlows(replay!.url)).toEqual({ password: [one], keypair: [one], pat: [one], oauth: [one] });
    const report = (await (await fetch(`${replay!.url}/__mock/replay/report`)).json()) as ReplayReport;
    expect(report).toMatchObject({ strict: true, failed: false, unmatched: 0, matched: recorded.manifest.exchanges.length });
    expect(report.exchanges.map((x) => x.uses)).toEqual(recorded.manifest.exchanges.map(() => 1));
    // A second run repeats the recorded answers (the last of each repeating): still nothing unmatched.
    expect(await runSdkFlows(replay!.url)).toEqual({ password: [one], keypair: [one], pat: [one], oauth: [one] });
    const cli = await runCli(['replay-report', '--url', replay!.url, '--reporter', 'json']);
    expect(cli.code).toBe(0);
    const again = JSON.parse(cli.stdout) as ReplayReport;
    expect(again).toMatchObject({ unmatched: 0, failed: false });
    for (const secret of recorded.secrets) expect(cli.stdout, `the report shows the ${secret.label}`).not.toContain(secret.value);
  }, 60_000);

  it('the strict replay server exits 0 when stopped, having said nothing on stderr', async () => {
    const stopped = await replay!.stop();
    replay = undefined;
    expect(stopped.stderr).toBe('');
    expect(stopped.code).toBe(0);
  });
});
