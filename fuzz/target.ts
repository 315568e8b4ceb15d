/**
 * What the fuzz aims at: every endpoint group `serve` answers (the route table of http/routes.ts,
 * the external OAuth provider, the control API, unknown paths), each as an arbitrary of requests
 * that are mostly valid for the default world — its real PATs, key pairs, passwords and OAuth
 * clients — with one thing wrong, so the fuzz gets past authentication into the deep code.
 * Credentials that only exist at run time (session tokens, codes, refresh tokens, the provider's
 * access tokens) are `{{NAME}}` placeholders the {@link Materializer} fills in before sending.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { signKeypairJwt } from '../domain/auth/keypair-jwt-sign.ts';
import { defaultWorldConfig } from '../domain/world/default-world.ts';
import type { WorldConfig } from '../domain/world/config.ts';
import {
  anyText, bogusToken, encodeForm, fuzzedForm, fuzzedJson, hugeMarker, jwtSpecArb, latin1, oddHeaders, oddMethod, oddPath, oddQuery, oddWrap, validJwtSpec,
  type BodySpec, type FixtureKey, type FormFields, type FuzzCase, type JwtSpec, type Scale,
} from './arbitraries.ts';

type Headers = readonly (readonly [string, string])[];

// ---- the default world's credentials -------------------------------------------------------------

/** The credentials of the default world the fuzz uses, read from it (so a changed world fails loudly here, not as noise). */
export interface WorldCredentials {
  readonly account: string;
  readonly pats: readonly string[];
  readonly oauthToken: string;
  /** A PAT login that no fuzzed password can lock out (lock-outs spare PATs). */
  readonly patLogin: { readonly login: string; readonly token: string };
  readonly password: { readonly login: string; readonly password: string };
  readonly mfa: { readonly login: string; readonly password: string; readonly passcode: string };
  /** Auto-consent client (login_hint), for codes and refresh tokens. */
  readonly autoApp: OAuthClient;
  /** Auto-consent client naming a user, for client_credentials. */
  readonly driverApp: OAuthClient;
  /** A client with sign-in and consent pages. */
  readonly consentApp: OAuthClient;
  readonly provider: { readonly host: string; readonly tokenPath: string; readonly clientId: string; readonly secret: string; readonly scopes: readonly string[] };
}

interface OAuthClient {
  readonly clientId: string;
  readonly secret: string;
  readonly redirectUri: string;
}

/**
 * Reads the credentials the fuzz needs from a world config (the embedded default world).
 *
 * @example
 * worldCredentials().pats // ['pat-alice-ci', 'pat-etl-bot']
 */
export function worldCredentials(config: WorldConfig = defaultWorldConfig()): WorldCredentials {
  const account = config.accounts?.[0];
  if (!account) throw new Error('fuzz: the default world has no account');
  const users = account.users ?? [];
  const user = (name: string) => users.find((u) => u.name === name) ?? fail(`user ${name}`);
  const integrations = (account.security_integrations ?? []) as unknown as Record<string, unknown>[];
  const integration = (name: string) => integrations.find((i) => i.name === name) ?? fail(`integration ${name}`);
  const client = (name: string): OAuthClient => {
    const i = integration(name);
    return { clientId: String(i.oauth_client_id), secret: String(i.oauth_client_secret), redirectUri: String(i.oauth_redirect_uri) };
  };
  const alice = user('ALICE');
  const carol = user('CAROL');
  const api = integrations.find((i) => i.type === 'api_authentication') ?? fail('an api_authentication integration');
  const tokenUrl = new URL(String(api.oauth_token_endpoint));
  return {
    account: account.name,
    pats: users.flatMap((u) => (u.programmatic_access_tokens ?? []).map((p) => p.secret).filter((s): s is string => typeof s === 'string')),
    oauthToken: String(account.oauth_access_tokens?.[0]?.token ?? fail('an OAuth access token')),
    patLogin: { login: String(alice.login_name), token: String(alice.programmatic_access_tokens?.[0]?.secret ?? fail('a PAT of ALICE')) },
    password: { login: String(alice.login_name), password: String(alice.password) },
    mfa: { login: String(carol.login_name), password: String(carol.password), passcode: String(carol.mfa?.passcode ?? fail('an MFA passcode')) },
    autoApp: client('TEST_APP'),
    driverApp: client('DRIVER_APP'),
    consentApp: client('MY_APP'),
    provider: { host: tokenUrl.hostname, tokenPath: tokenUrl.pathname, clientId: String(api.oauth_client_id), secret: String(api.oauth_client_secret), scopes: (api.oauth_allowed_scopes as string[] | undefined) ?? [] },
  };
}

function fail(what: string): never {
  throw new Error(`fuzz: the default world has no ${what}; fuzz/target.ts reads its credentials from it`);
}

/** Basic client authentication (RFC 6749 §2.3.1). */
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

// ---- shared pieces -------------------------------------------------------------------------------

/** A part of a request as it should be, and as the fuzz gets it wrong. */
interface Choice<T> {
  readonly valid: fc.Arbitrary<T>;
  readonly odd: fc.Arbitrary<T>;
}

/** Host headers of an account: by name or IP; odd ones: by locator, on Snowflake's domain, unknown accounts, the provider's host, broken, none. */
const ACCOUNT_HOST: Choice<string | null> = {
  valid: fc.constantFrom('myorg-myaccount.localhost:{{PORT}}', '127.0.0.1:{{PORT}}', 'localhost:{{PORT}}'),
  odd: fc.oneof(
    fc.constantFrom(
      'xy12345.localhost:{{PORT}}', 'myorg-myaccount.snowflakecomputing.com', 'xy12345.us-east-2.aws.snowflakecomputing.com', 'MYORG_MYACCOUNT.SNOWFLAKECOMPUTING.COM',
      'unknown-acct.snowflakecomputing.com', 'x.snowflakecomputing.cn', '[::1]:{{PORT}}', '', 'example.com', 'EXAMPLE.COM:443', 'a'.repeat(300), 'myorg-myaccount.localhost:notaport',
      '::1', 'myorg-myaccount.', '.snowflakecomputing.com', 'myorg-myaccount.localhost, evil.example', latin1('🦄.localhost'), '[::1', 'example.com.',
    ),
    fc.constant(null),
  ),
};

/** A loopback Host for the provider's `/__provider/…` paths and the control API. */
const LOOPBACK_HOST: Choice<string | null> = {
  valid: fc.constantFrom('127.0.0.1:{{PORT}}', 'localhost:{{PORT}}'),
  odd: fc.oneof(fc.constantFrom('myorg-myaccount.snowflakecomputing.com', 'attacker.example:{{PORT}}', '[::1]:{{PORT}}', '', 'example.com', 'a.localhost'), fc.constant(null)),
};

const tokenType = (t: string): [string, string] => ['x-snowflake-authorization-token-type', t];

