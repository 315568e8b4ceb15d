/**
 * Databases and their schemas as account objects (issue #13): what `databases:` declares, what
 * CREATE DATABASE / CREATE SCHEMA add at run time (kept until `reset()` rebuilds the world), and
 * what USE, SHOW and CREATE SECRET look up. Every database has PUBLIC and INFORMATION_SCHEMA
 * (https://docs.snowflake.com/en/sql-reference/sql/create-database: "each database created in
 * your account automatically includes a built-in schema named INFORMATION_SCHEMA", and a PUBLIC
 * schema). Who may run a statement is the SQL layer's business, not this module's.
 */
import type { Account, Database, Schema } from './model.ts';
import { MutationError } from './mutations.ts';
import { suggest } from './validate.ts';

/**
 * The schema every database starts with and `USE DATABASE` selects (https://docs.snowflake.com/en/sql-reference/sql/use-database).
 *
 * @example
 * schemasOf(db).has(PUBLIC_SCHEMA) // true unless it was dropped
 */
export const PUBLIC_SCHEMA = 'PUBLIC';

/**
 * The read-only schema Snowflake adds to every database (https://docs.snowflake.com/en/sql-reference/info-schema).
 *
 * @example
 * schemasOf(db).get(INFORMATION_SCHEMA)?.owner // '' (Snowflake's own)
 */
export const INFORMATION_SCHEMA = 'INFORMATION_SCHEMA';

/**
 * How a CREATE treats an existing object: refuse, replace (OR REPLACE), leave (IF NOT EXISTS) or keep (OR ALTER).
 *
 * @example
 * createDatabase(account, spec, { ifNotExists: true })
 */
export interface CreateObjectMode {
  readonly orReplace?: boolean;
  readonly ifNotExists?: boolean;
  readonly orAlter?: boolean;
}

/**
 * What a CREATE did.
 *
 * @example
 * if (createDatabase(account, spec, { ifNotExists: true }) === 'exists') … // nothing was created
 */
export type CreatedObject = 'created' | 'replaced' | 'exists';

/**
 * Databases an account holds at most once SQL creates them (a mock bound, like its other stores:
 * each CREATE DATABASE grows the world and the lookups that scan it). Snowflake documents none.
 *
 * @example
 * account.databases.length <= MAX_DATABASES // after any CREATE DATABASE
 */
export const MAX_DATABASES = 10_000;

/**
 * Schemas a database holds at most (PUBLIC and INFORMATION_SCHEMA included; a mock bound).
 *
 * @example
 * schemasOf(db).size <= MAX_SCHEMAS_PER_DATABASE // after any CREATE SCHEMA
 */
export const MAX_SCHEMAS_PER_DATABASE = 10_000;

/**
 * Thrown by {@link createDatabase} / {@link createSchemaIn} when a new object would pass
 * {@link MAX_DATABASES} or {@link MAX_SCHEMAS_PER_DATABASE} (replacing an existing one never does).
 * The SQL layer answers it with the mock's 999003.
 *
 * @example
 * try { createDatabase(account, spec) } catch (e) { if (e instanceof ObjectLimitReached) e.limit // 10000 }
 */
export class ObjectLimitReached extends Error {
  readonly what: 'databases' | 'schemas';
  readonly limit: number;
  constructor(what: 'databases' | 'schemas', limit: number, where: string) {
    super(`${where} already holds ${limit} ${what}, the most the mock keeps`);
    this.name = 'ObjectLimitReached';
    this.what = what;
    this.limit = limit;
  }
}

const hint = (name: string, candidates: Iterable<string>): string => {
  const h = suggest(name, candidates);
  return h ? `; did you mean "${h}"?` : '';
};

/**
 * A database of the account by its exact (normalised) name.
 *
 * @example
 * findDatabase(account, 'ANALYTICS')?.owner // 'SYSADMIN'
 */
export function findDatabase(account: Account, name: string): Database | undefined {
  return account.databases.find((d) => d.name === name);
}

/**
 * A database's schemas by name, PUBLIC and INFORMATION_SCHEMA first; created on first use for a
 * database built without them (hand-built test accounts).
 *
 * @example
 * [...schemasOf(db).keys()] // ['PUBLIC', 'INFORMATION_SCHEMA']
 */
export function schemasOf(db: Database): Map<string, Schema> {
  return (db.schemas ??= defaultSchemas(db.owner, db.createdOn ?? 0));
}

/**
 * Adds a schema to a database unless it is there (a declared secret's schema, `schemas:` of a
 * database in the config).
 *
 * @example
 * declareSchema(db, 'RAW', 'SYSADMIN', now)
 */
export function declareSchema(db: Database, name: string, owner: string, createdOn: number): void {
  const schemas = schemasOf(db);
  if (!schemas.has(name)) schemas.set(name, { name, owner, createdOn });
}

/**
 * What CREATE DATABASE makes (https://docs.snowflake.com/en/sql-reference/sql/create-database).
 *
 * @example
 * const spec: DatabaseSpec = { name: 'PROVIDER_DB', owner: 'ACCOUNTADMIN', transient: false, createdOn: now }
 */
