/**
 * The endpoints `verify` knows by path, and what kind of comparison and request preparation each
 * gets. Paths as Snowflake serves them (https://docs.snowflake.com/en/user-guide/oauth-custom for
 * `/oauth/*`; the GS paths as the drivers call them).
 */

/** An endpoint family. */
export type EndpointKind = 'login' | 'renew' | 'query' | 'delete' | 'heartbeat' | 'telemetry' | 'authorize' | 'token' | 'other';

const KINDS: Readonly<Record<string, EndpointKind>> = {
  '/session/v1/login-request': 'login',
  '/session/token-request': 'renew',
  '/queries/v1/query-request': 'query',
  '/session': 'delete',
  '/session/heartbeat': 'heartbeat',
  '/telemetry/send': 'telemetry',
  '/oauth/authorize': 'authorize',
  '/oauth/token-request': 'token',
};

/**
 * Paths some clients use for Snowflake's token endpoint (gosnowflake's tests point at `/oauth/token`).
 *
 * @example
 * TOKEN_ALIASES.includes('/oauth/token') // true
 */
export const TOKEN_ALIASES: readonly string[] = ['/oauth/token'];

/**
 * The kind of a path.
 *
 * @example
 * endpointKind('/session/v1/login-request') // 'login'
 */
export function endpointKind(path: string): EndpointKind {
  return KINDS[path] ?? (TOKEN_ALIASES.includes(path) ? 'token' : 'other');
}

/**
 * GS endpoints that need a session token (`Authorization: Snowflake Token="…"`).
 *
 * @example
 * SESSION_KINDS.has('query') // true
 */
export const SESSION_KINDS: ReadonlySet<EndpointKind> = new Set(['renew', 'query', 'delete', 'heartbeat', 'telemetry']);
