/**
 * `snowflake-auth-mock record`: the recording proxy (record/proxy.ts) in front of a live account or
 * `serve`. Prints where it listens and how to point clients at it; on SIGINT/SIGTERM writes the
 * manifest and prints what was recorded.
 */
import { RecordingIncompleteError, placeholderCounts, safeDetail } from '../record/sink.ts';
import { PROXY_MODES, startRecordingProxy, type ProxyMode, type RecordingProxy } from '../record/proxy.ts';
import { RecordingError } from '../record/store.ts';
import type { RecordingManifest } from '../record/format.ts';
import { flagHelp, isOnThisMachine, listenFailure, parseFlags, takeRepeated, UsageError, type FlagSpec } from './args.ts';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  upstream: { type: 'string', description: 'base URL to forward to (required): https://<account>.snowflakecomputing.com, or serve\'s http://127.0.0.1:4010' },
  live: { type: 'boolean', description: 'allow an --upstream that is not on this machine (a real account; the client brings its own credentials)' },
  out: { type: 'string', description: 'recording folder (required), e.g. recordings/pat-login' },
  name: { type: 'string', description: 'recording name in the manifest (default: the folder name)' },
  port: { type: 'number', description: 'port to listen on (default 4011; 0 = any free port)' },
  host: { type: 'string', description: 'address to bind (default 127.0.0.1)' },
  mode: { type: 'string', description: 'record (default), record-missing, passthrough or replay (Polly.js modes)' },
  'redact-identities': { type: 'boolean', description: 'also replace account names, locators, user names and IPs' },
  allow: { type: 'string', description: 'JSON path the final secret scan lets through (repeat the flag for several)' },
  help: { type: 'boolean', description: 'show this help' },
};

const HELP = `usage: snowflake-auth-mock record --upstream <base URL> --out <dir> [flags]

Forwards every request to the upstream and writes each exchange, secrets redacted, under <dir>.
Stop with Ctrl-C (SIGINT) or SIGTERM: the manifest is written and a summary printed.

${flagHelp(FLAGS)}

exit codes:
  0  stopped; every exchange was recorded
  1  could not start (port in use, …), or an exchange was left out (a secret survived redaction, a write failed)
  2  usage error, or the recording to replay cannot be read`;

/**
 * Runs `record`; resolves when stopped, with the exit code.
 *
 * @example
 * process.exitCode = await recordCommand(['--upstream', 'http://127.0.0.1:4010', '--out', 'recordings/pat-login'])
 */
export async function recordCommand(argv: string[]): Promise<number> {
  const { values: allow, rest } = takeRepeated(argv, 'allow');
  const flags = parseFlags(rest, FLAGS);
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const upstream = requireString(flags.upstream, '--upstream');
  const out = requireString(flags.out, '--out');
  const mode = (flags.mode as string | undefined) ?? 'record';
  if (!PROXY_MODES.includes(mode as ProxyMode)) throw new UsageError(`--mode must be one of ${PROXY_MODES.join(', ')}, got "${mode}"`);
  if (!/^https?:\/\/[^/]/.test(upstream)) throw new UsageError(`--upstream must be an http or https base URL, got "${upstream}"`);
  if (isOnThisMachine(upstream) === false && flags.live !== true) throw new UsageError(`--upstream ${upstream} is not on this machine; pass --live to record a real account`);
  let proxy: RecordingProxy;
  try {
    proxy = await startRecordingProxy({
      upstream,
      out,
      mode: mode as ProxyMode,
      port: (flags.port as number | undefined) ?? 4011,
      host: (flags.host as string | undefined) ?? '127.0.0.1',
      ...(flags.name !== undefined && { name: String(flags.name) }),
      identities: flags['redact-identities'] === true,
      ...(allow.length > 0 && { allow }),
    });
  } catch (error) {
    return startFailure(error, flags);
  }
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  console.log(banner(proxy, upstream, out));
  await stopped;
  return finish(proxy, out);
}

function banner(proxy: RecordingProxy, upstream: string, out: string): string {
  const what: Record<ProxyMode, string> = {
    record: `forwarding to ${upstream}; every exchange is written, redacted, to ${out}`,
    'record-missing': `answering from ${out} what it has; forwarding the rest to ${upstream} and adding it`,
    passthrough: `forwarding to ${upstream}; nothing is written`,
    replay: `answering only from ${out}; nothing is forwarded`,
  };
  return [
    `snowflake-auth-mock record listening on ${proxy.url}`,
    `  mode           ${proxy.mode}: ${what[proxy.mode]}`,
    `  snowflake-sdk  snowflake.createConnection({ accessUrl: '${proxy.url}', account: '<ACCOUNT>', … })  (OAuth flows over http also need oauthHttpAllowed: true)`,
    `  curl           curl ${proxy.url}/api/v2/statements -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' -d '{"statement":"SELECT 1"}'`,
    '',
    'Ctrl-C to stop and write the manifest.',
  ].join('\n');
}

async function finish(proxy: RecordingProxy, out: string): Promise<number> {
  try {
    const manifest = await proxy.close();
    if (manifest) console.log(summary(manifest, out));
    else console.log(`stopped (${proxy.mode}: nothing written)`);
    return 0;
  } catch (error) {
    if (!(error instanceof RecordingIncompleteError)) {
      console.error(`snowflake-auth-mock record: could not write the manifest: ${safeDetail(error)}`);
      return 1;
    }
    if (error.manifest) console.log(summary(error.manifest, out));
    console.error(`snowflake-auth-mock record: ${error.failures.length} exchange(s) were NOT recorded:\n${error.failures.map((f) => `  - ${f.message}`).join('\n')}`);
    return 1;
  }
}

/**
 * What a finished recording holds, in one or two lines.
 *
 * @example
 * summary(manifest, 'recordings/pat-login')
 * // 'recorded 4 exchange(s) to recordings/pat-login\n  placeholders: session_token 2, master_token 1, pat 1'
 */
export function summary(manifest: RecordingManifest, out: string): string {
  const counts = placeholderCounts(manifest).map(([kind, n]) => `${kind} ${n}`).join(', ');
  return `recorded ${manifest.exchanges.length} exchange(s) to ${out}\n  placeholders: ${counts || 'none'}`;
}

function startFailure(error: unknown, flags: Record<string, unknown>): number {
  if (error instanceof RecordingError) {
    console.error(`snowflake-auth-mock record: cannot read the recording to replay: ${error.message}`);
    return 2;
  }
  console.error(listenFailure('record', error, flags, 4011) ?? `snowflake-auth-mock record: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

function requireString(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

