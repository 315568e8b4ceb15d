/**
 * The recording writer, the only way a recording reaches disk: each exchange is redacted (record/redact.ts,
 * consistently across the recording), serialised, scanned (record/scan.ts, fail closed) and only
 * then written, atomically, as `exchanges/NNNN-<method>-<path>.json`; `finish()` writes
 * `recording.json`. The format: docs/recording-format.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../api/package-files.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { exchangeFileName, placeholder, placeholdersIn, RECORDING_FORMAT, RECORDING_VERSION, type Exchange, type PlaceholderInfo, type RecordingManifest, type SecretKind } from './format.ts';
import { eachExchangeString } from './pointer.ts';
import { createRedactor, type Redactor } from './redact.ts';
import { RedactionError } from './redaction-error.ts';
import { scanExchange } from './scan.ts';
import { highEntropyRuns } from './entropy.ts';
import { SUBSTRING_MIN } from './secret-book.ts';

export { RedactionError } from './redaction-error.ts';

/**
 * How to write a recording.
 *
 * @example
 * const options: RecordingWriterOptions = { name: 'pat-login', upstream: 'http://127.0.0.1:4010', identities: true, allow: ['/response/body/json/etag'] }
 */
export interface RecordingWriterOptions {
  readonly name: string;
  /** Base URL the exchanges went to (redacted like the rest; with `identities` its account too). */
  readonly upstream: string;
  /** Also redact account names, locators, user names and IPs (`--redact-identities`). */
  readonly identities?: boolean;
  /** JSON pointers, or `file#pointer`, the final scan lets through (`--allow`). */
  readonly allow?: readonly string[];
  /** For imports: what the exchanges were made from and under which licence. */
  readonly attribution?: string;
  /** When the recording was made (default: now), e.g. the first entry of an imported HAR. */
  readonly recordedAt?: string;
}

/**
 * An open recording.
 *
 * @example
 * const writer: RecordingWriter = createRecordingWriter('recordings/pat-login', { name: 'pat-login', upstream: 'http://127.0.0.1:4010' })
 */
export interface RecordingWriter {
  /** Redacts, scans and writes one exchange; returns its file relative to the folder. Throws {@link RedactionError} (nothing written) when a secret is left. */
  add(raw: Omit<Exchange, 'id'>): string;
  /** Writes `recording.json` and returns it. */
  finish(): RecordingManifest;
}

/** An exchange ready to write: redacted, serialised and scanned. */
interface Prepared {
  readonly file: string;
  readonly exchange: Exchange;
  readonly text: string;
  readonly allowed: readonly string[];
}

/**
 * Opens a recording folder. An earlier recording there is replaced (its manifest and exchange
 * files are removed); other files are left alone.
 *
 * @example
 * const writer = createRecordingWriter('recordings/pat-login', { name: 'pat-login', upstream: 'http://127.0.0.1:4010' })
 * writer.add(raw)   // 'exchanges/0001-post-session-v1-login-request.json'
 * writer.finish()   // the manifest, also in recordings/pat-login/recording.json
 */
export function createRecordingWriter(dir: string, options: RecordingWriterOptions): RecordingWriter {
  const redactor = createRedactor({ identities: options.identities === true });
  const state = openRecording(dir, options, redactor, redactor.text(options.upstream));
  return {
    add: (raw) => state.commit(state.prepare(raw, state.count() + 1)),
    finish: () => state.finish(),
  };
}

/**
 * Writes a whole recording at once: every exchange is redacted and scanned before the first file
 * is written, so a refusal leaves nothing behind.
 *
 * @example
 * writeRecording('recordings/imported', { name: 'imported', upstream: 'https://myorg-myaccount.snowflakecomputing.com' }, raws)
 */
export function writeRecording(dir: string, options: RecordingWriterOptions, raws: readonly Omit<Exchange, 'id'>[]): RecordingManifest {
  const redactor = createRedactor({ identities: options.identities === true });
  // The upstream first, as the writer does: its account is then known to every exchange.
  const upstream = redactor.text(options.upstream);
  const prepared = raws.map((raw, i) => prepareExchange(redactor, options, raw, i + 1));
  const state = openRecording(dir, options, redactor, upstream);
  for (const p of prepared) state.commit(p);
  return state.finish();
}

