/**
 * Issue #14, item 1: deeply nested or non-string JSON where a string is expected must never become
 * a 500 "internal error". Each reproduction of the issue, over real fetch (msw; every answer is
 * checked against its endpoint contract by useMock), answers 4xx — or the GS envelope the drivers
 * read — in its surface's shape, with a catalogued code and a short explanation in the journal.
 * Before the fix each of these answered 500: the explanation that quoted the bad value crashed on it
 * (`Maximum call stack size exceeded`, `Cannot convert object to primitive value`).
 */
import { describe, expect, it } from 'vitest';
import type { ExternalOAuthIntegrationConfig } from '../../domain/world/config.ts';
import { ACCOUNT_HOST, exampleWorld } from '../helpers/http-world.ts';
import { publicKeyPem } from '../helpers/keys.ts';
import { call, useMock } from '../helpers/msw.ts';
import type { SnowflakeMock } from '../../handlers/mock.ts';

/** JSON text of an array nested `depth` deep (built as text: the value itself would overflow JSON.stringify). */
const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const DEEP = nested(5_000);
const b64 = (text: string): string => Buffer.from(text).toString('base64url');
/** A compact JWS from header and claims JSON text, with a signature no key made (the refusal comes first). */
const jws = (header: string, claims: string): string => `${b64(header)}.${b64(claims)}.c2lnbmF0dXJl`;

const ALICE_ISS = 'MYORG-MYACCOUNT.ALICE.SHA256:abc=';
const claimsWith = (fields: string): string => `{"sub":"MYORG-MYACCOUNT.ALICE","iat":1772366400,"exp":1772370000,${fields}}`;

/** The journal's last entry must be a refusal that says something short (no stack, no crash text). */
function expectSaneJournal(mock: SnowflakeMock, code: string | RegExp): void {
  const entry = mock.journal.last()!;
  expect(entry.decision).toBe('rejected');
  if (typeof code === 'string') expect(entry.code).toBe(code);
  else expect(entry.code).toMatch(code);
  expect(entry.explanation.length).toBeLessThan(1_000);
  expect(entry.explanation).not.toMatch(/call stack|primitive value|internal error/i);
  // Every journal reader (control API, inspector, recordings) serialises the entry: it must stay serialisable.
  expect(() => JSON.stringify(entry)).not.toThrow();
}

// At file level: the file's msw server listens for all its describes (test/helpers/msw.ts); the
// External OAuth and provider describes below put their own mock in front of this one.
const mock = useMock({ world: exampleWorld(), clientIp: '10.0.0.5' });

describe('key-pair JWT with a nested header alg or claim iss (SQL API, REST API, SNOWFLAKE_JWT login)', () => {
  const tokens: [string, string][] = [
    ['header alg nested 5,000 deep', jws(`{"alg":${DEEP},"typ":"JWT"}`, claimsWith(`"iss":"${ALICE_ISS}"`))],
    ['claim iss nested 5,000 deep', jws('{"alg":"RS256","typ":"JWT"}', claimsWith(`"iss":${DEEP}`))],
    ['claim iss {"toString":1}', jws('{"alg":"RS256","typ":"JWT"}', claimsWith('"iss":{"toString":1}'))],
    ['claim sub {"valueOf":1}', jws('{"alg":"RS256","typ":"JWT"}', `{"iss":"${ALICE_ISS}","sub":{"valueOf":1,"toString":2},"iat":1772366400,"exp":1772370000}`)],
  ];

  it.each(tokens)('SQL API, %s → 401 390144 in the SQL API shape', async (_what, token) => {
    const answer = await call('SELECT 1', { token, tokenType: 'KEYPAIR_JWT' });
    expect(answer.status, answer.text).toBe(401);
    expect(Object.keys(answer.body).sort()).toEqual(['code', 'message']);
    expect(answer.body.code).toBe('390144');
    expectSaneJournal(mock, '390144');
  });

  it.each(tokens)('REST API with the KEYPAIR_JWT type header, %s → 401 390144', async (_what, token) => {
    const answer = await call(undefined, { method: 'GET', path: '/api/v2/databases', token, tokenType: 'KEYPAIR_JWT' });
    expect(answer.status, answer.text).toBe(401);
    expect(answer.body.code).toBe('390144');
    expectSaneJournal(mock, '390144');
  });

  it.each(tokens)('SNOWFLAKE_JWT login, %s → the GS envelope with 390144', async (_what, token) => {
    const res = await fetch(`${ACCOUNT_HOST}/session/v1/login-request`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ data: { CLIENT_APP_ID: 'JavaScript', ACCOUNT_NAME: 'MYORG-MYACCOUNT', LOGIN_NAME: 'alice', AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: token } }),
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['code', 'data', 'headers', 'message', 'success']);
    expect(body).toMatchObject({ success: false, code: '390144' });
    expectSaneJournal(mock, '390144');
  });
});

