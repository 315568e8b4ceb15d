/**
 * The session-token rules of domain/session (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts) and the review findings pinned: racing
 * renewals, users disabled after login, tokens after a reset, caps on lifetimes, names and faults.
 */
import { describe, expect, it } from 'vitest';
import { createCore } from '../../http/core.ts';
import { createIds } from '../../domain/ids.ts';
import { buildWorld } from '../../domain/world/build.ts';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import { createSessionStore, type SessionSpec } from '../../domain/session/sessions.ts';
import { checkMasterToken, checkSessionToken, renewSessionToken } from '../../domain/session/session-tokens.ts';
import { executeSql } from '../../domain/sql/execute.ts';
import { createFaultPlan, FaultRuleError, MAX_FAULTS } from '../../domain/faults.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const MIN = 60_000;

function setup() {
  const ids = createIds(3);
  const world = buildWorld(defaultWorldConfig(), { now: NOW, ids });
  const account = world.accounts[0]!;
  const sessions = createSessionStore(ids);
  const spec: SessionSpec = { account: account.name, user: 'ALICE', auth: 'PASSWORD', role: 'ANALYST', warehouse: null, database: null, schema: null, validity: 3600, masterValidity: 14_400 };
  return { world, account, sessions, session: sessions.open(spec, NOW), spec };
}

describe('renewal (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts)', () => {
  it('two renewals racing with the same old token both succeed, and only the first rotates', () => {
    const { account, sessions, session } = setup();
    const old = session.token;
    const at = NOW + 61 * MIN;
    expect(renewSessionToken(session, old, sessions, at, 3600)).toEqual({ ok: true, rotated: true });
    const fresh = session.token;
    expect(renewSessionToken(session, old, sessions, at, 3600)).toEqual({ ok: true, rotated: false });
    expect(session.token).toBe(fresh);
    expect(checkSessionToken(fresh, sessions, account, at).ok).toBe(true);
    expect(renewSessionToken(session, 'ver:1-hint:other', sessions, at, 3600)).toMatchObject({ ok: false, rejection: { code: '390104', cause: 'SESSION_TOKEN_UNKNOWN' } });
  });

  it('a renewed token never outlives the master token, nor does the first one', () => {
    const { sessions, session, spec } = setup();
    sessions.renew(session, NOW + 239 * MIN, 3600);
    expect(session.tokenExpiresAt).toBe(session.masterExpiresAt);
    const long = sessions.open({ ...spec, validity: 5 * 3600, masterValidity: 3600 }, NOW);
    expect(long.tokenExpiresAt).toBe(long.masterExpiresAt);
  });

  it("a user disabled after login ends the session for renewal and queries, and re-enabling does not revive it", () => {
    const { account, sessions, session } = setup();
    account.users.get('ALICE')!.disabled = true;
    expect(checkMasterToken(session.masterToken, sessions, account, NOW)).toMatchObject({ ok: false, rejection: { code: '390111', cause: 'SESSION_USER_GONE' } });
    account.users.get('ALICE')!.disabled = false;
    expect(checkSessionToken(session.token, sessions, account, NOW)).toMatchObject({ ok: false, rejection: { code: '390111', cause: 'SESSION_CLOSED' } });
  });

  it('master token: absent 390115, unknown 390113, expired 390114', () => {
    const { account, sessions, session } = setup();
    expect(checkMasterToken(undefined, sessions, account, NOW)).toMatchObject({ ok: false, rejection: { code: '390115' } });
    expect(checkMasterToken(session.token, sessions, account, NOW)).toMatchObject({ ok: false, rejection: { code: '390113' } });
    expect(checkMasterToken(session.masterToken, sessions, account, NOW + 241 * MIN)).toMatchObject({ ok: false, rejection: { code: '390114' } });
  });
});

describe('a seeded mock after reset()', () => {
  it('never hands out a session token it gave out before the reset', async () => {
    const core = createCore({ config: defaultWorldConfig(), seed: 5, clock: { start: NOW, frozen: true } });
    const login = async () => JSON.parse((await core.handle({ method: 'POST', host: 'myorg-myaccount.snowflakecomputing.com', path: '/session/v1/login-request', query: '', headers: {}, body: JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } }), clientIp: '127.0.0.1' })).body).data.token as string;
    const before = await login();
    core.reset();
    const after = await login();
    expect(after).not.toBe(before);
    const query = await core.handle({ method: 'POST', host: 'myorg-myaccount.snowflakecomputing.com', path: '/queries/v1/query-request', query: '', headers: { authorization: `Snowflake Token="${before}"` }, body: '{"sqlText":"SELECT 1"}', clientIp: '127.0.0.1' });
    expect(JSON.parse(query.body).code).toBe('390104');
  });
});

describe('caps against abuse', () => {
  it('a 500 000-character PAT name is refused with a short explanation', () => {
    const { world, account } = setup();
    const result = executeSql(`ALTER USER ADD PAT ${'A'.repeat(500_000)}`, { account, user: account.users.get('ALICE')!, role: 'ANALYST', auth: 'PASSWORD' }, { world, now: NOW, ids: createIds(1) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection.explanation.length).toBeLessThan(1000);
    expect(account.users.get('ALICE')!.programmaticAccessTokens).toHaveLength(1);
  });

  it(`at most ${MAX_FAULTS} faults may be pending`, () => {
    const plan = createFaultPlan();
    plan.inject(Array.from({ length: MAX_FAULTS }, () => ({ path: '/x', status: 503 })));
    expect(() => plan.inject({ path: '/x', status: 503 })).toThrow(FaultRuleError);
    expect(plan.size).toBe(MAX_FAULTS);
  });
});
