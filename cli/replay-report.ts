/**
 * `snowflake-auth-mock replay-report --url <serve url>`: fetches the report of a running
 * `serve --replay … --control` and prints it; the exit code says whether every request matched.
 */
import { writeFileSync } from 'node:fs';
import type { ReplayReport } from '../record/replay-report.ts';
import { REPLAY_REPORTERS, type ReplayReporterName } from '../record/replay-reporters.ts';
import { flagHelp, parseFlags, UsageError, type FlagSpec } from './args.ts';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  url: { type: 'string', description: 'base URL of a running `serve --replay <dir> --control`, e.g. http://127.0.0.1:4010' },
  reporter: { type: 'string', description: 'pretty (default), json or junit' },
  output: { type: 'string', description: 'write the report to this file instead of standard output' },
  help: { type: 'boolean', description: 'show this help' },
};

const HELP = `usage: snowflake-auth-mock replay-report --url <serve url> [--reporter pretty|json|junit] [--output <file>]

${flagHelp(FLAGS)}

exit codes: 0 every request matched a recorded exchange, 1 some request matched none, 2 usage error or no report (server not reachable, not replaying, or without --control)`;

/**
 * Runs `replay-report`; resolves with the exit code.
 *
 * @example
 * process.exitCode = await replayReportCommand(['--url', 'http://127.0.0.1:4010', '--reporter', 'junit'])
 */
export async function replayReportCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  if (flags.url === undefined) throw new UsageError('--url is required: the base URL of serve --replay <dir> --control');
  const name = String(flags.reporter ?? 'pretty');
  if (!(name in REPLAY_REPORTERS)) throw new UsageError(`--reporter must be one of ${Object.keys(REPLAY_REPORTERS).join(', ')}, got "${name}"`);
  const fetched = await fetchReport(String(flags.url));
  if (typeof fetched === 'string') {
    console.error(`snowflake-auth-mock replay-report: ${fetched}`);
    return 2;
  }
  const text = REPLAY_REPORTERS[name as ReplayReporterName](fetched, { color: flags.output === undefined && process.stdout.isTTY === true });
  if (flags.output !== undefined) writeFileSync(String(flags.output), text);
  else process.stdout.write(text);
  return fetched.unmatched > 0 ? 1 : 0;
}

/** The report, or why there is none (a sentence for stderr). */
async function fetchReport(base: string): Promise<ReplayReport | string> {
  let url: URL;
  try {
    url = new URL('/__mock/replay/report', base);
  } catch {
    throw new UsageError(`--url must be a URL such as http://127.0.0.1:4010, got "${base}"`);
  }
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error));
    return `cannot reach ${url.origin}: ${cause}`;
  }
  const text = await res.text();
  if (res.status === 404) return `${url.origin} has no replay report: start it with serve --replay <dir> --control`;
  if (!res.ok) return `${url.href} answered ${res.status}`;
  try {
    const report = JSON.parse(text) as ReplayReport;
    if (typeof report.unmatched !== 'number' || !Array.isArray(report.entries)) return `${url.href} did not answer a replay report`;
    return report;
  } catch {
    return `${url.href} did not answer JSON`;
  }
}
