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

/** sfc32: tiny, fast, good enough for ids (not for secrets that must resist guessing). */
function sfc32(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next(); // mix the seed in
  return next;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (x: number): string => HEX[x >>> 24]! + HEX[(x >>> 16) & 0xff]! + HEX[(x >>> 8) & 0xff]! + HEX[x & 0xff]!;

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
      // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx with version 4 and variant 10xx
      return hex32(a) + '-' + HEX[b >>> 24]! + HEX[(b >>> 16) & 0xff]! + '-4' + HEX[(b >>> 8) & 0xff]!.slice(1) + HEX[b & 0xff]! + '-' +
        '89ab'[c >>> 30]! + HEX[(c >>> 16) & 0xff]!.slice(1) + HEX[(c >>> 8) & 0xff]! + '-' + HEX[c & 0xff]! + HEX[d >>> 24]! + HEX[(d >>> 16) & 0xff]! + HEX[(d >>> 8) & 0xff]! + HEX[d & 0xff]! + HEX[(a ^ c) & 0xff]!;
    },
    incidentNumber: () => String(1 + (next() % 9)) + String(next() % 1e6).padStart(6, '0') + String(next() % 1e6).padStart(6, '0'),
    token(prefix, length = 48) {
      // Opaque tokens come from the fast PRNG (issued on hot paths, e.g. every token request): six
      // base-36 characters per 32-bit draw, each chunk upper- or lower-case so they read like tokens.
      let out = '';
      let mask = next();
      while (out.length < length) {
        const chunk = (next() % 2176782336).toString(36).padStart(6, '0');
        out += mask & 1 ? chunk.toUpperCase() : chunk;
        mask >>>= 1;
      }
      return prefix + out.slice(0, length);
    },
    personName: () => faker.person.firstName(),
  };
}

