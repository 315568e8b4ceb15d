/**
 * External OAuth access tokens (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external): JWTs an outside IdP signed, presented where a
 * Snowflake OAuth token goes (bearer `OAUTH`, login `AUTHENTICATOR=OAUTH`). Snowflake is only the
 * resource server: it finds the integration by `iss`, checks the JWS, the signature (RSA keys or
 * the JWKS URLs — the mock serves JWKS for its own mock IdPs only), `aud`, `exp`/`nbf` on the mock
 * clock, maps a claim to a user by LOGIN_NAME or EMAIL, and takes the role from the scopes.
 *
 * Every refusal is 390303 on the wire (the client sees "Invalid OAuth access token."); the
 * journal's cause is the reason name (`EXTERNAL_OAUTH_*`) that
 * https://docs.snowflake.com/en/sql-reference/functions/system_get_login_failure_details lists. The
 * traffic is governed by the user's or the account's network policy, never an integration's
 * (https://docs.snowflake.com/en/user-guide/network-policies).
 *
 * A verified token (signature, audience, claims) is cached per token until its `exp` (DESIGN.md
 * §5.8); time, integration state, user and role are judged again on every use. The cache belongs
 * to one `AuthStores`, which the core rebuilds on every world change, so a change empties it.
 * jose checks the signature (https://github.com/panva/jose), asynchronously: only a first-sight
 * token that reaches that check is answered with a promise.
 */
import { accountUrl, accountUrls } from '../world/account-url.ts';
import type { KeyObject } from 'node:crypto';
import type { Awaitable } from '../awaitable.ts';
import { reject } from '../errors/rejection.ts';
import { SOURCES } from '../errors/sources.ts';
import { PRIVILEGED_ROLES } from '../world/config.ts';
import type { Account, ExternalOAuthIntegration, User } from '../world/model.ts';
import { defaultSessionRole } from '../world/roles.ts';
import type { AuthContext, AuthFailure, AuthOutcome, AuthStores, AuthSuccess } from './context.ts';
import { idpsServingJwks, publishedKeys } from './external-oauth-idp.ts';
import { verifyJws, type JoseFailure } from './jws.ts';
import { decodeJwt, iso, toEpochMs, type DecodedJwt } from './keypair-jwt-claims.ts';
import { quoteUntrusted as quote } from '../safe-text.ts';
import { createExpiringCache, isKeypairIssuer } from './keypair-jwt.ts';

/** Journal causes of an External OAuth refusal: the documented login-failure reason names, then ours (decisions/0009). */
export type ExternalOAuthCause =
  | 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT'
  | 'EXTERNAL_OAUTH_JWS_INVALID_TYPE'
  | 'EXTERNAL_OAUTH_MISSING_ISSUER'
  | 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_FOUND'
  | 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_ENABLED'
  | 'EXTERNAL_OAUTH_JWS_CANT_RETRIEVE_PUBLIC_KEY'
  | 'EXTERNAL_OAUTH_INVALID_SIGNATURE'
  | 'EXTERNAL_OAUTH_MISSING_AUDIENCE'
  | 'EXTERNAL_OAUTH_AUDIENCE_VALIDATION_FAILED'
  | 'EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED'
  | 'EXTERNAL_OAUTH_ACCESS_TOKEN_NOT_YET_VALID'
  | 'EXTERNAL_OAUTH_USER_CLAIM_MISSING'
  | 'EXTERNAL_OAUTH_USER_NOT_FOUND'
  | 'EXTERNAL_OAUTH_USER_DISABLED'
  | 'EXTERNAL_OAUTH_ROLE_SCOPE_INVALID'
  | 'EXTERNAL_OAUTH_ROLE_BLOCKED'
  | 'EXTERNAL_OAUTH_ROLE_NOT_ALLOWED'
  | 'EXTERNAL_OAUTH_ROLE_NOT_GRANTED';

const WIRE_CODE = '390303';
const RULE = SOURCES.externalOAuthIntegration;
/** Our choices where the docs are silent. */
const INFERRED_RULE = `${RULE}; ${SOURCES.decisionExternalOAuth}`;
/** The only signature algorithm accepted (inferred: the integration takes RSA keys; IdPs sign RS256). */
const ALGORITHM = 'RS256';
/** JWS `typ` values an IdP puts on access tokens (RFC 7519, RFC 9068); absent is fine too. */
const TYPES = new Set(['jwt', 'at+jwt', 'application/jwt', 'application/at+jwt']);
const ROLE_SCOPE = 'session:role:';
const MAX_CACHE_ENTRIES = 10_000;

