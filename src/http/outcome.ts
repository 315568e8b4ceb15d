/**
 * What an endpoint returns: the response plus what the journal records about it. Endpoints never
 * write the journal themselves; the core does, once per request.
 */
import type { AuthMethod, AuthOutcome } from '../domain/auth/context.ts';
import type { Surface } from '../domain/errors/types.ts';
import type { Rejection } from '../domain/errors/rejection.ts';
import type { Decision } from '../domain/journal.ts';
import type { MockResponse } from './record.ts';
import { rejectionResponse, wireCode, type RespondContext } from './respond.ts';

/** An endpoint's answer and the journal's account of it. */
export interface Outcome {
  readonly response: MockResponse;
  readonly decision: Decision;
  readonly explanation: string;
  readonly code?: string;
  readonly cause?: string;
  readonly rule?: string;
  readonly authMethod?: AuthMethod;
  readonly user?: string;
  readonly role?: string;
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
  const method = auth.method;
  const user = auth.user?.name;
  const role = auth.ok ? auth.role : undefined;
  return { ...(method && { authMethod: method }), ...(user && { user }), ...(role && { role }) };
}

/**
 * An outcome for a rejection, answered on `surface`.
 *
 * @example
 * rejected(auth.rejection, 'api', ctx, principalOf(auth))
 */
export function rejected(rejection: Rejection, surface: Surface, ctx: RespondContext, principal: Principal = {}): Outcome {
  const code = wireCode(rejection, ctx.switches);
  return {
    response: rejectionResponse(rejection, surface, ctx),
    decision: 'rejected',
    explanation: `rejected: ${rejection.explanation}`,
    code: code.replace(/-.*$/, ''),
    ...(rejection.cause !== undefined && rejection.cause !== code && { cause: rejection.cause }),
    rule: rejection.rule,
    ...principal,
  };
}

/**
 * An outcome for an accepted request.
 *
 * @example
 * allowed(json(200, body), 'PAT CI of ALICE', principalOf(auth), '090001')
 */
export function allowed(response: MockResponse, explanation: string, principal: Principal = {}, code?: string): Outcome {
  return { response, decision: 'allowed', explanation: `allowed: ${explanation}`, ...(code !== undefined && { code }), ...principal };
}
