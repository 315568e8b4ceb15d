/**
 * Compact JWS through jose (https://github.com/panva/jose): verify a signature against one key
 * with an explicit algorithm allow-list, sort jose's refusals into the few kinds the mock's
 * verifiers map onto their own causes, and sign tokens (including the deliberately broken ones
 * negative tests need). Claims are never validated here: each verifier applies Snowflake's rules
 * on the mock clock itself.
 */
import { base64url, CompactSign, compactVerify, decodeProtectedHeader, FlattenedSign } from 'jose';
import type { KeyObject } from 'node:crypto';

/**
 * Why jose refused a compact JWS:
 * - `signature`: the signature does not verify with the key (`ERR_JWS_SIGNATURE_VERIFICATION_FAILED`);
 * - `algorithm`: the header `alg` is not in the allow-list (`ERR_JOSE_ALG_NOT_ALLOWED`);
 * - `unsupported`: jose cannot verify the `alg`, or the header names a critical extension it does not know (`ERR_JOSE_NOT_SUPPORTED`);
 * - `key`: the key cannot verify this `alg` (an RSA key for ES256, a P-256 key for ES384, an RSA key under 2048 bits);
 * - `malformed`: not a compact JWS jose can read (`ERR_JWS_INVALID`, `ERR_JWT_INVALID`).
 */
export type JoseFailureKind = 'signature' | 'algorithm' | 'unsupported' | 'key' | 'malformed';

/** A classified jose refusal; `reason` is jose's message, cut to one short line. */
export interface JoseFailure {
  readonly kind: JoseFailureKind;
  readonly reason: string;
}

const BY_CODE: Readonly<Record<string, JoseFailureKind>> = {
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm',
  ERR_JOSE_NOT_SUPPORTED: 'unsupported',
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed',
};

/**
 * Sorts an error thrown by jose's verification; `undefined` when it is none of the known
 * refusals (a bug, left to the core's internal-error answer). A key that does not fit the algorithm
 * is caught before jose runs ({@link keyMismatch}), so a TypeError from jose is never taken for one.
 *
 * @example
 * await compactVerify(token, rsaKey, { algorithms: ['RS256'] }).catch(joseFailure) // { kind: 'signature', reason: 'signature verification failed' }
 */
export function joseFailure(error: unknown): JoseFailure | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const kind = typeof code === 'string' ? BY_CODE[code] : undefined;
  const reason = oneLine(error instanceof Error ? error.message : String(error));
  return kind ? { kind, reason } : undefined;
}

/** The key each signing algorithm needs (RFC 7518 §3.3, §3.4): RSA of 2048 bits or more, or EC on the named curve. */
const KEY_FIT: Readonly<Record<string, { readonly type: 'rsa' | 'ec'; readonly curve?: string }>> = {
  RS256: { type: 'rsa' }, RS384: { type: 'rsa' }, RS512: { type: 'rsa' },
  ES256: { type: 'ec', curve: 'prime256v1' }, ES384: { type: 'ec', curve: 'secp384r1' }, ES512: { type: 'ec', curve: 'secp521r1' },
};

/**
 * Why `key` cannot have made a signature under `alg`, or `undefined` when it can. Decided from the
 * key itself before jose runs, so that every other error jose raises stays a bug of ours.
 *
 * @example
 * keyMismatch(rsaKey, 'ES256') // 'an rsa key cannot verify ES256 (it needs an EC key on prime256v1)'
 */
export function keyMismatch(key: KeyObject, alg: string): string | undefined {
  // HMAC needs a shared secret; a public key "verifying" HS* is the key-confusion attack.
  if (/^HS(256|384|512)$/.test(alg)) return key.type === 'secret' ? undefined : `a ${key.type} key cannot verify ${alg} (an HMAC secret)`;
  const need = KEY_FIT[alg];
  if (!need) return undefined; // not a signing algorithm we check keys for: jose's allow-list decides
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (need.type === 'rsa') {
    if (type !== 'rsa') return `an ${type ?? 'unknown'} key cannot verify ${alg} (it needs an RSA key)`;
    if ((details.modulusLength ?? 0) < 2048) return `an RSA key of ${details.modulusLength} bits cannot verify ${alg} (2048 or more)`;
    return undefined;
  }
  if (type !== 'ec' || details.namedCurve !== need.curve) return `an ${type === 'ec' ? `EC ${details.namedCurve}` : (type ?? 'unknown')} key cannot verify ${alg} (it needs an EC key on ${need.curve})`;
  return undefined;
}

