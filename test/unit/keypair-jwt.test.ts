import { beforeEach, describe, expect, it, vi } from 'vitest';

// Pass-through spy on node:crypto.verify, to prove a cached token skips signature verification.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, verify: vi.fn(actual.verify) };
});

import * as crypto from 'node:crypto';
import type { AuthContext, AuthOutcome, AuthStores } from '../../domain/auth/context.ts';
import { createKeypairJwtVerifier, JWT_CAUSES, looksLikeKeypairJwt, type KeypairJwtVerifier } from '../../domain/auth/keypair-jwt.ts';
import { signKeypairJwt, fingerprintOfPrivateKey, type SignKeypairJwtOptions } from '../../domain/auth/keypair-jwt-sign.ts';
import { importPublicKey } from '../../domain/keys/fingerprint.ts';
import type { Account, PublicKeySlot, Switches, User, World } from '../../domain/world/model.ts';
import { privateKeyPem, publicKeyPem, type FixtureKeyName } from '../helpers/keys.ts';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const SEC = 1000;
const MIN = 60 * SEC;

// ---- a minimal world, built by hand ----

function slot(name: FixtureKeyName, which: PublicKeySlot['slot'] = 'RSA_PUBLIC_KEY'): PublicKeySlot {
  const k = importPublicKey(publicKeyPem(name));
  return { slot: which, fingerprint: k.fingerprint, key: k.key, text: k.body };
}

function user(name: string, extra: Partial<User> = {}): User {
  return { name, loginName: name, type: 'PERSON', roles: new Set(['PUBLIC']), disabled: false, programmaticAccessTokens: [], ...extra };
}

function account(name: string, locator: string, users: User[]): Account {
  return {
    name, locator, roles: new Set(['PUBLIC', 'ANALYST']),
    parameters: { oauthAddPrivilegedRolesToBlockedList: true, allowClientMfaCaching: false, sessionTokenValidity: 3600, masterTokenValidity: 14_400 },
    networkPolicies: new Map(), networkRules: new Map(),
    users: new Map(users.map((u) => [u.name, u])),
    oauthAccessTokens: [], securityIntegrations: new Map(),
    patPolicy: { networkPolicyEvaluation: 'ENFORCED_REQUIRED', requireRoleRestrictionForServiceUsers: true, defaultExpiryInDays: 15, maxExpiryInDays: 365 },
    databases: [], warehouses: [],
  };
}

interface Fixture {
  world: World;
  main: Account;
  other: Account;
  alice: User;
  jwt: KeypairJwtVerifier;
  /** Verify at NOW + offset ms against `acct` (default the main account). */
  verify(token: string, offset?: number, acct?: Account): AuthOutcome;
}

function setup(switches: Partial<Switches> = {}, maxCacheEntries?: number): Fixture {
  const alice = user('ALICE', { defaultRole: 'ANALYST', roles: new Set(['PUBLIC', 'ANALYST']), rsaPublicKey: slot('alice') });
  const etl = user('ETL_BOT', { loginName: 'ETL.BOT@EXAMPLE.COM', type: 'SERVICE', rsaPublicKey: slot('etl-bot') });
  const ec = user('EC_USER', { rsaPublicKey: slot('ec-p256') });
  const main = account('MYORG-MYACCOUNT', 'XY12345', [alice, etl, ec]);
  // Same slot object in both accounts: the loader imports a key once per fingerprint (DESIGN.md §5.8).
  const other = account('OTHERORG-OTHER', 'AB98765', [user('ALICE', { rsaPublicKey: alice.rsaPublicKey! })]);
  const world: World = {
    accounts: [main, other],
    switches: { networkPolicyPrecedence: 'seed', bcr2026_07: false, jwtSpecificErrors: false, jwtAlgorithms: ['RS256'], ...switches },
    clock: { start: NOW, frozen: true },
  };
  const jwt = createKeypairJwtVerifier(maxCacheEntries === undefined ? {} : { maxCacheEntries });
  const stores = { jwt, pats: {}, oauthTokens: {} } as unknown as AuthStores;
  const verify = (token: string, offset = 0, acct = main): AuthOutcome => {
    const ctx: AuthContext = { world, account: acct, now: NOW + offset, clientIp: '10.0.0.5', stores };
    return jwt.verify(token, ctx);
  };
  return { world, main, other, alice, jwt, verify };
}

