/**
 * The Snowflake-shaped failures of the SQL command layer, one builder per catalogue code, so the
 * commands say *which rule* and the catalogue says *how it looks* (422 QueryFailureStatus on the
 * SQL API). Params are cut to a sane length: a message never carries a megabyte of input.
 */
import { reject, type Rejection } from '../errors/rejection.ts';
import type { SqlResult } from './execute.ts';

const cut = (text: string, max = 255): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A failed {@link SqlResult}. */
export const failed = (rejection: Rejection): SqlResult => ({ ok: false, rejection });

/**
 * 001003: the grammar refuses the statement at `token` (reference §5.3; the mock's grammar).
 *
 * @example
 * syntaxError('SHOW', 'SHOW TABLES is not a statement the mock supports')
 */
export function syntaxError(token: string, explanation: string, where: { line: number; position: number } = { line: 1, position: 0 }): Rejection {
  return reject('001003', 'reference §5.3 (statement not supported by the mock)', explanation, undefined, { token: cut(token, 40), line: String(where.line), position: String(where.position) });
}

/** Kinds of object named in 002003 messages, as Snowflake capitalises them. */
export type ObjectKind =
  | 'User' | 'Role' | 'Programmatic access token' | 'Integration' | 'Network policy'
  | 'Secret' | 'Application' | 'Application role' | 'Specification' | 'Configuration' | 'Database' | 'Schema';

/**
 * 002003 "<Kind> '<name>' does not exist or not authorized." (sqlState 02000).
 *
 * @example
 * doesNotExist('User', 'NOBODY', 'reference §3.1', 'no user NOBODY in MYORG-MYACCOUNT')
 */
export function doesNotExist(kind: ObjectKind, name: string, rule: string, explanation: string): Rejection {
  return reject('002003', rule, explanation, undefined, { kind, name: cut(name) });
}

/**
 * 002002 "Object '<name>' already exists." (sqlState 42710).
 *
 * @example
 * alreadyExists('CI', 'reference §3.1', 'ALICE already has a PAT named CI')
 */
export function alreadyExists(name: string, rule: string, explanation: string): Rejection {
  return reject('002002', rule, explanation, undefined, { name: cut(name) });
}

/**
 * 003001 "SQL access control error: Insufficient privileges to operate on <kind> '<name>'" (sqlState 42501).
 *
 * @example
 * insufficientPrivileges('user', 'ETL_BOT', 'reference §3.1 (privileges inferred)', 'role ANALYST …')
 */
export function insufficientPrivileges(kind: 'user' | 'integration' | 'secret' | 'application' | 'configuration', name: string, rule: string, explanation: string): Rejection {
  return reject('003001', rule, explanation, undefined, { kind, name: cut(name) });
}

/**
 * 001422 "invalid value [<value>] for parameter '<parameter>'" (sqlState 22023).
 *
 * @example
 * invalidValue('DAYS_TO_EXPIRY', '400', 'reference §3.1', 'DAYS_TO_EXPIRY must be 1..365')
 */
export function invalidValue(parameter: string, value: string, rule: string, explanation: string): Rejection {
  return reject('001422', rule, explanation, undefined, { parameter, value: cut(value, 40) });
}

/**
 * 394401: a PAT operation a rule of §3 forbids (limit, role restriction, network policy, PAT session).
 *
 * @example
 * patRefused('Programmatic access token limit of 15 reached for user ALICE.', 'reference §3.1', '…')
 */
export function patRefused(reason: string, rule: string, explanation: string): Rejection {
  return reject('394401', rule, explanation, undefined, { reason });
}
