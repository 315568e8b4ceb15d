/**
 * `snowflake-auth-mock serve --replay <dir> [--strict]`: the standalone server answering from a
 * recording instead of the mock (record/replay.ts), for clients in any language. Prints what it
 * replays; unmatched requests are told on stderr as they happen; with `--strict` any of them makes
 * the exit code 1 when the server stops.
 */
import { readRecording, RecordingError, type Recording } from '../record/store.ts';
import { createReplayEngine, type UnmatchedEntry } from '../record/replay-engine.ts';
import { replayControl } from '../record/replay-control.ts';
import { accountsOf } from '../record/recording-accounts.ts';
import { startServer, type RunningServer } from '../server/index.ts';
import { prepareTls, type TlsRequest } from './serve-tls.ts';

/**
 * `serve --url-file`: told the URL once the server listens (a failure to write is a start failure),
 * and to remove it after a clean stop.
 *
 * @example
 * const urlFile: UrlFile = { write: (url) => console.log(url), remove: () => {} }
 */
export interface UrlFile {
  write(url: string): void;
  remove(): void;
}

/**
 * What `serve` parsed that a replay uses.
 *
 * @example
 * const options: ReplayServeOptions = { dir: 'recordings/pat-login', strict: false, port: 0, host: '127.0.0.1', control: false, allowRemoteControl: false, stopped, reportStartFailure: () => 1 }
 */
export interface ReplayServeOptions {
  readonly dir: string;
  readonly strict: boolean;
  readonly port: number;
  readonly host: string;
  readonly control: boolean;
  readonly allowRemoteControl: boolean;
  /** `--https`: the certificate also covers `<account>.localhost` for the recording's accounts. */
  readonly tls?: TlsRequest;
  /** `--url-file`. */
  readonly urlFile?: UrlFile;
  /** Resolves when the server should stop (SIGINT/SIGTERM). */
  readonly stopped: Promise<void>;
  /** Errors and start failures (the exit code is returned). */
  readonly reportStartFailure: (error: unknown) => number;
}

/**
 * Serves a replay until `stopped`; resolves with the exit code (0, 1 strict and unmatched, 2 unreadable recording).
 *
 * @example
 * await serveReplay({ dir: 'recordings/pat-login', strict: true, port: 4010, host: '127.0.0.1', control: true, allowRemoteControl: false, stopped, reportStartFailure })
 */
export async function serveReplay(o: ReplayServeOptions): Promise<number> {
  let recording: Recording;
  try {
    recording = readRecording(o.dir);
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error;
    console.error(`snowflake-auth-mock serve: cannot replay ${o.dir}: ${error.message}`);
    return 2;
  }
  const engine = createReplayEngine(recording, { strict: o.strict, onUnmatched: (entry) => console.error(unmatchedLine(entry, o.strict)) });
  let server: RunningServer | undefined;
  let tlsLines: readonly string[] = [];
  try {
    const tls = o.tls && (await prepareTls(o.tls, accountsOf(recording)));
    tlsLines = tls?.lines ?? [];
    server = await startServer({
      port: o.port, host: o.host, control: o.control, allowRemoteControl: o.allowRemoteControl,
      handler: { handle: (req) => engine.handle(req), control: replayControl(engine) },
      ...(tls && { tls: { cert: tls.cert, key: tls.key } }),
    });
    o.urlFile?.write(server.url);
  } catch (error) {
    await server?.close();
    return o.reportStartFailure(error);
  }
  console.log(banner(recording, server.url, o, tlsLines));
  await o.stopped;
  await server.close();
  o.urlFile?.remove();
  const report = engine.report();
  if (report.unmatched === 0 || !o.strict) return 0;
  console.error(`snowflake-auth-mock serve: ${report.unmatched} of ${report.requests} requests matched no recorded exchange (--strict): exit code 1`);
  return 1;
}

function unmatchedLine(entry: UnmatchedEntry, strict: boolean): string {
  const near = entry.nearest[0];
  const why = near ? `; nearest ${near.exchange}: ${near.differences.slice(0, 3).join('; ')}${near.differences.length > 3 ? '; …' : ''}` : '';
  return `replay: no recorded exchange matches ${entry.request}${why}${strict ? ' (--strict: the run has failed)' : ''}`;
}

function banner(recording: Recording, url: string, o: ReplayServeOptions, tlsLines: readonly string[]): string {
  const m = recording.manifest;
  const accounts = accountsOf(recording);
  return [
    `snowflake-auth-mock replaying "${m.name}" on ${url}`,
    `  recorded   from ${m.upstream} at ${m.recordedAt} (snowflake-auth-mock ${m.mockVersion})`,
    `  exchanges  ${recording.exchanges.length} in ${recording.dir}`,
    `  accounts   ${accounts.length > 0 ? accounts.join(', ') : '(none named: any Host is answered)'}`,
    `  unmatched  404 with x-snowflake-auth-mock: replay-unmatched${o.strict ? '; --strict: exit code 1 when stopped' : ''}`,
    o.control ? `  control    ${url}/__mock/replay/report | journal | reset | health` : '  control    off (start with --control for /__mock/replay/report)',
    ...tlsLines,
    '',
    'Ctrl-C to stop.',
  ].join('\n');
}
