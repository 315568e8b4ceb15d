/**
 * Statements the user answers, decoded by the real snowflake-sdk against `startServer({ statements,
 * onStatement })` over plain HTTP on loopback (decisions/0016).
 */
import { forgetCachedCredentials, sdk, type DriverTarget } from '../helpers/snowflake-sdk.ts';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createWorldApi } from '../../api/world.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { DRIVER_HOOK, DRIVER_STATEMENTS, defineStatementDriverCases } from './statements-cases.ts';

void sdk;
let server: RunningServer;
let target: DriverTarget;
beforeAll(async () => {
  server = await startServer({ port: 0, seed: 5, statements: DRIVER_STATEMENTS, onStatement: DRIVER_HOOK });
  const core = server.core;
  target = { name: 'serve', accessUrl: server.url, clock: core.clock, journal: core.journal, world: createWorldApi(core), faults: core.faults, reset: () => core.reset() };
});
afterAll(() => server.close());
afterEach(() => {
  target.reset();
  forgetCachedCredentials();
});

defineStatementDriverCases(() => target);
