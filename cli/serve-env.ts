/**
 * `serve`'s settings from the environment, the way the container image is configured (Dockerfile):
 * every flag `--name` as `SNOWFLAKE_MOCK_<NAME in UPPER_SNAKE>`; a flag on the command line wins.
 * Two exceptions: `SNOWFLAKE_MOCK_WORLD` holds the world itself, as YAML or JSON text, and
 * `SNOWFLAKE_MOCK_WORLD_FILE` the path `--world` takes. An empty variable counts as unset
 * (`docker run -e NAME=` and Compose's `NAME:` give one).
 */
import { loadWorldFileWithWarnings } from '../api/world-file.ts';
import type { WorldConfig } from '../domain/world/config.ts';
import { parseWorldTextWithWarnings } from '../domain/world/parse-text.ts';
import type { WorldConfigIssue } from '../domain/world/validate.ts';
import { didYouMean, suggest } from '../domain/world/validate/suggest.ts';
import { UsageError, type FlagSpec, type ParsedFlags } from './args.ts';

/**
 * The prefix of every variable `serve` reads.
 *
 * @example
 * `${ENV_PREFIX}PORT` // 'SNOWFLAKE_MOCK_PORT'
 */
export const ENV_PREFIX = 'SNOWFLAKE_MOCK_';
/**
 * The variable holding a world as text (not a path).
 *
 * @example
 * process.env[WORLD_TEXT_VARIABLE] = 'users: [{ name: ALICE, password: pw }]'
 */
export const WORLD_TEXT_VARIABLE = 'SNOWFLAKE_MOCK_WORLD';
/** Flags no variable sets: help is for a person at a terminal. */
const NOT_FROM_ENV = new Set(['help']);

/**
 * The variable of a flag.
 *
 * @example
 * envVariable('clock-start') // 'SNOWFLAKE_MOCK_CLOCK_START'
 * envVariable('world')       // 'SNOWFLAKE_MOCK_WORLD_FILE' (SNOWFLAKE_MOCK_WORLD is the world's text)
 */
