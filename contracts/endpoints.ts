/**
 * Endpoint contracts (issue #3 §3, DESIGN.md §4): for every route of `http/routes.ts`, a
 * JSON Schema (draft-07) of the request and of each response the mock can give on it, with
 * fidelity labels. `validate-response.ts` checks real responses against them, and the test suite
 * runs every response the mock produces through that check, so a handler and its contract cannot
 * drift apart.
 *
 * Schemas are strict (`additionalProperties: false`): they describe exactly what the mock sends.
 * References: `auth-surface` = /work/shared/reference/snowflake-auth-surface.md, `drivers` =
 * snowflake-drivers.md, `decisions/0004` = decisions/0004-inferred-choices-of-issue-2.md (row named).
 */
import type { Surface } from '../domain/errors/types.ts';
import type { Fidelity } from '../domain/world/model.ts';
import { createRouter } from '../http/router.ts';
import { PROVIDER_KIND_HEADER } from '../http/provider/types.ts';

/**
 * A field whose fidelity differs from its response's, e.g. a value the reference leaves open.
 *
 * @example
 * const note: FieldNote = { path: '$.code', fidelity: 'inferred', note: '394400 for a PAT is ours' }
 */
export interface FieldNote {
  /** JSONPath-like: `$.code`, `$.resultSetMetaData.rowType[].type`. */
  readonly path: string;
  readonly fidelity: Fidelity;
  readonly note?: string;
}

/**
 * One response an endpoint can give.
 *
 * @example
 * const r = contractFor('GET', '/api/v2/databases/SALES')?.responses.find((r) => r.status === 404)
 * r?.fidelity // 'inferred'
 */
export interface ResponseContract {
  /** Short name of the shape: `ResultSet`, `AuthFailure`, … (unique within its endpoint and status). */
  readonly name: string;
  readonly status: number | readonly number[];
  /** Media type (parameters ignored); `null` = no body (content type not checked); absent = not checked. */
  readonly contentType?: 'application/json' | 'text/html' | null;
  /** JSON Schema (draft-07) of the parsed body; absent = body not checked beyond its content type. */
  readonly schema?: object;
  readonly fidelity: Fidelity;
  readonly fields?: readonly FieldNote[];
  readonly reference: string;
}

/**
 * One endpoint: a method on a route pattern. `method: '*'` stands for every method the pattern
 * does not serve (405); `pattern: '*'` for every path of no route (404).
 *
 * @example
 * const c: EndpointContract | undefined = contractFor('POST', '/api/v2/statements')
 * c?.request.body // JSON Schema of { statement, timeout?, database?, … }
 */
export interface EndpointContract {
  readonly method: string;
  /** As in ROUTES: `/api/v2/statements/:handle`. */
  readonly pattern: string;
  readonly surface: Surface;
  readonly reference: string;
  readonly request: {
    /** JSON Schema of the headers (lower-case names) a client must send. */
    readonly headers?: object;
    /** JSON Schema of the JSON body. */
    readonly body?: object;
  };
  readonly responses: readonly ResponseContract[];
}

// ---- schema fragments ----------------------------------------------------------------------------

type Schema = Record<string, unknown>;

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const STRING: Schema = { type: 'string' };
const NON_EMPTY: Schema = { type: 'string', minLength: 1 };
const BOOLEAN: Schema = { type: 'boolean' };
const COUNT: Schema = { type: 'integer', minimum: 0 };
const COUNT_OR_NULL: Schema = { type: ['integer', 'null'], minimum: 0 };
const STRING_OR_NULL: Schema = { type: ['string', 'null'] };
/** Snowflake codes are strings of digits (drivers §2.3: drivers compare strings). */
const CODE: Schema = { type: 'string', pattern: '^[0-9]+$' };
const SQL_STATE: Schema = { type: 'string', pattern: '^[0-9A-Z]{5}$' };
const STATUS_URL: Schema = { type: 'string', pattern: '^/api/v2/statements/[^/?]+' };
const TIMESTAMP: Schema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' };

const arrayOf = (items: Schema): Schema => ({ type: 'array', items });

/** An object with exactly these properties; all required except `optional`. */
function exactly(properties: Record<string, Schema>, optional: readonly string[] = []): Schema {
  const required = Object.keys(properties).filter((k) => !optional.includes(k));
  return { type: 'object', required, properties, additionalProperties: false };
}

/** Marks a fragment as a top-level schema. */
const root = (schema: Schema): Schema => ({ $schema: DRAFT_07, ...schema });

/** `{code, message}`, exactly: SQL/REST API auth and payload errors (auth-surface §5.3). */
const API_ERROR = exactly({ code: CODE, message: STRING });

/** {@link API_ERROR} with a fixed code (and optionally a message schema). */
function apiError(code: string, message?: Schema): Schema {
  const properties: Record<string, Schema> = { code: { const: code }, ...(message && { message }) };
  return root({ allOf: [API_ERROR, { type: 'object', properties }] });
}

const ROW_TYPE = exactly({
  name: STRING,
  database: STRING,
  schema: STRING,
  table: STRING,
  scale: COUNT_OR_NULL,
  precision: COUNT_OR_NULL,
  length: COUNT_OR_NULL,
  // Lower-case in the reference example ("text", "fixed").
  type: { type: 'string', pattern: '^[a-z_]+$' },
  nullable: BOOLEAN,
  byteLength: COUNT_OR_NULL,
  collation: STRING_OR_NULL,
});

