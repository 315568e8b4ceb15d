/**
 * The terminal reporter: each scenario as a header and its steps with ✓/✗/○, a readable
 * expected/actual diff under every failed step, and a summary line. Also home of the small
 * formatting helpers the other reporters share (durations, compact values, step lines).
 */
import type { Mismatch, RunResult, ScenarioResult, Status, StepResult } from '../result.ts';

/** Options of {@link pretty}. */
export interface PrettyOptions {
  /** Use ANSI colours (green/red/yellow/dim). Default false: plain text, no escape codes. */
  readonly color?: boolean;
  /** Longest a printed value may get before it is truncated with `…`. Default 120. */
  readonly maxValueLength?: number;
}

/**
 * The symbol of a status: ✓ passed, ✗ failed, ○ skipped.
 * @example
 * SYMBOLS.failed // '✗'
 */
export const SYMBOLS: Readonly<Record<Status, string>> = { passed: '✓', failed: '✗', skipped: '○' };

const ANSI = { green: 32, red: 31, yellow: 33, dim: 2 } as const;
type Tone = keyof typeof ANSI;
const TONE: Readonly<Record<Status, Tone>> = { passed: 'green', failed: 'red', skipped: 'yellow' };

type Paint = (tone: Tone, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (tone, text) => `\x1b[${ANSI[tone]}m${text}\x1b[0m` : (_tone, text) => text;
}

/**
 * A duration for people: `850 ms` below a second, `1.23 s` from there on.
 * @example
 * formatDuration(850)  // '850 ms'
 * formatDuration(1234) // '1.23 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '? ms';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Cuts text longer than `max` characters (code points), ending it with `…` (the result is `max` long).
 * @example
 * truncate('abcdefgh', 5) // 'abcd…'
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text); // by code point, so a surrogate pair is never split
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

function jsonOf(value: unknown): string {
  if (value === undefined) return '(absent)';
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return text ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A value as compact one-line JSON, truncated to `max` characters; `undefined` reads `(absent)`.
 * @example
 * compactValue({ code: '390303' }) // '{"code":"390303"}'
 * compactValue(undefined)          // '(absent)'
 */
export function compactValue(value: unknown, max = 120): string {
  return truncate(jsonOf(value), max);
}

/**
 * What a request step got back, as `401 390303` (status, then Snowflake code or OAuth error).
 * Empty when the step has no response.
 * @example
 * responseLabel({ response: { status: 401, code: '390303' } }) // '401 390303'
 */
export function responseLabel(step: Pick<StepResult, 'response'>): string {
  const r = step.response;
  if (!r) return '';
  const detail = r.code ?? r.error;
  return detail === undefined || detail === '' ? String(r.status) : `${r.status} ${detail}`;
}

/**
 * One step as a plain line: symbol, name, `→ 401 390303` for requests, and the note if any.
 * @example
 * stepLine(step) // '✗ POST /api/v2/statements → 401 390303'
 */
export function stepLine(step: StepResult): string {
  const answer = responseLabel(step);
  const arrow = answer ? ` → ${answer}` : '';
  const note = step.note ? ` — ${step.note}` : '';
  return `${SYMBOLS[step.status]} ${step.name}${arrow}${note}`;
}

/**
 * Counts of steps by status, e.g. to show `2/3` passed.
 * @example
 * countSteps(scenario) // { passed: 2, failed: 1, skipped: 0, total: 3 }
 */
export function countSteps(scenario: Pick<ScenarioResult, 'steps'>): Record<Status | 'total', number> {
  const counts = { passed: 0, failed: 0, skipped: 0, total: scenario.steps.length };
  for (const step of scenario.steps) counts[step.status] += 1;
  return counts;
}

function mismatchLines(m: Mismatch, paint: Paint, max: number): string[] {
  const head = m.message && m.message !== m.path ? `${m.path}: ${m.message}` : m.path;
  return [
    `      ${head}`,
    `        ${paint('green', `expected: ${compactValue(m.expected, max)}`)}`,
    `        ${paint('red', `actual:   ${compactValue(m.actual, max)}`)}`,
  ];
}

function stepLines(step: StepResult, paint: Paint, max: number): string[] {
  const answer = responseLabel(step);
  const arrow = answer ? ` → ${answer}` : '';
  const note = step.note ? paint('dim', ` — ${step.note}`) : '';
  const line = `  ${paint(TONE[step.status], SYMBOLS[step.status])} ${step.name}${arrow}${note}`;
  return [line, ...step.mismatches.flatMap((m) => mismatchLines(m, paint, max))];
}

function scenarioLines(s: ScenarioResult, paint: Paint, max: number): string[] {
  const meta = paint('dim', `(${s.target}, ${formatDuration(s.durationMs)})`);
  const header = `${paint(TONE[s.status], SYMBOLS[s.status])} ${s.name} ${meta}`;
  const error = s.error ? [`  ${paint('red', `error: ${s.error}`)}`] : [];
  return [header, ...error, ...s.steps.flatMap((step) => stepLines(step, paint, max))];
}

function summaryLine(r: RunResult, paint: Paint): string {
  const parts = [
    paint('green', `${r.passed} passed`),
    paint('red', `${r.failed} failed`),
    paint('yellow', `${r.skipped} skipped`),
  ];
  return `${parts.join(', ')} ${paint('dim', `in ${formatDuration(r.durationMs)}`)}`;
}

/**
 * Renders a run for a terminal. Scenarios are separated by a blank line; the last line is the
 * summary (`N passed, N failed, N skipped in 1.23 s`). Ends with a newline.
 * @example
 * process.stdout.write(pretty(result, { color: process.stdout.isTTY }));
 * // ✗ PAT expired (msw, 12 ms)
 * //   ✓ advance 16d
 * //   ✗ POST /api/v2/statements → 200
 * //       status: expected 401, got 200
 * //         expected: 401
 * //         actual:   200
 * //
 * // 0 passed, 1 failed, 0 skipped in 12 ms
 */
export function pretty(result: RunResult, options: PrettyOptions = {}): string {
  const paint = painter(options.color === true);
  const max = options.maxValueLength ?? 120;
  const blocks = result.scenarios.map((s) => scenarioLines(s, paint, max).join('\n'));
  return `${[...blocks, summaryLine(result, paint)].join('\n\n')}\n`;
}
