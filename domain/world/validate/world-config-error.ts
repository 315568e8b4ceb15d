/**
 * How problems in a world config are reported: a problem sits at a config path, an issue is that
 * problem placed in its file (DESIGN.md §3: file, line, field and what was expected), and
 * {@link WorldConfigError} carries every issue at once so one run lists them all.
 */

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
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? segment(p) : `.${segment(p)}`)).join('');
}

const MAX_MESSAGE = 1000;

/** A key as written, cut at 80 characters: a key may be a megabyte long (issue #14). */
const segment = (key: string): string => (key.length > 80 ? `${key.slice(0, 80)}…` : key);

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
  return new WorldConfigError(placeIssues(problems, source));
}

/**
 * Places problems (or warnings) in their source: file, line and column, sorted by line.
 *
 * @example
 * placeIssues(worldConfigWarnings(config), { file: 'world.yaml', lines }).map(formatIssue)
 * // ['world.yaml:14:13: users[0].programmatic_access_tokens[0]: PAT CI of user ALICE can never be used: …']
 */
export function placeIssues(problems: readonly ConfigProblem[], source: ConfigSource = {}): WorldConfigIssue[] {
  const issues = problems.map((p): WorldConfigIssue => {
    const pos = source.lines?.(p.path);
    // Messages quote what the config holds: cut, so a megabyte value cannot make a megabyte report (issue #14).
    const message = p.message.length > MAX_MESSAGE ? `${p.message.slice(0, MAX_MESSAGE)}…` : p.message;
    return { file: source.file, line: pos?.line, column: pos?.column, path: formatPath(p.path), message };
  });
  return issues.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}
