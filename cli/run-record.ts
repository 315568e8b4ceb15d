/**
 * `run … --target <url> --record <dir>`: the URL target's sends (contracts/targets/url.ts
 * `onExchange`) become raw exchanges for the writer, which redacts them before anything is written.
 * Messages go to standard error, so a report on standard output stays clean.
 */
import { basename, resolve } from 'node:path';
import { addressedHost, capturedMessage } from '../record/capture.ts';
import { createRecordingSink, RecordingIncompleteError, safeDetail, type RawExchange, type RecordingSink } from '../record/sink.ts';
import { UsageError } from './args.ts';
import type { SentExchange } from '../contracts/targets/url.ts';
import { summary } from './record.ts';

/** A recording in progress for `run`. */
export interface RunRecording {
  /** Pass to `urlTarget(url, { onExchange })`. */
  onExchange(exchange: SentExchange): void;
  /** Writes the manifest and prints a summary; 0 when every exchange was written, 1 otherwise. */
  finish(): number;
}

/**
 * Opens the recording for a run against `target`.
 *
 * @example
 * const recording = openRunRecording('recordings/pat-scenarios', 'http://127.0.0.1:4010')
 * const target = urlTarget('http://127.0.0.1:4010', { onExchange: recording.onExchange })
 * // … run …
 * const code = recording.finish()
 */
export function openRunRecording(dir: string, target: string): RunRecording {
  const base = new URL(target);
  let sink: RecordingSink;
  try {
    sink = createRecordingSink(dir, { name: basename(resolve(dir)), upstream: base.href.replace(/\/$/, '') });
  } catch (error) {
    throw new UsageError(`--record ${dir}: cannot write a recording there (${safeDetail(error)})`);
  }
  return {
    onExchange: (sent) => void sink.add(toRaw(sent, base)),
    finish() {
      try {
        console.error(summary(sink.finish(), dir));
        return 0;
      } catch (error) {
        if (error instanceof RecordingIncompleteError) {
          if (error.manifest) console.error(summary(error.manifest, dir));
          console.error(`snowflake-auth-mock run: ${error.failures.length} exchange(s) were NOT recorded (listed above)`);
        } else console.error(`snowflake-auth-mock run: could not write the manifest: ${safeDetail(error)}`);
        return 1;
      }
    },
  };
}

function toRaw(sent: SentExchange, base: URL): RawExchange {
  const url = new URL(sent.request.url);
  const host = addressedHost(sent.request.headers.host, base);
  return {
    startedAt: sent.startedAt,
    durationMs: sent.durationMs,
    request: { method: sent.request.method.toUpperCase(), url: url.pathname + url.search, ...(host !== undefined && { host }), ...capturedMessage(sent.request.headers, Buffer.from(sent.request.body ?? '', 'utf8')) },
    response: { status: sent.response.status, ...capturedMessage(sent.response.headers, Buffer.from(sent.response.body, 'utf8')) },
  };
}
