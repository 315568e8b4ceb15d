/**
 * Named causes finer than any code (DESIGN.md §5.3). A rejection carries one in `cause`; the
 * journal shows it, the wire shows only `wireCode`. Sources are named in `sources.ts`; an
 * `inferred` cause names the decision that records it. Add new causes here, one line of `when` each.
 */
import type { CauseEntry } from './types.ts';
import type { Fidelity } from '../world/model.ts';
import { SOURCES as S, type Source, type SourceRef } from './sources.ts';

type Cause = Omit<CauseEntry, 'name'>;

/** A PAT_INVALID cause; the documented ones are the causes the PAT and REST API pages list. */
const pat = (when: string, fidelity: Fidelity, source: Source = [S.pats, S.restApiAuthentication]): Cause => ({
  wireCode: '394400',
  when,
  fidelity,
  source,
});

/**
 * A finer reason behind a Snowflake OAuth server code; ours (the server records causes server-side
 * only), so decisions/0004 follows the docs that give the rule.
 */
const oauth = (wireCode: string, when: string, ...docs: SourceRef[]): Cause => ({ wireCode, when, fidelity: 'inferred', source: [...docs, S.decisionInferred] });

/** Why a secret's outbound OAuth tokens could not be used or obtained (ours; decisions/0008). */
const outbound = (wireCode: string, when: string): Cause => ({
  wireCode,
  when,
  fidelity: 'inferred',
  source: [S.finishOAuthFlow, S.nativeAppSecretAuthorization, S.decisionOutbound],
});

/**
 * An External OAuth refusal: the client sees 390303 "Invalid OAuth access token.". The documented
 * ones are the login-failure reasons of SYSTEM$GET_LOGIN_FAILURE_DETAILS; ours are in decisions/0009.
 */
const external = (when: string, fidelity: Fidelity): Cause => ({
  wireCode: '390303',
  when,
  fidelity,
  source: fidelity === 'inferred' ? [S.externalOAuthIntegration, S.decisionExternalOAuth] : [S.loginFailureDetails, S.externalOAuthIntegration],
});

const D4 = S.decisionInferred;
const D6 = S.decisionDriverSessions;

