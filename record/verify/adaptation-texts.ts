/**
 * What each of verify's own adaptations changes in a recorded request, and why. Recording-specific
 * ones come with their text from the explained file.
 */

/**
 * Adaptation id → text.
 *
 * @example
 * BUILT_IN_ADAPTATIONS['session-header'] // 'Authorization: Snowflake Token="…" added …'
 */
export const BUILT_IN_ADAPTATIONS: Readonly<Record<string, string>> = {
  'any-login': 'The recorded login carries no credentials (the mapping answers any login): the world\'s first user with a password logs in.',
  'credentials-added': 'The recorded login lacks a credential the request needs (the mapping does not pin it): LOGIN_NAME is the world\'s first user with a password (or a key verify holds), the password that user\'s.',
  'oauth-authenticator': 'AUTHENTICATOR OAUTH added: the request carries only TOKEN, and a driver sends the authenticator with it.',
  'mfa-passcode': 'The user has MFA in this account and the recorded login succeeded: the world\'s passcode is sent (EXT_AUTHN_DUO_METHOD passcode, test/driver/driver-cases.ts), with CLIENT_REQUEST_MFA_TOKEN where the answer carries an MFA token.',
  'world-access-token': 'An access token the model did not issue in this flow: one the world pre-issues, valid or expired as the recording\'s answers to that token say (a placeholder is one value throughout a recording).',
  'refused-credential': 'The recorded answer refused this credential (390100, 394400, 390303, invalid_client, invalid_grant, …) and redaction hides whether the recorded value was right, so a value the world does not hold is sent: the comparison is then of how the model refuses.',
  'jwt-signed': 'A key-pair JWT of the login\'s user, signed with the fixture key (fixtures/keys) whose public half the world registers for that user, issued at the model\'s clock (https://docs.snowflake.com/en/user-guide/key-pair-auth).',
  'jwt-unregistered-key': 'The recorded answer refused the JWT (390144): one signed with a fixture key the world registers for no user of the account.',
  'session-header': 'Authorization: Snowflake Token="…" added with the flow\'s session token (its master token for a renewal): a driver sends it; the recording does not have it.',
  'sdk-select-1': 'The recorded query has no body: snowflake-sdk\'s `{"sqlText":"SELECT 1",…}` (test/driver/driver-cases.ts).',
  'authorize-query': 'The recorded authorize request leaves parameters open: a driver\'s authorize request fills them (the world\'s client whose redirect URI the recorded answer went to, else the first; its redirect URI; scope session:role:ANALYST; S256 PKCE; state abc123).',
  'authorize-bogus-scope': 'The authorize request pins no scope and the recorded answer is invalid_scope: a scope Snowflake does not know (bogus_scope).',
  'authorize-refresh-scope': 'The authorize request pins no scope and the flow\'s token answer carries a refresh token: scope refresh_token session:role:ANALYST (https://docs.snowflake.com/en/user-guide/oauth-custom: a refresh token needs it).',
  'sign-in-page': 'The recorded answer to the authorize request is a page (a browser waiting for its user), not a redirect: the world\'s client without auto-consent, for which the model shows its sign-in page.',
  'redirect-registered': 'The recorded redirect_uri is not one the world\'s client registers: its registered one is sent.',
  'pkce': 'The recorded PKCE verifier is redacted (or shorter than RFC 7636 §4.1\'s 43 characters, which the model enforces): verify\'s own 43-character pair (RFC 7636 appendix B) is sent, the challenge to /oauth/authorize and the verifier to the code exchange.',
  'verifier-added': 'code_verifier added (verify\'s own, RFC 7636 appendix B): a driver always sends one.',
  'redirect-of-authorize': 'redirect_uri of the authorize request that issued the code: Snowflake requires the same one (RFC 6749 §4.1.3).',
  'redirect-added': 'redirect_uri added (the authorize request\'s): a driver sends it.',
  'basic-client': 'Authorization: Basic without readable credentials (redacted, or only the scheme): the client\'s id with the world\'s secret.',
  'client-added': 'The token request names no client: the flow\'s client with the world\'s secret (client_secret_post, as snowflake-sdk sends it).',
  'sdk-code-exchange': 'The token request pins no grant: a code exchange, as snowflake-sdk sends it (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_authorization_code.js).',
  'code-flow': 'The code was not issued by the model in this flow: verify\'s authorize request of the client obtains one (scope refresh_token where the recorded answer carries a refresh token).',
  'refresh-flow': 'The refresh token was not issued by the model in this flow: verify\'s code flow obtains one, single-use when the recorded answer rotates it.',
  'token-url': 'Sent to /oauth/token-request, Snowflake\'s token endpoint (https://docs.snowflake.com/en/user-guide/oauth-custom); the recording used /oauth/token (gosnowflake\'s tests).',
  'placeholder-sent': 'A placeholder verify has no value for (no world value of its kind) is sent as recorded.',
};
