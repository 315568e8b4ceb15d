/**
 * Key-pair JWT authentication (https://docs.snowflake.com/en/user-guide/key-pair-auth): the bearer
 * JWT of the SQL/REST API and the `SNOWFLAKE_JWT` login token. Every failure answers the generic
 * 390144 on the wire, with the specific 3943xx reason
 * (https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting) or a named cause (`JWT_CAUSES`) in `rejection.cause`;
 * the http layer decides (switch `jwtSpecificErrors`) whether the 3943xx goes on the wire.
 *
 * Verified tokens are cached until their effective expiry or a key/user change, so reuse costs a
 * map lookup and a few identity checks instead of a signature verification (DESIGN.md §5.8).
 * Time comes only from `ctx.now` (the mock clock).
 *
 * The signature is checked by jose (`compactVerify` with an explicit algorithm allow-list,
 * https://github.com/panva/jose), asynchronously: a first-sight token that gets that far is
 * answered with a promise; a cached token, and every refusal before the signature, synchronously.
 * jose validates no claim: the time rules below are Snowflake's, on the mock clock
 * (https://docs.snowflake.com/en/user-guide/key-pair-auth).
 */
import type { KeyObject } from 'node:crypto';
import type { Awaitable } from '../awaitable.ts';
import { BoundedMap } from '../bounded-map.ts';
import { defaultSessionRole } from '../world/roles.ts';
import { reject } from '../errors/rejection.ts';
import { SOURCES } from '../errors/sources.ts';
import { verifyJws, type JoseFailure } from './jws.ts';
import type { Account, PublicKeySlot, User } from '../world/model.ts';
import type { AuthContext, AuthOutcome } from './context.ts';
import {
  decodeJwt,
  ISSUE_WINDOW_MS,
  iso,
  JWT_CAUSES,
  MAX_TOKEN_LENGTH,
  parseIssuer,
  readTimeClaims,
  type ClaimProblem,
  type DecodedJwt,
  type IssuerClaims,
  type TimeClaims,
} from './keypair-jwt-claims.ts';
import { quoteUntrusted as quote } from '../safe-text.ts';

export { JWT_CAUSES } from './keypair-jwt-claims.ts';

export interface KeypairJwtVerifier {
  /**
   * Verifies a bearer/login JWT for the routed account. Synchronous for a cached token and for a
   * refusal before the signature; a promise when jose has to check a signature.
   *
   * @example
   * const outcome = await verifier.verify(token, ctx)
   * if (!outcome.ok) console.log(outcome.rejection.cause) // e.g. '394304'
   */
  verify(token: string, ctx: AuthContext): Awaitable<AuthOutcome>;
  /**
   * Forget cached verifications (call after any key, user or world change). First-use times are
   * kept, so a JWT already accepted is not refused for its issue time after a world change.
   *
   * @example
   * verifier.invalidate()
   */
  invalidate(): void;
  /**
   * Number of cached verified tokens (for tests/bench).
   *
   * @example
   * verifier.cacheSize // 1 after one successful verify
   */
  readonly cacheSize: number;
}

const METHOD = 'KEYPAIR_JWT' as const;
/** What clients see for every JWT failure by default (https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting). */
const WIRE_CODE = '390144';
/** BCR 2026_07: an expired key-pair JWT answers 390318 instead (https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_07/bcr-2421). */
const BCR_EXPIRED_CODE = '390318';
const DEFAULT_MAX_CACHE_ENTRIES = 10_000;
/** Entries examined for expiry per call: small slices, no timers (DESIGN.md §5.8). */
const SWEEP_SLICE = 4;

/**
 * The algorithms a user's public key can verify; jose checks that the key fits (RS* an RSA key of
 * at least 2048 bits, ES* an EC key on that curve, signatures in JWS's r||s encoding).
 */
const VERIFIABLE: ReadonlySet<string> = new Set(['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512']);

/** A verified token, and what must still hold for it to be reused without a signature check. */
interface Verified {
  readonly accountName: string;
  readonly userName: string;
  readonly loginName: string;
  readonly slot: PublicKeySlot['slot'];
  readonly fingerprint: string;
  readonly key: KeyObject;
  readonly alg: string;
  /** `exp` as signed, epoch ms (for the "capped at 1 h" explanation). */
  readonly exp: number;
  /** Effective expiry, epoch ms. */
  readonly expiresAt: number;
}

/** When a token was first accepted; the issue-time window is judged then only. */
interface Seen {
  readonly firstSeen: number;
  readonly expiresAt: number;
}

