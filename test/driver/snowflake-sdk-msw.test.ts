/**
 * The real snowflake-sdk against the in-process mock: MSW intercepts the driver's HTTPS requests
 * to `myorg-myaccount.snowflakecomputing.com` (issue #5).
 */
import { forgetCachedCredentials, mswDriverTarget, sdk } from '../helpers/snowflake-sdk.ts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import type { DriverTarget } from '../helpers/snowflake-sdk.ts';
import { defineContextCases } from './context-cases.ts';
import { defineDriverCases } from './driver-cases.ts';

void sdk;
const mock = createSnowflakeMock({ seed: 5 });
const server = setupServer(...mock.handlers);
// The driver's OAuth callback listener on 127.0.0.1 is real: let loopback traffic through.
beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
afterAll(() => server.close());
afterEach(() => {
  mock.reset();
  forgetCachedCredentials();
});

const target: DriverTarget = mswDriverTarget(mock);

defineDriverCases(() => target);
defineContextCases(() => target);
