/**
 * `createSnowflakeMock`: the in-process mock for test suites — msw handlers plus the world, clock
 * and journal behind them (DESIGN.md §2).
 */
import type { HttpHandler } from 'msw';
import type { Clock } from '../domain/clock.ts';
import type { FaultControl } from '../domain/faults.ts';
import type { ProviderControl } from '../domain/provider/provider.ts';
import type { Journal } from '../domain/journal.ts';
import type { StatementConfig, WorldConfig } from '../domain/world/config.ts';
import { withHookTimeout, type StatementHook } from '../domain/sql/responders.ts';
import { createHandlers } from './msw.ts';
import { createCore, type MockCore } from '../http/core.ts';
import { resolveWorldInput } from '../api/world-file.ts';
import { createWorldApi, type WorldApi } from '../api/world.ts';
import { createExternalOAuthApi, type ExternalOAuthApi } from '../api/external-oauth.ts';
import { linkFaultPlan, linkProvider } from '../api/world-change.ts';

/** Options of {@link createSnowflakeMock}. */
export interface SnowflakeMockOptions {
  /** A world config object, or a path to a YAML/JSON world file; default: the embedded world. */
  readonly world?: string | WorldConfig;
  /** Makes generated ids, tokens and secrets deterministic. */
  readonly seed?: number;
  /** Client IP for requests without X-Forwarded-For (default 127.0.0.1). */
  readonly clientIp?: string;
  /** Start the clock here (frozen) instead of the world's start or the real current time. */
  readonly clockStart?: Date | string | number;
  /** Extra hosts to answer besides `*.snowflakecomputing.com`, e.g. `http://localhost:4010`. */
  readonly hosts?: readonly string[];
  /**
   * Statements to answer in every account, as the world's `statements:` are written; tried after the
   * hook and before the world's own entries (decisions/0016). Checked at once: a bad entry throws
   * a WorldConfigError naming `options.statements[i]…`.
   *
   * @example
   * createSnowflakeMock({ statements: [{ match: 'SELECT COUNT(*) FROM ORDERS', result: { columns: [{ name: 'COUNT(*)', type: 'NUMBER' }], rows: [[3]] } }] })
   */
  readonly statements?: readonly StatementConfig[];
  /**
   * Answers statements the mock's own commands do not run, first of all responders; return an answer
   * (`{ result: { columns, rows } }`, `{ result: { rows_affected } }`, `{ error: { code, sql_state, message } }`,
   * optional `delay`), or nothing to let the `statements:` entries try. May be async (decisions/0016).
   *
   * @example
   * createSnowflakeMock({ onStatement: ({ statement, bindings }) => /^delete from orders/i.test(statement) ? { result: { rows_affected: bindings.length } } : undefined })
   */
  readonly onStatement?: StatementHook;
  /**
   * How long a promise `onStatement` returned may take before the statement is answered 999002
   * "did not answer within N ms"; default 30 000.
   *
   * @example
   * createSnowflakeMock({ onStatement: slowHook, statementHookTimeoutMs: 2_000 })
   */
  readonly statementHookTimeoutMs?: number;
}