type Failure = Extract<AuthOutcome, { ok: false }>;
type Problem = Pick<ClaimProblem, 'cause' | 'rule' | 'explanation'>;
/** A token whose claims passed; its signature and time are still to be judged. */
interface Checked {
  readonly user: User;
  readonly slot: PublicKeySlot;
  readonly issuer: IssuerClaims;
  readonly times: TimeClaims;
  readonly alg: string;
}

/**
 * Creates a verifier with its own bounded cache (default 10 000 verified tokens; the oldest is
 * evicted first, expired ones are swept a few per call).
 *
 * @example
 * const jwt = createKeypairJwtVerifier({ maxCacheEntries: 1000 })
 * await jwt.verify(bearerToken, ctx)
 */
export function createKeypairJwtVerifier(options: { maxCacheEntries?: number } = {}): KeypairJwtVerifier {
  const max = Math.max(1, Math.floor(options.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES));
  const verified = createExpiringCache<Verified>(max);
  const seen = createExpiringCache<Seen>(max);

  const verifyFully = (token: string, ctx: AuthContext): Awaitable<AuthOutcome> => {
    const decoded = decodeJwt(token);
    if (!decoded.ok) return fail(decoded);
    const checked = checkToken(decoded, ctx);
    if ('rejection' in checked) return checked;
    return checkSignature(decoded.compact, checked, ctx).then((bad) => bad ?? accept(token, checked, ctx));
  };

  // The signature holds: judge the time rules, then remember the token.
  const accept = (token: string, { user, slot, issuer, times, alg }: Checked, ctx: AuthContext): AuthOutcome => {
    const firstSeen = seen.map.get(token)?.firstSeen ?? ctx.now;
    const late = checkTimes(times, firstSeen, ctx, user);
    if (late) return late;
    if (!seen.map.has(token)) seen.set(token, { firstSeen, expiresAt: times.effectiveExp });
    verified.set(token, {
      accountName: ctx.account.name, userName: user.name, loginName: issuer.user,
      slot: slot.slot, fingerprint: slot.fingerprint, key: slot.key, alg, exp: times.exp, expiresAt: times.effectiveExp,
    });
    return success(user, slot, '', times.effectiveExp);
  };

  // Reuse needs the same account, algorithm still allowed, same user, same key object in the same
  // slot; any doubt falls back to a full verification (which names the precise reason).
  const reuse = (token: string, entry: Verified, ctx: AuthContext): AuthOutcome | undefined => {
    if (entry.accountName !== ctx.account.name) return undefined; // valid elsewhere; full check says 394307
    const user = ctx.account.users.get(entry.userName);
    if (user && ctx.now >= entry.expiresAt) return expired(user, entry.expiresAt, entry.exp, ctx);
    const slot = user && slotNamed(user, entry.slot);
    const intact = user !== undefined && !user.disabled && user.loginName === entry.loginName
      && slot?.key === entry.key && slot.fingerprint === entry.fingerprint
      && ctx.world.switches.jwtAlgorithms.includes(entry.alg);
    if (!intact || !slot) {
      verified.map.delete(token);
      return undefined;
    }
    return success(user, slot, ` (cached; valid until ${iso(entry.expiresAt)})`, entry.expiresAt);
  };

  return {
    verify(token, ctx) {
      verified.sweep(ctx.now);
      seen.sweep(ctx.now);
      const entry = typeof token === 'string' ? verified.map.get(token) : undefined;
      return (entry && reuse(token, entry, ctx)) ?? verifyFully(token, ctx);
    },
    invalidate() {
      verified.map.clear();
    },
    get cacheSize() {
      return verified.map.size;
    },
  };
}

/** Everything but signature and time: algorithm, iss/sub, account, user, key slot, iat/exp presence. */
function checkToken(decoded: DecodedJwt, ctx: AuthContext): Failure | Checked {
  const alg = checkAlgorithm(decoded.header, ctx);
  if (typeof alg !== 'string') return fail(alg);
  const issuer = parseIssuer(decoded.payload);
  if (!issuer.ok) return fail(issuer);
  const wrongAccount = checkAccount(issuer, ctx);
  if (wrongAccount) return fail(wrongAccount);
  const user = findUser(issuer.user, ctx.account);
  if (!user) return fail(unknownUser(issuer.user, ctx.account));
  // Inferred: a disabled user cannot log in by any method; Snowflake documents no 3943xx for it.
  if (user.disabled) return fail({ cause: JWT_CAUSES.userDisabled, rule: SOURCES.decisionInferred, explanation: `user ${user.name} is disabled; its key-pair JWT is refused` }, user);
  const slot = matchSlot(user, issuer.fingerprint);
  if (!('key' in slot)) return fail(slot, user);
  // No iat or no exp → 394301 (checked before the costly signature).
  const times = readTimeClaims(decoded.payload);
  if (!times.ok) return fail(times, user);
  return { user, slot, issuer, times, alg };
}

