/**
 * The runtime world model: what the loader builds from a {@link WorldConfig} and what every
 * auth decision reads. Names follow Snowflake's own objects; values are normalised once at load
 * (upper-case identifiers, parsed CIDRs, imported keys) so the hot path does no parsing.
 *
 * The model is mutable on purpose: tests and the control API change it at run time (disable a PAT,
 * rotate a key). Every mutation goes through `world/mutations.ts`, which keeps the indexes in step.
 */
import type { KeyObject } from 'node:crypto';
import type { StatementResponder } from '../sql/answers.ts';

/**
 * How sure we are that the mock behaves like Snowflake here; `mock` marks the mock's own answers
 * that stand for no Snowflake behaviour at all (e.g. "this statement is not modelled", decisions/0016).
 */
export type Fidelity = 'documented' | 'driver-observed' | 'recorded' | 'inferred' | 'mock';

/** A parsed IPv4 or IPv6 CIDR block (a bare address is a /32 or /128). */
export interface Cidr {
  /** As written in the config, for explanations. */
  readonly text: string;
  readonly family: 4 | 6;
  /** Network address as an unsigned integer (IPv4 fits in 32 bits). */
  readonly base: bigint;
  readonly prefix: number;
}

/** A public key registered on a user (RSA_PUBLIC_KEY or RSA_PUBLIC_KEY_2). */
export interface PublicKeySlot {
  readonly slot: 'RSA_PUBLIC_KEY' | 'RSA_PUBLIC_KEY_2';
  /** `SHA256:` + base64 of SHA-256 over the DER SPKI (https://docs.snowflake.com/en/user-guide/key-pair-auth). */
  readonly fingerprint: string;
  /** Imported once at load; JWT verification reuses it (DESIGN.md §5.8). */
  readonly key: KeyObject;
  /** The key as configured (base64 body), shown by `serve`. */
  readonly text: string;
}

export type UserType = 'PERSON' | 'SERVICE' | 'LEGACY_SERVICE' | 'SERVICE_AGENT' | 'NULL';

export interface RotatedPatSecret {
  /** `<NAME>_ROTATED_<epoch-ms>` (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). */
  readonly name: string;
  readonly secret: string;
  /** Epoch ms after which the old secret stops working. */
  readonly expiresAt: number;
}

export interface ProgrammaticAccessToken {
  /** Upper-case token name. */
  name: string;
  secret: string;
  roleRestriction?: string;
  daysToExpiry: number;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms: createdAt + daysToExpiry days. */
  expiresAt: number;
  disabled: boolean;
  /** 0 = no bypass window (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token). */
  minsToBypassNetworkPolicyRequirement: number;
  comment?: string;
  rotated: RotatedPatSecret[];
}

export interface User {
  /** Upper-case NAME. */
  readonly name: string;
  /** Upper-case LOGIN_NAME (defaults to NAME); the JWT `iss`/`sub` user (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating). */
  readonly loginName: string;
  password?: string;
  readonly type: UserType;
  defaultRole?: string;
  /** Granted roles; PUBLIC is always included. */
  roles: Set<string>;
  disabled: boolean;
  rsaPublicKey?: PublicKeySlot;
  rsaPublicKey2?: PublicKeySlot;
  networkPolicy?: string;
  programmaticAccessTokens: ProgrammaticAccessToken[];
  email?: string;
  comment?: string;
  displayName?: string;
  /** Second factor for password logins (test/driver/driver-cases.ts); absent = not enrolled. */
  mfa?: MfaEnrollment;
  /** Epoch ms until which password logins are refused (MINS_TO_UNLOCK, or after too many failures). */
  lockedUntil?: number;
  /** Consecutive failed password logins (reset by a successful one); absent = 0. */
  failedLogins?: number;
}

/** How the mock checks a user's MFA passcode: a fixed code, a TOTP secret (RFC 6238), or both. */
export interface MfaEnrollment {
  readonly passcode?: string;
  /** Base32 secret; codes are computed on the mock clock. */
  readonly totpSecret?: string;
}

