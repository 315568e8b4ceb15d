import { describe, expect, it } from 'vitest';
import type { AuthOutcome } from '../../domain/auth/context.ts';
import { authenticatePat, buildPatIndex, patNetworkPolicyEnforced, type PatCause } from '../../domain/auth/pat.ts';
import type { PatPolicy, ProgrammaticAccessToken, User, UserType } from '../../domain/world/model.ts';
import { DAY, HOUR, MINUTE, T0, makeAccount, makeAuthContext, makeNetworkPolicy, makePat, makeUser, makeWorld, type UserInput } from '../helpers/world-builder.ts';

const CORP = makeNetworkPolicy({ name: 'CORP', allowedIpList: ['10.0.0.0/8'] });

interface Setup {
  user?: UserInput;
  pat?: Partial<ProgrammaticAccessToken>;
  /** Account-level network policy (default: CORP, so the network requirement is met). */
  accountPolicy?: string | null;
  patPolicy?: Partial<PatPolicy>;
  now?: number;
}

/** One account, ALICE (PERSON, ANALYST granted and default) holding PAT CI with secret `pat-ci`. */
function setup(s: Setup = {}) {
  const pat = makePat({ name: 'CI', secret: 'pat-ci', ...s.pat });
  const user = makeUser({ name: 'ALICE', roles: ['ANALYST'], defaultRole: 'ANALYST', ...s.user, programmaticAccessTokens: [pat] });
  const accountPolicy = s.accountPolicy === undefined ? 'CORP' : s.accountPolicy;
  const account = makeAccount({
    users: [user],
    networkPolicies: [CORP],
    ...(accountPolicy !== null && { networkPolicy: accountPolicy }),
    ...(s.patPolicy && { patPolicy: s.patPolicy }),
  });
  const world = makeWorld({ accounts: [account] });
  return { pat, user, account, world, ctx: makeAuthContext(world, { now: s.now ?? T0 + HOUR }) };
}

function expectCause(outcome: AuthOutcome, cause: PatCause): void {
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.method).toBe('PROGRAMMATIC_ACCESS_TOKEN');
  expect(outcome.rejection.code).toBe('394400');
  expect(outcome.rejection.cause).toBe(cause);
  expect(outcome.rejection.explanation).not.toContain('\n');
}