const RESULT_SET = exactly(
  {
    resultSetMetaData: exactly({
      numRows: COUNT,
      format: { const: 'jsonv2' },
      rowType: arrayOf(ROW_TYPE),
      partitionInfo: arrayOf(exactly({ rowCount: COUNT, uncompressedSize: COUNT, compressedSize: COUNT }, ['compressedSize'])),
    }),
    // Every cell is a string; SQL NULL is null (or "null" with nullable=false).
    data: arrayOf(arrayOf(STRING_OR_NULL)),
    code: { enum: ['090001', '391908'] },
    statementStatusUrl: STATUS_URL,
    requestId: NON_EMPTY,
    sqlState: { const: '00000' },
    statementHandle: NON_EMPTY,
    statementHandles: arrayOf(NON_EMPTY),
    message: STRING,
    createdOn: COUNT,
  },
  ['statementHandles'],
);

const QUERY_STATUS = exactly({ code: { const: '333334' }, message: STRING, statementHandle: NON_EMPTY, statementStatusUrl: STATUS_URL });

const QUERY_FAILURE = exactly({ code: CODE, message: STRING, sqlState: SQL_STATE, statementHandle: NON_EMPTY });

const CANCELLED = exactly({
  code: { const: '000604' },
  sqlState: { const: '57014' },
  message: { const: 'SQL execution canceled' },
  statementHandle: NON_EMPTY,
  statementStatusUrl: STATUS_URL,
});

/** `{message, error_code, request_id}`: REST resource errors. */
const REST_ERROR = exactly({ message: STRING, error_code: CODE, request_id: NON_EMPTY });

const DATABASE = exactly({
  name: NON_EMPTY,
  kind: { enum: ['PERMANENT', 'TRANSIENT'] },
  comment: STRING_OR_NULL,
  created_on: TIMESTAMP,
  dropped_on: { anyOf: [TIMESTAMP, { type: 'null' }] },
  is_current: BOOLEAN,
  is_default: BOOLEAN,
  owner: STRING,
  owner_role_type: STRING,
  data_retention_time_in_days: COUNT,
  max_data_extension_time_in_days: COUNT,
});

const WAREHOUSE = exactly({
  name: NON_EMPTY,
  state: { enum: ['STARTED', 'SUSPENDED', 'RESIZING'] },
  type: { enum: ['STANDARD', 'SNOWPARK-OPTIMIZED'] },
  size: NON_EMPTY,
  owner: STRING,
  owner_role_type: STRING,
  auto_suspend: COUNT_OR_NULL,
  auto_resume: { enum: ['true', 'false'] },
  created_on: TIMESTAMP,
});

// ---- request schemas (auth-surface §5.2) ---------------------------------------------------------

const TOKEN_TYPE: Schema = { enum: ['KEYPAIR_JWT', 'OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN', 'WORKLOAD_IDENTITY_FEDERATION'] };
const BEARER_HEADERS = {
  authorization: { type: 'string', pattern: '^Bearer \\S' },
  'x-snowflake-authorization-token-type': TOKEN_TYPE,
  accept: STRING,
  'user-agent': STRING,
};

/** Required request headers: the bearer token, plus what auth-surface §5.2 lists as required. */
function headers(required: readonly string[], extra: Record<string, Schema> = {}): Schema {
  return root({ type: 'object', required: ['authorization', ...required], properties: { ...BEARER_HEADERS, ...extra } });
}

const SQL_HEADERS = headers(['accept', 'user-agent']);
const SUBMIT_HEADERS = headers(['accept', 'user-agent', 'content-type'], { 'content-type': { type: 'string', pattern: '^application/json' } });
const REST_HEADERS = headers([]);

const OBJECT: Schema = { type: 'object' };
/** `POST /api/v2/statements` body; other fields are accepted and ignored. */
const SUBMIT_BODY = root({
  type: 'object',
  required: ['statement'],
  properties: {
    statement: { type: 'string', pattern: '\\S' },
    timeout: COUNT,
    database: STRING,
    schema: STRING,
    warehouse: STRING,
    role: STRING,
    bindings: OBJECT,
    parameters: OBJECT,
  },
});

// ---- responses -----------------------------------------------------------------------------------

const JSON_TYPE = 'application/json';
const SQL_REF = 'auth-surface §5.3';

/** 401 on the SQL API: the documented `{code, message}` pair; which code a JWT or PAT gets is ours. */
const AUTH_FAILURE: ResponseContract = {
  name: 'AuthFailure',
  status: 401,
  contentType: JSON_TYPE,
  schema: root(API_ERROR),
  fidelity: 'documented',
  fields: [
    {
      path: '$.code',
      fidelity: 'inferred',
      note: '390303 (OAuth/missing token) is documented; 390144 for a key-pair JWT and 394400 for a PAT are ours (decisions/0004 rows "Key-pair JWT refused on the SQL/REST API", "PAT refused on the API")',
    },
  ],
  reference: SQL_REF,
};

/** 401 on the REST API: the reference only says to assume the SQL API's pair. */
const REST_AUTH_FAILURE: ResponseContract = {
  name: 'AuthFailure',
  status: 401,
  contentType: JSON_TYPE,
  schema: root(API_ERROR),
  fidelity: 'inferred',
  reference: 'auth-surface §5.3 (REST API auth errors UNCONFIRMED: "assume the same {code, message} pair with 401")',
};

const NETWORK_POLICY: ResponseContract = {
  name: 'NetworkPolicyRefusal',
  status: 403,
  contentType: JSON_TYPE,
  schema: apiError('390422', { type: 'string', pattern: '^Incoming request with IP/Token \\S+ is not allowed to access Snowflake\\.' }),
  fidelity: 'inferred',
  reference: 'auth-surface §4.4; decisions/0004 row "Network policy refuses an API request"',
};

const UNKNOWN_HOST: ResponseContract = {
  name: 'UnknownAccountHost',
  status: 403,
  contentType: JSON_TYPE,
  schema: apiError('390144', { const: 'Invalid account name or host.' }),
  fidelity: 'driver-observed',
  reference: 'auth-surface §2.4; drivers §3.1 (gosnowflake fixture); decisions/0004 row "Unknown account host"',
};