export interface NetworkRule {
  readonly name: string;
  readonly type: 'IPV4' | 'IPV6';
  readonly mode: 'INGRESS';
  readonly valueList: readonly Cidr[];
}

export interface NetworkPolicy {
  readonly name: string;
  readonly allowedIpList: readonly Cidr[];
  readonly blockedIpList: readonly Cidr[];
  /** Network rule names, resolved against the account's rules. */
  readonly allowedNetworkRuleList: readonly string[];
  readonly blockedNetworkRuleList: readonly string[];
  readonly comment?: string;
}

/** `type: oauth` — a Snowflake OAuth client (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake). */
export interface OAuthIntegration {
  readonly type: 'OAUTH';
  readonly name: string;
  enabled: boolean;
  readonly oauthClient: 'CUSTOM' | 'TABLEAU_DESKTOP' | 'TABLEAU_SERVER' | 'LOOKER';
  readonly oauthClientType: 'CONFIDENTIAL' | 'PUBLIC';
  readonly oauthRedirectUri?: string;
  readonly oauthAlternateRedirectUris: readonly string[];
  readonly oauthClientId: string;
  readonly oauthClientSecret: string;
  readonly oauthClientSecret2?: string;
  readonly oauthAllowNonTlsRedirectUri: boolean;
  readonly oauthEnforcePkce: boolean;
  readonly oauthIssueRefreshTokens: boolean;
  readonly oauthAccessTokenValidity: number;
  readonly oauthRefreshTokenValidity: number;
  readonly oauthSingleUseRefreshTokensRequired: boolean;
  readonly preAuthorizedRolesList: readonly string[];
  readonly allowedRolesList: readonly string[];
  readonly blockedRolesList: readonly string[];
  readonly oauthClientRsaPublicKey?: PublicKeySlot;
  readonly oauthClientRsaPublicKey2?: PublicKeySlot;
  readonly networkPolicy?: string;
  readonly comment?: string;
  /** Mock-only auto-consent: `'login_hint'` (the request names the user) or a user NAME; absent = pages. */
  readonly mockAutoConsent?: string;
}

/** `type: api_authentication` — outbound OAuth, as in the seed (behaviour in a later issue). */
export interface ApiAuthenticationIntegration {
  readonly type: 'API_AUTHENTICATION';
  readonly name: string;
  enabled: boolean;
  readonly authType: 'OAUTH2';
  readonly oauthTokenEndpoint?: string;
  readonly oauthAuthorizationEndpoint?: string;
  readonly oauthClientAuthMethod?: 'CLIENT_SECRET_POST' | 'CLIENT_SECRET_BASIC';
  readonly oauthClientId?: string;
  readonly oauthClientSecret?: string;
  readonly oauthGrant?: 'CLIENT_CREDENTIALS' | 'AUTHORIZATION_CODE' | 'JWT_BEARER';
  readonly oauthAccessTokenValidity: number;
  readonly oauthRefreshTokenValidity?: number;
  readonly oauthAllowedScopes: readonly string[];
  readonly oauthAssertionIssuer?: string;
  readonly comment?: string;
  /** The application whose setup script created it: the application owns it (decisions/0008). */
  readonly application?: string;
}

/** `type: external_oauth` — Snowflake as the resource server for an outside IdP's JWTs (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external). */
export interface ExternalOAuthIntegration {
  readonly type: 'EXTERNAL_OAUTH';
  readonly name: string;
  enabled: boolean;
  readonly externalOauthType: 'OKTA' | 'AZURE' | 'PING_FEDERATE' | 'CUSTOM';
  /** Must equal the token's `iss` exactly. */
  readonly externalOauthIssuer: string;
  /** JWKS URLs (≤ 3); empty when the RSA keys are configured instead. */
  readonly externalOauthJwsKeysUrl: readonly string[];
  readonly externalOauthRsaPublicKey?: PublicKeySlot;
  readonly externalOauthRsaPublicKey2?: PublicKeySlot;
  /** `aud` values accepted besides the account URL. */
  readonly externalOauthAudienceList: readonly string[];
  /** Claims naming the user, tried in order. */
  readonly externalOauthTokenUserMappingClaim: readonly string[];
  readonly externalOauthSnowflakeUserMappingAttribute: 'LOGIN_NAME' | 'EMAIL_ADDRESS';
  /** `scp` or `scope`. */
  readonly externalOauthScopeMappingAttribute: 'scp' | 'scope';
  readonly externalOauthScopeDelimiter: string;
  /** Upper-case. */
  readonly externalOauthAllowedRolesList: readonly string[];
  readonly externalOauthBlockedRolesList: readonly string[];
  readonly externalOauthAnyRoleMode: 'DISABLE' | 'ENABLE' | 'ENABLE_FOR_PRIVILEGE';
  readonly comment?: string;
  /** Mock-only: the IdP the mock plays for this integration. */
  readonly mockIdp?: MockIdp;
}

