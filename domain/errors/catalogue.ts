/**
 * The error catalogue (DESIGN.md §5.3): every Snowflake code the mock can answer with, keyed by
 * code, with its message template, fidelity label, source and, per surface, the HTTP status and
 * body envelope. Data only: `http/respond.ts` turns an entry into a response, and
 * `docs/errors.md` is generated from this file (`npm run docs:errors`).
 *
 * Labelling rule (DESIGN.md §5.5): an entry's `fidelity` is the weaker of its number and its
 * message; each surface pairing carries its own label. Names Snowflake does not publish are ours
 * and listed in {@link COINED_NAMES}. Sources are public URLs and repository paths, written once
 * in `sources.ts`; an `inferred` entry names the decision under `decisions/` that records it.
 */
import type { CatalogueEntry, SurfaceForm } from './types.ts';
import type { Fidelity } from '../world/model.ts';
import { SOURCES as S, type Source } from './sources.ts';

// ---- surface forms -------------------------------------------------------------------------------

function form(status: number, envelope: SurfaceForm['envelope'], fidelity: Fidelity, note?: string): SurfaceForm {
  return note === undefined ? { status, envelope, fidelity } : { status, envelope, fidelity, note };
}

/** HTTP 200 + `{data, code, message, success:false}` on login-request and the other GS endpoints. */
const login200 = (fidelity: Fidelity, note?: string): SurfaceForm => form(200, 'login', fidelity, note);

const AUTHORIZE_NOTE =
  'delivery (error page vs redirect with ?error=) UNCONFIRMED; an error page, as RFC 6749 §4.1.2.1 requires for a bad client_id/redirect_uri';
const authorize400 = (): SurfaceForm => form(400, 'html', 'inferred', AUTHORIZE_NOTE);

const TOKEN_STATUS_NOTE = 'HTTP status of token-endpoint errors UNCONFIRMED (the docs give none); RFC 6749 §5.2 values';

/** `data` of a login failure that asks the driver to retry (the PAT and OAuth driver fixtures). */
const retryLogin = (authnMethod: string): Readonly<Record<string, unknown>> => ({
  nextAction: 'RETRY_LOGIN',
  authnMethod,
  signInOptions: {},
});

/** `data` of an MFA refusal (gosnowflake's MFA fixture); `{loginName}` comes from the request. */
const mfaRetry = (): Readonly<Record<string, unknown>> => ({
  authnMethod: 'USERNAME_PASSWORD',
  loginName: '{loginName}',
  nextAction: 'RETRY_LOGIN',
  signInOptions: {},
});

// ---- key-pair JWT family -------------------------------------------------------------------------

const JWT_MESSAGE = 'JWT token is invalid. {incident}';
const JWT_SURFACES = {
  login: login200('driver-observed', 'py fixture auth/keypair/jwt_token_invalid.json'),
  api: form(401, 'api', 'inferred', 'SQL/REST API answer 401 to bad tokens (SQL API reference); which code a bad JWT yields there is UNCONFIRMED'),
} as const;

/** A server-side JWT reason (3943xx): clients see 390144 unless the `jwt_specific_errors` switch is on. */
function jwtSpecific(code: string, name: string, when: string, source: Source = S.keyPairTroubleshooting): CatalogueEntry {
  return {
    code,
    name,
    message: JWT_MESSAGE,
    fidelity: 'documented',
    source,
    when,
    surfaces: JWT_SURFACES,
    wireCode: '390144',
    incident: 'uuid',
    sqlState: '28000',
  };
}

// ---- the catalogue -------------------------------------------------------------------------------