const INVALID_PAYLOAD: ResponseContract = {
  name: 'InvalidPayload',
  status: 400,
  contentType: JSON_TYPE,
  schema: apiError('390142', { const: 'Incoming request does not contain a valid payload.' }),
  fidelity: 'documented',
  reference: SQL_REF,
};

const METHOD_NOT_ALLOWED: ResponseContract = { name: 'MethodNotAllowed', status: 405, contentType: null, fidelity: 'documented', reference: `${SQL_REF} (405: empty body)` };

const UNSUPPORTED_MEDIA_TYPE: ResponseContract = { name: 'UnsupportedMediaType', status: 415, contentType: null, fidelity: 'documented', reference: `${SQL_REF} (415)` };

const NOT_ACCEPTABLE: ResponseContract = {
  name: 'NotAcceptable',
  status: 422,
  contentType: null,
  fidelity: 'inferred',
  reference: `${SQL_REF} (422 for a non-JSON media type; the body is UNCONFIRMED, ours is empty); decisions/0004 row "Check order on the SQL API"`,
};

const NOT_FOUND: ResponseContract = { name: 'NotFound', status: 404, contentType: null, fidelity: 'documented', reference: `${SQL_REF} (404 unknown endpoint, no body)` };

const RESULT_SET_RESPONSE: ResponseContract = {
  name: 'ResultSet',
  status: 200,
  contentType: JSON_TYPE,
  schema: root(RESULT_SET),
  fidelity: 'documented',
  fields: [
    { path: '$.requestId', fidelity: 'inferred', note: 'not in the reference field list; the requestId query parameter, else a generated uuid' },
    { path: '$.resultSetMetaData.rowType[].database', fidelity: 'inferred', note: 'always "" (the mock runs no table queries); same for schema and table' },
  ],
  reference: SQL_REF,
};

const QUERY_STATUS_RESPONSE: ResponseContract = { name: 'QueryStatus', status: 202, contentType: JSON_TYPE, schema: root(QUERY_STATUS), fidelity: 'documented', reference: `${SQL_REF} (async=true)` };

/** 422 `QueryFailureStatus` of a statement the mock does not run, or a role the credential may not use. */
const STATEMENT_FAILED: ResponseContract = {
  name: 'QueryFailureStatus',
  status: 422,
  contentType: JSON_TYPE,
  schema: root(QUERY_FAILURE),
  fidelity: 'documented',
  fields: [
    {
      path: '$.code',
      fidelity: 'inferred',
      note: '001003 for a statement the mock does not run or cannot parse (decisions/0004 row "Unsupported statement"); 390189 for a role the credential may not use; the SQL commands answer 001422 (invalid value), 002002 (already exists), 002003 (does not exist or not authorized), 003001 (insufficient privileges) and 394401 (a PAT rule refused; number ours) — all in the catalogue',
    },
  ],
  reference: SQL_REF,
};

/** 422 `QueryFailureStatus` 000709 for an unknown (or another user's) handle: the status is ours. */
const UNKNOWN_HANDLE: ResponseContract = {
  name: 'QueryFailureStatus',
  status: 422,
  contentType: JSON_TYPE,
  schema: root(QUERY_FAILURE),
  fidelity: 'inferred',
  reference: `${SQL_REF}; catalogue 000709; decisions/0004 row "Statement of another user by handle"`,
};

const CANCELLED_RESPONSE: ResponseContract = { name: 'CancelStatus', status: 200, contentType: JSON_TYPE, schema: root(CANCELLED), fidelity: 'documented', reference: `${SQL_REF} (200 cancel)` };

/** Only the path of the REST API is in the reference; these bodies are ours (http/endpoints/rest-api.ts). */
const REST_REF = 'auth-surface §3.3, §5.1 (path only; the body follows the Snowflake REST API resource, UNCONFIRMED here)';

const DATABASE_LIST: ResponseContract = { name: 'DatabaseList', status: 200, contentType: JSON_TYPE, schema: root(arrayOf(DATABASE)), fidelity: 'inferred', reference: REST_REF };
const DATABASE_RESPONSE: ResponseContract = { name: 'Database', status: 200, contentType: JSON_TYPE, schema: root(DATABASE), fidelity: 'inferred', reference: REST_REF };
const WAREHOUSE_LIST: ResponseContract = { name: 'WarehouseList', status: 200, contentType: JSON_TYPE, schema: root(arrayOf(WAREHOUSE)), fidelity: 'inferred', reference: REST_REF };

const DATABASE_NOT_FOUND: ResponseContract = {
  name: 'DatabaseNotFound',
  status: 404,
  contentType: JSON_TYPE,
  schema: root(REST_ERROR),
  fidelity: 'inferred',
  reference: 'auth-surface §5.3 (REST API error bodies UNCONFIRMED); catalogue 002003 (error_code "002003")',
};

// ---- endpoints -----------------------------------------------------------------------------------

/** What every bearer-gated endpoint can answer before it runs (auth-surface §5.2, §4). */
const SQL_GATE = [AUTH_FAILURE, NETWORK_POLICY, UNKNOWN_HOST];
const REST_GATE = [REST_AUTH_FAILURE, NETWORK_POLICY, UNKNOWN_HOST];

function endpoint(method: string, pattern: string, reference: string, request: EndpointContract['request'], responses: readonly ResponseContract[], surface: Surface = 'api'): EndpointContract {
  return { method, pattern, surface, reference, request, responses };
}

// --- Snowflake OAuth (reference §1) -------------------------------------------------------------

const OAUTH_REF = 'auth-surface §1.2–§1.4';
const HTML_TYPE = 'text/html';

