import { beforeEach, describe, expect, it, vi } from 'vitest';

// Pass-through spy on jose's compactVerify, to prove a cached token skips signature verification.
vi.mock('jose', async (importOriginal) => {
  const actual = await importOriginal<typeof import('jose')>();
  return { ...actual, compactVerify: vi.fn(actual.compactVerify) };
});

import * as jose from 'jose';
import type { AuthContext, AuthOutcome, AuthStores } from '../../domain/auth/context.ts';
import { verifyJws, type JoseFailure } from '../../domain/auth/jws.ts';
import { createKeypairJwtVerifier, JWT_CAUSES, keypairJoseProblem, looksLikeKeypairJwt, type KeypairJwtVerifier } from '../../domain/auth/keypair-jwt.ts';
import { signKeypairJwt, fingerprintOfPrivateKey, type SignKeypairJwtOptions } from '../../domain/auth/keypair-jwt-sign.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
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
  /** Verify at NOW + offset ms against `acct` (default the main account); await the answer. */
  verify(token: string, offset?: number, acct?: Account): AuthOutcome | Promise<AuthOutcome>;
  /** The context `verify` uses. */
  ctx(offset?: number, acct?: Account): AuthContext;
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
  const ctx = (offset = 0, acct = main): AuthContext => ({ world, account: acct, now: NOW + offset, clientIp: '10.0.0.5', stores });
  const verify = (token: string, offset = 0, acct = main) => jwt.verify(token, ctx(offset, acct));
  return { world, main, other, alice, jwt, verify, ctx };
}

function sign(o: Partial<SignKeypairJwtOptions> = {}): Promise<string> {
  return signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: NOW, ...o });
}

