/**
 * What a replay answers (record/respond.ts, record/reissue.ts, record/replay-clock.ts): secrets the
 * recording's server issued come back as fresh stable values that match again when the client
 * returns them; values the client supplied are echoed; clock readings follow the replay's clock.
 */
import { describe, expect, it } from 'vitest';
import { createReplayEngine } from '../../record/replay.ts';
import { clientRequest, loginAnswer, loginBody, RECORDED_AT, recordedLogin, recordingOf } from '../helpers/replay-fixtures.ts';

const LOGIN = '/session/v1/login-request';
const QUERY = '/queries/v1/query-request';
const json = (r: { body: string }): Record<string, any> => JSON.parse(r.body) as Record<string, any>;
const query = (token: string, sql = 'SELECT 1'): ReturnType<typeof clientRequest> => clientRequest('POST', `${QUERY}?requestId=q`, { sqlText: sql }, { authorization: `Snowflake Token="${token}"` });
const rows = (n: number): { json: unknown } => ({ json: { data: { rowset: [[String(n)]] }, success: true } });

describe('re-issued values', () => {
  // Two logins with the same password, each followed by a query on its own session.
  const rec = recordingOf([
    { url: LOGIN, body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) },
    { url: QUERY, headers: { 'content-type': 'application/json', authorization: 'Snowflake Token="__redacted_session_token_1__"' }, body: { json: { sqlText: 'SELECT 1' } }, response: rows(1) },
    { url: LOGIN, body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(2) },
    { url: QUERY, headers: { 'content-type': 'application/json', authorization: 'Snowflake Token="__redacted_session_token_2__"' }, body: { json: { sqlText: 'SELECT 1' } }, response: rows(2) },
  ]);
  const logIn = (engine: ReturnType<typeof createReplayEngine>): Record<string, any> => json(engine.handle(clientRequest('POST', LOGIN, loginBody({ LOGIN_NAME: 'ALICE', PASSWORD: 'pw' })))).data;

  it('a token in a recorded answer is answered with a fresh value that matches the request that carried it', () => {
    const engine = createReplayEngine(rec);
    const first = logIn(engine);
    expect(first.token).toMatch(/^ver:1-hint:0-rp-[0-9a-f]{40}$/);
    expect(first.masterToken).toMatch(/^ver:1-hint:0-m-rp-[0-9a-f]{40}$/);
    const second = logIn(engine);
    expect(second.token).not.toBe(first.token);
    // Each session's token leads to its own recorded query, whatever the order the client uses them in.
    expect(json(engine.handle(query(second.token))).data.rowset).toEqual([['2']]);
    expect(json(engine.handle(query(first.token))).data.rowset).toEqual([['1']]);
    expect(json(engine.handle(query(first.token))).data.rowset).toEqual([['1']]);
    expect(engine.report().exchanges.map((x) => x.uses)).toEqual([1, 2, 1, 1]);
  });

  it('the values are stable: the same recording gives the same values, another recording others', () => {
    const again = logIn(createReplayEngine(rec)).token;
    expect(logIn(createReplayEngine(rec)).token).toBe(again);
    expect(logIn(createReplayEngine({ ...rec, manifest: { ...rec.manifest, name: 'other' } })).token).not.toBe(again);
  });

  it('a token the replay has not issued matches nothing, even where the recorded one is still unbound', () => {
    const engine = createReplayEngine(rec);
    logIn(engine);
    const r = engine.handle(query('made-up-token'));
    expect(r.status).toBe(404);
    expect(json(r).nearest.slice(0, 2).map((n: { differences: string[] }) => n.differences[0])).toEqual([
      'header authorization: recorded __redacted_session_token_1__, bound in this replay to another value; got (hidden, 13 characters)',
      'header authorization: recorded __redacted_session_token_2__, which the recording\'s server issued and this replay has not issued yet; got (hidden, 13 characters)',
    ]);
  });

  it('a placeholder the client supplied is echoed with the client\'s value (identities redacted)', () => {
    const ident = recordingOf([{ url: LOGIN, body: recordedLogin({ LOGIN_NAME: '__redacted_user_1__', PASSWORD: '__redacted_password_1__' }), response: { json: { data: { displayUserName: '__redacted_user_1__', token: '__redacted_session_token_1__' }, success: true } } }]);
    const data = json(createReplayEngine(ident).handle(clientRequest('POST', LOGIN, loginBody({ LOGIN_NAME: 'CAROL', PASSWORD: 'pw' })))).data;
    expect(data.displayUserName).toBe('CAROL');
    expect(data.token).toMatch(/^ver:1-hint:0-rp-/);
  });

  it('no answer ever carries a placeholder', () => {
    const engine = createReplayEngine(rec);
    const answers = [engine.handle(clientRequest('POST', LOGIN, loginBody({ LOGIN_NAME: 'ALICE', PASSWORD: 'pw' })))];
    answers.push(engine.handle(query(json(answers[0]!).data.token)));
    for (const a of answers) expect(JSON.stringify(a)).not.toContain('__redacted_');
  });
});

