/**
 * The world config as people write it (DESIGN.md §3): YAML, JSON or a TypeScript object, with
 * Snowflake's own parameter names in lower-case snake_case so a Snowflake user reads it without a
 * manual. `build.ts` turns it into the runtime model of `model.ts`; `validate.ts` checks it first.
 *
 * Enumerated values are case-insensitive (`person` = `PERSON`); identifiers are stored upper-case.
 * An optional field set to `null` means "not set" (except a user's `type`, see {@link UserConfig}).
 */
import { resolveLocators } from './locator.ts';

import type { StatementConfig } from './statements-config.ts';

export type {
  StatementAnswerConfig, StatementCell, StatementColumnConfig, StatementConfig, StatementCountConfig, StatementErrorConfig, StatementRowsConfig,
} from './statements-config.ts';

/**
 * An enumerated value as written: any of lower, upper or the canonical case.
 *
 * @example
 * const t: AnyCase<'person'> = 'PERSON'
 */
export type AnyCase<T extends string> = T | Uppercase<T> | Lowercase<T>;

/**
 * An ISO 8601 instant with a time zone (`2026-01-01T00:00:00Z`), a date (`2026-01-01`, UTC) or epoch ms.
 *
 * @example
 * const start: Instant = '2026-01-01T00:00:00Z'
 */
export type Instant = string | number | Date;

/**
 * Named behaviour switches (model `Switches`).
 *
 * @example
 * switches: { network_policy_precedence: current-docs, jwt_algorithms: [RS256, ES256] }
 */
export interface SwitchesConfig {
  /** `seed` (default) or `current-docs` (https://docs.snowflake.com/en/user-guide/network-policies). */
  network_policy_precedence?: 'seed' | 'current-docs';
  /** Behaviour-change bundle 2026_07 (default false). */
  bcr_2026_07?: boolean;
  /** Put the specific 3943xx JWT code on the wire (default false). */
  jwt_specific_errors?: boolean;
  /** Accepted key-pair JWT algorithms (default `[RS256]`). */
  jwt_algorithms?: AnyCase<JwtAlgorithm>[];
  /**
   * Mock-only: a statement nothing answers fails with the mock's 999001 "not modelled" (`error`,
   * the default) or succeeds with no rows (`empty`); the journal says it was not modelled either way (decisions/0016).
   */
  unmodelled_statements?: 'error' | 'empty';
}

/**
 * A key-pair JWT algorithm (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating).
 *
 * @example
 * const alg: JwtAlgorithm = 'RS256'
 */
export type JwtAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/**
 * Where the mock clock starts; `frozen` defaults to true when `start` is given, else false.
 *
 * @example
 * clock: { start: 2026-01-01T00:00:00Z }   # frozen
 */
export interface ClockConfig {
  start?: Instant;
  frozen?: boolean;
}

/**
 * Account parameters (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview).
 *
 * @example
 * parameters: { oauth_add_privileged_roles_to_blocked_list: false }
 */
export interface AccountParametersConfig {
  /** Default true (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview). */
  oauth_add_privileged_roles_to_blocked_list?: boolean;
  /** Default true: ACCOUNTADMIN, ORGADMIN, GLOBALORGADMIN, SECURITYADMIN blocked for External OAuth (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external). */
  external_oauth_add_privileged_roles_to_blocked_list?: boolean;
  /** ALLOW_CLIENT_MFA_CACHING; default false (test/driver/driver-cases.ts). */
  allow_client_mfa_caching?: boolean;
  /** Mock-only: session token validity, seconds or a duration (`1h`); default 3600 (recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/login_request_ok.json). */
  mock_session_token_validity?: number | string;
  /** Mock-only: master token validity; default 14400 (recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/login_request_ok.json). */
  mock_master_token_validity?: number | string;
}

/**
 * `CREATE NETWORK POLICY` (https://docs.snowflake.com/en/user-guide/network-policies).
 *
 * @example
 * - { name: CORP_ONLY, allowed_ip_list: [10.0.0.0/8], blocked_ip_list: [10.0.0.99] }
 */
