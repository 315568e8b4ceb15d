/**
 * The account's outbound-OAuth and Native App state (issue #6): OAUTH2 secrets, grants on
 * integrations and secrets, installed applications and pending START_OAUTH_FLOW calls. The
 * fields are optional on the model (hand-built test accounts have none); these accessors create
 * them on first use, so every reader and writer goes through one place.
 */
import type { Account, ApiAuthenticationIntegration, Application, OAuth2Secret, PendingOAuthFlow, PrivilegeGrant } from '../world/model.ts';

/**
 * The account's secrets by `DATABASE.SCHEMA.NAME`.
 *
 * @example
 * secretsOf(account).get('EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET')
 */
export function secretsOf(account: Account): Map<string, OAuth2Secret> {
  return (account.secrets ??= new Map());
}

/**
 * The account's installed applications by name.
 *
 * @example
 * applicationsOf(account).get('EXAMPLE_APP')?.applicationRoles
 */
export function applicationsOf(account: Account): Map<string, Application> {
  return (account.applications ??= new Map());
}

/**
 * The account's grants on integrations and secrets.
 *
 * @example
 * grantsOf(account).filter((g) => g.on === 'SECRET')
 */
export function grantsOf(account: Account): PrivilegeGrant[] {
  return (account.grants ??= []);
}

/**
 * Pending SYSTEM$START_OAUTH_FLOW calls by state.
 *
 * @example
 * flowsOf(account).get(state)?.session
 */
export function flowsOf(account: Account): Map<string, PendingOAuthFlow> {
  return (account.oauthFlows ??= new Map());
}

/**
 * An API_AUTHENTICATION integration of the account, if there is one of that name.
 *
 * @example
 * apiIntegration(account, 'OAUTH_INTEGRATION')?.oauthGrant // 'AUTHORIZATION_CODE'
 */
export function apiIntegration(account: Account, name: string): ApiAuthenticationIntegration | undefined {
  const i = account.securityIntegrations.get(name);
  return i?.type === 'API_AUTHENTICATION' ? i : undefined;
}

/**
 * A new, empty application object.
 *
 * @example
 * applicationsOf(account).set('EXAMPLE_APP', newApplication('EXAMPLE_APP', 'ACCOUNTADMIN'))
 */
export function newApplication(name: string, owner: string): Application {
  return { name, owner, applicationRoles: new Set(), schemas: new Set(), specifications: new Map(), configurations: new Map(), roleGrants: new Map() };
}

/** Where a statement runs: a user's session, or an application (its setup script). */
export type Actor =
  | { readonly kind: 'session'; readonly user: string; readonly role: string; readonly database?: string | undefined; readonly schema?: string | undefined }
  | { readonly kind: 'application'; readonly application: string };

/**
 * Splits an object name written as `a`, `a.b` or `a.b.c` (each part upper-cased unless it was
 * quoted; the caller passes parts already normalised by the tokenizer).
 *
 * @example
 * splitName('EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET') // ['EXAMPLE_APP', 'APP_SCHEMA', 'OAUTH_SECRET']
 */
export function splitName(name: string): string[] {
  return name.split('.');
}

/** A resolved three-part name, or why it cannot be resolved. */
export type Resolved = { readonly ok: true; readonly database: string; readonly schema: string; readonly name: string; readonly full: string } | { readonly ok: false; readonly why: string };

/**
 * Resolves a secret name to `DATABASE.SCHEMA.NAME`: three parts as written; two parts in the
 * application's database (setup script, https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 5) or the session's database; one part in the
 * session's database and schema.
 *
 * @example
 * resolveSecretName(['APP_SCHEMA', 'OAUTH_SECRET'], { kind: 'application', application: 'EXAMPLE_APP' })
 * // { ok: true, full: 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET', … }
 */
export function resolveSecretName(parts: readonly string[], actor: Actor): Resolved {
  const done = (database: string, schema: string, name: string): Resolved => ({ ok: true, database, schema, name, full: `${database}.${schema}.${name}` });
  if (parts.length === 3) return done(parts[0]!, parts[1]!, parts[2]!);
  const database = actor.kind === 'application' ? actor.application : actor.database;
  if (parts.length === 2) {
    if (database === undefined) return { ok: false, why: `"${parts.join('.')}" names no database and the session has none` };
    return done(database, parts[0]!, parts[1]!);
  }
  if (parts.length === 1) {
    const schema = actor.kind === 'session' ? actor.schema : undefined;
    if (database === undefined || schema === undefined) return { ok: false, why: `"${parts[0]}" names no database and schema and the session has none` };
    return done(database, schema, parts[0]!);
  }
  return { ok: false, why: `"${parts.join('.')}" has more than three parts` };
}