const ENTRIES: Record<string, CatalogueEntry> = {
  // -- SQL API statement results
  '000604': {
    code: '000604',
    name: 'SQL_EXECUTION_CANCELED',
    message: 'SQL execution canceled',
    fidelity: 'documented',
    source: S.sqlApiReference,
    when: 'A statement was cancelled through POST /api/v2/statements/{handle}/cancel.',
    surfaces: { api: form(200, 'query-failure', 'documented', 'the endpoint adds statementStatusUrl') },
    sqlState: '57014',
  },
  '000709': {
    code: '000709',
    name: 'STATEMENT_NOT_FOUND',
    message: 'Statement {handle} not found',
    fidelity: 'inferred',
    source: [S.sqlApiReference, S.decisionInferred],
    when: 'GET or cancel names a statement handle the account does not know.',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'status for an unknown handle UNCONFIRMED; 422 QueryFailureStatus chosen') },
    sqlState: '02000',
  },
  '001003': {
    code: '001003',
    name: 'SQL_COMPILATION_ERROR',
    message: "SQL compilation error:\nsyntax error line {line} at position {position} unexpected '{token}'.",
    fidelity: 'inferred',
    source: [S.sqlApiReference, S.decisionInferred],
    when: 'The SQL API is sent a statement the mock does not support.',
    surfaces: { api: form(422, 'query-failure', 'documented', 'failed statements answer 422 QueryFailureStatus (SQL API reference)') },
    sqlState: '42000',
  },
  '001422': {
    code: '001422',
    name: 'INVALID_PARAMETER_VALUE',
    message: "SQL compilation error:\ninvalid value [{value}] for parameter '{parameter}'",
    fidelity: 'inferred',
    source: [S.addPat, S.rotatePat, S.keyPairAuth, S.decisionInferred],
    when: 'A SQL command gives a value outside its documented range: DAYS_TO_EXPIRY, MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT, EXPIRE_ROTATED_TOKEN_AFTER_HOURS, an unusable RSA_PUBLIC_KEY, a bad token name.',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'number and text as seen in third-party test output (terraform provider, "001422 (22023) … invalid value"); UNCONFIRMED for these parameters') },
    sqlState: '22023',
  },
  '002002': {
    code: '002002',
    name: 'OBJECT_ALREADY_EXISTS',
    message: "SQL compilation error:\nObject '{name}' already exists.",
    fidelity: 'inferred',
    source: [S.addPat, S.pats, S.createDatabase, S.decisionInferred, S.decisionContext],
    when: 'ALTER USER … ADD PAT (without IF NOT EXISTS) or MODIFY PAT … RENAME TO names a token the user already has; CREATE DATABASE / CREATE SCHEMA (without OR REPLACE or IF NOT EXISTS) names one that exists (decisions/0015).',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'Snowflake\'s generic "already exists" error; not confirmed for PATs') },
    sqlState: '42710',
  },
  '002003': {
    code: '002003',
    name: 'OBJECT_DOES_NOT_EXIST_OR_NOT_AUTHORIZED',
    message: "SQL compilation error:\n{kind} '{name}' does not exist or not authorized.",
    fidelity: 'inferred',
    source: [S.sqlApiReference, S.useRole, S.embucketRestTests, S.decisionInferred, S.decisionContext],
    when: 'A SQL command names a user, role, programmatic access token, integration, network policy, secret, database, schema, application, application role, specification or configuration that does not exist (or is not visible); USE ROLE / USE SECONDARY ROLES names a role not granted to the user; CREATE SCHEMA names a missing database, CREATE SECRET a missing database or schema (decisions/0015).',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference); the "<Kind> \'<name>\' does not exist or not authorized." text is Snowflake\'s usual one (seen for roles in third-party output)') },
    sqlState: '02000',
  },
  '002003-rest': {
    code: '002003',
    name: 'OBJECT_DOES_NOT_EXIST_OR_NOT_AUTHORIZED',
    message: "SQL compilation error:\n{kind} '{name}' does not exist or not authorized.",
    fidelity: 'inferred',
    source: [S.restApiAuthentication, S.decisionInferred],
    when: 'A REST API resource (e.g. /api/v2/databases/{name}) does not exist or is not visible to the role.',
    surfaces: { api: form(404, 'rest-error', 'inferred', 'REST API error bodies UNCONFIRMED') },
  },
  '003001': {
    code: '003001',
    name: 'INSUFFICIENT_PRIVILEGES',
    message: "SQL access control error:\nInsufficient privileges to operate on {kind} '{name}'",
    fidelity: 'inferred',
    source: [S.keyPairAuth, S.pats, S.nativeAppSecretAuthorization, S.createDatabase, S.decisionInferred, S.decisionOutbound, S.decisionContext],
    when: "A SQL command acts on another user's keys or PATs (or DESC USER, SHOW … FOR USER) without OWNERSHIP / MODIFY PROGRAMMATIC AUTHENTICATION METHODS, or alters an integration it does not own (only ACCOUNTADMIN, SECURITYADMIN, USERADMIN; integrations: ACCOUNTADMIN, SECURITYADMIN); or an OAuth flow, configuration value, grant or approval lacks its grant: USAGE on the integration, MODIFY on the secret, an application role with MODIFY VALUE on the configuration, MANAGE APPLICATION SPECIFICATIONS (decisions/0008); or CREATE DATABASE runs in a role other than ACCOUNTADMIN or SYSADMIN (on account '<locator>'), CREATE SCHEMA in one that does not own the database (decisions/0015).",
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference); text is Snowflake\'s usual access-control error') },
    sqlState: '42501',
  },
  '002043': {
    code: '002043',
    name: 'OBJECT_DOES_NOT_EXIST_OR_CANNOT_BE_PERFORMED',
    message: 'SQL compilation error:\nObject does not exist, or operation cannot be performed.',
    fidelity: 'inferred',
    source: [S.useDatabase, S.snowAlertUseDatabase, S.embucketRestTests, S.decisionContext],
    when: 'USE [DATABASE] / USE SCHEMA / USE WAREHOUSE names one the account does not have; SHOW SCHEMAS IN DATABASE names a missing database.',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'the text is quoted for USE DATABASE (SnowAlert issue 381) and the number for SHOW SCHEMAS IN a missing database (Embucket tests); the same answer for USE SCHEMA and USE WAREHOUSE is inferred') },
    sqlState: '02000',
  },
  '090105': {
    code: '090105',
    name: 'NO_CURRENT_DATABASE',
    message: "Cannot perform {command}. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.",
    fidelity: 'inferred',
    source: [S.useSchema, S.fakesnowCursor, S.decisionContext],
    when: 'USE SCHEMA or CREATE SCHEMA names a schema by one part and the session has no current database.',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'number, text and sqlState as the fakesnow emulator words them; UNCONFIRMED against Snowflake') },
    sqlState: '22000',
  },
  '090001': {
    code: '090001',
    name: 'STATEMENT_EXECUTED_SUCCESSFULLY',
    message: 'Statement executed successfully.',
    fidelity: 'documented',
    source: S.sqlApiReference,
    when: 'A SQL API statement finished (not an error: the ResultSet carries this code).',
    surfaces: { api: form(200, 'api', 'documented', 'the endpoint builds the ResultSet around code and message') },
    sqlState: '00000',
  },
  // -- the mock's own answers (fidelity mock): no Snowflake code stands for them, so the numbers are
  //    6-digit ones Snowflake does not use (drivers parse codes as numbers), decisions/0016
  '999000': {
    code: '999000',
    name: 'MOCK_INTERNAL_ERROR',
    message: 'snowflake-auth-mock internal error; the journal entry of this request says what failed. Please report it.',
    fidelity: 'mock',
    source: S.decisionHardening,
    when: 'A bug of the mock: an endpoint threw or its promise rejected. No input is meant to reach this (the fuzz suite checks it); the body has the shape of the surface asked, so a client fails the way it would on a Snowflake 500.',
    surfaces: {
      login: form(500, 'login', 'mock', 'status 500 as Snowflake answers an internal failure; drivers retry a 5xx'),
      api: form(500, 'api', 'mock'),
      'oauth-token': form(500, 'oauth', 'mock', 'error server_error (RFC 6749 §4.1.2.1)'),
      'oauth-authorize': form(500, 'html', 'mock'),
    },
    oauthError: 'server_error',
  },
  '999001': {
    code: '999001',
    name: 'MOCK_STATEMENT_NOT_MODELLED',
    message: 'snowflake-auth-mock: this statement is not modelled ({statement}). Answer it with a statements: entry in the world or an onStatement hook; see README.md#statements-you-answer.',
    fidelity: 'mock',
    source: [S.readme, S.decisionStatements],
    when: 'No built-in command runs the statement, the onStatement hook does not answer it and no statements: entry matches (switch unmodelled_statements: error, the default; with empty it succeeds with no rows). Statements the mock runs but that are malformed stay 001003.',
    surfaces: { api: form(422, 'query-failure', 'documented', 'the envelope of a failed statement (SQL API reference); code and text are the mock\'s') },
    sqlState: '0A000',
  },
  '999002': {
    code: '999002',
    name: 'MOCK_STATEMENT_ANSWER_INVALID',
    message: 'snowflake-auth-mock: the onStatement hook {reason}; see README.md#statements-you-answer.',
    fidelity: 'mock',
    source: [S.readme, S.decisionStatements],
    when: 'The onStatement hook threw, its promise rejected or did not settle within the timeout (30 s by default), or it returned something that is not an answer (a result with rows or rows_affected, or an error).',
    surfaces: { api: form(422, 'query-failure', 'documented', 'the envelope of a failed statement (SQL API reference); code and text are the mock\'s') },
    sqlState: 'XX000',
  },
  '999003': {
    code: '999003',
    name: 'MOCK_LIMIT_REACHED',
    message: 'snowflake-auth-mock: {reason}; the mock bounds what SQL may add to it (see decisions/0015).',
    fidelity: 'mock',
    source: [S.decisionContext],
    when: 'A statement would grow the mock past one of its own bounds: more than 10 000 databases in an account or 10 000 schemas in a database (CREATE DATABASE / CREATE SCHEMA), or an ALTER SESSION SET value longer than 4096 characters. These are the mock\'s bounds (like its other stores), not Snowflake\'s.',
    surfaces: { api: form(422, 'query-failure', 'documented', 'the envelope of a failed statement (SQL API reference); code and text are the mock\'s') },
    sqlState: '54000',
  },

  // -- query progress
  '333333': {
    code: '333333',
    name: 'QUERY_IN_PROGRESS',
    message: 'Query execution in progress.',
    fidelity: 'inferred',
    source: [S.nodeStatement, S.goErrors, S.decisionDriverSessions],
    when: 'A query-request is still running; the driver polls data.getResultUrl.',
    surfaces: { login: login200('driver-observed', 'GS envelope of /queries/v1/query-request') },
  },
  '333334': {
    code: '333334',
    name: 'QUERY_IN_PROGRESS_ASYNC',
    message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
    fidelity: 'documented',
    source: [S.sqlApiReference, S.nodeStatement, S.goErrors],
    when: 'A statement is still running (sync call over 45 s, or async=true).',
    surfaces: {
      api: form(202, 'api', 'documented', 'the endpoint adds statementHandle and statementStatusUrl'),
      login: login200('driver-observed', 'GS envelope of /queries/v1/query-request'),
    },
  },

  // -- password, session and driver-handled codes
  '390100': {
    code: '390100',
    name: 'INCORRECT_USERNAME_PASSWORD',
    message: 'Incorrect username or password was specified.',
    fidelity: 'driver-observed',
    source: [S.goInvalidPassword, S.nodeGsErrors, S.driverTests],
    when: 'Password login with an unknown user or a wrong password.',
    surfaces: { login: login200('driver-observed', 'go fixture auth/password/invalid_password.json') },
    sqlState: '28000',
  },
  '390101': {
    code: '390101',
    name: 'USER_ACCESS_DISABLED',
    message: 'User access disabled. Contact your local system administrator.',
    fidelity: 'inferred',
    source: [S.decisionDriverSessions],
    when: 'Password login by a user with DISABLED = TRUE.',
    surfaces: { login: login200('inferred', 'disabled-user behaviour UNCONFIRMED') },
    sqlState: '28000',
  },
  '390102': {
    code: '390102',
    name: 'USER_TEMPORARILY_LOCKED',
    message: 'User temporarily locked. Contact your local system administrator or please try again later.',
    fidelity: 'inferred',
    source: [S.passwordPolicy, S.pats, S.decisionDriverSessions],
    when: 'Password login by a user locked by MINS_TO_UNLOCK or after 5 wrong passwords in a row (locked 15 minutes).',
    surfaces: { login: login200('inferred', 'lock-out behaviour UNCONFIRMED') },
    sqlState: '28000',
  },
  '390104': {
    code: '390104',
    name: 'SESSION_TOKEN_INVALID',
    message: 'Session token is invalid. Please login again.',
    fidelity: 'inferred',
    source: [S.nodeGsErrors, S.decisionDriverSessions],
    when: 'A request carries a session token the server does not know.',
    surfaces: { login: login200('driver-observed', 'sdk also handles HTTP 401 with this code (→ client 401004)') },
  },
  '390110': {
    code: '390110',
    name: 'ID_TOKEN_EXPIRED',
    message: 'ID token has expired. Please login again.',
    fidelity: 'inferred',
    source: [S.pyNetwork, S.decisionDriverSessions],
    when: 'A cached ID token (external browser) has expired; py re-authenticates.',
    surfaces: { login: login200('driver-observed') },
  },
  '390111': {
    code: '390111',
    name: 'GONE_SESSION',
    message: 'Session no longer exists. New login required to access the service.',
    fidelity: 'inferred',
    source: [S.nodeGsErrors, S.goErrors, S.decisionDriverSessions],
    when: 'The session was closed or dropped; the sdk treats destroy() answered with it as success.',
    surfaces: { login: login200('driver-observed') },
  },
  '390112': {
    code: '390112',
    name: 'SESSION_TOKEN_EXPIRED',
    message: 'Your session has expired. Please login again.',
    fidelity: 'driver-observed',
    source: [S.nodeSessionRenewal, S.nodeGsErrors, S.driverTests],
    when: 'The session token expired; the driver renews via /session/token-request and resends.',
    surfaces: { login: login200('driver-observed', 'node fixture session_token_renewal.json') },
  },
  '390113': {
    code: '390113',
    name: 'MASTER_TOKEN_NOTFOUND',
    message: 'Master token not found. Please login again.',
    fidelity: 'inferred',
    source: [S.pyNetwork, S.decisionDriverSessions],
    when: 'Renewal names a master token the server does not know.',
    surfaces: { login: login200('driver-observed') },
  },
  '390114': {
    code: '390114',
    name: 'MASTER_TOKEN_EXPIRED',
    message: 'Authentication token has expired. The user must authenticate again.',
    fidelity: 'inferred',
    source: [S.nodeGsErrors, S.driverTests, S.decisionDriverSessions],
    when: 'Renewal with an expired master token; the driver disconnects.',
    surfaces: { login: login200('driver-observed') },
  },
  '390115': {
    code: '390115',
    name: 'MASTER_TOKEN_INVALID',
    message: 'Master token is invalid. Please login again.',
    fidelity: 'inferred',
    source: [S.pyNetwork, S.decisionDriverSessions],
    when: 'Renewal with a malformed or revoked master token.',
    surfaces: { login: login200('driver-observed') },
  },
  '390195': {
    code: '390195',
    name: 'ID_TOKEN_INVALID',
    message: 'The provided ID Token is invalid.',
    fidelity: 'inferred',
    source: [S.nodeGsErrors, S.decisionDriverSessions],
    when: 'Login with a cached ID token the server rejects; the driver re-runs the browser flow.',
    surfaces: { login: login200('driver-observed') },
  },
  '390201': {
    code: '390201',
    name: 'OBJECT_NOT_EXIST_OR_NOT_AUTHORIZED',
    message: 'The requested object does not exist or not authorized.',
    fidelity: 'inferred',
    source: [S.goErrors, S.decisionDriverSessions],
    when: 'Login names a database, schema or warehouse that does not exist or is not authorized.',
    surfaces: { login: login200('inferred') },
  },
  '390400': {
    code: '390400',
    name: 'BAD_REQUEST',
    message: 'Bad request. Please check the request and try again.',
    fidelity: 'inferred',
    source: [S.pyNetwork, S.decisionDriverSessions, S.decisionHardening],
    when: 'A session request the server cannot parse (also a JSON body or a key-pair JWT part nested more than 64 levels deep: the depth limit is ours, inferred, decisions/0017); py treats it as re-authentication required on renewal.',
    surfaces: { login: login200('driver-observed') },
  },
  '390401': {
    code: '390401',
    name: 'LOGIN_FAILED',
    message: 'Login failed.',
    fidelity: 'driver-observed',
    source: S.pyJwtGenericLoginError,
    when: 'Generic login failure (py key-pair fixture).',
    surfaces: { login: login200('driver-observed', 'py fixture auth/keypair/jwt_generic_login_error.json') },
  },
  '390511': {
    code: '390511',
    name: 'SSO_URL_GENERATION_FAILED',
    message: "SSO URL generation failed in External browser's SAML Request flow.",
    fidelity: 'driver-observed',
    source: S.nodeSsoUrlError,
    when: 'POST /session/authenticator-request cannot produce an SSO URL.',
    surfaces: { login: login200('driver-observed', 'node fixture external_browser/authenticator_request_error.json') },
  },

  // -- key-pair JWT
  '390144': {
    code: '390144',
    name: 'JWT_TOKEN_INVALID',
    message: JWT_MESSAGE,
    fidelity: 'documented',
    source: [S.keyPairTroubleshooting, S.pyJwtInvalid],
    when: 'Any rejected key-pair JWT (the specific 3943xx reason is recorded server-side only).',
    surfaces: JWT_SURFACES,
    incident: 'uuid',
    sqlState: '28000',
  },
  '390144-host': {
    code: '390144',
    name: 'INVALID_ACCOUNT_OR_HOST',
    message: 'Invalid account name or host.',
    fidelity: 'driver-observed',
    source: S.goInvalidHost,
    when: 'The account in the request does not exist on this host (go fixture; a driver test artifact).',
    surfaces: {
      login: form(403, 'login', 'driver-observed', 'go fixture auth/password/invalid_host.json; a driver test artifact, UNCONFIRMED as server behaviour'),
      api: form(403, 'api', 'driver-observed', 'same go fixture; a driver test artifact, UNCONFIRMED as server behaviour'),
    },
  },
  '394300': jwtSpecific('394300', 'JWT_TOKEN_INVALID_USER_IN_ISSUER', 'The user in iss does not exist (iss must carry LOGIN_NAME).'),
  '394301': jwtSpecific('394301', 'JWT_TOKEN_MISSING_ISSUE_OR_EXPIRATION_TIME', 'The JWT has no iat or no exp.'),
  '394302': jwtSpecific('394302', 'JWT_TOKEN_INVALID_ISSUE_TIME', 'The JWT arrived more than 60 s after iat.'),
  '394303': jwtSpecific('394303', 'JWT_TOKEN_INVALID_EXPIRATION_TIME', 'The JWT has expired (exp in the past).'),
  '394304': jwtSpecific(
    '394304',
    'JWT_TOKEN_INVALID_PUBLIC_KEY_FINGERPRINT_MISMATCH',
    "The fingerprint in iss matches neither of the user's RSA_PUBLIC_KEY_FP / RSA_PUBLIC_KEY_2_FP.",
  ),
  '394305': jwtSpecific('394305', 'JWT_TOKEN_INVALID_ALGORITHM', 'The JWT is not signed with RS256.'),
  '394306': jwtSpecific('394306', 'JWT_TOKEN_INVALID_SIGNATURE', 'The JWT signature does not verify.'),
  '394307': jwtSpecific(
    '394307',
    'JWT_TOKEN_ACCOUNT_MISMATCH',
    'The account in the JWT differs from the account of the request URL.',
    S.loginFailureDetails,
  ),

  // -- MFA
  '394508': {
    code: '394508',
    name: 'MFA_REQUIRED',
    message: 'Failed to authenticate: MFA with TOTP is required. To authenticate, provide both your password and a current TOTP passcode.',
    fidelity: 'driver-observed',
    source: S.goMfaRequired,
    when: 'Password login by a user enrolled in MFA without a passcode, push or valid cached MFA token.',
    surfaces: { login: login200('driver-observed', 'go fixture auth/mfa/parallel_login_first_fails_then_successful_flow.json') },
    loginData: mfaRetry(),
  },
  '394508-passcode': {
    code: '394508',
    name: 'MFA_PASSCODE_INVALID',
    message: 'Failed to authenticate: TOTP Invalid.',
    fidelity: 'inferred',
    source: [S.goMfaRequired, S.decisionDriverSessions],
    when: 'Password login with a wrong MFA passcode (neither the fixed passcode nor the current TOTP code).',
    surfaces: { login: login200('inferred', 'code of a wrong passcode UNCONFIRMED; "TOTP Invalid." reported by third-party drivers') },
    loginData: mfaRetry(),
  },

  // -- programmatic access tokens
  '394400': {
    code: '394400',
    name: 'PAT_INVALID',
    message: 'Programmatic access token is invalid.',
    fidelity: 'driver-observed',
    source: [S.pats, S.goPatInvalid, S.pyPatInvalid, S.nodePatInvalid],
    when: 'A PAT is unknown, expired, disabled or otherwise unusable (causes are journal-only).',
    surfaces: {
      login: login200('driver-observed', 'PAT fixtures (go, py)'),
      api: form(401, 'api', 'inferred', 'SQL/REST API answer 401 to bad tokens (SQL API reference); the code there is UNCONFIRMED'),
    },
    loginData: retryLogin('PAT'),
  },

  '394401': {
    code: '394401',
    name: 'PAT_OPERATION_NOT_ALLOWED',
    message: 'SQL execution error:\n{reason}',
    fidelity: 'inferred',
    source: [S.addPat, S.rotatePat, S.pats, S.decisionInferred],
    when: 'ADD/MODIFY/ROTATE/REMOVE PAT refused by a PAT rule: the 15-token limit, a service user without ROLE_RESTRICTION or network policy, a role restriction not granted to the user, or a session authenticated with a PAT of the same user.',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'the docs give these rules but no error; number and text are ours') },
    sqlState: '42501',
  },

  // -- outbound OAuth and Native App configuration (decisions/0008).
  // Snowflake publishes no numbers for these: the numbers and names are ours, the texts inferred
  // except 394616, the docs' exact words.
  '394610': {
    code: '394610',
    name: 'OAUTH_FLOW_NOT_STARTED',
    message: 'SQL execution error:\nNo OAuth flow was started in this session. Call SYSTEM$START_OAUTH_FLOW, complete the consent in a browser, then call SYSTEM$FINISH_OAUTH_FLOW in the same session.',
    fidelity: 'inferred',
    source: [S.finishOAuthFlow, S.decisionOutbound],
    when: 'SYSTEM$FINISH_OAUTH_FLOW in a session with no pending SYSTEM$START_OAUTH_FLOW (never started, already finished, expired after 10 minutes — cause OAUTH_FLOW_EXPIRED —, or the state names no flow; every SQL API request is a session of its own, which keeps no flow).',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference)') },
    sqlState: '55000',
  },
  '394611': {
    code: '394611',
    name: 'OAUTH_FLOW_OTHER_SESSION',
    message: 'SQL execution error:\nThe OAuth flow was started in another session. Call SYSTEM$FINISH_OAUTH_FLOW in the session that called SYSTEM$START_OAUTH_FLOW.',
    fidelity: 'inferred',
    source: [S.finishOAuthFlow, S.decisionOutbound],
    when: 'SYSTEM$FINISH_OAUTH_FLOW with the state of a flow another driver session started.',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference)') },
    sqlState: '55000',
  },
  '394612': {
    code: '394612',
    name: 'OAUTH_FLOW_STATE_MISMATCH',
    message: 'SQL execution error:\nThe state in the query string does not match the OAuth flow started in this session.',
    fidelity: 'inferred',
    source: [S.finishOAuthFlow, S.decisionOutbound],
    when: "SYSTEM$FINISH_OAUTH_FLOW's query string has no state, or a state other than the one this session's SYSTEM$START_OAUTH_FLOW issued.",
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference)') },
    sqlState: '22023',
  },
  '394613': {
    code: '394613',
    name: 'OAUTH_PROVIDER_ERROR',
    message: 'SQL execution error:\nThe OAuth provider returned an error: {error} ({description}).',
    fidelity: 'inferred',
    source: [S.finishOAuthFlow, S.rfc6749, S.decisionOutbound],
    when: 'The redirect carried error=… (e.g. access_denied: the consumer declined), or the provider refused the code exchange, a refresh or a client-credentials grant (e.g. invalid_grant, invalid_client).',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference)') },
    sqlState: '08004',
  },
  '394614': {
    code: '394614',
    name: 'OAUTH_FLOW_QUERY_STRING_INVALID',
    message: 'SQL execution error:\nInvalid query string for SYSTEM$FINISH_OAUTH_FLOW: {reason}.',
    fidelity: 'inferred',
    source: [S.finishOAuthFlow, S.decisionOutbound],
    when: 'The query string given to SYSTEM$FINISH_OAUTH_FLOW carries neither code (or authz_code) nor error.',
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference)') },
    sqlState: '22023',
  },
  '394615': {
    code: '394615',
    name: 'SECURITY_INTEGRATION_DISABLED',
    message: "SQL execution error:\nSecurity integration '{name}' is disabled.",
    fidelity: 'inferred',
    source: [S.apiAuthIntegration, S.decisionOutbound],
    when: "SYSTEM$START_OAUTH_FLOW, SYSTEM$FINISH_OAUTH_FLOW or app code's use of a secret whose API_AUTHENTICATION integration has ENABLED = FALSE.",
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference)') },
    sqlState: '55000',
  },
  '394616': {
    code: '394616',
    name: 'APPLICATION_SPECIFICATION_NOT_APPROVED',
    message: 'Applications can not use security integration without a corresponding approved application specification.',
    fidelity: 'inferred',
    source: [S.nativeAppSecretAuthorization, S.decisionOutbound],
    when: "An application's secret is used (START/FINISH, app code) while no SECURITY_INTEGRATION specification of the application that matches the integration (OAUTH_TYPE and endpoints) is APPROVED.",
    surfaces: { api: form(422, 'query-failure', 'inferred', 'the message is the docs\' exact words; number, status and sqlState are ours') },
    sqlState: '42501',
  },
  '394617': {
    code: '394617',
    name: 'CONFIGURATION_VALUE_INVALID',
    message: "SQL execution error:\nInvalid value '{value}' for configuration {name}: a SECRET_AUTHORIZATION configuration can only be set to 'configured'.",
    fidelity: 'inferred',
    source: [S.nativeAppSecretAuthorization, S.decisionOutbound],
    when: "ALTER APPLICATION … SET CONFIGURATION … VALUE = '<anything but configured>'.",
    surfaces: { api: form(422, 'query-failure', 'inferred', 'the rule is documented, the error is not') },
    sqlState: '22023',
  },
  '394618': {
    code: '394618',
    name: 'SECRET_OAUTH_TOKENS_UNUSABLE',
    message: "SQL execution error:\nSecret '{name}' holds no usable OAuth tokens. Complete the OAuth flow again with SYSTEM$START_OAUTH_FLOW and SYSTEM$FINISH_OAUTH_FLOW.",
    fidelity: 'inferred',
    source: [S.nativeAppSecretAuthorization, S.decisionOutbound],
    when: "SET CONFIGURATION … VALUE = 'configured' before the secret holds tokens; app code's use of a secret without tokens, or whose refresh token expired or was revoked (causes in the journal).",
    surfaces: { api: form(422, 'query-failure', 'inferred', 'failed statements answer 422 QueryFailureStatus (SQL API reference)') },
    sqlState: '55000',
  },

  // -- network policy
  '390422': {
    code: '390422',
    name: 'IP_NOT_ALLOWED',
    message:
      'Incoming request with IP/Token {ip} is not allowed to access Snowflake. Contact your local security administrator or please create a case with Snowflake Support or reach us on our support line for assistance.',
    fidelity: 'inferred',
    source: [S.networkPolicies, S.decisionInferred],
    when: 'The client IP is refused by the network policy in force (integration > user > account).',
    surfaces: {
      login: login200('inferred', 'by analogy with other login errors'),
      api: form(403, 'api', 'inferred', 'REST/SQL API status and body UNCONFIRMED; 403 is a plausible guess'),
    },
    sqlState: '08004',
  },

  // -- Snowflake OAuth
  '390302': {
    code: '390302',
    name: 'OAUTH_CONSENT_INVALID',
    message: 'Invalid consent request.',
    fidelity: 'inferred',
    source: [S.oauthOverview, S.decisionInferred],
    when: 'Consent cannot be generated or validated (role not granted to the user, role blocked).',
    surfaces: { 'oauth-authorize': authorize400() },
  },
  '390303': {
    code: '390303',
    name: 'OAUTH_ACCESS_TOKEN_INVALID',
    message: 'Invalid OAuth access token. {incident}',
    fidelity: 'documented',
    source: [S.oauthOverview, S.sqlApiReference, S.pyOAuthTokenInvalid, S.nodeGsErrors],
    when: 'An OAuth access token (or other bearer token) is invalid, expired or missing.',
    surfaces: {
      login: login200('driver-observed', 'py/go fixtures snowflake_login_failed_invalid_oauth_token.json'),
      api: form(401, 'api', 'documented'),
    },
    incident: 'number',
    loginData: retryLogin('OAUTH'),
  },
  '390304': {
    code: '390304',
    name: 'OAUTH_AUTHORIZE_INVALID_RESPONSE_TYPE',
    message: 'Invalid response type. Only "code" is supported.',
    fidelity: 'inferred',
    source: [S.oauthCustom, S.oauthOverview, S.decisionInferred],
    when: 'response_type is not code.',
    surfaces: { 'oauth-authorize': authorize400() },
  },
  '390305': {
    code: '390305',
    name: 'OAUTH_AUTHORIZE_INVALID_STATE_LENGTH',
    message: 'The state parameter exceeds the maximum length of 2048 characters.',
    fidelity: 'inferred',
    source: [S.oauthCustom, S.oauthOverview, S.decisionInferred],
    when: 'state is longer than 2048 characters.',
    surfaces: { 'oauth-authorize': authorize400() },
  },
  '390306': {
    code: '390306',
    name: 'OAUTH_AUTHORIZE_INVALID_CLIENT_ID',
    message: 'Invalid client ID.',
    fidelity: 'inferred',
    source: [S.oauthCustom, S.oauthOverview, S.decisionInferred],
    when: 'No enabled OAuth integration has this client_id.',
    surfaces: { 'oauth-authorize': authorize400() },
  },
  '390307': {
    code: '390307',
    name: 'OAUTH_AUTHORIZE_INVALID_REDIRECT_URI',
    message: 'Invalid redirect URI.',
    fidelity: 'inferred',
    source: [S.oauthCustom, S.oauthOverview, S.decisionInferred],
    when: 'redirect_uri matches neither OAUTH_REDIRECT_URI nor OAUTH_ALTERNATE_REDIRECT_URIS, or is malformed.',
    surfaces: { 'oauth-authorize': authorize400() },
  },
  '390308': {
    code: '390308',
    name: 'OAUTH_AUTHORIZE_INVALID_SCOPE',
    message: 'Requested scope is invalid.',
    fidelity: 'inferred',
    source: [S.oauthCustom, S.oauthOverview, S.decisionInferred],
    when: 'A scope is malformed, or cannot be granted to the user (after authentication).',
    surfaces: { 'oauth-authorize': authorize400() },
  },
  '390309': {
    code: '390309',
    name: 'OAUTH_USERNAMES_MISMATCH',
    message: 'The user specified in the login request does not match the user of the OAuth access token.',
    fidelity: 'inferred',
    source: [S.oauthOverview, S.decisionDriverSessions],
    when: 'LOGIN_NAME in the login request differs from the user bound to the access token.',
    surfaces: { login: login200('driver-observed', 'driver tests assert the number') },
  },
  '390311': {
    code: '390311',
    name: 'OAUTH_AUTHORIZE_INVALID_CODE_CHALLENGE_PARAMS',
    message: 'Invalid code challenge parameters. Only the S256 code challenge method is supported.',
    fidelity: 'inferred',
    source: [S.oauthCustom, S.oauthOverview, S.decisionInferred],
    when: 'PKCE code_challenge or code_challenge_method is missing, invalid or unsupported.',
    surfaces: { 'oauth-authorize': authorize400() },
  },
  '390318': {
    code: '390318',
    name: 'OAUTH_ACCESS_TOKEN_EXPIRED',
    message: 'OAuth access token expired. {incident}',
    fidelity: 'documented',
    source: [S.bcr2026_07, S.goOAuthTokenExpired, S.nodeGsErrors, S.pyNetwork],
    when: 'An OAuth access token has expired (on the API only with BCR 2026_07, else 390303).',
    surfaces: {
      login: login200('driver-observed', 'py/go fixtures login_request_with_expired_access_token.json'),
      api: form(401, 'api', 'inferred', 'via BCR 2026_07, whose endpoint is UNCONFIRMED; behind a switch'),
    },
    incident: 'number',
    loginData: retryLogin('OAUTH'),
  },

  // -- SQL API request errors
  '390142': {
    code: '390142',
    name: 'INVALID_PAYLOAD',
    message: 'Incoming request does not contain a valid payload.',
    fidelity: 'documented',
    source: [S.sqlApiReference, S.decisionHardening],
    when: 'The SQL API request body is not valid JSON or lacks required fields. A body nested more than 64 levels deep is refused the same way: Snowflake documents no depth limit, so treating it as an invalid payload is our choice (inferred, decisions/0017).',
    surfaces: { api: form(400, 'api', 'documented') },
  },
  '390189': {
    code: '390189',
    name: 'ROLE_NOT_EXIST_OR_NOT_AUTHORIZED',
    message:
      "Role '{role}' specified in the connect string does not exist or not authorized. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.",
    fidelity: 'inferred',
    source: [S.goErrors, S.decisionDriverSessions],
    when: 'The requested role does not exist or is not granted to the user (or not allowed by a token restriction).',
    surfaces: {
      login: login200('inferred'),
      api: form(422, 'query-failure', 'inferred', 'SQL API role errors UNCONFIRMED; 422 QueryFailureStatus chosen'),
    },
    sqlState: '08004',
  },
  '390505': {
    code: '390505',
    name: 'TOO_MANY_REQUESTS',
    message: 'Too many requests. Please retry the request later.',
    fidelity: 'inferred',
    source: [S.sqlApiReference, S.decisionFaults],
    when: 'Rate or concurrency limit reached on the SQL API.',
    surfaces: { api: form(429, 'api', 'documented') },
  },
  '391908': {
    code: '391908',
    name: 'RESULT_SET_TRUNCATED',
    message: 'The result set size exceeded the maximum; the results were truncated.',
    fidelity: 'inferred',
    source: [S.sqlApiReference, S.decisionInferred],
    when: 'A finished statement whose result set is too large (a 200, not a failure).',
    surfaces: { api: form(200, 'api', 'documented', 'the endpoint builds the ResultSet around code and message') },
  },

  // -- RFC 6749 `error` values at POST /oauth/token-request; no number
  invalid_client: {
    code: 'invalid_client',
    name: 'invalid_client',
    message: 'This is an invalid client.',
    fidelity: 'documented',
    source: S.oauthCustom,
    when: 'Client authentication failed: unknown client, wrong secret, credentials not in a Basic header.',
    surfaces: { 'oauth-token': form(401, 'oauth', 'inferred', TOKEN_STATUS_NOTE) },
    oauthError: 'invalid_client',
  },
  invalid_grant: {
    code: 'invalid_grant',
    name: 'invalid_grant',
    message: 'This is an invalid grant.',
    fidelity: 'inferred',
    source: [S.oauthOverview, S.decisionInferred],
    when: 'Code or refresh token invalid, expired, revoked, issued to another client, or redirect_uri differs.',
    surfaces: { 'oauth-token': form(400, 'oauth', 'inferred', TOKEN_STATUS_NOTE) },
    oauthError: 'invalid_grant',
  },
  unsupported_grant_type: {
    code: 'unsupported_grant_type',
    name: 'unsupported_grant_type',
    message: 'This grant type is not supported.',
    fidelity: 'inferred',
    source: [S.oauthOverview, S.decisionInferred],
    when: 'grant_type is neither authorization_code nor refresh_token.',
    surfaces: { 'oauth-token': form(400, 'oauth', 'inferred', TOKEN_STATUS_NOTE) },
    oauthError: 'unsupported_grant_type',
  },
  invalid_request: {
    code: 'invalid_request',
    name: 'invalid_request',
    message: 'This is an invalid request.',
    fidelity: 'inferred',
    source: [S.oauthOverview, S.decisionInferred],
    when: 'The token request is malformed (wrong Content-Type, missing field).',
    surfaces: { 'oauth-token': form(400, 'oauth', 'inferred', TOKEN_STATUS_NOTE) },
    oauthError: 'invalid_request',
  },
};