export interface NetworkPolicyConfig {
  name: string;
  /** CIDR blocks or bare addresses, IPv4 or IPv6. */
  allowed_ip_list?: string[];
  blocked_ip_list?: string[];
  /** Names of rules in the account's `network_rules`. */
  allowed_network_rule_list?: string[];
  blocked_network_rule_list?: string[];
  comment?: string | null;
}

/**
 * `CREATE NETWORK RULE … MODE = INGRESS` (https://docs.snowflake.com/en/user-guide/network-policies).
 *
 * @example
 * - { name: OFFICE, type: IPV4, value_list: [192.168.1.0/24] }
 */
export interface NetworkRuleConfig {
  name: string;
  type: AnyCase<'IPV4' | 'IPV6'>;
  /** Only INGRESS is modelled (the default). */
  mode?: AnyCase<'INGRESS'>;
  value_list: string[];
  comment?: string | null;
}

/**
 * A secret kept after `ALTER USER … ROTATE PAT` (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
 *
 * @example
 * rotated: [{ secret: pat-old, expire_after_hours: 24, rotated_on: 2026-01-01T00:00:00Z }]
 */
export interface RotatedPatConfig {
  secret: string;
  /** Default 24. */
  expire_after_hours?: number;
  /** Default: the clock start. */
  rotated_on?: Instant;
}

/**
 * `ALTER USER … ADD PROGRAMMATIC ACCESS TOKEN` (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token).
 *
 * @example
 * - { name: CI, secret: pat-alice-ci, role_restriction: ANALYST, days_to_expiry: 15 }
 */
export interface PatConfig {
  /** Letters, digits, underscore; starts with a letter or underscore. */
  name: string;
  /** Generated (seeded) when absent. */
  secret?: string | null;
  role_restriction?: string | null;
  /** Default `pat_policy.default_expiry_in_days` (15); 1 … `max_expiry_in_days`. */
  days_to_expiry?: number;
  disabled?: boolean;
  /** 0 (default) … 1440. */
  mins_to_bypass_network_policy_requirement?: number;
  comment?: string | null;
  /** Default: the clock start. */
  created_on?: Instant;
  rotated?: RotatedPatConfig[];
}

/**
 * A user's TYPE, any case.
 *
 * @example
 * const t: UserTypeConfig = 'service'
 */
export type UserTypeConfig = AnyCase<'person' | 'service' | 'legacy_service' | 'service_agent' | 'null'>;

/**
 * A user. `type` absent means PERSON; `type: null` (YAML's null) or `'null'` means Snowflake's
 * TYPE = NULL, since that is how a YAML author writes it.
 *
 * @example
 * - { name: ALICE, login_name: alice, password: alice-password, default_role: ANALYST, roles: [ANALYST] }
 */
export interface UserConfig {
  name: string;
  /** Default: `name`; stored upper-case. */
  login_name?: string | null;
  password?: string | null;
  type?: UserTypeConfig | null;
  default_role?: string | null;
  /** Granted roles (PUBLIC is always granted). */
  roles?: string[];
  disabled?: boolean;
  email?: string | null;
  comment?: string | null;
  /** Base64 DER SPKI body or a PEM; RSA ≥ 2048 bits or EC. */
  rsa_public_key?: string | null;
  rsa_public_key_2?: string | null;
  network_policy?: string | null;
  programmatic_access_tokens?: PatConfig[];
  display_name?: string | null;
  /** MFA enrollment for password logins (test/driver/driver-cases.ts): a fixed `passcode`, a base32 `totp_secret`, or both. */
  mfa?: { passcode?: string; totp_secret?: string } | null;
  /** MINS_TO_UNLOCK: the user is locked for this many minutes from the world's start. */
  mins_to_unlock?: number;
}

/**
 * A pre-issued OAuth access token, for tests that start with a token in hand.
 *
 * @example
 * - { token: oauth-alice-token, user: ALICE, role: ANALYST, expires_in: 10m, integration: MY_APP }
 */
export interface OAuthAccessTokenConfig {
  token: string;
  /** User NAME (case-insensitive). */
  user: string;
  /** Default: the user's default role, else PUBLIC. */
  role?: string | null;
  /** Seconds or a duration (`10m`); default 600. Negative = already expired. */
  expires_in?: number | string;
  /** Absolute expiry instead of `expires_in`. */
  expires_at?: Instant;
  /** Issuing `type: oauth` integration. */
  integration?: string | null;
}

