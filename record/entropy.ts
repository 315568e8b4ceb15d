/**
 * Long random-looking strings nobody declared: the last net of the final scan. A candidate is a run
 * of at least 32 characters of the base64/base64url alphabet with upper-case letters, lower-case
 * letters and digits, whose Shannon entropy is at least 4 bits per character. Random base64 of that
 * length is above 4.1 bits in 999 of 1000 draws (median 4.6); measured over 100 000 draws the
 * check misses 0.4 % of 32-character base64url tokens and 0.02 % of 48-character ones (those rely
 * on the other checks). English-like identifiers and lower-case hex (digests, UUIDs, statement
 * handles, request ids) stay below or lack a class.
 * Values that are random but public are recognised and left alone: JWT headers and claims (base64url
 * JSON), public keys and certificates (DER that parses as one), SHA-256 fingerprints
 * (`SHA256:…`), Subresource Integrity hashes, `data:` URIs, PKCE `code_challenge`s (RFC 7636:
 * a hash, public by design) and OAuth `state`s (RFC 6749 §10.12: a CSRF value, echoed back). A run
 * that begins like a public key's DER (SubjectPublicKeyInfo, RFC 5280 §4.1) is public even cut short,
 * as Snowflake's error message echoes a refused `RSA_PUBLIC_KEY` (`invalid value [MIGfMA0G…]`).
 */
import { createPublicKey, X509Certificate } from 'node:crypto';

/**
 * Shortest run checked.
 *
 * @example
 * 'q7Xr2LmZ9vBc4NtK8wYp3HsJ6dFa1GeU'.length >= ENTROPY_MIN_LENGTH // true
 */
export const ENTROPY_MIN_LENGTH = 32;
/**
 * Bits per character at or above which a run counts as random.
 *
 * @example
 * shannonBits('q7Xr2LmZ9vBc4NtK8wYp3HsJ6dFa1GeU') >= ENTROPY_BITS // true
 */
export const ENTROPY_BITS = 4.0;

/**
 * A random-looking run in a text.
 *
 * @example
 * const hit: EntropyHit = { start: 3, length: 40, bits: 4.9 }
 */
export interface EntropyHit {
  readonly start: number;
  readonly length: number;
  readonly bits: number;
}

/**
 * Shannon entropy of the characters of a text, in bits per character.
 *
 * @example
 * shannonBits('aaaa') // 0
 * shannonBits('ab')   // 1
 */
