/**
 * Outbound OAuth objects as SQL (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth, https://docs.snowflake.com/en/sql-reference/sql/create-secret, https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md, https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization steps 1, 2 and 4):
 * CREATE SECURITY INTEGRATION … TYPE = API_AUTHENTICATION, CREATE SECRET … TYPE = OAUTH2, GRANT
 * and REVOKE on integrations and secrets, and — in a setup script — CREATE SCHEMA and CREATE
 * APPLICATION ROLE. The rules live in native-app/mutations.ts; this module checks who may run
 * the statement, reads its properties and shapes the answer.
 */
import {
  createApiIntegration, createApplicationRole, createSchema, createSecret, findApplication, grantPrivilege, revokePrivilege,
} from '../native-app/mutations.ts';
import { parseExpiryTime } from '../native-app/expiry-time.ts';
import { GRANT_ADMIN_ROLES, INTEGRATION_OWNER_ROLES, SECRET_CREATOR_ROLES, holds } from '../native-app/privileges.ts';
import { applicationsOf, resolveSecretName, secretsOf } from '../native-app/state.ts';
import type { ApiAuthenticationIntegration, Grantee, PrivilegeGrant } from '../world/model.ts';
import type { SqlResult } from './execute.ts';
import { applicationOf, refusedMutation, roleOf, who, wrongContext, type Runner } from './outbound-context.ts';
import type { OutboundCommand, Properties, PropertyValue } from './parse-outbound.ts';
import { statusResult } from './privileges.ts';
import { doesNotExist, failed, insufficientPrivileges, invalidValue } from './refusals.ts';
import { SqlSyntaxError, type Token } from './tokens.ts';

const INTEGRATION_RULE = 'https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth (CREATE SECURITY INTEGRATION … TYPE = API_AUTHENTICATION)';
const SECRET_RULE = 'https://docs.snowflake.com/en/sql-reference/sql/create-secret (CREATE SECRET … TYPE = OAUTH2)';
const GRANT_RULE = 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4 (GRANT USAGE ON INTEGRATION / MODIFY ON SECRET)';

const str = (v: PropertyValue | undefined): string | undefined => (v === undefined ? undefined : typeof v.value === 'string' ? v.value : undefined);
const num = (v: PropertyValue | undefined): number | undefined => (v?.kind === 'number' ? v.value : undefined);
const list = (v: PropertyValue | undefined): readonly string[] | undefined => (v?.kind === 'list' ? v.value : undefined);

/** A required property, or a syntax error at the statement's first property. */
function required(props: Properties, key: string, at: Token, why: string): PropertyValue {
  const v = props.get(key);
  if (v === undefined) throw new SqlSyntaxError(at, `${key} is required (${why})`);
  return v;
}

/** An enumerated value, or the 001422 failure naming it. */
function oneOf<T extends string>(props: Properties, key: string, values: readonly T[], rule: string): T | SqlResult | undefined {
  const v = str(props.get(key));
  if (v === undefined) return undefined;
  if ((values as readonly string[]).includes(v)) return v as T;
  return failed(invalidValue(key, v, rule, `${key} must be one of ${values.join(', ')}`));
}

const isResult = (v: unknown): v is SqlResult => typeof v === 'object' && v !== null && 'ok' in v;

/**
 * `CREATE [OR REPLACE] SECURITY INTEGRATION [IF NOT EXISTS] <name> TYPE = API_AUTHENTICATION
 * AUTH_TYPE = OAUTH2 ENABLED = … [OAUTH_…]` (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth; TYPE, AUTH_TYPE and ENABLED are
 * required). Only ACCOUNTADMIN and SECURITYADMIN create integrations (inferred); an
 * application's setup script may (its manifest grants CREATE INTEGRATION, not modelled), and the
 * application then owns the integration: a session may not replace, alter or grant on it (003001).
 *
 * @example
 * createIntegrationCommand(cmd, runner).rows // [['Integration OAUTH_INTEGRATION successfully created.']]
 */
