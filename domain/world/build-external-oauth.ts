/**
 * Builds a `type: external_oauth` integration (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external) and the mock IdP it may carry. The
 * IdP's RS256 key pair is made once per integration and process (RSA key generation costs tens of
 * milliseconds, and a reset rebuilds the world), unless the config gives its `private_key`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { parseDuration } from '../clock.ts';
import type { ExternalOAuthIntegrationConfig, MockIdpConfig } from './config.ts';
import type { ExternalOAuthIntegration, MockIdp, PublicKeySlot } from './model.ts';

/** Default lifetime of the mock IdP's access tokens, seconds (Okta's default is 1 h). */
export const MOCK_IDP_ACCESS_TOKEN_VALIDITY = 3600;

type KeySlotOf = (text: string, slot: PublicKeySlot['slot']) => PublicKeySlot;

const list = (v: string | string[] | null | undefined): string[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

/**
 * Builds the runtime integration from a validated config.
 *
 * @example
 * buildExternalOAuthIntegration(config, 'MYORG-MYACCOUNT', keySlot).mockIdp?.tokenEndpoint
 */
export function buildExternalOAuthIntegration(i: ExternalOAuthIntegrationConfig, account: string, keySlot: KeySlotOf): ExternalOAuthIntegration {
  const name = i.name.toUpperCase();
  const rsa = i.external_oauth_rsa_public_key == null ? undefined : keySlot(i.external_oauth_rsa_public_key, 'RSA_PUBLIC_KEY');
  const rsa2 = i.external_oauth_rsa_public_key_2 == null ? undefined : keySlot(i.external_oauth_rsa_public_key_2, 'RSA_PUBLIC_KEY_2');
  const configured = list(i.external_oauth_jws_keys_url);
  const idpConfig: MockIdpConfig | undefined = i.mock_idp === true ? {} : i.mock_idp ? i.mock_idp : undefined;
  const mockIdp = idpConfig && buildMockIdp(idpConfig, i.external_oauth_issuer, configured, `${account}\n${name}\n${i.external_oauth_issuer}`);
  // With a mock IdP and no key source configured, the IdP's own JWKS URL is the integration's.
  const keysUrls = configured.length === 0 && !rsa && !rsa2 && mockIdp ? [...mockIdp.jwksUrls] : configured;
  const type = i.external_oauth_type.toUpperCase() as ExternalOAuthIntegration['externalOauthType'];
  return {
    type: 'EXTERNAL_OAUTH',
    name,
    enabled: i.enabled ?? true,
    externalOauthType: type,
    externalOauthIssuer: i.external_oauth_issuer,
    externalOauthJwsKeysUrl: keysUrls,
    ...(rsa && { externalOauthRsaPublicKey: rsa }),
    ...(rsa2 && { externalOauthRsaPublicKey2: rsa2 }),
    externalOauthAudienceList: list(i.external_oauth_audience_list),
    externalOauthTokenUserMappingClaim: list(i.external_oauth_token_user_mapping_claim),
    externalOauthSnowflakeUserMappingAttribute: i.external_oauth_snowflake_user_mapping_attribute.toUpperCase() as ExternalOAuthIntegration['externalOauthSnowflakeUserMappingAttribute'],
    externalOauthScopeMappingAttribute: (i.external_oauth_scope_mapping_attribute?.toLowerCase() ?? 'scp') as 'scp' | 'scope',
    externalOauthScopeDelimiter: i.external_oauth_scope_delimiter ?? ' ',
    externalOauthAllowedRolesList: (i.external_oauth_allowed_roles_list ?? []).map((r) => r.toUpperCase()),
    externalOauthBlockedRolesList: (i.external_oauth_blocked_roles_list ?? []).map((r) => r.toUpperCase()),
    externalOauthAnyRoleMode: (i.external_oauth_any_role_mode?.toUpperCase() ?? 'DISABLE') as ExternalOAuthIntegration['externalOauthAnyRoleMode'],
    ...(i.comment != null && { comment: i.comment }),
    ...(mockIdp && { mockIdp }),
  };
}

function buildMockIdp(c: MockIdpConfig, issuer: string, keysUrls: readonly string[], cacheKey: string): MockIdp {
  // Okta's layout: the issuer https://idp/oauth2/default has its token endpoint at …/v1/token, its keys at …/v1/keys.
  const tokenEndpoint = c.token_endpoint ?? `${issuer.replace(/\/+$/, '')}/v1/token`;
  const host = new URL(tokenEndpoint).hostname;
  const onIdpHost = keysUrls.filter((u) => new URL(u).hostname === host);
  const validity = c.access_token_validity === undefined ? MOCK_IDP_ACCESS_TOKEN_VALIDITY : parseDuration(c.access_token_validity)! / 1000;
  return {
    tokenEndpoint,
    jwksUrls: onIdpHost.length > 0 ? onIdpHost : [new URL('keys', tokenEndpoint).href],
    clients: (c.clients ?? []).map((client) => ({
      clientId: client.client_id,
      clientSecret: client.client_secret,
      subject: client.subject ?? client.client_id,
      scopes: client.scopes ?? [],
    })),
    accessTokenValidity: validity,
    signingKey: c.private_key === undefined ? generatedKey(cacheKey) : importedKey(c.private_key),
  };
}

type SigningKey = MockIdp['signingKey'];
const generated = new Map<string, SigningKey>();
const imported = new Map<string, SigningKey>();

/** One key pair per integration (account, name, issuer) and process: a reset keeps the IdP's key, as a real IdP would. */
function generatedKey(cacheKey: string): SigningKey {
  let key = generated.get(cacheKey);
  if (!key) {
    key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    if (generated.size >= 256) generated.clear();
    generated.set(cacheKey, key);
  }
  return key;
}

function importedKey(pem: string): SigningKey {
  let key = imported.get(pem);
  if (!key) {
    const privateKey = createPrivateKey(pem);
    key = { privateKey, publicKey: createPublicKey(privateKey) };
    if (imported.size >= 256) imported.clear();
    imported.set(pem, key);
  }
  return key;
}
