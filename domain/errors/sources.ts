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

  // -- our choices where Snowflake says nothing
  decisionInferred: 'decisions/0004-inferred-choices-of-issue-2.md',
  decisionFaults: 'decisions/0005-fault-injection.md',
  decisionDriverSessions: 'decisions/0006-driver-sessions.md',
  decisionOutbound: 'decisions/0008-outbound-oauth-and-native-apps.md',
  decisionExternalOAuth: 'decisions/0009-external-oauth.md',
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
