/**
 * The seed's TypeScript forms of world objects (https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md "APIAuthenticationSecurityIntegration"):
 * the same field names and defaults as the seed's Python class, and `toConfig()` for the world
 * config (YAML) form, so an object made in code and a world file say the same thing.
 *
 * @example
 * const integration = new APIAuthenticationSecurityIntegration({
 *   name: 'some_api_authentication_security_integration',
 *   auth_type: 'OAUTH2',
 *   oauth_token_endpoint: 'https://example.com/oauth/token',
 *   oauth_client_auth_method: 'CLIENT_SECRET_POST',
 *   oauth_client_id: 'your_client_id',
 *   oauth_client_secret: 'your_client_secret',
 *   oauth_grant: 'client_credentials',
 *   oauth_access_token_validity: 3600,
 *   oauth_allowed_scopes: ['read', 'write'],
 *   enabled: true,
 *   comment: 'Integration for external API authentication.',
 * })
 * mock.world.addSecurityIntegration(integration)
 * worldToYaml({ security_integrations: [integration.toConfig()] })
 */
import type { AnyCase, ApiAuthenticationIntegrationConfig } from '../domain/world/config.ts';

/** The constructor fields of {@link APIAuthenticationSecurityIntegration}: the seed's, plus the authorization-code ones of https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth. */
export interface APIAuthenticationSecurityIntegrationFields {
  /** The unique name of the security integration (required). */
  name: string;
  /** Defaults to 'OAUTH2'. */
  auth_type?: AnyCase<'OAUTH2'>;
  oauth_token_endpoint?: string;
  /** https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth: for the authorization-code and JWT-bearer grants. */
  oauth_authorization_endpoint?: string;
  oauth_client_auth_method?: AnyCase<'CLIENT_SECRET_POST' | 'CLIENT_SECRET_BASIC'>;
  oauth_client_id?: string;
  oauth_client_secret?: string;
  oauth_grant?: AnyCase<'client_credentials' | 'authorization_code' | 'jwt_bearer'>;
  /** Seconds; defaults to 0. */
  oauth_access_token_validity?: number;
  /** https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth: seconds, for the authorization-code grant. */
  oauth_refresh_token_validity?: number;
  oauth_allowed_scopes?: string[];
  /** https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth: for the JWT-bearer grant. */
  oauth_assertion_issuer?: string;
  /** Defaults to true. */
  enabled?: boolean;
  comment?: string;
}

/**
 * `CREATE SECURITY INTEGRATION … TYPE = API_AUTHENTICATION` as an object (https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md), with the
 * seed's defaults: `auth_type` 'OAUTH2', `enabled` true, `oauth_access_token_validity` 0.
 *
 * @example
 * new APIAuthenticationSecurityIntegration({ name: 'ext', oauth_grant: 'client_credentials' }).toConfig()
 * // { name: 'ext', type: 'api_authentication', auth_type: 'OAUTH2', oauth_grant: 'client_credentials', oauth_access_token_validity: 0, enabled: true }
 */
export class APIAuthenticationSecurityIntegration {
  readonly name: string;
  readonly auth_type: AnyCase<'OAUTH2'>;
  readonly oauth_token_endpoint: string | undefined;
  readonly oauth_authorization_endpoint: string | undefined;
  readonly oauth_client_auth_method: AnyCase<'CLIENT_SECRET_POST' | 'CLIENT_SECRET_BASIC'> | undefined;
  readonly oauth_client_id: string | undefined;
  readonly oauth_client_secret: string | undefined;
  readonly oauth_grant: AnyCase<'client_credentials' | 'authorization_code' | 'jwt_bearer'> | undefined;
  readonly oauth_access_token_validity: number;
  readonly oauth_refresh_token_validity: number | undefined;
  readonly oauth_allowed_scopes: readonly string[] | undefined;
  readonly oauth_assertion_issuer: string | undefined;
  readonly enabled: boolean;
  readonly comment: string | undefined;

  constructor(fields: APIAuthenticationSecurityIntegrationFields) {
    if (typeof fields?.name !== 'string' || fields.name.trim() === '') throw new TypeError('APIAuthenticationSecurityIntegration: name is required');
    this.name = fields.name;
    this.auth_type = fields.auth_type ?? 'OAUTH2';
    this.oauth_token_endpoint = fields.oauth_token_endpoint;
    this.oauth_authorization_endpoint = fields.oauth_authorization_endpoint;
    this.oauth_client_auth_method = fields.oauth_client_auth_method;
    this.oauth_client_id = fields.oauth_client_id;
    this.oauth_client_secret = fields.oauth_client_secret;
    this.oauth_grant = fields.oauth_grant;
    this.oauth_access_token_validity = fields.oauth_access_token_validity ?? 0;
    this.oauth_refresh_token_validity = fields.oauth_refresh_token_validity;
    this.oauth_allowed_scopes = fields.oauth_allowed_scopes === undefined ? undefined : [...fields.oauth_allowed_scopes];
    this.oauth_assertion_issuer = fields.oauth_assertion_issuer;
    this.enabled = fields.enabled ?? true;
    this.comment = fields.comment;
  }

  /**
   * The world config (YAML) form: an entry of `security_integrations`, `type: api_authentication`,
   * the seed's field names; fields never given are left out, defaults are written.
   *
   * @example
   * worldToYaml({ security_integrations: [integration.toConfig()] })
   */
  toConfig(): ApiAuthenticationIntegrationConfig {
    const config: ApiAuthenticationIntegrationConfig = { name: this.name, type: 'api_authentication', auth_type: this.auth_type };
    const optional = {
      oauth_token_endpoint: this.oauth_token_endpoint, oauth_authorization_endpoint: this.oauth_authorization_endpoint,
      oauth_client_auth_method: this.oauth_client_auth_method, oauth_client_id: this.oauth_client_id, oauth_client_secret: this.oauth_client_secret,
      oauth_grant: this.oauth_grant,
    };
    for (const [key, value] of Object.entries(optional)) if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
    config.oauth_access_token_validity = this.oauth_access_token_validity;
    if (this.oauth_refresh_token_validity !== undefined) config.oauth_refresh_token_validity = this.oauth_refresh_token_validity;
    if (this.oauth_allowed_scopes !== undefined) config.oauth_allowed_scopes = [...this.oauth_allowed_scopes];
    if (this.oauth_assertion_issuer !== undefined) config.oauth_assertion_issuer = this.oauth_assertion_issuer;
    config.enabled = this.enabled;
    if (this.comment !== undefined) config.comment = this.comment;
    return config;
  }

  /**
   * The object back from its world config form (the inverse of {@link toConfig}).
   *
   * @example
   * APIAuthenticationSecurityIntegration.fromConfig(integration.toConfig()).toConfig() // equal to integration.toConfig()
   */
  static fromConfig(config: ApiAuthenticationIntegrationConfig): APIAuthenticationSecurityIntegration {
    const { type: _type, ...rest } = config;
    const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined)) as unknown as APIAuthenticationSecurityIntegrationFields;
    return new APIAuthenticationSecurityIntegration(fields);
  }
}
