/**
 * The JWT a request carried, as the journal keeps it: a key-pair JWT or an OAuth / External OAuth
 * JWT in `Authorization: Bearer`, or in a driver login's `data.TOKEN`. Only the decoded header and
 * claims are kept: the signature is what makes a JWT a credential, so it is cut off before anything
 * is decoded or stored (issue #12, inspector). PATs, passwords, refresh tokens and session tokens
 * are never looked at: a token the world knows as a PAT secret is left alone whatever type it was
 * sent as (a JWT-shaped PAT sent as `OAUTH` or `KEYPAIR_JWT` is refused, and still a secret).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { exceedsJsonDepth, readJsonObject } from './json-object.ts';

/**
 * A JWT's decoded parts; `null` where that part is not readable JSON.
 *
 * @example
 * journal.last()?.jwt // { header: { alg: 'RS256', typ: 'JWT' }, claims: { iss: 'MYORG-MYACCOUNT.ALICE.SHA256:…', sub: 'MYORG-MYACCOUNT.ALICE', iat: …, exp: … } }
 */
export interface JournalJwt {
  readonly header: Record<string, unknown> | null;
  readonly claims: Record<string, unknown> | null;
}

/**
 * The request fields a JWT can be found in (the transport's request record fits).
 *
 * @example
 * const carrier: JwtCarrier = { path: '/session/v1/login-request', headers: {}, body: '{"data":{"AUTHENTICATOR":"SNOWFLAKE_JWT","TOKEN":"eyJ…"}}' }
 */
export interface JwtCarrier {
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
}

/** Longer tokens are not kept (node caps headers at 16 KiB; a huge login token is abuse). */
const MAX_TOKEN = 16_384;
/** Compact JWS: three base64url parts (a JWE has five and is not decodable without its key). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BEARER = /^Bearer[ \t]+(\S+)\s*$/i;
const LOGIN_PATH = '/session/v1/login-request';
/** Bearer token types that may be JWTs; a PAT may look like one but is a secret as a whole. */
const JWT_TOKEN_TYPES = new Set(['', 'KEYPAIR_JWT', 'OAUTH']);
/** Login authenticators whose `data.TOKEN` may be a JWT (PAT and MFA-token logins are left alone). */
const JWT_AUTHENTICATORS = new Set(['SNOWFLAKE_JWT', 'OAUTH']);

/**
 * Whether a whole token (signature included) is a PAT secret of the world, current or rotated,
 * of any user of any account: such a token is never decoded, even when it is shaped like a JWT.
 *
 * @example
 * const isPatSecret: IsPatSecret = (token) => core.stores.pats.lookup(token) !== undefined
 */
export type IsPatSecret = (token: string) => boolean;

/**
 * The signing input (`header.payload`, signature cut off) of the JWT a request carried, or
 * `undefined` when it carried none or the credential is a PAT: one the verifier took for a PAT
 * (`authMethod` is the journal's), one sent as a PAT, or one `isPatSecret` knows — the last
 * covers a PAT sent with a JWT token type or login authenticator, which is refused but must not be
 * decoded either.
 *
 * @example
 * jwtSigningInput({ path: '/api/v2/statements', headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJBIn0.c2ln' } }, 'KEYPAIR_JWT')
 * // 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJBIn0'
 */
export function jwtSigningInput(request: JwtCarrier, authMethod: string | undefined, isPatSecret?: IsPatSecret): string | undefined {
  if (authMethod === 'PROGRAMMATIC_ACCESS_TOKEN') return undefined;
  const bearer = bearerJwt(request.headers);
  const token = bearer ?? loginJwt(request);
  // Asked on every request, never cached: the world's PATs change at run time (add, rotate, reset).
  if (token === undefined || isPatSecret?.(token.token)) return undefined;
  return token.input;
}

/** A compact JWS as found, and its signing input. */
interface Found {
  readonly token: string;
  readonly input: string;
}

// A client reuses its JWT for many requests: the same Authorization header is parsed once, not per
// request. Only the parsing is cached (a pure function of the header), never whether it is a PAT.
let lastBearer: { readonly authorization: string; readonly found: Found | undefined } = { authorization: '', found: undefined };

/**
 * Decodes a signing input found by {@link jwtSigningInput} with jose (no signature check: the
 * verifiers did that when the request came). Frozen all the way down: the journal decodes a JWT
 * once, when the request is recorded, and every entry and every reader shares that one copy.
 *
 * @example
 * decodeSigningInput('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJBIn0') // { header: { alg: 'RS256' }, claims: { sub: 'A' } }
 */
export function decodeSigningInput(signingInput: string): JournalJwt {
  // jose reads a compact JWS; an empty signature part stands in for the one never kept.
  const token = `${signingInput}.`;
  const [header = '', claims = ''] = signingInput.split('.');
  return Object.freeze({ header: readable(header, () => decodeProtectedHeader(token)), claims: readable(claims, () => decodeJwt(token)) });
}

function readable(segment: string, decode: () => object): Record<string, unknown> | null {
  // A part nested deeper than any request body may be (domain/json-object.ts) is not kept: every
  // reader of the journal (control API, inspector, recordings) serialises it and would overflow (issue #14).
  if (exceedsJsonDepth(Buffer.from(segment, 'base64url').toString('utf8'))) return null;
  try {
    return deepFreeze({ ...decode() }) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Claims are parsed JSON: plain objects and arrays, no cycles. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function bearerJwt(headers: JwtCarrier['headers']): Found | undefined {
  const authorization = headers?.authorization;
  if (authorization === undefined) return undefined;
  const type = (headers?.['x-snowflake-authorization-token-type'] ?? '').trim().toUpperCase();
  if (!JWT_TOKEN_TYPES.has(type)) return undefined;
  if (authorization !== lastBearer.authorization) lastBearer = { authorization, found: foundOf(compactJws(BEARER.exec(authorization)?.[1])) };
  return lastBearer.found;
}

function foundOf(token: string | undefined): Found | undefined {
  return token === undefined ? undefined : { token, input: token.slice(0, token.lastIndexOf('.')) };
}

function loginJwt(request: JwtCarrier): Found | undefined {
  // Only the login carries a token in its body; other bodies are never parsed here (the hot path).
  if (request.path !== LOGIN_PATH || request.body === undefined || !request.body.includes('"TOKEN"')) return undefined;
  const parsed = readJsonObject(request.body);
  const data = typeof parsed === 'string' ? undefined : (parsed.data as Record<string, unknown> | undefined);
  if (typeof data !== 'object' || data === null) return undefined;
  const authenticator = typeof data.AUTHENTICATOR === 'string' ? data.AUTHENTICATOR.toUpperCase() : '';
  return JWT_AUTHENTICATORS.has(authenticator) && typeof data.TOKEN === 'string' ? foundOf(compactJws(data.TOKEN)) : undefined;
}

function compactJws(token: string | undefined): string | undefined {
  return token !== undefined && token.length <= MAX_TOKEN && COMPACT_JWS.test(token) ? token : undefined;
}
