/**
 * Validation of a world config (DESIGN.md §3: "bad config fails at load with file, line, field and
 * what was expected; nothing starts half-configured"). Every rule reports a problem at a config
 * path and carries on, so one run lists every problem; `parse-text.ts` maps paths to lines.
 * `build.ts` runs this first and then trusts the config's shape.
 */
import { parseDuration } from '../clock.ts';
import { importPublicKey, type ImportedKey } from '../keys/fingerprint.ts';
import { parseCidr, parseIp } from '../network/cidr.ts';
import { PRIVILEGED_ROLES, SYSTEM_ROLES, WORLD_DEFAULTS, WORLD_ONLY_KEYS, type Instant } from './config.ts';

/**
 * Where in the config a problem is: keys and list indexes from the root.
 *
 * @example
 * const path: ConfigPath = ['accounts', 0, 'users', 1, 'default_role']
 */
export type ConfigPath = readonly (string | number)[];

/**
 * A problem found at a config path, before it is placed in a file.
 *
 * @example
 * { path: ['users', 0, 'roles', 1], message: 'role "READER" is not declared in roles (declared: PUBLIC)' }
 */
export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly message: string;
}

/**
 * One problem as reported: file, 1-based line and column when known, field path, what is wrong.
 *
 * @example
 * { file: 'world.yaml', line: 12, column: 9, path: 'users[0].default_role', message: 'role …' }
 */
export interface WorldConfigIssue {
  file?: string;
  line?: number;
  column?: number;
  /** `accounts[0].users[1].default_role`; empty for a syntax error. */
  path: string;
  message: string;
}

/**
 * Maps a config path to its position in the source text.
 *
 * @example
 * const lines: LineLocator = lineLocator(doc, lineCounter)
 */
export type LineLocator = (path: ConfigPath) => { line: number; column: number } | undefined;

/**
 * Where the config came from, to place problems.
 *
 * @example
 * worldConfigError(problems, { file: 'world.yaml', lines })
 */
export interface ConfigSource {
  file?: string;
  lines?: LineLocator;
}

/**
 * Thrown when a world config is invalid; `message` lists every issue, one per line.
 *
 * @example
 * try { buildWorld(config, options) } catch (e) { if (e instanceof WorldConfigError) console.log(e.issues) }
 */