describe('clock coherence (record/replay-clock.ts)', () => {
  const startedAt = RECORDED_AT + 1000;
  const rec = recordingOf([
    { url: LOGIN, body: recordedLogin({ PASSWORD: '__redacted_password_1__' }), responseHeaders: { 'content-type': 'application/json', date: new Date(startedAt).toUTCString() }, response: loginAnswer(1), at: 1 },
    { url: QUERY, body: { json: { sqlText: 'SELECT 1' } }, response: { json: { data: { sendResultTime: startedAt + 250, rowset: [['2026-12-06 10:00:01.000']] }, success: true } }, at: 1 },
    { url: '/oauth/token-request', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: { form: [['grant_type', 'client_credentials']] }, response: { json: { access_token: '__redacted_access_token_1__', expires_in: 600, refresh_token_expires_in: 7776000 } }, at: 1 },
    { url: '/api/v2/statements?requestId=recorded-request-id', body: { json: { statement: 'SELECT 1' } }, response: { json: { createdOn: startedAt + 40, requestId: 'recorded-request-id', statementStatusUrl: '/api/v2/statements/01b2?requestId=recorded-request-id' } }, at: 1 },
  ]);
  const now = Date.parse('2027-03-01T08:00:00.000Z');
  const engine = createReplayEngine(rec, { now: () => now });

  it('relative validities are answered as recorded; the Date header moves to the replay clock', () => {
    const r = engine.handle(clientRequest('POST', LOGIN, loginBody({ PASSWORD: 'pw' })));
    expect(json(r).data).toMatchObject({ validityInSeconds: 3600, masterValidityInSeconds: 14400 });
    expect(r.headers.date).toBe(new Date(now).toUTCString());
    const token = engine.handle(clientRequest('POST', '/oauth/token-request', 'grant_type=client_credentials', { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(json(token)).toMatchObject({ expires_in: 600, refresh_token_expires_in: 7776000 });
  });

  it('absolute times keep their offset from the request: now + (t − recorded start); result rows are data, untouched', () => {
    const r = json(engine.handle(clientRequest('POST', QUERY, { sqlText: 'SELECT 1' })));
    expect(r.data.sendResultTime).toBe(now + 250);
    expect(r.data.rowset).toEqual([['2026-12-06 10:00:01.000']]);
    const s = json(engine.handle(clientRequest('POST', '/api/v2/statements?requestId=client-request-id', { statement: 'SELECT 1' })));
    expect(s.createdOn).toBe(now + 40);
    // The SQL API repeats the request's requestId: the client's, not the recorded one.
    expect(s.requestId).toBe('client-request-id');
    expect(s.statementStatusUrl).toBe('/api/v2/statements/01b2?requestId=client-request-id');
  });
});
