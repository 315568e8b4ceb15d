/**
 * The mock's edge to jose (https://github.com/panva/jose): which jose refusal is which kind (each
 * verifier maps the kinds onto its own causes), verification with an explicit allow-list, and the
 * signing of the tokens tests need, broken ones included.
 */
import { compactVerify, decodeProtectedHeader, errors } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { joseFailure, keyMismatch, signCompact, verifyJws } from '../../domain/auth/jws.ts';
import { privateKeyPem, type FixtureKeyName } from '../helpers/keys.ts';

const keys = (name: FixtureKeyName) => {
  const privateKey = createPrivateKey(privateKeyPem(name));
  return { privateKey, publicKey: createPublicKey(privateKey) };
};
const alice = keys('alice');
const ec = keys('ec-p256');
const CLAIMS = { sub: 'ALICE', iat: 1 };
const sign = (alg: string, header: Record<string, unknown> = { alg, typ: 'JWT' }, k = alice) => signCompact(alg, header, CLAIMS, k.privateKey, k.publicKey, 'test');

describe('joseFailure: jose error codes → kinds', () => {
  it.each([
    [new errors.JWSSignatureVerificationFailed(), 'signature'],
    [new errors.JOSEAlgNotAllowed('x'), 'algorithm'],
    [new errors.JOSENotSupported('x'), 'unsupported'],
    [new errors.JWSInvalid('x'), 'malformed'],
    [new errors.JWTInvalid('x'), 'malformed'],
  ] as const)('%s → %s', (error, kind) => {
    expect(joseFailure(error)).toEqual({ kind, reason: expect.any(String) });
  });

  it('leaves anything else to the caller (a bug, answered as an internal error)', () => {
    expect(joseFailure(new Error('boom'))).toBeUndefined();
    expect(joseFailure(new RangeError('boom'))).toBeUndefined();
    // A key that cannot fit is decided before jose runs (keyMismatch); jose's TypeErrors are bugs.
    expect(joseFailure(new TypeError('Key for the RS256 algorithm must be …'))).toBeUndefined();
    expect(joseFailure(new DOMException('Invalid key type', 'InvalidAccessError'))).toBeUndefined();
    expect(joseFailure(new errors.JWKSTimeout())).toBeUndefined();
    expect(joseFailure('a string')).toBeUndefined();
  });

  it('keeps the reason on one short line', () => {
    const failure = joseFailure(new errors.JWSInvalid(`a\nb ${'x'.repeat(300)}`));
    expect(failure!.reason).not.toMatch(/\n/);
    expect(failure!.reason.length).toBeLessThanOrEqual(121);
  });
});

describe('verifyJws: real jose refusals', () => {
  it('accepts a good signature and refuses a tampered one', async () => {
    const token = await sign('RS256');
    expect(await verifyJws(token, alice.publicKey, ['RS256'])).toBeUndefined();
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await verifyJws(tampered, alice.publicKey, ['RS256'])).toMatchObject({ kind: 'signature' });
  });

  it('alg none: outside the allow-list (algorithm), or listed but unverifiable (unsupported)', async () => {
    const none = await sign('none');
    expect(none.endsWith('.')).toBe(true);
    expect(await verifyJws(none, alice.publicKey, ['RS256'])).toMatchObject({ kind: 'algorithm' });
    expect(await verifyJws(none, alice.publicKey, ['none'])).toMatchObject({ kind: 'unsupported' });
  });

  it('an algorithm outside the allow-list is refused even when the key would verify it', async () => {
    expect(await verifyJws(await sign('RS384'), alice.publicKey, ['RS256'])).toMatchObject({ kind: 'algorithm' });
    expect(await verifyJws(await sign('RS384'), alice.publicKey, ['RS256', 'RS384'])).toBeUndefined();
  });

  it('an ES256 token against an RSA key, an RS256 token against an EC key: key', async () => {
    expect(await verifyJws(await sign('ES256', undefined, ec), alice.publicKey, ['ES256'])).toMatchObject({ kind: 'key' });
    expect(await verifyJws(await sign('RS256'), ec.publicKey, ['RS256'])).toMatchObject({ kind: 'key' });
    expect(await verifyJws(await sign('ES256', undefined, ec), ec.publicKey, ['ES256'])).toBeUndefined();
  });

  it('HS256 keyed with the public key (key confusion) is never verified with a public key', async () => {
    const hs = await sign('HS256');
    expect(await verifyJws(hs, alice.publicKey, ['RS256'])).toMatchObject({ kind: 'algorithm' });
    expect(await verifyJws(hs, alice.publicKey, ['HS256'])).toMatchObject({ kind: 'key' });
  });

  it('a malformed compact form: malformed', async () => {
    for (const token of ['a.b', 'a.b.c.d', '', 'eyJhbGciOiJSUzI1NiJ9.e30.A', '!!.e30.sig']) {
      expect(await verifyJws(token, alice.publicKey, ['RS256']), token).toMatchObject({ kind: 'malformed' });
    }
  });

  it('an unknown critical header extension: unsupported (RFC 7515 §4.1.11)', async () => {
    const crit = await sign('RS256', { alg: 'RS256', crit: ['x-test'], 'x-test': 1 });
    expect(await verifyJws(crit, alice.publicKey, ['RS256'])).toMatchObject({ kind: 'unsupported', reason: 'Extension Header Parameter "x-test" is not recognized' });
  });
});

describe('signCompact', () => {
  it('signs with jose: the header and claims exactly as given, ES* in JWS r||s form', async () => {
    const token = await sign('ES256', { alg: 'ES256', typ: 'JWT', kid: 'k1' }, ec);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'k1' });
    expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(64);
    await expect(compactVerify(token, ec.publicKey)).resolves.toMatchObject({ protectedHeader: { alg: 'ES256' } });
  });

  it('a header without alg: no alg in the token, still signed with alg over the header as written', async () => {
    const token = await sign('RS256', { typ: 'JWT' });
    expect(decodeProtectedHeader(token)).toEqual({ typ: 'JWT' });
    expect(await verifyJws(token, alice.publicKey, ['RS256'])).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/"alg"/) });
  });

  it('refuses what it cannot produce, naming the caller', async () => {
    await expect(sign('PS256')).rejects.toThrow(/^test: cannot sign alg "PS256"/);
    await expect(sign('RS256', { alg: 'RS512' })).rejects.toThrow(/header alg "RS512" differs from alg "RS256"/);
  });
});

describe('keyMismatch: the key an algorithm needs (RFC 7518 §3.3, §3.4), decided before jose', () => {
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
  it.each([
    ['RS256', 'rsa2048', undefined],
    ['RS256', 'rsa1024', /1024 bits/],
    ['RS256', 'p256', /needs an RSA key/],
    ['ES256', 'p256', undefined],
    ['ES256', 'p384', /prime256v1/],
    ['ES384', 'p384', undefined],
    ['ES256', 'rsa2048', /EC key on prime256v1/],
    ['HS256', 'rsa2048', /HMAC secret/],
  ] as const)('%s with %s', (alg, which, expected) => {
    const key = { rsa2048: alice.publicKey, rsa1024, p256: ec.publicKey, p384 }[which];
    const found = keyMismatch(key, alg);
    if (expected === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(expected);
  });
});
