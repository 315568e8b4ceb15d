/**
 * Bearer-token auth on the SQL API over real fetch (msw): each method, expiry on the mock clock,
 * token-type header, network policy, and the journal's explanation.
 */
import { describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { exampleWorld, LOCATOR_HOST } from '../helpers/http-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';
import { call, scalar, useMock } from '../helpers/msw.ts';

const mock = useMock({ world: exampleWorld() });
const CORP_IP = '10.0.0.5';

const aliceJwt = (o: Partial<Parameters<typeof signKeypairJwt>[0]> = {}): Promise<string> =>
  signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: mock.clock.now(), ...o });

describe('programmatic access tokens (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('a valid PAT runs SELECT CURRENT_USER() as its user, in its restricted role', async () => {
    const user = await call('SELECT CURRENT_USER()', { token: 'pat-alice-ci', ip: CORP_IP });
    expect(user.status).toBe(200);
    expect(scalar(user)).toBe('ALICE');
    expect(user.body).toMatchObject({ code: '090001', sqlState: '00000', message: 'Statement executed successfully.', resultSetMetaData: { numRows: 1, format: 'jsonv2' } });
    const role = await call('SELECT CURRENT_ROLE()', { token: 'pat-alice-ci', ip: CORP_IP, tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' });
    expect(scalar(role)).toBe('ANALYST');
    expect(mock.journal.last()).toMatchObject({ decision: 'allowed', authMethod: 'PROGRAMMATIC_ACCESS_TOKEN', user: 'ALICE', role: 'ANALYST', status: 200 });
  });

  it('is rejected with 401 394400 once DAYS_TO_EXPIRY (15) has passed on the mock clock', async () => {
    mock.clock.advance('16d');
    const answer = await call('SELECT 1', { token: 'pat-alice-ci', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ code: '394400', message: 'Programmatic access token is invalid.' });
    expect(mock.journal.last()).toMatchObject({ decision: 'rejected', code: '394400', cause: 'PAT_EXPIRED' });
    expect(mock.journal.last()?.explanation).toMatch(/expire/i);
  });

  it('an unknown secret is 394400 with cause PAT_VALIDATION_FAILED', async () => {
    const answer = await call('SELECT 1', { token: 'pat-nope', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('394400');
    expect(mock.journal.last()?.cause).toBe('PAT_VALIDATION_FAILED');
  });

  it("another account's PAT is refused on this account", async () => {
    const answer = await call('SELECT 1', { token: 'pat-other-alice', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(mock.journal.last()?.cause).toBe('PAT_USER_NOT_ASSOCIATED');
  });
});

describe('network policies (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  it("refuses an IP outside the user's policy with 403 390422 naming the IP", async () => {
    const answer = await call('SELECT 1', { token: 'pat-alice-ci', ip: '192.168.1.5' });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('390422');
    expect(answer.body.message).toContain('192.168.1.5');
    expect(mock.journal.last()?.explanation).toMatch(/192\.168\.1\.5.*CORP_ONLY/);
  });

  it('blocked beats allowed: 10.0.0.99 is inside 10.0.0.0/8 but blocked', async () => {
    expect((await call('SELECT 1', { token: 'pat-alice-ci', ip: '10.0.0.99' })).status).toBe(403);
    expect((await call('SELECT 1', { token: 'pat-alice-ci', ip: '10.0.0.98' })).status).toBe(200);
  });

  it('uses mock.clientIp when the request carries no X-Forwarded-For', async () => {
    mock.clientIp = CORP_IP;
    expect((await call('SELECT 1', { token: 'pat-alice-ci' })).status).toBe(200);
    mock.clientIp = '8.8.8.8';
    expect((await call('SELECT 1', { token: 'pat-alice-ci' })).status).toBe(403);
  });

  it('seed precedence (default): the user-level policy overrides the OAuth integration policy', async () => {
    // ALICE: user policy CORP_ONLY (10/8); MY_APP: INTEGRATION_ONLY (192.168/16).
    expect((await call('SELECT 1', { token: 'oauth-alice-token', ip: CORP_IP })).status).toBe(200);
    expect((await call('SELECT 1', { token: 'oauth-alice-token', ip: '192.168.1.1' })).status).toBe(403);
  });

  it('the integration policy overrides the account policy for a user without one', async () => {
    expect((await call('SELECT 1', { token: 'oauth-bot-token', ip: '192.168.1.1' })).status).toBe(200);
    expect((await call('SELECT 1', { token: 'oauth-bot-token', ip: '8.8.8.8' })).status).toBe(403);
  });
});

