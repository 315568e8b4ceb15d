/**
 * The control API of `serve --replay … --control`: the replay report, its journal, a reset, and a
 * health answer that says it replays (`"status": "replaying"`, not the mock's `"ok"`, so a scenario
 * runner pointed at it does not take it for a mock whose clock and world it could drive).
 */
import type { MockRequest, MockResponse } from '../http/record.ts';
import { json } from '../http/respond.ts';
import { CONTROL_PREFIX } from '../http/routes.ts';
import type { ReplayEngine } from './replay-engine.ts';


type Action = (engine: ReplayEngine, req: MockRequest) => MockResponse;

const ACTIONS: Readonly<Record<string, Action>> = {
  'GET health': (engine) => {
    const r = engine.report();
    return json(200, { status: 'replaying', recording: r.recording.name, upstream: r.recording.upstream, exchanges: r.recording.exchanges, requests: r.requests, unmatched: r.unmatched });
  },
  'GET replay/report': (engine) => json(200, engine.report()),
  'GET journal': (engine, req) => {
    const limit = Number(new URLSearchParams(req.query).get('limit') ?? '0');
    const entries = engine.report().entries;
    return json(200, { entries: limit > 0 ? entries.slice(-limit) : entries });
  },
  'POST replay/reset': reset,
  'POST reset': reset,
};

function reset(engine: ReplayEngine): MockResponse {
  engine.reset();
  return json(200, { reset: true });
}

/**
 * The control answer for a request under `/__mock/`, or undefined for any other path.
 *
 * @example
 * startServer({ control: true, handler: { handle: engine.handle, control: replayControl(engine) } })
 */
export function replayControl(engine: ReplayEngine): (req: MockRequest) => MockResponse | undefined {
  return (req) => {
    if (!req.path.startsWith(CONTROL_PREFIX)) return undefined;
    const name = req.path.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
    const action = ACTIONS[`${req.method} ${name}`];
    if (action) return action(engine, req);
    const known = [...new Set(Object.keys(ACTIONS).map((k) => CONTROL_PREFIX + k.split(' ')[1]))].join(', ');
    return json(404, { error: `no control endpoint ${req.method} ${req.path} while replaying a recording; known: ${known}` });
  };
}
