/**
 * The context statements every client sends (issue #13, decisions/0015): USE ROLE / SECONDARY
 * ROLES / WAREHOUSE / DATABASE / SCHEMA, CREATE DATABASE, CREATE SCHEMA, SHOW DATABASES / SCHEMAS
 * / WAREHOUSES (context-show.ts) and ALTER SESSION. A statement that moves the session answers
 * with a {@link ContextChange}; the caller applies it (a driver session keeps it, the SQL API —
 * one statement per request, no session — drops it). Inferred (decisions/0015): the SQL API's
 * limitations (https://docs.snowflake.com/en/developer-guide/sql-api/intro#limitations-of-the-sql-api)
 * support USE and ALTER SESSION "only within a request that specifies multiple statements" without
 * saying what a single statement answers; the mock answers success with no lasting effect. Databases and schemas created here live in
 * the world until `reset()` rebuilds it (world/databases.ts).
 */
import { dropSecretsIn } from '../native-app/mutations.ts';
import { applicationsOf } from '../native-app/state.ts';
import { reject, type Rejection } from '../errors/rejection.ts';
import { MAX_SESSION_PARAMETER_VALUE } from '../session/sessions.ts';
import { createDatabase, createSchemaIn, findDatabase, ObjectLimitReached, schemasOf, PUBLIC_SCHEMA, type CreatedObject } from '../world/databases.ts';
import type { User } from '../world/model.ts';
import { STATUS_COLUMNS } from './columns.ts';
import { showDatabases, showSchemas, showWarehouses } from './context-show.ts';
import type { SqlEnv, SqlResult, SqlSession } from './execute.ts';
import { refusedMutation } from './outbound-context.ts';
import { parseContextCommand, type ContextCommand } from './parse-context.ts';
import { alreadyExists, doesNotExist, failed, insufficientPrivileges, noCurrentDatabase, objectNotFound } from './refusals.ts';
import type { Cursor } from './tokens.ts';

/**
 * What a statement changed in the session's context. A field that is absent stays as it was;
 * `schema: null` leaves the session without a current schema.
 *
 * @example
 * const change: ContextChange = { database: 'PROVIDER_DB', schema: 'PUBLIC' } // after CREATE DATABASE provider_db
 */
export interface ContextChange {
  readonly role?: string;
  readonly warehouse?: string;
  readonly database?: string;
  readonly schema?: string | null;
  /** ALTER SESSION: parameters set (name → value as written) and unset, names upper-case. */
  readonly parameters?: { readonly set?: readonly (readonly [string, string])[]; readonly unset?: readonly string[] };
}

const USE_ROLE = 'https://docs.snowflake.com/en/sql-reference/sql/use-role';
const USE_SECONDARY_ROLES = 'https://docs.snowflake.com/en/sql-reference/sql/use-secondary-roles';
const USE_WAREHOUSE = 'https://docs.snowflake.com/en/sql-reference/sql/use-warehouse';
const USE_DATABASE = 'https://docs.snowflake.com/en/sql-reference/sql/use-database';
const USE_SCHEMA = 'https://docs.snowflake.com/en/sql-reference/sql/use-schema';
const CREATE_DATABASE = 'https://docs.snowflake.com/en/sql-reference/sql/create-database';
const CREATE_SCHEMA = 'https://docs.snowflake.com/en/sql-reference/sql/create-schema';
const ALTER_SESSION = 'https://docs.snowflake.com/en/sql-reference/sql/alter-session';
const PAT_ROLE_RESTRICTION = 'https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token (ROLE_RESTRICTION)';
const OAUTH_SCOPE_ROLE = 'https://docs.snowflake.com/en/user-guide/oauth-custom (session:role scope)';
const SYSTEM_ROLES = 'https://docs.snowflake.com/en/user-guide/security-access-control-overview (system-defined roles)';
const DONE = 'Statement executed successfully.';

