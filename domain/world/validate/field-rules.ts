/**
 * Rules on one value that need nothing else from the config. `build.ts` and `mutations.ts` use
 * several of them too (keys, PAT names, instants, locators, warehouse sizes), so a world changed
 * at run time obeys the same rules as one loaded from a file.
 */
import { importPublicKey, type ImportedKey } from '../../keys/fingerprint.ts';
import { parseCidr, parseIp } from '../../network/cidr.ts';
import type { Instant } from '../config.ts';

/**
 * Imports a user or client public key and applies Snowflake's rules (https://docs.snowflake.com/en/user-guide/key-pair-auth): RSA of at
 * least 2048 bits, or EC. Throws an Error saying what is wrong.
 *
 * @example
 * importConfiguredKey(readFileSync('fixtures/keys/alice.pub', 'utf8')).fingerprint
 */
export function importConfiguredKey(text: string): ImportedKey {
  const imported = importPublicKey(text);
  const type = imported.key.asymmetricKeyType;
  if (type === 'rsa') {
    const bits = imported.key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error(`RSA key is ${bits} bits; Snowflake requires at least 2048 bits (https://docs.snowflake.com/en/user-guide/key-pair-auth)`);
  } else if (type !== 'ec') {
    throw new Error(`${type} keys are not accepted (expected an RSA key of at least 2048 bits, or an EC key)`);
  }
  return imported;
}

/**
 * Why a PAT name is invalid, or undefined (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token: letters, digits, underscore; starts
 * with a letter or underscore).
 *
 * @example
 * patNameProblem('my-token') // 'PAT name "my-token" must …'
 */
export function patNameProblem(name: string): string | undefined {
  // 255 characters: Snowflake's identifier limit (the docs give none for PAT names).
  if (name.length <= 255 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  const shown = name.length > 60 ? `${name.slice(0, 60)}…" (${name.length} characters` : `${name}"`;
  return `PAT name "${shown} must be at most 255 letters, digits and underscores, and start with a letter or underscore (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)`;
}

/**
 * User types whose PATs need a role restriction by default (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token).
 *
 * @example
 * SERVICE_USER_TYPES.has(user.type)
 */
export const SERVICE_USER_TYPES: ReadonlySet<string> = new Set(['SERVICE', 'LEGACY_SERVICE', 'SERVICE_AGENT']);

/**
 * Splits `xy12345.us-east-2.aws` into locator `XY12345` and region `us-east-2.aws`.
 *
 * @example
 * splitLocator('xy12345.us-east-2.aws') // { locator: 'XY12345', region: 'us-east-2.aws' }
 */
export function splitLocator(text: string): { locator: string; region?: string } {
  const dot = text.indexOf('.');
  if (dot < 0) return { locator: text.toUpperCase() };
  return { locator: text.slice(0, dot).toUpperCase(), region: text.slice(dot + 1).toLowerCase() };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * Reads an instant: epoch ms, a Date, an ISO date (UTC) or an ISO date-time with a time zone.
 * A date-time without a zone is refused: its meaning would depend on the machine's time zone.
 *
 * @example
 * parseInstant('2026-01-01T00:00:00Z') // 1767225600000
 */
export function parseInstant(value: Instant): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !ISO_INSTANT.test(value.trim())) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Why a redirect URI is refused (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake: absolute, and https unless non-TLS is allowed).
 *
 * @example
 * redirectUriProblem('http://app/cb', false) // '"http://app/cb" must use https …'
 */
export function redirectUriProblem(uri: string, allowNonTls: boolean): string | undefined {
  if (!URL.canParse(uri)) return `"${uri}" is not an absolute URL`;
  if (allowNonTls || new URL(uri).protocol === 'https:') return undefined;
  return `"${uri}" must use https (set oauth_allow_non_tls_redirect_uri: true to allow it, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)`;
}

/**
 * Why a URL is not an absolute http(s) URL, or undefined (API_AUTHENTICATION endpoints).
 *
 * @example
 * httpUrlProblem('ftp://idp/token') // '"ftp://idp/token" is not an absolute http(s) URL'
 */
export function httpUrlProblem(uri: string): string | undefined {
  const ok = URL.canParse(uri) && ['http:', 'https:'].includes(new URL(uri).protocol);
  return ok ? undefined : `"${uri}" is not an absolute http(s) URL`;
}

/**
 * Why {@link parseCidr} refuses a text, or undefined: a bad address, a prefix out of range, or
 * host bits set below the prefix, each said plainly so the writer knows which part to fix.
 *
 * @example
 * cidrProblem('10.0.0.1/8') // '"10.0.0.1/8" has host bits set below /8; write the block's network address'
 */
export function cidrProblem(text: string): string | undefined {
  if (parseCidr(text)) return undefined;
  const [address = '', prefix] = text.trim().split('/');
  const ip = parseIp(address);
  if (!ip) return `"${text}" is not an IP address or CIDR block (expected e.g. 10.0.0.0/8, 10.0.0.99 or 2001:db8::/32)`;
  const width = ip.family === 4 ? 32 : 128;
  if (prefix === undefined || !/^\d{1,3}$/.test(prefix) || Number(prefix) > width) {
    return `"${text}" has an invalid prefix length (an IPv${ip.family} prefix is /0 to /${width})`;
  }
  return `"${text}" has host bits set below /${prefix}; write the block's network address`;
}

const WAREHOUSE_SIZES: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ['X-Small', 'XSMALL'], ['Small', 'SMALL'], ['Medium', 'MEDIUM'], ['Large', 'LARGE'], ['X-Large', 'XLARGE'],
    ['2X-Large', 'XXLARGE', 'X2LARGE'], ['3X-Large', 'XXXLARGE', 'X3LARGE'], ['4X-Large', 'X4LARGE'],
    ['5X-Large', 'X5LARGE'], ['6X-Large', 'X6LARGE'],
  ].flatMap(([shown, ...aliases]) => [shown!, ...aliases].map((alias) => [alias.toUpperCase(), shown!])),
);

/**
 * The SHOW WAREHOUSES spelling of a size (`xsmall` → `X-Small`), or undefined when unknown.
 *
 * @example
 * warehouseSize('XSMALL') // 'X-Small'
 */
export function warehouseSize(text: string): string | undefined {
  return WAREHOUSE_SIZES[text.toUpperCase()];
}
