/**
 * Named causes finer than any code (DESIGN.md §5.3). A rejection carries one in `cause`; the
 * journal shows it, the wire shows only `wireCode`. References are to `/work/shared/reference/`
 * (`auth-surface` = snowflake-auth-surface.md). Add new causes here, one line of `when` each.
 */
import type { CauseEntry } from './types.ts';
import type { Fidelity } from '../world/model.ts';

type Cause = Omit<CauseEntry, 'name'>;

/** A PAT_INVALID cause; the documented ones come from seed 003 / auth-surface §3.5. */
const pat = (when: string, fidelity: Fidelity, reference = 'auth-surface §3.5 (seed 003)'): Cause => ({
  wireCode: '394400',
  when,
  fidelity,
  reference,
});

/** A finer reason behind a Snowflake OAuth server code; ours (the server records causes server-side only). */
const oauth = (wireCode: string, when: string, reference: string): Cause => ({ wireCode, when, fidelity: 'inferred', reference });

/** Why a secret's outbound OAuth tokens could not be used or obtained (ours; decisions/0008). */
const outbound = (wireCode: string, when: string): Cause => ({ wireCode, when, fidelity: 'inferred', reference: 'auth-surface §6.3; seed 002 "Token expiration and re-authentication"' });

/** An External OAuth refusal: the client sees 390303 "Invalid OAuth access token." (auth-surface §1.9). */
const external = (when: string, fidelity: Fidelity, reference = 'auth-surface §1.9'): Cause => ({ wireCode: '390303', when, fidelity, reference });

