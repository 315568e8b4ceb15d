/**
 * What an endpoint returns: the response plus what the journal records about it. Endpoints never
 * write the journal themselves; the core does, once per request.
 */
import type { AuthMethod, AuthOutcome, SessionAuth } from '../domain/auth/context.ts';
import type { Surface } from '../domain/errors/types.ts';
import type { Rejection } from '../domain/errors/rejection.ts';
import type { Decision, JournalOutcome } from '../domain/journal.ts';
import type { MockResponse } from './record.ts';
import { rejectionResponse, wireCode, type RespondContext } from './respond.ts';

/** An endpoint's answer and the journal's account of it. */
export interface Outcome extends JournalOutcome {
  readonly response: MockResponse;
  /** A bearer token type, or a driver session's authenticator (`PASSWORD`, `MFA`, …). */
  readonly authMethod?: AuthMethod | SessionAuth | undefined;
}

/** Who was authenticated, for the journal. */
export type Principal = Pick<Outcome, 'authMethod' | 'user' | 'role'>;

/**
 * The journal fields of an auth outcome.
 *
 * @example
 * principalOf(outcome) // { authMethod: 'PROGRAMMATIC_ACCESS_TOKEN', user: 'ALICE', role: 'ANALYST' }
 */
export function principalOf(auth: AuthOutcome): Principal {
  // Fixed shape (absent = undefined): one hidden class on the hot path; the journal drops undefined on read.
  return { authMethod: auth.method, user: auth.user?.name, role: auth.ok ? auth.role : undefined };
}

/**
 * An outcome for a rejection, answered on `surface`.
 *
 * @example
 * rejected(auth.rejection, 'api', ctx, principalOf(auth))
 */
export function rejected(rejection: Rejection, surface: Surface, ctx: RespondContext, principal: Principal = NOBODY): Outcome {
  const code = wireCode(rejection, ctx.switches);
  const cause = rejection.cause !== undefined && rejection.cause !== code ? rejection.cause : undefined;
  return outcome(rejectionResponse(rejection, surface, ctx), 'rejected', `rejected: ${rejection.explanation}`, code.replace(/-.*$/, ''), cause, rejection.rule, principal);
}

/**
 * An outcome for an accepted request.
 *
 * @example
 * allowed(json(200, body), 'PAT CI of ALICE', principalOf(auth), '090001')
 */
export function allowed(response: MockResponse, explanation: string, principal: Principal = NOBODY, code?: string): Outcome {
  return outcome(response, 'allowed', `allowed: ${explanation}`, code, undefined, undefined, principal);
}

/**
 * An outcome that is not an auth decision (404, 405, media-type refusals).
 *
 * @example
 * plain(empty(405), 'rejected', 'rejected: GET not allowed', SOURCES.sqlApiReference)
 */
export function plain(response: MockResponse, decision: Decision, explanation: string, rule?: string, principal: Principal = NOBODY): Outcome {
  return outcome(response, decision, explanation, undefined, undefined, rule, principal);
}

/**
 * The outcome answered `delayMs` later in real time (a user's `delay:`, decisions/0016): the
 * transports carry it out as they do an injected fault's delay (decisions/0005).
 *
 * @example
 * delayed(allowed(json(200, body), 'ran …'), 2000).response.fault // { delayMs: 2000 }
 */
export function delayed(o: Outcome, delayMs: number | undefined): Outcome {
  return delayMs ? { ...o, response: { ...o.response, fault: { ...o.response.fault, delayMs } } } : o;
}

const NOBODY: Principal = { authMethod: undefined, user: undefined, role: undefined };

function outcome(response: MockResponse, decision: Decision, explanation: string, code: string | undefined, cause: string | undefined, rule: string | undefined, p: Principal): Outcome {
  return { response, decision, explanation, code, cause, rule, authMethod: p.authMethod, user: p.user, role: p.role };
}