/** The outside IdP the mock plays for an External OAuth integration (mock-only). */
export interface MockIdp {
  readonly tokenEndpoint: string;
  /** The URLs its JWKS is served at (those of `externalOauthJwsKeysUrl` on its host, or `<endpoint dir>/keys`). */
  readonly jwksUrls: readonly string[];
  readonly clients: readonly MockIdpClient[];
  /** Seconds. */
  readonly accessTokenValidity: number;
  /** RS256 signing key, made (or imported) once when the world is built; its `kid` is the RFC 7638 thumbprint (`keyIdOf`). */
  readonly signingKey: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
}

/** A client of the mock IdP's client-credentials grant. */
export interface MockIdpClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The user-mapping claim's value in its tokens. */
  readonly subject: string;
  readonly scopes: readonly string[];
}

export type SecurityIntegration = OAuthIntegration | ApiAuthenticationIntegration | ExternalOAuthIntegration;

/**
 * `CREATE SECRET … TYPE = OAUTH2` (https://docs.snowflake.com/en/sql-reference/sql/create-secret), with the tokens Snowflake keeps in it after
 * SYSTEM$FINISH_OAUTH_FLOW, a refresh or a client-credentials grant (issue #6). Token fields are
 * written by `native-app/` only.
 */
export interface OAuth2Secret {
  readonly type: 'OAUTH2';
  /** `DATABASE.SCHEMA.NAME`, upper-case. */
  readonly name: string;
  readonly database: string;
  readonly schema: string;
  /** The owning Native App (its database is the application's name); absent for an account secret. */
  readonly application?: string;
  /** Owning role of an account secret (the role that created it). */
  readonly owner?: string;
  /** API_AUTHENTICATION: the integration's name. */
  readonly apiAuthentication: string;
  /** OAUTH_SCOPES as given; empty = the integration's OAUTH_ALLOWED_SCOPES. */
  readonly oauthScopes: readonly string[];
  readonly comment?: string;
  oauthRefreshToken?: string;
  /** Epoch ms (OAUTH_REFRESH_TOKEN_EXPIRY_TIME). */
  oauthRefreshTokenExpiryTime?: number;
  accessToken?: string;
  /** Epoch ms. */
  accessTokenExpiresAt?: number;
}

/** `ALTER APPLICATION SET SPECIFICATION … TYPE = SECURITY_INTEGRATION` and the consumer's answer. */
export interface AppSpecification {
  readonly name: string;
  readonly type: 'SECURITY_INTEGRATION';
  label: string;
  description: string;
  oauthType: 'CLIENT_CREDENTIALS' | 'AUTHORIZATION_CODE' | 'JWT_BEARER';
  oauthTokenEndpoint: string;
  oauthAuthorizationEndpoint?: string;
  oauthAllowedScopes: readonly string[];
  /** Starts at 1; each change of the definition adds 1 and asks the consumer again. */
  sequenceNumber: number;
  requestedOn: number;
  status: 'PENDING' | 'APPROVED' | 'DECLINED';
  statusUpdatedOn: number;
}

