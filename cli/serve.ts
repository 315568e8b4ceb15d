/**
 * `snowflake-auth-mock serve`: starts the standalone server and prints its URL and credentials.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { accountsOf, type WorldConfig } from '../domain/world/config.ts';
import { DEFAULT_FIXTURE_KEYS, defaultWorldConfig } from '../domain/world/default-world.ts';
import { formatIssue, WorldConfigError } from '../domain/world/validate.ts';
import { packagePath } from '../api/package-files.ts';
import { loadWorldFile } from '../api/world-file.ts';
import { CONTROL_ENDPOINTS } from '../server/control.ts';
import { startServer, type RunningServer } from '../server/index.ts';
import { INSPECTOR_FILES } from '../server/inspector.ts';
import { flagHelp, listenFailure, parseFlags, takeRepeated, UsageError, type FlagSpec, type ParsedFlags } from './args.ts';
import { describeCredentials, describeProviders } from './credentials.ts';
import { envHelp, readServeEnv, serveWorldWithWarnings, WORLD_TEXT_VARIABLE, type ServeEnv } from './serve-env.ts';
import { serveReplay, type ReplayServeOptions, type UrlFile } from './serve-replay.ts';
import { checkHostnames, prepareTls, type TlsRequest } from './serve-tls.ts';

/**
 * The flags of `serve`; each can also come from `SNOWFLAKE_MOCK_<FLAG>` (cli/serve-env.ts).
 *
 * @example
 * SERVE_FLAGS.port // { type: 'number', description: 'port to listen on (…)' }
 */
export const SERVE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  world: { type: 'string', description: 'world file (YAML or JSON); default: the embedded default world' },
  port: { type: 'number', description: 'port to listen on (default 4010; 0 = any free port)' },
  host: { type: 'string', description: 'address to bind (default 127.0.0.1)' },
  'url-file': { type: 'string', description: 'once listening, write the URL to reach the server (e.g. https://127.0.0.1:4010: the port really bound, 0.0.0.0 as 127.0.0.1) and a newline to this file; removed on a clean stop (for health checks and scripts)' },
  seed: { type: 'number', description: 'seed for generated ids, tokens and secrets' },
  'trust-proxy': { type: 'boolean', description: 'take the client IP from X-Forwarded-For' },
  control: { type: 'boolean', description: 'serve the control API under /__mock/ and the inspector page (both listed below)' },
  'allow-remote-control': { type: 'boolean', description: 'allow --control on a non-loopback address' },
  'clock-start': { type: 'string', description: 'start the mock clock at this ISO 8601 time' },
  https: { type: 'boolean', description: 'serve HTTPS, with a certificate from a dev CA kept in --tls-dir (trust it once: the banner says how)' },
  'tls-dir': { type: 'string', description: 'with --https: where the dev CA and certificate live (default ~/.snowflake-auth-mock/tls)' },
  hostname: { type: 'string', description: 'with --https: another name the certificate covers, DNS name or IP (repeatable)' },
  'tls-cert': { type: 'string', description: "with --https: serve this PEM certificate (chain) instead of the dev CA's" },
  'tls-key': { type: 'string', description: 'with --tls-cert: its PEM private key' },
  replay: { type: 'string', description: 'answer from the recording in this folder instead of the mock (report: replay-report --url)' },
  strict: { type: 'boolean', description: 'with --replay: exit 1 when stopped if any request matched no recorded exchange' },
  help: { type: 'boolean', description: 'show this help' },
};

const PACKAGE_ROOT = packagePath('.') + '/';

/** Flags of the dev CA's certificate: they mean nothing without --https. */
const TLS_FLAGS = ['tls-dir', 'hostname', 'tls-cert', 'tls-key'];

/** The merged settings: command line over environment, and how to name each in a message. */
interface Settings {
  readonly flags: ParsedFlags;
  readonly cli: ParsedFlags;
  readonly env: ServeEnv;
  /** `--port`, or `SNOWFLAKE_MOCK_PORT` when the value came from there. */
  label(flag: string): string;
}

/**
 * Runs `serve`; resolves when the server stops (SIGINT/SIGTERM), with the exit code. Settings come
 * from the flags, then from `SNOWFLAKE_MOCK_*` variables of `env` (cli/serve-env.ts).
 *
 * @example
 * await serveCommand(['--port', '4010', '--control'])
 * await serveCommand(['--https'], { SNOWFLAKE_MOCK_PORT: '4443' })
 */
