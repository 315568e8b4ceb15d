/**
 * The one place where a provider decision becomes a response (the provider's counterpart of
 * http/respond.ts — which speaks Snowflake's catalogue; the provider speaks plain RFC 6749/6750):
 * JSON `{error, error_description}` bodies, token answers that are never cached, redirects, and
 * the provider's own HTML pages. Every answer names its endpoint kind in {@link PROVIDER_KIND_HEADER}.
 */
import type { Decision } from '../../domain/journal.ts';
import type { Outcome } from '../outcome.ts';
import type { MockResponse } from '../record.ts';
import { PROVIDER_KIND_HEADER, type ProviderContext } from './types.ts';

const JSON_TYPE = 'application/json';
/** RFC 6749 §5.1: token answers (and their errors, §5.2) must not be cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * A JSON answer of a provider endpoint.
 *
 * @example
 * providerJson('resource', 200, { sub: 'jane' })
 */
export function providerJson(kind: string, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}, noStore = false): MockResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...(noStore && NO_STORE), ...headers, [PROVIDER_KIND_HEADER]: kind }, body: JSON.stringify(body) };
}

/**
 * An RFC 6749 §5.2 / RFC 6750 §3 error body.
 *
 * @example
 * providerError('token', 400, 'invalid_grant', 'authorization code expired at …', {}, true)
 */
export function providerError(kind: string, status: number, error: string, description: string, headers: Readonly<Record<string, string>> = {}, noStore = false): MockResponse {
  return providerJson(kind, status, { error, error_description: description }, headers, noStore);
}

/**
 * A 302 to the client.
 *
 * @example
 * providerRedirect('authorize', 'https://app.example.com/cb?code=c&state=s')
 */
export function providerRedirect(kind: string, location: string): MockResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store', [PROVIDER_KIND_HEADER]: kind }, body: '' };
}

/**
 * An HTML page of the provider.
 *
 * @example
 * providerHtml('authorize', 200, '<!doctype html>…')
 */
export function providerHtml(kind: string, status: number, html: string): MockResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', [PROVIDER_KIND_HEADER]: kind }, body: html };
}

/**
 * The journal's account of a provider answer; the explanation says which provider endpoint decided.
 *
 * @example
 * providerOutcome(ctx, response, 'allowed', 'client_credentials grant …', { rule: 'RFC 6749 §4.4' })
 * // explanation 'allowed: provider example.com token endpoint: client_credentials grant …'
 */
export function providerOutcome(ctx: ProviderContext, response: MockResponse, decision: Decision, explanation: string, o: { code?: string; cause?: string; rule?: string } = {}): Outcome {
  return {
    response, decision, explanation: `${decision}: provider ${ctx.target.host} ${ctx.kind}${ctx.kind === 'resource' ? '' : ' endpoint'}: ${explanation}`,
    code: o.code, cause: o.cause, rule: o.rule, authMethod: undefined, user: undefined, role: undefined,
  };
}

/**
 * The journal's account of a mock External OAuth IdP answer (decisions/0009): same shape as
 * {@link providerOutcome}, for callers that have no provider context (the IdP endpoints are
 * callable on their own).
 *
 * @example
 * idpOutcome(providerError('idp', 405, 'invalid_request', 'GET is not allowed …', { allow: 'POST' }), 'rejected', 'GET is not allowed …', { cause: 'IDP_METHOD_NOT_ALLOWED' })
 */
export function idpOutcome(response: MockResponse, decision: Decision, explanation: string, o: { code?: string; cause?: string; rule?: string } = {}): Outcome {
  return { response, decision, explanation: `${decision}: mock IdP: ${explanation}`, code: o.code, cause: o.cause, rule: o.rule, authMethod: undefined, user: undefined, role: undefined };
}
