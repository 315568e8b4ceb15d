/**
 * The real snowflake-sdk decoding rows the user answered (decisions/0016): NUMBER → number, TEXT →
 * string, BOOLEAN → true/false, TIMESTAMP_NTZ → a Date (the driver's SfTimestamp, toSfDate), DATE →
 * a Date, NULL → null, as https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/connection/result/column.js
 * decodes them; a user's error reaches the caller with its code and sqlState; a DML count is the
 * statement's getNumUpdatedRows(). Defined once, run in-process (msw) and against `serve`.
 */
import { describe, expect, it } from 'vitest';
import type { StatementContext, StatementHook } from '../../domain/sql/responders.ts';
import type { StatementConfig } from '../../domain/world/config.ts';
import { baseOptions, connect, destroy, sdk, type DriverTarget } from '../helpers/snowflake-sdk.ts';

type Connection = Awaited<ReturnType<typeof connect>>;

/** The entries both targets are started with. */
export const DRIVER_STATEMENTS: StatementConfig[] = [
  {
    match: 'SELECT * FROM ORDERS',
    result: {
      columns: [
        { name: 'ID', type: 'NUMBER', nullable: false },
        { name: 'ITEM', type: 'TEXT' },
        { name: 'PAID', type: 'BOOLEAN' },
        { name: 'ORDERED_AT', type: 'TIMESTAMP_NTZ' },
        { name: 'SHIPS_ON', type: 'DATE' },
        { name: 'AMOUNT', type: 'NUMBER', precision: 10, scale: 2 },
        { name: 'NOTE', type: 'TEXT' },
      ],
      rows: [
        [1, 'widget', true, '2026-01-01 10:00:00.250', '2026-01-02', '12.5', null],
        [2, 'gadget', false, null, null, null, null],
      ],
    },
  },
  { prefix: 'UPDATE ORDERS', error: { code: '003001', sql_state: '42501', message: "SQL access control error:\nInsufficient privileges to operate on table 'ORDERS'" } },
  { prefix: 'DELETE FROM ORDERS', result: { rows_affected: 2 } },
];

/** What the hook of both targets saw, newest last. */
export const HOOK_SEEN: StatementContext[] = [];

/** Answers `SELECT ITEM FROM ORDERS WHERE ID = ?` from its bound value, asynchronously. */
export const DRIVER_HOOK: StatementHook = async (ctx) => {
  HOOK_SEEN.push(ctx);
  if (!/^select item from orders where id = \?$/i.test(ctx.statement)) return undefined;
  return { result: { columns: [{ name: 'ITEM', type: 'TEXT' }], rows: [[`item ${String(ctx.bindings[0]?.value)}`]] } };
};

