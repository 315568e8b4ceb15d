/**
 * Drives the real, unmodified `snowflake-sdk` against the mock (issue #5): connect with any
 * authenticator, run a statement, destroy. The environment variables the driver reads at load time
 * (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/telemetry/platform_detection.ts, lib/services/sf.js) are set before it is imported, so
 * importing this module first is required.
 */
import type { Clock } from '../../domain/clock.ts';
import type { Journal } from '../../domain/journal.ts';
import type { WorldApi } from '../../api/world.ts';
import type { FaultControl } from '../../domain/faults.ts';

// No cloud-metadata probes, no extra connection-shape telemetry after each login.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';

type Sdk = typeof import('snowflake-sdk');
type Connection = ReturnType<Sdk['createConnection']>;
export type ConnectionOptions = Parameters<Sdk['createConnection']>[0];

const sdk: Sdk = ((await import('snowflake-sdk')) as unknown as { default: Sdk }).default;
/** The driver caches MFA and OAuth tokens through a credential manager; keep them in memory, per process. */
const credentials = new Map<string, string>();
const memoryCredentials = {
  read: async (key: string) => credentials.get(key) ?? null,
  write: async (key: string, value: string) => void credentials.set(key, value),
  remove: async (key: string) => void credentials.delete(key),
};
// In-process there is no TLS certificate to check; without this the OCSP agent waits for one.
sdk.configure({ logLevel: 'OFF', disableOCSPChecks: true, customCredentialManager: memoryCredentials } as Parameters<Sdk['configure']>[0]);

/**
 * Forgets the driver's cached MFA/OAuth tokens (between tests).
 *
 * @example
 * afterEach(() => forgetCachedCredentials())
 */
export function forgetCachedCredentials(): void {
  credentials.clear();
}

/** What a driver test needs from the mock, whichever transport serves it. */
export interface DriverTarget {
  readonly name: string;
  /** `accessUrl` for the driver. */
  readonly accessUrl: string;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly world: WorldApi;
  readonly faults: FaultControl;
  reset(): void;
}

/** A driver error as the caller sees it. */
export interface DriverError {
  readonly code: unknown;
  readonly message: string;
}

/** Options every test connection shares: our account, no retry storms, a short guard. */
export function baseOptions(target: DriverTarget, extra: Partial<ConnectionOptions>): ConnectionOptions {
  const http = target.accessUrl.startsWith('http:');
  return {
    accessUrl: target.accessUrl,
    account: 'MYORG-MYACCOUNT',
    sfRetryMaxLoginRetries: 0,
    // A value below 300 is raised to 300 (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/connection_config.js); the guard below bounds each connect anyway.
    retryTimeout: 0,
    ...(http && { oauthHttpAllowed: true }),
    ...extra,
  } as ConnectionOptions;
}

/** Upper bound on one connect or query (a guard against a hung driver, not a timing assertion). */
const GUARD_MS = 15_000;

function guarded<T>(what: string, run: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer from the driver within ${GUARD_MS} ms`)), GUARD_MS);
    run((err, value) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value as T);
    });
  });
}

/**
 * Connects (always through `connectAsync`'s callback: its promise resolves even on failure, as the driver tests found).
 *
 * @example
 * const conn = await connect(baseOptions(target, { username: 'alice', password: 'alice-password' }))
 */
export function connect(options: ConnectionOptions): Promise<Connection> {
  const connection = sdk.createConnection(options);
  return guarded<Connection>('connect', (done) => {
    void connection.connectAsync((err) => done(err, connection));
  });
}

/** The error a failing connect gives its caller. */
export async function connectError(options: ConnectionOptions): Promise<DriverError> {
  try {
    const c = await connect(options);
    await destroy(c);
  } catch (err) {
    const e = err as { code?: unknown; message?: string };
    return { code: e.code, message: e.message ?? String(err) };
  }
  throw new Error('connect succeeded, but a failure was expected');
}

/**
 * Runs one statement and returns its rows.
 *
 * @example
 * await query(conn, 'SELECT CURRENT_USER()') // [{ 'CURRENT_USER()': 'ALICE' }]
 */
export function query(connection: Connection, sqlText: string): Promise<Record<string, unknown>[]> {
  return guarded<Record<string, unknown>[]>('execute', (done) => {
    connection.execute({ sqlText, complete: (err, _stmt, rows) => done(err, (rows ?? []) as Record<string, unknown>[]) });
  });
}

/** The error a failing statement gives its caller. */
export async function queryError(connection: Connection, sqlText: string): Promise<DriverError> {
  try {
    await query(connection, sqlText);
  } catch (err) {
    const e = err as { code?: unknown; message?: string };
    return { code: e.code, message: e.message ?? String(err) };
  }
  throw new Error(`${sqlText} succeeded, but a failure was expected`);
}

/** Closes the session (`POST /session?delete=true`). */
export function destroy(connection: Connection): Promise<void> {
  return guarded<void>('destroy', (done) => {
    connection.destroy((err) => done(err));
  });
}

/** Connects, asks who we are, disconnects. */
export async function whoAmI(options: ConnectionOptions): Promise<{ user: unknown; role: unknown }> {
  const c = await connect(options);
  try {
    const [row] = await query(c, 'SELECT CURRENT_USER(), CURRENT_ROLE()');
    return { user: row?.['CURRENT_USER()'], role: row?.['CURRENT_ROLE()'] };
  } finally {
    await destroy(c);
  }
}

/**
 * Plays the user's browser for OAUTH_AUTHORIZATION_CODE (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_authorization_code.js): follow the authorize
 * URL (auto-consent answers with a redirect) and deliver the redirect to the driver's listener.
 */
export function browserFor(): (url: string) => void {
  return (url) => {
    void (async () => {
      const answer = await fetch(url, { redirect: 'manual' });
      const location = answer.headers.get('location');
      if (location) await fetch(location);
    })();
  };
}

export { sdk };

/**
 * The driver target of an in-process mock: the driver's HTTPS requests to the account host go to its MSW handlers.
 *
 * @example
 * const target = mswDriverTarget(createSnowflakeMock({ seed: 5 }))
 */
export function mswDriverTarget(mock: { clock: Clock; journal: Journal; world: WorldApi; faults: FaultControl; reset(): void }): DriverTarget {
  return { name: 'msw', accessUrl: 'https://myorg-myaccount.snowflakecomputing.com', clock: mock.clock, journal: mock.journal, world: mock.world, faults: mock.faults, reset: () => mock.reset() };
}
