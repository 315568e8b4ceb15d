/**
 * `type: external_oauth` integrations (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external) and the mock IdP an integration may carry.
 * Rules beyond the field types (inferred where the docs are silent, decisions/0009):
 * the issuer is required and unique in the account; signing keys come from JWKS URLs (≤ 3) or
 * from the RSA key(s), not both (the Terraform provider's ConflictsWith); the allowed and blocked
 * role lists exclude each other (same source); the scope delimiter is one character and CUSTOM-only;
 * a mock IdP that must sign for configured RSA keys needs the matching `private_key`.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { isSnowflakeServiceHost } from '../../auth/external-oauth-idp.ts';
import { SOURCES } from '../../errors/sources.ts';
import { fingerprintOf } from '../../keys/fingerprint.ts';
import { describe, isAbsent, isRecord, type Checker, type Entry, type Rec } from './checker.ts';
import { httpUrlProblem, importConfiguredKey } from './field-rules.ts';
import { roleRef, type Scope } from './scope.ts';
import type { ConfigPath } from './world-config-error.ts';

const KEYS = [
  'type', 'name', 'enabled', 'external_oauth_type', 'external_oauth_issuer', 'external_oauth_jws_keys_url',
  'external_oauth_rsa_public_key', 'external_oauth_rsa_public_key_2', 'external_oauth_audience_list',
  'external_oauth_token_user_mapping_claim', 'external_oauth_snowflake_user_mapping_attribute',
  'external_oauth_scope_mapping_attribute', 'external_oauth_scope_delimiter', 'external_oauth_allowed_roles_list',
  'external_oauth_blocked_roles_list', 'external_oauth_any_role_mode', 'comment', 'mock_idp',
];
const MOCK_IDP_KEYS = ['token_endpoint', 'clients', 'access_token_validity', 'private_key'];
const CLIENT_KEYS = ['client_id', 'client_secret', 'subject', 'scopes'];
/** Up to 3 JWKS URLs (EXTERNAL_OAUTH_JWS_KEYS_URL). */
const MAX_JWKS_URLS = 3;
const RULE = SOURCES.externalOAuthIntegration;

/**
 * Checks one `type: external_oauth` integration.
 *
 * @example
 * checkExternalOAuthIntegration(c, scope, { value: integration, path: ['security_integrations', 2] })
 */
export function checkExternalOAuthIntegration(c: Checker, scope: Scope, { value: r, path }: Entry<Rec>): void {
  c.keys(r, path, KEYS);
  c.bool(r, 'enabled', path);
  const type = c.choice(r, 'external_oauth_type', path, ['OKTA', 'AZURE', 'PING_FEDERATE', 'CUSTOM'], `for an external_oauth integration (OKTA, AZURE, PING_FEDERATE or CUSTOM; ${RULE})`);
  const issuer = c.string(r, 'external_oauth_issuer', path, `for an external_oauth integration: the "iss" its tokens carry (${RULE})`);
  c.string(r, 'comment', path);
  const urls = stringOrList(c, r, 'external_oauth_jws_keys_url', path);
  if (urls.length > MAX_JWKS_URLS) c.add([...path, 'external_oauth_jws_keys_url'], `at most ${MAX_JWKS_URLS} URLs (${RULE}), got ${urls.length}`);
  for (const url of urls) {
    const problem = httpUrlProblem(url.value);
    if (problem) c.add(url.path, problem);
  }
  const rsaKeys = ['external_oauth_rsa_public_key', 'external_oauth_rsa_public_key_2'].flatMap((key) => rsaKeyField(c, r, key, path));
  const hasRsa = !isAbsent(r.external_oauth_rsa_public_key) || !isAbsent(r.external_oauth_rsa_public_key_2);
  if (urls.length > 0 && hasRsa) {
    c.add([...path, 'external_oauth_jws_keys_url'], `give external_oauth_jws_keys_url or external_oauth_rsa_public_key(_2), not both: Snowflake takes its signing keys from one source (${RULE})`);
  }
  const idp = isAbsent(r.mock_idp) || r.mock_idp === false ? undefined : r.mock_idp;
  if (urls.length === 0 && !hasRsa && idp === undefined) {
    c.add([...path, 'external_oauth_jws_keys_url'], `required for an external_oauth integration: external_oauth_jws_keys_url or external_oauth_rsa_public_key (${RULE}); or add mock_idp, whose JWKS URL is then the default`);
  }
  stringOrList(c, r, 'external_oauth_audience_list', path);
  const claims = stringOrList(c, r, 'external_oauth_token_user_mapping_claim', path);
  if (isAbsent(r.external_oauth_token_user_mapping_claim)) {
    c.add([...path, 'external_oauth_token_user_mapping_claim'], `required for an external_oauth integration: the claim(s) naming the user, e.g. sub or upn (${RULE})`);
  } else if (Array.isArray(r.external_oauth_token_user_mapping_claim) && claims.length === 0) {
    c.add([...path, 'external_oauth_token_user_mapping_claim'], 'list at least one claim');
  }
  c.choice(r, 'external_oauth_snowflake_user_mapping_attribute', path, ['LOGIN_NAME', 'EMAIL_ADDRESS'], `for an external_oauth integration (LOGIN_NAME or EMAIL_ADDRESS; ${RULE})`);
  c.choice(r, 'external_oauth_scope_mapping_attribute', path, ['scp', 'scope']);
  checkDelimiter(c, r, path, type);
  checkRoleLists(c, scope, r, path);
  c.choice(r, 'external_oauth_any_role_mode', path, ['DISABLE', 'ENABLE', 'ENABLE_FOR_PRIVILEGE']);
  if (idp !== undefined) {
    checkMockIdp(c, idp, [...path, 'mock_idp'], issuer, rsaKeys);
    for (const url of urls) if (onSnowflakeHost(url.value)) c.add(url.path, `${SNOWFLAKE_HOST_PROBLEM}: with mock_idp the mock would have to serve this JWKS URL on a host the Snowflake side answers (decisions/0009)`);
  }
}

