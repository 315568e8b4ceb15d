/**
 * Result columns in the SQL API's `rowType` vocabulary (https://docs.snowflake.com/en/developer-guide/sql-api/reference) and the few shapes the
 * commands answer with.
 */

/**
 * The `rowType[].type` names Snowflake sends, lower case (https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses;
 * the names snowflake-sdk decodes: https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/result/data_types.js).
 *
 * @example
 * const t: ColumnType = 'timestamp_ntz'
 */
export type ColumnType =
  | 'fixed' | 'real' | 'text' | 'boolean' | 'date' | 'time' | 'timestamp_ntz' | 'timestamp_ltz' | 'timestamp_tz'
  | 'variant' | 'object' | 'array' | 'binary';

/** Column metadata in the SQL API's `rowType` vocabulary (https://docs.snowflake.com/en/developer-guide/sql-api/reference). */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly scale: number | null;
  readonly precision: number | null;
  readonly length: number | null;
  readonly byteLength: number | null;
}

/** A row of cells as the SQL API sends them: strings, SQL NULL as null (https://docs.snowflake.com/en/developer-guide/sql-api/reference). */
export type Row = readonly (string | null)[];

/**
 * A nullable VARCHAR column.
 *
 * @example
 * textColumn('status') // { name: 'status', type: 'text', nullable: true, length: 16777216, … }
 */
export function textColumn(name: string): Column {
  return { name, type: 'text', nullable: true, scale: null, precision: null, length: 16_777_216, byteLength: 16_777_216 };
}

/**
 * A NUMBER(38,0) column.
 *
 * @example
 * numberColumn('mins_to_bypass_network_policy_requirement')
 */
export function numberColumn(name: string): Column {
  return { name, type: 'fixed', nullable: true, scale: 0, precision: 38, length: null, byteLength: null };
}

/**
 * A TIMESTAMP_LTZ(9) column; cells are {@link timestampCell} values.
 *
 * @example
 * timestampColumn('created_on')
 */
export function timestampColumn(name: string): Column {
  return { name, type: 'timestamp_ltz', nullable: true, scale: 9, precision: 0, length: null, byteLength: null };
}

/**
 * A TIMESTAMP_LTZ cell as the SQL API encodes it: seconds since the epoch with 9 decimals
 * (https://docs.snowflake.com/en/developer-guide/sql-api/reference, "Data encodings").
 *
 * @example
 * timestampCell(Date.parse('2026-01-01T00:00:00.250Z')) // '1767225600.250000000'
 */
export function timestampCell(epochMs: number): string {
  const ms = Math.floor(epochMs);
  const seconds = Math.floor(ms / 1000);
  return `${seconds}.${String(ms - seconds * 1000).padStart(3, '0')}000000`;
}

/** The one-column `status` answer of DDL statements. */
export const STATUS_COLUMNS: readonly Column[] = Object.freeze([textColumn('status')]);
