import { describe, expect, it } from 'vitest';
import type { AuthContext, AuthOutcome } from '../../domain/auth/context.ts';
import { authenticateOAuthToken, createOAuthTokenStore, type IssuedOAuthToken, type OAuthTokenCause } from '../../domain/auth/oauth-token.ts';
import type { Switches } from '../../domain/world/model.ts';
import { HOUR, MINUTE, T0, makeAccount, makeAuthContext, makeOAuthIntegration, makeOAuthToken, makeUser, makeWorld } from '../helpers/world-builder.ts';

const EXPIRES = T0 + 10 * MINUTE;

/** ALICE (ANALYST) in MYORG-MYACCOUNT holding token `tok` for ANALYST via MY_APP; BOB's account beside it. */
function setup(options: { now?: number; switches?: Partial<Switches> } = {}) {
  const alice = makeUser({ name: 'ALICE', roles: ['ANALYST'], defaultRole: 'ANALYST' });
  const integration = makeOAuthIntegration({ name: 'MY_APP' });
  const account = makeAccount({
    users: [alice],
    securityIntegrations: [integration],
    oauthAccessTokens: [makeOAuthToken({ token: 'tok', user: 'ALICE', role: 'ANALYST', integration: 'MY_APP', expiresAt: EXPIRES })],
  });
  const other = makeAccount({ name: 'ORG-OTHER', users: [makeUser({ name: 'BOB' })], oauthAccessTokens: [makeOAuthToken({ token: 'bob-tok', user: 'BOB' })] });
  const world = makeWorld({ accounts: [account, other], ...(options.switches && { switches: options.switches }) });
  return { alice, integration, account, ctx: makeAuthContext(world, { now: options.now ?? T0 + MINUTE }) };
}

/** A Snowflake OAuth token is judged at once: only an External OAuth JWT waits for jose. */
function authenticate(token: string, ctx: AuthContext): AuthOutcome {
  const outcome = authenticateOAuthToken(token, ctx);
  if (outcome instanceof Promise) throw new Error('expected a synchronous answer');
  return outcome;
}

function expectRefusal(outcome: AuthOutcome, code: string, cause: OAuthTokenCause): string {
  if (outcome.ok) throw new Error(`expected ${cause}, got success: ${outcome.explanation}`);
  expect(outcome.method).toBe('OAUTH');
  expect(outcome.rejection.code).toBe(code);
  expect(outcome.rejection.cause).toBe(cause);
  return outcome.rejection.explanation;
}

describe('authenticateOAuthToken (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview, https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_07/bcr-2421)', () => {
  it('accepts a valid token with its role and integration', () => {
    const outcome = authenticate('tok', setup().ctx);
    expect(outcome).toMatchObject({ ok: true, method: 'OAUTH', role: 'ANALYST', integration: 'MY_APP', user: { name: 'ALICE' } });
    if (outcome.ok) expect(outcome.explanation).toBe('OAuth token of ALICE (role ANALYST, integration MY_APP, expires 2026-01-01T00:10:00.000Z)');
  });

  it('refuses an unknown token with 390303', () => {
    expectRefusal(authenticate('nope', setup().ctx), '390303', 'OAUTH_TOKEN_UNKNOWN');
  });

  it('refuses a token issued by another account, naming both accounts', () => {
    const why = expectRefusal(authenticate('bob-tok', setup().ctx), '390303', 'OAUTH_TOKEN_WRONG_ACCOUNT');
    expect(why).toContain('ORG-OTHER');
    expect(why).toContain('MYORG-MYACCOUNT');
  });

  it('refuses an expired token with 390303 by default', () => {
    expect(authenticate('tok', setup({ now: EXPIRES - 1 }).ctx).ok).toBe(true);
    const why = expectRefusal(authenticate('tok', setup({ now: EXPIRES }).ctx), '390303', 'OAUTH_TOKEN_EXPIRED');
    expect(why).toContain('expired at 2026-01-01T00:10:00.000Z');
  });

  it('refuses an expired token with 390318 under BCR 2026_07', () => {
    expectRefusal(authenticate('tok', setup({ now: EXPIRES, switches: { bcr2026_07: true } }).ctx), '390318', 'OAUTH_TOKEN_EXPIRED');
    // Other invalid-token cases keep 390303 under the bundle.
    expectRefusal(authenticate('nope', setup({ switches: { bcr2026_07: true } }).ctx), '390303', 'OAUTH_TOKEN_UNKNOWN');
  });

  it('refuses the token of a disabled user', () => {
    const { ctx, alice } = setup();
    alice.disabled = true;
    expectRefusal(authenticate('tok', ctx), '390303', 'OAUTH_USER_DISABLED');
  });

  it('refuses the token of a dropped user', () => {
    const { ctx, account } = setup();
    account.users.delete('ALICE');
    expectRefusal(authenticate('tok', ctx), '390303', 'OAUTH_USER_NOT_FOUND');
  });

  it('refuses when the token role was revoked (inferred)', () => {
    const { ctx, alice } = setup();
    alice.roles.delete('ANALYST');
    expectRefusal(authenticate('tok', ctx), '390303', 'OAUTH_ROLE_NOT_GRANTED');
  });

  it('refuses when the issuing integration is disabled (inferred)', () => {
    const { ctx, integration } = setup();
    integration.enabled = false;
    expectRefusal(authenticate('tok', ctx), '390303', 'OAUTH_INTEGRATION_DISABLED');
  });

  it('accepts a token issued at run time, without integration', () => {
    const { ctx } = setup();
    ctx.stores.oauthTokens.issue({ token: 'fresh', user: 'ALICE', role: 'PUBLIC', expiresAt: T0 + HOUR, account: 'MYORG-MYACCOUNT' });
    const outcome = authenticate('fresh', ctx);
    expect(outcome).toMatchObject({ ok: true, role: 'PUBLIC' });
    expect(outcome.ok && 'integration' in outcome).toBe(false);
  });
});

