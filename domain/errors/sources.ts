/**
 * Where the catalogue's facts come from, each written once: public pages of Snowflake's
 * documentation, source files of Snowflake's drivers on GitHub, and paths in this repository (the
 * driver teams' WireMock fixtures under `recordings/driver-fixtures/`, the tests that reproduce
 * what snowflake-sdk does, and the `decisions/` that record what we chose where Snowflake says
 * nothing). A catalogue entry or cause names one or more of them in `source`.
 */

/** A public https URL or a path relative to the repository root. */
export type SourceRef = string;

/** One source, or several (the first is the main one). */
export type Source = SourceRef | readonly SourceRef[];

const docs = (path: string): string => `https://docs.snowflake.com/en/${path}`;
const node = (path: string): string => `https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/${path}`;
const python = (path: string): string => `https://github.com/snowflakedb/snowflake-connector-python/blob/main/${path}`;
const go = (path: string): string => `https://github.com/snowflakedb/gosnowflake/blob/master/${path}`;
const fixture = (path: string): string => `recordings/driver-fixtures/${path}`;

/**
 * Named sources. Docs pages by topic, driver files by driver, fixtures by what they show,
 * decisions by number.
 *
 * @example
 * SOURCES.keyPairAuth // 'https://docs.snowflake.com/en/user-guide/key-pair-auth'
 */
export const SOURCES = Object.freeze({
  // -- Snowflake documentation
  oauthCustom: docs('user-guide/oauth-custom'),
  oauthOverview: docs('user-guide/oauth-snowflake-overview'),
  oauthIntegration: docs('sql-reference/sql/create-security-integration-oauth-snowflake'),
  singleUseRefreshTokens: docs('user-guide/single-use-refresh-tokens'),
  externalOAuthIntegration: docs('sql-reference/sql/create-security-integration-oauth-external'),
  loginFailureDetails: docs('sql-reference/functions/system_get_login_failure_details'),
  keyPairAuth: docs('user-guide/key-pair-auth'),
  keyPairTroubleshooting: docs('user-guide/key-pair-auth-troubleshooting'),
  sqlApiAuthenticating: docs('developer-guide/sql-api/authenticating'),
  sqlApiReference: docs('developer-guide/sql-api/reference'),
  restApiAuthentication: docs('developer-guide/snowflake-rest-api/authentication'),
  restApiDatabase: docs('developer-guide/snowflake-rest-api/reference/database'),
  bcr2026_07: docs('release-notes/bcr-bundles/2026_07/bcr-2421'),
  pats: docs('user-guide/programmatic-access-tokens'),
  addPat: docs('sql-reference/sql/alter-user-add-programmatic-access-token'),
  rotatePat: docs('sql-reference/sql/alter-user-rotate-programmatic-access-token'),
  networkPolicies: docs('user-guide/network-policies'),
  passwordPolicy: docs('sql-reference/sql/create-password-policy'),
  apiAuthIntegration: docs('sql-reference/sql/create-security-integration-api-auth'),
  startOAuthFlow: docs('sql-reference/functions/system_start_oauth_flow'),
  finishOAuthFlow: docs('sql-reference/functions/system_finish_oauth_flow'),
  nativeAppSecretAuthorization: docs('developer-guide/native-apps/app-configuration-secret-authorization'),
  useRole: docs('sql-reference/sql/use-role'),
  useSecondaryRoles: docs('sql-reference/sql/use-secondary-roles'),
  useWarehouse: docs('sql-reference/sql/use-warehouse'),
  useDatabase: docs('sql-reference/sql/use-database'),
  useSchema: docs('sql-reference/sql/use-schema'),
  createDatabase: docs('sql-reference/sql/create-database'),
  createSchema: docs('sql-reference/sql/create-schema'),
  showDatabases: docs('sql-reference/sql/show-databases'),
  showSchemas: docs('sql-reference/sql/show-schemas'),
  showWarehouses: docs('sql-reference/sql/show-warehouses'),
  alterSession: docs('sql-reference/sql/alter-session'),
  accessControl: docs('user-guide/security-access-control-overview'),

  // -- standards
  rfc6749: 'https://www.rfc-editor.org/rfc/rfc6749',

  // -- driver sources
  nodeGsErrors: node('lib/constants/gs_errors.ts'),
  nodeStatement: node('lib/connection/statement.js'),
  pyNetwork: python('src/snowflake/connector/network.py'),
  goErrors: go('internal/errors/errors.go'),

  // -- the driver teams' WireMock fixtures (copied under recordings/driver-fixtures/, see its SOURCES.md)
  goInvalidPassword: fixture('gosnowflake/test_data/wiremock/mappings/auth/password/invalid_password.json'),
  goInvalidHost: fixture('gosnowflake/test_data/wiremock/mappings/auth/password/invalid_host.json'),
  goMfaRequired: fixture('gosnowflake/test_data/wiremock/mappings/auth/mfa/parallel_login_first_fails_then_successful_flow.json'),
  goPatInvalid: fixture('gosnowflake/test_data/wiremock/mappings/auth/pat/invalid_token.json'),
  goOAuthTokenExpired: fixture('gosnowflake/test_data/wiremock/mappings/auth/oauth2/login_request_with_expired_access_token.json'),
  nodePatInvalid: fixture('snowflake-connector-nodejs/wiremock/mappings/pat/invalid_pat_token.json'),
  nodeSessionRenewal: fixture('snowflake-connector-nodejs/wiremock/mappings/session_token_renewal.json'),
  pyJwtInvalid: fixture('snowflake-connector-python/test/data/wiremock/mappings/auth/keypair/jwt_token_invalid.json'),
  pyJwtGenericLoginError: fixture('snowflake-connector-python/test/data/wiremock/mappings/auth/keypair/jwt_generic_login_error.json'),
  pyOAuthTokenInvalid: fixture('snowflake-connector-python/test/data/wiremock/mappings/generic/snowflake_login_failed_invalid_oauth_token.json'),
  pyPatInvalid: fixture('snowflake-connector-python/test/data/wiremock/mappings/auth/pat/invalid_token.json'),
  /** Not copied here (the mock has no external browser flow): the file at the commit SOURCES.md records. */
  nodeSsoUrlError:
    'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/618c3f24998a043483a6bdb251b65ecd17715812/wiremock/mappings/external_browser/authenticator_request_error.json',

  // -- what snowflake-sdk 3.3.0 does, reproduced by this repository's driver tests
  driverTests: 'test/driver/driver-cases.ts',

  // -- third-party material quoting Snowflake's answers (evidence, not authority)
  /** Embucket's REST tests quote Snowflake's 002003 (missing database/schema) and 002043 (SHOW SCHEMAS IN a missing database). */
  embucketRestTests: 'https://github.com/Embucket/embucket/blob/3317ce3ef8bd2f36fc98ed1b7578160324190735/crates/api-snowflake-rest/src/tests/test_rest_api.rs',
  /** USE DATABASE of a database the role cannot see: "SQL compilation error: Object does not exist, or operation cannot be performed." */
  snowAlertUseDatabase: 'https://github.com/snowflakedb/SnowAlert/issues/381',
  /** fakesnow's 090105/090106 "This session does not have a current database/schema" (sqlState 22000). */
  fakesnowCursor: 'https://github.com/tekumara/fakesnow/blob/main/fakesnow/cursor.py',

  // -- our choices where Snowflake says nothing
  decisionInferred: 'decisions/0004-inferred-choices-of-issue-2.md',
  decisionFaults: 'decisions/0005-fault-injection.md',
  decisionDriverSessions: 'decisions/0006-driver-sessions.md',
  decisionOutbound: 'decisions/0008-outbound-oauth-and-native-apps.md',
  decisionExternalOAuth: 'decisions/0009-external-oauth.md',
  decisionContext: 'decisions/0015-context-statements.md',
  decisionStatements: 'decisions/0016-statements.md',
  decisionHardening: 'decisions/0017-hardening.md',

  // -- the mock's own documentation (answers that stand for no Snowflake behaviour, fidelity mock)
  readme: 'README.md',
} as const);

