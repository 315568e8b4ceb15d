/**
 * The example world (issue #2) with real fixture keys, as a TS object, for HTTP tests.
 */
import type { WorldConfig } from '../../domain/world/config.ts';
import { publicKeyPem } from './keys.ts';

export const ACCOUNT_HOST = 'https://myorg-myaccount.snowflakecomputing.com';
export const LOCATOR_HOST = 'https://xy12345.us-east-2.aws.snowflakecomputing.com';

/**
 * A fresh copy of the example world; `patch` edits it before use.
 *
 * @example
 * createSnowflakeMock({ world: exampleWorld((w) => { w.switches = { bcr_2026_07: true } }) })
 */
export function exampleWorld(patch?: (world: WorldConfig & { accounts: NonNullable<WorldConfig['accounts']> }) => void): WorldConfig {
  const world = {
    clock: { start: '2026-03-01T12:00:00Z', frozen: true },
    accounts: [
      {
        name: 'MYORG-MYACCOUNT',
        locator: 'XY12345',
        network_policy: 'ACCOUNT_POLICY',
        roles: ['PUBLIC', 'ANALYST', 'SYSADMIN', 'ACCOUNTADMIN'],
        network_policies: [
          { name: 'ACCOUNT_POLICY', allowed_ip_list: ['0.0.0.0/0'] },
          { name: 'CORP_ONLY', allowed_ip_list: ['10.0.0.0/8'], blocked_ip_list: ['10.0.0.99'] },
          { name: 'INTEGRATION_ONLY', allowed_ip_list: ['192.168.0.0/16'] },
        ],
        users: [
          {
            name: 'ALICE',
            login_name: 'alice',
            password: 'alice-password',
            type: 'person',
            default_role: 'ANALYST',
            roles: ['ANALYST', 'SYSADMIN'],
            rsa_public_key: publicKeyPem('alice'),
            rsa_public_key_2: null,
            network_policy: 'CORP_ONLY',
            programmatic_access_tokens: [{ name: 'CI', secret: 'pat-alice-ci', role_restriction: 'ANALYST', days_to_expiry: 15 }],
          },
          {
            name: 'ETL_BOT',
            type: 'service',
            default_role: 'SYSADMIN',
            roles: ['SYSADMIN'],
            rsa_public_key: publicKeyPem('etl-bot'),
            programmatic_access_tokens: [{ name: 'ETL', secret: 'pat-etl-bot', role_restriction: 'SYSADMIN', days_to_expiry: 30 }],
          },
        ],
        oauth_access_tokens: [
          { token: 'oauth-alice-token', user: 'ALICE', role: 'ANALYST', expires_in: 600, integration: 'MY_APP' },
          { token: 'oauth-bot-token', user: 'ETL_BOT', role: 'SYSADMIN', expires_in: 600, integration: 'MY_APP' },
        ],
        security_integrations: [
          {
            name: 'MY_APP',
            type: 'oauth',
            oauth_client: 'custom',
            oauth_client_type: 'confidential',
            oauth_redirect_uri: 'https://app.example.com/callback',
            oauth_client_id: 'my-app-client',
            oauth_client_secret: 'my-app-secret',
            network_policy: 'INTEGRATION_ONLY',
          },
        ],
      },
      {
        name: 'OTHERORG-OTHER',
        locator: 'ZZ99999',
        users: [{ name: 'ALICE', programmatic_access_tokens: [{ name: 'X', secret: 'pat-other-alice' }] }],
        oauth_access_tokens: [{ token: 'oauth-other-token', user: 'ALICE', expires_in: 600 }],
        network_policy: 'OPEN',
        network_policies: [{ name: 'OPEN', allowed_ip_list: ['0.0.0.0/0'] }],
      },
    ],
  } as WorldConfig & { accounts: NonNullable<WorldConfig['accounts']> };
  patch?.(world);
  return world;
}
