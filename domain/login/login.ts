/**
 * The login pipeline of `POST /session/v1/login-request` (test/driver/driver-cases.ts, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/authentication.js): the authenticator named
 * by `data.AUTHENTICATOR` checks the credential; then the network policy for that traffic
 * (https://docs.snowflake.com/en/user-guide/network-policies), the requested role, and the session namespace. Never throws.
 */
import { andThen, type Awaitable } from '../awaitable.ts';
import { reject } from '../errors/rejection.ts';
import { checkNetworkAccess } from '../network/precedence.ts';
import { WORLD_DEFAULTS } from '../world/config.ts';
import { findDatabase, schemasOf } from '../world/databases.ts';
import type { Account } from '../world/model.ts';
import type { SessionNamespace } from '../session/sessions.ts';
import type { Authenticator, LoginContext, LoginFailure, LoginSuccess } from './context.ts';
import { keypairLogin } from './keypair.ts';
import { identifier, type LoginRequest } from './login-request.ts';
import { oauthLogin } from './oauth.ts';
import { mfaLogin, passwordLogin } from './password.ts';
import { patLogin } from './pat.ts';

/** One module per authenticator, by its wire name (DESIGN.md §5.2). */
const AUTHENTICATORS: Readonly<Record<string, Authenticator>> = {
  SNOWFLAKE: passwordLogin,
  USERNAME_PASSWORD_MFA: mfaLogin,
  SNOWFLAKE_JWT: keypairLogin,
  OAUTH: oauthLogin,
  PROGRAMMATIC_ACCESS_TOKEN: patLogin,
};

/** An accepted login: who, in which session namespace, and an MFA token when one was asked for. */
export interface LoginAccepted extends LoginSuccess {
  readonly namespace: SessionNamespace;
  readonly mfaToken?: string;
  /** Seconds the MFA token is valid (test/driver/driver-cases.ts `mfaTokenValidityInSeconds`). */
  readonly mfaTokenValidity: number;
}

/**
 * Decides a login request; a promise only while jose checks a JWT's signature.
 *
 * @example
 * const d = await decideLogin(request, ctx)
 * if (d.ok) sessions.open({ ...d.namespace, user: d.user.name, … }, now)
 */
export function decideLogin(req: LoginRequest, ctx: LoginContext): Awaitable<LoginAccepted | LoginFailure> {
  const authenticator = AUTHENTICATORS[req.authenticator];
  if (!authenticator) {
    const known = Object.keys(AUTHENTICATORS).join(', ');
    return { ok: false, rejection: reject('390400', 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/authentication.js', `authenticator ${JSON.stringify(req.authenticator.slice(0, 60))} is not supported by the mock (supported: ${known})`, 'AUTHENTICATOR_UNSUPPORTED') };
  }
  return andThen(authenticator(req, ctx), (credential) => (credential.ok ? accept(req, credential, ctx) : credential));
}

/** The credential holds: network policy, session role, namespace, and an MFA token when asked for. */
function accept(req: LoginRequest, credential: LoginSuccess, ctx: LoginContext): LoginAccepted | LoginFailure {
  const network = networkCheck(credential, ctx);
  if (network) return network;
  const role = sessionRole(req, credential);
  if (typeof role !== 'string') return role;
  const namespace = sessionNamespace(req, role, ctx.account, credential);
  const mfaToken = credential.mfa && req.requestMfaToken && ctx.account.parameters.allowClientMfaCaching
    ? ctx.mfaTokens.issue(ctx.account.name, credential.user.name, ctx.now, WORLD_DEFAULTS.mfaTokenValiditySeconds)
    : undefined;
  const explanation = `${credential.explanation}; ${namespace.note}`;
  return { ...credential, explanation, namespace: namespace.value, mfaTokenValidity: WORLD_DEFAULTS.mfaTokenValiditySeconds, ...(mfaToken !== undefined && { mfaToken }) };
}

/**
 * https://docs.snowflake.com/en/user-guide/network-policies: the user's IP rules for user credentials, the integration's for Snowflake OAuth
 * tokens; External OAuth tokens arrive as `user-credential` traffic (user, else account policy).
 */
function networkCheck(c: LoginSuccess, ctx: LoginContext): LoginFailure | undefined {
  if (c.skipNetwork) return undefined;
  const access = checkNetworkAccess({
    account: ctx.account, user: c.user, traffic: c.traffic, precedence: ctx.world.switches.networkPolicyPrecedence, clientIp: ctx.clientIp,
    ...(c.integration !== undefined && { integration: c.integration }),
  });
  return access.ok ? undefined : { ok: false, user: c.user, auth: c.auth, rejection: access.rejection };
}

/** The `roleName` query parameter (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js): must be granted, and equal the credential's role when that is fixed. */
function sessionRole(req: LoginRequest, c: LoginSuccess): string | LoginFailure {
  if (req.roleName === undefined) return c.role;
  const wanted = identifier(req.roleName);
  if (wanted === c.role) return wanted;
  const granted = wanted === 'PUBLIC' || c.user.roles.has(wanted);
  // Any role mode (External OAuth, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-external): granted is not enough, the integration's role lists must allow it.
  const selectable = c.selectableRoles === undefined || c.selectableRoles.has(wanted);
  if (granted && !c.roleLocked && selectable) return wanted;
  const why = c.roleLocked ? `the ${c.auth} credential is limited to role ${c.role}`
    : !granted ? `role ${wanted.slice(0, 100)} is not granted to ${c.user.name}`
      : `role ${wanted.slice(0, 100)} is blocked or not allowed for the ${c.auth} credential (selectable: ${[...c.selectableRoles!].join(', ')})`;
  return { ok: false, user: c.user, auth: c.auth, rejection: reject('390189', 'https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts', `roleName ${JSON.stringify(req.roleName.slice(0, 100))}: ${why}`, undefined, { role: wanted.slice(0, 255) }) };
}

/**
 * Warehouse, database and schema from the query. Inferred: Snowflake does not refuse a login for
 * an unknown one; the session simply has none (sessionInfo shows null), which the journal notes.
 */
function sessionNamespace(req: LoginRequest, role: string, account: Account, c: LoginSuccess): { value: SessionNamespace; note: string } {
  const notes: string[] = [`session role ${role}`];
  const warehouse = known(req.warehouse, account.warehouses.map((w) => w.name), 'warehouse', notes);
  const database = known(req.database, account.databases.map((d) => d.name), 'database', notes);
  // A schema must exist in that database (world/databases.ts), else the session has none, like an unknown database.
  const db = database === null ? undefined : findDatabase(account, database);
  const schema = db === undefined ? null : known(req.schema, [...schemasOf(db).keys()], 'schema', notes);
  // The credential's role lock goes with the session: USE ROLE may not leave it (context-commands.ts, decisions/0015).
  if (c.roleLocked) notes.push(`role fixed to ${role} by the ${c.auth} credential`);
  const lock = { ...(c.roleLocked && { roleLocked: true }), ...(!c.roleLocked && c.selectableRoles !== undefined && { selectableRoles: c.selectableRoles }) };
  return { value: { role, warehouse, database, schema, ...lock }, note: notes.join(', ') };
}

function known(requested: string | undefined, names: readonly string[], what: string, notes: string[]): string | null {
  if (requested === undefined) return null;
  const name = identifier(requested);
  if (names.includes(name)) {
    notes.push(`${what} ${name}`);
    return name;
  }
  notes.push(`${what} ${name.slice(0, 100)} does not exist, so the session has none`);
  return null;
}
