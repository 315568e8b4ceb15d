/**
 * `mock.world`: the world model plus the operations tests use to change it mid-test, each the
 * equivalent of a Snowflake command (ALTER USER … DISABLED, ROTATE PAT, SET NETWORK_POLICY …).
 * Every operation refreshes the token indexes and drops cached JWT verifications.
 */
import type { OAuthAccessToken, Account, PublicKeySlot, Switches, User, World, ProgrammaticAccessToken } from '../domain/world/model.ts';
import * as m from '../domain/world/mutations.ts';
import type { MockCore } from '../http/core.ts';
import { dropPendingConsents } from '../http/endpoints/oauth-authorize.ts';
import { outboundWorldApi, type OutboundWorldApi } from './world-outbound.ts';
import { findMockIdp, issueExternalOAuthToken, type IssueExternalTokenOptions } from '../domain/auth/external-oauth-idp.ts';

/** World operations scoped to one account (the world's first, unless `forAccount` says otherwise). */
export interface WorldApi extends OutboundWorldApi {
  /** The live model (read it; change it through the operations below). */
  readonly model: World;
  /** The scoped account. */
  account(): Account;
  /** A user of the scoped account, by NAME (case-insensitive). */
  user(name: string): User;
  /** The same operations on another account (org-account name or locator). */
  forAccount(name: string): WorldApi;
  /** `ALTER USER … SET DISABLED = TRUE|FALSE`; disabling also disables the user's PATs (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). */
  disableUser(user: string, disabled?: boolean): User;
  /** `ALTER USER … MODIFY PAT <name> SET DISABLED = TRUE|FALSE`. */
  disablePat(user: string, name: string, disabled?: boolean): ProgrammaticAccessToken;
  /** `ALTER USER … REMOVE PAT <name>`. */
  removePat(user: string, name: string): ProgrammaticAccessToken;
  /** `ALTER USER … ROTATE PAT <name> [EXPIRE_ROTATED_TOKEN_AFTER_HOURS = n]`. */
  rotatePat(user: string, name: string, options?: { expireRotatedTokenAfterHours?: number }): m.RotatedPat;
  /** `ALTER USER … ADD PAT <name> …`; returns the secret. */
  addPat(user: string, spec: m.AddPatSpec): { tokenName: string; tokenSecret: string };
  /** `ALTER USER … SET RSA_PUBLIC_KEY[_2] = '…'` (or UNSET with null). */
  setRsaPublicKey(user: string, slot: 1 | 2, keyText: string | null): PublicKeySlot | undefined;
  /** Activates (or, with null, removes) a network policy on the account, a user or an integration. */
  setNetworkPolicy(level: m.PolicyLevel, policy: string | null): void;
  /** `ALTER SECURITY INTEGRATION … SET ENABLED = …`. */
  setIntegrationEnabled(integration: string, enabled: boolean): void;
  grantRole(user: string, role: string): User;
  revokeRole(user: string, role: string): User;
  /** Adds an OAuth access token as if an integration had issued it. */
  issueOAuthToken(spec: m.AddOAuthTokenSpec): OAuthAccessToken;
  /** An access token as the mock IdP of an External OAuth integration issues it (changes nothing; https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external). */
  issueExternalOAuthToken(integration: string, options: IssueExternalTokenOptions): Promise<string>;
  /** Changes behaviour switches at run time. */
  setSwitches(switches: Partial<Switches>): Switches;
  /**
   * `ALTER USER … REMOVE DELEGATED AUTHORIZATION … FROM SECURITY INTEGRATION …` (https://docs.snowflake.com/en/user-guide/oauth-custom): the
   * user's refresh tokens for the integration stop working. Returns how many were revoked.
   */
  revokeConsent(user: string, integration: string): number;
}

/**
 * Creates the world API over a core.
 *
 * @example
 * mock.world.disablePat('ALICE', 'CI')
 * mock.world.forAccount('ZZ99999').disableUser('BOB')
 */
export function createWorldApi(core: MockCore, accountName?: string): WorldApi {
  const name = (): string => accountName ?? core.world.accounts[0]!.name;
  const ctx = (): m.MutationContext => ({ now: core.clock.now(), ids: core.ids });
  // Apply a mutation, then bring the indexes and caches in line with the changed world.
  const change = <T>(mutate: () => T): T => {
    const result = mutate();
    core.worldChanged();
    return result;
  };
  return {
    // Outbound OAuth and Native Apps (issue #6): setup scripts, app code's tokens, integrations by object.
    ...outboundWorldApi(core, name, () => m.findAccount(core.world, name())),
    get model() {
      return core.world;
    },
    account: () => m.findAccount(core.world, name()),
    user: (user) => m.findUser(core.world, name(), user),
    forAccount: (other) => createWorldApi(core, m.findAccount(core.world, other).name),
    disableUser: (user, disabled = true) => change(() => m.disableUser(core.world, name(), user, disabled)),
    disablePat: (user, pat, disabled = true) => change(() => m.setPatDisabled(core.world, name(), user, pat, disabled)),
    removePat: (user, pat) => change(() => m.removePat(core.world, name(), user, pat)),
    rotatePat: (user, pat, options = {}) => change(() => m.rotatePat(core.world, name(), user, pat, { ...ctx(), ...options })),
    addPat: (user, spec) => change(() => m.addPat(core.world, name(), user, spec, ctx())),
    setRsaPublicKey: (user, slot, keyText) => change(() => m.setRsaPublicKey(core.world, name(), user, slot, keyText)),
    setNetworkPolicy: (level, policy) => change(() => m.setNetworkPolicy(core.world, name(), level, policy)),
    setIntegrationEnabled: (integration, enabled) => change(() => m.setIntegrationEnabled(core.world, name(), integration, enabled)),
    grantRole: (user, role) => change(() => m.grantRole(core.world, name(), user, role)),
    revokeRole: (user, role) => change(() => m.revokeRole(core.world, name(), user, role)),
    issueOAuthToken: (spec) => change(() => m.addOAuthAccessToken(core.world, name(), spec, ctx())),
    issueExternalOAuthToken: async (integration, options) => issueExternalOAuthToken(findMockIdp(core.world, integration, name()), options, core.clock.now()),
    setSwitches: (switches) => change(() => Object.assign(core.world.switches, switches)),
    revokeConsent(user, integration) {
      const u = m.findUser(core.world, name(), user).name;
      const i = integration.toUpperCase();
      if (!m.findAccount(core.world, name()).securityIntegrations.has(i)) throw new Error(`no security integration ${i} in ${name()}`);
      dropPendingConsents(core, name(), u, i);
      return core.oauth.revokeConsent(name(), u, i);
    },
  };
}
