/**
 * The reporters of a scenario run, by name (`--reporter pretty|json|junit|markdown`).
 */
import type { RunResult } from '../result.ts';
import { json } from './json.ts';
import { junit } from './junit.ts';
import { markdown } from './markdown.ts';
import { pretty } from './pretty.ts';

export { json, type JsonOptions } from './json.ts';
export { junit, escapeXml, escapeXmlAttr, type JunitOptions } from './junit.ts';
export { markdown, sequenceDiagram, escapeMermaid, type MarkdownOptions } from './markdown.ts';
export { pretty, formatDuration, type PrettyOptions } from './pretty.ts';

/** A reporter's name. */
export type ReporterName = 'pretty' | 'json' | 'junit' | 'markdown';

/** Options every reporter accepts (only `pretty` uses `color`). */
export interface ReporterOptions {
  /** ANSI colours in terminal output. Default false. */
  readonly color?: boolean;
}

/** Turns a run into text. */
export type Reporter = (result: RunResult, options?: ReporterOptions) => string;

/**
 * Every reporter by name.
 * @example
 * process.stdout.write(REPORTERS[args.reporter ?? 'pretty'](result, { color: process.stdout.isTTY }));
 */
export const REPORTERS: Readonly<Record<ReporterName, Reporter>> = {
  pretty: (result, options) => pretty(result, { color: options?.color === true }),
  json: (result) => json(result),
  junit: (result) => junit(result),
  markdown: (result) => markdown(result),
};

/**
 * The reporter names, for CLI help and validation.
 * @example
 * if (!reporterNames.includes(name)) throw new Error(`--reporter: one of ${reporterNames.join(', ')}`);
 */
export const reporterNames: readonly ReporterName[] = ['pretty', 'json', 'junit', 'markdown'];

/**
 * Whether a string names a reporter (narrows it to {@link ReporterName}).
 * @example
 * isReporterName('junit') // true
 */
export function isReporterName(name: string): name is ReporterName {
  return (reporterNames as readonly string[]).includes(name);
}