/** A token whose JWS, signature and audience passed; what is judged again on each use. */
interface Verified {
  readonly account: string;
  readonly integration: ExternalOAuthIntegration;
  /** `exp`, epoch ms (the cache drops the entry then). */
  readonly expiresAt: number;
  readonly notBefore?: number;
  /** The user-mapping claim found, if any. */
  readonly subject?: { readonly claim: string; readonly value: string };
  readonly scopes: readonly string[];
  /** Which key verified the signature, for the explanation. */
  readonly key: string;
}

type Problem = { readonly cause: ExternalOAuthCause; readonly explanation: string; readonly rule?: string };
type Cache = ReturnType<typeof createExpiringCache<Verified>>;
const caches = new WeakMap<AuthStores, Cache>();

/**
 * Judges a bearer/login token as an External OAuth access token, or returns `undefined` when it is
 * not one: not a JWS, a Snowflake key-pair JWT, or the account has no external_oauth integration
 * (then it is an unknown Snowflake OAuth token, `OAUTH_TOKEN_UNKNOWN`). Never throws.
 *
 * A cached token, and every refusal before the signature, is judged synchronously.
 *
 * @example
 * await authenticateExternalOAuthToken(await mock.externalOAuth.issueToken('OKTA_IDP', { subject: 'alice', scopes: ['session:role:ANALYST'] }), ctx)
 * // { ok: true, method: 'OAUTH', user: ALICE, role: 'ANALYST', roleLocked: true, traffic: 'user-credential', … }
 */
