/**
 * The context statements of issue #13 (decisions/0015) through the real snowflake-sdk: the session
 * the driver holds keeps what USE and CREATE DATABASE changed, and a USE ROLE of a role not
 * granted reaches the caller with Snowflake's code. Defined once, run on both transports
 * (in-process MSW and `serve`), over the default world (ALICE holds ANALYST and SYSADMIN).
 */
import { describe, expect, it } from 'vitest';
import { baseOptions, connect, destroy, query, queryError, type DriverTarget } from '../helpers/snowflake-sdk.ts';

/**
 * Registers the context-statement driver tests against a target made by `target()`.
 *
 * @example
 * defineContextCases(() => target)
 */
export function defineContextCases(target: () => DriverTarget): void {
  describe('context statements in a driver session (https://docs.snowflake.com/en/sql-reference/sql/use)', () => {
    it('USE ROLE, USE WAREHOUSE, CREATE DATABASE IF NOT EXISTS, USE DATABASE: CURRENT_*() reflect them', async () => {
      const c = await connect(baseOptions(target(), { username: 'alice', password: 'alice-password' }));
      try {
        expect(await query(c, 'USE ROLE SYSADMIN')).toEqual([{ status: 'Statement executed successfully.' }]);
        expect(await query(c, 'USE WAREHOUSE COMPUTE_WH')).toEqual([{ status: 'Statement executed successfully.' }]);
        expect(await query(c, 'CREATE DATABASE IF NOT EXISTS sandbox')).toEqual([{ status: 'Database SANDBOX successfully created.' }]);
        expect(await query(c, 'CREATE DATABASE IF NOT EXISTS sandbox')).toEqual([{ status: 'SANDBOX already exists, statement succeeded.' }]);
        await query(c, 'USE DATABASE analytics');
        await query(c, 'USE DATABASE sandbox');
        const [row] = await query(c, 'SELECT CURRENT_DATABASE(), CURRENT_WAREHOUSE(), CURRENT_ROLE(), CURRENT_SCHEMA()');
        expect(row).toEqual({ 'CURRENT_DATABASE()': 'SANDBOX', 'CURRENT_WAREHOUSE()': 'COMPUTE_WH', 'CURRENT_ROLE()': 'SYSADMIN', 'CURRENT_SCHEMA()': 'PUBLIC' });
      } finally {
        await destroy(c);
      }
    });

    it('USE ROLE of a role not granted fails with 002003 and the session keeps its role', async () => {
      const c = await connect(baseOptions(target(), { username: 'alice', password: 'alice-password' }));
      try {
        const err = await queryError(c, 'USE ROLE ACCOUNTADMIN');
        expect(err).toEqual({ code: '002003', message: "SQL compilation error:\nRole 'ACCOUNTADMIN' does not exist or not authorized." });
        expect((await queryError(c, 'USE WAREHOUSE NOPE_WH')).code).toBe('002043');
        const [row] = await query(c, 'SELECT CURRENT_ROLE()');
        expect(row).toEqual({ 'CURRENT_ROLE()': 'ANALYST' });
      } finally {
        await destroy(c);
      }
    });

    // A PAT's ROLE_RESTRICTION "is used for privilege evaluation and object creation"
    // (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token);
    // an OAuth token's role is its session:role scope (https://docs.snowflake.com/en/user-guide/oauth-custom).
    const locked = [
      ['a PAT with ROLE_RESTRICTION ANALYST', { authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' }],
      ['an OAuth token for role ANALYST', { authenticator: 'OAUTH', token: 'oauth-alice-token' }],
    ] as const;
    for (const [label, credential] of locked) {
      it(`a session of ${label} cannot USE ROLE SYSADMIN (granted to ALICE): 002003, the role stays, CREATE DATABASE stays refused`, async () => {
        const c = await connect(baseOptions(target(), credential));
        try {
          expect(await queryError(c, 'USE ROLE SYSADMIN')).toEqual({ code: '002003', message: "SQL compilation error:\nRole 'SYSADMIN' does not exist or not authorized." });
          expect((await queryError(c, 'CREATE DATABASE escaped')).code).toBe('003001');
          // USE ROLE of the fixed role itself succeeds.
          expect(await query(c, 'USE ROLE ANALYST')).toEqual([{ status: 'Statement executed successfully.' }]);
          expect(await query(c, 'SELECT CURRENT_ROLE()')).toEqual([{ 'CURRENT_ROLE()': 'ANALYST' }]);
        } finally {
          await destroy(c);
        }
      });
    }

    it('a password session of the same user still may USE ROLE SYSADMIN and CREATE DATABASE', async () => {
      const c = await connect(baseOptions(target(), { username: 'alice', password: 'alice-password' }));
      try {
        expect(await query(c, 'USE ROLE SYSADMIN')).toEqual([{ status: 'Statement executed successfully.' }]);
        expect(await query(c, 'CREATE DATABASE IF NOT EXISTS unlocked_db')).toEqual([{ status: 'Database UNLOCKED_DB successfully created.' }]);
        expect(await query(c, 'SELECT CURRENT_ROLE()')).toEqual([{ 'CURRENT_ROLE()': 'SYSADMIN' }]);
      } finally {
        await destroy(c);
      }
    });
  });
}
