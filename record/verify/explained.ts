/**
 * The explained-differences file (`--explained`, YAML or JSON):
 *
 * ```yaml
 * reasons: { <id>: <why, with its public source> }
 * differences:
 *   - { exchange: <origin, file name or id>, diff: <the line verify writes>, reason: <id> }
 * adaptations:            # optional: what verify cannot derive from the recording alone
 *   <id>: { text: <why>, exchanges: [<origin or file>], host: …, form: {…}, code_scope: …, access_token: valid|expired|unknown }
 * ```
 *
 * Problems are reported as `file: field: problem`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Adaptation, ExplainedDifference } from './types.ts';
import { InputError } from '../input-error.ts';

/**
 * An explained file that cannot be used; the message is `file: field: problem`.
 *
 * @example
 * new ExplainedError('explained.yaml', 'differences[0].reason', 'expected a non-empty string').message
 */
export class ExplainedError extends InputError {}

/** An explained file, read. */
export interface ExplainedFile {
  readonly reasons: Readonly<Record<string, string>>;
  readonly differences: readonly ExplainedDifference[];
  readonly adaptations: readonly Adaptation[];
}

/**
 * Reads and checks an explained file: every difference has the three strings and a known reason,
 * none is listed twice.
 *
 * @example
 * const { reasons, differences, adaptations } = loadExplained('recordings/driver-fixtures/explained.yaml')
 */
export function loadExplained(file: string): ExplainedFile {
  let root: unknown;
  try {
    root = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ExplainedError(file, '(file)', error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  if (!isRecord(root)) throw new ExplainedError(file, '(root)', 'expected a mapping with reasons and differences');
  const reasons = checkReasons(file, root.reasons);
  const differences = checkDifferences(file, root.differences, reasons);
  return { reasons, differences, adaptations: checkAdaptations(file, root.adaptations) };
}

function checkReasons(file: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new ExplainedError(file, 'reasons', 'expected a mapping of reason id to text');
  for (const [id, text] of Object.entries(value)) if (typeof text !== 'string' || text.trim() === '') throw new ExplainedError(file, `reasons.${id}`, 'expected a text');
  return value as Record<string, string>;
}

function checkDifferences(file: string, value: unknown, reasons: Readonly<Record<string, string>>): ExplainedDifference[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ExplainedError(file, 'differences', 'expected a list');
  const seen = new Set<string>();
  return value.map((d: unknown, i) => {
    const at = `differences[${i}]`;
    if (!isRecord(d)) throw new ExplainedError(file, at, 'expected { exchange, diff, reason }');
    for (const k of ['exchange', 'diff', 'reason'] as const) if (typeof d[k] !== 'string' || d[k] === '') throw new ExplainedError(file, `${at}.${k}`, 'expected a non-empty string');
    if (!(String(d.reason) in reasons)) throw new ExplainedError(file, `${at}.reason`, `"${String(d.reason)}" is not one of reasons`);
    const key = `${String(d.exchange)}\u0000${String(d.diff)}`;
    if (seen.has(key)) throw new ExplainedError(file, at, 'lists the same difference twice');
    seen.add(key);
    return { exchange: String(d.exchange), diff: String(d.diff), reason: String(d.reason) };
  });
}

const ACCESS = ['valid', 'expired', 'unknown'];

function checkAdaptations(file: string, value: unknown): Adaptation[] {
  if (value === undefined) return [];
  if (!isRecord(value)) throw new ExplainedError(file, 'adaptations', 'expected a mapping of adaptation id to { text, exchanges, … }');
  return Object.entries(value).map(([id, a]) => {
    const at = `adaptations.${id}`;
    if (!isRecord(a)) throw new ExplainedError(file, at, 'expected { text, exchanges, … }');
    if (typeof a.text !== 'string' || a.text === '') throw new ExplainedError(file, `${at}.text`, 'expected a text');
    if (!Array.isArray(a.exchanges) || a.exchanges.length === 0 || a.exchanges.some((x) => typeof x !== 'string')) throw new ExplainedError(file, `${at}.exchanges`, 'expected a list of exchange names');
    if (a.host !== undefined && typeof a.host !== 'string') throw new ExplainedError(file, `${at}.host`, 'expected a host name');
    if (a.code_scope !== undefined && typeof a.code_scope !== 'string') throw new ExplainedError(file, `${at}.code_scope`, 'expected a scope');
    if (a.access_token !== undefined && !ACCESS.includes(String(a.access_token))) throw new ExplainedError(file, `${at}.access_token`, `expected one of ${ACCESS.join(', ')}`);
    if (a.form !== undefined && (!isRecord(a.form) || Object.values(a.form).some((v) => v !== null && typeof v !== 'string'))) throw new ExplainedError(file, `${at}.form`, 'expected a mapping of field to text (or null to remove it)');
    return {
      id, text: a.text, exchanges: a.exchanges as string[],
      ...(a.host !== undefined && { host: a.host as string }),
      ...(a.form !== undefined && { form: a.form as Record<string, string | null> }),
      ...(a.code_scope !== undefined && { codeScope: a.code_scope as string }),
      ...(a.access_token !== undefined && { accessToken: a.access_token as Adaptation['accessToken'] & string }),
    };
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
