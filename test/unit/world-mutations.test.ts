import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { createIds } from '../../domain/ids.ts';
import { buildWorld } from '../../domain/world/build.ts';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import type { OAuthIntegration, World } from '../../domain/world/model.ts';
import {
  addOAuthAccessToken, addPat, disableUser, findAccount, findUser, grantRole, removePat, revokeRole, rotatePat,
  setIntegrationEnabled, setNetworkPolicy, setPatDisabled, setRsaPublicKey,
} from '../../domain/world/mutations.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ACCOUNT = 'MYORG-MYACCOUNT';
const ids = createIds(3);

function world(): World {
  return buildWorld(defaultWorldConfig(), { now: NOW, ids: createIds(3) });
}

const pat = (w: World, user: string, name: string) => findUser(w, ACCOUNT, user).programmaticAccessTokens.find((p) => p.name === name);

describe('lookups', () => {
  it('find accounts by name or locator and users by NAME, case-insensitively', () => {
    const w = world();
    expect(findAccount(w, 'xy12345').name).toBe(ACCOUNT);
    expect(findUser(w, 'myorg-myaccount', 'etl_bot').name).toBe('ETL_BOT');
  });

  it('say what is unknown, with a suggestion', () => {
    const w = world();
    expect(() => findUser(w, ACCOUNT, 'ALICEE')).toThrowError('unknown user "ALICEE" in account MYORG-MYACCOUNT; did you mean "ALICE"?');
    expect(() => findAccount(w, 'OTHER')).toThrowError(/^unknown account "OTHER" \(accounts: MYORG-MYACCOUNT\)/);
    expect(() => setPatDisabled(w, ACCOUNT, 'ALICE', 'CII')).toThrowError('user ALICE has no programmatic access token "CII"; did you mean "CI"?');
  });
});

describe('disableUser (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('disables the user and its PATs, which stay disabled after re-enabling', () => {
    const w = world();
    disableUser(w, ACCOUNT, 'alice');
    expect(findUser(w, ACCOUNT, 'ALICE').disabled).toBe(true);
    expect(pat(w, 'ALICE', 'CI')!.disabled).toBe(true);
    disableUser(w, ACCOUNT, 'ALICE', false);
    expect(findUser(w, ACCOUNT, 'ALICE').disabled).toBe(false);
    expect(pat(w, 'ALICE', 'CI')!.disabled).toBe(true);
  });
});

