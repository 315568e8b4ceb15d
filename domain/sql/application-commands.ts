/**
 * Native App configuration as SQL (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Request OAuth authorization from consumers"): the
 * provider's setup script sets specifications and SECRET_AUTHORIZATION configurations; the
 * consumer approves or declines specifications, grants application roles, lists and describes
 * configurations, and sets a configuration to 'configured' (which fires the configuration
 * callbacks, journaled) or unsets it (tokens stay).
 */
import { configurationCallbacks } from '../native-app/events.ts';
import {
  answerSpecification, findApplication, findConfiguration, grantApplicationRole, setConfigurationDefinition, setConfigurationValue,
  setSpecification, unsetConfigurationValue,
} from '../native-app/mutations.ts';
import { GRANT_ADMIN_ROLES, SPEC_APPROVER_ROLES, configurationRolesOf, seesConfiguration } from '../native-app/privileges.ts';
import { resolveSecretName } from '../native-app/state.ts';
import { MutationError } from '../world/mutations.ts';
import type { AppConfiguration, AppSpecification, Application } from '../world/model.ts';
import { numberColumn, textColumn, timestampCell, timestampColumn, type Column, type Row } from './columns.ts';
import type { SqlResult } from './execute.ts';
import { applicationOf, refusedMutation, roleOf, who, wrongContext, type Runner } from './outbound-context.ts';
import type { OutboundCommand, Properties, PropertyValue } from './parse-outbound.ts';
import { statusResult } from './privileges.ts';
import { doesNotExist, failed, insufficientPrivileges, invalidValue } from './refusals.ts';
import { SqlSyntaxError } from './tokens.ts';

const SPEC_RULE = 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 3 (ALTER APPLICATION SET SPECIFICATION)';
const CONFIG_RULE = 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 5 (ALTER APPLICATION SET CONFIGURATION DEFINITION)';
const DONE = 'Statement executed successfully.';

const str = (v: PropertyValue | undefined): string | undefined => (v === undefined ? undefined : typeof v.value === 'string' ? v.value : undefined);

/** The application the statement acts on, or the answer to give instead (an unknown one is 002003). */
function application(r: Runner, name: string, rule: string): Application | SqlResult {
  try {
    return findApplication(r.account, name);
  } catch (e) {
    return refusedMutation(e, rule);
  }
}

const isApp = (v: Application | SqlResult): v is Application => 'applicationRoles' in v;

/** A required property of a setup-script statement. */
function required(props: Properties, key: string, at: PropertyValue['token'], why: string): PropertyValue {
  const v = props.get(key);
  if (v === undefined) throw new SqlSyntaxError(at, `${key} is required (${why})`);
  return v;
}

/**
 * `ALTER APPLICATION SET SPECIFICATION <s> TYPE = SECURITY_INTEGRATION LABEL = '…' DESCRIPTION =
 * '…' OAUTH_TYPE = '…' OAUTH_TOKEN_ENDPOINT = '…' [OAUTH_AUTHORIZATION_ENDPOINT = '…']
 * [OAUTH_ALLOWED_SCOPES = (…)]` — the application's own setup script only.
 *
 * @example
 * setSpecificationCommand(cmd, runner).rows // [['Statement executed successfully.']]
 */