function freezeEntry(entry: CatalogueEntry): CatalogueEntry {
  for (const f of Object.values(entry.surfaces)) Object.freeze(f);
  Object.freeze(entry.surfaces);
  if (entry.loginData !== undefined) Object.freeze(entry.loginData);
  if (typeof entry.source !== 'string') Object.freeze(entry.source);
  return Object.freeze(entry);
}

/**
 * Every code the mock answers with, keyed by code. A key differs from its `code` only for
 * documented variants such as `390144-host` (same number, different message and status).
 *
 * @example
 * CATALOGUE['390303']?.surfaces.api // { status: 401, envelope: 'api', fidelity: 'documented' }
 */
export const CATALOGUE: Readonly<Record<string, CatalogueEntry>> = Object.freeze(
  Object.fromEntries(Object.entries(ENTRIES).map(([key, entry]) => [key, freezeEntry(entry)])),
);

/**
 * Catalogue keys whose `name` is ours: Snowflake publishes no name for the number (only a driver
 * constant of another spelling, or nothing). The docs table marks them with †.
 *
 * @example
 * COINED_NAMES.has('390142') // true: INVALID_PAYLOAD is our name
 */
export const COINED_NAMES: ReadonlySet<string> = new Set([
  '999000',
  '000604',
  '000709',
  '001003',
  '001422',
  '002002',
  '002003',
  '002003-rest',
  '003001',
  '002043',
  '090105',
  '090001',
  '999001',
  '999002',
  '999003',
  '390101',
  '390102',
  '390115', // py spells it MASTER_TOKEN_INVALD_GS_CODE
  '390142',
  '390144-host',
  '390189', // go: ErrRoleNotExist
  '390201', // go: ErrObjectNotExistOrAuthorized
  '390401',
  '390422',
  '390505',
  '390511',
  '391908',
  '394401',
  '394610',
  '394611',
  '394612',
  '394613',
  '394614',
  '394615',
  '394616',
  '394617',
  '394618',
  '394508', // the fixture gives no name
  '394508-passcode',
]);

