/**
 * Bearer-token authentication for the SQL and REST APIs (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating,
 * seed 003): read the
 * Authorization header, pick the method from `X-Snowflake-Authorization-Token-Type` or infer it,
 * dispatch to that method's module, then apply the network policy that governs the traffic.
 */
import { andThen, type Awaitable } from '../awaitable.ts';
import { reject } from '../errors/rejection.ts';
import { SOURCES } from '../errors/sources.ts';
import { checkNetworkAccess } from '../network/precedence.ts';
import type { AuthContext, AuthMethod, AuthOutcome, AuthSuccess } from './context.ts';
import { authenticateOAuthToken } from './oauth-token.ts';
import { authenticatePat, patNetworkPolicyEnforced } from './pat.ts';
import { looksLikeKeypairJwt } from './keypair-jwt.ts';

/** A promise only when jose must check a signature the method has not seen before. */
type Authenticate = (token: string, ctx: AuthContext) => Awaitable<AuthOutcome>;

/** One module per method, dispatched by the wire string (DESIGN.md §5.2). */
const METHODS: Readonly<Record<AuthMethod, Authenticate>> = {
  KEYPAIR_JWT: (token, ctx) => ctx.stores.jwt.verify(token, ctx),
  OAUTH: authenticateOAuthToken,
  PROGRAMMATIC_ACCESS_TOKEN: authenticatePat,
};

/** The request headers of the SQL API: `Authorization: Bearer`, `X-Snowflake-Authorization-Token-Type`. */
const RULE = SOURCES.sqlApiReference;

/** The two headers that carry a bearer credential. */
export interface BearerHeaders {
  readonly authorization?: string | undefined;
  readonly tokenType?: string | undefined;
}

/**
 * Authenticates a bearer token and checks the network policy for it. Synchronous for a PAT, a
 * Snowflake OAuth token and a JWT seen before; a promise while jose checks a new JWT's signature.
 *
 * @example
 * const outcome = await authenticateBearer({ authorization: 'Bearer pat-alice-ci' }, ctx)
 * if (!outcome.ok) console.log(outcome.rejection.explanation)
 */
export function authenticateBearer(headers: BearerHeaders, ctx: AuthContext): Awaitable<AuthOutcome> {
  const token = bearerToken(headers.authorization);
  if (typeof token !== 'string') return { ok: false, rejection: token };
  const decisions = ctx.stores.decisions;
  const known = decisions?.get(token, ctx.account.name, headers.tokenType, ctx.clientIp, ctx.now);
  // OAuth tokens can be revoked in their store without a world change: a cached yes needs the token still there.
  // External OAuth tokens (traffic set) are in no store; only a world change (which empties this cache) ends them early.
  if (known && (known.method !== 'OAUTH' || known.traffic !== undefined || ctx.stores.oauthTokens.get(token))) return known;
  const chosen = chooseMethod(token, headers.tokenType, ctx);
  if ('rejection' in chosen) return { ok: false, rejection: chosen.rejection };
  return andThen(METHODS[chosen.method](token, ctx), (outcome) => {
    if (!outcome.ok) return headers.tokenType ? explainMismatch(outcome, token, chosen.method, ctx) : outcome;
    const decided = checkNetwork(outcome, ctx);
    if (decided.ok) decisions?.put(token, ctx.account.name, headers.tokenType, ctx.clientIp, ctx.now, decided);
    return decided;
  });
}

function bearerToken(authorization: string | undefined): string | ReturnType<typeof reject> {
  if (!authorization) return reject('390303', RULE, 'no Authorization header: a bearer token is required', 'TOKEN_MISSING');
  const m = /^Bearer[ \t]+(\S.*)$/is.exec(authorization.trim());
  if (!m) {
    const scheme = authorization.trim().split(/\s/, 1)[0]?.slice(0, 20) ?? '';
    return reject('390303', RULE, `Authorization scheme "${scheme}" is not Bearer`, 'TOKEN_MISSING');
  }
  return m[1]!.trim();
}