describe('OAuthTokenStore', () => {
  const token = (name: string, expiresAt: number, user = 'ALICE'): IssuedOAuthToken => ({ token: name, user, role: 'PUBLIC', expiresAt, account: 'A' });

  it('is seeded with every account’s configured tokens', () => {
    const store = createOAuthTokenStore(setup().ctx.world);
    expect(store.size).toBe(2);
    expect(store.get('bob-tok')?.account).toBe('ORG-OTHER');
  });

  it('issues, revokes and revokes by predicate', () => {
    const store = createOAuthTokenStore(makeWorld({ accounts: [] }));
    store.issue(token('a', T0));
    store.issue(token('b', T0, 'BOB'));
    store.issue(token('c', T0, 'BOB'));
    expect(store.size).toBe(3);
    expect(store.revoke('a')).toBe(true);
    expect(store.revoke('a')).toBe(false);
    expect(store.revokeWhere((t) => t.user === 'BOB')).toBe(2);
    expect(store.size).toBe(0);
  });

  it('sweeps only tokens expired for more than 1 h', () => {
    const store = createOAuthTokenStore(makeWorld({ accounts: [] }));
    const now = T0 + 10 * HOUR;
    store.issue(token('long-gone', now - HOUR - 1));
    store.issue(token('just-expired', now - HOUR));
    store.issue(token('live', now + HOUR));
    expect(store.sweep(now)).toBe(1);
    expect(store.get('long-gone')).toBeUndefined();
    expect(store.get('just-expired')).toBeDefined();
    expect(store.get('live')).toBeDefined();
  });

  it('sweeps at most `budget` per call and resumes on the next call', () => {
    const store = createOAuthTokenStore(makeWorld({ accounts: [] }));
    for (let i = 0; i < 5; i++) store.issue(token(`old-${i}`, T0));
    for (let i = 0; i < 5; i++) store.issue(token(`live-${i}`, T0 + 100 * HOUR));
    const now = T0 + 2 * HOUR;
    expect(store.sweep(now, 2)).toBe(2);
    expect(store.size).toBe(8);
    expect(store.sweep(now, 2)).toBe(2);
    expect(store.sweep(now, 2)).toBe(1);
    expect(store.sweep(now, 2)).toBe(0);
    expect(store.size).toBe(5);
  });
});

describe('issued token store bound', () => {
  it('keeps at most MAX_ISSUED_TOKENS tokens, dropping the oldest issued ones, never a world token', async () => {
    const { MAX_ISSUED_TOKENS } = await import('../../domain/auth/oauth-token.ts');
    const world = makeWorld({ accounts: [makeAccount({ users: [makeUser({ name: 'ALICE' })], oauthAccessTokens: [makeOAuthToken({ token: 'world-token', user: 'ALICE' })] })] });
    const store = createOAuthTokenStore(world);
    const issue = (i: number) => store.issue({ token: `t${i}`, user: 'ALICE', role: 'PUBLIC', expiresAt: Number.MAX_SAFE_INTEGER, account: world.accounts[0]!.name });
    for (let i = 0; i < MAX_ISSUED_TOKENS + 1; i++) issue(i);
    expect(store.size).toBe(MAX_ISSUED_TOKENS); // the limit, the world token included
    expect(store.get('world-token')).toBeDefined();
    expect(store.get('t0')).toBeUndefined();
    expect(store.get('t1')).toBeUndefined();
    expect(store.get('t2')).toBeDefined();
    expect(store.get(`t${MAX_ISSUED_TOKENS}`)).toBeDefined();
  });
});
