/**
 * Replay against a hostile or careless client: no client secret in any output (near misses, the 404
 * body, the report and its reporters, the unmatched line), memory and report size bounded whatever
 * the client sends, a control endpoint that throws answers 500 without ending the server, and
 * placeholder templates matched in linear time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MockResponse } from '../../http/record.ts';
import { fillTemplate } from '../../record/match-values.ts';
import { createReplayEngine, type UnmatchedEntry } from '../../record/replay.ts';
import { replayControl } from '../../record/replay-control.ts';
import { MAX_REPORT_CHARS } from '../../record/replay-report.ts';
import { jsonReplay, junitReplay, prettyReplay } from '../../record/replay-reporters.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { clientRequest, loginAnswer, loginBody, recordedLogin, recordingOf } from '../helpers/replay-fixtures.ts';

const LOGIN = '/session/v1/login-request';
const QUERY = '/queries/v1/query-request';

/** A login exchange and a query exchange: every login is also compared with the query one. */
const loginAndQuery = (): ReturnType<typeof recordingOf> =>
  recordingOf([
    { url: `${LOGIN}?requestId=r1`, body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) },
    { url: `${QUERY}?requestId=r2`, headers: { 'content-type': 'application/json', authorization: 'Snowflake Token="__redacted_session_token_1__"' }, body: { json: { sqlText: 'SELECT 1' } }, response: { json: { success: true } } },
  ]);

describe('no client secret in any output', () => {
  const SECRETS = ['right-pass-SECRET-1', 'not-the-pass-SECRET-2', 'bob-pass-SECRET-3', 'array-pass-SECRET-4', 'nested-pass-SECRET-5', 'wrong-path-SECRET-6'];

  it('wrong password, other user, array and nested object values: 404 bodies, report, reporters and unmatched lines', () => {
    const told: UnmatchedEntry[] = [];
    const engine = createReplayEngine(loginAndQuery(), { strict: true, onUnmatched: (e) => told.push(e) });
    const login = (fields: Record<string, unknown>): MockResponse => engine.handle(clientRequest('POST', `${LOGIN}?requestId=a1`, loginBody(fields)));
    const answers: MockResponse[] = [
      login({ LOGIN_NAME: 'ALICE', PASSWORD: SECRETS[0] }),
      login({ LOGIN_NAME: 'ALICE', PASSWORD: SECRETS[1] }),
      login({ LOGIN_NAME: 'BOB', PASSWORD: SECRETS[2] }),
      login({ LOGIN_NAME: 'ALICE', PASSWORD: [SECRETS[3]] }),
      login({ LOGIN_NAME: 'ALICE', PASSWORD: { value: SECRETS[4] } }),
      engine.handle(clientRequest('POST', `${QUERY}?requestId=a2`, { data: { LOGIN_NAME: 'ALICE', PASSWORD: SECRETS[5] } })),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 404, 404, 404, 404]);
    const report = engine.report();
    const outputs = {
      bodies: answers.slice(1).map((a) => a.body).join('\n'),
      report: JSON.stringify(report),
      json: jsonReplay(report),
      pretty: prettyReplay(report),
      junit: junitReplay(report),
      unmatchedLines: JSON.stringify(told),
    };
    expect(told).toHaveLength(5);
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of SECRETS) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
      // Not even a prefix cut at 80 characters.
      expect(text, where).not.toMatch(/pass-SEC/);
    }
    // A client's object is described, not serialised; a secret field's array or object by its size only.
    expect(outputs.bodies).toContain('body.data: not recorded, got an object with keys');
    expect(outputs.bodies).toContain('body.data.PASSWORD: recorded \\"__redacted_password_1__\\", got an array of 1 item (hidden)');
    expect(outputs.bodies).toContain('body.data.PASSWORD: recorded \\"__redacted_password_1__\\", got an object with 1 key (hidden)');
  });

  it('an Authorization header without a scheme is the credential itself: shown by length', () => {
    const rec = recordingOf([{ method: 'GET', url: '/api/v2/databases', headers: { authorization: 'Bearer __redacted_pat_1__' }, response: { json: [] } }]);
    const r = createReplayEngine(rec).handle(clientRequest('GET', '/api/v2/databases', undefined, { authorization: 'bare-token-SECRET-7' }));
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('SECRET-7');
    expect(r.body).toContain('got a value without a scheme (hidden, 19 characters)');
  });
});