export function setSpecificationCommand(cmd: Extract<OutboundCommand, { kind: 'set-specification' }>, r: Runner): SqlResult {
  const appName = applicationOf(r);
  if (appName === undefined) return wrongContext('ALTER', 'ALTER APPLICATION SET SPECIFICATION runs only in an application\'s setup script (applications[].setup_script, mock.world.runSetupScript)');
  const app = application(r, appName, SPEC_RULE);
  if (!isApp(app)) return app;
  const p = cmd.props;
  const type = required(p, 'TYPE', cmd.at, 'TYPE = SECURITY_INTEGRATION');
  if (str(type) !== 'SECURITY_INTEGRATION') throw new SqlSyntaxError(type.token, 'the mock models only TYPE = SECURITY_INTEGRATION specifications');
  const oauthType = str(required(p, 'OAUTH_TYPE', cmd.at, 'CLIENT_CREDENTIALS, AUTHORIZATION_CODE or JWT_BEARER'));
  const types = ['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'JWT_BEARER'] as const;
  if (!(types as readonly (string | undefined)[]).includes(oauthType)) return failed(invalidValue('OAUTH_TYPE', oauthType ?? '', SPEC_RULE, `OAUTH_TYPE must be one of ${types.join(', ')}`));
  const endpoint = str(required(p, 'OAUTH_TOKEN_ENDPOINT', cmd.at, 'the token endpoint the consumer approves'))!;
  const authorization = str(p.get('OAUTH_AUTHORIZATION_ENDPOINT'));
  const scopes = p.get('OAUTH_ALLOWED_SCOPES');
  try {
    setSpecification(app, {
      name: cmd.name, label: str(p.get('LABEL')) ?? '', description: str(p.get('DESCRIPTION')) ?? '', oauthType: oauthType as (typeof types)[number],
      oauthTokenEndpoint: endpoint, ...(authorization !== undefined && { oauthAuthorizationEndpoint: authorization }),
      oauthAllowedScopes: scopes?.kind === 'list' ? scopes.value : [],
    }, r.env.now);
    return statusResult(DONE, true);
  } catch (e) {
    return refusedMutation(e, SPEC_RULE);
  }
}

/**
 * `ALTER APPLICATION SET CONFIGURATION DEFINITION <c> TYPE = SECRET_AUTHORIZATION SECRET = <s>
 * [LABEL = '…'] [DESCRIPTION = '…'] APPLICATION_ROLES = (<r>, …)` — the setup script only. The
 * secret (`schema.name` in the application's database, or three parts) must be the
 * application's, and each application role needs MODIFY on it (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 5).
 *
 * @example
 * setConfigurationDefinitionCommand(cmd, runner)
 */
export function setConfigurationDefinitionCommand(cmd: Extract<OutboundCommand, { kind: 'set-configuration-definition' }>, r: Runner): SqlResult {
  const appName = applicationOf(r);
  if (appName === undefined) return wrongContext('ALTER', 'ALTER APPLICATION SET CONFIGURATION DEFINITION runs only in an application\'s setup script (applications[].setup_script, mock.world.runSetupScript)');
  const app = application(r, appName, CONFIG_RULE);
  if (!isApp(app)) return app;
  const p = cmd.props;
  const type = required(p, 'TYPE', cmd.at, 'TYPE = SECRET_AUTHORIZATION');
  if (str(type) !== 'SECRET_AUTHORIZATION') throw new SqlSyntaxError(type.token, 'the mock models only TYPE = SECRET_AUTHORIZATION configurations');
  const secretName = required(p, 'SECRET', cmd.at, 'the secret the OAuth flow fills');
  const resolved = resolveSecretName(secretName.kind === 'list' ? secretName.value : [], r.actor);
  if (!resolved.ok) return failed(doesNotExist('Secret', '', CONFIG_RULE, resolved.why));
  const roles = required(p, 'APPLICATION_ROLES', cmd.at, 'the application roles with MODIFY VALUE');
  try {
    setConfigurationDefinition(r.account, app, {
      name: cmd.name, secret: resolved.full, label: str(p.get('LABEL')) ?? '', description: str(p.get('DESCRIPTION')) ?? '',
      applicationRoles: roles.kind === 'list' ? roles.value : [],
    }, r.env.now);
    return statusResult(DONE, true);
  } catch (e) {
    return refusedMutation(e, CONFIG_RULE);
  }
}

/**
 * `ALTER APPLICATION <app> { APPROVE | DECLINE } SPECIFICATION <s> SEQUENCE_NUMBER = <n>`: needs
 * MANAGE APPLICATION SPECIFICATIONS, which ACCOUNTADMIN and SECURITYADMIN hold (documented); the
 * number must be the current one.
 *
 * @example
 * answerSpecificationCommand({ kind: 'answer-specification', application: 'EXAMPLE_APP', approve: true, name: 'OAUTH_SPEC', sequenceNumber: 1 }, runner)
 */
export function answerSpecificationCommand(cmd: Extract<OutboundCommand, { kind: 'answer-specification' }>, r: Runner): SqlResult {
  const role = roleOf(r);
  if (role === undefined) return wrongContext('ALTER', 'approving a specification is the consumer\'s statement, not the setup script\'s');
  const rule = 'ALTER APPLICATION … APPROVE | DECLINE SPECIFICATION (MANAGE APPLICATION SPECIFICATIONS)';
  const app = application(r, cmd.application, rule);
  if (!isApp(app)) return app;
  if (!SPEC_APPROVER_ROLES.has(role)) {
    return failed(insufficientPrivileges('application', app.name, rule, `${who(r)} lacks MANAGE APPLICATION SPECIFICATIONS, which only ${[...SPEC_APPROVER_ROLES].join(' and ')} hold unless granted`));
  }
  try {
    answerSpecification(app, cmd.name, cmd.sequenceNumber, cmd.approve, r.env.now);
    return statusResult(DONE, true);
  } catch (e) {
    return refusedMutation(e, rule);
  }
}

/**
 * `GRANT | REVOKE APPLICATION ROLE <app>.<r> TO | FROM ROLE <x>`: the application's owner role
 * or a role with MANAGE GRANTS (ACCOUNTADMIN, SECURITYADMIN; inferred).
 *
 * @example
 * grantApplicationRoleCommand({ kind: 'grant-application-role', revoke: false, applicationRole: ['EXAMPLE_APP', 'APP_USER'], role: 'ANALYST' }, runner)
 */
export function grantApplicationRoleCommand(cmd: Extract<OutboundCommand, { kind: 'grant-application-role' }>, r: Runner): SqlResult {
  const role = roleOf(r);
  const rule = 'GRANT APPLICATION ROLE (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Consumer authentication"; privileges inferred)';
  if (role === undefined) return wrongContext('GRANT', 'granting an application role to an account role is the consumer\'s statement');
  if (cmd.applicationRole.length !== 2) return failed(doesNotExist('Application role', cmd.applicationRole.join('.'), rule, 'name the application role as <application>.<role>'));
  const [appName, appRole] = cmd.applicationRole as [string, string];
  const app = application(r, appName, rule);
  if (!isApp(app)) return app;
  if (role !== app.owner && !GRANT_ADMIN_ROLES.has(role)) {
    return failed(insufficientPrivileges('application', app.name, rule, `${who(r)} neither owns application ${app.name} (owner ${app.owner}) nor holds MANAGE GRANTS`));
  }
  try {
    const changed = grantApplicationRole(r.account, app.name, appRole, cmd.role, !cmd.revoke);
    return statusResult(DONE, changed);
  } catch (e) {
    return refusedMutation(e, rule);
  }
}

/** The configuration a consumer acts on, if its role may (an application role listed in it; https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Consumer authentication"). */
function modifiableConfiguration(r: Runner, app: Application, name: string, role: string, rule: string): AppConfiguration | SqlResult {
  let config: AppConfiguration;
  try {
    config = findConfiguration(app, name);
  } catch (e) {
    return refusedMutation(e, rule);
  }
  if (configurationRolesOf(app, config, role).length === 0) {
    const listed = config.applicationRoles.map((x) => `${app.name}.${x}`).join(', ');
    return failed(insufficientPrivileges('configuration', `${app.name}.${config.name}`, rule, `${who(r)} lacks MODIFY VALUE on configuration ${app.name}.${config.name}: it is granted to ${listed}, none of which role ${role} holds (GRANT APPLICATION ROLE … TO ROLE ${role})`));
  }
  return config;
}

const isConfig = (v: AppConfiguration | SqlResult): v is AppConfiguration => 'applicationRoles' in v;

/**
 * `ALTER APPLICATION <app> SET CONFIGURATION <c> VALUE = 'configured'` (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 3"): only that
 * value, only once the secret holds tokens; then the before_configuration_change and
 * after_configuration_change callbacks fire (journaled as `CALLBACK` entries).
 *
 * @example
 * setConfigurationValueCommand({ kind: 'set-configuration-value', application: 'EXAMPLE_APP', name: 'OAUTH_CONFIG', value: 'configured' }, runner)
 */
export function setConfigurationValueCommand(cmd: Extract<OutboundCommand, { kind: 'set-configuration-value' }>, r: Runner): SqlResult {
  return changeConfiguration(cmd, r, cmd.value);
}

/**
 * `ALTER APPLICATION <app> UNSET CONFIGURATION <c>`: fires both callbacks; the tokens stay in the
 * secret (seed: unsetting "does not invalidate or revoke the OAuth tokens").
 *
 * @example
 * unsetConfigurationValueCommand({ kind: 'unset-configuration-value', application: 'EXAMPLE_APP', name: 'OAUTH_CONFIG' }, runner)
 */
export function unsetConfigurationValueCommand(cmd: Extract<OutboundCommand, { kind: 'unset-configuration-value' }>, r: Runner): SqlResult {
  return changeConfiguration(cmd, r, undefined);
}

function changeConfiguration(cmd: { readonly application: string; readonly name: string }, r: Runner, value: string | undefined): SqlResult {
  const role = roleOf(r);
  const rule = 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization Step 3 (SET | UNSET CONFIGURATION)';
  if (role === undefined || r.actor.kind !== 'session') return wrongContext('ALTER', 'setting a configuration\'s value is the consumer\'s statement');
  const app = application(r, cmd.application, rule);
  if (!isApp(app)) return app;
  const config = modifiableConfiguration(r, app, cmd.name, role, rule);
  if (!isConfig(config)) return config;
  try {
    if (value === undefined) unsetConfigurationValue(app, config.name, r.env.now);
    else setConfigurationValue(r.account, app, config.name, value, r.env.now);
  } catch (e) {
    if (e instanceof MutationError) return refusedMutation(e, rule);
    throw e;
  }
  const change = value === undefined ? 'UNSET (the tokens stay in the secret)' : `SET VALUE = '${value}'`;
  configurationCallbacks(r.env.journal, r.account.name, app.name, config.name, change, r.env.now, { user: r.actor.user, role });
  return statusResult(DONE, true);
}

const SPEC_COLUMNS: readonly Column[] = Object.freeze([
  textColumn('name'), timestampColumn('requested_on'), textColumn('type'), numberColumn('sequence_number'), textColumn('status'),
  timestampColumn('status_updated_on'), textColumn('label'), textColumn('description'), textColumn('definition'),
]);

/** The `definition` cell of a SECURITY_INTEGRATION specification (JSON; field names inferred). */
function definition(s: AppSpecification): string {
  return JSON.stringify({
    OAUTH_TYPE: s.oauthType, OAUTH_TOKEN_ENDPOINT: s.oauthTokenEndpoint,
    ...(s.oauthAuthorizationEndpoint !== undefined && { OAUTH_AUTHORIZATION_ENDPOINT: s.oauthAuthorizationEndpoint }),
    ...(s.oauthAllowedScopes.length > 0 && { OAUTH_ALLOWED_SCOPES: s.oauthAllowedScopes }),
  });
}

/**
 * `SHOW [APPROVED | DECLINED | PENDING] SPECIFICATIONS IN APPLICATION <app>` (documented
 * columns). A consumer names the application; its owner and the roles with MANAGE APPLICATION
 * SPECIFICATIONS see every specification, other roles none (inferred).
 *
 * @example
 * showSpecificationsCommand({ kind: 'show-specifications', application: 'EXAMPLE_APP' }, runner).rows[0][3] // '1'
 */
export function showSpecificationsCommand(cmd: Extract<OutboundCommand, { kind: 'show-specifications' }>, r: Runner): SqlResult {
  const name = cmd.application ?? applicationOf(r);
  if (name === undefined) return wrongContext('SHOW', 'a consumer names the application: SHOW SPECIFICATIONS IN APPLICATION <app>');
  const app = application(r, name, 'SHOW SPECIFICATIONS');
  if (!isApp(app)) return app;
  const role = roleOf(r);
  const sees = role === undefined || role === app.owner || SPEC_APPROVER_ROLES.has(role);
  const rows: Row[] = !sees ? [] : [...app.specifications.values()]
    .filter((s) => cmd.status === undefined || s.status === cmd.status)
    .map((s) => [s.name, timestampCell(s.requestedOn), s.type, String(s.sequenceNumber), s.status, timestampCell(s.statusUpdatedOn), s.label, s.description, definition(s)]);
  return { ok: true, kind: 'show', columns: SPEC_COLUMNS, rows, changed: false, cacheable: false };
}

/** SHOW CONFIGURATIONS' documented columns, plus the seed's additionalProperties (naming the secret). */
const CONFIG_COLUMNS: readonly Column[] = Object.freeze([
  textColumn('name'), timestampColumn('created_on'), timestampColumn('updated_on'), textColumn('type'), textColumn('status'), textColumn('value'),
  timestampColumn('value_updated_on'), textColumn('label'), textColumn('description'), textColumn('application_roles'), textColumn('additionalProperties'),
]);

function configurationRow(app: Application, c: AppConfiguration): Row {
  return [
    c.name, timestampCell(c.createdOn), timestampCell(c.updatedOn), c.type, c.value === undefined ? 'PENDING' : 'DONE', c.value ?? null,
    c.valueUpdatedOn === undefined ? null : timestampCell(c.valueUpdatedOn), c.label, c.description,
    c.applicationRoles.filter((x) => app.applicationRoles.has(x)).join(','), JSON.stringify({ secret: c.secret }),
  ];
}

/**
 * `SHOW CONFIGURATIONS IN APPLICATION <app>`: the configurations the role sees (through an
 * application role listed in one, or as the application's owner); `additionalProperties` holds
 * `{"secret": "<db>.<schema>.<secret>"}` (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 1").
 *
 * @example
 * showConfigurationsCommand({ kind: 'show-configurations', application: 'EXAMPLE_APP' }, runner).rows[0][10] // '{"secret":"EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET"}'
 */
export function showConfigurationsCommand(cmd: Extract<OutboundCommand, { kind: 'show-configurations' }>, r: Runner): SqlResult {
  const name = cmd.application ?? applicationOf(r);
  if (name === undefined) return wrongContext('SHOW', 'a consumer names the application: SHOW CONFIGURATIONS IN APPLICATION <app>');
  const app = application(r, name, 'SHOW CONFIGURATIONS');
  if (!isApp(app)) return app;
  const role = roleOf(r);
  const rows = [...app.configurations.values()].filter((c) => role === undefined || seesConfiguration(app, c, role)).map((c) => configurationRow(app, c));
  return { ok: true, kind: 'show', columns: CONFIG_COLUMNS, rows, changed: false, cacheable: false };
}

/**
 * `DESC[RIBE] CONFIGURATION <c> IN APPLICATION <app>`: one row with SHOW CONFIGURATIONS' columns;
 * a role that does not see the configuration gets 003001 (the docs: "If not, an error is thrown").
 *
 * @example
 * describeConfigurationCommand({ kind: 'describe-configuration', name: 'OAUTH_CONFIG', application: 'EXAMPLE_APP' }, runner)
 */
export function describeConfigurationCommand(cmd: Extract<OutboundCommand, { kind: 'describe-configuration' }>, r: Runner): SqlResult {
  const name = cmd.application ?? applicationOf(r);
  const rule = 'DESCRIBE CONFIGURATION';
  if (name === undefined) return wrongContext('DESCRIBE', 'a consumer names the application: DESCRIBE CONFIGURATION <c> IN APPLICATION <app>');
  const app = application(r, name, rule);
  if (!isApp(app)) return app;
  let config: AppConfiguration;
  try {
    config = findConfiguration(app, cmd.name);
  } catch (e) {
    return refusedMutation(e, rule);
  }
  const role = roleOf(r);
  if (role !== undefined && !seesConfiguration(app, config, role)) {
    return failed(insufficientPrivileges('configuration', `${app.name}.${config.name}`, rule, `${who(r)} holds no application role with access to configuration ${app.name}.${config.name}`));
  }
  return { ok: true, kind: 'describe', columns: CONFIG_COLUMNS, rows: [configurationRow(app, config)], changed: false, cacheable: false };
}