export class WorldConfigError extends Error {
  readonly issues: WorldConfigIssue[];
  constructor(issues: WorldConfigIssue[]) {
    const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
    super(`invalid world config (${count}):\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'WorldConfigError';
    this.issues = issues;
  }
}

/**
 * Renders a path as people read it.
 *
 * @example
 * formatPath(['accounts', 0, 'users', 1, 'name']) // 'accounts[0].users[1].name'
 */
export function formatPath(path: ConfigPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Renders one issue as `file:line:column: path: message`, leaving out the parts not known.
 *
 * @example
 * formatIssue({ file: 'world.yaml', line: 12, column: 9, path: 'users[0].default_role', message: 'role …' })
 */
export function formatIssue(issue: WorldConfigIssue): string {
  const where = issue.line === undefined ? '' : `${issue.line}:${issue.column ?? 1}`;
  const location = [issue.file, where].filter(Boolean).join(':');
  return [location, issue.path, issue.message].filter(Boolean).join(': ');
}

/**
 * Places problems in their source and wraps them in a {@link WorldConfigError} (sorted by line).
 *
 * @example
 * throw worldConfigError(validateWorldConfig(input), { file: 'world.yaml', lines })
 */
export function worldConfigError(problems: readonly ConfigProblem[], source: ConfigSource = {}): WorldConfigError {
  const issues = problems.map((p): WorldConfigIssue => {
    const pos = source.lines?.(p.path);
    return { file: source.file, line: pos?.line, column: pos?.column, path: formatPath(p.path), message: p.message };
  });
  issues.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  return new WorldConfigError(issues);
}

/**
 * The closest candidate within edit distance 2 (case-insensitive), for "did you mean" hints.
 *
 * @example
 * suggest('ANALIST', ['PUBLIC', 'ANALYST']) // 'ANALYST'
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

const didYouMean = (hint: string | undefined): string => (hint ? `; did you mean "${hint}"?` : '');

// ---------------------------------------------------------------------------------------------
// Rules shared with mutations.ts

/**
 * Imports a user or client public key and applies Snowflake's rules (reference §2.3): RSA of at
 * least 2048 bits, or EC. Throws an Error saying what is wrong.
 *
 * @example
 * importConfiguredKey(readFileSync('fixtures/keys/alice.pub', 'utf8')).fingerprint
 */
export function importConfiguredKey(text: string): ImportedKey {
  const imported = importPublicKey(text);
  const type = imported.key.asymmetricKeyType;
  if (type === 'rsa') {
    const bits = imported.key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error(`RSA key is ${bits} bits; Snowflake requires at least 2048 bits (reference §2.3)`);
  } else if (type !== 'ec') {
    throw new Error(`${type} keys are not accepted (expected an RSA key of at least 2048 bits, or an EC key)`);
  }
  return imported;
}

/**
 * Why a PAT name is invalid, or undefined (reference §3.1: letters, digits, underscore; starts
 * with a letter or underscore).
 *
 * @example
 * patNameProblem('my-token') // 'PAT name "my-token" must …'
 */
export function patNameProblem(name: string): string | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  return `PAT name "${name}" must use only letters, digits and underscores, and start with a letter or underscore (reference §3.1)`;
}

/**
 * User types whose PATs need a role restriction by default (reference §3.1).
 *
 * @example
 * SERVICE_USER_TYPES.has(user.type)
 */
export const SERVICE_USER_TYPES: ReadonlySet<string> = new Set(['SERVICE', 'LEGACY_SERVICE', 'SERVICE_AGENT']);

/**
 * Splits `xy12345.us-east-2.aws` into locator `XY12345` and region `us-east-2.aws`.
 *
 * @example
 * splitLocator('xy12345.us-east-2.aws') // { locator: 'XY12345', region: 'us-east-2.aws' }
 */
export function splitLocator(text: string): { locator: string; region?: string } {
  const dot = text.indexOf('.');
  if (dot < 0) return { locator: text.toUpperCase() };
  return { locator: text.slice(0, dot).toUpperCase(), region: text.slice(dot + 1).toLowerCase() };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * Reads an instant: epoch ms, a Date, an ISO date (UTC) or an ISO date-time with a time zone.
 * A date-time without a zone is refused: its meaning would depend on the machine's time zone.
 *
 * @example
 * parseInstant('2026-01-01T00:00:00Z') // 1767225600000
 */
export function parseInstant(value: Instant): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !ISO_INSTANT.test(value.trim())) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Why a redirect URI is refused (reference §1.7: absolute, and https unless non-TLS is allowed).
 *
 * @example
 * redirectUriProblem('http://app/cb', false) // '"http://app/cb" must use https …'
 */
export function redirectUriProblem(uri: string, allowNonTls: boolean): string | undefined {
  if (!URL.canParse(uri)) return `"${uri}" is not an absolute URL`;
  if (allowNonTls || new URL(uri).protocol === 'https:') return undefined;
  return `"${uri}" must use https (set oauth_allow_non_tls_redirect_uri: true to allow it, reference §1.7)`;
}

function httpUrlProblem(uri: string): string | undefined {
  const ok = URL.canParse(uri) && ['http:', 'https:'].includes(new URL(uri).protocol);
  return ok ? undefined : `"${uri}" is not an absolute http(s) URL`;
}

function cidrProblem(text: string): string | undefined {
  if (parseCidr(text)) return undefined;
  const [address = '', prefix] = text.trim().split('/');
  const ip = parseIp(address);
  if (!ip) return `"${text}" is not an IP address or CIDR block (expected e.g. 10.0.0.0/8, 10.0.0.99 or 2001:db8::/32)`;
  const width = ip.family === 4 ? 32 : 128;
  if (prefix === undefined || !/^\d{1,3}$/.test(prefix) || Number(prefix) > width) {
    return `"${text}" has an invalid prefix length (an IPv${ip.family} prefix is /0 to /${width})`;
  }
  return `"${text}" has host bits set below /${prefix}; write the block's network address`;
}

const WAREHOUSE_SIZES: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ['X-Small', 'XSMALL'], ['Small', 'SMALL'], ['Medium', 'MEDIUM'], ['Large', 'LARGE'], ['X-Large', 'XLARGE'],
    ['2X-Large', 'XXLARGE', 'X2LARGE'], ['3X-Large', 'XXXLARGE', 'X3LARGE'], ['4X-Large', 'X4LARGE'],
    ['5X-Large', 'X5LARGE'], ['6X-Large', 'X6LARGE'],
  ].flatMap(([shown, ...aliases]) => [shown!, ...aliases].map((alias) => [alias.toUpperCase(), shown!])),
);

/**
 * The SHOW WAREHOUSES spelling of a size (`xsmall` → `X-Small`), or undefined when unknown.
 *
 * @example
 * warehouseSize('XSMALL') // 'X-Small'
 */
export function warehouseSize(text: string): string | undefined {
  return WAREHOUSE_SIZES[text.toUpperCase()];
}

// ---------------------------------------------------------------------------------------------
// Field readers: each checks one field, reports a problem when it is wrong, and returns the value
// only when it is right, so later rules never see a half-valid value.

type Rec = Record<string, unknown>;
interface Entry<T> {
  readonly value: T;
  readonly path: ConfigPath;
}

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const isAbsent = (v: unknown): v is null | undefined => v === undefined || v === null;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isRecord(v)) return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const hint = allowed.find((k) => k === key.toLowerCase()) ?? suggest(key, allowed);
  return hint ? `unknown key "${key}"; did you mean "${hint}"?` : `unknown key "${key}" (expected one of: ${allowed.join(', ')})`;
}

class Checker {
  readonly problems: ConfigProblem[] = [];

  add(path: ConfigPath, message: string): void {
    this.problems.push({ path, message });
  }

  /** A mapping whose keys are all in `allowed`. */
  record(value: unknown, path: ConfigPath, allowed?: readonly string[]): Rec | undefined {
    if (!isRecord(value)) {
      this.add(path, `expected a mapping, got ${describe(value)}`);
      return undefined;
    }
    if (allowed) this.keys(value, path, allowed);
    return value;
  }

  keys(value: Rec, path: ConfigPath, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.add([...path, key], unknownKeyMessage(key, allowed));
  }

  /** An optional nested mapping. */
  section(obj: Rec, key: string, path: ConfigPath, allowed: readonly string[]): Rec | undefined {
    return isAbsent(obj[key]) ? undefined : this.record(obj[key], [...path, key], allowed);
  }