export async function serveCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values: hostnames, rest } = takeRepeated(argv, 'hostname');
  const cli = parseFlags(rest, SERVE_FLAGS);
  if (cli.help) {
    console.log(`usage: snowflake-auth-mock serve [flags]\n\n${flagHelp(SERVE_FLAGS)}\n\n${controlHelp()}\n\n${envHelp(SERVE_FLAGS)}\n\nexit codes: 0 stopped, 1 could not start (or --replay --strict and a request matched nothing), 2 usage error, invalid world or unreadable recording`);
    return 0;
  }
  if (hostnames.length > 0) cli.hostname = hostnames.join(',');
  const settings = settingsOf(cli, readServeEnv(env, SERVE_FLAGS, cli));
  for (const problem of settings.env.unknown) console.error(`snowflake-auth-mock serve: ignoring ${problem}`);
  checkPort(settings);
  const tls = tlsRequest(settings);
  if (settings.flags.replay !== undefined) return serveReplay(replayOptions(settings, tls));
  return serveMock(settings, tls);
}

function settingsOf(cli: ParsedFlags, env: ServeEnv): Settings {
  // Every boolean flag is off by default, so one set false (SNOWFLAKE_MOCK_STRICT=false in a shared
  // environment, --trust-proxy=false) is the default: it counts as not set, and "applies to --replay
  // only" or "has no meaning with --replay" do not refuse it. A false on the command line still
  // wins over a true variable: readServeEnv does not read the variable of a flag given.
  const merged = Object.entries({ ...env.flags, ...cli }).filter(([, value]) => value !== false);
  return { flags: Object.fromEntries(merged), cli, env, label: (flag) => (flag in cli ? `--${flag}` : (env.sources[flag] ?? `--${flag}`)) };
}

/**
 * A port is 0 to 65535 (TCP's 16 bits, RFC 9293 §3.1); parseFlags and the variables already refuse
 * what is not a non-negative whole number. Checked before anything starts, so 99999 is a usage error
 * naming the flag or variable rather than Node's ERR_SOCKET_BAD_PORT at listen time (exit 1).
 */
