/**
 * Replay (issue #11), the public face: {@link createReplayEngine} answers plain request records
 * from a recording (record/replay-engine.ts), {@link createReplayHandlers} puts it behind msw for
 * in-process tests (record/replay-msw.ts), and the report says how the client differed
 * (record/replay-report.ts, printed by record/replay-reporters.ts).
 */
export { createReplayEngine, UNMATCHED_HEADER, type ReplayEngine, type ReplayOptions, type UnmatchedEntry } from './replay-engine.ts';
export { createReplayHandlers, type ReplayHandlerOptions } from './replay-msw.ts';
export { unmatchedEntries, type ReplayReport, type ReplayEntry, type NearMiss, type ExchangeUse } from './replay-report.ts';
