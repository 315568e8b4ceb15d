/**
 * Redaction by default (record/redact.ts): each place a secret travels in Snowflake's auth traffic
 * becomes a placeholder, the same secret the same placeholder across the recording, a JWT keeps its
 * header and claims but never its signature, public values stay, and `identities` replaces account
 * names (DNS-safe in host names), locators, user names and IPs consistently.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Exchange, RecordedBody } from '../../record/format.ts';
import { eachExchangeString } from '../../record/pointer.ts';
import { createRedactor, redactExchanges } from '../../record/redact.ts';

type Raw = Omit<Exchange, 'id'>;

/** A raw exchange; `req`/`res` fill in what a test cares about. */
function ex(req: { method?: string; url?: string; host?: string; headers?: Record<string, string>; body?: RecordedBody }, res: { status?: number; headers?: Record<string, string>; body?: RecordedBody } = {}): Raw {
  return {
    startedAt: '2026-03-01T12:00:00.000Z', durationMs: 5,
    request: { method: req.method ?? 'POST', url: req.url ?? '/api/v2/statements', ...(req.host !== undefined && { host: req.host }), headers: req.headers ?? {}, ...(req.body && { body: req.body }) },
    response: { status: res.status ?? 200, headers: res.headers ?? {}, ...(res.body && { body: res.body }) },
  };
}

const one = (raw: Raw, identities = false): Raw => createRedactor({ identities }).exchange(raw);
const text = (value: unknown): string => JSON.stringify(value);

// A JWT as a driver signs it for key-pair auth: header and claims readable, signature random.
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const SIGNATURE = 'kR3v8Qz1XyLmN0pAbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOpQrSt';
const JWT = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'MYORG-MYACCOUNT.ALICE.SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=', sub: 'MYORG-MYACCOUNT.ALICE', iat: 1772366400, exp: 1772369940 })}.${SIGNATURE}`;
const SESSION = 'ver:1-hint:1172562260498-ETMsDgAAAZxQ9mK3vT7yRb2LwP0sHnC5dUeF';
const MASTER = 'ver:1-hint:1172562260498-m-ETMsDgAAAZxQ9mK3vT7yRb2LwP0sHnC5dUeG';

describe('Authorization headers keep their scheme and lose their credentials', () => {
  it('a PAT (X-Snowflake-Authorization-Token-Type stays: it is not secret)', () => {
    const r = one(ex({ headers: { authorization: 'Bearer pat-alice-ci', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' } }));
    expect(r.request.headers).toEqual({ authorization: 'Bearer __redacted_pat_1__', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' });
  });

  it('an OAuth token on Snowflake, a provider token elsewhere', () => {
    expect(one(ex({ headers: { authorization: 'Bearer oauth-alice-token', 'x-snowflake-authorization-token-type': 'OAUTH' } })).request.headers.authorization).toBe('Bearer __redacted_access_token_1__');
    expect(one(ex({ method: 'GET', url: '/userinfo', headers: { authorization: 'Bearer mock-at-0123456789abcdef' } })).request.headers.authorization).toBe('Bearer __redacted_provider_token_1__');
  });

  it('a key-pair JWT keeps its header and claims, never its signature', () => {
    const r = one(ex({ headers: { authorization: `Bearer ${JWT}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' } }));
    const [header, claims, signature] = r.request.headers.authorization!.replace('Bearer ', '').split('.');
    expect(signature).toBe('__redacted_jwt_signature_1__');
    expect(`${header}.${claims}`).toBe(JWT.split('.').slice(0, 2).join('.'));
    expect(text(r)).not.toContain(SIGNATURE);
  });

  it('Snowflake Token= is the session token, and the master token on /session/token-request', () => {
    expect(one(ex({ url: '/queries/v1/query-request', headers: { authorization: `Snowflake Token="${SESSION}"` } })).request.headers.authorization).toBe('Snowflake Token="__redacted_session_token_1__"');
    const renewal = one(ex({ url: '/session/token-request', headers: { authorization: `Snowflake Token="${MASTER}"` }, body: { json: { requestType: 'RENEW', oldSessionToken: SESSION } } }));
    expect(renewal.request.headers.authorization).toBe('Snowflake Token="__redacted_master_token_1__"');
    expect(renewal.request.body).toEqual({ json: { requestType: 'RENEW', oldSessionToken: '__redacted_session_token_1__' } });
  });

  it('Basic client credentials, and the client secret inside them wherever else it appears', () => {
    const basic = `Basic ${Buffer.from('my-app-client:my-app-secret').toString('base64')}`;
    const r = one(ex({ url: '/oauth/token-request', headers: { authorization: basic }, body: { form: [['grant_type', 'client_credentials'], ['note', 'my-app-secret']] } }));
    expect(r.request.headers.authorization).toBe('Basic __redacted_authorization_1__');
    expect(r.request.body).toEqual({ form: [['grant_type', 'client_credentials'], ['note', '__redacted_client_secret_1__']] });
  });

  it('cookies keep their names; Set-Cookie keeps its attributes', () => {
    const r = one(ex({ headers: { cookie: 'JSESSIONID=0123456789ABCDEF; theme=dark' } }, { headers: { 'set-cookie': 'sid=s3ss10n-cookie-value; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly, csrf=another-cookie-1; Secure' } }));
    expect(r.request.headers.cookie).toBe('JSESSIONID=__redacted_cookie_1__; theme=__redacted_cookie_2__');
    expect(r.response.headers['set-cookie']).toBe('sid=__redacted_cookie_3__; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly, csrf=__redacted_cookie_4__; Secure');
  });
});

