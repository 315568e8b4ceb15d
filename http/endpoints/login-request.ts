/**
 * `POST /session/v1/login-request` (what snowflake-sdk sends, test/driver/driver-cases.ts):
 * every authenticator of domain/login/ through the login pipeline, answered in Snowflake's GS envelope — HTTP 200 for failures too, with the
 * code as a string.
 */
import { andThen } from '../../domain/awaitable.ts';
import { decideLogin, type LoginAccepted } from '../../domain/login/login.ts';
import { parseLoginRequest } from '../../domain/login/login-request.ts';
import type { LoginContext, LoginFailure } from '../../domain/login/context.ts';
import type { Endpoint, RequestContext } from '../endpoint.ts';
import { allowed, rejected, type Outcome, type Principal } from '../outcome.ts';
import { json } from '../respond.ts';
import { loginSuccessBody } from './login-response.ts';

/** `POST /session/v1/login-request` */
export const loginRequest: Endpoint = (req, ctx) => {
  const parsed = parseLoginRequest(req.body, new URLSearchParams(req.query));
  if (!parsed.ok) return rejected(parsed.rejection, 'login', ctx);
  return andThen(decideLogin(parsed.value, loginContext(ctx)), (decision) => answer(decision, ctx));
};

/** The GS answer to a decided login: the refusal, or a new session. */
function answer(decision: LoginAccepted | LoginFailure, ctx: RequestContext): Outcome {
  if (!decision.ok) {
    const principal: Principal = { authMethod: decision.auth, user: decision.user?.name, role: undefined };
    return rejected(decision.rejection, 'login', ctx, principal);
  }
  const { user, namespace } = decision;
  const parameters = ctx.account.parameters;
  const session = ctx.sessions.open(
    { account: ctx.account.name, user: user.name, auth: decision.auth, ...namespace, validity: parameters.sessionTokenValidity, masterValidity: parameters.masterTokenValidity },
    ctx.now,
  );
  const body = loginSuccessBody({ session, user, now: ctx.now, mfaTokenValidity: decision.mfaTokenValidity, ...(decision.mfaToken !== undefined && { mfaToken: decision.mfaToken }) });
  const principal: Principal = { authMethod: decision.auth, user: user.name, role: namespace.role };
  const mfa = decision.mfaToken !== undefined ? '; MFA token issued' : '';
  return allowed(json(200, body), `${decision.explanation}; session ${session.id} opened${mfa}`, principal);
}

function loginContext(ctx: RequestContext): LoginContext {
  return { ...ctx.auth, ids: ctx.ids, mfaTokens: ctx.core.mfaTokens };
}
