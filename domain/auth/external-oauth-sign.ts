/**
 * Signing External OAuth access tokens as an outside IdP would
 * (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external): a compact JWS
 * whose claims the caller chooses, and the IdP's keys as JWKs. The mock IdP signs with it; tests
 * whose integration configures `external_oauth_rsa_public_key` sign their own tokens with it. No
 * clock, no state beyond a per-key memo of its thumbprint. jose signs and exports
 * (https://github.com/panva/jose), so all three are asynchronous.
 */
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { signCompact } from './jws.ts';
import { merge } from './keypair-jwt-sign.ts';

export interface SignExternalOAuthTokenOptions {
  /** PKCS#8 PEM (unencrypted) or a private KeyObject (RSA for RS256). */
  readonly privateKey: string | KeyObject;
  /** Every claim of the token (iss, sub, aud, iat, exp, scp, …); nothing is added. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Header `kid`, when the IdP names its key. */
  readonly kid?: string;
  /** Header `alg`; default RS256. `none` and HS256 (keyed with the public key's DER) for negative tests. */
  readonly alg?: string;
  /** Extra or overriding header fields; `undefined` deletes one (default header `{ alg, typ: 'JWT', kid? }`). */
  readonly header?: Readonly<Record<string, unknown>>;
}

/**
 * Signs an External OAuth access token.
 *
 * @example
 * const now = Math.floor(mock.clock.now() / 1000)
 * await signExternalOAuthToken({ privateKey: pem, claims: { iss: 'https://idp.example.com', sub: 'alice', aud: 'https://myorg-myaccount.snowflakecomputing.com', scp: 'session:role:ANALYST', iat: now, exp: now + 3600 } })
 */
export async function signExternalOAuthToken(o: SignExternalOAuthTokenOptions): Promise<string> {
  const privateKey = typeof o.privateKey === 'string' ? createPrivateKey(o.privateKey) : o.privateKey;
  const alg = o.alg ?? 'RS256';
  const header = merge({ alg, typ: 'JWT', ...(o.kid !== undefined && { kid: o.kid }) }, o.header);
  return signCompact(alg, header, o.claims, privateKey, createPublicKey(privateKey), 'signExternalOAuthToken');
}

/** A public RSA key as a JWK, as an IdP's JWKS document lists it. */
export interface RsaJwk {
  readonly kty: 'RSA';
  readonly use: 'sig';
  readonly alg: 'RS256';
  readonly kid: string;
  readonly n: string;
  readonly e: string;
}

/**
 * The JWK of an RSA public key (jose `exportJWK`), as a JWKS lists it; `kid` defaults to the key's
 * RFC 7638 thumbprint ({@link keyIdOf}). Rejects for a key that is not RSA.
 *
 * @example
 * await publicJwk(idp.signingKey.publicKey) // { kty: 'RSA', use: 'sig', alg: 'RS256', kid: 'NzbLsXh8…', n, e }
 */
export async function publicJwk(publicKey: KeyObject, kid?: string): Promise<RsaJwk> {
  const { kty, n, e } = await exportJWK(publicKey);
  if (kty !== 'RSA' || n === undefined || e === undefined) throw new TypeError(`publicJwk: expected an RSA public key, got ${kty ?? 'no'} key type`);
  return { kty: 'RSA', use: 'sig', alg: 'RS256', kid: kid ?? (await keyIdOf(publicKey)), n, e };
}

const keyIds = new WeakMap<KeyObject, Promise<string>>();

/**
 * The `kid` the mock IdP gives a key: its RFC 7638 JWK thumbprint (jose `calculateJwkThumbprint`),
 * computed once per key object.
 *
 * @example
 * await keyIdOf(createPublicKey(pem)) // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 */
export function keyIdOf(publicKey: KeyObject): Promise<string> {
  let id = keyIds.get(publicKey);
  if (!id) keyIds.set(publicKey, (id = calculateJwkThumbprint(publicKey)));
  return id;
}
