/**
 * Builds an account's outbound-OAuth and Native App state from its config (issue #6), after the
 * rest of the account: applications (with their declared application roles), secrets, each
 * application's setup script, grants, then each application's declared specifications,
 * configurations and approvals. The rules are those of native-app/mutations.ts and the SQL layer,
 * so a world loads only if the same steps would succeed in Snowflake; every refusal is a config
 * problem at its field (the setup script's names the statement and its line).
 */
import { entryFor, formatMessage } from '../errors/catalogue.ts';
import type { Ids } from '../ids.ts';
import type { AccountConfig, ApplicationConfig, GrantConfig, SecretConfig } from '../world/config.ts';
import type { Account, Grantee, PrivilegeGrant, World } from '../world/model.ts';
import { MutationError } from '../world/mutations.ts';
import { declareSchema, findDatabase } from '../world/databases.ts';
import { parseInstant, type ConfigPath, type ConfigProblem } from '../world/validate.ts';
import { parseExpiryTime } from './expiry-time.ts';
import {
  answerSpecification, createApplicationRole, createSecret, findApplication, grantApplicationRole, grantPrivilege, installApplication,
  setConfigurationDefinition, setSpecification,
} from './mutations.ts';
import { runSetupScript } from './setup-script.ts';
import { resolveSecretName } from './state.ts';

const up = (s: string): string => s.toUpperCase();

/** What building needs: the clock start and the id source. */
export interface LinkOptions {
  readonly now: number;
  readonly ids: Ids;
}

/**
 * Adds the config's applications, secrets, setup scripts, grants, specifications, configurations
 * and approvals to a built account; returns the problems (empty when all went well).
 *
 * @example
 * const problems = linkOutbound(world, world.accounts[0], config, ['accounts', 0], { now, ids })
 */
export function linkOutbound(world: World, account: Account, config: AccountConfig, path: ConfigPath, o: LinkOptions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const attempt = (at: ConfigPath, step: () => void): void => {
    try {
      step();
    } catch (e) {
      if (!(e instanceof MutationError)) throw e;
      problems.push({ path: at, message: e.message });
    }
  };
  const apps = config.applications ?? [];
  apps.forEach((a, i) => attempt([...path, 'applications', i], () => installFromConfig(account, a)));
  (config.secrets ?? []).forEach((s, i) => attempt([...path, 'secrets', i], () => secretFromConfig(account, s)));
  apps.forEach((a, i) => {
    if (a.setup_script == null) return;
    const r = runSetupScript(account, up(a.name), a.setup_script, { world, now: o.now, ids: o.ids });
    if (!r.ok) {
      const message = formatMessage(entryFor(r.rejection.code), r.rejection.params ?? {}).replace(/\n/g, ' ');
      problems.push({ path: [...path, 'applications', i, 'setup_script'], message: `statement at line ${r.failed.line} of the script failed (${r.rejection.code}: ${message}): ${r.rejection.explanation}` });
    }
  });
  (config.grants ?? []).forEach((g, i) => attempt([...path, 'grants', i], () => grantFromConfig(account, g)));
  apps.forEach((a, i) => {
    const at: ConfigPath = [...path, 'applications', i];
    if (!account.applications?.has(up(a.name))) return;
    const app = findApplication(account, up(a.name));
    (a.specifications ?? []).forEach((s, j) => attempt([...at, 'specifications', j], () => {
      setSpecification(app, {
        name: up(s.name), label: s.label ?? '', description: s.description ?? '', oauthType: up(s.oauth_type) as 'AUTHORIZATION_CODE',
        oauthTokenEndpoint: s.oauth_token_endpoint, ...(s.oauth_authorization_endpoint != null && { oauthAuthorizationEndpoint: s.oauth_authorization_endpoint }),
        oauthAllowedScopes: s.oauth_allowed_scopes ?? [],
      }, o.now);
    }));
    (a.configurations ?? []).forEach((c, j) => attempt([...at, 'configurations', j], () => {
      const resolved = resolveSecretName(up(c.secret).split('.'), { kind: 'application', application: app.name });
      if (!resolved.ok) throw new MutationError('UNKNOWN_SECRET', resolved.why);
      setConfigurationDefinition(account, app, {
        name: up(c.name), secret: resolved.full, label: c.label ?? '', description: c.description ?? '', applicationRoles: c.application_roles.map(up),
      }, o.now);
    }));
    (a.approved_specifications ?? []).forEach((s, j) => attempt([...at, 'approved_specifications', j], () => answerSpecification(app, up(s), undefined, true, o.now)));
  });
  return problems;
}

