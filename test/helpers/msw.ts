/**
 * Test harness: one msw server per test file over a mock, with real fetch calls.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { checkContracts } from './contract-check.ts';
import { createSnowflakeMock, type SnowflakeMock, type SnowflakeMockOptions } from '../../handlers/mock.ts';
import { ACCOUNT_HOST } from './http-world.ts';

// One msw server per test file (two listening at once would both patch fetch).
let server: ReturnType<typeof setupServer> | undefined;

/** Requests no handler answered since the last {@link takeUnhandledRequests}, as `METHOD URL`. */
const unhandled: string[] = [];

/**
 * What msw does with a request no handler answers: fail it, as its 'error' strategy would (the
 * request never leaves the machine and the caller's fetch rejects), but record it instead of
 * printing "[MSW] Error: intercepted a request without a matching request handler". A test that
 * expects one asserts it with {@link takeUnhandledRequests}; one nobody took fails the test
 * (useMock's afterEach), so an unexpected request is still an error, and a passing run prints nothing.
 *
 * @example
 * server.listen({ onUnhandledFrame: recordUnhandledFrame })
 */
export function recordUnhandledFrame({ frame }: { frame: { protocol: string; data: unknown } }): never {
  const request = (frame.data as { request?: Request }).request;
  const what = request ? `${request.method} ${request.url}` : `${frame.protocol} frame`;
  unhandled.push(what);
  // A network error, as the 'error' strategy gives the caller (fetch rejects with "Failed to fetch"):
  // msw turns a thrown Response into the answer, and any other error into a 500 from a "handler".
  throw Response.error();
}

/**
 * The requests no handler answered since the last call (`METHOD URL`), and forgets them: how a
 * test asserts the unhandled requests it expects.
 *
 * @example
 * await expect(fetch('https://provider.example.com/oauth2/token', { method: 'POST' })).rejects.toThrow()
 * expect(takeUnhandledRequests()).toEqual(['POST https://provider.example.com/oauth2/token'])
 */
export function takeUnhandledRequests(): string[] {
  return unhandled.splice(0);
}

function fileServer(): ReturnType<typeof setupServer> {
  if (!server) {
    const s = (server = setupServer());
    beforeAll(() => s.listen({ onUnhandledFrame: recordUnhandledFrame }));
    afterAll(() => s.close());
  }
  return server;
}

/**
 * Creates a mock whose handlers serve the tests of the enclosing describe (the innermost
 * `useMock` wins); the mock is reset after each test.
 *
 * @example
 * const mock = useMock({ world: exampleWorld() })
 */
export function useMock(options: SnowflakeMockOptions): SnowflakeMock {
  const mock = createSnowflakeMock({ seed: 7, ...options });
  const s = fileServer();
  // Every response of every test is checked against its endpoint contract (issue #3: drift fails a test).
  const contracts = checkContracts(mock.core);
  beforeEach(() => s.resetHandlers(...mock.handlers));
  afterEach(() => {
    mock.reset();
    mock.clientIp = options.clientIp ?? '127.0.0.1';
    const problems = contracts.problems();
    contracts.reset();
    expect(problems, 'responses that do not match their endpoint contract').toEqual([]);
    expect(takeUnhandledRequests(), 'requests no msw handler answered (a test that expects one takes it with takeUnhandledRequests())').toEqual([]);
  });
  return mock;
}

export interface CallOptions {
  readonly token?: string;
  readonly tokenType?: string;
  readonly ip?: string;
  readonly host?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly method?: string;
  readonly path?: string;
}

/** A response read once: status, parsed JSON (or undefined) and raw text. */
export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

/**
 * Calls the SQL API with a statement (POST /api/v2/statements by default).
 *
 * @example
 * const answer = await call('SELECT 1', { token: 'pat-alice-ci', ip: '10.0.0.5' })
 */
export async function call(statement: string | undefined, o: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...o.headers };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.tokenType !== undefined) headers['x-snowflake-authorization-token-type'] = o.tokenType;
  if (o.ip !== undefined) headers['x-forwarded-for'] = o.ip;
  const method = o.method ?? 'POST';
  const body = method === 'GET' || method === 'HEAD' ? undefined : (o.body ?? (statement === undefined ? undefined : JSON.stringify({ statement })));
  const res = await fetch(`${o.host ?? ACCOUNT_HOST}${o.path ?? '/api/v2/statements'}`, { method, headers, ...(body !== undefined && { body }) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** The single value of a one-row, one-column ResultSet. */
export function scalar(answer: Answer): unknown {
  return answer.body?.data?.[0]?.[0];
}