/**
 * `CREATE SECURITY INTEGRATION … TYPE = OAUTH` (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake).
 *
 * @example
 * - { name: MY_APP, type: oauth, oauth_client: custom, oauth_client_type: confidential, oauth_redirect_uri: https://app.example.com/callback }
 */
export interface OAuthIntegrationConfig {
  type: AnyCase<'oauth'>;
  name: string;
  enabled?: boolean;
  oauth_client: AnyCase<'custom' | 'tableau_desktop' | 'tableau_server' | 'looker'>;
  /** Required for custom clients; partner default: TABLEAU_DESKTOP public, others confidential. */
  oauth_client_type?: AnyCase<'confidential' | 'public'>;
  oauth_redirect_uri?: string | null;
  oauth_alternate_redirect_uris?: string[];
  /** Generated (seeded) when absent. */
  oauth_client_id?: string | null;
  /** Generated (seeded) when absent. */
  oauth_client_secret?: string | null;
  oauth_client_secret_2?: string | null;
  oauth_allow_non_tls_redirect_uri?: boolean;
  oauth_enforce_pkce?: boolean;
  oauth_issue_refresh_tokens?: boolean;
  /** Seconds, 60 … 3600, default 600. */
  oauth_access_token_validity?: number;
  /** Seconds; custom 86400 … 7776000, partner 3600 … 7776000; default 7776000. */
  oauth_refresh_token_validity?: number;
  oauth_single_use_refresh_tokens_required?: boolean;
  /** Custom confidential clients only; no privileged roles. */
  pre_authorized_roles_list?: string[];
  allowed_roles_list?: string[];
  blocked_roles_list?: string[];
  oauth_client_rsa_public_key?: string | null;
  oauth_client_rsa_public_key_2?: string | null;
  network_policy?: string | null;
  comment?: string | null;
  /**
   * Mock-only, for headless tests: `true` signs in the user named by the authorize request's
   * `login_hint` and consents without showing a page; a user name does so for that user.
   */
  mock_auto_consent?: boolean | string | null;
}

/**
 * `CREATE SECURITY INTEGRATION … TYPE = API_AUTHENTICATION` (https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth).
 *
 * @example
 * - { name: EXT, type: api_authentication, oauth_token_endpoint: https://example.com/oauth/token, oauth_grant: client_credentials }
 */
export interface ApiAuthenticationIntegrationConfig {
  type: AnyCase<'api_authentication'>;
  name: string;
  /** Only OAUTH2 (the default). */
  auth_type?: AnyCase<'OAUTH2'>;
  oauth_token_endpoint?: string | null;
  oauth_authorization_endpoint?: string | null;
  oauth_client_auth_method?: AnyCase<'CLIENT_SECRET_POST' | 'CLIENT_SECRET_BASIC'>;
  oauth_client_id?: string | null;
  oauth_client_secret?: string | null;
  oauth_grant?: AnyCase<'client_credentials' | 'authorization_code' | 'jwt_bearer'>;
  /** Seconds, ≥ 0, default 0. */
  oauth_access_token_validity?: number;
  oauth_refresh_token_validity?: number;
  oauth_allowed_scopes?: string[];
  oauth_assertion_issuer?: string | null;
  enabled?: boolean;
  comment?: string | null;
}

/**
 * A security integration, discriminated by `type` (case-insensitive).
 *
 * @example
 * security_integrations: [{ name: MY_APP, type: oauth, oauth_client: tableau_desktop }]
 */
export type SecurityIntegrationConfig = OAuthIntegrationConfig | ApiAuthenticationIntegrationConfig | ExternalOAuthIntegrationConfig;

/**
 * `CREATE SECURITY INTEGRATION … TYPE = EXTERNAL_OAUTH` (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external): Snowflake accepts access
 * tokens that an outside IdP signed. `mock_idp` makes the mock play that IdP too.
 *
 * @example
 * - { name: OKTA_IDP, type: external_oauth, external_oauth_type: okta, external_oauth_issuer: https://idp.example.com/oauth2/default,
 *     external_oauth_token_user_mapping_claim: sub, external_oauth_snowflake_user_mapping_attribute: login_name,
 *     mock_idp: { clients: [{ client_id: etl, client_secret: etl-secret, subject: alice, scopes: [session:role:ANALYST] }] } }
 */