function expectOk(outcome: AuthOutcome): Extract<AuthOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.rejection.cause}: ${outcome.rejection.explanation}`);
  expect(outcome.method).toBe('PROGRAMMATIC_ACCESS_TOKEN');
  return outcome;
}

describe('buildPatIndex', () => {
  it('indexes current and rotated secrets across accounts', () => {
    const rotated = { name: 'CI_ROTATED_1', secret: 'old', expiresAt: T0 + DAY };
    const a = makeAccount({ name: 'ORG-A', users: [makeUser({ programmaticAccessTokens: [makePat({ secret: 'a1', rotated: [rotated] })] })] });
    const b = makeAccount({ name: 'ORG-B', users: [makeUser({ name: 'BOB', programmaticAccessTokens: [makePat({ secret: 'b1' })] })] });
    const index = buildPatIndex(makeWorld({ accounts: [a, b] }));
    expect(index.size).toBe(3);
    expect(index.lookup('b1')?.account.name).toBe('ORG-B');
    expect(index.lookup('old')?.rotated).toBe(rotated);
    expect(index.lookup('nope')).toBeUndefined();
  });
});

describe('authenticatePat — validity (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('accepts a valid restricted PAT with the restriction as session role', () => {
    const { ctx } = setup({ pat: { roleRestriction: 'ANALYST' } });
    const ok = expectOk(authenticatePat('pat-ci', ctx));
    expect(ok.user.name).toBe('ALICE');
    expect(ok.role).toBe('ANALYST');
    expect(ok.explanation).toBe('PAT CI of ALICE (role restriction ANALYST, expires 2026-01-16T00:00:00.000Z)');
  });

  it('refuses an unknown secret', () => {
    expectCause(authenticatePat('no-such-secret', setup().ctx), 'PAT_VALIDATION_FAILED');
  });

  it('refuses the PAT of another account and names that account', () => {
    const other = makeAccount({ name: 'ORG-OTHER', users: [makeUser({ name: 'EVE', programmaticAccessTokens: [makePat({ secret: 'eve-pat' })] })] });
    const mine = makeAccount({ name: 'ORG-MINE', networkPolicy: 'CORP', networkPolicies: [CORP] });
    const world = makeWorld({ accounts: [mine, other] });
    const outcome = authenticatePat('eve-pat', makeAuthContext(world, { now: T0 + HOUR }));
    expectCause(outcome, 'PAT_USER_NOT_ASSOCIATED');
    if (!outcome.ok) expect(outcome.rejection.explanation).toContain('ORG-OTHER');
  });

  it('refuses when the user was dropped but the index is stale', () => {
    const { ctx, account } = setup();
    account.users.delete('ALICE');
    expectCause(authenticatePat('pat-ci', ctx), 'PAT_USER_NOT_FOUND');
  });

  it('expires once now passes createdAt + DAYS_TO_EXPIRY (default 15 d)', () => {
    expectOk(authenticatePat('pat-ci', setup({ now: T0 + 15 * DAY - 1 }).ctx));
    const outcome = authenticatePat('pat-ci', setup({ now: T0 + 15 * DAY }).ctx);
    expectCause(outcome, 'PAT_EXPIRED');
    if (!outcome.ok) expect(outcome.rejection.explanation).toContain('expired at 2026-01-16T00:00:00.000Z (DAYS_TO_EXPIRY 15)');
  });

  it('fails when MAX_EXPIRY_IN_DAYS is lowered below the token lifetime (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
    expectOk(authenticatePat('pat-ci', setup({ pat: { daysToExpiry: 30 }, patPolicy: { maxExpiryInDays: 30 } }).ctx));
    expectCause(authenticatePat('pat-ci', setup({ pat: { daysToExpiry: 30 }, patPolicy: { maxExpiryInDays: 10 } }).ctx), 'PAT_EXPIRED');
  });

  it('refuses a disabled PAT', () => {
    expectCause(authenticatePat('pat-ci', setup({ pat: { disabled: true } }).ctx), 'PAT_DISABLED');
  });

  it('refuses the PAT of a disabled user', () => {
    expectCause(authenticatePat('pat-ci', setup({ user: { disabled: true } }).ctx), 'PAT_USER_DISABLED');
  });

  it('checks disabled/expired before the network requirement', () => {
    expectCause(authenticatePat('pat-ci', setup({ pat: { disabled: true }, accountPolicy: null }).ctx), 'PAT_DISABLED');
    expectCause(authenticatePat('pat-ci', setup({ now: T0 + 20 * DAY, accountPolicy: null }).ctx), 'PAT_EXPIRED');
  });
});

describe('authenticatePat — rotation (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  const rotatedAt = T0 + 2 * DAY;
  const rotated = { name: `CI_ROTATED_${rotatedAt}`, secret: 'pat-ci-old', expiresAt: rotatedAt + 24 * HOUR };
  const at = (now: number) => setup({ pat: { secret: 'pat-ci-new', rotated: [rotated] }, now }).ctx;

  it('keeps the old secret valid inside its 24 h grace period', () => {
    const ok = expectOk(authenticatePat('pat-ci-old', at(rotatedAt + 23 * HOUR)));
    expect(ok.explanation).toContain(`via rotated secret ${rotated.name}`);
  });

  it('refuses the old secret once the grace period ended', () => {
    const outcome = authenticatePat('pat-ci-old', at(rotatedAt + 24 * HOUR));
    expectCause(outcome, 'PAT_EXPIRED');
    if (!outcome.ok) expect(outcome.rejection.explanation).toContain('grace period ended');
  });

  it('accepts the new secret before and after the grace period', () => {
    expectOk(authenticatePat('pat-ci-new', at(rotatedAt + HOUR)));
    expectOk(authenticatePat('pat-ci-new', at(rotatedAt + 25 * HOUR)));
  });
});

describe('authenticatePat — roles (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('uses the role restriction as session role, not the default role', () => {
    const { ctx } = setup({ user: { roles: ['ANALYST', 'LOADER'], defaultRole: 'ANALYST' }, pat: { roleRestriction: 'LOADER' } });
    expect(expectOk(authenticatePat('pat-ci', ctx)).role).toBe('LOADER');
  });

  it('refuses when the restricted role was revoked', () => {
    const { ctx, user } = setup({ pat: { roleRestriction: 'ANALYST' } });
    user.roles.delete('ANALYST');
    expectCause(authenticatePat('pat-ci', ctx), 'PAT_ROLE_NOT_FOUND');
  });

  it('unrestricted: default role if still granted, else PUBLIC', () => {
    const { ctx, user } = setup();
    expect(expectOk(authenticatePat('pat-ci', ctx)).role).toBe('ANALYST');
    user.roles.delete('ANALYST');
    expect(expectOk(authenticatePat('pat-ci', ctx)).role).toBe('PUBLIC');
  });

  it.each<UserType>(['SERVICE', 'LEGACY_SERVICE', 'SERVICE_AGENT'])('refuses an unrestricted PAT of a %s user', (type) => {
    expectCause(authenticatePat('pat-ci', setup({ user: { type } }).ctx), 'PAT_ROLE_RESTRICTION_REQUIRED');
  });

  it('allows an unrestricted service PAT when REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS = FALSE', () => {
    expectOk(authenticatePat('pat-ci', setup({ user: { type: 'SERVICE' }, patPolicy: { requireRoleRestrictionForServiceUsers: false } }).ctx));
  });
});

describe('authenticatePat — network-policy requirement (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  const service = { type: 'SERVICE' as const };
  const restricted = { roleRestriction: 'ANALYST' };

  it('refuses a service user subject to no network policy', () => {
    expectCause(authenticatePat('pat-ci', setup({ user: service, pat: restricted, accountPolicy: null }).ctx), 'PAT_NETWORK_POLICY_REQUIRED');
    expectCause(authenticatePat('pat-ci', setup({ user: { type: 'LEGACY_SERVICE' }, pat: restricted, accountPolicy: null }).ctx), 'PAT_NETWORK_POLICY_REQUIRED');
  });

  it('accepts a service user under an account-level policy', () => {
    expectOk(authenticatePat('pat-ci', setup({ user: service, pat: restricted }).ctx));
  });

  it('accepts a service user under a user-level policy', () => {
    expectOk(authenticatePat('pat-ci', setup({ user: { ...service, networkPolicy: 'CORP' }, pat: restricted, accountPolicy: null }).ctx));
  });

  it('needs no policy for a SERVICE_AGENT user', () => {
    expectOk(authenticatePat('pat-ci', setup({ user: { type: 'SERVICE_AGENT' }, pat: restricted, accountPolicy: null }).ctx));
  });

  it('refuses a PERSON (and NULL) user subject to no network policy', () => {
    expectCause(authenticatePat('pat-ci', setup({ accountPolicy: null }).ctx), 'PAT_NETWORK_POLICY_REQUIRED');
    expectCause(authenticatePat('pat-ci', setup({ user: { type: 'NULL' }, accountPolicy: null }).ctx), 'PAT_NETWORK_POLICY_REQUIRED');
  });

  it('lets a PERSON user in during the bypass window, and not after', () => {
    const pat = { minsToBypassNetworkPolicyRequirement: 30 };
    const inside = expectOk(authenticatePat('pat-ci', setup({ pat, accountPolicy: null, now: T0 + 29 * MINUTE }).ctx));
    expect(inside.explanation).toContain('bypassed until 2026-01-01T00:30:00.000Z');
    expectCause(authenticatePat('pat-ci', setup({ pat, accountPolicy: null, now: T0 + 30 * MINUTE }).ctx), 'PAT_NETWORK_POLICY_REQUIRED');
  });

  it('gives service users no bypass window', () => {
    const pat = { ...restricted, minsToBypassNetworkPolicyRequirement: 30 };
    expectCause(authenticatePat('pat-ci', setup({ user: service, pat, accountPolicy: null, now: T0 + MINUTE }).ctx), 'PAT_NETWORK_POLICY_REQUIRED');
  });

  it.each(['ENFORCED_NOT_REQUIRED', 'NOT_ENFORCED'] as const)('%s: no policy required', (networkPolicyEvaluation) => {
    expectOk(authenticatePat('pat-ci', setup({ user: service, pat: restricted, accountPolicy: null, patPolicy: { networkPolicyEvaluation } }).ctx));
    expectOk(authenticatePat('pat-ci', setup({ accountPolicy: null, patPolicy: { networkPolicyEvaluation } }).ctx));
  });

  it('patNetworkPolicyEnforced: only NOT_ENFORCED skips the IP check', () => {
    const enforced = (networkPolicyEvaluation: PatPolicy['networkPolicyEvaluation']) => patNetworkPolicyEnforced(makeAccount({ patPolicy: { networkPolicyEvaluation } }));
    expect(enforced('ENFORCED_REQUIRED')).toBe(true);
    expect(enforced('ENFORCED_NOT_REQUIRED')).toBe(true);
    expect(enforced('NOT_ENFORCED')).toBe(false);
  });
});

describe('authenticatePat — robustness', () => {
  it('never throws on odd input', () => {
    const { ctx } = setup();
    for (const secret of ['', ' ', '\u0000', 'x'.repeat(10_000)]) expectCause(authenticatePat(secret, ctx), 'PAT_VALIDATION_FAILED');
  });

  it('sets the user on refusals that named a known user', () => {
    const outcome = authenticatePat('pat-ci', setup({ pat: { disabled: true } }).ctx);
    expect(!outcome.ok && (outcome.user as User).name).toBe('ALICE');
  });
});
