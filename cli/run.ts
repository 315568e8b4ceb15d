/**
 * `snowflake-auth-mock run <files or folders…>`: runs scenarios against the in-process mock (default)
 * or a base URL, prints a report, and exits non-zero when any scenario fails.
 */
import { writeFileSync } from 'node:fs';
import { findScenarioFiles, loadScenarioFile, ScenarioError, type LoadedScenario } from '../contracts/load-scenario.ts';
import { REPORTERS } from '../contracts/reporters/index.ts';
import { runScenarios } from '../contracts/runner.ts';
import { urlTarget } from '../contracts/targets/url.ts';
import type { Target } from '../contracts/targets/target.ts';
import { WorldConfigError } from '../domain/world/validate.ts';
import { flagHelp, UsageError, type FlagSpec, isOnThisMachine } from './args.ts';
import { openRunRecording } from './run-record.ts';
import { runReplayed } from './run-replay.ts';
import { isRecordingDir } from '../record/store.ts';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  target: { type: 'string', description: 'msw (in-process, default), a base URL such as http://127.0.0.1:4010, or a recording folder to answer from' },
  tag: { type: 'string', description: 'only scenarios with this tag (repeat the flag for several)' },
  reporter: { type: 'string', description: 'pretty (default), json, junit or markdown' },
  output: { type: 'string', description: 'write the report to this file instead of standard output' },
  seed: { type: 'number', description: 'seed for generated values (in-process target)' },
  live: { type: 'boolean', description: 'allow a --target that is not on this machine (a real account; credentials come from env vars)' },
  record: { type: 'string', description: 'with a URL --target: write every scenario request and answer, secrets redacted, to this recording folder' },
  help: { type: 'boolean', description: 'show this help' },
};

/**
 * Runs `run`; resolves with the exit code (0 all passed, 1 a scenario failed, 2 usage or bad files).
 *
 * @example
 * process.exitCode = await runCommand(['scenarios/', '--tag', 'pat'])
 */
export async function runCommand(argv: string[]): Promise<number> {
  const { paths, flags } = parseRunArgs(argv);
  if (flags.help) {
    console.log(`usage: snowflake-auth-mock run <files or folders…> [flags]\n\n${flagHelp(FLAGS)}\n\nexit codes: 0 all passed (and, with --record, every exchange written), 1 a scenario failed or an exchange was not recorded, 2 usage error or invalid files`);
    return 0;
  }
  if (paths.length === 0) throw new UsageError('name at least one scenario file or folder');
  const reporter = REPORTERS[(flags.reporter as keyof typeof REPORTERS | undefined) ?? 'pretty'];
  if (!reporter) throw new UsageError(`--reporter must be one of ${Object.keys(REPORTERS).join(', ')}`);
  let loaded: LoadedScenario[];
  try {
    loaded = findScenarioFiles(paths).map(loadScenarioFile);
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof WorldConfigError) {
      console.error(`snowflake-auth-mock run: invalid scenario:\n${error.message}`);
      return 2;
    }
    throw error;
  }
  if (flags.target !== undefined && isRecordingDir(String(flags.target))) return runReplayed(loaded, String(flags.target), flags, reporter);
  if (flags.target !== undefined && flags.target !== 'msw' && !isLocal(String(flags.target)) && !flags.live) {
    throw new UsageError(`--target ${String(flags.target)} is not on this machine; pass --live to run scenarios against a real account`);
  }
  const inProcess = flags.target === undefined || flags.target === 'msw';
  if (flags.record !== undefined && inProcess) throw new UsageError('--record needs a URL --target (in-process, record with createRecorder from snowflake-auth-mock)');
  const recording = flags.record === undefined ? undefined : openRunRecording(String(flags.record), String(flags.target));
  const target = inProcess ? await inProcessTarget() : urlTarget(String(flags.target), recording ? { onExchange: recording.onExchange } : {});
  const result = await runScenarios(loaded, target, { ...(flags.seed !== undefined && { seed: Number(flags.seed) }), ...(flags.tag && { tags: flags.tag }) });
  const recorded = recording?.finish() ?? 0;
  const report = reporter(result, { color: flags.output === undefined && process.stdout.isTTY === true });
  if (flags.output) writeFileSync(String(flags.output), report);
  else console.log(report);
  return result.failed > 0 || recorded !== 0 ? 1 : 0;
}

/** The in-process target, loaded only when used: it needs msw, an optional peer dependency. */
async function inProcessTarget(): Promise<Target> {
  try {
    return (await import('../contracts/targets/msw.ts')).mswTarget();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes("'msw'")) {
      throw new UsageError('running scenarios in-process needs msw (an optional peer dependency): npm install --save-dev msw@^3, or run them against a server with --target <url>');
    }
    throw error;
  }
}

function isLocal(url: string): boolean {
  const local = isOnThisMachine(url);
  if (local === undefined) throw new UsageError(`--target must be msw or a URL, got "${url}"`);
  return local;
}

/** Positional paths plus flags; `--tag` may repeat. */
function parseRunArgs(argv: readonly string[]): { paths: string[]; flags: Record<string, string | boolean | undefined> & { tag?: string[] } } {
  const paths: string[] = [];
  const flags: Record<string, string | boolean | undefined> & { tag?: string[] } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      paths.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = FLAGS[name];
    if (!spec) throw new UsageError(`unknown flag --${name}`);
    if (spec.type === 'boolean') {
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    if (spec.type === 'number' && !/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
    if (name === 'tag') (flags.tag ??= []).push(value);
    else flags[name] = value;
  }
  return { paths, flags };
}