function sign(o: Partial<SignKeypairJwtOptions> = {}): string {
  return signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: NOW, ...o });
}

function accepted(outcome: AuthOutcome) {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.rejection.cause}: ${outcome.rejection.explanation}`);
  expect(outcome.method).toBe('KEYPAIR_JWT');
  expect(outcome.explanation).not.toMatch(/\n/);
  return outcome;
}

function rejected(outcome: AuthOutcome, cause: string | undefined, code = '390144') {
  if (outcome.ok) throw new Error(`expected rejection ${cause}, got success: ${outcome.explanation}`);
  expect(outcome.method).toBe('KEYPAIR_JWT');
  expect({ code: outcome.rejection.code, cause: outcome.rejection.cause }).toEqual({ code, cause });
  expect(outcome.rejection.rule).toMatch(/^reference §2\.\d$/);
  expect(outcome.rejection.explanation).not.toMatch(/\n/);
  return outcome;
}

const verifyCalls = () => vi.mocked(crypto.verify).mock.calls.length;

/** Re-encodes one segment of a token, keeping the other two. */
function withSegment(token: string, index: 0 | 1, value: unknown): string {
  const parts = token.split('.');
  parts[index] = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  return parts.join('.');
}

let f: Fixture;
beforeEach(() => {
  f = setup();
});

describe('valid key-pair JWTs (reference §2.1)', () => {
  it('accepts a seconds-based token (Python/Go style) with the default role', () => {
    const ok = accepted(f.verify(sign()));
    expect(ok.user.name).toBe('ALICE');
    expect(ok.role).toBe('ANALYST');
    expect(ok.explanation).toBe(`key-pair JWT of ALICE verified with RSA_PUBLIC_KEY (${fingerprintOfPrivateKey(privateKeyPem('alice'))})`);
  });

  it('accepts a millisecond token, snowflake-sdk style (120 000 ms lifetime), and expires it after 120 s', () => {
    const token = sign({ timeUnit: 'ms', lifetimeSeconds: 120 });
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ iat: NOW, exp: NOW + 120_000 });
    accepted(f.verify(token));
    accepted(f.verify(token, 119 * SEC));
    rejected(f.verify(token, 120 * SEC), '394303');
  });

  it('accepts the key in RSA_PUBLIC_KEY_2 (rotation)', () => {
    f.main.users.get('ALICE')!.rsaPublicKey2 = slot('alice-rotated', 'RSA_PUBLIC_KEY_2');
    const ok = accepted(f.verify(sign({ privateKey: privateKeyPem('alice-rotated') })));
    expect(ok.explanation).toMatch(/verified with RSA_PUBLIC_KEY_2 \(SHA256:/);
  });

  it('accepts the account locator form', () => {
    accepted(f.verify(sign({ account: 'xy12345' })));
  });

  it('parses a LOGIN_NAME with dots by the last ".SHA256:"', () => {
    const ok = accepted(f.verify(sign({ privateKey: privateKeyPem('etl-bot'), user: 'etl.bot@example.com' })));
    expect(ok.user.name).toBe('ETL_BOT');
  });

  it('does not check typ', () => {
    accepted(f.verify(sign({ header: { typ: undefined } })));
    accepted(f.verify(sign({ header: { typ: 'JOSE' } })));
  });

  it('falls back to PUBLIC when the default role is no longer granted, or absent', () => {
    f.alice.roles.delete('ANALYST');
    expect(accepted(f.verify(sign())).role).toBe('PUBLIC');
    f.alice.defaultRole = undefined;
    f.jwt.invalidate();
    expect(accepted(f.verify(sign())).role).toBe('PUBLIC');
  });
});

describe('iss / sub (reference §2.1)', () => {
  it('rejects a lower-case account', () => {
    const r = rejected(f.verify(sign({ account: 'myorg-myaccount', upperCase: false })), JWT_CAUSES.notUpperCase);
    expect(r.rejection.explanation).toMatch(/account "myorg-myaccount" is not upper-case/);
  });

  it('rejects a lower-case user', () => {
    const r = rejected(f.verify(sign({ user: 'alice', upperCase: false })), JWT_CAUSES.notUpperCase);
    expect(r.rejection.explanation).toMatch(/user "alice" is not upper-case/);
  });

  it('rejects NAME instead of LOGIN_NAME (394300)', () => {
    const r = rejected(f.verify(sign({ privateKey: privateKeyPem('etl-bot'), user: 'ETL_BOT' })), '394300');
    expect(r.rejection.explanation).toBe('iss user "ETL_BOT" is not the LOGIN_NAME of any user of MYORG-MYACCOUNT (it is the NAME of user ETL_BOT, whose LOGIN_NAME is ETL.BOT@EXAMPLE.COM; iss must carry the LOGIN_NAME)');
    expect(r.user).toBeUndefined();
  });

  it('rejects an unknown user (394300)', () => {
    const r = rejected(f.verify(sign({ user: 'ALIC' })), '394300');
    expect(r.rejection.explanation).toBe('iss user "ALIC" is not the LOGIN_NAME of any user of MYORG-MYACCOUNT');
  });

  it('rejects a locator that keeps its region, with a hint', () => {
    const r = rejected(f.verify(sign({ account: 'XY12345.US-EAST-2.AWS', upperCase: false })), '394300');
    expect(r.rejection.explanation).toMatch(/periods in the account identifier must be hyphens \/ drop the region/);
  });

  it('rejects periods in an org-account name (394307), with a hint', () => {
    const r = rejected(f.verify(sign({ account: 'MYORG.MYACCOUNT', upperCase: false })), '394307');
    expect(r.rejection.explanation).toMatch(/periods in the account identifier must be hyphens \(MYORG-MYACCOUNT\)/);
  });

  it('rejects sub that is not the account.user of iss', () => {
    rejected(f.verify(sign({ claims: { sub: 'MYORG-MYACCOUNT.BOB' } })), JWT_CAUSES.subjectMismatch);
    rejected(f.verify(sign({ claims: { sub: 'myorg-myaccount.alice' } })), JWT_CAUSES.subjectMismatch);
    rejected(f.verify(sign({ claims: { sub: undefined } })), JWT_CAUSES.subjectMismatch);
  });

  it('rejects iss without the SHA256: prefix (case-sensitive) or without a user', () => {
    const iss = `MYORG-MYACCOUNT.ALICE.${fingerprintOfPrivateKey(privateKeyPem('alice'))}`;
    rejected(f.verify(sign({ claims: { iss: iss.replace('SHA256:', '') } })), JWT_CAUSES.malformed);
    const r = rejected(f.verify(sign({ claims: { iss: iss.replace('SHA256:', 'sha256:') } })), JWT_CAUSES.malformed);
    expect(r.rejection.explanation).toMatch(/case-sensitive/);
    rejected(f.verify(sign({ claims: { iss: 'MYORG-MYACCOUNT.SHA256:abc=' } })), JWT_CAUSES.malformed);
    rejected(f.verify(sign({ claims: { iss: 42 } })), JWT_CAUSES.malformed);
  });

  it('keeps explanations on one line even when iss carries newlines', () => {
    rejected(f.verify(sign({ claims: { iss: 'MYORG-MYACCOUNT.AL\nICE\r\n' } })), JWT_CAUSES.malformed);
  });
});

describe('account (reference §2.1, 394307)', () => {
  it('rejects a token for another account of the world', () => {
    const r = rejected(f.verify(sign({ account: 'OTHERORG-OTHER' })), '394307');
    expect(r.rejection.explanation).toBe('iss account "OTHERORG-OTHER" names account OTHERORG-OTHER, not the routed account MYORG-MYACCOUNT (locator XY12345)');
    rejected(f.verify(sign({ account: 'AB98765' })), '394307');
  });

  it('rejects any other account value', () => {
    rejected(f.verify(sign({ account: 'NOPE' })), '394307');
    const r = rejected(f.verify(sign({ account: 'MYORG_MYACCOUNT' })), '394307');
    expect(r.rejection.explanation).toMatch(/hyphen, not an underscore/);
  });

  it('does not let a cached token through on another account host', () => {
    const token = sign();
    accepted(f.verify(token));
    rejected(f.verify(token, 0, f.other), '394307');
    accepted(f.verify(token)); // still fine where it belongs
  });
});

describe('algorithm (reference §2.1, 394305)', () => {
  it('rejects HS256 (key confusion) and none', () => {
    rejected(f.verify(sign({ alg: 'HS256' })), '394305');
    rejected(f.verify(sign({ alg: 'none' })), '394305');
    rejected(f.verify(sign({ header: { alg: undefined } })), '394305');
  });

  it('rejects HS256 even when switched on: a public key cannot verify it', () => {
    const g = setup({ jwtAlgorithms: ['RS256', 'HS256'] });
    const r = rejected(g.verify(sign({ alg: 'HS256' })), '394305');
    expect(r.rejection.explanation).toMatch(/cannot be verified/);
  });

  it('accepts ES256 only when switched on', () => {
    const es = sign({ alg: 'ES256', privateKey: privateKeyPem('ec-p256'), user: 'EC_USER' });
    rejected(f.verify(es), '394305');
    accepted(setup({ jwtAlgorithms: ['RS256', 'ES256'] }).verify(es));
  });

  it('rejects RS384 by default but accepts it when switched on', () => {
    const rs384 = sign({ alg: 'RS384' });
    rejected(f.verify(rs384), '394305');
    accepted(setup({ jwtAlgorithms: ['RS384'] }).verify(rs384));
  });

  it('rejects an algorithm that does not fit the key type (decision: 394306)', () => {
    const g = setup({ jwtAlgorithms: ['RS256', 'ES256'] });
    const esForRsaKey = sign({ alg: 'ES256', privateKey: privateKeyPem('ec-p256'), publicKey: publicKeyPem('alice') });
    const r = rejected(g.verify(esForRsaKey), '394306');
    expect(r.rejection.explanation).toMatch(/ES256 signature cannot come from the RSA key in RSA_PUBLIC_KEY/);
    const rsForEcKey = sign({ privateKey: privateKeyPem('alice'), publicKey: publicKeyPem('ec-p256'), user: 'EC_USER' });
    rejected(g.verify(rsForEcKey), '394306');
  });

  it('rejects an ES256 signature of the wrong length without throwing', () => {
    const g = setup({ jwtAlgorithms: ['ES256'] });
    const es = sign({ alg: 'ES256', privateKey: privateKeyPem('ec-p256'), user: 'EC_USER' });
    rejected(g.verify(es.slice(0, es.lastIndexOf('.')) + '.AAAA'), '394306');
  });
});

describe('key and signature (reference §2.2–§2.4)', () => {
  it('rejects a key that is in neither slot (394304)', () => {
    const r = rejected(f.verify(sign({ privateKey: privateKeyPem('bob') })), '394304');
    expect(r.user?.name).toBe('ALICE');
    expect(r.rejection.explanation).toMatch(/^fingerprint SHA256:\S+ matches neither RSA_PUBLIC_KEY \(SHA256:\S+\) nor RSA_PUBLIC_KEY_2 \(unset\) of ALICE$/);
  });

  it('rejects a signature with a flipped character (394306)', () => {
    const token = sign();
    const at = token.lastIndexOf('.') + 10;
    const flipped = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    rejected(f.verify(flipped), '394306');
  });

  it('rejects a payload changed after signing (394306)', () => {
    const token = sign();
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    rejected(f.verify(withSegment(token, 1, { ...payload, exp: payload.exp + 60 })), '394306');
  });
});

describe('time (reference §2.1)', () => {
  it('requires iat and exp as numbers (394301)', () => {
    rejected(f.verify(sign({ claims: { exp: undefined } })), '394301');
    rejected(f.verify(sign({ claims: { iat: undefined } })), '394301');
    rejected(f.verify(sign({ claims: { iat: String(NOW / SEC) } })), '394301');
  });

  it('rejects iat 61 s before first use, accepts 59 s (394302)', () => {
    const r = rejected(f.verify(sign({ iat: NOW - 61 * SEC })), '394302');
    expect(r.rejection.explanation).toMatch(/iat 2026-03-01T11:58:59\.000Z .* is 61 s before first use at 2026-03-01T12:00:00\.000Z \(window 60 s, judged on first use — inferred\)/);
    accepted(f.verify(sign({ iat: NOW - 59 * SEC })));
  });

  it('rejects iat more than 60 s in the future (394302)', () => {
    const r = rejected(f.verify(sign({ iat: NOW + 61 * SEC })), '394302');
    expect(r.rejection.explanation).toMatch(/61 s after first use/);
    accepted(f.verify(sign({ iat: NOW + 59 * SEC })));
  });

  it('reuses a token for 30 min without a second signature verification', () => {
    const token = sign();
    const before = verifyCalls();
    accepted(f.verify(token));
    expect(verifyCalls()).toBe(before + 1);
    expect(f.jwt.cacheSize).toBe(1);
    const again = accepted(f.verify(token, 30 * MIN));
    expect(again.explanation).toMatch(/\(cached; valid until 2026-03-01T12:59:00\.000Z\)$/);
    expect(verifyCalls()).toBe(before + 1);
  });

  it('judges the window on first use only, also after invalidate()', () => {
    const token = sign();
    accepted(f.verify(token));
    f.jwt.invalidate();
    expect(f.jwt.cacheSize).toBe(0);
    const before = verifyCalls();
    accepted(f.verify(token, 30 * MIN)); // full verification again, but first seen at iat
    expect(verifyCalls()).toBe(before + 1);
  });

  it('caps the lifetime at 1 h: exp 2 h ahead is accepted, then refused after 1 h', () => {
    const token = sign({ lifetimeSeconds: 2 * 3600 });
    accepted(f.verify(token));
    accepted(f.verify(token, 59 * MIN));
    const r = rejected(f.verify(token, 60 * MIN), '394303');
    expect(r.rejection.explanation).toMatch(/capped at iat \+ 1 h/);
  });

  it('caps the lifetime at 1 h also on first use', () => {
    rejected(f.verify(sign({ iat: NOW - 30 * SEC, lifetimeSeconds: 7200 }), 3600 * SEC), '394303');
  });

  it('rejects an expired token with 390144, or 390318 under BCR 2026_07 (cause 394303)', () => {
    const token = sign({ iat: NOW - 2 * MIN, lifetimeSeconds: 60 });
    const r = rejected(f.verify(token), '394303');
    expect(r.rejection.explanation).toBe('key-pair JWT of ALICE expired at 2026-03-01T11:59:00.000Z, now 2026-03-01T12:00:00.000Z');
    const b = rejected(setup({ bcr2026_07: true }).verify(token), '394303', '390318');
    expect(b.rejection.rule).toBe('reference §2.6');
  });

  it('rejects a cached token once it expires, with the BCR code when switched', () => {
    const g = setup({ bcr2026_07: true });
    const token = sign({ lifetimeSeconds: 300 });
    accepted(g.verify(token));
    rejected(g.verify(token, 5 * MIN), '394303', '390318');
  });

  it('rejects exp not after iat (394303)', () => {
    rejected(f.verify(sign({ lifetimeSeconds: 0 })), '394303');
    rejected(f.verify(sign({ lifetimeSeconds: -10 })), '394303');
    const r = rejected(f.verify(sign({ iat: NOW + 30 * SEC, lifetimeSeconds: -10 })), '394303'); // exp still in the future
    expect(r.rejection.explanation).toMatch(/is invalid: exp 2026-03-01T12:00:20\.000Z is not after iat 2026-03-01T12:00:30\.000Z/);
  });
});

describe('cache invalidation on key or user change (DESIGN.md §5.8)', () => {
  it('rejects a cached token after its key is removed', () => {
    const token = sign();
    accepted(f.verify(token));
    f.alice.rsaPublicKey = undefined;
    rejected(f.verify(token, MIN), '394304');
    expect(f.jwt.cacheSize).toBe(0);
  });

  it('rejects a cached token after the slot gets another key', () => {
    const token = sign();
    accepted(f.verify(token));
    f.alice.rsaPublicKey = slot('alice-rotated');
    rejected(f.verify(token, MIN), '394304');
  });

  it('re-verifies the signature when the key object is replaced, even with the same fingerprint', () => {
    const token = sign();
    accepted(f.verify(token));
    f.alice.rsaPublicKey = slot('alice');
    const before = verifyCalls();
    accepted(f.verify(token, MIN));
    expect(verifyCalls()).toBe(before + 1);
  });

  it('follows a key moved to the other slot', () => {
    const token = sign();
    accepted(f.verify(token));
    f.alice.rsaPublicKey2 = { ...f.alice.rsaPublicKey!, slot: 'RSA_PUBLIC_KEY_2' };
    f.alice.rsaPublicKey = undefined;
    expect(accepted(f.verify(token, MIN)).explanation).toMatch(/RSA_PUBLIC_KEY_2/);
  });

  it('rejects a disabled user, before and after caching', () => {
    const token = sign();
    accepted(f.verify(token));
    f.alice.disabled = true;
    const r = rejected(f.verify(token, MIN), JWT_CAUSES.userDisabled);
    expect(r.user?.name).toBe('ALICE');
    expect(r.rejection.explanation).toBe('user ALICE is disabled; its key-pair JWT is refused');
    const g = setup();
    g.alice.disabled = true;
    rejected(g.verify(sign()), JWT_CAUSES.userDisabled);
  });

  it('rejects a cached token after the user is dropped', () => {
    const token = sign();
    accepted(f.verify(token));
    f.main.users.delete('ALICE');
    rejected(f.verify(token, MIN), '394300');
  });

  it('honours a narrowed jwtAlgorithms switch for cached tokens', () => {
    const token = sign();
    accepted(f.verify(token));
    (f.world.switches as { jwtAlgorithms: readonly string[] }).jwtAlgorithms = ['ES256'];
    rejected(f.verify(token, MIN), '394305');
  });
});

describe('cache bounds', () => {
  it('evicts the oldest entry beyond maxCacheEntries', () => {
    const g = setup({}, 2);
    for (const s of [0, 1, 2]) accepted(g.verify(sign({ iat: NOW - s * SEC })));
    expect(g.jwt.cacheSize).toBe(2);
  });

  it('sweeps expired entries a few per call', () => {
    const tokens = Array.from({ length: 6 }, (_, i) => sign({ iat: NOW - i * SEC, lifetimeSeconds: 120 }));
    for (const t of tokens) accepted(f.verify(t));
    expect(f.jwt.cacheSize).toBe(6);
    for (let i = 0; i < 4; i++) f.verify('garbage', 10 * MIN);
    expect(f.jwt.cacheSize).toBe(0);
  });

  it('does not cache failures', () => {
    rejected(f.verify(sign({ privateKey: privateKeyPem('bob') })), '394304');
    expect(f.jwt.cacheSize).toBe(0);
  });
});

describe('garbage never throws (reference §2.4: generic 390144)', () => {
  const garbage: Array<[string, string]> = [
    ['10 000 characters', 'x'.repeat(10_000)],
    ['1 MB', 'a.b.'.repeat(262_144)],
    ['a.b.c', 'a.b.c'],
    ['...', '...'],
    ['empty', ''],
    ['non-JSON segments', `${Buffer.from('{"alg":').toString('base64url')}.${Buffer.from('not json').toString('base64url')}.sig`],
    ['payload array', `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('[1,2]').toString('base64url')}.sig`],
    ['payload number', `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('42').toString('base64url')}.sig`],
    ['payload null', `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('null').toString('base64url')}.sig`],
    ['header array', `${Buffer.from('[]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.sig`],
    ['standard base64 characters', 'eyJ+/=.eyJ.sig'],
    ['four segments', 'a.b.c.d'],
  ];
  it.each(garbage)('%s → JWT_MALFORMED', (_, token) => {
    const r = rejected(f.verify(token), JWT_CAUSES.malformed);
    expect(r.rejection.explanation.length).toBeLessThan(300);
  });

  it('rejects non-string input', () => {
    rejected(f.verify(undefined as unknown as string), JWT_CAUSES.malformed);
    rejected(f.verify(42 as unknown as string), JWT_CAUSES.malformed);
  });

  it('refuses tokens over 16 384 characters before decoding, even when validly signed', () => {
    const big = sign({ claims: { pad: 'x'.repeat(12_300) } });
    expect(big.length).toBeGreaterThan(16_384);
    const r = rejected(f.verify(big), JWT_CAUSES.malformed);
    expect(r.rejection.explanation).toMatch(/limit 16384/);
    const under = sign({ claims: { pad: 'x'.repeat(11_500) } });
    expect(under.length).toBeLessThanOrEqual(16_384);
    accepted(f.verify(under));
  });

  it('survives absurd time values', () => {
    rejected(f.verify(sign({ claims: { iat: 1e300, exp: 1e301 } })), '394302');
    rejected(f.verify(sign({ claims: { iat: -1e300, exp: 1 } })), '394303');
  });
});

