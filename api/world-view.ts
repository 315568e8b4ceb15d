/**
 * The plain view of a world that scenario templates read (`{{ world.users.ALICE.pat.CI }}`) and
 * `GET /__mock/world` returns: names and credentials, keyed by upper-case Snowflake names. It sits
 * below both the server and the scenario runner, which share it.
 */
import type { Account, SecurityIntegration, User, World } from '../domain/world/model.ts';


/**
 * One account's secrets and names, keyed by upper-case Snowflake names.
 *
 * @example
 * worldView(world).accounts['MYORG-MYACCOUNT'].users.ALICE.pat.CI
 */
export interface AccountView {
  readonly account: { readonly name: string; readonly locator: string };
  readonly users: Record<string, UserView>;
  readonly integrations: Record<string, IntegrationView>;
  /** Every token keyed by itself (to check it exists), plus `by_user.<USER>`: that user's first token. */
  readonly oauth_tokens: Record<string, string | Record<string, string>>;
}

/**
 * A user's names and secrets.
 *
 * @example
 * { name: 'ALICE', login_name: 'ALICE', pat: { CI: 'secret' }, fingerprint: { 1: 'SHA256:…' } }
 */
export interface UserView {
  readonly name: string;
  readonly login_name: string;
  readonly password?: string;
  /** PAT name → current secret. */
  readonly pat: Record<string, string>;
  /** Key slot (1 = RSA_PUBLIC_KEY, 2 = RSA_PUBLIC_KEY_2) → `SHA256:…` fingerprint. */
  readonly fingerprint: Record<string, string>;
}

/**
 * A security integration's client credentials (only those it has).
 *
 * @example
 * renderTemplates('{{ world.integrations.MY_APP.client_id }}', scope)
 */
export interface IntegrationView {
  readonly client_id?: string;
  readonly client_secret?: string;
  readonly client_secret_2?: string;
  /** External OAuth: the issuer, and the mock IdP's token endpoint (its first client is `client_id`). */
  readonly issuer?: string;
  readonly token_endpoint?: string;
}

/**
 * The first account's view at the top level, and every account under `accounts.<NAME>`
 * (which also carries `name` and `locator` directly).
 *
 * @example
 * view.users.ALICE === view.accounts[view.account.name].users.ALICE // same content
 */
export interface WorldView extends AccountView {
  readonly accounts: Record<string, AccountView & { readonly name: string; readonly locator: string }>;
}

/**
 * Builds the plain view of a runtime world that templates read as `world`. Absent values
 * (no password, no second key) are left out, so using them fails loudly instead of rendering "".
 *
 * @example
 * const scope = { vars: {}, world: worldView(world) }
 * renderTemplates('{{ world.users.ALICE.pat.CI }}', scope)        // ALICE's PAT secret
 * renderTemplates('{{ world.accounts.MYORG-MYACCOUNT.account.locator }}', scope) // 'XY12345'
 */
export function worldView(world: World): WorldView {
  const accounts = Object.fromEntries(world.accounts.map((account) => {
    const view = accountView(account);
    return [account.name, { name: account.name, locator: account.locator, ...view }];
  }));
  const first = world.accounts[0];
  const top = first ? accountView(first) : { account: { name: '', locator: '' }, users: {}, integrations: {}, oauth_tokens: {} };
  return { ...top, accounts };
}

function accountView(account: Account): AccountView {
  return {
    account: { name: account.name, locator: account.locator },
    users: Object.fromEntries([...account.users.values()].map((user) => [user.name, userView(user)])),
    integrations: Object.fromEntries([...account.securityIntegrations.values()].map((i) => [i.name, integrationView(i)])),
    oauth_tokens: oauthTokensView(account),
  };
}

function userView(user: User): UserView {
  const fingerprint: Record<string, string> = {};
  if (user.rsaPublicKey) fingerprint['1'] = user.rsaPublicKey.fingerprint;
  if (user.rsaPublicKey2) fingerprint['2'] = user.rsaPublicKey2.fingerprint;
  return {
    name: user.name,
    login_name: user.loginName,
    ...(user.password !== undefined && { password: user.password }),
    pat: Object.fromEntries(user.programmaticAccessTokens.map((pat) => [pat.name, pat.secret])),
    fingerprint,
  };
}

function integrationView(integration: SecurityIntegration): IntegrationView {
  if (integration.type === 'OAUTH') {
    return {
      client_id: integration.oauthClientId,
      client_secret: integration.oauthClientSecret,
      ...(integration.oauthClientSecret2 !== undefined && { client_secret_2: integration.oauthClientSecret2 }),
    };
  }
  if (integration.type === 'EXTERNAL_OAUTH') {
    const idp = integration.mockIdp;
    const first = idp?.clients[0];
    return {
      issuer: integration.externalOauthIssuer,
      ...(idp && { token_endpoint: idp.tokenEndpoint }),
      ...(first && { client_id: first.clientId, client_secret: first.clientSecret }),
    };
  }
  return {
    ...(integration.oauthClientId !== undefined && { client_id: integration.oauthClientId }),
    ...(integration.oauthClientSecret !== undefined && { client_secret: integration.oauthClientSecret }),
  };
}

function oauthTokensView(account: Account): Record<string, string | Record<string, string>> {
  const byUser: Record<string, string> = {};
  const view: Record<string, string | Record<string, string>> = {};
  for (const { token, user } of account.oauthAccessTokens) {
    view[token] = token;
    // The first token listed wins: the order of the world file is what the author sees.
    byUser[user] ??= token;
  }
  view.by_user = byUser;
  return view;
}