export function createIntegrationCommand(cmd: Extract<OutboundCommand, { kind: 'create-integration' }>, r: Runner): SqlResult {
  // Compilation (syntax, required properties) comes before privileges, as in Snowflake.
  const p = cmd.props;
  const type = required(p, 'TYPE', cmd.at, 'TYPE = API_AUTHENTICATION');
  if (str(type) !== 'API_AUTHENTICATION') throw new SqlSyntaxError(type.token, 'the mock creates only TYPE = API_AUTHENTICATION integrations by SQL (OAuth integrations come from the world config)');
  const authTypeValue = required(p, 'AUTH_TYPE', cmd.at, 'AUTH_TYPE = OAUTH2, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth');
  const enabled = str(required(p, 'ENABLED', cmd.at, 'ENABLED = TRUE | FALSE, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth')) === 'TRUE';
  const role = roleOf(r);
  if (role !== undefined && !INTEGRATION_OWNER_ROLES.has(role)) {
    return failed(insufficientPrivileges('integration', cmd.name, `${INTEGRATION_RULE}; privileges inferred`, `${who(r)} may not create integrations: the mock lets ${[...INTEGRATION_OWNER_ROLES].join(', ')} do it (CREATE INTEGRATION on the account)`));
  }
  const app = applicationOf(r);
  const existing = r.account.securityIntegrations.get(cmd.name);
  const ownerApp = existing?.type === 'API_AUTHENTICATION' ? existing.application : undefined;
  if (existing && cmd.orReplace && ownerApp !== app) {
    const owner = ownerApp !== undefined ? `application ${ownerApp} (its setup script created it)` : 'the account';
    return failed(insufficientPrivileges('integration', cmd.name, `${INTEGRATION_RULE}; decisions/0008 (the application owns what its setup script creates)`, `integration ${cmd.name} belongs to ${owner}; ${who(r)} may not replace it`));
  }
  const authType = str(authTypeValue);
  if (authType !== 'OAUTH2') return failed(invalidValue('AUTH_TYPE', authType ?? '', INTEGRATION_RULE, 'AUTH_TYPE must be OAUTH2'));
  const method = oneOf(p, 'OAUTH_CLIENT_AUTH_METHOD', ['CLIENT_SECRET_POST', 'CLIENT_SECRET_BASIC'] as const, INTEGRATION_RULE);
  if (isResult(method)) return method;
  const grant = oneOf(p, 'OAUTH_GRANT', ['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'JWT_BEARER'] as const, INTEGRATION_RULE);
  if (isResult(grant)) return grant;
  for (const key of ['OAUTH_TOKEN_ENDPOINT', 'OAUTH_AUTHORIZATION_ENDPOINT']) {
    const url = str(p.get(key));
    // RFC 6749 §3.1, §3.2: endpoint URIs are absolute and carry no fragment (the same rule as the world loader).
    if (url !== undefined && (!URL.canParse(url) || url.includes('#'))) return failed(invalidValue(key, url, INTEGRATION_RULE, `${key} must be an absolute URL without a fragment (RFC 6749 §3.1, §3.2)`));
  }
  const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));
  const integration: ApiAuthenticationIntegration = {
    type: 'API_AUTHENTICATION', name: cmd.name, enabled, authType: 'OAUTH2',
    ...opt('oauthTokenEndpoint', str(p.get('OAUTH_TOKEN_ENDPOINT'))),
    ...opt('oauthAuthorizationEndpoint', str(p.get('OAUTH_AUTHORIZATION_ENDPOINT'))),
    ...opt('oauthClientAuthMethod', method),
    ...opt('oauthClientId', str(p.get('OAUTH_CLIENT_ID'))),
    ...opt('oauthClientSecret', str(p.get('OAUTH_CLIENT_SECRET'))),
    ...opt('oauthGrant', grant),
    oauthAccessTokenValidity: num(p.get('OAUTH_ACCESS_TOKEN_VALIDITY')) ?? 0,
    ...opt('oauthRefreshTokenValidity', num(p.get('OAUTH_REFRESH_TOKEN_VALIDITY'))),
    oauthAllowedScopes: [...(list(p.get('OAUTH_ALLOWED_SCOPES')) ?? [])],
    ...opt('oauthAssertionIssuer', str(p.get('OAUTH_ASSERTION_ISSUER'))),
    ...opt('comment', str(p.get('COMMENT'))),
    ...opt('application', app),
  };
  try {
    const done = createApiIntegration(r.account, integration, { orReplace: cmd.orReplace, ifNotExists: cmd.ifNotExists });
    if (done === 'exists') return statusResult(`${cmd.name} already exists, statement succeeded.`, false);
    return statusResult(`Integration ${cmd.name} successfully created.`, true);
  } catch (e) {
    return refusedMutation(e, INTEGRATION_RULE);
  }
}

