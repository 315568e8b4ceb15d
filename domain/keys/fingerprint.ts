/**
 * Public keys as Snowflake stores them (https://docs.snowflake.com/en/user-guide/key-pair-auth):
 * base64 DER SPKI, with or without PEM armour; the fingerprint is `SHA256:` + standard base64 of
 * SHA-256 over the DER SPKI. That is Snowflake's rule, not a JOSE one, so it stays on node:crypto,
 * synchronous as world building is; the KeyObjects it makes are what jose verifies with.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** A public key read from config text. */
export interface ImportedKey {
  readonly key: KeyObject;
  readonly fingerprint: string;
  /** The base64 body, without armour or whitespace. */
  readonly body: string;
}

const ARMOUR = /-----(BEGIN|END) [A-Z ]+-----/g;

/**
 * Computes the Snowflake fingerprint of a public key.
 *
 * @example
 * fingerprintOf(createPublicKey(pem)) // 'SHA256:eWMz6eM66Qq…='
 */
export function fingerprintOf(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return 'SHA256:' + createHash('sha256').update(der).digest('base64');
}

/**
 * Imports a public key given as a PEM or as the bare base64 body Snowflake's
 * `ALTER USER … SET RSA_PUBLIC_KEY='MIIB…'` takes. Throws a readable error when it is not one.
 *
 * @example
 * importPublicKey('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…').fingerprint
 */
export function importPublicKey(text: string): ImportedKey {
  const body = text.replace(ARMOUR, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('not base64 (expected a PEM public key or its base64 DER SubjectPublicKeyInfo body)');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new Error('not a DER SubjectPublicKeyInfo public key');
  }
  return { key, fingerprint: fingerprintOf(key), body };
}
