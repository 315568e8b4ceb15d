/**
 * Columns and cells of user-answered results (decisions/0016), encoded once, at load, the way
 * Snowflake puts them on the wire. Both the SQL API (`resultSetMetaData.rowType` + `data`,
 * https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses) and the drivers'
 * query-request (`rowtype` + `rowset`) carry the same JSON-result strings; the drivers decode them
 * as https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/result/column.js
 * and https://github.com/snowflakedb/snowflake-connector-python/blob/main/src/snowflake/connector/converter.py do.
 */
import type { Column, ColumnType } from './columns.ts';

/**
 * A cell or column that cannot be encoded: what is wrong, for a config problem or a hook's answer.
 *
 * @example
 * throw new CellError('expected true or false, got the string "yes"')
 */
export class CellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CellError';
  }
}

/**
 * Type names a column may be declared with, and the `rowType` name each goes out as. Synonyms as
 * Snowflake lists them (https://docs.snowflake.com/en/sql-reference/intro-summary-data-types); plain
 * TIMESTAMP is TIMESTAMP_NTZ under the default TIMESTAMP_TYPE_MAPPING
 * (https://docs.snowflake.com/en/sql-reference/data-types-datetime).
 *
 * @example
 * COLUMN_TYPES.INTEGER // 'fixed'
 */
export const COLUMN_TYPES: Readonly<Record<string, ColumnType>> = Object.freeze({
  NUMBER: 'fixed', INT: 'fixed', INTEGER: 'fixed', BIGINT: 'fixed', SMALLINT: 'fixed', TINYINT: 'fixed', BYTEINT: 'fixed',
  FIXED: 'fixed', DECIMAL: 'fixed', NUMERIC: 'fixed',
  FLOAT: 'real', FLOAT4: 'real', FLOAT8: 'real', DOUBLE: 'real', 'DOUBLE PRECISION': 'real', REAL: 'real',
  TEXT: 'text', VARCHAR: 'text', STRING: 'text', CHAR: 'text', CHARACTER: 'text',
  BOOLEAN: 'boolean', DATE: 'date', TIME: 'time',
  TIMESTAMP: 'timestamp_ntz', DATETIME: 'timestamp_ntz', TIMESTAMP_NTZ: 'timestamp_ntz', TIMESTAMP_LTZ: 'timestamp_ltz', TIMESTAMP_TZ: 'timestamp_tz',
  VARIANT: 'variant', OBJECT: 'object', ARRAY: 'array', BINARY: 'binary', VARBINARY: 'binary',
});

/**
 * A column as declared (config or hook), before it is checked.
 *
 * @example
 * const spec: ColumnSpec = { name: 'AMOUNT', type: 'NUMBER', precision: 10, scale: 2 }
 */
export interface ColumnSpec {
  readonly name: string;
  readonly type: string;
  readonly nullable?: boolean | undefined;
  readonly scale?: number | undefined;
  readonly precision?: number | undefined;
}

