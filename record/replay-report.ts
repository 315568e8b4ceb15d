/**
 * What a replay says about the client that was replayed to: which recorded exchanges it used and
 * how often, which of its requests matched none (with the nearest recorded ones and how they
 * differ), and how the matched ones differed from what was recorded. `GET /__mock/replay/report`
 * returns it as JSON; record/replay-reporters.ts prints it.
 */

/** A recorded request close to an unmatched one, and exactly how it differs. */
export interface NearMiss {
  /** `exchanges/0003-post-session-v1-login-request.json` */
  readonly exchange: string;
  /** `body.data.LOGIN_NAME: recorded "ALICE", got "BOB"` */
  readonly differences: readonly string[];
}

/** One request the replay saw, in order. */
export type ReplayEntry =
  | {
      readonly seq: number;
      /** The replay clock's time, ISO 8601. */
      readonly at: string;
      /** `POST /session/v1/login-request` */
      readonly request: string;
      readonly outcome: 'matched';
      readonly exchange: string;
      /** 1 the first time this exchange answered; above its count of recorded repeats, the last answer repeated. */
      readonly use: number;
      /** How the request differed from the recorded one without deciding the match (headers, JWT lifetime, volatile fields' presence). */
      readonly differences: readonly string[];
    }
  | {
      readonly seq: number;
      readonly at: string;
      readonly request: string;
      readonly outcome: 'unmatched';
      readonly nearest: readonly NearMiss[];
    };

/** A recorded exchange and how often it answered. */
export interface ExchangeUse {
  readonly exchange: string;
  /** `POST /session/v1/login-request` */
  readonly request: string;
  readonly uses: number;
}

/**
 * The report.
 *
 * @example
 * const report = engine.report()
 * report.unmatched // 0 when every request found its recorded exchange
 */
export interface ReplayReport {
  readonly recording: { readonly name: string; readonly dir: string; readonly upstream: string; readonly exchanges: number };
  readonly strict: boolean;
  /** True with `strict` once any request matched nothing. */
  readonly failed: boolean;
  readonly requests: number;
  readonly matched: number;
  readonly unmatched: number;
  /** Every recorded exchange in order, with its use count (0 = never used). */
  readonly exchanges: readonly ExchangeUse[];
  /** The requests in order (the newest {@link MAX_ENTRIES}, fewer when they would hold more than {@link MAX_REPORT_CHARS}; the counts above cover all). */
  readonly entries: readonly ReplayEntry[];
}

/**
 * How many entries a report keeps (oldest dropped first), as the mock's journal does.
 *
 * @example
 * report.entries.length <= MAX_ENTRIES // true
 */
export const MAX_ENTRIES = 10_000;

/**
 * The unmatched entries of a report.
 *
 * @example
 * unmatchedEntries(report).map((e) => e.request) // ['POST /session/v1/login-request']
 */
export function unmatchedEntries(report: ReplayReport): Extract<ReplayEntry, { outcome: 'unmatched' }>[] {
  return report.entries.filter((e): e is Extract<ReplayEntry, { outcome: 'unmatched' }> => e.outcome === 'unmatched');
}

/**
 * How much text a report's entries may hold (their JSON length, about); past it the oldest entries
 * are dropped, so a client sending large requests that match nothing cannot grow the replay's memory
 * (or the report's JSON) without bound.
 *
 * @example
 * JSON.stringify(report.entries).length <= MAX_REPORT_CHARS // true, give or take one entry
 */
export const MAX_REPORT_CHARS = 4_000_000;

/**
 * The most differences one entry or near miss lists; past it a last line says how many more.
 *
 * @example
 * capLines(['a', 'b', 'c'], 2) // ['a', 'b', '… and 1 more']
 */
export const MAX_LINES = 12;

/**
 * Lines cut to `max`, the rest counted in a last line.
 *
 * @example
 * capLines(['a', 'b', 'c'], 2) // ['a', 'b', '… and 1 more']
 */
export function capLines(lines: readonly string[], max = MAX_LINES): string[] {
  return lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more`] : [...lines];
}
