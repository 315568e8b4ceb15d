/**
 * An account's URLs on snowflakecomputing.com: the preferred org-account form (what Snowflake puts
 * in `aud` checks and redirect URIs) and every form that names the account.
 */
import type { Account } from './model.ts';

/**
 * `https://<org>-<account>.snowflakecomputing.com` (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external, https://docs.snowflake.com/en/developer-guide/sql-api/authenticating).
 *
 * @example
 * accountUrl(account) // 'https://myorg-myaccount.snowflakecomputing.com'
 */
export function accountUrl(account: Account): string {
  return `https://${account.name.toLowerCase()}.snowflakecomputing.com`;
}

/**
 * Every URL of the account: org-account name and locator (with and without region; inferred).
 *
 * @example
 * accountUrls(account).has('https://xy12345.snowflakecomputing.com') // true
 */
export function accountUrls(account: Account): Set<string> {
  const hosts = [account.name, account.locator, ...(account.region ? [`${account.locator}.${account.region}`] : [])];
  return new Set(hosts.map((h) => `https://${h.toLowerCase()}.snowflakecomputing.com`));
}
