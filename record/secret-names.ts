/**
 * Which field names carry secrets, and of which kind. Names are compared without case, `-` or `_`
 * (`client_secret`, `clientSecret`, `OAUTH_CLIENT_SECRET` all match). Sources for the names:
 * OAuth 2.0 (RFC 6749 §4.1.3, §6, §2.3.1; RFC 7636 PKCE; RFC 7521/7523 assertions), OpenID
 * Connect (`id_token`, `nonce`), Snowflake's login request and response
 * (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating), the PAT commands
 * (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token: column
 * `token_secret`) and the secret DDL (https://docs.snowflake.com/en/sql-reference/sql/create-secret).
 */
import type { SecretKind } from './format.ts';

/**
 * Where a name was found: a JSON member, a form field or query parameter, an SQL `NAME = '…'`.
 *
 * @example
 * secretKindOfName('code', 'form' satisfies NameContext) // 'oauth_code'
 */
export type NameContext = 'json' | 'form' | 'sql';

const EXACT: Readonly<Record<string, SecretKind>> = {
  password: 'password', passwd: 'password', pwd: 'password', passphrase: 'password', privatekeypassphrase: 'password',
  passcode: 'passcode',
  mfatoken: 'mfa_token',
  clientsecret: 'client_secret', oauthclientsecret: 'client_secret', oauthclientsecret2: 'client_secret',
  codeverifier: 'code_verifier',
  accesstoken: 'access_token', oauthaccesstoken: 'access_token',
  refreshtoken: 'refresh_token', oauthrefreshtoken: 'refresh_token',
  idtoken: 'id_token',
  sessiontoken: 'session_token', oldsessiontoken: 'session_token',
  mastertoken: 'master_token',
  privatekey: 'private_key', rsaprivatekey: 'private_key', privatekeypem: 'private_key',
  tokensecret: 'pat',
  secretstring: 'secret', assertion: 'secret', clientassertion: 'secret', subjecttoken: 'secret', actortoken: 'secret',
  samlresponse: 'secret', rawsamlresponse: 'secret', proofkey: 'secret', remmetoken: 'secret',
};

/**
 * Names that are secrets only in forms and query strings: in JSON `code` is Snowflake's error code.
 * OAuth's `state` is not here: it is an opaque CSRF value the client chose and gets echoed back
 * (RFC 6749 §10.12), no credential; replay treats it as volatile (record/volatile.ts).
 */
const FORM_ONLY: Readonly<Record<string, SecretKind>> = {
  code: 'oauth_code', nonce: 'secret', consentid: 'secret', token: 'access_token',
};

/** Tokens an OAuth provider other than Snowflake issues are `provider_token`s. */
const PROVIDER_KINDS = new Set<SecretKind>(['access_token', 'refresh_token', 'id_token']);

// A name that merely describes a secret (its name, type, expiry, file, whether it is set) is not one.
const DESCRIBES = /(name|type|types|id|ids|at|expiry|expires|expiresin|time|date|url|uri|endpoint|count|validity|validityinseconds|policy|kind|hint|fp|fingerprint|enabled|required|set|length|lifetime|version|method|methods|mode|status|format|algorithm|integration|file|path|location|provider)$/;
const FLAG = /^(has|is|must|allow|allowed|require|show|use)/;

/**
 * The kind of secret a field of this name holds, or undefined for a public one.
 *
 * @example
 * secretKindOfName('client_secret', 'form')          // 'client_secret'
 * secretKindOfName('code', 'json')                   // undefined (Snowflake's error code)
 * secretKindOfName('OAUTH_REFRESH_TOKEN', 'sql')     // 'refresh_token'
 * secretKindOfName('access_token', 'json', false)    // 'provider_token' (not Snowflake's endpoint)
 */
export function secretKindOfName(name: string, context: NameContext, snowflake = true): SecretKind | undefined {
  const n = name.toLowerCase().replace(/[-_]/g, '');
  const kind = EXACT[n] ?? (context === 'form' ? FORM_ONLY[n] : undefined) ?? generic(n);
  return kind !== undefined && !snowflake && PROVIDER_KINDS.has(kind) ? 'provider_token' : kind;
}

/**
 * A fully qualified object name, `DATABASE.SCHEMA.NAME`, of unquoted identifiers as Snowflake stores
 * and shows them, in upper case (https://docs.snowflake.com/en/sql-reference/identifiers-syntax). Lower
 * or mixed case is not excused: `hunter2.x.y1` is as likely a password as a name.
 */
const OBJECT_NAME = /^(?:[A-Z_][A-Z0-9_$]*\.){2}[A-Z_][A-Z0-9_$]*$/;

/**
 * The kind of secret a field holds given its value too: a field only *named* like a secret (`secret`,
 * `oauth_secret`, not an exact name such as `client_secret`) whose value is a qualified object name
 * names a `SECRET` object (`{"secret":"EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET"}` in `SHOW CONFIGURATIONS`),
 * it does not hold one.
 *
 * @example
 * secretKindOfField('secret', 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET', 'json') // undefined
 * secretKindOfField('secret', 's3cr3t-value', 'json')                        // 'secret'
 * secretKindOfField('client_secret', 'A.B.C', 'json')                        // 'client_secret'
 */
export function secretKindOfField(name: string, value: string, context: NameContext, snowflake = true): SecretKind | undefined {
  const kind = secretKindOfName(name, context, snowflake);
  const exact = EXACT[name.toLowerCase().replace(/[-_]/g, '')] !== undefined;
  return kind === 'secret' && !exact && OBJECT_NAME.test(value) ? undefined : kind;
}

function generic(n: string): SecretKind | undefined {
  if (DESCRIBES.test(n) || FLAG.test(n)) return undefined;
  if (/password|passphrase|passcode/.test(n)) return 'password';
  if (/secret|privatekey|credential|apikey/.test(n) || /token(value|secret)?$/.test(n)) return 'secret';
  return undefined;
}

/**
 * Identity kinds (`--redact-identities`).
 *
 * @example
 * const kind: IdentityKind = 'locator'
 */
export type IdentityKind = Extract<SecretKind, 'account' | 'locator' | 'user' | 'ip'>;

const IDENTITY_NAMES: Readonly<Record<string, 'account' | 'user'>> = {
  accountname: 'account', account: 'account', accountlocator: 'account', accountidentifier: 'account',
  loginname: 'user', username: 'user', user: 'user', displayusername: 'user', login: 'user', loginhint: 'user',
};

/**
 * The identity a field of this name holds, for `--redact-identities`.
 *
 * @example
 * identityKindOfName('LOGIN_NAME', 'alice')        // 'user'
 * identityKindOfName('ACCOUNT_NAME', 'XY12345')    // 'locator'
 * identityKindOfName('ACCOUNT_NAME', 'MYORG-ACC')  // 'account'
 */
export function identityKindOfName(name: string, value: string): IdentityKind | undefined {
  const kind = IDENTITY_NAMES[name.toLowerCase().replace(/[-_]/g, '')];
  return kind === 'account' ? accountKind(value) : kind;
}

/**
 * An account identifier with an organisation (`myorg-myaccount`) is an account name; one without
 * (`xy12345`) is a locator (https://docs.snowflake.com/en/user-guide/admin-account-identifier).
 *
 * @example
 * accountKind('xy12345') // 'locator'
 */
export function accountKind(value: string): 'account' | 'locator' {
  return /[-_]/.test(value) ? 'account' : 'locator';
}
