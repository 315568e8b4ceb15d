/**
 * A child process for test/driver/snowflake-sdk-https.test.ts: the real snowflake-sdk logs in with a
 * PAT over HTTPS and runs `SELECT 1`, in a process of its own because Node reads
 * NODE_EXTRA_CA_CERTS only at start (https://nodejs.org/api/cli.html#node_extra_ca_certsfile).
 * Prints one JSON line: `{ ok: true, rows }` or `{ ok: false, code, message }`.
 */
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';

type Sdk = typeof import('snowflake-sdk');
const sdk: Sdk = ((await import('snowflake-sdk')) as unknown as { default: Sdk }).default;
// A private dev CA has no OCSP responder, and nothing may leave this machine: OCSP checks off.
// Certificate verification itself stays on (rejectUnauthorized is the driver's default).
sdk.configure({ logLevel: 'OFF', disableOCSPChecks: true } as Parameters<Sdk['configure']>[0]);

const connection = sdk.createConnection({
  accessUrl: process.env.MOCK_URL!,
  account: 'MYORG-MYACCOUNT',
  username: 'alice',
  authenticator: 'PROGRAMMATIC_ACCESS_TOKEN',
  token: process.env.MOCK_PAT!,
  sfRetryMaxLoginRetries: 0,
  retryTimeout: 0,
} as Parameters<Sdk['createConnection']>[0]);

function report(result: Record<string, unknown>): never {
  console.log(JSON.stringify(result));
  process.exit(0);
}

connection.connectAsync((err) => {
  if (err) report({ ok: false, code: (err as { code?: unknown }).code, message: err.message, cause: String((err as { cause?: unknown }).cause ?? '') });
  connection.execute({
    sqlText: 'SELECT 1',
    complete: (error, _statement, rows) => (error ? report({ ok: false, code: (error as { code?: unknown }).code, message: error.message }) : report({ ok: true, rows })),
  });
}).catch(() => undefined);
