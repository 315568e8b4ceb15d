/**
 * Reading recordings from disk. Writing goes through record/write.ts, which redacts and scans
 * first; nothing else writes a recording.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDING_FORMAT, RECORDING_VERSION, type Exchange, type RecordingManifest } from './format.ts';
import { InputError } from './input-error.ts';

/** A recording in memory: its folder, manifest and exchanges in order. */
export interface Recording {
  readonly dir: string;
  readonly manifest: RecordingManifest;
  readonly exchanges: readonly Exchange[];
  /** File of each exchange, relative to `dir` (same order). */
  readonly files: readonly string[];
}

/** A recording that cannot be read, naming the file and the field. */
export class RecordingError extends InputError {}

/**
 * Reads `dir/recording.json` and every exchange it lists.
 *
 * @example
 * const rec = readRecording('recordings/pat-login')
 * rec.exchanges[0]?.request.url // '/session/v1/login-request?…'
 */
export function readRecording(dir: string): Recording {
  const manifestFile = join(dir, 'recording.json');
  if (!existsSync(manifestFile)) throw new RecordingError(manifestFile, '(file)', 'not found: a recording folder holds recording.json');
  const manifest = parseJson(manifestFile) as RecordingManifest;
  if (manifest?.format !== RECORDING_FORMAT) throw new RecordingError(manifestFile, 'format', `expected "${RECORDING_FORMAT}"`);
  if (manifest.version !== RECORDING_VERSION) throw new RecordingError(manifestFile, 'version', `expected ${RECORDING_VERSION}, found ${JSON.stringify(manifest.version)}`);
  if (!Array.isArray(manifest.exchanges)) throw new RecordingError(manifestFile, 'exchanges', 'expected a list of file names');
  const files = manifest.exchanges.map((name) => join('exchanges', String(name)));
  const exchanges = files.map((file) => checkExchange(join(dir, file), parseJson(join(dir, file))));
  return { dir, manifest, exchanges, files };
}

/**
 * True when `dir` is a recording folder (has a recording.json).
 *
 * @example
 * isRecordingDir('recordings/pat-login') // true
 */
export function isRecordingDir(dir: string): boolean {
  return existsSync(join(dir, 'recording.json')) && statSync(dir).isDirectory();
}

function parseJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RecordingError(file, '(file)', error instanceof Error ? error.message : String(error));
  }
}

function checkExchange(file: string, value: unknown): Exchange {
  const e = value as Exchange;
  if (typeof e !== 'object' || e === null) throw new RecordingError(file, '(root)', 'expected an object');
  if (typeof e.request?.method !== 'string') throw new RecordingError(file, 'request.method', 'expected a string');
  if (typeof e.request.url !== 'string' || !e.request.url.startsWith('/')) throw new RecordingError(file, 'request.url', 'expected a path starting with /');
  if (!Number.isInteger(e.response?.status)) throw new RecordingError(file, 'response.status', 'expected an integer');
  return e;
}
