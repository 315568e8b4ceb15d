/**
 * The replay report printed three ways, in the style of the scenario reporters
 * (contracts/reporters/): `pretty` for a terminal (✓ matched, ✗ unmatched with its near misses,
 * ○ recorded exchanges never used), `json` as served by `GET /__mock/replay/report`, and `junit`
 * for CI (one testcase per request, a failure per unmatched one, a skipped one per unused exchange).
 */
import { escapeXml, escapeXmlAttr } from '../contracts/reporters/junit.ts';
import { SYMBOLS } from '../contracts/reporters/pretty.ts';
import type { ReplayEntry, ReplayReport } from './replay-report.ts';

/** A replay reporter's name. */
export type ReplayReporterName = 'pretty' | 'json' | 'junit';

/** Options of the reporters (only `pretty` uses `color`). */
export interface ReplayReporterOptions {
  readonly color?: boolean;
}

const ANSI = { green: 32, red: 31, yellow: 33, dim: 2 } as const;
type Paint = (tone: keyof typeof ANSI, text: string) => string;
const painter = (color: boolean): Paint => (color ? (tone, text) => `\x1b[${ANSI[tone]}m${text}\x1b[0m` : (_tone, text) => text);

/**
 * The report for a terminal; the last line is the summary.
 *
 * @example
 * process.stdout.write(prettyReplay(report))
 * // replay of "sdk-flows" (16 exchanges, recorded from http://127.0.0.1:4010)
 * //   ✓ #1 POST /session/v1/login-request → exchanges/0001-post-session-v1-login-request.json
 * //   ✗ #2 POST /session/v1/login-request — no recorded exchange matches
 * //       nearest exchanges/0001-post-session-v1-login-request.json
 * //         body.data.LOGIN_NAME: recorded "ALICE", got "BOB"
 * //
 * // 1 matched, 1 unmatched of 2 requests; 15 of 16 exchanges unused
 */
export function prettyReplay(report: ReplayReport, options: ReplayReporterOptions = {}): string {
  const paint = painter(options.color === true);
  const r = report.recording;
  const head = `replay of "${r.name}" (${r.exchanges} exchanges, recorded from ${r.upstream})${report.strict ? ' — strict' : ''}`;
  const lines = report.entries.flatMap((e) => entryLines(e, paint));
  const unused = report.exchanges.filter((x) => x.uses === 0);
  const unusedLines = unused.map((x) => `  ${paint('yellow', SYMBOLS.skipped)} ${x.exchange} (${x.request}) never used`);
  const summary = `${paint('green', `${report.matched} matched`)}, ${paint(report.unmatched > 0 ? 'red' : 'green', `${report.unmatched} unmatched`)} of ${report.requests} requests; ${unused.length} of ${r.exchanges} exchanges unused${report.failed ? paint('red', ' — strict replay failed') : ''}`;
  return `${[head, ...lines, ...unusedLines].join('\n')}\n\n${summary}\n`;
}

function entryLines(e: ReplayEntry, paint: Paint): string[] {
  if (e.outcome === 'matched') {
    const repeat = e.use > 1 ? paint('dim', ` (use ${e.use})`) : '';
    return [`  ${paint('green', SYMBOLS.passed)} #${e.seq} ${e.request} → ${e.exchange}${repeat}`, ...e.differences.map((d) => `      ${paint('dim', d)}`)];
  }
  return [
    `  ${paint('red', SYMBOLS.failed)} #${e.seq} ${e.request} — no recorded exchange matches`,
    ...e.nearest.flatMap((n) => [`      nearest ${n.exchange}`, ...n.differences.map((d) => `        ${d}`)]),
  ];
}

/**
 * The report as JSON (the body of `GET /__mock/replay/report`).
 *
 * @example
 * writeFileSync('replay.json', jsonReplay(report))
 */
export function jsonReplay(report: ReplayReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * The report as JUnit XML: a testsuite for the recording, a testcase per request (a `<failure>`
 * listing the near misses for an unmatched one), a `<skipped>` testcase per exchange never used.
 *
 * @example
 * writeFileSync('replay.xml', junitReplay(report))
 * // <testsuites name="snowflake-auth-mock replay" tests="3" failures="1" skipped="1">
 */
export function junitReplay(report: ReplayReport): string {
  const unused = report.exchanges.filter((x) => x.uses === 0);
  const counts = { tests: report.entries.length + unused.length, failures: report.entries.filter((e) => e.outcome === 'unmatched').length, errors: 0, skipped: unused.length };
  const attrs = (o: Record<string, string | number>): string => Object.entries(o).map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`).join('');
  const cases = [
    ...report.entries.map((e) => {
      const open = `    <testcase${attrs({ name: `#${e.seq} ${e.request}`, classname: report.recording.name })}>`;
      if (e.outcome === 'unmatched') {
        const text = e.nearest.map((n) => [`nearest ${n.exchange}`, ...n.differences.map((d) => `  ${d}`)].join('\n')).join('\n');
        return `${open}\n      <failure${attrs({ message: 'no recorded exchange matches', type: 'replay-unmatched' })}>${escapeXml(text)}</failure>\n    </testcase>\n`;
      }
      const out = [`answered by ${e.exchange} (use ${e.use})`, ...e.differences].join('\n');
      return `${open}\n      <system-out>${escapeXml(out)}</system-out>\n    </testcase>\n`;
    }),
    ...unused.map((x) => `    <testcase${attrs({ name: `${x.exchange} (${x.request})`, classname: report.recording.name })}>\n      <skipped${attrs({ message: 'recorded exchange never used' })}/>\n    </testcase>\n`),
  ].join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'snowflake-auth-mock replay', ...counts })}>\n  <testsuite${attrs({ name: report.recording.name, ...counts })}>\n${cases}  </testsuite>\n</testsuites>\n`;
}

/**
 * Every replay reporter by name.
 *
 * @example
 * process.stdout.write(REPLAY_REPORTERS.junit(report))
 */
export const REPLAY_REPORTERS: Readonly<Record<ReplayReporterName, (report: ReplayReport, options?: ReplayReporterOptions) => string>> = {
  pretty: prettyReplay,
  json: jsonReplay,
  junit: junitReplay,
};