/** Authorization for the SQL and REST APIs: the world's PATs, key-pair JWTs, OAuth tokens; odd: bogus ones. */
function bearerAuth(creds: WorldCredentials, scale: Scale): Choice<Headers> {
  return {
    valid: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...creds.pats).map((t): Headers => [['authorization', `Bearer ${t}`]]) },
      { weight: 1, arbitrary: fc.constantFrom(...creds.pats).map((t): Headers => [['authorization', `Bearer ${t}`], tokenType('PROGRAMMATIC_ACCESS_TOKEN')]) },
      { weight: 3, arbitrary: fc.constant<Headers>([['authorization', 'Bearer {{JWT}}'], tokenType('KEYPAIR_JWT')]) },
      { weight: 2, arbitrary: fc.constant<Headers>([['authorization', 'Bearer {{JWT}}']]) },
      { weight: 2, arbitrary: fc.constant<Headers>([['authorization', 'Bearer {{OAUTH}}'], tokenType('OAUTH')]) },
      { weight: 1, arbitrary: fc.constant<Headers>([['authorization', `Bearer ${creds.oauthToken}`]]) },
    ),
    odd: fc.oneof(
      { weight: 3, arbitrary: bogusAuth(scale) },
      // A valid token declared as another type, and a JWT with something wrong (the case's odd JWT spec).
      { weight: 1, arbitrary: fc.constantFrom<Headers>([['authorization', 'Bearer {{JWT}}'], tokenType('PROGRAMMATIC_ACCESS_TOKEN')], [['authorization', `Bearer ${creds.pats[0]}`], tokenType('KEYPAIR_JWT')], [['authorization', 'Bearer {{OAUTH}}'], tokenType('KEYPAIR_JWT')]) },
      { weight: 3, arbitrary: fc.constant<Headers>([['authorization', 'Bearer {{BAD_JWT}}'], tokenType('KEYPAIR_JWT')]) },
    ),
  };
}

function bogusAuth(scale: Scale): fc.Arbitrary<Headers> {
  return fc.oneof(
    bogusToken(scale).map((t): Headers => [['authorization', `Bearer ${t}`]]),
    fc.tuple(bogusToken(scale), fc.constantFrom('KEYPAIR_JWT', 'OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN', 'oauth', 'FOO')).map(([t, ty]): Headers => [['authorization', `Bearer ${t}`], tokenType(ty)]),
    fc.constantFrom(
      'Bearer', 'Bearer ', 'bearer pat-alice-ci', 'BEARER pat-alice-ci', 'Bearer  pat-alice-ci  ', 'Bearer\tpat-alice-ci', 'Basic cGF0OnBhdA==', 'Snowflake Token="{{SESSION}}"',
      'Bearer {{SESSION}}', 'Bearer {{MASTER}}', 'Bearer {{PROVIDER_AT}}', 'Bearer {{REFRESH}}', 'Bearer {{CODE}}', 'Token pat-alice-ci', '', 'Bearer pat-alice-ci, Bearer pat-etl-bot',
      'Bearer {{JWT}}x', 'Bearer x{{JWT}}', 'Bearer pat-alice-ci pat-etl-bot', 'Bearer {{BAD_JWT}}',
    ).map((v): Headers => [['authorization', v]]),
    fc.constant<Headers>([]),
  );
}

/** `Authorization: Snowflake Token="…"` of the driver endpoints: the live session (or master) token; odd: something else. */
function sessionAuth(token: 'SESSION' | 'MASTER', scale: Scale): Choice<Headers> {
  const other = token === 'SESSION' ? 'MASTER' : 'SESSION';
  return {
    valid: fc.constant<Headers>([['authorization', `Snowflake Token="{{${token}}}"`]]),
    odd: fc.oneof(
      fc.constantFrom(
        `Snowflake Token="{{${other}}}"`, `snowflake token="{{${token}}}"`, `Snowflake Token={{${token}}}`, `Snowflake  Token = "{{${token}}}" `, 'Snowflake Token=""', 'Snowflake Token="',
        `Bearer {{${token}}}`, `Snowflake Token="{{${token}}}x"`, 'Snowflake Token="pat-alice-ci"', 'Snowflake Token="{{JWT}}"', 'Snowflake', `Snowflake Token="{{${token}}}", Snowflake Token="x"`,
      ).map((v): Headers => [['authorization', v]]),
      bogusToken(scale).map((t): Headers => [['authorization', `Snowflake Token="${t}"`]]),
      fc.constant<Headers>([]),
    ),
  };
}

const JSON_HEADERS: Headers = [['content-type', 'application/json'], ['accept', 'application/json']];
const DRIVER_HEADERS: Headers = [['content-type', 'application/json'], ['accept', 'application/snowflake'], ['user-agent', 'JavaScript/2.0.0 (Linux; fuzz)']];
const FORM_HEADERS: Headers = [['content-type', 'application/x-www-form-urlencoded']];

/** The parts of one group's request: each valid, and how the fuzz gets it wrong. */
interface Parts {
  readonly method: string;
  readonly path: fc.Arbitrary<string>;
  readonly query?: Choice<string>;
  readonly host: Choice<string | null>;
  /** Headers other than Authorization. */
  readonly headers: Headers;
  readonly auth?: Choice<Headers>;
  /** The body text; none: the endpoint takes none. */
  readonly body?: Choice<string>;
  /** The case carries a key-pair JWT spec (valid, and an odd one for `{{BAD_JWT}}`). */
  readonly jwt?: boolean;
}

/** What one case gets wrong: nothing, or one part (the brief of issue #14: mostly valid, one field mutated). */
type Focus = 'none' | 'method' | 'path' | 'query' | 'host' | 'headers' | 'auth' | 'body' | 'wire';

/**
 * Assembles a case from valid parts with at most one part odd, so most cases get past the early
 * checks and the odd part meets the deep code.
 */
function request(group: string, p: Parts, scale: Scale): fc.Arbitrary<FuzzCase> {
  const focus = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Focus>('none') },
    { weight: 1, arbitrary: fc.constantFrom<Focus>('method', 'path', 'host') },
    { weight: p.query ? 1 : 0, arbitrary: fc.constant<Focus>('query') },
    { weight: 2, arbitrary: fc.constant<Focus>('headers') },
    { weight: p.auth ? 3 : 0, arbitrary: fc.constant<Focus>('auth') },
    { weight: p.body ? 7 : 0, arbitrary: fc.constant<Focus>('body') },
    { weight: 1, arbitrary: fc.constant<Focus>('wire') },
  );
  const noBody: fc.Arbitrary<string> = fc.constantFrom('{}', 'x', '{"statement":"SELECT 1"}');
  return focus.chain((f) => {
    const auth = p.auth ? (f === 'auth' ? p.auth.odd : p.auth.valid) : fc.constant<Headers>([]);
    const headers = auth.chain((a) => (f === 'headers' ? oddHeaders([...p.headers, ...a], scale) : fc.constant<Headers>([...p.headers, ...a])));
    const text = p.body ? (f === 'body' ? p.body.odd : p.body.valid) : noBody;
    const body: fc.Arbitrary<BodySpec | null> = f === 'wire' ? oddWrap(text) : p.body ? text.map((t): BodySpec => ({ text: t, wrap: 'plain' })) : fc.constant(null);
    const query = p.query ? (f === 'query' ? p.query.odd : p.query.valid) : f === 'query' ? oddQuery(fc.constant(''), scale) : fc.constant('');
    return fc.record({
      method: f === 'method' ? oddMethod() : fc.constant(p.method),
      path: f === 'path' ? p.path.chain(oddPath) : p.path,
      query,
      host: f === 'host' ? p.host.odd : p.host.valid,
      headers,
      body,
      jwt: p.jwt ? validJwtSpec() : fc.constant(undefined),
      badJwt: p.jwt ? jwtSpecArb(scale) : fc.constant(undefined),
    }).map((r): FuzzCase => ({
      group, method: r.method, target: r.query === '' ? r.path : `${r.path}${r.query.startsWith('?') ? '' : '?'}${r.query}`, host: r.host, headers: r.headers, body: r.body,
      ...(r.jwt !== undefined && { jwt: r.jwt }), ...(r.badJwt !== undefined && { badJwt: r.badJwt }),
    }));
  });
}

