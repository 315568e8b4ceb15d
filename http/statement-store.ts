/**
 * Statements the SQL API has run, so `GET /api/v2/statements/{handle}` and `…/cancel` can answer,
 * plus a small cache of cacheable results (a pure SELECT in the same session gives the same
 * result, and its JSON is then serialised only once). Both bounded: the oldest go first.
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
 * Creates a store holding at most `capacity` statements.
 *
 * @example
 * const store = createStatementStore(100)
 */
export function createStatementStore(capacity = 1000): StatementStore {
  const map = new Map<string, StoredStatement>();
  const ring: (string | undefined)[] = new Array(capacity);
  let next = 0;
  // Per user object (a world change makes new users, so stale results are never reused), then by role, namespace and text.
  let results = new WeakMap<object, Map<string, SqlResult>>();
  return {
    get: (handle) => map.get(handle),
    put(statement) {
      const evicted = ring[next];
      if (evicted !== undefined) map.delete(evicted);
      ring[next] = statement.handle;
      next = (next + 1) % capacity;
      map.set(statement.handle, statement);
    },
    execute(sql, session, env, execute) {
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
      ring.fill(undefined);
      results = new WeakMap();
    },
    get size() {
      return map.size;
    },
  };
}