function openRecording(dir: string, options: RecordingWriterOptions, redactor: Redactor, upstream: string) {
  const recordedAt = options.recordedAt ?? new Date().toISOString();
  clearEarlierRecording(dir);
  mkdirSync(join(dir, 'exchanges'), { recursive: true });
  const files: string[] = [];
  const placeholders: Record<string, PlaceholderInfo> = {};
  const allowed: string[] = [];
  notePlaceholders(placeholders, upstream, 'recording.json#/upstream');
  return {
    count: () => files.length,
    prepare: (raw: Omit<Exchange, 'id'>, n: number) => prepareExchange(redactor, options, raw, n),
    commit(p: Prepared): string {
      writeFileAtomic(join(dir, p.file), p.text);
      files.push(p.file.slice('exchanges/'.length));
      eachExchangeString(p.exchange, (text, pointer) => notePlaceholders(placeholders, text, `${p.file}#${pointer}`));
      allowed.push(...p.allowed.filter((a) => !allowed.includes(a)));
      return p.file;
    },
    finish(): RecordingManifest {
      const manifest: RecordingManifest = {
        format: RECORDING_FORMAT, version: RECORDING_VERSION, name: options.name, upstream, recordedAt, mockVersion: mockVersion(),
        redaction: { identities: redactor.identities, placeholders: { ...placeholders }, ...(allowed.length > 0 && { allowed: [...allowed] }) },
        exchanges: [...files],
        ...(options.attribution !== undefined && { attribution: options.attribution }),
      };
      const text = `${JSON.stringify(manifest, null, 2)}\n`;
      const seen = redactor.book.findSecret(text);
      if (seen !== undefined) throw new RedactionError('recording.json', '', 'seen', `holds a secret redaction replaced elsewhere by ${seen}`);
      writeFileAtomic(join(dir, 'recording.json'), text);
      return manifest;
    },
  };
}

function prepareExchange(redactor: Redactor, options: RecordingWriterOptions, raw: Omit<Exchange, 'id'>, n: number): Prepared {
  // `origin` is the importer's own label (a mapping file, a HAR entry), never client data: it is kept
  // as written and left out of redaction and the scan, so a fixture value that is also part of a
  // file name (auth/pat/invalid_token.json) does not rename the file it came from.
  const { origin, ...content } = raw;
  const redacted = redactor.exchange(content);
  const id = String(n).padStart(4, '0');
  const scanned: Exchange = { id, startedAt: redacted.startedAt, durationMs: redacted.durationMs, request: redacted.request, response: redacted.response };
  const file = `exchanges/${exchangeFileName(id, scanned.request.method, nameablePath(scanned.request.url, redactor))}`;
  const allowed = scanExchange(scanned, `${JSON.stringify(scanned, null, 2)}\n`, { file, book: redactor.book, identities: redactor.identities, allow: options.allow ?? [] });
  const exchange: Exchange = { ...scanned, ...(origin !== undefined && { origin }) };
  return { file, exchange, text: `${JSON.stringify(exchange, null, 2)}\n`, allowed };
}

/**
 * The path a file is named after, with any segment that is a known secret or random-looking put as
 * `redacted`: a name is printed in messages and listed in the manifest, so it carries no secret
 * even when the exchange is refused for one.
 */
function nameablePath(url: string, redactor: Redactor): string {
  const path = url.split('?')[0] ?? '';
  return path.split('/').map((s) => (s.length >= SUBSTRING_MIN && (redactor.book.findSecret(s) !== undefined || highEntropyRuns(s).length > 0) ? 'redacted' : s)).join('/');
}

const DNS_PLACEHOLDER = /\bredacted-(account|locator|user|ip)-(\d+)\b/g;

/** Records where each placeholder first appears (its DNS-safe form in host names counts as itself). */
function notePlaceholders(into: Record<string, PlaceholderInfo>, text: string, where: string): void {
  const found = [...placeholdersIn(text), ...[...text.matchAll(DNS_PLACEHOLDER)].map((m) => ({ kind: m[1] as SecretKind, n: Number(m[2]) }))];
  for (const p of found) {
    const key = placeholder(p.kind, p.n);
    into[key] ??= { kind: p.kind, firstSeen: where };
  }
}

/** Removes a previous recording's manifest and exchange files (`NNNN-….json` only). */
function clearEarlierRecording(dir: string): void {
  rmSync(join(dir, 'recording.json'), { force: true });
  const exchanges = join(dir, 'exchanges');
  if (!existsSync(exchanges)) return;
  for (const name of readdirSync(exchanges)) if (/^\d{4,}-[a-z0-9-]+\.json$/.test(name)) rmSync(join(exchanges, name), { force: true });
}

let version: string | undefined;

function mockVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}
