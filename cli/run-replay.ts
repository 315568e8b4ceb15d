/**
 * `run <scenarios…> --target <recording folder>`: the scenarios answered from a recording
 * (record/recording-target.ts). Steps that need the mock are skipped with the reason; at the end
 * standard error says how many requests matched no recorded exchange, and which.
 */
import { writeFileSync } from 'node:fs';
import type { LoadedScenario } from '../contracts/load-scenario.ts';
import type { Reporter } from '../contracts/reporters/index.ts';
import { runScenarios } from '../contracts/runner.ts';
import { recordingTarget } from '../record/recording-target.ts';
import { unmatchedEntries } from '../record/replay-report.ts';
import { RecordingError } from '../record/store.ts';
import { UsageError } from './args.ts';

/** The flags of `run` this uses. */
export interface ReplayRunFlags {
  readonly tag?: readonly string[];
  readonly seed?: string | boolean;
  readonly output?: string | boolean;
  readonly record?: string | boolean;
}

/**
 * Runs scenarios against the recording in `dir`; resolves with `run`'s exit code (0, 1 a scenario failed, 2 unreadable recording).
 *
 * @example
 * await runReplayed(loaded, 'recordings/pat-scenarios', {}, REPORTERS.pretty)
 */
export async function runReplayed(loaded: readonly LoadedScenario[], dir: string, flags: ReplayRunFlags, reporter: Reporter): Promise<number> {
  if (flags.record !== undefined) throw new UsageError('--record cannot record a replay: --target names a recording folder');
  let target;
  try {
    target = recordingTarget(dir);
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error;
    console.error(`snowflake-auth-mock run: cannot replay ${dir}: ${error.message}`);
    return 2;
  }
  const result = await runScenarios(loaded, target, { ...(flags.seed !== undefined && { seed: Number(flags.seed) }), ...(flags.tag && { tags: flags.tag }) });
  const report = reporter(result, { color: flags.output === undefined && process.stdout.isTTY === true });
  if (flags.output) writeFileSync(String(flags.output), report);
  else console.log(report);
  const replay = target.engine.report();
  console.error(`replay of "${replay.recording.name}": ${replay.requests} requests, ${replay.unmatched} matched no recorded exchange`);
  for (const e of unmatchedEntries(replay)) console.error(`  ${e.request}${e.nearest[0] ? ` — nearest ${e.nearest[0].exchange}: ${e.nearest[0].differences[0] ?? ''}` : ''}`);
  return result.failed > 0 ? 1 : 0;
}