/**
 * `CREATE [OR REPLACE] SECRET [IF NOT EXISTS] <name> TYPE = OAUTH2 API_AUTHENTICATION = <i>
 * [OAUTH_SCOPES = (…)] [OAUTH_REFRESH_TOKEN = '…'] [OAUTH_REFRESH_TOKEN_EXPIRY_TIME = '…']
 * [COMMENT = '…']` (https://docs.snowflake.com/en/sql-reference/sql/create-secret, https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 2). In a setup script a two-part name lies in
 * the application's database and the application owns the secret. A session needs a role that
 * creates secrets (ACCOUNTADMIN, SECURITYADMIN, SYSADMIN; inferred) with USAGE on the
 * integration, and may not create secrets inside an application.
 *
 * @example
 * createSecretCommand(cmd, runner).rows // [['Secret OAUTH_SECRET successfully created.']]
 */
export function createSecretCommand(cmd: Extract<OutboundCommand, { kind: 'create-secret' }>, r: Runner): SqlResult {
  const p = cmd.props;
  const type = required(p, 'TYPE', cmd.at, 'TYPE = OAUTH2');
  if (str(type) !== 'OAUTH2') throw new SqlSyntaxError(type.token, 'the mock creates only TYPE = OAUTH2 secrets');
  const integrationName = list(required(p, 'API_AUTHENTICATION', cmd.at, 'API_AUTHENTICATION = <integration>, https://docs.snowflake.com/en/sql-reference/sql/create-secret'))!;
  if (integrationName.length !== 1) return failed(invalidValue('API_AUTHENTICATION', integrationName.join('.'), SECRET_RULE, 'an integration name has one part'));
  const expiryText = str(p.get('OAUTH_REFRESH_TOKEN_EXPIRY_TIME'));
  const expiry = expiryText === undefined ? undefined : parseExpiryTime(expiryText);
  if (expiryText !== undefined && expiry === undefined) {
    return failed(invalidValue('OAUTH_REFRESH_TOKEN_EXPIRY_TIME', expiryText, SECRET_RULE, 'expected YYYY-MM-DD, YYYY-MM-DD HH:MI, YYYY-MM-DD HH:MI:SS, optionally with a time zone'));
  }
  const resolved = resolveSecretName(cmd.name, r.actor);
  const written = cmd.name.join('.');
  if (!resolved.ok) return failed(doesNotExist('Schema', written, SECRET_RULE, resolved.why));
  const role = roleOf(r);
  const app = applicationOf(r);
  if (app !== undefined && resolved.database !== app) {
    return failed(insufficientPrivileges('secret', resolved.full, SECRET_RULE, `the setup script of ${app} creates secrets in its own database only, not in ${resolved.database}`));
  }
  if (role !== undefined) {
    if (applicationsOf(r.account).has(resolved.database)) {
      return failed(insufficientPrivileges('application', resolved.database, SECRET_RULE, `${who(r)} cannot create objects inside application ${resolved.database}; its setup script does`));
    }
    if (!SECRET_CREATOR_ROLES.has(role)) {
      return failed(insufficientPrivileges('secret', resolved.full, `${SECRET_RULE}; privileges inferred`, `${who(r)} may not create secrets: the mock lets ${[...SECRET_CREATOR_ROLES].join(', ')} do it`));
    }
    if (r.account.securityIntegrations.has(integrationName[0]!) && !holds(r.account, { role }, 'USAGE', 'INTEGRATION', integrationName[0]!)) {
      return failed(insufficientPrivileges('integration', integrationName[0]!, SECRET_RULE, `role ${role} lacks USAGE on integration ${integrationName[0]} (a secret's API_AUTHENTICATION needs it)`));
    }
  }
  const scopes = list(p.get('OAUTH_SCOPES'));
  const refresh = str(p.get('OAUTH_REFRESH_TOKEN'));
  const comment = str(p.get('COMMENT'));
  try {
    const done = createSecret(r.account, {
      database: resolved.database, schema: resolved.schema, name: resolved.name, apiAuthentication: integrationName[0]!,
      ...(role !== undefined && { owner: role }), ...(scopes !== undefined && { oauthScopes: scopes }),
      ...(refresh !== undefined && { oauthRefreshToken: refresh }), ...(expiry !== undefined && { oauthRefreshTokenExpiryTime: expiry }),
      ...(comment !== undefined && { comment }),
    }, { orReplace: cmd.orReplace, ifNotExists: cmd.ifNotExists });
    if (done === 'exists') return statusResult(`${resolved.name} already exists, statement succeeded.`, false);
    return statusResult(`Secret ${resolved.name} successfully created.`, true);
  } catch (e) {
    return refusedMutation(e, SECRET_RULE);
  }
}

