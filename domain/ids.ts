/**
 * Generated ids, tokens and secrets. With a seed every value is reproducible. Hot-path values (uuids
 * for statement handles and error incidents, opaque tokens) come from a small seeded PRNG; faker,
 * seeded from the same seed, gives the realistic-looking values (person names).
 */
import { Faker, en } from '@faker-js/faker';

/** Source of generated values for one mock. */
export interface Ids {
  /** RFC 4122 v4-shaped uuid (query ids, statement handles, the `[<uuid>]` in error messages). */
  uuid(): string;
  /** 13-digit number like the `[1172527951366]` Snowflake appends to login errors. */
  incidentNumber(): string;
  /** An opaque token: `prefix` + `length` url-safe characters. */
  token(prefix: string, length?: number): string;
  /** A realistic person name (for generated users). */
  personName(): string;
}

/**
 * sfc32: tiny, fast, good enough for ids (not for secrets that must resist guessing). The state
 * lives in a Uint32Array: as closure variables, every draw boxed its values above 2^30 as heap numbers.
 */
function sfc32(seed: number): () => number {
  const s = new Uint32Array([0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0]);
  const next = (): number => {
    const a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!;
    const t = (((a + b) >>> 0) + d) >>> 0;
    s[3] = d + 1;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = (((c << 21) | (c >>> 11)) >>> 0) + t;
    return t;
  };
  for (let i = 0; i < 12; i++) next(); // mix the seed in
  return next;
}

// Character codes, so an id is built as one flat string (no concatenation, no flattening later).
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const VARIANT_CODES = Array.from('89ab', (c) => c.charCodeAt(0));
const BASE36_LOWER = Array.from('0123456789abcdefghijklmnopqrstuvwxyz', (c) => c.charCodeAt(0));
const BASE36_UPPER = Array.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', (c) => c.charCodeAt(0));
/** 36^6: six base-36 digits per 32-bit draw. */
const CHUNK = 2176782336;
let scratch = Buffer.alloc(256);

/**
 * Creates an id source; the same seed gives the same sequence.
 *
 * @example
 * createIds(42).uuid() // the same uuid on every run
 */
export function createIds(seed?: number): Ids {
  const s = seed ?? Math.floor(Math.random() * 2 ** 31);
  const next = sfc32(s);
  const faker = new Faker({ locale: [en] });
  faker.seed(s);
  return {
    uuid() {
      const a = next(), b = next(), c = next(), d = next();
      const e = (a ^ c) & 0xff;
      const H = HEX_CODES;
      // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx with version 4 and variant 10xx; the last two hex digits are (a ^ c) & 0xff
      return String.fromCharCode(
        H[a >>> 28]!, H[(a >>> 24) & 15]!, H[(a >>> 20) & 15]!, H[(a >>> 16) & 15]!, H[(a >>> 12) & 15]!, H[(a >>> 8) & 15]!, H[(a >>> 4) & 15]!, H[a & 15]!, 45,
        H[b >>> 28]!, H[(b >>> 24) & 15]!, H[(b >>> 20) & 15]!, H[(b >>> 16) & 15]!, 45,
        52, H[(b >>> 8) & 15]!, H[(b >>> 4) & 15]!, H[b & 15]!, 45,
        VARIANT_CODES[c >>> 30]!, H[(c >>> 16) & 15]!, H[(c >>> 12) & 15]!, H[(c >>> 8) & 15]!, 45,
        H[(c >>> 4) & 15]!, H[c & 15]!, H[d >>> 28]!, H[(d >>> 24) & 15]!, H[(d >>> 20) & 15]!, H[(d >>> 16) & 15]!,
        H[(d >>> 12) & 15]!, H[(d >>> 8) & 15]!, H[(d >>> 4) & 15]!, H[d & 15]!, H[e >>> 4]!, H[e & 15]!,
      );
    },
    incidentNumber: () => String(1 + (next() % 9)) + String(next() % 1e6).padStart(6, '0') + String(next() % 1e6).padStart(6, '0'),
    token(prefix, length = 48) {
      // Opaque tokens come from the fast PRNG (issued on hot paths, e.g. every token request): six
      // base-36 digits per 32-bit draw, each chunk upper- or lower-case so they read like tokens.
      // Written as character codes (Number#toString(36) and float `%` were most of its cost).
      const p = prefix.length, n = p + length;
      if (scratch.length < n + 6) scratch = Buffer.alloc(2 * (n + 6));
      let latin1 = true;
      for (let i = 0; i < p; i++) {
        const code = prefix.charCodeAt(i);
        if (code > 0xff) latin1 = false;
        scratch[i] = code;
      }
      let mask = next();
      for (let at = p; at < n; at += 6) {
        const t = next();
        let v = t >= CHUNK ? t - CHUNK : t; // t % 36^6, as t < 2^32 < 2 * 36^6
        const digits = mask & 1 ? BASE36_UPPER : BASE36_LOWER;
        mask >>>= 1;
        for (let j = 5; j >= 0; j--) {
          const q = Math.floor(v / 36);
          scratch[at + j] = digits[v - q * 36]!;
          v = q;
        }
      }
      return latin1 ? scratch.toString('latin1', 0, n) : prefix + scratch.toString('latin1', p, n);
    },
    personName: () => faker.person.firstName(),
  };
}