const AUTHORIZE_PAGE: ResponseContract = { name: 'SignInOrConsentPage', status: 200, contentType: HTML_TYPE, fidelity: 'inferred', reference: `${OAUTH_REF} (the mock's own sign-in and consent pages)` };
const AUTHORIZE_REDIRECT: ResponseContract = { name: 'RedirectToClient', status: 302, contentType: null, fidelity: 'documented', reference: 'auth-surface §1.2 (302 to redirect_uri with code, state, scope)' };
const AUTHORIZE_ERROR_PAGE: ResponseContract = { name: 'AuthorizeErrorPage', status: [400, 403], contentType: HTML_TYPE, fidelity: 'inferred', reference: 'auth-surface §1.6 (delivery UNCONFIRMED: an error page, never a redirect, RFC 6749 §4.1.2.1)' };

const TOKEN_RESPONSE: ResponseContract = {
  name: 'TokenResponse',
  status: 200,
  contentType: JSON_TYPE,
  schema: root(exactly({ access_token: NON_EMPTY, expires_in: { type: 'integer', minimum: 1 }, token_type: { const: 'Bearer' }, refresh_token: NON_EMPTY, username: NON_EMPTY }, ['refresh_token', 'username'])),
  fidelity: 'documented',
  // username only on the code exchange; refresh_token only when issued (refresh_token scope, OAUTH_ISSUE_REFRESH_TOKENS, single-use rotation)
  reference: 'auth-surface §1.4 (success response), §1.5',
};

const TOKEN_ERROR: ResponseContract = {
  name: 'TokenError',
  status: [400, 401],
  contentType: JSON_TYPE,
  schema: root(exactly({ data: { type: 'null' }, message: STRING, code: { type: 'null' }, success: { const: false }, error: { enum: ['invalid_client', 'invalid_grant', 'unsupported_grant_type', 'invalid_request'] } })),
  // The body is documented; the HTTP statuses are not (UNCONFIRMED): 401 for invalid_client, 400 otherwise.
  fidelity: 'inferred',
  fields: [{ path: '$.error', fidelity: 'documented' }, { path: '$.success', fidelity: 'documented' }],
  reference: 'auth-surface §1.4 (unsuccessful response example), §1.6 (RFC error values)',
};

/** The page at Snowflake's redirect URI for SYSTEM$START_OAUTH_FLOW: the query string to copy into FINISH (issue #6). */
const COMPLETE_SECRET_PAGE: ResponseContract = { name: 'CompleteSecretPage', status: 200, contentType: HTML_TYPE, fidelity: 'inferred', reference: "auth-surface §6.3 (the redirect URI and its page are the mock's; decisions/0008)" };

const FORM_HEADERS = root({ type: 'object', required: ['content-type'], properties: { 'content-type': { type: 'string', pattern: '^application/x-www-form-urlencoded' }, authorization: { type: 'string', pattern: '^(Basic|Bearer) ' } } });

// --- Driver sessions (drivers §2–§4) ---------------------------------------------------------------

const DRIVERS_REF = 'drivers §2.1–§2.5, §4';
const NULL: Schema = { type: 'null' };
const INTEGER: Schema = { type: 'integer' };

/** `{data, code:null, message:null, success:true}`: the GS success envelope (drivers §2.2, §2.5, §4). */
const gsOk = (data: Schema): Schema => root(exactly({ data, code: NULL, message: NULL, success: { const: true } }));

/** `data` of a failure that asks the driver to retry (PAT/OAuth/MFA fixtures, drivers §2.3, §3.5). */
const RETRY_LOGIN_DATA = exactly({ nextAction: { const: 'RETRY_LOGIN' }, authnMethod: NON_EMPTY, signInOptions: OBJECT, loginName: STRING_OR_NULL }, ['loginName']);

/** HTTP 200 `{data, code:"<digits>", message, success:false, headers:null}` (drivers §2.3). */
const GS_FAILURE_SCHEMA = root(exactly({ data: { anyOf: [NULL, RETRY_LOGIN_DATA] }, code: CODE, message: STRING, success: { const: false }, headers: NULL }));

/** The unknown-account answer of the driver endpoints: the GS envelope with HTTP 403 (gosnowflake invalid_host.json). */
const UNKNOWN_HOST_GS: ResponseContract = {
  name: 'UnknownAccountHostGs',
  status: 403,
  contentType: JSON_TYPE,
  schema: root(exactly({ data: NULL, code: { const: '390144' }, message: { const: 'Invalid account name or host.' }, success: { const: false }, headers: NULL })),
  fidelity: 'driver-observed',
  reference: 'auth-surface §2.4; drivers §3.1 (gosnowflake fixture auth/password/invalid_host.json, a driver test artifact)',
};

/** Any refusal of a driver-session endpoint: login codes, session-token codes, 390400, 390422. */
const GS_FAILURE: ResponseContract = {
  name: 'GsFailure',
  status: 200,
  contentType: JSON_TYPE,
  schema: GS_FAILURE_SCHEMA,
  fidelity: 'driver-observed',
  fields: [
    {
      path: '$.code',
      fidelity: 'inferred',
      note: '390100, 390104, 390112, 390144, 390303, 390318, 394400, 394508 are in driver fixtures; 390101, 390102, 390111, 390113–390115, 390189, 390309, 390400, 390422 on these endpoints and which rule gives which are ours (catalogue)',
    },
    { path: '$.data', fidelity: 'inferred', note: 'null, or {nextAction:"RETRY_LOGIN", authnMethod, signInOptions:{}} (+ loginName for MFA) as in the PAT/OAuth/MFA fixtures' },
  ],
  reference: 'drivers §2.3 (verified with snowflake-sdk 3.3.0), §4',
};

const SESSION_PARAMETER = exactly({ name: NON_EMPTY, value: { type: ['string', 'number', 'boolean'] } });