export function shannonBits(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

const PUBLIC_BLOCK = /-----BEGIN ((?:RSA )?PUBLIC KEY|CERTIFICATE)-----[\s\S]*?-----END \1-----/g;
/**
 * Fields whose random-looking values are public: PKCE challenges, public keys and their
 * fingerprints, entity tags, request ids of CDNs and load balancers, Content-Security-Policy nonces,
 * OAuth `state` (in JSON a statement's state, also public).
 */
const PUBLIC_NAMES = /^(codechallenge|state|rsapublickey2?|publickey|fingerprint|.*fp|etag|ifnonematch|ifmatch|xamzcfid|xamzid2|x?amzrequestid|xrequestid|requestid|xcorrelationid|traceparent|contentsecuritypolicy|reportto|nel|integrity)$/;

/**
 * True for a field (JSON member, form field, header) whose value is public however random it looks.
 *
 * @example
 * isPublicName('code_challenge') // true
 * isPublicName('code_verifier')  // false
 */
export function isPublicName(name: string): boolean {
  return PUBLIC_NAMES.test(name.toLowerCase().replace(/[-_]/g, ''));
}

/** Text right before a run that says the run is public. */
const PUBLIC_BEFORE = /(SHA256:|sha256:|SHA-256=|sha(256|384|512)-|base64,|code_challenge=|code_challenge"\s*:\s*"|name="code_challenge" value="|(?:^|[?&#;'(\s])state=|name="state" value=")$/;

/**
 * Every random-looking run of a text that is not recognised as public.
 *
 * @example
 * highEntropyRuns('id=3f9aK2mQ8xLp0ZrT7vWcB4nYhE6sJ1dG') // [{ start: 3, length: 32, bits: … }]
 * highEntropyRuns('01b2c3d4-0000-4000-8000-000000000001') // []
 */
export function highEntropyRuns(text: string): EntropyHit[] {
  // Public key blocks and escape sequences (`\n` in JSON text) are blanked, keeping offsets.
  const plain = text.replace(PUBLIC_BLOCK, (b) => ' '.repeat(b.length)).replace(/\\[nrt"/\\]/g, '  ');
  const hits: EntropyHit[] = [];
  for (const m of plain.matchAll(/[A-Za-z0-9+/_-]{32,}={0,2}/g)) {
    for (const part of parts(m[0], m.index)) {
      const bits = part.text.length >= ENTROPY_MIN_LENGTH ? randomBits(part.text) : 0;
      if (bits >= ENTROPY_BITS && !isPublic(part.text, plain.slice(Math.max(0, part.start - 40), part.start))) hits.push({ start: part.start, length: part.text.length, bits });
    }
  }
  return hits;
}

/** A path (`/api/v2/statements/…`) is looked at segment by segment. */
function parts(run: string, start: number): { text: string; start: number }[] {
  if (!run.startsWith('/')) return [{ text: run, start }];
  const out: { text: string; start: number }[] = [];
  let at = start;
  for (const segment of run.split('/')) {
    out.push({ text: segment, start: at });
    at += segment.length + 1;
  }
  return out;
}

function randomBits(run: string): number {
  if (!/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/[0-9]/.test(run)) return 0;
  return shannonBits(run.replace(/=+$/, ''));
}

function isPublic(run: string, before: string): boolean {
  if (PUBLIC_BEFORE.test(before) || /^sha(256|384|512)-/.test(run)) return true;
  if (/^eyJ/.test(run) && isBase64Json(run)) return true;
  return isPublicDer(run) || isSpkiPrefix(run);
}

/** DER object identifiers of public-key algorithms (RFC 3279, RFC 5480, RFC 8410): rsaEncryption, id-ecPublicKey, Ed25519, Ed448, X25519, X448. */
const KEY_ALGORITHMS = ['2a864886f70d010101', '2a8648ce3d0201', '2b6570', '2b6571', '2b656e', '2b656f'];

/**
 * True for base64 that begins like a SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID of a public-key
 * algorithm … } BIT STRING … } — a public key, possibly cut short. A private key (PKCS #8 starts with
 * its version INTEGER) or random text does not begin so.
 *
 * @example
 * isSpkiPrefix('MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDX') // true (a 1024-bit RSA key, cut short)
 */
export function isSpkiPrefix(run: string): boolean {
  if (!/^M[A-Za-z0-9+/]/.test(run)) return false;
  const der = Buffer.from(run.slice(0, run.length - (run.length % 4)), 'base64');
  let at = 1;
  if (der[0] !== 0x30) return false;
  const first = der[at]!;
  at += first === 0x81 ? 2 : first === 0x82 ? 3 : first < 0x80 ? 1 : Infinity;
  if (der[at] !== 0x30) return false;
  const algorithm = at + 2 + (der[at + 1]! & 0x7f);
  if (der[at + 1]! >= 0x80 || der[at + 2] !== 0x06) return false;
  const oid = der.subarray(at + 4, at + 4 + der[at + 3]!).toString('hex');
  if (!KEY_ALGORITHMS.includes(oid)) return false;
  // The algorithm's parameters (none, NULL or a curve OID) end where the BIT STRING of the key starts.
  return algorithm >= der.length || der[algorithm] === 0x03;
}

function isBase64Json(run: string): boolean {
  try {
    const value: unknown = JSON.parse(Buffer.from(run, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** A base64 SubjectPublicKeyInfo (what `DESC USER` shows as RSA_PUBLIC_KEY) or X.509 certificate. */
function isPublicDer(run: string): boolean {
  if (!/^MI/.test(run)) return false;
  const der = Buffer.from(run, 'base64');
  try {
    createPublicKey({ key: der, format: 'der', type: 'spki' });
    return true;
  } catch {
    try {
      new X509Certificate(der);
      return true;
    } catch {
      return false;
    }
  }
}
