/**
 * A recorded login (`POST /session/v1/login-request`) made sendable: credentials the recording
 * hides (placeholders) or leaves out (a matcher that did not pin them) are taken from the world —
 * the password of the LOGIN_NAME, that user's PAT, a JWT signed with the fixture key the world
 * registers for the user at the model's clock, a pre-issued access token — or from what the model
 * issued earlier in the flow (an MFA token, an access token). Where the recorded answer refused
 * the credential, a value the world does not hold is sent instead: redaction hides whether the
 * recorded value was right, the answer does not.
 */
import type { Account, User } from '../../domain/world/model.ts';
import { answerOf, isPlaceholder, loginRefused, type Answer } from './answers.ts';
import { bodyValue, isObject } from './compare.ts';
import { accessTokenClass, jwtClaims, patFor, signFor } from './credentials.ts';
import { account, type Flow, type Step } from './flow.ts';
import { hint, note, splitUrl, type Prepared } from './prepared.ts';
import { sentLine, shown, type Mark } from './shown.ts';
import { firstPasswordUser, firstPatUser, keyUser, userByLogin, worldAccessToken } from './world-facts.ts';

type Data = Record<string, unknown>;

/** What the login preparers share. */
interface LoginCtx {
  readonly flow: Flow;
  readonly step: Step;
  readonly data: Data;
  readonly account: Account | undefined;
  readonly answer: Answer;
  readonly marks: Map<string, Mark>;
  /** The recorded value of a field verify replaced (shown instead of the value sent). */
  readonly recorded: Map<string, unknown>;
}

/**
 * The login to send for a recorded one.
 *
 * @example
 * const { request, sent } = await prepareLogin(flow, step)
 */