const LOGIN_SUCCESS: ResponseContract = {
  name: 'LoginSuccess',
  status: 200,
  contentType: JSON_TYPE,
  schema: gsOk(
    exactly({
      token: NON_EMPTY,
      masterToken: NON_EMPTY,
      validityInSeconds: COUNT,
      masterValidityInSeconds: COUNT,
      sessionId: COUNT,
      displayUserName: NON_EMPTY,
      serverVersion: NON_EMPTY,
      firstLogin: BOOLEAN,
      remMeToken: NULL,
      remMeValidityInSeconds: COUNT,
      healthCheckInterval: COUNT,
      newClientForUpgrade: NULL,
      parameters: arrayOf(SESSION_PARAMETER),
      sessionInfo: exactly({ databaseName: STRING_OR_NULL, schemaName: STRING_OR_NULL, warehouseName: STRING_OR_NULL, roleName: NON_EMPTY }),
      idToken: NULL,
      idTokenValidityInSeconds: COUNT,
      mfaToken: STRING_OR_NULL,
      mfaTokenValidityInSeconds: COUNT,
      responseData: NULL,
    }),
  ),
  fidelity: 'driver-observed',
  fields: [{ path: '$.data.parameters', fidelity: 'inferred', note: 'the array shape is in the fixtures; which parameters and values the mock sends are ours' }],
  reference: 'drivers §2.2 (the full shape of all four drivers\' WireMock fixtures)',
};

const RENEW_SUCCESS: ResponseContract = {
  name: 'RenewSuccess',
  status: 200,
  contentType: JSON_TYPE,
  schema: gsOk(exactly({ sessionToken: NON_EMPTY, validityInSecondsST: COUNT, masterToken: NON_EMPTY, validityInSecondsMT: COUNT, sessionId: COUNT })),
  fidelity: 'driver-observed',
  reference: 'drivers §4 (renewal fixture shape; Python reads only data.sessionToken)',
};

const QUERY_RESULT: ResponseContract = {
  name: 'QueryResult',
  status: 200,
  contentType: JSON_TYPE,
  schema: gsOk(
    exactly({
      parameters: arrayOf(SESSION_PARAMETER),
      rowtype: arrayOf(ROW_TYPE),
      // Values are strings (drivers §2.4); SQL NULL is null.
      rowset: arrayOf(arrayOf(STRING_OR_NULL)),
      total: COUNT,
      returned: COUNT,
      queryId: NON_EMPTY,
      databaseProvider: NULL,
      finalDatabaseName: STRING_OR_NULL,
      finalSchemaName: STRING_OR_NULL,
      finalWarehouseName: STRING_OR_NULL,
      finalRoleName: NON_EMPTY,
      numberOfBinds: COUNT,
      arrayBindSupported: BOOLEAN,
      statementTypeId: COUNT,
      version: INTEGER,
      sendResultTime: COUNT,
      queryResultFormat: { const: 'json' },
      queryContext: exactly({ entries: { type: 'array' } }),
    }),
  ),
  fidelity: 'driver-observed',
  fields: [{ path: '$.data.statementTypeId', fidelity: 'inferred', note: '4096 for SELECT is verified (drivers §2.4); SHOW/DESCRIBE 0x4000 and DDL 0x6000 are ours' }],
  reference: 'drivers §2.4 (verified minimal shape plus the fuller realistic fields of the python fixture select_1_successful.json)',
};

/** A statement the SQL layer refused inside a session: GS envelope with the query's data. */
const QUERY_FAILURE_GS: ResponseContract = {
  name: 'QueryFailure',
  status: 200,
  contentType: JSON_TYPE,
  schema: root(
    exactly({
      data: exactly({ internalError: BOOLEAN, errorCode: CODE, age: COUNT, sqlState: SQL_STATE, queryId: NON_EMPTY, line: INTEGER, pos: INTEGER, type: NON_EMPTY }),
      code: CODE,
      message: STRING,
      success: { const: false },
      headers: NULL,
    }),
  ),
  fidelity: 'inferred',
  fields: [{ path: '$.success', fidelity: 'driver-observed' }],
  reference: 'drivers §2.3–§2.4 (HTTP 200 + success:false is observed; the data fields of a query failure are ours)',
};

const SESSION_CLOSED: ResponseContract = { name: 'SessionClosed', status: 200, contentType: JSON_TYPE, schema: gsOk(NULL), fidelity: 'driver-observed', reference: 'drivers §2.5 (close session)' };
const HEARTBEAT_OK: ResponseContract = {
  name: 'HeartbeatOk',
  status: 200,
  contentType: JSON_TYPE,
  schema: gsOk(NULL),
  fidelity: 'inferred',
  reference: 'drivers §2.5 (the sdk expects {"success":true}; the other envelope keys are ours, as on every GS endpoint)',
};
const TELEMETRY_RECEIVED: ResponseContract = { name: 'TelemetryReceived', status: 200, contentType: JSON_TYPE, schema: gsOk({ const: 'Log Received' }), fidelity: 'driver-observed', reference: 'drivers §2.5 (telemetry)' };

const SESSION_HEADERS = root({ type: 'object', required: ['authorization'], properties: { authorization: { type: 'string', pattern: '^Snowflake Token="[^"]+"$' } } });
const LOGIN_BODY = root({
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'object',
      properties: {
        AUTHENTICATOR: STRING,
        LOGIN_NAME: STRING,
        PASSWORD: STRING,
        TOKEN: STRING,
        PASSCODE: STRING,
        EXT_AUTHN_DUO_METHOD: { enum: ['passcode', 'push'] },
        passcodeInPassword: BOOLEAN,
        ACCOUNT_NAME: STRING,
        CLIENT_APP_ID: STRING,
        CLIENT_APP_VERSION: STRING,
        CLIENT_ENVIRONMENT: OBJECT,
        SESSION_PARAMETERS: OBJECT,
      },
    },
  },
});
const RENEW_BODY = root({ type: 'object', required: ['requestType', 'oldSessionToken'], properties: { requestType: { const: 'RENEW' }, oldSessionToken: NON_EMPTY } });
const QUERY_BODY = root({ type: 'object', required: ['sqlText'], properties: { sqlText: STRING, disableOfflineChunks: BOOLEAN, queryContextDTO: OBJECT, bindings: OBJECT, parameters: OBJECT, asyncExec: BOOLEAN, describeOnly: BOOLEAN } });

