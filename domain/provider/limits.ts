/**
 * The external OAuth provider's numbers (issue #6). Snowflake documents none of them for the third
 * party of an API_AUTHENTICATION integration, so every value here is the
 * mock's choice — label `inferred` — gathered in one place so a test suite or a later finding can
 * change them in one line. decisions/0007 explains each.
 */

/** Access-token lifetime when OAUTH_ACCESS_TOKEN_VALIDITY is 0 ("provider default"); 1 h, the common default (inferred). */
export const DEFAULT_ACCESS_TOKEN_VALIDITY_S = 3600;

/** Refresh-token lifetime when OAUTH_REFRESH_TOKEN_VALIDITY is absent or 0; 90 days (inferred). */
export const DEFAULT_REFRESH_TOKEN_VALIDITY_S = 90 * 86_400;

/** Authorization codes live 10 minutes, the ceiling RFC 6749 §4.1.2 recommends (inferred). */
export const PROVIDER_CODE_LIFETIME_MS = 600_000;

/** Bounds of the provider's maps (mock limits): the oldest entry is dropped when one is full. */
export const MAX_PROVIDER_CODES = 10_000;
export const MAX_PROVIDER_ACCESS_TOKENS = 200_000;
export const MAX_PROVIDER_REFRESH_TOKENS = 200_000;

/** Expired entries are kept this long so a late request is told "expired", not "unknown". */
export const PROVIDER_SWEEP_GRACE_MS = 3_600_000;

/** Status of a provider told to be down, unless the caller names another 5xx. */
export const DEFAULT_DOWN_STATUS = 503;

/** Longest `state` the authorize endpoint carries back (mock limit; RFC 6749 sets none). */
export const MAX_STATE_LENGTH = 2048;

/** Longest user name the consent page accepts (mock limit). */
export const MAX_USERNAME_LENGTH = 256;
