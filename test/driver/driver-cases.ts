/**
 * The snowflake-sdk contract (issue #5): the real driver connects with every authenticator, runs
 * `SELECT CURRENT_USER()`, and each documented failure reaches the caller with Snowflake's code.
 * Defined once, run on both transports (in-process MSW and `serve`).
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../domain/login/totp.ts';
import { baseOptions, browserFor, connect, connectError, destroy, query, queryError, whoAmI, type ConnectionOptions, type DriverTarget } from '../helpers/snowflake-sdk.ts';

const aliceKey = readFileSync(new URL('../../fixtures/keys/alice.p8', import.meta.url), 'utf8');
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Journal entries on a path, newest last. */
function entriesOn(target: DriverTarget, path: string) {
  return target.journal.entries().filter((e) => e.path === path);
}

/**
 * Registers the driver tests against a target made by `target()` (called inside the tests, after
 * the file's hooks have started it).
 *
 * @example
 * defineDriverCases(() => state.target)
 */
export function defineDriverCases(target: () => DriverTarget): void {
  const opts = (extra: Partial<ConnectionOptions>): ConnectionOptions => baseOptions(target(), extra);

  describe('SNOWFLAKE (password), https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_default.js', () => {
    it('logs in and SELECT CURRENT_USER() is the user; LOGIN_NAME is case-insensitive', async () => {
      expect(await whoAmI(opts({ username: 'ALICE', password: 'alice-password' }))).toEqual({ user: 'ALICE', role: 'ANALYST' });
    });
    it('roleName, warehouse and database are honoured', async () => {
      const c = await connect(opts({ username: 'alice', password: 'alice-password', role: 'sysadmin', warehouse: 'COMPUTE_WH', database: 'ANALYTICS' }));
      const [row] = await query(c, 'SELECT CURRENT_ROLE(), CURRENT_WAREHOUSE(), CURRENT_DATABASE()');
      expect(row).toEqual({ 'CURRENT_ROLE()': 'SYSADMIN', 'CURRENT_WAREHOUSE()': 'COMPUTE_WH', 'CURRENT_DATABASE()': 'ANALYTICS' });
      await destroy(c);
    });
    it('wrong password and unknown user both give 390100', async () => {
      for (const [username, password] of [['alice', 'nope'], ['mallory', 'alice-password']] as const) {
        const err = await connectError(opts({ username, password }));
        expect(err).toEqual({ code: '390100', message: 'Incorrect username or password was specified.' });
      }
      expect(target().journal.last()?.cause).toBe('USER_UNKNOWN');
    });
    it('a role that is not granted gives 390189', async () => {
      const err = await connectError(opts({ username: 'alice', password: 'alice-password', role: 'ACCOUNTADMIN' }));
      expect(err.code).toBe('390189');
      expect(err.message).toMatch(/^Role 'ACCOUNTADMIN' specified in the connect string does not exist or not authorized/);
    });
    it('a disabled user gives 390101', async () => {
      target().world.disableUser('ALICE');
      expect((await connectError(opts({ username: 'alice', password: 'alice-password' }))).code).toBe('390101');
    });
    it("a blocked IP gives 390422 (BOB's policy CORP_ONLY allows 10.0.0.0/8 only)", async () => {
      const err = await connectError(opts({ username: 'bob', password: 'bob-password' }));
      expect(err.code).toBe('390422');
      expect(err.message).toMatch(/^Incoming request with IP\/Token 127\.0\.0\.1 is not allowed to access Snowflake/);
      expect(target().journal.last()?.explanation).toMatch(/CORP_ONLY.*user BOB/);
    });
  });

  describe('USERNAME_PASSWORD_MFA, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_default.js', () => {
    it('accepts the fixed passcode and the TOTP code of the mock clock', async () => {
      expect((await whoAmI(opts({ authenticator: 'USERNAME_PASSWORD_MFA', username: 'carol', password: 'carol-password', passcode: '123456' }))).user).toBe('CAROL');
      const passcode = totpCode('JBSWY3DPEHPK3PXP', target().clock.now());
      expect((await whoAmI(opts({ authenticator: 'USERNAME_PASSWORD_MFA', username: 'carol', password: 'carol-password', passcode }))).user).toBe('CAROL');
    });
    it('accepts a passcode appended to the password (passcodeInPassword)', async () => {
      expect((await whoAmI(opts({ authenticator: 'USERNAME_PASSWORD_MFA', username: 'carol', password: 'carol-password123456', passcodeInPassword: true } as Partial<ConnectionOptions>))).user).toBe('CAROL');
    });
    it('a wrong passcode, and no second factor at all, give 394508', async () => {
      expect((await connectError(opts({ authenticator: 'USERNAME_PASSWORD_MFA', username: 'carol', password: 'carol-password', passcode: '000000' }))).code).toBe('394508');
      const err = await connectError(opts({ username: 'carol', password: 'carol-password' }));
      expect(err.code).toBe('394508');
      expect(err.message).toMatch(/MFA with TOTP is required/);
    });
    it('returns an MFA token when the driver asks for one, and the driver logs in with it next time', async () => {
      const mfa = { authenticator: 'USERNAME_PASSWORD_MFA', username: 'carol', password: 'carol-password', clientRequestMFAToken: true } as Partial<ConnectionOptions>;
      await whoAmI(opts({ ...mfa, passcode: '123456' }));
      expect(entriesOn(target(), '/session/v1/login-request').at(-1)?.explanation).toMatch(/MFA token issued/);
      expect((await whoAmI(opts(mfa))).user).toBe('CAROL');
      expect(entriesOn(target(), '/session/v1/login-request').at(-1)?.explanation).toMatch(/cached MFA token accepted/);
    });
  });

  describe('SNOWFLAKE_JWT (key pair), https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_keypair.js', () => {
    it("logs in with the user's registered key (the driver's millisecond iat/exp)", async () => {
      expect((await whoAmI(opts({ authenticator: 'SNOWFLAKE_JWT', username: 'alice', privateKey: aliceKey }))).user).toBe('ALICE');
    });
    it('an unregistered key gives 390144', async () => {
      const err = await connectError(opts({ authenticator: 'SNOWFLAKE_JWT', username: 'alice', privateKey: strangerKey }));
      expect(err.code).toBe('390144');
      expect(target().journal.last()?.cause).toBe('394304');
    });
    it('an expired JWT gives 390144 (the driver signs with real time; the mock clock is 2 h later)', async () => {
      target().clock.advance('2h');
      const err = await connectError(opts({ authenticator: 'SNOWFLAKE_JWT', username: 'alice', privateKey: aliceKey }));
      expect(err.code).toBe('390144');
      expect(target().journal.last()?.cause).toBe('394303');
    });
  });

  describe('OAUTH, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth.js', () => {
    it('logs in with an access token of the world; its role is the session role', async () => {
      expect(await whoAmI(opts({ authenticator: 'OAUTH', token: 'oauth-alice-token' }))).toEqual({ user: 'ALICE', role: 'ANALYST' });
    });
    it('an unknown token gives 390303, an expired one 390318', async () => {
      expect((await connectError(opts({ authenticator: 'OAUTH', token: 'not-a-token' }))).code).toBe('390303');
      target().clock.advance('11m');
      expect((await connectError(opts({ authenticator: 'OAUTH', token: 'oauth-alice-token' }))).code).toBe('390318');
    });
  });

  describe('PROGRAMMATIC_ACCESS_TOKEN, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_pat.js', () => {
    it('logs in with a PAT as token, and with a PAT given as the password', async () => {
      expect(await whoAmI(opts({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' }))).toEqual({ user: 'ALICE', role: 'ANALYST' });
      expect((await whoAmI(opts({ username: 'alice', password: 'pat-alice-ci' }))).user).toBe('ALICE');
    });
    it('a bad, a disabled and an expired PAT give 394400', async () => {
      const pat = (token: string) => opts({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token });
      expect((await connectError(pat('pat-nobody'))).code).toBe('394400');
      target().world.disablePat('ALICE', 'CI');
      expect((await connectError(pat('pat-alice-ci'))).code).toBe('394400');
      expect(target().journal.last()?.cause).toBe('PAT_DISABLED');
      target().world.disablePat('ALICE', 'CI', false);
      target().clock.advance('16d');
      expect((await connectError(pat('pat-alice-ci'))).code).toBe('394400');
      expect(target().journal.last()?.cause).toBe('PAT_EXPIRED');
    });
  });

  describe('driver-driven OAuth flows against the mock OAuth server, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts, auth_oauth_authorization_code.js', () => {
    it('OAUTH_CLIENT_CREDENTIALS: token from /oauth/token-request, then an OAUTH login', async () => {
      const who = await whoAmI(opts({ authenticator: 'OAUTH_CLIENT_CREDENTIALS', oauthClientId: 'driver-app-client', oauthClientSecret: 'driver-app-secret', role: 'ANALYST' } as Partial<ConnectionOptions>));
      expect(who).toEqual({ user: 'ALICE', role: 'ANALYST' });
      expect(entriesOn(target(), '/oauth/token-request').at(-1)?.decision).toBe('allowed');
    });
    it('OAUTH_CLIENT_CREDENTIALS with a wrong secret fails at the token endpoint', async () => {
      const err = await connectError(opts({ authenticator: 'OAUTH_CLIENT_CREDENTIALS', oauthClientId: 'driver-app-client', oauthClientSecret: 'wrong', role: 'ANALYST' } as Partial<ConnectionOptions>));
      expect(err.message).toMatch(/401/);
      expect(entriesOn(target(), '/oauth/token-request').at(-1)?.code).toBe('invalid_client');
    });
    it('OAUTH_AUTHORIZATION_CODE: authorize (PKCE) → redirect to the driver → code exchange → login', async () => {
      const who = await whoAmI(opts({ authenticator: 'OAUTH_AUTHORIZATION_CODE', oauthClientId: 'driver-app-client', oauthClientSecret: 'driver-app-secret', role: 'ANALYST', openExternalBrowserCallback: browserFor() } as Partial<ConnectionOptions>));
      expect(who).toEqual({ user: 'ALICE', role: 'ANALYST' });
      expect(entriesOn(target(), '/oauth/authorize').at(-1)?.decision).toBe('allowed');
    });
  });

  describe('OAUTH_AUTHORIZATION_CODE with cached tokens, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_authorization_code.js', () => {
    const codeFlow = (scope: string) =>
      // The driver caches tokens only under a username (its cache key).
      opts({ authenticator: 'OAUTH_AUTHORIZATION_CODE', username: 'alice', oauthClientId: 'driver-app-client', oauthClientSecret: 'driver-app-secret', oauthScope: scope, clientStoreTemporaryCredential: true, openExternalBrowserCallback: browserFor() } as Partial<ConnectionOptions>);
    const loginCodes = () => entriesOn(target(), '/session/v1/login-request').map((e) => e.code ?? e.decision);

    it('an expired cached access token answers 390318 and the driver refreshes it with the refresh token', async () => {
      expect((await whoAmI(codeFlow('session:role:ANALYST refresh_token'))).user).toBe('ALICE');
      target().clock.advance('11m'); // past the 10 min access-token validity
      expect((await whoAmI(codeFlow('session:role:ANALYST refresh_token'))).user).toBe('ALICE');
      expect(loginCodes()).toEqual(['allowed', '390318', 'allowed']);
      const grants = entriesOn(target(), '/oauth/token-request').map((e) => e.explanation.match(/grant_type=(\w+)|authorization_code|refresh_token/)?.[0]);
      expect(grants).toEqual(['authorization_code', 'refresh_token']);
      expect(entriesOn(target(), '/oauth/authorize')).toHaveLength(1); // no second browser round
    });

    it('without a refresh token the driver runs the browser flow again', async () => {
      await whoAmI(codeFlow('session:role:ANALYST'));
      target().clock.advance('11m');
      expect((await whoAmI(codeFlow('session:role:ANALYST'))).user).toBe('ALICE');
      expect(loginCodes()).toEqual(['allowed', '390318', 'allowed']);
      expect(entriesOn(target(), '/oauth/authorize')).toHaveLength(2);
    });
  });

  describe('session lifetime, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts', () => {
    it('an expired session token is renewed by the driver and the query then succeeds', async () => {
      const c = await connect(opts({ username: 'alice', password: 'alice-password' }));
      target().clock.advance('61m');
      expect(await query(c, 'SELECT CURRENT_USER()')).toEqual([{ 'CURRENT_USER()': 'ALICE' }]);
      const queries = entriesOn(target(), '/queries/v1/query-request');
      expect(queries.map((e) => e.code ?? e.decision)).toEqual(['390112', 'allowed']);
      expect(entriesOn(target(), '/session/token-request').map((e) => e.decision)).toEqual(['allowed']);
      await destroy(c);
    });
    it('an expired master token answers the renewal 390114; the driver then drops the connection', async () => {
      const c = await connect(opts({ username: 'alice', password: 'alice-password' }));
      target().clock.advance('4h1m');
      const err = await queryError(c, 'SELECT 1');
      expect(entriesOn(target(), '/session/token-request').at(-1)?.code).toBe('390114');
      // 390114 means "log in again" (gs_errors.ts MASTER_TOKEN_EXPIRED); snowflake-sdk disconnects and fails the statement with its own 407002.
      expect(err).toEqual({ code: 407002, message: 'Unable to perform operation using terminated connection.' });
    });
    it('destroy() closes the session on the mock', async () => {
      const c = await connect(opts({ username: 'alice', password: 'alice-password' }));
      await destroy(c);
      expect(entriesOn(target(), '/session').at(-1)?.explanation).toMatch(/closed/);
    });
    it('an unknown statement is the mock-labelled 999001 (decisions/0016), a malformed one a SQL compilation error, neither a crash', async () => {
      const c = await connect(opts({ username: 'alice', password: 'alice-password' }));
      const err = await queryError(c, 'SELEKT 1');
      expect(err.code).toBe('999001');
      expect(err.message).toMatch(/^snowflake-auth-mock: this statement is not modelled \("SELEKT 1"\)/);
      const malformed = await queryError(c, 'ALTER USER ADD PAT X DAYS_TO_EXPIRY =');
      expect(malformed.code).toBe('001003');
      expect(malformed.message).toMatch(/SQL compilation error/);
      await destroy(c);
    });
  });

  describe('SQL commands through the driver (the SQL layer shared with the SQL API)', () => {
    it('ADD PAT, SHOW USER PATS and DESC USER return rows the driver parses (timestamps included)', async () => {
      const c = await connect(opts({ username: 'alice', password: 'alice-password' }));
      const [added] = await query(c, "ALTER USER ADD PAT LAPTOP DAYS_TO_EXPIRY = 2 COMMENT = 'dev box'");
      expect(added).toMatchObject({ token_name: 'LAPTOP', token_secret: expect.any(String) });
      const shown = await query(c, 'SHOW USER PATS');
      expect(shown.map((r) => r.name)).toEqual(['CI', 'LAPTOP']);
      // The driver formats TIMESTAMP columns with the session's TIMEZONE and output formats.
      const laptop = JSON.parse(JSON.stringify(shown))[1];
      expect(laptop).toMatchObject({ name: 'LAPTOP', user_name: 'ALICE', status: 'ACTIVE', comment: 'dev box' });
      expect(laptop.expires_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [-+]\d{4}$/);
      const desc = await query(c, 'DESC USER alice');
      expect(desc.find((r) => r.property === 'RSA_PUBLIC_KEY_FP')?.value).toBe('SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=');
      await destroy(c);
      // The new secret works at once, as a driver password too.
      expect((await whoAmI(opts({ username: 'alice', password: String(added!.token_secret) }))).user).toBe('ALICE');
    });
    it("a PAT session may not manage its own user's PATs; another user's needs an admin role", async () => {
      const c = await connect(opts({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' }));
      expect((await queryError(c, 'ALTER USER ROTATE PAT CI')).code).toBe('394401');
      expect((await queryError(c, 'ALTER USER bob ADD PAT X')).code).toBe('003001');
      await destroy(c);
    });
  });

  describe('retries, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js', () => {
    it('a 503 on login is retried by the driver and the second attempt succeeds', async () => {
      target().faults.inject({ path: '/session/v1/login-request', method: 'POST', status: 503, count: 1 });
      const c = await connect(opts({ username: 'alice', password: 'alice-password', sfRetryMaxLoginRetries: 2, retryTimeout: 300 } as Partial<ConnectionOptions>));
      expect(await query(c, 'SELECT CURRENT_USER()')).toEqual([{ 'CURRENT_USER()': 'ALICE' }]);
      expect(entriesOn(target(), '/session/v1/login-request').map((e) => e.decision)).toEqual(['fault', 'allowed']);
      await destroy(c);
    });
  });
}