const SNOWFLAKE_HOST_PROBLEM = 'is on a *.snowflakecomputing.com host, which is Snowflake\'s own';
/** Whether an http(s) URL is on Snowflake's own hosts, where a mock IdP never answers (decisions/0009). */
function onSnowflakeHost(url: string): boolean {
  return URL.canParse(url) && isSnowflakeServiceHost(new URL(url).hostname);
}

/**
 * Reports a second external_oauth integration of an account with the same issuer: a token's `iss`
 * must name one integration (inferred).
 *
 * @example
 * checkIssuersUnique(c, entries.filter(isExternal))
 */
export function checkIssuersUnique(c: Checker, entries: readonly Entry<Rec>[]): void {
  const issuers = entries.flatMap(({ value, path }) => (typeof value.external_oauth_issuer === 'string' ? [{ value: value.external_oauth_issuer, path: [...path, 'external_oauth_issuer'] }] : []));
  c.unique(issuers, 'external_oauth_issuer', 'exact');
}

/** A field that takes one string or a list of them (Snowflake's `'x' | ('x', 'y')`). */
function stringOrList(c: Checker, r: Rec, key: string, path: ConfigPath): Entry<string>[] {
  if (isAbsent(r[key])) return [];
  if (Array.isArray(r[key])) return c.strings(r, key, path);
  const one = c.string(r, key, path);
  return one === undefined ? [] : [{ value: one, path: [...path, key] }];
}

/** An RSA public key of at least 2048 bits (External OAuth takes RSA keys only, EXTERNAL_OAUTH_RSA_PUBLIC_KEY). */
function rsaKeyField(c: Checker, r: Rec, key: string, path: ConfigPath): KeyObject[] {
  const text = c.string(r, key, path);
  if (text === undefined) return [];
  try {
    const imported = importConfiguredKey(text);
    if (imported.key.asymmetricKeyType === 'rsa') return [imported.key];
    c.add([...path, key], `not a usable public key: External OAuth takes RSA keys, got ${imported.key.asymmetricKeyType?.toUpperCase() ?? 'another kind of'} key (${RULE})`);
  } catch (e) {
    c.add([...path, key], `not a usable public key: ${(e as Error).message}`);
  }
  return [];
}

function checkDelimiter(c: Checker, r: Rec, path: ConfigPath, type: string | undefined): void {
  const v = r.external_oauth_scope_delimiter;
  if (isAbsent(v)) return;
  const at = [...path, 'external_oauth_scope_delimiter'];
  // Not c.string: a space is a valid delimiter.
  if (typeof v !== 'string' || v.length !== 1) return void c.add(at, `expected one character such as "," or " ", got ${describe(v)}`);
  if (type !== undefined && type !== 'CUSTOM') c.add(at, `only a CUSTOM integration takes external_oauth_scope_delimiter (this one is ${type}; ${RULE})`);
}

