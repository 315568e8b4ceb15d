/**
 * The control API against DNS rebinding (server/control.ts controlRefusal): a page of
 * `attacker.example` whose name is re-pointed at 127.0.0.1 is same-origin with the mock — Origin
 * and Host both `attacker.example:PORT` — so the Origin check alone lets it read `GET /__mock/world`
 * (every credential) and move the clock. A request a browser sent must name the mock by an IP
 * literal, `localhost` or a `*.localhost` name; clients that are not browsers keep any name (a
 * container is reached by its service name). The same guard stands before the replay server's
 * control API. Requests go out through node:http, so Host, Origin and User-Agent are exactly the
 * ones given; test/browser/inspector.test.ts runs the attack itself in Chromium.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplayEngine } from '../../record/replay.ts';
import { replayControl } from '../../record/replay-control.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { exampleWorld } from '../helpers/http-world.ts';
import { loginAnswer, recordingOf } from '../helpers/replay-fixtures.ts';

/** Chromium's User-Agent: a page cannot change it (Chromium ignores a `user-agent` a page sets). */
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

let mock: RunningServer;
let replay: RunningServer;

beforeAll(async () => {
  mock = await startServer({ world: exampleWorld(), port: 0, control: true, seed: 7 });
  const engine = createReplayEngine(recordingOf([{ url: '/session/v1/login-request', body: { json: { data: { LOGIN_NAME: 'ALICE' } } }, response: loginAnswer(1) }]));
  replay = await startServer({ port: 0, control: true, handler: { handle: engine.handle, control: replayControl(engine) } });
});
afterAll(async () => {
  await mock?.close();
  await replay?.close();
});

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request to 127.0.0.1 with exactly these headers (Host included). */
function send(server: RunningServer, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers: { 'content-type': 'text/plain', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += String(c)));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What a browser sends when a page names the mock `name` (`name:port` in the Host). */
const browser = {
  // What Chromium sends for a same-origin fetch GET over plain HTTP to a name that is not local: no Origin, no Sec-Fetch-*.
  'Chromium, same-origin GET over http': (name: string, port: number) => ({ host: `${name}:${port}`, 'user-agent': CHROME, accept: '*/*' }),
  'with Origin': (name: string, port: number) => ({ host: `${name}:${port}`, origin: `http://${name}:${port}`, 'user-agent': CHROME }),
  'with Sec-Fetch-Site (no User-Agent)': (name: string, port: number) => ({ host: `${name}:${port}`, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }),
  'with Origin only': (name: string, port: number) => ({ host: `${name}:${port}`, origin: `http://${name}:${port}` }),
};
const kinds = Object.keys(browser) as (keyof typeof browser)[];

