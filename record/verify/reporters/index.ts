/**
 * The reporters of `verify`, by name (`--reporter pretty|json|markdown|junit`), in the style of the
 * scenario runner's (contracts/reporters/).
 */
import type { VerifyResult } from '../types.ts';
import { junitVerify } from './junit.ts';
import { markdownVerify } from './markdown.ts';
import { prettyVerify } from './pretty.ts';

export { junitVerify } from './junit.ts';
export { markdownVerify, type MarkdownVerifyOptions } from './markdown.ts';
export { prettyVerify, type PrettyVerifyOptions } from './pretty.ts';

/** A reporter's name. */
export type VerifyReporterName = 'pretty' | 'json' | 'markdown' | 'junit';

/**
 * Every reporter by name.
 *
 * @example
 * process.stdout.write(VERIFY_REPORTERS.junit(result, {}))
 */
export const VERIFY_REPORTERS: Readonly<Record<VerifyReporterName, (result: VerifyResult, options: { color?: boolean }) => string>> = {
  pretty: (result, options) => prettyVerify(result, options),
  json: (result) => `${JSON.stringify(result, null, 2)}\n`,
  markdown: (result) => markdownVerify(result),
  junit: (result) => junitVerify(result),
};
