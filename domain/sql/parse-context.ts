/**
 * The grammar of the context statements every client sends (issue #13): USE, CREATE DATABASE,
 * CREATE SCHEMA, SHOW DATABASES / SCHEMAS / WAREHOUSES and ALTER SESSION, beside parse.ts's admin
 * statements and parse-outbound.ts's OAuth ones. Each rule cites its docs page. Only the clauses
 * listed here are read; any other clause of a recognised statement is a 001003 naming its token.
 *
 * ```
 * USE ROLE <r>                                  USE SECONDARY ROLES { ALL | NONE | <r> [, <r> …] }
 * USE WAREHOUSE <w>                             USE [DATABASE] <d>          USE [SCHEMA] [<d>.]<s>
 * CREATE [OR REPLACE | OR ALTER] [TRANSIENT] DATABASE [IF NOT EXISTS] <d> [COMMENT = '…'] [DATA_RETENTION_TIME_IN_DAYS = n] …
 * CREATE [OR REPLACE | OR ALTER] [TRANSIENT] SCHEMA [IF NOT EXISTS] [<d>.]<s> [WITH MANAGED ACCESS] [COMMENT = '…'] …
 * SHOW DATABASES [LIKE '<p>'] [STARTS WITH '<s>'] [LIMIT <n>]
 * SHOW SCHEMAS [LIKE '<p>'] [IN { ACCOUNT | DATABASE [<d>] }] [STARTS WITH '<s>'] [LIMIT <n>]
 * SHOW WAREHOUSES [LIKE '<p>']
 * ALTER SESSION SET <param> = <value> [[,] <param> = <value> …]      ALTER SESSION UNSET <param> [, <param> …]
 * ```
 */
import { ifNotExistsClause } from './parse-outbound.ts';
import type { CreateObjectMode } from '../world/databases.ts';
import { Cursor, SqlSyntaxError } from './tokens.ts';

/**
 * LIKE / STARTS WITH / LIMIT of a SHOW command.
 *
 * @example
 * const filter: ShowFilter = { like: 'prov%', limit: 10 } // SHOW DATABASES LIKE 'prov%' LIMIT 10
 */
export interface ShowFilter {
  readonly like?: string;
  readonly startsWith?: string;
  readonly limit?: number;
}

/**
 * Where SHOW SCHEMAS looks: the account, a named database, or (absent) the session's database.
 *
 * @example
 * const scope: SchemaScope = { database: 'PROVIDER_DB' } // SHOW SCHEMAS IN DATABASE provider_db
 */
export type SchemaScope = { readonly account: true } | { readonly database?: string };

/**
 * A parsed context statement.
 *
 * @example
 * const cmd: ContextCommand = { kind: 'use-warehouse', warehouse: 'COMPUTE_WH' } // USE WAREHOUSE compute_wh
 */
export type ContextCommand =
  | { readonly kind: 'use-role'; readonly role: string }
  | { readonly kind: 'use-secondary-roles'; readonly roles: 'ALL' | 'NONE' | readonly string[] }
  | { readonly kind: 'use-warehouse'; readonly warehouse: string }
  | { readonly kind: 'use-database'; readonly database: string }
  | { readonly kind: 'use-schema'; readonly database?: string; readonly schema: string }
  | { readonly kind: 'create-database'; readonly mode: CreateObjectMode; readonly transient: boolean; readonly name: string; readonly comment?: string }
  | { readonly kind: 'create-schema'; readonly mode: CreateObjectMode; readonly database?: string; readonly name: string; readonly comment?: string }
  | { readonly kind: 'show-databases'; readonly filter: ShowFilter }
  | { readonly kind: 'show-schemas'; readonly filter: ShowFilter; readonly scope: SchemaScope }
  | { readonly kind: 'show-warehouses'; readonly filter: ShowFilter }
  | { readonly kind: 'alter-session-set'; readonly parameters: readonly (readonly [string, string])[] }
  | { readonly kind: 'alter-session-unset'; readonly parameters: readonly string[] };

/** Properties CREATE DATABASE / SCHEMA accept (the rest of their syntax is not modelled). */
const CREATE_PROPERTIES = ['COMMENT', 'DATA_RETENTION_TIME_IN_DAYS', 'MAX_DATA_EXTENSION_TIME_IN_DAYS', 'DEFAULT_DDL_COLLATION'];

/**
 * Parses a context statement; `undefined` (nothing consumed) when the statement is none of them,
 * so the caller tries the next grammar. Throws {@link SqlSyntaxError} for one that goes wrong later.
 *
 * @example
 * parseContextCommand(new Cursor(tokenize('USE SCHEMA provider_db.app_schema'))) // { kind: 'use-schema', database: 'PROVIDER_DB', schema: 'APP_SCHEMA' }
 */