/** A JSON body: the template's JSON, or the template with one thing wrong. */
const json = (template: fc.Arbitrary<Record<string, unknown>>, scale: Scale): Choice<string> => ({ valid: template.map((t) => JSON.stringify(t)), odd: fuzzedJson(template, scale) });
/** A form body (or query string): the template's, or with one thing wrong. */
const form = (template: fc.Arbitrary<FormFields>, scale: Scale): Choice<string> => ({ valid: template.map(encodeForm), odd: fuzzedForm(template, scale) });
/** Fixed text choices: the valid ones, and the odd ones a query can be. */
const queryOf = (valid: fc.Arbitrary<string>, scale: Scale): Choice<string> => ({ valid, odd: oddQuery(valid, scale) });

// ---- SQL -----------------------------------------------------------------------------------------

/** Statements the mock runs (context, PAT, user, integration, outbound commands), a few it does not, and mistakes. */
const STATEMENTS = [
  'SELECT 1', 'select current_user()', 'SELECT CURRENT_ROLE()', 'SELECT CURRENT_ACCOUNT()', 'SELECT CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_WAREHOUSE()', 'SELECT CURRENT_VERSION()',
  'USE ROLE SYSADMIN', 'USE ROLE ACCOUNTADMIN', 'USE ROLE "analyst"', 'USE WAREHOUSE COMPUTE_WH', 'USE DATABASE ANALYTICS', 'USE SCHEMA ANALYTICS.PUBLIC', 'USE SECONDARY ROLES ALL',
  'SHOW DATABASES', "SHOW DATABASES LIKE '%A%'", "SHOW DATABASES LIKE '%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%'", 'SHOW WAREHOUSES', 'SHOW SCHEMAS', 'SHOW SCHEMAS IN DATABASE ANALYTICS',
  'CREATE DATABASE IF NOT EXISTS FUZZDB', 'CREATE OR REPLACE DATABASE FUZZDB', 'CREATE SCHEMA IF NOT EXISTS ANALYTICS.FUZZ', "ALTER SESSION SET QUERY_TAG = 'fuzz'", 'ALTER SESSION UNSET QUERY_TAG',
  'DESC USER ALICE', 'DESCRIBE USER ETL_BOT', 'SHOW USER PATS', 'SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER ALICE', 'SHOW USER PATS FOR USER ETL_BOT',
  'ALTER USER ADD PAT FUZZ DAYS_TO_EXPIRY = 1', 'ALTER USER ALICE ADD PROGRAMMATIC ACCESS TOKEN FUZZ ROLE_RESTRICTION = ANALYST DAYS_TO_EXPIRY = 2 COMMENT = \'x\'',
  'ALTER USER ALICE MODIFY PAT CI SET COMMENT = \'x\'', 'ALTER USER ALICE MODIFY PAT CI RENAME TO CI2', 'ALTER USER ALICE ROTATE PAT CI EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 0',
  'ALTER USER ETL_BOT REMOVE PAT NOPE', "SELECT SYSTEM$DECODE_PAT('pat-alice-ci')", "SELECT SYSTEM$DECODE_PAT('')", "ALTER USER ALICE SET RSA_PUBLIC_KEY_2 = 'MIIBIjANBg'",
  'ALTER USER ALICE UNSET RSA_PUBLIC_KEY_2', 'ALTER SECURITY INTEGRATION MY_APP SET NETWORK_POLICY = ALLOW_ALL', 'ALTER ACCOUNT SET NETWORK_POLICY = ALLOW_ALL',
  "SELECT SYSTEM$START_OAUTH_FLOW('SOME_SECRET')", "SELECT SYSTEM$FINISH_OAUTH_FLOW('state=x&code=y')", 'SHOW SECRETS', 'SHOW INTEGRATIONS', 'SHOW APPLICATIONS',
  "CREATE SECRET S TYPE = OAUTH2 API_AUTHENTICATION = some_api_authentication_security_integration OAUTH_SCOPES = ('read')", 'SELECT * FROM ORDERS', 'BEGIN', 'COMMIT', 'SELECT ?',
  'SELECT :1', 'DROP DATABASE ANALYTICS', 'GRANT ROLE SYSADMIN TO USER BOB', ';', '  ', 'SELECT 1; SELECT 2', "SELECT '", 'SELECT $$x$$', '/* c */ SELECT 1 -- c',
] as const;

/** Words of the mock's SQL grammars, for statements made of the right words in the wrong order. */
const SQL_WORDS = [
  'SELECT', 'USE', 'ROLE', 'SHOW', 'ALTER', 'USER', 'ADD', 'REMOVE', 'ROTATE', 'MODIFY', 'PAT', 'PROGRAMMATIC', 'ACCESS', 'TOKEN', 'TOKENS', 'SET', 'UNSET', 'RENAME', 'TO', 'IF',
  'NOT', 'EXISTS', 'CREATE', 'OR', 'REPLACE', 'DATABASE', 'SCHEMA', 'WAREHOUSE', 'SESSION', 'LIKE', 'IN', 'FOR', 'DESC', 'SECURITY', 'INTEGRATION', 'NETWORK_POLICY', 'RSA_PUBLIC_KEY',
  'DAYS_TO_EXPIRY', 'ROLE_RESTRICTION', 'COMMENT', 'ALICE', 'ETL_BOT', 'ANALYST', 'SYSADMIN', 'CI', 'MY_APP', '=', '(', ')', ',', ';', '.', "'x'", '"Q"', '1', '-1', '99999999999999999999',
  'SYSTEM$DECODE_PAT', 'SYSTEM$START_OAUTH_FLOW', 'SYSTEM$FINISH_OAUTH_FLOW', 'APPLICATION', 'SPECIFICATION', 'APPROVE', 'SECRET', 'OAUTH2', 'CURRENT_USER()', "'%'", '$$', '?', ':1',
] as const;

function statementArb(scale: Scale): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...STATEMENTS) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...STATEMENTS), fc.nat(), anyText).map(([s, at, x]) => s.slice(0, at % (s.length + 1)) + x + s.slice(at % (s.length + 1))) },
    { weight: 3, arbitrary: fc.array(fc.constantFrom(...SQL_WORDS), { minLength: 1, maxLength: 14 }).map((w) => w.join(' ')) },
    { weight: 1, arbitrary: hugeMarker(scale).map((m) => `SELECT '${m}'`) },
    { weight: 1, arbitrary: hugeMarker(scale).map((m) => `USE ROLE ${m}`) },
    { weight: 1, arbitrary: anyText },
  );
}

function statementBody(scale: Scale): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      statement: statementArb(scale),
      timeout: fc.constant(60),
      database: fc.constant('ANALYTICS'),
      schema: fc.constant('PUBLIC'),
      warehouse: fc.constant('COMPUTE_WH'),
      role: fc.constantFrom('ANALYST', 'SYSADMIN'),
      bindings: fc.constant({ '1': { type: 'FIXED', value: '1' }, '2': { type: 'TEXT', value: 'x' } }),
      parameters: fc.constant({ QUERY_TAG: 'fuzz' }),
    },
    { requiredKeys: ['statement'] },
  );
}

