/**
 * Example: the standalone server, as a non-JavaScript client would use it (plain HTTP), with the
 * control API moving the clock.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer } from 'snowflake-auth-mock/server';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer({ port: 0, control: true });
});
afterAll(() => server.close());

test('an OAuth access token expires after 10 minutes of mock time', async () => {
  const call = () =>
    fetch(`${server.url}/api/v2/databases`, { headers: { authorization: 'Bearer oauth-alice-token', 'x-snowflake-authorization-token-type': 'OAUTH' } });
  expect((await call()).status).toBe(200);
  await fetch(`${server.url}/__mock/clock`, { method: 'POST', body: JSON.stringify({ advance: '11m' }) });
  const expired = await call();
  expect(expired.status).toBe(401);
  expect((await expired.json()).code).toBe('390303');
});