/** `alg` must be in switch `jwtAlgorithms` (default RS256) → else 394305 (key-pair-auth-troubleshooting). `typ` is not checked. */
function checkAlgorithm(header: Readonly<Record<string, unknown>>, ctx: AuthContext): string | Problem {
  const alg = header.alg;
  const allowed = ctx.world.switches.jwtAlgorithms;
  if (typeof alg !== 'string' || !allowed.includes(alg)) {
    return { cause: '394305', rule: SOURCES.keyPairTroubleshooting, explanation: `header alg ${quote(alg)} is not an accepted key-pair JWT algorithm (switch jwtAlgorithms: ${allowed.join(', ') || 'none'})` };
  }
  if (!VERIFIABLE.has(alg)) {
    return { cause: '394305', rule: SOURCES.keyPairTroubleshooting, explanation: `header alg ${quote(alg)} is in switch jwtAlgorithms but cannot be verified with a user's public key (RS256/384/512, ES256/384/512 only)` };
  }
  return alg;
}

/**
 * The token's account must be the routed account, as org-account name or as locator (both forms
 * are accepted, https://docs.snowflake.com/en/developer-guide/sql-api/authenticating) → else 394307
 * (https://docs.snowflake.com/en/sql-reference/functions/system_get_login_failure_details), whether
 * it names another account or nothing.
 */
function checkAccount(issuer: IssuerClaims, ctx: AuthContext): Problem | undefined {
  const routed = ctx.account;
  if (issuer.account === routed.name || issuer.account === routed.locator) return undefined;
  const other = ctx.world.accounts.find((a) => a !== routed && (a.name === issuer.account || a.locator === issuer.account));
  const named = other ? `names account ${other.name}` : 'names no known account';
  return { cause: '394307', rule: SOURCES.loginFailureDetails, explanation: `iss account ${quote(issuer.account)} ${named}, not the routed account ${routed.name} (locator ${routed.locator})${accountHint(issuer, routed)}` };
}

/** Says what the client probably did wrong with the account identifier (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating). */
function accountHint(issuer: IssuerClaims, routed: Account): string {
  const dotted = `${issuer.account}-${issuer.user.split('.', 1)[0]}`;
  if (dotted === routed.name) return `; periods in the account identifier must be hyphens (${routed.name})`;
  if (issuer.account.replace(/_/g, '-') === routed.name) return `; use a hyphen, not an underscore, between organization and account (${routed.name})`;
  return '';
}

/** USER is the LOGIN_NAME, not NAME (key-pair-auth-troubleshooting). Most users have LOGIN_NAME = NAME, so try that first. */
function findUser(login: string, account: Account): User | undefined {
  const direct = account.users.get(login);
  if (direct?.loginName === login) return direct;
  for (const user of account.users.values()) if (user.loginName === login) return user;
  return undefined;
}

const REGION = /^[A-Z]+(?:-[A-Z]+)*-?\d+$/;
const CLOUD = /^(?:AWS|AZURE|GCP|GLOBAL)$/;

/** 394300 (key-pair-auth-troubleshooting), with a hint when the token used NAME or left a region on a locator. */
function unknownUser(login: string, account: Account): Problem {
  const byName = account.users.get(login);
  const [first = '', second = ''] = login.split('.');
  const hint = byName
    ? ` (it is the NAME of user ${byName.name}, whose LOGIN_NAME is ${byName.loginName}; iss must carry the LOGIN_NAME)`
    : login.includes('.') && (REGION.test(first) || CLOUD.test(second))
      ? '; periods in the account identifier must be hyphens / drop the region from a locator (XY12345, not XY12345.US-EAST-2.AWS)'
      : '';
  return { cause: '394300', rule: SOURCES.keyPairTroubleshooting, explanation: `iss user ${quote(login)} is not the LOGIN_NAME of any user of ${account.name}${hint}` };
}

function slotNamed(user: User, slot: PublicKeySlot['slot']): PublicKeySlot | undefined {
  return slot === 'RSA_PUBLIC_KEY' ? user.rsaPublicKey : user.rsaPublicKey2;
}

