/**
 * The `snowflake-auth-mock` command. Thin: each subcommand parses flags and calls the library.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../api/package-files.ts';
import { UsageError } from './args.ts';

const USAGE = `usage: snowflake-auth-mock <command> [flags]
       snowflake-auth-mock --version | -v
       snowflake-auth-mock help | --help | -h

commands:
  serve          start the mock server (default world embedded; prints the credentials it accepts)
  run            run scenario files against the in-process mock or a base URL (--target)
  record         recording proxy in front of a live account or serve: redacted exchanges to a folder
  replay-report  the report of a running serve --replay <dir> --control (exit 1 if a request matched nothing)
  import         import har <file.har> | import wiremock <mappings dir> --out <dir>: a capture as a redacted recording
  export         export har <recording dir> [--out file.har]: a recording as HAR 1.2
  verify         verify <recording dir> [--world F] [--explained F]: drift between a recording and the model (exit 1 on unexplained or stale differences)
  help           show this help (also with no command at all)
  --version, -v  print the version of snowflake-auth-mock

run "snowflake-auth-mock <command> --help" for a command's flags and exit codes.

exit codes: 0 help or version shown, 2 unknown command; otherwise the command's own (see its --help).`;

type Command = (argv: string[]) => Promise<number>;

// Each command is loaded when it runs: `serve` must start where the optional peer msw is not
// installed (the container image has no dev or peer dependencies), and only `run` needs it.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  serve: async () => (await import('./serve.ts')).serveCommand,
  run: async () => (await import('./run.ts')).runCommand,
  record: async () => (await import('./record.ts')).recordCommand,
  'replay-report': async () => (await import('./replay-report.ts')).replayReportCommand,
  import: async () => (await import('./import.ts')).importCommand,
  export: async () => (await import('./export.ts')).exportCommand,
  verify: async () => (await import('./verify.ts')).verifyCommand,
};

/**
 * The commands `main` runs, in the order the help lists them (besides `help` and `--version`).
 *
 * @example
 * COMMAND_NAMES.includes('replay-report') // true
 */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

/**
 * Runs the CLI and returns the exit code.
 *
 * @example
 * process.exitCode = await main(['serve', '--port', '4010'])
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // No command is a person finding out what the tool does, not a mistake: the help, exit 0.
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(packageVersion());
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(`snowflake-auth-mock: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`snowflake-auth-mock ${name}: ${error.message}\nrun "snowflake-auth-mock ${name} --help" for usage.`);
      return 2;
    }
    throw error;
  }
}

/**
 * The version in the package's own package.json (found from the source and from dist/ alike).
 *
 * @example
 * packageVersion() // '0.1.0'
 */
export function packageVersion(): string {
  return String((JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown }).version);
}