function checkPort({ flags, label }: Settings): void {
  const port = flags.port;
  if (port === undefined) return;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${label('port')} must be a port number from 0 to 65535 (0: any free port), got ${String(port)}`);
  }
}

async function serveMock(settings: Settings, tlsWanted: TlsRequest | undefined): Promise<number> {
  const { flags, label } = settings;
  if (flags.strict !== undefined) throw new UsageError(`${label('strict')} applies to --replay only`);
  const clockStart = flags['clock-start'] as string | undefined;
  if (clockStart !== undefined && !Number.isFinite(Date.parse(clockStart))) throw new UsageError(`${label('clock-start')}: cannot read "${clockStart}" as an ISO 8601 time`);
  let server: RunningServer | undefined;
  let world: string | WorldConfig | undefined;
  let tlsLines: readonly string[] = [];
  const urlFile = urlFileOf(settings);
  try {
    const loaded = serveWorldWithWarnings(settings.cli.world as string | undefined, settings.env);
    world = loaded.world;
    // Before anything else is printed: what loads but cannot work (a PAT that needs a network policy).
    for (const warning of loaded.warnings) console.error(`snowflake-auth-mock serve: warning: ${formatIssue(warning)}`);
    const tls = tlsWanted && (await prepareTls(tlsWanted, accountNames(world)));
    tlsLines = tls?.lines ?? [];
    server = await startServer({
      ...(world !== undefined && { world }),
      port: (flags.port as number | undefined) ?? 4010,
      host: (flags.host as string | undefined) ?? '127.0.0.1',
      ...(flags.seed !== undefined && { seed: flags.seed as number }),
      trustProxy: flags['trust-proxy'] === true,
      control: flags.control === true,
      allowRemoteControl: flags['allow-remote-control'] === true,
      ...(clockStart !== undefined && { clockStart }),
      ...(tls && { tls: { cert: tls.cert, key: tls.key } }),
    });
    urlFile?.write(server.url);
  } catch (error) {
    await server?.close();
    return reportStartFailure(error, flags);
  }
  // Listen for the stop signals before saying we are ready, so a caller that stops us on "ready" is heard.
  const stopped = stopSignal();
  const keyFiles = world === undefined ? keyFilesOfDefaultWorld() : {};
  console.log(banner(server.url, flags.control === true, tlsLines));
  console.log(describeCredentials(server.core.world, server.url, server.core.clock.now(), keyFiles));
  const providers = describeProviders(server.core.world, server.url);
  if (providers) console.log(`\n${providers}`);
  console.log('\nCtrl-C to stop.');
  await stopped;
  await server.close();
  urlFile?.remove();
  return 0;
}

function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
}

/**
 * What `--https` and its flags ask for; undefined without `--https`. A TLS flag on the command line
 * without `--https` is a usage error; from the environment it is not (an image may set
 * SNOWFLAKE_MOCK_TLS_DIR for everyone).
 */
function tlsRequest({ flags, cli, label }: Settings): TlsRequest | undefined {
  if (flags.https !== true) {
    const stray = TLS_FLAGS.find((f) => f in cli);
    if (stray) throw new UsageError(`--${stray} applies to --https only`);
    return undefined;
  }
  const [certFile, keyFile] = [flags['tls-cert'] as string | undefined, flags['tls-key'] as string | undefined];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError(certFile === undefined ? `${label('tls-key')} needs --tls-cert too` : `${label('tls-cert')} needs --tls-key too`);
  }
  const mine = certFile !== undefined && ['tls-dir', 'hostname'].find((f) => f in cli);
  if (mine) throw new UsageError(`--${mine} has no meaning with ${label('tls-cert')}: your certificate names its own hosts`);
  return {
    ...(flags['tls-dir'] !== undefined && { dir: String(flags['tls-dir']) }),
    hostnames: flags.hostname === undefined ? [] : checkHostnames([String(flags.hostname)], label('hostname')),
    ...(certFile !== undefined && { certFile, keyFile }),
    host: (flags.host as string | undefined) ?? '127.0.0.1',
    labels: { cert: label('tls-cert'), key: label('tls-key') },
  };
}

/** Account names and locators of the world, for `<account>.localhost` in the certificate. */
function accountNames(world: string | WorldConfig | undefined): string[] {
  const config = world === undefined ? defaultWorldConfig() : typeof world === 'string' ? loadWorldFile(world) : world;
  return accountsOf(config).flatMap(({ account }) => [account.name, ...(account.locator ? [account.locator] : [])]);
}

/** `--replay`'s options; the mock's own flags have no meaning for a recording. */
function replayOptions({ flags, env, label }: Settings, tls: TlsRequest | undefined): ReplayServeOptions {
  const unused = ['world', 'seed', 'trust-proxy', 'clock-start'].filter((f) => flags[f] !== undefined).map(label);
  if (env.worldText !== undefined) unused.push(WORLD_TEXT_VARIABLE);
  if (unused.length > 0) throw new UsageError(`${unused[0]} has no meaning with --replay (a recording answers as recorded)`);
  return {
    dir: String(flags.replay),
    strict: flags.strict === true,
    port: (flags.port as number | undefined) ?? 4010,
    host: (flags.host as string | undefined) ?? '127.0.0.1',
    control: flags.control === true,
    allowRemoteControl: flags['allow-remote-control'] === true,
    ...(tls && { tls }),
    ...(flags['url-file'] !== undefined && { urlFile: urlFileOf({ flags, label }) }),
    stopped: stopSignal(),
    reportStartFailure: (error) => reportStartFailure(error, flags),
  };
}

/**
 * `--url-file`: the URL written once the server listens (temporary file and rename: a reader sees
 * the whole URL or none), and removed when it stops cleanly — unless another `serve` has written
 * its own URL there since. The container's HEALTHCHECK reads it, so it follows the port and scheme
 * really used, whether set by a flag or a variable.
 */
function urlFileOf({ flags, label }: Pick<Settings, 'flags' | 'label'>): UrlFile | undefined {
  const path = flags['url-file'] as string | undefined;
  if (path === undefined) return undefined;
  let written: string | undefined;
  return {
    write(url) {
      const text = `${reachableUrl(url)}\n`;
      // A random name created exclusively ('wx'): nothing planted under a name known in advance is followed.
      const temporary = `${path}.${randomBytes(8).toString('hex')}.tmp`;
      try {
        writeFileSync(temporary, text, { flag: 'wx' });
        renameSync(temporary, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(temporary, { force: true });
        throw new Error(`cannot write ${label('url-file')} ${path}: ${(error as Error).message}`);
      }
      written = text;
    },
    remove() {
      try {
        if (written !== undefined && readFileSync(path, 'utf8') === written) rmSync(path, { force: true });
      } catch {
        // Gone already.
      }
    },
  };
}

/**
 * The URL to reach a server from this machine: bound to every interface (0.0.0.0, ::), it is
 * reached on loopback of that family; anything else as it is. A client cannot portably connect to
 * an unspecified address (Winsock's connect fails with WSAEADDRNOTAVAIL for INADDR_ANY,
 * https://learn.microsoft.com/en-us/windows/win32/api/winsock2/nf-winsock2-connect), and the dev
 * certificate covers 127.0.0.1 and ::1.
 *
 * @example
 * reachableUrl('http://0.0.0.0:4010')   // 'http://127.0.0.1:4010'
 * reachableUrl('https://[::]:443')      // 'https://[::1]:443'
 * reachableUrl('http://127.0.0.1:4010') // 'http://127.0.0.1:4010'
 */
export function reachableUrl(url: string): string {
  // The port is kept as written: URL.origin would drop a default one (443), and a reader wants it.
  const m = /^(https?:\/\/).+(:\d+)$/.exec(url);
  const host = new URL(url).hostname;
  const loopback = host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : undefined;
  return m && loopback ? `${m[1]}${loopback}${m[2]}` : url;
}

function banner(url: string, control: boolean, tlsLines: readonly string[]): string {
  return [
    `snowflake-auth-mock listening on ${url}`,
    `  SQL API   POST ${url}/api/v2/statements`,
    `  REST API  GET  ${url}/api/v2/databases`,
    `  OAuth     GET  ${url}/oauth/authorize · POST ${url}/oauth/token-request`,
    `  provider  ${url}/__provider/<host>/<path>, or the endpoint path with Host: <host> (external OAuth provider, below)`,
    control ? `  control   ${url}/__mock/${controlEndpoints().map((e) => e.name).join(' | ')}` : '  control   off (start with --control)',
    ...(control ? [`  inspector ${url}/__mock/  (the journal live, the world, the clock: open it in a browser)`] : []),
    ...tlsLines,
    '',
  ].join('\n');
}

/**
 * The control API as people read it: each path under `/__mock/` once, with its methods, in the
 * order of server/control.ts (its one list, so a new endpoint shows in `serve --help` and the
 * banner by itself); the inspector page's files are left out, the page is shown on its own line.
 *
 * @example
 * controlEndpoints()[0] // { name: 'health', methods: ['GET'] }
 * controlEndpoints().map((e) => e.name) // ['health', 'clock', 'journal', 'reset', 'world', 'world/summary', 'world/change', 'faults', 'provider', 'client-ip']
 */
export function controlEndpoints(): { name: string; methods: string[] }[] {
  const methods = new Map<string, string[]>();
  for (const key of CONTROL_ENDPOINTS) {
    const space = key.indexOf(' ');
    const [method, name] = [key.slice(0, space), key.slice(space + 1)];
    if (INSPECTOR_FILES.includes(name)) continue;
    const known = methods.get(name);
    if (known) known.push(method);
    else methods.set(name, [method]);
  }
  return [...methods].map(([name, list]) => ({ name, methods: list }));
}

function controlHelp(): string {
  return [
    'control API (with --control), under /__mock/:',
    ...controlEndpoints().map((e) => `  ${e.methods.join('|').padEnd(16)}/__mock/${e.name}`),
    `  ${'GET'.padEnd(16)}/__mock/  the inspector page: the journal live, the world, the clock (open it in a browser)`,
  ].join('\n');
}

function keyFilesOfDefaultWorld(): Record<string, string> {
  const cwd = process.cwd();
  const files: Record<string, string> = {};
  for (const [user, file] of Object.entries(DEFAULT_FIXTURE_KEYS)) files[user] = relative(cwd, PACKAGE_ROOT + String(file)) || String(file);
  return files;
}

function reportStartFailure(error: unknown, flags: Record<string, unknown>): number {
  // A certificate file that cannot be used is found while starting, but it is the user's flag: exit 2 with usage.
  if (error instanceof UsageError) throw error;
  if (error instanceof WorldConfigError) {
    console.error(`snowflake-auth-mock serve: the world config is invalid:\n${error.message}`);
    return 2;
  }
  console.error(listenFailure('serve', error, flags, 4010) ?? `snowflake-auth-mock serve: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
