/**
 * Importing a HAR 1.2 file (http://www.softwareishard.com/blog/har-12-spec/) as a recording, through
 * the writer: every entry is redacted and scanned like a live capture, so a HAR saved from browser
 * devtools, full of cookies and tokens, reaches disk only as placeholders or not at all. Entries
 * without a response (status 0: blocked or failed in the browser) are skipped. A field the import
 * cannot read is a RecordingError naming the file and the field (`log.entries[3].request.url`).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { recordedBody, recordedHeaders } from './capture.ts';
import type { Exchange, RecordedBody, RecordingManifest } from './format.ts';
import { RecordingError } from './store.ts';
import { writeRecording } from './write.ts';

/**
 * Options of {@link importHar}.
 *
 * @example
 * const options: ImportHarOptions = { name: 'browser-login', identities: true, allow: ['/response/body/json/etag'] }
 */
export interface ImportHarOptions {
  /** Recording name (default: the HAR file's name without `.har`). */
  readonly name?: string;
  /** Also redact account names, locators, user names and IPs. */
  readonly identities?: boolean;
  /** JSON pointers (or `file#pointer`) the final scan lets through. */
  readonly allow?: readonly string[];
  /** Where the HAR came from (default: its file name and the HAR's creator). */
  readonly attribution?: string;
}

type Json = Record<string, unknown>;

/**
 * Reads a HAR file and writes it as a redacted recording in `outDir`; returns the manifest. Throws
 * RecordingError for a HAR it cannot read, RedactionError (nothing written) when the final scan
 * finds a secret left.
 *
 * @example
 * importHar('session.har', 'recordings/browser-login', { identities: true }).exchanges.length // 12
 */
export function importHar(harFile: string, outDir: string, options: ImportHarOptions = {}): RecordingManifest {
  let har: unknown;
  try {
    har = JSON.parse(readFileSync(harFile, 'utf8'));
  } catch (error) {
    throw new RecordingError(harFile, '(file)', error instanceof Error ? error.message : String(error));
  }
  const { upstream, exchanges, creator } = harExchanges(har, harFile);
  return writeRecording(outDir, {
    name: options.name ?? basename(harFile).replace(/\.har$/i, ''),
    upstream,
    attribution: options.attribution ?? `imported from HAR file ${basename(harFile)}${creator ? ` (created by ${creator})` : ''}`,
    ...(exchanges[0] && { recordedAt: exchanges[0].startedAt }),
    ...(options.identities !== undefined && { identities: options.identities }),
    ...(options.allow !== undefined && { allow: options.allow }),
  }, exchanges);
}

/**
 * The raw exchanges of a parsed HAR (real values: never persist them but through the writer) and
 * the upstream: the one a HAR exported by this package names, else the origin of its first entry.
 *
 * @example
 * harExchanges(JSON.parse(text), 'session.har').exchanges[0]?.request.url // '/session/v1/login-request?requestId=…'
 */
export function harExchanges(har: unknown, file: string): { upstream: string; exchanges: Omit<Exchange, 'id'>[]; creator?: string } {
  const log = object((har as Json | null)?.log, file, 'log');
  if (!Array.isArray(log.entries)) throw new RecordingError(file, 'log.entries', 'expected a list of entries');
  const entries = log.entries.map((e: unknown, i) => ({ entry: object(e, file, `log.entries[${i}]`), i }));
  const answered = entries.filter(({ entry }) => (entry.response as Json | undefined)?.status !== 0);
  let upstream = declaredUpstream(log._upstream);
  const exchanges = answered.map(({ entry, i }) => {
    const field = `log.entries[${i}]`;
    const url = entryUrl(entry, file, field);
    upstream ??= url;
    return entryExchange(entry, url, upstream, file, field, `${basename(file)}#/log/entries/${i}`);
  });
  const creator = (log.creator as Json | undefined)?.name;
  return { upstream: typeof log._upstream === 'string' ? log._upstream : upstream?.origin ?? 'har:', exchanges, ...(typeof creator === 'string' && { creator: `${creator} ${String((log.creator as Json).version ?? '')}`.trim() }) };
}

