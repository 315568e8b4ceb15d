/**
 * Scenarios answered from a recording (`run scenarios/ --target recordings/<name>`): a scenario
 * runner target (contracts/targets/target.ts) whose requests go to a replay of the recording
 * instead of a mock. One replay serves the whole run, as one recording holds a whole run
 * (`run … --record`), so identical requests of different scenarios get their answers in order.
 *
 * Which exchanges belong to which scenario is not written down, so the replay keeps its place: a
 * scenario's requests prefer the exchanges after those of the scenarios before it, counting the
 * requests a scenario did not send (its steps after a skipped one) as exchanges passed over — which
 * holds when the recorded run sent every step, as a passing `run --record` does. Otherwise a
 * request falls back to the first unused exchange that matches anywhere.
 *
 * A recording cannot move a clock, change a world, pretend another client IP or show a journal:
 * steps needing those are skipped with that reason, never passed. Times are answered as recorded
 * (scenario expectations were written for the recorded clock). Templates such as
 * `{{ world.users.ALICE.pat.CI }}` still read the scenario's world, which gives the client the same
 * credentials it sent when recorded (the recording holds placeholders, which match any value).
 */
import { createCore } from '../http/core.ts';
import type { MockRequest } from '../http/record.ts';
import { worldView } from '../api/world-view.ts';
import { defaultWorldConfig } from '../domain/world/default-world.ts';
import type { OutgoingRequest, Target, TargetResponse } from '../contracts/targets/target.ts';
import { createReplayEngine, UNMATCHED_HEADER, type ReplayEngine, type ReplayOptions } from './replay-engine.ts';
import { readRecording, type Recording } from './store.ts';

const UNAVAILABLE = 'replaying a recording, which answers as recorded';

/**
 * A target replaying the recording in `dir` (or one already read); `.engine` has the replay report.
 *
 * @example
 * const target = recordingTarget('recordings/pat-scenarios')
 * const result = await runScenarios(loaded, target)
 * target.engine.report().unmatched // 0 when every scenario request was recorded
 */
export function recordingTarget(source: string | Recording, options: ReplayOptions = {}): Target & { readonly engine: ReplayEngine } {
  const recording = typeof source === 'string' ? readRecording(source) : source;
  const engine = createReplayEngine(recording, { keepTimes: true, ...options });
  // Where the next scenario's exchanges are expected to start.
  let fence = 0;
  const refuse = async (): Promise<never> => {
    throw new Error(`not possible when ${UNAVAILABLE}`);
  };
  return {
    name: `recording ${recording.manifest.name}`,
    engine,
    async open(loaded, o) {
      // Each recorded scenario ran in its own world, with its own credentials: a new client for the replay.
      engine.forgetBindings();
      engine.resumeAt(fence);
      const planned = loaded.scenario.steps.filter((step) => 'request' in step).length;
      const start = fence;
      let [sent, furthest] = [0, -1];
      const send = (r: OutgoingRequest): TargetResponse => {
        sent++;
        const response = engine.handle(toMockRequest(r));
        if (response.headers[UNMATCHED_HEADER] === undefined) furthest = Math.max(furthest, engine.lastAnswered());
        return toTargetResponse(response);
      };
      const core = createCore({ config: loaded.world ?? defaultWorldConfig(), ...(o.seed !== undefined && { seed: o.seed }) });
      // The account as the scenario names it (a locator stays a locator), as the URL target sends it.
      const origin = (account: string | undefined): string => `https://${(account ?? core.world.accounts[0]?.name ?? 'account').toLowerCase()}.snowflakecomputing.com`;
      return {
        capabilities: { clock: false, world: false, journal: false, clientIp: false, unavailable: UNAVAILABLE },
        urlFor: (account, path) => origin(account) + path,
        send: async (r) => send(r),
        now: async () => Date.now(),
        advance: refuse,
        setClientIp: refuse,
        changeWorld: refuse,
        lastJournal: async () => undefined,
        view: async () => worldView(core.world),
        close: async () => {
          // The steps it did not send were recorded after the ones it did: pass over them too.
          fence = Math.max(fence, (furthest >= start ? furthest + 1 : start) + planned - sent);
        },
      };
    },
  };
}

function toMockRequest(r: OutgoingRequest): MockRequest {
  const url = new URL(r.url);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  headers.host ??= url.host;
  return { method: r.method.toUpperCase(), host: headers.host.replace(/:\d+$/, ''), path: url.pathname, query: url.search.slice(1), headers, body: r.body ?? '', clientIp: '127.0.0.1' };
}

function toTargetResponse(r: { status: number; headers: Readonly<Record<string, string>>; body: string }): TargetResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  return { status: r.status, headers, body: r.body };
}
