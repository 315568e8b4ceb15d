/**
 * The Markdown reporter: a summary table, then per scenario a Mermaid `sequenceDiagram` of
 * `Client` and the mock (labelled with the target) — each request an arrow, each answer a reply
 * arrow with status and code, clock/IP/world/JWT steps as notes — and the mismatches of its
 * failed steps.
 */
import type { RunResult, ScenarioResult, StepKind, StepResult } from '../result.ts';
import { SYMBOLS, compactValue, countSteps, formatDuration, responseLabel, truncate } from './pretty.ts';

/** Options of {@link markdown}. */
export interface MarkdownOptions {
  /** The document's top heading. Default `Scenario report`. */
  readonly title?: string;
  /** Longest text on an arrow or note before it is truncated with `…`. Default 100. */
  readonly maxLabelLength?: number;
}

const MERMAID_ENTITIES: Readonly<Record<string, string>> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;' };

/**
 * Makes text safe on one Mermaid line: `#`, `;`, `<`, `>` become Mermaid entity codes
 * (`#59;` …), line breaks become spaces, and the text is cut to `max` characters.
 * @example
 * escapeMermaid('a; b # c') // 'a#59; b #35; c'
 */
export function escapeMermaid(text: string, max = 100): string {
  const oneLine = truncate(text.replace(/\s*[\r\n]+\s*/g, ' ').trim(), max);
  return oneLine.replace(/[#;<>]/g, (c) => MERMAID_ENTITIES[c] ?? c);
}

/**
 * Makes text safe as one line of Markdown, e.g. in a table cell: line breaks become spaces,
 * `|` is escaped and `<` becomes `&lt;` (so it is never read as HTML).
 * @example
 * escapeCell('a|b <c>') // 'a\\|b &lt;c>'
 */
export function escapeCell(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

/**
 * Inline code that survives backticks in the text (uses a longer fence when needed).
 * @example
 * inlineCode('a`b') // '`` a`b ``'
 */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  if (!oneLine.includes('`')) return `\`${oneLine}\``;
  const longest = Math.max(...(oneLine.match(/`+/g) ?? ['']).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${oneLine} ${fence}`;
}

/** For non-request steps: the note's wording, who it is over, and the prefix the derived name starts with. */
const NOTE_STEPS: Readonly<Record<Exclude<StepKind, 'request'>, { over: string; label: string; prefix: RegExp }>> = {
  advance: { over: 'Mock', label: 'clock', prefix: /^(advance|clock)\b\s*:?\s*/i },
  client_ip: { over: 'Client', label: 'client IP', prefix: /^client[ _-]?ip\b\s*:?\s*/i },
  world: { over: 'Mock', label: 'world:', prefix: /^world\b\s*:?\s*/i },
  sign_jwt: { over: 'Client', label: 'sign JWT', prefix: /^sign[ _-]?jwt\b\s*:?\s*/i },
};

function mark(step: StepResult): string {
  return step.status === 'passed' ? '' : `${SYMBOLS[step.status]} `;
}

function noteStepText(step: StepResult, kind: Exclude<StepKind, 'request'>): string {
  const spec = NOTE_STEPS[kind];
  const detail = step.name.replace(spec.prefix, '');
  const signed = kind === 'advance' && /^\d/.test(detail) ? `+${detail}` : detail;
  return `${spec.label} ${signed}`.trim();
}

function requestPath(step: StepResult): string {
  if (!step.request) return step.name;
  let target = step.request.url;
  try {
    const url = new URL(step.request.url);
    target = `${url.pathname}${url.search}`;
  } catch { /* already a path */ }
  return `${step.request.method} ${target}`;
}

function problemNote(step: StepResult, max: number): string[] {
  const first = step.mismatches[0];
  const more = step.mismatches.length > 1 ? ` (+${step.mismatches.length - 1} more)` : '';
  const text = first ? `${first.message || first.path}${more}` : step.note;
  if (!text) return [];
  const prefix = step.status === 'skipped' ? 'skipped: ' : '';
  return [`  Note over Client,Mock: ${mark(step)}${escapeMermaid(prefix + text, max)}`];
}

function requestLines(step: StepResult, max: number): string[] {
  if (step.status === 'skipped') {
    const why = step.note ? ` — skipped: ${step.note}` : ' — skipped';
    return [`  Note over Client,Mock: ${mark(step)}${escapeMermaid(requestPath(step) + why, max)}`];
  }
  const lines = [`  Client->>Mock: ${escapeMermaid(requestPath(step), max)}`];
  const answer = responseLabel(step);
  if (answer) lines.push(`  Mock-->>Client: ${mark(step)}${escapeMermaid(answer, max)}`);
  return [...lines, ...problemNote(step, max)];
}

function stepDiagramLines(step: StepResult, max: number): string[] {
  if (step.kind === 'request') return requestLines(step, max);
  const spec = NOTE_STEPS[step.kind];
  const line = `  Note over ${spec.over}: ${mark(step)}${escapeMermaid(noteStepText(step, step.kind), max)}`;
  return [line, ...(step.status === 'passed' ? [] : problemNote(step, max))];
}

/**
 * A scenario as a Mermaid sequence diagram (the lines between the fences).
 * @example
 * sequenceDiagram(scenario).join('\n')
 * // sequenceDiagram
 * //   participant Client
 * //   participant Mock as msw
 * //   Note over Mock: clock +16d
 * //   Client->>Mock: POST /api/v2/statements
 * //   Mock-->>Client: ✗ 200
 * //   Note over Client,Mock: ✗ expected 401, got 200
 */
export function sequenceDiagram(scenario: ScenarioResult, max = 100): string[] {
  return [
    'sequenceDiagram',
    '  participant Client',
    `  participant Mock as ${escapeMermaid(scenario.target, max)}`,
    ...scenario.steps.flatMap((step) => stepDiagramLines(step, max)),
  ];
}

function statusCell(s: ScenarioResult): string {
  return `${SYMBOLS[s.status]} ${s.status}`;
}

function summaryTable(r: RunResult): string[] {
  const rows = r.scenarios.map((s) => {
    const c = countSteps(s);
    return `| ${escapeCell(s.name)} | ${statusCell(s)} | ${c.passed}/${c.total} | ${formatDuration(s.durationMs)} |`;
  });
  return ['| Scenario | Status | Steps | Duration |', '| --- | --- | --- | --- |', ...rows];
}

function mismatchList(s: ScenarioResult): string[] {
  const items = s.steps.filter((step) => step.status === 'failed').flatMap((step) => {
    const where = `step ${step.index + 1} ${inlineCode(step.name)}`;
    if (step.mismatches.length === 0) return [`- ${where}: ${escapeCell(step.note ?? 'failed')}`];
    return step.mismatches.map((m) =>
      `- ${where} — ${inlineCode(m.path)}: ${escapeCell(m.message)} (expected ${inlineCode(compactValue(m.expected))}, actual ${inlineCode(compactValue(m.actual))})`);
  });
  return items.length > 0 ? ['', '**Mismatches**', '', ...items] : [];
}

function metaLine(s: ScenarioResult): string {
  const parts = [`Target ${inlineCode(s.target)}`, formatDuration(s.durationMs)];
  if (s.file) parts.push(`file ${inlineCode(s.file)}`);
  if (s.tags.length > 0) parts.push(`tags ${s.tags.map(inlineCode).join(', ')}`);
  return parts.join(' · ');
}

function scenarioSection(s: ScenarioResult, max: number): string[] {
  const head = ['', `## ${SYMBOLS[s.status]} ${escapeCell(s.name)}`, '', metaLine(s)];
  const error = s.error ? ['', `> **Error:** ${escapeCell(s.error)}`] : [];
  const diagram = s.steps.length > 0 ? ['', '```mermaid', ...sequenceDiagram(s, max), '```'] : ['', '_No steps ran._'];
  return [...head, ...error, ...diagram, ...mismatchList(s)];
}

/**
 * Renders a run as a Markdown document (GitHub renders the Mermaid blocks as diagrams).
 * @example
 * writeFileSync('report.md', markdown(result, { title: 'Auth contracts' }));
 */
export function markdown(result: RunResult, options: MarkdownOptions = {}): string {
  const max = options.maxLabelLength ?? 100;
  const summary = `**${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped** · ${result.scenarios.length} scenario${result.scenarios.length === 1 ? '' : 's'} on ${inlineCode(result.target)} · ${formatDuration(result.durationMs)}`;
  const lines = [
    `# ${options.title ?? 'Scenario report'}`, '', summary, '', ...summaryTable(result),
    ...result.scenarios.flatMap((s) => scenarioSection(s, max)),
  ];
  return `${lines.join('\n')}\n`;
}