describe('memory and report size stay bounded', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('large unmatched requests (long JSON keys, long paths) keep small report entries', () => {
    const engine = createReplayEngine(loginAndQuery());
    for (let i = 0; i < 30; i++) {
      const key = `${i}`.padEnd(200_000, 'k');
      const r = engine.handle(clientRequest('POST', `${QUERY}/${'p'.repeat(100_000)}`, { [key]: 1, data: { [key]: { [key]: 2 } } }));
      expect(r.status).toBe(404);
      expect(r.body.length).toBeLessThan(10_000);
    }
    const report = engine.report();
    expect(report.unmatched).toBe(30);
    expect(report.entries).toHaveLength(30);
    expect(JSON.stringify(report).length).toBeLessThan(100_000);
  });

  it("a difference's where is cut: each name the client chose to 40 characters, the whole to 240", () => {
    // 60 levels of 30-character names, as deep as a client likes, differing at the bottom.
    const nest = (leaf: number): Record<string, unknown> => {
      let o: Record<string, unknown> = { leaf };
      for (let i = 0; i < 60; i++) o = { [`L${i}_${'n'.repeat(27)}`]: o };
      return o;
    };
    const rec = recordingOf([{ url: QUERY, body: { json: { sqlText: 'SELECT 1', ...nest(1) } }, response: { json: { success: true } } }]);
    const long = createReplayEngine(rec).handle(clientRequest('POST', QUERY, { sqlText: 'SELECT 1', ...nest(1), [`A${'k'.repeat(5_000)}`]: 1 }));
    expect(JSON.parse(long.body).nearest[0].differences).toEqual([`body.A${'k'.repeat(38)}…: not recorded, got 1`]);
    const deep = createReplayEngine(rec).handle(clientRequest('POST', QUERY, { sqlText: 'SELECT 1', ...nest(2) }));
    const [line] = JSON.parse(deep.body).nearest[0].differences as string[];
    expect(line).toMatch(/^body\.L59_n+\.L58_.*…: recorded 1, got 2$/);
    expect(line!.indexOf(': not recorded')).toBeLessThanOrEqual(240);
  });

  it('the entries drop the oldest past the size budget; the counts still cover every request', () => {
    const engine = createReplayEngine(loginAndQuery());
    // Each request differs from both exchanges in many fields: a few kB of near misses each.
    const fields = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`FIELD_${i}_${'f'.repeat(30)}`, 'v'.repeat(70)]));
    const n = 3_000;
    for (let i = 0; i < n; i++) engine.handle(clientRequest('POST', `${LOGIN}/${i}`, { data: fields }));
    const report = engine.report();
    expect(report).toMatchObject({ requests: n, unmatched: n });
    expect(report.entries.length).toBeLessThan(n);
    expect(report.entries.at(-1)!.seq).toBe(n);
    expect(JSON.stringify(report.entries).length).toBeLessThanOrEqual(MAX_REPORT_CHARS + 20_000);
  });

  it('a matched request lists at most 12 differences, then how many more', () => {
    const rec = recordingOf([{ url: LOGIN, body: { json: { data: { LOGIN_NAME: 'ALICE' } } }, response: loginAnswer(1) }]);
    const engine = createReplayEngine(rec, { extraFieldsAllowed: true });
    const extra = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`EXTRA_${i}`, i]));
    expect(engine.handle(clientRequest('POST', LOGIN, { data: { LOGIN_NAME: 'ALICE', ...extra } })).status).toBe(200);
    const entry = engine.report().entries[0]!;
    expect(entry.outcome === 'matched' && entry.differences).toHaveLength(13);
    expect(entry.outcome === 'matched' && entry.differences.at(-1)).toBe('… and 38 more');
  });

  it('GET /__mock/replay/report still answers 200 after large unmatched requests', async () => {
    const engine = createReplayEngine(loginAndQuery());
    server = await startServer({ port: 0, control: true, handler: { handle: engine.handle, control: replayControl(engine) } });
    for (let i = 0; i < 12; i++) {
      const r = await fetch(`${server.url}${QUERY}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"${'k'.repeat(1_000_000)}${i}":1}` });
      expect(r.status).toBe(404);
      await r.arrayBuffer();
    }
    const report = await fetch(`${server.url}/__mock/replay/report`);
    expect(report.status).toBe(200);
    const text = await report.text();
    expect(text.length).toBeLessThan(100_000);
    expect(JSON.parse(text)).toMatchObject({ requests: 12, unmatched: 12 });
  });

  it('a control handler that throws gets a 500 and the server keeps serving', async () => {
    let calls = 0;
    server = await startServer({
      port: 0,
      control: true,
      handler: {
        handle: () => ({ status: 204, headers: {}, body: '' }),
        control: () => {
          calls++;
          throw new RangeError('Invalid string length');
        },
      },
    });
    const r = await fetch(`${server.url}/__mock/replay/report`);
    expect(r.status).toBe(500);
    // The control API's own shape; the error's text stays out of the body.
    expect(await r.json()).toEqual({ error: expect.stringMatching(/^snowflake-auth-mock internal error.*999000/) });
    expect((await fetch(`${server.url}${QUERY}`, { method: 'POST', body: '{}' })).status).toBe(204);
    expect((await fetch(`${server.url}/__mock/health`)).status).toBe(500);
    expect(calls).toBe(2);
  });
});

