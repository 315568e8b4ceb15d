/**
 * The real snowflake-sdk against `serve` over plain HTTP on loopback (the driver takes the scheme
 * of `accessUrl`, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/connection_config.js;
 * no TLS, so no OCSP) — issue #5.
 */
import { forgetCachedCredentials, sdk } from '../helpers/snowflake-sdk.ts';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.ts';
import { createWorldApi } from '../../api/world.ts';
import type { DriverTarget } from '../helpers/snowflake-sdk.ts';
import { defineContextCases } from './context-cases.ts';
import { defineDriverCases } from './driver-cases.ts';

void sdk;
let server: RunningServer;
let target: DriverTarget;
beforeAll(async () => {
  server = await startServer({ port: 0, seed: 5 });
  const core = server.core;
  target = {
    name: 'serve',
    accessUrl: server.url,
    clock: core.clock,
    journal: core.journal,
    world: createWorldApi(core),
    faults: core.faults,
    reset: () => core.reset(),
  };
});
afterAll(() => server.close());
afterEach(() => {
  target.reset();
  forgetCachedCredentials();
});

defineDriverCases(() => target);
defineContextCases(() => target);
