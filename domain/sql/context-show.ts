/**
 * SHOW DATABASES, SHOW SCHEMAS and SHOW WAREHOUSES (issue #13): the documented columns, in the
 * documented order, over the account's databases, schemas and warehouses. Values the mock does
 * not model are Snowflake's defaults for a fresh object (inferred, decisions/0015): no retention
 * change, no budget, a suspended single-cluster STANDARD warehouse. Rows are sorted by name.
 */
import { findDatabase, schemasOf } from '../world/databases.ts';
import type { Database, Schema, Warehouse } from '../world/model.ts';
import { numberColumn, textColumn, timestampCell, timestampColumn, type Column, type Row } from './columns.ts';
import type { SqlResult, SqlSession } from './execute.ts';
import type { SchemaScope, ShowFilter } from './parse-context.ts';
import { failed, objectNotFound } from './refusals.ts';

const SHOW_SCHEMAS = 'https://docs.snowflake.com/en/sql-reference/sql/show-schemas';

/** SHOW DATABASES output (https://docs.snowflake.com/en/sql-reference/sql/show-databases). */
const DATABASE_COLUMNS: readonly Column[] = Object.freeze([
  timestampColumn('created_on'), textColumn('name'), textColumn('is_default'), textColumn('is_current'), textColumn('origin'),
  textColumn('owner'), textColumn('comment'), textColumn('options'), textColumn('retention_time'), textColumn('kind'),
  textColumn('budget'), textColumn('owner_role_type'), textColumn('object_visibility'),
]);

/** SHOW SCHEMAS output (https://docs.snowflake.com/en/sql-reference/sql/show-schemas), up to `budget`. */
const SCHEMA_COLUMNS: readonly Column[] = Object.freeze([
  timestampColumn('created_on'), textColumn('name'), textColumn('is_default'), textColumn('is_current'), textColumn('database_name'),
  textColumn('owner'), textColumn('comment'), textColumn('options'), textColumn('retention_time'), textColumn('owner_role_type'),
  textColumn('budget'),
]);

/**
 * SHOW WAREHOUSES output (https://docs.snowflake.com/en/sql-reference/sql/show-warehouses), less
 * the columns the docs mark as internal (actives, pendings, failed, suspended, uuid) and the
 * reserved ones of later behaviour-change bundles.
 */
const WAREHOUSE_COLUMNS: readonly Column[] = Object.freeze([
  textColumn('name'), textColumn('state'), textColumn('type'), textColumn('size'), numberColumn('min_cluster_count'),
  numberColumn('max_cluster_count'), numberColumn('started_clusters'), numberColumn('running'), numberColumn('queued'),
  textColumn('is_default'), textColumn('is_current'), numberColumn('auto_suspend'), textColumn('auto_resume'), textColumn('available'),
  textColumn('provisioning'), textColumn('quiescing'), textColumn('other'), timestampColumn('created_on'), timestampColumn('resumed_on'),
  timestampColumn('updated_on'), textColumn('owner'), textColumn('comment'), textColumn('enable_query_acceleration'),
  numberColumn('query_acceleration_max_scale_factor'), textColumn('resource_monitor'), textColumn('scaling_policy'), textColumn('budget'),
  textColumn('owner_role_type'),
]);

const yn = (b: boolean): string => (b ? 'Y' : 'N');
const roleType = (owner: string): string => (owner === '' ? '' : 'ROLE');

/**
 * `SHOW DATABASES [LIKE …] [STARTS WITH …] [LIMIT n]`: every database of the account (visibility
 * by privilege is not modelled, inferred); installed applications are not listed.
 *
 * @example
 * showDatabases({ like: 'prov%' }, session).rows.map((r) => r[1]) // ['PROVIDER_DB']
 */
export function showDatabases(filter: ShowFilter, session: SqlSession): SqlResult {
  const rows = pick(session.account.databases, filter).map((db) => databaseRow(db, session));
  return shown(DATABASE_COLUMNS, rows);
}

/**
 * `SHOW SCHEMAS [LIKE …] [IN { ACCOUNT | DATABASE [<d>] }] [STARTS WITH …] [LIMIT n]`: without a
 * database, the current one, or every database when the session has none (the docs' usage notes);
 * a missing database is 002043.
 *
 * @example
 * showSchemas({}, { database: 'PROVIDER_DB' }, session).rows.map((r) => r[1]) // ['APP_SCHEMA', 'INFORMATION_SCHEMA', 'PUBLIC']
 */
export function showSchemas(filter: ShowFilter, scope: SchemaScope, session: SqlSession): SqlResult {
  const named = 'database' in scope ? scope.database : undefined;
  const current = 'account' in scope ? undefined : (named ?? session.database);
  let databases: readonly Database[] = session.account.databases;
  if (current !== undefined) {
    const db = findDatabase(session.account, current);
    // SHOW SCHEMAS IN a missing database is 002043 (as Snowflake answers it, https://github.com/Embucket/embucket/blob/3317ce3ef8bd2f36fc98ed1b7578160324190735/crates/api-snowflake-rest/src/tests/test_rest_api.rs).
    if (!db) return failed(objectNotFound(`${SHOW_SCHEMAS}; decisions/0015`, `no database ${current.slice(0, 100)} in ${session.account.name}`));
    databases = [db];
  }
  const all = databases.flatMap((db) => [...schemasOf(db).values()].map((schema) => ({ db, schema, name: schema.name })));
  const rows = pick(all, filter).map(({ db, schema }) => schemaRow(db, schema, session));
  return shown(SCHEMA_COLUMNS, rows);
}

