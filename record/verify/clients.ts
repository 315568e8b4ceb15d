/**
 * Which of the world's OAuth clients a recorded OAuth request stands for. A recording names its
 * client by `client_id` (or a Basic header), but redaction may hide it (a short client id that
 * equals a secret elsewhere is replaced too) and a mapping may not pin it; then the redirect URI
 * decides, then the flow's client, then the world's first.
 */
import type { Account, OAuthIntegration } from '../../domain/world/model.ts';
import type { Exchange } from '../format.ts';
import { originFile } from './origin-match.ts';
import { splitUrl } from './prepared.ts';
import { isPlaceholder } from './answers.ts';
import { oauthClients, redirectUris } from './world-facts.ts';

/**
 * The client with this id, unless the id is hidden.
 *
 * @example
 * clientById(account, '123')?.name // 'FIXTURE_APP'
 */
export function clientById(account: Account | undefined, id: string | null | undefined): OAuthIntegration | undefined {
  if (!id || isPlaceholder(id)) return undefined;
  return oauthClients(account).find((c) => c.oauthClientId === id);
}

/**
 * The first client that registers this redirect URI.
 *
 * @example
 * clientByRedirect(account, 'http://localhost:1234/snowflake/oauth-redirect')?.name // 'GO_APP'
 */
export function clientByRedirect(account: Account | undefined, uri: string | null | undefined): OAuthIntegration | undefined {
  if (!uri) return undefined;
  return oauthClients(account).find((c) => redirectUris(c).includes(uri));
}

/**
 * The redirect URI to send for a client: the wanted one when registered, else the first registered.
 *
 * @example
 * registeredRedirect(client, 'http://localhost:8002/snowflake/oauth-redirect') // kept when registered
 */
export function registeredRedirect(client: OAuthIntegration, ...wanted: (string | null | undefined)[]): string | undefined {
  const uris = redirectUris(client);
  return wanted.find((w): w is string => typeof w === 'string' && uris.includes(w)) ?? uris[0];
}

/**
 * A client's id and secret from a Basic header (RFC 6749 §2.3.1), when the header holds them.
 *
 * @example
 * basicCredentials('Basic MTIzOmNsaWVudFNlY3JldA==') // { id: '123', secret: 'clientSecret' }
 */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? undefined : { id: decodeURIComponent(text.slice(0, i)), secret: decodeURIComponent(text.slice(i + 1)) };
}

/**
 * A Basic header for a client id and secret.
 *
 * @example
 * basicHeader('123', 'clientSecret') // 'Basic MTIzOmNsaWVudFNlY3JldA=='
 */
export function basicHeader(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/**
 * A client for a request whose client the recording hides: the first that can do it without a
 * person — for client credentials one whose auto-consent names a user (the grant acts as that
 * user), for codes one with auto-consent — else the first client.
 *
 * @example
 * hiddenClient(account, 'client_credentials')?.name // 'DRIVER_APP' in the default world
 */
export function hiddenClient(account: Account | undefined, grant: string | undefined): OAuthIntegration | undefined {
  const clients = oauthClients(account);
  const fits = grant === 'client_credentials'
    ? (c: OAuthIntegration): boolean => c.mockAutoConsent !== undefined && c.mockAutoConsent !== 'login_hint'
    : (c: OAuthIntegration): boolean => c.mockAutoConsent !== undefined;
  return clients.find(fits) ?? clients[0];
}

/**
 * The client a redacted Basic header stands for, where the recording says: a placeholder is one
 * value throughout a recording, so a flow that sends the same header after an authorize request
 * naming its client_id names it for every flow.
 *
 * @example
 * clientNamedBy(recording, 'Basic __redacted_authorization_1__') // 'testClientId'
 */
export function clientNamedBy(recording: readonly Exchange[], header: string): string | undefined {
  let flow: string | undefined;
  let clientId: string | undefined;
  for (const e of recording) {
    const name = e.origin === undefined ? '' : originFile(e.origin);
    if (name !== flow) [flow, clientId] = [name, undefined];
    const [path, query] = splitUrl(e.request.url);
    const id = path === '/oauth/authorize' ? new URLSearchParams(query).get('client_id') : null;
    if (id && !isPlaceholder(id)) clientId = id;
    else if (clientId !== undefined && e.request.headers.authorization === header) return clientId;
  }
  return undefined;
}
