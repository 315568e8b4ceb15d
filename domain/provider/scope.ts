/**
 * Scopes at the provider (RFC 6749 §3.3): a space-delimited list checked against the integration's
 * OAUTH_ALLOWED_SCOPES. Requested ⊆ allowed, else `invalid_scope`; an empty allowed list allows any
 * scope (inferred: nothing was restricted); no scope requested = every allowed scope (§3.3 lets the
 * server apply a pre-defined default; ours is the allowed list — inferred).
 */
import { SOURCES } from '../errors/sources.ts';
import type { ApiAuthenticationIntegration } from '../world/model.ts';
import { fail, type ProviderFailure } from './failure.ts';
import { quoteUntrusted as quoted } from '../safe-text.ts';

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Splits a scope parameter into its distinct tokens, in order; absent or blank → [].
 *
 * @example
 * splitScope('read  write read') // ['read', 'write']
 */
export function splitScope(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(' ').filter((s) => s !== ''))];
}

/**
 * The scopes granted for a request, or `invalid_scope`.
 *
 * @example
 * grantScope(integration, ['read'])          // { ok: true, scope: ['read'] }
 * grantScope(integration, [])                // { ok: true, scope: ['read', 'write'] } (the allowed list)
 * grantScope(integration, ['admin']).error   // 'invalid_scope'
 */
export function grantScope(integration: ApiAuthenticationIntegration, requested: readonly string[]): { ok: true; scope: string[] } | ProviderFailure {
  const malformed = requested.find((s) => !SCOPE_TOKEN.test(s));
  if (malformed !== undefined) return fail('invalid_scope', 'PROVIDER_SCOPE_MALFORMED', `scope ${quoted(malformed)} has characters RFC 6749 §3.3 does not allow`, 'RFC 6749 §3.3');
  const allowed = integration.oauthAllowedScopes;
  if (requested.length === 0) return { ok: true, scope: [...allowed] };
  if (allowed.length === 0) return { ok: true, scope: [...requested] };
  const extra = requested.filter((s) => !allowed.includes(s));
  if (extra.length > 0) {
    return fail('invalid_scope', 'PROVIDER_SCOPE_NOT_ALLOWED', `scope ${extra.map((s) => quoted(s)).join(', ')} is not in OAUTH_ALLOWED_SCOPES (${allowed.join(' ')}) of integration ${integration.name}`, `RFC 6749 §3.3; ${SOURCES.apiAuthIntegration}`);
  }
  return { ok: true, scope: [...requested] };
}

/**
 * RFC 6749 §6: a refresh may narrow the original scope, never widen it; absent = the original.
 *
 * @example
 * narrowScope(['read', 'write'], ['read']) // { ok: true, scope: ['read'] }
 */
export function narrowScope(original: readonly string[], requested: readonly string[]): { ok: true; scope: string[] } | ProviderFailure {
  if (requested.length === 0) return { ok: true, scope: [...original] };
  const extra = requested.filter((s) => !original.includes(s));
  if (extra.length > 0) return fail('invalid_scope', 'PROVIDER_SCOPE_WIDENED', `scope ${extra.map((s) => quoted(s)).join(', ')} was not granted originally (${original.join(' ') || 'none'}); a refresh cannot widen it`, 'RFC 6749 §6');
  return { ok: true, scope: [...requested] };
}