/** `ALTER APPLICATION SET CONFIGURATION DEFINITION … TYPE = SECRET_AUTHORIZATION` and its value. */
export interface AppConfiguration {
  readonly name: string;
  readonly type: 'SECRET_AUTHORIZATION';
  /** `DATABASE.SCHEMA.NAME` of a secret the application owns. */
  secret: string;
  label: string;
  description: string;
  /** Application roles with MODIFY VALUE on the configuration. */
  applicationRoles: readonly string[];
  createdOn: number;
  updatedOn: number;
  /** Only `configured` is ever set (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Request OAuth authorization from consumers"). */
  value?: 'configured';
  valueUpdatedOn?: number;
}

/** An installed Snowflake Native App as the consumer account sees it. */
export interface Application {
  readonly name: string;
  /** Role owning the application object (MONITOR/OWNERSHIP shows every configuration). */
  readonly owner: string;
  readonly applicationRoles: Set<string>;
  /** Schemas of the application's database. */
  readonly schemas: Set<string>;
  readonly specifications: Map<string, AppSpecification>;
  readonly configurations: Map<string, AppConfiguration>;
  /** `GRANT APPLICATION ROLE <app>.<r> TO ROLE <x>`: application role → account roles. */
  readonly roleGrants: Map<string, Set<string>>;
}

/** Who holds a privilege: an account role, or an application role of an application. */
export type Grantee = { readonly role: string } | { readonly application: string; readonly applicationRole: string };

/** `GRANT <privilege> ON { INTEGRATION | SECRET } <name> TO …`. */
export interface PrivilegeGrant {
  readonly privilege: 'USAGE' | 'MODIFY' | 'READ';
  readonly on: 'INTEGRATION' | 'SECRET';
  /** Integration name, or a secret's `DATABASE.SCHEMA.NAME`. */
  readonly name: string;
  readonly to: Grantee;
}

/** SYSTEM$START_OAUTH_FLOW waiting for SYSTEM$FINISH_OAUTH_FLOW in the same session. */
export interface PendingOAuthFlow {
  readonly state: string;
  /** The session that started it (drivers: the session id). */
  readonly session: string;
  readonly user: string;
  readonly secret: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly startedAt: number;
}

/** An OAuth access token the account accepts as a bearer token. Opaque, like Snowflake's. */
export interface OAuthAccessToken {
  readonly token: string;
  /** User NAME. */
  readonly user: string;
  /** Session role the token carries. */
  readonly role: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** Issuing integration name, when known (drives integration-level network policy). */
  readonly integration?: string;
}

/** Account-level PAT policy (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). */
export interface PatPolicy {
  networkPolicyEvaluation: 'ENFORCED_REQUIRED' | 'ENFORCED_NOT_REQUIRED' | 'NOT_ENFORCED';
  requireRoleRestrictionForServiceUsers: boolean;
  defaultExpiryInDays: number;
  maxExpiryInDays: number;
}

/**
 * A schema of a database (https://docs.snowflake.com/en/sql-reference/sql/create-schema).
 *
 * @example
 * const raw: Schema = { name: 'RAW', owner: 'SYSADMIN', createdOn: now }
 */
export interface Schema {
  /** Upper-case unless created with a "quoted" name. */
  readonly name: string;
  /** Owning role; '' for INFORMATION_SCHEMA, which Snowflake owns. */
  readonly owner: string;
  /** Epoch ms. */
  readonly createdOn: number;
  readonly comment?: string;
}

export interface Database {
  readonly name: string;
  readonly owner: string;
  readonly comment?: string;
  readonly kind: 'PERMANENT' | 'TRANSIENT';
  /** Epoch ms (the world's build time for a declared database). */
  readonly createdOn?: number;
  /**
   * Schemas by name: PUBLIC and INFORMATION_SCHEMA, the declared ones and those CREATE SCHEMA
   * added. Absent on hand-built accounts; `world/databases.ts` creates it on first use.
   */
  schemas?: Map<string, Schema>;
}

export interface Warehouse {
  readonly name: string;
  readonly size: string;
  readonly owner: string;
  /** Epoch ms (the world's build time for a declared warehouse). */
  readonly createdOn?: number;
}

