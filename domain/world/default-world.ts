/**
 * The embedded default world: what `createSnowflakeMock()` and `snowflake-auth-mock serve` use
 * when no world is given. Pure data (no fs); the public keys are the bodies of the fixture keys in
 * `fixtures/keys/*.pub`, so their private halves (`*.p8`) sign JWTs that this world accepts.
 */
import type { WorldConfig } from './config.ts';

/**
 * Body of `fixtures/keys/alice.pub` (fingerprint `SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=`).
 *
 * @example
 * importPublicKey(ALICE_PUBLIC_KEY).fingerprint
 */
export const ALICE_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1h/LrozEaoOhif61Ogyy2x+FEq2W9W59e3pBY7QfKQ9eFXrCBVLF+oM0E/LEZDp2Rd2MnNBPRj2ghTewnBpXQFUhGqyrrYIygrOeKmvL0C0gjSSca5JDFTOhJFx2DIreANBoGmKi9dGR+vD4vVifzeS11voayh38/dgU5j0Mr9jtOV1Xj3V5jH97Q57nlaFcrkbJZ8psNl13jwUAt7bYgtODzrhbWWUeH/wbWrdDwNdPbHf0pH1+ASDwIgvzRfoigAsY4Ou5VNuwtlcY+hxNCgVnJDOze1uDKtZGLM+iOFnDcyF+9N1unzX042AUw4G124H6QiZ+C/1fq99wKLs9jwIDAQAB';

/**
 * Body of `fixtures/keys/bob.pub`.
 *
 * @example
 * importPublicKey(BOB_PUBLIC_KEY).fingerprint
 */
export const BOB_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlppM+IecDGso/W6lLFkM6ElDY4fNepd9poGcbRPz7v+bgjymu6kr5SLrTCMdNwL2d0v8qlyjZrUlJ3iT75J1fAdM2sOPVuceq+teFZdbaIRQoMeXIOP1IuGxEgy3q5axjxQvw99phJ/p1SqFUKud7RVRXp7cHm48ExDu4oyHlqnOBmk0pSYwWWvcoVsp4GyvComCxqjBbS7awTZWjDXjaucWHO0u3ki7FIqVkoqt44mBceE2A6JGI2D1YM0RS/nCy3ZLPvOIeoclQYUatsE6cO/+uIsDdbCmp8wEK9gwyzPhSDAo3QOpaSQOTzXS2nFeq8CFZ9ZU0iyP3KjNe0+AnwIDAQAB';

/**
 * Body of `fixtures/keys/etl-bot.pub`.
 *
 * @example
 * importPublicKey(ETL_BOT_PUBLIC_KEY).fingerprint
 */
export const ETL_BOT_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtKtDyReiqtQk+uoX99Wk/ubstMXO90l/xU7fEeYZqOpkF6HWEbyk2wQp80SN4NVXksoQaEE79trpywy8y1eQCzbi8LXOD4c1YmqVTbCYtQDP28R2YFQsLa60zdxTij31cNX9zBXYQ6dg7tEHchaL3C0dJyBJPZcUPcTPedl2C7UAc3mNgemspXFbR44ag8/fUn2vCQRESnecad/De1C3po+WWKP7cPIE1yO5fCwow7DI0iU5BjZVN4DwHDR3ALTXaPemOHr2HR/gwwuF4JmGAy4ZJPcOn0wNASxr06VF+zU3ck4Z3NSmEtqJzK+j/XjWiin2EctiEqXbACnUx5EQ+QIDAQAB';

/**
 * Private key file (relative to the package root) of each default-world user, for the CLI to print.
 *
 * @example
 * DEFAULT_FIXTURE_KEYS.ALICE // 'fixtures/keys/alice.p8'
 */
export const DEFAULT_FIXTURE_KEYS: Readonly<Record<string, string>> = {
  ALICE: 'fixtures/keys/alice.p8',
  BOB: 'fixtures/keys/bob.p8',
  ETL_BOT: 'fixtures/keys/etl-bot.p8',
};

/**
 * The default world config; a fresh object on every call, so callers may change it.
 *
 * @example
 * const world = buildWorld(defaultWorldConfig(), { now: clock.now(), ids })
 */
