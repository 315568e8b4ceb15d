/**
 * `snowflake-auth-mock serve`: starts the standalone server and prints its URL and credentials.
 */
import { relative } from 'node:path';
import { DEFAULT_FIXTURE_KEYS } from '../domain/world/default-world.ts';
import { WorldConfigError } from '../domain/world/validate.ts';
import { packagePath } from '../api/package-files.ts';
import { startServer } from '../server/index.ts';
import { flagHelp, listenFailure, parseFlags, UsageError, type FlagSpec } from './args.ts';
import { describeCredentials, describeProviders } from './credentials.ts';
import { serveReplay, type ReplayServeOptions } from './serve-replay.ts';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  world: { type: 'string', description: 'world file (YAML or JSON); default: the embedded default world' },
  port: { type: 'number', description: 'port to listen on (default 4010; 0 = any free port)' },
  host: { type: 'string', description: 'address to bind (default 127.0.0.1)' },
  seed: { type: 'number', description: 'seed for generated ids, tokens and secrets' },
  'trust-proxy': { type: 'boolean', description: 'take the client IP from X-Forwarded-For' },
  control: { type: 'boolean', description: 'serve the control API under /__mock/ (health, clock, journal, reset)' },
  'allow-remote-control': { type: 'boolean', description: 'allow --control on a non-loopback address' },
  'clock-start': { type: 'string', description: 'start the mock clock at this ISO 8601 time' },
  replay: { type: 'string', description: 'answer from the recording in this folder instead of the mock (report: replay-report --url)' },
  strict: { type: 'boolean', description: 'with --replay: exit 1 when stopped if any request matched no recorded exchange' },
  help: { type: 'boolean', description: 'show this help' },
};

const PACKAGE_ROOT = packagePath('.') + '/';

/**
 * Runs `serve`; resolves when the server stops (SIGINT/SIGTERM), with the exit code.
 *
 * @example
 * await serveCommand(['--port', '4010', '--control'])
 */
export async function serveCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    console.log(`usage: snowflake-auth-mock serve [flags]\n\n${flagHelp(FLAGS)}\n\nexit codes: 0 stopped, 1 could not start (or --replay --strict and a request matched nothing), 2 usage error, invalid world or unreadable recording`);
    return 0;
  }
  if (flags.replay !== undefined) return serveReplay(replayOptions(flags));
  if (flags.strict !== undefined) throw new UsageError('--strict applies to --replay only');
  const clockStart = flags['clock-start'] as string | undefined;
  if (clockStart !== undefined && !Number.isFinite(Date.parse(clockStart))) throw new UsageError(`--clock-start: cannot read "${clockStart}" as an ISO 8601 time`);
  let server;
  try {
    server = await startServer({
      ...(flags.world !== undefined && { world: String(flags.world) }),
      port: (flags.port as number | undefined) ?? 4010,
      host: (flags.host as string | undefined) ?? '127.0.0.1',
      ...(flags.seed !== undefined && { seed: flags.seed as number }),
      trustProxy: flags['trust-proxy'] === true,
      control: flags.control === true,
      allowRemoteControl: flags['allow-remote-control'] === true,
      ...(clockStart !== undefined && { clockStart }),
    });
  } catch (error) {
    return reportStartFailure(error, flags);
  }
  // Listen for the stop signals before saying we are ready, so a caller that stops us on "ready" is heard.
  const stopped = new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  const keyFiles = flags.world === undefined ? keyFilesOfDefaultWorld() : {};
  console.log(banner(server.url, flags.control === true));
  console.log(describeCredentials(server.core.world, server.url, server.core.clock.now(), keyFiles));
  const providers = describeProviders(server.core.world, server.url);
  if (providers) console.log(`\n${providers}`);
  console.log('\nCtrl-C to stop.');
  await stopped;
  await server.close();
  return 0;
}

/** `--replay`'s options; the mock's own flags have no meaning for a recording. */
function replayOptions(flags: Record<string, unknown>): ReplayServeOptions {
  const unused = ['world', 'seed', 'trust-proxy', 'clock-start'].filter((f) => flags[f] !== undefined);
  if (unused.length > 0) throw new UsageError(`--${unused[0]} has no meaning with --replay (a recording answers as recorded)`);
  return {
    dir: String(flags.replay),
    strict: flags.strict === true,
    port: (flags.port as number | undefined) ?? 4010,
    host: (flags.host as string | undefined) ?? '127.0.0.1',
    control: flags.control === true,
    allowRemoteControl: flags['allow-remote-control'] === true,
    stopped: new Promise<void>((resolve) => {
      process.on('SIGINT', () => resolve());
      process.on('SIGTERM', () => resolve());
    }),
    reportStartFailure: (error) => reportStartFailure(error, flags),
  };
}

function banner(url: string, control: boolean): string {
  return [
    `snowflake-auth-mock listening on ${url}`,
    `  SQL API   POST ${url}/api/v2/statements`,
    `  REST API  GET  ${url}/api/v2/databases`,
    `  OAuth     GET  ${url}/oauth/authorize · POST ${url}/oauth/token-request`,
    `  provider  ${url}/__provider/<host>/<path>, or the endpoint path with Host: <host> (external OAuth provider, below)`,
    control ? `  control   ${url}/__mock/health | clock | journal | reset | provider` : '  control   off (start with --control)',
    '',
  ].join('\n');
}

function keyFilesOfDefaultWorld(): Record<string, string> {
  const cwd = process.cwd();
  const files: Record<string, string> = {};
  for (const [user, file] of Object.entries(DEFAULT_FIXTURE_KEYS)) files[user] = relative(cwd, PACKAGE_ROOT + String(file)) || String(file);
  return files;
}

function reportStartFailure(error: unknown, flags: Record<string, unknown>): number {
  if (error instanceof WorldConfigError) {
    console.error(`snowflake-auth-mock serve: the world config is invalid:\n${error.message}`);
    return 2;
  }
  console.error(listenFailure('serve', error, flags, 4010) ?? `snowflake-auth-mock serve: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
