/**
 * What the checks of one account share: the names already declared (roles, network policies and
 * rules, users, integrations), so later sections can check their references, and the secrets
 * and client ids gathered for the account-wide uniqueness checks.
 */
import { SYSTEM_ROLES } from '../config.ts';
import type { Checker, Entry, Rec } from './checker.ts';
import { didYouMean, suggest } from './suggest.ts';
import { formatPath, type ConfigPath } from './world-config-error.ts';

/**
 * What later rules of one account need to know about what was already checked.
 *
 * @example
 * scope.policies.has('OFFICE') // true once network_policies has declared OFFICE
 */
export interface Scope {
  readonly path: ConfigPath;
  /** PUBLIC, then the declared roles, upper-case. */
  readonly declared: string[];
  readonly policies: Set<string>;
  readonly rules: Set<string>;
  readonly users: Map<string, UserFacts>;
  readonly integrations: Map<string, 'OAUTH' | 'API_AUTHENTICATION' | 'EXTERNAL_OAUTH'>;
  readonly secrets: Entry<string>[];
  readonly clientIds: Entry<string>[];
  readonly pat: { defaultDays: number; maxDays: number; requireRoleRestriction: boolean };
}

/**
 * What PAT rules need to know about the user that owns the tokens.
 *
 * @example
 * const facts: UserFacts = { name: 'ETL_BOT', type: 'SERVICE', granted: new Set(['PUBLIC', 'LOADER']) }
 */
export interface UserFacts {
  readonly name: string;
  readonly type: string;
  readonly granted: Set<string>;
}

/**
 * Checks a role name against the account's roles; returns it upper-cased when known.
 *
 * @example
 * roleRef(c, scope, { value: 'analyst', path: ['users', 0, 'roles', 0] }) // 'ANALYST' when declared
 */
export function roleRef(c: Checker, scope: Scope, role: Entry<string>): string | undefined {
  const name = role.value.toUpperCase();
  if (scope.declared.includes(name) || SYSTEM_ROLES.includes(name)) return name;
  const hint = suggest(name, [...scope.declared, ...SYSTEM_ROLES]);
  c.add(role.path, `role "${name}" is not declared in ${formatPath([...scope.path, 'roles'])} (declared: ${scope.declared.join(', ')})${didYouMean(hint)}`);
  return undefined;
}

/**
 * Reads an optional field that names a role and checks it with {@link roleRef}.
 *
 * @example
 * roleField(c, scope, user, 'default_role', ['users', 0]) // 'ANALYST', or undefined with a problem
 */
export function roleField(c: Checker, scope: Scope, obj: Rec, key: string, path: ConfigPath): string | undefined {
  const value = c.string(obj, key, path);
  return value === undefined ? undefined : roleRef(c, scope, { value, path: [...path, key] });
}

/**
 * Checks that an optional field names a network policy declared in the account.
 *
 * @example
 * checkPolicyRef(c, scope, user, 'network_policy', ['users', 0])
 */
export function checkPolicyRef(c: Checker, scope: Scope, obj: Rec, key: string, path: ConfigPath): void {
  const value = c.string(obj, key, path)?.toUpperCase();
  if (value === undefined || scope.policies.has(value)) return;
  const declared = scope.policies.size ? `declared: ${[...scope.policies].join(', ')}` : 'none declared';
  const where = formatPath([...scope.path, 'network_policies']);
  c.add([...path, key], `network policy "${value}" is not declared in ${where} (${declared})${didYouMean(suggest(value, scope.policies))}`);
}
