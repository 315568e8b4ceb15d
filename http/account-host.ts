/**
 * Which account a request is for. Snowflake routes by host name
 * (https://docs.snowflake.com/en/developer-guide/sql-api/reference):
 * `<orgname>-<accountname>.snowflakecomputing.com` or `<locator>[.<region>…].snowflakecomputing.com`.
 */
import type { Account, World } from '../domain/world/model.ts';

const SNOWFLAKE_HOST = /\.snowflakecomputing\.(com|cn)$/;

/** True for hosts Snowflake serves accounts on. */
export function isSnowflakeHost(host: string): boolean {
  return SNOWFLAKE_HOST.test(host);
}

// Hosts write account names with '-' or '_' interchangeably (myorg-account_xyz); compare both as '-'.
const norm = (s: string): string => s.toUpperCase().replace(/_/g, '-');

/**
 * Finds the account a host names by its first label (org-account name or locator).
 *
 * @example
 * accountForLabel(world, 'myorg-myaccount') // the MYORG-MYACCOUNT account
 */
export function accountForLabel(world: World, label: string): Account | undefined {
  const wanted = norm(label);
  return world.accounts.find((a) => norm(a.name) === wanted || norm(a.locator) === wanted);
}

/**
 * Resolves the account for a host. On `*.snowflakecomputing.com` only a known account matches.
 * Elsewhere (a local server, `myorg-myaccount.localhost`) the first label is tried, then the
 * world's first account is used.
 *
 * @example
 * resolveAccount(world, 'xy12345.us-east-2.aws.snowflakecomputing.com')
 */
export function resolveAccount(world: World, host: string): Account | undefined {
  // Every request asks; the answer only changes with the world, so remember it per world.
  let known = resolved.get(world);
  if (!known) resolved.set(world, (known = new Map()));
  if (known.has(host)) return known.get(host);
  const label = host.split('.', 1)[0] ?? '';
  const account = accountForLabel(world, label) ?? (isSnowflakeHost(host) ? undefined : world.accounts[0]);
  if (known.size >= 256) known.clear();
  known.set(host, account);
  return account;
}

const resolved = new WeakMap<World, Map<string, Account | undefined>>();
