/**
 * The transport-neutral mock: world, clock, journal, ids, token stores and the route table, with
 * one `handle(request) → response` that both the MSW adapter and the node server call. The answer
 * is synchronous unless jose has to verify a first-sight signature or sign a token; then it is a
 * promise, and the journal records the request when it settles.
 */
import type { AuthStores } from '../domain/auth/context.ts';
import { andThen, type Awaitable } from '../domain/awaitable.ts';
import { createDecisionCache } from '../domain/auth/decision-cache.ts';
import { createKeypairJwtVerifier } from '../domain/auth/keypair-jwt.ts';
import { createOAuthTokenStore } from '../domain/auth/oauth-token.ts';
import { buildPatIndex } from '../domain/auth/pat.ts';
import { createClock, type Clock } from '../domain/clock.ts';
import { createFaultPlan, FAULT_HEADER, type FaultHit, type FaultPlan } from '../domain/faults.ts';
import { reject } from '../domain/errors/rejection.ts';
import { SOURCES } from '../domain/errors/sources.ts';
import { createIds, type Ids } from '../domain/ids.ts';
import { createJournal, type Journal } from '../domain/journal.ts';
import { buildWorld, clockSettingsOf } from '../domain/world/build.ts';
import type { WorldConfig } from '../domain/world/config.ts';
import type { Account, World } from '../domain/world/model.ts';
import { resolveAccount } from './account-host.ts';
import type { RequestContext } from './endpoint.ts';
import { plain, rejected, type Outcome } from './outcome.ts';
import type { MockRequest, MockResponse } from './record.ts';
import { empty, json } from './respond.ts';
import { createRouter, type Router } from './router.ts';
import { compileStatements, type StatementResponder } from '../domain/sql/answers.ts';
import type { StatementHook } from '../domain/sql/responders.ts';
import type { StatementConfig } from '../domain/world/config.ts';
import { Checker } from '../domain/world/validate/checker.ts';
import { checkStatements, roleInSomeAccount } from '../domain/world/validate/statements.ts';
import { worldConfigError } from '../domain/world/validate.ts';
import { ROUTES } from './routes.ts';
import { createStatementStore, type StatementStore } from './statement-store.ts';
import { createOAuthServerStore, type OAuthServerStore } from '../domain/oauth/server-store.ts';
import { createSessionStore, type SessionStore } from '../domain/session/sessions.ts';
import { createMfaTokenStore, type MfaTokenStore } from '../domain/login/mfa-tokens.ts';
import { createProviderService, type MockProvider } from '../domain/provider/provider.ts';
import { handleProvider, providerTarget } from './provider/dispatch.ts';
import { describeError, failedSurfaceOf, internalErrorResponse, type FailedSurface } from './internal-error.ts';

/** Options of {@link createCore}. */
export interface CoreOptions {
  readonly config: WorldConfig;
  /** File the config came from, for error messages. */
  readonly file?: string;
  /** Makes generated ids, tokens and secrets deterministic. */
  readonly seed?: number;
  /** Client IP for requests that carry none (in-process). */
  readonly clientIp?: string;
  /** Overrides the world's clock settings (start epoch ms, frozen or running). */
  readonly clock?: { readonly start?: number; readonly frozen?: boolean };
  readonly journalCapacity?: number;
  /** `statements:` answered in every account, before the world's own (decisions/0016); checked like a world's. */
  readonly statements?: readonly StatementConfig[];
  /** Answers statements in code, before any `statements:` entry (decisions/0016). */
  readonly onStatement?: StatementHook;
}

/**
 * What users answer statements with, besides the world's `statements:` (decisions/0016).
 *
 * @example
 * core.answers.statements.length // entries given to createSnowflakeMock / startServer
 */
export interface StatementAnswers {
  /** The options' entries, compiled (they survive `reset()` and `load()`). */
  readonly statements: readonly StatementResponder[];
  readonly onStatement?: StatementHook;
}

