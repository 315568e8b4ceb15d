/**
 * The recorders' side of the writer (record/write.ts): every recorder hands raw exchanges here.
 * An exchange the writer refuses (a secret left after redaction, or a disk error) is not written,
 * the client has had its answer anyway, and the failure is printed — file and JSON path, never a
 * value — and remembered, so the recorder's end reports it instead of a clean manifest.
 */
import type { Exchange, RecordingManifest, SecretKind } from './format.ts';
import { RedactionError } from './redaction-error.ts';
import { createRecordingWriter } from './write.ts';

/**
 * A raw exchange: real values, no id yet. Never log or persist one.
 *
 * @example
 * const raw: RawExchange = { startedAt: new Date().toISOString(), durationMs: 3, request: { method: 'GET', url: '/api/v2/databases', headers: { authorization: 'Bearer pat-…' } }, response: { status: 200, headers: {} } }
 */
export type RawExchange = Omit<Exchange, 'id'>;

/** Options of the writer that every recorder passes on. */
export interface SinkOptions {
  readonly name: string;
  readonly upstream: string;
  /** Redact account names, locators, user names and IPs too. */
  readonly identities?: boolean;
  /** JSON paths allowed through the final scan. */
  readonly allow?: readonly string[];
  /** Where problem lines go (default: standard error). */
  readonly log?: (line: string) => void;
}

/**
 * One exchange that was not written.
 *
 * @example
 * const f: RecordingFailure = { file: 'exchanges/0003-get-leaky.json', path: '/response/body/json/data/note', message: 'GET /leaky not written: …' }
 */
export interface RecordingFailure {
  /** The exchange file it would have been, and the JSON path the scan stopped at (redaction failures). */
  readonly file?: string;
  readonly path?: string;
  /** Says what went wrong; never holds a recorded value. */
  readonly message: string;
}

/**
 * Raised at the end of a recording that left exchanges out; the manifest covers what was written.
 *
 * @example
 * try { await proxy.close() } catch (e) { if (e instanceof RecordingIncompleteError) console.error(e.failures.map((f) => `${f.file}#${f.path}`)) }
 */
export class RecordingIncompleteError extends Error {
  readonly manifest: RecordingManifest | undefined;
  readonly failures: readonly RecordingFailure[];
  constructor(manifest: RecordingManifest | undefined, failures: readonly RecordingFailure[]) {
    super(`${failures.length} exchange(s) were not recorded:\n${failures.map((f) => `  - ${f.message}`).join('\n')}`);
    this.name = 'RecordingIncompleteError';
    this.manifest = manifest;
    this.failures = failures;
  }
}

/** A writer that never throws at its caller mid-recording. */
export interface RecordingSink {
  /** Redacts and writes one exchange; the file name, or undefined when it was refused. */
  add(raw: RawExchange): string | undefined;
  /** Notes an exchange that could not even be captured (too large, undecodable): not written, and `finish()` says so. */
  skip(what: string, reason: string): void;
  /** Writes the manifest; throws {@link RecordingIncompleteError} when any exchange was refused. */
  finish(): RecordingManifest;
  readonly failures: readonly RecordingFailure[];
}

/**
 * Opens a recording at `dir` through the writer.
 *
 * @example
 * const sink = createRecordingSink('recordings/pat-login', { name: 'pat-login', upstream: 'http://127.0.0.1:4010' })
 * sink.add(raw)
 * const manifest = sink.finish()
 */
export function createRecordingSink(dir: string, options: SinkOptions): RecordingSink {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const writer = createRecordingWriter(dir, {
    name: options.name,
    upstream: options.upstream,
    ...(options.identities !== undefined && { identities: options.identities }),
    ...(options.allow !== undefined && { allow: options.allow }),
  });
  const failures: RecordingFailure[] = [];
  return {
    failures,
    skip(what, reason) {
      const failure = { message: `${what} not written: ${reason}` };
      failures.push(failure);
      log(`snowflake-auth-mock record: ${failure.message}`);
    },
    add(raw) {
      try {
        return writer.add(raw);
      } catch (error) {
        const failure = describeFailure(error, raw);
        failures.push(failure);
        log(`snowflake-auth-mock record: ${failure.message}`);
        return undefined;
      }
    },
    finish() {
      const manifest = writer.finish();
      if (failures.length > 0) throw new RecordingIncompleteError(manifest, failures);
      return manifest;
    },
  };
}

/**
 * How many placeholders of each kind a manifest lists, most frequent first.
 *
 * @example
 * placeholderCounts(manifest) // [['session_token', 4], ['password', 1]]
 */
export function placeholderCounts(manifest: RecordingManifest): [SecretKind, number][] {
  const counts = new Map<SecretKind, number>();
  for (const info of Object.values(manifest.redaction.placeholders)) counts.set(info.kind, (counts.get(info.kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The method and path (never the query: it may carry a token) say which exchange. */
function describeFailure(error: unknown, raw: RawExchange): RecordingFailure {
  const which = `${raw.request.method} ${raw.request.url.split('?')[0]}`;
  if (error instanceof RedactionError) {
    return { file: error.file, path: error.path, message: `${which} not written: a secret is left after redaction in ${error.file} at ${error.path} (the client got its answer; pass --allow ${error.path} if that value is not a secret)` };
  }
  return { message: `${which} not written: ${safeDetail(error)}` };
}

/**
 * What may be printed of an error met while handling recorded values: a system error's message
 * (ENOSPC, EACCES name a path, not a value); of anything else only its name, since it may quote
 * what it choked on.
 *
 * @example
 * safeDetail(Object.assign(new Error('ENOSPC: no space left on device, open …'), { code: 'ENOSPC' })) // 'ENOSPC: no space left …'
 * safeDetail(new SyntaxError('Unexpected token in "pat-…"'))                                        // 'SyntaxError (details withheld: …)'
 */
export function safeDetail(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && error instanceof Error) return error.message;
  return `${error instanceof Error ? error.name : 'error'} (details withheld: they may quote a recorded value)`;
}
