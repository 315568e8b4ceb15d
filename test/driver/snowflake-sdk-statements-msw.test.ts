/**
 * Statements the user answers, decoded by the real snowflake-sdk in-process: MSW intercepts the
 * driver's requests to `myorg-myaccount.snowflakecomputing.com` (decisions/0016).
 */
import { forgetCachedCredentials, mswDriverTarget, sdk, type DriverTarget } from '../helpers/snowflake-sdk.ts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import { DRIVER_HOOK, DRIVER_STATEMENTS, defineStatementDriverCases } from './statements-cases.ts';

void sdk;
const mock = createSnowflakeMock({ seed: 5, statements: DRIVER_STATEMENTS, onStatement: DRIVER_HOOK });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
afterAll(() => server.close());
afterEach(() => {
  mock.reset();
  forgetCachedCredentials();
});

const target: DriverTarget = mswDriverTarget(mock);

defineStatementDriverCases(() => target);
