/**
 * Signing External OAuth access tokens as an outside IdP would (reference §1.9): a compact JWS
 * whose claims the caller chooses. The mock IdP signs with it; tests whose integration configures
 * `external_oauth_rsa_public_key` sign their own tokens with it. Pure: no clock, no state.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { encode, signatureOf } from './keypair-jwt-sign.ts';

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
 * signExternalOAuthToken({ privateKey: pem, claims: { iss: 'https://idp.example.com', sub: 'alice', aud: 'https://myorg-myaccount.snowflakecomputing.com', scp: 'session:role:ANALYST', iat: now, exp: now + 3600 } })
 */
export function signExternalOAuthToken(o: SignExternalOAuthTokenOptions): string {
  const privateKey = typeof o.privateKey === 'string' ? createPrivateKey(o.privateKey) : o.privateKey;
  const alg = o.alg ?? 'RS256';
  const header: Record<string, unknown> = { alg, typ: 'JWT', ...(o.kid !== undefined && { kid: o.kid }) };
  for (const [name, value] of Object.entries(o.header ?? {})) {
    if (value === undefined) delete header[name];
    else header[name] = value;
  }
  const input = `${encode(header)}.${encode(o.claims)}`;
  return `${input}.${signatureOf(alg, input, privateKey, createPublicKey(privateKey))}`;
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
 * The JWK of an RSA public key.
 *
 * @example
 * publicJwk(idp.signingKey.publicKey, idp.signingKey.kid) // { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n, e }
 */
export function publicJwk(publicKey: KeyObject, kid: string): RsaJwk {
  const { n, e } = publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: n!, e: e! };
}
