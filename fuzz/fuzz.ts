/**
 * The fuzz run (issue #14), shared by `npm run fuzz` (fuzz/run.ts) and the test suite
 * (test/fuzz/fuzz.test.ts): starts `serve` in-process on 127.0.0.1 (port 0, control API on, the
 * embedded default world), sends fast-check's cases one after another, judges every answer
 * (fuzz/oracle.ts) and reports figures and failures with what replays them.
 *
 * A run collects every failure and goes on; each failure names its case's index, which with the
 * seed is fast-check's replay path (`--seed S --replay N` re-runs that case alone and shrinks it).
 * State the fuzz changes on purpose is put back: after a control request that changed something
 * the default world is loaded again, and every `resetEvery` cases anyway (a fuzzed statement may
 * remove a PAT or a key). After a control request that was refused, a canary checks that the
 * refusal changed nothing that breaks the mock.
 */
import fc from 'fast-check';
import { startServer, type RunningServer } from '../server/index.ts';
import { defaultWorldConfig } from '../domain/world/default-world.ts';
import type { FuzzCase, Scale } from './arbitraries.ts';
import { createClient, type FuzzClient, type Sent } from './client.ts';
import { judge, refusedByNode, type OracleWorld, type SentRequest } from './oracle.ts';
import { fuzzCaseArb, Materializer, worldCredentials, type WireRequest } from './target.ts';

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** fast-check seed; default {@link DEFAULT_SEED}. */
  readonly seed?: number;
  /** How many cases; default 100 000. */
  readonly count?: number;
  /** Time bound of the whole run, seconds; default 900. */
  readonly seconds?: number;
  /** `full` (default): values up to past the 4 MiB body limit; `small`: quick. */
  readonly scale?: Scale;
  /** Per-request deadline, ms; default 10 000. */
  readonly timeoutMs?: number;
  /** Replay one case (fast-check path, e.g. `"4711"`) and shrink it. */
  readonly replay?: string;
  /**
   * Requests in flight at once; default 1. Above 1 a fast-check case is a batch of this many
   * requests sent together (control changes after them, one by one), to find races: the replay
   * path then names a batch.
   */
  readonly concurrency?: number;
  /** Put the default world back every N cases; default 500. */
  readonly resetEvery?: number;
  /** Failures kept with their reproduction (all are counted); default 50. */
  readonly keepFailures?: number;
  /** Progress lines (every few seconds) and the replay's shrinking; default none. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_SEED = 14_014;

/** One failed answer, with what reproduces it. */
export interface Failure {
  /** Case (or batch) index: with the seed, fast-check's replay path (in replay mode, the shrunk case's path). */
  readonly index: number | string;
  readonly group: string;
  readonly problems: readonly string[];
  readonly fuzzCase: FuzzCase;
  readonly request: WireRequest;
  readonly answer: Sent;
  /** For setup traffic (a credential the materializer fetched), the group of the case it served. */
  readonly setup?: boolean;
}

/** What a run did. */
export interface FuzzReport {
  readonly seed: number;
  readonly cases: number;
  /** Every request sent: the cases, setup, world restores and canaries. */
  readonly requests: number;
  readonly perGroup: Readonly<Record<string, number>>;
  /** Answers below 400 per group: how often the fuzz got past the checks into the endpoint's own work. */
  readonly accepted: Readonly<Record<string, number>>;
  /** Statuses by code; `node-refused` for node's own parser refusals, `no-answer` for none, `unsent` for what node's client refused to send. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly failureCount: number;
  /** The first failures of each kind, with reproductions. */
  readonly failures: readonly Failure[];
  readonly elapsedMs: number;
  readonly requestsPerSecond: number;
  /** The slowest answers (not failures below the deadline, but where to look for super-linear work). */
  readonly slowest: readonly { readonly ms: number; readonly group: string; readonly what: string }[];
  /** Resident memory of the process at the end, MiB. */
  readonly rssMiB: number;
  /** Stopped by the time bound before `count` cases. */
  readonly interrupted: boolean;
  /** In replay mode: fast-check's shrunk counterexample and its path. */
  readonly replay?: { readonly counterexample: string; readonly path: string | null };
}

