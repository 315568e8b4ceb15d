/**
 * The provider's refusals: RFC 6749 §5.2 error codes with the HTTP status the provider sends, a
 * description for the wire, and — for the journal only — a finer cause and the rule that decided.
 * The provider is not Snowflake: none of this goes through Snowflake's error catalogue.
 */
import type { ProviderErrorCode, ProviderResult } from './service.ts';

/** A refusal of the token side; a {@link ProviderResult} as it stands. */
export type ProviderFailure = Extract<ProviderResult, { ok: false }> & {
  /** Finer reason for the journal, e.g. `PROVIDER_CODE_REUSED`. */
  readonly cause: string;
  /** Where the rule comes from, e.g. `RFC 6749 §5.2`. */
  readonly rule: string;
};

/**
 * RFC 6749 §5.2: 400, except `invalid_client` (401, which §5.2 allows and most providers send) and a
 * provider told to be down (503 unless told otherwise).
 */
const STATUS: Readonly<Record<ProviderErrorCode, number>> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  temporarily_unavailable: 503,
};

/**
 * Builds a failure.
 *
 * @example
 * fail('invalid_grant', 'PROVIDER_CODE_EXPIRED', 'authorization code expired at 2026-…Z', 'RFC 6749 §4.1.2')
 * // { ok: false, error: 'invalid_grant', description: '…', status: 400, cause: 'PROVIDER_CODE_EXPIRED', rule: 'RFC 6749 §4.1.2' }
 */
export function fail(error: ProviderErrorCode, cause: string, description: string, rule: string, status: number = STATUS[error]): ProviderFailure {
  return { ok: false, error, description, status, cause, rule };
}