const SQL_API_REF = 'auth-surface §5.1–§5.3';
const REST_API_REF = 'auth-surface §3.3, §5.1';

const ENDPOINTS: readonly EndpointContract[] = [
  endpoint('POST', '/api/v2/statements', SQL_API_REF, { headers: SUBMIT_HEADERS, body: SUBMIT_BODY }, [
    RESULT_SET_RESPONSE,
    QUERY_STATUS_RESPONSE,
    INVALID_PAYLOAD,
    ...SQL_GATE,
    UNSUPPORTED_MEDIA_TYPE,
    STATEMENT_FAILED,
    NOT_ACCEPTABLE,
  ]),
  endpoint('GET', '/api/v2/statements/:handle', SQL_API_REF, { headers: SQL_HEADERS }, [RESULT_SET_RESPONSE, ...SQL_GATE, UNKNOWN_HANDLE]),
  endpoint('POST', '/api/v2/statements/:handle/cancel', SQL_API_REF, { headers: SQL_HEADERS }, [CANCELLED_RESPONSE, ...SQL_GATE, UNKNOWN_HANDLE]),
  endpoint('GET', '/api/v2/databases', REST_API_REF, { headers: REST_HEADERS }, [DATABASE_LIST, ...REST_GATE]),
  endpoint('GET', '/api/v2/databases/:name', REST_API_REF, { headers: REST_HEADERS }, [DATABASE_RESPONSE, DATABASE_NOT_FOUND, ...REST_GATE]),
  endpoint('GET', '/api/v2/warehouses', REST_API_REF, { headers: REST_HEADERS }, [WAREHOUSE_LIST, ...REST_GATE]),
  endpoint('GET', '/oauth/authorize', OAUTH_REF, {}, [AUTHORIZE_PAGE, AUTHORIZE_REDIRECT, AUTHORIZE_ERROR_PAGE, UNKNOWN_HOST], 'oauth-authorize'),
  endpoint('POST', '/oauth/authorize', OAUTH_REF, {}, [AUTHORIZE_PAGE, AUTHORIZE_REDIRECT, AUTHORIZE_ERROR_PAGE, UNKNOWN_HOST], 'oauth-authorize'),
  endpoint('POST', '/oauth/token-request', OAUTH_REF, { headers: FORM_HEADERS }, [TOKEN_RESPONSE, TOKEN_ERROR, NETWORK_POLICY, UNKNOWN_HOST], 'oauth-token'),
  endpoint('GET', '/oauth/complete-secret', 'auth-surface §6.3 (redirect URI UNCONFIRMED; decisions/0008)', {}, [COMPLETE_SECRET_PAGE, UNKNOWN_HOST], 'oauth-authorize'),
  endpoint('POST', '/session/v1/login-request', 'drivers §2.1–§2.3, §3', { body: LOGIN_BODY }, [LOGIN_SUCCESS, GS_FAILURE, UNKNOWN_HOST_GS], 'login'),
  endpoint('POST', '/session/token-request', 'drivers §4', { headers: SESSION_HEADERS, body: RENEW_BODY }, [RENEW_SUCCESS, GS_FAILURE, UNKNOWN_HOST_GS], 'session'),
  endpoint('POST', '/session/heartbeat', DRIVERS_REF, { headers: SESSION_HEADERS }, [HEARTBEAT_OK, GS_FAILURE, UNKNOWN_HOST_GS], 'session'),
  endpoint('POST', '/session', 'drivers §2.5 (POST /session?delete=true)', { headers: SESSION_HEADERS }, [SESSION_CLOSED, GS_FAILURE, UNKNOWN_HOST_GS], 'session'),
  endpoint('POST', '/queries/v1/query-request', 'drivers §2.4', { headers: SESSION_HEADERS, body: QUERY_BODY }, [QUERY_RESULT, GS_FAILURE, QUERY_FAILURE_GS, UNKNOWN_HOST_GS], 'session'),
  endpoint('POST', '/telemetry/send', 'drivers §2.5', { headers: SESSION_HEADERS }, [TELEMETRY_RECEIVED, GS_FAILURE, UNKNOWN_HOST_GS], 'session'),
];

/** Route patterns, in ROUTES order (the first match wins, as in the router). */
const PATTERNS = [...new Set(ENDPOINTS.map((e) => e.pattern))];

/** Every other method on a served path: 405 with an empty body. */
const surfaceOf = (pattern: string): Surface => ENDPOINTS.find((e) => e.pattern === pattern)?.surface ?? 'api';
const otherMethods = (pattern: string): EndpointContract => endpoint('*', pattern, SQL_REF, {}, [METHOD_NOT_ALLOWED, UNKNOWN_HOST], surfaceOf(pattern));

/** Any path of no route: 404 with an empty body. */
const UNKNOWN_PATH = endpoint('*', '*', SQL_REF, {}, [NOT_FOUND, UNKNOWN_HOST]);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Every endpoint contract: one per method of each route, one `*` method per route (405), and one
 * `*` path (404). Frozen: the schema fragments are shared between contracts.
 *
 * @example
 * CONTRACTS.find((c) => c.method === 'POST' && c.pattern === '/api/v2/statements')?.responses.map((r) => r.status)
 * // [200, 202, 400, 401, 403, 403, 415, 422, 422]
 */
export const CONTRACTS: readonly EndpointContract[] = deepFreeze([...ENDPOINTS, ...PATTERNS.map(otherMethods), UNKNOWN_PATH]);