export function parseContextCommand(c: Cursor): ContextCommand | undefined {
  if (c.isWord(0, 'USE')) {
    c.next();
    return use(c);
  }
  if (c.isWord(0, 'CREATE')) return create(c);
  if (c.isWord(0, 'SHOW') && c.isWord(1, 'DATABASES', 'SCHEMAS', 'WAREHOUSES')) {
    c.next();
    return show(c, c.next().value);
  }
  if (c.isWord(0, 'ALTER') && c.isWord(1, 'SESSION')) {
    c.next();
    c.next();
    return alterSession(c);
  }
  return undefined;
}

/** After `USE` (https://docs.snowflake.com/en/sql-reference/sql/use). */
function use(c: Cursor): ContextCommand {
  const what = c.word('ROLE', 'SECONDARY', 'WAREHOUSE', 'DATABASE', 'SCHEMA');
  if (what === 'ROLE') return ended(c, { kind: 'use-role', role: ident(c, 'a role name') });
  if (what === 'SECONDARY') return ended(c, { kind: 'use-secondary-roles', roles: secondaryRoles(c) });
  if (what === 'WAREHOUSE') return ended(c, { kind: 'use-warehouse', warehouse: ident(c, 'a warehouse name') });
  const parts = name(c, what === 'DATABASE' ? 1 : 2, what === 'DATABASE' ? 'a database name' : 'a schema name');
  // USE <d> is USE DATABASE, USE <d>.<s> is USE SCHEMA (https://docs.snowflake.com/en/sql-reference/sql/use).
  if (what === 'DATABASE' || (what === undefined && parts.length === 1)) return ended(c, { kind: 'use-database', database: parts[0]! });
  const schema = parts[parts.length - 1]!;
  return ended(c, { kind: 'use-schema', schema, ...(parts.length === 2 && { database: parts[0]! }) });
}

/** `USE SECONDARY ROLES { ALL | NONE | <r> [, …] }` (https://docs.snowflake.com/en/sql-reference/sql/use-secondary-roles). */
function secondaryRoles(c: Cursor): 'ALL' | 'NONE' | string[] {
  c.expectWord('ROLES');
  const keyword = c.word('ALL', 'NONE');
  if (keyword === 'ALL' || keyword === 'NONE') return keyword;
  const roles = [ident(c, 'a role name')];
  while (c.punct(',')) roles.push(ident(c, 'a role name'));
  return roles;
}

/** CREATE of a database or schema; `undefined` (nothing consumed) for any other CREATE. */
function create(c: Cursor): ContextCommand | undefined {
  let i = 1;
  const or = c.isWord(1, 'OR') && c.isWord(2, 'REPLACE', 'ALTER') ? c.peek(2).value : undefined;
  if (or !== undefined) i = 3;
  const transient = c.isWord(i, 'TRANSIENT');
  if (transient) i++;
  if (!c.isWord(i, 'DATABASE', 'SCHEMA')) return undefined;
  for (let k = 0; k < i; k++) c.next();
  const kind = c.next().value;
  const ifNotExists = ifNotExistsClause(c, or === 'REPLACE');
  const mode: CreateObjectMode = { ...(or === 'REPLACE' && { orReplace: true }), ...(or === 'ALTER' && { orAlter: true }), ...(ifNotExists && { ifNotExists: true }) };
  if (kind === 'DATABASE') {
    // CREATE DATABASE (https://docs.snowflake.com/en/sql-reference/sql/create-database)
    const dbName = ident(c, 'a database name');
    const comment = properties(c);
    return { kind: 'create-database', mode, transient, name: dbName, ...(comment !== undefined && { comment }) };
  }
  // CREATE SCHEMA (https://docs.snowflake.com/en/sql-reference/sql/create-schema)
  const parts = name(c, 2, 'a schema name');
  if (c.word('WITH')) {
    c.expectWord('MANAGED');
    c.expectWord('ACCESS');
  }
  const comment = properties(c);
  return { kind: 'create-schema', mode, name: parts[parts.length - 1]!, ...(parts.length === 2 && { database: parts[0]! }), ...(comment !== undefined && { comment }) };
}

/** `KEY = value` properties up to the end; returns COMMENT. Other clauses (CLONE, TAG, …) are 001003. */
function properties(c: Cursor): string | undefined {
  const seen = new Set<string>();
  let comment: string | undefined;
  for (;;) {
    c.punct(',');
    const at = c.peek();
    if (at.kind === 'end' || (at.kind === 'punct' && at.value === ';')) break;
    const key = c.word(...CREATE_PROPERTIES);
    if (key === undefined) throw c.unexpected(`the mock reads only ${CREATE_PROPERTIES.join(', ')} here`);
    if (seen.has(key)) throw new SqlSyntaxError(at, `${key} is given twice`);
    seen.add(key);
    c.expectPunct('=');
    if (key === 'COMMENT' || key === 'DEFAULT_DDL_COLLATION') {
      const text = c.string(`a string for ${key}`);
      if (key === 'COMMENT') comment = text;
    } else {
      c.integer(`a number of days for ${key}`);
    }
  }
  c.expectEnd();
  return comment;
}

