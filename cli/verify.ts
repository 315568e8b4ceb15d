/**
 * `snowflake-auth-mock verify <recording dir>`: drift between a recording and the mock's model
 * (record/verify.ts). Prints a report; exits 1 when a difference is not in the explained file or a
 * listed one no longer happens.
 */
import { writeFileSync } from 'node:fs';
import { WorldConfigError } from '../domain/world/validate.ts';
import { readRecording, RecordingError } from '../record/store.ts';
import { ExplainedError, loadExplained, verifyRecording, type ExplainedFile } from '../record/verify.ts';
import { VERIFY_REPORTERS, type VerifyReporterName } from '../record/verify/reporters/index.ts';
import { flagHelp, parseFlags, UsageError, type FlagSpec } from './args.ts';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  world: { type: 'string', description: 'world file (YAML or JSON) the model runs with; default the embedded world' },
  explained: { type: 'string', description: 'explained-differences file (YAML or JSON): reasons, differences, adaptations' },
  reporter: { type: 'string', description: 'pretty (default), json, markdown or junit' },
  output: { type: 'string', description: 'write the report to this file instead of standard output' },
  help: { type: 'boolean', description: 'show this help' },
};

const HELP = `usage: snowflake-auth-mock verify <recording dir> [--world FILE] [--explained FILE] [--reporter pretty|json|markdown|junit] [--output FILE]

Sends every recorded request to the in-process model (a fresh one per flow), with the recording's
placeholders resolved to values the model accepts, and compares the answers: status, Snowflake
code, OAuth error, message (incident numbers ignored) and the body's shape per endpoint. Each
change made to a recorded request is named (adapted: …). Differences listed in --explained pass.

${flagHelp(FLAGS)}

exit codes:
  0  every difference is explained
  1  a difference is not explained, or a listed one no longer happens (stale)
  2  usage error, or the recording, world or explained file cannot be read (file: field: problem)`;

/**
 * Runs `verify`; resolves with the exit code.
 *
 * @example
 * process.exitCode = await verifyCommand(['recordings/pat-login', '--world', 'world.yaml'])
 */
export async function verifyCommand(argv: string[]): Promise<number> {
  const [dir, ...rest] = argv;
  if (dir === '--help' || rest.includes('--help')) {
    console.log(HELP);
    return 0;
  }
  if (dir === undefined || dir.startsWith('--')) throw new UsageError('name the recording folder to verify');
  const flags = parseFlags(rest, FLAGS);
  const reporter = VERIFY_REPORTERS[(flags.reporter ?? 'pretty') as VerifyReporterName];
  if (!reporter) throw new UsageError(`--reporter must be one of ${Object.keys(VERIFY_REPORTERS).join(', ')}`);
  let explained: ExplainedFile = { reasons: {}, differences: [], adaptations: [] };
  try {
    const recording = readRecording(dir);
    if (typeof flags.explained === 'string') explained = loadExplained(flags.explained);
    const result = await verifyRecording(recording, {
      ...(typeof flags.world === 'string' && { world: flags.world }),
      explained: explained.differences, reasons: explained.reasons, adaptations: explained.adaptations,
    });
    const report = reporter(result, { color: flags.output === undefined && process.stdout.isTTY === true });
    if (typeof flags.output === 'string') writeFileSync(flags.output, report);
    else process.stdout.write(report);
    return result.passed ? 0 : 1;
  } catch (error) {
    if (error instanceof RecordingError || error instanceof ExplainedError || error instanceof WorldConfigError) {
      console.error(`snowflake-auth-mock verify: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