describe('placeholder templates in linear time', () => {
  const TEMPLATE = "ALTER USER __redacted_user_1__ SET PASSWORD = '__redacted_password_2__' COMMENT = '__redacted_password_3__'";
  const rec = (): ReturnType<typeof recordingOf> => recordingOf([{ url: QUERY, body: { json: { sqlText: TEMPLATE } }, response: { json: { success: true } } }]);
  const query = (sqlText: string): ReturnType<typeof clientRequest> => clientRequest('POST', QUERY, { sqlText });

  /** Runs `f` with no backtracking (lazy-group) regular expression allowed over a long client string: such a call returns null and is counted. */
  const withoutBacktracking = <T>(f: () => T): { result: T; lazyRuns: number } => {
    let lazyRuns = 0;
    const exec = RegExp.prototype.exec;
    RegExp.prototype.exec = function (this: RegExp, s: string) {
      if (String(s).length > 10_000 && this.source.includes('+?')) {
        lazyRuns++;
        return null;
      }
      return exec.call(this, s);
    };
    try {
      return { result: f(), lazyRuns };
    } finally {
      RegExp.prototype.exec = exec;
    }
  };

  it("a 200 kB client string against a 3-placeholder template: no backtracking regex, and the right answer", () => {
    const engine = createReplayEngine(rec());
    const hostile = `ALTER USER ${" SET PASSWORD = '' COMMENT = '".repeat(7_000)}x`;
    expect(hostile.length).toBeGreaterThan(200_000);
    const miss = withoutBacktracking(() => engine.handle(query(hostile)));
    expect(miss.lazyRuns).toBe(0);
    expect(miss.result.status).toBe(404);
    // The same length that does fit the template matches, each placeholder bound to its part.
    const fits = `ALTER USER bob SET PASSWORD = '${'p'.repeat(200_000)}' COMMENT = 'c'`;
    const hit = withoutBacktracking(() => engine.handle(query(fits)));
    expect(hit.lazyRuns).toBe(0);
    expect(hit.result.status).toBe(200);
  });

  it('gives what the lazy regular expression gave, repeated literals included', () => {
    const lazy = (literals: string[], s: string): string[] | undefined => {
      const m = new RegExp(`^${literals.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('([\\s\\S]+?)')}$`).exec(s);
      return m ? m.slice(1) : undefined;
    };
    const alphabet = ['a', 'b', "'", ''];
    let seed = 7;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const word = (max: number): string => Array.from({ length: rnd(max + 1) }, () => alphabet[rnd(3)]).join('');
    for (let i = 0; i < 5_000; i++) {
      const literals = Array.from({ length: 2 + rnd(3) }, () => word(2));
      const s = word(9);
      expect(fillTemplate(literals, s), `${JSON.stringify(literals)} ${JSON.stringify(s)}`).toEqual(lazy(literals, s));
    }
    expect(fillTemplate(['Snowflake Token="', '"'], 'Snowflake Token="abc"')).toEqual(['abc']);
    expect(fillTemplate(['a', 'a', 'a'], 'aaaaa')).toEqual(['a', 'a']);
    expect(fillTemplate(['x', ''], 'x')).toBeUndefined();
  });
});
