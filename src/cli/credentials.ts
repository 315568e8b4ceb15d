/**
 * The credentials a world accepts, as `serve` prints them on start: enough to point any client at
 * the mock without reading the world file.
 */
import { isoTime } from '../domain/clock.ts';
import type { Account, SecurityIntegration, User, World } from '../domain/world/model.ts';

/** Where the private key of a fixture user lives (embedded default world only). */
export type KeyFiles = Readonly<Record<string, string>>;

/**
 * Renders the credentials of every account.
 *
 * @example
 * console.log(describeCredentials(core.world, 'http://127.0.0.1:4010', core.clock.now()))
 */
export function describeCredentials(world: World, baseUrl: string, now: number, keyFiles: KeyFiles = {}): string {
  return world.accounts.map((a) => describeAccount(a, baseUrl, now, keyFiles)).join('\n\n');
}

function describeAccount(account: Account, baseUrl: string, now: number, keyFiles: KeyFiles): string {
  const port = new URL(baseUrl).port;
  const lines = [
    `account ${account.name} (locator ${account.locator})`,
    `  base URL        ${baseUrl}   (or http://${account.name.toLowerCase()}.localhost:${port})`,
    `  network policy  ${account.networkPolicy ?? '(none)'}`,
    `  drivers         snowflake-sdk: { accessUrl: '${baseUrl}', account: '${account.name}', … } (login at /session/v1/login-request)`,
    '  users:',
    ...[...account.users.values()].flatMap((u) => describeUser(u, now, keyFiles)),
  ];
  const tokens = account.oauthAccessTokens.map((t) => `    ${t.token}  user ${t.user}, role ${t.role}, ${until(t.expiresAt, now)}`);
  if (tokens.length) lines.push('  OAuth access tokens (Authorization: Bearer …, X-Snowflake-Authorization-Token-Type: OAUTH):', ...tokens);
  const integrations = [...account.securityIntegrations.values()].map(describeIntegration);
  if (integrations.length) lines.push('  security integrations:', ...integrations);
  return lines.join('\n');
}

function describeUser(user: User, now: number, keyFiles: KeyFiles): string[] {
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
    lines.push(`      PAT ${pat.name.padEnd(12)}${pat.secret}  (${pat.roleRestriction ? `role ${pat.roleRestriction}, ` : ''}${pat.disabled ? 'disabled, ' : ''}${until(pat.expiresAt, now)})`);
  }
  return lines;
}

function describeIntegration(i: SecurityIntegration): string {
  if (i.type === 'OAUTH') {
    const auto = i.mockAutoConsent ? `, auto-consent (${i.mockAutoConsent === 'login_hint' ? 'user from login_hint' : i.mockAutoConsent})` : '';
    return `    ${i.name} (oauth ${i.oauthClient.toLowerCase()}): client_id ${i.oauthClientId}, client_secret ${i.oauthClientSecret}, redirect ${i.oauthRedirectUri ?? '-'}${auto}`;
  }
  return `    ${i.name} (api_authentication ${i.oauthGrant?.toLowerCase() ?? ''}): token endpoint ${i.oauthTokenEndpoint ?? '-'}`;
}

function until(expiresAt: number, now: number): string {
  const left = expiresAt - now;
  if (left <= 0) return `expired ${isoTime(expiresAt)}`;
  const days = Math.floor(left / 86_400_000);
  return `expires ${isoTime(expiresAt)}${days >= 1 ? `, in ${days} d` : `, in ${Math.round(left / 60_000)} min`}`;
}
