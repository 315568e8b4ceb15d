/**
 * Example: a vitest suite that talks to Snowflake's SQL API with a programmatic access token, and
 * checks how the client behaves when the token expires — no account, no network.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createSnowflakeMock } from 'snowflake-auth-mock';

const mock = createSnowflakeMock({ seed: 42 }); // the embedded default world
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

// The code under test: any client of the SQL API.
async function whoAmI(token: string): Promise<{ status: number; body: any }> {
  const res = await fetch('https://myorg-myaccount.snowflakecomputing.com/api/v2/statements', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ statement: 'SELECT CURRENT_USER(), CURRENT_ROLE()' }),
  });
  return { status: res.status, body: await res.json() };
}

test('the PAT works today and is refused after DAYS_TO_EXPIRY', async () => {
  const today = await whoAmI('pat-alice-ci');
  expect(today.status).toBe(200);
  expect(today.body.data).toEqual([['ALICE', 'ANALYST']]);

  mock.clock.advance('16d');
  const later = await whoAmI('pat-alice-ci');
  expect(later.status).toBe(401);
  expect(later.body).toEqual({ code: '394400', message: 'Programmatic access token is invalid.' });
  expect(mock.journal.last()?.cause).toBe('PAT_EXPIRED');
});
