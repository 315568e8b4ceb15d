/**
 * Programmatic access tokens as bearer tokens (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens,
 * seed 003). Every refusal is PAT_INVALID on the wire (394400 "Programmatic access token is
 * invalid.", as the drivers' PAT fixtures under recordings/driver-fixtures/ answer); the finer `cause`
 * is for the journal only. The IP check itself runs later in the shared bearer flow; this module
 * only enforces that a policy is *required* (see {@link patNetworkPolicyEnforced}).
 */
import { defaultSessionRole } from '../world/roles.ts';
import { patBypassApplies, patRequiresNetworkPolicy } from '../world/pat-network.ts';
import { SERVICE_USER_TYPES } from '../world/validate.ts';
import { isoTime } from '../clock.ts';
import { reject } from '../errors/rejection.ts';
import { SOURCES } from '../errors/sources.ts';
import { selectPolicy } from '../network/precedence.ts';
import type { Account, ProgrammaticAccessToken, RotatedPatSecret, User, World } from '../world/model.ts';
import type { AuthContext, AuthFailure, AuthOutcome } from './context.ts';

/** Where a secret leads: the token, its owner, and the rotated secret when an old one was used. */
export interface PatHit {
  readonly account: Account;
  readonly user: User;
  readonly pat: ProgrammaticAccessToken;
  /** Set when the secret is a rotated (old) secret still inside its grace period or past it. */
  readonly rotated?: RotatedPatSecret;
}

/** Secret → token lookup over the whole world; rebuilt after any world change. */
export interface PatIndex {
  lookup(secret: string): PatHit | undefined;
  readonly size: number;
}

/** Named PAT_INVALID causes (journal-only; the wire always says 394400). */
export type PatCause =
  | 'PAT_VALIDATION_FAILED'
  | 'PAT_USER_NOT_ASSOCIATED'
  | 'PAT_USER_NOT_FOUND'
  | 'PAT_USER_DISABLED'
  | 'PAT_DISABLED'
  | 'PAT_EXPIRED'
  | 'PAT_ROLE_NOT_FOUND'
  | 'PAT_ROLE_RESTRICTION_REQUIRED'
  | 'PAT_NETWORK_POLICY_REQUIRED';

const PAT_INVALID = '394400';
const MINUTE_MS = 60_000;

/**
 * Indexes every PAT secret (current and rotated) of every user of every account.
 *
 * @example
 * const pats = buildPatIndex(world)
 * pats.lookup(secret)?.pat.name // 'CI'
 */
export function buildPatIndex(world: World): PatIndex {
  const bySecret = new Map<string, PatHit>();
  for (const account of world.accounts) {
    for (const user of account.users.values()) {
      for (const pat of user.programmaticAccessTokens) {
        bySecret.set(pat.secret, { account, user, pat });
        for (const rotated of pat.rotated) bySecret.set(rotated.secret, { account, user, pat, rotated });
      }
    }
  }
  return { lookup: (secret) => bySecret.get(secret), size: bySecret.size };
}

/**
 * Whether the network policy's IP rules are checked for PAT traffic in this account
 * (`PAT_POLICY.NETWORK_POLICY_EVALUATION`, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens):
 * false only for NOT_ENFORCED.
 *
 * @example
 * if (patNetworkPolicyEnforced(ctx.account)) checkNetworkAccess({ …, traffic: 'user-credential' })
 */
export function patNetworkPolicyEnforced(account: Account): boolean {
  return account.patPolicy.networkPolicyEvaluation !== 'NOT_ENFORCED';
}

/**
 * Authenticates a PAT secret presented as a bearer token. Never throws.
 *
 * @example
 * authenticatePat(secret, ctx)
 * // { ok: true, method: 'PROGRAMMATIC_ACCESS_TOKEN', user, role: 'ANALYST', explanation: 'PAT CI of ALICE (role restriction ANALYST, expires …)' }
 */