describe('login requests and responses (the drivers\' /session/v1/login-request)', () => {
  const login = (data: Record<string, unknown>): Raw => ex({ url: '/session/v1/login-request?requestId=9f1c2d3e-0000-4000-8000-000000000001', body: { json: { data } } });

  it('PASSWORD, PASSCODE and MFA_TOKEN', () => {
    const r = one(login({ LOGIN_NAME: 'carol', PASSWORD: 'carol-password', PASSCODE: '123456', MFA_TOKEN: 'mfa-Zk3pQ8rT2vWx9yB', AUTHENTICATOR: 'USERNAME_PASSWORD_MFA' }));
    expect((r.request.body as { json: { data: unknown } }).json.data).toEqual({ LOGIN_NAME: 'carol', PASSWORD: '__redacted_password_1__', PASSCODE: '__redacted_passcode_1__', MFA_TOKEN: '__redacted_mfa_token_1__', AUTHENTICATOR: 'USERNAME_PASSWORD_MFA' });
  });

  it.each([
    ['PROGRAMMATIC_ACCESS_TOKEN', 'pat-alice-ci', '__redacted_pat_1__'],
    ['OAUTH', 'oauth-alice-token', '__redacted_access_token_1__'],
    ['SNOWFLAKE_JWT', JWT, `${JWT.split('.').slice(0, 2).join('.')}.__redacted_jwt_signature_1__`],
  ])('TOKEN with AUTHENTICATOR %s', (authenticator, token, expected) => {
    const r = one(login({ AUTHENTICATOR: authenticator, TOKEN: token }));
    expect((r.request.body as { json: { data: { TOKEN: string } } }).json.data.TOKEN).toBe(expected);
  });

  it('the response\'s token, masterToken, idToken and mfaToken; public fields stay', () => {
    const r = one(ex({ url: '/session/v1/login-request' }, { body: { json: { success: true, code: null, data: { token: SESSION, masterToken: MASTER, idToken: 'id-tok-0123456789', mfaToken: 'mfa-0123456789abcdef', sessionId: 1172562260498, validityInSeconds: 3600, idTokenValidityInSeconds: 0, serverVersion: '9.0.0' } } } }));
    expect((r.response.body as { json: unknown }).json).toEqual({
      success: true, code: null,
      data: { token: '__redacted_session_token_1__', masterToken: '__redacted_master_token_1__', idToken: '__redacted_id_token_1__', mfaToken: '__redacted_mfa_token_1__', sessionId: 1172562260498, validityInSeconds: 3600, idTokenValidityInSeconds: 0, serverVersion: '9.0.0' },
    });
  });
});

