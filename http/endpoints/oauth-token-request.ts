/**
 * `POST /oauth/token-request` — Snowflake OAuth's token endpoint (reference §1.4): authorization
 * code and refresh grants (and client credentials as the drivers use it), client authentication,
 * Snowflake's error envelope. Issued access tokens go into the mock's token store, so they work on
 * the SQL and REST APIs at once and expire on the mock clock.
 */
import { handleTokenRequest } from '../../domain/oauth/token-request.ts';
import type { Endpoint } from '../endpoint.ts';
import { reject } from '../../domain/errors/rejection.ts';
import { allowed, rejected } from '../outcome.ts';

// reference §1.4 (and RFC 6749 §5.1): token answers must not be cached.
const TOKEN_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** `POST /oauth/token-request` */
export const tokenRequest: Endpoint = (req, ctx) => {
  if (req.bodyTooLarge) return rejected(reject('invalid_request', 'reference §1.4', 'the token request body is larger than the mock reads', 'TOKEN_BODY_TOO_LARGE'), 'oauth-token', ctx);
  const result = handleTokenRequest(
    { authorization: req.headers.authorization, contentType: req.headers['content-type'], body: req.body },
    { world: ctx.auth.world, account: ctx.account, now: ctx.now, ids: ctx.ids, clientIp: ctx.clientIp, oauthTokens: ctx.auth.stores.oauthTokens, server: ctx.core.oauth },
  );
  if (!result.ok) return rejected(result.rejection, 'oauth-token', ctx);
  const response = { status: 200, headers: TOKEN_HEADERS, body: JSON.stringify(result.body) };
  return allowed(response, result.explanation, { authMethod: 'OAUTH', user: result.user, role: result.role });
};
