/**
 * The bearer decision cache (DESIGN.md §5.8): an accepted credential is reused only while nothing
 * it depends on has changed. Each test would fail if the cache ignored that dependency.
 */
import { describe, expect, it } from 'vitest';
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
});
