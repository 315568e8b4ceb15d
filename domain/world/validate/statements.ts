/**
 * `statements:` of a world, an account, or the mock's options (decisions/0016): each entry has
 * exactly one matcher, one answer, roles the account knows, and rows that fit their columns — every
 * problem reported at its field, so a bad entry fails at load naming file, line and field.
 */
import { readStatementEntry } from '../../sql/answers.ts';
import { SYSTEM_ROLES } from '../config.ts';
import type { Checker, Entry, Rec } from './checker.ts';
import { didYouMean, suggest } from './suggest.ts';
import type { ConfigPath } from './world-config-error.ts';

/**
 * Checks the `statements` list of `obj` (at `path`); `role` checks one role name and returns it
 * upper-cased, or reports it and returns undefined.
 *
 * @example
 * checkStatements(c, account, ['accounts', 0], (e) => roleRef(c, scope, e))
 */
export function checkStatements(c: Checker, obj: Rec, path: ConfigPath, role: (entry: Entry<string>) => string | undefined): void {
  for (const { value, path: at } of c.records(obj, 'statements', path)) readStatementEntry(c, value, at, role);
}

/**
 * A role check for entries that apply to every account (the world's top level, the mock's
 * options): the role must be a system role or declared in one of the accounts.
 *
 * @example
 * const role = roleInSomeAccount(c, ['ANALYST'])
 * role({ value: 'analyst', path: ['statements', 0, 'roles', 0] }) // 'ANALYST'
 */
export function roleInSomeAccount(c: Checker, declared: readonly string[]): (entry: Entry<string>) => string | undefined {
  const known = new Set([...declared.map((r) => r.toUpperCase()), 'PUBLIC', ...SYSTEM_ROLES]);
  return ({ value, path }) => {
    const name = value.toUpperCase();
    if (known.has(name)) return name;
    c.add(path, `role "${name}" is declared in no account (known: ${[...known].join(', ')})${didYouMean(suggest(name, [...known]))}`);
    return undefined;
  };
}
