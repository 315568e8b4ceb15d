/**
 * One flow against a fresh model: each recorded exchange is prepared (record/verify/prepare-*.ts),
 * sent through the in-process core, compared (record/verify/compare.ts), and what the model issued
 * is learnt for the next exchange.
 */
import type { Exchange } from '../format.ts';
import { createCore } from '../../http/core.ts';
import { resolveWorldInput } from '../../api/world-file.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import { compareAnswers } from './compare.ts';
import { endpointKind, type EndpointKind } from './endpoints.ts';
import { send, type Flow, type Step } from './flow.ts';
import { learn } from './learn.ts';
import { namesExchange } from './origin-match.ts';
import { prepareAuthorize } from './prepare-authorize.ts';
import { prepareLogin } from './prepare-login.ts';
import { prepareSession } from './prepare-session.ts';
import { prepareToken } from './prepare-token.ts';
import { hint, note, splitUrl, type Prepared } from './prepared.ts';
import { placeholdersIn } from '../format.ts';
import type { Adaptation } from './types.ts';
import { accountHost } from './world-facts.ts';

/** An exchange of the recording with its file. */
export interface Entry {
  readonly exchange: Exchange;
  readonly file: string;
}

/** One exchange's outcome before it is held against the explained list. */
export interface RawResult {
  readonly entry: Entry;
  readonly kind: EndpointKind;
  readonly sent: string;
  readonly setup: readonly string[];
  readonly adaptations: readonly string[];
  readonly diffs: readonly string[];
}

/** What every flow of a run shares. */
export interface RunContext {
  readonly world: string | WorldConfig | undefined;
  readonly seed: number;
  readonly adaptations: readonly Adaptation[];
  readonly recording: readonly Exchange[];
  /** A WireMock import (upstream `wiremock:…`): a duration is the mapping's deliberate delay, not latency. */
  readonly wiremock: boolean;
}

/**
 * Sends one flow's exchanges to a fresh model.
 *
 * @example
 * const results = await runFlow('a.json', entries, { world: 'world.yaml', seed: 7, adaptations: [], recording, wiremock: true })
 */
export async function runFlow(name: string, entries: readonly Entry[], ctx: RunContext): Promise<{ host: string; results: RawResult[] }> {
  // The core alone, not createSnowflakeMock: verify must run where msw (an optional peer) is absent.
  const { config, file } = resolveWorldInput(ctx.world);
  const core = createCore({ config, ...(file !== undefined && { file }), seed: ctx.seed });
  const mock = { core, clock: core.clock };
  const defaultHost = accountHost(mock.core.world.accounts[0] ?? { name: 'myorg-myaccount' });
  const flow: Flow = { mock, name, host: defaultHost, bindings: new Map(), exchanges: entries.map((e) => e.exchange), recording: ctx.recording, index: 0, pats: new Map() };
  const results: RawResult[] = [];
  for (const [index, entry] of entries.entries()) {
    flow.index = index;
    const named = { id: entry.exchange.id, file: entry.file, ...(entry.exchange.origin !== undefined && { origin: entry.exchange.origin }) };
    const step: Step = { ex: entry.exchange, notes: [], setup: [], hints: ctx.adaptations.filter((a) => a.exchanges.some((n) => namesExchange(n, named, true))) };
    // The model routes by host name; a recorded Host may carry a port (`myorg-myaccount.localhost:4010`).
    flow.host = (hint(step, 'host') ?? entry.exchange.request.host ?? defaultHost).toLowerCase().replace(/:\d+$/, '');
    const kind = endpointKind(splitUrl(entry.exchange.request.url)[0]);
    const prepared = await prepare(flow, step, kind);
    if (holdsPlaceholder(prepared)) note(step, 'placeholder-sent');
    const res = await send(flow, prepared.request);
    const delayMs = ctx.wiremock ? entry.exchange.durationMs : 0;
    const diffs = compareAnswers(kind, entry.exchange.response, res, { ...prepared.compare, delayMs });
    learn(flow, kind, entry.exchange, res);
    results.push({ entry, kind, sent: prepared.sent, setup: step.setup, adaptations: step.notes, diffs });
  }
  return { host: flow.host, results };
}

async function prepare(flow: Flow, step: Step, kind: EndpointKind): Promise<Prepared> {
  if (kind === 'login') return prepareLogin(flow, step);
  if (kind === 'authorize') return prepareAuthorize(flow, step);
  if (kind === 'token') return prepareToken(flow, step);
  return prepareSession(flow, step, kind);
}

/**
 * True when a placeholder goes to the model as recorded (verify had no value for it). An authorize
 * request's redacted `state` does not count: any opaque value is a state (RFC 6749 §4.1.1).
 */
function holdsPlaceholder(p: Prepared): boolean {
  const r = p.request;
  const query = r.path === '/oauth/authorize' ? r.query.replace(/(^|&)state=[^&]*/, '') : r.query;
  return placeholdersIn(`${query}\n${Object.values(r.headers).join('\n')}\n${r.body}`).length > 0;
}