export async function prepareLogin(flow: Flow, step: Step): Promise<Prepared> {
  const [path, query] = splitUrl(step.ex.request.url);
  const root = bodyValue(step.ex.request.body);
  const body: Data = isObject(root) ? { ...root } : {};
  const data: Data = isObject(body.data) ? { ...body.data } : {};
  const ctx: LoginCtx = { flow, step, data, account: account(flow), answer: answerOf(step.ex), marks: new Map(), recorded: new Map() };
  if (!isObject(root)) note(step, 'any-login');
  if (data.AUTHENTICATOR === undefined && data.TOKEN !== undefined && data.PASSWORD === undefined) {
    data.AUTHENTICATOR = 'OAUTH';
    note(step, 'oauth-authenticator');
  }
  const authenticator = String(data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
  if (authenticator === 'PROGRAMMATIC_ACCESS_TOKEN') resolvePat(ctx);
  else if (authenticator === 'OAUTH') resolveAccessToken(ctx);
  else if (authenticator === 'SNOWFLAKE_JWT') await resolveJwt(ctx);
  else resolvePassword(ctx);
  const headers = { ...step.ex.request.headers, 'content-type': step.ex.request.headers['content-type'] ?? 'application/json' };
  const request = { method: step.ex.request.method, path, query, headers, body: JSON.stringify({ ...body, data }) };
  return { request, sent: sentLine(request.method, path, query, fields(ctx)), compare: {} };
}

function fields(ctx: LoginCtx): string[] {
  const out: string[] = [];
  for (const k of ['AUTHENTICATOR', 'LOGIN_NAME', 'PASSWORD', 'TOKEN', 'PASSCODE', 'SPCS_TOKEN']) {
    if (ctx.data[k] !== undefined) out.push(`${k}=${shown(ctx.recorded.get(k) ?? ctx.data[k], ctx.marks.get(k))}`);
  }
  const env = ctx.data.CLIENT_ENVIRONMENT;
  if (isObject(env) && Object.keys(env).some((k) => /^(OS_DETAILS|LIBC_)/.test(k))) out.push('CLIENT_ENVIRONMENT as recorded');
  return out;
}

/** Sets a field and remembers why; a replaced recorded value is what the report shows. */
function put(ctx: LoginCtx, key: string, value: unknown, mark: Mark): void {
  if (mark !== 'added' && ctx.data[key] !== undefined) ctx.recorded.set(key, ctx.data[key]);
  ctx.data[key] = value;
  ctx.marks.set(key, mark);
}

/** A value the world holds for nobody, for a credential the recorded answer refused. */
const refusedValue = (kind: string): string => `verify-refused-${kind}`;

/** LOGIN_NAME, added from the world when the recording has none; the user it names. */
function loginUser(ctx: LoginCtx, fallback: User | undefined, id: string): User | undefined {
  if (typeof ctx.data.LOGIN_NAME !== 'string' && fallback) {
    put(ctx, 'LOGIN_NAME', fallback.loginName, 'added');
    note(ctx.step, id);
  }
  return userByLogin(ctx.account, ctx.data.LOGIN_NAME);
}

function resolvePassword(ctx: LoginCtx): void {
  const first = firstPasswordUser(ctx.account);
  const id = ctx.data.LOGIN_NAME === undefined && ctx.data.PASSWORD === undefined && ctx.step.notes.includes('any-login') ? 'any-login' : 'credentials-added';
  const user = loginUser(ctx, first, id);
  const pw = ctx.data.PASSWORD;
  if (pw === undefined) {
    put(ctx, 'PASSWORD', (user ?? first)?.password, 'added');
    note(ctx.step, id);
  } else if (isPlaceholder(pw)) {
    if (loginRefused(ctx.answer, 'password')) refuse(ctx, 'PASSWORD', 'password');
    else if (user?.password !== undefined) put(ctx, 'PASSWORD', user.password, 'world');
  }
  const token = ctx.data.TOKEN;
  if (typeof token === 'string' && ctx.flow.bindings.has(token)) put(ctx, 'TOKEN', ctx.flow.bindings.get(token), 'issued');
  else if (user?.mfa && ctx.answer.success === true && ctx.data.PASSCODE === undefined && token === undefined) addPasscode(ctx, user);
}

/** The second factor of an MFA user whose recorded login succeeded (test/driver/driver-cases.ts sends it so). */
function addPasscode(ctx: LoginCtx, user: User): void {
  if (user.mfa?.passcode === undefined) return;
  put(ctx, 'EXT_AUTHN_DUO_METHOD', 'passcode', 'added');
  put(ctx, 'PASSCODE', user.mfa.passcode, 'added');
  if (ctx.answer.data?.mfaToken !== undefined) {
    const params = isObject(ctx.data.SESSION_PARAMETERS) ? ctx.data.SESSION_PARAMETERS : {};
    ctx.data.SESSION_PARAMETERS = { ...params, CLIENT_REQUEST_MFA_TOKEN: true };
  }
  note(ctx.step, 'mfa-passcode');
}

function refuse(ctx: LoginCtx, key: string, kind: string): void {
  put(ctx, key, refusedValue(kind), 'refused');
  note(ctx.step, 'refused-credential');
}

function resolvePat(ctx: LoginCtx): void {
  const user = typeof ctx.data.LOGIN_NAME === 'string' ? userByLogin(ctx.account, ctx.data.LOGIN_NAME) : firstPatUser(ctx.account);
  const token = ctx.data.TOKEN;
  if (!isPlaceholder(token)) return;
  if (ctx.flow.bindings.has(token)) return put(ctx, 'TOKEN', ctx.flow.bindings.get(token), 'issued');
  if (loginRefused(ctx.answer, 'pat')) return refuse(ctx, 'TOKEN', 'pat');
  const secret = user ? patFor(ctx.flow, user, token) : undefined;
  if (secret !== undefined) put(ctx, 'TOKEN', secret, 'world');
  else note(ctx.step, 'placeholder-sent');
}

function resolveAccessToken(ctx: LoginCtx): void {
  const token = ctx.data.TOKEN;
  if (typeof token === 'string' && ctx.flow.bindings.has(token)) return put(ctx, 'TOKEN', ctx.flow.bindings.get(token), 'issued');
  if (!isPlaceholder(token)) return;
  const which = hint(ctx.step, 'accessToken') ?? accessTokenClass(ctx.flow, token);
  const user = userByLogin(ctx.account, ctx.data.LOGIN_NAME);
  const held = which === 'unknown' ? undefined : worldAccessToken(ctx.account, user?.name, which, ctx.flow.mock.clock.now());
  if (held === undefined) return refuse(ctx, 'TOKEN', 'access-token');
  put(ctx, 'TOKEN', held.token, 'world');
  note(ctx.step, 'world-access-token');
}

async function resolveJwt(ctx: LoginCtx): Promise<void> {
  const token = ctx.data.TOKEN;
  const claims = typeof token === 'string' ? jwtClaims(token) : undefined;
  if (token !== undefined && claims === undefined) return;
  const named = typeof claims?.iss === 'string' ? claims.iss.split('.')[1] : undefined;
  const user = loginUser(ctx, keyUser(ctx.account), 'credentials-added') ?? userByLogin(ctx.account, named);
  const refused = loginRefused(ctx.answer, 'jwt');
  const jwt = ctx.account && user ? await signFor(ctx.flow, ctx.account, user, claims, refused) : undefined;
  if (jwt === undefined) return;
  put(ctx, 'TOKEN', jwt, token === undefined ? 'added' : refused ? 'refused' : 'world');
  note(ctx.step, refused ? 'jwt-unregistered-key' : 'jwt-signed');
}