  /** A non-empty string; `required` may say why it is required. */
  string(obj: Rec, key: string, path: ConfigPath, required: boolean | string = false): string | undefined {
    const v = obj[key];
    if (isAbsent(v)) {
      if (required) this.add([...path, key], typeof required === 'string' ? `required ${required}` : 'required field is missing');
      return undefined;
    }
    if (typeof v === 'string' && v.trim() !== '') return v;
    const quote = typeof v === 'number' || typeof v === 'boolean' ? ` (quote it: "${String(v)}")` : '';
    this.add([...path, key], `expected a non-empty string, got ${describe(v)}${quote}`);
    return undefined;
  }

  bool(obj: Rec, key: string, path: ConfigPath): boolean | undefined {
    const v = obj[key];
    if (isAbsent(v) || typeof v === 'boolean') return v ?? undefined;
    this.add([...path, key], `expected true or false, got ${describe(v)}`);
    return undefined;
  }

  /** A whole number in [min, max]; `why` explains a bound that comes from elsewhere. */
  int(obj: Rec, key: string, path: ConfigPath, min: number, max = Infinity, why = ''): number | undefined {
    const v = obj[key];
    if (isAbsent(v)) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
    this.add([...path, key], `expected a whole number ${range}${why}, got ${describe(v)}`);
    return undefined;
  }

  /** One of `values`, compared case-insensitively; returns the canonical spelling. */
  choice<T extends string>(obj: Rec, key: string, path: ConfigPath, values: readonly T[], required: boolean | string = false): T | undefined {
    const v = this.string(obj, key, path, required);
    return v === undefined ? undefined : this.member({ value: v, path: [...path, key] }, values);
  }

  /** Checks that a value already read is one of `values` (case-insensitive). */
  member<T extends string>(entry: Entry<string>, values: readonly T[]): T | undefined {
    const found = values.find((x) => x.toLowerCase() === entry.value.trim().toLowerCase());
    if (!found) this.add(entry.path, `expected one of ${values.join(', ')}, got "${entry.value}"${values.length > 1 ? didYouMean(suggest(entry.value, values)) : ''}`);
    return found;
  }

  list(obj: Rec, key: string, path: ConfigPath): unknown[] | undefined {
    const v = obj[key];
    if (isAbsent(v)) return undefined;
    if (Array.isArray(v)) return v;
    this.add([...path, key], `expected a list, got ${describe(v)}`);
    return undefined;
  }

  /** A list of non-empty strings, each with its path. */
  strings(obj: Rec, key: string, path: ConfigPath): Entry<string>[] {
    const out: Entry<string>[] = [];
    (this.list(obj, key, path) ?? []).forEach((item, i) => {
      const itemPath = [...path, key, i];
      if (typeof item === 'string' && item.trim() !== '') out.push({ value: item, path: itemPath });
      else this.add(itemPath, `expected a non-empty string, got ${describe(item)}`);
    });
    return out;
  }

  /** A list of mappings with known keys, each with its path. */
  records(obj: Rec, key: string, path: ConfigPath, allowed?: readonly string[]): Entry<Rec>[] {
    const out: Entry<Rec>[] = [];
    (this.list(obj, key, path) ?? []).forEach((item, i) => {
      const value = this.record(item, [...path, key, i], allowed);
      if (value) out.push({ value, path: [...path, key, i] });
    });
    return out;
  }

  instant(obj: Rec, key: string, path: ConfigPath): number | undefined {
    const v = obj[key];
    if (isAbsent(v)) return undefined;
    const ms = typeof v === 'string' || typeof v === 'number' || v instanceof Date ? parseInstant(v) : undefined;
    if (ms === undefined) this.add([...path, key], `expected an ISO 8601 instant with a time zone (e.g. 2026-01-01T00:00:00Z), got ${describe(v)}`);
    return ms;
  }

