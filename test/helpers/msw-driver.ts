/**
 * The real snowflake-sdk against the in-process mock: one MSW server per test file intercepting
 * the driver's HTTPS requests, the mock reset and the driver's cached credentials forgotten after
 * every test. Loopback traffic (the driver's OAuth callback listener) goes through.
 */
// First, as the driver files had it: the driver's environment is set before anything else loads.
import { forgetCachedCredentials, mswDriverTarget, type DriverTarget } from './snowflake-sdk.ts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createSnowflakeMock, type SnowflakeMockOptions } from '../../handlers/mock.ts';

/**
 * Sets the file up and returns the driver target the shared cases take.
 *
 * @example
 * defineDriverCases(() => useMswDriverTarget({ seed: 5 }))
 */
export function useMswDriverTarget(options: SnowflakeMockOptions): DriverTarget {
  const mock = createSnowflakeMock(options);
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
  afterAll(() => server.close());
  afterEach(() => {
    mock.reset();
    forgetCachedCredentials();
  });
  return mswDriverTarget(mock);
}
