/**
 * Producing Snowflake-style key-pair JWTs (reference §2.1), as the drivers do: for tests, for
 * examples and for anyone calling the mock's SQL API by hand. Client-side code: it never decides
 * anything for the mock, so its only default time source is the caller's real clock.
 */
import { createHmac, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { fingerprintOf, importPublicKey } from '../keys/fingerprint.ts';

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
  /** `s` (Python/Go drivers, default) or `ms` (snowflake-sdk, drivers §3.3). */
  readonly timeUnit?: 's' | 'ms';
  /** Header `alg`; default RS256. Also ES256/384/512, RS384/512; `none` (empty signature) and HS256/384/512 (HMAC keyed with the public key's DER, the classic confusion attack) for negative tests. */
  readonly alg?: string;
  /** Epoch ms used when `iat` is absent; default the real current time. */
  readonly now?: number;
  /** Extra or overriding claims; `undefined` deletes a claim. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Extra or overriding header fields; `undefined` deletes one (e.g. `{ typ: undefined }`). */
  readonly header?: Readonly<Record<string, unknown>>;
  /** Default true: upper-case account and user, replace '.' in the account with '-' (reference §2.1). */
  readonly upperCase?: boolean;
}

const HASHES: Readonly<Record<string, string>> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/**
 * Signs a key-pair JWT with `iss = ACCOUNT.USER.SHA256:<fp>`, `sub = ACCOUNT.USER`, `iat`, `exp`.
 * Throws on an algorithm it cannot produce.
 *
 * @example
 * const token = signKeypairJwt({ privateKey: pem, account: 'myorg-myaccount', user: 'alice' })
 * // iss "MYORG-MYACCOUNT.ALICE.SHA256:…", iat/exp in seconds, 59 min apart
 * signKeypairJwt({ privateKey: pem, account: 'XY12345', user: 'ALICE', timeUnit: 'ms', lifetimeSeconds: 120 }) // snowflake-sdk style
 */
export function signKeypairJwt(o: SignKeypairJwtOptions): string {
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
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${signatureOf(alg, input, privateKey, publicKey)}`;
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

function merge(base: Record<string, unknown>, extra: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

/**
 * One JWS segment: base64url of the JSON of `value` (shared with `external-oauth-sign.ts`).
 *
 * @example
 * encode({ alg: 'RS256' }) // 'eyJhbGciOiJSUzI1NiJ9'
 */
export function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * The signature segment of `input` under `alg` (RS*, ES*, HS* keyed with the public key's DER, or
 * `none`); throws on an algorithm it cannot produce.
 *
 * @example
 * signatureOf('RS256', `${encode(header)}.${encode(claims)}`, privateKey, publicKey)
 */
export function signatureOf(alg: string, input: string, privateKey: KeyObject, publicKey: KeyObject): string {
  if (alg === 'none') return '';
  const hash = HASHES[alg.slice(2)];
  const family = alg.slice(0, 2);
  if (hash === undefined || alg.length !== 5) throw new TypeError(`signKeypairJwt: cannot sign alg ${JSON.stringify(alg)} (RS256/384/512, ES256/384/512, HS256/384/512 or none)`);
  const data = Buffer.from(input);
  if (family === 'RS') return sign(hash, data, privateKey).toString('base64url');
  if (family === 'ES') return sign(hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  if (family === 'HS') return createHmac(hash, publicKey.export({ type: 'spki', format: 'der' })).update(input).digest('base64url');
  throw new TypeError(`signKeypairJwt: cannot sign alg ${JSON.stringify(alg)}`);
}
