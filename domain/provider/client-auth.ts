/**
 * Client authentication at the provider's token endpoint (RFC 6749 §2.3).
 *
 * - `client_secret_post` — client_id and client_secret in the form body: accepted from every client
 *   (the only OAUTH_CLIENT_AUTH_METHOD the Terraform provider's resource accepts:
 *   https://github.com/Snowflake-Labs/terraform-provider-snowflake/blob/main/docs/resources/api_authentication_integration_with_client_credentials.md).
 * - `client_secret_basic` — `Authorization: Basic base64(urlencode(id):urlencode(secret))` (§2.3.1;
 *   the non-encoded form is accepted too): accepted only from a client whose integration says
 *   OAUTH_CLIENT_AUTH_METHOD = CLIENT_SECRET_BASIC (decisions/0007: such a client may still use POST).
 * - One method per request (§2.3): a Basic header beside a body client_secret is `invalid_request`.
 *
 * When several integrations share the endpoint and client id, the secret and method pick among them,
 * then the grant (an integration whose OAUTH_GRANT allows it), then the first. Never throws.
 */
import { credentialVariants, safeEqual } from '../client-secret.ts';
import { grantAllowed, type ProviderClient } from './clients.ts';
import { fail, type ProviderFailure } from './failure.ts';
import { quoteUntrusted as quoted } from '../safe-text.ts';

export type ProviderClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

/** A refusal, and whether the client tried Basic (the answer then carries `WWW-Authenticate: Basic`). */
export type ClientAuthFailure = ProviderFailure & { readonly basicTried: boolean };

export type ClientAuthResult = { ok: true; client: ProviderClient; method: ProviderClientAuthMethod } | ClientAuthFailure;

const RULE = 'RFC 6749 §2.3';

/**
 * Authenticates the client of a token request among the clients of the endpoint.
 *
 * @example
 * authenticateProviderClient({ form: { client_id: 'your_client_id', client_secret: 'your_client_secret' } }, clients, 'client_credentials')
 * // { ok: true, client: <SOME_API_…>, method: 'client_secret_post' }
 */
export function authenticateProviderClient(
  input: { authorization?: string | undefined; form: Readonly<Record<string, string>> },
  candidates: readonly ProviderClient[],
  grantType: string,
): ClientAuthResult {
  const header = input.authorization?.trim() ?? '';
  const credentials = header === '' ? fromForm(input.form) : fromHeader(header, input.form);
  if (!credentials.ok) return credentials;
  const { ids, secrets, method } = credentials;
  const basicTried = method === 'client_secret_basic';
  const refuse = (cause: string, description: string): ClientAuthFailure => ({ ...fail('invalid_client', cause, description, RULE), basicTried });
  const known = candidates.filter((c) => c.clientId !== undefined && ids.includes(c.clientId));
  if (known.length === 0) return refuse('PROVIDER_CLIENT_UNKNOWN', `client_id ${quoted(ids[0])} is the OAUTH_CLIENT_ID of no API_AUTHENTICATION integration at this token endpoint`);
  const matching = known.filter((c) => secrets.some((s) => c.integration.oauthClientSecret !== undefined && safeEqual(s, c.integration.oauthClientSecret)));
  if (matching.length === 0) return refuse('PROVIDER_CLIENT_SECRET_MISMATCH', `client_secret does not match OAUTH_CLIENT_SECRET of integration ${known.map((c) => c.integration.name).join(' or ')}`);
  const permitted = basicTried ? matching.filter((c) => c.integration.oauthClientAuthMethod === 'CLIENT_SECRET_BASIC') : matching;
  if (permitted.length === 0) {
    return refuse('PROVIDER_CLIENT_AUTH_METHOD', `integration ${matching[0]!.integration.name} authenticates with client_secret_post (OAUTH_CLIENT_AUTH_METHOD ${matching[0]!.integration.oauthClientAuthMethod ?? 'unset'}); the provider takes Basic only from CLIENT_SECRET_BASIC clients`);
  }
  const client = permitted.find((c) => grantAllowed(c.integration, grantType)) ?? permitted[0]!;
  return { ok: true, client, method };
}

type Credentials = { ok: true; ids: string[]; secrets: string[]; method: ProviderClientAuthMethod } | ClientAuthFailure;

function fromForm(form: Readonly<Record<string, string>>): Credentials {
  const id = form.client_id;
  const missing = (cause: string, description: string): ClientAuthFailure => ({ ...fail('invalid_client', cause, description, RULE), basicTried: false });
  if (id === undefined || id === '') return missing('PROVIDER_CLIENT_CREDENTIALS_MISSING', 'no client authentication: no Authorization header and no client_id in the body');
  if (form.client_secret === undefined || form.client_secret === '') return missing('PROVIDER_CLIENT_SECRET_MISSING', `client_id ${quoted(id)} came without client_secret; the provider has no public clients`);
  return { ok: true, ids: [id], secrets: [form.client_secret], method: 'client_secret_post' };
}

function fromHeader(header: string, form: Readonly<Record<string, string>>): Credentials {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const refuse = (cause: string, description: string): ClientAuthFailure => ({ ...fail('invalid_client', cause, description, RULE), basicTried: true });
  if (scheme !== 'basic') return refuse('PROVIDER_CLIENT_AUTH_SCHEME', `Authorization scheme ${quoted(scheme)} is not client authentication; use Basic or client_secret_post`);
  if (form.client_secret !== undefined) {
    return { ...fail('invalid_request', 'PROVIDER_CLIENT_AUTH_MULTIPLE', 'client credentials came both in the Authorization header and as client_secret in the body; use one method', RULE), basicTried: true };
  }
  const encoded = header.slice(space + 1).trim();
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon < 0) return refuse('PROVIDER_CLIENT_BASIC_MALFORMED', 'Authorization: Basic does not carry base64 of <client_id>:<client_secret>');
  const ids = credentialVariants(text.slice(0, colon));
  if (form.client_id !== undefined && !ids.includes(form.client_id)) {
    return refuse('PROVIDER_CLIENT_ID_MISMATCH', `body client_id ${quoted(form.client_id)} differs from the client of the Authorization header`);
  }
  // As sent or form-decoded (RFC 6749 §2.3.1 encodes both; many clients do not): either may match.
  return { ok: true, ids, secrets: credentialVariants(text.slice(colon + 1)), method: 'client_secret_basic' };
}