/** After `SHOW DATABASES | SCHEMAS | WAREHOUSES` (https://docs.snowflake.com/en/sql-reference/sql/show-databases, …/show-schemas, …/show-warehouses). */
function show(c: Cursor, what: string): ContextCommand {
  const like = c.word('LIKE') ? c.string('a LIKE pattern') : undefined;
  if (what === 'WAREHOUSES') return ended(c, { kind: 'show-warehouses', filter: like === undefined ? {} : { like } });
  let scope: SchemaScope = {};
  if (what === 'SCHEMAS' && c.word('IN')) {
    if (c.word('ACCOUNT')) scope = { account: true };
    else {
      c.expectWord('DATABASE');
      const at = c.peek();
      scope = at.kind === 'word' || at.kind === 'quoted' ? { database: ident(c, 'a database name') } : {};
    }
  }
  const startsWith = c.isWord(0, 'STARTS') ? (c.next(), c.expectWord('WITH'), c.string('the start of the names')) : undefined;
  const limit = c.word('LIMIT') ? c.integer('a number of rows') : undefined;
  if (limit !== undefined && limit < 1) throw c.unexpected('LIMIT needs at least 1 row');
  const filter: ShowFilter = { ...(like !== undefined && { like }), ...(startsWith !== undefined && { startsWith }), ...(limit !== undefined && { limit }) };
  return ended(c, what === 'DATABASES' ? { kind: 'show-databases', filter } : { kind: 'show-schemas', filter, scope });
}

/** After `ALTER SESSION` (https://docs.snowflake.com/en/sql-reference/sql/alter-session). */
function alterSession(c: Cursor): ContextCommand {
  if (c.expectWord('SET', 'UNSET') === 'UNSET') {
    const names = [ident(c, 'a session parameter').toUpperCase()];
    while (c.punct(',')) names.push(ident(c, 'a session parameter').toUpperCase());
    return ended(c, { kind: 'alter-session-unset', parameters: names });
  }
  const pairs: (readonly [string, string])[] = [];
  do {
    c.punct(',');
    const key = ident(c, 'a session parameter').toUpperCase();
    c.expectPunct('=');
    pairs.push([key, parameterValue(c)]);
  } while (c.peek().kind === 'word' || (c.peek().kind === 'punct' && c.peek().value === ','));
  return ended(c, { kind: 'alter-session-set', parameters: pairs });
}

/** A parameter value as text: 'string', TRUE/FALSE or another keyword, or a number (sign and decimals kept). */
function parameterValue(c: Cursor): string {
  const t = c.peek();
  if (t.kind === 'string' || t.kind === 'word') {
    c.next();
    return t.value;
  }
  const negative = c.punct('-');
  const whole = c.peek();
  if (whole.kind !== 'number') throw c.unexpected('expected a string, a number or a keyword as the parameter value');
  c.next();
  let text = `${negative ? '-' : ''}${whole.value}`;
  if (c.peek().kind === 'punct' && c.peek().value === '.' && c.peek(1).kind === 'number') {
    c.next();
    text += `.${c.next().value}`;
  }
  return text;
}

/** `a` or `a.b` (at most `max` parts), each upper-cased unless quoted. */
function name(c: Cursor, max: number, what: string): string[] {
  const parts = [ident(c, what)];
  while (c.peek().kind === 'punct' && c.peek().value === '.') {
    // The error names the dot that starts one part too many.
    if (parts.length === max) throw c.unexpected(max === 1 ? 'a database name has one part' : 'a schema name has at most two parts (database.schema)');
    c.next();
    parts.push(ident(c, what));
  }
  return parts;
}

/**
 * Longest identifier Snowflake accepts: "Identifiers … can contain up to 255 characters"
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax), quoted or not.
 *
 * @example
 * parseContextCommand(new Cursor(tokenize(`CREATE DATABASE "${'x'.repeat(256)}"`))) // throws SqlSyntaxError (001003)
 */
export const MAX_IDENTIFIER_LENGTH = 255;

/**
 * An object or parameter name; one longer than {@link MAX_IDENTIFIER_LENGTH} is refused at its
 * token as a 001003 syntax error (inferred: the docs give the limit, not the error Snowflake answers).
 */
function ident(c: Cursor, what: string): string {
  const at = c.peek();
  const value = c.identifier(what);
  if (value.length > MAX_IDENTIFIER_LENGTH) {
    throw new SqlSyntaxError(at, `${what} of ${value.length} characters; Snowflake identifiers hold at most ${MAX_IDENTIFIER_LENGTH} (https://docs.snowflake.com/en/sql-reference/identifiers-syntax; 001003 inferred)`);
  }
  return value;
}

/** The command, once the statement has ended. */
function ended<T>(c: Cursor, command: T): T {
  c.expectEnd();
  return command;
}
