/**
 * Hand-made recordings for the replay tests: exchanges written as a redacted recording would hold
 * them (placeholders in place of secrets, record/format.ts), in memory or in a temporary folder.
 * Hand-made on purpose: each test states exactly which placeholders and values a recording has.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeFileName, RECORDING_FORMAT, RECORDING_VERSION, type Exchange, type RecordedBody, type RecordingManifest } from '../../record/format.ts';
import type { Recording } from '../../record/store.ts';
import type { MockRequest } from '../../http/record.ts';

/** Recorded at this time (epoch ms) unless an exchange says otherwise. */
export const RECORDED_AT = Date.parse('2026-12-06T10:00:00.000Z');

/** An exchange as a test writes it: request and response, the rest defaulted. */
export interface ExchangeSpec {
  readonly method?: string;
  readonly url: string;
  readonly host?: string;
  readonly headers?: Record<string, string>;
  readonly body?: RecordedBody;
  readonly status?: number;
  readonly responseHeaders?: Record<string, string>;
  readonly response?: RecordedBody;
  /** Seconds after {@link RECORDED_AT}. */
  readonly at?: number;
}

/**
 * A recording in memory.
 *
 * @example
 * const rec = recordingOf([{ url: '/session/v1/login-request', body: { json: {} }, response: { json: { success: true } } }])
 */
export function recordingOf(specs: readonly ExchangeSpec[], upstream = 'https://myorg-myaccount.snowflakecomputing.com', name = 'test-recording'): Recording {
  const exchanges: Exchange[] = specs.map((s, i) => {
    const id = String(i + 1).padStart(4, '0');
    return {
      id,
      startedAt: new Date(RECORDED_AT + (s.at ?? i) * 1000).toISOString(),
      durationMs: 5,
      request: { method: s.method ?? 'POST', url: s.url, ...(s.host !== undefined && { host: s.host }), headers: s.headers ?? (s.body && 'json' in s.body ? { 'content-type': 'application/json' } : {}), ...(s.body !== undefined && { body: s.body }) },
      response: { status: s.status ?? 200, headers: s.responseHeaders ?? { 'content-type': 'application/json' }, ...(s.response !== undefined && { body: s.response }) },
    };
  });
  const files = exchanges.map((e) => join('exchanges', exchangeFileName(e.id, e.request.method, e.request.url)));
  const manifest: RecordingManifest = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    name,
    upstream,
    recordedAt: new Date(RECORDED_AT).toISOString(),
    mockVersion: '0.1.0',
    redaction: { identities: false, placeholders: {} },
    exchanges: files.map((f) => f.slice('exchanges/'.length)),
  };
  return { dir: `(memory)/${name}`, manifest, exchanges, files };
}

/**
 * Writes a recording made by {@link recordingOf} to a new temporary folder and returns the folder.
 *
 * @example
 * const dir = writeRecordingDir(recordingOf([...]))
 */
export function writeRecordingDir(recording: Recording): string {
  const dir = mkdtempSync(join(tmpdir(), 'sam-replay-'));
  mkdirSync(join(dir, 'exchanges'));
  writeFileSync(join(dir, 'recording.json'), JSON.stringify(recording.manifest, null, 2));
  recording.exchanges.forEach((e, i) => writeFileSync(join(dir, recording.files[i]!), JSON.stringify(e, null, 2)));
  return dir;
}

/**
 * A client request record.
 *
 * @example
 * clientRequest('POST', '/session/v1/login-request?requestId=1', { data: {} })
 */
export function clientRequest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): MockRequest {
  const q = url.indexOf('?');
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const type = body === undefined || typeof body === 'string' ? {} : { 'content-type': 'application/json' };
  return {
    method,
    host: 'myorg-myaccount.snowflakecomputing.com',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: { host: 'myorg-myaccount.snowflakecomputing.com', ...type, ...headers },
    body: text,
    clientIp: '127.0.0.1',
  };
}

/** A snowflake-sdk-like login body (CLIENT_ENVIRONMENT included, as the driver sends it). */
export function loginBody(fields: Record<string, unknown>, environment: Record<string, unknown> = { APPLICATION_PATH: '/app/a.js', OS: 'linux', node: '22.23.3' }): unknown {
  return { data: { ACCOUNT_NAME: 'MYORG-MYACCOUNT', CLIENT_APP_ID: 'JavaScript', CLIENT_APP_VERSION: '3.3.0', CLIENT_ENVIRONMENT: environment, ...fields, SESSION_PARAMETERS: { CLIENT_REQUEST_MFA_TOKEN: false } } };
}

/** The recorded counterpart of {@link loginBody}. */
export function recordedLogin(fields: Record<string, unknown>): RecordedBody {
  return { json: loginBody(fields, { APPLICATION_PATH: '/recorder/app.js', OS: 'darwin', node: '22.12.0' }) };
}

/** A successful login answer whose tokens are placeholders `n`. */
export function loginAnswer(n: number): RecordedBody {
  return { json: { data: { token: `__redacted_session_token_${n}__`, masterToken: `__redacted_master_token_${n}__`, validityInSeconds: 3600, masterValidityInSeconds: 14400, sessionId: 1000 + n }, code: null, message: null, success: true } };
}
