/**
 * `POST /oauth/token-request` — Snowflake OAuth's token endpoint (https://docs.snowflake.com/en/user-guide/oauth-custom): authorization
 * code and refresh grants (and client credentials as the drivers use it), client authentication,
 * Snowflake's error envelope. Issued access tokens go into the mock's token store, so they work on
 * the SQL and REST APIs at once and expire on the mock clock.
 */
import { andThen } from '../../domain/awaitable.ts';
import { handleTokenRequest, type TokenRequestResult } from '../../domain/oauth/token-request.ts';
import type { Endpoint, RequestContext } from '../endpoint.ts';
import { reject } from '../../domain/errors/rejection.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import { allowed, rejected, type Outcome } from '../outcome.ts';

// RFC 6749 §5.1: token answers must not be cached.
const TOKEN_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** `POST /oauth/token-request` */
export const tokenRequest: Endpoint = (req, ctx) => {
  if (req.bodyTooLarge) return rejected(reject('invalid_request', SOURCES.decisionInferred, 'the token request body is larger than the mock reads', 'TOKEN_BODY_TOO_LARGE'), 'oauth-token', ctx);
  const result = handleTokenRequest(
    { authorization: req.headers.authorization, contentType: req.headers['content-type'], body: req.body },
    { world: ctx.auth.world, account: ctx.account, now: ctx.now, ids: ctx.ids, clientIp: ctx.clientIp, oauthTokens: ctx.auth.stores.oauthTokens, server: ctx.core.oauth },
  );
  return andThen(result, (r) => answer(r, ctx));
};

function answer(result: TokenRequestResult, ctx: RequestContext): Outcome {
  if (!result.ok) return rejected(result.rejection, 'oauth-token', ctx);
  const response = { status: 200, headers: TOKEN_HEADERS, body: JSON.stringify(result.body) };
  return allowed(response, result.explanation, { authMethod: 'OAUTH', user: result.user, role: result.role });
}