const CAUSE_DATA: Record<string, Cause> = {
  // PAT_INVALID (394400): the first four are the documented causes, the rest are ours.
  PAT_VALIDATION_FAILED: pat('The PAT secret fails validation (unknown or malformed secret).', 'documented'),
  PAT_USER_NOT_ASSOCIATED: pat('The PAT exists but belongs to a different user than the one logging in.', 'documented'),
  PAT_USER_NOT_FOUND: pat('The user the PAT belongs to no longer exists.', 'documented'),
  PAT_ROLE_NOT_FOUND: pat("The role of the PAT's ROLE_RESTRICTION was not found.", 'documented'),
  PAT_EXPIRED: pat('The PAT is past its DAYS_TO_EXPIRY (or a rotated secret past its grace period).', 'inferred', 'auth-surface §3.1, §3.4'),
  PAT_DISABLED: pat('The PAT was disabled (SET DISABLED = TRUE, or its user was disabled).', 'inferred', 'auth-surface §3.4'),
  PAT_USER_DISABLED: pat('The user of the PAT is disabled.', 'inferred', 'auth-surface §3.4'),
  PAT_ROLE_RESTRICTION_REQUIRED: pat(
    'A service user (or a policy requiring it) uses a PAT without ROLE_RESTRICTION.',
    'inferred',
    'auth-surface §3.1, §3.2',
  ),
  PAT_NETWORK_POLICY_REQUIRED: pat(
    'The user is subject to no network policy and no bypass window is open.',
    'inferred',
    'auth-surface §3.2',
  ),

  // OAuth access tokens (390303).
  OAUTH_TOKEN_UNKNOWN: {
    wireCode: '390303',
    when: 'The bearer token matches no issued OAuth access token.',
    fidelity: 'documented',
    reference: 'auth-surface §1.6, §5.3',
  },
  OAUTH_TOKEN_EXPIRED: {
    wireCode: '390303',
    when: 'The OAuth access token expired (390318 instead with BCR 2026_07 or on login-request).',
    fidelity: 'documented',
    reference: 'auth-surface §1.6, §2.6',
  },
  OAUTH_TOKEN_WRONG_ACCOUNT: {
    wireCode: '390303',
    when: 'The OAuth access token was issued by another account.',
    fidelity: 'inferred',
    reference: 'auth-surface §1.6',
  },
  OAUTH_USER_NOT_FOUND: {
    wireCode: '390303',
    when: 'The user the OAuth access token was issued to no longer exists.',
    fidelity: 'inferred',
    reference: 'auth-surface §1.6',
  },
  OAUTH_USER_DISABLED: {
    wireCode: '390303',
    when: 'The user the OAuth access token was issued to is disabled.',
    fidelity: 'inferred',
    reference: 'auth-surface §1.6',
  },
  OAUTH_ROLE_NOT_GRANTED: {
    wireCode: '390303',
    when: "The token's session role is no longer granted to the user, or is now blocked.",
    fidelity: 'inferred',
    reference: 'auth-surface §1.3, §1.6',
  },
  OAUTH_INTEGRATION_DISABLED: {
    wireCode: '390303',
    when: 'The security integration that issued the token is disabled or gone.',
    fidelity: 'inferred',
    reference: 'auth-surface §1.6, §1.7',
  },

  // External OAuth (390303 on the wire): the login-failure reason names of auth-surface §1.9, then ours.
  EXTERNAL_OAUTH_JWS_INVALID_FORMAT: external('The token is not a readable JWS, or exp/nbf are not numbers.', 'documented'),
  EXTERNAL_OAUTH_JWS_INVALID_TYPE: external('The JWS alg is not RS256 (none, HS*, ES* are refused) or typ is not JWT/at+jwt.', 'documented'),
  EXTERNAL_OAUTH_MISSING_ISSUER: external('A JWT without iss reached an account with External OAuth integrations.', 'documented'),
  EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_FOUND: external('The JWT\'s iss is the EXTERNAL_OAUTH_ISSUER of no integration of the account.', 'documented'),
  EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_ENABLED: external('The External OAuth integration of the token\'s issuer is disabled.', 'documented'),
  EXTERNAL_OAUTH_JWS_CANT_RETRIEVE_PUBLIC_KEY: external('No signing key could be fetched from EXTERNAL_OAUTH_JWS_KEYS_URL (not a mock IdP\'s URL), or none has the token\'s kid.', 'documented'),
  EXTERNAL_OAUTH_INVALID_SIGNATURE: external('The RS256 signature verifies with none of the integration\'s keys.', 'documented'),
  EXTERNAL_OAUTH_MISSING_AUDIENCE: external('The token has no aud claim.', 'documented'),
  EXTERNAL_OAUTH_AUDIENCE_VALIDATION_FAILED: external('aud names neither the account URL nor an EXTERNAL_OAUTH_AUDIENCE_LIST entry.', 'documented'),
  EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED: external('The token is past its exp on the mock clock.', 'documented'),
  EXTERNAL_OAUTH_ACCESS_TOKEN_NOT_YET_VALID: external('The token is before its nbf on the mock clock.', 'documented'),
  EXTERNAL_OAUTH_USER_CLAIM_MISSING: external('The token carries none of the EXTERNAL_OAUTH_TOKEN_USER_MAPPING_CLAIM claims.', 'documented'),
  EXTERNAL_OAUTH_USER_NOT_FOUND: external('The user-mapping claim matches no single user by LOGIN_NAME or EMAIL.', 'inferred'),
  EXTERNAL_OAUTH_USER_DISABLED: external('The user the token maps to is disabled.', 'inferred'),
  EXTERNAL_OAUTH_ROLE_SCOPE_INVALID: external('More than one session:role scope, or none while EXTERNAL_OAUTH_ANY_ROLE_MODE is DISABLE.', 'inferred', 'auth-surface §1.3, §1.9'),
  EXTERNAL_OAUTH_ROLE_BLOCKED: external('The role is in EXTERNAL_OAUTH_BLOCKED_ROLES_LIST, or privileged while EXTERNAL_OAUTH_ADD_PRIVILEGED_ROLES_TO_BLOCKED_LIST is TRUE.', 'inferred', 'auth-surface §1.3, §1.9'),
  EXTERNAL_OAUTH_ROLE_NOT_ALLOWED: external('EXTERNAL_OAUTH_ALLOWED_ROLES_LIST is set and does not list the role.', 'inferred'),
  EXTERNAL_OAUTH_ROLE_NOT_GRANTED: external('The role of the token (or the user\'s default role) is not granted to the user.', 'inferred'),

  // Key-pair JWT (390144) reasons that have no 3943xx code of their own.
  JWT_MALFORMED: {
    wireCode: '390144',
    when: 'The token is not three base64url segments of JSON, or iss/sub are not in the documented form.',
    fidelity: 'documented',
    reference: 'auth-surface §2.1, §2.4',
  },
  JWT_NOT_UPPERCASE: {
    wireCode: '390144',
    when: 'The account or user in iss/sub is not upper-case, or the account contains periods.',
    fidelity: 'documented',
    reference: 'auth-surface §2.1',
  },
  JWT_SUBJECT_MISMATCH: {
    wireCode: '390144',
    when: 'The account or user in sub differs from the one in iss.',
    fidelity: 'documented',
    reference: 'auth-surface §2.1, §2.4',
  },
  USER_DISABLED: {
    wireCode: '390144',
    when: 'A key-pair JWT names a disabled user.',
    fidelity: 'inferred',
    reference: 'auth-surface §2.4; drivers §7',
  },

  // Bearer-token plumbing on the SQL/REST API (390303).
  TOKEN_TYPE_UNKNOWN: {
    wireCode: '390303',
    when: 'X-Snowflake-Authorization-Token-Type names no known token type.',
    fidelity: 'inferred',
    reference: 'auth-surface §5.2, §5.3',
  },
  TOKEN_MISSING: {
    wireCode: '390303',
    when: 'No Authorization: Bearer header on a SQL/REST API request.',
    fidelity: 'documented',
    reference: 'auth-surface §5.3',
  },
  TOKEN_TYPE_MISMATCH: {
    wireCode: '390303',
    when: 'The token does not have the type X-Snowflake-Authorization-Token-Type declares.',
    fidelity: 'inferred',
    reference: 'auth-surface §5.2, §5.3',
  },

  // Driver login (drivers §2–§3).
  LOGIN_BODY_INVALID: { wireCode: '390400', when: 'The login request body is not {"data": {…}} JSON with string fields.', fidelity: 'inferred', reference: 'drivers §2.1' },
  AUTHENTICATOR_UNSUPPORTED: { wireCode: '390400', when: 'data.AUTHENTICATOR names an authenticator the mock does not implement (EXTERNALBROWSER, Okta, WORKLOAD_IDENTITY).', fidelity: 'inferred', reference: 'drivers §3.7, §3.8' },
  USER_MISSING: { wireCode: '390100', when: 'A password login without LOGIN_NAME.', fidelity: 'inferred', reference: 'drivers §3.1' },
  USER_UNKNOWN: { wireCode: '390100', when: 'No user has the LOGIN_NAME (Snowflake does not say whether the user or the password was wrong).', fidelity: 'driver-observed', reference: 'drivers §3.1' },
  PASSWORD_WRONG: { wireCode: '390100', when: 'The password is not the user\'s (each one counts towards the 5-attempt lock-out).', fidelity: 'driver-observed', reference: 'drivers §3.1' },

  // Driver sessions (drivers §2.4–§2.5, §4).
  SESSION_TOKEN_MISSING: { wireCode: '390104', when: 'A session endpoint without Authorization: Snowflake Token="…".', fidelity: 'inferred', reference: 'drivers §2.4, §4' },
  SESSION_TOKEN_UNKNOWN: { wireCode: '390104', when: 'The session token (or a renewal\'s oldSessionToken) is not one the mock issued to this account.', fidelity: 'inferred', reference: 'drivers §4' },
  SESSION_TOKEN_REPLACED: { wireCode: '390104', when: 'The session token was replaced by a renewal.', fidelity: 'inferred', reference: 'drivers §4' },
  SESSION_CLOSED: { wireCode: '390111', when: 'The session was closed (POST /session?delete=true).', fidelity: 'inferred', reference: 'drivers §2.5, §4' },
  SESSION_USER_GONE: { wireCode: '390111', when: 'The session\'s user was disabled or dropped after login; the session ends.', fidelity: 'inferred', reference: 'drivers §4' },
  MASTER_TOKEN_MISSING: { wireCode: '390115', when: 'A renewal without Authorization: Snowflake Token="<master token>".', fidelity: 'inferred', reference: 'drivers §4' },
  RENEW_BODY_INVALID: { wireCode: '390400', when: 'A renewal body that is not JSON with requestType "RENEW".', fidelity: 'inferred', reference: 'drivers §4' },
  SESSION_REQUEST_UNKNOWN: { wireCode: '390400', when: 'POST /session without delete=true.', fidelity: 'inferred', reference: 'drivers §2.5' },
  QUERY_BODY_INVALID: { wireCode: '390400', when: 'A query-request body that is not JSON with a string sqlText.', fidelity: 'inferred', reference: 'drivers §2.4' },

  // Network policy (390422).
  NETWORK_POLICY_BLOCKED: {
    wireCode: '390422',
    when: 'The client IP is blocked, or not allowed, by the policy in force.',
    fidelity: 'inferred',
    reference: 'auth-surface §4.2–§4.4',
  },

  // Snowflake OAuth server (authorize page and token endpoint); the finer reasons behind each code.
  AUTHORIZE_CLIENT_UNKNOWN: oauth('390306', 'The authorize request names no usable client (authorize client unknown).', 'auth-surface §1.2'),
  AUTHORIZE_CLIENT_DISABLED: oauth('390306', 'The authorize request names no usable client (authorize client disabled).', 'auth-surface §1.2'),
  AUTHORIZE_REDIRECT_URI_MISSING: oauth('390307', 'The redirect_uri is missing, malformed, not TLS, or not registered (authorize redirect uri missing).', 'auth-surface §1.2'),
  AUTHORIZE_REDIRECT_URI_MALFORMED: oauth('390307', 'The redirect_uri is missing, malformed, not TLS, or not registered (authorize redirect uri malformed).', 'auth-surface §1.2'),
  AUTHORIZE_REDIRECT_URI_NOT_TLS: oauth('390307', 'The redirect_uri is missing, malformed, not TLS, or not registered (authorize redirect uri not tls).', 'auth-surface §1.2'),
  AUTHORIZE_REDIRECT_URI_MISMATCH: oauth('390307', 'The redirect_uri is missing, malformed, not TLS, or not registered (authorize redirect uri mismatch).', 'auth-surface §1.2'),
  AUTHORIZE_RESPONSE_TYPE_UNSUPPORTED: oauth('390304', 'response_type is not code (authorize response type unsupported).', 'auth-surface §1.2'),
  AUTHORIZE_STATE_TOO_LONG: oauth('390305', 'state is longer than 2048 characters (authorize state too long).', 'auth-surface §1.2'),
  AUTHORIZE_SCOPE_MALFORMED: oauth('390308', 'The scope is invalid, or its role cannot be granted to the user (authorize scope malformed).', 'auth-surface §1.3'),
  CONSENT_ROLE_NOT_GRANTED: oauth('390308', 'The scope is invalid, or its role cannot be granted to the user (consent role not granted).', 'auth-surface §1.3'),
  AUTHORIZE_PKCE_METHOD_UNSUPPORTED: oauth('390311', 'The PKCE challenge or method is missing, invalid or unsupported (authorize pkce method unsupported).', 'auth-surface §1.2'),
  AUTHORIZE_PKCE_INCOMPLETE: oauth('390311', 'The PKCE challenge or method is missing, invalid or unsupported (authorize pkce incomplete).', 'auth-surface §1.2'),
  AUTHORIZE_PKCE_CHALLENGE_MALFORMED: oauth('390311', 'The PKCE challenge or method is missing, invalid or unsupported (authorize pkce challenge malformed).', 'auth-surface §1.2'),
  AUTHORIZE_PKCE_REQUIRED: oauth('390311', 'The PKCE challenge or method is missing, invalid or unsupported (authorize pkce required).', 'auth-surface §1.2'),
  CONSENT_USER_DISABLED: oauth('390302', 'Consent cannot be given: user disabled, or role privileged, blocked or not allowed (consent user disabled).', 'auth-surface §1.3, §1.7'),
  CONSENT_ROLE_PRIVILEGED: oauth('390302', 'Consent cannot be given: user disabled, or role privileged, blocked or not allowed (consent role privileged).', 'auth-surface §1.3, §1.7'),
  CONSENT_ROLE_BLOCKED: oauth('390302', 'Consent cannot be given: user disabled, or role privileged, blocked or not allowed (consent role blocked).', 'auth-surface §1.3, §1.7'),
  CONSENT_ROLE_NOT_ALLOWED: oauth('390302', 'Consent cannot be given: user disabled, or role privileged, blocked or not allowed (consent role not allowed).', 'auth-surface §1.3, §1.7'),
  CLIENT_CREDENTIALS_MISSING: oauth('invalid_client', 'Client authentication failed at the token endpoint (client credentials missing).', 'auth-surface §1.4'),
  CLIENT_UNKNOWN: oauth('invalid_client', 'Client authentication failed at the token endpoint (client unknown).', 'auth-surface §1.4'),
  CLIENT_DISABLED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client disabled).', 'auth-surface §1.4'),
  CLIENT_SECRET_MISSING: oauth('invalid_client', 'Client authentication failed at the token endpoint (client secret missing).', 'auth-surface §1.4'),
  CLIENT_SECRET_MISMATCH: oauth('invalid_client', 'Client authentication failed at the token endpoint (client secret mismatch).', 'auth-surface §1.4'),
  CLIENT_BASIC_MALFORMED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client basic malformed).', 'auth-surface §1.4'),
  CLIENT_AUTH_SCHEME_UNSUPPORTED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client auth scheme unsupported).', 'auth-surface §1.4'),
  CLIENT_ID_MISMATCH: oauth('invalid_client', 'Client authentication failed at the token endpoint (client id mismatch).', 'auth-surface §1.4'),
  CLIENT_JWT_MALFORMED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt malformed).', 'auth-surface §1.4'),
  CLIENT_JWT_ALGORITHM: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt algorithm).', 'auth-surface §1.4'),
  CLIENT_JWT_NOT_CONFIGURED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt not configured).', 'auth-surface §1.4'),
  CLIENT_JWT_FINGERPRINT_MISMATCH: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt fingerprint mismatch).', 'auth-surface §1.4'),
  CLIENT_JWT_SIGNATURE_INVALID: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt signature invalid).', 'auth-surface §1.4'),
  CLIENT_JWT_SUBJECT_MISMATCH: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt subject mismatch).', 'auth-surface §1.4'),
  CLIENT_JWT_EXPIRY_MISSING: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt expiry missing).', 'auth-surface §1.4'),
  CLIENT_JWT_EXPIRED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt expired).', 'auth-surface §1.4'),
  CLIENT_CREDENTIALS_PUBLIC_CLIENT: oauth('invalid_client', 'Client authentication failed at the token endpoint (client credentials public client).', 'auth-surface §1.4'),
  CLIENT_AUTH_MULTIPLE_METHODS: oauth('invalid_request', 'The token request is malformed (client auth multiple methods).', 'auth-surface §1.4'),
  TOKEN_CONTENT_TYPE_UNSUPPORTED: oauth('invalid_request', 'The token request is malformed (token content type unsupported).', 'auth-surface §1.4'),
  TOKEN_PARAMETER_REPEATED: oauth('invalid_request', 'The token request is malformed (token parameter repeated).', 'auth-surface §1.4'),
  TOKEN_CODE_MISSING: oauth('invalid_request', 'The token request is malformed (token code missing).', 'auth-surface §1.4'),
  TOKEN_REDIRECT_URI_MISSING: oauth('invalid_request', 'The token request is malformed (token redirect uri missing).', 'auth-surface §1.4'),
  TOKEN_REFRESH_TOKEN_MISSING: oauth('invalid_request', 'The token request is malformed (token refresh token missing).', 'auth-surface §1.4'),
  TOKEN_SCOPE_MALFORMED: oauth('invalid_request', 'The token request is malformed (token scope malformed).', 'auth-surface §1.4'),
  CODE_UNKNOWN: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code unknown).', 'auth-surface §1.4, §1.5'),
  CODE_CLIENT_MISMATCH: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code client mismatch).', 'auth-surface §1.4, §1.5'),
  AUTHORIZE_PARAMETER_REPEATED: oauth('390307', 'An authorize parameter is given more than once (the code is that of the parameter: 390306 client_id, 390307 redirect_uri, …).', 'auth-surface §1.2; RFC 6749 §3.1'),
  AUTHORIZE_STATE_NOT_ASCII: oauth('390305', 'state contains characters other than printable ASCII.', 'auth-surface §1.2'),
  TOKEN_BODY_TOO_LARGE: oauth('invalid_request', 'The token request body is larger than the mock reads.', 'auth-surface §1.4'),
  CODE_REVOKED: oauth('invalid_grant', 'The code was revoked with the consent (ALTER USER … REMOVE DELEGATED AUTHORIZATION).', 'auth-surface §1.7'),
  AUTO_CONSENT_USER_UNKNOWN: oauth('390302', 'mock_auto_consent names no user of the world (pass login_hint).', 'auth-surface §1.3'),
  CODE_REUSED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code reused).', 'auth-surface §1.4, §1.5'),
  CODE_EXPIRED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code expired).', 'auth-surface §1.4, §1.5'),
  CODE_REDIRECT_URI_MISMATCH: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code redirect uri mismatch).', 'auth-surface §1.4, §1.5'),
  PKCE_VERIFIER_MISSING: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (pkce verifier missing).', 'auth-surface §1.4, §1.5'),
  PKCE_VERIFIER_MALFORMED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (pkce verifier malformed).', 'auth-surface §1.4, §1.5'),
  PKCE_VERIFIER_MISMATCH: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (pkce verifier mismatch).', 'auth-surface §1.4, §1.5'),
  PKCE_REQUIRED_FOR_PUBLIC_CLIENT: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (pkce required for public client).', 'auth-surface §1.4, §1.5'),
  REFRESH_TOKEN_UNKNOWN: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token unknown).', 'auth-surface §1.4, §1.5'),
  REFRESH_TOKEN_CLIENT_MISMATCH: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token client mismatch).', 'auth-surface §1.4, §1.5'),
  REFRESH_TOKEN_REVOKED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token revoked).', 'auth-surface §1.4, §1.5'),
  REFRESH_TOKEN_REUSED_CHAIN_REVOKED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token reused chain revoked).', 'auth-surface §1.4, §1.5'),
  REFRESH_TOKEN_EXPIRED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token expired).', 'auth-surface §1.4, §1.5'),
  REFRESH_TOKENS_DISABLED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh tokens disabled).', 'auth-surface §1.4, §1.5'),
  GRANT_USER_UNKNOWN: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (grant user unknown).', 'auth-surface §1.4, §1.5'),
  GRANT_USER_DISABLED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (grant user disabled).', 'auth-surface §1.4, §1.5'),
  GRANT_ROLE_NOT_GRANTED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (grant role not granted).', 'auth-surface §1.4, §1.5'),
  GRANT_ROLE_BLOCKED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (grant role blocked).', 'auth-surface §1.4, §1.5'),
  CLIENT_CREDENTIALS_ROLE_REFUSED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (client credentials role refused).', 'auth-surface §1.4, §1.5'),
  GRANT_TYPE_UNSUPPORTED: oauth('unsupported_grant_type', 'The grant type is not supported (grant type unsupported).', 'auth-surface §1.4, §1.8'),
  CLIENT_CREDENTIALS_NOT_ENABLED: oauth('unsupported_grant_type', 'The grant type is not supported (client credentials not enabled).', 'auth-surface §1.4, §1.8'),

  // Outbound OAuth (auth-surface §6, seed 002): why a secret's tokens could not be used or obtained.
  SECRET_NOT_AUTHORIZED: outbound('394618', 'The secret never received tokens: no SYSTEM$FINISH_OAUTH_FLOW (or OAUTH_REFRESH_TOKEN) yet.'),
  SECRET_REFRESH_TOKEN_EXPIRED: outbound('394618', "The access token expired and so did the secret's refresh token (OAUTH_REFRESH_TOKEN_EXPIRY_TIME, or the provider says it expired): the consumer must re-authenticate."),
  SECRET_REFRESH_TOKEN_REVOKED: outbound('394618', 'The provider refused the refresh token as revoked (invalid_grant): the consumer must re-authenticate.'),
  SECRET_REFRESH_TOKEN_REJECTED: outbound('394618', 'The provider refused the refresh token (invalid_grant) without saying it expired or was revoked (unknown, another client\'s, …): the consumer must re-authenticate.'),
  OAUTH_FLOW_EXPIRED: outbound('394610', 'The pending SYSTEM$START_OAUTH_FLOW of this session is older than 10 minutes (the authorization-code lifetime): start again.'),
  OAUTH_FLOW_CONSENT_DENIED: outbound('394613', 'The redirect carried error=… (access_denied: the consumer declined consent at the provider).'),
  OAUTH_FLOW_CODE_REJECTED: outbound('394613', 'The provider refused the authorization code exchange (invalid_grant, invalid_client, …).'),
  SECRET_GRANT_REJECTED: outbound('394613', 'The provider refused a refresh or client-credentials grant for a reason other than a revoked refresh token.'),
};

/**
 * Every named cause, keyed by name (`name` equals the key).
 *
 * @example
 * CAUSES.PAT_EXPIRED?.wireCode // '394400'
 */
export const CAUSES: Readonly<Record<string, CauseEntry>> = Object.freeze(
  Object.fromEntries(Object.entries(CAUSE_DATA).map(([name, c]) => [name, Object.freeze({ name, ...c })])),
);

/**
 * The cause with this name, or `undefined` (a rejection's `cause` may also be a catalogue code).
 *
 * @example
 * causeFor('NETWORK_POLICY_BLOCKED')?.wireCode // '390422'
 * causeFor('394302') // undefined: a catalogue code, see entryFor
 */
export function causeFor(name: string): CauseEntry | undefined {
  return Object.hasOwn(CAUSES, name) ? CAUSES[name] : undefined;
}
