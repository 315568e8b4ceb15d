/**
 * Reads world config text (YAML, or JSON, which is YAML) and validates it, placing every problem
 * at its file, line and column. Pure: the caller reads the file (`api/world-file.ts`).
 *
 * Mis-indented list items, as printed in the seed's API_AUTHENTICATION example, get their own
 * message: YAML reports them as a cascade of "implicit keys" errors that say nothing useful.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { createIds } from '../ids.ts';
import { buildWorld } from './build.ts';
import { accountsOf, type WorldConfig } from './config.ts';
import { placeIssues, validateWorldConfig, worldConfigError, type ConfigPath, type ConfigProblem, type LineLocator, type WorldConfigIssue, WorldConfigError } from './validate.ts';
import { worldConfigWarnings } from './warnings.ts';

/**
 * A loaded world config and its warnings (`warnings.ts`): what loads but cannot work as written,
 * each placed at `file:line:column` like a problem. Warnings never stop a load.
 *
 * @example
 * const { config, warnings } = parseWorldTextWithWarnings(text, 'world.yaml')
 * for (const w of warnings) console.error(`warning: ${formatIssue(w)}`)
 */
export interface LoadedWorldConfig {
  readonly config: WorldConfig;
  readonly warnings: readonly WorldConfigIssue[];
}

/**
 * Parses and validates world config text; throws a `WorldConfigError` listing every problem with
 * `file:line:column`. When the config has outbound sections (applications, secrets, grants) it
 * also builds a throwaway world (clock 0, ids seed 0), so that setup-script failures and
 * references to objects a script creates are reported with file and line too (decisions/0008).
 * The warnings are dropped: {@link parseWorldTextWithWarnings} keeps them.
 *
 * @example
 * const config = parseWorldText(readFileSync('world.yaml', 'utf8'), 'world.yaml')
 */
export function parseWorldText(text: string, file?: string): WorldConfig {
  return parseWorldTextWithWarnings(text, file).config;
}

/**
 * {@link parseWorldText}, plus the world's warnings placed at their file and line.
 *
 * @example
 * parseWorldTextWithWarnings('users: [{ name: ALICE, programmatic_access_tokens: [{ name: CI }] }]', 'w.yaml').warnings[0]
 * // { file: 'w.yaml', line: 1, column: …, path: 'users[0].programmatic_access_tokens[0]', message: 'PAT CI of user ALICE can never be used: …' }
 */
export function parseWorldTextWithWarnings(text: string, file?: string): LoadedWorldConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) throw new WorldConfigError(syntaxIssues(text, doc, lineCounter, file));
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const problems: ConfigProblem[] = value == null ? [{ path: [], message: 'the world config is empty (expected a mapping with accounts: or users:, …)' }] : validateWorldConfig(value);
  if (problems.length > 0) throw worldConfigError(problems, { file, lines: lineLocator(doc, lineCounter) });
  // Setup scripts, secrets and grants (issue #6) are checked by building: do it once here, so their
  // problems carry file and line too (the caller builds again with its own clock and ids).
  if (hasOutboundSections(value as WorldConfig)) buildWorld(value as WorldConfig, { now: 0, ids: createIds(0), ...(file !== undefined && { file }), lines: lineLocator(doc, lineCounter) });
  const warnings = placeIssues(worldConfigWarnings(value as WorldConfig), { file, lines: lineLocator(doc, lineCounter) });
  return { config: value as WorldConfig, warnings };
}

function hasOutboundSections(config: WorldConfig): boolean {
  return accountsOf(config).some(({ account: a }) => a.applications !== undefined || a.secrets !== undefined || a.grants !== undefined);
}

/**
 * Maps a config path to the line and column of its key (for a mapping entry) or item (for a list
 * entry); a path that does not exist maps to its nearest existing ancestor.
 *
 * @example
 * lineLocator(doc, lineCounter)(['users', 0, 'default_role']) // { line: 12, column: 9 }
 */
export function lineLocator(doc: Document, lineCounter: LineCounter): LineLocator {
  return (path: ConfigPath) => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node);
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      const step = childOf(node, segment);
      if (!step) break;
      offset = rangeStart(step.at) ?? offset;
      node = step.node;
    }
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

/** The child at one path segment: `at` is what to point at (the key of a pair), `node` its value. */
function childOf(node: unknown, segment: string | number): { at: unknown; node: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
    return pair ? { at: pair.key, node: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { at: item, node: item };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

function syntaxIssues(text: string, doc: Document, lineCounter: LineCounter, file?: string): WorldConfigIssue[] {
  const indents = misindentedFields(text);
  const covered = (line: number): boolean => indents.some((m) => line >= m.itemLine && line <= m.lastLine);
  const issues: WorldConfigIssue[] = indents.map((m) => ({ file, line: m.line, column: m.column, path: '', message: m.message }));
  for (const error of doc.errors) {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    if (covered(pos.line)) continue;
    issues.push({ file, line: pos.line, column: pos.col, path: '', message: `YAML syntax error: ${firstLine(error.message)}` });
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

interface Misindent {
  /** Line of the first mis-indented field (1-based) and its column. */
  readonly line: number;
  readonly column: number;
  /** Line of the field the deeper lines were swallowed into, and the last line of the block. */
  readonly itemLine: number;
  readonly lastLine: number;
  readonly message: string;
}

const FIELD = /^(\s*)(-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/;
const DEEPER_FIELD = /^(\s+)([A-Za-z_][\w-]*)\s*:(\s|$)/;
const isBlank = (line: string): boolean => /^\s*(#.*)?$/.test(line);
const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * Finds `key: value` lines followed by more-indented `key:` lines, e.g. the seed's
 * `- name: x` / `    type: y`: YAML reads them as one multi-line scalar and fails.
 */
function misindentedFields(text: string): Misindent[] {
  const lines = text.split(/\r?\n/);
  const found: Misindent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FIELD.exec(lines[i]!);
    const value = m?.[4]?.trim() ?? '';
    // an empty value, a block scalar, or a bare anchor/tag legitimately owns the deeper lines
    if (!m || value === '' || /^([|>#]|[&!]\S*$)/.test(value)) continue;
    const fieldColumn = m[1]!.length + (m[2]?.length ?? 0);
    let next = i + 1;
    while (next < lines.length && isBlank(lines[next]!)) next++;
    const deeper = DEEPER_FIELD.exec(lines[next] ?? '');
    if (!deeper || deeper[1]!.length <= fieldColumn) continue;
    let last = next;
    while (last + 1 < lines.length && (isBlank(lines[last + 1]!) || indentOf(lines[last + 1]!) > fieldColumn)) last++;
    found.push(misindent(m, i, next, last, deeper));
    i = last;
  }
  return found;
}

function misindent(field: RegExpExecArray, index: number, next: number, last: number, deeper: RegExpExecArray): Misindent {
  const column = field[1]!.length + (field[2]?.length ?? 0) + 1;
  const what = field[2] ? `the list item that starts on line ${index + 1}` : `the mapping at line ${index + 1}`;
  const message =
    `the fields of ${what} are mis-indented: "${deeper[2]}" is indented to column ${deeper[1]!.length + 1} ` +
    `but "${field[3]}" starts at column ${column}; align every field of ${field[2] ? 'the item' : 'the mapping'} under "${field[3]}" ` +
    `(YAML reads the deeper lines as part of ${field[3]}'s value)`;
  return { line: next + 1, column: deeper[1]!.length + 1, itemLine: index + 1, lastLine: last + 1, message };
}