const KNOWN_TYPES = new Set<string>(['KEYPAIR_JWT', 'OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN']);

function chooseMethod(token: string, header: string | undefined, ctx: AuthContext): { method: AuthMethod } | { rejection: ReturnType<typeof reject> } {
  if (header !== undefined && header !== '') {
    const type = KNOWN_TYPES.has(header) ? header : header.trim().toUpperCase();
    if (type === '') return { method: inferMethod(token, ctx) };
    if (KNOWN_TYPES.has(type)) return { method: type as AuthMethod };
    const what = type === 'WORKLOAD_IDENTITY_FEDERATION' ? 'is not supported by this mock' : 'is not a Snowflake token type (KEYPAIR_JWT, OAUTH, PROGRAMMATIC_ACCESS_TOKEN)';
    return { rejection: reject('390303', `${RULE}; ${SOURCES.decisionInferred}`, `X-Snowflake-Authorization-Token-Type "${type.slice(0, 40)}" ${what}`, 'TOKEN_TYPE_UNKNOWN') };
  }
  return { method: inferMethod(token, ctx) };
}

/**
 * Snowflake "determines the token type by examining the token" without saying how
 * (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating).
 * Our heuristic (inferred, decisions/0004): a JWT whose iss looks like ACCOUNT.USER.SHA256:… is key-pair; a known
 * PAT secret is a PAT; anything else is treated as an OAuth access token (so unknowns get 390303).
 */
export function inferMethod(token: string, ctx: AuthContext): AuthMethod {
  if (looksLikeKeypairJwt(token)) return 'KEYPAIR_JWT';
  if (ctx.stores.pats.lookup(token)) return 'PROGRAMMATIC_ACCESS_TOKEN';
  return 'OAUTH';
}

/** When the header named one type but the token is another, say so (the refusal itself stands). */
function explainMismatch(outcome: Extract<AuthOutcome, { ok: false }>, token: string, declared: AuthMethod, ctx: AuthContext): AuthOutcome {
  // What the token is, if it is a recognisable one (inference falls back to OAUTH for unknowns; that is no evidence).
  const inferred = inferMethod(token, ctx);
  const actual = inferred !== 'OAUTH' || ctx.stores.oauthTokens.get(token) ? inferred : undefined;
  if (!actual || actual === declared) return outcome;
  const r = outcome.rejection;
  const explanation = `${r.explanation} — the token is a ${actual} but X-Snowflake-Authorization-Token-Type says ${declared}`;
  return { ...outcome, rejection: reject(r.code, `${SOURCES.sqlApiAuthenticating}; ${SOURCES.decisionInferred}`, explanation, 'TOKEN_TYPE_MISMATCH', r.params as Record<string, string> | undefined) };
}

function checkNetwork(auth: AuthSuccess, ctx: AuthContext): AuthOutcome {
  // PAT traffic skips the IP check only under PAT_POLICY NETWORK_POLICY_EVALUATION = NOT_ENFORCED
  // (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
  if (auth.method === 'PROGRAMMATIC_ACCESS_TOKEN' && !patNetworkPolicyEnforced(ctx.account)) return auth;
  const access = checkNetworkAccess({
    account: ctx.account,
    user: auth.user,
    ...(auth.integration !== undefined && { integration: auth.integration }),
    traffic: auth.traffic ?? (auth.method === 'OAUTH' ? 'oauth-token' : 'user-credential'),
    precedence: ctx.world.switches.networkPolicyPrecedence,
    clientIp: ctx.clientIp,
  });
  if (!access.ok) return { ok: false, method: auth.method, user: auth.user, rejection: access.rejection };
  return withExplanation(auth, `${auth.explanation}; ${access.explanation}`);
}

/** The same success with a longer explanation (fixed shape: no spread on the hot path). */
function withExplanation(a: AuthSuccess, explanation: string): AuthSuccess {
  return { ok: true, method: a.method, user: a.user, role: a.role, roleLocked: a.roleLocked, integration: a.integration, validUntil: a.validUntil, traffic: a.traffic, selectableRoles: a.selectableRoles, explanation };
}