/** The in-process mock. */
export interface SnowflakeMock {
  /** Put these into `setupServer(...mock.handlers)` from `msw/node`. */
  readonly handlers: HttpHandler[];
  /** The world and the operations that change it (disable a PAT, rotate a key, …). */
  readonly world: WorldApi;
  /** The mock's clock: `advance('16d')`, `set(date)`, `now()`. */
  readonly clock: Clock;
  /** Every request, its decision and why. */
  readonly journal: Journal;
  /** Client IP used when a request carries no X-Forwarded-For. */
  clientIp: string;
  /**
   * Injected faults (issue #5): answer the next N matching requests with a status, a delay or a
   * connection reset, to test a client's retries. `reset()` removes them.
   *
   * @example
   * mock.faults.inject({ path: '/session/v1/login-request', method: 'POST', count: 2, status: 503 })
   * mock.faults.inject([{ path: '/api/v2/statements', reset: true }, { path: '*', delay: '20ms' }])
   * mock.faults.list()  // [{ id: 1, path: '/session/v1/login-request', remaining: 2, … }, …]
   * mock.faults.clear() // 3
   */
  readonly faults: FaultControl;
  /**
   * The external OAuth provider the mock also plays for each API_AUTHENTICATION integration
   * (issue #6, decisions/0007): revoke or expire its refresh tokens, take it down, list its tokens.
   * `reset()` forgets its codes and tokens and brings it back up.
   *
   * @example
   * mock.provider.revokeRefreshTokens('OAUTH_INTEGRATION') // the next refresh is invalid_grant
   * mock.provider.expireRefreshTokens()                    // every refresh token expires now
   * mock.provider.down('OAUTH_INTEGRATION')                // 503 temporarily_unavailable, in-process calls too
   * mock.provider.up()
   * mock.provider.tokens()                                 // [{ kind: 'access', token: 'mock-at-…', sub: 'jane', … }]
   */
  readonly provider: ProviderControl;
  /**
   * The IdPs of `type: external_oauth` integrations with `mock_idp` (decisions/0009).
   *
   * @example
   * const token = await mock.externalOAuth.issueToken('OKTA_IDP', { subject: 'alice', scopes: ['session:role:ANALYST'] })
   */
  readonly externalOAuth: ExternalOAuthApi;
  /** Back to the loaded world, the clock's start, an empty journal and no issued tokens. */
  reset(): void;
  /** The transport-neutral core (for adapters and advanced use). */
  readonly core: MockCore;
}

/**
 * Creates an in-process Snowflake auth mock.
 *
 * @example
 * import { setupServer } from 'msw/node'
 * const mock = createSnowflakeMock({ world: './world.yaml', seed: 42 })
 * const server = setupServer(...mock.handlers)
 * server.listen({ onUnhandledFrame: 'error' })
 * mock.clock.advance('16d')
 * mock.journal.last()?.explanation
 */
export function createSnowflakeMock(options: SnowflakeMockOptions = {}): SnowflakeMock {
  const { config, file } = resolveWorldInput(options.world);
  const clockStart = options.clockStart === undefined ? undefined : new Date(options.clockStart).getTime();
  if (clockStart !== undefined && !Number.isFinite(clockStart)) throw new TypeError(`createSnowflakeMock: clockStart ${JSON.stringify(options.clockStart)} is not a date`);
  const core = createCore({
    config,
    ...(file !== undefined && { file }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.clientIp !== undefined && { clientIp: options.clientIp }),
    ...(clockStart !== undefined && { clock: { start: clockStart, frozen: true } }),
    ...(options.statements !== undefined && { statements: options.statements }),
    ...(options.onStatement !== undefined && { onStatement: withHookTimeout(options.onStatement, options.statementHookTimeoutMs) }),
  });
  return {
    handlers: createHandlers(core, { ...(options.hosts && { hosts: options.hosts }) }),
    // Linked to the fault plan so the world change `inject_fault` works on mock.world (scenarios).
    world: linkProvider(linkFaultPlan(createWorldApi(core), core.faults), core.provider),
    clock: core.clock,
    journal: core.journal,
    get clientIp() {
      return core.clientIp;
    },
    set clientIp(ip: string) {
      core.clientIp = ip;
    },
    faults: {
      inject: (rules) => core.faults.inject(rules),
      list: () => core.faults.list(),
      clear: () => core.faults.clear(),
    },
    provider: {
      revokeRefreshTokens: (integration) => core.provider.revokeRefreshTokens(integration),
      expireRefreshTokens: (integration) => core.provider.expireRefreshTokens(integration),
      revokeTokens: (integration) => core.provider.revokeTokens(integration),
      down: (target, status) => core.provider.down(target, status),
      up: (target) => core.provider.up(target),
      tokens: () => core.provider.tokens(),
      downHosts: () => core.provider.downHosts(),
    },
    externalOAuth: createExternalOAuthApi(core),
    reset: () => core.reset(),
    core,
  };
}
