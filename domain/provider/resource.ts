/**
 * The provider's protected resources (RFC 6750): any other request to a provider host answers who
 * its bearer token stands for — how a test proves that app code got a usable access token. A token
 * is accepted on the hosts of its client's endpoints only (tokens of one provider do not open
 * another), until it expires (mock clock) or is revoked.
 */
import { isoTime } from '../clock.ts';
import { quoteUntrusted as quoted } from '../safe-text.ts';
import type { ProviderStore, ProviderToken } from './store.ts';

/** The 200 body: who the token stands for. `exp` in epoch seconds (RFC 7662 style). */
export interface ResourceBody {
  readonly sub: string;
  readonly scope: string;
  readonly client_id: string;
  readonly exp: number;
}

export type ResourceOutcome =
  | { readonly ok: true; readonly token: ProviderToken; readonly body: ResourceBody }
  | {
      readonly ok: false;
      /** `invalid_token` (a token was presented), or none when no bearer token came (RFC 6750 §3.1: no error code then). */
      readonly error?: 'invalid_token';
      readonly description: string;
      readonly cause: string;
      readonly token?: ProviderToken;
    };

/**
 * Checks the bearer token of a resource request on `host`.
 *
 * @example
 * checkBearer('Bearer mock-at-…', 'provider.example.com', store, now)
 * // { ok: true, token, body: { sub: 'jane', scope: 'read', client_id: 'app', exp: 1772370000 } }
 */
export function checkBearer(authorization: string | undefined, host: string, store: ProviderStore, now: number): ResourceOutcome {
  const header = (authorization ?? '').trim();
  const match = /^bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    const what = header === '' ? 'no Authorization header' : `Authorization scheme ${quoted(header.split(/\s/, 1)[0])} is not Bearer`;
    return { ok: false, description: `${what}; send Authorization: Bearer <access token>`, cause: 'PROVIDER_BEARER_MISSING' };
  }
  const invalid = (cause: string, description: string, token?: ProviderToken): ResourceOutcome => ({ ok: false, error: 'invalid_token', description, cause, ...(token && { token }) });
  const t = store.token(match[1]!);
  if (!t) return invalid('PROVIDER_TOKEN_UNKNOWN', 'the access token is not one this provider issued');
  if (t.kind !== 'access') return invalid('PROVIDER_TOKEN_NOT_ACCESS', 'a refresh token is not an access token', t);
  if (!t.hosts.includes(host)) return invalid('PROVIDER_TOKEN_OTHER_PROVIDER', `the access token was issued by the provider of ${t.hosts.join(', ')}, not ${host}`, t);
  if (t.revoked) return invalid('PROVIDER_TOKEN_REVOKED', `the access token of ${quoted(t.sub)} (integration ${t.integration}) was revoked`, t);
  if (now >= t.expiresAt) return invalid('PROVIDER_TOKEN_EXPIRED', `the access token of ${quoted(t.sub)} (integration ${t.integration}) expired at ${isoTime(t.expiresAt)}`, t);
  return { ok: true, token: t, body: { sub: t.sub, scope: t.scope.join(' '), client_id: t.clientId, exp: Math.floor(t.expiresAt / 1000) } };
}