/**
 * The system-role hierarchy (https://docs.snowflake.com/en/user-guide/security-access-control-overview):
 * ACCOUNTADMIN holds SYSADMIN and SECURITYADMIN, SECURITYADMIN holds USERADMIN. Custom-role
 * hierarchies are not modelled.
 */
const HOLDS: Readonly<Record<string, readonly string[]>> = { ACCOUNTADMIN: ['SYSADMIN', 'SECURITYADMIN'], SECURITYADMIN: ['USERADMIN'] };

/**
 * Inferred: the roles that hold CREATE DATABASE on the account (SYSADMIN by default grant, ACCOUNTADMIN above it).
 *
 * @example
 * DATABASE_CREATOR_ROLES.has('ANALYST') // false: CREATE DATABASE is 003001
 */
export const DATABASE_CREATOR_ROLES: ReadonlySet<string> = new Set(['ACCOUNTADMIN', 'SYSADMIN']);

/**
 * Runs a context statement; `undefined` (nothing consumed) when the statement is not one of them.
 *
 * @example
 * contextStatement(new Cursor(tokenize('USE WAREHOUSE compute_wh')), session, env)
 * // { ok: true, kind: 'ddl', rows: [['Statement executed successfully.']], context: { warehouse: 'COMPUTE_WH' }, … }
 */
export function contextStatement(c: Cursor, session: SqlSession, env: SqlEnv): SqlResult | undefined {
  const command = parseContextCommand(c);
  return command && runContextCommand(command, session, env);
}

/**
 * Runs a parsed context statement.
 *
 * @example
 * runContextCommand({ kind: 'use-role', role: 'SYSADMIN' }, session, env).ok // true when SYSADMIN is granted
 */
export function runContextCommand(cmd: ContextCommand, session: SqlSession, env: SqlEnv): SqlResult {
  switch (cmd.kind) {
    case 'use-role':
      return useRole(cmd.role, session);
    case 'use-secondary-roles':
      return useSecondaryRoles(cmd.roles, session);
    case 'use-warehouse':
      return useWarehouse(cmd.warehouse, session);
    case 'use-database':
      return useDatabase(cmd.database, session);
    case 'use-schema':
      return useSchema(cmd.database, cmd.schema, session);
    case 'create-database':
      return createDatabaseCommand(cmd, session, env);
    case 'create-schema':
      return createSchemaCommand(cmd, session, env);
    case 'show-databases':
      return showDatabases(cmd.filter, session);
    case 'show-schemas':
      return showSchemas(cmd.filter, cmd.scope, session);
    case 'show-warehouses':
      return showWarehouses(cmd.filter, session);
    case 'alter-session-set':
      return alterSessionSet(cmd.parameters);
    case 'alter-session-unset':
      return status(DONE, false, { parameters: { unset: cmd.parameters } });
  }
}

/**
 * The roles a user may switch to: PUBLIC, the granted roles, and the system roles below them.
 *
 * @example
 * usableRoles(admin).has('SYSADMIN') // true when ADMIN holds ACCOUNTADMIN
 */
export function usableRoles(user: User): Set<string> {
  return withRolesBelow(['PUBLIC', ...user.roles]);
}

/** The roles and every system role below them. */
function withRolesBelow(roles: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const add = (role: string): void => {
    if (out.has(role)) return;
    out.add(role);
    for (const below of HOLDS[role] ?? []) add(below);
  };
  for (const role of roles) add(role);
  return out;
}

/**
 * `ALTER SESSION SET` (https://docs.snowflake.com/en/sql-reference/sql/alter-session): any
 * parameter is accepted and recorded (inferred: Snowflake refuses unknown names; the mock models
 * none of their effects). A value longer than {@link MAX_SESSION_PARAMETER_VALUE} characters is the
 * mock's 999003 (a mock bound: a session keeps what it is given).
 */