function queryBody(scale: Scale): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      sqlText: statementArb(scale),
      asyncExec: fc.constant(false),
      sequenceId: fc.constant(1),
      querySubmissionTime: fc.constant(1_767_225_600_000),
      describeOnly: fc.constant(false),
      bindings: fc.constant({ '1': { type: 'FIXED', value: '1' } }),
      parameters: fc.constant({ CLIENT_RESULT_CHUNK_SIZE: 160 }),
      queryContextDTO: fc.constant({ entries: [] }),
    },
    { requiredKeys: ['sqlText'] },
  );
}

// ---- the groups ----------------------------------------------------------------------------------

/** One endpoint group: its name, its share of the cases, its requests. */
export interface Group {
  readonly name: string;
  readonly weight: number;
  arb(creds: WorldCredentials, scale: Scale): fc.Arbitrary<FuzzCase>;
}

const loginQuery = fc.subarray(['requestId=0b6f2b8e-8d6a-4b7e-9d21-7f1d1e1e1e1e', 'roleName=ANALYST', 'warehouse=COMPUTE_WH', 'databaseName=ANALYTICS', 'schemaName=PUBLIC', 'request_guid=x']).map((q) => q.join('&'));

function loginBody(creds: WorldCredentials): fc.Arbitrary<Record<string, unknown>> {
  const env = { APPLICATION: 'fuzz', OS: 'Linux', OCSP_MODE: 'FAIL_OPEN' };
  return fc.constantFrom<Record<string, unknown>>(
    { data: { LOGIN_NAME: creds.password.login, PASSWORD: creds.password.password, CLIENT_APP_ID: 'JavaScript', CLIENT_APP_VERSION: '2.0.0', CLIENT_ENVIRONMENT: env } },
    { data: { AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: creds.patLogin.login, TOKEN: creds.patLogin.token } },
    { data: { AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'ALICE', TOKEN: '{{JWT}}', CLIENT_ENVIRONMENT: env } },
    { data: { AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'ALICE', TOKEN: '{{BAD_JWT}}' } },
    { data: { AUTHENTICATOR: 'OAUTH', TOKEN: '{{OAUTH}}', CLIENT_ENVIRONMENT: { ...env, OAUTH_TYPE: 'OAUTH_AUTHORIZATION_CODE' } } },
    { data: { AUTHENTICATOR: 'OAUTH', TOKEN: creds.oauthToken } },
    { data: { AUTHENTICATOR: 'USERNAME_PASSWORD_MFA', LOGIN_NAME: creds.mfa.login, PASSWORD: creds.mfa.password, EXT_AUTHN_DUO_METHOD: 'passcode', PASSCODE: creds.mfa.passcode, SESSION_PARAMETERS: { CLIENT_REQUEST_MFA_TOKEN: true } } },
    { data: { AUTHENTICATOR: 'USERNAME_PASSWORD_MFA', LOGIN_NAME: creds.mfa.login, PASSWORD: `${creds.mfa.password}${creds.mfa.passcode}`, passcodeInPassword: true } },
    { data: { AUTHENTICATOR: 'EXTERNALBROWSER', LOGIN_NAME: creds.password.login } },
  );
}

/** Token requests of Snowflake OAuth that the default world grants: code exchange (Basic and post), refresh, client credentials. */
function tokenFlows(creds: WorldCredentials): { auth: Headers; form: FormFields }[] {
  const a = creds.autoApp;
  const d = creds.driverApp;
  return [
    { auth: [['authorization', basic(a.clientId, a.secret)]], form: [['grant_type', 'authorization_code'], ['code', '{{CODE}}'], ['redirect_uri', a.redirectUri]] },
    { auth: [], form: [['grant_type', 'authorization_code'], ['code', '{{CODE}}'], ['redirect_uri', a.redirectUri], ['client_id', a.clientId], ['client_secret', a.secret]] },
    { auth: [['authorization', basic(a.clientId, a.secret)]], form: [['grant_type', 'refresh_token'], ['refresh_token', '{{REFRESH}}']] },
    { auth: [['authorization', basic(d.clientId, d.secret)]], form: [['grant_type', 'client_credentials'], ['scope', 'session:role:ANALYST']] },
    { auth: [], form: [['grant_type', 'client_credentials'], ['client_id', d.clientId], ['client_secret', d.secret]] },
  ];
}

/** Client authentication gone wrong: malformed Basic, wrong secret, another client, another scheme, none. */
function badClientAuth(creds: WorldCredentials): fc.Arbitrary<Headers> {
  const a = creds.autoApp;
  return fc.constantFrom<Headers>(
    [['authorization', 'Basic']], [['authorization', 'Basic !!!']], [['authorization', `Basic ${Buffer.from('nocolon').toString('base64')}`]], [['authorization', `Basic ${Buffer.from(':').toString('base64')}`]],
    [['authorization', basic(a.clientId, 'wrong')]], [['authorization', basic(creds.consentApp.clientId, creds.consentApp.secret)]], [['authorization', 'Bearer pat-alice-ci']],
    [['authorization', `Basic ${Buffer.from('%zz:%zz').toString('base64')}`]], [['authorization', `Basic ${Buffer.from('🦄:🦄').toString('base64')}`]], [['authorization', basic(a.clientId, 'x'.repeat(5000))]], [],
  );
}

function authorizeFields(creds: WorldCredentials): fc.Arbitrary<FormFields> {
  const a = creds.autoApp;
  const c = creds.consentApp;
  const d = creds.driverApp;
  return fc.constantFrom<FormFields>(
    [['client_id', a.clientId], ['response_type', 'code'], ['redirect_uri', a.redirectUri], ['login_hint', 'alice'], ['scope', 'refresh_token'], ['state', 'st']],
    [['client_id', a.clientId], ['response_type', 'code'], ['redirect_uri', a.redirectUri], ['login_hint', 'alice'], ['code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'], ['code_challenge_method', 'S256']],
    [['client_id', c.clientId], ['response_type', 'code'], ['redirect_uri', c.redirectUri], ['scope', 'session:role:ANALYST refresh_token'], ['state', 'st']],
    [['client_id', d.clientId], ['response_type', 'code'], ['redirect_uri', 'http://127.0.0.1:43210/'], ['state', 'st']],
  );
}

function signInFields(creds: WorldCredentials): fc.Arbitrary<FormFields> {
  const c = creds.consentApp;
  return fc.constantFrom<FormFields>(
    [['client_id', c.clientId], ['response_type', 'code'], ['redirect_uri', c.redirectUri], ['login_name', creds.password.login], ['password', creds.password.password]],
    [['step', 'consent'], ['consent_id', '{{CONSENT}}'], ['decision', 'allow']],
    [['step', 'consent'], ['consent_id', '{{CONSENT}}'], ['decision', 'deny']],
  );
}

/** The provider's token requests: the client-credentials grant it serves (post and Basic), and grants it does not. */
function providerTokenFlows(creds: WorldCredentials): { auth: Headers; form: FormFields }[] {
  const p = creds.provider;
  return [
    { auth: [], form: [['grant_type', 'client_credentials'], ['client_id', p.clientId], ['client_secret', p.secret], ['scope', p.scopes.join(' ')]] },
    { auth: [['authorization', basic(p.clientId, p.secret)]], form: [['grant_type', 'client_credentials'], ['scope', p.scopes[0] ?? 'read']] },
    { auth: [], form: [['grant_type', 'authorization_code'], ['code', 'x'], ['redirect_uri', 'https://app.example.com/cb'], ['client_id', p.clientId], ['client_secret', p.secret]] },
    { auth: [], form: [['grant_type', 'refresh_token'], ['refresh_token', '{{PROVIDER_AT}}'], ['client_id', p.clientId], ['client_secret', p.secret]] },
    { auth: [], form: [['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'], ['assertion', '{{JWT}}'], ['client_id', p.clientId], ['client_secret', p.secret]] },
  ];
}

