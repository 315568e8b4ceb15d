/**
 * HAR 1.2 export and import (record/har.ts, record/har-import.ts): a recording exports with
 * absolute URLs, query strings, post data, content and timings; exported and imported again it is
 * the same recording; a devtools-style HAR full of secrets is imported redacted (through the writer
 * and its final scan), never verbatim; a HAR that cannot be read names file and field.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../record/format.ts';
import { harExchanges, importHar, recordingToHar } from '../../record/har.ts';
import { RedactionError } from '../../record/redaction-error.ts';
import { readRecording, RecordingError } from '../../record/store.ts';
import { writeRecording } from '../../record/write.ts';

type Raw = Omit<Exchange, 'id'>;
const temp = (): string => mkdtempSync(join(tmpdir(), 'sam-har-'));

const RAWS: Raw[] = [
  {
    startedAt: '2026-03-01T12:00:00.000Z', durationMs: 12,
    request: { method: 'POST', url: '/session/v1/login-request?requestId=1&warehouse=WH', headers: { 'content-type': 'application/json', cookie: 'a=1234567890ab' }, body: { json: { data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } } } },
    response: { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': 'sid=abcdefgh12345; Path=/' }, body: { json: { data: { token: 'ver:1-hint:1-ETMsDgAAAZxQ9mK3vT7y' }, success: true } } },
  },
  {
    startedAt: '2026-03-01T12:00:01.000Z', durationMs: 3,
    request: { method: 'POST', url: '/oauth/authorize', host: 'myorg-myaccount.localhost', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: { form: [['step', 'consent'], ['decision', 'allow']] } },
    response: { status: 302, headers: { location: 'https://app.example.com/cb?code=C0de-0123456789' } },
  },
  {
    startedAt: '2026-03-01T12:00:02.000Z', durationMs: 1,
    request: { method: 'GET', url: '/bytes', headers: {} },
    response: { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: { base64: Buffer.from([0xff, 0x00, 0x7f]).toString('base64') } },
  },
];

function recorded(): { dir: string } {
  const dir = join(temp(), 'rec');
  writeRecording(dir, { name: 'har-source', upstream: 'http://127.0.0.1:4010', recordedAt: '2026-03-01T12:00:00.000Z' }, RAWS);
  return { dir };
}

describe('recordingToHar', () => {
  it('one entry per exchange with absolute URLs, query strings, post data, content and timings', () => {
    const har = recordingToHar(readRecording(recorded().dir));
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('snowflake-auth-mock');
    const [login, authorize, bytes] = har.log.entries;
    expect(login).toMatchObject({
      startedDateTime: '2026-03-01T12:00:00.000Z', time: 12, timings: { send: 0, wait: 12, receive: 0 },
      request: {
        method: 'POST', url: 'http://127.0.0.1:4010/session/v1/login-request?requestId=1&warehouse=WH', httpVersion: 'HTTP/1.1',
        queryString: [{ name: 'requestId', value: '1' }, { name: 'warehouse', value: 'WH' }],
        cookies: [{ name: 'a', value: '__redacted_cookie_1__' }],
        postData: { mimeType: 'application/json', text: '{"data":{"LOGIN_NAME":"alice","PASSWORD":"__redacted_password_1__"}}' },
      },
      response: { status: 200, statusText: 'OK', cookies: [{ name: 'sid', value: '__redacted_cookie_2__' }], content: { mimeType: 'application/json', text: '{"data":{"token":"__redacted_session_token_1__"},"success":true}' }, redirectURL: '' },
    });
    expect(authorize).toMatchObject({
      request: { url: 'http://myorg-myaccount.localhost:4010/oauth/authorize', postData: { mimeType: 'application/x-www-form-urlencoded', text: 'step=consent&decision=allow', params: [{ name: 'step', value: 'consent' }, { name: 'decision', value: 'allow' }] } },
      response: { status: 302, statusText: 'Found', redirectURL: 'https://app.example.com/cb?code=__redacted_oauth_code_1__' },
    });
    expect(bytes!.response.content).toEqual({ size: 3, mimeType: 'application/octet-stream', text: '/wB/', encoding: 'base64' });
  });

  it('exported and imported again, it is the same recording', () => {
    const source = readRecording(recorded().dir);
    const file = join(temp(), 'x.har');
    writeFileSync(file, JSON.stringify(recordingToHar(source)));
    const out = join(temp(), 'again');
    const manifest = importHar(file, out, { name: 'again' });
    const again = readRecording(out);
    expect(again.exchanges.map(({ origin, ...e }) => e)).toEqual(source.exchanges);
    expect(again.exchanges.map((e) => e.origin)).toEqual(['x.har#/log/entries/0', 'x.har#/log/entries/1', 'x.har#/log/entries/2']);
    expect(manifest.upstream).toBe('http://127.0.0.1:4010');
    expect(Object.keys(manifest.redaction.placeholders)).toEqual(Object.keys(source.manifest.redaction.placeholders));
  });
});

/** A HAR as browser devtools save it: real secrets everywhere, HTTP/2 pseudo-headers, an aborted request. */
function devtoolsHar(extra: Record<string, unknown>[] = []): object {
  const h = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));
  const entry = (url: string, request: Record<string, unknown>, response: Record<string, unknown>, at = '2026-03-01T12:00:00.000Z') => ({
    startedDateTime: at, time: 42.7, _resourceType: 'fetch',
    request: { method: 'POST', url, httpVersion: 'h2', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0, ...request },
    response: { status: 200, statusText: '', httpVersion: 'h2', headers: [], cookies: [], content: { size: 0, mimeType: 'application/json' }, redirectURL: '', headersSize: -1, bodySize: 0, ...response },
    cache: {}, timings: { send: 0, wait: 42, receive: 0 },
  });
  return {
    log: {
      version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [],
      entries: [
        entry('https://myorg-myaccount.snowflakecomputing.com/session/v1/login-request?requestId=7', {
          headers: h({ ':authority': 'myorg-myaccount.snowflakecomputing.com', ':method': 'POST', 'Content-Type': 'application/json', Cookie: 'sfsession=S3ss10n-Cookie-Value-1; theme=light', 'X-Forwarded-For': '203.0.113.9' }),
          postData: { mimeType: 'application/json', text: JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'Real-Passw0rd!', ACCOUNT_NAME: 'MYORG-MYACCOUNT' } }) },
        }, {
          headers: h({ 'Content-Type': 'application/json', 'Set-Cookie': 'sfsession=N3w-Session-Cookie-2; Secure; HttpOnly', 'Content-Encoding': 'gzip', 'Content-Length': '99' }),
          content: { size: 99, mimeType: 'application/json', text: JSON.stringify({ data: { token: 'ver:1-hint:777-ETMsDgAAAZreal0session', masterToken: 'ver:1-hint:777-ETMsDgAAAZreal0master' }, success: true }) },
        }),
        entry('https://myorg-myaccount.snowflakecomputing.com/queries/v1/query-request?requestId=8', {
          headers: h({ Authorization: 'Snowflake Token="ver:1-hint:777-ETMsDgAAAZreal0session"', 'Content-Type': 'application/json' }),
          postData: { mimeType: 'application/json', text: JSON.stringify({ sqlText: 'SELECT 1' }) },
        }, { content: { size: 0, mimeType: 'application/json', text: Buffer.from('{"success":true}').toString('base64'), encoding: 'base64' } }, '2026-03-01T12:00:01.000Z'),
        entry('https://idp.example.com/oauth2/v1/token', {
          headers: h({ 'content-type': 'application/x-www-form-urlencoded' }),
          postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'grant_type', value: 'refresh_token' }, { name: 'refresh_token', value: 'idp-refresh-0123456789' }] },
        }, { content: { size: 0, mimeType: 'application/json', text: JSON.stringify({ access_token: 'idp-access-0123456789', token_type: 'Bearer' }) } }, '2026-03-01T12:00:02.000Z'),
        { ...entry('https://cdn.example.com/blocked.js', { method: 'GET' }, { status: 0 }), _error: 'net::ERR_BLOCKED_BY_CLIENT' },
        ...extra,
      ],
    },
  };
}