function installFromConfig(account: Account, a: ApplicationConfig): void {
  const app = installApplication(account, up(a.name), a.owner == null ? 'ACCOUNTADMIN' : up(a.owner));
  for (const role of a.application_roles ?? []) createApplicationRole(app, up(role));
}

/** A secret's config name as three parts: `DB.SCHEMA.NAME`, or `SCHEMA.NAME` in its application's database. */
function secretParts(s: SecretConfig): { database: string; schema: string; name: string } {
  const parts = up(s.name).split('.');
  const app = s.application == null ? undefined : up(s.application);
  if (parts.length === 2 && app !== undefined) return { database: app, schema: parts[0]!, name: parts[1]! };
  if (parts.length === 3 && (app === undefined || parts[0] === app)) return { database: parts[0]!, schema: parts[1]!, name: parts[2]! };
  throw new MutationError('UNKNOWN_SECRET', app === undefined
    ? `secret name "${s.name}" must have three parts (DATABASE.SCHEMA.NAME), or two with application: <app>`
    : `secret name "${s.name}" of application ${app} must be SCHEMA.NAME or ${app}.SCHEMA.NAME`);
}

function secretFromConfig(account: Account, s: SecretConfig): void {
  const { database, schema, name } = secretParts(s);
  // A declared secret of an application brings its schema (the setup script would have created it);
  // so does one of an account database (inferred: the config declares the schema by naming it).
  account.applications?.get(database)?.schemas.add(schema);
  const db = findDatabase(account, database);
  if (db) declareSchema(db, schema, db.owner, db.createdOn ?? 0);
  const expiry = s.oauth_refresh_token_expiry_time == null ? undefined
    : typeof s.oauth_refresh_token_expiry_time === 'string' ? parseExpiryTime(s.oauth_refresh_token_expiry_time) ?? parseInstant(s.oauth_refresh_token_expiry_time)
    : parseInstant(s.oauth_refresh_token_expiry_time);
  createSecret(account, {
    database, schema, name, apiAuthentication: up(s.api_authentication),
    ...(s.owner != null && { owner: up(s.owner) }), ...(s.oauth_scopes !== undefined && { oauthScopes: s.oauth_scopes }),
    ...(s.oauth_refresh_token != null && { oauthRefreshToken: s.oauth_refresh_token }), ...(expiry !== undefined && { oauthRefreshTokenExpiryTime: expiry }),
    ...(s.comment != null && { comment: s.comment }),
  });
}

/** An `APPLICATION.ROLE` reference. */
function appRole(text: string): { application: string; applicationRole: string } {
  const parts = up(text).split('.');
  if (parts.length !== 2) throw new MutationError('UNKNOWN_APPLICATION_ROLE', `"${text}" must name an application role as APPLICATION.ROLE`);
  return { application: parts[0]!, applicationRole: parts[1]! };
}

function grantFromConfig(account: Account, g: GrantConfig): void {
  const to: Grantee = g.to_role !== undefined ? { role: up(g.to_role) } : appRole(g.to_application_role!);
  if (g.application_role !== undefined) {
    if (!('role' in to)) throw new MutationError('INVALID_VALUE', 'an application role is granted to an account role (to_role)', { what: 'to_application_role', value: '' });
    const { application, applicationRole } = appRole(g.application_role);
    findApplication(account, application);
    grantApplicationRole(account, application, applicationRole, to.role);
    return;
  }
  const on = g.on_integration !== undefined ? 'INTEGRATION' : 'SECRET';
  const grant: PrivilegeGrant = { privilege: up(g.privilege!) as PrivilegeGrant['privilege'], on, name: up(g.on_integration ?? g.on_secret!), to };
  grantPrivilege(account, grant);
}