/**
 * A source as a list.
 *
 * @example
 * sourceList(SOURCES.pats) // ['https://docs.snowflake.com/en/user-guide/programmatic-access-tokens']
 */
export function sourceList(source: Source): readonly SourceRef[] {
  return typeof source === 'string' ? [source] : source;
}

/**
 * A short label for a link to a source: the docs page, the file name with its driver, or the
 * decision's number.
 *
 * @example
 * sourceLabel(SOURCES.keyPairAuth) // 'key-pair-auth'
 * sourceLabel(SOURCES.sqlApiReference) // 'sql-api/reference'
 * sourceLabel(SOURCES.nodeGsErrors) // 'snowflake-connector-nodejs: gs_errors.ts'
 * sourceLabel(SOURCES.decisionInferred) // 'decisions/0004'
 */
export function sourceLabel(ref: SourceRef): string {
  const decision = /^decisions\/(\d{4})-/.exec(ref);
  if (decision) return `decisions/${decision[1]}`;
  const page = /^https:\/\/docs\.snowflake\.com\/en\/(?:user-guide\/|sql-reference\/(?:sql|functions)\/|developer-guide\/|release-notes\/bcr-bundles\/)?(.+)$/.exec(ref);
  if (page) return page[1]!;
  const name = ref.replace(/\/$/, '').split('/').pop() ?? ref;
  const repo = /^https:\/\/github\.com\/[^/]+\/([^/]+)\//.exec(ref);
  if (repo) return `${repo[1]}: ${name}`;
  if (ref.startsWith('recordings/driver-fixtures/')) return `${ref.split('/')[2]}: ${name}`;
  if (ref.startsWith('https://www.rfc-editor.org/rfc/')) return name.toUpperCase().replace(/^RFC/, 'RFC ');
  return name;
}