export interface ExternalOAuthIntegrationConfig {
  type: AnyCase<'external_oauth'>;
  name: string;
  enabled?: boolean;
  external_oauth_type: AnyCase<'okta' | 'azure' | 'ping_federate' | 'custom'>;
  /** Must equal the token's `iss`. */
  external_oauth_issuer: string;
  /** Up to 3 URLs of the IdP's JWKS; or give the RSA key(s) instead (not both). With `mock_idp`, default `<token endpoint dir>/keys`. */
  external_oauth_jws_keys_url?: string | string[] | null;
  /** Base64 DER SPKI body or a PEM of an RSA key (≥ 2048 bits). */
  external_oauth_rsa_public_key?: string | null;
  external_oauth_rsa_public_key_2?: string | null;
  /** `aud` values accepted besides the account URL. */
  external_oauth_audience_list?: string | string[];
  /** Claim(s) naming the user, tried in order (e.g. `sub`, `upn`). */
  external_oauth_token_user_mapping_claim: string | string[];
  external_oauth_snowflake_user_mapping_attribute: AnyCase<'login_name' | 'email_address'>;
  /** Claim holding the scopes: `scp` (default) or `scope`. */
  external_oauth_scope_mapping_attribute?: 'scp' | 'scope' | 'SCP' | 'SCOPE';
  /** One character (CUSTOM only); default a space. */
  external_oauth_scope_delimiter?: string;
  external_oauth_allowed_roles_list?: string[];
  external_oauth_blocked_roles_list?: string[];
  /** Default `disable`. */
  external_oauth_any_role_mode?: AnyCase<'disable' | 'enable' | 'enable_for_privilege'>;
  comment?: string | null;
  /** Mock-only: the mock also plays this IdP (token endpoint, JWKS); `true` or `{}` for every default. */
  mock_idp?: MockIdpConfig | boolean | null;
}

/**
 * The IdP the mock plays for an External OAuth integration (mock-only, all optional).
 *
 * @example
 * mock_idp: { token_endpoint: https://idp.example.com/oauth2/v1/token, access_token_validity: 3600,
 *             clients: [{ client_id: etl, client_secret: etl-secret, subject: alice, scopes: [session:role:ANALYST] }] }
 */
export interface MockIdpConfig {
  /** Default: `<issuer>/v1/token` (Okta's layout); required when the issuer is not an http(s) URL. */
  token_endpoint?: string;
  /** Clients of the client-credentials grant at the token endpoint. */
  clients?: MockIdpClientConfig[];
  /** Seconds or a duration; default 3600. */
  access_token_validity?: number | string;
  /**
   * PKCS#8 PEM of the IdP's RSA signing key; default a key pair generated when the world is built.
   * Required with `external_oauth_rsa_public_key` (its public half must be one of the configured keys).
   */
  private_key?: string;
}

/**
 * A client of the mock IdP.
 *
 * @example
 * { client_id: etl, client_secret: etl-secret, subject: alice, scopes: [session:role:ANALYST] }
 */
export interface MockIdpClientConfig {
  client_id: string;
  client_secret: string;
  /** The value of the user-mapping claim in its tokens; default the client_id (as Okta's `sub`). */
  subject?: string;
  /** Scopes it may ask for; all of them when the request names none. */
  scopes?: string[];
}

/**
 * `CREATE SECRET … TYPE = OAUTH2` (https://docs.snowflake.com/en/sql-reference/sql/create-secret). A secret of a Native App is named in the
 * application's database: `EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET`, or `APP_SCHEMA.OAUTH_SECRET` with
 * `application: EXAMPLE_APP`.
 *
 * @example
 * secrets: [{ name: EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET, type: oauth2, api_authentication: OAUTH_INTEGRATION }]
 */
