/**
 * The rules of the outbound-OAuth and Native App objects (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth, https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md, https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization), shared
 * by the SQL commands, the world API and the world loader: each function checks its inputs and
 * changes the account, or throws a {@link MutationError} naming the rule (the SQL layer maps each
 * problem to a catalogue code). Who may run a statement is the SQL layer's business, not these.
 */
import { scopeTokenProblem } from './scope-token.ts';
import { suggest } from '../world/validate.ts';
import { httpUrlProblem } from '../world/validate/field-rules.ts';
import { MutationError } from '../world/mutations.ts';
import { findDatabase, hasSchema, schemasOf } from '../world/databases.ts';
import type {
  Account, ApiAuthenticationIntegration, AppConfiguration, AppSpecification, Application, OAuth2Secret, PrivilegeGrant,
} from '../world/model.ts';
import { holds, sameGrant } from './privileges.ts';
import { applicationsOf, flowsOf, grantsOf, newApplication, secretsOf } from './state.ts';

const hint = (name: string, candidates: Iterable<string>): string => {
  const h = suggest(name, candidates);
  return h ? `; did you mean "${h}"?` : '';
};

/** How a CREATE treats an existing object: refuse, replace it (OR REPLACE) or leave it (IF NOT EXISTS). */
export interface CreateMode {
  readonly orReplace?: boolean;
  readonly ifNotExists?: boolean;
}

/** What a CREATE did. */
export type Created = 'created' | 'replaced' | 'exists';

/**
 * An application of the account.
 *
 * @example
 * findApplication(account, 'EXAMPLE_APP').applicationRoles
 */
export function findApplication(account: Account, name: string): Application {
  const app = applicationsOf(account).get(name);
  if (app) return app;
  throw new MutationError('UNKNOWN_APPLICATION', `no application "${name}" is installed in account ${account.name}${hint(name, applicationsOf(account).keys())}`, { name });
}

/**
 * An OAUTH2 secret of the account by `DATABASE.SCHEMA.NAME`.
 *
 * @example
 * findSecret(account, 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET').apiAuthentication
 */
export function findSecret(account: Account, full: string): OAuth2Secret {
  const secret = secretsOf(account).get(full);
  if (secret) return secret;
  throw new MutationError('UNKNOWN_SECRET', `no secret "${full}" in account ${account.name}${hint(full, secretsOf(account).keys())}`, { name: full });
}

/**
 * The API_AUTHENTICATION integration a secret or a grant names.
 *
 * @example
 * findApiIntegration(account, 'OAUTH_INTEGRATION').oauthGrant
 */
export function findApiIntegration(account: Account, name: string): ApiAuthenticationIntegration {
  const found = account.securityIntegrations.get(name);
  if (!found) throw new MutationError('UNKNOWN_INTEGRATION', `no security integration "${name}" in account ${account.name}${hint(name, account.securityIntegrations.keys())}`, { name });
  if (found.type !== 'API_AUTHENTICATION') {
    throw new MutationError('NOT_API_AUTHENTICATION', `integration ${name} is of type ${found.type}; an OAUTH2 secret needs an API_AUTHENTICATION integration (https://docs.snowflake.com/en/sql-reference/sql/create-secret)`, { name });
  }
  return found;
}

const invalid = (what: string, value: string, message: string): MutationError => new MutationError('INVALID_VALUE', message, { what, value });

/**
 * Checks an API_AUTHENTICATION integration's values (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth, https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md): http(s)
 * endpoints, a non-negative token validity, scopes that are RFC 6749 §3.3 scope tokens.
 *
 * @example
 * checkApiIntegration({ …, oauthTokenEndpoint: 'ftp://x' }) // throws INVALID_VALUE for OAUTH_TOKEN_ENDPOINT
 */