export interface AccountParameters {
  /** Default TRUE: ACCOUNTADMIN, ORGADMIN, GLOBALORGADMIN, SECURITYADMIN blocked for OAuth (https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview). */
  oauthAddPrivilegedRolesToBlockedList: boolean;
  /** Default TRUE (absent = TRUE): the same roles blocked for External OAuth (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external). */
  externalOauthAddPrivilegedRolesToBlockedList?: boolean;
  /** ALLOW_CLIENT_MFA_CACHING (default FALSE): logins may ask for an MFA token (test/driver/driver-cases.ts). */
  allowClientMfaCaching: boolean;
  /** Mock-only: session token validity in seconds (Snowflake's is 1 h, recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/login_request_ok.json). */
  sessionTokenValidity: number;
  /** Mock-only: master token validity in seconds (Snowflake's is 4 h, recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/login_request_ok.json). */
  masterTokenValidity: number;
}

export interface Account {
  /** Upper-case org-account name, e.g. `MYORG-MYACCOUNT`. */
  readonly name: string;
  /** Upper-case locator without region, e.g. `XY12345`. */
  readonly locator: string;
  /** True when the world gave no locator and {@link locator} was derived from the name (domain/world/locator.ts). */
  readonly locatorDerived?: boolean;
  readonly region?: string;
  networkPolicy?: string;
  readonly roles: Set<string>;
  readonly parameters: AccountParameters;
  readonly networkPolicies: Map<string, NetworkPolicy>;
  readonly networkRules: Map<string, NetworkRule>;
  /** By upper-case NAME. */
  readonly users: Map<string, User>;
  readonly oauthAccessTokens: OAuthAccessToken[];
  readonly securityIntegrations: Map<string, SecurityIntegration>;
  readonly patPolicy: PatPolicy;
  readonly databases: Database[];
  readonly warehouses: Warehouse[];
  /** OAUTH2 secrets by `DATABASE.SCHEMA.NAME` (issue #6; absent on hand-built accounts, see native-app/state.ts). */
  secrets?: Map<string, OAuth2Secret>;
  /** Installed Native Apps by name. */
  applications?: Map<string, Application>;
  /** USAGE/MODIFY/READ grants on integrations and secrets. */
  grants?: PrivilegeGrant[];
  /** Pending SYSTEM$START_OAUTH_FLOW calls by state. */
  oauthFlows?: Map<string, PendingOAuthFlow>;
  /** The account's `statements:` answers, tried before the world's (decisions/0016); absent = none. */
  readonly statements?: readonly StatementResponder[];
}

/**
 * Named behaviour switches (DESIGN.md §5.5). Where Snowflake changed behaviour, both exist and
 * the default is stated here and in the README.
 */
export interface Switches {
  /**
   * `seed` (default): user-level policy > OAuth integration's > account's (an earlier version of
   * https://docs.snowflake.com/en/user-guide/oauth-snowflake-overview). `current-docs`: integration > user > account, and the user-level policy is ignored
   * for OAuth token traffic (https://docs.snowflake.com/en/user-guide/network-policies).
   */
  networkPolicyPrecedence: 'seed' | 'current-docs';
  /** Behaviour-change bundle 2026_07: expired tokens answer 390318 instead of 390303 (https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_07/bcr-2421). */
  bcr2026_07: boolean;
  /** Put the specific 3943xx JWT reason on the wire instead of the generic 390144 (https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting). */
  jwtSpecificErrors: boolean;
  /** JWT algorithms accepted for key-pair auth; Snowflake's documented default is RS256 only (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating). */
  jwtAlgorithms: readonly string[];
  /**
   * Mock-only: what a statement nothing answers gets (decisions/0016). `error` (absent = error):
   * the mock's own 999001 "not modelled" failure; `empty`: success with no rows.
   */
  unmodelledStatements?: 'error' | 'empty';
}

export interface ClockSettings {
  /** Epoch ms the clock starts at; absent = the real current time. */
  start?: number;
  /** A frozen clock moves only when told to; a running one follows real time from its start. */
  frozen: boolean;
}

export interface World {
  readonly accounts: Account[];
  readonly switches: Switches;
  readonly clock: ClockSettings;
  /** The world's top-level `statements:` answers, for every account, after each account's own (decisions/0016). */
  readonly statements?: readonly StatementResponder[];
}
