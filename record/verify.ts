/**
 * `verify`: drift between a recording and the mock's model. Each recorded request is sent to the
 * in-process model (a fresh one per flow: per mapping file for imports, the whole recording
 * otherwise), placeholders resolved to values the model accepts (record/verify/prepare-*.ts), and
 * the answers compared per endpoint (record/verify/compare.ts). Differences are held against an
 * explained list: a listed one passes, an unlisted one fails, and a listed one that no longer
 * happens fails too (stale). Every change verify makes to a recorded request is named in the result.
 */
import type { Exchange } from './format.ts';
import type { Recording } from './store.ts';
import { BUILT_IN_ADAPTATIONS } from './verify/adaptation-texts.ts';
import { exchangeKey, nameMatch, originFile } from './verify/origin-match.ts';
import { runFlow, type Entry, type RawResult } from './verify/run-flow.ts';
import type { Difference, ExchangeResult, ExplainedDifference, FlowResult, VerifyOptions, VerifyResult } from './verify/types.ts';

export type { Adaptation, Difference, ExchangeResult, ExplainedDifference, FlowResult, VerifyOptions, VerifyResult } from './verify/types.ts';
export { loadExplained, ExplainedError, type ExplainedFile } from './verify/explained.ts';

/**
 * Verifies a recording against the model.
 *
 * @example
 * const result = await verifyRecording(readRecording('recordings/pat-login'), { world: 'world.yaml', explained: loadExplained('explained.yaml').differences })
 * result.passed // false when a difference is unexplained or a listed one is stale
 */
export async function verifyRecording(recording: Recording, options: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const ctx = { world: options.world, seed: options.seed ?? 7, adaptations: options.adaptations ?? [], recording: recording.exchanges, wiremock: recording.manifest.upstream.startsWith('wiremock:') };
  const flows: FlowResult[] = [];
  const explained = options.explained ?? [];
  const used = new Set<ExplainedDifference>();
  for (const [name, entries] of flowsOf(recording)) {
    const { host, results } = await runFlow(name, entries, ctx);
    flows.push({ name, host, exchanges: results.map((r) => classify(r, explained, used)) });
  }
  const stale = explained.filter((e) => !used.has(e));
  return summarise(recording, options, flows, stale, performance.now() - started);
}

/** Exchanges by flow, in recording order: one flow per origin file, or one for the whole recording. */
function flowsOf(recording: Recording): Map<string, Entry[]> {
  const flows = new Map<string, Entry[]>();
  recording.exchanges.forEach((exchange: Exchange, i) => {
    const name = exchange.origin !== undefined ? originFile(exchange.origin) : '(recording)';
    flows.set(name, [...(flows.get(name) ?? []), { exchange, file: recording.files[i] ?? '' }]);
  });
  return flows;
}

function classify(r: RawResult, explained: readonly ExplainedDifference[], used: Set<ExplainedDifference>): ExchangeResult {
  const ex = r.entry.exchange;
  const named = { id: ex.id, file: r.entry.file, ...(ex.origin !== undefined && { origin: ex.origin }) };
  const differences: Difference[] = r.diffs.map((diff) => {
    // An exact name wins over one that only fits a redacted origin.
    const hit = explained.find((e) => e.diff === diff && nameMatch(e.exchange, named) === 'exact') ?? explained.find((e) => e.diff === diff && nameMatch(e.exchange, named) === 'redacted');
    if (!hit) return { diff, status: 'unexplained' };
    used.add(hit);
    return { diff, status: 'explained', reason: hit.reason };
  });
  return {
    id: ex.id, file: r.entry.file, ...(ex.origin !== undefined && { origin: ex.origin }), key: exchangeKey(ex, r.entry.file),
    kind: r.kind, sent: r.sent, setup: r.setup, adaptations: r.adaptations, differences,
  };
}

function summarise(recording: Recording, options: VerifyOptions, flows: FlowResult[], stale: ExplainedDifference[], durationMs: number): VerifyResult {
  const all = flows.flatMap((f) => f.exchanges);
  const diffs = all.flatMap((e) => e.differences);
  const ids = new Set(all.flatMap((e) => e.adaptations));
  const texts = Object.fromEntries((options.adaptations ?? []).map((a) => [a.id, a.text]));
  const adaptations = Object.fromEntries([...ids].sort().map((id) => [id, texts[id] ?? BUILT_IN_ADAPTATIONS[id] ?? id]));
  const explained = diffs.filter((d) => d.status === 'explained').length;
  const unexplained = diffs.length - explained;
  return {
    recording: recording.manifest.name, dir: recording.dir,
    world: typeof options.world === 'string' ? options.world : options.world === undefined ? '(embedded)' : '(config)',
    flows, stale, adaptations, reasons: options.reasons ?? {},
    counts: {
      flows: flows.length, exchanges: all.length, matchingFlows: flows.filter((f) => f.exchanges.every((e) => e.differences.length === 0)).length,
      differences: diffs.length, explained, unexplained, stale: stale.length,
    },
    passed: unexplained === 0 && stale.length === 0,
    durationMs,
  };
}