export function checkApiIntegration(i: ApiAuthenticationIntegration): void {
  for (const [what, url] of [['OAUTH_TOKEN_ENDPOINT', i.oauthTokenEndpoint], ['OAUTH_AUTHORIZATION_ENDPOINT', i.oauthAuthorizationEndpoint]] as const) {
    const problem = url === undefined ? undefined : httpUrlProblem(url);
    if (problem) throw invalid(what, url!, `${what}: ${problem}`);
  }
  for (const [what, v] of [['OAUTH_ACCESS_TOKEN_VALIDITY', i.oauthAccessTokenValidity], ['OAUTH_REFRESH_TOKEN_VALIDITY', i.oauthRefreshTokenValidity]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw invalid(what, String(v), `${what} must be a whole number of seconds ≥ 0, got ${v}`);
  }
  const blank = i.oauthAllowedScopes.find((s) => s.trim() === '');
  if (blank !== undefined) throw invalid('OAUTH_ALLOWED_SCOPES', blank, 'OAUTH_ALLOWED_SCOPES cannot contain an empty scope');
  checkScopeTokens('OAUTH_ALLOWED_SCOPES', i.oauthAllowedScopes);
}

/** Throws INVALID_VALUE for the first scope that is not an RFC 6749 §3.3 scope token. */
function checkScopeTokens(what: string, scopes: readonly string[]): void {
  for (const scope of scopes) {
    const problem = scopeTokenProblem(scope);
    if (problem) throw invalid(what, scope, `${what}: scope "${scope.slice(0, 100)}" ${problem}`);
  }
}

/**
 * `CREATE [OR REPLACE] SECURITY INTEGRATION [IF NOT EXISTS] … TYPE = API_AUTHENTICATION`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth). OR REPLACE drops the grants on the old object, as Snowflake's OR REPLACE does without COPY GRANTS.
 *
 * @example
 * createApiIntegration(account, integration, { orReplace: true }) // 'replaced'
 */
export function createApiIntegration(account: Account, integration: ApiAuthenticationIntegration, mode: CreateMode = {}): Created {
  checkApiIntegration(integration);
  const existing = account.securityIntegrations.has(integration.name);
  if (existing && mode.ifNotExists) return 'exists';
  if (existing && !mode.orReplace) throw new MutationError('OBJECT_EXISTS', `security integration ${integration.name} already exists in account ${account.name}`, { name: integration.name });
  if (existing) dropGrantsOn(account, 'INTEGRATION', integration.name);
  account.securityIntegrations.set(integration.name, integration);
  return existing ? 'replaced' : 'created';
}

/** A secret to create; names upper-case and already resolved. */
export interface SecretSpec {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  /** Owning role of an account secret (default ACCOUNTADMIN). */
  readonly owner?: string;
  readonly apiAuthentication: string;
  readonly oauthScopes?: readonly string[];
  readonly oauthRefreshToken?: string;
  /** Epoch ms. */
  readonly oauthRefreshTokenExpiryTime?: number;
  readonly comment?: string;
}

/**
 * `CREATE [OR REPLACE] SECRET [IF NOT EXISTS] … TYPE = OAUTH2 API_AUTHENTICATION = …`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-secret). A secret in an application's database belongs to the application and needs the schema
 * to exist there; an account secret needs a known database and schema (world/databases.ts). OAUTH_SCOPES must be a subset of the
 * integration's OAUTH_ALLOWED_SCOPES (when it lists any); OAUTH_REFRESH_TOKEN belongs to
 * authorization-code integrations, its expiry to a refresh token (inferred).
 *
 * @example
 * createSecret(account, { database: 'EXAMPLE_APP', schema: 'APP_SCHEMA', name: 'OAUTH_SECRET', apiAuthentication: 'OAUTH_INTEGRATION' })
 */
export function createSecret(account: Account, spec: SecretSpec, mode: CreateMode = {}): Created {
  const app = applicationsOf(account).get(spec.database);
  if (app) {
    if (!app.schemas.has(spec.schema)) {
      throw new MutationError('UNKNOWN_SCHEMA', `schema ${spec.database}.${spec.schema} does not exist (create it first: CREATE SCHEMA ${spec.schema})${hint(spec.schema, app.schemas)}`, { name: `${spec.database}.${spec.schema}` });
    }
  } else if (!account.databases.some((d) => d.name === spec.database)) {
    const known = [...account.databases.map((d) => d.name), ...applicationsOf(account).keys()];
    throw new MutationError('UNKNOWN_DATABASE', `database ${spec.database} does not exist in account ${account.name}${hint(spec.database, known)}`, { name: spec.database });
  } else if (!hasSchema(account, spec.database, spec.schema)) {
    // The schema must exist too (PUBLIC always does; CREATE SCHEMA or `schemas:` add others).
    const schemas = [...schemasOf(findDatabase(account, spec.database)!).keys()];
    throw new MutationError('UNKNOWN_SCHEMA', `schema ${spec.database}.${spec.schema} does not exist (create it first: CREATE SCHEMA ${spec.database}.${spec.schema})${hint(spec.schema, schemas)}`, { name: `${spec.database}.${spec.schema}` });
  }
  const integration = findApiIntegration(account, spec.apiAuthentication);
  const scopes = spec.oauthScopes ?? [];
  checkScopeTokens('OAUTH_SCOPES', scopes);
  const allowed = integration.oauthAllowedScopes;
  const extra = allowed.length === 0 ? undefined : scopes.find((s) => !allowed.includes(s));
  if (extra !== undefined) throw invalid('OAUTH_SCOPES', extra, `OAUTH_SCOPES must be a subset of integration ${integration.name}'s OAUTH_ALLOWED_SCOPES (${allowed.join(', ')}); "${extra}" is not`);
  if (spec.oauthRefreshToken !== undefined && integration.oauthGrant !== 'AUTHORIZATION_CODE') {
    throw invalid('OAUTH_REFRESH_TOKEN', '***', `OAUTH_REFRESH_TOKEN needs an integration with OAUTH_GRANT = AUTHORIZATION_CODE; ${integration.name} has ${integration.oauthGrant ?? 'none'}`);
  }
  if (spec.oauthRefreshTokenExpiryTime !== undefined && spec.oauthRefreshToken === undefined) {
    throw invalid('OAUTH_REFRESH_TOKEN_EXPIRY_TIME', String(spec.oauthRefreshTokenExpiryTime), 'OAUTH_REFRESH_TOKEN_EXPIRY_TIME needs OAUTH_REFRESH_TOKEN');
  }
  const full = `${spec.database}.${spec.schema}.${spec.name}`;
  const existing = secretsOf(account).has(full);
  if (existing && mode.ifNotExists) return 'exists';
  if (existing && !mode.orReplace) throw new MutationError('OBJECT_EXISTS', `secret ${full} already exists`, { name: full });
  if (existing) forgetSecret(account, full);
  const secret: OAuth2Secret = {
    type: 'OAUTH2', name: full, database: spec.database, schema: spec.schema,
    ...(app ? { application: app.name } : { owner: spec.owner ?? 'ACCOUNTADMIN' }),
    apiAuthentication: integration.name, oauthScopes: [...scopes],
    ...(spec.comment !== undefined && { comment: spec.comment }),
    ...(spec.oauthRefreshToken !== undefined && { oauthRefreshToken: spec.oauthRefreshToken }),
    ...(spec.oauthRefreshTokenExpiryTime !== undefined && { oauthRefreshTokenExpiryTime: spec.oauthRefreshTokenExpiryTime }),
  };
  secretsOf(account).set(full, secret);
  return existing ? 'replaced' : 'created';
}

/**
 * Drops the account secrets of a database (CREATE OR REPLACE DATABASE replaces it with an empty
 * one, https://docs.snowflake.com/en/sql-reference/sql/create-database), with their grants and
 * pending flows; returns how many there were.
 *
 * @example
 * dropSecretsIn(account, 'PROVIDER_DB') // 1
 */
export function dropSecretsIn(account: Account, database: string): number {
  const secrets = secretsOf(account);
  let dropped = 0;
  for (const [full, secret] of secrets) {
    if (secret.database !== database || secret.application !== undefined) continue;
    secrets.delete(full);
    forgetSecret(account, full);
    dropped++;
  }
  return dropped;
}

function forgetSecret(account: Account, full: string): void {
  dropGrantsOn(account, 'SECRET', full);
  const flows = flowsOf(account);
  for (const [state, flow] of flows) if (flow.secret === full) flows.delete(state);
}

function dropGrantsOn(account: Account, on: PrivilegeGrant['on'], name: string): void {
  const grants = grantsOf(account);
  for (let i = grants.length - 1; i >= 0; i--) if (grants[i]!.on === on && grants[i]!.name === name) grants.splice(i, 1);
}

/** Privileges each object kind takes (inferred from Snowflake's access-control docs). */
const PRIVILEGES: Readonly<Record<PrivilegeGrant['on'], readonly PrivilegeGrant['privilege'][]>> = { INTEGRATION: ['USAGE'], SECRET: ['USAGE', 'MODIFY', 'READ'] };

/**
 * `GRANT <privilege> ON { INTEGRATION | SECRET } <name> TO { ROLE r | APPLICATION ROLE app.r }`
 * (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4). The object and the grantee must exist; granting twice changes nothing.
 * Returns whether the grant is new.
 *
 * @example
 * grantPrivilege(account, { privilege: 'MODIFY', on: 'SECRET', name: 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET', to: { application: 'EXAMPLE_APP', applicationRole: 'APP_USER' } })
 */
export function grantPrivilege(account: Account, grant: PrivilegeGrant): boolean {
  checkGrant(account, grant);
  if (grantsOf(account).some((g) => sameGrant(g, grant))) return false;
  grantsOf(account).push(grant);
  return true;
}

/**
 * `REVOKE <privilege> ON … FROM …`; revoking what was not granted changes nothing (as in Snowflake).
 *
 * @example
 * revokePrivilege(account, grant) // true when it was granted
 */
export function revokePrivilege(account: Account, grant: PrivilegeGrant): boolean {
  checkGrant(account, grant);
  const grants = grantsOf(account);
  const i = grants.findIndex((g) => sameGrant(g, grant));
  if (i < 0) return false;
  grants.splice(i, 1);
  return true;
}

function checkGrant(account: Account, grant: PrivilegeGrant): void {
  if (!PRIVILEGES[grant.on].includes(grant.privilege)) {
    throw invalid('PRIVILEGE', grant.privilege, `${grant.privilege} cannot be granted on ${grant.on === 'INTEGRATION' ? 'an integration' : 'a secret'} (valid: ${PRIVILEGES[grant.on].join(', ')})`);
  }
  if (grant.on === 'INTEGRATION' && !account.securityIntegrations.has(grant.name)) {
    throw new MutationError('UNKNOWN_INTEGRATION', `no security integration "${grant.name}" in account ${account.name}${hint(grant.name, account.securityIntegrations.keys())}`, { name: grant.name });
  }
  if (grant.on === 'SECRET') findSecret(account, grant.name);
  if ('role' in grant.to) {
    if (!account.roles.has(grant.to.role)) throw new MutationError('UNKNOWN_ROLE', `role "${grant.to.role}" does not exist in account ${account.name}${hint(grant.to.role, account.roles)}`, { name: grant.to.role });
  } else {
    findApplicationRole(account, grant.to.application, grant.to.applicationRole);
  }
}

/**
 * An application role of an application.
 *
 * @example
 * findApplicationRole(account, 'EXAMPLE_APP', 'APP_USER')
 */
export function findApplicationRole(account: Account, application: string, role: string): Application {
  const app = findApplication(account, application);
  if (!app.applicationRoles.has(role)) {
    throw new MutationError('UNKNOWN_APPLICATION_ROLE', `application ${app.name} has no application role "${role}"${hint(role, app.applicationRoles)}`, { name: `${app.name}.${role}` });
  }
  return app;
}

/**
 * Installs an (empty) application; used by the world loader.
 *
 * @example
 * installApplication(account, 'EXAMPLE_APP', 'ACCOUNTADMIN')
 */
export function installApplication(account: Account, name: string, owner = 'ACCOUNTADMIN'): Application {
  if (applicationsOf(account).has(name)) throw new MutationError('OBJECT_EXISTS', `application ${name} is already installed`, { name });
  const app = newApplication(name, owner);
  applicationsOf(account).set(name, app);
  return app;
}

/**
 * `CREATE APPLICATION ROLE [IF NOT EXISTS] <r>` in a setup script.
 *
 * @example
 * createApplicationRole(app, 'APP_USER', { ifNotExists: true })
 */
export function createApplicationRole(app: Application, role: string, mode: CreateMode = {}): Created {
  if (app.applicationRoles.has(role)) {
    if (mode.ifNotExists || mode.orReplace) return 'exists';
    throw new MutationError('OBJECT_EXISTS', `application role ${app.name}.${role} already exists`, { name: role });
  }
  app.applicationRoles.add(role);
  app.roleGrants.set(role, new Set());
  return 'created';
}

/**
 * `CREATE [OR REPLACE | OR ALTER] [VERSIONED] SCHEMA [IF NOT EXISTS] <s>` in a setup script.
 *
 * @example
 * createSchema(app, 'APP_SCHEMA', { ifNotExists: true })
 */
export function createSchema(app: Application, schema: string, mode: CreateMode = {}): Created {
  if (app.schemas.has(schema)) {
    if (mode.ifNotExists || mode.orReplace) return 'exists';
    throw new MutationError('OBJECT_EXISTS', `schema ${app.name}.${schema} already exists`, { name: schema });
  }
  app.schemas.add(schema);
  return 'created';
}

/**
 * `GRANT APPLICATION ROLE <app>.<r> TO ROLE <x>` (or revoke it with `grant = false`).
 *
 * @example
 * grantApplicationRole(account, 'EXAMPLE_APP', 'APP_USER', 'ANALYST')
 */
export function grantApplicationRole(account: Account, application: string, appRole: string, role: string, grant = true): boolean {
  const app = findApplicationRole(account, application, appRole);
  if (!account.roles.has(role)) throw new MutationError('UNKNOWN_ROLE', `role "${role}" does not exist in account ${account.name}${hint(role, account.roles)}`, { name: role });
  const holders = app.roleGrants.get(appRole) ?? new Set<string>();
  app.roleGrants.set(appRole, holders);
  const had = holders.has(role);
  if (grant) holders.add(role);
  else holders.delete(role);
  return had !== grant;
}

/** The definition of a SECURITY_INTEGRATION specification. */
export type SpecificationDefinition = Pick<AppSpecification, 'name' | 'label' | 'description' | 'oauthType' | 'oauthTokenEndpoint' | 'oauthAuthorizationEndpoint' | 'oauthAllowedScopes'>;

const sameDefinition = (a: SpecificationDefinition, b: SpecificationDefinition): boolean =>
  a.label === b.label && a.description === b.description && a.oauthType === b.oauthType && a.oauthTokenEndpoint === b.oauthTokenEndpoint &&
  a.oauthAuthorizationEndpoint === b.oauthAuthorizationEndpoint && a.oauthAllowedScopes.join(' ') === b.oauthAllowedScopes.join(' ');

/**
 * `ALTER APPLICATION SET SPECIFICATION <s> TYPE = SECURITY_INTEGRATION …` (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 3): creates
 * the specification at sequence number 1, PENDING; a changed definition adds 1 to the sequence
 * number and asks the consumer again (PENDING); an unchanged one changes nothing.
 *
 * @example
 * setSpecification(app, { name: 'OAUTH_SPEC', label: '…', description: '…', oauthType: 'AUTHORIZATION_CODE', oauthTokenEndpoint: 'https://…', oauthAllowedScopes: [] }, now)
 */
export function setSpecification(app: Application, def: SpecificationDefinition, now: number): AppSpecification {
  for (const [what, url] of [['OAUTH_TOKEN_ENDPOINT', def.oauthTokenEndpoint], ['OAUTH_AUTHORIZATION_ENDPOINT', def.oauthAuthorizationEndpoint]] as const) {
    const problem = url === undefined ? undefined : httpUrlProblem(url);
    if (problem) throw invalid(what, url!, `${what}: ${problem}`);
  }
  checkScopeTokens('OAUTH_ALLOWED_SCOPES', def.oauthAllowedScopes);
  const existing = app.specifications.get(def.name);
  if (existing && sameDefinition(existing, def)) return existing;
  const spec: AppSpecification = {
    ...def, type: 'SECURITY_INTEGRATION', oauthAllowedScopes: [...def.oauthAllowedScopes],
    sequenceNumber: existing ? existing.sequenceNumber + 1 : 1, requestedOn: now, status: 'PENDING', statusUpdatedOn: now,
  };
  app.specifications.set(def.name, spec);
  return spec;
}

/**
 * `ALTER APPLICATION <app> { APPROVE | DECLINE } SPECIFICATION <s> SEQUENCE_NUMBER = <n>`: the
 * number must be the specification's current one (a changed specification must be looked at again).
 *
 * @example
 * answerSpecification(app, 'OAUTH_SPEC', 1, true, now).status // 'APPROVED'
 */
export function answerSpecification(app: Application, name: string, sequenceNumber: number | undefined, approve: boolean, now: number): AppSpecification {
  const spec = app.specifications.get(name);
  if (!spec) throw new MutationError('UNKNOWN_SPECIFICATION', `application ${app.name} has no specification "${name}"${hint(name, app.specifications.keys())}`, { name });
  if (sequenceNumber !== undefined && sequenceNumber !== spec.sequenceNumber) {
    throw invalid('SEQUENCE_NUMBER', String(sequenceNumber), `specification ${name} of ${app.name} is at sequence number ${spec.sequenceNumber}, not ${sequenceNumber} (SHOW SPECIFICATIONS IN APPLICATION ${app.name})`);
  }
  spec.status = approve ? 'APPROVED' : 'DECLINED';
  spec.statusUpdatedOn = now;
  return spec;
}

/** The definition of a SECRET_AUTHORIZATION configuration (secret already resolved to three parts). */
export type ConfigurationDefinition = Pick<AppConfiguration, 'name' | 'secret' | 'label' | 'description' | 'applicationRoles'>;

/**
 * `ALTER APPLICATION SET CONFIGURATION DEFINITION <c> TYPE = SECRET_AUTHORIZATION SECRET = …
 * APPLICATION_ROLES = (…)` (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 5): the secret must be owned by the application and
 * each listed application role must have MODIFY on it. Redefining keeps the value unless the
 * secret changes.
 *
 * @example
 * setConfigurationDefinition(account, app, { name: 'OAUTH_CONFIG', secret: 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET', label: '', description: '', applicationRoles: ['APP_USER'] }, now)
 */
export function setConfigurationDefinition(account: Account, app: Application, def: ConfigurationDefinition, now: number): AppConfiguration {
  const secret = findSecret(account, def.secret);
  if (secret.application !== app.name) {
    throw new MutationError('NOT_OWNED', `secret ${secret.name} is not owned by application ${app.name}; a SECRET_AUTHORIZATION configuration names a secret of the application (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 5)`, { name: secret.name });
  }
  if (def.applicationRoles.length === 0) throw invalid('APPLICATION_ROLES', '()', 'APPLICATION_ROLES must list at least one application role');
  for (const role of def.applicationRoles) {
    findApplicationRole(account, app.name, role);
    if (!holds(account, { application: app.name, applicationRole: role }, 'MODIFY', 'SECRET', secret.name, secret)) {
      throw new MutationError('PRIVILEGE_MISSING', `application role ${app.name}.${role} lacks MODIFY on secret ${secret.name} (GRANT MODIFY ON SECRET … TO APPLICATION ROLE ${role}; https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4)`, { name: secret.name, kind: 'secret' });
    }
  }
  const existing = app.configurations.get(def.name);
  const config: AppConfiguration = {
    ...def, type: 'SECRET_AUTHORIZATION', applicationRoles: [...def.applicationRoles], createdOn: existing?.createdOn ?? now, updatedOn: now,
    ...(existing?.value !== undefined && existing.secret === def.secret && { value: existing.value, valueUpdatedOn: existing.valueUpdatedOn ?? now }),
  };
  app.configurations.set(def.name, config);
  return config;
}

/**
 * A configuration of an application.
 *
 * @example
 * findConfiguration(app, 'OAUTH_CONFIG').secret
 */
export function findConfiguration(app: Application, name: string): AppConfiguration {
  const config = app.configurations.get(name);
  if (config) return config;
  throw new MutationError('UNKNOWN_CONFIGURATION', `application ${app.name} has no configuration "${name}"${hint(name, app.configurations.keys())}`, { name });
}

/** The one value a SECRET_AUTHORIZATION configuration takes (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 3"). */
export const CONFIGURED = 'configured';

/**
 * `ALTER APPLICATION <app> SET CONFIGURATION <c> VALUE = 'configured'`: only that value, and only
 * once the secret holds tokens (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 3": the framework verifies the secret is populated).
 *
 * @example
 * setConfigurationValue(account, app, 'OAUTH_CONFIG', 'configured', now)
 */
export function setConfigurationValue(account: Account, app: Application, name: string, value: string, now: number): AppConfiguration {
  const config = findConfiguration(app, name);
  if (value !== CONFIGURED) {
    throw new MutationError('INVALID_VALUE', `configuration ${app.name}.${name} accepts only the value '${CONFIGURED}', got '${value.slice(0, 100)}'`, { what: 'VALUE', value, name: `${app.name}.${name}` });
  }
  const secret = findSecret(account, config.secret);
  if (secret.oauthRefreshToken === undefined && secret.accessToken === undefined) {
    throw new MutationError('NO_TOKENS', `secret ${secret.name} holds no OAuth tokens yet: run SYSTEM$START_OAUTH_FLOW and SYSTEM$FINISH_OAUTH_FLOW first`, { name: secret.name });
  }
  config.value = CONFIGURED;
  config.valueUpdatedOn = now;
  return config;
}

/**
 * `ALTER APPLICATION <app> UNSET CONFIGURATION <c>`: clears the value; the tokens stay in the
 * secret (seed: "Unsetting the configuration does not invalidate or revoke the OAuth tokens").
 *
 * @example
 * unsetConfigurationValue(app, 'OAUTH_CONFIG', now)
 */
export function unsetConfigurationValue(app: Application, name: string, now: number): AppConfiguration {
  const config = findConfiguration(app, name);
  delete config.value;
  config.valueUpdatedOn = now;
  return config;
}

/** Tokens to keep in a secret (times are mock-clock epoch ms). */
export interface StoredTokens {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: number;
  readonly refreshToken?: string | undefined;
  readonly refreshTokenExpiresAt?: number | undefined;
}

/**
 * Keeps tokens in a secret; a grant that returns no new refresh token keeps the old one.
 *
 * @example
 * storeTokens(secret, { accessToken: 'at', accessTokenExpiresAt: now + 3600_000, refreshToken: 'rt' })
 */
export function storeTokens(secret: OAuth2Secret, tokens: StoredTokens): void {
  secret.accessToken = tokens.accessToken;
  secret.accessTokenExpiresAt = tokens.accessTokenExpiresAt;
  if (tokens.refreshToken !== undefined) {
    secret.oauthRefreshToken = tokens.refreshToken;
    if (tokens.refreshTokenExpiresAt !== undefined) secret.oauthRefreshTokenExpiryTime = tokens.refreshTokenExpiresAt;
    else delete secret.oauthRefreshTokenExpiryTime;
  }
}
