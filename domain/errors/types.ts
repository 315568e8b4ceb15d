/**
 * The shape of the error catalogue (DESIGN.md §5.3): one entry per Snowflake code, with its HTTP
 * status and body envelope on each surface, the message template, the fidelity label and its
 * source. `http/respond.ts` is the one place that turns an entry into a response.
 */
import type { Fidelity } from '../world/model.ts';
import type { Source } from './sources.ts';

/** Where a response is produced; the same code can look different on each. */
/**
 * - `login`: `POST /session/v1/login-request`
 * - `session`: the other driver endpoints behind a session token (query-request, token-request,
 *   session delete, heartbeat, telemetry); GS envelope, SQL failures with their query data
 */
export type Surface = 'login' | 'session' | 'api' | 'oauth-token' | 'oauth-authorize';

/**
 * Body shapes:
 * - `login`: `{data, code:"<code>", message, success:false, headers:null}` (the driver fixtures under
 *   recordings/driver-fixtures/, e.g. gosnowflake's auth/password/invalid_password.json)
 * - `api`: `{code:"<code>", message}` (SQL/REST API auth and payload errors,
 *   https://docs.snowflake.com/en/developer-guide/sql-api/reference)
 * - `query-failure`: `{code, message, sqlState, statementHandle}` (SQL API 422, same page)
 * - `gs-query-failure`: `{data:{errorCode, sqlState, queryId, …}, code, message, success:false}`
 *   (query-request; shape inferred, decisions/0006-driver-sessions.md)
 * - `oauth`: `{data:null, message, code:null, success:false, error}` (https://docs.snowflake.com/en/user-guide/oauth-custom)
 * - `rest-error`: `{message, error_code, request_id}` (REST resource errors)
 * - `html`: an error page (authorize endpoint)
 * - `empty`: no body (e.g. 405)
 */
export type Envelope = 'login' | 'api' | 'query-failure' | 'gs-query-failure' | 'oauth' | 'rest-error' | 'html' | 'empty';

/** How one code appears on one surface. */
export interface SurfaceForm {
  readonly status: number;
  readonly envelope: Envelope;
  /** Fidelity of this status + envelope pairing (may be weaker than the code's own). */
  readonly fidelity: Fidelity;
  /** Why, when the pairing is inferred. */
  readonly note?: string;
}

export interface CatalogueEntry {
  /**
   * Snowflake's number as a string, e.g. `390144`: drivers compare strings
   * (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts).
   */
  readonly code: string;
  /** Snowflake's name, e.g. `JWT_TOKEN_INVALID`. */
  readonly name: string;
  /**
   * Message template. `{incident}` becomes ` [<id>]` style suffix content; other `{x}` come from
   * the rejection's params (e.g. `{ip}`).
   */
  readonly message: string;
  /** Fidelity of the code and message themselves. */
  readonly fidelity: Fidelity;
  /**
   * Where the fact comes from: public URLs and repository paths, named in `sources.ts`
   * (e.g. `SOURCES.keyPairTroubleshooting`). An `inferred` entry names the decision that records the choice.
   */
  readonly source: Source;
  /** One line: when Snowflake answers this. */
  readonly when: string;
  readonly surfaces: Readonly<Partial<Record<Surface, SurfaceForm>>>;
  /** For server-side-only reasons (3943xx): the code clients see instead, unless a switch says otherwise. */
  readonly wireCode?: string;
  /** Incident id style appended to the message: a uuid (390144) or a 13-digit number (390303). */
  readonly incident?: 'uuid' | 'number';
  /** `error` field for the oauth envelope (`invalid_client`, …). */
  readonly oauthError?: string;
  readonly sqlState?: string;
  /**
   * `data` of the login envelope, e.g. `{nextAction:'RETRY_LOGIN', authnMethod:'PAT', signInOptions:{}}`;
   * a string value `{x}` is replaced by the rejection's param `x`.
   */
  readonly loginData?: Readonly<Record<string, unknown>>;
}

/** A named reason finer than any code (e.g. the PAT_INVALID causes); journal-only. */
export interface CauseEntry {
  readonly name: string;
  /** The code that goes on the wire for it. */
  readonly wireCode: string;
  readonly when: string;
  readonly fidelity: Fidelity;
  /** As for a catalogue entry: public URLs and repository paths; an `inferred` cause names its decision. */
  readonly source: Source;
}
