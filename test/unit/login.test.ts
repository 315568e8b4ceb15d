/**
 * The driver login pipeline as pure domain code (issue #5; test/driver/driver-cases.ts, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts, https://docs.snowflake.com/en/developer-guide/sql-api/authenticating, https://docs.snowflake.com/en/user-guide/network-policies):
 * parseLoginRequest → decideLogin (authenticator module → network policy → role → namespace →
 * MFA token), TOTP, lock-outs and the session store. Worlds are the default world built at a
 * fixed instant; no HTTP, no route table.
 */
import { describe, expect, it } from 'vitest';
import { createKeypairJwtVerifier } from '../../domain/auth/keypair-jwt.ts';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { createOAuthTokenStore } from '../../domain/auth/oauth-token.ts';
import { buildPatIndex } from '../../domain/auth/pat.ts';
import { createIds } from '../../domain/ids.ts';
import type { LoginContext, LoginFailure } from '../../domain/login/context.ts';
import { lockedOut, recordFailure } from '../../domain/login/lockout.ts';
import { decideLogin, type LoginAccepted } from '../../domain/login/login.ts';
import { identifier, parseLoginRequest, type LoginRequest } from '../../domain/login/login-request.ts';
import { createMfaTokenStore } from '../../domain/login/mfa-tokens.ts';
import { totpCode, verifyTotp } from '../../domain/login/totp.ts';
import { createSessionStore, type SessionSpec } from '../../domain/session/sessions.ts';
import { buildWorld } from '../../domain/world/build.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import { privateKeyPem } from '../helpers/keys.ts';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TOTP_SECRET = 'JBSWY3DPEHPK3PXP';
const ACCOUNT = 'MYORG-MYACCOUNT';

type Data = Record<string, unknown>;

/** The default world (optionally patched), built at NOW, with the stores a login needs. */
function setup(patch?: (config: WorldConfig & { accounts: NonNullable<WorldConfig['accounts']> }) => void) {
  const config = defaultWorldConfig() as WorldConfig & { accounts: NonNullable<WorldConfig['accounts']> };
  patch?.(config);
  const ids = createIds(7);
  const world = buildWorld(config, { now: NOW, ids });
  const account = world.accounts[0]!;
  const stores = { pats: buildPatIndex(world), oauthTokens: createOAuthTokenStore(world), jwt: createKeypairJwtVerifier() };
  const mfaTokens = createMfaTokenStore(ids);
  const state = { now: NOW, clientIp: '127.0.0.1' };
  const ctx = (): LoginContext => ({ world, account, now: state.now, clientIp: state.clientIp, stores, ids, mfaTokens });
  const parse = (data: Data, query = ''): LoginRequest => {
    const parsed = parseLoginRequest(JSON.stringify({ data }), new URLSearchParams(query));
    if (!parsed.ok) throw new Error(`unexpected parse failure: ${parsed.rejection.explanation}`);
    return parsed.value;
  };
  return {
    world,
    account,
    state,
    user: (name: string) => account.users.get(name)!,
    /** A login decision; a promise because a JWT login waits for jose's signature check. */
    login: async (data: Data, query = '') => decideLogin(parse(data, query), ctx()),
    advance(ms: number) {
      state.now += ms;
    },
  };
}