/**
 * `SHOW WAREHOUSES [LIKE …]`: every warehouse of the account.
 *
 * @example
 * showWarehouses({}, session).rows[0]?.[0] // 'COMPUTE_WH'
 */
export function showWarehouses(filter: ShowFilter, session: SqlSession): SqlResult {
  return shown(WAREHOUSE_COLUMNS, pick(session.account.warehouses, filter).map((w) => warehouseRow(w, session)));
}

/**
 * A SHOW LIKE pattern as a test: case-insensitive, `%` any run, `_` one character, `\` escapes the
 * next character (a `\` at the end stands for itself)
 * (https://docs.snowflake.com/en/sql-reference/sql/show-databases, "LIKE 'pattern'";
 * https://docs.snowflake.com/en/sql-reference/functions/like). Runs in at most
 * (name length + 1) × (pattern length + 1) steps, whatever the pattern ({@link likeMatch}).
 *
 * @example
 * likeMatcher('prov%')('PROVIDER_DB') // true
 */
export function likeMatcher(pattern: string): (name: string) => boolean {
  const tokens = likeTokens(pattern);
  return (name) => matchTokens(tokens, name).matched;
}

/**
 * {@link likeMatcher}'s answer and the steps it took: a greedy two-pointer walk that, on a mismatch,
 * backtracks only to the last `%` seen (the one further right absorbs one more character), so it
 * never takes more than (name length + 1) × (pattern length + 1) steps — no regular expression,
 * no exponential backtracking.
 *
 * @example
 * likeMatch('%%%%x', 'aaaa') // { matched: false, steps: 5 }
 * likeMatch('a\\_c', 'a_c') // { matched: true, steps: 3 }
 */
export function likeMatch(pattern: string, name: string): { readonly matched: boolean; readonly steps: number } {
  return matchTokens(likeTokens(pattern), name);
}

/** A LIKE pattern token: `%` (any run), `_` (one character) or one literal character, case-folded. */
type LikeToken = { readonly any: true } | { readonly one: true } | { readonly char: string };
const ANY: LikeToken = Object.freeze({ any: true });
const ONE: LikeToken = Object.freeze({ one: true });

/** Folds one character for the case-insensitive comparison. */
const fold = (ch: string): string => ch.toLowerCase();

/** The pattern's tokens, by code point; runs of `%` are one token (they match the same). */
function likeTokens(pattern: string): LikeToken[] {
  const chars = Array.from(pattern);
  const out: LikeToken[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\' && i + 1 < chars.length) out.push({ char: fold(chars[++i]!) });
    else if (ch === '%') {
      if (out[out.length - 1] !== ANY) out.push(ANY);
    } else if (ch === '_') out.push(ONE);
    else out.push({ char: fold(ch) });
  }
  return out;
}

function matchTokens(tokens: readonly LikeToken[], name: string): { matched: boolean; steps: number } {
  const chars = Array.from(name, fold);
  let p = 0;
  let n = 0;
  let star = -1; // the token index of the last % seen
  let mark = 0; // where in the name that % began absorbing
  let steps = 0;
  while (n < chars.length) {
    steps++;
    const t = tokens[p];
    if (t !== undefined && ('one' in t || ('char' in t && t.char === chars[n]))) {
      p++;
      n++;
    } else if (t === ANY) {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else return { matched: false, steps };
  }
  while (tokens[p] === ANY) {
    steps++;
    p++;
  }
  return { matched: p === tokens.length, steps };
}

/** Filters (LIKE, STARTS WITH: case-sensitive, as documented), sorts by name, then LIMIT. */
function pick<T extends { readonly name: string }>(items: readonly T[], filter: ShowFilter): T[] {
  const like = filter.like === undefined ? undefined : likeMatcher(filter.like);
  const out = items.filter((item) => (like === undefined || like(item.name)) && (filter.startsWith === undefined || item.name.startsWith(filter.startsWith)));
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return filter.limit === undefined ? out : out.slice(0, filter.limit);
}

function shown(columns: readonly Column[], rows: Row[]): SqlResult {
  return { ok: true, kind: 'show', columns, rows, changed: false, cacheable: false };
}

function databaseRow(db: Database, session: SqlSession): Row {
  const transient = db.kind === 'TRANSIENT';
  return [
    timestampCell(db.createdOn ?? 0), db.name, 'N', yn(db.name === session.database), '', db.owner, db.comment ?? '',
    transient ? 'TRANSIENT' : '', '1', 'STANDARD', null, roleType(db.owner), null,
  ];
}

function schemaRow(db: Database, schema: Schema, session: SqlSession): Row {
  const current = db.name === session.database && schema.name === session.schema;
  return [
    timestampCell(schema.createdOn), schema.name, 'N', yn(current), db.name, schema.owner, schema.comment ?? '',
    db.kind === 'TRANSIENT' ? 'TRANSIENT' : '', '1', roleType(schema.owner), null,
  ];
}

function warehouseRow(w: Warehouse, session: SqlSession): Row {
  const at = timestampCell(w.createdOn ?? 0);
  return [
    w.name, 'SUSPENDED', 'STANDARD', w.size, '1', '1', '0', '0', '0', 'N', yn(w.name === session.warehouse), '600', 'true', '', '', '', '',
    at, at, at, w.owner, '', 'false', '8', 'null', 'STANDARD', null, roleType(w.owner),
  ];
}