/** The mock itself, without a transport. */
export interface MockCore {
  readonly world: World;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly ids: Ids;
  readonly stores: AuthStores;
  readonly statements: StatementStore;
  /** Snowflake OAuth server state: authorization codes and refresh tokens. */
  readonly oauth: OAuthServerStore;
  /** Driver sessions opened by login-request (decisions/0006). */
  readonly sessions: SessionStore;
  /**
   * Bumped by `reset()` and `load()`. An answer still in jose's hands when the state is replaced
   * belongs to the old state: it is delivered but not journaled in the new one (decisions/0011).
   */
  readonly epoch: number;
  /** MFA tokens issued to logins that asked for one (test/driver/driver-cases.ts). */
  readonly mfaTokens: MfaTokenStore;
  readonly router: Router;
  /** Injected faults (issue #5): consulted before routing; emptied by `reset()` and `load()`. */
  readonly faults: FaultPlan;
  /**
   * The external OAuth provider the mock also plays (issue #6, decisions/0007): the ProviderService
   * Snowflake-side code calls in-process, its controls, and the state its HTTP endpoints use.
   */
  readonly provider: MockProvider;
  /** Default client IP for requests without a transport address. */
  clientIp: string;
  /** The options' `statements` and `onStatement` hook (decisions/0016). */
  readonly answers: StatementAnswers;
  /**
   * Answers one request and records it in the journal, once. A promise only while jose verifies a
   * first-sight signature or signs a token; it never rejects (a failure is the internal-error answer).
   */
  handle(request: MockRequest): MockResponse | Promise<MockResponse>;
  /** Rebuilds indexes and drops caches after the world was changed in place. */
  worldChanged(): void;
  /** Back to the loaded world, the start of the clock, an empty journal and no issued tokens. */
  reset(): void;
  /** Loads another world config (validated; throws WorldConfigError) and resets. */
  load(config: WorldConfig): void;
}

/**
 * Creates the transport-neutral mock.
 *
 * @example
 * const core = createCore({ config: defaultWorldConfig(), seed: 42 })
 * await core.handle({ method: 'GET', host: 'myorg-myaccount.snowflakecomputing.com', path: '/api/v2/databases', query: '', headers: {}, body: '', clientIp: '127.0.0.1' })
 */
export function createCore(options: CoreOptions): MockCore {
  let config = options.config;
  let settings = { ...clockSettingsOf(config), ...options.clock };
  const newClock = (): Clock => createClock({ ...(settings.start !== undefined && { start: settings.start }), frozen: settings.frozen ?? false });
  const newIds = (): Ids => createIds(options.seed);
  let ids = newIds();
  const clock = newClock();
  const build = (): World => buildWorld(config, { now: clock.now(), ids, ...(options.file !== undefined && { file: options.file }) });
  const state = { world: build() };
  let stores = storesFor(state.world);
  const statements = createStatementStore();
  let oauth = createOAuthServerStore();
  let generation = 0;
  let sessions = createSessionStore(ids, undefined, generation);
  let mfaTokens = createMfaTokenStore(ids);
  // The PAT index of the world in force (it follows reset, load and world changes): a PAT secret
  // sent as a JWT is refused and still never decoded into the journal (domain/journal-jwt.ts).
  const journal = createJournal(options.journalCapacity, { isPatSecret: (token) => stores.pats.lookup(token) !== undefined });
  const router = createRouter(ROUTES);
  const answers = statementAnswers(options, state.world);
  const faults = createFaultPlan();
  const provider = createProviderService({ world: () => state.world, ids: () => ids, now: () => clock.now() });

  const core: MockCore = {
    get world() {
      return state.world;
    },
    clock,
    journal,
    get ids() {
      return ids;
    },
    get stores() {
      return stores;
    },
    statements,
    get oauth() {
      return oauth;
    },
    get sessions() {
      return sessions;
    },
    get epoch() {
      return generation;
    },
    get mfaTokens() {
      return mfaTokens;
    },
    router,
    faults,
    provider,
    clientIp: options.clientIp ?? '127.0.0.1',
    answers,
    handle: (request) => handle(core, request),
    worldChanged() {
      stores = storesFor(state.world, stores);
      provider.worldChanged();
    },
    reset() {
      const fresh = newClock();
      clock.set(fresh.now());
      clock.freeze(fresh.frozen);
      ids = newIds();
      state.world = build();
      stores = storesFor(state.world);
      statements.clear();
      oauth = createOAuthServerStore();
      sessions = createSessionStore(ids, undefined, ++generation);
      mfaTokens = createMfaTokenStore(ids);
      journal.clear();
      faults.clear();
      provider.reset();
    },
    load(next) {
      buildWorld(next, { now: clock.now(), ids: createIds(options.seed) }); // validate first: a bad world changes nothing
      config = next;
      settings = { ...clockSettingsOf(next), ...options.clock };
      core.reset();
    },
  };
  return core;
}

