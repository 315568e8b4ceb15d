/**
 * Example: key-pair JWT auth against the in-process mock, including a key rotation.
 */
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createSnowflakeMock, signKeypairJwt } from 'snowflake-auth-mock';

const key = (name: string): string => readFileSync(new URL(`../fixtures/keys/${name}`, import.meta.url), 'utf8');
const mock = createSnowflakeMock({ seed: 1 });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const run = (jwt: string): Promise<Response> =>
  fetch('https://myorg-myaccount.snowflakecomputing.com/api/v2/statements', {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT', 'content-type': 'application/json' },
    body: JSON.stringify({ statement: 'SELECT CURRENT_USER()' }),
  });

test('rotate to a key in RSA_PUBLIC_KEY_2, then drop the old one', async () => {
  const sign = (file: string): Promise<string> => signKeypairJwt({ privateKey: key(file), account: 'myorg-myaccount', user: 'alice', now: mock.clock.now() });
  expect((await run(await sign('alice.p8'))).status).toBe(200);

  mock.world.setRsaPublicKey('ALICE', 2, key('alice-rotated.pub'));
  expect((await run(await sign('alice-rotated.p8'))).status).toBe(200);

  mock.world.setRsaPublicKey('ALICE', 1, null);
  const old = await run(await sign('alice.p8'));
  expect(old.status).toBe(401);
  expect((await old.json()).code).toBe('390144');
  expect(mock.journal.last()?.explanation).toMatch(/RSA_PUBLIC_KEY/);
});