export function authenticateExternalOAuthToken(token: string, ctx: AuthContext): Awaitable<AuthOutcome> | undefined {
  if (!looksLikeJws(token)) return undefined;
  const integrations = externalIntegrations(ctx.account);
  if (integrations.length === 0) return undefined;
  const cache = cacheOf(ctx.stores);
  cache.sweep(ctx.now);
  const hit = cache.map.get(token);
  // Reuse needs the same account and the very integration object (same keys, audiences, mapping).
  if (hit && hit.account === ctx.account.name && ctx.account.securityIntegrations.get(hit.integration.name) === hit.integration) return judge(hit, ctx, ' (verified earlier)');
  const decoded = decodeJwt(token);
  if (!decoded.ok) return fail({ cause: 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT', explanation: `External OAuth token is not a JWS: ${decoded.explanation}` });
  if (isKeypairIssuer(decoded.payload.iss)) return undefined;
  const claims = checkClaims(decoded, integrations, ctx);
  if ('cause' in claims) return fail(claims);
  return checkSignature(decoded, claims.integration, ctx).then((key) => {
    if (typeof key !== 'string') return fail(key);
    const read = verified(decoded, claims, key, ctx);
    if ('cause' in read) return fail(read);
    cache.set(token, read);
    return judge(read, ctx, '');
  });
}

/**
 * How many verified tokens the cache of these stores holds (for tests).
 *
 * @example
 * externalOAuthCacheSize(mock.core.stores) // 1 after one accepted token
 */
export function externalOAuthCacheSize(stores: AuthStores): number {
  return caches.get(stores)?.map.size ?? 0;
}

function cacheOf(stores: AuthStores): Cache {
  let cache = caches.get(stores);
  if (!cache) caches.set(stores, (cache = createExpiringCache<Verified>(MAX_CACHE_ENTRIES)));
  return cache;
}

/** Three dot-separated segments, the first a base64url JSON object (`eyJ` = `{"`). Cheap; no decoding. */
function looksLikeJws(token: string): boolean {
  if (!token.startsWith('eyJ')) return false;
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  return second > 0 && token.indexOf('.', second + 1) < 0;
}

function externalIntegrations(account: Account): ExternalOAuthIntegration[] {
  const out: ExternalOAuthIntegration[] = [];
  for (const i of account.securityIntegrations.values()) if (i.type === 'EXTERNAL_OAUTH') out.push(i);
  return out;
}

/** What the claims say before the signature is checked: the integration, and exp/nbf as numbers. */
interface Claims {
  readonly integration: ExternalOAuthIntegration;
  readonly exp: number;
  readonly nbf?: number;
}

/** The checks before the signature: issuer, integration enabled, alg/typ, exp and nbf readable. */
function checkClaims(decoded: DecodedJwt, integrations: readonly ExternalOAuthIntegration[], ctx: AuthContext): Claims | Problem {
  const { header, payload } = decoded;
  const iss = payload.iss;
  if (typeof iss !== 'string' || iss === '') return { cause: 'EXTERNAL_OAUTH_MISSING_ISSUER', explanation: `the JWT has ${iss === undefined ? 'no' : `an unusable (${quote(iss)})`} iss claim, so no External OAuth integration can judge it` };
  const integration = integrations.find((i) => i.externalOauthIssuer === iss);
  if (!integration) {
    const known = integrations.map((i) => `${i.name}: ${quote(i.externalOauthIssuer)}`).join(', ');
    return { cause: 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_FOUND', explanation: `iss ${quote(iss)} is the EXTERNAL_OAUTH_ISSUER of no integration of ${ctx.account.name} (${known})` };
  }
  if (!integration.enabled) return notEnabled(integration);
  const typeProblem = checkType(header, integration);
  if (typeProblem) return typeProblem;
  const exp = payload.exp;
  const nbf = payload.nbf;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { cause: 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT', explanation: `exp is ${exp === undefined ? 'missing' : `not a number (${quote(exp)})`}; an access token needs a numeric exp` };
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) return { cause: 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT', explanation: `nbf is not a number (${quote(nbf)})` };
  return { integration, exp, ...(nbf !== undefined && { nbf: nbf as number }) };
}

/** After the signature (verified with `key`): the audience, and the claims kept for every use. */
function verified(decoded: DecodedJwt, { integration, exp, nbf }: Claims, key: string, ctx: AuthContext): Verified | Problem {
  const payload = decoded.payload;
  const audience = checkAudience(payload.aud, integration, ctx.account);
  if (audience) return audience;
  const subject = userClaim(payload, integration);
  return {
    account: ctx.account.name,
    integration,
    expiresAt: toEpochMs(exp),
    ...(nbf !== undefined && { notBefore: toEpochMs(nbf) }),
    ...(subject && { subject }),
    scopes: scopesOf(payload[integration.externalOauthScopeMappingAttribute], integration.externalOauthScopeDelimiter),
    key,
  };
}

function notEnabled(integration: ExternalOAuthIntegration): Problem {
  return { cause: 'EXTERNAL_OAUTH_ACCESS_TOKEN_ISSUER_NOT_ENABLED', explanation: `External OAuth integration ${integration.name} (issuer ${quote(integration.externalOauthIssuer)}) is disabled (ENABLED = FALSE)` };
}

/** RS256 only: `none`, HMAC (HS*) and EC are refused; `typ`, when present, must be JWT or at+jwt. */
function checkType(header: Readonly<Record<string, unknown>>, integration: ExternalOAuthIntegration): Problem | undefined {
  if (header.alg !== ALGORITHM) {
    const attack = header.alg === 'none' || (typeof header.alg === 'string' && /^HS/i.test(header.alg)) ? ' (unsigned and HMAC tokens are never accepted)' : '';
    return { cause: 'EXTERNAL_OAUTH_JWS_INVALID_TYPE', explanation: `header alg ${quote(header.alg)} is not ${ALGORITHM}${attack}; ${integration.name} verifies RSA signatures only` };
  }
  const typ = header.typ;
  if (typ !== undefined && (typeof typ !== 'string' || !TYPES.has(typ.toLowerCase()))) {
    return { cause: 'EXTERNAL_OAUTH_JWS_INVALID_TYPE', explanation: `header typ ${quote(typ)} is not JWT or at+jwt` };
  }
  return undefined;
}

/**
 * The RSA keys of the integration, or the keys its JWKS URLs serve; jose verifies RS256 only, with
 * each candidate in turn. Inferred: a `kid` that none of the fetched keys carries, like a URL
 * nothing answers at, is "can't retrieve public key".
 */
async function checkSignature(decoded: DecodedJwt, integration: ExternalOAuthIntegration, ctx: AuthContext): Promise<string | Problem> {
  const candidates = await signingKeys(integration, decoded.header.kid, ctx);
  if (!Array.isArray(candidates)) return candidates;
  for (const { label, key } of candidates) {
    const failure = await verifyJws(decoded.compact, key, [ALGORITHM]);
    if (!failure) return label;
    // A bad signature or a key that cannot verify RS256 may still be another candidate's; anything else is the token's fault.
    if (failure.kind !== 'signature' && failure.kind !== 'key') return externalOAuthJoseProblem(failure, integration);
  }
  return { cause: 'EXTERNAL_OAUTH_INVALID_SIGNATURE', explanation: `RS256 signature does not verify with ${candidates.map((c) => c.label).join(' or ')} of ${integration.name}` };
}

/**
 * jose's refusal as the External OAuth cause it stands for: a bad signature, or a key that cannot
 * verify RS256 → EXTERNAL_OAUTH_INVALID_SIGNATURE; an algorithm outside the allow-list →
 * EXTERNAL_OAUTH_JWS_INVALID_TYPE; a JWS jose cannot read, or a critical header extension it does
 * not know → EXTERNAL_OAUTH_JWS_INVALID_FORMAT.
 *
 * @example
 * externalOAuthJoseProblem({ kind: 'algorithm', reason: '"alg" (Algorithm) Header Parameter value not allowed' }, integration) // { cause: 'EXTERNAL_OAUTH_JWS_INVALID_TYPE', … }
 */
export function externalOAuthJoseProblem(failure: JoseFailure, integration: ExternalOAuthIntegration): Problem {
  switch (failure.kind) {
    case 'signature':
    case 'key':
      return { cause: 'EXTERNAL_OAUTH_INVALID_SIGNATURE', explanation: `RS256 signature does not verify with the keys of ${integration.name}: ${failure.reason}` };
    case 'algorithm':
      return { cause: 'EXTERNAL_OAUTH_JWS_INVALID_TYPE', explanation: `${integration.name} verifies ${ALGORITHM} signatures only: ${failure.reason}` };
    case 'unsupported':
      return { cause: 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT', explanation: `the JWS header is not one ${integration.name} can verify: ${failure.reason}` };
    case 'malformed':
      return { cause: 'EXTERNAL_OAUTH_JWS_INVALID_FORMAT', explanation: `External OAuth token is not a readable JWS: ${failure.reason}` };
  }
}

async function signingKeys(integration: ExternalOAuthIntegration, kid: unknown, ctx: AuthContext): Promise<{ label: string; key: KeyObject }[] | Problem> {
  const urls = integration.externalOauthJwsKeysUrl;
  if (urls.length === 0) {
    return [integration.externalOauthRsaPublicKey, integration.externalOauthRsaPublicKey2].flatMap((slot, n) =>
      slot ? [{ label: `EXTERNAL_OAUTH_RSA_PUBLIC_KEY${n === 1 ? '_2' : ''} (${slot.fingerprint})`, key: slot.key }] : []);
  }
  const fetched = (await Promise.all(urls.map(async (url) => (await publishedKeys(idpsServingJwks(ctx.world, url))).map((k) => ({ url, ...k }))))).flat();
  if (fetched.length === 0) {
    return { cause: 'EXTERNAL_OAUTH_JWS_CANT_RETRIEVE_PUBLIC_KEY', explanation: `no signing key could be fetched from EXTERNAL_OAUTH_JWS_KEYS_URL ${urls.join(', ')} of ${integration.name} (the mock serves JWKS only at the URLs of its mock IdPs)` };
  }
  const matching = kid === undefined ? fetched : fetched.filter((k) => k.kid === kid);
  if (matching.length === 0) {
    return { cause: 'EXTERNAL_OAUTH_JWS_CANT_RETRIEVE_PUBLIC_KEY', explanation: `no key with kid ${quote(kid)} at ${urls.join(', ')} (kids: ${fetched.map((k) => k.kid).join(', ')})` };
  }
  return matching.map((k) => ({ label: `key ${k.kid} of ${k.url}`, key: k.publicKey }));
}

/** `aud` (a string or a list) must contain the account URL or a listed audience (EXTERNAL_OAUTH_AUDIENCE_LIST). */
function checkAudience(aud: unknown, integration: ExternalOAuthIntegration, account: Account): Problem | undefined {
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  if (values.length === 0) return { cause: 'EXTERNAL_OAUTH_MISSING_AUDIENCE', explanation: `the token has ${aud === undefined ? 'no' : `an unusable (${quote(aud)})`} aud claim` };
  const urls = accountUrls(account);
  if (values.some((a) => urls.has(normalizeUrl(a)) || integration.externalOauthAudienceList.includes(a))) return undefined;
  const accepted = [accountUrl(account), ...integration.externalOauthAudienceList].join(', ');
  return { cause: 'EXTERNAL_OAUTH_AUDIENCE_VALIDATION_FAILED', explanation: `aud ${quote(aud)} names neither the account URL nor an EXTERNAL_OAUTH_AUDIENCE_LIST entry of ${integration.name} (accepted: ${accepted})` };
}


function normalizeUrl(url: string): string {
  return url.toLowerCase().replace(/\/+$/, '');
}

/** The first EXTERNAL_OAUTH_TOKEN_USER_MAPPING_CLAIM present as a non-empty string. */
function userClaim(payload: Readonly<Record<string, unknown>>, integration: ExternalOAuthIntegration): Verified['subject'] {
  for (const claim of integration.externalOauthTokenUserMappingClaim) {
    const value = payload[claim];
    if (typeof value === 'string' && value !== '') return { claim, value };
  }
  return undefined;
}

/** The scope claim: a delimited string, or a list (Okta's `scp`). */
function scopesOf(value: unknown, delimiter: string): string[] {
  if (typeof value === 'string') return value.split(delimiter).map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string' && s !== '');
  return [];
}

/** What can change while the token lives: integration state, time, the user, the role. */
function judge(v: Verified, ctx: AuthContext, suffix: string): AuthOutcome {
  const i = v.integration;
  if (!i.enabled) return fail(notEnabled(i));
  if (ctx.now >= v.expiresAt) return fail({ cause: 'EXTERNAL_OAUTH_ACCESS_TOKEN_EXPIRED', explanation: `External OAuth token${who(v)} from ${i.name} expired at ${iso(v.expiresAt)}, now ${iso(ctx.now)}` });
  if (v.notBefore !== undefined && ctx.now < v.notBefore) return fail({ cause: 'EXTERNAL_OAUTH_ACCESS_TOKEN_NOT_YET_VALID', explanation: `External OAuth token${who(v)} from ${i.name} is not valid before ${iso(v.notBefore)} (nbf), now ${iso(ctx.now)}` });
  if (!v.subject) return fail({ cause: 'EXTERNAL_OAUTH_USER_CLAIM_MISSING', explanation: `the token carries none of the EXTERNAL_OAUTH_TOKEN_USER_MAPPING_CLAIM claims of ${i.name} (${i.externalOauthTokenUserMappingClaim.join(', ')})` });
  const user = mapUser(v.subject, i, ctx.account);
  if (!('name' in user)) return fail(user);
  if (user.disabled) return fail({ cause: 'EXTERNAL_OAUTH_USER_DISABLED', explanation: `External OAuth token of ${user.name} from ${i.name}: user is disabled` }, user);
  const role = sessionRoleOf(v.scopes, i, user, ctx.account);
  if ('cause' in role) return fail(role, user);
  const mode = role.locked ? `role ${role.role}` : `role ${role.role}, any role mode ${i.externalOauthAnyRoleMode}`;
  const explanation = `External OAuth token of ${user.name} from ${i.name} (${v.subject.claim} ${quote(v.subject.value)} → ${i.externalOauthSnowflakeUserMappingAttribute}; ${mode}; ${v.key}; expires ${iso(v.expiresAt)})${suffix}`;
  const success: AuthSuccess = {
    ok: true, method: 'OAUTH', user, role: role.role, roleLocked: role.locked, validUntil: v.expiresAt, explanation,
    // No integration policy for External OAuth; the user's, else the account's (network-policies).
    traffic: 'user-credential',
    ...(role.selectable && { selectableRoles: role.selectable }),
  };
  return success;
}

function who(v: Verified): string {
  return v.subject ? ` of ${quote(v.subject.value)}` : '';
}

/** EXTERNAL_OAUTH_SNOWFLAKE_USER_MAPPING_ATTRIBUTE: LOGIN_NAME or EMAIL_ADDRESS, compared case-insensitively. */
function mapUser(subject: NonNullable<Verified['subject']>, i: ExternalOAuthIntegration, account: Account): User | Problem {
  const wanted = subject.value.toUpperCase();
  const byEmail = i.externalOauthSnowflakeUserMappingAttribute === 'EMAIL_ADDRESS';
  const found: User[] = [];
  for (const user of account.users.values()) if ((byEmail ? user.email?.toUpperCase() : user.loginName) === wanted) found.push(user);
  if (found.length === 1) return found[0]!;
  const attribute = byEmail ? 'EMAIL' : 'LOGIN_NAME';
  const why = found.length === 0 ? `no user of ${account.name} has ${attribute} ${quote(subject.value)}` : `${found.length} users (${found.map((u) => u.name).join(', ')}) have ${attribute} ${quote(subject.value)}`;
  return { cause: 'EXTERNAL_OAUTH_USER_NOT_FOUND', explanation: `claim ${subject.claim} of the token from ${i.name} maps to no single user: ${why}` };
}

type SessionRole = { readonly role: string; readonly locked: boolean; readonly selectable?: ReadonlySet<string> };

/**
 * The role from a `session:role:<ROLE>` scope (at most one). Any role mode (ENABLE, or
 * ENABLE_FOR_PRIVILEGE for a user with USE_ANY_ROLE) also lets the token without one use the user's default role, and the
 * login pick any role the rules allow (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external; inferred details in decisions/0009).
 */
function sessionRoleOf(scopes: readonly string[], i: ExternalOAuthIntegration, user: User, account: Account): SessionRole | Problem {
  const named = scopes.filter((s) => s.startsWith(ROLE_SCOPE)).map((s) => s.slice(ROLE_SCOPE.length).toUpperCase());
  const anyRole = i.externalOauthAnyRoleMode === 'ENABLE' || (i.externalOauthAnyRoleMode === 'ENABLE_FOR_PRIVILEGE' && holdsUseAnyRole(user));
  if (named.length > 1) return { cause: 'EXTERNAL_OAUTH_ROLE_SCOPE_INVALID', explanation: `the token names ${named.length} session roles (${named.join(', ')}); one session:role:<ROLE> scope at most`, rule: INFERRED_RULE };
  if (named.length === 0 && !anyRole) {
    return { cause: 'EXTERNAL_OAUTH_ROLE_SCOPE_INVALID', explanation: `the token's ${i.externalOauthScopeMappingAttribute} names no session:role:<ROLE> scope and EXTERNAL_OAUTH_ANY_ROLE_MODE of ${i.name} is DISABLE`, rule: INFERRED_RULE };
  }
  const role = named[0] ?? defaultSessionRole(user);
  const refused = roleRefusal(role, i, user, account);
  if (refused) return refused;
  if (!anyRole) return { role, locked: true };
  return { role, locked: false, selectable: new Set([...user.roles].filter((r) => !roleRefusal(r, i, user, account))) };
}

/**
 * ENABLE_FOR_PRIVILEGE lets only a user holding the USE_ANY_ROLE privilege switch roles (Snowflake
 * docs); the mock has no privilege grants, so a user granted ACCOUNTADMIN (which holds every
 * account privilege) stands for it — inferred, decisions/0009.
 */
function holdsUseAnyRole(user: User): boolean {
  return user.roles.has('ACCOUNTADMIN');
}

/** Blocked list, privileged roles, allowed list, then the grant (order inferred, decisions/0009). */
function roleRefusal(role: string, i: ExternalOAuthIntegration, user: User, account: Account): Problem | undefined {
  if (i.externalOauthBlockedRolesList.includes(role)) return { cause: 'EXTERNAL_OAUTH_ROLE_BLOCKED', explanation: `role ${role} is in EXTERNAL_OAUTH_BLOCKED_ROLES_LIST of ${i.name}` };
  // Privileged roles are blocked unless the account parameter says otherwise, whatever the any-role mode.
  const privilegedBlocked = account.parameters.externalOauthAddPrivilegedRolesToBlockedList !== false;
  if (privilegedBlocked && PRIVILEGED_ROLES.includes(role)) {
    return { cause: 'EXTERNAL_OAUTH_ROLE_BLOCKED', explanation: `role ${role} is privileged and blocked for External OAuth (account parameter EXTERNAL_OAUTH_ADD_PRIVILEGED_ROLES_TO_BLOCKED_LIST = TRUE)` };
  }
  if (i.externalOauthAllowedRolesList.length > 0 && !i.externalOauthAllowedRolesList.includes(role)) {
    return { cause: 'EXTERNAL_OAUTH_ROLE_NOT_ALLOWED', explanation: `role ${role} is not in EXTERNAL_OAUTH_ALLOWED_ROLES_LIST of ${i.name} (${i.externalOauthAllowedRolesList.join(', ')})` };
  }
  if (role !== 'PUBLIC' && !user.roles.has(role)) return { cause: 'EXTERNAL_OAUTH_ROLE_NOT_GRANTED', explanation: `role ${role} is not granted to ${user.name}` };
  return undefined;
}

function fail(p: Problem, user?: User): AuthFailure {
  const rejection = reject(WIRE_CODE, p.rule ?? RULE, p.explanation, p.cause);
  return user ? { ok: false, method: 'OAUTH', user, rejection } : { ok: false, method: 'OAUTH', rejection };
}