  /**
   * Reports later entries that repeat an earlier one: names compare upper-cased, secrets and
   * client ids exactly (and secrets are not echoed).
   */
  unique(entries: readonly Entry<string>[], what: string, kind: 'name' | 'exact' | 'secret' = 'name'): void {
    const seen = new Map<string, ConfigPath>();
    for (const { value, path } of entries) {
      const key = kind === 'name' ? value.toUpperCase() : value;
      const first = seen.get(key);
      if (!first) seen.set(key, path);
      else if (kind === 'secret') this.add(path, `the same ${what} is already used at ${formatPath(first)}; every PAT secret and OAuth token must be unique within an account`);
      else this.add(path, `duplicate ${what} "${key}" (already declared at ${formatPath(first)})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Schema

const ACCOUNT_FIELD_KEYS = [
  'region', 'network_policy', 'roles', 'parameters', 'network_policies', 'network_rules', 'users',
  'oauth_access_tokens', 'security_integrations', 'pat_policy', 'databases', 'warehouses',
];
const ACCOUNT_KEYS = ['name', 'locator', ...ACCOUNT_FIELD_KEYS];
const ROOT_KEYS = [...WORLD_ONLY_KEYS, ...ACCOUNT_KEYS];
const SWITCH_KEYS = ['network_policy_precedence', 'bcr_2026_07', 'jwt_specific_errors', 'jwt_algorithms'];
const CLOCK_KEYS = ['start', 'frozen'];
const PARAMETER_KEYS = ['oauth_add_privileged_roles_to_blocked_list'];
const PAT_POLICY_KEYS = ['network_policy_evaluation', 'require_role_restriction_for_service_users', 'default_expiry_in_days', 'max_expiry_in_days'];
const RULE_KEYS = ['name', 'type', 'mode', 'value_list', 'comment'];
const POLICY_KEYS = ['name', 'allowed_ip_list', 'blocked_ip_list', 'allowed_network_rule_list', 'blocked_network_rule_list', 'comment'];
const USER_KEYS = [
  'name', 'login_name', 'password', 'type', 'default_role', 'roles', 'disabled', 'email', 'comment',
  'rsa_public_key', 'rsa_public_key_2', 'network_policy', 'programmatic_access_tokens',
];
const PAT_KEYS = [
  'name', 'secret', 'role_restriction', 'days_to_expiry', 'disabled', 'mins_to_bypass_network_policy_requirement',
  'comment', 'created_on', 'rotated',
];
const ROTATED_KEYS = ['secret', 'expire_after_hours', 'rotated_on'];
const TOKEN_KEYS = ['token', 'user', 'role', 'expires_in', 'expires_at', 'integration'];
const OAUTH_KEYS = [
  'type', 'name', 'enabled', 'oauth_client', 'oauth_client_type', 'oauth_redirect_uri', 'oauth_alternate_redirect_uris',
  'oauth_client_id', 'oauth_client_secret', 'oauth_client_secret_2', 'oauth_allow_non_tls_redirect_uri', 'oauth_enforce_pkce',
  'oauth_issue_refresh_tokens', 'oauth_access_token_validity', 'oauth_refresh_token_validity',
  'oauth_single_use_refresh_tokens_required', 'pre_authorized_roles_list', 'allowed_roles_list', 'blocked_roles_list',
  'oauth_client_rsa_public_key', 'oauth_client_rsa_public_key_2', 'network_policy', 'comment',
];
const API_AUTH_KEYS = [
  'type', 'name', 'auth_type', 'oauth_token_endpoint', 'oauth_authorization_endpoint', 'oauth_client_auth_method',
  'oauth_client_id', 'oauth_client_secret', 'oauth_grant', 'oauth_access_token_validity', 'oauth_refresh_token_validity',
  'oauth_allowed_scopes', 'oauth_assertion_issuer', 'enabled', 'comment',
];
const DATABASE_KEYS = ['name', 'owner', 'comment', 'kind'];
const WAREHOUSE_KEYS = ['name', 'size', 'owner'];

/** What later rules of one account need to know about what was already checked. */
interface Scope {
  readonly path: ConfigPath;
  /** PUBLIC, then the declared roles, upper-case. */
  readonly declared: string[];
  readonly policies: Set<string>;
  readonly rules: Set<string>;
  readonly users: Map<string, UserFacts>;
  readonly integrations: Map<string, 'OAUTH' | 'API_AUTHENTICATION'>;
  readonly secrets: Entry<string>[];
  readonly clientIds: Entry<string>[];
  readonly pat: { defaultDays: number; maxDays: number; requireRoleRestriction: boolean };
}

interface UserFacts {
  readonly name: string;
  readonly type: string;
  readonly granted: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// World

/**
 * Checks a world config (parsed YAML/JSON or a TypeScript object) and returns every problem.
 *
 * @example
 * validateWorldConfig({ users: [{ name: 'ALICE', default_role: 'ANALIST' }] }) // [{ path: ['users', 0, 'default_role'], … }]
 */
export function validateWorldConfig(input: unknown): ConfigProblem[] {
  const c = new Checker();
  const root = c.record(input, [], ROOT_KEYS);
  if (!root) return c.problems;
  checkSwitches(c, root);
  checkClock(c, root);
  const accounts = accountEntries(c, root);
  c.unique(names(accounts), 'account name');
  c.unique(names(accounts, 'locator').map((l) => ({ ...l, value: splitLocator(l.value).locator })), 'account locator');
  for (const { value, path } of accounts) checkAccount(c, value, path, path.length === 0);
  return c.problems;
}

/**
 * Checks only the `clock:` section (for callers that need the start before building).
 *
 * @example
 * validateClockConfig({ clock: { start: 'yesterday' } }) // one problem at clock.start
 */
export function validateClockConfig(input: unknown): ConfigProblem[] {
  const c = new Checker();
  if (isRecord(input)) checkClock(c, input);
  return c.problems;
}

function accountEntries(c: Checker, root: Rec): Entry<Rec>[] {
  if (isAbsent(root.accounts)) return [{ value: root, path: [] }];
  for (const key of ACCOUNT_KEYS) {
    if (root[key] !== undefined) c.add([key], `"${key}" cannot sit beside "accounts": move it into one of the accounts`);
  }
  const accounts = c.records(root, 'accounts', [], ACCOUNT_KEYS);
  if (Array.isArray(root.accounts) && root.accounts.length === 0) c.add(['accounts'], 'list at least one account');
  return accounts;
}

function checkSwitches(c: Checker, root: Rec): void {
  const s = c.section(root, 'switches', [], SWITCH_KEYS);
  if (!s) return;
  const path = ['switches'];
  c.choice(s, 'network_policy_precedence', path, ['seed', 'current-docs']);
  c.bool(s, 'bcr_2026_07', path);
  c.bool(s, 'jwt_specific_errors', path);
  const algorithms = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
  for (const a of c.strings(s, 'jwt_algorithms', path)) c.member(a, algorithms);
  if (Array.isArray(s.jwt_algorithms) && s.jwt_algorithms.length === 0) c.add([...path, 'jwt_algorithms'], 'list at least one algorithm');
}

function checkClock(c: Checker, root: Rec): void {
  const clock = c.section(root, 'clock', [], CLOCK_KEYS);
  if (!clock) return;
  c.instant(clock, 'start', ['clock']);
  c.bool(clock, 'frozen', ['clock']);
}

// ---------------------------------------------------------------------------------------------
// Account

function checkAccount(c: Checker, a: Rec, path: ConfigPath, shorthand: boolean): void {
  checkAccountIdentity(c, a, path, shorthand);
  const declared = ['PUBLIC', ...c.strings(a, 'roles', path).map((r) => r.value.toUpperCase()).filter((r) => r !== 'PUBLIC')];
  const section = c.section(a, 'parameters', path, PARAMETER_KEYS);
  if (section) c.bool(section, 'oauth_add_privileged_roles_to_blocked_list', [...path, 'parameters']);
  const scope: Scope = {
    path, declared, policies: new Set(), rules: new Set(), users: new Map(), integrations: new Map(),
    secrets: [], clientIds: [], pat: checkPatPolicy(c, a, path),
  };
  checkNetwork(c, scope, a);
  checkPolicyRef(c, scope, a, 'network_policy', path);
  checkUsers(c, scope, a);
  checkIntegrations(c, scope, a);
  checkOAuthTokens(c, scope, a);
  checkDatabases(c, scope, a);
  checkWarehouses(c, scope, a);
  c.unique(scope.secrets, 'secret', 'secret');
  c.unique(scope.clientIds, 'oauth_client_id', 'exact');
}

function checkAccountIdentity(c: Checker, a: Rec, path: ConfigPath, shorthand: boolean): void {
  const name = c.string(a, 'name', path, !shorthand && 'for every account (its org-account identifier, e.g. MYORG-MYACCOUNT)');
  if (name && !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    c.add([...path, 'name'], `account name "${name}" must be an org-account identifier such as MYORG-MYACCOUNT (letters, digits, "-" and "_")`);
  }
  const locatorText = c.string(a, 'locator', path, !shorthand && 'for every account (e.g. XY12345)');
  const region = c.string(a, 'region', path);
  if (!locatorText) return;
  const split = splitLocator(locatorText.trim());
  if (!/^[A-Z0-9]+$/.test(split.locator)) c.add([...path, 'locator'], `locator "${locatorText}" must be letters and digits, optionally followed by its region (e.g. xy12345.us-east-2.aws)`);
  if (split.region && region && split.region !== region.toLowerCase()) {
    c.add([...path, 'region'], `region "${region}" disagrees with the region "${split.region}" in locator "${locatorText}"`);
  }
}

function checkPatPolicy(c: Checker, a: Rec, path: ConfigPath): Scope['pat'] {
  const p = c.section(a, 'pat_policy', path, PAT_POLICY_KEYS) ?? {};
  const at = [...path, 'pat_policy'];
  c.choice(p, 'network_policy_evaluation', at, ['ENFORCED_REQUIRED', 'ENFORCED_NOT_REQUIRED', 'NOT_ENFORCED']);
  const requireRoleRestriction = c.bool(p, 'require_role_restriction_for_service_users', at) ?? true;
  const maxDays = c.int(p, 'max_expiry_in_days', at, 1, WORLD_DEFAULTS.patMaxExpiryInDays) ?? WORLD_DEFAULTS.patMaxExpiryInDays;
  const defaultDays = c.int(p, 'default_expiry_in_days', at, 1, WORLD_DEFAULTS.patMaxExpiryInDays) ?? WORLD_DEFAULTS.patDefaultExpiryInDays;
  if (defaultDays > maxDays) {
    c.add([...at, 'max_expiry_in_days'], `max_expiry_in_days (${maxDays}) is below default_expiry_in_days (${defaultDays}); the maximum ranges from the default to 365 (reference §3.1)`);
  }
  return { defaultDays, maxDays, requireRoleRestriction };
}

/** Checks a role name against the account's roles; returns it upper-cased when known. */
function roleRef(c: Checker, scope: Scope, role: Entry<string>): string | undefined {
  const name = role.value.toUpperCase();
  if (scope.declared.includes(name) || SYSTEM_ROLES.includes(name)) return name;
  const hint = suggest(name, [...scope.declared, ...SYSTEM_ROLES]);
  c.add(role.path, `role "${name}" is not declared in ${formatPath([...scope.path, 'roles'])} (declared: ${scope.declared.join(', ')})${didYouMean(hint)}`);
  return undefined;
}

function roleField(c: Checker, scope: Scope, obj: Rec, key: string, path: ConfigPath): string | undefined {
  const value = c.string(obj, key, path);
  return value === undefined ? undefined : roleRef(c, scope, { value, path: [...path, key] });
}

function checkPolicyRef(c: Checker, scope: Scope, obj: Rec, key: string, path: ConfigPath): void {
  const value = c.string(obj, key, path)?.toUpperCase();
  if (value === undefined || scope.policies.has(value)) return;
  const declared = scope.policies.size ? `declared: ${[...scope.policies].join(', ')}` : 'none declared';
  const where = formatPath([...scope.path, 'network_policies']);
  c.add([...path, key], `network policy "${value}" is not declared in ${where} (${declared})${didYouMean(suggest(value, scope.policies))}`);
}

// ---------------------------------------------------------------------------------------------
// Network rules and policies (reference §4.1)

function checkNetwork(c: Checker, scope: Scope, a: Rec): void {
  const rules = c.records(a, 'network_rules', scope.path, RULE_KEYS);
  for (const rule of rules) checkNetworkRule(c, rule);
  c.unique(names(rules), 'network rule name');
  for (const r of rules) if (typeof r.value.name === 'string') scope.rules.add(r.value.name.toUpperCase());
  const policies = c.records(a, 'network_policies', scope.path, POLICY_KEYS);
  for (const policy of policies) checkNetworkPolicy(c, scope, policy);
  c.unique(names(policies), 'network policy name');
  for (const p of policies) if (typeof p.value.name === 'string') scope.policies.add(p.value.name.toUpperCase());
}

/** The `name` of each entry (the required-name problem is reported by the entry's own check). */
function names(entries: readonly Entry<Rec>[], key = 'name'): Entry<string>[] {
  return entries.flatMap(({ value, path }) => (typeof value[key] === 'string' ? [{ value: value[key], path: [...path, key] }] : []));
}

function checkNetworkRule(c: Checker, { value: r, path }: Entry<Rec>): void {
  c.string(r, 'name', path, true);
  const type = c.choice(r, 'type', path, ['IPV4', 'IPV6'], 'for a network rule (IPV4 or IPV6)');
  c.choice(r, 'mode', path, ['INGRESS']);
  c.string(r, 'comment', path);
  if (isAbsent(r.value_list)) c.add([...path, 'value_list'], 'required field is missing (the rule\'s addresses or CIDR blocks)');
  for (const entry of c.strings(r, 'value_list', path)) {
    const problem = cidrProblem(entry.value);
    if (problem) c.add(entry.path, problem);
    else if (type && `IPV${parseCidr(entry.value)!.family}` !== type) c.add(entry.path, `"${entry.value}" is not an ${type} block, but the rule's type is ${type}`);
  }
}

function checkNetworkPolicy(c: Checker, scope: Scope, { value: p, path }: Entry<Rec>): void {
  c.string(p, 'name', path, true);
  c.string(p, 'comment', path);
  for (const key of ['allowed_ip_list', 'blocked_ip_list']) {
    for (const entry of c.strings(p, key, path)) {
      const problem = cidrProblem(entry.value);
      if (problem) c.add(entry.path, problem);
    }
  }
  for (const key of ['allowed_network_rule_list', 'blocked_network_rule_list']) {
    for (const { value, path: at } of c.strings(p, key, path)) {
      const name = value.toUpperCase();
      if (scope.rules.has(name)) continue;
      const where = formatPath([...scope.path, 'network_rules']);
      c.add(at, `network rule "${name}" is not declared in ${where}${didYouMean(suggest(name, scope.rules))}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Users and PATs (reference §2.3, §3)

function checkUsers(c: Checker, scope: Scope, a: Rec): void {
  const users = c.records(a, 'users', scope.path, USER_KEYS);
  for (const user of users) {
    const facts = checkUser(c, scope, user);
    if (facts && !scope.users.has(facts.name)) scope.users.set(facts.name, facts);
  }
  c.unique(names(users), 'user name');
  // LOGIN_NAME defaults to NAME; both must be unique, as the JWT `iss` names the login (reference §2.1)
  const logins = users.map((u) => (typeof u.value.login_name === 'string' ? names([u], 'login_name') : names([u]))).flat();
  c.unique(logins, 'login_name');
}

function checkUser(c: Checker, scope: Scope, { value: u, path }: Entry<Rec>): UserFacts | undefined {
  const name = c.string(u, 'name', path, true)?.toUpperCase();
  for (const key of ['login_name', 'password', 'email', 'comment']) c.string(u, key, path);
  c.bool(u, 'disabled', path);
  // `type: null` reads as absent here; build.ts maps it to Snowflake's TYPE = NULL
  const type = c.choice(u, 'type', path, ['PERSON', 'SERVICE', 'LEGACY_SERVICE', 'SERVICE_AGENT', 'NULL']);
  const granted = new Set(['PUBLIC']);
  for (const role of c.strings(u, 'roles', path)) {
    const known = roleRef(c, scope, role);
    if (known) granted.add(known);
  }
  const defaultRole = roleField(c, scope, u, 'default_role', path);
  if (defaultRole && !granted.has(defaultRole)) {
    c.add([...path, 'default_role'], `default role "${defaultRole}" is not granted to user ${name ?? '?'} (granted: ${[...granted].join(', ')}); add it to the user's roles`);
  }
  for (const key of ['rsa_public_key', 'rsa_public_key_2']) checkKeyField(c, u, key, path);
  checkPolicyRef(c, scope, u, 'network_policy', path);
  const facts: UserFacts = { name: name ?? '', type: type ?? 'PERSON', granted };
  checkPats(c, scope, facts, u, path);
  return name ? facts : undefined;
}

function checkKeyField(c: Checker, obj: Rec, key: string, path: ConfigPath): void {
  const text = c.string(obj, key, path);
  if (text === undefined) return;
  try {
    importConfiguredKey(text);
  } catch (e) {
    c.add([...path, key], `not a usable public key: ${(e as Error).message}`);
  }
}

function checkPats(c: Checker, scope: Scope, user: UserFacts, u: Rec, path: ConfigPath): void {
  const pats = c.records(u, 'programmatic_access_tokens', path, PAT_KEYS);
  if (pats.length > WORLD_DEFAULTS.patMaxPerUser) {
    c.add([...path, 'programmatic_access_tokens'], `user ${user.name} has ${pats.length} programmatic access tokens; Snowflake allows at most ${WORLD_DEFAULTS.patMaxPerUser} per user (reference §3.1)`);
  }
  for (const pat of pats) checkPat(c, scope, user, pat);
  c.unique(names(pats), `PAT name of user ${user.name}`);
}

function checkPat(c: Checker, scope: Scope, user: UserFacts, { value: p, path }: Entry<Rec>): void {
  const name = c.string(p, 'name', path, true);
  const nameProblem = name === undefined ? undefined : patNameProblem(name);
  if (nameProblem) c.add([...path, 'name'], nameProblem);
  const secret = c.string(p, 'secret', path);
  if (secret) scope.secrets.push({ value: secret, path: [...path, 'secret'] });
  checkRoleRestriction(c, scope, user, p, path);
  const why = scope.pat.maxDays === WORLD_DEFAULTS.patMaxExpiryInDays ? ' (reference §3.1)' : ' (pat_policy.max_expiry_in_days)';
  c.int(p, 'days_to_expiry', path, 1, scope.pat.maxDays, why);
  c.int(p, 'mins_to_bypass_network_policy_requirement', path, 0, WORLD_DEFAULTS.patMaxBypassMinutes, ' (reference §3.1)');
  c.bool(p, 'disabled', path);
  c.string(p, 'comment', path);
  c.instant(p, 'created_on', path);
  for (const r of c.records(p, 'rotated', path, ROTATED_KEYS)) {
    const old = c.string(r.value, 'secret', r.path, 'for a rotated PAT secret');
    if (old) scope.secrets.push({ value: old, path: [...r.path, 'secret'] });
    c.int(r.value, 'expire_after_hours', r.path, 0);
    c.instant(r.value, 'rotated_on', r.path);
  }
}

function checkRoleRestriction(c: Checker, scope: Scope, user: UserFacts, p: Rec, path: ConfigPath): void {
  const role = roleField(c, scope, p, 'role_restriction', path);
  if (role && !user.granted.has(role)) {
    c.add([...path, 'role_restriction'], `role_restriction "${role}" is not granted to user ${user.name} (granted: ${[...user.granted].join(', ')}); reference §3.1`);
  }
  if (isAbsent(p.role_restriction) && SERVICE_USER_TYPES.has(user.type) && scope.pat.requireRoleRestriction) {
    c.add([...path, 'role_restriction'], `user ${user.name} is a ${user.type} user, so its PATs need a role_restriction (reference §3.1); set one, or set pat_policy.require_role_restriction_for_service_users: false`);
  }
}

// ---------------------------------------------------------------------------------------------
// Security integrations (reference §1.7, §6.1)

function checkIntegrations(c: Checker, scope: Scope, a: Rec): void {
  const entries = c.records(a, 'security_integrations', scope.path);
  for (const entry of entries) {
    const type = c.choice(entry.value, 'type', entry.path, ['OAUTH', 'API_AUTHENTICATION'], 'for a security integration (oauth or api_authentication)');
    if (type === 'OAUTH') checkOAuthIntegration(c, scope, entry);
    if (type === 'API_AUTHENTICATION') checkApiAuthentication(c, entry);
    const name = c.string(entry.value, 'name', entry.path, true)?.toUpperCase();
    if (type && name && !scope.integrations.has(name)) scope.integrations.set(name, type);
  }
  c.unique(names(entries), 'security integration name');
}

function checkOAuthIntegration(c: Checker, scope: Scope, { value: r, path }: Entry<Rec>): void {
  c.keys(r, path, OAUTH_KEYS);
  const client = c.choice(r, 'oauth_client', path, ['CUSTOM', 'TABLEAU_DESKTOP', 'TABLEAU_SERVER', 'LOOKER'], 'for an oauth integration (CUSTOM, TABLEAU_DESKTOP, TABLEAU_SERVER or LOOKER)');
  const clientType = c.choice(r, 'oauth_client_type', path, ['CONFIDENTIAL', 'PUBLIC'], client === 'CUSTOM' && 'for a CUSTOM client (CONFIDENTIAL or PUBLIC)');
  checkRedirectUris(c, r, path, client);
  for (const key of ['oauth_client_secret', 'oauth_client_secret_2', 'comment']) c.string(r, key, path);
  const clientId = c.string(r, 'oauth_client_id', path);
  if (clientId) scope.clientIds.push({ value: clientId, path: [...path, 'oauth_client_id'] });
  for (const key of ['enabled', 'oauth_enforce_pkce', 'oauth_issue_refresh_tokens', 'oauth_single_use_refresh_tokens_required']) c.bool(r, key, path);
  c.int(r, 'oauth_access_token_validity', path, 60, 3600, ' (reference §1.5)');
  const refreshMin = client === 'CUSTOM' ? 86_400 : 3600;
  c.int(r, 'oauth_refresh_token_validity', path, refreshMin, 7_776_000, ` for ${client === 'CUSTOM' ? 'custom' : 'partner'} clients (reference §1.5)`);
  checkPreAuthorizedRoles(c, scope, r, path, client === 'CUSTOM' && clientType === 'CONFIDENTIAL');
  for (const key of ['allowed_roles_list', 'blocked_roles_list']) for (const role of c.strings(r, key, path)) roleRef(c, scope, role);
  for (const key of ['oauth_client_rsa_public_key', 'oauth_client_rsa_public_key_2']) checkKeyField(c, r, key, path);
  checkPolicyRef(c, scope, r, 'network_policy', path);
}

function checkRedirectUris(c: Checker, r: Rec, path: ConfigPath, client: string | undefined): void {
  const allowNonTls = c.bool(r, 'oauth_allow_non_tls_redirect_uri', path) ?? false;
  const required = (client === 'CUSTOM' || client === 'LOOKER') && `for a ${client} client (reference §1.7)`;
  const primary = c.string(r, 'oauth_redirect_uri', path, required);
  const uris = c.strings(r, 'oauth_alternate_redirect_uris', path);
  if (primary) uris.unshift({ value: primary, path: [...path, 'oauth_redirect_uri'] });
  for (const uri of uris) {
    const problem = redirectUriProblem(uri.value, allowNonTls);
    if (problem) c.add(uri.path, problem);
  }
}

function checkPreAuthorizedRoles(c: Checker, scope: Scope, r: Rec, path: ConfigPath, allowed: boolean): void {
  const roles = c.strings(r, 'pre_authorized_roles_list', path);
  if (roles.length > 0 && !allowed) {
    c.add([...path, 'pre_authorized_roles_list'], 'only CUSTOM clients of type CONFIDENTIAL take pre_authorized_roles_list (reference §1.7)');
  }
  for (const role of roles) {
    const name = roleRef(c, scope, role);
    if (name && PRIVILEGED_ROLES.includes(name)) {
      c.add(role.path, `pre_authorized_roles_list cannot contain ${name} (Snowflake forbids ${PRIVILEGED_ROLES.join(', ')}; reference §1.7)`);
    }
  }
}

function checkApiAuthentication(c: Checker, { value: r, path }: Entry<Rec>): void {
  c.keys(r, path, API_AUTH_KEYS);
  c.choice(r, 'auth_type', path, ['OAUTH2']);
  for (const key of ['oauth_token_endpoint', 'oauth_authorization_endpoint']) {
    const url = c.string(r, key, path);
    const problem = url === undefined ? undefined : httpUrlProblem(url);
    if (problem) c.add([...path, key], problem);
  }
  c.choice(r, 'oauth_client_auth_method', path, ['CLIENT_SECRET_POST', 'CLIENT_SECRET_BASIC']);
  c.choice(r, 'oauth_grant', path, ['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'JWT_BEARER']);
  for (const key of ['oauth_client_id', 'oauth_client_secret', 'oauth_assertion_issuer', 'comment']) c.string(r, key, path);
  c.int(r, 'oauth_access_token_validity', path, 0);
  c.int(r, 'oauth_refresh_token_validity', path, 0);
  c.strings(r, 'oauth_allowed_scopes', path);
  c.bool(r, 'enabled', path);
}

// ---------------------------------------------------------------------------------------------
// Pre-issued OAuth tokens, databases, warehouses

function checkOAuthTokens(c: Checker, scope: Scope, a: Rec): void {
  for (const { value: t, path } of c.records(a, 'oauth_access_tokens', scope.path, TOKEN_KEYS)) {
    const token = c.string(t, 'token', path, 'for a pre-issued OAuth access token (its opaque value)');
    if (token) scope.secrets.push({ value: token, path: [...path, 'token'] });
    const user = c.string(t, 'user', path, 'for an OAuth access token (the user NAME it belongs to)')?.toUpperCase();
    if (user && !scope.users.has(user)) {
      c.add([...path, 'user'], `user "${user}" is not declared in ${formatPath([...scope.path, 'users'])}${didYouMean(suggest(user, scope.users.keys()))}`);
    }
    roleField(c, scope, t, 'role', path);
    checkTokenExpiry(c, t, path);
    checkTokenIntegration(c, scope, t, path);
  }
}

function checkTokenExpiry(c: Checker, t: Rec, path: ConfigPath): void {
  const expiresIn = t.expires_in;
  if (!isAbsent(expiresIn) && !((typeof expiresIn === 'number' || typeof expiresIn === 'string') && parseDuration(expiresIn) !== undefined)) {
    c.add([...path, 'expires_in'], `expected seconds or a duration such as 10m, got ${describe(expiresIn)}`);
  }
  c.instant(t, 'expires_at', path);
  if (!isAbsent(expiresIn) && !isAbsent(t.expires_at)) c.add([...path, 'expires_at'], 'give expires_in or expires_at, not both');
}

function checkTokenIntegration(c: Checker, scope: Scope, t: Rec, path: ConfigPath): void {
  const name = c.string(t, 'integration', path)?.toUpperCase();
  if (name === undefined) return;
  const type = scope.integrations.get(name);
  if (type === 'OAUTH') return;
  const where = formatPath([...scope.path, 'security_integrations']);
  const oauth = [...scope.integrations].filter(([, ty]) => ty === 'OAUTH').map(([n]) => n);
  c.add([...path, 'integration'], type
    ? `integration "${name}" is of type ${type}; OAuth access tokens come from an oauth integration`
    : `oauth integration "${name}" is not declared in ${where}${didYouMean(suggest(name, oauth))}`);
}

function checkDatabases(c: Checker, scope: Scope, a: Rec): void {
  const databases = c.records(a, 'databases', scope.path, DATABASE_KEYS);
  for (const { value: d, path } of databases) {
    c.string(d, 'name', path, true);
    c.string(d, 'comment', path);
    c.choice(d, 'kind', path, ['PERMANENT', 'TRANSIENT']);
    roleField(c, scope, d, 'owner', path);
  }
  c.unique(names(databases), 'database name');
}

function checkWarehouses(c: Checker, scope: Scope, a: Rec): void {
  const warehouses = c.records(a, 'warehouses', scope.path, WAREHOUSE_KEYS);
  for (const { value: w, path } of warehouses) {
    c.string(w, 'name', path, true);
    const size = c.string(w, 'size', path);
    if (size && !warehouseSize(size)) c.add([...path, 'size'], `unknown warehouse size "${size}" (expected X-Small, Small, Medium, Large, X-Large, 2X-Large … 6X-Large)`);
    roleField(c, scope, w, 'owner', path);
  }
  c.unique(names(warehouses), 'warehouse name');
}
