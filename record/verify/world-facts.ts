/**
 * What verify looks up in the model's world to stand in for redacted credentials: users and their
 * passwords, PATs and keys, OAuth clients, pre-issued access tokens, MFA enrolment. Read from the
 * built world (`mock.core.world`), so generated secrets are the ones the model accepts.
 */
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../api/package-files.ts';
import { fingerprintOfPrivateKey } from '../../domain/auth/keypair-jwt-sign.ts';
import type { Account, OAuthAccessToken, OAuthIntegration, User, World } from '../../domain/world/model.ts';
import { resolveAccount } from '../../http/account-host.ts';

/**
 * The host of an account as Snowflake names it (`<org>-<account>.snowflakecomputing.com`).
 *
 * @example
 * accountHost({ name: 'MYORG-MYACCOUNT' }) // 'myorg-myaccount.snowflakecomputing.com'
 */
export function accountHost(account: Pick<Account, 'name'>): string {
  return `${account.name.toLowerCase()}.snowflakecomputing.com`;
}

/**
 * The account a host names, or undefined (an account the world does not have).
 *
 * @example
 * accountOf(world, 'myorg-myaccount.snowflakecomputing.com')?.name // 'MYORG-MYACCOUNT'
 */
export function accountOf(world: World, host: string): Account | undefined {
  return resolveAccount(world, host);
}

/**
 * The user a LOGIN_NAME names (login names compare without case).
 *
 * @example
 * userByLogin(account, 'testUser')?.name // 'TEST_USER'
 */
export function userByLogin(account: Account | undefined, login: unknown): User | undefined {
  if (typeof login !== 'string' || !account) return undefined;
  const wanted = login.toUpperCase();
  return [...account.users.values()].find((u) => u.loginName.toUpperCase() === wanted || u.name === wanted);
}

/**
 * The first user with a password: who logs in where a recording does not say.
 *
 * @example
 * firstPasswordUser(account)?.loginName // 'TESTUSER'
 */
export function firstPasswordUser(account: Account | undefined): User | undefined {
  return account ? [...account.users.values()].find((u) => u.password !== undefined && !u.disabled) : undefined;
}

/**
 * The first user with a PAT, for a PAT login that names no user.
 *
 * @example
 * firstPatUser(account)?.programmaticAccessTokens[0]?.name // 'SOME_PAT'
 */
export function firstPatUser(account: Account | undefined): User | undefined {
  return account ? [...account.users.values()].find((u) => u.programmaticAccessTokens.some((p) => !p.disabled)) : undefined;
}

/**
 * The OAuth clients (`type: oauth` integrations) of an account, in world order.
 *
 * @example
 * oauthClients(account).map((c) => c.oauthClientId) // ['123', 'testClientId', 'browser-timeout-client']
 */
export function oauthClients(account: Account | undefined): OAuthIntegration[] {
  return account ? [...account.securityIntegrations.values()].filter((i): i is OAuthIntegration => i.type === 'OAUTH' && i.enabled) : [];
}

/**
 * The redirect URIs a client registers.
 *
 * @example
 * redirectUris(client) // ['http://localhost:8009/snowflake/oauth-redirect', …]
 */
export function redirectUris(client: OAuthIntegration): string[] {
  return [...(client.oauthRedirectUri ? [client.oauthRedirectUri] : []), ...client.oauthAlternateRedirectUris];
}

/**
 * A pre-issued access token of the world: valid or expired at `now`, the user's first when a user
 * is named.
 *
 * @example
 * worldAccessToken(account, 'MOCK_USERNAME', 'expired', clock.now())?.token // 'expired_token'
 */
export function worldAccessToken(account: Account | undefined, user: string | undefined, which: 'valid' | 'expired', now: number): OAuthAccessToken | undefined {
  const fits = (t: OAuthAccessToken): boolean => (which === 'valid' ? t.expiresAt > now : t.expiresAt <= now);
  const tokens = account?.oauthAccessTokens.filter(fits) ?? [];
  return tokens.find((t) => user !== undefined && t.user === user) ?? tokens[0];
}

let fixtureKeys: Map<string, string> | undefined;

/**
 * The fixture private keys the package ships (fixtures/keys/*.p8) by fingerprint: whose JWTs
 * verify can sign. RSA keys of 2048 bits or more only, as the drivers sign RS256.
 *
 * @example
 * fixtureKeyPems().get('SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=') // alice.p8's PEM
 */
export function fixtureKeyPems(): ReadonlyMap<string, string> {
  if (fixtureKeys) return fixtureKeys;
  const dir = packagePath('fixtures/keys');
  fixtureKeys = new Map();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.p8')).sort()) {
    const pem = readFileSync(join(dir, name), 'utf8');
    try {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) fixtureKeys.set(fingerprintOfPrivateKey(key), pem);
    } catch {
      // A key the platform cannot load is simply not offered.
    }
  }
  return fixtureKeys;
}

/**
 * The fixture key registered for a user (either slot), and one registered for nobody in the
 * account (to sign a JWT the model refuses).
 *
 * @example
 * userKeys(account, user).registered // alice.p8 for testUser
 */
export function userKeys(account: Account, user: User | undefined): { registered?: string; unregistered?: string } {
  const keys = fixtureKeyPems();
  const fps = (u: User): string[] => [u.rsaPublicKey?.fingerprint, u.rsaPublicKey2?.fingerprint].filter((f): f is string => f !== undefined);
  const registered = user ? fps(user).map((fp) => keys.get(fp)).find((k) => k !== undefined) : undefined;
  const anyone = new Set([...account.users.values()].flatMap(fps));
  const unregistered = [...keys].find(([fp]) => !anyone.has(fp))?.[1];
  return { ...(registered && { registered }), ...(unregistered && { unregistered }) };
}

/**
 * The first user whose registered key verify holds (a JWT login that names no user).
 *
 * @example
 * keyUser(account)?.name // 'TEST_USER'
 */
export function keyUser(account: Account | undefined): User | undefined {
  return account ? [...account.users.values()].find((u) => userKeys(account, u).registered !== undefined) : undefined;
}
