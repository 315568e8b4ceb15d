/**
 * The root of a world config: world-wide switches and clock, then the accounts, either listed
 * under `accounts:` or written at the root (the single-account shorthand).
 */
import { WORLD_ONLY_KEYS } from '../config.ts';
import { ACCOUNT_KEYS, checkAccount } from './account.ts';
import { Checker, isAbsent, isRecord, names, type Entry, type Rec } from './checker.ts';
import { splitLocator } from './field-rules.ts';
import { checkStatements, roleInSomeAccount } from './statements.ts';
import type { ConfigProblem } from './world-config-error.ts';

const ROOT_KEYS = [...WORLD_ONLY_KEYS, ...ACCOUNT_KEYS];
const SWITCH_KEYS = ['network_policy_precedence', 'bcr_2026_07', 'jwt_specific_errors', 'jwt_algorithms', 'unmodelled_statements'];
const CLOCK_KEYS = ['start', 'frozen'];

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
  // PAT secrets, rotated secrets and OAuth tokens are looked up world-wide, so one may not serve two accounts.
  const secrets = accounts.flatMap(({ value, path }) => checkAccount(c, value, path, path.length === 0));
  c.unique(secrets, 'secret', 'secret');
  // Top-level statements answer in every account: a role they name must exist in one of them.
  const roles = accounts.flatMap(({ value }) => (Array.isArray(value.roles) ? value.roles.filter((r): r is string => typeof r === 'string') : []));
  checkStatements(c, root, [], roleInSomeAccount(c, roles));
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
    if (key === 'statements') continue; // the world's own, beside accounts: too (decisions/0016)
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
  c.choice(s, 'unmodelled_statements', path, ['error', 'empty']);
}

function checkClock(c: Checker, root: Rec): void {
  const clock = c.section(root, 'clock', [], CLOCK_KEYS);
  if (!clock) return;
  c.instant(clock, 'start', ['clock']);
  c.bool(clock, 'frozen', ['clock']);
}
