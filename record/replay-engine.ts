/**
 * Replay: answering requests from a recording (issue #11). A request is matched to a recorded one
 * (record/match.ts: method, path, query, chosen headers, body; placeholders match any value of their
 * kind and then keep that value); identical requests get the recorded answers in order, the last
 * one repeating; secrets the recording's server issued are answered with fresh stable values that
 * match again when the client sends them back; clock readings follow the replay's clock. A request
 * that matches nothing gets a mock-specific 404 naming the nearest recorded requests and how they
 * differ — WireMock's near misses (https://wiremock.org/docs/verifying/#near-misses) — never a
 * made-up Snowflake error.
 */
import type { MockRequest, MockResponse } from '../http/record.ts';
import { json } from '../http/respond.ts';
import { Bindings } from './replay-bindings.ts';
import { differenceLine } from './replay-difference.ts';
import { placeholdersIn } from './format.ts';
import { compareRequest, prepareClient, prepareRecorded, type Comparison } from './match.ts';
import { answer, echoesOf } from './respond.ts';
import { routeIndex } from './replay-index.ts';
import { capLines, MAX_ENTRIES, MAX_REPORT_CHARS, type ExchangeUse, type NearMiss, type ReplayEntry, type ReplayReport } from './replay-report.ts';
import { cut } from './replay-mask.ts';
import type { Recording } from './store.ts';

/** Options of {@link createReplayEngine}. */
export interface ReplayOptions {
  /** Remember an unmatched request as a failed run (`report().failed`; `serve --replay --strict` exits non-zero). */
  readonly strict?: boolean;
  /** The replay's clock, epoch ms (default `Date.now`): absolute times in answers are shifted to it. */
  readonly now?: () => number;
  /** Told of each unmatched request as it happens. */
  readonly onUnmatched?: (entry: UnmatchedEntry) => void;
  /**
   * Fields the client sends beyond those of the recorded request (body, query, form, chosen headers)
   * are reported instead of deciding: the recording pins only some fields, as a WireMock mapping
   * does. Default: true for WireMock imports (upstream `wiremock:…`), false for captures.
   */
  readonly extraFieldsAllowed?: boolean;
  /** Answer absolute times as recorded instead of moving them to the replay's clock (scenario expectations were written for the recorded clock). */
  readonly keepTimes?: boolean;
}

/** An unmatched request's report entry. */
export type UnmatchedEntry = Extract<ReplayEntry, { outcome: 'unmatched' }>;

/** A replay of one recording. */
export interface ReplayEngine {
  readonly recording: Recording;
  /** The recorded answer, or the 404 `replay-unmatched` answer (recorded in the report). */
  handle(req: MockRequest): MockResponse;
  /** The recorded answer, or undefined when nothing matches (nothing is recorded as unmatched). */
  tryHandle(req: MockRequest): MockResponse | undefined;
  report(): ReplayReport;
  /** Back to the start: uses, bindings, report and the strict failure forgotten. */
  reset(): void;
  /**
   * Forgets which value each placeholder stands for, keeping the order of use: a new client with new
   * credentials (each scenario of a recorded run loads its own world).
   */
  forgetBindings(): void;
  /**
   * Replays a recorded run whose parts the client may skip (a scenario run with steps the replay
   * cannot perform): from now on a cursor starts at `index` and moves past each exchange that
   * answers, and of the unused exchanges that match, the one nearest the cursor answers (the later
   * on a tie) instead of the first — so an exchange a skipped part left unused is not taken by an
   * identical request further on.
   */
  resumeAt(index: number): void;
  /** Index of the exchange that answered the last matched request (-1 before any). */
  lastAnswered(): number;
}

/**
 * The header of every replay-unmatched answer (value `replay-unmatched`).
 *
 * @example
 * response.headers[UNMATCHED_HEADER] // 'replay-unmatched'
 */
export const UNMATCHED_HEADER = 'x-snowflake-auth-mock';
const NEAREST = 3;
/** The request's path as an entry shows it: the client chooses it, so it is cut. */
const MAX_PATH = 200;

/**
 * Creates a replay of a recording.
 *
 * @example
 * const engine = createReplayEngine(readRecording('recordings/pat-login'), { strict: true })
 * engine.handle(mockRequest) // the recorded answer
 * engine.report().unmatched // 0
 */