/** Changes `POST /__mock/world/change` takes, one of each kind (faults and provider outages included: the runner puts the world back after any change that took). */
const WORLD_CHANGES: readonly Record<string, unknown>[] = [
  { disable_user: { user: 'BOB' } }, { disable_pat: { user: 'ALICE', name: 'CI' } }, { remove_pat: { user: 'ETL_BOT', name: 'ETL' } }, { rotate_pat: { user: 'ALICE', name: 'CI', capture: 'x' } },
  { add_pat: { user: 'ALICE', name: 'FZ', role_restriction: 'ANALYST', days_to_expiry: 1, capture: 'x' } }, { set_rsa_public_key: { user: 'ALICE', slot: 2, key: null } },
  { set_network_policy: { level: 'account', policy: 'ALLOW_ALL' } }, { set_network_policy: { level: { user: 'BOB' }, policy: null } }, { grant_role: { user: 'BOB', role: 'SYSADMIN' } },
  { revoke_role: { user: 'ALICE', role: 'SYSADMIN' } }, { set_integration_enabled: { integration: 'MY_APP', enabled: false } }, { issue_oauth_token: { user: 'ALICE', role: 'ANALYST', expires_in: 600, capture: 't' } },
  { revoke_consent: { user: 'ALICE', integration: 'MY_APP' } }, { run_setup_script: { application: 'APP', sql: 'SELECT 1' } }, { approve_specification: { application: 'APP', specification: 'S' } },
  { issue_external_oauth_token: { integration: 'X', subject: 'a', capture: 't' } }, { set_switches: { jwt_specific_errors: true, jwt_algorithms: ['RS256', 'ES256'] } },
  { inject_fault: { path: '/api/v2/databases', status: 429, count: 1 } }, { clear_faults: true }, { provider_down: { integration: 'some_api_authentication_security_integration' } },
  { provider_up: {} }, { revoke_provider_refresh_tokens: {} }, { expire_provider_refresh_tokens: { integration: 'X' } },
];

const constant = (text: string): Choice<string> => ({ valid: fc.constant(text), odd: fc.constantFrom('{}', 'x', '{"a":1}') });

/**
 * Every endpoint group of `serve`, weighted by how much there is to find in each.
 *
 * @example
 * GROUPS.map((g) => g.name) // ['sql-submit', 'sql-status', …, 'control', 'unknown']
 */
