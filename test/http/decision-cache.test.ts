/**
 * The bearer decision cache (DESIGN.md §5.8): an accepted credential is reused only while nothing
 * it depends on has changed. Each test would fail if the cache ignored that dependency.
 */
import { describe, expect, it } from 'vitest';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { privateKeyPem } from '../helpers/keys.ts';
import { exampleWorld } from '../helpers/http-world.ts';
import { call, useMock } from '../helpers/msw.ts';

const mock = useMock({ world: exampleWorld(), clientIp: '10.0.0.5' });
const pat = { token: 'pat-alice-ci' };

describe('decision cache', () => {
  it('reuses an accepted PAT decision (the second request is decided from the cache)', async () => {
    expect((await call('SELECT 1', pat)).status).toBe(200);
    expect((await call('SELECT 1', pat)).status).toBe(200);
    expect(mock.core.stores.decisions?.size).toBe(1);
  });

  it('is not reused after the credential expires', async () => {
    expect((await call('SELECT 1', pat)).status).toBe(200);
    mock.clock.advance('15d');
    expect((await call('SELECT 1', pat)).status).toBe(401);
  });

  it('is not reused from another client IP', async () => {
    expect((await call('SELECT 1', pat)).status).toBe(200);
    expect((await call('SELECT 1', { ...pat, ip: '8.8.8.8' })).status).toBe(403);
  });

  it('is not reused on another account (a token accepted on one account is judged afresh on another)', async () => {
    expect((await call('SELECT 1', { token: 'pat-other-alice', host: 'https://otherorg-other.snowflakecomputing.com' })).status).toBe(200);
    const other = await call('SELECT 1', { token: 'pat-other-alice' });
    expect(other.status).toBe(401);
    expect(other.body.code).toBe('394400');
    expect(mock.journal.last()?.cause).toBe('PAT_USER_NOT_ASSOCIATED');
  });

  it('is not reused with another token-type header', async () => {
    expect((await call('SELECT 1', pat)).status).toBe(200);
    expect((await call('SELECT 1', { ...pat, tokenType: 'OAUTH' })).status).toBe(401);
  });

  it('is dropped by any world change (disable the PAT)', async () => {
    expect((await call('SELECT 1', pat)).status).toBe(200);
    mock.world.disablePat('ALICE', 'CI');
    expect((await call('SELECT 1', pat)).status).toBe(401);
    expect(mock.journal.last()?.cause).toBe('PAT_DISABLED');
  });

  it('is not reused when the clock is set back before the decision', async () => {
    mock.clock.advance('1d');
    expect((await call('SELECT 1', pat)).status).toBe(200);
    const decisions = mock.core.stores.decisions!;
    expect(decisions.get('pat-alice-ci', 'MYORG-MYACCOUNT', undefined, '10.0.0.5', mock.clock.now())).toBeDefined();
    mock.clock.advance('-1h');
    expect(decisions.get('pat-alice-ci', 'MYORG-MYACCOUNT', undefined, '10.0.0.5', mock.clock.now())).toBeUndefined();
  });

  it('does not keep accepting an OAuth token revoked in its store', async () => {
    expect((await call('SELECT 1', { token: 'oauth-alice-token' })).status).toBe(200);
    mock.core.stores.oauthTokens.revoke('oauth-alice-token');
    const answer = await call('SELECT 1', { token: 'oauth-alice-token' });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('390303');
  });

  it('never caches a refusal', async () => {
    expect((await call('SELECT 1', { token: 'pat-nope' })).status).toBe(401);
    expect(mock.core.stores.decisions?.size).toBe(0);
  });

  it("ends at the rotated secret's grace end, not at the PAT's expiry", async () => {
    const { tokenSecret } = mock.world.rotatePat('ALICE', 'CI', { expireRotatedTokenAfterHours: 2 });
    expect((await call('SELECT 1', pat)).status).toBe(200); // the old secret, cached until its grace ends
    mock.clock.advance('1h59m');
    expect((await call('SELECT 1', pat)).status).toBe(200);
    mock.clock.advance('2m');
    expect((await call('SELECT 1', pat)).status).toBe(401);
    expect(mock.journal.last()?.cause).toBe('PAT_EXPIRED');
    expect((await call('SELECT 1', { token: tokenSecret })).status).toBe(200);
  });

  it("ends when a PAT's network-policy bypass window ends", async () => {
    mock.world.setNetworkPolicy('account', null);
    mock.world.setNetworkPolicy({ user: 'ALICE' }, null);
    const { tokenSecret } = mock.world.addPat('ALICE', { name: 'BYPASS', roleRestriction: 'ANALYST', minsToBypassNetworkPolicyRequirement: 30 });
    expect((await call('SELECT 1', { token: tokenSecret })).status).toBe(200);
    mock.clock.advance('29m');
    expect((await call('SELECT 1', { token: tokenSecret })).status).toBe(200);
    mock.clock.advance('2m');
    expect((await call('SELECT 1', { token: tokenSecret })).status).toBe(401);
    expect(mock.journal.last()?.cause).toBe('PAT_NETWORK_POLICY_REQUIRED');
  });
});

describe('key-pair JWT first sight survives world changes (decision 0003)', () => {
  it('a JWT in use for 5 minutes still works after an unrelated world change', async () => {
    const token = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: mock.clock.now() });
    expect((await call('SELECT 1', { token })).status).toBe(200);
    mock.clock.advance('5m');
    mock.world.grantRole('ALICE', 'ACCOUNTADMIN');
    expect((await call('SELECT 1', { token })).status).toBe(200);
    mock.world.setSwitches({ jwtSpecificErrors: true });
    expect((await call('SELECT 1', { token })).status).toBe(200);
  });
});

describe('far-future values never break an answer', () => {
  it('an OAuth token expiring beyond the range of dates still authenticates', async () => {
    const t = mock.world.issueOAuthToken({ user: 'ALICE', expiresIn: 1e13 });
    const answer = await call('SELECT CURRENT_USER()', { token: t.token });
    expect(answer.status).toBe(200);
    expect(mock.journal.last()?.explanation).toContain('expires');
  });

  it('the clock refuses a date out of range instead of breaking later', () => {
    expect(() => mock.clock.set(1e20)).toThrow(/out of the range of dates/);
  });
});
