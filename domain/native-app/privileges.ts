/**
 * Privileges on integrations, secrets and application configurations (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Request OAuth
 * authorization from consumers", steps 4–5). The mock has no role
 * hierarchy: a role holds a privilege when it was granted it, or owns the object.
 *
 * Ownership (inferred): an integration is owned by ACCOUNTADMIN and SECURITYADMIN (the roles that
 * may create one), an account secret by the role that created it, an application's secret by the
 * application — whose application roles still need explicit grants (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4). The role owning an application sees all its configurations (SHOW CONFIGURATIONS
 * usage notes: MONITOR or OWNERSHIP on the app).
 */
import type { Account, AppConfiguration, Application, Grantee, OAuth2Secret, PrivilegeGrant } from '../world/model.ts';
import { applicationsOf, grantsOf } from './state.ts';

/** Inferred: the roles that own every security integration (only they may create one). */
export const INTEGRATION_OWNER_ROLES: ReadonlySet<string> = new Set(['ACCOUNTADMIN', 'SECURITYADMIN']);

/** Documented: only these system roles hold MANAGE APPLICATION SPECIFICATIONS by default. */
export const SPEC_APPROVER_ROLES: ReadonlySet<string> = new Set(['ACCOUNTADMIN', 'SECURITYADMIN']);

/** Inferred: roles that may GRANT/REVOKE on integrations and secrets and grant application roles (MANAGE GRANTS). */
export const GRANT_ADMIN_ROLES: ReadonlySet<string> = new Set(['ACCOUNTADMIN', 'SECURITYADMIN']);

/** Inferred: roles that may CREATE SECRET in a database of the account. */
export const SECRET_CREATOR_ROLES: ReadonlySet<string> = new Set(['ACCOUNTADMIN', 'SECURITYADMIN', 'SYSADMIN']);

const sameGrantee = (a: Grantee, b: Grantee): boolean =>
  'role' in a ? 'role' in b && a.role === b.role : !('role' in b) && a.application === b.application && a.applicationRole === b.applicationRole;

/**
 * Whether two grants are the same grant (privilege, object and grantee).
 *
 * @example
 * sameGrant(g, { privilege: 'USAGE', on: 'INTEGRATION', name: 'X', to: { role: 'ANALYST' } })
 */
export function sameGrant(a: PrivilegeGrant, b: PrivilegeGrant): boolean {
  return a.privilege === b.privilege && a.on === b.on && a.name === b.name && sameGrantee(a.to, b.to);
}

/**
 * Whether a grantee holds a privilege on an object: granted, or the owner.
 *
 * @example
 * holds(account, { role: 'ANALYST' }, 'USAGE', 'INTEGRATION', 'OAUTH_INTEGRATION')
 */
export function holds(account: Account, to: Grantee, privilege: PrivilegeGrant['privilege'], on: PrivilegeGrant['on'], name: string, secret?: OAuth2Secret): boolean {
  if (owns(to, on, name, secret)) return true;
  return grantsOf(account).some((g) => g.privilege === privilege && g.on === on && g.name === name && sameGrantee(g.to, to));
}

function owns(to: Grantee, on: PrivilegeGrant['on'], _name: string, secret?: OAuth2Secret): boolean {
  if (on === 'INTEGRATION') return 'role' in to && INTEGRATION_OWNER_ROLES.has(to.role);
  // An application owns its secrets, but its application roles hold only what is granted to them (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4).
  return secret !== undefined && 'role' in to && secret.application === undefined && secret.owner === to.role;
}

/**
 * The application roles granted to an account role (GRANT APPLICATION ROLE … TO ROLE …).
 *
 * @example
 * applicationRolesOf(account, 'ANALYST') // [{ application: 'EXAMPLE_APP', applicationRole: 'APP_USER' }]
 */
export function applicationRolesOf(account: Account, role: string): { application: string; applicationRole: string }[] {
  const out: { application: string; applicationRole: string }[] = [];
  for (const app of applicationsOf(account).values()) {
    for (const [appRole, roles] of app.roleGrants) if (roles.has(role)) out.push({ application: app.name, applicationRole: appRole });
  }
  return out;
}

/**
 * The application roles of `app` granted to `role` that a configuration lists (MODIFY VALUE on
 * it, https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Consumer authentication").
 *
 * @example
 * configurationRolesOf(app, config, 'ANALYST') // ['APP_USER']
 */
export function configurationRolesOf(app: Application, config: AppConfiguration, role: string): string[] {
  return config.applicationRoles.filter((r) => app.roleGrants.get(r)?.has(role) === true);
}

/**
 * Whether an account role sees a configuration: through one of its application roles, or as
 * the application's owner (SHOW CONFIGURATIONS usage notes).
 *
 * @example
 * seesConfiguration(app, config, 'ANALYST') // true when APP_USER is granted to ANALYST
 */
export function seesConfiguration(app: Application, config: AppConfiguration, role: string): boolean {
  return app.owner === role || configurationRolesOf(app, config, role).length > 0;
}