function headerAlg(token: string): string | undefined {
  try {
    const alg = decodeProtectedHeader(token).alg;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined; // unreadable: jose's own check names it
  }
}

/**
 * Verifies a compact JWS's signature with one key, accepting only `algorithms` (jose's allow-list:
 * `none` and HMAC never pass unless listed, and the key must fit). Resolves to the refusal, or
 * `undefined` when the signature verifies; rejects only on an error jose is not known to raise.
 *
 * @example
 * await verifyJws(token, slot.key, ['RS256']) // undefined, or { kind: 'signature', reason: '…' }
 */
export async function verifyJws(token: string, key: KeyObject, algorithms: readonly string[]): Promise<JoseFailure | undefined> {
  const alg = headerAlg(token);
  const mismatch = alg !== undefined && algorithms.includes(alg) ? keyMismatch(key, alg) : undefined;
  if (mismatch) return { kind: 'key', reason: mismatch };
  try {
    await compactVerify(token, key, { algorithms: [...algorithms] });
    return undefined;
  } catch (error) {
    const failure = joseFailure(error);
    if (!failure) throw error;
    return failure;
  }
}

const SIGNABLE = /^(?:(?:RS|ES|HS)(?:256|384|512)|none)$/;

/**
 * Signs `claims` as a compact JWS with `header` under `alg`: RS* and ES* with the private key,
 * HS* keyed with the public key's DER (the classic key-confusion attack, for negative tests), `none`
 * unsigned (empty signature). A header whose `alg` was removed is still signed with `alg` over the
 * header as written. Throws (rejects) on an algorithm it cannot produce, named `who` in the message.
 *
 * @example
 * await signCompact('RS256', { alg: 'RS256', typ: 'JWT' }, { sub: 'A' }, privateKey, publicKey, 'signKeypairJwt') // 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJBIn0.…'
 */
export async function signCompact(alg: string, header: Readonly<Record<string, unknown>>, claims: Readonly<Record<string, unknown>>, privateKey: KeyObject, publicKey: KeyObject, who: string): Promise<string> {
  if (!SIGNABLE.test(alg)) throw new TypeError(`${who}: cannot sign alg ${JSON.stringify(alg)} (RS256/384/512, ES256/384/512, HS256/384/512 or none)`);
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  if (alg === 'none') return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(payload)}.`;
  const key = alg.startsWith('HS') ? publicKey.export({ type: 'spki', format: 'der' }) : privateKey;
  const options = { crit: criticalExtensions(header) };
  if (header.alg === alg) return new CompactSign(payload).setProtectedHeader({ ...header, alg }).sign(key, options);
  if (header.alg !== undefined) throw new TypeError(`${who}: header alg ${JSON.stringify(header.alg)} differs from alg ${JSON.stringify(alg)}; set alg instead`);
  // jose takes alg from the unprotected header, which the compact form leaves out: the token has no alg.
  const jws = await new FlattenedSign(payload).setProtectedHeader({ ...header }).setUnprotectedHeader({ alg }).sign(key, options);
  return `${jws.protected ?? ''}.${jws.payload}.${jws.signature}`;
}

/** The header's `crit` names, so jose signs a token that carries them (a verifier then refuses what it does not know). */
function criticalExtensions(header: Readonly<Record<string, unknown>>): Record<string, boolean> {
  const crit = Array.isArray(header.crit) ? header.crit.filter((name): name is string => typeof name === 'string') : [];
  return Object.fromEntries(crit.map((name) => [name, false]));
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