const PARTNER = 'https://partner.example';
const externalWorld = exampleWorld((w) => {
  (w.accounts[0]!.security_integrations as ExternalOAuthIntegrationConfig[]).push({
    name: 'PARTNER_IDP', type: 'external_oauth', external_oauth_type: 'custom', external_oauth_issuer: PARTNER,
    external_oauth_rsa_public_key: publicKeyPem('bob'), external_oauth_token_user_mapping_claim: 'sub',
    external_oauth_snowflake_user_mapping_attribute: 'login_name',
  });
});

describe('External OAuth with a nested iss, alg or typ', () => {
  const external = useMock({ world: externalWorld, clientIp: '10.0.0.5' });
  const partnerClaims = `{"iss":"${PARTNER}","sub":"alice","aud":"${ACCOUNT_HOST}","iat":1772366400,"exp":1772370000}`;

  it.each([
    ['iss nested 5,000 deep', jws('{"alg":"RS256","typ":"JWT"}', `{"iss":${DEEP},"sub":"alice","exp":1772370000}`)],
    ['iss {"toString":1}', jws('{"alg":"RS256","typ":"JWT"}', '{"iss":{"toString":1},"sub":"alice","exp":1772370000}')],
    ['alg nested 5,000 deep', jws(`{"alg":${DEEP},"typ":"JWT"}`, partnerClaims)],
    ['typ nested 5,000 deep', jws(`{"alg":"RS256","typ":${DEEP}}`, partnerClaims)],
    ['aud nested 5,000 deep', jws('{"alg":"RS256","typ":"JWT"}', `{"iss":"${PARTNER}","sub":"alice","aud":${DEEP},"exp":1772370000}`)],
  ])('SQL API with the OAUTH type header, %s → 401 390303', async (_what, token) => {
    const answer = await call('SELECT 1', { token, tokenType: 'OAUTH' });
    expect(answer.status, answer.text).toBe(401);
    expect(Object.keys(answer.body).sort()).toEqual(['code', 'message']);
    expect(answer.body.code).toBe('390303');
    expectSaneJournal(external, '390303');
  });

  it('a nested iss is malformed (EXTERNAL_OAUTH_JWS_INVALID_FORMAT); a shallow non-string one keeps EXTERNAL_OAUTH_MISSING_ISSUER', async () => {
    await call('SELECT 1', { token: jws('{"alg":"RS256"}', `{"iss":${DEEP},"exp":1772370000}`), tokenType: 'OAUTH' });
    expect(external.journal.last()).toMatchObject({ code: '390303', cause: 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT' });
    await call('SELECT 1', { token: jws('{"alg":"RS256"}', '{"iss":{"toString":1},"exp":1772370000}'), tokenType: 'OAUTH' });
    expect(external.journal.last()).toMatchObject({ code: '390303', cause: 'EXTERNAL_OAUTH_MISSING_ISSUER', explanation: expect.stringContaining('an unusable ({"toString":1}) iss') });
    await call('SELECT 1', { token: jws('{"alg":"RS256","typ":[[["JWT"]]]}', partnerClaims), tokenType: 'OAUTH' });
    expect(external.journal.last()).toMatchObject({ code: '390303', cause: 'EXTERNAL_OAUTH_JWS_INVALID_TYPE', explanation: expect.stringContaining('header typ [[[…1 item]]] is not') });
  });
});

describe("the provider's JWT-bearer grant with a bad iss or aud", () => {
  const provider = useMock({ world: 'scenarios/provider/worlds/provider.yaml' });
  const grant = (assertion: string) => fetch('https://provider.example.com/oauth2/token', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion, client_id: 'jwt-client', client_secret: 'jwt-secret' }),
  });

  it.each([
    ['iss {"toString":1}', '{"iss":{"toString":1},"sub":"svc","aud":"https://provider.example.com/oauth2/token","exp":4102444800}'],
    ['iss nested 5,000 deep', `{"iss":${DEEP},"sub":"svc","aud":"https://provider.example.com/oauth2/token","exp":4102444800}`],
    ['aud nested 5,000 deep', `{"iss":"https://issuer.example.com","sub":"svc","aud":${DEEP},"exp":4102444800}`],
    ['aud {"toString":1}', '{"iss":"https://issuer.example.com","sub":"svc","aud":{"toString":1},"exp":4102444800}'],
  ])('%s → 400 invalid_grant in the RFC 6749 §5.2 shape', async (_what, claims) => {
    const res = await grant(jws('{"alg":"RS256","typ":"JWT"}', claims));
    const body = await res.json();
    expect(res.status).toBe(400);
    expect(body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect(body.error_description.length).toBeLessThan(400);
    expectSaneJournal(provider, 'invalid_grant');
  });

  it('a non-string iss or aud is PROVIDER_ASSERTION_MALFORMED (RFC 7519 §4.1), nesting past 64 levels too', async () => {
    for (const claims of ['{"iss":{"toString":1},"sub":"svc"}', '{"iss":"https://issuer.example.com","sub":"svc","aud":[7]}', `{"iss":${DEEP},"sub":"svc"}`]) {
      const res = await grant(jws('{"alg":"RS256"}', claims));
      expect(res.status).toBe(400);
      expect(provider.journal.last()).toMatchObject({ code: 'invalid_grant', cause: 'PROVIDER_ASSERTION_MALFORMED' });
    }
    expect(provider.journal.last()!.explanation).toContain('nested more than 64 levels deep');
  });
});