const TEXT_LENGTH = 16_777_216; // VARCHAR's maximum, what Snowflake reports for an unsized text column (https://docs.snowflake.com/en/sql-reference/data-types-text)
const BINARY_LENGTH = 8_388_608; // BINARY's maximum (same page)
const SCALED: ReadonlySet<ColumnType> = new Set(['fixed', 'time', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']);

/**
 * The `rowType` entry of a declared column. Lengths and the precision of TIME/TIMESTAMP columns
 * follow the mock's own columns (columns.ts); inferred where Snowflake's docs give no number.
 *
 * @example
 * columnOf({ name: 'AMOUNT', type: 'number', scale: 2 }) // { name: 'AMOUNT', type: 'fixed', scale: 2, precision: 38, nullable: true, … }
 */
export function columnOf(spec: ColumnSpec): Column {
  const type = COLUMN_TYPES[spec.type.trim().toUpperCase().replace(/\s+/g, ' ')];
  if (type === undefined) throw new CellError(`unknown type "${spec.type}" (expected one of ${Object.keys(COLUMN_TYPES).join(', ')})`);
  if (spec.scale !== undefined && !SCALED.has(type)) throw new CellError('scale applies to NUMBER, TIME and TIMESTAMP columns only');
  if (spec.precision !== undefined && type !== 'fixed') throw new CellError('precision applies to NUMBER columns only');
  const nullable = spec.nullable ?? true;
  const base = { name: spec.name, type, nullable, scale: null, precision: null, length: null, byteLength: null };
  if (type === 'fixed') return { ...base, ...numberShape(spec) };
  if (SCALED.has(type)) return { ...base, scale: fraction(spec.scale ?? 9), precision: 0 };
  if (type === 'text' || type === 'variant' || type === 'object' || type === 'array') return { ...base, length: TEXT_LENGTH, byteLength: TEXT_LENGTH };
  if (type === 'binary') return { ...base, length: BINARY_LENGTH, byteLength: BINARY_LENGTH };
  return base;
}

/** NUMBER(p, s): 1 ≤ p ≤ 38, 0 ≤ s ≤ p (https://docs.snowflake.com/en/sql-reference/data-types-numeric). */
function numberShape(spec: ColumnSpec): { scale: number; precision: number } {
  const precision = spec.precision ?? 38;
  const scale = spec.scale ?? 0;
  if (!Number.isInteger(precision) || precision < 1 || precision > 38) throw new CellError(`precision ${precision} is not 1 … 38`);
  if (!Number.isInteger(scale) || scale < 0 || scale > precision) throw new CellError(`scale ${scale} is not 0 … ${precision} (the precision)`);
  return { scale, precision };
}

/** TIME(s) and TIMESTAMP(s): 0 ≤ s ≤ 9 (https://docs.snowflake.com/en/sql-reference/data-types-datetime). */
function fraction(scale: number): number {
  if (!Number.isInteger(scale) || scale < 0 || scale > 9) throw new CellError(`scale ${scale} is not 0 … 9 (fractional second digits)`);
  return scale;
}

/**
 * One cell as the JSON result carries it: text, or null for SQL NULL. Throws {@link CellError}
 * when the value does not fit the column.
 *
 * @example
 * encodeCell(true, boolColumn)                        // '1'
 * encodeCell('2026-01-01 10:00:00', timestampNtz)     // '1767261600.000000000'
 * encodeCell('2026-01-02', dateColumn)                // '20455'
 */
export function encodeCell(value: unknown, column: Column): string | null {
  if (value === null || value === undefined) {
    if (!column.nullable) throw new CellError(`column ${column.name} is not nullable`);
    return null;
  }
  return ENCODERS[column.type](value, column);
}

type Encoder = (value: unknown, column: Column) => string;

const ENCODERS: Readonly<Record<ColumnType, Encoder>> = {
  fixed: (v, c) => fixedCell(v, c.scale ?? 0, c.precision ?? 38),
  real: realCell,
  text: textCell,
  boolean: booleanCell,
  date: dateCell,
  time: (v, c) => timeCell(v, c.scale ?? 9),
  timestamp_ntz: (v, c) => timestampCell(v, c.scale ?? 9, 'ntz'),
  timestamp_ltz: (v, c) => timestampCell(v, c.scale ?? 9, 'ltz'),
  timestamp_tz: (v, c) => timestampCell(v, c.scale ?? 9, 'tz'),
  variant: (v) => jsonCell(v, 'any'),
  object: (v) => jsonCell(v, 'object'),
  array: (v) => jsonCell(v, 'array'),
  binary: binaryCell,
};

const describe = (v: unknown): string => (typeof v === 'string' ? `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : Array.isArray(v) ? 'a list' : v instanceof Date ? 'a Date' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${String(v)}`);

/**
 * NUMBER(p, s) as decimal text with exactly `s` digits after the point (decoded with Number() by
 * snowflake-sdk, int/Decimal by the Python connector, column.js and converter.py above; the fixed
 * number of decimals is inferred). A number beyond 2^53, or one JavaScript writes with an
 * exponent, must be given as a string so no digit is lost.
 */
function fixedCell(value: unknown, scale: number, precision: number): string {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CellError(`expected a number, got ${String(value)}`);
    text = String(value);
    if (/e/i.test(text) || (Number.isInteger(value) && !Number.isSafeInteger(value))) throw new CellError(`${text} loses digits as a JavaScript number: write it as a string`);
  } else if (typeof value === 'string') text = value.trim();
  else throw new CellError(`expected a number, got ${describe(value)}`);
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new CellError(`expected a number, got ${describe(value)}`);
  const digits = m[2]!.replace(/^0+(?=\d)/, '');
  const decimals = (m[3] ?? '').replace(/0+$/, '');
  if (decimals.length > scale) throw new CellError(`${text} has more than ${scale} digit${scale === 1 ? '' : 's'} after the point (the column's scale)`);
  if (digits !== '0' && digits.length > precision - scale) throw new CellError(`${text} has more than ${precision - scale} digits before the point (NUMBER(${precision},${scale}))`);
  const zero = digits === '0' && /^0*$/.test(decimals);
  const sign = m[1] === '-' && !zero ? '-' : '';
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits}.${decimals.padEnd(scale, '0')}`;
}

/** FLOAT as JavaScript prints the number (decoded with Number() / float()). */
function realCell(value: unknown): string {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new CellError(`expected a finite number, got ${describe(value)}`);
  return String(n);
}

function textCell(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new CellError(`expected text, got ${describe(value)}`);
}

/**
 * BOOLEAN as "1"/"0": the Python connector reads only "1" and "TRUE" as true (converter.py
 * `_BOOLEAN_to_python`), snowflake-sdk "1"/"0" and true/false in any case (column.js `convertRawBoolean`).
 */
function booleanCell(value: unknown): string {
  if (typeof value !== 'boolean') throw new CellError(`expected true or false, got ${describe(value)}`);
  return value ? '1' : '0';
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const DAY_MS = 86_400_000;

/** DATE as whole days since 1970-01-01 (handling-responses "DATE"; column.js `convertRawDate`). */
function dateCell(value: unknown): string {
  if (value instanceof Date) {
    if (!Number.isFinite(value.getTime())) throw new CellError('expected a valid Date');
    return String(Math.floor(value.getTime() / DAY_MS));
  }
  const m = typeof value === 'string' ? DATE_TEXT.exec(value.trim()) : null;
  if (!m) throw new CellError(`expected a date such as 2026-01-01, got ${describe(value)}`);
  return String(utcMs(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, value as string) / DAY_MS);
}

/** TIME as seconds since midnight with `scale` decimals (handling-responses "TIME"; column.js `convertRawTime`). */
function timeCell(value: unknown, scale: number): string {
  const m = typeof value === 'string' ? TIME_TEXT.exec(value.trim()) : null;
  if (!m) throw new CellError(`expected a time such as 10:00:00 or 10:00:00.123, got ${describe(value)}`);
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || s > 59) throw new CellError(`${String(value)} is not a time of day`);
  return decimal(BigInt(h * 3600 + min * 60 + s) * NANOS + nanosOf(m[4], scale, String(value)), scale);
}

const NANOS = 1_000_000_000n;

/**
 * TIMESTAMP_NTZ/LTZ as seconds since the epoch with `scale` decimals ("1767261600.000000000");
 * TIMESTAMP_TZ adds a space and the zone as minutes + 1440 (handling-responses "TIMESTAMP_TZ";
 * column.js `convertRawTimestampTz` for result version 1, converter.py `_TIMESTAMP_TZ_to_python`).
 * NTZ is wall-clock time: written without a zone (or Z) it is sent as if in UTC, as Snowflake does.
 */
function timestampCell(value: unknown, scale: number, kind: 'ntz' | 'ltz' | 'tz'): string {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw new CellError('expected a valid Date');
    // Milliseconds the scale cannot hold are refused, as the same instant written as text is (nanosOf).
    const millis = ((ms % 1000) + 1000) % 1000;
    if (scale < 3 && millis % 10 ** (3 - scale) !== 0) throw new CellError(`${value.toISOString()} has more than ${scale} fractional second digit${scale === 1 ? '' : 's'} (the column's scale)`);
    const seconds = decimal(BigInt(ms) * 1_000_000n, scale);
    return kind === 'tz' ? `${seconds} 1440` : seconds;
  }
  const m = typeof value === 'string' ? DATE_TIME_TEXT.exec(value.trim()) : null;
  if (!m) throw new CellError(`expected a date-time such as 2026-01-01 10:00:00${kind === 'ntz' ? '' : '+02:00'}, got ${describe(value)}`);
  const zone = m[8];
  if (kind === 'ntz' && zone !== undefined && zone.toUpperCase() !== 'Z') throw new CellError(`TIMESTAMP_NTZ has no time zone: write ${String(value).trim().slice(0, -zone.length).trim()} (wall-clock time)`);
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 0 : zoneMinutes(zone);
  const wall = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), String(value));
  const nanos = BigInt(wall - offset * 60_000) * 1_000_000n + nanosOf(m[7], scale, String(value));
  return kind === 'tz' ? `${decimal(nanos, scale)} ${offset + 1440}` : decimal(nanos, scale);
}