/**
 * `GRANT|REVOKE <privilege> ON { INTEGRATION | SECRET } <name> TO|FROM [APPLICATION] ROLE <r>`
 * (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4). A setup script grants to its own application roles, on integrations and its
 * own secrets; a session grants to account roles with ACCOUNTADMIN or SECURITYADMIN (MANAGE
 * GRANTS, inferred) — application roles get privileges from their application only.
 *
 * @example
 * grantCommand({ kind: 'grant', revoke: false, grant: { privilege: 'MODIFY', on: 'SECRET', object: ['APP_SCHEMA', 'OAUTH_SECRET'], to: { applicationRole: ['APP_USER'] } } }, runner)
 */
export function grantCommand(cmd: Extract<OutboundCommand, { kind: 'grant' }>, r: Runner): SqlResult {
  const g = cmd.grant;
  const app = applicationOf(r);
  const role = roleOf(r);
  let name: string;
  if (g.on === 'SECRET') {
    const resolved = resolveSecretName(g.object, r.actor);
    if (!resolved.ok) return failed(doesNotExist('Secret', g.object.join('.'), GRANT_RULE, resolved.why));
    name = resolved.full;
    if (app !== undefined && secretsOf(r.account).get(name)?.application !== app && secretsOf(r.account).has(name)) {
      return failed(insufficientPrivileges('secret', name, GRANT_RULE, `the setup script of ${app} grants only on its own secrets`));
    }
  } else {
    name = g.object[0]!;
  }
  if (app === undefined) {
    const integration = g.on === 'INTEGRATION' ? r.account.securityIntegrations.get(name) : undefined;
    const owner = g.on === 'SECRET' ? secretsOf(r.account).get(name)?.application : integration?.type === 'API_AUTHENTICATION' ? integration.application : undefined;
    if (owner !== undefined) {
      return failed(insufficientPrivileges(g.on === 'SECRET' ? 'secret' : 'integration', name, `${GRANT_RULE}; decisions/0008 (the application owns what its setup script creates)`, `${g.on.toLowerCase()} ${name} belongs to application ${owner} (its setup script created it); ${who(r)} may not grant or revoke on it`));
    }
  }
  let to: Grantee;
  if ('role' in g.to) {
    if (app !== undefined) return failed(insufficientPrivileges('application', app, GRANT_RULE, `a setup script grants to application roles only (TO APPLICATION ROLE …), not to the consumer's role ${g.to.role}`));
    to = { role: g.to.role };
  } else {
    const parts = g.to.applicationRole;
    if (app === undefined) {
      return failed(insufficientPrivileges('application', parts.length > 1 ? parts[0]! : parts.join('.'), GRANT_RULE, `${who(r)} cannot grant privileges to application roles: only the application's setup script does (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4)`));
    }
    if (parts.length > 2 || (parts.length === 2 && parts[0] !== app)) {
      return failed(insufficientPrivileges('application', parts[0]!, GRANT_RULE, `the setup script of ${app} grants to its own application roles only, not ${parts.join('.')}`));
    }
    to = { application: app, applicationRole: parts[parts.length - 1]! };
  }
  if (role !== undefined && !GRANT_ADMIN_ROLES.has(role)) {
    return failed(insufficientPrivileges(g.on === 'SECRET' ? 'secret' : 'integration', name, `${GRANT_RULE}; privileges inferred`, `${who(r)} may not grant or revoke: the mock lets ${[...GRANT_ADMIN_ROLES].join(', ')} do it (MANAGE GRANTS)`));
  }
  const grant: PrivilegeGrant = { privilege: g.privilege as PrivilegeGrant['privilege'], on: g.on, name, to };
  try {
    const changed = cmd.revoke ? revokePrivilege(r.account, grant) : grantPrivilege(r.account, grant);
    return statusResult('Statement executed successfully.', changed);
  } catch (e) {
    return refusedMutation(e, GRANT_RULE);
  }
}

