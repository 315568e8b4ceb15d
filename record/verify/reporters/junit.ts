/**
 * The JUnit XML report of `verify`, for CI: one `<testsuite>` for the recording, one `<testcase>`
 * per exchange (a `<failure>` lists its unexplained differences), and one more testcase failing
 * with the stale listed differences when there are any.
 */
import { escapeXml, escapeXmlAttr } from '../../../contracts/reporters/junit.ts';
import type { ExchangeResult, VerifyResult } from '../types.ts';

function testcase(e: ExchangeResult, flow: string): string {
  const open = `    <testcase name="${escapeXmlAttr(`${e.id} ${e.sent}`)}" classname="${escapeXmlAttr(flow)}" time="0">\n`;
  const bad = e.differences.filter((d) => d.status === 'unexplained');
  const failure = bad.length ? `      <failure message="${escapeXmlAttr(`${bad.length} unexplained difference(s): ${bad[0]!.diff}`)}" type="drift">${escapeXml(bad.map((d) => d.diff).join('\n'))}</failure>\n` : '';
  const known = e.differences.filter((d) => d.status === 'explained').map((d) => `${d.diff} (${d.reason ?? ''})`);
  const out = known.length || e.adaptations.length ? `      <system-out>${escapeXml([...known, ...(e.adaptations.length ? [`adapted: ${e.adaptations.join(', ')}`] : [])].join('\n'))}</system-out>\n` : '';
  return `${open}${failure}${out}    </testcase>\n`;
}

/**
 * Renders a result as JUnit XML.
 *
 * @example
 * writeFileSync('verify.xml', junitVerify(result))
 */
export function junitVerify(result: VerifyResult): string {
  const cases = result.flows.flatMap((f) => f.exchanges.map((e) => testcase(e, f.name)));
  const failed = result.flows.flatMap((f) => f.exchanges).filter((e) => e.differences.some((d) => d.status === 'unexplained')).length;
  if (result.stale.length) {
    const text = result.stale.map((s) => `${s.exchange}: ${s.diff} (${s.reason})`).join('\n');
    cases.push(`    <testcase name="stale listed differences" classname="${escapeXmlAttr(result.recording)}" time="0">\n      <failure message="${escapeXmlAttr(`${result.stale.length} listed difference(s) no longer happen`)}" type="stale">${escapeXml(text)}</failure>\n    </testcase>\n`);
  }
  const failures = failed + (result.stale.length ? 1 : 0);
  const attrs = `tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${(result.durationMs / 1000).toFixed(3)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="snowflake-auth-mock verify" ${attrs}>\n  <testsuite name="${escapeXmlAttr(result.recording)}" ${attrs}>\n${cases.join('')}  </testsuite>\n</testsuites>\n`;
}
