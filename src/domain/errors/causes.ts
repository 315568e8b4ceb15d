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

  // Network policy (390422).
  NETWORK_POLICY_BLOCKED: {
    wireCode: '390422',
    when: 'The client IP is blocked, or not allowed, by the policy in force.',
    fidelity: 'inferred',
    reference: 'auth-surface §4.2–§4.4',
  },
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
