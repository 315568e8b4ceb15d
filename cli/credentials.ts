/**
 * The credentials a world accepts, as `serve` prints them on start: enough to point any client at
 * the mock without reading the world file.
 */
import { patNetworkState } from '../domain/auth/pat.ts';
import { isoTime } from '../domain/clock.ts';
import type { Account, ProgrammaticAccessToken, SecurityIntegration, User, World } from '../domain/world/model.ts';

/** Where the private key of a fixture user lives (embedded default world only). */
export type KeyFiles = Readonly<Record<string, string>>;

/**
 * Renders the credentials of every account.
 *
 * @example
 * console.log(describeCredentials(core.world, 'http://127.0.0.1:4010', core.clock.now()))
 */
export function describeCredentials(world: World, baseUrl: string, now: number, keyFiles: KeyFiles = {}): string {
  return world.accounts.map((a) => describeAccount(a, world, baseUrl, now, keyFiles)).join('\n\n');
}

function describeAccount(account: Account, world: World, baseUrl: string, now: number, keyFiles: KeyFiles): string {
  const { port, protocol } = new URL(baseUrl);
  const lines = [
    `account ${account.name} (locator ${account.locator}${account.locatorDerived ? ', derived from the name; set locator: to choose one' : ''})`,
    `  base URL        ${baseUrl}   (or ${protocol}//${account.name.toLowerCase()}.localhost:${port})`,
    `  network policy  ${account.networkPolicy ?? '(none)'}`,
    `  drivers         snowflake-sdk: { accessUrl: '${baseUrl}', account: '${account.name}', … } (login at /session/v1/login-request)`,
    '  users:',
    ...[...account.users.values()].flatMap((u) => describeUser(u, now, keyFiles, (pat) => patNetworkNote(account, world, u, pat, now))),
  ];
  const tokens = account.oauthAccessTokens.map((t) => `    ${t.token}  user ${t.user}, role ${t.role}, ${until(t.expiresAt, now)}`);
  if (tokens.length) lines.push('  OAuth access tokens (Authorization: Bearer …, X-Snowflake-Authorization-Token-Type: OAUTH):', ...tokens);
  const integrations = [...account.securityIntegrations.values()].map(describeIntegration);
  if (integrations.length) lines.push('  security integrations:', ...integrations);
  return lines.join('\n');
}

function describeUser(user: User, now: number, keyFiles: KeyFiles, networkNote: (pat: ProgrammaticAccessToken) => string): string[] {
  const head = `    ${user.name} (${user.type.toLowerCase()}, login ${user.loginName}, role ${user.defaultRole ?? 'PUBLIC'}${user.disabled ? ', DISABLED' : ''}${user.networkPolicy ? `, policy ${user.networkPolicy}` : ''})`;
  const lines = [head];
  if (user.password) lines.push(`      password        ${user.password}`);
  if (user.mfa) {
    const how = [user.mfa.passcode && `passcode ${user.mfa.passcode}`, user.mfa.totpSecret && `TOTP secret ${user.mfa.totpSecret}`].filter(Boolean).join(' or ');
    lines.push(`      MFA             ${how} (authenticator USERNAME_PASSWORD_MFA)`);
  }
  for (const slot of [user.rsaPublicKey, user.rsaPublicKey2]) {
    if (slot) lines.push(`      ${slot.slot.padEnd(16)}${slot.fingerprint}${keyFiles[user.name] && slot.slot === 'RSA_PUBLIC_KEY' ? `  private key: ${keyFiles[user.name]}` : ''}`);
  }
  for (const pat of user.programmaticAccessTokens) {
    lines.push(`      PAT ${pat.name.padEnd(12)}${pat.secret}  (${pat.roleRestriction ? `role ${pat.roleRestriction}, ` : ''}${pat.disabled ? 'disabled, ' : ''}${until(pat.expiresAt, now)})${networkNote(pat)}`);
  }
  return lines;
}

/**
 * What the PAT lacks to work, on its banner line: a user with no network policy cannot use a PAT
 * under the default PAT policy (domain/auth/pat.ts), and otherwise nothing would say so before the
 * journal's 394400. The same check as a request's, at the clock's current time.
 */