export function authenticatePat(secret: string, ctx: AuthContext): AuthOutcome {
  const hit = ctx.stores.pats.lookup(secret);
  // The documented PAT_INVALID causes (programmatic-access-tokens): "validation failed": the secret matches no token.
  if (!hit) return fail('PAT_VALIDATION_FAILED', SOURCES.pats, 'PAT secret matches no programmatic access token');
  const { user, pat } = hit;
  const label = `PAT ${pat.name} of ${user.name}`;
  // "The user is not associated with the specified PAT": a token of another account.
  if (hit.account.name !== ctx.account.name) {
    return fail('PAT_USER_NOT_ASSOCIATED', SOURCES.pats, `${label} belongs to account ${hit.account.name}, not ${ctx.account.name}`);
  }
  // "User for the token not found": the user was dropped (index not yet rebuilt).
  if (ctx.account.users.get(user.name) !== user) return fail('PAT_USER_NOT_FOUND', SOURCES.pats, `${label}: user ${user.name} no longer exists`);
  return checkState(hit, label, ctx) ?? checkRole(hit, label, ctx);
}

/** Disabled, expired and rotated-secret checks; these precede the network requirement. */
function checkState({ user, pat, rotated }: PatHit, label: string, ctx: AuthContext): AuthFailure | undefined {
  // Disabling a user disables its PATs (programmatic-access-tokens).
  if (user.disabled) return fail('PAT_USER_DISABLED', SOURCES.pats, `${label}: user ${user.name} is disabled`, user);
  // SET DISABLED = TRUE (programmatic-access-tokens).
  if (pat.disabled) return fail('PAT_DISABLED', SOURCES.pats, `${label} is disabled`, user);
  // A rotated secret works until EXPIRE_ROTATED_TOKEN_AFTER_HOURS, 24 h by default
  // (https://docs.snowflake.com/en/sql-reference/sql/alter-user-rotate-programmatic-access-token).
  if (rotated && ctx.now >= rotated.expiresAt) {
    return fail('PAT_EXPIRED', SOURCES.rotatePat, `${label}: rotated secret ${rotated.name} grace period ended at ${iso(rotated.expiresAt)}`, user);
  }
  // DAYS_TO_EXPIRY (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token).
  if (ctx.now >= pat.expiresAt) {
    return fail('PAT_EXPIRED', SOURCES.addPat, `${label} expired at ${iso(pat.expiresAt)} (DAYS_TO_EXPIRY ${pat.daysToExpiry})`, user);
  }
  // Lowering MAX_EXPIRY_IN_DAYS below a token's lifetime makes it fail (programmatic-access-tokens).
  const max = ctx.account.patPolicy.maxExpiryInDays;
  if (max < pat.daysToExpiry) {
    return fail('PAT_EXPIRED', SOURCES.pats, `${label}: DAYS_TO_EXPIRY ${pat.daysToExpiry} exceeds PAT_POLICY MAX_EXPIRY_IN_DAYS ${max}`, user);
  }
  return undefined;
}

/** Session role, role-restriction policy, then the network-policy requirement. */
function checkRole(hit: PatHit, label: string, ctx: AuthContext): AuthOutcome {
  const { user, pat } = hit;
  const restriction = pat.roleRestriction;
  // "Role associated with the token not found" (a documented PAT_INVALID cause): the restricted role was revoked or dropped.
  if (restriction !== undefined && !hasRole(user, restriction)) {
    return fail('PAT_ROLE_NOT_FOUND', SOURCES.pats, `${label}: role restriction ${restriction} is no longer granted to ${user.name}`, user);
  }
  // Service users need a role restriction unless the PAT policy says otherwise (programmatic-access-tokens;
  // SERVICE_AGENT too, per that guide).
  if (restriction === undefined && SERVICE_USER_TYPES.has(user.type) && ctx.account.patPolicy.requireRoleRestrictionForServiceUsers) {
    return fail('PAT_ROLE_RESTRICTION_REQUIRED', SOURCES.pats, `${label} has no role restriction, required for ${user.type} users by PAT_POLICY`, user);
  }
  const bypass = checkNetworkRequirement(hit, label, ctx);
  if (typeof bypass !== 'string') return bypass;
  const role = restriction ?? defaultSessionRole(user);
  const how = restriction !== undefined ? `role restriction ${role}` : `no role restriction, session role ${role}`;
  const via = hit.rotated ? ` via rotated secret ${hit.rotated.name} until ${iso(hit.rotated.expiresAt)}` : '';
  const explanation = `${label}${via} (${how}, expires ${iso(pat.expiresAt)}${bypass})`;
  // Accepted again unchanged until the earliest of: expiry, the rotated secret's grace end, the bypass window's end.
  const bypassEnds = bypass === '' ? Infinity : pat.createdAt + pat.minsToBypassNetworkPolicyRequirement * MINUTE_MS;
  const validUntil = Math.min(pat.expiresAt, hit.rotated?.expiresAt ?? Infinity, bypassEnds);
  // A restricted PAT fixes the session role; secondary roles are never used with it (programmatic-access-tokens).
  return { ok: true, method: 'PROGRAMMATIC_ACCESS_TOKEN', user, role, explanation, validUntil, roleLocked: restriction !== undefined };
}