export function createReplayEngine(recording: Recording, options: ReplayOptions = {}): ReplayEngine {
  const now = options.now ?? Date.now;
  const prepared = recording.exchanges.map((e) => prepareRecorded(e.request, recording.manifest.upstream));
  const issued = issuedPlaceholders(recording);
  const seed = `${recording.manifest.name}|${recording.manifest.recordedAt}`;
  const bindings = new Bindings();
  const extra = options.extraFieldsAllowed ?? recording.manifest.upstream.startsWith('wiremock:');
  let uses: number[] = prepared.map(() => 0);
  // The report's entries from `head` on (those before it dropped, emptied, and cut off in batches), with their sizes.
  let entries: (ReplayEntry | undefined)[] = [];
  let sizes: number[] = [];
  let head = 0;
  let retained = 0;
  let counts = { requests: 0, matched: 0, unmatched: 0 };
  // The cursor of resumeAt (undefined: plain recorded order).
  let cursor: number | undefined;
  let last = -1;

  const log = (entry: ReplayEntry): void => {
    const size = JSON.stringify(entry).length;
    entries.push(entry);
    sizes.push(size);
    retained += size;
    // The newest MAX_ENTRIES within MAX_REPORT_CHARS (always the newest one): the oldest are dropped.
    while (entries.length - head > MAX_ENTRIES || (retained > MAX_REPORT_CHARS && entries.length - head > 1)) {
      retained -= sizes[head]!;
      entries[head++] = undefined;
    }
    // Cut off in batches: cutting one entry per request once full would copy the whole list each time.
    if (head > 0 && head * 2 >= entries.length) {
      entries = entries.slice(head);
      sizes = sizes.slice(head);
      head = 0;
    }
  };
  const candidates = routeIndex(prepared);
  const attempt = (req: MockRequest): Compared | undefined => {
    const client = prepareClient(req);
    return choose(candidates(client).map((i) => ({ i, c: compareRequest(prepared[i]!, client, bindings, issued, extra) })), uses, cursor);
  };
  const respond = (req: MockRequest, { i, c }: Compared): MockResponse => {
    c.trial.commit();
    uses[i]!++;
    last = i;
    if (cursor !== undefined) cursor = i + 1;
    counts.requests++;
    counts.matched++;
    const exchange = recording.exchanges[i]!;
    log({ seq: counts.requests, at: new Date(now()).toISOString(), request: label(req), outcome: 'matched', exchange: recording.files[i]!, use: uses[i]!, differences: capLines(c.differences.map(differenceLine)) });
    const recordedAt = Date.parse(exchange.startedAt);
    const at = options.keepTimes && Number.isFinite(recordedAt) ? recordedAt : now();
    return answer(exchange, { bindings, seed, now: at, echoes: echoesOf(exchange.request.url, req.query, exchange.request.body, req.body) });
  };
  const unmatched = (req: MockRequest): MockResponse => {
    const client = prepareClient(req);
    const nearest = nearMisses(prepared.map((p, i) => ({ i, c: compareRequest(p, client, bindings, issued, extra) })), recording.files);
    counts.requests++;
    counts.unmatched++;
    const entry: UnmatchedEntry = { seq: counts.requests, at: new Date(now()).toISOString(), request: label(req), outcome: 'unmatched', nearest };
    log(entry);
    options.onUnmatched?.(entry);
    return json(404, { error: 'no recorded exchange matches', request: entry.request, recording: recording.manifest.name, nearest }, { [UNMATCHED_HEADER]: 'replay-unmatched' });
  };
  return {
    recording,
    tryHandle(req) {
      const chosen = attempt(req);
      return chosen && respond(req, chosen);
    },
    handle(req) {
      const chosen = attempt(req);
      return chosen ? respond(req, chosen) : unmatched(req);
    },
    forgetBindings: () => bindings.clear(),
    resumeAt: (index) => void (cursor = index),
    lastAnswered: () => last,
    report: () => ({
      recording: { name: recording.manifest.name, dir: recording.dir, upstream: recording.manifest.upstream, exchanges: recording.exchanges.length },
      strict: options.strict === true,
      failed: options.strict === true && counts.unmatched > 0,
      ...counts,
      exchanges: prepared.map((p, i): ExchangeUse => ({ exchange: recording.files[i]!, request: `${p.method} ${p.path}`, uses: uses[i]! })),
      entries: entries.slice(head) as ReplayEntry[],
    }),
    reset() {
      bindings.clear();
      uses = prepared.map(() => 0);
      [cursor, last] = [undefined, -1];
      [entries, sizes, head, retained] = [[], [], 0, 0];
      counts = { requests: 0, matched: 0, unmatched: 0 };
    },
  };
}

/** A recorded request compared with the client's: its index and the comparison. */
interface Compared {
  readonly i: number;
  readonly c: Comparison;
}

/**
 * The exchange that answers: among those that match, the first not used yet (identical requests are
 * answered in recorded order) — or with a cursor, the unused one nearest it — else the last (its
 * answer repeats once the recorded ones are used up).
 */
function choose(compared: readonly Compared[], uses: readonly number[], cursor: number | undefined): Compared | undefined {
  const matches = compared.filter((x) => x.c.decisive === 0);
  const unused = matches.filter((x) => uses[x.i] === 0);
  if (cursor === undefined || unused.length < 2) return unused[0] ?? matches.at(-1);
  const distance = (x: Compared): number => (x.i >= cursor ? 2 * (x.i - cursor) : 2 * (cursor - x.i) + 1);
  return unused.reduce((best, x) => (distance(x) < distance(best) ? x : best));
}

/** The recorded requests closest to an unmatched one: fewest differing aspects, then fewest differences, then recorded order. */
function nearMisses(compared: Compared[], files: readonly string[]): NearMiss[] {
  return compared
    .sort((a, b) => a.c.aspects - b.c.aspects || a.c.decisive - b.c.decisive || a.i - b.i)
    .slice(0, NEAREST)
    .map(({ i, c }) => {
      return { exchange: files[i]!, differences: capLines(c.differences.filter((d) => d.decisive).map(differenceLine)) };
    });
}

/**
 * Placeholders first seen in a recorded response: the recording's server issued them, so only the
 * replay's answer can bind them — a client cannot make one up by sending an unknown token first.
 */
function issuedPlaceholders(recording: Recording): Set<string> {
  const seen = new Set<string>();
  const issued = new Set<string>();
  for (const e of recording.exchanges) {
    for (const p of placeholdersIn(JSON.stringify(e.request))) seen.add(p.text);
    for (const p of placeholdersIn(JSON.stringify(e.response))) {
      if (!seen.has(p.text)) issued.add(p.text);
      seen.add(p.text);
    }
  }
  return issued;
}

function label(req: MockRequest): string {
  return `${cut(req.method, 40).toUpperCase()} ${cut(req.path, MAX_PATH)}`;
}