function patNetworkNote(account: Account, world: World, user: User, pat: ProgrammaticAccessToken, now: number): string {
  const state = patNetworkState(account, user, pat, world.switches.networkPolicyPrecedence, now);
  const fix = `add network_policy: on account ${account.name} or on user ${user.name}`;
  if (!state.met) return `  needs a network policy: ${fix}`;
  return state.bypassedUntil === undefined ? '' : `  needs a network policy from ${isoTime(state.bypassedUntil)} (bypass window): ${fix}`;
}

function describeIntegration(i: SecurityIntegration): string {
  if (i.type === 'OAUTH') {
    const auto = i.mockAutoConsent ? `, auto-consent (${i.mockAutoConsent === 'login_hint' ? 'user from login_hint' : i.mockAutoConsent})` : '';
    return `    ${i.name} (oauth ${i.oauthClient.toLowerCase()}): client_id ${i.oauthClientId}, client_secret ${i.oauthClientSecret}, redirect ${i.oauthRedirectUri ?? '-'}${auto}`;
  }
  if (i.type === 'EXTERNAL_OAUTH') {
    const keys = i.externalOauthJwsKeysUrl.length > 0 ? `keys ${i.externalOauthJwsKeysUrl.join(', ')}` : 'RSA key(s)';
    const idp = i.mockIdp ? `; mock IdP token endpoint ${i.mockIdp.tokenEndpoint}${i.mockIdp.clients.map((c) => `, client ${c.clientId} / ${c.clientSecret} (as ${c.subject})`).join('')}` : '';
    return `    ${i.name} (external_oauth ${i.externalOauthType.toLowerCase()}${i.enabled ? '' : ', DISABLED'}): issuer ${i.externalOauthIssuer}, ${keys}${idp}`;
  }
  return `    ${i.name} (api_authentication ${i.oauthGrant?.toLowerCase() ?? ''}): token endpoint ${i.oauthTokenEndpoint ?? '-'} (played by the mock: see "external OAuth provider")`;
}

/**
 * The external OAuth provider the mock plays for each API_AUTHENTICATION integration (issue #6):
 * its client credentials and where `serve` answers its endpoints — at the endpoint URL with the
 * provider's Host header, or under `/__provider/<host>/<path>` for a browser that reaches only the
 * server. Empty when the world has none.
 *
 * @example
 * console.log(describeProviders(core.world, 'http://127.0.0.1:4010'))
 */
export function describeProviders(world: World, baseUrl: string): string {
  const lines: string[] = [];
  for (const account of world.accounts) {
    for (const i of account.securityIntegrations.values()) {
      if (i.type !== 'API_AUTHENTICATION') continue;
      const grant = i.oauthGrant?.toLowerCase() ?? 'any grant';
      lines.push(`  ${i.name} (account ${account.name}, ${grant}, ${(i.oauthClientAuthMethod ?? 'CLIENT_SECRET_POST').toLowerCase()}${i.enabled ? '' : ', disabled in Snowflake'})`);
      lines.push(`    client_id ${i.oauthClientId ?? '-'}, client_secret ${i.oauthClientSecret ?? '-'}, allowed scopes ${i.oauthAllowedScopes.join(' ') || '(any)'}${i.oauthAssertionIssuer ? `, assertion issuer ${i.oauthAssertionIssuer}` : ''}`);
      for (const [what, url] of [['token', i.oauthTokenEndpoint], ['authorize', i.oauthAuthorizationEndpoint]] as const) {
        const served = url === undefined ? undefined : providerUrl(baseUrl, url);
        if (served) lines.push(`    ${what.padEnd(10)} ${url} → ${served.prefixed}   (or ${served.direct} with Host: ${served.host})`);
      }
    }
  }
  if (lines.length === 0) return '';
  return ['external OAuth provider (the mock plays it; Bearer access tokens work on any other path of its hosts):', ...lines].join('\n');
}

function providerUrl(baseUrl: string, url: string): { prefixed: string; direct: string; host: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const base = baseUrl.replace(/\/$/, '');
  return { prefixed: `${base}/__provider/${u.hostname}${u.pathname}`, direct: `${base}${u.pathname}`, host: u.hostname };
}

function until(expiresAt: number, now: number): string {
  const left = expiresAt - now;
  if (left <= 0) return `expired ${isoTime(expiresAt)}`;
  const days = Math.floor(left / 86_400_000);
  return `expires ${isoTime(expiresAt)}${days >= 1 ? `, in ${days} d` : `, in ${Math.round(left / 60_000)} min`}`;
}
