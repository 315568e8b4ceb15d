/**
 * `snowflake-auth-mock export har <recording dir> [--out file.har]`: a recording as HAR 1.2
 * (record/har.ts), for tools that read HAR (browser devtools, Polly.js, proxies). The recording is
 * already redacted; so is the HAR.
 */
import { writeFileSync } from 'node:fs';
import { recordingToHar } from '../record/har.ts';
import { readRecording, RecordingError } from '../record/store.ts';
import { flagHelp, parseFlags, UsageError, type FlagSpec } from './args.ts';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: { type: 'string', description: 'HAR file to write (default: standard output)' },
  help: { type: 'boolean', description: 'show this help' },
};

const HELP = `usage: snowflake-auth-mock export har <recording dir> [--out file.har]

Writes a recording as HAR 1.2: one entry per exchange, placeholders as recorded.

${flagHelp(FLAGS)}

exit codes:
  0  written
  2  usage error, or the recording cannot be read (file: field: problem)`;

/**
 * Runs `export`; resolves with the exit code.
 *
 * @example
 * process.exitCode = await exportCommand(['har', 'recordings/pat-login', '--out', 'pat-login.har'])
 */
export async function exportCommand(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === undefined || kind === '--help' || kind === 'help' || rest.includes('--help')) {
    console.log(HELP);
    return kind === undefined ? 2 : 0;
  }
  if (kind !== 'har') throw new UsageError(`unknown format "${kind}": export har`);
  const [dir, ...flagArgs] = rest;
  if (dir === undefined || dir.startsWith('--')) throw new UsageError('name the recording folder to export');
  const flags = parseFlags(flagArgs, FLAGS);
  let text: string;
  try {
    text = `${JSON.stringify(recordingToHar(readRecording(dir)), null, 2)}\n`;
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error;
    console.error(`snowflake-auth-mock export: ${error.message}`);
    return 2;
  }
  if (typeof flags.out === 'string') {
    writeFileSync(flags.out, text);
    console.error(`wrote ${flags.out}`);
  } else process.stdout.write(text);
  return 0;
}