export function envVariable(flag: string): string {
  return `${ENV_PREFIX}${flag === 'world' ? 'WORLD_FILE' : flag.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * What the environment sets.
 *
 * @example
 * const { flags, sources, worldText, unknown } = readServeEnv(process.env, SERVE_FLAGS)
 */
export interface ServeEnv {
  /** Flags, typed as `parseFlags` gives them (`hostname`: the comma-separated list as one string). */
  readonly flags: ParsedFlags;
  /** The variable each flag in {@link flags} came from. */
  readonly sources: Readonly<Record<string, string>>;
  /** `SNOWFLAKE_MOCK_WORLD`: a world as YAML or JSON text. */
  readonly worldText?: string;
  /** What is wrong with each `SNOWFLAKE_MOCK_*` variable that sets nothing (a typo, or another tool's), with a hint. */
  readonly unknown: readonly string[];
}

/**
 * Reads the flags of `specs` from `env`, but not those `given` on the command line (they win, so
 * their variables are not even read); a value that cannot be read is a usage error naming the
 * variable.
 *
 * @example
 * readServeEnv({ SNOWFLAKE_MOCK_PORT: '4010', SNOWFLAKE_MOCK_CONTROL: 'yes' }, SERVE_FLAGS).flags // { port: 4010, control: true }
 */
export function readServeEnv(env: NodeJS.ProcessEnv, specs: Readonly<Record<string, FlagSpec>>, given: ParsedFlags = {}): ServeEnv {
  const flags: ParsedFlags = {};
  const sources: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(specs)) {
    const variable = envVariable(flag);
    const raw = env[variable];
    if (NOT_FROM_ENV.has(flag) || flag in given || raw === undefined || raw === '') continue;
    flags[flag] = envValue(variable, spec, raw);
    sources[flag] = variable;
  }
  const known = [...Object.keys(specs).filter((f) => !NOT_FROM_ENV.has(f)).map(envVariable), WORLD_TEXT_VARIABLE];
  const unknown = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !known.includes(name))
    .map((name) => `${name}: serve reads no such variable${didYouMean(suggest(name, known))}`);
  const worldText = env[WORLD_TEXT_VARIABLE];
  return { flags, sources, unknown, ...(worldText !== undefined && worldText !== '' && { worldText }) };
}

/**
 * One variable's value as its flag's type. Booleans: 1/0, true/false, yes/no (any case); numbers:
 * whole and non-negative, as on the command line.
 *
 * @example
 * envValue('SNOWFLAKE_MOCK_HTTPS', { type: 'boolean', description: '' }, 'Yes') // true
 */
export function envValue(variable: string, spec: FlagSpec, raw: string): string | number | boolean {
  const value = raw.trim();
  if (spec.type === 'boolean') {
    if (/^(1|true|yes)$/i.test(value)) return true;
    if (/^(0|false|no)$/i.test(value)) return false;
    throw new UsageError(`${variable} must be 1/0, true/false or yes/no, got "${raw}"`);
  }
  if (spec.type === 'number') {
    const n = Number(value);
    if (value === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`${variable} must be a non-negative whole number, got "${raw}"`);
    return n;
  }
  return raw;
}

/**
 * The world `serve` starts on: `--world` (a path), else `SNOWFLAKE_MOCK_WORLD` (text, validated
 * exactly as a file is, problems placed at `SNOWFLAKE_MOCK_WORLD:<line>:<column>`), else
 * `SNOWFLAKE_MOCK_WORLD_FILE` (a path); undefined for the embedded default world. The text and a
 * path together are a usage error: which one was meant cannot be told.
 *
 * @example
 * serveWorld(undefined, readServeEnv({ SNOWFLAKE_MOCK_WORLD: 'users: [{ name: ALICE, password: pw }]' }, SERVE_FLAGS)) // a WorldConfig
 */
export function serveWorld(cliWorld: string | undefined, env: ServeEnv): string | WorldConfig | undefined {
  const source = worldSource(cliWorld, env);
  return typeof source === 'object' ? parseWorldTextWithWarnings(source.text, WORLD_TEXT_VARIABLE).config : source;
}

/**
 * {@link serveWorld}, plus the world's warnings (domain/world/warnings.ts) placed at the file's
 * or the variable's lines, for `serve` to print before its banner. A file is read here to find
 * them, and again by the server, which names the file in anything it finds while building; the
 * embedded default world has none.
 *
 * @example
 * const { world, warnings } = serveWorldWithWarnings('world.yaml', readServeEnv(process.env, SERVE_FLAGS))
 * // world: 'world.yaml'; warnings: [{ file: 'world.yaml', line: 14, …, message: 'PAT CI of user ALICE can never be used: …' }]
 */
export function serveWorldWithWarnings(cliWorld: string | undefined, env: ServeEnv): { world: string | WorldConfig | undefined; warnings: readonly WorldConfigIssue[] } {
  const source = worldSource(cliWorld, env);
  if (source === undefined) return { world: undefined, warnings: [] };
  if (typeof source === 'string') return { world: source, warnings: loadWorldFileWithWarnings(source).warnings };
  const loaded = parseWorldTextWithWarnings(source.text, WORLD_TEXT_VARIABLE);
  return { world: loaded.config, warnings: loaded.warnings };
}

/** Where the world comes from: a path, the variable's text, or nothing (the default world). */
function worldSource(cliWorld: string | undefined, env: ServeEnv): string | { text: string } | undefined {
  if (env.worldText === undefined) return cliWorld ?? (env.flags.world as string | undefined);
  const other = cliWorld !== undefined ? '--world' : env.sources.world;
  if (other !== undefined) throw new UsageError(`${other} and ${WORLD_TEXT_VARIABLE} both give the world; give one (${WORLD_TEXT_VARIABLE} holds the world's text, --world and ${envVariable('world')} a file's path)`);
  return { text: env.worldText };
}

/**
 * The help text on the variables, for `serve --help`.
 *
 * @example
 * console.log(envHelp(SERVE_FLAGS))
 */
export function envHelp(specs: Readonly<Record<string, FlagSpec>>): string {
  const names = Object.keys(specs).filter((f) => !NOT_FROM_ENV.has(f) && f !== 'world').map(envVariable);
  return [
    'environment (the container is configured this way; a flag on the command line wins; empty = unset):',
    `  ${WORLD_TEXT_VARIABLE}`.padEnd(30) + 'the world itself, as YAML or JSON text (not with --world or SNOWFLAKE_MOCK_WORLD_FILE)',
    `  ${envVariable('world')}`.padEnd(30) + 'path of a world file, as --world',
    ...wrap(names, '  '),
    '    one per flag (--clock-start: SNOWFLAKE_MOCK_CLOCK_START); booleans 1/0, true/false or yes/no;',
    '    SNOWFLAKE_MOCK_HOSTNAME takes a comma-separated list; the TLS ones are read only with HTTPS on',
  ].join('\n');
}

/** Names joined with ", " in lines of at most 100 characters. */
function wrap(names: readonly string[], indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const name of names) {
    if (line.length + name.length > 100 && line !== indent) [lines[lines.length], line] = [line.trimEnd(), indent];
    line += `${name}, `;
  }
  return [...lines, line.replace(/, $/, '')];
}
