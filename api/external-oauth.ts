/**
 * `mock.externalOAuth`: the mock's External OAuth IdPs (decisions/0009) from a test's side — issue
 * the access token an integration's `mock_idp` would, read its JWKS. Tokens are signed with the
 * IdP's key and timed on the mock clock; issuing one changes nothing in the world.
 */
import { findMockIdp, issueExternalOAuthToken, jwksAt, type IssueExternalTokenOptions } from '../domain/auth/external-oauth-idp.ts';
import type { RsaJwk } from '../domain/auth/external-oauth-sign.ts';
import type { MockCore } from '../http/core.ts';

/** Options of {@link ExternalOAuthApi.issueToken}. */
export interface IssueTokenOptions extends IssueExternalTokenOptions {
  /** The account of the integration when its name is not unique in the world. */
  readonly account?: string;
}

/** The mock IdPs of the world's `type: external_oauth` integrations. */
export interface ExternalOAuthApi {
  /**
   * An access token as the integration's mock IdP issues it, once jose has signed it. Rejects when
   * the integration has no `mock_idp` (sign with `signExternalOAuthToken` then).
   *
   * @example
   * const token = await mock.externalOAuth.issueToken('OKTA_IDP', { subject: 'alice', scopes: ['session:role:ANALYST'] })
   * await mock.externalOAuth.issueToken('OKTA_IDP', { subject: 'alice', expiresIn: '-1m' })      // already expired
   * await mock.externalOAuth.issueToken('OKTA_IDP', { subject: 'alice', claims: { aud: 'x' } })  // any claim overridden
   */
  issueToken(integration: string, options: IssueTokenOptions): Promise<string>;
  /**
   * The JWKS the integration's mock IdP serves (`{"keys":[…]}`, exported by jose).
   *
   * @example
   * (await mock.externalOAuth.jwks('OKTA_IDP')).keys[0].kid
   */
  jwks(integration: string, account?: string): Promise<{ keys: RsaJwk[] }>;
}

/**
 * Creates the API over a core.
 *
 * @example
 * const externalOAuth = createExternalOAuthApi(core)
 */
export function createExternalOAuthApi(core: MockCore): ExternalOAuthApi {
  return {
    issueToken: async (integration, options) => issueExternalOAuthToken(findMockIdp(core.world, integration, options.account), options, core.clock.now()),
    async jwks(integration, account) {
      const idp = findMockIdp(core.world, integration, account).integration.mockIdp;
      return jwksAt(core.world, idp.jwksUrls[0]!)!;
    },
  };
}
