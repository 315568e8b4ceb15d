/**
 * A small, strict flag parser: unknown flags and missing values are errors with a clear message,
 * never silently ignored.
 */
import { isLoopbackHost } from '../domain/network/loopback.ts';

/** How a flag is read. */
export interface FlagSpec {
  readonly type: 'string' | 'number' | 'boolean';
  readonly description: string;
}

export type ParsedFlags = Record<string, string | number | boolean>;

/** A usage error, printed with the command's help. */
export class UsageError extends Error {}

/**
 * Parses `--name value`, `--name=value` and boolean `--flag`.
 *
 * @example
 * parseFlags(['--port', '4010'], { port: { type: 'number', description: 'port' } }) // { port: 4010 }
 */
export function parseFlags(argv: readonly string[], specs: Readonly<Record<string, FlagSpec>>): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`);
    const name = m[1]!;
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown flag --${name}`);
    if (spec.type === 'boolean') {
      if (m[2] !== undefined && !/^(true|false)$/.test(m[2])) throw new UsageError(`--${name} takes no value (or =true/=false)`);
      out[name] = m[2] !== 'false';
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined || (m[2] === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (spec.type === 'number') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative whole number, got "${value}"`);
      out[name] = n;
    } else out[name] = value;
  }
  return out;
}

/** Renders flag help lines. */
export function flagHelp(specs: Readonly<Record<string, FlagSpec>>): string {
  return Object.entries(specs)
    .map(([name, s]) => `  --${name}${s.type === 'boolean' ? '' : ` <${s.type === 'number' ? 'n' : 'value'}>`}`.padEnd(30) + s.description)
    .join('\n');
}

/**
 * Whether a URL's host is this machine (loopback, `localhost`, `*.localhost`); undefined when it is
 * not a URL. `run --target` and `record --upstream` need `--live` for anything else: a real account.
 *
 * @example
 * isOnThisMachine('http://127.0.0.1:4010') // true
 * isOnThisMachine('https://myorg-myaccount.snowflakecomputing.com') // false
 */
export function isOnThisMachine(url: string): boolean | undefined {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return undefined;
  }
}

/**
 * Pulls every `--name value` / `--name=value` of a flag that may repeat out of argv.
 *
 * @example
 * takeRepeated(['a', '--allow', '/x', '--allow=/y'], 'allow') // { values: ['/x', '/y'], rest: ['a'] }
 */
export function takeRepeated(argv: readonly string[], name: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
    else if (arg === `--${name}`) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      values.push(value);
    } else rest.push(arg);
  }
  return { values, rest };
}

/**
 * The line for a server that could not listen (port taken, no such address), or undefined for any
 * other error; `serve` and `record` say the same thing.
 *
 * @example
 * listenFailure('serve', { code: 'EADDRINUSE' }, { port: 4010 }, 4010) // 'snowflake-auth-mock serve: port 4010 is already in use; pick another with --port'
 */
export function listenFailure(command: string, error: unknown, flags: Record<string, unknown>, defaultPort: number): string | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'EADDRINUSE') return `snowflake-auth-mock ${command}: port ${String(flags.port ?? defaultPort)} is already in use; pick another with --port`;
  if (code === 'EADDRNOTAVAIL') return `snowflake-auth-mock ${command}: cannot bind ${String(flags.host)}: no such local address`;
  return undefined;
}
