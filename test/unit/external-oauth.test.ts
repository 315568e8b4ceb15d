/**
 * External OAuth (issue #6, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external) as pure domain code: the world config and its
 * validation, the mock IdP that issues tokens, and Snowflake's judgement of them — issuer, JWS
 * type, signature (JWKS or RSA keys), audience, time, user mapping, role — each refusal 390303
 * with its EXTERNAL_OAUTH_* cause. Worlds are built from config at a fixed instant.
 */
import { describe, expect, it } from 'vitest';
import { authenticateBearer } from '../../domain/auth/bearer.ts';
import type { AuthContext, AuthOutcome, AuthStores } from '../../domain/auth/context.ts';
import { createDecisionCache } from '../../domain/auth/decision-cache.ts';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { externalOAuthCacheSize, externalOAuthJoseProblem, type ExternalOAuthCause } from '../../domain/auth/external-oauth.ts';
import { verifyJws, type JoseFailure } from '../../domain/auth/jws.ts';
import { accountUrl, findMockIdp, mockIdpHosts, idpClientCredentials, idpsAtTokenEndpoint, issueExternalOAuthToken, jwksAt, type IssueExternalTokenOptions } from '../../domain/auth/external-oauth-idp.ts';
import { keyIdOf, signExternalOAuthToken } from '../../domain/auth/external-oauth-sign.ts';
import { createKeypairJwtVerifier } from '../../domain/auth/keypair-jwt.ts';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { authenticateOAuthToken, createOAuthTokenStore } from '../../domain/auth/oauth-token.ts';
import { buildPatIndex } from '../../domain/auth/pat.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import { createIds } from '../../domain/ids.ts';
import { decideLogin } from '../../domain/login/login.ts';
import { parseLoginRequest } from '../../domain/login/login-request.ts';
import { createMfaTokenStore } from '../../domain/login/mfa-tokens.ts';
import { buildWorld } from '../../domain/world/build.ts';
import type { ExternalOAuthIntegrationConfig, WorldConfig } from '../../domain/world/config.ts';
import type { ExternalOAuthIntegration } from '../../domain/world/model.ts';
import { parseWorldText } from '../../domain/world/parse-text.ts';
import { WorldConfigError, formatPath, validateWorldConfig } from '../../domain/world/validate.ts';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import { externalIdpTokenEndpoint } from '../../http/endpoints/external-idp-token.ts';
import { providerTarget } from '../../http/provider/dispatch.ts';
import { privateKeyPem, publicKeyPem } from '../helpers/keys.ts';
import { decodeJwt, decodeProtectedHeader } from 'jose';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const ISSUER = 'https://idp.example.com/oauth2/default';
const KEYS_ISSUER = 'https://sts.example.net/tenant/';
const ACCOUNT_URL = 'https://myorg-myaccount.snowflakecomputing.com';

type Config = WorldConfig & { security_integrations: ExternalOAuthIntegrationConfig[] };

/**
 * One account with two External OAuth integrations: OKTA_IDP (the mock plays its IdP; JWKS mode,
 * sub → LOGIN_NAME, scp) and KEYS_IDP (RSA keys alice + bob; upn or email → EMAIL_ADDRESS, `scope`
 * claim with "," as delimiter). ALICE holds ANALYST, REPORTER, SYSADMIN and ACCOUNTADMIN.
 */
function config(): Config {
  return {
    clock: { start: '2026-03-01T12:00:00Z' },
    locator: 'xy12345.us-east-2.aws',
    roles: ['ANALYST', 'REPORTER'],
    users: [
      { name: 'ALICE', login_name: 'alice', email: 'Alice@Example.com', default_role: 'ANALYST', roles: ['ANALYST', 'REPORTER', 'SYSADMIN', 'ACCOUNTADMIN'] },
      { name: 'BOB', email: 'bob@example.com', default_role: 'REPORTER', roles: ['REPORTER'], disabled: true },
      { name: 'CAROL', email: 'shared@example.com', roles: ['REPORTER'] },
      { name: 'DAVE', email: 'shared@example.com', roles: ['REPORTER'] },
    ],
    security_integrations: [
      {
        name: 'OKTA_IDP', type: 'external_oauth', external_oauth_type: 'okta', external_oauth_issuer: ISSUER,
        external_oauth_token_user_mapping_claim: 'sub', external_oauth_snowflake_user_mapping_attribute: 'login_name',
        mock_idp: { clients: [{ client_id: 'etl', client_secret: 'etl-secret', subject: 'alice', scopes: ['session:role:ANALYST', 'session:role:REPORTER'] }] },
      },
      {
        name: 'KEYS_IDP', type: 'external_oauth', external_oauth_type: 'custom', external_oauth_issuer: KEYS_ISSUER,
        external_oauth_rsa_public_key: publicKeyPem('alice'), external_oauth_rsa_public_key_2: publicKeyPem('bob'),
        external_oauth_token_user_mapping_claim: ['upn', 'email'], external_oauth_snowflake_user_mapping_attribute: 'email_address',
        external_oauth_scope_mapping_attribute: 'scope', external_oauth_scope_delimiter: ',',
        external_oauth_audience_list: ['api://snowflake'],
      },
    ],
  };
}

function setup(patch?: (c: Config) => void) {
  const c = config();
  patch?.(c);
  const ids = createIds(7);
  const world = buildWorld(c, { now: NOW, ids });
  const account = world.accounts[0]!;
  const stores: AuthStores = { pats: buildPatIndex(world), oauthTokens: createOAuthTokenStore(world), jwt: createKeypairJwtVerifier() };
  const state = { now: NOW, clientIp: '127.0.0.1' };
  const ctx = (): AuthContext => ({ world, account, now: state.now, clientIp: state.clientIp, stores });
  const integration = (name: string) => account.securityIntegrations.get(name) as ExternalOAuthIntegration;
  return {
    world, account, state, stores, ctx, integration,
    /** A token from OKTA_IDP's mock IdP (signed by jose: a promise). */
    okta: (o: Partial<IssueExternalTokenOptions> = {}) => issueExternalOAuthToken(findMockIdp(world, 'OKTA_IDP'), { subject: 'alice', scopes: ['session:role:ANALYST'], ...o }, state.now),
    /** A token for KEYS_IDP, signed with a fixture key (the tests play the IdP). */
    keys: (claims: Record<string, unknown> = {}, key: 'alice' | 'bob' | 'etl-bot' = 'alice') => signExternalOAuthToken({
      privateKey: privateKeyPem(key),
      claims: dropUndefined({ iss: KEYS_ISSUER, upn: 'alice@example.com', aud: ACCOUNT_URL, scope: 'session:role:ANALYST', iat: state.now / 1000, exp: state.now / 1000 + 3600, ...claims }),
    }),
    /** Judged at once, or a promise while jose checks a new token's signature: await it. */
    auth: async (token: string) => authenticateOAuthToken(token, ctx()),
    login: async (token: string, query = '') => {
      const parsed = parseLoginRequest(JSON.stringify({ data: { AUTHENTICATOR: 'OAUTH', TOKEN: token } }), new URLSearchParams(query));
      if (!parsed.ok) throw new Error(parsed.rejection.explanation);
      return decideLogin(parsed.value, { ...ctx(), ids, mfaTokens: createMfaTokenStore(ids) });
    },
  };
}

const dropUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function accepted(outcome: AuthOutcome) {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.rejection.cause}: ${outcome.rejection.explanation}`);
  return outcome;
}

function refused(outcome: AuthOutcome, cause: ExternalOAuthCause | 'OAUTH_TOKEN_UNKNOWN'): string {
  if (outcome.ok) throw new Error(`expected ${cause}, got success: ${outcome.explanation}`);
  expect(outcome.rejection.code).toBe('390303');
  expect(outcome.rejection.cause).toBe(cause);
  return outcome.rejection.explanation;
}

describe('the mock IdP issues RS256 access tokens (decisions/0009)', () => {
  const claimsOf = (token: string) => decodeJwt(token);
  const headerOf = (token: string) => decodeProtectedHeader(token);

  it('iss, sub, aud = account URL, iat/exp on the given clock, Okta scp as a list, kid = the JWKS key', async () => {
    const s = setup();
    const token = await s.okta({ scopes: ['session:role:ANALYST', 'other'] });
    expect(claimsOf(token)).toEqual({ iss: ISSUER, sub: 'alice', aud: ACCOUNT_URL, iat: NOW / 1000, exp: NOW / 1000 + 3600, scp: ['session:role:ANALYST', 'other'] });
    const kid = headerOf(token).kid;
    expect(headerOf(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid });
    expect((await jwksAt(s.world, `${ISSUER}/v1/keys`))!.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid })]);
  });

  it('a CUSTOM IdP joins scopes with its delimiter, in its scope attribute, and aud is the first listed audience', async () => {
    const s = setup((c) => {
      Object.assign(c.security_integrations[1]!, { external_oauth_rsa_public_key: null, external_oauth_rsa_public_key_2: null, mock_idp: { private_key: privateKeyPem('alice') } });
    });
    const token = await issueExternalOAuthToken(findMockIdp(s.world, 'KEYS_IDP'), { subject: 'alice@example.com', scopes: ['a', 'session:role:ANALYST'], expiresIn: '10m' }, NOW);
    expect(claimsOf(token)).toMatchObject({ iss: KEYS_ISSUER, upn: 'alice@example.com', aud: 'api://snowflake', scope: 'a,session:role:ANALYST', exp: NOW / 1000 + 600 });
    expect(accepted(await s.auth(token)).role).toBe('ANALYST');
  });

  it('defaults: token endpoint <issuer>/v1/token, JWKS beside it, the JWKS URL becomes the integration\'s; the key survives a rebuild', async () => {
    const s = setup();
    const i = s.integration('OKTA_IDP');
    expect(i.mockIdp).toMatchObject({ tokenEndpoint: `${ISSUER}/v1/token`, jwksUrls: [`${ISSUER}/v1/keys`], accessTokenValidity: 3600 });
    expect(i.externalOauthJwsKeysUrl).toEqual([`${ISSUER}/v1/keys`]);
    expect(setup().integration('OKTA_IDP').mockIdp!.signingKey.publicKey).toBe(i.mockIdp!.signingKey.publicKey);
    expect(accountUrl(s.account)).toBe(ACCOUNT_URL);
  });

  it('issuing for an integration without mock_idp says to sign the token yourself', async () => {
    expect(() => findMockIdp(setup().world, 'KEYS_IDP')).toThrow(/signExternalOAuthToken/);
    expect(() => findMockIdp(setup().world, 'NOPE')).toThrow(/no security integration NOPE/);
  });

  it('client credentials at the token endpoint: post or Basic, the client\'s scopes, RFC 6749 errors', async () => {
    const s = setup();
    const idps = idpsAtTokenEndpoint(s.world, 'idp.example.com', '/oauth2/default/v1/token');
    expect(idps.map((i) => i.integration.name)).toEqual(['OKTA_IDP']);
    const form = 'application/x-www-form-urlencoded;charset=UTF-8';
    const ok = await idpClientCredentials(idps, { contentType: form, body: 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret&scope=session%3Arole%3AREPORTER' }, NOW);
    if (!ok.ok) throw new Error(ok.description);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'session:role:REPORTER' });
    expect(accepted(await s.auth(ok.body.access_token))).toMatchObject({ role: 'REPORTER', user: { name: 'ALICE' } });
    const basic = await idpClientCredentials(idps, { authorization: `Basic ${Buffer.from('etl:etl-secret').toString('base64')}`, contentType: form, body: 'grant_type=client_credentials' }, NOW);
    expect(basic.ok && basic.body.scope).toBe('session:role:ANALYST session:role:REPORTER');
    const error = async (body: string, authorization?: string) => {
      const r = await idpClientCredentials(idps, { contentType: form, body, ...(authorization && { authorization }) }, NOW);
      return r.ok ? 'ok' : `${r.status} ${r.error}`;
    };
    expect(await error('grant_type=client_credentials&client_id=etl&client_secret=wrong')).toBe('401 invalid_client');
    expect(await error('grant_type=client_credentials&client_id=nobody&client_secret=x')).toBe('401 invalid_client');
    expect(await error('grant_type=client_credentials')).toBe('401 invalid_client');
    expect(await error('grant_type=client_credentials&client_secret=etl-secret', `Basic ${Buffer.from('etl:etl-secret').toString('base64')}`)).toBe('400 invalid_request');
    expect(await error('grant_type=password&client_id=etl&client_secret=etl-secret')).toBe('400 unsupported_grant_type');
    expect(await error('client_id=etl&client_secret=etl-secret')).toBe('400 invalid_request');
    expect(await error('grant_type=client_credentials&client_id=etl&client_secret=etl-secret&scope=session%3Arole%3AACCOUNTADMIN')).toBe('400 invalid_scope');
    expect(await error('grant_type=client_credentials&grant_type=client_credentials&client_id=etl&client_secret=etl-secret')).toBe('400 invalid_request');
    const json = await idpClientCredentials(idps, { contentType: 'application/json', body: '{}' }, NOW);
    expect(json.ok ? 'ok' : json.error).toBe('invalid_request');
  });
});

describe('which tokens External OAuth judges', () => {
  it('accepts an IdP token: OAUTH method, mapped user, role from the scope, user-credential traffic, valid until exp', async () => {
    const s = setup();
    const out = accepted(await s.auth(await s.okta()));
    expect(out).toMatchObject({ method: 'OAUTH', role: 'ANALYST', roleLocked: true, traffic: 'user-credential', validUntil: NOW + HOUR, user: { name: 'ALICE' } });
    expect(out.integration).toBeUndefined();
    expect(out.explanation).toContain('External OAuth token of ALICE from OKTA_IDP');
  });

  it('opaque tokens and Snowflake key-pair JWTs are not External OAuth tokens', async () => {
    const s = setup();
    refused(await s.auth('not-a-jwt'), 'OAUTH_TOKEN_UNKNOWN');
    const keypair = await signKeypairJwt({ privateKey: privateKeyPem('alice'), account: 'MYORG-MYACCOUNT', user: 'ALICE', now: NOW });
    refused(await s.auth(keypair), 'OAUTH_TOKEN_UNKNOWN');
  });

  it('on an account without External OAuth integrations an IdP JWT is an unknown OAuth token', async () => {
    const s = setup();
    const token = await s.okta();
    const bare = setup((c) => (c.security_integrations = []));
    refused(await bare.auth(token), 'OAUTH_TOKEN_UNKNOWN');
  });

  it('a JWS that does not decode is EXTERNAL_OAUTH_JWS_INVALID_FORMAT', async () => {
    const s = setup();
    refused(await s.auth('eyJhbGciOiJSUzI1NiJ9.eyJpc3M.abc'), 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT');
    refused(await s.auth(await s.okta({ claims: { exp: undefined } })), 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT');
    refused(await s.auth(await s.okta({ claims: { exp: 'tomorrow' } })), 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT');
  });

  it('a JWT without iss is EXTERNAL_OAUTH_MISSING_ISSUER', async () => {
    const s = setup();
    refused(await s.auth(await s.okta({ claims: { iss: undefined } })), 'EXTERNAL_OAUTH_MISSING_ISSUER');
  });

  it('an iss no integration has is EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_FOUND, naming the known issuers', async () => {
    const s = setup();
    const why = refused(await s.auth(await s.okta({ claims: { iss: 'https://evil.example.com' } })), 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_FOUND');
    expect(why).toContain(ISSUER);
    // The issuer must match exactly (a trailing slash is another issuer).
    refused(await s.auth(await s.okta({ claims: { iss: `${ISSUER}/` } })), 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_FOUND');
  });

  it('a disabled integration is EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_ENABLED', async () => {
    const s = setup();
    const token = await s.okta();
    s.integration('OKTA_IDP').enabled = false;
    refused(await s.auth(token), 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_ENABLED');
  });
});

describe('JWS type and signature', () => {
  const signAs = async (s: ReturnType<typeof setup>, o: { alg?: string; header?: Record<string, unknown>; key?: string }) => {
    const idp = s.integration('OKTA_IDP').mockIdp!.signingKey;
    const claims = decodeJwt(await s.okta());
    return signExternalOAuthToken({ privateKey: o.key ?? idp.privateKey, kid: await keyIdOf(idp.publicKey), claims, ...(o.alg && { alg: o.alg }), ...(o.header && { header: o.header }) });
  };

  it('alg none, HS256 and ES256 are EXTERNAL_OAUTH_JWS_INVALID_TYPE', async () => {
    const s = setup();
    expect(accepted(await s.auth(await signAs(s, {}))).role).toBe('ANALYST');
    for (const alg of ['none', 'HS256']) expect(refused(await s.auth(await signAs(s, { alg })), 'EXTERNAL_OAUTH_JWS_INVALID_TYPE')).toContain('never accepted');
    refused(await s.auth(await signAs(s, { alg: 'ES256', key: privateKeyPem('ec-p256') })), 'EXTERNAL_OAUTH_JWS_INVALID_TYPE');
    refused(await s.auth(await signAs(s, { alg: 'RS384' })), 'EXTERNAL_OAUTH_JWS_INVALID_TYPE');
  });

  it('typ must be JWT or at+jwt when present', async () => {
    const s = setup();
    expect(accepted(await s.auth(await signAs(s, { header: { typ: 'at+jwt' } }))).ok).toBe(true);
    expect(accepted(await s.auth(await signAs(s, { header: { typ: undefined } }))).ok).toBe(true);
    refused(await s.auth(await signAs(s, { header: { typ: 'dpop+jwt' } })), 'EXTERNAL_OAUTH_JWS_INVALID_TYPE');
  });

  it('a signature by another key is EXTERNAL_OAUTH_INVALID_SIGNATURE (JWKS), as is a changed payload', async () => {
    const s = setup();
    refused(await s.auth(await signAs(s, { key: privateKeyPem('bob') })), 'EXTERNAL_OAUTH_INVALID_SIGNATURE');
    const [h, , sig] = (await s.okta()).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: ISSUER, sub: 'alice', aud: ACCOUNT_URL, exp: NOW / 1000 + 60, scp: ['session:role:SYSADMIN'] })).toString('base64url');
    refused(await s.auth(`${h}.${forged}.${sig}`), 'EXTERNAL_OAUTH_INVALID_SIGNATURE');
  });

  it('RSA key mode: both configured keys verify, any other key is EXTERNAL_OAUTH_INVALID_SIGNATURE', async () => {
    const s = setup();
    expect(accepted(await s.auth(await s.keys({}, 'alice'))).explanation).toMatch(/EXTERNAL_OAUTH_RSA_PUBLIC_KEY \(SHA256:/);
    expect(accepted(await s.auth(await s.keys({}, 'bob'))).explanation).toMatch(/EXTERNAL_OAUTH_RSA_PUBLIC_KEY_2 \(SHA256:/);
    refused(await s.auth(await s.keys({}, 'etl-bot')), 'EXTERNAL_OAUTH_INVALID_SIGNATURE');
  });

  it('a JWKS URL no mock IdP serves, or a kid none of its keys has, is EXTERNAL_OAUTH_JWS_CANT_RETRIEVE_PUBLIC_KEY', async () => {
    const s = setup((c) => (c.security_integrations[0]!.external_oauth_jws_keys_url = 'https://keys.elsewhere.example/jwks'));
    expect(refused(await s.auth(await s.okta()), 'EXTERNAL_OAUTH_JWS_CANT_RETRIEVE_PUBLIC_KEY')).toContain('https://keys.elsewhere.example/jwks');
    const t = setup();
    refused(await t.auth(await signAs(t, { header: { kid: 'rotated-away' } })), 'EXTERNAL_OAUTH_JWS_CANT_RETRIEVE_PUBLIC_KEY');
    // Without a kid every fetched key is tried.
    expect(accepted(await t.auth(await signAs(t, { header: { kid: undefined } }))).ok).toBe(true);
  });

  it('an integration may trust the JWKS another integration\'s mock IdP serves (one IdP, two accounts)', async () => {
    const s = setup((c) => {
      c.accounts = [
        { name: 'MYORG-MYACCOUNT', locator: 'XY12345', roles: c.roles!, users: c.users!, security_integrations: c.security_integrations },
        {
          name: 'MYORG-OTHER', locator: 'ZZ99999', users: [{ name: 'ALICE' }],
          security_integrations: [{ name: 'SHARED', type: 'external_oauth', external_oauth_type: 'okta', external_oauth_issuer: ISSUER, external_oauth_jws_keys_url: `${ISSUER}/v1/keys`, external_oauth_token_user_mapping_claim: 'sub', external_oauth_snowflake_user_mapping_attribute: 'login_name', external_oauth_any_role_mode: 'enable' }],
        },
      ];
      for (const k of ['roles', 'users', 'security_integrations', 'locator'] as const) delete (c as unknown as Record<string, unknown>)[k];
    });
    const other = s.world.accounts[1]!;
    const token = await s.okta({ audience: 'https://myorg-other.snowflakecomputing.com', scopes: [] });
    expect(accepted(await authenticateOAuthToken(token, { ...s.ctx(), account: other }))).toMatchObject({ user: { name: 'ALICE' }, role: 'PUBLIC' });
  });
});

describe('jose refusals keep their External OAuth causes', () => {
  const refusal = async (token: string, key: KeyObject, algorithms = ['RS256']): Promise<JoseFailure> => {
    const failure = await verifyJws(token, key, algorithms);
    if (!failure) throw new Error('expected jose to refuse the token');
    return failure;
  };
  const rsa = () => createPublicKey(privateKeyPem('alice'));
  const mapped = (failure: JoseFailure) => externalOAuthJoseProblem(failure, setup().integration('KEYS_IDP'));
  const sign = (alg: string, key: 'alice' | 'ec-p256' = 'alice', header?: Record<string, unknown>) =>
    signExternalOAuthToken({ privateKey: privateKeyPem(key), alg, claims: { iss: KEYS_ISSUER }, ...(header && { header }) });

  it('a tampered signature (ERR_JWS_SIGNATURE_VERIFICATION_FAILED) → EXTERNAL_OAUTH_INVALID_SIGNATURE', async () => {
    const token = await sign('RS256');
    const failure = await refusal(token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA'), rsa());
    expect([failure.kind, mapped(failure).cause]).toEqual(['signature', 'EXTERNAL_OAUTH_INVALID_SIGNATURE']);
  });

  it('alg none and an alg outside the allow-list (ERR_JOSE_ALG_NOT_ALLOWED) → EXTERNAL_OAUTH_JWS_INVALID_TYPE', async () => {
    for (const alg of ['none', 'RS384']) {
      const failure = await refusal(await sign(alg), rsa());
      expect([alg, failure.kind, mapped(failure).cause]).toEqual([alg, 'algorithm', 'EXTERNAL_OAUTH_JWS_INVALID_TYPE']);
    }
  });

  it('an ES256 token against an RSA key (jose refuses the key) → EXTERNAL_OAUTH_INVALID_SIGNATURE', async () => {
    const failure = await refusal(await sign('ES256', 'ec-p256'), rsa(), ['ES256']);
    expect([failure.kind, mapped(failure).cause]).toEqual(['key', 'EXTERNAL_OAUTH_INVALID_SIGNATURE']);
  });

  it('a malformed compact form (ERR_JWS_INVALID), or an unknown critical extension (ERR_JOSE_NOT_SUPPORTED) → EXTERNAL_OAUTH_JWS_INVALID_FORMAT', async () => {
    const malformed = await refusal('a.b', rsa());
    expect([malformed.kind, mapped(malformed).cause]).toEqual(['malformed', 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT']);
    const crit = await refusal(await sign('RS256', 'alice', { crit: ['x-idp'], 'x-idp': true }), rsa());
    expect([crit.kind, mapped(crit).cause]).toEqual(['unsupported', 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT']);
  });

  it('end to end: a token with an unknown critical extension is refused, whatever key signed it', async () => {
    const s = setup();
    const token = await s.keys({});
    expect(accepted(await s.auth(token)).ok).toBe(true);
    const claims = decodeJwt(token);
    const crit = await signExternalOAuthToken({ privateKey: privateKeyPem('alice'), claims, header: { crit: ['x-idp'], 'x-idp': true } });
    expect(refused(await s.auth(crit), 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT')).toMatch(/Extension Header Parameter "x-idp" is not recognized/);
  });

  it('answers a verified token from the cache synchronously: jose is not asked again', async () => {
    const s = setup();
    const token = await s.okta();
    const first = authenticateOAuthToken(token, s.ctx());
    expect(first).toBeInstanceOf(Promise);
    accepted(await first);
    const again = authenticateOAuthToken(token, s.ctx());
    expect(again).not.toBeInstanceOf(Promise);
    expect(accepted(again as AuthOutcome).explanation).toContain('verified earlier');
  });
});

describe('audience', () => {
  it('no aud is EXTERNAL_OAUTH_MISSING_AUDIENCE', async () => {
    const s = setup();
    refused(await s.auth(await s.okta({ claims: { aud: undefined } })), 'EXTERNAL_OAUTH_MISSING_AUDIENCE');
    refused(await s.auth(await s.okta({ claims: { aud: [] } })), 'EXTERNAL_OAUTH_MISSING_AUDIENCE');
  });

  it('another audience is EXTERNAL_OAUTH_AUDIENCE_VALIDATION_FAILED', async () => {
    const s = setup();
    refused(await s.auth(await s.okta({ audience: 'https://otherorg-other.snowflakecomputing.com' })), 'EXTERNAL_OAUTH_AUDIENCE_VALIDATION_FAILED');
    // The audience list belongs to KEYS_IDP, not OKTA_IDP.
    refused(await s.auth(await s.okta({ audience: 'api://snowflake' })), 'EXTERNAL_OAUTH_AUDIENCE_VALIDATION_FAILED');
    refused(await s.auth(await s.keys({ aud: 'api://other' })), 'EXTERNAL_OAUTH_AUDIENCE_VALIDATION_FAILED');
  });

  it('the account URL in any case or locator form, a listed audience, or a list containing one is accepted', async () => {
    const s = setup();
    for (const aud of [ACCOUNT_URL.toUpperCase(), `${ACCOUNT_URL}/`, 'https://xy12345.snowflakecomputing.com', 'https://xy12345.us-east-2.aws.snowflakecomputing.com', ['https://x.example', ACCOUNT_URL]]) {
      expect(accepted(await s.auth(await s.okta({ audience: aud as string }))).ok).toBe(true);
    }
    expect(accepted(await s.auth(await s.keys({ aud: 'api://snowflake' }))).ok).toBe(true);
  });
});

describe('time on the mock clock', () => {
  it('exp passed is EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED (390303, not 390318)', async () => {
    const s = setup();
    const token = await s.okta({ expiresIn: '10m' });
    s.state.now = NOW + 10 * MIN - 1;
    expect(accepted(await s.auth(token)).ok).toBe(true);
    s.state.now = NOW + 10 * MIN;
    expect(refused(await s.auth(token), 'EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED')).toContain('expired at 2026-03-01T12:10:00.000Z');
    expect(await s.login(token)).toMatchObject({ ok: false, rejection: { code: '390303', cause: 'EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED' } });
  });

  it('before nbf is EXTERNAL_OAUTH_ACCESS_TOKEN_NOT_YET_VALID', async () => {
    const s = setup();
    const token = await s.okta({ notBefore: NOW + 5 * MIN });
    refused(await s.auth(token), 'EXTERNAL_OAUTH_ACCESS_TOKEN_NOT_YET_VALID');
    s.state.now = NOW + 5 * MIN;
    expect(accepted(await s.auth(token)).ok).toBe(true);
  });
});

describe('user mapping', () => {
  it('no user-mapping claim is EXTERNAL_OAUTH_USER_CLAIM_MISSING', async () => {
    const s = setup();
    refused(await s.auth(await s.okta({ claims: { sub: undefined } })), 'EXTERNAL_OAUTH_USER_CLAIM_MISSING');
    refused(await s.auth(await s.keys({ upn: undefined })), 'EXTERNAL_OAUTH_USER_CLAIM_MISSING');
  });

  it('claims are tried in order: upn, then email', async () => {
    const s = setup();
    expect(accepted(await s.auth(await s.keys({ upn: undefined, email: 'alice@example.com' }))).user.name).toBe('ALICE');
  });

  it('maps by LOGIN_NAME case-insensitively, not by NAME', async () => {
    const s = setup();
    expect(accepted(await s.auth(await s.okta({ subject: 'ALICE' }))).user.name).toBe('ALICE');
    const login = setup((c) => (c.users![0]!.login_name = 'alice.smith'));
    refused(await login.auth(await login.okta({ subject: 'alice' })), 'EXTERNAL_OAUTH_USER_NOT_FOUND');
    expect(accepted(await login.auth(await login.okta({ subject: 'Alice.Smith' }))).user.name).toBe('ALICE');
  });

  it('maps by EMAIL_ADDRESS case-insensitively; no user, or two, is EXTERNAL_OAUTH_USER_NOT_FOUND', async () => {
    const s = setup();
    expect(accepted(await s.auth(await s.keys({ upn: 'ALICE@example.COM' }))).user.name).toBe('ALICE');
    refused(await s.auth(await s.keys({ upn: 'alice' })), 'EXTERNAL_OAUTH_USER_NOT_FOUND');
    expect(refused(await s.auth(await s.keys({ upn: 'shared@example.com', scope: 'session:role:REPORTER' })), 'EXTERNAL_OAUTH_USER_NOT_FOUND')).toContain('CAROL, DAVE');
  });

  it('a disabled user is EXTERNAL_OAUTH_USER_DISABLED', async () => {
    const s = setup();
    const out = await s.auth(await s.keys({ upn: 'bob@example.com', scope: 'session:role:REPORTER' }));
    refused(out, 'EXTERNAL_OAUTH_USER_DISABLED');
    expect(out.user?.name).toBe('BOB');
  });
});

describe('scopes and roles (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external, https://docs.snowflake.com/en/user-guide/oauth-custom)', () => {
  it('the scope claim is split by the delimiter; the wrong claim name carries no role', async () => {
    const s = setup();
    expect(accepted(await s.auth(await s.keys({ scope: 'openid,session:role:REPORTER,profile' }))).role).toBe('REPORTER');
    refused(await s.auth(await s.keys({ scope: undefined, scp: 'session:role:REPORTER' })), 'EXTERNAL_OAUTH_ROLE_SCOPE_INVALID');
    // With "," as the delimiter a space-separated list is one scope, whose role is "REPORTER OTHER".
    refused(await s.auth(await s.keys({ scope: 'session:role:REPORTER other' })), 'EXTERNAL_OAUTH_ROLE_NOT_GRANTED');
  });

  it('scp as a list (Okta) and as a space-separated string are both read', async () => {
    const s = setup();
    expect(accepted(await s.auth(await s.okta({ claims: { scp: ['openid', 'session:role:REPORTER'] } }))).role).toBe('REPORTER');
    expect(accepted(await s.auth(await s.okta({ claims: { scp: 'openid session:role:REPORTER' } }))).role).toBe('REPORTER');
  });

  it('no role scope while any role mode is DISABLE, or two role scopes, is EXTERNAL_OAUTH_ROLE_SCOPE_INVALID', async () => {
    const s = setup();
    refused(await s.auth(await s.okta({ scopes: ['openid'] })), 'EXTERNAL_OAUTH_ROLE_SCOPE_INVALID');
    refused(await s.auth(await s.okta({ scopes: ['session:role:ANALYST', 'session:role:REPORTER'] })), 'EXTERNAL_OAUTH_ROLE_SCOPE_INVALID');
  });

  it('a role not granted is EXTERNAL_OAUTH_ROLE_NOT_GRANTED; role names compare upper-cased', async () => {
    const s = setup();
    expect(accepted(await s.auth(await s.okta({ scopes: ['session:role:analyst'] }))).role).toBe('ANALYST');
    const c = setup((cfg) => (cfg.users![0]!.roles = ['ANALYST']));
    refused(await c.auth(await c.okta({ scopes: ['session:role:REPORTER'] })), 'EXTERNAL_OAUTH_ROLE_NOT_GRANTED');
  });

  it('a role in the blocked list is EXTERNAL_OAUTH_ROLE_BLOCKED', async () => {
    const s = setup((c) => (c.security_integrations[0]!.external_oauth_blocked_roles_list = ['REPORTER']));
    refused(await s.auth(await s.okta({ scopes: ['session:role:REPORTER'] })), 'EXTERNAL_OAUTH_ROLE_BLOCKED');
    expect(accepted(await s.auth(await s.okta())).role).toBe('ANALYST');
  });

  it('privileged roles are blocked unless EXTERNAL_OAUTH_ADD_PRIVILEGED_ROLES_TO_BLOCKED_LIST = FALSE', async () => {
    const s = setup();
    expect(refused(await s.auth(await s.okta({ scopes: ['session:role:ACCOUNTADMIN'] })), 'EXTERNAL_OAUTH_ROLE_BLOCKED')).toContain('privileged');
    const open = setup((c) => (c.parameters = { external_oauth_add_privileged_roles_to_blocked_list: false }));
    expect(accepted(await open.auth(await open.okta({ scopes: ['session:role:ACCOUNTADMIN'] }))).role).toBe('ACCOUNTADMIN');
    // The Snowflake OAuth parameter is another one.
    const other = setup((c) => (c.parameters = { oauth_add_privileged_roles_to_blocked_list: false }));
    refused(await other.auth(await other.okta({ scopes: ['session:role:ACCOUNTADMIN'] })), 'EXTERNAL_OAUTH_ROLE_BLOCKED');
  });

  it('with an allowed list, another role is EXTERNAL_OAUTH_ROLE_NOT_ALLOWED', async () => {
    const s = setup((c) => (c.security_integrations[0]!.external_oauth_allowed_roles_list = ['ANALYST']));
    expect(accepted(await s.auth(await s.okta())).role).toBe('ANALYST');
    refused(await s.auth(await s.okta({ scopes: ['session:role:REPORTER'] })), 'EXTERNAL_OAUTH_ROLE_NOT_ALLOWED');
  });

  it('any role mode ENABLE: no role scope → the default role, unlocked; the login may pick a granted, unblocked role', async () => {
    const s = setup((c) => (c.security_integrations[0]!.external_oauth_any_role_mode = 'enable'));
    const out = accepted(await s.auth(await s.okta({ scopes: [] })));
    expect(out).toMatchObject({ role: 'ANALYST', roleLocked: false });
    expect([...out.selectableRoles!].sort()).toEqual(['ANALYST', 'PUBLIC', 'REPORTER', 'SYSADMIN']);
    const token = await s.okta({ scopes: ['session:role-any'] });
    expect(await s.login(token, 'roleName=SYSADMIN')).toMatchObject({ ok: true, namespace: { role: 'SYSADMIN' } });
    expect(await s.login(token, 'roleName=ACCOUNTADMIN')).toMatchObject({ ok: false, rejection: { code: '390189' } });
    expect(await s.login(token)).toMatchObject({ ok: true, namespace: { role: 'ANALYST' } });
    // A role the token names is the default, still not locked.
    expect(await s.login(await s.okta({ scopes: ['session:role:REPORTER'] }), 'roleName=SYSADMIN')).toMatchObject({ ok: true, namespace: { role: 'SYSADMIN' } });
  });

  it('any role mode ENABLE_FOR_PRIVILEGE: only a user with USE_ANY_ROLE (ACCOUNTADMIN in the mock) switches; privileged roles stay blocked', async () => {
    const s = setup((c) => (c.security_integrations[0]!.external_oauth_any_role_mode = 'enable_for_privilege'));
    const roles = accepted(await s.auth(await s.okta({ scopes: [] }))).selectableRoles!;
    expect(roles.has('SYSADMIN')).toBe(true);
    expect(roles.has('ACCOUNTADMIN')).toBe(false);
    expect(await s.login(await s.okta({ scopes: [] }), 'roleName=ACCOUNTADMIN')).toMatchObject({ ok: false, rejection: { code: '390189' } });
    const plain = setup((c) => {
      c.security_integrations[0]!.external_oauth_any_role_mode = 'enable_for_privilege';
      c.users![0]!.roles = c.users![0]!.roles!.filter((r) => r !== 'ACCOUNTADMIN');
    });
    expect(await plain.login(await plain.okta(), 'roleName=REPORTER')).toMatchObject({ ok: false, rejection: { code: '390189' } });
    const unblocked = setup((c) => {
      c.security_integrations[0]!.external_oauth_any_role_mode = 'enable_for_privilege';
      c.parameters = { ...c.parameters, external_oauth_add_privileged_roles_to_blocked_list: false };
    });
    expect(await unblocked.login(await unblocked.okta({ scopes: [] }), 'roleName=ACCOUNTADMIN')).toMatchObject({ ok: true, namespace: { role: 'ACCOUNTADMIN' } });
  });

  it('any role mode DISABLE: the token\'s role is locked at login', async () => {
    const s = setup();
    expect(await s.login(await s.okta(), 'roleName=REPORTER')).toMatchObject({ ok: false, rejection: { code: '390189' } });
    expect(await s.login(await s.okta(), 'roleName=ANALYST')).toMatchObject({ ok: true, auth: 'OAUTH', traffic: 'user-credential', namespace: { role: 'ANALYST' } });
  });
});

describe('network policy: user, else account — never an integration (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  const policies = (c: Config) => {
    c.network_policies = [{ name: 'CORP', allowed_ip_list: ['10.0.0.0/8'] }, { name: 'OPEN', allowed_ip_list: ['0.0.0.0/0'] }];
    c.network_policy = 'OPEN';
    c.users![0]!.network_policy = 'CORP';
  };

  it('the user\'s policy governs bearer and login traffic, in both precedence modes', async () => {
    for (const precedence of ['seed', 'current-docs'] as const) {
      const s = setup((c) => {
        policies(c);
        c.switches = { network_policy_precedence: precedence };
      });
      const token = await s.okta();
      s.state.clientIp = '192.168.1.5';
      const bearer = await authenticateBearer({ authorization: `Bearer ${token}` }, s.ctx());
      expect(bearer).toMatchObject({ ok: false, rejection: { code: '390422' } });
      if (!bearer.ok) expect(bearer.rejection.explanation).toContain("user ALICE's policy");
      expect(await s.login(token)).toMatchObject({ ok: false, rejection: { code: '390422' } });
      s.state.clientIp = '10.1.2.3';
      expect((await authenticateBearer({ authorization: `Bearer ${token}` }, s.ctx())).ok).toBe(true);
    }
  });

  it('without a user policy the account policy applies', async () => {
    const s = setup((c) => {
      policies(c);
      c.users![0]!.network_policy = null;
      c.network_policy = 'CORP';
    });
    s.state.clientIp = '192.168.1.5';
    const out = await authenticateBearer({ authorization: `Bearer ${await s.okta()}` }, s.ctx());
    expect(!out.ok && out.rejection.explanation).toContain('account MYORG-MYACCOUNT');
  });
});

describe('verification cache (DESIGN.md §5.8)', () => {
  it('a token is verified once and reused until exp; state is still judged on reuse', async () => {
    const s = setup();
    const token = await s.okta({ expiresIn: '10m' });
    expect(accepted(await s.auth(token)).explanation).not.toContain('verified earlier');
    expect(externalOAuthCacheSize(s.stores)).toBe(1);
    expect(accepted(await s.auth(token)).explanation).toContain('verified earlier');
    s.integration('OKTA_IDP').enabled = false;
    refused(await s.auth(token), 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_ENABLED');
    s.integration('OKTA_IDP').enabled = true;
    s.account.users.get('ALICE')!.disabled = true;
    refused(await s.auth(token), 'EXTERNAL_OAUTH_USER_DISABLED');
    s.account.users.get('ALICE')!.disabled = false;
    s.state.now = NOW + 10 * MIN;
    refused(await s.auth(token), 'EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED');
  });

  it('a replaced integration (new keys) is verified afresh, not taken from the cache', async () => {
    const s = setup();
    const token = await s.keys({}, 'bob');
    expect(accepted(await s.auth(token)).ok).toBe(true);
    expect(accepted(await s.auth(token)).explanation).toContain('verified earlier');
    const rotated = setup((c) => (c.security_integrations[1]!.external_oauth_rsa_public_key = publicKeyPem('etl-bot')));
    s.account.securityIntegrations.set('KEYS_IDP', rotated.integration('KEYS_IDP'));
    const again = accepted(await s.auth(token)).explanation;
    expect(again).toContain('EXTERNAL_OAUTH_RSA_PUBLIC_KEY_2');
    expect(again).not.toContain('verified earlier');
    s.account.securityIntegrations.set('KEYS_IDP', { ...rotated.integration('KEYS_IDP'), externalOauthRsaPublicKey2: undefined } as ExternalOAuthIntegration);
    refused(await s.auth(token), 'EXTERNAL_OAUTH_INVALID_SIGNATURE');
  });

  it('the bearer decision cache keeps an accepted External OAuth decision (it is in no token store)', async () => {
    const s = setup();
    const stores: AuthStores = { ...s.stores, decisions: createDecisionCache() };
    const token = await s.okta();
    const ctx = { ...s.ctx(), stores };
    const first = await authenticateBearer({ authorization: `Bearer ${token}` }, ctx);
    expect(first.ok).toBe(true);
    expect(await authenticateBearer({ authorization: `Bearer ${token}` }, ctx)).toBe(first);
  });

  it('a world change gives the mock fresh stores, so an empty cache', async () => {
    const mock = createSnowflakeMock({ world: config() });
    const token = await mock.externalOAuth.issueToken('OKTA_IDP', { subject: 'alice', scopes: ['session:role:ANALYST'] });
    const ctx = (): AuthContext => ({ world: mock.core.world, account: mock.core.world.accounts[0]!, now: mock.clock.now(), clientIp: '127.0.0.1', stores: mock.core.stores });
    expect((await authenticateOAuthToken(token, ctx())).ok).toBe(true);
    expect(externalOAuthCacheSize(mock.core.stores)).toBe(1);
    mock.world.setIntegrationEnabled('OKTA_IDP', false);
    expect(externalOAuthCacheSize(mock.core.stores)).toBe(0);
    expect(await authenticateOAuthToken(token, ctx())).toMatchObject({ ok: false, rejection: { cause: 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_ENABLED' } });
  });
});

describe('mock IdP across accounts and hosts (review items 2, 5, 8)', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const twoAccounts = (): WorldConfig => {
    const { clock, ...account } = config();
    return { clock, accounts: [{ ...account, name: 'MYORG-FIRST', locator: 'AA11111' }, { ...account, name: 'MYORG-SECOND', locator: 'BB22222' }] } as WorldConfig;
  };
  const tokenRequest = async (mock: ReturnType<typeof createSnowflakeMock>) => mock.core.handle({ method: 'POST', host: 'idp.example.com', path: '/oauth2/default/v1/token', query: '', headers: FORM, body: 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret&scope=session%3Arole%3AANALYST', clientIp: '127.0.0.1' });

  it('the token endpoint does not know the account: aud names every account whose integration trusts the issuer, and account 2 accepts it', async () => {
    const mock = createSnowflakeMock({ world: twoAccounts() });
    const answer = await tokenRequest(mock);
    expect(answer.status).toBe(200);
    const token = JSON.parse(answer.body).access_token as string;
    expect(decodeJwt(token).aud).toEqual(['https://myorg-first.snowflakecomputing.com', 'https://myorg-second.snowflakecomputing.com']);
    for (const account of mock.core.world.accounts) {
      const ctx: AuthContext = { world: mock.core.world, account, now: mock.clock.now(), clientIp: '127.0.0.1', stores: mock.core.stores };
      expect(await authenticateOAuthToken(token, ctx), account.name).toMatchObject({ ok: true });
    }
  });

  it('one account: aud stays the single account URL (a string)', async () => {
    const mock = createSnowflakeMock({ world: config() });
    const token = JSON.parse((await tokenRequest(mock)).body).access_token as string;
    expect(decodeJwt(token).aud).toBe('https://myorg-myaccount.snowflakecomputing.com');
  });

  it('a mock IdP never claims a Snowflake host, and the world may not put one there', async () => {
    const problems = (patch: (i: Record<string, unknown>) => void): string[] => {
      const c = config();
      patch(c.security_integrations[0] as unknown as Record<string, unknown>);
      return validateWorldConfig(c).map((p) => `${formatPath(p.path)}: ${p.message}`);
    };
    expect(problems((i) => (i.mock_idp = { token_endpoint: 'https://myorg-myaccount.snowflakecomputing.com/oauth/token-request' }))).toEqual([
      expect.stringMatching(/^security_integrations\[0\]\.mock_idp\.token_endpoint: is on a \*\.snowflakecomputing\.com host/),
    ]);
    expect(problems((i) => (i.external_oauth_issuer = 'https://myorg-myaccount.snowflakecomputing.com/idp'))).toEqual([expect.stringContaining('mock_idp.token_endpoint: required: the default <issuer>/v1/token is on a *.snowflakecomputing.com host')]);
    expect(problems((i) => (i.external_oauth_jws_keys_url = 'https://xy12345.snowflakecomputing.com/keys'))).toEqual([expect.stringContaining('external_oauth_jws_keys_url: is on a *.snowflakecomputing.com host')]);
    // A world built without validation (in place) still never routes a Snowflake host to the IdP.
    const mock = createSnowflakeMock({ world: config() });
    const okta = mock.core.world.accounts[0]!.securityIntegrations.get('OKTA_IDP') as ExternalOAuthIntegration;
    mock.core.world.accounts[0]!.securityIntegrations.set('OKTA_IDP', { ...okta, mockIdp: { ...okta.mockIdp!, tokenEndpoint: 'https://myorg-myaccount.snowflakecomputing.com/oauth/token-request' } } as ExternalOAuthIntegration);
    mock.core.provider.worldChanged();
    expect(mockIdpHosts(mock.core.world).has('myorg-myaccount.snowflakecomputing.com')).toBe(false);
    const answer = await mock.core.handle({ method: 'POST', host: 'myorg-myaccount.snowflakecomputing.com', path: '/oauth/token-request', query: '', headers: FORM, body: 'grant_type=client_credentials&client_id=etl&client_secret=etl-secret', clientIp: '127.0.0.1' });
    expect(answer.headers['x-snowflake-auth-mock-provider']).toBeUndefined();
  });

  it('the dispatcher indexes IdP endpoints per world: a loaded world without the IdP no longer claims its host', async () => {
    const mock = createSnowflakeMock({ world: config() });
    expect(providerTarget(mock.core.provider, { host: 'idp.example.com', path: '/oauth2/default/v1/token' })?.kind?.name).toBe('idp');
    const next = config();
    next.security_integrations.splice(0, 1); // OKTA_IDP
    mock.core.load(next);
    expect(providerTarget(mock.core.provider, { host: 'idp.example.com', path: '/oauth2/default/v1/token' })).toBeUndefined();
  });

  it('IdP refusals are RFC JSON (404/405 too) and journal a cause', async () => {
    const mock = createSnowflakeMock({ world: config() });
    const request = (r: Record<string, unknown>) => ({ method: 'POST', host: 'idp.example.com', path: '/oauth2/default/v1/token', query: '', headers: FORM, body: '', clientIp: '127.0.0.1', ...r }) as Parameters<typeof externalIdpTokenEndpoint>[0];
    const ctx = { world: mock.core.world, now: mock.clock.now() };
    const missing = await externalIdpTokenEndpoint(request({ path: '/nope' }), ctx);
    expect([missing.response.status, JSON.parse(missing.response.body).error, missing.cause]).toEqual([404, 'invalid_request', 'IDP_UNKNOWN_ENDPOINT']);
    const get = await mock.core.handle(request({ method: 'GET' }));
    expect([get.status, get.headers.allow, JSON.parse(get.body).error, get.headers['x-snowflake-auth-mock-provider']]).toEqual([405, 'POST', 'invalid_request', 'idp']);
    await mock.core.handle(request({ body: 'grant_type=client_credentials&client_id=etl&client_secret=wrong' }));
    expect(mock.journal.entries().slice(-2).map((e) => e.cause)).toEqual(['IDP_METHOD_NOT_ALLOWED', 'IDP_CLIENT_SECRET_WRONG']);
  });
});

describe('world config: type external_oauth (validated at load)', () => {
  const problems = (patch: (i: Record<string, unknown>, c: Config) => void): string[] => {
    const c = config();
    patch(c.security_integrations[0] as unknown as Record<string, unknown>, c);
    return validateWorldConfig(c).map((p) => `${formatPath(p.path)}: ${p.message}`);
  };
  const at = 'security_integrations[0]';

  it('the example config is valid', async () => {
    expect(validateWorldConfig(config())).toEqual([]);
  });

  it('issuer, type, user-mapping claim and attribute are required', async () => {
    const out = problems((i) => {
      delete i.external_oauth_issuer;
      delete i.external_oauth_type;
      delete i.external_oauth_token_user_mapping_claim;
      delete i.external_oauth_snowflake_user_mapping_attribute;
    });
    expect(out).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^${at.replace(/[[\]]/g, '\\$&')}\\.external_oauth_issuer: required`)),
      expect.stringContaining(`${at}.external_oauth_type: required`),
      expect.stringContaining(`${at}.external_oauth_token_user_mapping_claim: required`),
      expect.stringContaining(`${at}.external_oauth_snowflake_user_mapping_attribute: required`),
    ]));
  });

  it('a keys URL or an RSA key is required (or mock_idp), and not both', async () => {
    expect(problems((i) => delete i.mock_idp)).toEqual([expect.stringContaining(`${at}.external_oauth_jws_keys_url: required for an external_oauth integration`)]);
    expect(problems((i) => {
      i.external_oauth_jws_keys_url = 'https://idp.example.com/keys';
      i.external_oauth_rsa_public_key = publicKeyPem('alice');
      i.mock_idp = null;
    })).toEqual([expect.stringContaining('not both')]);
  });

  it('at most 3 JWKS URLs, each an absolute http(s) URL', async () => {
    const urls = ['https://a.example/k', 'https://b.example/k', 'https://c.example/k', 'https://d.example/k'];
    expect(problems((i) => (i.external_oauth_jws_keys_url = urls))).toEqual([`${at}.external_oauth_jws_keys_url: at most 3 URLs (${SOURCES.externalOAuthIntegration}), got 4`]);
    expect(problems((i) => (i.external_oauth_jws_keys_url = ['keys']))).toEqual([`${at}.external_oauth_jws_keys_url[0]: "keys" is not an absolute http(s) URL`]);
  });

  it('a role cannot be both allowed and blocked; the two lists exclude each other; roles must exist', async () => {
    const out = problems((i) => {
      i.external_oauth_allowed_roles_list = ['ANALYST'];
      i.external_oauth_blocked_roles_list = ['analyst', 'NOPE'];
    });
    expect(out).toEqual([
      `${at}.external_oauth_blocked_roles_list[0]: role ANALYST is in both external_oauth_allowed_roles_list and external_oauth_blocked_roles_list`,
      expect.stringContaining(`${at}.external_oauth_blocked_roles_list[1]: role "NOPE" is not declared`),
      expect.stringContaining(`${at}.external_oauth_blocked_roles_list: give external_oauth_allowed_roles_list or external_oauth_blocked_roles_list, not both`),
    ]);
  });

  it('RSA keys only (no EC, no weak key); the delimiter is one character and CUSTOM-only', async () => {
    const c = config();
    const keys = c.security_integrations[1] as unknown as Record<string, unknown>;
    keys.external_oauth_rsa_public_key = publicKeyPem('ec-p256');
    keys.external_oauth_rsa_public_key_2 = publicKeyPem('weak-1024');
    keys.external_oauth_scope_delimiter = ', ';
    const ok = c.security_integrations[0] as unknown as Record<string, unknown>;
    ok.external_oauth_scope_delimiter = ' ';
    expect(validateWorldConfig(c).map((p) => `${formatPath(p.path)}: ${p.message}`)).toEqual([
      expect.stringContaining('security_integrations[0].external_oauth_scope_delimiter: only a CUSTOM integration'),
      expect.stringContaining('security_integrations[1].external_oauth_rsa_public_key: not a usable public key: External OAuth takes RSA keys, got EC'),
      expect.stringContaining('security_integrations[1].external_oauth_rsa_public_key_2: not a usable public key: RSA key is 1024 bits'),
      'security_integrations[1].external_oauth_scope_delimiter: expected one character such as "," or " ", got the string ", "',
    ]);
  });

  it('mock_idp: known keys, clients with id and secret (unique), a private key matching the configured RSA key', async () => {
    expect(problems((i) => (i.mock_idp = { clients: [{ client_id: 'a' }, { client_id: 'a', client_secret: 'x', scopes: 'x' }], token_endpont: 'x' }))).toEqual([
      `${at}.mock_idp.token_endpont: unknown key "token_endpont"; did you mean "token_endpoint"?`,
      `${at}.mock_idp.clients[0].client_secret: required for a mock IdP client`,
      `${at}.mock_idp.clients[1].scopes: expected a list, got the string "x"`,
      `${at}.mock_idp.clients[1].client_id: duplicate mock IdP client_id "a" (already declared at ${at}.mock_idp.clients[0].client_id)`,
    ]);
    const keys = (mock: unknown) => {
      const c = config();
      (c.security_integrations[1] as unknown as Record<string, unknown>).mock_idp = mock;
      return validateWorldConfig(c).map((p) => `${formatPath(p.path)}: ${p.message}`);
    };
    expect(keys(true)).toEqual([expect.stringContaining('security_integrations[1].mock_idp.private_key: required when external_oauth_rsa_public_key is set')]);
    expect(keys({ private_key: privateKeyPem('etl-bot') })).toEqual([expect.stringContaining('is neither external_oauth_rsa_public_key nor external_oauth_rsa_public_key_2')]);
    expect(keys({ private_key: privateKeyPem('bob') })).toEqual([]);
    expect(keys({ private_key: 'nope' })).toEqual([expect.stringContaining('not a PKCS#8 PEM private key')]);
  });

  it('a token endpoint is needed when the issuer is not an http(s) URL; issuers are unique per account', async () => {
    expect(problems((i) => (i.external_oauth_issuer = 'okta-tenant'))).toEqual([expect.stringContaining(`${at}.mock_idp.token_endpoint: required when external_oauth_issuer ("okta-tenant") is not an http(s) URL`)]);
    expect(problems((i, c) => (c.security_integrations[1]!.external_oauth_issuer = i.external_oauth_issuer as string))).toEqual([
      `security_integrations[1].external_oauth_issuer: duplicate external_oauth_issuer "${ISSUER}" (already declared at ${at}.external_oauth_issuer)`,
    ]);
  });

  it('the account parameter external_oauth_add_privileged_roles_to_blocked_list is a boolean, default true', async () => {
    expect(setup().account.parameters.externalOauthAddPrivilegedRolesToBlockedList).toBe(true);
    expect(problems((_i, c) => (c.parameters = { external_oauth_add_privileged_roles_to_blocked_list: 'no' as unknown as boolean }))).toEqual([
      'parameters.external_oauth_add_privileged_roles_to_blocked_list: expected true or false, got the string "no"',
    ]);
  });

  it('a YAML world reports file, line and field', async () => {
    const text = [
      'users: [{ name: ALICE }]',
      'security_integrations:',
      '  - name: IDP',
      '    type: external_oauth',
      '    external_oauth_type: okta',
      '    external_oauth_issuer: https://idp.example.com',
      '    external_oauth_token_user_mapping_claim: sub',
      '    external_oauth_snowflake_user_mapping_attribute: login_nam',
      '    mock_idp: true',
      '',
    ].join('\n');
    let error: unknown;
    try {
      parseWorldText(text, 'world.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorldConfigError);
    expect((error as WorldConfigError).issues).toEqual([
      expect.objectContaining({ file: 'world.yaml', line: 8, path: 'security_integrations[0].external_oauth_snowflake_user_mapping_attribute', message: expect.stringContaining('expected one of LOGIN_NAME, EMAIL_ADDRESS, got "login_nam"') }),
    ]);
  });

  it('builds the runtime integration with its defaults', async () => {
    const i = setup().integration('KEYS_IDP');
    expect(i).toMatchObject({
      type: 'EXTERNAL_OAUTH', enabled: true, externalOauthType: 'CUSTOM', externalOauthIssuer: KEYS_ISSUER, externalOauthJwsKeysUrl: [],
      externalOauthTokenUserMappingClaim: ['upn', 'email'], externalOauthSnowflakeUserMappingAttribute: 'EMAIL_ADDRESS',
      externalOauthScopeMappingAttribute: 'scope', externalOauthScopeDelimiter: ',', externalOauthAnyRoleMode: 'DISABLE',
      externalOauthAudienceList: ['api://snowflake'],
    });
    expect(i.mockIdp).toBeUndefined();
    expect(i.externalOauthRsaPublicKey?.slot).toBe('RSA_PUBLIC_KEY');
  });
});
