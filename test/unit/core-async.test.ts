/**
 * The core's answer is synchronous unless jose has work to do (a first-sight signature, a token the
 * mock IdP signs): then a promise, which never rejects. Either way the journal records the request
 * exactly once, when its answer is known, and injected faults apply.
 */
import { describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { createCore, type MockCore } from '../../http/core.ts';
import type { MockRequest, MockResponse } from '../../http/record.ts';
import { exampleWorld } from '../helpers/http-world.ts';
import { privateKeyPem, publicKeyPem } from '../helpers/keys.ts';
import { loadWorldFile } from '../../api/world-file.ts';

const HOST = 'myorg-myaccount.snowflakecomputing.com';

function setup(): MockCore {
  return createCore({ config: exampleWorld(), seed: 3, clientIp: '10.0.0.5' });
}

const statement = (token: string): MockRequest => ({
  method: 'POST', host: HOST, path: '/api/v2/statements', query: '', clientIp: '10.0.0.5',
  headers: { authorization: `Bearer ${token}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT', 'content-type': 'application/json', accept: 'application/json' },
  body: '{"statement":"SELECT 1"}',
});

const aliceJwt = (core: MockCore) => signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: core.clock.now() });

describe('the core answers a first-sight JWT with a promise, a reused one at once', () => {
  it('journals the request once, when the promise settles; the reuse is a plain response', async () => {
    const core = setup();
    const token = await aliceJwt(core);
    const pending = core.handle(statement(token));
    expect(pending).toBeInstanceOf(Promise);
    expect(core.journal.entries()).toHaveLength(0);
    expect((await pending).status).toBe(200);
    expect(core.journal.entries()).toHaveLength(1);
    expect(core.journal.last()).toMatchObject({ decision: 'allowed', authMethod: 'KEYPAIR_JWT', user: 'ALICE' });
    const reused = core.handle(statement(token));
    expect(reused).not.toBeInstanceOf(Promise);
    expect((reused as MockResponse).status).toBe(200);
    expect(core.journal.entries()).toHaveLength(2);
  });

  it('a refused signature keeps its wire code and cause (390144, 394306)', async () => {
    const core = setup();
    // Signed by bob's key, naming alice's fingerprint: the slot matches, the signature does not.
    const forged = await signKeypairJwt({ privateKey: privateKeyPem('bob'), publicKey: publicKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: core.clock.now() });
    const answer = await core.handle(statement(forged));
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ code: '390144' });
    expect(core.journal.entries()).toHaveLength(1);
    expect(core.journal.last()).toMatchObject({ decision: 'rejected', code: '390144', cause: '394306' });
  });

  it('a delay fault still applies to an answer that waited for jose', async () => {
    const core = setup();
    core.faults.inject({ path: '/api/v2/statements', delay: 250 });
    const answer = await core.handle(statement(await aliceJwt(core)));
    expect(answer).toMatchObject({ status: 200, fault: { delayMs: 250 } });
    expect(core.journal.entries()).toHaveLength(1);
    expect(core.journal.last()!.explanation).toMatch(/\(fault: /);
  });

  it('a status fault answers before any jose work', () => {
    const core = setup();
    core.faults.inject({ path: '/api/v2/statements', status: 503 });
    const answer = core.handle(statement('eyJhbGciOiJSUzI1NiJ9.e30.sig'));
    expect(answer).not.toBeInstanceOf(Promise);
    expect((answer as MockResponse).status).toBe(503);
  });

  it('never rejects: a failure while jose works is the internal-error answer, journaled once as an error', async () => {
    const core = setup();
    const jwt = core.stores.jwt;
    (jwt as { verify: typeof jwt.verify }).verify = () => Promise.reject(new Error('jose blew up'));
    const answer = await core.handle(statement(await aliceJwt(core)));
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ code: '999000', message: expect.stringMatching(/^snowflake-auth-mock internal error/) });
    expect(core.journal.entries()).toHaveLength(1);
    expect(core.journal.last()).toMatchObject({ decision: 'error', code: '999000', explanation: 'mock error: Error: jose blew up' });
  });
});

describe('the mock IdP signs with jose: its token endpoint and JWKS answer with a promise', () => {
  it('journals the token request and the JWKS request once each; refusals come at once', async () => {
    const core = createCore({ config: loadWorldFile('scenarios/external-oauth/worlds/idp.yaml'), seed: 3 });
    const idp = (r: Partial<MockRequest>) => core.handle({ method: 'POST', host: 'idp.example.com', path: '/oauth2/default/v1/token', query: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', clientIp: '127.0.0.1', ...r });
    const issued = idp({ body: 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret' });
    expect(issued).toBeInstanceOf(Promise);
    const token = JSON.parse((await issued).body).access_token as string;
    expect(token).toMatch(/^eyJ/);
    const refused = idp({ body: 'grant_type=client_credentials&client_id=etl&client_secret=wrong' });
    expect(refused).not.toBeInstanceOf(Promise);
    const jwks = await idp({ method: 'GET', path: '/oauth2/default/v1/keys' });
    expect(JSON.parse(jwks.body).keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(core.journal.entries().map((e) => e.decision)).toEqual(['allowed', 'rejected', 'allowed']);
  });
});

describe('a reset while jose works (decisions/0011)', () => {
  const post = (path: string, body: unknown, token?: string): MockRequest => ({
    method: 'POST', host: HOST, path, query: 'requestId=r1', clientIp: '10.0.0.5', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: 'application/snowflake', ...(token !== undefined && { authorization: `Snowflake Token="${token}"` }) },
  });
  const jwtLogin = (token: string) => post('/session/v1/login-request', { data: { ACCOUNT_NAME: 'MYORG-MYACCOUNT', LOGIN_NAME: 'ALICE', AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: token } });

  it('an answer that settles after reset() leaves no journal entry and no session in the new state', async () => {
    const core = setup();
    const pending = core.handle(jwtLogin(await aliceJwt(core)));
    expect(pending).toBeInstanceOf(Promise);
    core.reset();
    const answer = await pending;
    const body = JSON.parse(answer.body) as { success: boolean; data: { token: string } };
    expect(body.success).toBe(true); // decided against the state it arrived in
    expect(core.journal.entries()).toHaveLength(0);
    const query = await core.handle(post('/queries/v1/query-request', { sqlText: 'SELECT 1' }, body.data.token));
    expect(JSON.parse(query.body)).toMatchObject({ success: false, code: '390104' });
  });

  it('without a reset the same login is journaled and its session works', async () => {
    const core = setup();
    const body = JSON.parse((await core.handle(jwtLogin(await aliceJwt(core)))).body) as { data: { token: string } };
    expect(core.journal.entries()).toHaveLength(1);
    const query = await core.handle(post('/queries/v1/query-request', { sqlText: 'SELECT 1' }, body.data.token));
    expect(JSON.parse(query.body)).toMatchObject({ success: true });
  });
});