describe('PAT lifecycle', () => {
  it('setPatDisabled and removePat', () => {
    const w = world();
    setPatDisabled(w, ACCOUNT, 'ALICE', 'ci');
    expect(pat(w, 'ALICE', 'CI')!.disabled).toBe(true);
    setPatDisabled(w, ACCOUNT, 'ALICE', 'CI', false);
    expect(pat(w, 'ALICE', 'CI')!.disabled).toBe(false);
    expect(removePat(w, ACCOUNT, 'ALICE', 'CI').secret).toBe('pat-alice-ci');
    expect(pat(w, 'ALICE', 'CI')).toBeUndefined();
    expect(() => removePat(w, ACCOUNT, 'ALICE', 'CI')).toThrowError(/no programmatic access token "CI"/);
  });

  it('rotatePat issues a new secret and keeps the old one for 24 h by default', () => {
    const w = world();
    const later = NOW + DAY;
    const out = rotatePat(w, ACCOUNT, 'ALICE', 'CI', { now: later, ids });
    const p = pat(w, 'ALICE', 'CI')!;
    expect(out).toEqual({ tokenName: 'CI', tokenSecret: p.secret, rotatedTokenName: `CI_ROTATED_${later}` });
    expect(out.tokenSecret).toMatch(/^pat-[A-Za-z0-9]{40}$/);
    expect(p.rotated).toEqual([{ name: `CI_ROTATED_${later}`, secret: 'pat-alice-ci', expiresAt: later + 24 * HOUR }]);
    expect([p.createdAt, p.expiresAt, p.daysToExpiry]).toEqual([later, later + 15 * DAY, 15]);
  });

  it('rotatePat takes 0 … hours-left for the old secret', () => {
    const w = world();
    rotatePat(w, ACCOUNT, 'ALICE', 'CI', { now: NOW, ids, expireRotatedTokenAfterHours: 0 });
    expect(pat(w, 'ALICE', 'CI')!.rotated[0]!.expiresAt).toBe(NOW);
    const nearEnd = NOW + 15 * DAY - 2 * HOUR;
    expect(() => rotatePat(w, ACCOUNT, 'ALICE', 'CI', { now: nearEnd, ids, expireRotatedTokenAfterHours: 3 })).toThrowError(
      'expireRotatedTokenAfterHours must be a whole number from 0 to 2 (the hours left on PAT CI), got 3',
    );
  });

  it('addPat creates a token with the policy defaults', () => {
    const w = world();
    const out = addPat(w, ACCOUNT, 'alice', { name: 'nightly', comment: 'n' }, { now: NOW, ids });
    expect(out.tokenName).toBe('NIGHTLY');
    expect(pat(w, 'ALICE', 'NIGHTLY')).toMatchObject({
      secret: out.tokenSecret, roleRestriction: undefined, daysToExpiry: 15, createdAt: NOW, expiresAt: NOW + 15 * DAY,
      disabled: false, minsToBypassNetworkPolicyRequirement: 0, rotated: [], comment: 'n',
    });
  });

  it('addPat applies Snowflake\'s rules (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
    const w = world();
    const add = (user: string, spec: Parameters<typeof addPat>[3]) => () => addPat(w, ACCOUNT, user, spec, { now: NOW, ids });
    expect(add('ALICE', { name: 'ci' })).toThrowError('user ALICE already has a programmatic access token named CI');
    expect(add('ALICE', { name: 'my-token' })).toThrowError(/must be at most 255 letters, digits and underscores/);
    expect(add('ALICE', { name: 'T', roleRestriction: 'ACCOUNTADMIN' })).toThrowError(/role "ACCOUNTADMIN" is not granted to user ALICE/);
    expect(add('ALICE', { name: 'T', roleRestriction: 'NOPE' })).toThrowError(/role "NOPE" does not exist/);
    expect(add('ALICE', { name: 'T', daysToExpiry: 366 })).toThrowError('daysToExpiry must be a whole number from 1 to 365, got 366');
    expect(add('ALICE', { name: 'T', minsToBypassNetworkPolicyRequirement: 1441 })).toThrowError(/from 0 to 1440/);
    expect(add('ALICE', { name: 'T', secret: 'pat-etl-bot' })).toThrowError(/already used/);
    expect(add('ETL_BOT', { name: 'T' })).toThrowError('user ETL_BOT is a SERVICE user, so its PATs need a roleRestriction (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)');
    setNetworkPolicy(w, ACCOUNT, 'account', null);
    expect(add('ETL_BOT', { name: 'T', roleRestriction: 'SYSADMIN' })).toThrowError(/subject to no network policy/);
    expect(add('ALICE', { name: 'T' })).not.toThrow(); // a PERSON may generate without a policy
  });

  it('addPat allows 15 live tokens per user; expired ones do not count', () => {
    const w = world();
    for (let i = 1; i < 15; i++) addPat(w, ACCOUNT, 'ALICE', { name: `T${i}`, daysToExpiry: 1 }, { now: NOW, ids });
    expect(() => addPat(w, ACCOUNT, 'ALICE', { name: 'T15' }, { now: NOW, ids })).toThrowError(/already has 15 programmatic access tokens/);
    expect(addPat(w, ACCOUNT, 'ALICE', { name: 'T15' }, { now: NOW + 2 * DAY, ids }).tokenName).toBe('T15');
  });
});

