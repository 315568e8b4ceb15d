/**
 * What every login authenticator module receives and returns (DESIGN.md §5.2: one module per
 * method, same export shape, dispatched by the wire string `data.AUTHENTICATOR`, as https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/authentication.js names them).
 */
import type { AuthContext } from '../auth/context.ts';
import type { Awaitable } from '../awaitable.ts';
import type { Rejection } from '../errors/rejection.ts';
import type { Ids } from '../ids.ts';
import type { NetworkTraffic } from '../network/precedence.ts';
import type { SessionAuth } from '../auth/context.ts';
import type { User } from '../world/model.ts';
import type { LoginRequest } from './login-request.ts';
import type { MfaTokenStore } from './mfa-tokens.ts';

/** The bearer-auth context plus what only logins need. */
export interface LoginContext extends AuthContext {
  readonly ids: Ids;
  readonly mfaTokens: MfaTokenStore;
}

/** A credential an authenticator accepted; the login pipeline then applies policy and role. */
export interface LoginSuccess {
  readonly ok: true;
  readonly user: User;
  readonly auth: SessionAuth;
  /** The credential's session role (token role, PAT restriction, else the default role). */
  readonly role: string;
  /** True when the credential fixes the role (OAuth token, role-restricted PAT). */
  readonly roleLocked: boolean;
  /** Which network traffic rules apply (https://docs.snowflake.com/en/user-guide/network-policies). */
  readonly traffic: NetworkTraffic;
  /** OAuth integration of the token, for its network policy. */
  readonly integration?: string;
  /** Any-role mode (External OAuth): the roles `roleName` may pick (role not locked). */
  readonly selectableRoles?: ReadonlySet<string>;
  /** PAT_POLICY NETWORK_POLICY_EVALUATION = NOT_ENFORCED skips the IP check (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). */
  readonly skipNetwork?: boolean;
  /** The second factor was satisfied (the login may then issue an MFA token). */
  readonly mfa?: boolean;
  readonly explanation: string;
}

/** A refused login; `user` is set when the request named a known user. */
export interface LoginFailure {
  readonly ok: false;
  readonly user?: User;
  readonly auth?: SessionAuth;
  readonly rejection: Rejection;
}

export type LoginOutcome = LoginSuccess | LoginFailure;

/** One authenticator module; a promise only while jose checks a token's signature. */
export type Authenticator = (request: LoginRequest, ctx: LoginContext) => Awaitable<LoginOutcome>;

/**
 * Why `LOGIN_NAME`, when sent, does not name the credential's user (`undefined` when it does or
 * was not sent). Token logins may leave it out (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js).
 *
 * @example
 * loginNameMismatch('bob', alice, "the token's user") // 'LOGIN_NAME "bob" is not the token\'s user ALICE'
 */
export function loginNameMismatch(loginName: string | undefined, user: User, whose: string): string | undefined {
  if (loginName === undefined || loginName.toUpperCase() === user.loginName) return undefined;
  return `LOGIN_NAME ${JSON.stringify(loginName.slice(0, 100))} is not ${whose} ${user.loginName}`;
}

/**
 * The user a `LOGIN_NAME` names, compared case-insensitively (the driver sends it as typed, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js).
 *
 * @example
 * userByLoginName(account, 'alice')?.name // 'ALICE'
 */
export function userByLoginName(account: AuthContext['account'], loginName: string | undefined): User | undefined {
  if (loginName === undefined) return undefined;
  const wanted = loginName.toUpperCase();
  for (const user of account.users.values()) if (user.loginName === wanted) return user;
  return undefined;
}
