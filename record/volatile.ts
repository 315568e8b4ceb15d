/**
 * What replay ignores when it matches a request to a recorded one — in one place, so a reader can
 * see exactly what a replayed client may vary. Everything not listed here must match (with
 * placeholders standing for any value of their kind, record/format.ts).
 *
 * Found by recording snowflake-sdk 3.3's password, key-pair JWT, PAT and OAuth logins + SELECT 1
 * twice and diffing the two runs: only the values below changed (plus the Host port and the JWT
 * signature). The retry parameters come from the driver's retry code
 * (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/http/axios_instance.ts,
 * lib/services/sf.js); the OAuth ones from RFC 6749 §10.12 (state), RFC 7636 (PKCE) and RFC 8252
 * §7.3 (a loopback redirect URI's port is chosen per run and must be accepted on any port).
 *
 * A volatile value is not compared, but whether it is present is reported (a client that stops
 * sending `requestId` is worth knowing about). Where the recorded response repeats a volatile value
 * of the recorded request (an echoed `state`, the SQL API's `requestId`), the client's value is
 * answered instead (record/respond.ts).
 */

/**
 * Query parameters whose values change on every request or run.
 *
 * @example
 * VOLATILE_QUERY_PARAMS.includes('requestId') // true
 */
export const VOLATILE_QUERY_PARAMS: readonly string[] = [
  'requestId', // a UUID per request (every driver)
  'request_guid', // a UUID per request (every driver)
  'clientStartTime', // retries: when the first attempt started
  'retryCount', // retries: the attempt number
  'retryReason', // retries: the previous attempt's HTTP status
  'state', // OAuth: client-generated CSRF value, echoed in the redirect
  'code_challenge', // OAuth PKCE: derived from a fresh code_verifier each run
  'nonce', // OpenID Connect: fresh each run
];

/**
 * Dotted paths into a JSON body whose values change between runs or machines; `*` is any array
 * index or key.
 *
 * @example
 * VOLATILE_BODY_PATHS[0] // 'data.CLIENT_ENVIRONMENT'
 */
export const VOLATILE_BODY_PATHS: readonly string[] = [
  // Describes the client machine and process (OS, library versions, APPLICATION_PATH, platform), not the request.
  'data.CLIENT_ENVIRONMENT',
  // snowflake-connector-python and JDBC stamp query requests with the submission time.
  'querySubmissionTime',
  // Telemetry batches are timestamped per entry.
  'logs.*.timestamp',
];

/**
 * JWT claims whose values differ on every signing (key-pair JWTs, client assertions); their
 * presence, unit and the lifetime `exp − iat` still decide (record/match-jwt.ts).
 *
 * @example
 * VOLATILE_JWT_CLAIMS // ['iat', 'exp', 'nbf', 'jti']
 */
export const VOLATILE_JWT_CLAIMS: readonly string[] = ['iat', 'exp', 'nbf', 'jti'];

/**
 * Placeholder kinds that match any value every time, without binding (record/replay-bindings.ts): a JWT's
 * signature changes whenever its `iat` does, so one recorded JWT login must match every re-signed one.
 *
 * @example
 * UNBOUND_PLACEHOLDER_KINDS.includes('jwt_signature') // true
 */
export const UNBOUND_PLACEHOLDER_KINDS: readonly string[] = ['jwt_signature'];

/**
 * Query or form fields holding a redirect URI whose port is ignored on a loopback host (RFC 8252 §7.3).
 *
 * @example
 * LOOPBACK_PORT_FIELDS // ['redirect_uri']
 */
export const LOOPBACK_PORT_FIELDS: readonly string[] = ['redirect_uri'];

/**
 * Headers that decide a match: the body's media type (its parameters, such as charset, are only
 * reported), the token-type header of the SQL/REST API, and the Authorization header (scheme
 * compared case-insensitively, credentials with placeholders).
 *
 * @example
 * DECISIVE_HEADERS.includes('authorization') // true
 */
export const DECISIVE_HEADERS: readonly string[] = ['content-type', 'x-snowflake-authorization-token-type', 'authorization'];

/**
 * Headers never compared or reported: the transport's own (the Host's port changes with every
 * server; the account in it is compared separately), hop-by-hop ones and lengths (RFC 9110 §7.6.1).
 * Every other header is compared for the report only.
 *
 * @example
 * UNCOMPARED_HEADERS.includes('host') // true
 */
export const UNCOMPARED_HEADERS: readonly string[] = [
  'host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'proxy-connection', 'proxy-authorization', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto',
];

/**
 * True when `path` (dotted, array indices as numbers) is or lies under a volatile body path.
 *
 * @example
 * isVolatileBodyPath(['data', 'CLIENT_ENVIRONMENT']) // true
 * isVolatileBodyPath(['logs', '0', 'timestamp']) // true
 * isVolatileBodyPath(['data', 'LOGIN_NAME']) // false
 */
export function isVolatileBodyPath(path: readonly string[]): boolean {
  return VOLATILE_BODY_PATHS.some((p) => {
    const parts = p.split('.');
    return parts.length <= path.length && parts.every((part, i) => part === '*' || part === path[i]);
  });
}