function accepted(outcome: LoginAccepted | LoginFailure): LoginAccepted {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.rejection.code} (${outcome.rejection.cause ?? '-'}): ${outcome.rejection.explanation}`);
  return outcome;
}

function refused(outcome: LoginAccepted | LoginFailure, code: string, cause?: string): LoginFailure['rejection'] {
  if (outcome.ok) throw new Error(`expected ${code}, got a session for ${outcome.user.name}: ${outcome.explanation}`);
  expect(outcome.rejection.code).toBe(code);
  if (cause !== undefined) expect(outcome.rejection.cause).toBe(cause);
  expect(outcome.rejection.explanation).not.toContain('\n');
  return outcome.rejection;
}

const password = (login: string, pw: string, extra: Data = {}): Data => ({ LOGIN_NAME: login, PASSWORD: pw, ...extra });
const mfa = (extra: Data = {}): Data => ({ AUTHENTICATOR: 'USERNAME_PASSWORD_MFA', LOGIN_NAME: 'carol', PASSWORD: 'carol-password', ...extra });
const jwtOf = (key: 'alice' | 'bob', user: string, o: { iat?: number; lifetimeSeconds?: number; timeUnit?: 's' | 'ms' } = {}): Promise<string> =>
  signKeypairJwt({ privateKey: privateKeyPem(key), account: ACCOUNT, user, iat: o.iat ?? NOW, ...(o.lifetimeSeconds !== undefined && { lifetimeSeconds: o.lifetimeSeconds }), ...(o.timeUnit && { timeUnit: o.timeUnit }) });

// ---- parsing ---------------------------------------------------------------------------------------

describe('parseLoginRequest (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js)', () => {
  const parse = (body: string, query = '') => parseLoginRequest(body, new URLSearchParams(query));

  it('reads every field the pipeline uses, upper-cases the authenticator and keeps LOGIN_NAME as typed', async () => {
    const body = JSON.stringify({
      data: {
        ACCOUNT_NAME: 'NOT-THIS-ACCOUNT',
        AUTHENTICATOR: 'username_password_mfa',
        LOGIN_NAME: 'Carol',
        PASSWORD: 'pw',
        TOKEN: 't',
        PASSCODE: '123456',
        EXT_AUTHN_DUO_METHOD: 'PASSCODE',
        passcodeInPassword: true,
        CLIENT_APP_ID: 'JavaScript',
        CLIENT_ENVIRONMENT: { OAUTH_TYPE: 'OAUTH_CLIENT_CREDENTIALS', OS: 'linux' },
        SESSION_PARAMETERS: { CLIENT_REQUEST_MFA_TOKEN: true, CLIENT_STORE_TEMPORARY_CREDENTIAL: false },
        SOMETHING_NEW: { ignored: true },
      },
    });
    const parsed = parse(body, 'requestId=r&roleName=analyst&warehouse=compute_wh&databaseName=analytics&schemaName=public');
    expect(parsed).toEqual({
      ok: true,
      value: {
        authenticator: 'USERNAME_PASSWORD_MFA',
        loginName: 'Carol',
        password: 'pw',
        token: 't',
        passcode: '123456',
        duoMethod: 'passcode',
        passcodeInPassword: true,
        oauthType: 'OAUTH_CLIENT_CREDENTIALS',
        clientAppId: 'JavaScript',
        requestMfaToken: true,
        roleName: 'analyst',
        warehouse: 'compute_wh',
        database: 'analytics',
        schema: 'public',
      },
    });
  });

  it('defaults to SNOWFLAKE, no MFA token request and no namespace', async () => {
    const parsed = parse('{"data":{"LOGIN_NAME":"alice","PASSWORD":"x","TOKEN":null}}');
    expect(parsed).toEqual({ ok: true, value: { authenticator: 'SNOWFLAKE', loginName: 'alice', password: 'x', passcodeInPassword: false, requestMfaToken: false } });
  });

  it('treats a passcodeInPassword or CLIENT_REQUEST_MFA_TOKEN that is not the boolean true as off', async () => {
    const parsed = parse('{"data":{"passcodeInPassword":"true","SESSION_PARAMETERS":{"CLIENT_REQUEST_MFA_TOKEN":"true"}}}');
    expect(parsed.ok && parsed.value.passcodeInPassword).toBe(false);
    expect(parsed.ok && parsed.value.requestMfaToken).toBe(false);
  });

  it.each([
    ['an empty body', '', 'is empty'],
    ['a body that is not JSON', '{"data":', 'not JSON'],
    ['JSON without data', '{"LOGIN_NAME":"alice"}', 'no "data" object'],
    ['data that is an array', '{"data":[1,2]}', 'no "data" object'],
    ['data that is a string', '{"data":"alice"}', 'no "data" object'],
    ['a JSON array', '[{"data":{}}]', 'is not a JSON object'],
    ['a number LOGIN_NAME', '{"data":{"LOGIN_NAME":42}}', 'data.LOGIN_NAME is number, not a string'],
    ['an object PASSWORD', '{"data":{"PASSWORD":{"a":1}}}', 'data.PASSWORD is object, not a string'],
    ['a boolean AUTHENTICATOR', '{"data":{"AUTHENTICATOR":true}}', 'data.AUTHENTICATOR is boolean, not a string'],
    ['an array TOKEN', '{"data":{"TOKEN":["a"]}}', 'data.TOKEN is object, not a string'],
  ])('refuses %s with 390400', (_what, body, words) => {
    const parsed = parse(body);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.rejection).toMatchObject({ code: '390400', cause: 'LOGIN_BODY_INVALID', rule: 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js' });
    expect(parsed.rejection.explanation).toContain(words);
  });

  it('refuses a 1 MB field as malformed instead of comparing it', async () => {
    const parsed = parse(JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'x'.repeat(1_048_576) } }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.rejection.code).toBe('390400');
      expect(parsed.rejection.explanation).toBe('data.PASSWORD is 1048576 characters long (more than 65536)');
    }
    // 64 KiB is still read.
    expect(parse(JSON.stringify({ data: { PASSWORD: 'x'.repeat(65_536) } })).ok).toBe(true);
  });

  it('reads Snowflake identifiers: unquoted upper-cased, quoted kept as written', async () => {
    expect(identifier('analyst')).toBe('ANALYST');
    expect(identifier('"Mixed Case"')).toBe('Mixed Case');
    expect(identifier('"a""b"')).toBe('a"b');
  });
});

// ---- SNOWFLAKE (password) ------------------------------------------------------------------------

describe('SNOWFLAKE password logins (recordings/driver-fixtures/gosnowflake/test_data/wiremock/mappings/auth/password/invalid_password.json)', () => {
  it('accepts the password; LOGIN_NAME is case-insensitive; the session gets the default role', async () => {
    const s = setup();
    const ok = accepted(await s.login(password('ALICE', 'alice-password')));
    expect(ok.user.name).toBe('ALICE');
    expect(ok.auth).toBe('PASSWORD');
    expect(ok.namespace).toEqual({ role: 'ANALYST', warehouse: null, database: null, schema: null });
    expect(ok.mfaToken).toBeUndefined();
    expect(ok.explanation).toBe('password of ALICE; session role ANALYST');
  });

  it('an explicit AUTHENTICATOR "snowflake" is the same', async () => {
    accepted(await setup().login(password('alice', 'alice-password', { AUTHENTICATOR: 'snowflake' })));
  });

  it('a wrong password and an unknown user get the same 390100 (only the journal cause differs)', async () => {
    const s = setup();
    const wrong = refused(await s.login(password('alice', 'nope')), '390100', 'PASSWORD_WRONG');
    const unknown = refused(await s.login(password('mallory', 'nope')), '390100', 'USER_UNKNOWN');
    expect(wrong.explanation).toBe('wrong password for ALICE (failed password attempt 1 of 5)');
    expect(unknown.explanation).toBe('no user has LOGIN_NAME "MALLORY"');
    refused(await s.login({ PASSWORD: 'alice-password' }), '390100', 'USER_MISSING');
    refused(await s.login(password('alice', '')), '390100', 'PASSWORD_WRONG');
  });

  it('a user without a password cannot log in with one', async () => {
    const r = refused(await setup().login(password('etl_bot', 'anything')), '390100', 'PASSWORD_WRONG');
    expect(r.explanation).toMatch(/^user ETL_BOT has no password/);
  });

  it('a disabled user gets 390101 — but only with the right password', async () => {
    const s = setup();
    s.user('ALICE').disabled = true;
    const r = refused(await s.login(password('alice', 'alice-password')), '390101');
    expect(r.explanation).toBe('user ALICE is disabled');
    refused(await s.login(password('alice', 'wrong')), '390100');
  });
});

describe('lock-outs (390102; https://docs.snowflake.com/en/user-guide/programmatic-access-tokens, password policy defaults)', () => {
  it('MINS_TO_UNLOCK locks the user until then, even with the right password', async () => {
    const s = setup((c) => {
      c.accounts[0]!.users!.find((u) => u.name === 'ALICE')!.mins_to_unlock = 10;
    });
    const r = refused(await s.login(password('alice', 'alice-password')), '390102');
    expect(r.explanation).toBe('user ALICE is temporarily locked until 2026-03-01T12:10:00.000Z');
    s.advance(10 * MIN - 1);
    refused(await s.login(password('alice', 'alice-password')), '390102');
    s.advance(1);
    accepted(await s.login(password('alice', 'alice-password')));
  });

  it('five wrong passwords in a row lock the user for 15 minutes on the mock clock', async () => {
    const s = setup();
    for (let i = 1; i <= 4; i++) expect(refused(await s.login(password('alice', `wrong-${i}`)), '390100').explanation).toContain(`attempt ${i} of 5`);
    expect(refused(await s.login(password('alice', 'wrong-5')), '390100').explanation).toContain('5 failed password attempts: user locked until 2026-03-01T12:15:00.000Z');
    refused(await s.login(password('alice', 'alice-password')), '390102');
    s.advance(15 * MIN - SEC);
    refused(await s.login(password('alice', 'alice-password')), '390102');
    s.advance(SEC);
    accepted(await s.login(password('alice', 'alice-password')));
  });

  it('a right password resets the count', async () => {
    const s = setup();
    for (let i = 0; i < 4; i++) refused(await s.login(password('alice', 'wrong')), '390100');
    accepted(await s.login(password('alice', 'alice-password')));
    for (let i = 0; i < 4; i++) refused(await s.login(password('alice', 'wrong')), '390100');
    accepted(await s.login(password('alice', 'alice-password')));
  });

  it('a lock-out does not stop PATs (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens), neither as TOKEN nor given as the password', async () => {
    const s = setup();
    s.user('ALICE').lockedUntil = NOW + HOUR;
    accepted(await s.login({ AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: 'alice', TOKEN: 'pat-alice-ci' }));
    accepted(await s.login(password('alice', 'pat-alice-ci')));
    refused(await s.login(password('alice', 'alice-password')), '390102');
  });

  it('lockedOut / recordFailure directly', async () => {
    const user = setup().user('BOB');
    expect(lockedOut(user, NOW)).toBeUndefined();
    for (let i = 1; i < 5; i++) expect(recordFailure(user, NOW)).toBe(`failed password attempt ${i} of 5`);
    recordFailure(user, NOW);
    expect(lockedOut(user, NOW)?.code).toBe('390102');
    expect(lockedOut(user, NOW + 15 * MIN)).toBeUndefined();
  });
});

// ---- USERNAME_PASSWORD_MFA -----------------------------------------------------------------------

describe('MFA (test/driver/driver-cases.ts)', () => {
  it('an enrolled user without a second factor gets 394508 with loginName in the params', async () => {
    const s = setup();
    const r = refused(await s.login(mfa()), '394508');
    expect(r.params).toEqual({ loginName: 'carol' });
    expect(r.explanation).toBe('user CAROL is enrolled in MFA: no passcode, push or cached MFA token was sent');
    // The default authenticator runs the same second-factor check.
    refused(await s.login(password('carol', 'carol-password')), '394508');
  });

  it('the password is checked before the second factor', async () => {
    refused(await setup().login(mfa({ PASSWORD: 'wrong', EXT_AUTHN_DUO_METHOD: 'passcode', PASSCODE: '123456' })), '390100');
  });

  it('a wrong passcode is 394508-passcode', async () => {
    const r = refused(await setup().login(mfa({ EXT_AUTHN_DUO_METHOD: 'passcode', PASSCODE: '000000' })), '394508-passcode');
    expect(r.params).toEqual({ loginName: 'carol' });
    expect(r.explanation).toContain('MFA passcode for CAROL is wrong');
  });

  it('the fixed passcode is accepted', async () => {
    const ok = accepted(await setup().login(mfa({ EXT_AUTHN_DUO_METHOD: 'passcode', PASSCODE: '123456' })));
    expect(ok.auth).toBe('MFA');
    expect(ok.explanation).toContain('MFA passcode accepted (fixed passcode)');
  });

  it('the TOTP code of the mock time is accepted, and ±30 s, but not ±90 s', async () => {
    const s = setup();
    const at = (offset: number) => s.login(mfa({ EXT_AUTHN_DUO_METHOD: 'passcode', PASSCODE: totpCode(TOTP_SECRET, NOW + offset) }));
    expect(accepted(await at(0)).explanation).toContain('TOTP on the mock clock');
    accepted(await at(-30 * SEC));
    accepted(await at(30 * SEC));
    refused(await at(-90 * SEC), '394508-passcode');
    refused(await at(90 * SEC), '394508-passcode');
    // The mock clock, not wall time: the code of NOW works again after the clock moved on 29 s.
    s.advance(29 * SEC);
    accepted(await at(-29 * SEC));
  });

  it('passcodeInPassword takes the passcode from the end of PASSWORD', async () => {
    const s = setup();
    accepted(await s.login(mfa({ PASSWORD: 'carol-password123456', passcodeInPassword: true, EXT_AUTHN_DUO_METHOD: 'passcode' })));
    accepted(await s.login(mfa({ PASSWORD: `carol-password${totpCode(TOTP_SECRET, NOW)}`, passcodeInPassword: true, EXT_AUTHN_DUO_METHOD: 'passcode' })));
    refused(await s.login(mfa({ PASSWORD: 'carol-password000000', passcodeInPassword: true, EXT_AUTHN_DUO_METHOD: 'passcode' })), '394508-passcode');
    // Without the flag the whole string is the password.
    refused(await s.login(mfa({ PASSWORD: 'carol-password123456', EXT_AUTHN_DUO_METHOD: 'passcode' })), '390100');
  });

  it('a push is approved by the mock', async () => {
    const ok = accepted(await setup().login(mfa({ EXT_AUTHN_DUO_METHOD: 'push' })));
    expect(ok.explanation).toContain('MFA push approved by the mock');
  });

  it('a user not enrolled in MFA passes with the password alone', async () => {
    const ok = accepted(await setup().login({ AUTHENTICATOR: 'USERNAME_PASSWORD_MFA', LOGIN_NAME: 'alice', PASSWORD: 'alice-password', EXT_AUTHN_DUO_METHOD: 'push' }));
    expect(ok.auth).toBe('PASSWORD');
    expect(ok.explanation).toContain('user has no MFA enrolled');
  });
});

describe('cached MFA tokens (test/driver/driver-cases.ts)', () => {
  const withPasscode = (extra: Data = {}): Data => mfa({ EXT_AUTHN_DUO_METHOD: 'passcode', PASSCODE: '123456', ...extra });
  const requestToken = { SESSION_PARAMETERS: { CLIENT_REQUEST_MFA_TOKEN: true } };

  it('is issued only when the login asks for one AND the account allows caching', async () => {
    expect(accepted(await setup().login(withPasscode(requestToken))).mfaToken).toMatch(/^mfa-/);
    expect(accepted(await setup().login(withPasscode())).mfaToken).toBeUndefined();
    const off = setup((c) => {
      c.accounts[0]!.parameters = { allow_client_mfa_caching: false };
    });
    expect(accepted(await off.login(withPasscode(requestToken))).mfaToken).toBeUndefined();
  });

  it('is never issued to a user without MFA', async () => {
    expect(accepted(await setup().login(password('alice', 'alice-password', requestToken))).mfaToken).toBeUndefined();
  });

  it('replaces the second factor until it expires after 4 hours', async () => {
    const s = setup();
    const token = accepted(await s.login(withPasscode(requestToken))).mfaToken!;
    const ok = accepted(await s.login(mfa({ TOKEN: token })));
    expect(ok.explanation).toContain('cached MFA token accepted');
    s.advance(4 * HOUR - SEC);
    accepted(await s.login(mfa({ TOKEN: token })));
    s.advance(SEC);
    const r = refused(await s.login(mfa({ TOKEN: token })), '394508');
    expect(r.explanation).toContain('the cached MFA token is unknown or expired');
  });

  it('does not replace the password, and an unknown token is no second factor', async () => {
    const s = setup();
    const token = accepted(await s.login(withPasscode(requestToken))).mfaToken!;
    refused(await s.login(mfa({ TOKEN: token, PASSWORD: 'wrong' })), '390100');
    refused(await s.login(mfa({ TOKEN: 'mfa-made-up' })), '394508');
  });
});

describe('totp (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", last 6 of the 8 digits.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it.each([
    [59, '287082'],
    [1_111_111_109, '081804'],
    [1_111_111_111, '050471'],
    [1_234_567_890, '005924'],
    [2_000_000_000, '279037'],
  ])('at %i s the code is %s', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code);
  });

  it('verifies one 30 s step either side only', async () => {
    const code = totpCode(TOTP_SECRET, NOW);
    expect(verifyTotp(TOTP_SECRET, code, NOW + 30 * SEC)).toBe(true);
    expect(verifyTotp(TOTP_SECRET, code, NOW - 30 * SEC)).toBe(true);
    expect(verifyTotp(TOTP_SECRET, code, NOW + 60 * SEC)).toBe(false);
    expect(verifyTotp(TOTP_SECRET, code, NOW - 31 * SEC)).toBe(false);
    expect(verifyTotp('jbsw y3dp ehpk 3pxp', code, NOW)).toBe(true);
  });
});

// ---- SNOWFLAKE_JWT -------------------------------------------------------------------------------

describe('SNOWFLAKE_JWT logins (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_keypair.js)', () => {
  const jwtLogin = (token: string, extra: Data = {}): Data => ({ AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'alice', TOKEN: token, ...extra });

  it('accepts a JWT signed with the registered key, in seconds or in milliseconds (snowflake-sdk)', async () => {
    const s = setup();
    const ok = accepted(await s.login(jwtLogin(await jwtOf('alice', 'ALICE'))));
    expect(ok.auth).toBe('KEYPAIR_JWT');
    expect(ok.namespace.role).toBe('ANALYST');
    accepted(await s.login(jwtLogin(await jwtOf('alice', 'ALICE', { timeUnit: 'ms', lifetimeSeconds: 120 }))));
    // LOGIN_NAME is optional.
    accepted(await s.login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: await jwtOf('alice', 'ALICE', { iat: NOW - SEC }) }));
  });

  it('refuses a key that is not registered for the user with 390144 (cause 394304)', async () => {
    refused(await setup().login(jwtLogin(await jwtOf('bob', 'ALICE'))), '390144', '394304');
  });

  it('refuses a missing TOKEN and garbage with 390144', async () => {
    refused(await setup().login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'alice' }), '390144');
    refused(await setup().login(jwtLogin('not.a.jwt')), '390144');
  });

  it('an expired JWT is 390144 at login, even with the bcr_2026_07 switch on', async () => {
    for (const bcr of [false, true]) {
      const s = setup((c) => {
        c.switches = { bcr_2026_07: bcr };
      });
      const r = refused(await s.login(jwtLogin(await jwtOf('alice', 'ALICE', { iat: NOW - 30 * SEC, lifetimeSeconds: 10 }))), '390144', '394303');
      expect(r.explanation).toContain('ALICE');
    }
  });

  it('refuses a LOGIN_NAME that is not the JWT user', async () => {
    const r = refused(await setup().login(jwtLogin(await jwtOf('alice', 'ALICE'), { LOGIN_NAME: 'bob' })), '390144', '394300');
    expect(r.explanation).toBe('LOGIN_NAME "bob" is not the JWT\'s user ALICE');
  });
});

// ---- OAUTH ---------------------------------------------------------------------------------------

describe('OAUTH logins (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth.js, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts)', () => {
  const oauth = (token: string, extra: Data = {}): Data => ({ AUTHENTICATOR: 'OAUTH', TOKEN: token, ...extra });

  it('accepts a valid token; the session runs in the token role; the driver flow is noted', async () => {
    const ok = accepted(await setup().login(oauth('oauth-alice-token', { LOGIN_NAME: 'Alice', CLIENT_ENVIRONMENT: { OAUTH_TYPE: 'OAUTH_CLIENT_CREDENTIALS' } })));
    expect(ok.auth).toBe('OAUTH');
    expect(ok.user.name).toBe('ALICE');
    expect(ok.namespace.role).toBe('ANALYST');
    expect(ok.explanation).toContain('(driver flow OAUTH_CLIENT_CREDENTIALS)');
  });

  it('an unknown token is 390303, a missing one too', async () => {
    refused(await setup().login(oauth('no-such-token')), '390303', 'OAUTH_TOKEN_UNKNOWN');
    refused(await setup().login({ AUTHENTICATOR: 'OAUTH' }), '390303', 'TOKEN_MISSING');
  });

  it('an expired token is 390318 at login (with or without the BCR switch)', async () => {
    for (const bcr of [false, true]) {
      const s = setup((c) => {
        c.switches = { bcr_2026_07: bcr };
      });
      s.advance(600 * SEC - 1);
      accepted(await s.login(oauth('oauth-alice-token')));
      s.advance(1);
      const r = refused(await s.login(oauth('oauth-alice-token')), '390318', 'OAUTH_TOKEN_EXPIRED');
      expect(r.explanation).toContain('OAuth token of ALICE expired at 2026-03-01T12:10:00.000Z');
    }
  });

  it('a LOGIN_NAME that is not the token user is 390309', async () => {
    const r = refused(await setup().login(oauth('oauth-alice-token', { LOGIN_NAME: 'bob' })), '390309');
    expect(r.explanation).toBe('LOGIN_NAME "bob" is not the token\'s user ALICE');
  });

  it('the token fixes the role: another roleName is 390189 even when granted', async () => {
    const s = setup();
    expect(s.user('ALICE').roles.has('SYSADMIN')).toBe(true);
    const r = refused(await s.login(oauth('oauth-alice-token'), 'roleName=SYSADMIN'), '390189');
    expect(r.explanation).toContain('the OAUTH credential is limited to role ANALYST');
    expect(r.params).toEqual({ role: 'SYSADMIN' });
    expect(accepted(await s.login(oauth('oauth-alice-token'), 'roleName=analyst')).namespace.role).toBe('ANALYST');
  });
});

// ---- PROGRAMMATIC_ACCESS_TOKEN -------------------------------------------------------------------

describe('PROGRAMMATIC_ACCESS_TOKEN logins (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_pat.js, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  const pat = (token: string, loginName: string | undefined = 'alice'): Data => ({ AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', ...(loginName !== undefined && { LOGIN_NAME: loginName }), TOKEN: token });

  it('accepts the PAT; the session runs in its role restriction', async () => {
    const ok = accepted(await setup().login(pat('pat-alice-ci')));
    expect(ok.auth).toBe('PROGRAMMATIC_ACCESS_TOKEN');
    expect(ok.namespace.role).toBe('ANALYST');
    expect(ok.roleLocked).toBe(true);
    expect(ok.explanation).toContain('PAT CI of ALICE');
  });

  it('takes the PAT from PASSWORD when TOKEN is absent (snowflake-sdk password option)', async () => {
    accepted(await setup().login({ AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: 'alice', PASSWORD: 'pat-alice-ci' }));
  });

  it('refuses an unknown, a missing, a disabled and an expired PAT with 394400 and the cause', async () => {
    const s = setup();
    refused(await s.login(pat('pat-nope')), '394400', 'PAT_VALIDATION_FAILED');
    refused(await s.login({ AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: 'alice' }), '394400', 'PAT_VALIDATION_FAILED');
    s.user('ALICE').programmaticAccessTokens[0]!.disabled = true;
    refused(await s.login(pat('pat-alice-ci')), '394400', 'PAT_DISABLED');
    s.user('ALICE').programmaticAccessTokens[0]!.disabled = false;
    s.advance(15 * DAY);
    refused(await s.login(pat('pat-alice-ci')), '394400', 'PAT_EXPIRED');
  });

  it('refuses a LOGIN_NAME that is not the PAT user (PAT_USER_NOT_ASSOCIATED)', async () => {
    const r = refused(await setup().login(pat('pat-alice-ci', 'bob')), '394400', 'PAT_USER_NOT_ASSOCIATED');
    expect(r.explanation).toBe('LOGIN_NAME "bob" is not the user of the PAT, ALICE');
    accepted(await setup().login(pat('pat-alice-ci', undefined)));
  });

  it('a PAT given as the password of its own user logs in as that PAT; of another user it is a wrong password', async () => {
    const s = setup();
    const ok = accepted(await s.login(password('alice', 'pat-alice-ci')));
    expect(ok.auth).toBe('PROGRAMMATIC_ACCESS_TOKEN');
    expect(ok.explanation).toContain('given as the password');
    s.state.clientIp = '10.1.2.3'; // inside BOB's CORP_ONLY policy
    refused(await s.login(password('bob', 'pat-alice-ci')), '390100', 'PASSWORD_WRONG');
    s.state.clientIp = '127.0.0.1';
    s.advance(15 * DAY);
    refused(await s.login(password('alice', 'pat-alice-ci')), '394400', 'PAT_EXPIRED');
  });
});

// ---- network policy, role, namespace, authenticator --------------------------------------------------

describe('network policy at login (https://docs.snowflake.com/en/user-guide/network-policies, decisions/0004-inferred-choices-of-issue-2.md)', () => {
  it("BOB's CORP_ONLY refuses 127.0.0.1 with 390422 naming the IP, the policy and its owner", async () => {
    const s = setup();
    const r = refused(await s.login(password('bob', 'bob-password')), '390422', 'NETWORK_POLICY_BLOCKED');
    expect(r.params).toEqual({ ip: '127.0.0.1' });
    expect(r.explanation).toMatch(/127\.0\.0\.1.*CORP_ONLY.*user BOB's policy/);
  });

  it('allows BOB from 10.1.2.3 and refuses the blocked 10.0.0.99', async () => {
    const s = setup();
    s.state.clientIp = '10.1.2.3';
    accepted(await s.login(password('bob', 'bob-password')));
    s.state.clientIp = '10.0.0.99';
    expect(refused(await s.login(password('bob', 'bob-password')), '390422').explanation).toContain('BLOCKED_IP_LIST');
  });

  it('applies to every authenticator (key-pair JWT of BOB)', async () => {
    const s = setup();
    refused(await s.login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'bob', TOKEN: await jwtOf('bob', 'BOB') }), '390422');
  });

  it('judges the address before the password: a refused client learns nothing and cannot lock the user out', async () => {
    const s = setup();
    for (let i = 0; i < 6; i++) refused(await s.login(password('bob', 'wrong')), '390422');
    expect(s.user('BOB').failedLogins ?? 0).toBe(0);
    s.state.clientIp = '10.1.2.3';
    accepted(await s.login(password('bob', 'bob-password')));
  });
});

describe('roleName (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts)', () => {
  it('switches to a granted role, unquoted names upper-cased', async () => {
    const s = setup();
    expect(accepted(await s.login(password('alice', 'alice-password'), 'roleName=sysadmin')).namespace.role).toBe('SYSADMIN');
    expect(accepted(await s.login(password('alice', 'alice-password'), 'roleName=PUBLIC')).namespace.role).toBe('PUBLIC');
  });

  it('refuses a role not granted with 390189 naming the role and the user', async () => {
    const r = refused(await setup().login(password('alice', 'alice-password'), 'roleName=accountadmin'), '390189');
    expect(r.params).toEqual({ role: 'ACCOUNTADMIN' });
    expect(r.explanation).toBe('roleName "accountadmin": role ACCOUNTADMIN is not granted to ALICE');
    refused(await setup().login(password('alice', 'alice-password'), 'roleName=NO_SUCH_ROLE'), '390189');
  });

  it('quoted identifiers are case-sensitive', async () => {
    const s = setup();
    expect(accepted(await s.login(password('alice', 'alice-password'), `roleName=${encodeURIComponent('"SYSADMIN"')}`)).namespace.role).toBe('SYSADMIN');
    expect(refused(await s.login(password('alice', 'alice-password'), `roleName=${encodeURIComponent('"sysadmin"')}`), '390189').params).toEqual({ role: 'sysadmin' });
  });

  it('a role-restricted PAT fixes the role', async () => {
    refused(await setup().login({ AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: 'alice', TOKEN: 'pat-alice-ci' }, 'roleName=SYSADMIN'), '390189');
  });
});

describe('session namespace (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js)', () => {
  it('takes a known warehouse, database and schema (identifiers upper-cased)', async () => {
    const ok = accepted(await setup().login(password('alice', 'alice-password'), 'warehouse=compute_wh&databaseName=analytics&schemaName=public'));
    expect(ok.namespace).toEqual({ role: 'ANALYST', warehouse: 'COMPUTE_WH', database: 'ANALYTICS', schema: 'PUBLIC' });
    expect(ok.explanation).toBe('password of ALICE; session role ANALYST, warehouse COMPUTE_WH, database ANALYTICS, schema PUBLIC');
  });

  it('an unknown warehouse or database leaves it null (no refusal), and a schema needs a database', async () => {
    const ok = accepted(await setup().login(password('alice', 'alice-password'), 'warehouse=NOPE_WH&databaseName=NOPE_DB&schemaName=public'));
    expect(ok.namespace).toEqual({ role: 'ANALYST', warehouse: null, database: null, schema: null });
    expect(ok.explanation).toContain('warehouse NOPE_WH does not exist, so the session has none');
  });
});

describe('authenticator dispatch (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/authentication.js)', () => {
  it.each(['EXTERNALBROWSER', 'OAUTH_CLIENT_CREDENTIALS', 'https://example.okta.com', 'WORKLOAD_IDENTITY'])('refuses %s with 390400', async (name) => {
    const r = refused(await setup().login({ AUTHENTICATOR: name, LOGIN_NAME: 'alice', PASSWORD: 'alice-password' }), '390400', 'AUTHENTICATOR_UNSUPPORTED');
    expect(r.explanation).toContain('is not supported by the mock');
  });
});

// ---- session store ---------------------------------------------------------------------------------

describe('session store (recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/login_request_ok.json, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts)', () => {
  const spec: SessionSpec = { account: ACCOUNT, user: 'ALICE', auth: 'PASSWORD', role: 'ANALYST', warehouse: null, database: null, schema: null, validity: 3600, masterValidity: 14_400 };

  it('opens a session with distinct opaque tokens and both expiries', async () => {
    const store = createSessionStore(createIds(1));
    const s = store.open(spec, NOW);
    expect(s.token).not.toBe(s.masterToken);
    expect(s.token).toMatch(/^ver:1-hint:/);
    expect(s.tokenExpiresAt).toBe(NOW + HOUR);
    expect(s.masterExpiresAt).toBe(NOW + 4 * HOUR);
    expect(store.bySessionToken(s.token)).toEqual({ session: s, current: true });
    expect(store.byMasterToken(s.masterToken)).toBe(s);
    expect(store.bySessionToken(s.masterToken)).toBeUndefined();
    expect(store.byMasterToken(s.token)).toBeUndefined();
    expect(store.open(spec, NOW).id).toBe(s.id + 1);
  });

  it('renewal replaces the session token (the old one is no longer current) and keeps the master token', async () => {
    const store = createSessionStore(createIds(1));
    const s = store.open(spec, NOW);
    const old = s.token;
    store.renew(s, NOW + 2 * HOUR, 3600);
    expect(s.token).not.toBe(old);
    expect(s.tokenExpiresAt).toBe(NOW + 3 * HOUR);
    expect(s.renewals).toBe(1);
    expect(store.bySessionToken(old)).toEqual({ session: s, current: false });
    expect(store.bySessionToken(s.token)?.current).toBe(true);
    expect(store.byMasterToken(s.masterToken)).toBe(s);
  });

  it('remembers only the last 4 replaced tokens', async () => {
    const store = createSessionStore(createIds(1));
    const s = store.open(spec, NOW);
    const replaced: string[] = [];
    for (let i = 0; i < 5; i++) {
      replaced.push(s.token);
      store.renew(s, NOW, 3600);
    }
    expect(store.bySessionToken(replaced[0]!)).toBeUndefined();
    for (const t of replaced.slice(1)) expect(store.bySessionToken(t)?.current).toBe(false);
  });

  it('past its capacity the oldest session is dropped', async () => {
    const store = createSessionStore(createIds(1), 2);
    const a = store.open(spec, NOW);
    const b = store.open(spec, NOW);
    const c = store.open(spec, NOW);
    expect(store.size).toBe(2);
    expect(store.bySessionToken(a.token)).toBeUndefined();
    expect(store.byMasterToken(a.masterToken)).toBeUndefined();
    expect(store.bySessionToken(b.token)?.session).toBe(b);
    expect(store.bySessionToken(c.token)?.session).toBe(c);
  });

  it('sweep keeps dead sessions for an hour (so late requests get 390111/390114), then forgets them', async () => {
    const store = createSessionStore(createIds(1));
    const closed = store.open(spec, NOW);
    store.close(closed, NOW + MIN);
    expect(closed.closedAt).toBe(NOW + MIN);
    const expired = store.open({ ...spec, validity: 60, masterValidity: 120 }, NOW);
    const live = store.open(spec, NOW);
    store.sweep(NOW + MIN + HOUR, 100);
    expect(store.size).toBe(3);
    store.sweep(NOW + MIN + HOUR + 1, 100);
    expect(store.size).toBe(2);
    expect(store.bySessionToken(closed.token)).toBeUndefined();
    store.sweep(NOW + 2 * MIN + HOUR + 1, 100);
    expect(store.size).toBe(1);
    expect(store.byMasterToken(expired.masterToken)).toBeUndefined();
    expect(store.bySessionToken(live.token)?.session).toBe(live);
  });

  it('sweeps in slices of the budget, resuming where it stopped', async () => {
    const store = createSessionStore(createIds(1));
    for (let i = 0; i < 5; i++) store.close(store.open(spec, NOW), NOW);
    const later = NOW + 2 * HOUR;
    store.sweep(later, 2);
    expect(store.size).toBe(3);
    store.sweep(later, 2);
    expect(store.size).toBe(1);
    store.sweep(later, 2);
    expect(store.size).toBe(0);
  });
});