/** The iss fingerprint picks the slot (https://docs.snowflake.com/en/user-guide/key-pair-auth); neither matches → 394304. */
function matchSlot(user: User, fingerprint: string): PublicKeySlot | Problem {
  const { rsaPublicKey: one, rsaPublicKey2: two } = user;
  if (one?.fingerprint === fingerprint) return one;
  if (two?.fingerprint === fingerprint) return two;
  const shown = /^SHA256:[A-Za-z0-9+/=_-]{1,100}$/.test(fingerprint) ? fingerprint : quote(fingerprint);
  return {
    cause: '394304', rule: SOURCES.keyPairTroubleshooting,
    explanation: `fingerprint ${shown} matches neither RSA_PUBLIC_KEY (${one?.fingerprint ?? 'unset'}) nor RSA_PUBLIC_KEY_2 (${two?.fingerprint ?? 'unset'}) of ${user.name}`,
  };
}

/**
 * The signature must verify with the matched slot's key → else 394306
 * (https://docs.snowflake.com/en/user-guide/key-pair-auth-troubleshooting). jose
 * verifies, allowing only the switched-on algorithms a public key can verify. Decision: an allowed
 * alg whose key type does not fit (ES256 with an RSA key, RS256 with an EC key, ES384 with a P-256
 * key) is also 394306: the algorithm is accepted, but this key cannot have signed it.
 */
async function checkSignature(compact: string, { alg, slot, user }: Checked, ctx: AuthContext): Promise<Failure | undefined> {
  const failure = await verifyJws(compact, slot.key, verifiableAlgorithms(ctx));
  return failure && fail(keypairJoseProblem(failure, alg, slot, user, ctx), user);
}

function verifiableAlgorithms(ctx: AuthContext): string[] {
  return ctx.world.switches.jwtAlgorithms.filter((alg) => VERIFIABLE.has(alg));
}

/**
 * jose's refusal as the key-pair cause it stands for: a bad signature or a key that cannot have
 * made it → 394306; an algorithm jose was not allowed to (or cannot) verify → 394305; a compact
 * form jose cannot read, or a critical header extension it does not know → JWT_MALFORMED.
 *
 * @example
 * keypairJoseProblem({ kind: 'signature', reason: 'signature verification failed' }, 'RS256', slot, user, ctx) // { cause: '394306', … }
 */
export function keypairJoseProblem(failure: JoseFailure, alg: string, slot: PublicKeySlot, user: User, ctx: AuthContext): Problem {
  const where = `${slot.slot} (${slot.fingerprint}) of ${user.name}`;
  switch (failure.kind) {
    case 'signature':
      return { cause: '394306', rule: SOURCES.keyPairTroubleshooting, explanation: `${alg} signature of the key-pair JWT does not verify with ${where}` };
    case 'key':
      return { cause: '394306', rule: SOURCES.keyPairTroubleshooting, explanation: `${alg} signature cannot come from the ${describeKey(slot.key)} in ${where}` };
    case 'algorithm':
      return { cause: '394305', rule: SOURCES.keyPairTroubleshooting, explanation: `header alg ${quote(alg)} is not an accepted key-pair JWT algorithm (switch jwtAlgorithms: ${ctx.world.switches.jwtAlgorithms.join(', ') || 'none'})` };
    case 'unsupported':
      if (!VERIFIABLE.has(alg)) return { cause: '394305', rule: SOURCES.keyPairTroubleshooting, explanation: `header alg ${quote(alg)} cannot be verified with a user's public key (RS256/384/512, ES256/384/512 only)` };
      return { cause: JWT_CAUSES.malformed, rule: SOURCES.sqlApiAuthenticating, explanation: `the key-pair JWT header is not one the verifier understands: ${failure.reason}` };
    case 'malformed':
      return { cause: JWT_CAUSES.malformed, rule: SOURCES.sqlApiAuthenticating, explanation: `the key-pair JWT is not a readable compact JWS: ${failure.reason}` };
  }
}

function describeKey(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return `${(key.asymmetricKeyType ?? 'unknown').toUpperCase()}${curve ? ` ${curve}` : ''} key`;
}

/**
 * Time rules (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating): exp must be
 * after iat; effective expiry = min(exp, iat + 1 h), capped silently, never refused for a long exp
 * → past it 394303; iat within 60 s of use → else 394302.
 *
 * Inferred decision (decisions/0003): the 60 s window is judged when the verifier FIRST sees (accepts) the token,
 * so a JWT accepted once stays usable until its effective expiry, as SQL API clients reuse one
 * JWT for up to an hour. An iat more than 60 s in the future is refused the same way.
 */
