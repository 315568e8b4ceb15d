/**
 * The terminal report of `verify`: each flow with ✓/✗, the exchanges that differ with their
 * differences (an explained one with its reason, an unexplained one marked), the listed
 * differences that no longer happen, and a summary line.
 */
import { formatDuration } from '../../../contracts/reporters/pretty.ts';
import type { ExchangeResult, FlowResult, VerifyResult } from '../types.ts';

/** Options of {@link prettyVerify}. */
export interface PrettyVerifyOptions {
  /** ANSI colours. Default false. */
  readonly color?: boolean;
}

type Paint = (tone: 31 | 32 | 33 | 2, text: string) => string;

const flowFailed = (f: FlowResult): boolean => f.exchanges.some((e) => e.differences.some((d) => d.status === 'unexplained'));

function exchangeLines(e: ExchangeResult, paint: Paint): string[] {
  const failed = e.differences.some((d) => d.status === 'unexplained');
  const head = `  ${failed ? paint(31, '✗') : paint(32, '✓')} ${e.id} ${e.sent}${e.adaptations.length ? paint(2, ` (adapted: ${e.adaptations.join(', ')})`) : ''}`;
  const diffs = e.differences.map((d) => (d.status === 'explained' ? `      ${d.diff} ${paint(2, `(${d.reason})`)}` : `      ${paint(31, d.diff)} ${paint(31, '(unexplained)')}`));
  return [head, ...e.setup.map((s) => paint(2, `      setup: ${s}`)), ...diffs];
}

function flowLines(f: FlowResult, paint: Paint): string[] {
  const mark = flowFailed(f) ? paint(31, '✗') : paint(32, '✓');
  const differing = f.exchanges.filter((e) => e.differences.length > 0);
  const counts = `${f.exchanges.length} exchange(s)${differing.length ? `, ${differing.length} differ` : ''}`;
  return [`${mark} ${f.name} ${paint(2, `(${counts})`)}`, ...differing.flatMap((e) => exchangeLines(e, paint))];
}

/**
 * Renders a result for a terminal; ends with a newline.
 *
 * @example
 * process.stdout.write(prettyVerify(result, { color: process.stdout.isTTY }))
 * // ✗ select1.json (1 exchange(s), 1 differ)
 * //   ✗ 0032 POST /queries/v1/query-request sqlText=SELECT 1
 * //       data keys extra: finalRoleName (unexplained)
 * //
 * // 153 exchange(s) in 96 flow(s): 145 difference(s), 144 explained, 1 unexplained, 0 stale — FAILED in 850 ms
 */
export function prettyVerify(result: VerifyResult, options: PrettyVerifyOptions = {}): string {
  const paint: Paint = options.color ? (tone, text) => `\x1b[${tone}m${text}\x1b[0m` : (_tone, text) => text;
  const blocks = result.flows.map((f) => flowLines(f, paint).join('\n'));
  if (result.stale.length > 0) {
    blocks.push([paint(31, 'stale: listed differences that no longer happen'), ...result.stale.map((s) => `  ${paint(31, '✗')} ${s.exchange}: ${s.diff} (${s.reason})`)].join('\n'));
  }
  const c = result.counts;
  const verdict = result.passed ? paint(32, 'passed') : paint(31, 'FAILED');
  blocks.push(`${c.exchanges} exchange(s) in ${c.flows} flow(s) against ${result.world}: ${c.differences} difference(s), ${c.explained} explained, ${c.unexplained} unexplained, ${c.stale} stale — ${verdict} in ${formatDuration(result.durationMs)}`);
  return `${blocks.join('\n\n')}\n`;
}
