/**
 * Reading a key-pair JWT without trusting it (https://docs.snowflake.com/en/user-guide/key-pair-auth): decode header and claims through
 * jose, parse `iss`/`sub` into account, user and fingerprint, and normalise `iat`/`exp` to
 * epoch milliseconds. Pure and total: every input yields a value or a {@link ClaimProblem},
 * nothing throws. Signature, key and time decisions live in `keypair-jwt.ts`.
 */
import { decodeJwt as decodeClaims, decodeProtectedHeader } from 'jose';
import { SOURCES } from '../errors/sources.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../json-object.ts';
import { quoteUntrusted as quote } from '../safe-text.ts';

/** Tokens longer than this are refused before any decoding (mock limit, inferred). */
export const MAX_TOKEN_LENGTH = 16_384;
/** `iat` must be within 60 s of the token reaching Snowflake (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating). */
export const ISSUE_WINDOW_MS = 60_000;
/** Lifetime cap: a JWT is valid at most 1 h after `iat`, whatever `exp` says (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating). */
export const MAX_LIFETIME_MS = 3_600_000;
/**
 * `iat`/`exp` above this are milliseconds, below it seconds; both are accepted
 * (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating), and snowflake-sdk sends
 * milliseconds (test/driver/driver-cases.ts).
 */
export const MILLISECONDS_THRESHOLD = 1e12;

/** Named causes for refusals finer than the wire code but without a 3943xx number of their own. */
export const JWT_CAUSES = {
  /** Not a JWT, not base64url JSON, iss/sub not in the documented format, no `SHA256:` prefix, too long. */
  malformed: 'JWT_MALFORMED',
  /** Account or user in iss/sub not upper-case (sql-api/authenticating). */
  notUpperCase: 'JWT_NOT_UPPERCASE',
  /** `sub` is not the `<ACCOUNT>.<USER>` of `iss` (sql-api/authenticating). */
  subjectMismatch: 'JWT_SUBJECT_MISMATCH',
  /** The user named by the token is disabled (inferred: Snowflake's specific code is not documented). */
  userDisabled: 'USER_DISABLED',
} as const;

/** Why a token could not be read; `cause` is a 3943xx code or a {@link JWT_CAUSES} name. */
export interface ClaimProblem {
  readonly ok: false;
  readonly cause: string;
  readonly rule: string;
  readonly explanation: string;
}

export type Read<T> = ({ readonly ok: true } & T) | ClaimProblem;

/** A compact JWS with its header and payload decoded (not verified) to objects. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The compact form as received: what jose verifies. */
  readonly compact: string;
}

/** `iss` = `<ACCOUNT>.<USER>.SHA256:<fp>` and `sub` = `<ACCOUNT>.<USER>`, taken apart. */
export interface IssuerClaims {
  readonly account: string;
  readonly user: string;
  /** Including the `SHA256:` prefix, as `DESC USER` shows it (https://docs.snowflake.com/en/user-guide/key-pair-auth). */
  readonly fingerprint: string;
}

/** `iat`/`exp` in epoch ms, and the effective expiry after the 1 h cap. */
export interface TimeClaims {
  readonly iat: number;
  readonly exp: number;
  /** min(exp, iat + 1 h) (capped, not rejected: sql-api/authenticating). */
  readonly effectiveExp: number;
}

/** Unpadded base64url; a length of 4n + 1 decodes to nothing whole. */
const B64URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$/;
const SHA256_MARK = '.SHA256:';

const problem = (cause: string, rule: string, explanation: string): ClaimProblem => ({ ok: false, cause, rule, explanation });
const malformed = (explanation: string): ClaimProblem => problem(JWT_CAUSES.malformed, SOURCES.sqlApiAuthenticating, explanation);

export { isoTime as iso } from '../clock.ts';

/**
 * Decodes a compact JWS without verifying it: header and claims through jose (`decodeProtectedHeader`,
 * `decodeJwt`; https://github.com/panva/jose). Refuses over-long tokens before touching them, and
 * segments that are not unpadded base64url (RFC 7515 §7.1), whatever the runtime's decoder forgives.
 *
 * @example
 * const d = decodeJwt(token); if (d.ok) d.header.alg
 */
export function decodeJwt(token: unknown): Read<DecodedJwt> {
  if (typeof token !== 'string') return malformed(`token is a ${typeof token}, not a string`);
  if (token.length > MAX_TOKEN_LENGTH) return malformed(`token is ${token.length} characters long (limit ${MAX_TOKEN_LENGTH}); not a key-pair JWT`);
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) return malformed(`token has ${segmentCount(token)} dot-separated segment(s); a JWT has 3`);
  const header = first > 0 && B64URL.test(token.slice(0, first)) ? decodeWith(decodeProtectedHeader, token) : undefined;
  if (!header) return malformed('JWT header is not a base64url-encoded JSON object');
  if (tooDeep(token.slice(0, first))) return malformed(`JWT header is nested more than ${MAX_JSON_DEPTH} levels deep`);
  const payload = second > first + 1 && B64URL.test(token.slice(first + 1, second)) ? decodeWith(decodeClaims, token) : undefined;
  if (!payload) return malformed('JWT payload is not a base64url-encoded JSON object');
  if (tooDeep(token.slice(first + 1, second))) return malformed(`JWT payload is nested more than ${MAX_JSON_DEPTH} levels deep`);
  if (!B64URL.test(token.slice(second + 1))) return malformed('JWT signature is not base64url');
  return { ok: true, header, payload, compact: token };
}