export interface SecretConfig {
  /** `DATABASE.SCHEMA.NAME`, or `SCHEMA.NAME` with `application`. */
  name: string;
  type: AnyCase<'oauth2'>;
  /** The API_AUTHENTICATION integration the secret's tokens come from. */
  api_authentication: string;
  /** Owning application (a two-part name resolves in its database). */
  application?: string | null;
  /** Owning role of an account secret; default ACCOUNTADMIN. */
  owner?: string | null;
  /** Subset of the integration's oauth_allowed_scopes; default: all of them. */
  oauth_scopes?: string[];
  oauth_refresh_token?: string | null;
  /** `YYYY-MM-DD[ HH:MI[:SS]][ <tz>]` or an ISO instant. */
  oauth_refresh_token_expiry_time?: Instant | null;
  comment?: string | null;
}

/**
 * One grant, as the SQL reads: `GRANT USAGE ON INTEGRATION i TO ROLE r` is
 * `{ privilege: usage, on_integration: i, to_role: r }`; `GRANT APPLICATION ROLE app.r TO ROLE x`
 * is `{ application_role: app.r, to_role: x }`. Exactly one of `privilege` / `application_role`,
 * one of `on_integration` / `on_secret` with a privilege, one of `to_role` / `to_application_role`.
 *
 * @example
 * grants: [{ privilege: modify, on_secret: EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET, to_application_role: EXAMPLE_APP.APP_USER }]
 */
export interface GrantConfig {
  privilege?: AnyCase<'usage' | 'modify' | 'read'>;
  on_integration?: string;
  /** `DATABASE.SCHEMA.NAME`. */
  on_secret?: string;
  /** `APPLICATION.ROLE`: grants the application role itself. */
  application_role?: string;
  to_role?: string;
  /** `APPLICATION.ROLE`. */
  to_application_role?: string;
}

/**
 * `ALTER APPLICATION SET SPECIFICATION … TYPE = SECURITY_INTEGRATION`.
 *
 * @example
 * - { name: OAUTH_SPEC, type: security_integration, oauth_type: authorization_code, oauth_token_endpoint: https://provider.example.com/oauth2/token }
 */
export interface AppSpecificationConfig {
  name: string;
  type: AnyCase<'security_integration'>;
  label?: string | null;
  description?: string | null;
  oauth_type: AnyCase<'client_credentials' | 'authorization_code' | 'jwt_bearer'>;
  oauth_token_endpoint: string;
  oauth_authorization_endpoint?: string | null;
  oauth_allowed_scopes?: string[];
}

/**
 * `ALTER APPLICATION SET CONFIGURATION DEFINITION … TYPE = SECRET_AUTHORIZATION`.
 *
 * @example
 * - { name: OAUTH_CONFIG, type: secret_authorization, secret: APP_SCHEMA.OAUTH_SECRET, application_roles: [APP_USER] }
 */
export interface AppConfigurationConfig {
  name: string;
  type: AnyCase<'secret_authorization'>;
  /** `SCHEMA.NAME` (in the application's database) or `DATABASE.SCHEMA.NAME`. */
  secret: string;
  label?: string | null;
  description?: string | null;
  application_roles: string[];
}

/**
 * An installed Snowflake Native App (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Request OAuth authorization from consumers"). Its
 * database is its name. `setup_script` runs at load in the application's context, before the
 * declared specifications, configurations and approvals.
 *
 * @example
 * applications: [{ name: EXAMPLE_APP, application_roles: [APP_USER], setup_script: "CREATE SCHEMA app_schema; …" }]
 */
export interface ApplicationConfig {
  name: string;
  /** Role owning the application; default ACCOUNTADMIN. */
  owner?: string | null;
  /** Application roles (else created by the setup script). */
  application_roles?: string[];
  setup_script?: string | null;
  specifications?: AppSpecificationConfig[];
  configurations?: AppConfigurationConfig[];
  /** Specifications the consumer approved (at their current sequence number). */
  approved_specifications?: string[];
}

/**
 * Account-level `PAT_POLICY` (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
 *
 * @example
 * pat_policy: { network_policy_evaluation: ENFORCED_NOT_REQUIRED, max_expiry_in_days: 90 }
 */
export interface PatPolicyConfig {
  network_policy_evaluation?: AnyCase<'ENFORCED_REQUIRED' | 'ENFORCED_NOT_REQUIRED' | 'NOT_ENFORCED'>;
  require_role_restriction_for_service_users?: boolean;
  default_expiry_in_days?: number;
  max_expiry_in_days?: number;
}