function zoneMinutes(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 18 * 60) throw new CellError(`time zone ${zone} is beyond ±18:00`);
  return m[1] === '-' ? -minutes : minutes;
}

/** Epoch ms of a wall-clock UTC time; refuses dates that do not exist (2026-02-30). */
function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, text: string): number {
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0 … 99 to 1900 … 1999.
  const back = new Date(0);
  back.setUTCFullYear(y, mo - 1, d);
  back.setUTCHours(h, mi, s, 0);
  const ms = back.getTime();
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new CellError(`${JSON.stringify(text)} is not a valid date or time`);
  }
  return ms;
}

/** The fraction digits as nanoseconds; more digits than the scale would be lost, so they are refused. */
function nanosOf(digits: string | undefined, scale: number, text: string): bigint {
  if (digits === undefined) return 0n;
  if (digits.replace(/0+$/, '').length > scale) throw new CellError(`${JSON.stringify(text)} has more than ${scale} fractional second digit${scale === 1 ? '' : 's'} (the column's scale)`);
  return BigInt(digits.padEnd(9, '0'));
}

/** Nanoseconds as seconds with `scale` decimals, exact (BigInt), negative values included. */
function decimal(nanos: bigint, scale: number): string {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  const seconds = abs / NANOS;
  if (scale === 0) return `${sign}${seconds}`;
  const frac = String(abs % NANOS).padStart(9, '0').slice(0, scale);
  return `${sign}${seconds}.${frac}`;
}

