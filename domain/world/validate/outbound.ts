/**
 * The outbound-OAuth and Native App sections of an account (issue #6): `secrets`, `grants` and
 * `applications`. Shapes, enumerations and the references known before any setup script runs
 * are checked here; references to objects a setup script may create (application roles,
 * secrets, specifications) are checked when the world is built (native-app/build.ts), with the
 * same field paths.
 */
import { parseExpiryTime } from '../../native-app/expiry-time.ts';
import { scopeTokenProblem } from '../../native-app/scope-token.ts';
import { isAbsent, names, type Checker, type Entry, type Rec } from './checker.ts';
import { httpUrlProblem, parseInstant } from './field-rules.ts';
import { roleField, roleRef, type Scope } from './scope.ts';
import { didYouMean, suggest } from './suggest.ts';
import { formatPath, type ConfigPath } from './world-config-error.ts';

const SECRET_KEYS = ['name', 'type', 'api_authentication', 'application', 'owner', 'oauth_scopes', 'oauth_refresh_token', 'oauth_refresh_token_expiry_time', 'comment'];
const GRANT_KEYS = ['privilege', 'on_integration', 'on_secret', 'application_role', 'to_role', 'to_application_role'];
const APPLICATION_KEYS = ['name', 'owner', 'application_roles', 'setup_script', 'specifications', 'configurations', 'approved_specifications'];
const SPEC_KEYS = ['name', 'type', 'label', 'description', 'oauth_type', 'oauth_token_endpoint', 'oauth_authorization_endpoint', 'oauth_allowed_scopes'];
const CONFIG_KEYS = ['name', 'type', 'secret', 'label', 'description', 'application_roles'];
const NAME_PART = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * Checks `applications`, `secrets` and `grants` of one account (after its integrations).
 *
 * @example
 * checkOutbound(c, scope, account)
 */
export function checkOutbound(c: Checker, scope: Scope, a: Rec): void {
  const applications = checkApplications(c, scope, a);
  checkSecrets(c, scope, a, applications);
  checkGrants(c, scope, a, applications);
}

/**
 * A list of scopes, each an RFC 6749 §3.3 scope token (no spaces, printable ASCII, no `"` or `\`).
 *
 * @example
 * scopeTokens(c, integration, 'oauth_allowed_scopes', path) // reports ['…', 'oauth_allowed_scopes', 0] for 'a b'
 */
export function scopeTokens(c: Checker, obj: Rec, key: string, path: ConfigPath): Entry<string>[] {
  const scopes = c.strings(obj, key, path);
  for (const { value, path: at } of scopes) {
    const problem = scopeTokenProblem(value);
    if (problem) c.add(at, `scope "${value.slice(0, 100)}" ${problem}`);
  }
  return scopes;
}

