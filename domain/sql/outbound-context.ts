/**
 * What the outbound-OAuth and Native App commands share: who runs the statement (a session, or an
 * application's setup script), and how a refused rule of native-app/mutations.ts becomes a
 * Snowflake-shaped failure.
 */
import { reject, type Rejection } from '../errors/rejection.ts';
import { MutationError } from '../world/mutations.ts';
import type { Account } from '../world/model.ts';
import type { Actor } from '../native-app/state.ts';
import type { SqlEnv, SqlResult } from './execute.ts';
import { alreadyExists, doesNotExist, failed, insufficientPrivileges, invalidValue, syntaxError, type ObjectKind } from './refusals.ts';

/** A statement's runner: the account, who runs it, and the environment. */
export interface Runner {
  readonly account: Account;
  readonly actor: Actor;
  readonly env: SqlEnv;
}

/** The account role running the statement, or undefined in a setup script. */
export const roleOf = (r: Runner): string | undefined => (r.actor.kind === 'session' ? r.actor.role : undefined);

/** The application running the statement (its setup script), or undefined in a session. */
export const applicationOf = (r: Runner): string | undefined => (r.actor.kind === 'application' ? r.actor.application : undefined);

/** Who runs it, for explanations. */
export const who = (r: Runner): string => (r.actor.kind === 'session' ? `${r.actor.user} in role ${r.actor.role}` : `the setup script of application ${r.actor.application}`);

const KINDS: Readonly<Record<string, ObjectKind>> = {
  UNKNOWN_SECRET: 'Secret', UNKNOWN_APPLICATION: 'Application', UNKNOWN_APPLICATION_ROLE: 'Application role',
  UNKNOWN_SPECIFICATION: 'Specification', UNKNOWN_CONFIGURATION: 'Configuration', UNKNOWN_DATABASE: 'Database',
  UNKNOWN_SCHEMA: 'Schema', UNKNOWN_INTEGRATION: 'Integration', UNKNOWN_ROLE: 'Role',
};

/**
 * Maps a refused mutation to its catalogue failure; anything that is not a MutationError is a bug
 * and rethrown.
 *
 * @example
 * try { createSecret(account, spec) } catch (e) { return refusedMutation(e, 'https://docs.snowflake.com/en/sql-reference/sql/create-secret') }
 */
export function refusedMutation(error: unknown, rule: string): SqlResult {
  if (!(error instanceof MutationError)) throw error;
  return failed(mutationRejection(error, rule));
}

/**
 * The rejection for a refused mutation (see {@link refusedMutation}).
 *
 * @example
 * mutationRejection(new MutationError('NO_TOKENS', '…', { name: 'A.B.C' }), 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization').code // '394618'
 */
export function mutationRejection(error: MutationError, rule: string): Rejection {
  const d = error.detail;
  const kind = KINDS[error.problem];
  if (kind) return doesNotExist(kind, d.name ?? '', rule, error.message);
  switch (error.problem) {
    case 'OBJECT_EXISTS':
      return alreadyExists(d.name ?? '', rule, error.message);
    case 'INVALID_VALUE':
      if (d.what === 'VALUE') return reject('394617', `${rule}; https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization Step 3`, error.message, undefined, { value: (d.value ?? '').slice(0, 100), name: d.name ?? '' });
      return invalidValue(d.what ?? '?', d.value ?? '', rule, error.message);
    case 'NOT_API_AUTHENTICATION':
      return invalidValue('API_AUTHENTICATION', d.name ?? '', rule, error.message);
    case 'NOT_OWNED':
      return invalidValue('SECRET', d.name ?? '', `${rule}; https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 5 (the secret must be owned by the application)`, error.message);
    case 'PRIVILEGE_MISSING':
      return insufficientPrivileges((d.kind ?? 'secret') as 'secret', d.name ?? '', rule, error.message);
    case 'NO_TOKENS':
      return reject('394618', `${rule}; https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization Step 3 (the secret must hold tokens)`, error.message, 'SECRET_NOT_AUTHORIZED', { name: d.name ?? '' });
    default:
      throw error;
  }
}

/**
 * A statement that runs only in one context (a setup script, or a session): 001003 at its first
 * token, saying where it runs.
 *
 * @example
 * return wrongContext('ALTER', 'ALTER APPLICATION SET SPECIFICATION runs only in an application's setup script')
 */
export function wrongContext(token: string, explanation: string): SqlResult {
  return failed(syntaxError(token, explanation));
}