// The router's own matcher, so contracts match paths exactly as the mock routes them.
const router = createRouter(PATTERNS.map((pattern) => ({ pattern, surface: 'api' as const, methods: {} })));
const byKey = new Map(CONTRACTS.map((c) => [`${c.method} ${c.pattern}`, c]));

/**
 * The contract that governs a request: the route's contract for the method, else the route's `*`
 * (405) contract, else the unknown-path (404) one. A query string on `path` is ignored.
 *
 * @example
 * contractFor('GET', '/api/v2/statements/01b2c3d4')?.pattern // '/api/v2/statements/:handle'
 * contractFor('DELETE', '/api/v2/databases')?.responses[0]?.status // 405
 * contractFor('GET', '/nowhere')?.pattern // '*'
 */
export function contractFor(method: string, path: string): EndpointContract | undefined {
  const pattern = router.match(path.split('?', 1)[0] ?? '')?.route.pattern ?? '*';
  return byKey.get(`${method.toUpperCase()} ${pattern}`) ?? byKey.get(`* ${pattern}`);
}

/**
 * A stable name for one response of one endpoint, e.g. for coverage of the declared responses.
 *
 * @example
 * responseKey(contract, contract.responses[0]) // 'POST /api/v2/statements 200 ResultSet'
 */
export function responseKey(contract: Pick<EndpointContract, 'method' | 'pattern'>, response: ResponseContract): string {
  const status = typeof response.status === 'number' ? response.status : response.status.join('|');
  return `${contract.method} ${contract.pattern} ${status} ${response.name}`;
}

// ---- the external OAuth provider (issue #6, decisions/0007) --------------------------------------

/**
 * A contract of the external OAuth provider the mock also plays. Its URLs are the world's
 * (OAUTH_TOKEN_ENDPOINT, OAUTH_AUTHORIZATION_ENDPOINT, any path of a provider host), so a contract
 * is found by the endpoint kind the answer names in `x-snowflake-auth-mock-provider`, not by path.
 *
 * @example
 * providerContractFor('POST', { 'x-snowflake-auth-mock-provider': 'token' })?.pattern // '<provider token endpoint>'
 */
export interface ProviderContract extends Omit<EndpointContract, 'surface'> {
  /** `token`, `authorize` or `resource`: the value of the marker header. */
  readonly kind: string;
}

const PROVIDER_REF = 'RFC 6749, RFC 6750, RFC 7523; reference §6 (the provider is a third party: its answers follow the RFCs, not Snowflake)';
const RFC_ERROR = (errors: readonly string[]): Schema => root(exactly({ error: { enum: [...errors] }, error_description: STRING }));
const SERVER_ERRORS = Array.from({ length: 100 }, (_, i) => 500 + i);

/** Any answer of a provider told to be down (mock.provider.down): the status it was given, RFC 6749 §5.2 body. */
const PROVIDER_DOWN: ResponseContract = {
  name: 'ProviderDown',
  status: SERVER_ERRORS,
  contentType: JSON_TYPE,
  schema: RFC_ERROR(['temporarily_unavailable']),
  fidelity: 'inferred',
  reference: 'RFC 6749 §5.2 (temporarily_unavailable); decisions/0007 (a down provider answers every request with its 5xx)',
};

const PROVIDER_METHOD_NOT_ALLOWED: ResponseContract = {
  name: 'ProviderMethodNotAllowed',
  status: 405,
  contentType: JSON_TYPE,
  schema: RFC_ERROR(['invalid_request']),
  fidelity: 'inferred',
  reference: 'RFC 9110 §15.5.6 (405 with Allow); the body is ours',
};

const PROVIDER_TOKEN_RESPONSE: ResponseContract = {
  name: 'ProviderTokenResponse',
  status: 200,
  contentType: JSON_TYPE,
  schema: root(exactly({ access_token: NON_EMPTY, token_type: { const: 'Bearer' }, expires_in: COUNT, refresh_token: NON_EMPTY, scope: STRING }, ['refresh_token'])),
  fidelity: 'documented',
  fields: [{ path: '$.scope', fidelity: 'inferred', note: 'RFC 6749 §5.1 makes scope optional when it equals the request; the mock always sends it' }],
  reference: 'RFC 6749 §5.1 (refresh_token only from the authorization code grant, decisions/0007)',
};