describe('OAuth (Snowflake\'s /oauth endpoints and a provider\'s)', () => {
  const form = (...pairs: [string, string][]): RecordedBody => ({ form: pairs });

  it('token request form fields; grant_type, client_id and redirect_uri stay', () => {
    const r = one(ex({ url: '/oauth/token-request', body: form(['grant_type', 'authorization_code'], ['code', 'C0de-abcdef123'], ['redirect_uri', 'https://app.example.com/callback'], ['client_id', 'my-app-client'], ['client_secret', 'my-app-secret'], ['code_verifier', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk']) }));
    expect(r.request.body).toEqual(form(['grant_type', 'authorization_code'], ['code', '__redacted_oauth_code_1__'], ['redirect_uri', 'https://app.example.com/callback'], ['client_id', 'my-app-client'], ['client_secret', '__redacted_client_secret_1__'], ['code_verifier', '__redacted_code_verifier_1__']));
  });

  it('refresh_token, password, assertion and client_assertion (a JWT: signature only)', () => {
    const r = one(ex({ url: '/oauth/token-request', body: form(['grant_type', 'refresh_token'], ['refresh_token', 'ver:2-hint:123-ETMsDgAAArefresh'], ['password', 'hunter2'], ['assertion', 'PHNhbWw-base64-assertion'], ['client_assertion', JWT]) }));
    const fields = Object.fromEntries((r.request.body as { form: [string, string][] }).form);
    expect(fields).toMatchObject({ refresh_token: '__redacted_refresh_token_1__', password: '__redacted_password_1__', assertion: '__redacted_secret_1__' });
    expect(fields.client_assertion).toMatch(/^eyJ[^.]+\.eyJ[^.]+\.__redacted_jwt_signature_1__$/);
  });

  it('the token response (Snowflake) and a provider\'s token response', () => {
    const body = { json: { access_token: 'ver:1-hint:42-ETMsDgAAAaccess', refresh_token: 'ver:2-hint:42-ETMsDgAAArefresh', id_token: JWT, token_type: 'Bearer', expires_in: 600, username: 'ALICE' } };
    const r = one(ex({ url: '/oauth/token-request' }, { body }));
    expect((r.response.body as { json: unknown }).json).toMatchObject({ access_token: '__redacted_access_token_1__', refresh_token: '__redacted_refresh_token_1__', token_type: 'Bearer', expires_in: 600, username: 'ALICE' });
    expect(text(r)).not.toContain(SIGNATURE);
    const provider = one(ex({ url: '/oauth2/v1/token' }, { body: { json: { access_token: 'mock-at-Qw3rTy7uIoP0', refresh_token: 'mock-rt-As4dFg8hJk1L' } } }));
    expect((provider.response.body as { json: unknown }).json).toEqual({ access_token: '__redacted_provider_token_1__', refresh_token: '__redacted_provider_token_2__' });
  });

  it('the code in the authorize redirect\'s Location, and the same code in the next request; the state stays (RFC 6749 §10.12: a CSRF value, no credential)', () => {
    const redactor = createRedactor();
    const redirect = redactor.exchange(ex({ method: 'GET', url: '/oauth/authorize?client_id=my-app-client&response_type=code&state=st4te-xyz&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' }, { status: 302, headers: { location: 'https://app.example.com/callback?code=Zx81mQ0pLr7TnW2e&state=st4te-xyz' } }));
    expect(redirect.response.headers.location).toBe('https://app.example.com/callback?code=__redacted_oauth_code_1__&state=st4te-xyz');
    expect(redirect.request.url).toBe('/oauth/authorize?client_id=my-app-client&response_type=code&state=st4te-xyz&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const token = redactor.exchange(ex({ url: '/oauth/token-request', body: form(['code', 'Zx81mQ0pLr7TnW2e']) }));
    expect(token.request.body).toEqual(form(['code', '__redacted_oauth_code_1__']));
  });

  it('hidden inputs of the sign-in and consent pages', () => {
    const page = '<form method="post"><input type="hidden" name="state" value="st4te-xyz"><input type="hidden" name="consent_id" value="consent-AbC123xYz789QwE456"><input type="hidden" name="client_id" value="my-app-client"></form>';
    const r = one(ex({ method: 'GET', url: '/oauth/authorize' }, { headers: { 'content-type': 'text/html' }, body: { text: page } }));
    expect((r.response.body as { text: string }).text).toBe('<form method="post"><input type="hidden" name="state" value="st4te-xyz"><input type="hidden" name="consent_id" value="__redacted_secret_1__"><input type="hidden" name="client_id" value="my-app-client"></form>');
  });

  it('the state stays in a form and a SYSTEM$FINISH_OAUTH_FLOW query string; the code and the verifier next to it do not', () => {
    const r = one(ex({ url: '/oauth2/authorize', body: form(['state', 'SYCZWGGI5VMYhzgkwg9kc3g9ox20gb7L'], ['code', 'Zx81mQ0pLr7TnW2e'], ['code_verifier', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk']) }));
    expect(r.request.body).toEqual(form(['state', 'SYCZWGGI5VMYhzgkwg9kc3g9ox20gb7L'], ['code', '__redacted_oauth_code_1__'], ['code_verifier', '__redacted_code_verifier_1__']));
    const finish = one(ex({ body: { json: { statement: "SELECT SYSTEM$FINISH_OAUTH_FLOW('state=SYCZWGGI5VMYhzgkwg9kc3g9ox20gb7L&code=Zx81mQ0pLr7TnW2e')" } } }));
    expect((finish.request.body as { json: { statement: string } }).json.statement).toBe("SELECT SYSTEM$FINISH_OAUTH_FLOW('state=SYCZWGGI5VMYhzgkwg9kc3g9ox20gb7L&code=__redacted_oauth_code_1__')");
  });
});

describe('SQL text and results', () => {
  it.each([
    ["ALTER USER alice SET PASSWORD = 'n3w-p@ss''word'", "ALTER USER alice SET PASSWORD = '__redacted_password_1__'"],
    ["CREATE SECRET s TYPE = OAUTH2 OAUTH_REFRESH_TOKEN = 'rt-0123456789' OAUTH_REFRESH_TOKEN_EXPIRY_TIME = '2026-04-01'", "CREATE SECRET s TYPE = OAUTH2 OAUTH_REFRESH_TOKEN = '__redacted_refresh_token_1__' OAUTH_REFRESH_TOKEN_EXPIRY_TIME = '2026-04-01'"],
    ["CREATE SECURITY INTEGRATION i TYPE = API_AUTHENTICATION OAUTH_CLIENT_ID = 'cid' OAUTH_CLIENT_SECRET = 'cs-0123456789'", "CREATE SECURITY INTEGRATION i TYPE = API_AUTHENTICATION OAUTH_CLIENT_ID = 'cid' OAUTH_CLIENT_SECRET = '__redacted_client_secret_1__'"],
    ["CREATE SECRET g TYPE = GENERIC_STRING SECRET_STRING = $$s3cr3t-value$$", 'CREATE SECRET g TYPE = GENERIC_STRING SECRET_STRING = $$__redacted_secret_1__$$'],
    ["SELECT SYSTEM$DECODE_PAT('pat-alice-ci')", "SELECT SYSTEM$DECODE_PAT('__redacted_pat_1__')"],
    ["ALTER USER alice SET RSA_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOC'", "ALTER USER alice SET RSA_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOC'"],
  ])('%s', (sql, expected) => {
    const r = one(ex({ body: { json: { statement: sql } } }));
    expect((r.request.body as { json: { statement: string } }).json.statement).toBe(expected);
  });

  it('the token_secret column of ADD PROGRAMMATIC ACCESS TOKEN, in the SQL API and the drivers\' result shapes', () => {
    const secret = 'pat-Qm8vR2tY7uW0xZ3aB6cD9eF1gH4iJ5kL';
    const sqlApi = one(ex({}, { body: { json: { resultSetMetaData: { rowType: [{ name: 'token_name' }, { name: 'token_secret' }] }, data: [['NIGHTLY', secret]], statementHandle: '01b2c3d4-0000-4000-8000-000000000001' } } }));
    expect((sqlApi.response.body as { json: { data: unknown } }).json.data).toEqual([['NIGHTLY', '__redacted_pat_1__']]);
    expect(text(sqlApi)).toContain('01b2c3d4-0000-4000-8000-000000000001');
    const driver = one(ex({ url: '/queries/v1/query-request' }, { body: { json: { data: { rowtype: [{ name: 'token_name' }, { name: 'token_secret' }, { name: 'rotated_token_name' }], rowset: [['NIGHTLY', 'short', 'OLD']] } } } }));
    expect((driver.response.body as { json: { data: { rowset: unknown } } }).json.data.rowset).toEqual([['NIGHTLY', '__redacted_pat_1__', 'OLD']]);
  });

  it('JSON inside a result value (SYSTEM$SHOW_OAUTH_CLIENT_SECRETS)', () => {
    const value = '{"OAUTH_CLIENT_SECRET_2":"cs2-0123456789","OAUTH_CLIENT_SECRET":"cs1-0123456789","OAUTH_CLIENT_ID":"cid-1"}';
    const r = one(ex({}, { body: { json: { data: [[value]] } } }));
    expect((r.response.body as { json: { data: string[][] } }).json.data[0]![0]).toBe('{"OAUTH_CLIENT_SECRET_2":"__redacted_client_secret_1__","OAUTH_CLIENT_SECRET":"__redacted_client_secret_2__","OAUTH_CLIENT_ID":"cid-1"}');
  });
});

describe('secret objects are named, not revealed: SHOW CONFIGURATIONS, START_OAUTH_FLOW', () => {
  const NAME = 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET';
  const driver = (rowtype: string[], rowset: unknown[][]): RecordedBody => ({ json: { data: { rowtype: rowtype.map((name) => ({ name })), rowset } } });
  const rowset = (r: Raw): unknown => (r.response.body as { json: { data: { rowset: unknown } } }).json.data.rowset;

  it('a secret\'s qualified name in a secret-named JSON member stays, here and in a later error message', () => {
    const redactor = createRedactor();
    const show = redactor.exchange(ex({ url: '/queries/v1/query-request' }, { body: driver(['name', 'additionalProperties'], [['OAUTH_CONFIG', `{"secret":"${NAME}"}`]]) }));
    expect(rowset(show)).toEqual([['OAUTH_CONFIG', `{"secret":"${NAME}"}`]]);
    const message = `SQL access control error:\nInsufficient privileges to operate on secret '${NAME}'`;
    const denied = redactor.exchange(ex({}, { status: 422, body: { json: { code: '003001', message } } }));
    expect((denied.response.body as { json: { message: string } }).json.message).toBe(message);
    expect(redactor.book.size).toBe(0);
  });

  it('the values of secret-named fields stay redacted, also when they contain dots or an exact secret name holds a dotted value', () => {
    const r = one(ex({}, { body: { json: { secret: 's3cr3t-value', oauth_secret: 'Abc.Def.ghi', client_secret: 'A.B.C', data: [[`{"secret":"hunter2.x.y1"}`]] } } }));
    expect((r.response.body as { json: unknown }).json).toEqual({ secret: '__redacted_secret_1__', oauth_secret: '__redacted_secret_2__', client_secret: '__redacted_client_secret_1__', data: [['{"secret":"__redacted_secret_3__"}']] });
  });

  it('CREATE SECRET keeps its name and loses its values', () => {
    const sql = `CREATE SECRET ${NAME} TYPE = OAUTH2 API_AUTHENTICATION = crm_int OAUTH_REFRESH_TOKEN = 'rt-0123456789' OAUTH_CLIENT_SECRET = 'cs-0123456789' PASSWORD = 'pw-0123456789'`;
    const r = one(ex({ body: { json: { statement: sql } } }));
    expect((r.request.body as { json: { statement: string } }).json.statement).toBe(`CREATE SECRET ${NAME} TYPE = OAUTH2 API_AUTHENTICATION = crm_int OAUTH_REFRESH_TOKEN = '__redacted_refresh_token_1__' OAUTH_CLIENT_SECRET = '__redacted_client_secret_1__' PASSWORD = '__redacted_password_1__'`);
  });

  it('SYSTEM$START_OAUTH_FLOW\'s authorization URL stays whole: client_id, redirect_uri, scope, state and code_challenge are public', () => {
    const url = 'https://crm.example.com/oauth/authorize?response_type=code&client_id=crm-client&redirect_uri=https%3A%2F%2Fmyorg-myaccount.snowflakecomputing.com%2Foauth%2Fcomplete-secret&scope=contacts&state=SYCZWGGI5VMYhzgkwg9kc3g9ox20gb7L&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
    const r = one(ex({ url: '/queries/v1/query-request' }, { body: driver([`SYSTEM$START_OAUTH_FLOW('${NAME}')`], [[url]]) }));
    expect(rowset(r)).toEqual([[url]]);
  });

  it('a result column named by a call is judged by its function: a token-issuing one is still redacted, like token_secret', () => {
    const r = one(ex({ url: '/queries/v1/query-request' }, { body: driver(["SYSTEM$GENERATE_SCIM_ACCESS_TOKEN('OKTA_PROVISIONING')", 'token_secret'], [['scim-Qm8vR2tY7uW0xZ3a', 'pat-Qm8vR2tY7uW0xZ3aB6cD9eF1gH4iJ5kL']]) }));
    expect(rowset(r)).toEqual([['__redacted_secret_1__', '__redacted_pat_1__']]);
  });

  it('SYSTEM$FINISH_OAUTH_FLOW\'s result column repeats the statement upper-cased: the code is redacted there too', () => {
    const redactor = createRedactor();
    redactor.exchange(ex({ method: 'GET', url: '/oauth2/authorize' }, { status: 302, headers: { location: 'https://myorg-myaccount.snowflakecomputing.com/oauth/complete-secret?code=mock-code-2oscvdrjyodpi4u0&state=st-1' } }));
    const r = redactor.exchange(ex({ url: '/queries/v1/query-request' }, { body: driver(["SYSTEM$FINISH_OAUTH_FLOW('CODE=MOCK-CODE-2OSCVDRJYODPI4U0&STATE=ST-1')"], [['OAuth flow completed successfully.']]) }));
    expect(text(r)).not.toContain('MOCK-CODE-2OSCVDRJYODPI4U0');
    expect((r.response.body as { json: { data: { rowtype: { name: string }[] } } }).json.data.rowtype[0]!.name).toBe("SYSTEM$FINISH_OAUTH_FLOW('CODE=__redacted_oauth_code_1__&STATE=ST-1')");
    expect(rowset(r)).toEqual([['OAuth flow completed successfully.']]);
  });
});

describe('anywhere', () => {
  it('a PEM private key, in JSON or escaped in text; a public key stays', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const r = one(ex({ body: { json: { note: privateKey, pub: publicKey } } }, { body: { text: JSON.stringify({ echo: privateKey }) } }));
    expect((r.request.body as { json: unknown }).json).toEqual({ note: '__redacted_private_key_1__\n', pub: publicKey });
    expect((r.response.body as { text: string }).text).toBe('{"echo":"__redacted_private_key_1__\\n"}');
  });

  it('any JWT loses its signature, even in a field no rule names', () => {
    const r = one(ex({}, { body: { json: { whatever: { deep: [`prefix ${JWT} suffix`] } } } }));
    expect(text(r)).not.toContain(SIGNATURE);
    expect(text(r)).toContain(`${JWT.split('.').slice(0, 2).join('.')}.__redacted_jwt_signature_1__`);
  });

  it('a secret-named field nobody listed, and secret-named headers', () => {
    const r = one(ex({ headers: { 'x-api-key': 'k3y-0123456789', 'x-request-id': 'req-1' }, body: { json: { myApiKey: 'abc12345', clientSecretName: 'MY_SECRET', has_password: 'true' } } }));
    expect(r.request.headers).toEqual({ 'x-api-key': '__redacted_secret_1__', 'x-request-id': 'req-1' });
    expect((r.request.body as { json: unknown }).json).toEqual({ myApiKey: '__redacted_secret_2__', clientSecretName: 'MY_SECRET', has_password: 'true' });
  });

  it('a base64 (non-UTF-8) body is redacted in its bytes', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(`Authorization: Snowflake Token="${SESSION}"`)]);
    const r = one(ex({ url: '/queries/v1/query-request', headers: { authorization: `Snowflake Token="${SESSION}"` }, body: { base64: bytes.toString('base64') } }));
    const decoded = Buffer.from((r.request.body as { base64: string }).base64, 'base64');
    expect(decoded.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
    expect(decoded.subarray(3).toString()).toBe('Authorization: Snowflake Token="__redacted_session_token_1__"');
  });

  it('public values stay: request ids, statement handles, fingerprints, public keys, client ids', () => {
    const raw = ex({ url: '/api/v2/statements?requestId=9f1c2d3e-0000-4000-8000-000000000001', headers: { 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' }, body: { json: { statement: 'DESC USER ALICE' } } }, { body: { json: { statementHandle: '01b2c3d4-0000-4000-8000-000000000002', data: [['RSA_PUBLIC_KEY_FP', 'SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=']], requestId: '9f1c2d3e-0000-4000-8000-000000000001' } } });
    expect(one(raw)).toEqual(raw);
  });
});

describe('one secret, one placeholder, across the recording', () => {
  it('a login\'s session token links to the requests that carry it: header, JSON, query string, SQL text', () => {
    const [login, query, heartbeat, sql] = redactExchanges([
      ex({ url: '/session/v1/login-request' }, { body: { json: { data: { token: SESSION, masterToken: MASTER } } } }),
      ex({ url: '/queries/v1/query-request', headers: { authorization: `Snowflake Token="${SESSION}"` } }),
      ex({ url: `/session/heartbeat?token=${encodeURIComponent(SESSION)}` }),
      ex({ body: { json: { statement: `SELECT '${SESSION}'` } } }),
    ]);
    expect((login!.response.body as { json: { data: { token: string } } }).json.data.token).toBe('__redacted_session_token_1__');
    expect(query!.request.headers.authorization).toBe('Snowflake Token="__redacted_session_token_1__"');
    expect(heartbeat!.request.url).toBe('/session/heartbeat?token=__redacted_session_token_1__');
    expect((sql!.request.body as { json: { statement: string } }).json.statement).toBe("SELECT '__redacted_session_token_1__'");
  });

  it('a PAT first returned by ADD PROGRAMMATIC ACCESS TOKEN keeps its kind when later sent as a Bearer token', () => {
    const secret = 'pat-Qm8vR2tY7uW0xZ3aB6cD9eF1gH4iJ5kL';
    const [, use] = redactExchanges([
      ex({}, { body: { json: { resultSetMetaData: { rowType: [{ name: 'token_name' }, { name: 'token_secret' }] }, data: [['NIGHTLY', secret]] } } }),
      ex({ headers: { authorization: `Bearer ${secret}` } }),
    ]);
    expect(use!.request.headers.authorization).toBe('Bearer __redacted_pat_1__');
  });

  it('different secrets of a kind are numbered apart', () => {
    const [a, b] = redactExchanges([ex({ headers: { authorization: 'Bearer pat-one-0001' } }), ex({ headers: { authorization: 'Bearer pat-two-0002' } })]);
    expect([a!.request.headers.authorization, b!.request.headers.authorization]).toEqual(['Bearer __redacted_access_token_1__', 'Bearer __redacted_access_token_2__']);
  });

  it('a secret seen in one field is replaced inside any text later, where no rule would find it', () => {
    const [, echo] = redactExchanges([
      ex({ url: '/session/v1/login-request', body: { json: { data: { PASSWORD: 'alice-password' } } } }),
      ex({ method: 'GET', url: '/debug' }, { body: { text: 'client sent: alice-password!' } }),
    ]);
    expect(echo!.response.body).toEqual({ text: 'client sent: __redacted_password_1__!' });
  });

  it('placeholders already in the input (a re-imported recording) are never rewritten, even by a secret they contain', () => {
    const [r] = redactExchanges([ex({ headers: { cookie: 'sid=redacted' } }, { body: { json: { token: '__redacted_pat_1__', note: 'a redacted value: __redacted_pat_1__' } } })]);
    expect(r!.request.headers.cookie).toBe('sid=__redacted_cookie_1__');
    expect(r!.response.body).toEqual({ json: { token: '__redacted_pat_1__', note: 'a __redacted_cookie_1__ value: __redacted_pat_1__' } });
  });

  it('placeholders already in the input keep their numbers: a new secret gets the next one (record-missing re-feeds a recording)', () => {
    const [, fresh] = redactExchanges([
      ex({ url: '/queries/v1/query-request', headers: { authorization: 'Snowflake Token="__redacted_session_token_2__"', host: 'redacted-account-3.snowflakecomputing.com' } }),
      ex({ url: '/queries/v1/query-request', headers: { authorization: `Snowflake Token="${SESSION}"` } }),
    ]);
    expect(fresh!.request.headers.authorization).toBe('Snowflake Token="__redacted_session_token_3__"');
  });

  it('a short password is replaced where it is found, not as a substring elsewhere', () => {
    const [login] = redactExchanges([ex({ url: '/session/v1/login-request', body: { json: { data: { PASSWORD: 'abc1', CLIENT_APP_VERSION: 'abc1.2' } } } })]);
    expect((login!.request.body as { json: { data: unknown } }).json.data).toEqual({ PASSWORD: '__redacted_password_1__', CLIENT_APP_VERSION: 'abc1.2' });
  });
});

describe('identities (--redact-identities)', () => {
  const login = ex(
    { url: '/session/v1/login-request?requestId=1', host: 'myorg-myaccount.snowflakecomputing.com', headers: { 'x-forwarded-for': '10.1.2.3, 2001:db8::7', authorization: `Bearer ${JWT}` }, body: { json: { data: { ACCOUNT_NAME: 'MYORG-MYACCOUNT', LOGIN_NAME: 'alice', CLIENT_ENVIRONMENT: { APPLICATION: 'app' } } } } },
    { status: 302, headers: { location: 'https://myorg-myaccount.snowflakecomputing.com/console?user=ALICE' }, body: { json: { data: { displayUserName: 'Alice', note: 'signed in from 10.1.2.3 as ALICE on xy12345.us-east-2.aws.snowflakecomputing.com' } } } },
  );

  it('are left alone by default', () => {
    expect(text(one(login))).toContain('myorg-myaccount.snowflakecomputing.com');
  });

  it('accounts (DNS-safe in host names), locators, users and IPs, without case, the same placeholder everywhere', () => {
    const r = one(login, true);
    expect(r.request.host).toBe('redacted-account-1.snowflakecomputing.com');
    expect(r.request.headers['x-forwarded-for']).toBe('__redacted_ip_1__, __redacted_ip_2__');
    expect((r.request.body as { json: { data: unknown } }).json.data).toEqual({ ACCOUNT_NAME: '__redacted_account_1__', LOGIN_NAME: '__redacted_user_1__', CLIENT_ENVIRONMENT: { APPLICATION: 'app' } });
    expect(r.response.headers.location).toBe('https://redacted-account-1.snowflakecomputing.com/console?user=__redacted_user_1__');
    expect((r.response.body as { json: { data: unknown } }).json.data).toEqual({ displayUserName: '__redacted_user_1__', note: 'signed in from __redacted_ip_1__ as __redacted_user_1__ on redacted-locator-1.us-east-2.aws.snowflakecomputing.com' });
  });

  it('inside a JWT\'s claims too (the signature is gone already)', () => {
    const r = one(login, true);
    const claims = JSON.parse(Buffer.from(r.request.headers.authorization!.split('.')[1]!, 'base64url').toString()) as { iss: string; sub: string };
    expect(claims.sub).toBe('__redacted_account_1__.__redacted_user_1__');
    expect(claims.iss).toBe('__redacted_account_1__.__redacted_user_1__.SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=');
  });

  it('the upstream URL through the same book', () => {
    const redactor = createRedactor({ identities: true });
    expect(redactor.text('https://myorg-myaccount.snowflakecomputing.com')).toBe('https://redacted-account-1.snowflakecomputing.com');
    expect(text(redactor.exchange(login))).not.toMatch(/myorg|myaccount|alice|10\.1\.2\.3/i);
  });
});

describe('property: no secret a rule saw survives anywhere in the recording (seeded random cases)', () => {
  /** mulberry32: a small seeded PRNG, so every run checks the same 300 cases and a failure reproduces. */
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
  const ANY = `${TOKEN}+/= !#$%&()*,:;<>?@[]^{|}'"\\é€`;
  /** Where a secret is first seen, each with the characters that place allows. */
  const PLACES: { alphabet: string; make: (s: string) => Raw }[] = [
    { alphabet: TOKEN, make: (s) => ex({ headers: { authorization: `Bearer ${s}` } }) },
    { alphabet: TOKEN, make: (s) => ex({ url: '/queries/v1/query-request', headers: { authorization: `Snowflake Token="${s}"` } }) },
    { alphabet: TOKEN, make: (s) => ex({ headers: { cookie: `sid=${s}; theme=dark` } }) },
    { alphabet: ANY, make: (s) => ex({ url: '/session/v1/login-request', body: { json: { data: { PASSWORD: s } } } }) },
    { alphabet: ANY, make: (s) => ex({ url: '/oauth/token-request', body: { form: [['grant_type', 'refresh_token'], ['refresh_token', s]] } }) },
    { alphabet: ANY, make: (s) => ex({ body: { json: { statement: `ALTER USER a SET PASSWORD = '${s.replace(/'/g, "''")}'` } } }) },
    { alphabet: ANY, make: (s) => ex({ method: 'GET', url: `/oauth/authorize?client_id=c&code=${encodeURIComponent(s)}` }) },
    { alphabet: ANY, make: (s) => ex({ url: '/oauth/token-request' }, { body: { json: { access_token: s, token_type: 'Bearer' } } }) },
    { alphabet: ANY, make: (s) => ex({}, { body: { json: { resultSetMetaData: { rowType: [{ name: 'token_secret' }] }, data: [[s]] } } }) },
  ];
  /** Where the same secret turns up later, where no rule looks. */
  const ECHOES: ((s: string) => Raw)[] = [
    (s) => ex({ method: 'GET', url: '/x' }, { body: { text: `log: ${s} done` } }),
    (s) => ex({ method: 'GET', url: `/x?q=${encodeURIComponent(s)}` }),
    (s) => ex({ method: 'GET', url: '/x' }, { body: { json: { deep: [{ note: `<${s}>` }] } } }),
    (s) => ex({ method: 'GET', url: '/x' }, { body: { text: JSON.stringify({ echoed: s }) } }),
    (s) => ex({ method: 'GET', url: '/x' }, { body: { base64: Buffer.from(`\u0000\u00ff${s}`, 'latin1').toString('base64') } }),
  ];

  it('300 cases', () => {
    const random = prng(20260301);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const place = pick(PLACES);
      const length = 8 + Math.floor(random() * 40);
      const secret = Array.from({ length }, () => pick([...place.alphabet])).join('');
      const echo = pick(ECHOES);
      if (echo === ECHOES[4] && /[^\u0000-\u00ff]/.test(secret)) continue;
      const strings: string[] = [];
      for (const e of redactExchanges([place.make(secret), echo(secret)])) eachExchangeString(e, (t) => void strings.push(t));
      const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('latin1')];
      if (strings.some((t) => forms.some((f) => t.includes(f)))) failures.push(`case ${i}: place ${PLACES.indexOf(place)}, echo ${ECHOES.indexOf(echo)}`);
    }
    expect(failures).toEqual([]);
  });
});