function checkRoleLists(c: Checker, scope: Scope, r: Rec, path: ConfigPath): void {
  const allowed = c.strings(r, 'external_oauth_allowed_roles_list', path).map((role) => roleRef(c, scope, role));
  const blocked = c.strings(r, 'external_oauth_blocked_roles_list', path);
  for (const role of blocked) {
    const name = roleRef(c, scope, role);
    if (name !== undefined && allowed.includes(name)) c.add(role.path, `role ${name} is in both external_oauth_allowed_roles_list and external_oauth_blocked_roles_list`);
  }
  if (allowed.length > 0 && blocked.length > 0) {
    c.add([...path, 'external_oauth_blocked_roles_list'], 'give external_oauth_allowed_roles_list or external_oauth_blocked_roles_list, not both (they exclude each other; privileged roles stay blocked either way)');
  }
}

function checkMockIdp(c: Checker, idp: unknown, path: ConfigPath, issuer: string | undefined, rsaKeys: readonly KeyObject[]): void {
  if (idp === true) return void checkTokenEndpointDefault(c, path, issuer, undefined, rsaKeys);
  if (!isRecord(idp)) return void c.add(path, `expected true or a mapping (token_endpoint, clients, access_token_validity, private_key), got ${describe(idp)}`);
  c.keys(idp, path, MOCK_IDP_KEYS);
  const endpoint = c.string(idp, 'token_endpoint', path);
  const problem = endpoint === undefined ? undefined : httpUrlProblem(endpoint);
  if (problem) c.add([...path, 'token_endpoint'], problem);
  else if (endpoint !== undefined && onSnowflakeHost(endpoint)) c.add([...path, 'token_endpoint'], `${SNOWFLAKE_HOST_PROBLEM}: a mock IdP never answers there (decisions/0009); use the IdP's own host, e.g. https://idp.example.com/oauth2/v1/token`);
  checkTokenEndpointDefault(c, path, issuer, endpoint, rsaKeys, idp);
  c.duration(idp, 'access_token_validity', path, 86_400);
  const clients = c.records(idp, 'clients', path, CLIENT_KEYS);
  for (const { value: client, path: at } of clients) {
    c.string(client, 'client_id', at, 'for a mock IdP client');
    c.string(client, 'client_secret', at, 'for a mock IdP client');
    c.string(client, 'subject', at);
    c.strings(client, 'scopes', at);
  }
  c.unique(clients.flatMap(({ value, path: at }) => (typeof value.client_id === 'string' ? [{ value: value.client_id, path: [...at, 'client_id'] }] : [])), 'mock IdP client_id', 'exact');
}

/** The token endpoint defaults to `<issuer>/v1/token`; the signing key must match configured RSA keys. */
function checkTokenEndpointDefault(c: Checker, path: ConfigPath, issuer: string | undefined, endpoint: string | undefined, rsaKeys: readonly KeyObject[], idp: Rec = {}): void {
  if (endpoint === undefined && issuer !== undefined && httpUrlProblem(issuer) !== undefined) {
    c.add([...path, 'token_endpoint'], `required when external_oauth_issuer ("${issuer}") is not an http(s) URL (the default is <issuer>/v1/token)`);
  } else if (endpoint === undefined && issuer !== undefined && onSnowflakeHost(issuer)) {
    c.add([...path, 'token_endpoint'], `required: the default <issuer>/v1/token ${SNOWFLAKE_HOST_PROBLEM}, where a mock IdP never answers (decisions/0009)`);
  }
  const pem = c.string(idp, 'private_key', path);
  if (pem === undefined) {
    if (rsaKeys.length > 0) c.add([...path, 'private_key'], 'required when external_oauth_rsa_public_key is set: the mock IdP can only sign with a key the integration trusts (or drop mock_idp and sign tokens with signExternalOAuthToken)');
    return;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    return void c.add([...path, 'private_key'], 'not a PKCS#8 PEM private key');
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < 2048) return void c.add([...path, 'private_key'], `expected an RSA private key of at least 2048 bits (RS256), got ${key.asymmetricKeyType?.toUpperCase() ?? '?'}${bits ? ` ${bits} bits` : ''}`);
  const fingerprint = fingerprintOf(createPublicKey(key));
  if (rsaKeys.length > 0 && !rsaKeys.some((k) => fingerprintOf(k) === fingerprint)) {
    c.add([...path, 'private_key'], `its public half (${fingerprint}) is neither external_oauth_rsa_public_key nor external_oauth_rsa_public_key_2: tokens it signs would not verify`);
  }
}
