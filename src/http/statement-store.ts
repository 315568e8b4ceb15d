/**
 * Statements the SQL API has run, so `GET /api/v2/statements/{handle}` and `…/cancel` can answer.
 * Bounded: the oldest statements are forgotten first.
 */
import type { StatementResult } from '../domain/sql/statements.ts';

/** A statement as the SQL API remembers it. */
export interface StoredStatement {
  readonly handle: string;
  readonly account: string;
  readonly user: string;
  readonly result: StatementResult;
  /** Epoch ms. */
  readonly createdOn: number;
  /** The statement the client sent (for the journal). */
  readonly statement: string;
  cancelled: boolean;
}

/** The statement store's face. */
export interface StatementStore {
  get(handle: string): StoredStatement | undefined;
  put(statement: StoredStatement): void;
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
  return {
    get: (handle) => map.get(handle),
    put(statement) {
      map.set(statement.handle, statement);
      if (map.size > capacity) map.delete(map.keys().next().value as string);
    },
    clear: () => map.clear(),
    get size() {
      return map.size;
    },
  };
}