export const GROUPS: readonly Group[] = [
  {
    name: 'sql-submit', weight: 12,
    arb: (creds, scale) => request('sql-submit', {
      method: 'POST', path: fc.constant('/api/v2/statements'), query: queryOf(fc.constantFrom('', '', 'async=true', 'requestId=6f1e0b9a-3c1d-4e4b-8f0e-0123456789ab&retry=true', 'nullable=false'), scale),
      host: ACCOUNT_HOST, headers: JSON_HEADERS, auth: bearerAuth(creds, scale), body: json(statementBody(scale), scale), jwt: true,
    }, scale),
  },
  {
    name: 'sql-status', weight: 4,
    arb: (creds, scale) => request('sql-status', {
      method: 'GET', path: fc.oneof({ weight: 4, arbitrary: fc.constant('/api/v2/statements/{{HANDLE}}') }, { weight: 1, arbitrary: anyText.map((h) => `/api/v2/statements/${encodeURIComponent(h.replace(/[\ud800-\udfff]/g, ''))}`) }),
      query: queryOf(fc.constantFrom('', 'partition=0', 'partition=-1', 'partition=1e9', 'partition=x', 'requestId=x'), scale),
      host: ACCOUNT_HOST, headers: JSON_HEADERS, auth: bearerAuth(creds, scale), jwt: true,
    }, scale),
  },
  {
    name: 'sql-cancel', weight: 2,
    arb: (creds, scale) => request('sql-cancel', {
      method: 'POST', path: fc.constantFrom('/api/v2/statements/{{HANDLE}}/cancel', '/api/v2/statements/{{HANDLE}}/cancel', '/api/v2/statements/00000000-0000-0000-0000-000000000000/cancel', '/api/v2/statements/%ff/cancel'),
      host: ACCOUNT_HOST, headers: JSON_HEADERS, auth: bearerAuth(creds, scale), body: constant(''), jwt: true,
    }, scale),
  },
  {
    name: 'rest', weight: 4,
    arb: (creds, scale) => request('rest', {
      method: 'GET', path: fc.constantFrom('/api/v2/databases', '/api/v2/warehouses', '/api/v2/databases/ANALYTICS', '/api/v2/databases/analytics', '/api/v2/databases/NOPE', '/api/v2/databases/%E2%80%AE', '/api/v2/databases/%zz'),
      query: queryOf(fc.constantFrom('', 'like=A%25', 'showLimit=-1', 'fromName=x'), scale), host: ACCOUNT_HOST, headers: [['accept', 'application/json']], auth: bearerAuth(creds, scale), jwt: true,
    }, scale),
  },
  {
    name: 'oauth-authorize', weight: 5,
    arb: (creds, scale) => fc.oneof(
      request('oauth-authorize', { method: 'GET', path: fc.constant('/oauth/authorize'), query: form(authorizeFields(creds), scale), host: ACCOUNT_HOST, headers: [['accept', 'text/html']] }, scale),
      request('oauth-authorize', { method: 'POST', path: fc.constant('/oauth/authorize'), host: ACCOUNT_HOST, headers: FORM_HEADERS, body: form(signInFields(creds), scale) }, scale),
    ),
  },
  {
    name: 'oauth-token', weight: 7,
    arb: (creds, scale) => fc.constantFrom(...tokenFlows(creds)).chain((t) =>
      request('oauth-token', {
        method: 'POST', path: fc.constant('/oauth/token-request'), host: ACCOUNT_HOST, headers: FORM_HEADERS, auth: { valid: fc.constant(t.auth), odd: badClientAuth(creds) }, body: form(fc.constant(t.form), scale),
      }, scale)),
  },
  {
    name: 'oauth-complete-secret', weight: 1,
    arb: (_creds, scale) => request('oauth-complete-secret', {
      method: 'GET', path: fc.constant('/oauth/complete-secret'), query: form(fc.constantFrom<FormFields>([['state', 's'], ['code', 'c']], [['error', 'access_denied'], ['state', 's']], [['authz_code', 'x']]), scale),
      host: ACCOUNT_HOST, headers: [],
    }, scale),
  },
  {
    name: 'login', weight: 9,
    arb: (creds, scale) => request('login', { method: 'POST', path: fc.constant('/session/v1/login-request'), query: queryOf(loginQuery, scale), host: ACCOUNT_HOST, headers: DRIVER_HEADERS, body: json(loginBody(creds), scale), jwt: true }, scale),
  },
  {
    name: 'session-renew', weight: 4,
    arb: (_creds, scale) => request('session-renew', {
      method: 'POST', path: fc.constant('/session/token-request'), query: queryOf(fc.constantFrom('', 'requestId=x'), scale), host: ACCOUNT_HOST,
      headers: DRIVER_HEADERS, auth: sessionAuth('MASTER', scale), body: json(fc.constant({ requestType: 'RENEW', oldSessionToken: '{{SESSION}}' }), scale),
    }, scale),
  },
  {
    name: 'heartbeat', weight: 2,
    arb: (_creds, scale) => request('heartbeat', { method: 'POST', path: fc.constant('/session/heartbeat'), host: ACCOUNT_HOST, headers: DRIVER_HEADERS, auth: sessionAuth('SESSION', scale), body: constant('{}') }, scale),
  },
  {
    name: 'session-delete', weight: 2,
    arb: (_creds, scale) => request('session-delete', {
      method: 'POST', path: fc.constant('/session'), query: { valid: fc.constant('delete=true'), odd: fc.constantFrom('delete=false', '', 'delete=TRUE', 'delete=true&delete=true', 'delete=1') }, host: ACCOUNT_HOST,
      headers: DRIVER_HEADERS, auth: sessionAuth('SESSION', scale), body: constant(''),
    }, scale),
  },
  {
    name: 'query', weight: 9,
    arb: (_creds, scale) => request('query', {
      method: 'POST', path: fc.constant('/queries/v1/query-request'), query: queryOf(fc.constantFrom('requestId=6f1e0b9a-3c1d-4e4b-8f0e-0123456789ab', '', 'requestId=x&retryCount=1'), scale), host: ACCOUNT_HOST,
      headers: DRIVER_HEADERS, auth: sessionAuth('SESSION', scale), body: json(queryBody(scale), scale),
    }, scale),
  },
  {
    name: 'telemetry', weight: 2,
    arb: (_creds, scale) => request('telemetry', {
      method: 'POST', path: fc.constant('/telemetry/send'), host: ACCOUNT_HOST, headers: DRIVER_HEADERS, auth: sessionAuth('SESSION', scale),
      body: json(fc.constant({ logs: [{ data: { type: 'client_time_consume_first_result', value: 1 }, timestamp: '1767225600000' }] }), scale),
    }, scale),
  },
  {
    name: 'provider-token', weight: 5,
    arb: (creds, scale) => fc.tuple(fc.constantFrom(...providerTokenFlows(creds)), fc.boolean()).chain(([t, prefixed]) =>
      request('provider-token', {
        method: 'POST', path: fc.constant(prefixed ? `/__provider/${creds.provider.host}${creds.provider.tokenPath}` : creds.provider.tokenPath),
        host: prefixed ? LOOPBACK_HOST : { valid: fc.constant(creds.provider.host), odd: ACCOUNT_HOST.odd }, headers: FORM_HEADERS,
        auth: { valid: fc.constant(t.auth), odd: badClientAuth(creds) }, body: form(fc.constant(t.form), scale), jwt: true,
      }, scale)),
  },
  {
    name: 'provider-resource', weight: 4,
    arb: (creds, scale) => fc.tuple(fc.oneof(fc.constantFrom('/api/me', '/', '/oauth/authorize', '/session/v1/login-request'), fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`))), fc.boolean()).chain(([path, prefixed]) =>
      request('provider-resource', {
        method: 'GET', path: fc.constant(prefixed ? `/__provider/${creds.provider.host}${path}` : path),
        host: prefixed ? LOOPBACK_HOST : { valid: fc.constant(creds.provider.host), odd: ACCOUNT_HOST.odd }, headers: [],
        auth: { valid: fc.constant<Headers>([['authorization', 'Bearer {{PROVIDER_AT}}']]), odd: bogusAuth(scale) },
      }, scale)),
  },
  {
    name: 'provider-prefix', weight: 2,
    arb: (creds, scale) => request('provider-prefix', {
      method: 'GET',
      path: fc.oneof(
        fc.constantFrom(
          '/__provider', '/__provider/', '/__provider//x', `/__provider/${creds.provider.host.toUpperCase()}${creds.provider.tokenPath}`, `/__provider/${creds.provider.host}:443${creds.provider.tokenPath}`,
          '/__provider/[::1]/x', '/__provider/[::1', '/__provider/unknown.example/x', '/__provider/myorg-myaccount.snowflakecomputing.com/x', `/__provider/${creds.provider.host}`,
          '/__provider/%65xample.com/oauth/token', `/__provider/${creds.provider.host}${creds.provider.tokenPath}/`, `/__provider/${creds.provider.host}//oauth//token`, '/__provider/127.0.0.1/oauth/token',
          '/__provider/localhost/session/v1/login-request', '/__provider/:/x', '/__provider/a:b:c/x', '/__provider/%00/x', '/__provider/../api/v2/databases',
        ),
        anyText.map((t) => `/__provider/${encodeURIComponent(t.replace(/[\ud800-\udfff]/g, ''))}/x`),
      ),
      host: LOOPBACK_HOST, headers: [], auth: { valid: fc.constant<Headers>([['authorization', 'Bearer {{PROVIDER_AT}}']]), odd: bogusAuth(scale) },
    }, scale),
  },
  {
    name: 'control', weight: 6,
    arb: (_creds, scale) => controlArb(scale),
  },
  {
    name: 'unknown', weight: 4,
    arb: (creds, scale) => request('unknown', {
      method: 'GET',
      path: fc.oneof(
        fc.constantFrom('/', '/api', '/api/v2', '/api/v2/', '/api/v2/statements/a/b/c', '/session/v1', '/session/v1/login-request/x', '/oauth', '/__mockx', '/__providers/x', '/favicon.ico', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f'),
        fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
        anyText.map((t) => `/${t}`),
      ),
      host: ACCOUNT_HOST, headers: [], auth: bearerAuth(creds, scale), jwt: true,
    }, scale),
  },
];

function controlArb(scale: Scale): fc.Arbitrary<FuzzCase> {
  const world = defaultWorldConfig() as unknown as Record<string, unknown>;
  const body = (...templates: Record<string, unknown>[]): Choice<string> => json(fc.constantFrom(...templates), scale);
  const entries: { method: string; path: string; body?: Choice<string>; query?: Choice<string>; weight: number }[] = [
    { method: 'GET', path: '/__mock/health', weight: 2 },
    { method: 'GET', path: '/__mock/clock', weight: 1 },
    { method: 'GET', path: '/__mock/journal', query: queryOf(fc.constantFrom('limit=3', 'since=0&limit=2', 'since=x', 'limit=abc', 'since=1e3', 'limit=-5&since=5'), scale), weight: 2 },
    { method: 'GET', path: '/__mock/world', weight: 1 },
    { method: 'GET', path: '/__mock/world/summary', weight: 1 },
    { method: 'GET', path: '/__mock/faults', weight: 1 },
    { method: 'GET', path: '/__mock/provider', weight: 1 },
    { method: 'GET', path: '/__mock/', weight: 1 },
    { method: 'GET', path: '/__mock/inspector.js', weight: 1 },
    { method: 'POST', path: '/__mock/clock', body: body({ advance: '10m' }, { set: '2026-03-01T12:00:00Z' }, { freeze: true }), weight: 4 },
    { method: 'POST', path: '/__mock/reset', body: constant(''), weight: 1 },
    { method: 'PUT', path: '/__mock/world', body: body(world), weight: 4 },
    { method: 'POST', path: '/__mock/world/change', body: body(...WORLD_CHANGES), weight: 5 },
    { method: 'POST', path: '/__mock/faults', body: body({ path: '/api/v2/databases', method: 'GET', status: 429, count: 1 }, { path: '*', delay: '1ms', count: 1 }), weight: 2 },
    { method: 'DELETE', path: '/__mock/faults', weight: 1 },
    { method: 'DELETE', path: '/__mock/journal', weight: 1 },
    { method: 'POST', path: '/__mock/provider', body: body({ down: 'example.com', status: 503 }, { up: null }, { revoke_tokens: null }, { expire_refresh_tokens: 'X' }), weight: 2 },
    { method: 'POST', path: '/__mock/client-ip', body: body({ ip: '10.0.0.5' }, { ip: null }), weight: 2 },
    { method: 'GET', path: '/__mock/nope', weight: 1 },
  ];
  const pick = fc.oneof(...entries.map((e) => ({ weight: e.weight, arbitrary: fc.constant(e) })));
  return pick.chain((e) => request('control', {
    method: e.method, path: fc.constant(e.path), ...(e.query && { query: e.query }), host: LOOPBACK_HOST,
    headers: e.body === undefined ? [] : [['content-type', 'application/json']], ...(e.body && { body: e.body }),
  }, scale));
}

