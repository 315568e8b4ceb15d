/**
 * Users' statements cannot hurt the mock (decisions/0016), over real fetch on both transports —
 * the SQL API and a driver session's query-request — every response checked against its endpoint
 * contract (useMock): hook answers that throw while being read and hooks that never answer are the
 * mock's 999002 (never a 500 a driver would retry), `roles:` follows the role hierarchy, and
 * SHOW … LIKE answers patterns that used to backtrack for minutes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import type { StatementHook } from '../../domain/sql/responders.ts';
import { ACCOUNT_HOST, exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';
import { call, useMock, type Answer } from '../helpers/msw.ts';

const pat = { token: 'pat-alice-ci', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' };

/** A driver session of ALICE: login-request with her password, then query-request with its token. */
async function driverSession(): Promise<(sqlText: string) => Promise<Answer>> {
  const login = await fetch(`${ACCOUNT_HOST}/session/v1/login-request`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.5' },
    body: JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } }),
  });
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  return async (sqlText) => {
    const res = await fetch(`${ACCOUNT_HOST}/queries/v1/query-request?requestId=1`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${token}"`, 'x-forwarded-for': '10.0.0.5' },
      body: JSON.stringify({ sqlText }),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text, headers: res.headers };
  };
}

let hook: StatementHook = () => undefined;
const mock = useMock({
  world: exampleWorld((w) => {
    w.accounts[0]!.users![0]!.roles = ['ANALYST', 'SYSADMIN', 'ACCOUNTADMIN'];
    w.accounts[0]!.statements = [{ prefix: 'DROP TABLE', roles: ['SYSADMIN'], result: { columns: [{ name: 'status', type: 'TEXT' }], rows: [['dropped']] } }];
  }),
  clientIp: '10.0.0.5',
  statementHookTimeoutMs: 1000,
  onStatement: (ctx) => hook(ctx),
});

afterEach(() => {
  hook = () => undefined;
  vi.useRealTimers();
});

describe('a hook answer that throws while being read is 999002 on both surfaces, not a 500', () => {
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  let deepList: unknown = 1;
  for (let i = 0; i < 100_000; i++) deepList = [deepList];
  let deepMapping: unknown = 1;
  for (let i = 0; i < 100_000; i++) deepMapping = { a: deepMapping };
  const cases: [string, () => unknown, RegExp][] = [
    ['a circular VARIANT cell', () => ({ result: { columns: [{ name: 'X', type: 'VARIANT' }], rows: [[circular]] } }), /result\.rows\[0\]\[0\]: column X \(variant\): expected a JSON value, but it cannot be written as JSON: it contains itself \(a circular reference\)/],
    ['a 100 000-deep ARRAY cell', () => ({ result: { columns: [{ name: 'X', type: 'ARRAY' }], rows: [[deepList]] } }), /column X \(array\): .*it is nested too deeply/],
    ['a 100 000-deep OBJECT cell', () => ({ result: { columns: [{ name: 'X', type: 'OBJECT' }], rows: [[deepMapping]] } }), /column X \(object\): .*it is nested too deeply/],
    ['a throwing getter', () => ({ get result() { throw new Error('getter'); } }), /the onStatement hook answered something that could not be read \(Error: getter\)/],
    ['a Proxy whose ownKeys throws', () => new Proxy({}, { ownKeys() { throw new Error('proxy'); } }), /the onStatement hook answered something that could not be read \(Error: proxy\)/],
  ];

  it.each(cases)('%s, answered at once', async (_what, answer, message) => {
    hook = answer as StatementHook;
    const api = await call('SELECT X', pat);
    expect(api.status).toBe(422);
    expect(api.body).toMatchObject({ code: '999002', sqlState: 'XX000', message: expect.stringMatching(message) });
    expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: '999002' });
    const driven = await (await driverSession())('SELECT X');
    expect(driven.status).toBe(200);
    expect(driven.body).toMatchObject({ success: false, code: '999002', message: expect.stringMatching(message), data: { errorCode: '999002', sqlState: 'XX000' } });
  });

  it.each(cases)('%s, answered by a promise', async (_what, answer, message) => {
    hook = (async () => answer()) as StatementHook;
    const api = await call('SELECT X', pat);
    expect(api.status).toBe(422);
    expect(api.body).toMatchObject({ code: '999002', message: expect.stringMatching(message) });
    const driven = await (await driverSession())('SELECT X');
    expect(driven.body).toMatchObject({ success: false, code: '999002', message: expect.stringMatching(message) });
  });
});

describe('a hook promise that never settles', () => {
  it('is 999002 "did not answer within N ms" after statementHookTimeoutMs, on both surfaces', async () => {
    const query = await driverSession();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    hook = () => new Promise(() => {});
    let api: Answer | undefined;
    const pending = call('SELECT HANG', pat).then((a) => (api = a));
    await vi.advanceTimersByTimeAsync(999);
    expect(api).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(api!.status).toBe(422);
    expect(api!.body).toMatchObject({ code: '999002', sqlState: 'XX000', message: 'snowflake-auth-mock: the onStatement hook did not answer within 1000 ms (its promise never settled); see README.md#statements-you-answer.' });

    let driven: Answer | undefined;
    const later = query('SELECT HANG').then((a) => (driven = a));
    await vi.advanceTimersByTimeAsync(999);
    expect(driven).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await later;
    expect(driven!.body).toMatchObject({ success: false, code: '999002', message: expect.stringContaining('did not answer within 1000 ms') });
  });
});

describe('roles: follows the role hierarchy', () => {
  const asRole = async (statement: string, role: string) => {
    const token = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: mock.clock.now() });
    return call(undefined, { token, tokenType: 'KEYPAIR_JWT', body: JSON.stringify({ statement, role }) });
  };

  it('ACCOUNTADMIN runs an entry limited to SYSADMIN (it holds SYSADMIN); ANALYST still gets 002003', async () => {
    expect((await asRole('DROP TABLE T', 'ACCOUNTADMIN')).body.data).toEqual([['dropped']]);
    expect((await asRole('DROP TABLE T', 'SYSADMIN')).body.data).toEqual([['dropped']]);
    const refused = await asRole('DROP TABLE T', 'ANALYST');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: '002003', message: "SQL compilation error:\nTable 'T' does not exist or not authorized." });
  });
});

describe('SHOW … LIKE with many wildcards', () => {
  it('answers at once: no regular expression to backtrack', async () => {
    for (const like of ['%'.repeat(50) + 'x', `${'%_'.repeat(25)}x`, `${'_%'.repeat(25)}`]) {
      const shown = await call(`SHOW DATABASES LIKE '${like}'`, pat);
      expect(shown.status, like).toBe(200);
      expect(shown.body.data, like).toEqual([]);
    }
    const warehouses = await call(`SHOW WAREHOUSES LIKE '${'%'.repeat(50)}wh'`, pat);
    expect(warehouses.body.data.map((row: string[]) => row[0])).toEqual(['COMPUTE_WH']);
  });
});