const SECRETS = ['S3ss10n-Cookie-Value-1', 'Real-Passw0rd!', 'N3w-Session-Cookie-2', 'ver:1-hint:777-ETMsDgAAAZreal0session', 'ver:1-hint:777-ETMsDgAAAZreal0master', 'idp-refresh-0123456789', 'idp-access-0123456789'];

describe('importHar', () => {
  it('redacts a devtools HAR like a live capture: no secret on disk, the session token linked', () => {
    const dir = temp();
    writeFileSync(join(dir, 'devtools.har'), JSON.stringify(devtoolsHar()));
    const manifest = importHar(join(dir, 'devtools.har'), join(dir, 'rec'));
    const text = ['recording.json', ...readdirSync(join(dir, 'rec', 'exchanges')).map((f) => `exchanges/${f}`)].map((f) => readFileSync(join(dir, 'rec', f), 'utf8')).join('\n');
    expect(SECRETS.filter((s) => text.includes(s))).toEqual([]);
    const { exchanges } = readRecording(join(dir, 'rec'));
    expect(exchanges).toHaveLength(3);
    expect(manifest).toMatchObject({ name: 'devtools', upstream: 'https://myorg-myaccount.snowflakecomputing.com', recordedAt: '2026-03-01T12:00:00.000Z', attribution: 'imported from HAR file devtools.har (created by WebInspector 537.36)' });
    expect(exchanges[0]!.request.headers).toEqual({ 'content-type': 'application/json', cookie: 'sfsession=__redacted_cookie_1__; theme=__redacted_cookie_2__', 'x-forwarded-for': '203.0.113.9' });
    expect(exchanges[0]!.response.headers).toEqual({ 'content-type': 'application/json', 'set-cookie': 'sfsession=__redacted_cookie_3__; Secure; HttpOnly' });
    expect(exchanges[1]!.request.headers.authorization).toBe('Snowflake Token="__redacted_session_token_1__"');
    expect(exchanges[1]!.response.body).toEqual({ json: { success: true } });
    expect(exchanges[2]!.request).toMatchObject({ host: 'idp.example.com', url: '/oauth2/v1/token', body: { form: [['grant_type', 'refresh_token'], ['refresh_token', '__redacted_provider_token_1__']] } });
    expect(exchanges.map((e) => [e.durationMs, e.origin])).toEqual([[43, 'devtools.har#/log/entries/0'], [43, 'devtools.har#/log/entries/1'], [43, 'devtools.har#/log/entries/2']]);
  });

  it('with identities, the account of the upstream host goes even where only the upstream names it', () => {
    const dir = temp();
    const entry = { startedDateTime: '2026-03-01T12:00:00.000Z', time: 1, request: { method: 'GET', url: 'https://myorg-myaccount.snowflakecomputing.com/oauth/authorize', headers: [] }, response: { status: 200, headers: [{ name: 'content-type', value: 'text/html' }], content: { mimeType: 'text/html', text: '<h1>Sign in to MYORG-MYACCOUNT</h1>' } } };
    writeFileSync(join(dir, 'page.har'), JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [entry] } }));
    importHar(join(dir, 'page.har'), join(dir, 'rec'), { identities: true });
    expect(readRecording(join(dir, 'rec')).exchanges[0]!.response.body).toEqual({ text: '<h1>Sign in to __redacted_account_1__</h1>' });
  });

  it('with identities, the account, user and IP go too', () => {
    const dir = temp();
    writeFileSync(join(dir, 'devtools.har'), JSON.stringify(devtoolsHar()));
    importHar(join(dir, 'devtools.har'), join(dir, 'rec'), { identities: true });
    const text = readdirSync(join(dir, 'rec', 'exchanges')).map((f) => readFileSync(join(dir, 'rec', 'exchanges', f), 'utf8')).join('\n') + readFileSync(join(dir, 'rec', 'recording.json'), 'utf8');
    expect(text).not.toMatch(/myorg|myaccount|alice|203\.0\.113\.9/i);
    expect(text).toContain('redacted-account-1.snowflakecomputing.com');
  });

  it('a random-looking value nobody declared stops the import; nothing is written; --allow lets it in', () => {
    const dir = temp();
    const odd = { startedDateTime: '2026-03-01T12:00:03.000Z', time: 1, request: { method: 'GET', url: 'https://myorg-myaccount.snowflakecomputing.com/x', headers: [] }, response: { status: 200, headers: [], content: { mimeType: 'application/json', text: '{"opaque":"q7Xr2LmZ9vBc4NtK8wYp3HsJ6dFa1GeU0iOo5QxR"}' } } };
    writeFileSync(join(dir, 'odd.har'), JSON.stringify(devtoolsHar([odd])));
    expect(() => importHar(join(dir, 'odd.har'), join(dir, 'rec'))).toThrow(RedactionError);
    expect(existsSync(join(dir, 'rec'))).toBe(false);
    expect(importHar(join(dir, 'odd.har'), join(dir, 'rec'), { allow: ['/response/body/json/opaque'] }).redaction.allowed).toEqual(['exchanges/0004-get-x.json#/response/body/json/opaque']);
  });

  it.each([
    [{}, 'log', 'expected an object'],
    [{ log: { entries: {} } }, 'log.entries', 'expected a list of entries'],
    [{ log: { entries: [{ request: { url: 'not a url' }, response: { status: 200 } }] } }, 'log.entries[0].request.url', 'expected an absolute URL'],
    [{ log: { entries: [{ startedDateTime: 'x', request: { method: 'GET', url: 'https://h/', headers: [] }, response: { status: 200 } }] } }, 'log.entries[0].startedDateTime', 'expected an ISO 8601 date'],
    [{ log: { entries: [{ startedDateTime: '2026-03-01T12:00:00Z', request: { method: 'GET', url: 'https://h/', headers: [{ name: 1 }] }, response: { status: 200 } }] } }, 'log.entries[0].request.headers[0]', 'expected { name, value } strings'],
    [{ log: { entries: [{ startedDateTime: '2026-03-01T12:00:00Z', request: { method: 'GET', url: 'https://h/' }, response: { status: 'OK' } }] } }, 'log.entries[0].response.status', 'expected an HTTP status code'],
  ])('names the field it cannot read: %j', (har, field, problem) => {
    let error: unknown;
    try {
      harExchanges(har, 'bad.har');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RecordingError);
    expect((error as RecordingError).message).toBe(`bad.har: ${field}: ${problem}`);
  });

  it('a file that is not JSON is a RecordingError on (file)', () => {
    const file = join(temp(), 'broken.har');
    writeFileSync(file, '{ nope');
    expect(() => importHar(file, join(temp(), 'rec'))).toThrow(/broken\.har: \(file\): /);
  });
});