/** The provider hosts and accounts the oracle routes by, from the world. */
function oracleWorld(server: RunningServer): OracleWorld {
  return {
    providerHosts: new Set(server.core.provider.index().hosts),
    accounts: server.core.world.accounts.flatMap((a) => [a.name, a.locator]),
  };
}

/**
 * Runs the fuzz against a fresh in-process `serve` and reports.
 *
 * @example
 * const report = await runFuzz({ seed: 1, count: 3000, scale: 'small' })
 * report.failureCount // 0
 */
export async function runFuzz(options: FuzzOptions = {}): Promise<FuzzReport> {
  const seed = options.seed ?? DEFAULT_SEED;
  const count = options.count ?? 100_000;
  const scale = options.scale ?? 'full';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const resetEvery = options.resetEvery ?? 500;
  const keep = options.keepFailures ?? 50;
  const log = options.log ?? (() => {});
  const server = await startServer({ port: 0, host: '127.0.0.1', control: true, seed });
  const client = createClient(server.port, timeoutMs);
  const world = oracleWorld(server);
  const creds = worldCredentials();
  const perGroup: Record<string, number> = {};
  const accepted: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const failures: Failure[] = [];
  const kinds = new Map<string, number>();
  let failureCount = 0;
  let requests = 0;
  let index = 0;
  let current: FuzzCase | undefined;
  const replaying = options.replay !== undefined;
  const slowest: { ms: number; group: string; what: string }[] = [];

  /** Sends one request, counts it, judges it; returns the answer and the problems. */
  const exchange = async (req: WireRequest, group: string): Promise<{ sent: Sent; problems: string[] }> => {
    requests++;
    perGroup[group] = (perGroup[group] ?? 0) + 1;
    const sent = await client.send(req);
    const wire = sentRequest(req);
    if (slowest.length < 5 || sent.ms > slowest[slowest.length - 1]!.ms) {
      const size = req.body === undefined ? '' : `, body ${req.body.length} bytes${req.bodyText ? ` ${JSON.stringify(req.bodyText.slice(0, 60))}` : ''}`;
      slowest.push({ ms: Math.round(sent.ms), group, what: `${req.method} ${req.target.slice(0, 80)}${size}` });
      slowest.sort((a, b) => b.ms - a.ms).splice(5);
    }
    let problems: string[];
    if (!sent.ok) {
      // A request node's client will not even send (a method that is no HTTP token) never reaches the server.
      const unsent = sent.error.startsWith('client refused');
      statuses[unsent ? 'unsent' : 'no-answer'] = (statuses[unsent ? 'unsent' : 'no-answer'] ?? 0) + 1;
      problems = unsent ? [] : [sent.timedOut ? `hang: ${sent.error}` : `no answer: ${sent.error}`];
    } else {
      const key = refusedByNode(wire, sent) ? 'node-refused' : String(sent.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      // GS failures are HTTP 200 too: only a success counts as getting through.
      if (sent.status < 400 && !sent.body.includes('"success":false')) accepted[group] = (accepted[group] ?? 0) + 1;
      problems = judge(wire, sent, world);
      // The server runs in this process: while it blocks, the client's deadline cannot fire either, so the time taken is what counts.
      if (sent.ms > timeoutMs) problems.push(`hang: answered after ${Math.round(sent.ms)} ms (the deadline is ${timeoutMs} ms)`);
    }
    return { sent, problems };
  };

  const record = (f: Failure): void => {
    failureCount++;
    // One reproduction per kind of problem and group is enough to act on; all are counted.
    const kind = `${f.group} ${f.problems.map((p) => p.replace(/\d+/g, 'N').slice(0, 60)).join(' | ')}`;
    const seen = kinds.get(kind) ?? 0;
    kinds.set(kind, seen + 1);
    if (replaying || (seen < 2 && failures.length < keep)) failures.push(f);
  };

  const materializer = new Materializer(creds, server.port, async (req, group) => {
    const { sent, problems } = await exchange(req, group);
    if (problems.length > 0) record({ index, group: `setup for ${current?.group ?? '?'}`, problems, fuzzCase: current!, request: req, answer: sent, setup: true });
    return sent.ok ? sent : undefined;
  }, () => server.core.clock.now(), scale);

  /** Loads the default world again (it also clears faults, outages, the client IP and every token). */
  const restore = async (): Promise<void> => {
    const body = Buffer.from(JSON.stringify(defaultWorldConfig()));
    const { sent, problems } = await exchange({ method: 'PUT', target: '/__mock/world', headers: [['host', `127.0.0.1:${server.port}`], ['content-type', 'application/json']], body, chunked: false, bodyText: '' }, 'restore');
    if (!sent.ok || sent.status !== 200 || problems.length > 0) throw new Error(`fuzz: could not put the default world back: ${sent.ok ? `${sent.status} ${sent.body.slice(0, 300)}` : sent.error}`);
    materializer.forget();
  };

  /** After a refused control change: the mock must still answer as before. */
  const canary = async (): Promise<string[]> => {
    const host: [string, string] = ['host', `127.0.0.1:${server.port}`];
    const health = await exchange({ method: 'GET', target: '/__mock/health', headers: [host], body: undefined, chunked: false, bodyText: '' }, 'canary');
    const select = await exchange({ method: 'POST', target: '/api/v2/statements', headers: [host, ['content-type', 'application/json'], ['authorization', `Bearer ${creds.patLogin.token}`]], body: Buffer.from('{"statement":"SELECT 1"}'), chunked: false, bodyText: '' }, 'canary');
    const broken = [health, select].filter((x) => !x.sent.ok || x.sent.status !== 200).map((x) => (x.sent.ok ? `${x.sent.status} ${x.sent.body.slice(0, 200)}` : x.sent.error));
    return broken.length === 0 ? [] : [`state: a refused control request left the mock broken: ${broken.join('; ')}`];
  };

  const runCase = async (c: FuzzCase): Promise<string[]> => {
    current = c;
    const changes = changesState(c);
    // From a known state: then a canary that fails after a refused change blames that change, not an earlier case.
    if (changes) await restore();
    const req = await materializer.wire(c);
    const { sent, problems } = await exchange(req, c.group);
    if (changes && sent.ok) {
      if (sent.status < 300) await restore();
      else problems.push(...(await canary()));
      if (problems.length > 0 && sent.status >= 300) await restore();
    }
    // A session the fuzz closed or let expire is fetched again next time.
    if (sent.ok && /"code":"3901(04|11|12|14)"/.test(sent.body)) {
      materializer.drop('SESSION');
      materializer.drop('MASTER');
    }
    if (problems.length > 0) record({ index, group: c.group, problems, fuzzCase: c, request: req, answer: sent });
    return problems;
  };

  const started = performance.now();
  let lastLog = started;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const arb = concurrency === 1 ? fuzzCaseArb(creds, scale).map((c) => [c]) : fc.array(fuzzCaseArb(creds, scale), { minLength: concurrency, maxLength: concurrency });
  let cases = 0;
  const runBatch = async (batch: readonly FuzzCase[]): Promise<string[]> => {
    // Control changes restore the world and probe it: they go alone, after the others.
    const alone = batch.filter(changesState);
    const together = await Promise.all(batch.filter((c) => !changesState(c)).map(runCase));
    const problems = together.flat();
    for (const c of alone) problems.push(...(await runCase(c)));
    return problems;
  };
  const property = fc.asyncProperty(arb, async (batch) => {
    if (!replaying && cases > 0 && Math.floor(cases / resetEvery) !== Math.floor((cases + batch.length) / resetEvery)) await restore();
    const problems = await runBatch(batch);
    index++;
    cases += batch.length;
    const now = performance.now();
    if (now - lastLog > 5000) {
      lastLog = now;
      log(`fuzz: ${cases} cases, ${requests} requests, ${Math.round(requests / ((now - started) / 1000))} req/s, ${failureCount} failures`);
    }
    // Collecting: a failure is recorded and the run goes on; replaying: it fails, so fast-check shrinks it.
    if (replaying && problems.length > 0) throw new Error(problems.join('\n'));
    return true;
  });
  let details: fc.RunDetails<unknown>;
  let shrunk: Failure | undefined;
  try {
    details = await fc.check(property, {
      seed,
      numRuns: replaying ? 1 : Math.ceil(count / concurrency),
      ...(replaying && { path: options.replay }),
      endOnFailure: !replaying,
      plugins: [fc.interruptAfterTimeLimit((options.seconds ?? 900) * 1000)],
    });
    if (replaying && details.counterexample) {
      // The shrunk case once more, for its request and answer as they are now.
      const before = failures.length;
      await runBatch((details.counterexample as [FuzzCase[]])[0]);
      const last = failures.length > before ? failures[failures.length - 1] : undefined;
      if (last) shrunk = { ...last, index: details.counterexamplePath ?? String(options.replay) };
    }
  } finally {
    client.close();
    await server.close();
  }
  const elapsedMs = performance.now() - started;
  return {
    seed, cases, requests, perGroup, accepted, statuses, failureCount, failures: replaying ? (shrunk ? [shrunk] : []) : failures, elapsedMs, slowest, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    requestsPerSecond: requests / (elapsedMs / 1000),
    interrupted: details.interrupted,
    ...(replaying && { replay: { counterexample: details.counterexample ? fc.stringify((details.counterexample as [FuzzCase[]])[0]) : 'none: the case passes now', path: details.counterexamplePath } }),
  };
}

/** A control request that may change the mock: the runner restores the world around it. */
function changesState(c: FuzzCase): boolean {
  return c.group === 'control' && c.method.toUpperCase() !== 'GET' && c.method.toUpperCase() !== 'HEAD';
}

function sentRequest(req: WireRequest): SentRequest {
  const headBytes = Buffer.byteLength(`${req.method} ${req.target} HTTP/1.1\r\n`, 'latin1') + req.headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  return { method: req.method, target: req.target, headers: req.headers, bodyText: req.bodyText, headBytes };
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);

/**
 * A failure as a reproduction: the request as sent (body cut), the answer, the problems, and the
 * command that replays it.
 *
 * @example
 * console.log(formatFailure(report.failures[0], report.seed))
 */
export function formatFailure(f: Failure, seed: number): string {
  const r = f.request;
  const body = r.body === undefined ? '(none)' : r.bodyText !== '' ? JSON.stringify(clip(r.bodyText, 400)) : `${r.body.length} bytes`;
  const wrap = f.fuzzCase.body && f.fuzzCase.body.wrap !== 'plain' ? ` [${f.fuzzCase.body.wrap}]` : '';
  const answer = f.answer.ok ? `${f.answer.status} ${JSON.stringify(f.answer.headers['content-type'] ?? null)} ${JSON.stringify(clip(f.answer.body, 600))}` : f.answer.error;
  return [
    `#${f.index} ${f.group}${f.setup ? ' (setup request)' : ''}`,
    ...f.problems.map((p) => `  problem: ${p}`),
    `  request: ${r.method} ${clip(r.target, 300)}`,
    ...r.headers.map(([n, v]) => `    ${n}: ${clip(v, 200)}`),
    `    body${wrap}: ${body}`,
    `  answer: ${answer}`,
    `  replay: npx node fuzz/run.ts --seed ${seed} --replay ${f.index}`,
  ].join('\n');
}

/**
 * The figures of a run, one per line.
 *
 * @example
 * console.log(formatReport(report))
 */
export function formatReport(r: FuzzReport): string {
  const sorted = (o: Readonly<Record<string, number>>): string => Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `seed ${r.seed}: ${r.cases} cases, ${r.requests} requests in ${(r.elapsedMs / 1000).toFixed(1)} s (${Math.round(r.requestsPerSecond)} req/s)${r.interrupted ? ', stopped by the time bound' : ''}`,
    `per group: ${sorted(r.perGroup)}`,
    `accepted (< 400, not success:false) per group: ${sorted(r.accepted)}`,
    `statuses: ${sorted(r.statuses)}`,
    `slowest answers: ${r.slowest.map((s) => `${s.ms} ms ${s.group} ${s.what}`).join('; ')}`,
    `memory: ${r.rssMiB} MiB resident at the end`,
    `failures: ${r.failureCount}${r.failureCount > r.failures.length ? ` (${r.failures.length} shown, one or two of each kind)` : ''}`,
  ].join('\n');
}