describe('keys, policies, roles, integrations, tokens', () => {
  it('setRsaPublicKey sets and unsets a slot, refusing weak keys', () => {
    const w = world();
    const slot = setRsaPublicKey(w, ACCOUNT, 'ALICE', 2, readFileSync('fixtures/keys/alice-rotated.pub', 'utf8'));
    expect(findUser(w, ACCOUNT, 'ALICE').rsaPublicKey2).toBe(slot);
    expect(slot).toMatchObject({ slot: 'RSA_PUBLIC_KEY_2' });
    setRsaPublicKey(w, ACCOUNT, 'ALICE', 1, null);
    expect(findUser(w, ACCOUNT, 'ALICE').rsaPublicKey).toBeUndefined();
    expect(() => setRsaPublicKey(w, ACCOUNT, 'ALICE', 1, readFileSync('fixtures/keys/weak-1024.pub', 'utf8'))).toThrowError(
      'not a usable public key for user ALICE: RSA key is 1024 bits; Snowflake requires at least 2048 bits (https://docs.snowflake.com/en/user-guide/key-pair-auth)',
    );
    expect(findUser(w, ACCOUNT, 'ALICE').rsaPublicKey).toBeUndefined();
  });

  it('setNetworkPolicy at account, user and integration level', () => {
    const w = world();
    const account = findAccount(w, ACCOUNT);
    setNetworkPolicy(w, ACCOUNT, 'account', 'corp_only');
    setNetworkPolicy(w, ACCOUNT, { user: 'bob' }, null);
    setNetworkPolicy(w, ACCOUNT, { integration: 'my_app' }, 'CORP_ONLY');
    expect(account.networkPolicy).toBe('CORP_ONLY');
    expect(findUser(w, ACCOUNT, 'BOB').networkPolicy).toBeUndefined();
    expect((account.securityIntegrations.get('MY_APP') as OAuthIntegration).networkPolicy).toBe('CORP_ONLY');
    expect(() => setNetworkPolicy(w, ACCOUNT, 'account', 'CORP_ONL')).toThrowError('network policy "CORP_ONL" does not exist in account MYORG-MYACCOUNT; did you mean "CORP_ONLY"?');
    expect(() => setNetworkPolicy(w, ACCOUNT, { integration: 'SOME_API_AUTHENTICATION_SECURITY_INTEGRATION' }, null)).toThrowError(/of type API_AUTHENTICATION/);
  });

  it('grantRole and revokeRole', () => {
    const w = world();
    grantRole(w, ACCOUNT, 'BOB', 'sysadmin');
    expect(findUser(w, ACCOUNT, 'BOB').roles.has('SYSADMIN')).toBe(true);
    revokeRole(w, ACCOUNT, 'BOB', 'SYSADMIN');
    expect(findUser(w, ACCOUNT, 'BOB').roles.has('SYSADMIN')).toBe(false);
    expect(() => grantRole(w, ACCOUNT, 'BOB', 'ANALYS')).toThrowError('role "ANALYS" does not exist in account MYORG-MYACCOUNT; did you mean "ANALYST"?');
    expect(() => revokeRole(w, ACCOUNT, 'BOB', 'PUBLIC')).toThrowError(/cannot be revoked/);
    expect(() => revokeRole(w, ACCOUNT, 'BOB', 'SYSADMIN')).toThrowError(/has not been granted role "SYSADMIN"/);
  });

  it('setIntegrationEnabled', () => {
    const w = world();
    setIntegrationEnabled(w, ACCOUNT, 'my_app', false);
    expect(findAccount(w, ACCOUNT).securityIntegrations.get('MY_APP')!.enabled).toBe(false);
    expect(() => setIntegrationEnabled(w, ACCOUNT, 'NOPE', true)).toThrowError(/unknown security integration "NOPE"/);
  });

  it('addOAuthAccessToken with defaults, durations and checks', () => {
    const w = world();
    const a = addOAuthAccessToken(w, ACCOUNT, { user: 'bob', integration: 'my_app' }, { now: NOW, ids });
    expect(a).toMatchObject({ user: 'BOB', role: 'ANALYST', expiresAt: NOW + 600_000, integration: 'MY_APP' });
    expect(findAccount(w, ACCOUNT).oauthAccessTokens).toContain(a);
    expect(addOAuthAccessToken(w, ACCOUNT, { token: 't', user: 'ALICE', expiresIn: '1h' }, { now: NOW, ids }).expiresAt).toBe(NOW + HOUR);
    expect(addOAuthAccessToken(w, ACCOUNT, { token: 'u', user: 'ALICE', expiresAt: '2026-01-02T00:00:00Z' }, { now: NOW, ids }).expiresAt).toBe(NOW + 24 * HOUR);
    expect(() => addOAuthAccessToken(w, ACCOUNT, { token: 't', user: 'ALICE' }, { now: NOW, ids })).toThrowError(/already used/);
    expect(() => addOAuthAccessToken(w, ACCOUNT, { user: 'ALICE', role: 'BOSS' }, { now: NOW, ids })).toThrowError(/role "BOSS" does not exist/);
    expect(() => addOAuthAccessToken(w, ACCOUNT, { user: 'ALICE', expiresIn: 'soon' }, { now: NOW, ids })).toThrowError(/expiresIn must be seconds/);
  });
});
