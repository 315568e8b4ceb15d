/**
 * Producing Snowflake-style key-pair JWTs (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating), as the drivers do: for tests, for
 * examples and for anyone calling the mock's SQL API by hand. Client-side code: it never decides
 * anything for the mock, so its only default time source is the caller's real clock. jose signs
 * (https://github.com/panva/jose), so signing is asynchronous.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { fingerprintOf, importPublicKey } from '../keys/fingerprint.ts';
import { signCompact } from './jws.ts';

export interface SignKeypairJwtOptions {
  /** PKCS#8 PEM (unencrypted) or a private KeyObject. */
  readonly privateKey: string | KeyObject;
  /** Org-account name (`MYORG-MYACCOUNT`) or locator without region (`XY12345`). */
  readonly account: string;
  /** The user's LOGIN_NAME. */
  readonly user: string;
  /** Whose fingerprint goes in `iss`; default: derived from `privateKey`. PEM or bare base64 SPKI. */
  readonly publicKey?: string | KeyObject;
  /** Issue time, epoch ms; default `now`. */
  readonly iat?: number;
  /** `exp - iat`; default 3540 (59 min, as Snowflake's sample code). */
  readonly lifetimeSeconds?: number;
  /** `s` (Python/Go drivers, default) or `ms` (snowflake-sdk, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_keypair.js). */
  readonly timeUnit?: 's' | 'ms';
  /** Header `alg`; default RS256. Also ES256/384/512, RS384/512; `none` (empty signature) and HS256/384/512 (HMAC keyed with the public key's DER, the classic confusion attack) for negative tests. */
  readonly alg?: string;
  /** Epoch ms used when `iat` is absent; default the real current time. */
  readonly now?: number;
  /** Extra or overriding claims; `undefined` deletes a claim. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Extra or overriding header fields; `undefined` deletes one (e.g. `{ typ: undefined }`; `{ alg: undefined }`: no alg, still signed with `alg`). */
  readonly header?: Readonly<Record<string, unknown>>;
  /** Default true: upper-case account and user, replace '.' in the account with '-' (sql-api/authenticating). */
  readonly upperCase?: boolean;
}

/**
 * Signs a key-pair JWT with `iss = ACCOUNT.USER.SHA256:<fp>`, `sub = ACCOUNT.USER`, `iat`, `exp`
 * (https://docs.snowflake.com/en/user-guide/key-pair-auth). Rejects on an algorithm it cannot produce.
 *
 * @example
 * const token = await signKeypairJwt({ privateKey: pem, account: 'myorg-myaccount', user: 'alice' })
 * // iss "MYORG-MYACCOUNT.ALICE.SHA256:…", iat/exp in seconds, 59 min apart
 * await signKeypairJwt({ privateKey: pem, account: 'XY12345', user: 'ALICE', timeUnit: 'ms', lifetimeSeconds: 120 }) // snowflake-sdk style
 */
export async function signKeypairJwt(o: SignKeypairJwtOptions): Promise<string> {
  const privateKey = toPrivateKey(o.privateKey);
  const publicKey = o.publicKey === undefined ? createPublicKey(privateKey) : typeof o.publicKey === 'string' ? importPublicKey(o.publicKey).key : o.publicKey;
  const upper = o.upperCase ?? true;
  const account = upper ? o.account.toUpperCase().replace(/\./g, '-') : o.account;
  const user = upper ? o.user.toUpperCase() : o.user;
  const iatMs = o.iat ?? o.now ?? Date.now(); // client side: the signer's own clock, as a driver's
  const inUnit = (ms: number): number => (o.timeUnit === 'ms' ? ms : Math.floor(ms / 1000));
  const claims = merge({
    iss: `${account}.${user}.${fingerprintOf(publicKey)}`,
    sub: `${account}.${user}`,
    iat: inUnit(iatMs),
    exp: inUnit(iatMs + (o.lifetimeSeconds ?? 3540) * 1000),
  }, o.claims);
  const alg = o.alg ?? 'RS256';
  const header = merge({ alg, typ: 'JWT' }, o.header);
  return signCompact(alg, header, claims, privateKey, publicKey, 'signKeypairJwt');
}

/**
 * The Snowflake fingerprint (`SHA256:…`) of the public half of a private key.
 *
 * @example
 * fingerprintOfPrivateKey(readFileSync('fixtures/keys/alice.p8', 'utf8')) // 'SHA256:…='
 */
export function fingerprintOfPrivateKey(privateKey: string | KeyObject): string {
  return fingerprintOf(createPublicKey(toPrivateKey(privateKey)));
}

function toPrivateKey(key: string | KeyObject): KeyObject {
  return typeof key === 'string' ? createPrivateKey(key) : key;
}

/**
 * `base` with `extra` laid over it; an `undefined` value deletes the field (shared with `external-oauth-sign.ts`).
 *
 * @example
 * merge({ alg: 'RS256', typ: 'JWT' }, { typ: undefined, kid: 'k1' }) // { alg: 'RS256', kid: 'k1' }
 */
export function merge(base: Record<string, unknown>, extra: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}
