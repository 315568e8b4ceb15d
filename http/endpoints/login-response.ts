/**
 * The success body of `POST /session/v1/login-request`, in the full shape every driver's fixtures
 * return (e.g. recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/login_request_ok.json).
 */
import type { Session } from '../../domain/session/sessions.ts';
import type { User } from '../../domain/world/model.ts';
import { SESSION_PARAMETERS } from './session-parameters.ts';


/** What the body needs besides the session. */
export interface LoginBodyInput {
  readonly session: Session;
  readonly user: User;
  readonly now: number;
  readonly mfaToken?: string;
  readonly mfaTokenValidity: number;
}

/**
 * The login success body.
 *
 * @example
 * loginSuccessBody({ session, user, now, mfaTokenValidity: 14400 }).data.token // session.token
 */
export function loginSuccessBody(input: LoginBodyInput): Record<string, unknown> {
  const { session, user, now } = input;
  const data = {
    token: session.token,
    masterToken: session.masterToken,
    validityInSeconds: Math.round((session.tokenExpiresAt - now) / 1000),
    masterValidityInSeconds: Math.round((session.masterExpiresAt - now) / 1000),
    sessionId: session.id,
    displayUserName: user.displayName ?? user.name,
    serverVersion: '9.0.0',
    firstLogin: false,
    remMeToken: null,
    remMeValidityInSeconds: 0,
    healthCheckInterval: 45,
    newClientForUpgrade: null,
    parameters: SESSION_PARAMETERS,
    sessionInfo: { databaseName: session.database, schemaName: session.schema, warehouseName: session.warehouse, roleName: session.role },
    idToken: null,
    idTokenValidityInSeconds: 0,
    mfaToken: input.mfaToken ?? null,
    mfaTokenValidityInSeconds: input.mfaToken === undefined ? 0 : input.mfaTokenValidity,
    responseData: null,
  };
  return { data, code: null, message: null, success: true };
}

/**
 * A GS success envelope around `data`.
 *
 * @example
 * gsSuccess('Log Received') // { data: 'Log Received', code: null, message: null, success: true }
 */
export function gsSuccess(data: unknown): Record<string, unknown> {
  return { data, code: null, message: null, success: true };
}
