/**
 * SQL API response bodies (reference §5.3): the `ResultSet` of a finished statement and the
 * `QueryStatus` of one still running.
 */
import type { Ids } from '../../domain/ids.ts';
import type { StoredStatement } from '../statement-store.ts';

/**
 * The 200 `ResultSet`. With `nullable=false` SQL NULL is sent as the string "null".
 *
 * @example
 * resultSet(stored, handle, new URLSearchParams(), ids).data // [['1']]
 */
export function resultSet(stored: StoredStatement, handle: string, query: URLSearchParams, ids: Ids): Record<string, unknown> {
  if (!stored.result.ok) throw new Error('resultSet of a failed statement');
  const { columns, rows } = stored.result;
  const nullable = query.get('nullable') !== 'false';
  const data = rows.map((row) => row.map((v) => (v === null && !nullable ? 'null' : v)));
  const requestId = query.get('requestId') ?? ids.uuid();
  return {
    resultSetMetaData: {
      numRows: rows.length,
      format: 'jsonv2',
      partitionInfo: [{ rowCount: rows.length, uncompressedSize: JSON.stringify(data).length }],
      rowType: columns.map((c) => ({ name: c.name, database: '', schema: '', table: '', scale: c.scale, precision: c.precision, length: c.length, type: c.type, nullable: c.nullable, byteLength: c.byteLength, collation: null })),
    },
    data,
    code: '090001',
    statementStatusUrl: `/api/v2/statements/${handle}?requestId=${requestId}`,
    requestId,
    sqlState: '00000',
    statementHandle: handle,
    message: 'Statement executed successfully.',
    createdOn: stored.createdOn,
  };
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
    statementStatusUrl: `/api/v2/statements/${handle}${requestId ? `?requestId=${requestId}` : ''}`,
  };
}