function checkTimes(times: TimeClaims, firstSeen: number, ctx: AuthContext, user: User): Failure | undefined {
  if (times.exp <= times.iat) return expired(user, times.effectiveExp, times.exp, ctx, `exp ${iso(times.exp)} is not after iat ${iso(times.iat)}`);
  if (ctx.now >= times.effectiveExp) return expired(user, times.effectiveExp, times.exp, ctx);
  const early = firstSeen - times.iat;
  if (Math.abs(early) <= ISSUE_WINDOW_MS) return undefined;
  const side = early > 0 ? 'before' : 'after';
  const explanation = `iat ${iso(times.iat)} of ${user.name}'s key-pair JWT is ${seconds(Math.abs(early))} s ${side} first use at ${iso(firstSeen)} (window 60 s, judged on first use — inferred)`;
  return fail({ cause: '394302', rule: SOURCES.keyPairTroubleshooting, explanation }, user);
}

/** 394303; under BCR 2026_07 the wire code becomes 390318, the cause stays (https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_07/bcr-2421). */
function expired(user: User, effectiveExp: number, exp: number, ctx: AuthContext, why?: string): Failure {
  const bcr = ctx.world.switches.bcr2026_07;
  const reason = why ?? `expired at ${iso(effectiveExp)}${effectiveExp < exp ? ` (exp ${iso(exp)} capped at iat + 1 h)` : ''}, now ${iso(ctx.now)}`;
  const explanation = `key-pair JWT of ${user.name} ${why ? 'is invalid: ' : ''}${reason}${bcr ? ' (BCR 2026_07: wire code 390318)' : ''}`;
  return fail({ cause: '394303', rule: bcr ? SOURCES.bcr2026_07 : SOURCES.keyPairTroubleshooting, explanation }, user, bcr ? BCR_EXPIRED_CODE : WIRE_CODE);
}

function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

function fail(problem: Problem, user?: User, code = WIRE_CODE): Failure {
  return { ok: false, method: METHOD, ...(user && { user }), rejection: reject(code, problem.rule, problem.explanation, problem.cause) };
}

/** Session role: the default role while it is still granted, else PUBLIC. */
function success(user: User, slot: PublicKeySlot, suffix: string, validUntil: number): AuthOutcome {
  return { ok: true, method: METHOD, user, role: defaultSessionRole(user), validUntil, explanation: `key-pair JWT of ${user.name} verified with ${slot.slot} (${slot.fingerprint})${suffix}` };
}

/**
 * A {@link BoundedMap} (oldest insertion evicted in O(1), issue #14) whose expired entries are swept
 * in slices (also the External OAuth verification cache).
 *
 * @example
 * const cache = createExpiringCache<{ expiresAt: number }>(10_000); cache.sweep(now); cache.map.get(token)
 */
export function createExpiringCache<V extends { readonly expiresAt: number }>(max: number) {
  const map = new BoundedMap<string, V>(max);
  return {
    map,
    // Setting a held key makes it the newest entry, so a re-verified token is evicted last.
    set: (key: string, value: V): void => void map.set(key, value),
    sweep: (now: number): void => void map.sweep(SWEEP_SLICE, (v) => v.expiresAt <= now),
  };
}

/** Inferred (decisions/0004): Snowflake does not document how it recognises a key-pair JWT. */
const INFERRED_ISS = /^[^.]+\.[^.].*\.SHA256:/i;

/**
 * Cheap shape test used to infer the token type when `X-Snowflake-Authorization-Token-Type` is
 * absent: three base64url segments whose payload JSON has an `iss` like `ACCOUNT.USER.SHA256:…`.
 * The heuristic is `inferred` (decisions/0004): Snowflake "examines the token" without saying how
 * (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating).
 *
 * @example
 * looksLikeKeypairJwt(await signKeypairJwt({ privateKey, account: 'MYORG-MYACCOUNT', user: 'ALICE' })) // true
 * looksLikeKeypairJwt('pat-secret') // false
 */
export function looksLikeKeypairJwt(token: string): boolean {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return false;
  const decoded = decodeJwt(token);
  return decoded.ok && isKeypairIssuer(decoded.payload.iss);
}

/**
 * Whether a decoded `iss` has the key-pair form `ACCOUNT.USER.SHA256:…` (inferred, as above).
 *
 * @example
 * isKeypairIssuer('MYORG-MYACCOUNT.ALICE.SHA256:abc=') // true
 */
export function isKeypairIssuer(iss: unknown): boolean {
  return typeof iss === 'string' && INFERRED_ISS.test(iss);
}