describe('looksLikeKeypairJwt (inferred heuristic, reference §5.2)', () => {
  it('recognises Snowflake key-pair JWTs', () => {
    expect(looksLikeKeypairJwt(sign())).toBe(true);
    expect(looksLikeKeypairJwt(sign({ timeUnit: 'ms' }))).toBe(true);
    expect(looksLikeKeypairJwt(sign({ account: 'xy12345', user: 'a.b@c.com', upperCase: false }))).toBe(true);
    expect(looksLikeKeypairJwt(sign({ claims: { iss: 'A.B.sha256:xyz' } }))).toBe(true);
  });

  it('rejects everything else', () => {
    expect(looksLikeKeypairJwt('pat-alice-ci-secret')).toBe(false);
    expect(looksLikeKeypairJwt('a.b.c')).toBe(false);
    expect(looksLikeKeypairJwt('')).toBe(false);
    expect(looksLikeKeypairJwt(sign({ claims: { iss: 'https://login.example.com/' } }))).toBe(false);
    expect(looksLikeKeypairJwt(sign({ claims: { iss: 'ACCOUNT.SHA256:xyz' } }))).toBe(false);
    expect(looksLikeKeypairJwt(sign({ claims: { iss: undefined } }))).toBe(false);
    expect(looksLikeKeypairJwt(sign() + '.extra')).toBe(false);
    expect(looksLikeKeypairJwt('x'.repeat(1_000_000))).toBe(false);
    expect(looksLikeKeypairJwt(null as unknown as string)).toBe(false);
  });
});

describe('signKeypairJwt', () => {
  it('produces Snowflake claims: upper-case, periods in the account become hyphens, 59 min lifetime in seconds', () => {
    const token = sign({ account: 'myorg.myaccount', user: 'alice' });
    const [header, payload] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    const fp = fingerprintOfPrivateKey(privateKeyPem('alice'));
    expect(fp).toBe(importPublicKey(publicKeyPem('alice')).fingerprint);
    expect(payload).toEqual({ iss: `MYORG-MYACCOUNT.ALICE.${fp}`, sub: 'MYORG-MYACCOUNT.ALICE', iat: NOW / SEC, exp: NOW / SEC + 3540 });
  });

  it('throws on an algorithm it cannot produce', () => {
    expect(() => sign({ alg: 'PS256' })).toThrow(/cannot sign alg "PS256"/);
  });
});
