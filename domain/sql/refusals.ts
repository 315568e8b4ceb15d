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
 * 001003: the grammar refuses the statement at `token` (https://docs.snowflake.com/en/developer-guide/sql-api/reference; the mock's grammar).
 *
 * @example
 * syntaxError('SHOW', 'SHOW TABLES is not a statement the mock supports')
 */
export function syntaxError(token: string, explanation: string, where: { line: number; position: number } = { line: 1, position: 0 }): Rejection {
  return reject('001003', 'https://docs.snowflake.com/en/developer-guide/sql-api/reference (statement not supported by the mock)', explanation, undefined, { token: cut(token, 40), line: String(where.line), position: String(where.position) });
}

/** Kinds of object named in 002003 messages, as Snowflake capitalises them. */
export type ObjectKind =
  | 'User' | 'Role' | 'Programmatic access token' | 'Integration' | 'Network policy'
  | 'Secret' | 'Application' | 'Application role' | 'Specification' | 'Configuration' | 'Database' | 'Schema'
  // A role-refused statements: entry names the table it reads (decisions/0016).
  | 'Object' | 'Table' | 'View';

/**
 * 002003 "<Kind> '<name>' does not exist or not authorized." (sqlState 02000).
 *
 * @example
 * doesNotExist('User', 'NOBODY', 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token', 'no user NOBODY in MYORG-MYACCOUNT')
 */
export function doesNotExist(kind: ObjectKind, name: string, rule: string, explanation: string): Rejection {
  return reject('002003', rule, explanation, undefined, { kind, name: cut(name) });
}

/**
 * 002002 "Object '<name>' already exists." (sqlState 42710).
 *
 * @example
 * alreadyExists('CI', 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token', 'ALICE already has a PAT named CI')
 */
export function alreadyExists(name: string, rule: string, explanation: string): Rejection {
  return reject('002002', rule, explanation, undefined, { name: cut(name) });
}

/**
 * 003001 "SQL access control error: Insufficient privileges to operate on <kind> '<name>'" (sqlState 42501).
 *
 * @example
 * insufficientPrivileges('user', 'ETL_BOT', 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token (privileges inferred)', 'role ANALYST …')
 */
export function insufficientPrivileges(kind: 'user' | 'integration' | 'secret' | 'application' | 'configuration' | 'account' | 'database', name: string, rule: string, explanation: string): Rejection {
  return reject('003001', rule, explanation, undefined, { kind, name: cut(name) });
}

/**
 * 001422 "invalid value [<value>] for parameter '<parameter>'" (sqlState 22023).
 *
 * @example
 * invalidValue('DAYS_TO_EXPIRY', '400', 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token', 'DAYS_TO_EXPIRY must be 1..365')
 */
export function invalidValue(parameter: string, value: string, rule: string, explanation: string): Rejection {
  return reject('001422', rule, explanation, undefined, { parameter, value: cut(value, 40) });
}

/**
 * 394401: a PAT operation a documented rule forbids (limit, role restriction, network policy, PAT session;
 * https://docs.snowflake.com/en/user-guide/programmatic-access-tokens).
 *
 * @example
 * patRefused('Programmatic access token limit of 15 reached for user ALICE.', 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token', '…')
 */
export function patRefused(reason: string, rule: string, explanation: string): Rejection {
  return reject('394401', rule, explanation, undefined, { reason });
}

/**
 * 002043 "Object does not exist, or operation cannot be performed." (sqlState 02000): USE of a
 * database, schema or warehouse that does not exist, SHOW SCHEMAS IN a missing database
 * (https://docs.snowflake.com/en/sql-reference/sql/use-database; the text as quoted in
 * https://github.com/snowflakedb/SnowAlert/issues/381; the code for USE inferred, decisions/0015).
 *
 * @example
 * objectNotFound('https://docs.snowflake.com/en/sql-reference/sql/use-warehouse', 'no warehouse NOPE_WH in MYORG-MYACCOUNT')
 */
export function objectNotFound(rule: string, explanation: string): Rejection {
  return reject('002043', rule, explanation);
}

/**
 * 090105 "Cannot perform <COMMAND>. This session does not have a current database. Call 'USE
 * DATABASE', or use a qualified name." (sqlState 22000; as fakesnow words it, decisions/0015).
 *
 * @example
 * noCurrentDatabase('USE SCHEMA', 'https://docs.snowflake.com/en/sql-reference/sql/use-schema', 'USE SCHEMA raw needs a current database')
 */
export function noCurrentDatabase(command: string, rule: string, explanation: string): Rejection {
  return reject('090105', rule, explanation, undefined, { command: cut(command, 40) });
}