/** Runs a statement and gives back the driver's own error and statement (sqlState and getNumUpdatedRows included). */
function execute(c: Connection, sqlText: string, binds?: unknown[]): Promise<{ err?: { code?: unknown; sqlState?: unknown; message: string }; rows: Record<string, unknown>[]; updated?: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${sqlText}: no answer from the driver`)), 15_000);
    c.execute({
      sqlText,
      ...(binds && { binds: binds as never }),
      complete: (err, stmt, rows) => {
        clearTimeout(timer);
        resolve({ ...(err && { err: err as never }), rows: (rows ?? []) as Record<string, unknown>[], updated: err ? undefined : stmt.getNumUpdatedRows() });
      },
    });
  });
}

/**
 * Registers the driver cases against a target whose mock was started with {@link DRIVER_STATEMENTS} and {@link DRIVER_HOOK}.
 *
 * @example
 * defineStatementDriverCases(() => target)
 */
export function defineStatementDriverCases(target: () => DriverTarget): void {
  const login = () => connect(baseOptions(target(), { username: 'alice', password: 'alice-password' }));

  describe('snowflake-sdk decodes statements the user answered', () => {
    it('SELECT * FROM ORDERS: numbers, strings, booleans, SfTimestamp dates and nulls', async () => {
      const c = await login();
      const { err, rows } = await execute(c, 'select * from orders');
      expect(err).toBeUndefined();
      expect(rows).toHaveLength(2);
      const [first, second] = rows as [Record<string, unknown>, Record<string, unknown>];
      expect(first.ID).toBe(1);
      expect(first.ITEM).toBe('widget');
      expect(first.PAID).toBe(true);
      expect(second.PAID).toBe(false);
      expect(first.AMOUNT).toBe(12.5);
      const orderedAt = first.ORDERED_AT as Date & { getEpochSeconds(): number; getNanoSeconds(): number };
      expect(orderedAt).toBeInstanceOf(Date);
      expect(orderedAt.getTime()).toBe(Date.UTC(2026, 0, 1, 10, 0, 0, 250));
      expect(orderedAt.getEpochSeconds()).toBe(1767261600);
      expect(orderedAt.getNanoSeconds()).toBe(250_000_000);
      expect((first.SHIPS_ON as Date).getTime()).toBe(Date.UTC(2026, 0, 2));
      expect(first.NOTE).toBeNull();
      expect(second.ITEM).toBe('gadget');
      expect(second.ORDERED_AT).toBeNull();
      expect(target().journal.last()?.explanation).toMatch(/answered by statements\[0\] \(match "SELECT \* FROM ORDERS"\) of the mock's options$/);
      await destroy(c);
    });

    it("an app's first session: USE WAREHOUSE, CREATE DATABASE IF NOT EXISTS, then its own SELECT, typed", async () => {
      const c = await login();
      // ALICE's default role ANALYST may not create a database (003001); SYSADMIN, granted to her, may.
      expect((await execute(c, 'CREATE DATABASE IF NOT EXISTS APP_DB')).err).toMatchObject({ code: '003001' });
      expect((await execute(c, 'USE ROLE SYSADMIN')).err).toBeUndefined();
      expect((await execute(c, 'USE WAREHOUSE COMPUTE_WH')).err).toBeUndefined();
      expect((await execute(c, 'CREATE DATABASE IF NOT EXISTS APP_DB')).err).toBeUndefined();
      const { err, rows } = await execute(c, 'SELECT * FROM ORDERS');
      expect(err).toBeUndefined();
      const [first] = rows as [Record<string, unknown>];
      expect([typeof first.ID, typeof first.ITEM, typeof first.PAID, first.ORDERED_AT instanceof Date, first.NOTE]).toEqual(['number', 'string', 'boolean', true, null]);
      await destroy(c);
    });

    it("an error answer reaches the caller with the entry's code and sqlState", async () => {
      const c = await login();
      const { err } = await execute(c, "UPDATE ORDERS SET STATUS = 'x'");
      expect(err).toMatchObject({ code: '003001', sqlState: '42501', message: "SQL access control error:\nInsufficient privileges to operate on table 'ORDERS'" });
      await destroy(c);
    });

    it('a DML count is what getNumUpdatedRows() answers', async () => {
      const c = await login();
      const { err, rows, updated } = await execute(c, 'DELETE FROM ORDERS WHERE PAID = FALSE');
      expect(err).toBeUndefined();
      expect(rows).toEqual([{ 'number of rows deleted': 2 }]);
      expect(updated).toBe(2);
      await destroy(c);
    });

    it('binds reach an async onStatement hook as the driver sends them', async () => {
      const c = await login();
      HOOK_SEEN.length = 0;
      const { rows } = await execute(c, 'SELECT ITEM FROM ORDERS WHERE ID = ?', [42]);
      expect(rows).toEqual([{ ITEM: 'item 42' }]);
      expect(HOOK_SEEN.at(-1)).toMatchObject({ bindings: [{ type: 'FIXED', value: '42' }], user: 'ALICE', surface: 'driver' });
      await destroy(c);
    });

    it('a statement nothing answers is the mock-labelled 999001', async () => {
      const c = await login();
      const { err } = await execute(c, 'CREATE TABLE T (ID INT)');
      expect(err).toMatchObject({ code: '999001', sqlState: '0A000' });
      expect(err?.message).toMatch(/^snowflake-auth-mock: this statement is not modelled \("CREATE TABLE T \(ID INT\)"\)/);
      await destroy(c);
    });
  });

  void sdk;
}
