/**
 * The answer to a bug of ours (decisions/0017): HTTP 500 in the shape of the surface the client
 * asked — the GS envelope for a driver, `{code,message}` on the SQL and REST APIs, an RFC 6749 body
 * on the token endpoints, an HTML page on the authorize pages — with the catalogued mock code
 * 999000, so a client fails as it would on a Snowflake 500 instead of choking on an unknown body.
 * Never the error's text: that goes to the journal only (it may hold a stack, a path or a secret).
 */
import type { Surface } from '../domain/errors/types.ts';
import { quoteUntrusted } from '../domain/safe-text.ts';
import { providerError } from './provider/respond.ts';
import type { MockProvider } from '../domain/provider/provider.ts';
import { providerTarget } from './provider/dispatch.ts';
import type { MockRequest, MockResponse } from './record.ts';
import { catalogueResponse } from './respond.ts';
import { ACCOUNT_ROUTER, CONTROL_PREFIX } from './routes.ts';


/** Where a request that failed was going: an account surface, the provider (with its endpoint kind) or the control API. */
export type FailedSurface = Surface | { readonly provider: string } | 'control';

/**
 * The surface of an account request, from the route table; a path of none is the SQL API's.
 *
 * @example
 * surfaceOfPath('/session/v1/login-request') // 'login'
 * surfaceOfPath('/nowhere') // 'api'
 */
export function surfaceOfPath(path: string): FailedSurface {
  if (path.startsWith(CONTROL_PREFIX)) return 'control';
  return ACCOUNT_ROUTER.match(path)?.route.surface ?? 'api';
}

/**
 * Where a failed request was going, asked of the provider first (its hosts are not accounts).
 *
 * @example
 * failedSurfaceOf({ host: '127.0.0.1', path: '/oauth/token-request' }, core.provider) // 'oauth-token'
 */
export function failedSurfaceOf(request: Pick<MockRequest, 'host' | 'path'>, provider?: MockProvider): FailedSurface {
  let target: ReturnType<typeof providerTarget>;
  try {
    target = provider ? providerTarget(provider, request) : undefined;
  } catch {
    // The failure may be the provider's own index: answer as an account request then.
    target = undefined;
  }
  return target ? { provider: target.kind?.name ?? 'resource' } : surfaceOfPath(request.path);
}

/**
 * The 500 of an internal error on `surface`.
 *
 * @example
 * internalErrorResponse('login').body // '{"data":null,"code":"999000","message":"snowflake-auth-mock internal error; …","success":false,"headers":null}'
 * internalErrorResponse({ provider: 'token' }).body // '{"error":"server_error","error_description":"…"}'
 */
export function internalErrorResponse(surface: FailedSurface): MockResponse {
  // Control requests are not journaled: the message cannot point there.
  if (surface === 'control') return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: CONTROL_MESSAGE }) };
  if (typeof surface === 'object') return providerError(surface.provider, 500, 'server_error', `${MESSAGE} (code 999000)`, {}, surface.provider === 'token');
  return catalogueResponse('999000', surface);
}

const MESSAGE = 'snowflake-auth-mock internal error; the journal entry of this request says what failed';
const CONTROL_MESSAGE = 'snowflake-auth-mock internal error in the control API (code 999000); please report the request that caused it';

/**
 * The journal's words for a thrown value: its message, bounded; never calls a thrown object's own
 * methods (a hook may throw anything), never throws itself.
 *
 * @example
 * describeError(new TypeError('x is not a function')) // 'TypeError: x is not a function'
 * describeError({ toString: 1 }) // '{"toString":1}'
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${String(error.message).slice(0, 500)}`;
    return quoteUntrusted(error, 200);
  } catch {
    return 'a thrown value that cannot be shown';
  }
}