/**
 * The options' `statements` (checked like a world's top-level list, problems at
 * `options.statements[i]…`; throws WorldConfigError) and hook.
 */
function statementAnswers(options: CoreOptions, world: World): StatementAnswers {
  const list = options.statements ?? [];
  const c = new Checker();
  const roles = world.accounts.flatMap((a) => [...a.roles]);
  checkStatements(c, { statements: list as unknown }, ['options'], roleInSomeAccount(c, roles));
  if (c.problems.length > 0) throw worldConfigError(c.problems);
  return { statements: compileStatements(list, "the mock's options"), ...(options.onStatement && { onStatement: options.onStatement }) };
}

/**
 * Indexes rebuilt from the world. The OAuth store is kept across a world change (tokens issued at
 * run time survive it); tokens the world gained since are added to it.
 */
function storesFor(world: World, previous?: AuthStores): AuthStores {
  const oauthTokens = previous?.oauthTokens ?? createOAuthTokenStore(world);
  if (previous) {
    for (const account of world.accounts) {
      for (const t of account.oauthAccessTokens) if (!oauthTokens.get(t.token)) oauthTokens.issue({ ...t, account: account.name });
    }
  }
  // The JWT verifier survives a world change (first-seen times are facts about tokens, decision 0003);
  // only its verified-token cache is dropped.
  const jwt = previous?.jwt ?? createKeypairJwtVerifier();
  if (previous) jwt.invalidate();
  return { pats: buildPatIndex(world), oauthTokens, jwt, decisions: createDecisionCache() };
}

// Counts requests of every core in the process; only its low bits pace the sweeping.
let requestCount = 0;

function handle(core: MockCore, request: MockRequest): MockResponse | Promise<MockResponse> {
  const now = core.clock.now();
  const epoch = core.epoch;
  let outcome: Awaitable<Outcome>;
  // The external OAuth provider is routed by endpoint URL, before any account (issue #6, decisions/0007).
  const provider = providerTarget(core.provider, request);
  const account = provider ? undefined : resolveAccount(core.world, request.host);
  let journalAccount = account?.name;
  // Injected faults (issue #5) apply on account hosts only; an empty plan costs one comparison.
  const fault = account !== undefined && core.faults.size > 0 ? core.faults.take(request.method, request.path) : undefined;
  try {
    if (provider) {
      outcome = andThen(handleProvider(core, request, provider, now), (answer) => {
        journalAccount = answer.account;
        return answer.outcome;
      });
    } else {
      outcome = fault && (fault.response || fault.reset) ? faultOutcome(fault) : route(core, request, account, now);
      if (fault && !(fault.response || fault.reset)) outcome = andThen(outcome, (o) => delayedOutcome(o, fault));
    }
  } catch (error) {
    outcome = internalError(error, failedSurfaceOf(request, core.provider));
  }
  // Recorded once, when the answer is known: now, or when jose's work settles (a rejection is our bug: the internal-error answer).
  if (outcome instanceof Promise) {
    return outcome.then(undefined, (error: unknown) => internalError(error, failedSurfaceOf(request, core.provider))).then((settled) => (core.epoch === epoch ? finish(core, request, journalAccount, settled, now) : settled.response));
  }
  return finish(core, request, journalAccount, outcome, now);
}