describe('network policy precedence switch: current-docs (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  const docs = useMock({ world: exampleWorld((w) => void (w.switches = { network_policy_precedence: 'current-docs' })) });
  it('the integration policy wins and the user policy is ignored for OAuth token traffic', async () => {
    expect(docs.world.model.switches.networkPolicyPrecedence).toBe('current-docs');
    expect((await call('SELECT 1', { token: 'oauth-alice-token', ip: '192.168.1.1' })).status).toBe(200);
    expect((await call('SELECT 1', { token: 'oauth-alice-token', ip: CORP_IP })).status).toBe(403);
  });
  it('the user policy still governs PAT traffic', async () => {
    expect((await call('SELECT 1', { token: 'pat-alice-ci', ip: CORP_IP })).status).toBe(200);
    expect((await call('SELECT 1', { token: 'pat-alice-ci', ip: '192.168.1.1' })).status).toBe(403);
  });
});

describe('OAuth access tokens (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview)', () => {
  it('a valid token runs as its user and role', async () => {
    const answer = await call('SELECT CURRENT_USER(), CURRENT_ROLE()', { token: 'oauth-alice-token', tokenType: 'OAUTH', ip: CORP_IP });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual([['ALICE', 'ANALYST']]);
  });

  it('an unknown token is 401 390303 with no success/data envelope', async () => {
    const answer = await call('SELECT 1', { token: 'oauth-nope', tokenType: 'OAUTH', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(Object.keys(answer.body).sort()).toEqual(['code', 'message']);
    expect(answer.body.code).toBe('390303');
    expect(answer.body.message).toMatch(/^Invalid OAuth access token\. \[\d{13}\]$/);
  });

  it('an expired token is 390303 by default', async () => {
    mock.clock.advance('601s');
    const answer = await call('SELECT 1', { token: 'oauth-alice-token', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('390303');
    expect(mock.journal.last()?.cause).toBe('OAUTH_TOKEN_EXPIRED');
  });

  it("another account's token is refused", async () => {
    const answer = await call('SELECT 1', { token: 'oauth-other-token', ip: CORP_IP });
    expect(answer.body.code).toBe('390303');
    expect(mock.journal.last()?.cause).toBe('OAUTH_TOKEN_WRONG_ACCOUNT');
  });
});

describe('BCR 2026_07 switch (https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_07/bcr-2421)', () => {
  const bcr = useMock({ world: exampleWorld((w) => void (w.switches = { bcr_2026_07: true })) });
  it('an expired OAuth token answers 390318 "OAuth access token expired."', async () => {
    bcr.clock.advance('11m');
    const answer = await call('SELECT 1', { token: 'oauth-alice-token', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('390318');
    expect(answer.body.message).toMatch(/^OAuth access token expired\./);
  });
});

describe('key-pair JWT (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating)', () => {
  it('a JWT signed with the registered key authenticates its user (header omitted: type inferred)', async () => {
    const answer = await call('SELECT CURRENT_USER()', { token: await aliceJwt(), ip: CORP_IP });
    expect(answer.status).toBe(200);
    expect(scalar(answer)).toBe('ALICE');
    expect(mock.journal.last()).toMatchObject({ authMethod: 'KEYPAIR_JWT', user: 'ALICE' });
  });

  it('a JWT naming the locator works on the locator host', async () => {
    const answer = await call('SELECT CURRENT_ACCOUNT()', { token: await aliceJwt({ account: 'XY12345' }), host: LOCATOR_HOST, ip: CORP_IP, tokenType: 'KEYPAIR_JWT' });
    expect(answer.status).toBe(200);
    expect(scalar(answer)).toBe('XY12345');
  });

  it('one JWT is reused for 50 minutes, then refused after its 1 h cap', async () => {
    const token = await aliceJwt({ lifetimeSeconds: 7200 });
    expect((await call('SELECT 1', { token, ip: CORP_IP })).status).toBe(200);
    mock.clock.advance('50m');
    expect((await call('SELECT 1', { token, ip: CORP_IP })).status).toBe(200);
    mock.clock.advance('11m');
    const late = await call('SELECT 1', { token, ip: CORP_IP });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('390144');
    expect(mock.journal.last()?.cause).toBe('394303');
  });

  it('a JWT first seen 61 s after iat is refused (60 s window)', async () => {
    const token = await aliceJwt({ iat: mock.clock.now() - 61_000 });
    const answer = await call('SELECT 1', { token, ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('390144');
    expect(answer.body.message).toMatch(/^JWT token is invalid\. \[[0-9a-f-]{36}\]$/);
    expect(mock.journal.last()?.cause).toBe('394302');
  });

  it('the wrong key is generic 390144 on the wire, 394304 in the journal', async () => {
    const answer = await call('SELECT 1', { token: await aliceJwt({ privateKey: privateKeyPem('bob') }), ip: CORP_IP });
    expect(answer.body.code).toBe('390144');
    expect(mock.journal.last()?.cause).toBe('394304');
  });

  it('garbage tokens of any size are 401, never 500', async () => {
    for (const token of ['a.b.c', 'x'.repeat(10_000), `eyJ${'A'.repeat(200)}.e30.sig`]) {
      const answer = await call('SELECT 1', { token, tokenType: 'KEYPAIR_JWT', ip: CORP_IP });
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('390144');
    }
    const huge = await call('SELECT 1', { token: 'y'.repeat(1024 * 1024), ip: CORP_IP });
    expect(huge.status).toBe(401);
  });
});

describe('JWT specific-errors switch (https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting)', () => {
  const specific = useMock({ world: exampleWorld((w) => void (w.switches = { jwt_specific_errors: true })) });
  it('puts 394304 on the wire', async () => {
    const token = await signKeypairJwt({ privateKey: privateKeyPem('bob'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: specific.clock.now() });
    const answer = await call('SELECT 1', { token, ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('394304');
  });
});

describe('Authorization header and token type (https://docs.snowflake.com/en/developer-guide/sql-api/reference)', () => {
  it('no Authorization header → 401 390303', async () => {
    const answer = await call('SELECT 1', { ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('390303');
    expect(mock.journal.last()?.cause).toBe('TOKEN_MISSING');
  });

  it('a non-Bearer scheme → 401 390303', async () => {
    const answer = await call('SELECT 1', { ip: CORP_IP, headers: { authorization: 'Basic YWxpY2U6eA==' } });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('390303');
  });

  it('a PAT sent as OAUTH is refused, and the journal says the header and token disagree', async () => {
    const answer = await call('SELECT 1', { token: 'pat-alice-ci', tokenType: 'OAUTH', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('390303');
    expect(mock.journal.last()?.cause).toBe('TOKEN_TYPE_MISMATCH');
  });

  it('a JWT sent as PROGRAMMATIC_ACCESS_TOKEN is refused', async () => {
    const answer = await call('SELECT 1', { token: await aliceJwt(), tokenType: 'PROGRAMMATIC_ACCESS_TOKEN', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('394400');
    expect(mock.journal.last()?.cause).toBe('TOKEN_TYPE_MISMATCH');
  });

  it('an unknown token type value is refused', async () => {
    const answer = await call('SELECT 1', { token: 'pat-alice-ci', tokenType: 'PASSWORD', ip: CORP_IP });
    expect(answer.status).toBe(401);
    expect(mock.journal.last()?.cause).toBe('TOKEN_TYPE_UNKNOWN');
  });

  it('a 1 MB header does not break the mock', async () => {
    const answer = await call('SELECT 1', { token: 'pat-alice-ci', ip: CORP_IP, headers: { 'x-padding': 'p'.repeat(1024 * 1024) } });
    expect(answer.status).toBe(200);
  });
});

describe('journal', () => {
  it('records every request with a decision and a one-line explanation', async () => {
    await call('SELECT 1', { token: 'pat-alice-ci', ip: CORP_IP });
    await call('SELECT 1', { token: 'pat-alice-ci', ip: '1.2.3.4' });
    const [ok, refused] = mock.journal.entries();
    expect(ok).toMatchObject({ seq: expect.any(Number), method: 'POST', path: '/api/v2/statements', account: 'MYORG-MYACCOUNT', clientIp: CORP_IP, decision: 'allowed', status: 200 });
    expect(refused).toMatchObject({ decision: 'rejected', status: 403, code: '390422', clientIp: '1.2.3.4' });
    for (const e of [ok!, refused!]) expect(e.explanation).not.toContain('\n');
    expect(refused!.at).toBe('2026-03-01T12:00:00.000Z');
  });
});
