/**
 * The Markdown report of `verify`: a summary, a table of the exchanges that differ (difference,
 * and its reason or "UNEXPLAINED"), the stale listed differences, and the texts of the reasons and
 * adaptations used.
 */
import { escapeCell, inlineCode } from '../../../contracts/reporters/markdown.ts';
import type { VerifyResult } from '../types.ts';

/** Options of {@link markdownVerify}. */
export interface MarkdownVerifyOptions {
  /** Top heading. Default `Verify <recording>`. */
  readonly title?: string;
}

/**
 * Renders a result as Markdown.
 *
 * @example
 * writeFileSync('verify.md', markdownVerify(result))
 */
export function markdownVerify(result: VerifyResult, options: MarkdownVerifyOptions = {}): string {
  const c = result.counts;
  const lines = [
    `# ${options.title ?? `Verify ${result.recording}`}`, '',
    `**${result.passed ? 'Passed' : 'Failed'}.** ${c.exchanges} exchange(s) in ${c.flows} flow(s) against ${inlineCode(result.world)}: ${c.matchingFlows} flow(s) match completely; ${c.differences} difference(s), ${c.explained} explained, ${c.unexplained} unexplained, ${c.stale} stale.`,
  ];
  const rows = result.flows.flatMap((f) => f.exchanges.flatMap((e) => e.differences.map((d) => `| ${escapeCell(e.key)} | ${inlineCode(e.sent)} | ${escapeCell(d.diff)} | ${d.status === 'explained' ? escapeCell(d.reason ?? '') : '**UNEXPLAINED**'} |`)));
  if (rows.length) lines.push('', '## Differences', '', '| Exchange | Sent | Difference (recorded → model) | Reason |', '| --- | --- | --- | --- |', ...rows);
  if (result.stale.length) {
    lines.push('', '## Stale', '', 'Listed differences that no longer happen (remove them from the explained file):', '', '| Exchange | Difference | Reason |', '| --- | --- | --- |');
    for (const s of result.stale) lines.push(`| ${escapeCell(s.exchange)} | ${escapeCell(s.diff)} | ${escapeCell(s.reason)} |`);
  }
  const used = new Set(result.flows.flatMap((f) => f.exchanges.flatMap((e) => e.differences.map((d) => d.reason))));
  const reasons = Object.entries(result.reasons).filter(([id]) => used.has(id));
  if (reasons.length) lines.push('', '## Reasons', '', '| id | why |', '| --- | --- |', ...reasons.map(([id, text]) => `| ${id} | ${escapeCell(text)} |`));
  const adaptations = Object.entries(result.adaptations);
  if (adaptations.length) lines.push('', '## Adaptations', '', '| id | what was changed in the recorded request, and why |', '| --- | --- |', ...adaptations.map(([id, text]) => `| ${id} | ${escapeCell(text)} |`));
  return `${lines.join('\n')}\n`;
}