/**
 * The entry for a catalogue key. An unknown key is a programming error, so it throws.
 *
 * @example
 * entryFor('390144').name // 'JWT_TOKEN_INVALID'
 * entryFor('394302').wireCode // '390144'
 */
export function entryFor(code: string): CatalogueEntry {
  const entry = CATALOGUE[code];
  if (entry === undefined) throw new Error(`error catalogue: unknown code ${JSON.stringify(code)}`);
  return entry;
}

/**
 * Fills an entry's message template. `{name}` placeholders take `params[name]` (an unknown one is
 * left as written, so a missing param shows in tests); `{incident}` becomes `[<incident>]`, or is
 * dropped with the space before it when no incident is given.
 *
 * @example
 * formatMessage(entryFor('390144'), {}, '0ce9eb56-821d-4ca9-a774-04ae89a0cf5a')
 * // 'JWT token is invalid. [0ce9eb56-821d-4ca9-a774-04ae89a0cf5a]'
 * formatMessage(entryFor('390303'), {}) // 'Invalid OAuth access token.'
 * formatMessage(entryFor('390422'), { ip: '10.0.0.5' }) // 'Incoming request with IP/Token 10.0.0.5 is not allowed …'
 */
export function formatMessage(entry: CatalogueEntry, params: Readonly<Record<string, string>> = {}, incident?: string): string {
  return entry.message.replace(/( ?)\{(\w+)\}/g, (whole: string, space: string, name: string) => {
    if (name === 'incident') return incident === undefined ? '' : `${space}[${incident}]`;
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    return value === undefined ? whole : space + value;
  });
}
