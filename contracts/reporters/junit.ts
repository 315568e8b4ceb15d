/**
 * The JUnit XML reporter, for CI systems: one `<testsuite>` per target, one `<testcase>` per
 * scenario, `<failure>` with every mismatch of the failed steps, `<error>` for a scenario that
 * could not run, `<skipped>` for a skipped one, and the steps in `<system-out>`.
 */
import type { RunResult, ScenarioResult, StepResult } from '../result.ts';
import { compactValue, stepLine, truncate } from './pretty.ts';

/** Options of {@link junit}. */
export interface JunitOptions {
  /** The `name` of `<testsuites>`. Default `snowflake-auth-mock`. */
  readonly name?: string;
}

/** Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, DEL, C1, non-characters, lone surrogates). */
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;',
};

/**
 * Escapes text for XML element content: `& < > " '` become entities, control characters are dropped.
 * @example
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Escapes text for a double-quoted XML attribute: as {@link escapeXml}, and line breaks and tabs
 * as character references so parsers keep them.
 * @example
 * escapeXmlAttr('one\ntwo') // 'one&#10;two'
 */
export function escapeXmlAttr(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"'\n\r\t]/g, (c) => ENTITIES[c] ?? c);
}

function attrs(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values).map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`).join('');
}

function seconds(ms: number): string {
  return (Number.isFinite(ms) ? ms / 1000 : 0).toFixed(3);
}

function classname(s: ScenarioResult): string {
  if (s.file) return s.file;
  return s.tags.length > 0 ? s.tags.join('.') : s.target;
}

function failedStepText(step: StepResult): string {
  const head = `step ${step.index + 1}: ${stepLine(step)}`;
  const diffs = step.mismatches.map((m) =>
    `  ${m.path}: ${m.message}\n    expected: ${compactValue(m.expected, 500)}\n    actual:   ${compactValue(m.actual, 500)}`);
  return [head, ...diffs].join('\n');
}

function failureMessage(failed: readonly StepResult[]): string {
  const all = failed.flatMap((step) => (step.mismatches.length > 0 ? step.mismatches.map((m) => m.message) : [step.note ?? `${step.name} failed`]));
  const more = all.length > 1 ? ` (+${all.length - 1} more)` : '';
  return truncate(`${all[0] ?? 'scenario failed'}${more}`, 1000);
}

function problemElement(s: ScenarioResult): string {
  const failed = s.steps.filter((step) => step.status === 'failed');
  const text = escapeXml(failed.map(failedStepText).join('\n\n'));
  if (s.error !== undefined) {
    const body = escapeXml(s.error) + (text ? `\n\n${text}` : '');
    return `      <error${attrs({ message: truncate(s.error, 1000), type: 'error' })}>${body}</error>\n`;
  }
  return `      <failure${attrs({ message: failureMessage(failed), type: 'mismatch' })}>${text}</failure>\n`;
}

function skipReason(s: ScenarioResult): string {
  return s.error ?? s.steps.find((step) => step.status === 'skipped' && step.note)?.note ?? 'skipped';
}

function testcase(s: ScenarioResult): string {
  const open = `    <testcase${attrs({ name: s.name, classname: classname(s), time: seconds(s.durationMs) })}>\n`;
  const outcome = s.status === 'failed' ? problemElement(s)
    : s.status === 'skipped' ? `      <skipped${attrs({ message: skipReason(s) })}/>\n` : '';
  const out = s.steps.length > 0 ? `      <system-out>${escapeXml(s.steps.map(stepLine).join('\n'))}</system-out>\n` : '';
  return `${open}${outcome}${out}    </testcase>\n`;
}

interface Counts { tests: number; failures: number; errors: number; skipped: number }

function count(scenarios: readonly ScenarioResult[]): Counts {
  const failed = scenarios.filter((s) => s.status === 'failed');
  const errors = failed.filter((s) => s.error !== undefined).length;
  return {
    tests: scenarios.length,
    failures: failed.length - errors,
    errors,
    skipped: scenarios.filter((s) => s.status === 'skipped').length,
  };
}

function byTarget(scenarios: readonly ScenarioResult[]): Map<string, ScenarioResult[]> {
  const groups = new Map<string, ScenarioResult[]>();
  for (const s of scenarios) groups.set(s.target, [...(groups.get(s.target) ?? []), s]);
  return groups;
}

function testsuite(target: string, scenarios: readonly ScenarioResult[]): string {
  const time = seconds(scenarios.reduce((sum, s) => sum + s.durationMs, 0));
  const open = `  <testsuite${attrs({ name: target, ...count(scenarios), time })}>\n`;
  return `${open}${scenarios.map(testcase).join('')}  </testsuite>\n`;
}

/**
 * Renders a run as JUnit XML. A failed scenario with an `error` (it could not run) is an
 * `<error>` and counts under `errors`; other failed scenarios are `<failure>`s.
 * @example
 * writeFileSync('junit.xml', junit(result));
 * // <testsuites name="snowflake-auth-mock" tests="2" failures="1" errors="0" skipped="0" time="0.040">
 * //   <testsuite name="msw" tests="2" failures="1" errors="0" skipped="0" time="0.040">
 * //     <testcase name="PAT expired" classname="scenarios/pat/expired.yaml" time="0.012">
 * //       <failure message="expected 401, got 200" type="mismatch">…</failure>
 */
export function junit(result: RunResult, options: JunitOptions = {}): string {
  const groups = byTarget(result.scenarios);
  const head = attrs({ name: options.name ?? 'snowflake-auth-mock', ...count(result.scenarios), time: seconds(result.durationMs) });
  const suites = [...groups].map(([target, scenarios]) => testsuite(target, scenarios)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${head}>\n${suites}</testsuites>\n`;
}
