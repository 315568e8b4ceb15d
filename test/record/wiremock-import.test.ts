/**
 * `import wiremock` (record/wiremock.ts): each matcher kind of https://wiremock.org/docs/request-matching/
 * becomes a concrete request the mapping matches; responses, delays, templates and scenario order
 * as WireMock would serve them; fixture secrets redacted through the writer; clear errors.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Exchange, RecordedRequest } from '../../record/format.ts';
import { readRecording } from '../../record/store.ts';
import { importWiremock, wiremockExchanges, WiremockError } from '../../record/wiremock.ts';
import { loadMappingFile, mappingFiles, type WmMapping, type WmMatcher, type WmRequest } from '../../record/wiremock/mapping.ts';
import { sampleRegex } from '../../record/wiremock/sample-regex.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A mappings folder holding these files. */
function mappings(files: Readonly<Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wm-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const one = (request: WmRequest, response: WmMapping['response'] = { status: 200 }): Exchange['request'] =>
  wiremockExchanges(mappings({ 'm.json': { request, response } }))[0]!.request;

const query = (r: RecordedRequest): URLSearchParams => new URLSearchParams(r.url.split('?')[1] ?? '');

describe('matchers become a request the mapping matches', () => {
  it('url (with its query), urlPath, urlPathPattern and urlPattern', () => {
    expect(one({ method: 'POST', url: '/session?delete=true' }).url).toBe('/session?delete=true');
    expect(one({ method: 'GET', urlPath: '/oauth/authorize' }).url).toBe('/oauth/authorize');
    expect(one({ method: 'POST', urlPathPattern: '/session/v1/login-request.*' }).url).toBe('/session/v1/login-request');
    // A trailing * reads as a glob, not as "zero or more t".
    expect(one({ method: 'POST', urlPattern: '/session/v1/login-request*' }).url).toBe('/session/v1/login-request');
    expect(one({ method: 'GET', urlPattern: '/api/v2/statements/[0-9a-f]{4}' }).url).toBe('/api/v2/statements/0000');
  });

  it('queryParameters: equalTo, matches (first alternative), contains, absent; open PKCE and state get a driver\'s values', () => {
    const q = query(one({ method: 'GET', urlPath: '/oauth/authorize', queryParameters: {
      client_id: { equalTo: '123' }, state: { matches: 'testState|invalidState' }, scope: { contains: 'session:role:' },
      code_challenge: { matches: '.+' }, response_type: { matches: '.*' }, prompt: { absent: true }, redirect_uri: { absent: true },
    } }));
    expect(q.get('client_id')).toBe('123');
    expect(q.get('state')).toBe('testState');
    expect(q.get('scope')).toBe('session:role:');
    expect(q.get('code_challenge')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(q.get('response_type')).toBe('code');
    expect(q.has('prompt')).toBe(false);
    expect(q.has('redirect_uri')).toBe(false); // absent wins over a driver's default
  });

  it('headers by lower-case name; a JSON body gets its content type', () => {
    const r = one({ method: 'POST', urlPath: '/x', headers: { Authorization: { equalTo: 'Snowflake Token="t"' }, Accept: { contains: 'application/json' } }, bodyPatterns: [{ equalToJson: { a: 1 } }] });
    expect(r.headers).toEqual({ authorization: 'Snowflake Token="t"', accept: 'application/json', 'content-type': 'application/json' });
  });

  it('bodyPatterns: equalToJson (object and string) merged, matchesJsonPath as path, filter and object form', () => {
    const r = one({ method: 'POST', urlPath: '/session/v1/login-request', bodyPatterns: [
      { equalToJson: { data: { LOGIN_NAME: 'alice' } }, ignoreExtraElements: true },
      { equalToJson: '{"data":{"AUTHENTICATOR":"SNOWFLAKE"}}' },
      { matchesJsonPath: '$.data.CLIENT_ENVIRONMENT' },
      { matchesJsonPath: '$[?(@.data.PASSWORD == "pw")]' },
      { matchesJsonPath: { expression: '$.data.ACCOUNT_NAME', equalTo: 'MYORG-MYACCOUNT' } },
      { matchesJsonPath: { expression: '$.data.TOKEN', absent: '(absent)' } },
    ] });
    expect(r.body).toEqual({ json: { data: { LOGIN_NAME: 'alice', AUTHENTICATOR: 'SNOWFLAKE', CLIENT_ENVIRONMENT: {}, PASSWORD: 'pw', ACCOUNT_NAME: 'MYORG-MYACCOUNT' } } });
  });

  it('a form: contains / matches / equalTo texts split into fields, then formParameters; doesNotMatch adds nothing', () => {
    const r = one({ method: 'POST', urlPath: '/oauth/token-request', headers: { 'Content-Type': { contains: 'application/x-www-form-urlencoded' } }, bodyPatterns: [
      { contains: 'grant_type=authorization_code&code=123' }, { matches: '^&redirect_uri=http%3A%2F%2Flocalhost%3A([0-9]+)%2Fcb$' }, { doesNotMatch: '.*scope=.*' },
    ], formParameters: { client_id: { equalTo: 'c' }, code_verifier: { matches: '[a-zA-Z0-9\\-_]+' }, nonce: { absent: true } } });
    expect(r.body).toEqual({ form: [['grant_type', 'authorization_code'], ['code', '123'], ['redirect_uri', 'http://localhost:0/cb'], ['client_id', 'c'], ['code_verifier', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk']] });
  });

  it('every driver fixture mapping: the derived request satisfies the mapping\'s matcher', () => {
    const root = fileURLToPath(new URL('../../recordings/driver-fixtures/', import.meta.url));
    const substitutions = { '{{OAUTH_REDIRECT_PORT}}': '8011', '%CLIENT_TELEMETRY_ENABLED%': 'true' };
    const exchanges = wiremockExchanges(root, { substitutions });
    const byOrigin = new Map(exchanges.map((e) => [e.origin!, e.request]));
    let checked = 0;
    for (const file of mappingFiles(root)) {
      for (const { index, mapping } of loadMappingFile(root, file, substitutions)) {
        const req = byOrigin.get(`${file}#${index}`);
        expect(req, `${file}#${index}`).toBeDefined();
        expect(unmatched(mapping.request, req!), `${file}#${index}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(153);
  });
});

describe('responses as WireMock serves them', () => {
  it('status, lower-case headers, jsonBody, a JSON or text body, base64, and the delay as the duration', () => {
    const ex = wiremockExchanges(mappings({
      'a.json': { request: { method: 'GET', urlPath: '/a' }, response: { status: 201, headers: { 'Content-Type': 'application/json' }, jsonBody: { ok: true }, fixedDelayMilliseconds: 1500 } },
      'b.json': { request: { method: 'GET', urlPath: '/b' }, response: { body: '{"n":1}' } },
      'c.json': { request: { method: 'GET', urlPath: '/c' }, response: { status: 400, body: 'plain' } },
      'd.json': { request: { method: 'GET', urlPath: '/d' }, response: { base64Body: 'AAE=' } },
    }));
    expect(ex.map((e) => [e.response.status, e.response.body, e.durationMs])).toEqual([
      [201, { json: { ok: true } }, 1500], [200, { json: { n: 1 } }, 0], [400, { text: 'plain' }, 0], [200, { base64: 'AAE=' }, 0],
    ]);
    expect(ex[0]!.response.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('bodyFileName from the __files folder beside mappings/', () => {
    const dir = mappings({ 'mappings/x.json': { request: { method: 'GET', urlPath: '/x' }, response: { bodyFileName: 'x-body.json' } }, '__files/x-body.json': '{"from":"file"}' });
    expect(wiremockExchanges(join(dir, 'mappings'))[0]!.response.body).toEqual({ json: { from: 'file' } });
  });

  it('request templates are filled from the derived request, and the request carries what they read', () => {
    const ex = wiremockExchanges(mappings({ 'a.json': { request: { method: 'GET', urlPath: '/oauth/authorize' }, response: { status: 302, headers: { Location: '{{request.query.redirect_uri}}?code=c1&state={{ request.query.state }}' } } } }))[0]!;
    expect(query(ex.request).get('redirect_uri')).toBe('http://localhost:8001/snowflake/oauth-redirect');
    expect(ex.response.headers.location).toBe('http://localhost:8001/snowflake/oauth-redirect?code=c1&state=abc123');
  });

  it('a redirect that returns a state implies the request sent one (RFC 6749 §4.1.2)', () => {
    const ex = wiremockExchanges(mappings({ 'a.json': { request: { method: 'GET', urlPathPattern: '/oauth/authorize.*' }, response: { status: 302, headers: { Location: 'http://localhost:8010/cb?code=1&state=invalidstate' } } } }))[0]!;
    expect(query(ex.request).get('state')).toBe('abc123');
  });
});

describe('files, origins and scenario order', () => {
  it('single-mapping files and { mappings: [...] } files, sorted by path; origin is file#number', () => {
    const ex = wiremockExchanges(mappings({
      'b/two.json': { mappings: [{ request: { method: 'GET', urlPath: '/b1' }, response: {} }, { request: { method: 'GET', urlPath: '/b2' }, response: {} }] },
      'a.json': { request: { method: 'GET', urlPath: '/a' }, response: {} },
      '__files/ignored.json': '{}',
    }));
    expect(ex.map((e) => [e.origin, e.request.url])).toEqual([['a.json#1', '/a'], ['b/two.json#1', '/b1'], ['b/two.json#2', '/b2']]);
  });

  it('scenario states order the steps (Started → … ), whatever the file order; origins keep the file numbers', () => {
    const step = (path: string, required: string, next?: string): unknown => ({ scenarioName: 'S', requiredScenarioState: required, ...(next && { newScenarioState: next }), request: { method: 'GET', urlPath: path }, response: {} });
    const ex = wiremockExchanges(mappings({ 'flow.json': { mappings: [step('/third', 'Two'), step('/second', 'One', 'Two'), step('/first', 'Started', 'One')] } }));
    expect(ex.map((e) => [e.request.url, e.origin])).toEqual([['/first', 'flow.json#3'], ['/second', 'flow.json#2'], ['/third', 'flow.json#1']]);
  });

  it('substitutions are made before a file is read (a driver suite\'s placeholders)', () => {
    const dir = mappings({ 'a.json': '{ "request": { "method": "GET", "urlPath": "/a" }, "response": { "jsonBody": { "on": %FLAG% } } }' });
    expect(() => wiremockExchanges(dir)).toThrow(/a\.json: \(file\): not JSON/);
    expect(wiremockExchanges(dir, { substitutions: { '%FLAG%': 'true' } })[0]!.response.body).toEqual({ json: { on: true } });
  });
});

describe('errors name the file and the field', () => {
  it.each([
    [{ request: { method: 'GET', urlPath: '/a' } }, 'a.json: (root).response: expected an object'],
    [{ mappings: [{ request: { method: 'GET' }, response: { status: 99 } }] }, 'a.json: mappings[0].response.status: expected an HTTP status, found 99'],
    [{ request: { method: 'GET', urlPath: '/a', queryParameters: { x: { matches: '(?=x)y' } } }, response: {} }, 'a.json: (root).request.queryParameters.x.matches: cannot derive a value from the regex "(?=x)y"'],
    [{ mappings: [{ request: { method: 'POST', urlPath: '/a', bodyPatterns: [{ matchesJsonPath: '$..deep' }] }, response: {} }] }, 'a.json: mappings[0].request.bodyPatterns[0].matchesJsonPath: only $.a.b paths'],
  ])('%j', (content, message) => {
    const error = (() => {
      try {
        wiremockExchanges(mappings({ 'a.json': content }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WiremockError);
    expect((error as Error).message).toContain(message);
  });

  it('a folder without mappings', () => {
    expect(() => wiremockExchanges(mappings({ 'README.md': 'x' }))).toThrow('no .json mapping files found');
    expect(() => wiremockExchanges('/nonexistent-folder-for-the-test')).toThrow(WiremockError);
  });
});

describe('through the writer: fixture secrets become placeholders', () => {
  it('passwords, tokens, client secrets and Basic credentials never reach disk; origin and attribution are kept', () => {
    const dir = mappings({
      'SOURCES.md': '- **License:** Apache License 2.0, of all.\n\n| [snowflakedb/gosnowflake](https://github.com/snowflakedb/gosnowflake) | `136b0574993d9490e4f16d9fed4d7e879835ec70` | 1 | 0 |\n',
      'login.json': { request: { method: 'POST', urlPath: '/session/v1/login-request', bodyPatterns: [{ equalToJson: { data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password-1' } } }] },
        response: { jsonBody: { success: true, data: { token: 'session-token-value-1', masterToken: 'master-token-value-1' } } } },
      'token.json': { request: { method: 'POST', urlPath: '/oauth/token-request', headers: { Authorization: { equalTo: 'Basic dGVzdENsaWVudElkOnRlc3RDbGllbnRTZWNyZXQ=' } }, formParameters: { client_secret: { equalTo: 'form-client-secret' }, grant_type: { equalTo: 'client_credentials' } } },
        response: { jsonBody: { access_token: 'access-token-value-1', token_type: 'Bearer' } } },
    });
    const out = mkdtempSync(join(tmpdir(), 'wm-out-'));
    dirs.push(out);
    const manifest = importWiremock(dir, out, { name: 'secrets' });
    const text = [readFileSync(join(out, 'recording.json'), 'utf8'), ...readdirSync(join(out, 'exchanges')).map((f) => readFileSync(join(out, 'exchanges', f), 'utf8'))].join('\n');
    for (const secret of ['alice-password-1', 'session-token-value-1', 'master-token-value-1', 'dGVzdENsaWVudElkOnRlc3RDbGllbnRTZWNyZXQ=', 'form-client-secret', 'access-token-value-1']) expect(text).not.toContain(secret);
    const rec = readRecording(out);
    expect(rec.exchanges.map((e) => e.origin)).toEqual(['login.json#1', 'token.json#1']);
    expect((rec.exchanges[0]!.request.body as { json: { data: Record<string, string> } }).json.data).toEqual({ LOGIN_NAME: 'alice', PASSWORD: '__redacted_password_1__' });
    expect(manifest.name).toBe('secrets');
    expect(manifest.upstream).toBe(`wiremock:${dir}`);
    expect(manifest.attribution).toBe(`WireMock mappings copied verbatim from snowflakedb/gosnowflake@136b0574993d (Apache License 2); see ${dir.split('/').pop()}/SOURCES.md`);
  });
});

describe('sampleRegex', () => {
  it.each([
    ['a|b', 'a'], ['x[0-9]{2}', 'x00'], ['(?:ab)+c?', 'ab'], ['\\d+-\\w*', '0-'], ['[^a-z]', '0'], ['http://(127.0.0.1|localhost):[0-9]+.*', 'http://127.0.0.1:0'],
  ])('%s → %s, which the pattern matches', (pattern, sample) => {
    expect(sampleRegex(pattern)).toBe(sample);
    expect(new RegExp(`^(?:${pattern})$`).test(sample)).toBe(true);
  });
  it('undefined for what it does not read', () => {
    expect(sampleRegex('(?<=a)b')).toBeUndefined();
    expect(sampleRegex('a\\1')).toBeUndefined();
  });
});

// ---- a small WireMock matcher, to check the derived requests -----------------------------------

function valueOk(m: WmMatcher, v: string | undefined): boolean {
  if (m.absent !== undefined && m.absent !== false) return v === undefined;
  if (v === undefined) return false;
  if (m.equalTo !== undefined) return v === m.equalTo;
  if (m.contains !== undefined) return v.includes(m.contains);
  if (m.matches !== undefined) return new RegExp(`^(?:${m.matches})$`).test(v);
  if (m.doesNotMatch !== undefined) return !new RegExp(`^(?:${m.doesNotMatch})$`).test(v);
  return true;
}

function subset(want: unknown, got: unknown): boolean {
  if (typeof want !== 'object' || want === null) return want === got;
  if (typeof got !== 'object' || got === null) return false;
  return Object.entries(want).every(([k, v]) => subset(v, (got as Record<string, unknown>)[k]));
}

function at(body: unknown, expr: string): unknown {
  return expr.replace(/^\$\./, '').split('.').reduce<unknown>((cur, k) => (typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[k] : undefined), body);
}

/** The parts of a matcher a request fails (empty when it matches). */
function unmatched(m: WmRequest, r: RecordedRequest): string[] {
  const out: string[] = [];
  const [path] = r.url.split('?');
  const pattern = m.urlPath ?? m.url?.split('?')[0];
  if (pattern !== undefined && path !== pattern) out.push('url');
  const re = m.urlPathPattern ?? m.urlPattern;
  if (re !== undefined && !new RegExp(`^(?:${re})$`).test(m.urlPattern ? r.url : path!)) out.push('urlPattern');
  if (m.method && m.method !== 'ANY' && m.method !== r.method) out.push('method');
  for (const [k, mm] of Object.entries(m.queryParameters ?? {})) if (!valueOk(mm, query(r).get(k) ?? undefined)) out.push(`query ${k}`);
  for (const [k, mm] of Object.entries(m.headers ?? {})) if (!valueOk(mm, r.headers[k.toLowerCase()])) out.push(`header ${k}`);
  const body = r.body;
  const text = body === undefined ? '' : 'json' in body ? JSON.stringify(body.json) : 'form' in body ? new URLSearchParams(body.form.map(([k, v]) => [k, v])).toString() : 'text' in body ? body.text : '';
  const form = body && 'form' in body ? new Map(body.form) : new Map<string, string>();
  for (const [k, mm] of Object.entries(m.formParameters ?? {})) if (!valueOk(mm, form.get(k))) out.push(`form ${k}`);
  for (const p of m.bodyPatterns ?? []) {
    const json = body && 'json' in body ? body.json : undefined;
    if (p.equalToJson !== undefined && !subset(typeof p.equalToJson === 'string' ? JSON.parse(p.equalToJson) : p.equalToJson, json)) out.push('equalToJson');
    if (typeof p.matchesJsonPath === 'string') {
      const f = /^\$\[\?\(@\.([\w.]+)\s*==\s*"(.*)"\)\]$/.exec(p.matchesJsonPath);
      if (f ? at(json, f[1]!) !== f[2] : at(json, p.matchesJsonPath) === undefined) out.push(`jsonPath ${p.matchesJsonPath}`);
    } else if (p.matchesJsonPath !== undefined) {
      const v = at(json, p.matchesJsonPath.expression);
      const ok = p.matchesJsonPath.absent !== undefined ? v === undefined : p.matchesJsonPath.equalTo !== undefined ? v === p.matchesJsonPath.equalTo : v !== undefined;
      if (!ok) out.push(`jsonPath ${p.matchesJsonPath.expression}`);
    }
    const decoded = decodeURIComponent(text.replace(/\+/g, ' '));
    if (p.contains !== undefined && !text.includes(p.contains) && !decoded.includes(decodeURIComponent(p.contains))) out.push('contains');
    if (p.equalTo !== undefined && text !== p.equalTo) out.push('equalTo');
    if (p.matches !== undefined && !new RegExp(p.matches).test(text)) out.push('matches');
    if (p.doesNotMatch !== undefined && new RegExp(`^(?:${p.doesNotMatch})$`).test(text)) out.push('doesNotMatch');
  }
  return out;
}