function alterSessionSet(parameters: readonly (readonly [string, string])[]): SqlResult {
  const long = parameters.find(([, value]) => value.length > MAX_SESSION_PARAMETER_VALUE);
  if (long) {
    const [name, value] = long;
    return failed(mockLimit(`the value of session parameter ${name.slice(0, 100)} has ${value.length} characters; the mock keeps at most ${MAX_SESSION_PARAMETER_VALUE}`, ALTER_SESSION));
  }
  return status(DONE, false, { parameters: { set: parameters } });
}

/**
 * The mock's 999003: a statement would pass one of the mock's own bounds (fidelity mock, decisions/0015).
 *
 * @example
 * mockLimit('account MYORG-MYACCOUNT already holds 10000 databases, the most the mock keeps', 'https://docs.snowflake.com/en/sql-reference/sql/create-database').code // '999003'
 */
export function mockLimit(reason: string, rule: string): Rejection {
  return reject('999003', `${rule}; decisions/0015 (mock limit)`, reason, undefined, { reason: reason.slice(0, 300) });
}

/** A refused CREATE: the mock's bound (999003), else the refused mutation's Snowflake-shaped failure. */
function refusedCreate(e: unknown, rule: string): SqlResult {
  return e instanceof ObjectLimitReached ? failed(mockLimit(e.message, rule)) : refusedMutation(e, rule);
}

/** The status row, with the context it moves to. */
function status(message: string, changed: boolean, context?: ContextChange): SqlResult {
  return { ok: true, kind: 'ddl', columns: STATUS_COLUMNS, rows: [[message]], changed, cacheable: false, ...(context !== undefined && { context }) };
}

/**
 * `USE ROLE <r>` (https://docs.snowflake.com/en/sql-reference/sql/use-role): the role must be
 * granted to the user, directly or through the system-role hierarchy; and a credential that fixes
 * the role keeps it: a PAT's ROLE_RESTRICTION "is used for privilege evaluation and object
 * creation" (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token),
 * an OAuth token's role is its `session:role:` scope (https://docs.snowflake.com/en/user-guide/oauth-custom).
 */
function useRole(role: string, session: SqlSession): SqlResult {
  if (session.roleLocked === true && role !== session.role) {
    // Inferred (decisions/0015): the same 002003 as a role not granted; USE ROLE of the fixed role itself succeeds.
    return failed(doesNotExist('Role', role, `${USE_ROLE}; ${PAT_ROLE_RESTRICTION}; ${OAUTH_SCOPE_ROLE}; decisions/0015 (002003 inferred)`, `the ${session.auth} credential fixes the session role to ${session.role}; USE ROLE ${role.slice(0, 100)} is refused`));
  }
  if (session.selectableRoles !== undefined && role !== session.role && !session.selectableRoles.has(role)) {
    return failed(doesNotExist('Role', role, `${USE_ROLE}; decisions/0009; decisions/0015 (inferred)`, `role ${role.slice(0, 100)} is not among the roles the External OAuth token may use (${[...session.selectableRoles].join(', ')})`));
  }
  if (!usableRoles(session.user).has(role)) {
    // Inferred (decisions/0015): a role that does not exist and one not granted answer alike, as the message says.
    return failed(doesNotExist('Role', role, `${USE_ROLE}; ${SYSTEM_ROLES}`, `role ${role.slice(0, 100)} is not granted to ${session.user.name} (granted: ${[...session.user.roles].join(', ') || 'none'}, plus PUBLIC and the system roles below them)`));
  }
  return status(DONE, false, { role });
}

/** `USE SECONDARY ROLES …` (https://docs.snowflake.com/en/sql-reference/sql/use-secondary-roles): named roles must be granted; the mock keeps no secondary roles (inferred). */
function useSecondaryRoles(roles: 'ALL' | 'NONE' | readonly string[], session: SqlSession): SqlResult {
  const usable = usableRoles(session.user);
  const missing = typeof roles === 'string' ? undefined : roles.find((r) => !usable.has(r));
  if (missing !== undefined) return failed(doesNotExist('Role', missing, `${USE_SECONDARY_ROLES}; decisions/0015 (inferred)`, `secondary role ${missing.slice(0, 100)} is not granted to ${session.user.name}`));
  return status(DONE, false);
}

