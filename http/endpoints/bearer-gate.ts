/**
 * The auth gate in front of every SQL/REST API endpoint: a bearer token is authenticated and the
 * network policy checked before the endpoint sees the request
 * (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating, https://docs.snowflake.com/en/user-guide/network-policies).
 */
import { authenticateBearer } from '../../domain/auth/bearer.ts';
import type { Awaitable } from '../../domain/awaitable.ts';
import type { AuthOutcome, AuthSuccess } from '../../domain/auth/context.ts';
import type { RequestContext } from '../endpoint.ts';
import { principalOf, rejected, type Outcome } from '../outcome.ts';
import type { MockRequest } from '../record.ts';

/**
 * Runs `next` only for an authenticated request; otherwise answers with Snowflake's API refusal.
 * Synchronous unless jose has to check a new JWT's signature.
 *
 * @example
 * const endpoint: Endpoint = (req, ctx) => withBearer(req, ctx, (auth) => allowed(json(200, []), auth.explanation))
 */
export function withBearer(req: MockRequest, ctx: RequestContext, next: (auth: AuthSuccess) => Awaitable<Outcome>): Awaitable<Outcome> {
  const auth = authenticateBearer({ authorization: req.headers.authorization, tokenType: req.headers['x-snowflake-authorization-token-type'] }, ctx.auth);
  return auth instanceof Promise ? auth.then((a) => gate(a, ctx, next)) : gate(auth, ctx, next);
}

// `next` may answer later too: an onStatement hook that returns a promise (decisions/0016).
function gate(auth: AuthOutcome, ctx: RequestContext, next: (auth: AuthSuccess) => Awaitable<Outcome>): Awaitable<Outcome> {
  if (!auth.ok) return rejected(auth.rejection, 'api', ctx, principalOf(auth));
  return next(auth);
}
