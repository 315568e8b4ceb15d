/**
 * Generated ids, tokens and secrets. With a seed every value is reproducible; faker gives them a
 * realistic look (uuids, long numeric request ids, token-like strings).
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
 * Creates an id source; the same seed gives the same sequence.
 *
 * @example
 * createIds(42).uuid() // the same uuid on every run
 */
export function createIds(seed?: number): Ids {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed ?? Math.floor(Math.random() * 2 ** 31));
  return {
    uuid: () => faker.string.uuid(),
    incidentNumber: () => faker.string.numeric({ length: 13, allowLeadingZeros: false }),
    token: (prefix, length = 48) => prefix + faker.string.alphanumeric(length),
    personName: () => faker.person.firstName(),
  };
}
