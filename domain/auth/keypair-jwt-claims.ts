/**
 * Reading a key-pair JWT without trusting it (reference §2.1): split and decode the three
 * segments, parse `iss`/`sub` into account, user and fingerprint, and normalise `iat`/`exp` to
 * epoch milliseconds. Pure and total: every input yields a value or a {@link ClaimProblem},
 * nothing throws. Signature, key and time decisions live in `keypair-jwt.ts`.
 */

/** Tokens longer than this are refused before any decoding (mock limit, inferred). */
export const MAX_TOKEN_LENGTH = 16_384;
/** `iat` must be within 60 s of the token reaching Snowflake (reference §2.1). */
export const ISSUE_WINDOW_MS = 60_000;
/** Lifetime cap: a JWT is valid at most 1 h after `iat`, whatever `exp` says (reference §2.1). */
export const MAX_LIFETIME_MS = 3_600_000;
/** `iat`/`exp` above this are milliseconds (snowflake-sdk), below it seconds (reference §2.1, drivers §3.3). */
export const MILLISECONDS_THRESHOLD = 1e12;

/** Named causes for refusals finer than the wire code but without a 3943xx number of their own. */
export const JWT_CAUSES = {
  /** Not a JWT, not base64url JSON, iss/sub not in the documented format, no `SHA256:` prefix, too long. */
  malformed: 'JWT_MALFORMED',
  /** Account or user in iss/sub not upper-case (reference §2.1). */
  notUpperCase: 'JWT_NOT_UPPERCASE',
  /** `sub` is not the `<ACCOUNT>.<USER>` of `iss` (reference §2.1, §2.4). */
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

/** The three segments of a JWT, with header and payload decoded to objects. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `<header>.<payload>` exactly as received: what the signature covers. */
  readonly signingInput: string;
  /** Signature segment, base64url. */
  readonly signature: string;
}

/** `iss` = `<ACCOUNT>.<USER>.SHA256:<fp>` and `sub` = `<ACCOUNT>.<USER>`, taken apart. */
export interface IssuerClaims {
  readonly account: string;
  readonly user: string;
  /** Including the `SHA256:` prefix, as `DESC USER` shows it (reference §2.2). */
  readonly fingerprint: string;
}

/** `iat`/`exp` in epoch ms, and the effective expiry after the 1 h cap. */
export interface TimeClaims {
  readonly iat: number;
  readonly exp: number;
  /** min(exp, iat + 1 h) (reference §2.1: capped, not rejected). */
  readonly effectiveExp: number;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
const SHA256_MARK = '.SHA256:';

const problem = (cause: string, rule: string, explanation: string): ClaimProblem => ({ ok: false, cause, rule, explanation });
const malformed = (explanation: string): ClaimProblem => problem(JWT_CAUSES.malformed, 'reference §2.1', explanation);

/**
 * Quotes an untrusted value for a one-line explanation: JSON-escaped, cut to `max` characters.
 *
 * @example
 * quote('a\nb') // '"a\\nb"'
 */
export function quote(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : String(JSON.stringify(value) ?? typeof value);
  const cut = text.length > max ? text.slice(0, max) + '…' : text;
  return JSON.stringify(cut);
}

export { isoTime as iso } from '../clock.ts';

/**
 * Splits and decodes a compact JWS. Refuses over-long tokens before touching them.
 *
 * @example
 * const d = decodeJwt(token); if (d.ok) d.header.alg
 */
export function decodeJwt(token: unknown): Read<DecodedJwt> {
  if (typeof token !== 'string') return malformed(`token is a ${typeof token}, not a string`);
  if (token.length > MAX_TOKEN_LENGTH) return malformed(`token is ${token.length} characters long (limit ${MAX_TOKEN_LENGTH}); not a key-pair JWT`);
  const parts = token.split('.');
  if (parts.length !== 3) return malformed(`token has ${parts.length} dot-separated segment(s); a JWT has 3`);
  const [h = '', p = '', signature = ''] = parts;
  const header = decodeSegment(h);
  if (!header) return malformed('JWT header is not a base64url-encoded JSON object');
  const payload = decodeSegment(p);
  if (!payload) return malformed('JWT payload is not a base64url-encoded JSON object');
  if (!B64URL.test(signature)) return malformed('JWT signature is not base64url');
  return { ok: true, header, payload, signingInput: `${h}.${p}`, signature };
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (segment === '' || !B64URL.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
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
  if (lower) return problem(JWT_CAUSES.notUpperCase, 'reference §2.1', `iss ${lower} is not upper-case; account and user in iss/sub must be UPPER-CASE`);
  if (sub !== principal) {
    const what = typeof sub === 'string' ? quote(sub) : sub === undefined ? 'missing' : `not a string (${quote(sub)})`;
    return problem(JWT_CAUSES.subjectMismatch, 'reference §2.1', `sub ${what} is not ${quote(principal)}, the <ACCOUNT>.<USER> of iss`);
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
      return problem('394301', 'reference §2.4', `${name} is ${what}; a key-pair JWT needs numeric iat and exp`);
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
