/**
 * The JSON reporter: the RunResult itself, pretty-printed, keys in the object's own order.
 */
import type { RunResult } from '../result.ts';

/** Options of {@link json}. */
export interface JsonOptions {
  /** Spaces per indentation level. Default 2. */
  readonly indent?: number;
}

/** BigInts (which JSON cannot hold) become decimal strings; everything else is left as is. */
function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Renders a run as pretty-printed JSON ending with a newline; `JSON.parse` gives the result back
 * (fields whose value is `undefined`, e.g. the actual of an absent field, are left out).
 * @example
 * const again: RunResult = JSON.parse(json(result));
 */
export function json(result: RunResult, options: JsonOptions = {}): string {
  return `${JSON.stringify(result, replacer, options.indent ?? 2)}\n`;
}