describe('the boundary: type checks keep their causes, nesting past the depth limit is malformed', () => {
  const sqlJwt = async (token: string) => {
    const answer = await call('SELECT 1', { token, tokenType: 'KEYPAIR_JWT' });
    expect(answer.status).toBe(401);
    return mock.journal.last()!;
  };

  it('a key-pair JWT header alg nested past 64 levels is JWT_MALFORMED (390144), and not kept in the journal', async () => {
    const entry = await sqlJwt(jws(`{"alg":${DEEP}}`, claimsWith(`"iss":"${ALICE_ISS}"`)));
    expect(entry).toMatchObject({ code: '390144', cause: 'JWT_MALFORMED', explanation: expect.stringContaining('nested more than 64 levels deep') });
    expect(entry.jwt?.header).toBeNull();
  });

  it('a shallow non-string alg is still 394305 and an array iss JWT_MALFORMED, each quoted safely', async () => {
    expect(await sqlJwt(jws('{"alg":["RS256"]}', claimsWith(`"iss":"${ALICE_ISS}"`)))).toMatchObject({ cause: '394305', explanation: expect.stringContaining('header alg ["RS256"] is not') });
    expect(await sqlJwt(jws('{"alg":"RS256"}', claimsWith('"iss":[[[["x"]]]]')))).toMatchObject({ cause: 'JWT_MALFORMED', explanation: expect.stringContaining('iss is not a string ([[[…1 item]]])') });
    expect(await sqlJwt(jws('{"alg":"RS256"}', claimsWith('"iss":{"toString":1}')))).toMatchObject({ cause: 'JWT_MALFORMED', explanation: expect.stringContaining('iss is not a string ({"toString":1})') });
  });

  it('a SQL API body nested past 64 levels → 400 390142 (its malformed-payload answer)', async () => {
    const answer = await call(undefined, { token: 'pat-alice-ci', body: `{"statement":"SELECT 1","parameters":{"x":${nested(65)}}}` });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: '390142', message: 'Incoming request does not contain a valid payload.' });
    expect(mock.journal.last()!.explanation).toContain('nested more than 64 levels deep');
    const shallow = await call(undefined, { token: 'pat-alice-ci', body: `{"statement":"SELECT 1","parameters":{"x":${nested(60)}}}` });
    expect(shallow.status, shallow.text).toBe(200);
  });

  it('a login body nested past 64 levels → the GS envelope with 390400 LOGIN_BODY_INVALID', async () => {
    const res = await fetch(`${ACCOUNT_HOST}/session/v1/login-request`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: `{"data":{"CLIENT_APP_ID":"JavaScript","LOGIN_NAME":"alice","PASSWORD":"alice-password","CLIENT_ENVIRONMENT":{"x":${DEEP}}}}`,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: false, code: '390400', headers: null });
    expect(mock.journal.last()).toMatchObject({ cause: 'LOGIN_BODY_INVALID', explanation: expect.stringContaining('nested more than 64 levels deep') });
  });
});

describe('/session/token-request with a nested or non-string requestType', () => {
  const post = async (path: string, body: string, token?: string) => {
    const res = await fetch(`${ACCOUNT_HOST}${path}`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token && { authorization: `Snowflake Token="${token}"` }) },
    });
    return { status: res.status, body: await res.json() };
  };

  it.each([
    ['nested 5,000 deep', DEEP],
    ['{"toString":1}', '{"toString":1}'],
    ['a number', '7'],
  ])('requestType %s → the GS envelope with 390400', async (_what, requestType) => {
    const login = await post('/session/v1/login-request', JSON.stringify({ data: { CLIENT_APP_ID: 'JavaScript', LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } }));
    expect(login.body.success, JSON.stringify(login.body)).toBe(true);
    const { masterToken, token } = login.body.data;
    const reply = await post('/session/token-request', `{"requestType":${requestType},"oldSessionToken":"${token}"}`, masterToken);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(['code', 'data', 'headers', 'message', 'success']);
    expect(reply.body).toMatchObject({ success: false, code: '390400' });
    expectSaneJournal(mock, '390400');
    expect(mock.journal.last()).toMatchObject({ cause: 'RENEW_BODY_INVALID', explanation: expect.stringMatching(/requestType is not a string|nested more than 64 levels deep/) });
  });
});