/**
 * A database the account lists (SHOW DATABASES).
 *
 * @example
 * databases: [{ name: SALES, owner: SYSADMIN, kind: transient, schemas: [RAW] }]
 */
export interface DatabaseConfig {
  name: string;
  /** Owning role; default SYSADMIN. */
  owner?: string | null;
  comment?: string | null;
  kind?: AnyCase<'PERMANENT' | 'TRANSIENT'>;
  /** Schemas besides PUBLIC and INFORMATION_SCHEMA, which every database has (USE SCHEMA, SHOW SCHEMAS, CREATE SECRET look them up). */
  schemas?: string[];
}

/**
 * A warehouse the account lists (SHOW WAREHOUSES).
 *
 * @example
 * warehouses: [{ name: COMPUTE_WH, size: X-Small }]
 */
export interface WarehouseConfig {
  name: string;
  /** `X-Small` (default), `Small`, `Medium`, … as SHOW WAREHOUSES prints them; `XSMALL` style accepted too. */
  size?: string | null;
  /** Owning role; default SYSADMIN. */
  owner?: string | null;
}

/**
 * The fields of one account, shared by the full and the single-account forms.
 *
 * @example
 * { roles: [ANALYST], users: [{ name: ALICE, roles: [ANALYST] }] }
 */
export interface AccountFieldsConfig {
  /** Region, e.g. `us-east-2.aws`; also taken from a `locator` written with its region. */
  region?: string | null;
  /** The account-level network policy. */
  network_policy?: string | null;
  /** Declared roles; PUBLIC and the system roles are always known. */
  roles?: string[];
  parameters?: AccountParametersConfig;
  network_policies?: NetworkPolicyConfig[];
  network_rules?: NetworkRuleConfig[];
  users?: UserConfig[];
  oauth_access_tokens?: OAuthAccessTokenConfig[];
  security_integrations?: SecurityIntegrationConfig[];
  pat_policy?: PatPolicyConfig;
  /** Default: SNOWFLAKE and SNOWFLAKE_SAMPLE_DATA. */
  databases?: DatabaseConfig[];
  /** Default: COMPUTE_WH. */
  warehouses?: WarehouseConfig[];
  /** OAUTH2 secrets (issue #6). */
  secrets?: SecretConfig[];
  /** Grants on integrations and secrets, and of application roles (issue #6). */
  grants?: GrantConfig[];
  /** Installed Native Apps (issue #6). */
  applications?: ApplicationConfig[];
  /**
   * Statements answered as written here (decisions/0016). In an account: that account's, tried
   * first; at the top level of a world (beside `accounts:` or in the single-account form): every account's, tried next.
   */
  statements?: StatementConfig[];
}

/**
 * One account of `accounts:`.
 *
 * @example
 * accounts: [{ name: MYORG-MYACCOUNT, locator: xy12345.us-east-2.aws, users: [] }]
 */
export interface AccountConfig extends AccountFieldsConfig {
  /** Org-account identifier, e.g. `MYORG-MYACCOUNT`; requests are routed by it. */
  name: string;
  /**
   * Account locator, e.g. `XY12345` or `xy12345.us-east-2.aws`. Optional: absent, one is derived
   * from `name` (two letters and five digits, the same on every load; `MYORG-MYACCOUNT` gets
   * `XY12345`; see `locator.ts`).
   */
  locator?: string;
}

/**
 * A world: either `accounts:` or, for one account, that account's fields at the top level
 * (name defaults to `MYORG-MYACCOUNT`; the locator, when absent, is derived from the name as under
 * `accounts:`, which gives `XY12345` for the default name).
 *
 * @example
 * const world: WorldConfig = { roles: ['ANALYST'], users: [{ name: 'ALICE', roles: ['ANALYST'], default_role: 'ANALYST' }] }
 */
export interface WorldConfig extends AccountFieldsConfig {
  accounts?: AccountConfig[];
  name?: string;
  locator?: string;
  switches?: SwitchesConfig;
  clock?: ClockConfig;
}

/**
 * Roles every Snowflake account has; they need no declaration.
 *
 * @example
 * SYSTEM_ROLES.includes('ACCOUNTADMIN') // true
 */
export const SYSTEM_ROLES: readonly string[] = ['PUBLIC', 'ACCOUNTADMIN', 'SYSADMIN', 'SECURITYADMIN', 'USERADMIN', 'ORGADMIN', 'GLOBALORGADMIN'];