export function defaultWorldConfig(): WorldConfig {
  return {
    accounts: [
      {
        name: 'MYORG-MYACCOUNT',
        locator: 'XY12345',
        network_policy: 'ALLOW_ALL',
        roles: ['PUBLIC', 'ANALYST', 'SYSADMIN', 'ACCOUNTADMIN'],
        parameters: { allow_client_mfa_caching: true },
        warehouses: [{ name: 'COMPUTE_WH' }],
        databases: [{ name: 'ANALYTICS' }],
        network_policies: [
          { name: 'ALLOW_ALL', allowed_ip_list: ['0.0.0.0/0', '::/0'] },
          { name: 'CORP_ONLY', allowed_ip_list: ['10.0.0.0/8'], blocked_ip_list: ['10.0.0.99'] },
        ],
        users: [
          {
            name: 'ALICE',
            login_name: 'alice',
            password: 'alice-password',
            type: 'person',
            default_role: 'ANALYST',
            roles: ['ANALYST', 'SYSADMIN'],
            rsa_public_key: ALICE_PUBLIC_KEY,
            programmatic_access_tokens: [{ name: 'CI', secret: 'pat-alice-ci', role_restriction: 'ANALYST', days_to_expiry: 15 }],
          },
          {
            name: 'BOB',
            login_name: 'bob',
            password: 'bob-password',
            type: 'person',
            default_role: 'ANALYST',
            roles: ['ANALYST'],
            rsa_public_key: BOB_PUBLIC_KEY,
            network_policy: 'CORP_ONLY',
          },
          // Enrolled in MFA: password plus passcode 123456, or the TOTP code of this secret on the mock clock.
          {
            name: 'CAROL',
            login_name: 'carol',
            password: 'carol-password',
            type: 'person',
            default_role: 'ANALYST',
            roles: ['ANALYST'],
            mfa: { passcode: '123456', totp_secret: 'JBSWY3DPEHPK3PXP' },
          },
          {
            name: 'ETL_BOT',
            type: 'service',
            default_role: 'SYSADMIN',
            roles: ['SYSADMIN'],
            rsa_public_key: ETL_BOT_PUBLIC_KEY,
            programmatic_access_tokens: [{ name: 'ETL', secret: 'pat-etl-bot', role_restriction: 'SYSADMIN', days_to_expiry: 30 }],
          },
        ],
        oauth_access_tokens: [{ token: 'oauth-alice-token', user: 'ALICE', role: 'ANALYST', expires_in: 600, integration: 'MY_APP' }],
        security_integrations: [
          {
            name: 'MY_APP',
            type: 'oauth',
            oauth_client: 'custom',
            oauth_client_type: 'confidential',
            oauth_redirect_uri: 'https://app.example.com/callback',
            oauth_client_id: 'my-app-client',
            oauth_client_secret: 'my-app-secret',
          },
          // For headless tests: signs in the authorize request's login_hint user and consents at once.
          {
            name: 'TEST_APP',
            type: 'oauth',
            oauth_client: 'custom',
            oauth_client_type: 'confidential',
            oauth_redirect_uri: 'http://localhost:8080/callback',
            oauth_allow_non_tls_redirect_uri: true,
            oauth_client_id: 'test-app-client',
            oauth_client_secret: 'test-app-secret',
            mock_auto_consent: true,
          },
          // For snowflake-sdk's OAUTH_AUTHORIZATION_CODE / OAUTH_CLIENT_CREDENTIALS: a loopback redirect on any port (RFC 8252 §7.3), ALICE consents at once.
          {
            name: 'DRIVER_APP',
            type: 'oauth',
            oauth_client: 'custom',
            oauth_client_type: 'confidential',
            oauth_redirect_uri: 'http://127.0.0.1/',
            oauth_allow_non_tls_redirect_uri: true,
            oauth_client_id: 'driver-app-client',
            oauth_client_secret: 'driver-app-secret',
            mock_auto_consent: 'ALICE',
          },
          // As in https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md (the APIAuthenticationSecurityIntegration example).
          {
            name: 'some_api_authentication_security_integration',
            type: 'api_authentication',
            auth_type: 'OAUTH2',
            oauth_token_endpoint: 'https://example.com/oauth/token',
            oauth_client_auth_method: 'CLIENT_SECRET_POST',
            oauth_client_id: 'your_client_id',
            oauth_client_secret: 'your_client_secret',
            oauth_grant: 'client_credentials',
            oauth_access_token_validity: 3600,
            oauth_allowed_scopes: ['read', 'write'],
            enabled: true,
            comment: 'Integration for external API authentication.',
          },
        ],
      },
    ],
  };
}
