/**
 * Field readers: each checks one field, reports a problem when it is wrong, and returns the value
 * only when it is right, so later rules never see a half-valid value.
 */
import { quoteUntrusted } from '../../safe-text.ts';
import { parseDuration } from '../../clock.ts';
import { importConfiguredKey, parseInstant } from './field-rules.ts';
import { didYouMean, suggest } from './suggest.ts';
import { formatPath, type ConfigPath, type ConfigProblem } from './world-config-error.ts';

/**
 * A config mapping not yet checked field by field.
 *
 * @example
 * const user: Rec = { name: 'ALICE', roles: ['ANALYST'] }
 */
export type Rec = Record<string, unknown>;

/**
 * A value that passed its check, with the path to report later problems about it at.
 *
 * @example
 * const role: Entry<string> = { value: 'ANALYST', path: ['users', 0, 'roles', 0] }
 */
export interface Entry<T> {
  readonly value: T;
  readonly path: ConfigPath;
}

/**
 * Whether a value is a mapping (a Date from YAML is a scalar, not a mapping).
 *
 * @example
 * isRecord({ name: 'ALICE' }) // true
 */
export const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * Whether a field is left out; YAML's `key:` with no value reads as null and counts as absent.
 *
 * @example
 * isAbsent(user.type) // true for `type:` and for no `type` key
 */
export const isAbsent = (v: unknown): v is null | undefined => v === undefined || v === null;

/**
 * Names a wrong value the way the writer sees it, for "expected …, got …" messages.
 *
 * @example
 * describe([1]) // 'a list'
 */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isRecord(v)) return 'a mapping';
  // Bounded: a config (or a control request) may carry a string of megabytes (issue #14).
  if (typeof v === 'string') return `the string ${quoteUntrusted(v, 200)}`;
  return `${typeof v} ${quoteUntrusted(v, 200)}`;
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const hint = allowed.find((k) => k === key.toLowerCase()) ?? suggest(key, allowed);
  const quoted = quoteUntrusted(key, 120);
  return hint ? `unknown key ${quoted}; did you mean "${hint}"?` : `unknown key ${quoted} (expected one of: ${allowed.join(', ')})`;
}

/**
 * Collects problems while reading a config; one instance per validation run.
 *
 * @example
 * const c = new Checker(); c.string(user, 'name', path, true); c.problems // [] when the name is there
 */
export class Checker {
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

  /** A positive duration of at most `maxSeconds`: seconds, or text such as `10m` / `4h`; returns seconds. */
  duration(obj: Rec, key: string, path: ConfigPath, maxSeconds = 31_536_000): number | undefined {
    const v = obj[key];
    if (isAbsent(v)) return undefined;
    const ms = typeof v === 'number' || typeof v === 'string' ? parseDuration(v) : undefined;
    if (ms !== undefined && ms > 0 && ms <= maxSeconds * 1000) return ms / 1000;
    this.add([...path, key], `expected a positive number of seconds (at most ${maxSeconds}) or a duration such as 1h, got ${describe(v)}`);
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

/**
 * The `name` of each entry (the required-name problem is reported by the entry's own check).
 *
 * @example
 * c.unique(names(users), 'user name')
 */
export function names(entries: readonly Entry<Rec>[], key = 'name'): Entry<string>[] {
  return entries.flatMap(({ value, path }) => (typeof value[key] === 'string' ? [{ value: value[key], path: [...path, key] }] : []));
}

/**
 * Checks an optional public-key field with {@link importConfiguredKey}, so a bad key fails at load
 * rather than at the first JWT signed with it.
 *
 * @example
 * checkKeyField(c, user, 'rsa_public_key', ['users', 0])
 */
export function checkKeyField(c: Checker, obj: Rec, key: string, path: ConfigPath): void {
  const text = c.string(obj, key, path);
  if (text === undefined) return;
  try {
    importConfiguredKey(text);
  } catch (e) {
    c.add([...path, key], `not a usable public key: ${(e as Error).message}`);
  }
}