/** `USE WAREHOUSE <w>` (https://docs.snowflake.com/en/sql-reference/sql/use-warehouse): a warehouse of the account; USAGE is not modelled (any role may use any warehouse, inferred). */
function useWarehouse(warehouse: string, session: SqlSession): SqlResult {
  if (!session.account.warehouses.some((w) => w.name === warehouse)) {
    return failed(objectNotFound(`${USE_WAREHOUSE}; decisions/0015 (002043 inferred)`, `no warehouse ${warehouse.slice(0, 100)} in ${session.account.name} (warehouses: ${session.account.warehouses.map((w) => w.name).join(', ') || 'none'})`));
  }
  return status(DONE, false, { warehouse });
}

/** `USE [DATABASE] <d>` (https://docs.snowflake.com/en/sql-reference/sql/use-database): the current schema becomes PUBLIC, or none when the database has no PUBLIC. */
function useDatabase(database: string, session: SqlSession): SqlResult {
  const db = findDatabase(session.account, database);
  if (!db) return failed(objectNotFound(`${USE_DATABASE}; decisions/0015`, `no database ${database.slice(0, 100)} in ${session.account.name}`));
  return status(DONE, false, { database, schema: schemasOf(db).has(PUBLIC_SCHEMA) ? PUBLIC_SCHEMA : null });
}

/** `USE [SCHEMA] [<d>.]<s>` (https://docs.snowflake.com/en/sql-reference/sql/use-schema): one part names a schema of the current database. */
function useSchema(named: string | undefined, schema: string, session: SqlSession): SqlResult {
  const database = named ?? session.database;
  if (database === undefined) return failed(noCurrentDatabase('USE SCHEMA', `${USE_SCHEMA}; decisions/0015`, `USE SCHEMA ${schema.slice(0, 100)}: the session has no current database`));
  const db = findDatabase(session.account, database);
  if (!db || !schemasOf(db).has(schema)) {
    const why = db ? `database ${database} has no schema ${schema.slice(0, 100)}` : `no database ${database.slice(0, 100)} in ${session.account.name}`;
    return failed(objectNotFound(`${USE_SCHEMA}; decisions/0015 (002043 inferred)`, why));
  }
  return status(DONE, false, { database, schema });
}

/**
 * `CREATE [OR REPLACE | OR ALTER] [TRANSIENT] DATABASE [IF NOT EXISTS] <d>`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-database): needs CREATE DATABASE on the
 * account (ACCOUNTADMIN or SYSADMIN here, inferred); the new database, with its PUBLIC schema,
 * becomes the session's current database and schema, as the docs' usage notes say. The creating
 * role owns it. An application's name is taken (an application is a database, inferred).
 */
function createDatabaseCommand(cmd: Extract<ContextCommand, { kind: 'create-database' }>, session: SqlSession, env: SqlEnv): SqlResult {
  if (!DATABASE_CREATOR_ROLES.has(session.role)) {
    const why = `${session.user.name} in role ${session.role} may not create databases: the mock gives CREATE DATABASE to ${[...DATABASE_CREATOR_ROLES].join(', ')} (inferred)`;
    return failed(insufficientPrivileges('account', session.account.locator, `${CREATE_DATABASE}; decisions/0015 (privileges inferred)`, why));
  }
  if (applicationsOf(session.account).has(cmd.name)) return applicationNameTaken(cmd);
  let done: CreatedObject;
  try {
    done = createDatabase(session.account, { name: cmd.name, owner: session.role, transient: cmd.transient, createdOn: env.now, ...(cmd.comment !== undefined && { comment: cmd.comment }) }, cmd.mode);
  } catch (e) {
    return refusedCreate(e, CREATE_DATABASE);
  }
  if (done === 'exists') return existing(cmd.name, cmd.mode.orAlter === true);
  // OR REPLACE drops what the old database held (https://docs.snowflake.com/en/sql-reference/sql/create-database).
  if (done === 'replaced') dropSecretsIn(session.account, cmd.name);
  return status(`Database ${cmd.name} successfully created.`, true, { database: cmd.name, schema: PUBLIC_SCHEMA });
}

