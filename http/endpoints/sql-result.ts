/**
 * SQL API response bodies (https://docs.snowflake.com/en/developer-guide/sql-api/reference): the `ResultSet` of a finished statement and the
 * `QueryStatus` of one still running. A result's metadata and rows never change, so their JSON is
 * built once per result and only the per-request fields are added around it.
 */
import type { Ids } from '../../domain/ids.ts';
import type { SqlResult } from '../../domain/sql/execute.ts';
import type { StoredStatement } from '../statement-store.ts';

type Finished = Extract<SqlResult, { ok: true }>;

const fragments = new WeakMap<Finished, { nullable?: string; notNullable?: string }>();

/** `"resultSetMetaData":…,"data":…` for a result, serialised once per result and null mode. */
function fragment(result: Finished, nullable: boolean): string {
  let cached = fragments.get(result);
  if (!cached) fragments.set(result, (cached = {}));
  const key = nullable ? 'nullable' : 'notNullable';
  const hit = cached[key];
  if (hit !== undefined) return hit;
  const data = result.rows.map((row) => row.map((v) => (v === null && !nullable ? 'null' : v)));
  const meta = {
    numRows: result.rows.length,
    format: 'jsonv2',
    partitionInfo: [{ rowCount: result.rows.length, uncompressedSize: JSON.stringify(data).length }],
    rowType: result.columns.map((c) => ({ name: c.name, database: '', schema: '', table: '', scale: c.scale, precision: c.precision, length: c.length, type: c.type, nullable: c.nullable, byteLength: c.byteLength, collation: null })),
  };
  // A DML count carries the ResultSet's `stats` (numRowsInserted, …; sql-api/reference), decisions/0016.
  const stats = result.stats ? `,"stats":${JSON.stringify(result.stats)}` : '';
  const text = `"resultSetMetaData":${JSON.stringify(meta)},"data":${JSON.stringify(data)}${stats}`;
  cached[key] = text;
  return text;
}

/**
 * The 200 `ResultSet` as JSON text. With `nullable=false` SQL NULL is sent as the string "null".
 *
 * @example
 * JSON.parse(resultSetJson(stored, new URLSearchParams(), ids)).data // [['1']]
 */
export function resultSetJson(stored: StoredStatement, query: URLSearchParams, ids: Ids): string {
  if (!stored.result.ok) throw new Error('resultSet of a failed statement');
  const given = query.get('requestId');
  let idFields: string;
  if (given === null) {
    // A request id of ours, like the handle, is hex and '-': nothing to URL-encode or JSON-escape.
    const requestId = ids.uuid();
    idFields = `"statementStatusUrl":"/api/v2/statements/${stored.handle}?requestId=${requestId}","requestId":"${requestId}"`;
  } else {
    idFields = `"statementStatusUrl":${JSON.stringify(`/api/v2/statements/${stored.handle}?requestId=${encodeURIComponent(given)}`)},"requestId":${JSON.stringify(given)}`;
  }
  return `{${fragment(stored.result, query.get('nullable') !== 'false')},"code":"090001",${idFields},"sqlState":"00000","statementHandle":"${stored.handle}","message":"Statement executed successfully.","createdOn":${stored.createdOn}}`;
}

/**
 * The 202 `QueryStatus` for `async=true`.
 *
 * @example
 * queryStatus(handle, new URLSearchParams()).code // '333334'
 */
export function queryStatus(handle: string, query: URLSearchParams): Record<string, unknown> {
  const requestId = query.get('requestId');
  return {
    code: '333334',
    message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
    statementHandle: handle,
    statementStatusUrl: `/api/v2/statements/${handle}${requestId ? `?requestId=${encodeURIComponent(requestId)}` : ''}`,
  };
}
