/**
 * Example: the real snowflake-sdk against the in-process mock — log in with a password, a PAT and
 * an MFA TOTP code, see Snowflake's error codes, and watch the driver renew an expired session.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createSnowflakeMock, totpCode } from 'snowflake-auth-mock';

// The driver reads these when it loads: no cloud-metadata probes, no extra telemetry per login.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
const { default: snowflake } = await import('snowflake-sdk');
// MSW's sockets carry no certificate, so there is nothing for OCSP to check.
snowflake.configure({ logLevel: 'OFF', disableOCSPChecks: true });

const mock = createSnowflakeMock({ seed: 42 }); // the embedded default world
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

type Options = Parameters<typeof snowflake.createConnection>[0];
const base = { accessUrl: 'https://myorg-myaccount.snowflakecomputing.com', account: 'MYORG-MYACCOUNT', sfRetryMaxLoginRetries: 0 };

/** Connects; resolves with the connection, or rejects with the driver's error. */
function connect(options: Partial<Options>) {
  const conn = snowflake.createConnection({ ...base, ...options } as Options);
  return new Promise<typeof conn>((resolve, reject) => void conn.connectAsync((err) => (err ? reject(err) : resolve(conn))));
}

function run(conn: Awaited<ReturnType<typeof connect>>, sqlText: string) {
  return new Promise<unknown[]>((resolve, reject) => conn.execute({ sqlText, complete: (err, _s, rows) => (err ? reject(err) : resolve(rows ?? [])) }));
}

test('password, PAT and MFA logins; SELECT CURRENT_USER() says who', async () => {
  const password = await connect({ username: 'alice', password: 'alice-password' });
  expect(await run(password, 'SELECT CURRENT_USER()')).toEqual([{ 'CURRENT_USER()': 'ALICE' }]);

  const pat = await connect({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' });
  expect(await run(pat, 'SELECT CURRENT_ROLE()')).toEqual([{ 'CURRENT_ROLE()': 'ANALYST' }]);

  const passcode = totpCode('JBSWY3DPEHPK3PXP', mock.clock.now()); // CAROL's authenticator app, on the mock clock
  const mfa = await connect({ authenticator: 'USERNAME_PASSWORD_MFA', username: 'carol', password: 'carol-password', passcode });
  expect(await run(mfa, 'SELECT CURRENT_USER()')).toEqual([{ 'CURRENT_USER()': 'CAROL' }]);
});

test("failures carry Snowflake's code, and the journal says why", async () => {
  await expect(connect({ username: 'alice', password: 'wrong' })).rejects.toMatchObject({ code: '390100' });
  expect(mock.journal.last()?.explanation).toMatch(/wrong password for ALICE/);

  mock.world.disablePat('ALICE', 'CI');
  await expect(connect({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' })).rejects.toMatchObject({ code: '394400' });
  expect(mock.journal.last()?.cause).toBe('PAT_DISABLED');
});

test('an expired session token is renewed by the driver, invisibly to the caller', async () => {
  const conn = await connect({ username: 'alice', password: 'alice-password' });
  mock.clock.advance('61m'); // past the 1 h session token validity
  expect(await run(conn, 'SELECT 1')).toEqual([{ '1': 1 }]);
  expect(mock.journal.filter((e) => e.path === '/session/token-request').map((e) => e.decision)).toEqual(['allowed']);
});