/**
 * A segment's JSON nests deeper than any header or claims set needs: refused as malformed, like
 * any other body (domain/json-object.ts), before a verifier or an explanation walks it. Only
 * segments jose already read as a JSON object get here, so the decoding cannot fail.
 */
function tooDeep(segment: string): boolean {
  return exceedsJsonDepth(Buffer.from(segment, 'base64url').toString('utf8'));
}

function segmentCount(token: string): number {
  let count = 1;
  for (let at = token.indexOf('.'); at >= 0; at = token.indexOf('.', at + 1)) count++;
  return count;
}

/** jose's decoders throw on anything but a base64url JSON object; that is all we need to know. */
function decodeWith(decode: (token: string) => Record<string, unknown>, token: string): Record<string, unknown> | undefined {
  try {
    return decode(token);
  } catch {
    return undefined;
  }
}

/**
 * Parses `iss` by the LAST `.SHA256:` (login names may contain dots); account is the text before
 * the first '.', user the rest. Checks upper case and that `sub` repeats account and user.
 *
 * @example
 * parseIssuer({ iss: 'MYORG-MYACCOUNT.ALICE.SHA256:abc=', sub: 'MYORG-MYACCOUNT.ALICE' }) // { ok: true, account: 'MYORG-MYACCOUNT', user: 'ALICE', … }
 */
export function parseIssuer(payload: Readonly<Record<string, unknown>>): Read<IssuerClaims> {
  const { iss, sub } = payload;
  if (typeof iss !== 'string') return malformed(`iss is ${iss === undefined ? 'missing' : `not a string (${quote(iss)})`}; expected <ACCOUNT>.<USER>.SHA256:<fingerprint>`);
  const mark = iss.lastIndexOf(SHA256_MARK);
  if (mark < 0) {
    const hint = /\.sha256:/i.test(iss) ? ' (the prefix is case-sensitive: SHA256:)' : '';
    return malformed(`iss ${quote(iss)} has no ".SHA256:<fingerprint>" part${hint}; expected <ACCOUNT>.<USER>.SHA256:<fingerprint>`);
  }
  const principal = iss.slice(0, mark);
  const fingerprint = iss.slice(mark + 1);
  const dot = principal.indexOf('.');
  const account = dot < 0 ? '' : principal.slice(0, dot);
  const user = dot < 0 ? '' : principal.slice(dot + 1);
  if (account === '' || user === '' || fingerprint === 'SHA256:') {
    return malformed(`iss ${quote(iss)} is not <ACCOUNT>.<USER>.SHA256:<fingerprint>`);
  }
  const lower = account !== account.toUpperCase() ? `account ${quote(account)}` : user !== user.toUpperCase() ? `user ${quote(user)}` : undefined;
  if (lower) return problem(JWT_CAUSES.notUpperCase, SOURCES.sqlApiAuthenticating, `iss ${lower} is not upper-case; account and user in iss/sub must be UPPER-CASE`);
  if (sub !== principal) {
    const what = typeof sub === 'string' ? quote(sub) : sub === undefined ? 'missing' : `not a string (${quote(sub)})`;
    return problem(JWT_CAUSES.subjectMismatch, SOURCES.sqlApiAuthenticating, `sub ${what} is not ${quote(principal)}, the <ACCOUNT>.<USER> of iss`);
  }
  return { ok: true, account, user, fingerprint };
}

/**
 * Reads `iat` and `exp` (both required numbers, seconds or milliseconds) into epoch ms, and caps
 * the lifetime at 1 h. `nbf` (gosnowflake sends 2015-10-10) is ignored, like Snowflake does.
 *
 * @example
 * readTimeClaims({ iat: 1767268800, exp: 1767272340 }) // { ok: true, iat: 1767268800000, exp: 1767272340000, effectiveExp: 1767272340000 }
 */
export function readTimeClaims(payload: Readonly<Record<string, unknown>>): Read<TimeClaims> {
  const { iat, exp } = payload;
  for (const [name, value] of [['iat', iat], ['exp', exp]] as const) {
    if (typeof value !== 'number') {
      const what = value === undefined ? 'missing' : `not a number (${quote(value)})`;
      return problem('394301', SOURCES.keyPairTroubleshooting, `${name} is ${what}; a key-pair JWT needs numeric iat and exp`);
    }
  }
  const iatMs = toEpochMs(iat as number);
  const expMs = toEpochMs(exp as number);
  return { ok: true, iat: iatMs, exp: expMs, effectiveExp: Math.min(expMs, iatMs + MAX_LIFETIME_MS) };
}

/**
 * NumericDate in seconds or milliseconds to epoch ms: values above 10^12 are already ms.
 *
 * @example
 * toEpochMs(1767268800) === toEpochMs(1767268800000) // true
 */
export function toEpochMs(value: number): number {
  return value > MILLISECONDS_THRESHOLD ? value : value * 1000;
}