/**
 * Where a PAT stands with the network-policy requirement: met (not required, or a policy applies),
 * met only inside the token's bypass window (`bypassedUntil`), or not met.
 *
 * @example
 * const state: PatNetworkState = { met: true, bypassedUntil: Date.parse('2026-01-01T01:00:00Z') }
 */
export type PatNetworkState = { readonly met: true; readonly bypassedUntil?: number } | { readonly met: false };

/**
 * Under ENFORCED_REQUIRED, SERVICE/LEGACY_SERVICE users must be subject to a network policy;
 * PERSON/NULL users too, unless inside the token's bypass window; SERVICE_AGENT never
 * (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens; the rule: world/pat-network.ts).
 * The request check below and `serve`'s banner (a PAT marked "needs a network policy") both ask here.
 *
 * @example
 * patNetworkState(account, alice, alice.programmaticAccessTokens[0], 'seed', clock.now()) // { met: false } in a world without policies
 */
export function patNetworkState(account: Account, user: User, pat: ProgrammaticAccessToken, precedence: World['switches']['networkPolicyPrecedence'], now: number): PatNetworkState {
  if (!patRequiresNetworkPolicy(account.patPolicy.networkPolicyEvaluation, user.type)) return { met: true };
  if (selectPolicy({ account, user, traffic: 'user-credential', precedence }).policy) return { met: true };
  const bypassEnds = pat.createdAt + pat.minsToBypassNetworkPolicyRequirement * MINUTE_MS;
  // The bypass only lifts the requirement; an existing policy's IP rules are still checked downstream.
  if (patBypassApplies(user.type) && now < bypassEnds) return { met: true, bypassedUntil: bypassEnds };
  return { met: false };
}

/** {@link patNetworkState} for a request: a note for the success explanation ('' when nothing to say), or the failure. */
function checkNetworkRequirement({ user, pat }: PatHit, label: string, ctx: AuthContext): AuthFailure | string {
  const state = patNetworkState(ctx.account, user, pat, ctx.world.switches.networkPolicyPrecedence, ctx.now);
  if (state.met) return state.bypassedUntil === undefined ? '' : `, network-policy requirement bypassed until ${iso(state.bypassedUntil)}`;
  return fail('PAT_NETWORK_POLICY_REQUIRED', SOURCES.pats, `${label}: ${user.type} user ${user.name} is subject to no network policy (PAT_POLICY NETWORK_POLICY_EVALUATION = ENFORCED_REQUIRED)`, user);
}

function hasRole(user: User, role: string): boolean {
  return role === 'PUBLIC' || user.roles.has(role);
}

function fail(cause: PatCause, rule: string, explanation: string, user?: User): AuthFailure {
  const rejection = reject(PAT_INVALID, rule, explanation, cause);
  return user ? { ok: false, method: 'PROGRAMMATIC_ACCESS_TOKEN', user, rejection } : { ok: false, method: 'PROGRAMMATIC_ACCESS_TOKEN', rejection };
}

// The same PAT expiry is formatted on every request it authenticates: remember the last one.
let lastIso: { ms: number; text: string } = { ms: NaN, text: '' };
function iso(ms: number): string {
  if (ms !== lastIso.ms) lastIso = { ms, text: isoTime(ms) };
  return lastIso.text;
}