/**
 * The arbitrary of every fuzzed request: one of the groups, by weight.
 *
 * @example
 * fc.sample(fuzzCaseArb(worldCredentials(), 'small'), 1)[0].group // e.g. 'sql-submit'
 */
export function fuzzCaseArb(creds: WorldCredentials, scale: Scale): fc.Arbitrary<FuzzCase> {
  return fc.oneof(...GROUPS.map((g) => ({ weight: g.weight, arbitrary: g.arb(creds, scale) })));
}

// ---- expanding a case into bytes -----------------------------------------------------------------

/** A request ready for the wire. */
export interface WireRequest {
  readonly method: string;
  readonly target: string;
  /** Header names and values as sent (Host among them when sent). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer | undefined;
  readonly chunked: boolean;
  /** The body text before any gzip: what the oracle looks for echoes in. */
  readonly bodyText: string;
}

const DEEP: Record<string, (n: number) => string> = {
  a: (n) => '['.repeat(n) + ']'.repeat(n),
  o: (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n),
  m: (n) => '[{"a":'.repeat(Math.ceil(n / 2)) + '1' + '}]'.repeat(Math.ceil(n / 2)),
  u: (n) => '['.repeat(n),
};

/**
 * Expands the size markers of arbitraries.ts: `"@@DEEP(n,k)@@"` (quotes included) and `@@HUGE(n,u)@@`.
 *
 * @example
 * expandMarkers('{"a":"@@DEEP(2,a)@@"}') // '{"a":[[]]}'
 */
export function expandMarkers(text: string): string {
  if (!text.includes('@@')) return text;
  return text
    .replace(/"?@@DEEP\((\d+),([aomu])\)@@"?/g, (_m, n: string, k: string) => DEEP[k]!(Number(n)))
    .replace(/@@HUGE\((\d+),(.*?)\)@@/g, (_m, n: string, unit: string) => unit.repeat(Number(n)));
}