const PROVIDER_TOKEN_ERROR: ResponseContract = {
  name: 'ProviderTokenError',
  status: [400, 401],
  contentType: JSON_TYPE,
  schema: RFC_ERROR(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']),
  fidelity: 'documented',
  fields: [{ path: '$.error_description', fidelity: 'inferred', note: 'the texts are the mock\'s own' }],
  reference: 'RFC 6749 §5.2 (401 for invalid_client, with WWW-Authenticate: Basic when Basic was tried)',
};

const PROVIDER_CONSENT_PAGE: ResponseContract = { name: 'ProviderConsentPage', status: 200, contentType: HTML_TYPE, fidelity: 'inferred', reference: 'RFC 6749 §4.1.1 (the mock provider\'s own consent page)' };
const PROVIDER_REDIRECT: ResponseContract = { name: 'ProviderRedirect', status: 302, contentType: null, fidelity: 'documented', reference: 'RFC 6749 §4.1.2, §4.1.2.1 (code and state, or error and state, on redirect_uri)' };
const PROVIDER_ERROR_PAGE: ResponseContract = { name: 'ProviderErrorPage', status: 400, contentType: HTML_TYPE, fidelity: 'inferred', reference: 'RFC 6749 §4.1.2.1 (bad client_id or redirect_uri: no redirect; the page is ours)' };

const PROVIDER_RESOURCE: ResponseContract = {
  name: 'ProviderResource',
  status: 200,
  contentType: JSON_TYPE,
  schema: root(exactly({ sub: NON_EMPTY, scope: STRING, client_id: STRING, exp: COUNT })),
  fidelity: 'inferred',
  reference: 'RFC 6750 §2.1 (the body — who the token stands for, RFC 7662 field names — is the mock\'s own)',
};

const PROVIDER_BEARER_CHALLENGE: ResponseContract = {
  name: 'ProviderBearerChallenge',
  status: 401,
  contentType: JSON_TYPE,
  schema: root(exactly({ error: { const: 'invalid_token' }, error_description: STRING }, ['error'])),
  fidelity: 'documented',
  fields: [{ path: '$.error_description', fidelity: 'inferred', note: 'RFC 6750 puts the error in WWW-Authenticate; the JSON body is ours' }],
  reference: 'RFC 6750 §3, §3.1 (no error code when no token was sent)',
};

const UNKNOWN_PROVIDER: ResponseContract = {
  name: 'UnknownProvider',
  status: 404,
  contentType: JSON_TYPE,
  schema: RFC_ERROR(['unknown_provider']),
  fidelity: 'inferred',
  reference: 'decisions/0007 (/__provider/<host>/… naming a host no integration has an endpoint on)',
};

const IDP_JWKS: ResponseContract = {
  name: 'IdpJwks',
  status: 200,
  contentType: JSON_TYPE,
  schema: root(exactly({ keys: { type: 'array', items: exactly({ kty: { const: 'RSA' }, kid: NON_EMPTY, use: { const: 'sig' }, alg: { const: 'RS256' }, n: NON_EMPTY, e: NON_EMPTY }, ['use', 'alg']) } })),
  fidelity: 'documented',
  reference: 'RFC 7517 §5 (a JWK Set at EXTERNAL_OAUTH_JWS_KEYS_URL, reference §1.9)',
};

const IDP_METHOD_NOT_ALLOWED: ResponseContract = { ...PROVIDER_METHOD_NOT_ALLOWED, name: 'IdpMethodNotAllowed', reference: 'RFC 9110 §15.5.6 (405 with Allow); the RFC 6749-style JSON body is ours, like the provider\'s' };

function providerContract(kind: string, method: string, pattern: string, request: EndpointContract['request'], responses: readonly ResponseContract[]): ProviderContract {
  return { kind, method, pattern, reference: PROVIDER_REF, request, responses };
}

const TOKEN_PATTERN = '<provider token endpoint>';
const AUTHORIZE_PATTERN = '<provider authorization endpoint>';
const RESOURCE_PATTERN = '<provider host>';
const IDP_PATTERN = '<mock IdP token endpoint or JWKS URL>';
const AUTHORIZE_RESPONSES = [PROVIDER_CONSENT_PAGE, PROVIDER_REDIRECT, PROVIDER_ERROR_PAGE, PROVIDER_DOWN];

/**
 * Every contract of the provider: per kind, its methods and a `*` (405) contract; resources answer every method.
 *
 * @example
 * PROVIDER_CONTRACTS.map((c) => `${c.method} ${c.pattern}`)
 * // ['POST <provider token endpoint>', '* <provider token endpoint>', 'GET <provider authorization endpoint>', …]
 */
export const PROVIDER_CONTRACTS: readonly ProviderContract[] = deepFreeze([
  providerContract('token', 'POST', TOKEN_PATTERN, { headers: FORM_HEADERS }, [PROVIDER_TOKEN_RESPONSE, PROVIDER_TOKEN_ERROR, PROVIDER_DOWN]),
  providerContract('token', '*', TOKEN_PATTERN, {}, [PROVIDER_METHOD_NOT_ALLOWED, PROVIDER_DOWN]),
  providerContract('authorize', 'GET', AUTHORIZE_PATTERN, {}, AUTHORIZE_RESPONSES),
  providerContract('authorize', 'POST', AUTHORIZE_PATTERN, {}, AUTHORIZE_RESPONSES),
  providerContract('authorize', '*', AUTHORIZE_PATTERN, {}, [PROVIDER_METHOD_NOT_ALLOWED, PROVIDER_DOWN]),
  providerContract('resource', '*', RESOURCE_PATTERN, {}, [PROVIDER_RESOURCE, PROVIDER_BEARER_CHALLENGE, UNKNOWN_PROVIDER, PROVIDER_DOWN]),
  // External OAuth mock IdPs (reference §1.9): the token endpoint (client_credentials) and the JWKS URL.
  providerContract('idp', 'POST', IDP_PATTERN, { headers: FORM_HEADERS }, [PROVIDER_TOKEN_RESPONSE, PROVIDER_TOKEN_ERROR, IDP_METHOD_NOT_ALLOWED, PROVIDER_DOWN]),
  providerContract('idp', 'GET', IDP_PATTERN, {}, [IDP_JWKS, IDP_METHOD_NOT_ALLOWED, PROVIDER_DOWN]),
  providerContract('idp', '*', IDP_PATTERN, {}, [IDP_JWKS, IDP_METHOD_NOT_ALLOWED, PROVIDER_DOWN]),
]);

const providerByKey = new Map(PROVIDER_CONTRACTS.map((c) => [`${c.kind} ${c.method}`, c]));

/**
 * The provider contract of an answer, found by its marker header (kind) and the request method;
 * undefined when the answer is not the provider's.
 *
 * @example
 * providerContractFor('GET', { 'X-Snowflake-Auth-Mock-Provider': 'resource' })?.responses.map((r) => r.name)
 * // ['ProviderResource', 'ProviderBearerChallenge', 'UnknownProvider', 'ProviderDown']
 */
export function providerContractFor(method: string, headers: Readonly<Record<string, string>>): ProviderContract | undefined {
  let kind: string | undefined;
  for (const name in headers) if (name.toLowerCase() === PROVIDER_KIND_HEADER) kind = headers[name];
  if (kind === undefined) return undefined;
  return providerByKey.get(`${kind} ${method.toUpperCase()}`) ?? providerByKey.get(`${kind} *`);
}
