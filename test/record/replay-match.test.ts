/**
 * The replay engine's matching rules (record/replay-engine.ts, record/match.ts): placeholders and
 * their binding, recorded order of repeats, volatile fields, canonical JSON, form bodies, chosen
 * headers, near-miss ranking, and that no client secret reaches a difference.
 */
import { describe, expect, it } from 'vitest';
import { SignJWT, importPKCS8 } from 'jose';
import { readFileSync } from 'node:fs';
import { createReplayEngine, UNMATCHED_HEADER } from '../../record/replay.ts';
import { clientRequest, loginAnswer, loginBody, recordedLogin, recordingOf } from '../helpers/replay-fixtures.ts';

const LOGIN = '/session/v1/login-request';
const body = (r: { body: string }): Record<string, any> => JSON.parse(r.body) as Record<string, any>;
const login = (fields: Record<string, unknown>, query = 'requestId=a1&request_guid=b1'): ReturnType<typeof clientRequest> => clientRequest('POST', `${LOGIN}?${query}`, loginBody(fields));

describe('placeholders', () => {
  const rec = recordingOf([{ url: `${LOGIN}?requestId=r1&request_guid=g1`, body: recordedLogin({ AUTHENTICATOR: 'SNOWFLAKE', LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) }]);

  it('a placeholder matches any value of its kind the first time', () => {
    const engine = createReplayEngine(rec);
    const r = engine.handle(login({ AUTHENTICATOR: 'SNOWFLAKE', LOGIN_NAME: 'ALICE', PASSWORD: 'whatever-the-client-has' }));
    expect(r.status).toBe(200);
    expect(engine.report()).toMatchObject({ matched: 1, unmatched: 0 });
  });

  it('once bound, it keeps matching that value only — and the difference never shows the value', () => {
    const engine = createReplayEngine(rec);
    expect(engine.handle(login({ AUTHENTICATOR: 'SNOWFLAKE', LOGIN_NAME: 'ALICE', PASSWORD: 'first-password' })).status).toBe(200);
    expect(engine.handle(login({ AUTHENTICATOR: 'SNOWFLAKE', LOGIN_NAME: 'ALICE', PASSWORD: 'first-password' })).status).toBe(200);
    const miss = engine.handle(login({ AUTHENTICATOR: 'SNOWFLAKE', LOGIN_NAME: 'ALICE', PASSWORD: 'second-password' }));
    expect(miss.status).toBe(404);
    expect(miss.headers[UNMATCHED_HEADER]).toBe('replay-unmatched');
    expect(body(miss).nearest).toEqual([{ exchange: rec.files[0], differences: ['body.data.PASSWORD: recorded __redacted_password_1__, bound in this replay to another value; got a 15-character value (hidden)'] }]);
    expect(JSON.stringify(engine.report())).not.toContain('second-password');
    expect(JSON.stringify(engine.report())).not.toContain('first-password');
  });

  it('two placeholders of a kind are two values: one value cannot stand for both', () => {
    const two = recordingOf([
      { url: LOGIN, body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), status: 401, response: { json: { success: false, code: '390100' } } },
      { url: LOGIN, body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_2__' }), response: loginAnswer(1) },
    ]);
    const engine = createReplayEngine(two);
    expect(engine.handle(login({ LOGIN_NAME: 'ALICE', PASSWORD: 'wrong' })).status).toBe(401);
    // The same wrong password again is password 1 again, not the unused password 2 that let the recording in.
    expect(engine.handle(login({ LOGIN_NAME: 'ALICE', PASSWORD: 'wrong' })).status).toBe(401);
    expect(engine.handle(login({ LOGIN_NAME: 'ALICE', PASSWORD: 'right' })).status).toBe(200);
    // "wrong" is password 1 for the rest of the replay: it gets the recorded 401 again, not the 200.
    expect(engine.handle(login({ LOGIN_NAME: 'ALICE', PASSWORD: 'wrong' })).status).toBe(401);
    expect(engine.handle(login({ LOGIN_NAME: 'ALICE', PASSWORD: 'right' })).status).toBe(200);
  });

  it('a placeholder inside a string (the Authorization header) binds the part it stands for', () => {
    const r = recordingOf([{ method: 'GET', url: '/api/v2/databases', headers: { authorization: 'Bearer __redacted_pat_1__', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' }, response: { json: [] } }]);
    const engine = createReplayEngine(r);
    const pat = { 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' };
    expect(engine.handle(clientRequest('GET', '/api/v2/databases', undefined, { authorization: 'bearer my-pat', ...pat })).status).toBe(200);
    const other = engine.handle(clientRequest('GET', '/api/v2/databases', undefined, { authorization: 'Bearer another-pat', ...pat }));
    expect(body(other).nearest).toEqual([{ exchange: r.files[0], differences: ['header authorization: recorded __redacted_pat_1__, bound in this replay to another value; got (hidden, 11 characters)'] }]);
  });
});

describe('repeated identical requests', () => {
  it('are answered in recorded order, the last answer repeating once they are used up', () => {
    const rec = recordingOf([
      { url: LOGIN, body: recordedLogin({ LOGIN_NAME: 'CAROL', PASSWORD: '__redacted_password_1__' }), status: 200, response: { json: { success: false, code: '390120', data: { nextAction: 'EXT_AUTHN_DUO_ALL' } } } },
      { url: LOGIN, body: recordedLogin({ LOGIN_NAME: 'CAROL', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) },
    ]);
    const engine = createReplayEngine(rec);
    const codes = [1, 2, 3, 4].map(() => body(engine.handle(login({ LOGIN_NAME: 'CAROL', PASSWORD: 'carol-password' }))).code);
    expect(codes).toEqual(['390120', null, null, null]);
    expect(engine.report().exchanges.map((x) => x.uses)).toEqual([1, 3]);
    expect(engine.report().entries.map((e) => (e.outcome === 'matched' ? e.use : 0))).toEqual([1, 1, 2, 3]);
  });

  it('reset() starts the replay over: uses, bindings and report forgotten', () => {
    const rec = recordingOf([{ url: LOGIN, body: recordedLogin({ PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) }]);
    const engine = createReplayEngine(rec, { strict: true });
    engine.handle(login({ PASSWORD: 'one' }));
    engine.handle(login({ PASSWORD: 'two' }));
    expect(engine.report()).toMatchObject({ requests: 2, unmatched: 1, failed: true });
    engine.reset();
    expect(engine.report()).toMatchObject({ requests: 0, unmatched: 0, failed: false, entries: [] });
    expect(engine.handle(login({ PASSWORD: 'two' })).status).toBe(200);
  });
});

describe('volatile fields (record/volatile.ts)', () => {
  const rec = recordingOf([{ url: `${LOGIN}?requestId=r1&request_guid=g1&warehouse=WH`, body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) }]);

  it('request ids, retry parameters and CLIENT_ENVIRONMENT never decide a match', () => {
    const engine = createReplayEngine(rec);
    const r = engine.handle(login({ LOGIN_NAME: 'ALICE', PASSWORD: 'p' }, 'requestId=zz&request_guid=yy&warehouse=WH&retryCount=1&clientStartTime=99'));
    expect(r.status).toBe(200);
    const entry = engine.report().entries[0]!;
    // Presence is reported (retries were not recorded); values are not.
    expect(entry.outcome === 'matched' && entry.differences).toEqual(['query.clientStartTime: not recorded, got a value', 'query.retryCount: not recorded, got a value']);
  });

  it('a non-volatile query parameter still decides', () => {
    const engine = createReplayEngine(rec);
    const r = engine.handle(login({ LOGIN_NAME: 'ALICE', PASSWORD: 'p' }, 'requestId=zz&warehouse=OTHER'));
    expect(body(r).nearest).toEqual([{ exchange: rec.files[0], differences: ['query.warehouse: recorded "WH", got "OTHER"'] }]);
  });

  it('a body field decides; a missing volatile field is only reported', () => {
    const engine = createReplayEngine(rec);
    const bob = engine.handle(login({ LOGIN_NAME: 'BOB', PASSWORD: 'p' }, 'warehouse=WH'));
    expect(body(bob).nearest).toEqual([{ exchange: rec.files[0], differences: ['body.data.LOGIN_NAME: recorded "ALICE", got "BOB"'] }]);
    const noEnv = { data: { ...(loginBody({ LOGIN_NAME: 'ALICE', PASSWORD: 'p' }) as { data: Record<string, unknown> }).data, CLIENT_ENVIRONMENT: undefined } };
    expect(engine.handle(clientRequest('POST', `${LOGIN}?warehouse=WH&requestId=1&request_guid=2`, noEnv)).status).toBe(200);
    const last = engine.report().entries.at(-1)!;
    expect(last.outcome === 'matched' && last.differences).toEqual(['body.data.CLIENT_ENVIRONMENT: recorded a value, missing']);
  });
});

describe('JWTs (key-pair login)', () => {
  const key = readFileSync(new URL('../../fixtures/keys/alice.p8', import.meta.url), 'utf8');
  const sign = async (claims: Record<string, unknown>, lifetime = 60): Promise<string> => {
    const iat = Math.floor(Date.now() / 1000) + Math.floor(Math.random() * 1000);
    return new SignJWT({ ...claims, iat, exp: iat + lifetime }).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(await importPKCS8(key, 'RS256'));
  };
  const redactSignature = (jwt: string): string => `${jwt.slice(0, jwt.lastIndexOf('.'))}.__redacted_jwt_signature_1__`;
  const claims = { iss: 'MYORG-MYACCOUNT.ALICE.SHA256:abc=', sub: 'MYORG-MYACCOUNT.ALICE' };

  it('a re-signed JWT matches every time: the values of iat and exp and the signature are ignored', async () => {
    const rec = recordingOf([{ url: `${LOGIN}?requestId=r&request_guid=g`, body: recordedLogin({ AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: redactSignature(await sign(claims)) }), response: loginAnswer(1) }]);
    const engine = createReplayEngine(rec);
    for (let i = 0; i < 3; i++) expect(engine.handle(login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: await sign(claims) })).status).toBe(200);
    expect(engine.report()).toMatchObject({ matched: 3, unmatched: 0 });
  });

  it('a JWT with another lifetime, a missing exp or times in milliseconds is another request', async () => {
    const rec = recordingOf([{ url: `${LOGIN}?requestId=r&request_guid=g`, body: recordedLogin({ AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: redactSignature(await sign(claims)) }), response: loginAnswer(1) }]);
    const engine = createReplayEngine(rec);
    const now = Math.floor(Date.now() / 1000);
    const signed = async (payload: Record<string, unknown>): Promise<string> => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(await importPKCS8(key, 'RS256'));
    const differences = async (token: string): Promise<string[]> => body(engine.handle(login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: token }))).nearest[0].differences;
    expect(await differences(await sign(claims, 3600))).toEqual(['body.data.TOKEN (JWT) lifetime (exp − iat): recorded 60, got 3600']);
    expect(await differences(await signed({ ...claims, iat: now }))).toEqual(['body.data.TOKEN (JWT) claim exp: recorded, missing']);
    expect(await differences(await signed({ ...claims, iat: now * 1000, exp: (now + 60) * 1000 }))).toEqual([
      'body.data.TOKEN (JWT) claim exp: recorded in seconds, got in milliseconds',
      'body.data.TOKEN (JWT) claim iat: recorded in seconds, got in milliseconds',
      'body.data.TOKEN (JWT) lifetime (exp − iat): recorded 60, got 60000',
    ]);
  });

  it('a JWT for another user does not match, and the difference names the claim', async () => {
    const rec = recordingOf([{ url: LOGIN, body: recordedLogin({ AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: redactSignature(await sign(claims)) }), response: loginAnswer(1) }]);
    const r = createReplayEngine(rec).handle(login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: await sign({ ...claims, sub: 'MYORG-MYACCOUNT.BOB' }) }));
    expect(body(r).nearest).toEqual([{ exchange: rec.files[0], differences: ['body.data.TOKEN (JWT) claim sub: recorded "MYORG-MYACCOUNT.ALICE", got "MYORG-MYACCOUNT.BOB"'] }]);
  });
});

describe('bodies', () => {
  it('JSON is compared canonically: key order never matters, types do', () => {
    const rec = recordingOf([{ url: '/api/v2/statements', body: { json: { statement: 'SELECT 1', timeout: 60, parameters: { a: 1, b: [1, 2] } } }, response: { json: { code: '090001' } } }]);
    const engine = createReplayEngine(rec);
    expect(engine.handle(clientRequest('POST', '/api/v2/statements', '{"parameters":{"b":[1,2],"a":1},"timeout":60,"statement":"SELECT 1"}', { 'content-type': 'application/json' })).status).toBe(200);
    const r = engine.handle(clientRequest('POST', '/api/v2/statements', { statement: 'SELECT 1', timeout: '60', parameters: { a: 1, b: [2, 1] } }));
    expect(body(r).nearest[0].differences).toEqual(['body.parameters.b[0]: recorded 1, got 2', 'body.parameters.b[1]: recorded 2, got 1', 'body.timeout: recorded 60, got "60"']);
  });

  it('form bodies are compared by fields: order across names does not matter, values do, secrets stay hidden', () => {
    const rec = recordingOf([{ url: '/oauth/token-request', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: { form: [['grant_type', 'refresh_token'], ['refresh_token', '__redacted_refresh_token_1__'], ['scope', 'session:role:ANALYST']] }, response: { json: { access_token: '__redacted_access_token_1__', expires_in: 600 } } }]);
    const form = (text: string): ReturnType<typeof clientRequest> => clientRequest('POST', '/oauth/token-request', text, { 'content-type': 'application/x-www-form-urlencoded' });
    const engine = createReplayEngine(rec);
    expect(engine.handle(form('scope=session%3Arole%3AANALYST&refresh_token=rt-1&grant_type=refresh_token')).status).toBe(200);
    const r = engine.handle(form('grant_type=refresh_token&refresh_token=rt-2&scope=session%3Arole%3APUBLIC'));
    expect(body(r).nearest[0].differences).toEqual([
      'body.refresh_token: recorded __redacted_refresh_token_1__, bound in this replay to another value; got a 4-character value (hidden)',
      'body.scope: recorded "session:role:ANALYST", got "session:role:PUBLIC"',
    ]);
  });

  it('a loopback redirect URI matches on any port (RFC 8252 §7.3), and the answer redirects to the client\'s port with its state', () => {
    const rec = recordingOf([{ method: 'GET', url: '/oauth/authorize?client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A51000%2Fcb&state=recorded-state-1', status: 302, responseHeaders: { location: 'http://127.0.0.1:51000/cb?code=__redacted_oauth_code_1__&state=recorded-state-1' } }]);
    const engine = createReplayEngine(rec);
    const r = engine.handle(clientRequest('GET', '/oauth/authorize?state=client-state-2&redirect_uri=http%3A%2F%2F127.0.0.1%3A62000%2Fcb&client_id=app'));
    expect(r.status).toBe(302);
    expect(r.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:62000\/cb\?code=rp_oauth_code_[0-9a-f]{40}&state=client-state-2$/);
    const other = engine.handle(clientRequest('GET', '/oauth/authorize?state=s&redirect_uri=http%3A%2F%2Fevil.example%3A62000%2Fcb&client_id=app'));
    expect(body(other).nearest[0].differences).toEqual(['query.redirect_uri: recorded "http://127.0.0.1/cb", got "http://evil.example:62000/cb"']);
  });
});

describe('chosen headers', () => {
  const rec = recordingOf([{ method: 'POST', url: '/api/v2/statements', headers: { 'content-type': 'application/json', authorization: 'Bearer __redacted_pat_1__', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN', 'user-agent': 'recorder/1.0' }, body: { json: { statement: 'SELECT 1' } }, response: { json: { code: '090001' } } }]);
  const send = (headers: Record<string, string>): ReturnType<typeof clientRequest> => clientRequest('POST', '/api/v2/statements', '{"statement":"SELECT 1"}', headers);
  const base = { 'content-type': 'application/json', authorization: 'Bearer pat-x', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' };

  it('the media type, token type and authorization scheme decide; charset and other headers are reported', () => {
    const engine = createReplayEngine(rec);
    expect(engine.handle(send({ ...base, 'content-type': 'application/json; charset=utf-8', 'x-snowflake-authorization-token-type': 'programmatic_access_token', 'x-extra': '1' })).status).toBe(200);
    const e = engine.report().entries[0]!;
    expect(e.outcome === 'matched' && e.differences).toEqual(['header content-type: parameters recorded "", got "charset=utf-8"', 'header user-agent: recorded "recorder/1.0", missing', 'header x-extra: not recorded, got "1"']);
  });

  it.each([
    [{ 'content-type': 'text/plain' }, 'header content-type: recorded "application/json", got "text/plain"'],
    [{ 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' }, 'header x-snowflake-authorization-token-type: recorded "PROGRAMMATIC_ACCESS_TOKEN", got "KEYPAIR_JWT"'],
    [{ authorization: 'Basic pat-x' }, 'header authorization: scheme recorded "Bearer", got "Basic"'],
  ])('a different %o is decisive', (change, line) => {
    const r = createReplayEngine(rec).handle(send({ ...base, ...change }));
    expect(body(r).nearest[0].differences).toEqual([line]);
  });
});

describe('near misses (WireMock-style ranking)', () => {
  const rec = recordingOf([
    { method: 'GET', url: '/api/v2/warehouses', response: { json: [] } },
    { url: `${LOGIN}?requestId=1`, body: recordedLogin({ LOGIN_NAME: 'ALICE', AUTHENTICATOR: 'SNOWFLAKE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) },
    { url: `${LOGIN}?requestId=2`, body: recordedLogin({ LOGIN_NAME: 'BOB', AUTHENTICATOR: 'SNOWFLAKE', PASSWORD: '__redacted_password_2__' }), response: loginAnswer(2) },
    { url: '/session/heartbeat', body: { json: {} }, response: { json: { success: true } } },
  ]);

  it('the nearest recorded requests come first: fewest differing aspects, then fewest differences', () => {
    const engine = createReplayEngine(rec);
    const r = engine.handle(login({ LOGIN_NAME: 'CAROL', AUTHENTICATOR: 'SNOWFLAKE', PASSWORD: 'x' }));
    expect(r.status).toBe(404);
    const b = body(r);
    expect(b).toMatchObject({ error: 'no recorded exchange matches', request: `POST ${LOGIN}`, recording: 'test-recording' });
    expect(b.nearest).toEqual([
      { exchange: rec.files[1], differences: ['body.data.LOGIN_NAME: recorded "ALICE", got "CAROL"'] },
      { exchange: rec.files[2], differences: ['body.data.LOGIN_NAME: recorded "BOB", got "CAROL"'] },
      { exchange: rec.files[3], differences: expect.arrayContaining(['path: recorded "/session/heartbeat", got "/session/v1/login-request"']) },
    ]);
    const entry = engine.report().entries[0]!;
    expect(entry).toMatchObject({ outcome: 'unmatched', request: `POST ${LOGIN}`, nearest: b.nearest });
  });

  it('tryHandle answers undefined on no match and records nothing as unmatched', () => {
    const engine = createReplayEngine(rec, { strict: true });
    expect(engine.tryHandle(clientRequest('GET', '/nowhere'))).toBeUndefined();
    expect(engine.report()).toMatchObject({ requests: 0, unmatched: 0, failed: false });
    expect(engine.tryHandle(clientRequest('GET', '/api/v2/warehouses'))?.status).toBe(200);
    expect(engine.report()).toMatchObject({ requests: 1, matched: 1 });
  });

  it('strict remembers the failed run; without strict the report says unmatched but not failed', () => {
    const strict = createReplayEngine(rec, { strict: true });
    const seen: string[] = [];
    const lax = createReplayEngine(rec, { onUnmatched: (e) => seen.push(e.request) });
    for (const engine of [strict, lax]) engine.handle(clientRequest('GET', '/nowhere'));
    expect(strict.report()).toMatchObject({ strict: true, failed: true, unmatched: 1 });
    expect(lax.report()).toMatchObject({ strict: false, failed: false, unmatched: 1 });
    expect(seen).toEqual(['GET /nowhere']);
  });

  it('the account in the Host decides when both name one', () => {
    const hosted = recordingOf([{ method: 'GET', url: '/api/v2/warehouses', host: 'myorg-myaccount.localhost:4010', response: { json: [] } }], 'http://127.0.0.1:4010');
    const engine = createReplayEngine(hosted);
    expect(engine.handle({ ...clientRequest('GET', '/api/v2/warehouses'), headers: { host: 'MYORG_MYACCOUNT.snowflakecomputing.com' } }).status).toBe(200);
    const r = engine.handle({ ...clientRequest('GET', '/api/v2/warehouses'), headers: { host: 'other-account.snowflakecomputing.com' } });
    expect(body(r).nearest[0].differences).toEqual(['host: recorded "MYORG-MYACCOUNT", got "OTHER-ACCOUNT"']);
    expect(engine.handle({ ...clientRequest('GET', '/api/v2/warehouses'), headers: { host: '127.0.0.1:5555' } }).status).toBe(200);
  });
});

describe('recordings that pin only some fields (WireMock imports)', () => {
  const specs = [{ url: `${LOGIN}?requestId=r`, body: { json: { data: { LOGIN_NAME: 'MOCK_USERNAME', TOKEN: '__redacted_pat_1__' } } }, response: loginAnswer(1) }];

  it('an import (upstream wiremock:…) lets the client send more fields; the recorded ones still decide', () => {
    const engine = createReplayEngine(recordingOf(specs, 'wiremock:recordings/driver-fixtures/x'));
    expect(engine.handle(login({ LOGIN_NAME: 'MOCK_USERNAME', TOKEN: 'MOCK_TOKEN', AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN' }, 'requestId=1&warehouse=W')).status).toBe(200);
    const e = engine.report().entries[0]!;
    expect(e.outcome === 'matched' && e.differences).toContain('body.data.AUTHENTICATOR: not recorded, got "PROGRAMMATIC_ACCESS_TOKEN"');
    const other = engine.handle(login({ LOGIN_NAME: 'OTHER', TOKEN: 'MOCK_TOKEN' }));
    expect(body(other).nearest[0].differences).toEqual(['body.data.LOGIN_NAME: recorded "MOCK_USERNAME", got "OTHER"']);
  });

  it('a capture does not: an extra field is another request', () => {
    const r = createReplayEngine(recordingOf(specs)).handle(login({ LOGIN_NAME: 'MOCK_USERNAME', TOKEN: 'MOCK_TOKEN', AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN' }, 'requestId=1'));
    expect(body(r).nearest[0].differences).toContain('body.data.AUTHENTICATOR: not recorded, got "PROGRAMMATIC_ACCESS_TOKEN"');
  });
});

describe('resumeAt (a recorded run the client skips parts of)', () => {
  // Two parts of a run send the same request; the first part's second request was never replayed.
  const same = { method: 'GET', url: '/api/v2/warehouses' };
  const rec = recordingOf([
    { ...same, response: { json: ['part 1, first'] } },
    { ...same, status: 403, response: { json: ['part 1, skipped'] } },
    { ...same, response: { json: ['part 2'] } },
  ]);
  const get = (engine: ReturnType<typeof createReplayEngine>): unknown => body(engine.handle(clientRequest('GET', '/api/v2/warehouses')));

  it('without it, identical requests take the recorded answers in order', () => {
    const engine = createReplayEngine(rec);
    expect([get(engine), get(engine), get(engine), get(engine)]).toEqual([['part 1, first'], ['part 1, skipped'], ['part 2'], ['part 2']]);
  });

  it('with it, the unused exchange nearest the cursor answers, so the skipped one is passed over', () => {
    const engine = createReplayEngine(rec);
    expect(get(engine)).toEqual(['part 1, first']);
    expect(engine.lastAnswered()).toBe(0);
    engine.resumeAt(2);
    expect(get(engine)).toEqual(['part 2']);
    // Only then the one left behind, and then the last answer repeats.
    expect([get(engine), get(engine)]).toEqual([['part 1, skipped'], ['part 2']]);
    engine.reset();
    expect(get(engine)).toEqual(['part 1, first']);
  });
});

describe('odd requests', () => {
  it('never make the engine throw: each is answered, as a match or the replay-unmatched 404', () => {
    const rec = recordingOf([
      { url: LOGIN, body: recordedLogin({ TOKEN: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJBIn0.__redacted_jwt_signature_1__' }), response: loginAnswer(1) },
      { url: '/oauth/token-request', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: { form: [['code', '__redacted_oauth_code_1__']] }, response: { json: {} } },
    ]);
    const engine = createReplayEngine(rec);
    const odd = [
      clientRequest('POST', LOGIN, '{"data": {"TOKEN": "not json'),
      clientRequest('POST', LOGIN, loginBody({ TOKEN: 'eyJub3Q.eyJzdWIiOiJBIn0.sig' })),
      clientRequest('POST', LOGIN, loginBody({ TOKEN: 'a.b.c' })),
      clientRequest('POST', LOGIN, { data: [1, null, { x: [] }] }),
      clientRequest('POST', '/oauth/token-request?%zz=%', 'code=%E0%A4%A&code=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      clientRequest('GET', '/' + 'x'.repeat(10_000)),
      { ...clientRequest('POST', LOGIN, ''), headers: { authorization: 'Bearer', 'content-type': ';;;' } },
    ];
    for (const req of odd) expect([200, 404]).toContain(engine.handle(req).status);
    expect(engine.report().requests).toBe(odd.length);
  });
});