function checkApplications(c: Checker, scope: Scope, a: Rec): Set<string> {
  const entries = c.records(a, 'applications', scope.path, APPLICATION_KEYS);
  const declared = new Set<string>();
  for (const { value: app, path } of entries) {
    const name = objectName(c, app, 'name', path, 'for an application (its name, which is also its database)');
    if (name) declared.add(name);
    roleField(c, scope, app, 'owner', path);
    const roles = c.strings(app, 'application_roles', path);
    for (const r of roles) namePart(c, r);
    c.unique(roles, 'application role');
    c.string(app, 'setup_script', path);
    const specs = c.records(app, 'specifications', path, SPEC_KEYS);
    for (const { value: s, path: at } of specs) {
      objectName(c, s, 'name', at, 'for a specification');
      c.choice(s, 'type', at, ['SECURITY_INTEGRATION'], 'for a specification (the mock models security_integration)');
      for (const key of ['label', 'description']) c.string(s, key, at);
      c.choice(s, 'oauth_type', at, ['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'JWT_BEARER'], 'for a security_integration specification');
      url(c, s, 'oauth_token_endpoint', at, 'for a security_integration specification');
      url(c, s, 'oauth_authorization_endpoint', at, false);
      scopeTokens(c, s, 'oauth_allowed_scopes', at);
    }
    c.unique(names(specs), 'specification name');
    const configs = c.records(app, 'configurations', path, CONFIG_KEYS);
    for (const { value: cf, path: at } of configs) {
      objectName(c, cf, 'name', at, 'for a configuration');
      c.choice(cf, 'type', at, ['SECRET_AUTHORIZATION'], 'for a configuration (the mock models secret_authorization)');
      secretName(c, cf, 'secret', at, 'for a secret_authorization configuration', [2, 3]);
      for (const key of ['label', 'description']) c.string(cf, key, at);
      const listed = c.strings(cf, 'application_roles', at);
      if (isAbsent(cf.application_roles) || listed.length === 0) c.add([...at, 'application_roles'], 'list at least one application role (they get MODIFY VALUE on the configuration)');
    }
    c.unique(names(configs), 'configuration name');
    c.strings(app, 'approved_specifications', path);
  }
  c.unique(names(entries), 'application name');
  return declared;
}

function checkSecrets(c: Checker, scope: Scope, a: Rec, applications: Set<string>): void {
  const entries = c.records(a, 'secrets', scope.path, SECRET_KEYS);
  for (const { value: s, path } of entries) {
    const application = c.string(s, 'application', path)?.toUpperCase();
    if (application !== undefined) applicationRef(c, applications, { value: application, path: [...path, 'application'] });
    const parts = secretName(c, s, 'name', path, 'for a secret (DATABASE.SCHEMA.NAME)', application === undefined ? [3] : [2, 3]);
    if (parts?.length === 3 && application !== undefined && parts[0] !== application) {
      c.add([...path, 'name'], `secret ${parts.join('.')} lies in database ${parts[0]}, not in its application ${application}'s`);
    }
    c.choice(s, 'type', path, ['OAUTH2'], 'for a secret (the mock models oauth2)');
    const integration = c.string(s, 'api_authentication', path, 'for an oauth2 secret (its API_AUTHENTICATION integration)')?.toUpperCase();
    if (integration !== undefined) {
      const type = scope.integrations.get(integration);
      if (type === undefined) c.add([...path, 'api_authentication'], `integration "${integration}" is not declared in ${formatPath([...scope.path, 'security_integrations'])}${didYouMean(suggest(integration, scope.integrations.keys()))}`);
      else if (type !== 'API_AUTHENTICATION') c.add([...path, 'api_authentication'], `integration ${integration} is of type ${type}; an oauth2 secret needs an api_authentication integration (https://docs.snowflake.com/en/sql-reference/sql/create-secret)`);
    }
    if (application !== undefined && !isAbsent(s.owner)) c.add([...path, 'owner'], 'a secret of an application is owned by the application; leave out owner');
    roleField(c, scope, s, 'owner', path);
    scopeTokens(c, s, 'oauth_scopes', path);
    for (const key of ['oauth_refresh_token', 'comment']) c.string(s, key, path);
    expiryTime(c, s, path);
  }
  c.unique(names(entries), 'secret name');
}

function expiryTime(c: Checker, s: Rec, path: ConfigPath): void {
  const v = s.oauth_refresh_token_expiry_time;
  if (isAbsent(v)) return;
  const ok = typeof v === 'string' ? parseExpiryTime(v) !== undefined || parseInstant(v) !== undefined : (typeof v === 'number' || v instanceof Date) && parseInstant(v) !== undefined;
  if (!ok) c.add([...path, 'oauth_refresh_token_expiry_time'], 'expected YYYY-MM-DD, YYYY-MM-DD HH:MI[:SS] with an optional time zone, or an ISO 8601 instant (https://docs.snowflake.com/en/sql-reference/sql/create-secret)');
  if (isAbsent(s.oauth_refresh_token)) c.add([...path, 'oauth_refresh_token_expiry_time'], 'oauth_refresh_token_expiry_time needs oauth_refresh_token');
}

function checkGrants(c: Checker, scope: Scope, a: Rec, applications: Set<string>): void {
  for (const { value: g, path } of c.records(a, 'grants', scope.path, GRANT_KEYS)) {
    const given = (key: string): boolean => !isAbsent(g[key]);
    const exactlyOne = (keys: string[], what: string): void => {
      const n = keys.filter(given).length;
      if (n !== 1) c.add(n === 0 ? path : [...path, keys.filter(given)[1]!], `a grant takes exactly one of ${keys.join(', ')} (${what})`);
    };
    exactlyOne(['privilege', 'application_role'], 'a privilege on an object, or an application role');
    exactlyOne(['to_role', 'to_application_role'], 'the grantee');
    if (given('privilege')) {
      const privilege = c.choice(g, 'privilege', path, ['USAGE', 'MODIFY', 'READ']);
      exactlyOne(['on_integration', 'on_secret'], 'the object');
      const integration = c.string(g, 'on_integration', path);
      if (integration !== undefined && privilege !== undefined && privilege !== 'USAGE') c.add([...path, 'privilege'], `${privilege} cannot be granted on an integration (only USAGE)`);
      if (integration !== undefined) namePart(c, { value: integration, path: [...path, 'on_integration'] });
      secretName(c, g, 'on_secret', path, false, [3]);
    } else {
      for (const key of ['on_integration', 'on_secret']) if (given(key)) c.add([...path, key], 'an application role is granted as a whole: leave out on_integration / on_secret');
      const role = appRoleRef(c, g, 'application_role', path, applications);
      if (role && given('to_application_role')) c.add([...path, 'to_application_role'], 'an application role is granted to an account role (to_role)');
    }
    const to = c.string(g, 'to_role', path);
    if (to !== undefined) roleRef(c, scope, { value: to, path: [...path, 'to_role'] });
    appRoleRef(c, g, 'to_application_role', path, applications);
  }
}

/** An `APPLICATION.ROLE` field naming a declared application. */
function appRoleRef(c: Checker, g: Rec, key: string, path: ConfigPath, applications: Set<string>): string | undefined {
  const text = c.string(g, key, path);
  if (text === undefined) return undefined;
  const parts = text.toUpperCase().split('.');
  if (parts.length !== 2 || !parts.every((p) => NAME_PART.test(p))) {
    c.add([...path, key], `expected APPLICATION.ROLE (e.g. EXAMPLE_APP.APP_USER), got "${text}"`);
    return undefined;
  }
  return applicationRef(c, applications, { value: parts[0]!, path: [...path, key] }) ? text.toUpperCase() : undefined;
}

function applicationRef(c: Checker, applications: Set<string>, e: Entry<string>): boolean {
  if (applications.has(e.value)) return true;
  c.add(e.path, `application "${e.value}" is not declared in applications${didYouMean(suggest(e.value, applications))}`);
  return false;
}

/** A one-part object name (letters, digits, `_`, `$`; starting with a letter or `_`); returns it upper-cased. */
function objectName(c: Checker, obj: Rec, key: string, path: ConfigPath, required: string | false): string | undefined {
  const v = c.string(obj, key, path, required);
  if (v === undefined) return undefined;
  return namePart(c, { value: v, path: [...path, key] }) ? v.toUpperCase() : undefined;
}

function namePart(c: Checker, e: Entry<string>): boolean {
  if (NAME_PART.test(e.value)) return true;
  c.add(e.path, `"${e.value}" is not an identifier (letters, digits, _ and $, starting with a letter or _)`);
  return false;
}

/** A dotted secret name with an allowed number of parts; returns the parts upper-cased. */
function secretName(c: Checker, obj: Rec, key: string, path: ConfigPath, required: string | false, counts: readonly number[]): string[] | undefined {
  const v = c.string(obj, key, path, required);
  if (v === undefined) return undefined;
  const parts = v.toUpperCase().split('.');
  if (!counts.includes(parts.length) || !parts.every((p) => NAME_PART.test(p))) {
    c.add([...path, key], `expected ${counts.map((n) => (n === 3 ? 'DATABASE.SCHEMA.NAME' : 'SCHEMA.NAME')).join(' or ')}, got "${v}"`);
    return undefined;
  }
  return parts;
}

function url(c: Checker, obj: Rec, key: string, path: ConfigPath, required: string | false): void {
  const v = c.string(obj, key, path, required);
  const problem = v === undefined ? undefined : httpUrlProblem(v);
  if (problem) c.add([...path, key], problem);
}