function entryExchange(entry: Json, url: URL, upstream: URL, file: string, field: string, origin: string): Omit<Exchange, 'id'> {
  const request = object(entry.request, file, `${field}.request`);
  const response = object(entry.response, file, `${field}.response`);
  const method = request.method;
  if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) throw new RecordingError(file, `${field}.request.method`, 'expected an HTTP method');
  const status = response.status;
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 999) throw new RecordingError(file, `${field}.response.status`, 'expected an HTTP status code');
  const started = new Date(String(entry.startedDateTime));
  if (Number.isNaN(started.getTime())) throw new RecordingError(file, `${field}.startedDateTime`, 'expected an ISO 8601 date');
  const requestHeaders = headerRecord(request.headers, file, `${field}.request.headers`);
  const responseHeaders = headerRecord(response.headers, file, `${field}.response.headers`);
  const requestBody = postData(request.postData as Json | undefined, requestHeaders['content-type']);
  const responseBody = content(response.content as Json | undefined, responseHeaders['content-type']);
  return {
    startedAt: started.toISOString(),
    durationMs: Math.max(0, Math.round(Number(entry.time) || 0)),
    request: {
      method: method.toUpperCase(), url: `${url.pathname}${url.search}`,
      ...(url.host !== upstream.host && { host: url.hostname }),
      headers: recordedHeaders(requestHeaders, true),
      ...(requestBody && { body: requestBody }),
    },
    response: { status: status as number, headers: recordedHeaders(responseHeaders, true), ...(responseBody && { body: responseBody }) },
    origin,
  };
}

/** The upstream a HAR this package exported names (`log._upstream`), when it is a URL. */
function declaredUpstream(value: unknown): URL | undefined {
  try {
    return typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    return undefined;
  }
}

function object(value: unknown, file: string, field: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RecordingError(file, field, 'expected an object');
  return value as Json;
}

function entryUrl(entry: Json, file: string, field: string): URL {
  const url = (entry.request as Json | undefined)?.url;
  try {
    return new URL(String(url));
  } catch {
    throw new RecordingError(file, `${field}.request.url`, 'expected an absolute URL');
  }
}

/** HAR headers as one record: lower-case names, repeats joined with `, `, HTTP/2 pseudo-headers (`:authority`) left out. */
function headerRecord(value: unknown, file: string, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw new RecordingError(file, field, 'expected a list of { name, value }');
  const out: Record<string, string> = {};
  value.forEach((h: unknown, i) => {
    const { name, value: v } = (h ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof v !== 'string') throw new RecordingError(file, `${field}[${i}]`, 'expected { name, value } strings');
    if (name.startsWith(':')) return;
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? v : `${out[key]}, ${v}`;
  });
  return out;
}

/** A request body: its text (base64 with this package's `_encoding`), else its form params. */
function postData(data: Json | undefined, contentType: string | undefined): RecordedBody | undefined {
  if (!data) return undefined;
  const type = contentType ?? (typeof data.mimeType === 'string' ? data.mimeType : undefined);
  if (typeof data.text === 'string') return recordedBody(Buffer.from(data.text, data._encoding === 'base64' ? 'base64' : 'utf8'), type);
  if (!Array.isArray(data.params)) return undefined;
  const form = new URLSearchParams((data.params as { name?: unknown; value?: unknown }[]).map((p) => [String(p.name), String(p.value ?? '')]));
  return recordedBody(Buffer.from(form.toString()), 'application/x-www-form-urlencoded');
}

/** A response body: HAR content is already decoded (no Content-Encoding left), base64 when `encoding` says so. */
function content(data: Json | undefined, contentType: string | undefined): RecordedBody | undefined {
  if (!data || typeof data.text !== 'string') return undefined;
  const type = contentType ?? (typeof data.mimeType === 'string' ? data.mimeType : undefined);
  return recordedBody(Buffer.from(data.text, data.encoding === 'base64' ? 'base64' : 'utf8'), type);
}