/**
 * `CREATE [OR REPLACE | OR ALTER] [VERSIONED] SCHEMA [IF NOT EXISTS] <s>` in a setup script: the
 * schema a secret of the application lives in. A session's CREATE SCHEMA is context-commands.ts's,
 * which `executeSql` tries first; the session branch here answers only other callers of runOutbound.
 *
 * @example
 * createSchemaCommand({ kind: 'create-schema', orReplace: false, ifNotExists: true, name: 'APP_SCHEMA' }, runner)
 */
export function createSchemaCommand(cmd: Extract<OutboundCommand, { kind: 'create-schema' }>, r: Runner): SqlResult {
  const app = applicationOf(r);
  if (app === undefined) return wrongContext('CREATE', 'the mock models CREATE SCHEMA in an application\'s setup script only (schemas hold no authentication state)');
  try {
    const done = createSchema(findApplication(r.account, app), cmd.name, { orReplace: cmd.orReplace, ifNotExists: cmd.ifNotExists });
    return statusResult(done === 'exists' ? `${cmd.name} already exists, statement succeeded.` : `Schema ${cmd.name} successfully created.`, done !== 'exists');
  } catch (e) {
    return refusedMutation(e, 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 2 (the secret\'s schema)');
  }
}

/**
 * `CREATE [OR REPLACE] APPLICATION ROLE [IF NOT EXISTS] <r>` in a setup script.
 *
 * @example
 * createApplicationRoleCommand({ kind: 'create-application-role', orReplace: false, ifNotExists: true, name: 'APP_USER' }, runner)
 */
export function createApplicationRoleCommand(cmd: Extract<OutboundCommand, { kind: 'create-application-role' }>, r: Runner): SqlResult {
  const app = applicationOf(r);
  if (app === undefined) return wrongContext('CREATE', 'CREATE APPLICATION ROLE runs only in an application\'s setup script');
  try {
    const done = createApplicationRole(findApplication(r.account, app), cmd.name, { orReplace: cmd.orReplace, ifNotExists: cmd.ifNotExists });
    return statusResult(done === 'exists' ? `${cmd.name} already exists, statement succeeded.` : `Application role ${cmd.name} successfully created.`, done !== 'exists');
  } catch (e) {
    return refusedMutation(e, 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4 (application roles)');
  }
}
