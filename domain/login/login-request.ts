/**
 * The body and query of `POST /session/v1/login-request` (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js), read once into a typed
 * record. Unknown fields are ignored and `ACCOUNT_NAME` is not compared with the host: drivers add
 * fields over time, and snowflake-sdk sends the `account` option it was given (or the host's first
 * label), which need not name the host's account.
 */
import { reject, type Rejection } from '../errors/rejection.ts';
import { readJsonObject } from '../json-object.ts';

/** The login fields the mock reads. String fields are absent when not sent. */
export interface LoginRequest {
  /** Upper-cased; `SNOWFLAKE` when absent, the drivers' default (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/authentication.js). */
  readonly authenticator: string;
  /** As typed by the client (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js); compared case-insensitively. */
  readonly loginName?: string;
  readonly password?: string;
  /** JWT, OAuth access token, PAT, or a cached MFA token, by authenticator (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/authentication.js). */
  readonly token?: string;
  readonly passcode?: string;
  /** `EXT_AUTHN_DUO_METHOD`: `passcode` or `push` (test/driver/driver-cases.ts). */
  readonly duoMethod?: string;
  readonly passcodeInPassword: boolean;
  /** `CLIENT_ENVIRONMENT.OAUTH_TYPE` for the driver-driven OAuth flows (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts). */
  readonly oauthType?: string;
  readonly clientAppId?: string;
  /** `SESSION_PARAMETERS.CLIENT_REQUEST_MFA_TOKEN` (test/driver/driver-cases.ts). */
  readonly requestMfaToken: boolean;
  /** Query parameters `roleName`, `warehouse`, `databaseName`, `schemaName` (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js). */
  readonly roleName?: string;
  readonly warehouse?: string;
  readonly database?: string;
  readonly schema?: string;
}

const RULE = 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js';
/** Longer credentials are refused as malformed rather than compared (a 1 MB "password" is abuse). */
const MAX_FIELD = 65_536;
const STRING_FIELDS = ['AUTHENTICATOR', 'LOGIN_NAME', 'PASSWORD', 'TOKEN', 'PASSCODE', 'EXT_AUTHN_DUO_METHOD', 'CLIENT_APP_ID'] as const;

/**
 * Parses a login request; a body that is not `{"data": {...}}` with string fields is refused with
 * 390400 (inferred: Snowflake's answer to an unreadable login is not documented).
 *
 * @example
 * parseLoginRequest('{"data":{"LOGIN_NAME":"alice","PASSWORD":"pw"}}', new URLSearchParams('roleName=ANALYST'))
 * // { ok: true, value: { authenticator: 'SNOWFLAKE', loginName: 'alice', password: 'pw', roleName: 'ANALYST', … } }
 */
export function parseLoginRequest(body: string, query: URLSearchParams): { ok: true; value: LoginRequest } | { ok: false; rejection: Rejection } {
  const data = readData(body);
  if (typeof data === 'string') return { ok: false, rejection: reject('390400', RULE, data, 'LOGIN_BODY_INVALID') };
  for (const field of STRING_FIELDS) {
    const v = data[field];
    if (v !== undefined && v !== null && typeof v !== 'string') return bad(`data.${field} is ${typeof v}, not a string`);
    if (typeof v === 'string' && v.length > MAX_FIELD) return bad(`data.${field} is ${v.length} characters long (more than ${MAX_FIELD})`);
  }
  const str = (k: (typeof STRING_FIELDS)[number]): string | undefined => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const env = record(data.CLIENT_ENVIRONMENT);
  const params = record(data.SESSION_PARAMETERS);
  const value: LoginRequest = {
    authenticator: (str('AUTHENTICATOR') || 'SNOWFLAKE').toUpperCase(),
    // An empty LOGIN_NAME (sent by some drivers for token logins without a user) is no LOGIN_NAME.
    ...defined('loginName', str('LOGIN_NAME') || undefined),
    ...defined('password', str('PASSWORD')),
    ...defined('token', str('TOKEN')),
    ...defined('passcode', str('PASSCODE')),
    ...defined('duoMethod', str('EXT_AUTHN_DUO_METHOD')?.toLowerCase()),
    passcodeInPassword: data.passcodeInPassword === true,
    ...defined('oauthType', typeof env.OAUTH_TYPE === 'string' ? env.OAUTH_TYPE : undefined),
    ...defined('clientAppId', str('CLIENT_APP_ID')),
    requestMfaToken: params.CLIENT_REQUEST_MFA_TOKEN === true,
    ...defined('roleName', query.get('roleName') || undefined),
    ...defined('warehouse', query.get('warehouse') || undefined),
    ...defined('database', query.get('databaseName') || undefined),
    ...defined('schema', query.get('schemaName') || undefined),
  };
  return { ok: true, value };
}

function readData(body: string): Record<string, unknown> | string {
  const parsed = readJsonObject(body);
  if (typeof parsed === 'string') return `the login request body ${parsed}`;
  return isRecord(parsed.data) ? parsed.data : 'the login request body has no "data" object';
}

function bad(explanation: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: reject('390400', RULE, explanation, 'LOGIN_BODY_INVALID') };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * A Snowflake identifier from a connect-string parameter: upper-cased unless double-quoted.
 *
 * @example
 * identifier('analyst') // 'ANALYST'
 * identifier('"Mixed"') // 'Mixed'
 */
export function identifier(text: string): string {
  const quoted = /^"((?:[^"]|"")*)"$/.exec(text);
  return quoted ? quoted[1]!.replace(/""/g, '"') : text.toUpperCase();
}
