/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the HTTP Archive browsers' devtools,
 * proxies and Polly.js (https://netflix.github.io/pollyjs/#/api?id=persister) speak. A recording
 * exports to HAR as it is: already redacted. A HAR imports through the recording writer
 * (record/har-import.ts), so it is redacted and scanned like any capture: a HAR saved from devtools
 * carries every cookie, token and password of the session.
 */
import { STATUS_CODES } from 'node:http';
import type { Exchange, RecordedBody } from './format.ts';
import type { Recording } from './store.ts';

export { importHar, harExchanges, type ImportHarOptions } from './har-import.ts';

/**
 * A `{ name, value }` pair of HAR headers, query strings, cookies and form params.
 *
 * @example
 * const h: HarPair = { name: 'content-type', value: 'application/json' }
 */
export interface HarPair {
  readonly name: string;
  readonly value: string;
}

/**
 * One HAR entry (the fields this package reads and writes; others are ignored on import).
 *
 * @example
 * recordingToHar(recording).log.entries[0]?.request.url // 'http://127.0.0.1:4010/session/v1/login-request?requestId=1'
 */
export interface HarEntry {
  readonly startedDateTime: string;
  readonly time: number;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly httpVersion: string;
    readonly cookies: readonly HarPair[];
    readonly headers: readonly HarPair[];
    readonly queryString: readonly HarPair[];
    readonly postData?: { readonly mimeType: string; readonly text?: string; readonly params?: readonly HarPair[]; readonly _encoding?: 'base64' };
    readonly headersSize: number;
    readonly bodySize: number;
  };
  readonly response: {
    readonly status: number;
    readonly statusText: string;
    readonly httpVersion: string;
    readonly cookies: readonly HarPair[];
    readonly headers: readonly HarPair[];
    readonly content: { readonly size: number; readonly mimeType: string; readonly text?: string; readonly encoding?: 'base64' };
    readonly redirectURL: string;
    readonly headersSize: number;
    readonly bodySize: number;
  };
  readonly cache: Record<string, never>;
  readonly timings: { readonly send: number; readonly wait: number; readonly receive: number };
  readonly comment?: string;
}

/**
 * A HAR file.
 *
 * @example
 * const har: Har = { log: { version: '1.2', creator: { name: 'snowflake-auth-mock', version: '0.1.0' }, entries: [] } }
 */
export interface Har {
  readonly log: {
    readonly version: '1.2';
    readonly creator: { readonly name: string; readonly version: string };
    readonly entries: readonly HarEntry[];
    readonly comment?: string;
    /** This package's own field (HAR allows `_` fields): the recording's upstream, so an import gets it back. */
    readonly _upstream?: string;
  };
}

/**
 * A recording as HAR 1.2: one entry per exchange, URLs absolute (the exchange's host, or the
 * upstream), bodies as text (`encoding: "base64"` for bytes; for a request body the custom field
 * `_encoding`, since HAR's postData has none), timings all in `wait`.
 *
 * @example
 * const har = recordingToHar(readRecording('recordings/pat-login'))
 * har.log.entries[0]?.request.url // 'http://127.0.0.1:4010/session/v1/login-request?…'
 */
export function recordingToHar(recording: Recording): Har {
  const { manifest } = recording;
  return {
    log: {
      version: '1.2',
      creator: { name: 'snowflake-auth-mock', version: manifest.mockVersion },
      entries: recording.exchanges.map((e) => harEntry(e, manifest.upstream)),
      comment: `recording "${manifest.name}" (format ${manifest.format} v${manifest.version}); secrets are placeholders __redacted_<kind>_<n>__, see docs/recording-format.md`,
      _upstream: manifest.upstream,
    },
  };
}

function harEntry(e: Exchange, upstream: string): HarEntry {
  const url = absoluteUrl(e, upstream);
  const request = bodyText(e.request.body);
  const response = bodyText(e.response.body);
  const requestType = e.request.headers['content-type'] ?? request?.mimeType;
  return {
    startedDateTime: e.startedAt,
    time: e.durationMs,
    request: {
      method: e.request.method, url, httpVersion: 'HTTP/1.1',
      cookies: cookiePairs(e.request.headers.cookie, /;\s*/),
      headers: pairs(e.request.headers),
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
      ...(request && {
        postData: {
          mimeType: requestType ?? 'application/octet-stream', text: request.text,
          ...(e.request.body && 'form' in e.request.body && { params: e.request.body.form.map(([name, value]) => ({ name, value })) }),
          ...(request.base64 && { _encoding: 'base64' as const }),
        },
      }),
      headersSize: -1, bodySize: request?.size ?? 0,
    },
    response: {
      status: e.response.status, statusText: STATUS_CODES[e.response.status] ?? '', httpVersion: 'HTTP/1.1',
      cookies: (e.response.headers['set-cookie'] ?? '').split(/,\s*(?=[^;,=\s]+=)/).flatMap((c) => cookiePairs(c.split(';', 1)[0], /$^/)),
      headers: pairs(e.response.headers),
      content: {
        size: response?.size ?? 0, mimeType: e.response.headers['content-type'] ?? response?.mimeType ?? '',
        ...(response && { text: response.text }), ...(response?.base64 && { encoding: 'base64' as const }),
      },
      redirectURL: e.response.headers.location ?? '', headersSize: -1, bodySize: response?.size ?? 0,
    },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    comment: `exchange ${e.id}${e.origin ? ` (from ${e.origin})` : ''}`,
  };
}

/** The request URL: the exchange's own host on the upstream's scheme and port, or the upstream. */
function absoluteUrl(e: Exchange, upstream: string): string {
  let base: URL;
  try {
    base = new URL(upstream);
  } catch {
    base = new URL('http://localhost');
  }
  if (e.request.host !== undefined) base.hostname = e.request.host;
  return new URL(e.request.url, base.origin).href;
}

/** A stored body as HAR text. */
function bodyText(body: RecordedBody | undefined): { text: string; mimeType: string; size: number; base64: boolean } | undefined {
  if (!body) return undefined;
  if ('json' in body) return sized(JSON.stringify(body.json), 'application/json');
  if ('form' in body) return sized(new URLSearchParams(body.form.map(([k, v]) => [k, v])).toString(), 'application/x-www-form-urlencoded');
  if ('text' in body) return sized(body.text, 'text/plain');
  return { text: body.base64, mimeType: 'application/octet-stream', size: Buffer.from(body.base64, 'base64').length, base64: true };
}

const sized = (text: string, mimeType: string) => ({ text, mimeType, size: Buffer.byteLength(text), base64: false });

const pairs = (headers: Readonly<Record<string, string>>): HarPair[] => Object.entries(headers).map(([name, value]) => ({ name, value }));

function cookiePairs(header: string | undefined, separator: RegExp): HarPair[] {
  if (!header) return [];
  return header.split(separator).flatMap((c) => {
    const eq = c.indexOf('=');
    return eq < 0 ? [] : [{ name: c.slice(0, eq).trim(), value: c.slice(eq + 1).trim() }];
  });
}
