/**
 * The session parameters a driver session reports, at login (`data.parameters`) and with every
 * query result: snowflake-sdk formats TIMESTAMP columns with TIMEZONE and
 * the `*_OUTPUT_FORMAT` values it finds there (test/driver/driver-cases.ts). Snowflake's defaults, as in the drivers' fixtures
 * (python `queries/select_1_successful.json`).
 */

/** One `{name, value}` entry. */
export interface SessionParameter {
  readonly name: string;
  readonly value: string | number | boolean;
}

/**
 * The parameters every session reports (frozen; shared by login and query answers).
 *
 * @example
 * SESSION_PARAMETERS.find((p) => p.name === 'TIMEZONE')?.value // 'America/Los_Angeles'
 */
export const SESSION_PARAMETERS: readonly SessionParameter[] = Object.freeze([
  { name: 'TIMEZONE', value: 'America/Los_Angeles' },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
  { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: '' },
  { name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: '' },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS' },
  { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
  { name: 'CLIENT_TIMESTAMP_TYPE_MAPPING', value: 'TIMESTAMP_LTZ' },
  { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false },
  { name: 'CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY', value: 3600 },
  { name: 'CLIENT_PREFETCH_THREADS', value: 4 },
  { name: 'CLIENT_RESULT_CHUNK_SIZE', value: 160 },
  { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 },
  { name: 'CLIENT_TELEMETRY_ENABLED', value: true },
].map((p) => Object.freeze(p)));