export interface DatabaseSpec {
  readonly name: string;
  readonly owner: string;
  readonly transient: boolean;
  readonly createdOn: number;
  readonly comment?: string;
}

/**
 * `CREATE [OR REPLACE | OR ALTER] [TRANSIENT] DATABASE [IF NOT EXISTS] <name>`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-database): a new database with PUBLIC
 * and INFORMATION_SCHEMA. An existing one is refused (OBJECT_EXISTS), left as it is (IF NOT
 * EXISTS, OR ALTER; inferred for OR ALTER: the mock alters nothing) or replaced by an empty one.
 * A new one past {@link MAX_DATABASES} throws {@link ObjectLimitReached}.
 *
 * @example
 * createDatabase(account, { name: 'PROVIDER_DB', owner: 'ACCOUNTADMIN', transient: false, createdOn: now }) // 'created'
 */
export function createDatabase(account: Account, spec: DatabaseSpec, mode: CreateObjectMode = {}): CreatedObject {
  const at = account.databases.findIndex((d) => d.name === spec.name);
  if (at >= 0 && (mode.ifNotExists || mode.orAlter)) return 'exists';
  if (at >= 0 && !mode.orReplace) throw new MutationError('OBJECT_EXISTS', `database ${spec.name} already exists`, { name: spec.name });
  if (at < 0 && account.databases.length >= MAX_DATABASES) throw new ObjectLimitReached('databases', MAX_DATABASES, `account ${account.name}`);
  const db: Database = {
    name: spec.name, owner: spec.owner, kind: spec.transient ? 'TRANSIENT' : 'PERMANENT', createdOn: spec.createdOn,
    ...(spec.comment !== undefined && { comment: spec.comment }),
    schemas: defaultSchemas(spec.owner, spec.createdOn),
  };
  if (at >= 0) account.databases[at] = db;
  else account.databases.push(db);
  return at >= 0 ? 'replaced' : 'created';
}

/**
 * What CREATE SCHEMA makes (https://docs.snowflake.com/en/sql-reference/sql/create-schema).
 *
 * @example
 * const spec: SchemaSpec = { name: 'APP_SCHEMA', owner: 'ACCOUNTADMIN', createdOn: now }
 */
export interface SchemaSpec {
  readonly name: string;
  readonly owner: string;
  readonly createdOn: number;
  readonly comment?: string;
}

/**
 * `CREATE [OR REPLACE | OR ALTER] SCHEMA [IF NOT EXISTS] <db>.<name>`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-schema) in a database of the account
 * (UNKNOWN_DATABASE otherwise). INFORMATION_SCHEMA can never be replaced (inferred: refused as
 * OBJECT_EXISTS). A new one past {@link MAX_SCHEMAS_PER_DATABASE} throws {@link ObjectLimitReached}.
 *
 * @example
 * createSchemaIn(account, 'PROVIDER_DB', { name: 'APP_SCHEMA', owner: 'ACCOUNTADMIN', createdOn: now }) // 'created'
 */
export function createSchemaIn(account: Account, database: string, spec: SchemaSpec, mode: CreateObjectMode = {}): CreatedObject {
  const db = findDatabase(account, database);
  if (!db) throw unknownDatabase(account, database);
  const schemas = schemasOf(db);
  const existing = schemas.has(spec.name);
  if (existing && (mode.ifNotExists || mode.orAlter)) return 'exists';
  if (existing && (!mode.orReplace || spec.name === INFORMATION_SCHEMA)) {
    throw new MutationError('OBJECT_EXISTS', `schema ${database}.${spec.name} already exists`, { name: spec.name });
  }
  if (!existing && schemas.size >= MAX_SCHEMAS_PER_DATABASE) throw new ObjectLimitReached('schemas', MAX_SCHEMAS_PER_DATABASE, `database ${database}`);
  schemas.set(spec.name, { name: spec.name, owner: spec.owner, createdOn: spec.createdOn, ...(spec.comment !== undefined && { comment: spec.comment }) });
  return existing ? 'replaced' : 'created';
}

/**
 * Whether a database of the account has a schema (false when the database does not exist).
 *
 * @example
 * hasSchema(account, 'MY_DB', 'PUBLIC') // true
 */
export function hasSchema(account: Account, database: string, schema: string): boolean {
  const db = findDatabase(account, database);
  return db !== undefined && schemasOf(db).has(schema);
}

/**
 * The refusal for a database the account does not have, with a "did you mean".
 *
 * @example
 * throw unknownDatabase(account, 'PROVDER_DB')
 */
export function unknownDatabase(account: Account, name: string): MutationError {
  return new MutationError('UNKNOWN_DATABASE', `database ${name} does not exist in account ${account.name}${hint(name, account.databases.map((d) => d.name))}`, { name });
}

function defaultSchemas(owner: string, createdOn: number): Map<string, Schema> {
  return new Map([
    [PUBLIC_SCHEMA, { name: PUBLIC_SCHEMA, owner, createdOn }],
    [INFORMATION_SCHEMA, { name: INFORMATION_SCHEMA, owner: '', createdOn, comment: 'Views describing the contents of schemas in this database' }],
  ]);
}
