/**
 * Credentials verify stands in for, shared by logins and bearer requests: which PAT of the world a
 * PAT placeholder is, what the recording says of an access token the model did not issue, and a
 * key-pair JWT signed afresh with a fixture key (https://docs.snowflake.com/en/user-guide/key-pair-auth).
 */
import { decodeJwt } from 'jose';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import type { Account, User } from '../../domain/world/model.ts';
import { answerOf, loginRefused } from './answers.ts';
import { bodyValue, isObject } from './compare.ts';
import type { Flow } from './flow.ts';
import { userKeys } from './world-facts.ts';

/**
 * The user's PATs in world order, one per distinct placeholder in the order the flow meets them.
 *
 * @example
 * patFor(flow, alice, '__redacted_pat_1__') // 'pat-alice-ci'
 */
export function patFor(flow: Flow, user: User, placeholder: string): string | undefined {
  const seen = flow.pats.get(user.name) ?? [];
  if (!seen.includes(placeholder)) seen.push(placeholder);
  flow.pats.set(user.name, seen);
  return user.programmaticAccessTokens.filter((p) => !p.disabled)[seen.indexOf(placeholder)]?.secret;
}

/** Where a recorded request carries a token: a login's `data.TOKEN`, or a bearer header. */
function carries(e: { request: { body?: Parameters<typeof bodyValue>[0]; headers: Readonly<Record<string, string>> } }, token: string): boolean {
  const d = bodyValue(e.request.body);
  return (isObject(d) && isObject(d.data) && d.data.TOKEN === token) || e.request.headers.authorization === `Bearer ${token}`;
}

/**
 * What the recording says of an access token the model did not issue: expired if any request with
 * it was answered 390318, valid if any succeeded, else unknown (a placeholder is one value
 * throughout a recording, so every answer to it counts).
 *
 * @example
 * accessTokenClass(flow, '__redacted_access_token_1__') // 'expired'
 */
export function accessTokenClass(flow: Flow, token: string): 'valid' | 'expired' | 'unknown' {
  const answers = flow.recording.filter((e) => carries(e, token)).map(answerOf);
  if (answers.some((a) => loginRefused(a, 'accessTokenExpired'))) return 'expired';
  return answers.some((a) => a.success === true || (a.success === undefined && a.status < 300)) ? 'valid' : 'unknown';
}

/**
 * The claims of a JWT, or undefined for anything else.
 *
 * @example
 * jwtClaims(recordedToken)?.iss // 'MYORG-MYACCOUNT.ALICE.SHA256:…'
 */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * A key-pair JWT of `user` issued at the model's clock, signed with the fixture key the world
 * registers for the user, or (`refused`) with one it registers for nobody; the recorded lifetime
 * is kept. Undefined when verify holds no such key.
 *
 * @example
 * await signFor(flow, account, alice, recordedClaims, false) // 'eyJhbGciOiJSUzI1NiIs…'
 */
export async function signFor(flow: Flow, account: Account, user: User, claims: Record<string, unknown> | undefined, refused: boolean): Promise<string | undefined> {
  const keys = userKeys(account, user);
  const key = refused ? keys.unregistered : keys.registered;
  if (key === undefined) return undefined;
  const lifetime = typeof claims?.exp === 'number' && typeof claims.iat === 'number' ? lifetimeSeconds(claims.exp - claims.iat) : undefined;
  return signKeypairJwt({ privateKey: key, account: account.name, user: user.loginName, now: flow.mock.clock.now(), ...(lifetime && { lifetimeSeconds: lifetime }) });
}

/** A JWT lifetime in seconds, whether the claims were in seconds or (snowflake-sdk) milliseconds. */
function lifetimeSeconds(span: number): number | undefined {
  const s = span > 100_000 ? Math.round(span / 1000) : span;
  return s > 0 ? s : undefined;
}