/**
 * A bug of ours, not a Snowflake answer: the surface's own 500 with code 999000 (decisions/0017);
 * the error's text goes to the journal only, never a stack trace on the wire.
 */
function internalError(error: unknown, surface: FailedSurface): Outcome {
  return { ...plain(internalErrorResponse(surface), 'error', `mock error: ${describeError(error)}`), code: '999000' };
}

/** Journals the request and sweeps a little. */
function finish(core: MockCore, request: MockRequest, journalAccount: string | undefined, outcome: Outcome, now: number): MockResponse {
  try {
    core.journal.record(request, journalAccount, outcome, now);
  } catch {
    // The endpoint has already acted (a token issued, a session opened): its answer must still go out.
  }
  // Expired tokens and codes go in small slices (DESIGN.md §5.8): a slice every 8th request.
  if ((++requestCount & 7) === 0) {
    core.stores.oauthTokens.sweep(now, 4);
    core.oauth.sweep(now, 4);
    core.sessions.sweep(now, 4);
    core.provider.sweep(now, 4);
  }
  return outcome.response;
}

/** The answer of an injected fault instead of the endpoint's; a reset has status 0 and is never sent. */
function faultOutcome(hit: FaultHit): Outcome {
  const transport = { ...(hit.delayMs > 0 && { delayMs: hit.delayMs }), ...(hit.reset && { reset: true }) };
  const response: MockResponse = hit.reset
    ? { status: 0, headers: { [FAULT_HEADER]: String(hit.fault.id) }, body: '', fault: transport }
    : { ...hit.response!, ...(hit.delayMs > 0 && { fault: transport }) };
  return plain(response, 'fault', `fault: ${hit.explanation}`);
}

/** A delay-only fault: the endpoint's own answer, delivered late by the transport. */
function delayedOutcome(outcome: Outcome, hit: FaultHit): Outcome {
  return { ...outcome, response: { ...outcome.response, fault: { delayMs: hit.delayMs } }, explanation: `${outcome.explanation} (fault: ${hit.explanation})` };
}

function route(core: MockCore, request: MockRequest, account: Account | undefined, now: number): Awaitable<Outcome> {
  const respond = { switches: core.world.switches, ids: core.ids };
  const match = core.router.match(request.path);
  if (!account) {
    // Answered in the envelope of the endpoint asked for (a driver's login gets the GS one, as in the go fixture).
    const driverEndpoint = match?.route.methods[request.method] !== undefined && (match.route.surface === 'login' || match.route.surface === 'session');
    const surface = driverEndpoint ? 'login' : 'api';
    return rejected(reject('390144-host', SOURCES.goInvalidHost, `host ${request.host.slice(0, 100)} names no account of the world`), surface, respond);
  }
  if (!match) return plain(empty(404), 'rejected', `rejected: no endpoint at ${request.path.slice(0, 200)}`, SOURCES.sqlApiReference);
  const endpoint = match.route.methods[request.method];
  if (!endpoint) {
    const allow = Object.keys(match.route.methods).join(', ');
    return plain(empty(405, { allow }), 'rejected', `rejected: ${request.method} not allowed on ${match.route.pattern} (allowed: ${allow})`, SOURCES.sqlApiReference);
  }
  const ctx: RequestContext = {
    switches: respond.switches,
    ids: respond.ids,
    core,
    account,
    params: match.params,
    now,
    clientIp: request.clientIp,
    auth: { world: core.world, account, now, clientIp: request.clientIp, stores: core.stores },
    sessions: core.sessions,
  };
  return endpoint(request, ctx);
}