function accepted(outcome: AuthOutcome) {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.rejection.cause}: ${outcome.rejection.explanation}`);
  expect(outcome.method).toBe('KEYPAIR_JWT');
  expect(outcome.explanation).not.toMatch(/\n/);
  return outcome;
}

/** The public source each refusal cites as its rule (the BCR note when the wire code is 390318). */
const RULE_OF_CAUSE: Readonly<Record<string, string>> = {
  '394300': SOURCES.keyPairTroubleshooting,
  '394301': SOURCES.keyPairTroubleshooting,
  '394302': SOURCES.keyPairTroubleshooting,
  '394303': SOURCES.keyPairTroubleshooting,
  '394304': SOURCES.keyPairTroubleshooting,
  '394305': SOURCES.keyPairTroubleshooting,
  '394306': SOURCES.keyPairTroubleshooting,
  '394307': SOURCES.loginFailureDetails,
  [JWT_CAUSES.malformed]: SOURCES.sqlApiAuthenticating,
  [JWT_CAUSES.notUpperCase]: SOURCES.sqlApiAuthenticating,
  [JWT_CAUSES.subjectMismatch]: SOURCES.sqlApiAuthenticating,
  [JWT_CAUSES.userDisabled]: SOURCES.decisionInferred,
};

function rejected(outcome: AuthOutcome, cause: string, code = '390144') {
  if (outcome.ok) throw new Error(`expected rejection ${cause}, got success: ${outcome.explanation}`);
  expect(outcome.method).toBe('KEYPAIR_JWT');
  expect({ code: outcome.rejection.code, cause: outcome.rejection.cause }).toEqual({ code, cause });
  expect(outcome.rejection.rule).toBe(code === '390318' ? SOURCES.bcr2026_07 : RULE_OF_CAUSE[cause]);
  expect(outcome.rejection.explanation).not.toMatch(/\n/);
  return outcome;
}

const verifyCalls = () => vi.mocked(jose.compactVerify).mock.calls.length;

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

describe('valid key-pair JWTs (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating)', () => {
  it('accepts a seconds-based token (Python/Go style) with the default role', async () => {
    const ok = accepted(await f.verify(await sign()));
    expect(ok.user.name).toBe('ALICE');
    expect(ok.role).toBe('ANALYST');
    expect(ok.explanation).toBe(`key-pair JWT of ALICE verified with RSA_PUBLIC_KEY (${fingerprintOfPrivateKey(privateKeyPem('alice'))})`);
  });

  it('accepts a millisecond token, snowflake-sdk style (120 000 ms lifetime), and expires it after 120 s', async () => {
    const token = await sign({ timeUnit: 'ms', lifetimeSeconds: 120 });
    expect(jose.decodeJwt(token)).toMatchObject({ iat: NOW, exp: NOW + 120_000 });
    accepted(await f.verify(token));
    accepted(await f.verify(token, 119 * SEC));
    rejected(await f.verify(token, 120 * SEC), '394303');
  });

  it('accepts the key in RSA_PUBLIC_KEY_2 (rotation)', async () => {
    f.main.users.get('ALICE')!.rsaPublicKey2 = slot('alice-rotated', 'RSA_PUBLIC_KEY_2');
    const ok = accepted(await f.verify(await sign({ privateKey: privateKeyPem('alice-rotated') })));
    expect(ok.explanation).toMatch(/verified with RSA_PUBLIC_KEY_2 \(SHA256:/);
  });

  it('accepts the account locator form', async () => {
    accepted(await f.verify(await sign({ account: 'xy12345' })));
  });

  it('parses a LOGIN_NAME with dots by the last ".SHA256:"', async () => {
    const ok = accepted(await f.verify(await sign({ privateKey: privateKeyPem('etl-bot'), user: 'etl.bot@example.com' })));
    expect(ok.user.name).toBe('ETL_BOT');
  });

  it('does not check typ', async () => {
    accepted(await f.verify(await sign({ header: { typ: undefined } })));
    accepted(await f.verify(await sign({ header: { typ: 'JOSE' } })));
  });

  it('falls back to PUBLIC when the default role is no longer granted, or absent', async () => {
    f.alice.roles.delete('ANALYST');
    expect(accepted(await f.verify(await sign())).role).toBe('PUBLIC');
    f.alice.defaultRole = undefined;
    f.jwt.invalidate();
    expect(accepted(await f.verify(await sign())).role).toBe('PUBLIC');
  });
});

describe('iss / sub (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating)', () => {
  it('rejects a lower-case account', async () => {
    const r = rejected(await f.verify(await sign({ account: 'myorg-myaccount', upperCase: false })), JWT_CAUSES.notUpperCase);
    expect(r.rejection.explanation).toMatch(/account "myorg-myaccount" is not upper-case/);
  });

  it('rejects a lower-case user', async () => {
    const r = rejected(await f.verify(await sign({ user: 'alice', upperCase: false })), JWT_CAUSES.notUpperCase);
    expect(r.rejection.explanation).toMatch(/user "alice" is not upper-case/);
  });

  it('rejects NAME instead of LOGIN_NAME (394300)', async () => {
    const r = rejected(await f.verify(await sign({ privateKey: privateKeyPem('etl-bot'), user: 'ETL_BOT' })), '394300');
    expect(r.rejection.explanation).toBe('iss user "ETL_BOT" is not the LOGIN_NAME of any user of MYORG-MYACCOUNT (it is the NAME of user ETL_BOT, whose LOGIN_NAME is ETL.BOT@EXAMPLE.COM; iss must carry the LOGIN_NAME)');
    expect(r.user).toBeUndefined();
  });

  it('rejects an unknown user (394300)', async () => {
    const r = rejected(await f.verify(await sign({ user: 'ALIC' })), '394300');
    expect(r.rejection.explanation).toBe('iss user "ALIC" is not the LOGIN_NAME of any user of MYORG-MYACCOUNT');
  });

  it('rejects a locator that keeps its region, with a hint', async () => {
    const r = rejected(await f.verify(await sign({ account: 'XY12345.US-EAST-2.AWS', upperCase: false })), '394300');
    expect(r.rejection.explanation).toMatch(/periods in the account identifier must be hyphens \/ drop the region/);
  });

  it('rejects periods in an org-account name (394307), with a hint', async () => {
    const r = rejected(await f.verify(await sign({ account: 'MYORG.MYACCOUNT', upperCase: false })), '394307');
    expect(r.rejection.explanation).toMatch(/periods in the account identifier must be hyphens \(MYORG-MYACCOUNT\)/);
  });

  it('rejects sub that is not the account.user of iss', async () => {
    rejected(await f.verify(await sign({ claims: { sub: 'MYORG-MYACCOUNT.BOB' } })), JWT_CAUSES.subjectMismatch);
    rejected(await f.verify(await sign({ claims: { sub: 'myorg-myaccount.alice' } })), JWT_CAUSES.subjectMismatch);
    rejected(await f.verify(await sign({ claims: { sub: undefined } })), JWT_CAUSES.subjectMismatch);
  });

  it('rejects iss without the SHA256: prefix (case-sensitive) or without a user', async () => {
    const iss = `MYORG-MYACCOUNT.ALICE.${fingerprintOfPrivateKey(privateKeyPem('alice'))}`;
    rejected(await f.verify(await sign({ claims: { iss: iss.replace('SHA256:', '') } })), JWT_CAUSES.malformed);
    const r = rejected(await f.verify(await sign({ claims: { iss: iss.replace('SHA256:', 'sha256:') } })), JWT_CAUSES.malformed);
    expect(r.rejection.explanation).toMatch(/case-sensitive/);
    rejected(await f.verify(await sign({ claims: { iss: 'MYORG-MYACCOUNT.SHA256:abc=' } })), JWT_CAUSES.malformed);
    rejected(await f.verify(await sign({ claims: { iss: 42 } })), JWT_CAUSES.malformed);
  });

  it('keeps explanations on one line even when iss carries newlines', async () => {
    rejected(await f.verify(await sign({ claims: { iss: 'MYORG-MYACCOUNT.AL\nICE\r\n' } })), JWT_CAUSES.malformed);
  });
});

describe('account (https://docs.snowflake.com/en/sql-reference/functions/system_get_login_failure_details, 394307)', () => {
  it('rejects a token for another account of the world', async () => {
    const r = rejected(await f.verify(await sign({ account: 'OTHERORG-OTHER' })), '394307');
    expect(r.rejection.explanation).toBe('iss account "OTHERORG-OTHER" names account OTHERORG-OTHER, not the routed account MYORG-MYACCOUNT (locator XY12345)');
    rejected(await f.verify(await sign({ account: 'AB98765' })), '394307');
  });

  it('rejects any other account value', async () => {
    rejected(await f.verify(await sign({ account: 'NOPE' })), '394307');
    const r = rejected(await f.verify(await sign({ account: 'MYORG_MYACCOUNT' })), '394307');
    expect(r.rejection.explanation).toMatch(/hyphen, not an underscore/);
  });

  it('does not let a cached token through on another account host', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    rejected(await f.verify(token, 0, f.other), '394307');
    accepted(await f.verify(token)); // still fine where it belongs
  });
});

describe('algorithm (https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting, 394305)', () => {
  it('rejects HS256 (key confusion) and none', async () => {
    rejected(await f.verify(await sign({ alg: 'HS256' })), '394305');
    rejected(await f.verify(await sign({ alg: 'none' })), '394305');
    rejected(await f.verify(await sign({ header: { alg: undefined } })), '394305');
  });

  it('rejects HS256 even when switched on: a public key cannot verify it', async () => {
    const g = setup({ jwtAlgorithms: ['RS256', 'HS256'] });
    const r = rejected(await g.verify(await sign({ alg: 'HS256' })), '394305');
    expect(r.rejection.explanation).toMatch(/cannot be verified/);
  });

  it('accepts ES256 only when switched on', async () => {
    const es = await sign({ alg: 'ES256', privateKey: privateKeyPem('ec-p256'), user: 'EC_USER' });
    rejected(await f.verify(es), '394305');
    accepted(await setup({ jwtAlgorithms: ['RS256', 'ES256'] }).verify(es));
  });

  it('rejects RS384 by default but accepts it when switched on', async () => {
    const rs384 = await sign({ alg: 'RS384' });
    rejected(await f.verify(rs384), '394305');
    accepted(await setup({ jwtAlgorithms: ['RS384'] }).verify(rs384));
  });

  it('rejects an algorithm that does not fit the key type (decision: 394306)', async () => {
    const g = setup({ jwtAlgorithms: ['RS256', 'ES256'] });
    const esForRsaKey = await sign({ alg: 'ES256', privateKey: privateKeyPem('ec-p256'), publicKey: publicKeyPem('alice') });
    const r = rejected(await g.verify(esForRsaKey), '394306');
    expect(r.rejection.explanation).toMatch(/ES256 signature cannot come from the RSA key in RSA_PUBLIC_KEY/);
    const rsForEcKey = await sign({ privateKey: privateKeyPem('alice'), publicKey: publicKeyPem('ec-p256'), user: 'EC_USER' });
    rejected(await g.verify(rsForEcKey), '394306');
  });

  it('rejects an ES256 signature of the wrong length without throwing', async () => {
    const g = setup({ jwtAlgorithms: ['ES256'] });
    const es = await sign({ alg: 'ES256', privateKey: privateKeyPem('ec-p256'), user: 'EC_USER' });
    rejected(await g.verify(es.slice(0, es.lastIndexOf('.')) + '.AAAA'), '394306');
  });
});

describe('jose refusals keep their key-pair causes', () => {
  const aliceKey = () => slot('alice').key;
  // The refusal jose gives for `token` against `key`, allowing `algorithms`.
  const refusal = async (token: string, key = aliceKey(), algorithms = ['RS256']): Promise<JoseFailure> => {
    const failure = await verifyJws(token, key, algorithms);
    if (!failure) throw new Error('expected jose to refuse the token');
    return failure;
  };
  const mapped = (failure: JoseFailure, alg: string, which: FixtureKeyName = 'alice') => {
    const s = slot(which);
    const problem = keypairJoseProblem(failure, alg, s, f.alice, f.ctx());
    expect(problem.rule).toBe(RULE_OF_CAUSE[problem.cause]);
    return problem;
  };
  const flip = (token: string): string => {
    const at = token.lastIndexOf('.') + 10;
    return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
  };

  it('a tampered signature (ERR_JWS_SIGNATURE_VERIFICATION_FAILED) → 394306', async () => {
    const failure = await refusal(flip(await sign()));
    expect(failure.kind).toBe('signature');
    expect(mapped(failure, 'RS256')).toMatchObject({ cause: '394306', explanation: expect.stringMatching(/^RS256 signature of the key-pair JWT does not verify with RSA_PUBLIC_KEY \(SHA256:\S+\) of ALICE$/) });
  });

  it('alg none: not allowed (ERR_JOSE_ALG_NOT_ALLOWED) → 394305; allowed but unverifiable (ERR_JOSE_NOT_SUPPORTED) → 394305', async () => {
    const none = await sign({ alg: 'none' });
    const notAllowed = await refusal(none);
    expect(notAllowed.kind).toBe('algorithm');
    expect(mapped(notAllowed, 'none')).toMatchObject({ cause: '394305', explanation: expect.stringMatching(/^header alg "none" is not an accepted key-pair JWT algorithm/) });
    const unsupported = await refusal(none, aliceKey(), ['none']);
    expect(unsupported.kind).toBe('unsupported');
    expect(mapped(unsupported, 'none')).toMatchObject({ cause: '394305', explanation: expect.stringMatching(/cannot be verified with a user's public key/) });
  });

  it('an algorithm outside the allow-list (RS384 against RS256 only) → 394305', async () => {
    const failure = await refusal(await sign({ alg: 'RS384' }));
    expect(failure.kind).toBe('algorithm');
    expect(mapped(failure, 'RS384').cause).toBe('394305');
  });

  it('an ES256 token against an RSA key (a key jose refuses for the alg) → 394306', async () => {
    const es = await sign({ alg: 'ES256', privateKey: privateKeyPem('ec-p256') });
    const failure = await refusal(es, aliceKey(), ['ES256']);
    expect(failure.kind).toBe('key');
    expect(mapped(failure, 'ES256')).toMatchObject({ cause: '394306', explanation: expect.stringMatching(/^ES256 signature cannot come from the RSA key in RSA_PUBLIC_KEY/) });
  });

  it('a malformed compact form (ERR_JWS_INVALID) → JWT_MALFORMED', async () => {
    for (const token of ['a.b', 'eyJhbGciOiJSUzI1NiJ9.e30.@@@', 'eyJhbGciOiJSUzI1NiJ9.e30.sig.x']) {
      const failure = await refusal(token);
      expect(failure.kind).toBe('malformed');
      expect(mapped(failure, 'RS256')).toMatchObject({ cause: JWT_CAUSES.malformed, explanation: expect.stringMatching(/^the key-pair JWT is not a readable compact JWS: /) });
    }
  });

  it('an unknown critical header extension: jose refuses it (RFC 7515 §4.1.11) → JWT_MALFORMED, end to end', async () => {
    const r = rejected(await f.verify(await sign({ header: { crit: ['x-mock'], 'x-mock': 1 } })), JWT_CAUSES.malformed);
    expect(r.rejection.explanation).toMatch(/^the key-pair JWT header is not one the verifier understands: Extension Header Parameter "x-mock" is not recognized$/);
  });

  it('a token signed by another key but naming this fingerprint → 394306, end to end', async () => {
    const forged = await sign({ privateKey: privateKeyPem('bob'), publicKey: publicKeyPem('alice') });
    const r = rejected(await f.verify(forged), '394306');
    expect(r.rejection.explanation).toMatch(/does not verify with RSA_PUBLIC_KEY/);
  });
});

describe('key and signature (https://docs.snowflake.com/en/user-guide/key-pair-auth, https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting)', () => {
  it('rejects a key that is in neither slot (394304)', async () => {
    const r = rejected(await f.verify(await sign({ privateKey: privateKeyPem('bob') })), '394304');
    expect(r.user?.name).toBe('ALICE');
    expect(r.rejection.explanation).toMatch(/^fingerprint SHA256:\S+ matches neither RSA_PUBLIC_KEY \(SHA256:\S+\) nor RSA_PUBLIC_KEY_2 \(unset\) of ALICE$/);
  });

  it('rejects a signature with a flipped character (394306)', async () => {
    const token = await sign();
    const at = token.lastIndexOf('.') + 10;
    const flipped = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    rejected(await f.verify(flipped), '394306');
  });

  it('rejects a payload changed after signing (394306)', async () => {
    const token = await sign();
    const payload = jose.decodeJwt(token);
    rejected(await f.verify(withSegment(token, 1, { ...payload, exp: payload.exp! + 60 })), '394306');
  });
});

describe('time (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating)', () => {
  it('requires iat and exp as numbers (394301)', async () => {
    rejected(await f.verify(await sign({ claims: { exp: undefined } })), '394301');
    rejected(await f.verify(await sign({ claims: { iat: undefined } })), '394301');
    rejected(await f.verify(await sign({ claims: { iat: String(NOW / SEC) } })), '394301');
  });

  it('rejects iat 61 s before first use, accepts 59 s (394302)', async () => {
    const r = rejected(await f.verify(await sign({ iat: NOW - 61 * SEC })), '394302');
    expect(r.rejection.explanation).toMatch(/iat 2026-03-01T11:58:59\.000Z .* is 61 s before first use at 2026-03-01T12:00:00\.000Z \(window 60 s, judged on first use — inferred\)/);
    accepted(await f.verify(await sign({ iat: NOW - 59 * SEC })));
  });

  it('rejects iat more than 60 s in the future (394302)', async () => {
    const r = rejected(await f.verify(await sign({ iat: NOW + 61 * SEC })), '394302');
    expect(r.rejection.explanation).toMatch(/61 s after first use/);
    accepted(await f.verify(await sign({ iat: NOW + 59 * SEC })));
  });

  it('reuses a token for 30 min without a second signature verification', async () => {
    const token = await sign();
    const before = verifyCalls();
    accepted(await f.verify(token));
    expect(verifyCalls()).toBe(before + 1);
    expect(f.jwt.cacheSize).toBe(1);
    const again = accepted(await f.verify(token, 30 * MIN));
    expect(again.explanation).toMatch(/\(cached; valid until 2026-03-01T12:59:00\.000Z\)$/);
    expect(verifyCalls()).toBe(before + 1);
  });

  it('answers a cached token synchronously (no promise: jose is not involved), a new one with a promise', async () => {
    const token = await sign();
    const first = f.verify(token);
    expect(first).toBeInstanceOf(Promise);
    accepted(await first);
    const cached = f.verify(token, MIN);
    expect(cached).not.toBeInstanceOf(Promise);
    accepted(cached as AuthOutcome);
  });

  it('refuses before the signature synchronously: no jose work for a token whose claims already fail', async () => {
    const before = verifyCalls();
    const refused = f.verify(await sign({ privateKey: privateKeyPem('bob') }));
    expect(refused).not.toBeInstanceOf(Promise);
    rejected(refused as AuthOutcome, '394304');
    expect(verifyCalls()).toBe(before);
  });

  it('judges the window on first use only, also after invalidate()', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    f.jwt.invalidate();
    expect(f.jwt.cacheSize).toBe(0);
    const before = verifyCalls();
    accepted(await f.verify(token, 30 * MIN)); // full verification again, but first seen at iat
    expect(verifyCalls()).toBe(before + 1);
  });

  it('caps the lifetime at 1 h: exp 2 h ahead is accepted, then refused after 1 h', async () => {
    const token = await sign({ lifetimeSeconds: 2 * 3600 });
    accepted(await f.verify(token));
    accepted(await f.verify(token, 59 * MIN));
    const r = rejected(await f.verify(token, 60 * MIN), '394303');
    expect(r.rejection.explanation).toMatch(/capped at iat \+ 1 h/);
  });

  it('caps the lifetime at 1 h also on first use', async () => {
    rejected(await f.verify(await sign({ iat: NOW - 30 * SEC, lifetimeSeconds: 7200 }), 3600 * SEC), '394303');
  });

  it('rejects an expired token with 390144, or 390318 under BCR 2026_07 (cause 394303)', async () => {
    const token = await sign({ iat: NOW - 2 * MIN, lifetimeSeconds: 60 });
    const r = rejected(await f.verify(token), '394303');
    expect(r.rejection.explanation).toBe('key-pair JWT of ALICE expired at 2026-03-01T11:59:00.000Z, now 2026-03-01T12:00:00.000Z');
    const b = rejected(await setup({ bcr2026_07: true }).verify(token), '394303', '390318');
    expect(r.rejection.rule).toBe(SOURCES.keyPairTroubleshooting);
    expect(b.rejection.rule).toBe(SOURCES.bcr2026_07);
  });

  it('rejects a cached token once it expires, with the BCR code when switched', async () => {
    const g = setup({ bcr2026_07: true });
    const token = await sign({ lifetimeSeconds: 300 });
    accepted(await g.verify(token));
    rejected(await g.verify(token, 5 * MIN), '394303', '390318');
  });

  it('rejects exp not after iat (394303)', async () => {
    rejected(await f.verify(await sign({ lifetimeSeconds: 0 })), '394303');
    rejected(await f.verify(await sign({ lifetimeSeconds: -10 })), '394303');
    const r = rejected(await f.verify(await sign({ iat: NOW + 30 * SEC, lifetimeSeconds: -10 })), '394303'); // exp still in the future
    expect(r.rejection.explanation).toMatch(/is invalid: exp 2026-03-01T12:00:20\.000Z is not after iat 2026-03-01T12:00:30\.000Z/);
  });
});

describe('cache invalidation on key or user change (DESIGN.md §5.8)', () => {
  it('rejects a cached token after its key is removed', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    f.alice.rsaPublicKey = undefined;
    rejected(await f.verify(token, MIN), '394304');
    expect(f.jwt.cacheSize).toBe(0);
  });

  it('rejects a cached token after the slot gets another key', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    f.alice.rsaPublicKey = slot('alice-rotated');
    rejected(await f.verify(token, MIN), '394304');
  });

  it('re-verifies the signature when the key object is replaced, even with the same fingerprint', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    f.alice.rsaPublicKey = slot('alice');
    const before = verifyCalls();
    accepted(await f.verify(token, MIN));
    expect(verifyCalls()).toBe(before + 1);
  });

  it('follows a key moved to the other slot', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    f.alice.rsaPublicKey2 = { ...f.alice.rsaPublicKey!, slot: 'RSA_PUBLIC_KEY_2' };
    f.alice.rsaPublicKey = undefined;
    expect(accepted(await f.verify(token, MIN)).explanation).toMatch(/RSA_PUBLIC_KEY_2/);
  });

  it('rejects a disabled user, before and after caching', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    f.alice.disabled = true;
    const r = rejected(await f.verify(token, MIN), JWT_CAUSES.userDisabled);
    expect(r.user?.name).toBe('ALICE');
    expect(r.rejection.explanation).toBe('user ALICE is disabled; its key-pair JWT is refused');
    const g = setup();
    g.alice.disabled = true;
    rejected(await g.verify(await sign()), JWT_CAUSES.userDisabled);
  });

  it('rejects a cached token after the user is dropped', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    f.main.users.delete('ALICE');
    rejected(await f.verify(token, MIN), '394300');
  });

  it('honours a narrowed jwtAlgorithms switch for cached tokens', async () => {
    const token = await sign();
    accepted(await f.verify(token));
    (f.world.switches as { jwtAlgorithms: readonly string[] }).jwtAlgorithms = ['ES256'];
    rejected(await f.verify(token, MIN), '394305');
  });
});

describe('cache bounds', () => {
  it('evicts the oldest entry beyond maxCacheEntries', async () => {
    const g = setup({}, 2);
    for (const s of [0, 1, 2]) accepted(await g.verify(await sign({ iat: NOW - s * SEC })));
    expect(g.jwt.cacheSize).toBe(2);
  });

  it('sweeps expired entries a few per call', async () => {
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, i) => sign({ iat: NOW - i * SEC, lifetimeSeconds: 120 })));
    for (const t of tokens) accepted(await f.verify(t));
    expect(f.jwt.cacheSize).toBe(6);
    for (let i = 0; i < 4; i++) await f.verify('garbage', 10 * MIN);
    expect(f.jwt.cacheSize).toBe(0);
  });

  it('does not cache failures', async () => {
    rejected(await f.verify(await sign({ privateKey: privateKeyPem('bob') })), '394304');
    expect(f.jwt.cacheSize).toBe(0);
  });
});

describe('garbage never throws (generic 390144, https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting)', () => {
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
  it.each(garbage)('%s → JWT_MALFORMED', async (_, token) => {
    const r = rejected(await f.verify(token), JWT_CAUSES.malformed);
    expect(r.rejection.explanation.length).toBeLessThan(300);
  });

  it('rejects non-string input', async () => {
    rejected(await f.verify(undefined as unknown as string), JWT_CAUSES.malformed);
    rejected(await f.verify(42 as unknown as string), JWT_CAUSES.malformed);
  });

  it('refuses tokens over 16 384 characters before decoding, even when validly signed', async () => {
    const big = await sign({ claims: { pad: 'x'.repeat(12_300) } });
    expect(big.length).toBeGreaterThan(16_384);
    const r = rejected(await f.verify(big), JWT_CAUSES.malformed);
    expect(r.rejection.explanation).toMatch(/limit 16384/);
    const under = await sign({ claims: { pad: 'x'.repeat(11_500) } });
    expect(under.length).toBeLessThanOrEqual(16_384);
    accepted(await f.verify(under));
  });

  it('survives absurd time values', async () => {
    rejected(await f.verify(await sign({ claims: { iat: 1e300, exp: 1e301 } })), '394302');
    rejected(await f.verify(await sign({ claims: { iat: -1e300, exp: 1 } })), '394303');
  });
});

describe('looksLikeKeypairJwt (inferred heuristic, decisions/0004)', () => {
  it('recognises Snowflake key-pair JWTs', async () => {
    expect(looksLikeKeypairJwt(await sign())).toBe(true);
    expect(looksLikeKeypairJwt(await sign({ timeUnit: 'ms' }))).toBe(true);
    expect(looksLikeKeypairJwt(await sign({ account: 'xy12345', user: 'a.b@c.com', upperCase: false }))).toBe(true);
    expect(looksLikeKeypairJwt(await sign({ claims: { iss: 'A.B.sha256:xyz' } }))).toBe(true);
  });

  it('rejects everything else', async () => {
    expect(looksLikeKeypairJwt('pat-alice-ci-secret')).toBe(false);
    expect(looksLikeKeypairJwt('a.b.c')).toBe(false);
    expect(looksLikeKeypairJwt('')).toBe(false);
    expect(looksLikeKeypairJwt(await sign({ claims: { iss: 'https://login.example.com/' } }))).toBe(false);
    expect(looksLikeKeypairJwt(await sign({ claims: { iss: 'ACCOUNT.SHA256:xyz' } }))).toBe(false);
    expect(looksLikeKeypairJwt(await sign({ claims: { iss: undefined } }))).toBe(false);
    expect(looksLikeKeypairJwt(await sign() + '.extra')).toBe(false);
    expect(looksLikeKeypairJwt('x'.repeat(1_000_000))).toBe(false);
    expect(looksLikeKeypairJwt(null as unknown as string)).toBe(false);
  });
});

describe('signKeypairJwt', () => {
  it('produces Snowflake claims: upper-case, periods in the account become hyphens, 59 min lifetime in seconds', async () => {
    const token = await sign({ account: 'myorg.myaccount', user: 'alice' });
    const [header, payload] = [jose.decodeProtectedHeader(token), jose.decodeJwt(token)];
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    const fp = fingerprintOfPrivateKey(privateKeyPem('alice'));
    expect(fp).toBe(importPublicKey(publicKeyPem('alice')).fingerprint);
    expect(payload).toEqual({ iss: `MYORG-MYACCOUNT.ALICE.${fp}`, sub: 'MYORG-MYACCOUNT.ALICE', iat: NOW / SEC, exp: NOW / SEC + 3540 });
  });

  it('throws on an algorithm it cannot produce', async () => {
    await expect(sign({ alg: 'PS256' })).rejects.toThrow(/cannot sign alg "PS256"/);
  });
});