/** The request line's target: UTF-8 bytes one per character, spaces and controls percent-escaped (node refuses them raw). */
function wireTarget(target: string): string {
  return Buffer.from(target, 'utf8').toString('latin1').replace(/[\u0000-\u0020\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

const bombs = new Map<number, Buffer>();
/** A gzip stream that inflates far past the body limit (cached: building it takes a while). */
function gzipBomb(bytes: number): Buffer {
  let bomb = bombs.get(bytes);
  if (!bomb) bombs.set(bytes, (bomb = gzipSync(Buffer.alloc(bytes), { level: 9 })));
  return bomb;
}

function wrapBody(raw: Buffer, body: BodySpec, scale: Scale): Buffer {
  switch (body.wrap) {
    case 'plain':
      return raw;
    case 'gzip':
      return gzipSync(raw);
    case 'gzip-truncated': {
      const gz = gzipSync(raw);
      return gz.subarray(0, Math.max(2, Math.floor(gz.length / 2)));
    }
    case 'gzip-corrupt': {
      const gz = Buffer.from(gzipSync(raw));
      for (const i of [Math.floor(gz.length / 2), gz.length - 5, gz.length - 1]) if (i >= 10) gz[i] = gz[i]! ^ 0x5a;
      return gz;
    }
    case 'gzip-magic-garbage':
      return Buffer.concat([Buffer.from([0x1f, 0x8b]), raw]);
    case 'gzip-bomb':
      return gzipBomb(scale === 'full' ? 64 * 1024 * 1024 : 8 * 1024 * 1024);
    case 'gzip-twice':
      return gzipSync(gzipSync(raw));
  }
}

/** Names the materializer fills in; every other `{{…}}` is left as it is. */
const PLACEHOLDER = /\{\{(PORT|JWT|BAD_JWT|SESSION|MASTER|HANDLE|CODE|REFRESH|OAUTH|PROVIDER_AT|CONSENT)\}\}/g;

// ---- the materializer ----------------------------------------------------------------------------

/** How the materializer reaches the server: one request, answered (setup traffic goes through the oracle too). */
export type SetupSender = (req: WireRequest, group: string) => Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string } | undefined>;

/**
 * Fills placeholders with live credentials, fetching them from the server when needed: a session
 * (PAT login), a statement handle, a fresh authorization code, a refresh and an access token, a
 * consent page id, the provider's access token; and signs key-pair JWTs on the mock's clock.
 * Everything fetched is kept until {@link Materializer.forget} (after the runner restores the world).
 */
export class Materializer {
  private readonly cache = new Map<string, string>();
  private readonly keys = new Map<string, string>();

  private readonly creds: WorldCredentials;
  private readonly port: number;
  private readonly send: SetupSender;
  private readonly now: () => number;
  private readonly scale: Scale;

  constructor(creds: WorldCredentials, port: number, send: SetupSender, now: () => number, scale: Scale) {
    this.creds = creds;
    this.port = port;
    this.send = send;
    this.now = now;
    this.scale = scale;
  }

  /** Drops every fetched credential (the world was put back: sessions and tokens are gone). */
  forget(): void {
    this.cache.clear();
  }

  /** Drops one (e.g. the session, after an answer said it is closed or expired). */
  drop(name: string): void {
    this.cache.delete(name);
  }

  /**
   * A case, ready for the wire.
   *
   * @example
   * const wire = await materializer.wire(fuzzCase)
   */
  async wire(c: FuzzCase): Promise<WireRequest> {
    const fill = async (text: string): Promise<string> => {
      const names = new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!));
      const values = new Map<string, string>();
      for (const name of names) values.set(name, await this.value(name, c));
      return names.size === 0 ? text : text.replace(PLACEHOLDER, (_m, name: string) => values.get(name)!);
    };
    const headers: [string, string][] = [];
    if (c.host !== null) headers.push(['host', latin1(expandMarkers(await fill(c.host)))]);
    for (const [name, value] of c.headers) headers.push([name, latin1(expandMarkers(await fill(value)))]);
    let body: Buffer | undefined;
    let bodyText = '';
    if (c.body) {
      bodyText = expandMarkers(await fill(c.body.text));
      const raw = c.body.bytes ? Buffer.concat([Buffer.from(bodyText, 'utf8'), Buffer.from(c.body.bytes)]) : Buffer.from(bodyText, 'utf8');
      body = wrapBody(raw, c.body, this.scale);
      if (c.body.wrap !== 'plain' && !headers.some(([n]) => n === 'content-encoding')) headers.push(['content-encoding', 'gzip']);
    }
    // node's client sends the method upper-cased (`Post` goes out as `POST`): the oracle must judge what went out.
    return { method: c.method.toUpperCase(), target: wireTarget(expandMarkers(await fill(c.target))), headers, body, chunked: c.body?.chunked ?? false, bodyText };
  }

  private async value(name: string, c: FuzzCase): Promise<string> {
    if (name === 'PORT') return String(this.port);
    if (name === 'JWT') return c.jwt ? this.jwt(c.jwt) : 'no.jwt.given';
    if (name === 'BAD_JWT') return c.badJwt ? this.jwt(c.badJwt) : 'no.bad.jwt';
    // Single-use values are fetched afresh every time.
    if (name === 'CODE') return (await this.code()) ?? 'setup-failed-code';
    if (name === 'CONSENT') return (await this.consent()) ?? 'setup-failed-consent';
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit;
    const fetched = await this.fetch(name);
    if (fetched !== undefined) this.cache.set(name, fetched);
    return fetched ?? `setup-failed-${name.toLowerCase()}`;
  }

  private async fetch(name: string): Promise<string | undefined> {
    switch (name) {
      case 'SESSION':
      case 'MASTER': {
        const body = JSON.stringify({ data: { AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: this.creds.patLogin.login, TOKEN: this.creds.patLogin.token } });
        const answer = await this.post('/session/v1/login-request', [['content-type', 'application/json'], ['accept', 'application/snowflake']], body);
        const data = parse(answer?.body)?.data as { token?: string; masterToken?: string } | undefined;
        if (!data?.token || !data.masterToken) return undefined;
        this.cache.set('SESSION', data.token);
        this.cache.set('MASTER', data.masterToken);
        return name === 'SESSION' ? data.token : data.masterToken;
      }
      case 'HANDLE': {
        const answer = await this.post('/api/v2/statements', [['content-type', 'application/json'], ['authorization', `Bearer ${this.creds.patLogin.token}`]], '{"statement":"SELECT 1"}');
        return parse(answer?.body)?.statementHandle as string | undefined;
      }
      case 'REFRESH':
      case 'OAUTH': {
        const code = await this.code();
        if (!code) return undefined;
        const a = this.creds.autoApp;
        const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: a.redirectUri }).toString();
        const answer = await this.post('/oauth/token-request', [['content-type', 'application/x-www-form-urlencoded'], ['authorization', basic(a.clientId, a.secret)]], form);
        const t = parse(answer?.body) as { access_token?: string; refresh_token?: string } | undefined;
        if (!t?.access_token || !t.refresh_token) return undefined;
        this.cache.set('OAUTH', t.access_token);
        this.cache.set('REFRESH', t.refresh_token);
        return name === 'OAUTH' ? t.access_token : t.refresh_token;
      }
      case 'PROVIDER_AT': {
        const p = this.creds.provider;
        const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: p.clientId, client_secret: p.secret, scope: p.scopes.join(' ') }).toString();
        const answer = await this.post(`/__provider/${p.host}${p.tokenPath}`, [['content-type', 'application/x-www-form-urlencoded']], form);
        return parse(answer?.body)?.access_token as string | undefined;
      }
      default:
        return undefined;
    }
  }

  /** A fresh authorization code of the auto-consent client (scope refresh_token, so the exchange also gives a refresh token). */
  private async code(): Promise<string | undefined> {
    const a = this.creds.autoApp;
    const q = new URLSearchParams({ client_id: a.clientId, response_type: 'code', redirect_uri: a.redirectUri, scope: 'refresh_token', login_hint: this.creds.password.login });
    const answer = await this.send({ method: 'GET', target: `/oauth/authorize?${q}`, headers: [['host', `127.0.0.1:${this.port}`]], body: undefined, chunked: false, bodyText: '' }, 'setup');
    const location = answer?.headers.location;
    return typeof location === 'string' && URL.canParse(location) ? (new URL(location).searchParams.get('code') ?? undefined) : undefined;
  }

  /** A fresh consent page id: the consent client's sign-in form, posted with the world's password. */
  private async consent(): Promise<string | undefined> {
    const c = this.creds.consentApp;
    const form = new URLSearchParams({ client_id: c.clientId, response_type: 'code', redirect_uri: c.redirectUri, scope: 'session:role:ANALYST refresh_token', login_name: this.creds.password.login, password: this.creds.password.password });
    const answer = await this.post('/oauth/authorize', [['content-type', 'application/x-www-form-urlencoded']], form.toString());
    return /name="consent_id" value="([^"]+)"/.exec(answer?.body ?? '')?.[1];
  }

  private post(target: string, headers: Headers, body: string) {
    const bytes = Buffer.from(body, 'utf8');
    return this.send({ method: 'POST', target, headers: [['host', `127.0.0.1:${this.port}`], ...headers], body: bytes, chunked: false, bodyText: body }, 'setup');
  }

  private pem(key: FixtureKey, kind: 'p8' | 'pub'): string {
    const id = `${key}.${kind}`;
    let text = this.keys.get(id);
    if (text === undefined) this.keys.set(id, (text = readFileSync(new URL(`../fixtures/keys/${key}.${kind}`, import.meta.url), 'utf8')));
    return text;
  }

  /** Signs (or forges) the case's JWT on the mock clock; a key jose cannot sign with gives a forged token of the same claims. */
  private async jwt(spec: JwtSpec): Promise<string> {
    if (spec.mode === 'forged') return forge(spec.header, spec.payload, spec.signature, spec.parts ?? 3);
    const now = this.now();
    let token: string;
    try {
      token = await signKeypairJwt({
        privateKey: this.pem(spec.key, 'p8'), account: spec.account, user: spec.user, now, iat: now + spec.iatOffset * 1000, lifetimeSeconds: spec.lifetime, timeUnit: spec.timeUnit,
        alg: spec.alg, upperCase: spec.upperCase, ...(spec.fingerprintOf !== undefined && { publicKey: this.pem(spec.fingerprintOf, 'pub') }),
        ...(spec.claims !== undefined && { claims: spec.claims }), ...(spec.header !== undefined && { header: spec.header }),
      });
    } catch {
      const iat = Math.floor(now / 1000) + spec.iatOffset;
      token = forge({ alg: spec.alg, typ: 'JWT' }, { iss: `${spec.account}.${spec.user}.SHA256:x`, sub: `${spec.account}.${spec.user}`, iat, exp: iat + spec.lifetime, ...spec.claims }, 'c2ln', 3);
    }
    return tamper(token, spec.tamper);
  }
}

function forge(header: unknown, payload: unknown, signature: string, parts: number): string {
  const enc = (v: unknown): string => Buffer.from(expandMarkers(JSON.stringify(v) ?? 'null'), 'utf8').toString('base64url');
  const all = [enc(header), enc(payload), signature, 'eA', 'eQ'];
  return all.slice(0, parts).join('.');
}

function tamper(token: string, how: Extract<JwtSpec, { mode: 'signed' }>['tamper']): string {
  const [h = '', p = '', s = ''] = token.split('.');
  switch (how) {
    case 'none':
      return token;
    case 'signature':
      return `${h}.${p}.${s.length > 0 ? (s[0] === 'A' ? 'B' : 'A') + s.slice(1) : 'AAAA'}`;
    case 'payload': {
      const claims = parse(Buffer.from(p, 'base64url').toString('utf8')) ?? {};
      return `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'MYORG-MYACCOUNT.ETL_BOT' })).toString('base64url')}.${s}`;
    }
    case 'strip-signature':
      return `${h}.${p}.`;
    case 'extra-part':
      return `${token}.eA`;
    case 'padding':
      return `${h}==.${p}=.${s}`;
  }
}

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
