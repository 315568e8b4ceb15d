/**
 * The control API's boundary (issue #14, server/control-body.ts): every field of every control
 * body and query is checked before anything uses it, so a wrong type or value is a 400 that names
 * the field — never JavaScript's own message (`user.toUpperCase is not a function`) nor a 500; a
 * body nested past 64 levels, not JSON or past the 4 MiB the mock reads is refused before it is
 * parsed; an injected fault's headers and status are the ones Node's http module can send, so the
 * server still answers after a bad one was offered. The same fault checks hold in-process.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyWorldChange } from '../../api/world-change.ts';
import { FAULT_HEADER, FaultRuleError } from '../../domain/faults.ts';
import { MAX_BODY_BYTES } from '../../http/record.ts';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import { createCore } from '../../http/core.ts';
import { handleControl } from '../../server/control.ts';
import { controlFailure } from '../../server/control-body.ts';
import { WORLD_CHANGE_SHAPES } from '../../server/control-world-change.ts';
import { LOOPBACK_WORLD, useControlServer } from '../helpers/control-server.ts';

const world = LOOPBACK_WORLD;
const server = useControlServer();

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: { error?: string; issues?: { path: string; message: string }[]; [k: string]: unknown };
}

/** One control request; a string body is sent as it is, anything else as JSON. */
async function control(method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${server().url}/__mock/${path}`, { method, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Answer['json'] };
}

/** What only a JavaScript error's own message says; `undefined` never belongs in a refusal either. */
const ENGINE_TEXT = /is not a function|Cannot read|Cannot convert|is not iterable|undefined|Unexpected token|in JSON at position|Maximum call stack|TypeError|RangeError|SyntaxError/;

/** A 400 in the control API's shape, whose issues name `path`, with no JavaScript error text. */
function expectRefused(answer: Answer, path: string, message?: RegExp): void {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.text).not.toMatch(ENGINE_TEXT);
  expect(typeof answer.json.error).toBe('string');
  const issue = answer.json.issues?.find((i) => i.path === path);
  expect(issue, `no issue at ${path} in ${answer.text}`).toBeDefined();
  expect(answer.json.error).toContain(`${path}: `);
  if (message) expect(issue!.message).toMatch(message);
}

/** GET /api/v2/warehouses with ALICE's PAT: the server's ordinary answer. */
function warehouses(): Promise<Response> {
  return fetch(`${server().url}/api/v2/warehouses`, { headers: { authorization: 'Bearer pat-alice-ci', accept: 'application/json' } });
}

/** Every control endpoint that reads a JSON body. */
const JSON_ENDPOINTS: readonly [string, string][] = [['POST', 'clock'], ['PUT', 'world'], ['POST', 'world/change'], ['POST', 'faults'], ['POST', 'provider'], ['POST', 'client-ip']];

describe('control bodies: size, depth and syntax', () => {
  it.each(JSON_ENDPOINTS)('%s /__mock/%s: JSON nested past 64 levels is a 400 naming the depth', async (method, path) => {
    const answer = await control(method, path, `${'['.repeat(65)}${']'.repeat(65)}`);
    expectRefused(answer, 'body', /nested more than 64 levels deep/);
    // 64 levels are JSON like any other: refused for what they hold, not for their depth.
    expect((await control(method, path, `${'['.repeat(64)}${']'.repeat(64)}`)).text).not.toMatch(/levels deep/);
  });

  it.each(JSON_ENDPOINTS)('%s /__mock/%s: a body that is not JSON is a 400 that says what to send', async (method, path) => {
    const answer = await control(method, path, '{"advance":');
    expectRefused(answer, 'body', /^not JSON; send /);
  });

  it('a body past the 4 MiB the mock reads is a 413, and the server answers after it', async () => {
    const answer = await control('POST', 'world/change', JSON.stringify({ disable_user: { user: 'x'.repeat(MAX_BODY_BYTES) } }));
    expect(answer.status).toBe(413);
    expect(answer.json.error).toBe('body: larger than the 4 MiB the mock reads');
    expect((await control('GET', 'health')).status).toBe(200);
  });
});

describe('POST /__mock/clock', () => {
  it.each([
    ['advance', { advance: { a: 1 } }, /^cannot read duration \{"a":1\}/],
    ['advance', { advance: '100000000000d' }, /out of the range of dates/],
    ['advance', { advance: 1e308 }, /^would put the clock at Infinity ms, out of the range of dates/],
    ['set', { set: true }, /^cannot read date true/],
    ['set', { set: 9e15 }, /out of the range of dates/],
    ['freeze', { freeze: 'yes' }, /^expected true or false, got the string "yes"/],
    ['body', [1], /^expected a JSON object, got a list/],
    ['body', { advance: '10m', set: 0 }, /^give only one of advance, set and freeze, got advance and set/],
    ['body', {}, /^nothing to do/],
    ['froze', { froze: true }, /^unknown field; expected one of advance, set, freeze/],
  ])('%s: %j is refused', async (path, body, message) => {
    const before = (await control('GET', 'clock')).json.epochMs;
    expectRefused(await control('POST', 'clock', body), path, message);
    expect((await control('GET', 'clock')).json.epochMs).toBe(before);
  });

  it('still takes what it took', async () => {
    expect((await control('POST', 'clock', { advance: '10m' })).json.now).toBe('2026-03-01T12:10:00.000Z');
    expect((await control('POST', 'clock', { set: '2026-04-01T00:00:00Z' })).json.now).toBe('2026-04-01T00:00:00.000Z');
    expect((await control('POST', 'clock', { freeze: false })).json.frozen).toBe(false);
  });
});

describe('GET /__mock/journal', () => {
  it.each([
    ['limit', 'limit=abc', /^expected a whole number of entries/],
    ['limit', 'limit=-1', /^expected a whole number of entries/],
    ['limit', 'limit=', /^expected a whole number of entries/],
    ['since', 'since=x', /is not a sequence number/],
    ['limit', 'limit=1&limit=2', /^given more than once/],
    ['lmit', 'lmit=1', /^unknown query parameter; the journal takes limit and since/],
  ])('%s: ?%s is refused', async (path, query, message) => {
    expectRefused(await control('GET', `journal?${query}`), path, message);
  });
});

describe('PUT /__mock/world', () => {
  it('a world of the wrong shape is the world validator\'s 400, at its field', async () => {
    const answer = await control('PUT', 'world', { accounts: 5 });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: 'invalid world', issues: [{ path: 'accounts', message: 'expected a list, got number 5' }] });
    expect((await control('PUT', 'world', 'null')).json.issues).toEqual([{ path: '', message: 'expected a mapping, got null' }]);
  });
});

/** A value of the wrong type (or out of range) for each kind of world change field. */
const WRONG: Readonly<Record<string, unknown>> = {
  string: 5, 'string|null': 5, boolean: 'yes', integer: 'x', hours: -1, duration: { toString: 1 }, slot: 3, strings: 'RS256', object: [], level: 5, precedence: 'newest', '5xx': 404,
};

describe('POST /__mock/world/change', () => {
  const fields = Object.entries(WORLD_CHANGE_SHAPES).flatMap(([change, shape]) => Object.entries(shape.fields).map(([field, kind]) => [change, field, kind] as const));

  it.each(fields)('%s.%s (%s) of the wrong type is a 400 naming it', async (change, field, kind) => {
    expect(WRONG).toHaveProperty([kind]);
    expectRefused(await control('POST', 'world/change', { [change]: { [field]: WRONG[kind] } }), `${change}.${field}`, /^expected /);
  });

  it.each([
    ['body', 'null', /^expected a JSON object with exactly one of disable_user, /],
    ['body', '"x"', /^expected a JSON object with exactly one of .*got the string "x"$/],
    ['body', '{}', /got none$/],
    ['body', '{"disable_user":{"user":"ALICE"},"grant_role":{}}', /got 2 keys$/],
    ['disable_usr', '{"disable_usr":{}}', /^unknown world change; expected one of /],
    ['disable_user', '{"disable_user":5}', /^expected a JSON object of user, disabled, account, got number 5$/],
    ['disable_user.user', '{"disable_user":{}}', /^required$/],
    ['disable_user.usr', '{"disable_user":{"usr":"ALICE"}}', /^unknown field; expected one of user, disabled, account$/],
    ['set_switches.jwt_algorithms[1]', '{"set_switches":{"jwt_algorithms":["RS256",1]}}', /^expected a string, got number 1$/],
    ['issue_oauth_token.expires_in', '{"issue_oauth_token":{"user":"ALICE","expires_in":"soon"}}', /^expected whole seconds or a duration/],
    ['set_network_policy.level', '{"set_network_policy":{"level":{"user":5},"policy":null}}', /^expected "account", /],
    ['provider_down', '{"provider_down":{"status":503}}', /^name exactly one of integration or origin$/],
    ['clear_faults', '{"clear_faults":"yes"}', /^expected true, got the string "yes"$/],
    ['inject_fault.headers.x y', '{"inject_fault":{"path":"/a","status":503,"headers":{"x y":"1"}}}', /^not a valid header name/],
  ])('%s: %s is refused', async (path, body, message) => {
    expectRefused(await control('POST', 'world/change', body), path, message);
  });

  it('the issue\'s reproduction: a number for a user is a 400 naming the field, and the world is unchanged', async () => {
    const answer = await control('POST', 'world/change', { disable_user: { user: 5 } });
    expect(answer.json).toEqual({ error: 'disable_user.user: expected a string, got number 5', issues: [{ path: 'disable_user.user', message: 'expected a string, got number 5' }] });
    expect((await warehouses()).status).toBe(200);
  });

  it('a well-typed change the world refuses keeps the world API\'s own words; a right one applies', async () => {
    expect((await control('POST', 'world/change', { disable_user: { user: 'NOBODY' } })).json.error).toMatch(/NOBODY/);
    expect(await control('POST', 'world/change', { disable_user: { user: 'ALICE' } })).toMatchObject({ status: 200, json: { captured: {} } });
  });

  it('takes every field the published scenario schema gives a world change, and no other', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/scenario.schema.json', import.meta.url), 'utf8')) as {
      definitions: { worldChange: { properties: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };
    };
    const changes = schema.definitions.worldChange.properties;
    expect(Object.keys(WORLD_CHANGE_SHAPES).sort()).toEqual(Object.keys(changes).filter((k) => k !== 'inject_fault' && k !== 'clear_faults').sort());
    for (const [name, shape] of Object.entries(WORLD_CHANGE_SHAPES)) {
      expect([name, Object.keys(shape.fields).sort()]).toEqual([name, Object.keys(changes[name]!.properties ?? {}).sort()]);
      expect([name, [...shape.required].sort()]).toEqual([name, [...(changes[name]!.required ?? [])].sort()]);
    }
  });
});

describe('POST /__mock/faults: what Node cannot send is refused at the boundary', () => {
  it.each([
    ['headers.x y', { path: '/api/v2/warehouses', status: 503, headers: { 'x y': '1' } }, /^not a valid header name/],
    ['headers.', { path: '/api/v2/warehouses', status: 503, headers: { '': '1' } }, /empty name/],
    ['headers.x-a', { path: '/api/v2/warehouses', status: 503, headers: { 'x-a': 'caf\u0100' } }, /^a header value holds only tab, space, visible ASCII and bytes 0x80–0xFF; U\+0100 at index 3/],
    ['headers.x-a', { path: '/api/v2/warehouses', status: 503, headers: { 'x-a': 'a\u0001b' } }, /U\+0001 at index 1/],
    ['headers.x-a', { path: '/api/v2/warehouses', status: 503, headers: { 'x-a': { toString: 1 } } }, /^expected text or a finite number/],
    ['[1].headers.x-a', [{ path: '/a', status: 503 }, { path: '/api/v2/warehouses', status: 503, headers: { 'x-a': 'a\rb' } }], /U\+000D/],
  ])('%s: refused, nothing injected, and the server answers as before', async (path, rule, message) => {
    const answer = await control('POST', 'faults', rule);
    expectRefused(answer, path, message);
    expect(answer.json.error).toMatch(/^invalid fault: /);
    expect((await control('GET', 'faults')).json.faults).toEqual([]);
    const after = await warehouses();
    expect(after.status).toBe(200);
    expect(after.headers.get(FAULT_HEADER)).toBeNull();
  });

  it.each([700, 99, 100, 199, 600, 503.5, '503', true])('status %j is refused: the injected answer is 200–599', async (status) => {
    expectRefused(await control('POST', 'faults', { path: '/api/v2/warehouses', status }), 'status', /^expected a whole number between 200 and 599/);
    expect((await warehouses()).status).toBe(200);
  });

  it('a header Node sends (a tab, bytes 0x80–0xFF, a number) is injected and answered, not a 500', async () => {
    const headers = { 'X-Note': 'a\tb', 'x-latin': 'caf\u00e9', 'retry-after': 2 };
    expect((await control('POST', 'faults', { path: '/api/v2/warehouses', status: 503, headers })).status).toBe(200);
    const injected = await warehouses();
    expect(injected.status).toBe(503);
    // Node writes 0x80–0xFF as UTF-8, which fetch reads back byte by byte: present, not refused.
    expect([injected.headers.get('x-note'), injected.headers.get('x-latin')?.startsWith('caf'), injected.headers.get('retry-after')]).toEqual(['a\tb', true, '2']);
    expect((await warehouses()).status).toBe(200);
  });
});

describe('POST /__mock/provider and /__mock/client-ip', () => {
  it.each([
    ['status', { down: 'CC_INTEGRATION', status: 'x' }, /^expected a 5xx status from 500 to 599, got the string "x"$/],
    ['status', { up: null, status: 503 }, /^goes only beside "down"$/],
    ['down', { down: null }, /^expected an integration name or an origin, got null$/],
    ['down', { down: 5 }, /^expected a string, got number 5$/],
    ['revoke_tokens', { revoke_tokens: [] }, /^expected a string or null, got a list$/],
    ['body', [], /^expected a JSON object, got a list$/],
    ['body', {}, /^send exactly one of /],
    ['bogus', { up: null, bogus: 1 }, /^unknown field; expected one of /],
  ])('provider %s: %j is refused', async (path, body, message) => {
    expectRefused(await control('POST', 'provider', body), path, message);
  });

  it.each([
    ['body', null, /^expected a JSON object, got null; send \{"ip":"10.0.0.5"\}/],
    ['ip', {}, /^required: a string or null/],
    ['ip', { ip: 5 }, /^expected a string or null, got number 5/],
    ['ip', { ip: 'nope' }, /^expected an IPv4 or IPv6 address, got the string "nope"/],
    ['port', { ip: '10.0.0.5', port: 1 }, /^unknown field; expected ip/],
  ])('client-ip %s: %j is refused', async (path, body, message) => {
    expectRefused(await control('POST', 'client-ip', body), path, message);
  });
});

describe('any JSON, anywhere: a 400 or a 200, never a 500 nor JavaScript\'s words', () => {
  const core = createCore({ config: world, seed: 1 });
  const send = async (method: string, path: string, body: string) =>
    (await handleControl(core, { method, host: '127.0.0.1', path: `/__mock/${path}`, query: '', headers: {}, body, clientIp: '127.0.0.1' }, {}))!;
  const names = fc.constantFrom('ALICE', 'CI', 'ANALYST', 'OAUTH_INTEGRATION', 'MYORG-MYACCOUNT', 'account', '', '10m', '-1h');
  const value = fc.oneof(names, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 0, -1, 1.5, 1e308, true, [], {}, { user: 'ALICE' }, ['RS256']));

  it('world changes with every field of every change given any value', async () => {
    const change = fc.constantFrom(...Object.keys(WORLD_CHANGE_SHAPES)).chain((k) => fc.dictionary(fc.constantFrom(...Object.keys(WORLD_CHANGE_SHAPES[k]!.fields)), value, { maxKeys: 4 }).map((v) => ({ [k]: v })));
    await fc.assert(
      fc.asyncProperty(change, async (body) => {
        core.reset();
        const answer = await send('POST', 'world/change', JSON.stringify(body));
        return (answer.status === 200 || answer.status === 400) && !ENGINE_TEXT.test(answer.body);
      }),
      { seed: 14, numRuns: 2000 },
    );
  });

  it('any JSON value to every endpoint that reads a body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...JSON_ENDPOINTS), fc.jsonValue({ maxDepth: 4 }), async ([method, path], body) => {
        core.reset();
        const answer = await send(method, path, JSON.stringify(body));
        return (answer.status === 200 || answer.status === 400) && !ENGINE_TEXT.test(answer.body);
      }),
      { seed: 14, numRuns: 2000 },
    );
  });

  it('a bug of the mock after the boundary is the control API\'s internal error 999000, never the error\'s text', () => {
    const bug = (() => { try { (null as unknown as string[]).map(String); } catch (e) { return e; } })();
    expect(controlFailure(bug)).toMatchObject({ status: 500, body: expect.not.stringMatching(/Cannot read|map/) });
    expect(JSON.parse(controlFailure(bug).body).error).toMatch(/^snowflake-auth-mock internal error in the control API \(code 999000\)/);
    // The model's own refusals, RangeErrors written for people included, keep their words.
    expect(controlFailure(new RangeError('the mock clock cannot go to 1e308 ms'))).toMatchObject({ status: 400, body: '{"error":"the mock clock cannot go to 1e308 ms"}' });
  });
});

describe('faults added in-process are checked the same way', () => {
  const mock = createSnowflakeMock({ world, seed: 1 });

  it('mock.faults.inject refuses a header Node refuses, naming it, and adds nothing', () => {
    expect(() => mock.faults.inject({ path: '/a', status: 503, headers: { 'x-a': 'caf\u0100' } })).toThrow(FaultRuleError);
    expect(() => mock.faults.inject({ path: '/a', status: 503, headers: { 'x-a': 'caf\u0100' } })).toThrow(/^headers\.x-a: a header value holds only tab/);
    expect(() => mock.faults.inject({ path: '/a', status: 50 })).toThrow(/^status: expected a whole number between 200 and 599/);
    expect(mock.faults.list()).toEqual([]);
  });

  it('the world change inject_fault through mock.world refuses it too', () => {
    expect(() => applyWorldChange(mock.world, { inject_fault: { path: '/a', status: 503, headers: { 'bad name': '1' } } })).toThrow(/^headers\.bad name: not a valid header name/);
    expect(mock.faults.list()).toEqual([]);
  });
});
