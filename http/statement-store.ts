/**
 * Statements the SQL API has run, so `GET /api/v2/statements/{handle}` and `…/cancel` can answer,
 * plus a small cache of cacheable results (a pure SELECT in the same session gives the same
 * result, and its JSON is then serialised only once). Both bounded: the oldest go first, by count
 * and by the text they hold (a statement can be megabytes: 1000 of them would be gigabytes).
 */
import type { SqlEnv, SqlResult, SqlSession } from '../domain/sql/execute.ts';

/** A statement as the SQL API remembers it. */
export interface StoredStatement {
  readonly handle: string;
  readonly account: string;
  readonly user: string;
  readonly result: SqlResult;
  /** Epoch ms. */
  readonly createdOn: number;
  /** The statement the client sent (for the journal). */
  readonly statement: string;
}

/** The statement store's face. */
export interface StatementStore {
  get(handle: string): StoredStatement | undefined;
  put(statement: StoredStatement): void;
  /**
   * Runs a statement through a cache keyed by statement text and session: a hit costs one map
   * lookup and no parsing; only results marked `cacheable` (pure SELECTs) are kept.
   */
  execute(sql: string, session: SqlSession, env: SqlEnv, execute: (sql: string, session: SqlSession, env: SqlEnv) => SqlResult): SqlResult;
  clear(): void;
  readonly size: number;
}

/**
 * Most characters of statement text and result cells the store keeps (about 32 Mi, whatever the
 * count): the fuzz suite (issue #14) grew `serve` by ~14 MB per 3 MB statement, 1000 of them past
 * any machine's memory.
 *
 * @example
 * createStatementStore(1000, MAX_STORED_CHARS)
 */
export const MAX_STORED_CHARS = 32 * 1024 * 1024;

/**
 * Longer statements skip the result cache: it is for the same short SELECT sent again and again,
 * and each entry would pin its text and its result.
 *
 * @example
 * 'SELECT 1'.length <= MAX_CACHED_STATEMENT // cached
 */
export const MAX_CACHED_STATEMENT = 4096;

/**
 * Creates a store holding at most `capacity` statements and about `maxChars` characters of their
 * text and result cells (the newest statement is always kept).
 *
 * @example
 * const store = createStatementStore(100)
 */
export function createStatementStore(capacity = 1000, maxChars = MAX_STORED_CHARS): StatementStore {
  const map = new Map<string, StoredStatement>();
  const sizes = new Map<string, number>();
  let total = 0;
  // Handles oldest first, read from `head`: `map.keys().next()` would walk the deleted slots at the
  // map's start on every eviction (issue #14, domain/bounded-map.ts), and a full store evicts on every put.
  let order: string[] = [];
  let head = 0;
  const evictOldest = (): void => {
    const oldest = order[head++]!;
    total -= sizes.get(oldest) ?? 0;
    map.delete(oldest);
    sizes.delete(oldest);
    if (head >= 1024 && head * 2 >= order.length) {
      order = order.slice(head);
      head = 0;
    }
  };
  // Per user object (a world change makes new users, so stale results are never reused), then by role, namespace and text.
  let results = new WeakMap<object, Map<string, SqlResult>>();
  return {
    get: (handle) => map.get(handle),
    put(statement) {
      const size = charsOf(statement);
      const held = sizes.get(statement.handle);
      // A handle put again keeps its place in line, as it keeps its place in the map.
      if (held === undefined) order.push(statement.handle);
      total += size - (held ?? 0);
      map.set(statement.handle, statement);
      sizes.set(statement.handle, size);
      while (map.size > capacity || (total > maxChars && map.size > 1)) evictOldest();
    },
    execute(sql, session, env, execute) {
      if (sql.length > MAX_CACHED_STATEMENT) return execute(sql, session, env);
      let mine = results.get(session.user);
      if (!mine) results.set(session.user, (mine = new Map()));
      const namespace = session.database === undefined && session.schema === undefined && session.warehouse === undefined ? '' : `${session.database ?? ''}.${session.schema ?? ''}@${session.warehouse ?? ''}`;
      // No account in the key: a user object belongs to exactly one account, and results are kept per user object.
      const key = namespace === '' ? session.role + '\u0000' + sql : session.role + '\u0000' + namespace + '\u0000' + sql;
      const hit = mine.get(key);
      if (hit) return hit;
      const result = execute(sql, session, env);
      if (result.ok && result.cacheable) {
        if (mine.size >= 256) mine.clear();
        mine.set(key, result);
      }
      return result;
    },
    clear() {
      map.clear();
      sizes.clear();
      total = 0;
      order = [];
      head = 0;
      results = new WeakMap();
    },
    get size() {
      return map.size;
    },
  };
}

/** Characters a stored statement holds on to: its text and its result's cells. */
function charsOf(stored: StoredStatement): number {
  let n = stored.statement.length;
  if (stored.result.ok) for (const row of stored.result.rows) for (const cell of row) n += cell === null ? 0 : cell.length;
  return n;
}
