/**
 * Account locators the config does not give. Snowflake assigns every account a locator such as
 * `XY12345` (https://docs.snowflake.com/en/user-guide/admin-account-identifier); a world may leave
 * it out, and the mock then derives one from the account name. The shape — two letters and five
 * digits — copies the documented examples; how the letters and digits are chosen is the mock's own
 * (inferred): deterministic, so a world gets the same locators on every load and in every process
 * (a scenario run in-process and against `serve` names the same hosts).
 */

/**
 * An account as the config writes it: its name, and its locator when given.
 *
 * @example
 * const account: LocatorInput = { name: 'MYORG-ANALYTICS' }
 */
export interface LocatorInput {
  readonly name: string;
  /** As written (`xy12345` or `xy12345.us-east-2.aws`); absent = derive one. */
  readonly locator?: string | null;
}

/**
 * The locator an account ends up with.
 *
 * @example
 * const resolved: ResolvedLocator = { locator: 'AN04172', derived: true }
 */
export interface ResolvedLocator {
  /** The config's text when given (region included), else the derived locator. */
  readonly locator: string;
  /** True when the config gave none. */
  readonly derived: boolean;
}

/** The default account keeps the locator the docs and the embedded world have always shown. */
const DEFAULT_NAME = 'MYORG-MYACCOUNT';
const DEFAULT_LOCATOR = 'XY12345';
const DIGITS = 5;
const SPACE = 10 ** DIGITS;

/**
 * The locator derived from an account name, before collisions are resolved: the first two letters
 * of the account part of `ORG-ACCOUNT` (of the whole name when that part has fewer), padded with X,
 * then five digits from a hash of the whole name. `MYORG-MYACCOUNT`, the default account, gets
 * `XY12345`, the locator the README and the default world use.
 *
 * @example
 * deriveLocator('MYORG-MYACCOUNT') // 'XY12345'
 * deriveLocator('myorg-analytics') // 'AN' + five digits, the same on every call
 */
export function deriveLocator(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === DEFAULT_NAME) return DEFAULT_LOCATOR;
  return lettersOf(upper) + String(fnv1a(upper) % SPACE).padStart(DIGITS, '0');
}

/**
 * Every account's locator: a given one as written, a missing one derived from the name. Given
 * locators (and account names, which route requests the same way) are taken first; a derived
 * locator that meets one of them, or an earlier derived one, moves to the next number (wrapping
 * from 99999 to 00000), so the result depends only on the accounts and their order.
 *
 * @example
 * resolveLocators([{ name: 'MYORG-MYACCOUNT' }, { name: 'OTHER', locator: 'XY12345' }])
 * // [{ locator: 'XY12346', derived: true }, { locator: 'XY12345', derived: false }]
 */
export function resolveLocators(accounts: readonly LocatorInput[]): ResolvedLocator[] {
  const given = (a: LocatorInput): string | undefined => (typeof a.locator === 'string' && a.locator.trim() !== '' ? a.locator : undefined);
  const taken = new Set<string>();
  for (const a of accounts) {
    taken.add(a.name.trim().toUpperCase());
    const locator = given(a);
    if (locator !== undefined) taken.add(locator.trim().split('.')[0]!.toUpperCase());
  }
  return accounts.map((a) => {
    const locator = given(a);
    if (locator !== undefined) return { locator, derived: false };
    const candidate = deriveLocator(a.name);
    const letters = candidate.slice(0, 2);
    let number = Number(candidate.slice(2));
    // At most SPACE tries: a world has far fewer accounts than numbers, so one is always free.
    for (let tries = 0; tries < SPACE && taken.has(letters + String(number).padStart(DIGITS, '0')); tries++) number = (number + 1) % SPACE;
    const derived = letters + String(number).padStart(DIGITS, '0');
    taken.add(derived);
    return { locator: derived, derived: true };
  });
}

/** Two letters for the locator: from the account part of ORG-ACCOUNT, else from the whole name. */
function lettersOf(upper: string): string {
  const dash = upper.indexOf('-');
  const accountPart = dash < 0 ? upper : upper.slice(dash + 1);
  const letters = (s: string): string => s.replace(/[^A-Z]/g, '');
  const picked = letters(accountPart).length >= 2 ? letters(accountPart) : letters(upper);
  return (picked + 'XX').slice(0, 2);
}

/** FNV-1a, 32 bits (http://www.isthe.com/chongo/tech/comp/fnv/): small, stable, and the same in every runtime. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
