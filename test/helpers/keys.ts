/**
 * Fixture keys for tests (fixtures/keys): fixed keys, so fingerprints are stable (DESIGN.md §5.4).
 * Test-only: reads files with node:fs, which domain must not.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Names of the key pairs in fixtures/keys. */
export type FixtureKeyName = 'alice' | 'alice-rotated' | 'bob' | 'ec-p256' | 'etl-bot' | 'weak-1024';

const KEYS_DIR = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
const cache = new Map<string, string>();

function read(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(KEYS_DIR + file, 'utf8');
    cache.set(file, text);
  }
  return text;
}

/**
 * The PKCS#8 private key PEM of a fixture (`<name>.p8`).
 *
 * @example
 * await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE' })
 */
export function privateKeyPem(name: FixtureKeyName): string {
  return read(`${name}.p8`);
}

/**
 * The SPKI public key PEM of a fixture (`<name>.pub`).
 *
 * @example
 * importPublicKey(publicKeyPem('alice')).fingerprint
 */
export function publicKeyPem(name: FixtureKeyName): string {
  return read(`${name}.pub`);
}

/**
 * Both halves of a fixture key pair.
 *
 * @example
 * const { privateKey, publicKey } = keyPair('etl-bot')
 */
export function keyPair(name: FixtureKeyName): { privateKey: string; publicKey: string } {
  return { privateKey: privateKeyPem(name), publicKey: publicKeyPem(name) };
}