const CAUSE_DATA: Record<string, Cause> = {
  // PAT_INVALID (394400): the first four are the documented causes, the rest are ours.
  PAT_VALIDATION_FAILED: pat('The PAT secret fails validation (unknown or malformed secret).', 'documented'),
  PAT_USER_NOT_ASSOCIATED: pat('The PAT exists but belongs to a different user than the one logging in.', 'documented'),
  PAT_USER_NOT_FOUND: pat('The user the PAT belongs to no longer exists.', 'documented'),
  PAT_ROLE_NOT_FOUND: pat("The role of the PAT's ROLE_RESTRICTION was not found.", 'documented'),
  PAT_EXPIRED: pat('The PAT is past its DAYS_TO_EXPIRY (or a rotated secret past its grace period).', 'inferred', [S.addPat, S.rotatePat, D4]),
  PAT_DISABLED: pat('The PAT was disabled (SET DISABLED = TRUE, or its user was disabled).', 'inferred', [S.pats, D4]),
  PAT_USER_DISABLED: pat('The user of the PAT is disabled.', 'inferred', [S.pats, D4]),
  PAT_ROLE_RESTRICTION_REQUIRED: pat(
    'A service user (or a policy requiring it) uses a PAT without ROLE_RESTRICTION.',
    'inferred',
    [S.addPat, S.pats, D4],
  ),
  PAT_NETWORK_POLICY_REQUIRED: pat(
    'The user is subject to no network policy and no bypass window is open.',
    'inferred',
    [S.pats, D4],
  ),

  // OAuth access tokens (390303).
  OAUTH_TOKEN_UNKNOWN: {
    wireCode: '390303',
    when: 'The bearer token matches no issued OAuth access token.',
    fidelity: 'documented',
    source: [S.oauthOverview, S.sqlApiReference],
  },
  OAUTH_TOKEN_EXPIRED: {
    wireCode: '390303',
    when: 'The OAuth access token expired (390318 instead with BCR 2026_07 or on login-request).',
    fidelity: 'documented',
    source: [S.oauthOverview, S.bcr2026_07],
  },
  OAUTH_TOKEN_WRONG_ACCOUNT: {
    wireCode: '390303',
    when: 'The OAuth access token was issued by another account.',
    fidelity: 'inferred',
    source: [S.oauthOverview, D4],
  },
  OAUTH_USER_NOT_FOUND: {
    wireCode: '390303',
    when: 'The user the OAuth access token was issued to no longer exists.',
    fidelity: 'inferred',
    source: [S.oauthOverview, D4],
  },
  OAUTH_USER_DISABLED: {
    wireCode: '390303',
    when: 'The user the OAuth access token was issued to is disabled.',
    fidelity: 'inferred',
    source: [S.oauthOverview, D4],
  },
  OAUTH_ROLE_NOT_GRANTED: {
    wireCode: '390303',
    when: "The token's session role is no longer granted to the user, or is now blocked.",
    fidelity: 'inferred',
    source: [S.oauthCustom, S.oauthOverview, D4],
  },
  OAUTH_INTEGRATION_DISABLED: {
    wireCode: '390303',
    when: 'The security integration that issued the token is disabled or gone.',
    fidelity: 'inferred',
    source: [S.oauthIntegration, D4],
  },

  // External OAuth (390303 on the wire): the documented login-failure reason names, then ours.
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
  EXTERNAL_OAUTH_ROLE_SCOPE_INVALID: external('More than one session:role scope, or none while EXTERNAL_OAUTH_ANY_ROLE_MODE is DISABLE.', 'inferred'),
  EXTERNAL_OAUTH_ROLE_BLOCKED: external('The role is in EXTERNAL_OAUTH_BLOCKED_ROLES_LIST, or privileged while EXTERNAL_OAUTH_ADD_PRIVILEGED_ROLES_TO_BLOCKED_LIST is TRUE.', 'inferred'),
  EXTERNAL_OAUTH_ROLE_NOT_ALLOWED: external('EXTERNAL_OAUTH_ALLOWED_ROLES_LIST is set and does not list the role.', 'inferred'),
  EXTERNAL_OAUTH_ROLE_NOT_GRANTED: external('The role of the token (or the user\'s default role) is not granted to the user.', 'inferred'),

  // Key-pair JWT (390144) reasons that have no 3943xx code of their own.
  JWT_MALFORMED: {
    wireCode: '390144',
    when: 'The token is not three base64url segments of JSON, or iss/sub are not in the documented form.',
    fidelity: 'documented',
    source: [S.sqlApiAuthenticating, S.keyPairTroubleshooting],
  },
  JWT_NOT_UPPERCASE: {
    wireCode: '390144',
    when: 'The account or user in iss/sub is not upper-case, or the account contains periods.',
    fidelity: 'documented',
    source: S.sqlApiAuthenticating,
  },
  JWT_SUBJECT_MISMATCH: {
    wireCode: '390144',
    when: 'The account or user in sub differs from the one in iss.',
    fidelity: 'documented',
    source: [S.sqlApiAuthenticating, S.keyPairTroubleshooting],
  },
  USER_DISABLED: {
    wireCode: '390144',
    when: 'A key-pair JWT names a disabled user.',
    fidelity: 'inferred',
    source: [S.keyPairTroubleshooting, D4],
  },

  // Bearer-token plumbing on the SQL/REST API (390303).
  TOKEN_TYPE_UNKNOWN: {
    wireCode: '390303',
    when: 'X-Snowflake-Authorization-Token-Type names no known token type.',
    fidelity: 'inferred',
    source: [S.sqlApiReference, D4],
  },
  TOKEN_MISSING: {
    wireCode: '390303',
    when: 'No Authorization: Bearer header on a SQL/REST API request.',
    fidelity: 'documented',
    source: S.sqlApiReference,
  },
  TOKEN_TYPE_MISMATCH: {
    wireCode: '390303',
    when: 'The token does not have the type X-Snowflake-Authorization-Token-Type declares.',
    fidelity: 'inferred',
    source: [S.sqlApiAuthenticating, D4],
  },

  // Driver login.
  LOGIN_BODY_INVALID: { wireCode: '390400', when: 'The login request body is not {"data": {…}} JSON with string fields.', fidelity: 'inferred', source: D6 },
  AUTHENTICATOR_UNSUPPORTED: { wireCode: '390400', when: 'data.AUTHENTICATOR names an authenticator the mock does not implement (EXTERNALBROWSER, Okta, WORKLOAD_IDENTITY).', fidelity: 'inferred', source: D6 },
  USER_MISSING: { wireCode: '390100', when: 'A password login without LOGIN_NAME.', fidelity: 'inferred', source: [S.goInvalidPassword, D6] },
  USER_UNKNOWN: { wireCode: '390100', when: 'No user has the LOGIN_NAME (Snowflake does not say whether the user or the password was wrong).', fidelity: 'driver-observed', source: [S.goInvalidPassword, S.driverTests] },
  PASSWORD_WRONG: { wireCode: '390100', when: 'The password is not the user\'s (each one counts towards the 5-attempt lock-out).', fidelity: 'driver-observed', source: [S.goInvalidPassword, S.driverTests] },

  // Driver sessions.
  SESSION_TOKEN_MISSING: { wireCode: '390104', when: 'A session endpoint without Authorization: Snowflake Token="…".', fidelity: 'inferred', source: [S.nodeGsErrors, D6] },
  SESSION_TOKEN_UNKNOWN: { wireCode: '390104', when: 'The session token (or a renewal\'s oldSessionToken) is not one the mock issued to this account.', fidelity: 'inferred', source: [S.nodeGsErrors, D6] },
  SESSION_TOKEN_REPLACED: { wireCode: '390104', when: 'The session token was replaced by a renewal.', fidelity: 'inferred', source: [S.nodeGsErrors, D6] },
  SESSION_CLOSED: { wireCode: '390111', when: 'The session was closed (POST /session?delete=true).', fidelity: 'inferred', source: [S.nodeGsErrors, D6] },
  SESSION_USER_GONE: { wireCode: '390111', when: 'The session\'s user was disabled or dropped after login; the session ends.', fidelity: 'inferred', source: [S.nodeGsErrors, D6] },
  MASTER_TOKEN_MISSING: { wireCode: '390115', when: 'A renewal without Authorization: Snowflake Token="<master token>".', fidelity: 'inferred', source: [S.pyNetwork, D6] },
  RENEW_BODY_INVALID: { wireCode: '390400', when: 'A renewal body that is not JSON with requestType "RENEW".', fidelity: 'inferred', source: [S.pyNetwork, D6] },
  SESSION_REQUEST_UNKNOWN: { wireCode: '390400', when: 'POST /session without delete=true.', fidelity: 'inferred', source: D6 },
  QUERY_BODY_INVALID: { wireCode: '390400', when: 'A query-request body that is not JSON with a string sqlText.', fidelity: 'inferred', source: D6 },

  // Network policy (390422).
  NETWORK_POLICY_BLOCKED: {
    wireCode: '390422',
    when: 'The client IP is blocked, or not allowed, by the policy in force.',
    fidelity: 'inferred',
    source: [S.networkPolicies, D4],
  },

  // Snowflake OAuth server (authorize page and token endpoint); the finer reasons behind each code.
  AUTHORIZE_CLIENT_UNKNOWN: oauth('390306', 'The authorize request names no usable client (authorize client unknown).', S.oauthCustom),
  AUTHORIZE_CLIENT_DISABLED: oauth('390306', 'The authorize request names no usable client (authorize client disabled).', S.oauthCustom),
  AUTHORIZE_REDIRECT_URI_MISSING: oauth('390307', 'The redirect_uri is missing, malformed, not TLS, or not registered (authorize redirect uri missing).', S.oauthCustom),
  AUTHORIZE_REDIRECT_URI_MALFORMED: oauth('390307', 'The redirect_uri is missing, malformed, not TLS, or not registered (authorize redirect uri malformed).', S.oauthCustom),
  AUTHORIZE_REDIRECT_URI_NOT_TLS: oauth('390307', 'The redirect_uri is missing, malformed, not TLS, or not registered (authorize redirect uri not tls).', S.oauthCustom),
  AUTHORIZE_REDIRECT_URI_MISMATCH: oauth('390307', 'The redirect_uri is missing, malformed, not TLS, or not registered (authorize redirect uri mismatch).', S.oauthCustom),
  AUTHORIZE_RESPONSE_TYPE_UNSUPPORTED: oauth('390304', 'response_type is not code (authorize response type unsupported).', S.oauthCustom),
  AUTHORIZE_STATE_TOO_LONG: oauth('390305', 'state is longer than 2048 characters (authorize state too long).', S.oauthCustom),
  AUTHORIZE_SCOPE_MALFORMED: oauth('390308', 'The scope is invalid, or its role cannot be granted to the user (authorize scope malformed).', S.oauthCustom),
  CONSENT_ROLE_NOT_GRANTED: oauth('390308', 'The scope is invalid, or its role cannot be granted to the user (consent role not granted).', S.oauthCustom),
  AUTHORIZE_PKCE_METHOD_UNSUPPORTED: oauth('390311', 'The PKCE challenge or method is missing, invalid or unsupported (authorize pkce method unsupported).', S.oauthCustom),
  AUTHORIZE_PKCE_INCOMPLETE: oauth('390311', 'The PKCE challenge or method is missing, invalid or unsupported (authorize pkce incomplete).', S.oauthCustom),
  AUTHORIZE_PKCE_CHALLENGE_MALFORMED: oauth('390311', 'The PKCE challenge or method is missing, invalid or unsupported (authorize pkce challenge malformed).', S.oauthCustom),
  AUTHORIZE_PKCE_REQUIRED: oauth('390311', 'The PKCE challenge or method is missing, invalid or unsupported (authorize pkce required).', S.oauthCustom),
  CONSENT_USER_DISABLED: oauth('390302', 'Consent cannot be given: user disabled, or role privileged, blocked or not allowed (consent user disabled).', S.oauthOverview, S.oauthIntegration),
  CONSENT_ROLE_PRIVILEGED: oauth('390302', 'Consent cannot be given: user disabled, or role privileged, blocked or not allowed (consent role privileged).', S.oauthOverview, S.oauthIntegration),
  CONSENT_ROLE_BLOCKED: oauth('390302', 'Consent cannot be given: user disabled, or role privileged, blocked or not allowed (consent role blocked).', S.oauthOverview, S.oauthIntegration),
  CONSENT_ROLE_NOT_ALLOWED: oauth('390302', 'Consent cannot be given: user disabled, or role privileged, blocked or not allowed (consent role not allowed).', S.oauthOverview, S.oauthIntegration),
  CLIENT_CREDENTIALS_MISSING: oauth('invalid_client', 'Client authentication failed at the token endpoint (client credentials missing).', S.oauthCustom),
  CLIENT_UNKNOWN: oauth('invalid_client', 'Client authentication failed at the token endpoint (client unknown).', S.oauthCustom),
  CLIENT_DISABLED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client disabled).', S.oauthCustom),
  CLIENT_SECRET_MISSING: oauth('invalid_client', 'Client authentication failed at the token endpoint (client secret missing).', S.oauthCustom),
  CLIENT_SECRET_MISMATCH: oauth('invalid_client', 'Client authentication failed at the token endpoint (client secret mismatch).', S.oauthCustom),
  CLIENT_BASIC_MALFORMED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client basic malformed).', S.oauthCustom),
  CLIENT_AUTH_SCHEME_UNSUPPORTED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client auth scheme unsupported).', S.oauthCustom),
  CLIENT_ID_MISMATCH: oauth('invalid_client', 'Client authentication failed at the token endpoint (client id mismatch).', S.oauthCustom),
  CLIENT_JWT_MALFORMED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt malformed).', S.oauthCustom),
  CLIENT_JWT_ALGORITHM: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt algorithm).', S.oauthCustom),
  CLIENT_JWT_NOT_CONFIGURED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt not configured).', S.oauthCustom),
  CLIENT_JWT_FINGERPRINT_MISMATCH: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt fingerprint mismatch).', S.oauthCustom),
  CLIENT_JWT_SIGNATURE_INVALID: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt signature invalid).', S.oauthCustom),
  CLIENT_JWT_SUBJECT_MISMATCH: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt subject mismatch).', S.oauthCustom),
  CLIENT_JWT_EXPIRY_MISSING: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt expiry missing).', S.oauthCustom),
  CLIENT_JWT_EXPIRED: oauth('invalid_client', 'Client authentication failed at the token endpoint (client jwt expired).', S.oauthCustom),
  CLIENT_CREDENTIALS_PUBLIC_CLIENT: oauth('invalid_client', 'Client authentication failed at the token endpoint (client credentials public client).', S.oauthCustom),
  CLIENT_AUTH_MULTIPLE_METHODS: oauth('invalid_request', 'The token request is malformed (client auth multiple methods).', S.oauthCustom),
  TOKEN_CONTENT_TYPE_UNSUPPORTED: oauth('invalid_request', 'The token request is malformed (token content type unsupported).', S.oauthCustom),
  TOKEN_PARAMETER_REPEATED: oauth('invalid_request', 'The token request is malformed (token parameter repeated).', S.oauthCustom),
  TOKEN_CODE_MISSING: oauth('invalid_request', 'The token request is malformed (token code missing).', S.oauthCustom),
  TOKEN_REDIRECT_URI_MISSING: oauth('invalid_request', 'The token request is malformed (token redirect uri missing).', S.oauthCustom),
  TOKEN_REFRESH_TOKEN_MISSING: oauth('invalid_request', 'The token request is malformed (token refresh token missing).', S.oauthCustom),
  TOKEN_SCOPE_MALFORMED: oauth('invalid_request', 'The token request is malformed (token scope malformed).', S.oauthCustom),
  CODE_UNKNOWN: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code unknown).', S.oauthOverview),
  CODE_CLIENT_MISMATCH: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code client mismatch).', S.oauthOverview),
  AUTHORIZE_PARAMETER_REPEATED: oauth('390307', 'An authorize parameter is given more than once (the code is that of the parameter: 390306 client_id, 390307 redirect_uri, …).', S.oauthCustom, S.rfc6749),
  AUTHORIZE_STATE_NOT_ASCII: oauth('390305', 'state contains characters other than printable ASCII.', S.oauthCustom),
  TOKEN_BODY_TOO_LARGE: oauth('invalid_request', 'The token request body is larger than the mock reads.'),
  CODE_REVOKED: oauth('invalid_grant', 'The code was revoked with the consent (ALTER USER … REMOVE DELEGATED AUTHORIZATION).', S.oauthCustom),
  AUTO_CONSENT_USER_UNKNOWN: oauth('390302', 'mock_auto_consent names no user of the world (pass login_hint).'),
  CODE_REUSED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code reused).', S.oauthOverview),
  CODE_EXPIRED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code expired).', S.oauthOverview),
  CODE_REDIRECT_URI_MISMATCH: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (code redirect uri mismatch).', S.oauthOverview),
  PKCE_VERIFIER_MISSING: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (pkce verifier missing).', S.oauthCustom),
  PKCE_VERIFIER_MALFORMED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (pkce verifier malformed).', S.oauthCustom),
  PKCE_VERIFIER_MISMATCH: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (pkce verifier mismatch).', S.oauthCustom),
  PKCE_REQUIRED_FOR_PUBLIC_CLIENT: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (pkce required for public client).', S.oauthCustom),
  REFRESH_TOKEN_UNKNOWN: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token unknown).', S.oauthOverview),
  REFRESH_TOKEN_CLIENT_MISMATCH: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token client mismatch).', S.oauthOverview),
  REFRESH_TOKEN_REVOKED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token revoked).', S.oauthOverview),
  REFRESH_TOKEN_REUSED_CHAIN_REVOKED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token reused chain revoked).', S.singleUseRefreshTokens),
  REFRESH_TOKEN_EXPIRED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh token expired).', S.oauthIntegration),
  REFRESH_TOKENS_DISABLED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (refresh tokens disabled).', S.oauthIntegration),
  GRANT_USER_UNKNOWN: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (grant user unknown).', S.oauthOverview),
  GRANT_USER_DISABLED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (grant user disabled).', S.oauthOverview),
  GRANT_ROLE_NOT_GRANTED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (grant role not granted).', S.oauthOverview),
  GRANT_ROLE_BLOCKED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (grant role blocked).', S.oauthOverview),
  CLIENT_CREDENTIALS_ROLE_REFUSED: oauth('invalid_grant', 'The code or refresh token is invalid, expired, reused, revoked or for another client (client credentials role refused).', S.oauthOverview),
  GRANT_TYPE_UNSUPPORTED: oauth('unsupported_grant_type', 'The grant type is not supported (grant type unsupported).', S.oauthOverview),
  CLIENT_CREDENTIALS_NOT_ENABLED: oauth('unsupported_grant_type', 'The grant type is not supported (client credentials not enabled).', S.oauthOverview),

  // Outbound OAuth: why a secret's tokens could not be used or obtained.
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
  Object.fromEntries(Object.entries(CAUSE_DATA).map(([name, c]) => [name, Object.freeze({ name, ...c, source: typeof c.source === 'string' ? c.source : Object.freeze([...c.source]) })])),
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
