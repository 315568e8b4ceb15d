/**
 * `statements:` as people write it (decisions/0016): statements the mock does not model, answered
 * by the world's author with rows, a row count or an error. The same answer shapes come back from
 * an `onStatement` hook (domain/sql/responders.ts). Checked by world/validate/statements.ts,
 * compiled by sql/answers.ts.
 */

/**
 * A column of a `result:` answer. `type` is a Snowflake type name, any case: NUMBER (INT, INTEGER,
 * BIGINT, DECIMAL, NUMERIC, FIXED), FLOAT (DOUBLE, REAL), TEXT (VARCHAR, STRING, CHAR), BOOLEAN,
 * DATE, TIME, TIMESTAMP_NTZ (TIMESTAMP, DATETIME), TIMESTAMP_LTZ, TIMESTAMP_TZ, VARIANT, OBJECT,
 * ARRAY, BINARY (https://docs.snowflake.com/en/sql-reference/intro-summary-data-types).
 *
 * @example
 * { name: AMOUNT, type: NUMBER, scale: 2, precision: 10, nullable: false }
 */
export interface StatementColumnConfig {
  name: string;
  type: string;
  /** Default true; a null cell in a column with `nullable: false` is refused at load. */
  nullable?: boolean;
  /** NUMBER: digits after the point (default 0); TIME and TIMESTAMP_*: fractional second digits (default 9). */
  scale?: number;
  /** NUMBER only: total digits, 1 … 38 (default 38). */
  precision?: number;
}

/**
 * One cell as written: a number or numeric string (NUMBER, FLOAT), text, true/false, an ISO date
 * (`2026-01-01`), time (`10:00:00`) or date-time (`2026-01-01 10:00:00`, with a zone for LTZ/TZ),
 * any JSON value (VARIANT, OBJECT, ARRAY), hex text (BINARY), or null.
 *
 * @example
 * const cell: StatementCell = '2026-01-01 10:00:00'
 */
export type StatementCell = string | number | boolean | null | Date | Uint8Array | readonly unknown[] | { readonly [key: string]: unknown };

/**
 * Rows to answer with.
 *
 * @example
 * result: { columns: [{ name: ID, type: NUMBER }, { name: NAME, type: TEXT }], rows: [[1, widget], [2, null]] }
 */
export interface StatementRowsConfig {
  columns: StatementColumnConfig[];
  /** Each row has one cell per column; default no rows. */
  rows?: StatementCell[][];
}

/**
 * A DML answer: how many rows the INSERT, UPDATE, DELETE or MERGE touched; the column is chosen by
 * the statement's verb ("number of rows inserted", …).
 *
 * @example
 * result: { rows_affected: 3 }
 */
export interface StatementCountConfig {
  rows_affected: number;
}

/**
 * A failure to answer with, as Snowflake sends one: a 6-digit code, a 5-character SQL state, a message.
 *
 * @example
 * error: { code: '002003', sql_state: '02000', message: "SQL compilation error:\nObject 'ORDERS' does not exist or not authorized." }
 */
export interface StatementErrorConfig {
  code: string | number;
  sql_state: string;
  message: string;
}

/**
 * What a statement is answered with: exactly one of `result` or `error`, optionally `delay`ed
 * (milliseconds, or a duration such as `'2s'`; at most 10 minutes, like an injected fault's).
 * `onStatement` hooks return this shape too.
 *
 * @example
 * const answer: StatementAnswerConfig = { result: { rows_affected: 1 }, delay: '250ms' }
 */
export interface StatementAnswerConfig {
  result?: StatementRowsConfig | StatementCountConfig;
  error?: StatementErrorConfig;
  delay?: number | string;
}

/**
 * One `statements:` entry: exactly one matcher (`match` — the whole statement, whitespace runs
 * collapsed, case-insensitive outside quotes, a trailing `;` ignored; `prefix` — its start, read
 * the same way; `regex` — a JavaScript regular expression, case-insensitive, tested against that
 * same normalised text), optionally `roles` (only they may run it; others get 002003) and
 * `bindings` (the bound values, in order, compared as text), and one answer.
 *
 * @example
 * statements:
 *   - { prefix: DROP TABLE, result: { columns: [{ name: status, type: TEXT }], rows: [[T successfully dropped.]] } }
 *   - { match: 'SELECT * FROM ORDERS WHERE ID = ?', bindings: ['42'], roles: [ANALYST], result: { columns: [{ name: ID, type: NUMBER }], rows: [[42]] } }
 *   - { regex: '^delete from orders', result: { rows_affected: 2 } }
 */
export interface StatementConfig extends StatementAnswerConfig {
  match?: string;
  prefix?: string;
  regex?: string;
  roles?: string[];
  bindings?: (string | number | boolean | null)[];
}