/**
 * Roles Snowflake forbids in PRE_AUTHORIZED_ROLES_LIST and blocks for OAuth by default (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake).
 *
 * @example
 * PRIVILEGED_ROLES.includes('SECURITYADMIN') // true
 */
export const PRIVILEGED_ROLES: readonly string[] = ['ACCOUNTADMIN', 'ORGADMIN', 'GLOBALORGADMIN', 'SECURITYADMIN'];

/**
 * Defaults applied by `build.ts`, stated once so validation checks against the same numbers.
 *
 * @example
 * WORLD_DEFAULTS.patDefaultExpiryInDays // 15
 */
export const WORLD_DEFAULTS = {
  accountName: 'MYORG-MYACCOUNT',
  locator: 'XY12345',
  patDefaultExpiryInDays: 15,
  patMaxExpiryInDays: 365,
  patMaxPerUser: 15,
  patMaxBypassMinutes: 1440,
  rotatedPatExpireAfterHours: 24,
  oauthTokenExpiresInSeconds: 600,
  oauthAccessTokenValidity: 600,
  oauthRefreshTokenValidity: 7_776_000,
  apiAuthAccessTokenValidity: 0,
  databaseOwner: 'SYSADMIN',
  warehouseOwner: 'SYSADMIN',
  warehouseSize: 'X-Small',
  sessionTokenValidity: 3600,
  masterTokenValidity: 14_400,
  /** Password policy defaults PASSWORD_MAX_RETRIES and PASSWORD_LOCKOUT_TIME_MINS (inferred for the mock). */
  passwordMaxRetries: 5,
  passwordLockoutMinutes: 15,
  /** MFA token caching lifetime: 4 hours (Snowflake docs on MFA token caching). */
  mfaTokenValiditySeconds: 14_400,
} as const;

/**
 * Keys that only the top level of a world takes.
 *
 * @example
 * WORLD_ONLY_KEYS.includes('switches') // true
 */
export const WORLD_ONLY_KEYS: readonly string[] = ['accounts', 'switches', 'clock'];

/**
 * One account of a world with its config path (`['accounts', 0]`, or `[]` for the shorthand).
 *
 * @example
 * const [{ account, path }] = accountsOf(config)
 */
export interface AccountEntry {
  /** The account's config, its locator always set (the config's, or one derived from the name). */
  readonly account: AccountConfig & { readonly locator: string };
  readonly path: readonly (string | number)[];
  /** True when the config gave no locator and {@link account}'s was derived from the name. */
  readonly locatorDerived: boolean;
}

/**
 * Lists a world's accounts, expanding the single-account shorthand (name defaulted) and filling in
 * every missing locator the same way, whether the account is listed or written as the shorthand:
 * derived from the name, unique in the world (`locator.ts`).
 *
 * @example
 * accountsOf({ users: [{ name: 'ALICE' }] })[0].account.locator // 'XY12345' (derived from MYORG-MYACCOUNT)
 * accountsOf({ accounts: [{ name: 'ACME-SALES', users: [] }] })[0].locatorDerived // true
 */
export function accountsOf(config: WorldConfig): AccountEntry[] {
  const listed: { account: AccountConfig; path: readonly (string | number)[] }[] = config.accounts != null
    ? config.accounts.map((account, i) => ({ account, path: ['accounts', i] }))
    : [shorthandAccount(config)];
  // Called on validated configs only, but a missing name must not throw here: it derives from ''.
  const locators = resolveLocators(listed.map(({ account }) => ({ name: String(account.name ?? ''), locator: account.locator })));
  return listed.map(({ account, path }, i) => ({ account: { ...account, locator: locators[i]!.locator }, path, locatorDerived: locators[i]!.derived }));
}

function shorthandAccount(config: WorldConfig): { account: AccountConfig; path: readonly (string | number)[] } {
  // Top-level `statements:` are the world's (every account's), never the shorthand account's own.
  const { accounts: _a, switches: _s, clock: _c, statements: _st, name, locator, ...fields } = config;
  return { account: { ...fields, name: name ?? WORLD_DEFAULTS.accountName, ...(locator != null && { locator }) }, path: [] };
}
