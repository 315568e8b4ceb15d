/**
 * Recordings for the `verify` tests: requests sent to an in-process mock, their real answers
 * captured as raw exchanges and written through the recording writer (so placeholders are where
 * a recorder would put them), then read back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSnowflakeMock, type SnowflakeMock } from '../../handlers/mock.ts';
import type { Exchange, RecordedBody } from '../../record/format.ts';
import { readRecording, type Recording } from '../../record/store.ts';
import { writeRecording } from '../../record/write.ts';

/** The default world's main account host. */
export const HOST = 'myorg-myaccount.snowflakecomputing.com';

/** A request to capture. */
export interface Send {
  readonly method?: string;
  readonly path: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly host?: string;
}

/** A raw exchange (real values) and the JSON answer, for building the next request. */
export interface Captured {
  readonly raw: Omit<Exchange, 'id'>;
  readonly json: Record<string, unknown> & { data?: Record<string, unknown> };
}

/**
 * A capturing client of one in-process mock.
 *
 * @example
 * const c = capture()
 * const login = await c.send({ path: '/session/v1/login-request', json: { data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } } })
 */
export function capture(mock: SnowflakeMock = createSnowflakeMock({ seed: 3 })): { mock: SnowflakeMock; raws: Omit<Exchange, 'id'>[]; send(s: Send): Promise<Captured> } {
  const raws: Omit<Exchange, 'id'>[] = [];
  return {
    mock,
    raws,
    async send(s) {
      const body = s.json !== undefined ? JSON.stringify(s.json) : s.form ? new URLSearchParams(s.form).toString() : '';
      const headers = { ...(s.json !== undefined && { 'content-type': 'application/json' }), ...(s.form && { 'content-type': 'application/x-www-form-urlencoded' }), ...s.headers };
      const res = await mock.core.handle({ method: s.method ?? 'POST', host: s.host ?? HOST, path: s.path, query: s.query ?? '', headers, body, clientIp: '127.0.0.1' });
      const recordedBody: RecordedBody | undefined = s.json !== undefined ? { json: s.json } : s.form ? { form: Object.entries(s.form) } : undefined;
      let json: Captured['json'] = {};
      try {
        json = JSON.parse(res.body) as Captured['json'];
      } catch {
        // A page or an empty body.
      }
      const raw: Omit<Exchange, 'id'> = {
        startedAt: new Date(mock.clock.now()).toISOString(), durationMs: 3,
        request: { method: s.method ?? 'POST', url: `${s.path}${s.query ? `?${s.query}` : ''}`, headers, ...(recordedBody && { body: recordedBody }), ...(s.host && s.host !== HOST && { host: s.host }) },
        response: { status: res.status, headers: { ...res.headers }, ...(res.body !== '' && { body: res.body.startsWith('{') ? { json: JSON.parse(res.body) as unknown } : { text: res.body } }) },
      };
      raws.push(raw);
      return { raw, json };
    },
  };
}

/**
 * Writes raw exchanges as a recording in a temporary folder (redacted by the writer) and reads it.
 *
 * @example
 * const rec = recordingOf(c.raws, 'alice-login')
 */
export function recordingOf(raws: readonly Omit<Exchange, 'id'>[], name = 'verify-test', upstream = `https://${HOST}`): Recording {
  const dir = mkdtempSync(join(tmpdir(), 'verify-'));
  writeRecording(dir, { name, upstream }, raws);
  return readRecording(dir);
}

/**
 * A password login of alice (default world).
 *
 * @example
 * const login = await c.send(aliceLogin())
 */
export function aliceLogin(password = 'alice-password'): Send {
  return { path: '/session/v1/login-request', query: 'requestId=r1', json: { data: { LOGIN_NAME: 'alice', PASSWORD: password, CLIENT_APP_ID: 'JavaScript' } } };
}

/**
 * A query in the session of a login answer.
 *
 * @example
 * await c.send(selectOne(login.json))
 */
export function selectOne(login: Captured['json']): Send {
  return { path: '/queries/v1/query-request', query: 'requestId=r2', headers: { authorization: `Snowflake Token="${String(login.data?.token)}"` }, json: { sqlText: 'SELECT 1' } };
}