/** CREATE DATABASE of an application's name: the application is in the way (inferred, decisions/0015). */
function applicationNameTaken(cmd: Extract<ContextCommand, { kind: 'create-database' }>): SqlResult {
  if (cmd.mode.ifNotExists || cmd.mode.orAlter) return existing(cmd.name, cmd.mode.orAlter === true);
  if (cmd.mode.orReplace) return failed(insufficientPrivileges('application', cmd.name, `${CREATE_DATABASE}; decisions/0015 (inferred)`, `${cmd.name} is an installed application; CREATE OR REPLACE DATABASE cannot replace it`));
  return failed(alreadyExists(cmd.name, `${CREATE_DATABASE}; decisions/0015 (inferred)`, `${cmd.name} is an installed application (an application is a database)`));
}

/**
 * `CREATE [OR REPLACE | OR ALTER] SCHEMA [IF NOT EXISTS] [<d>.]<s>`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-schema) in a database whose owner is
 * the session role or a system role below it (inferred: CREATE SCHEMA on the database belongs to
 * its owner); the schema becomes the current one, as the docs' usage notes say.
 */
function createSchemaCommand(cmd: Extract<ContextCommand, { kind: 'create-schema' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const database = cmd.database ?? session.database;
  if (database === undefined) return failed(noCurrentDatabase('CREATE SCHEMA', `${CREATE_SCHEMA}; decisions/0015`, `CREATE SCHEMA ${cmd.name.slice(0, 100)}: the session has no current database`));
  if (applicationsOf(session.account).has(database)) {
    return failed(insufficientPrivileges('application', database, `${CREATE_SCHEMA}; decisions/0008 (only the application's setup script creates its schemas)`, `${session.user.name} in role ${session.role} cannot create schemas inside application ${database}`));
  }
  const db = findDatabase(session.account, database);
  // A missing database is 002003 "Database '<d>' does not exist or not authorized." (as Snowflake answers CREATE TABLE in one, https://github.com/Embucket/embucket/blob/3317ce3ef8bd2f36fc98ed1b7578160324190735/crates/api-snowflake-rest/src/tests/test_rest_api.rs).
  if (!db) return failed(doesNotExist('Database', database, `${CREATE_SCHEMA}; decisions/0015`, `no database ${database.slice(0, 100)} in ${session.account.name}`));
  if (!holdsRole(session.role, db.owner)) {
    const why = `database ${database} is owned by ${db.owner || 'Snowflake'}; role ${session.role} may not create schemas in it (inferred: the owner, or a system role above it)`;
    return failed(insufficientPrivileges('database', database, `${CREATE_SCHEMA}; ${SYSTEM_ROLES}; decisions/0015 (privileges inferred)`, why));
  }
  let done: CreatedObject;
  try {
    done = createSchemaIn(session.account, database, { name: cmd.name, owner: session.role, createdOn: env.now, ...(cmd.comment !== undefined && { comment: cmd.comment }) }, cmd.mode);
  } catch (e) {
    return refusedCreate(e, CREATE_SCHEMA);
  }
  if (done === 'exists') return existing(cmd.name, cmd.mode.orAlter === true);
  return status(`Schema ${cmd.name} successfully created.`, true, { database, schema: cmd.name });
}

/** IF NOT EXISTS on an existing object (https://docs.snowflake.com/en/sql-reference/sql/create-database); OR ALTER, which alters nothing here, answers the plain status (inferred). */
function existing(name: string, orAlter: boolean): SqlResult {
  return status(orAlter ? DONE : `${name} already exists, statement succeeded.`, false);
}

/** Whether `role` is `owner` or a system role above it ('' is Snowflake's own: nobody's). */
function holdsRole(role: string, owner: string): boolean {
  return owner !== '' && withRolesBelow([role]).has(owner);
}