/**
 * VARIANT, OBJECT, ARRAY as JSON text, indented by two spaces as Snowflake prints semi-structured
 * values (inferred); snowflake-sdk parses it back (column.js `convertRawVariant`).
 */
function jsonCell(value: unknown, kind: 'any' | 'object' | 'array'): string {
  if (kind === 'array' && !Array.isArray(value)) throw new CellError(`expected a list, got ${describe(value)}`);
  if (kind === 'object' && (typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array)) throw new CellError(`expected a mapping, got ${describe(value)}`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new CellError(`${String(value)} is not a JSON value`);
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 2) as string | undefined;
  } catch (e) {
    // A value that refers to itself (TypeError), one nested too deep for the stack (RangeError), a throwing toJSON or getter.
    const why = e instanceof TypeError && /circular/i.test(e.message) ? 'it contains itself (a circular reference)' : e instanceof RangeError ? 'it is nested too deeply' : 'reading it threw';
    throw new CellError(`expected a JSON value, but it cannot be written as JSON: ${why}`);
  }
  if (text === undefined) throw new CellError(`expected a JSON value, got ${describe(value)}`);
  return text;
}

/** BINARY as upper-case hex, the default BINARY_OUTPUT_FORMAT (column.js `convertRawBinary`). */
function binaryCell(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex').toUpperCase();
  if (typeof value !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(value)) throw new CellError(`expected hex text (pairs of 0-9, A-F), got ${describe(value)}`);
  return value.toUpperCase();
}
