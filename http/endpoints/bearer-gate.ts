/**
 * The auth gate in front of every SQL/REST API endpoint: a bearer token is authenticated and the
 * network policy checked before the endpoint sees the request (reference §5.2, §4).
 */
import { authenticateBearer } from '../../domain/auth/bearer.ts';
import type { AuthSuccess } from '../../domain/auth/context.ts';
import type { RequestContext } from '../endpoint.ts';
import { principalOf, rejected, type Outcome } from '../outcome.ts';
import type { MockRequest } from '../record.ts';

/**
 * Runs `next` only for an authenticated request; otherwise answers with Snowflake's API refusal.
 *
 * @example
 * const endpoint: Endpoint = (req, ctx) => withBearer(req, ctx, (auth) => allowed(json(200, []), auth.explanation))
 */
export function withBearer(req: MockRequest, ctx: RequestContext, next: (auth: AuthSuccess) => Outcome): Outcome {
  const auth = authenticateBearer({ authorization: req.headers.authorization, tokenType: req.headers['x-snowflake-authorization-token-type'] }, ctx.auth);
  if (!auth.ok) return rejected(auth.rejection, 'api', ctx, principalOf(auth));
  return next(auth);
}
