/**
 * What the scenario runner needs from a place to run scenarios against. Targets: `msw` (the
 * in-process mock, through its msw handlers), `url` (any base URL: `serve`, the container, a real
 * account), and recordings (record/recording-target.ts, issue #11).
 */
import type { JournalEntry } from '../../domain/journal.ts';
import type { WorldChange } from '../../api/world-change.ts';
import type { WorldView } from '../../api/world-view.ts';
import type { LoadedScenario } from '../load-scenario.ts';

/** What a target can do beyond sending requests; steps needing a missing one are skipped, not failed. */
export interface Capabilities {
  readonly clock: boolean;
  readonly world: boolean;
  readonly journal: boolean;
  readonly clientIp: boolean;
  /** Why the missing ones are missing, for the skip notes (default: "needs control API"). */
  readonly unavailable?: string;
}

/** A request ready to send. */
export interface OutgoingRequest {
  readonly method: string;
  /** Absolute URL. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The account the request is for, when the scenario names one (URL targets route by Host). */
  readonly account?: string;
}

/** A response as the runner checks it. */
export interface TargetResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One scenario's connection to a target: fresh state in, everything torn down by `close`. */
export interface TargetSession {
  readonly capabilities: Capabilities;
  /** The URL of `path` on an account (by name or locator; default: the first account). */
  urlFor(account: string | undefined, path: string): string;
  send(request: OutgoingRequest): Promise<TargetResponse>;
  /** The target's clock (mock time), epoch ms; real time when it has none. */
  now(): Promise<number>;
  advance(by: string | number): Promise<void>;
  setClientIp(ip: string): Promise<void>;
  changeWorld(change: WorldChange): Promise<Record<string, string>>;
  /** The journal entry of the last request, where the target keeps one. */
  lastJournal(): Promise<JournalEntry | undefined>;
  /** Credentials by name for templates (`{{ world.… }}`). */
  view(): Promise<WorldView | undefined>;
  close(): Promise<void>;
}

/** A place to run scenarios. */
export interface Target {
  readonly name: string;
  open(loaded: LoadedScenario, options: { readonly seed?: number }): Promise<TargetSession>;
}