describe('a browser request through a name that is not the machine’s own (DNS rebinding) is refused', () => {
  it.each(kinds)('GET /__mock/world, %s: 403, no credential in the answer', async (kind) => {
    const answer = await send(mock, 'GET', '/__mock/world', browser[kind]('attacker.example', mock.port));
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(/^refused: a browser asked for \/__mock\/world through the name "attacker\.example", which is not this machine's own .*http:\/\/127\.0\.0\.1:<port>\/__mock\//);
    expect(answer.body).not.toContain('pat-alice-ci');
  });

  it.each(kinds)('POST /__mock/clock, %s: 403, the clock does not move', async (kind) => {
    const before = mock.core.clock.now();
    const answer = await send(mock, 'POST', '/__mock/clock', browser[kind]('attacker.example', mock.port), '{"advance":"16d"}');
    expect(answer.status).toBe(403);
    expect(mock.core.clock.now()).toBe(before);
  });

  it.each(['/__mock/', '/__mock', '/__mock/journal?since=0', '/__mock/world/summary', '/__mock/inspector.js'])('%s too (the page and everything it reads)', async (path) => {
    expect((await send(mock, 'GET', path, browser['Chromium, same-origin GET over http']('rebind.attacker.example', mock.port))).status).toBe(403);
  });

  it('names that only look local are not: a trailing dot, localhost as a prefix, an IP inside a name', async () => {
    for (const name of ['localhost.', 'localhost.attacker.example', '127.0.0.1.nip.io', 'attacker-localhost']) {
      expect((await send(mock, 'GET', '/__mock/world', browser['with Origin'](name, mock.port))).status, name).toBe(403);
    }
  });
});

describe('a browser naming the mock by the machine’s own name is served', () => {
  it.each(['localhost', '127.0.0.1', '[::1]', 'myorg-myaccount.localhost', 'LOCALHOST'])('%s: GET /__mock/world and POST /__mock/clock', async (name) => {
    for (const kind of kinds) {
      expect((await send(mock, 'GET', '/__mock/world', browser[kind](name, mock.port))).status, kind).toBe(200);
      expect((await send(mock, 'POST', '/__mock/clock', browser[kind](name, mock.port), '{"advance":"1m"}')).status, kind).toBe(200);
    }
  });

  it('the Origin check still refuses a page of another site, even on a local name', async () => {
    const answer = await send(mock, 'POST', '/__mock/reset', { host: `127.0.0.1:${mock.port}`, origin: 'http://evil.example', 'user-agent': CHROME });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(/^refused: a page from http:\/\/evil\.example may not change the mock/);
  });
});

describe('clients that are not browsers keep any name (containers are reached by service names)', () => {
  const clients: Record<string, Record<string, string>> = {
    'no headers at all': {},
    // Node's fetch (undici) adds Sec-Fetch-Mode by itself; the Testcontainers module and scripts use it.
    "node's fetch": { 'sec-fetch-mode': 'cors', 'user-agent': 'node', 'accept-language': '*' },
    curl: { 'user-agent': 'curl/8.5.0', accept: '*/*' },
  };
  it.each(Object.keys(clients))('%s, through attacker.example, snowflake-mock and mock.internal', async (client) => {
    for (const name of ['attacker.example', 'snowflake-mock', 'mock.internal']) {
      const headers = { host: `${name}:${mock.port}`, ...clients[client] };
      const world = await send(mock, 'GET', '/__mock/world', headers);
      expect(world.status, name).toBe(200);
      expect(world.body).toContain('pat-alice-ci');
      expect((await send(mock, 'POST', '/__mock/clock', headers, '{"advance":"1m"}')).status, name).toBe(200);
    }
  });

  it('a real fetch from node, as the Testcontainers module sends it, reads the world', async () => {
    const res = await fetch(`${mock.url}/__mock/world`);
    expect(res.status).toBe(200);
  });

  it('the provider and account routes are not guarded: they route by Host, browser or not', async () => {
    const answer = await send(mock, 'GET', '/api/v2/statements', { host: `myorg-myaccount.snowflakecomputing.com:${mock.port}`, 'user-agent': CHROME, origin: 'http://attacker.example' });
    expect(answer.status).not.toBe(403);
  });
});

describe('the replay server’s control API has the same guard', () => {
  it('a rebinding page can read neither the report nor the journal, nor reset the replay', async () => {
    for (const path of ['/__mock/replay/report', '/__mock/journal', '/__mock/health']) {
      const answer = await send(replay, 'GET', path, browser['Chromium, same-origin GET over http']('attacker.example', replay.port));
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.body).error).toMatch(/^refused: a browser asked for/);
    }
    expect((await send(replay, 'POST', '/__mock/reset', browser['with Origin']('attacker.example', replay.port))).status).toBe(403);
  });

  it('a cross-site page may not reset it, even through a local name', async () => {
    const answer = await send(replay, 'POST', '/__mock/reset', { host: `localhost:${replay.port}`, origin: 'http://evil.example', 'user-agent': CHROME });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(/^refused: a page from http:\/\/evil\.example may not change the mock/);
  });

  it('a browser on a local name, and a script on any name, are served', async () => {
    expect((await send(replay, 'GET', '/__mock/replay/report', browser['with Origin']('localhost', replay.port))).status).toBe(200);
    expect((await send(replay, 'POST', '/__mock/reset', browser['with Origin'](`127.0.0.1`, replay.port))).status).toBe(200);
    expect((await send(replay, 'GET', '/__mock/replay/report', { host: `replay-mock:${replay.port}`, 'sec-fetch-mode': 'cors', 'user-agent': 'node' })).status).toBe(200);
    expect((await send(replay, 'POST', '/__mock/reset', { host: `replay-mock:${replay.port}` })).status).toBe(200);
  });
});
