/**
 * A bearer token of the SQL and REST APIs (`Authorization: Bearer …` with
 * `X-Snowflake-Authorization-Token-Type`, https://docs.snowflake.com/en/developer-guide/sql-api/authenticating)
 * stood in for: one the model issued earlier in the flow, else by its type — a key-pair JWT signed
 * afresh for the user its `iss` names, the PAT of the world a PAT placeholder stands for, a
 * pre-issued access token — or, where the recorded answer refused it (401), a value the model does
 * not hold.
 */
import { isPlaceholder, type Answer } from './answers.ts';
import { accessTokenClass, jwtClaims, patFor, signFor } from './credentials.ts';
import { account, type Flow, type Step } from './flow.ts';
import { note } from './prepared.ts';
import type { Mark } from './shown.ts';
import { firstPatUser, userByLogin, worldAccessToken } from './world-facts.ts';

/**
 * The token to send for a recorded bearer token, and how it was chosen.
 *
 * @example
 * const [token, mark] = await bearerToken(flow, step, '__redacted_pat_1__', 'PROGRAMMATIC_ACCESS_TOKEN', answer)
 */
export async function bearerToken(flow: Flow, step: Step, token: string, type: string | undefined, answer: Answer): Promise<[string, Mark | undefined]> {
  const bound = flow.bindings.get(token);
  if (bound !== undefined) return [bound, 'issued'];
  const claims = jwtClaims(token);
  const kind = type?.toUpperCase() ?? (claims ? 'KEYPAIR_JWT' : /^__redacted_pat_/.test(token) ? 'PROGRAMMATIC_ACCESS_TOKEN' : 'OAUTH');
  if (!isPlaceholder(token) && !claims) return [token, undefined];
  const refused = answer.status === 401;
  const acct = account(flow);
  if (kind === 'KEYPAIR_JWT') {
    const user = userByLogin(acct, typeof claims?.iss === 'string' ? claims.iss.split('.')[1] : undefined);
    const jwt = acct && user ? await signFor(flow, acct, user, claims, refused) : undefined;
    if (jwt === undefined) return [token, undefined];
    note(step, refused ? 'jwt-unregistered-key' : 'jwt-signed');
    return [jwt, refused ? 'refused' : 'world'];
  }
  const held = refused ? undefined : kind === 'PROGRAMMATIC_ACCESS_TOKEN' ? patOf(flow, token) : accessToken(flow, token);
  if (held !== undefined) return [held, 'world'];
  note(step, 'refused-credential');
  return [`verify-refused-${kind.toLowerCase()}`, 'refused'];
}

function patOf(flow: Flow, token: string): string | undefined {
  const user = firstPatUser(account(flow));
  return user ? patFor(flow, user, token) : undefined;
}

function accessToken(flow: Flow, token: string): string | undefined {
  const which = accessTokenClass(flow, token);
  return which === 'unknown' ? undefined : worldAccessToken(account(flow), undefined, which, flow.mock.clock.now())?.token;
}
