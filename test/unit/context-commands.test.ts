/**
 * The context statements of issue #13 (decisions/0015), pure: the grammar (parse-context.ts), then
 * each statement through `executeSql` over a built world, a driver-like session carrying what each
 * statement changed (`applyContext`), one test per documented rule and per inferred choice.
 */
import { describe, expect, it } from 'vitest';
import { entryFor, formatMessage } from '../../domain/errors/catalogue.ts';
import { createIds } from '../../domain/ids.ts';
import { secretsOf } from '../../domain/native-app/state.ts';
import { applyContext, createSessionStore, MAX_SESSION_PARAMETER_VALUE, MAX_SESSION_PARAMETERS, type Session } from '../../domain/session/sessions.ts';
import { usableRoles } from '../../domain/sql/context-commands.ts';
import { likeMatcher } from '../../domain/sql/context-show.ts';
import { executeSql, type SqlEnv, type SqlResult, type SqlSession } from '../../domain/sql/execute.ts';
import { MAX_IDENTIFIER_LENGTH, parseContextCommand } from '../../domain/sql/parse-context.ts';
import { Cursor, SqlSyntaxError, tokenize } from '../../domain/sql/tokens.ts';
import { buildWorld } from '../../domain/world/build.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import { findDatabase, MAX_DATABASES, MAX_SCHEMAS_PER_DATABASE, schemasOf } from '../../domain/world/databases.ts';
import type { Account, World } from '../../domain/world/model.ts';
import { WorldConfigError } from '../../domain/world/validate.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const LATER = NOW + 60_000;

/** A world with an admin, a SYSADMIN and an analyst, one warehouse and one database with a RAW schema. */
function config(patch?: (c: WorldConfig) => void): WorldConfig {
  const c: WorldConfig = {
    roles: ['ANALYST'],
    users: [
      { name: 'ADMIN', default_role: 'ACCOUNTADMIN', roles: ['ACCOUNTADMIN'] },
      { name: 'ALICE', default_role: 'ANALYST', roles: ['ANALYST', 'SYSADMIN'] },
      { name: 'BOB', default_role: 'ANALYST', roles: ['ANALYST'] },
    ],
    warehouses: [{ name: 'COMPUTE_WH' }, { name: 'ETL_WH', size: 'Small' }],
    databases: [{ name: 'ANALYTICS', schemas: ['RAW'] }],
    security_integrations: [{
      name: 'CRM', type: 'api_authentication', auth_type: 'OAUTH2', enabled: true, oauth_client_id: 'c', oauth_client_secret: 's',
      oauth_grant: 'client_credentials', oauth_token_endpoint: 'https://crm.example.com/token', oauth_client_auth_method: 'CLIENT_SECRET_POST',
    }],
  };
  patch?.(c);
  return c;
}

interface Setup {
  readonly world: World;
  readonly account: Account;
  /** A driver-like session of `user` in its default role: each run applies what the statement changed. */
  login(user: string, over?: Partial<SqlSession>): Runner;
}

interface Runner {
  run(sql: string): SqlResult;
  readonly session: SqlSession;
  readonly parameters: Map<string, string>;
}

function setup(patch?: (c: WorldConfig) => void): Setup {
  const world = buildWorld(config(patch), { now: NOW, ids: createIds(1) });
  const account = world.accounts[0]!;
  const env: SqlEnv = { world, now: LATER, ids: createIds(2) };
  const login = (name: string, over: Partial<SqlSession> = {}): Runner => {
    const user = account.users.get(name)!;
    const sessions = createSessionStore(createIds(3));
    const driver: Session = sessions.open({ account: account.name, user: name, auth: 'PASSWORD', role: user.defaultRole ?? 'PUBLIC', warehouse: over.warehouse ?? null, database: over.database ?? null, schema: over.schema ?? null, validity: 3600, masterValidity: 14400 }, NOW);
    const current = (): SqlSession => ({
      account, user, role: driver.role, auth: 'PASSWORD',
      ...(driver.database !== null && { database: driver.database }), ...(driver.schema !== null && { schema: driver.schema }), ...(driver.warehouse !== null && { warehouse: driver.warehouse }),
    });
    return {
      run(sql) {
        const r = executeSql(sql, current(), env);
        if (r.ok && r.context) applyContext(driver, r.context);
        return r;
      },
      get session() {
        return current();
      },
      parameters: driver.parameters,
    };
  };
  return { world, account, login };
}

const parse = (sql: string) => parseContextCommand(new Cursor(tokenize(sql)));
const cells = (r: SqlResult) => {
  if (!r.ok) throw new Error(`failed: ${r.rejection.code} ${r.rejection.explanation}`);
  return r.rows;
};
const status = (r: SqlResult) => cells(r)[0]![0];
const failure = (r: SqlResult) => {
  if (r.ok) throw new Error(`succeeded: ${JSON.stringify(r.rows)}`);
  return { code: r.rejection.code, message: formatMessage(entryFor(r.rejection.code), r.rejection.params ?? {}) };
};
const column = (r: SqlResult, name: string) => {
  if (!r.ok) throw new Error('failed');
  const i = r.columns.findIndex((c) => c.name === name);
  return r.rows.map((row) => row[i]);
};
const syntaxErrorAt = (sql: string): string => {
  try {
    parse(sql);
  } catch (e) {
    if (e instanceof SqlSyntaxError) return e.token.value;
    throw e;
  }
  throw new Error(`${sql} parsed`);
};

describe('grammar (parse-context.ts)', () => {
  it('USE ROLE / WAREHOUSE / DATABASE / SCHEMA, and USE <d> or USE <d>.<s> without a keyword (https://docs.snowflake.com/en/sql-reference/sql/use)', () => {
    expect(parse('use role sysadmin;')).toEqual({ kind: 'use-role', role: 'SYSADMIN' });
    expect(parse('USE ROLE "MixedCase"')).toEqual({ kind: 'use-role', role: 'MixedCase' });
    expect(parse('USE WAREHOUSE compute_wh')).toEqual({ kind: 'use-warehouse', warehouse: 'COMPUTE_WH' });
    expect(parse('USE DATABASE analytics')).toEqual({ kind: 'use-database', database: 'ANALYTICS' });
    expect(parse('USE analytics')).toEqual({ kind: 'use-database', database: 'ANALYTICS' });
    expect(parse('USE analytics.raw')).toEqual({ kind: 'use-schema', database: 'ANALYTICS', schema: 'RAW' });
    expect(parse('USE SCHEMA raw')).toEqual({ kind: 'use-schema', schema: 'RAW' });
    expect(parse('USE SCHEMA analytics.raw')).toEqual({ kind: 'use-schema', database: 'ANALYTICS', schema: 'RAW' });
    expect(syntaxErrorAt('USE DATABASE a.b')).toBe('.');
    expect(syntaxErrorAt('USE SCHEMA a.b.c')).toBe('.');
    expect(syntaxErrorAt('USE ROLE')).toBe('<EOF>');
    expect(syntaxErrorAt('USE WAREHOUSE w extra')).toBe('EXTRA');
  });

  it('USE SECONDARY ROLES { ALL | NONE | <r>, … } (https://docs.snowflake.com/en/sql-reference/sql/use-secondary-roles)', () => {
    expect(parse('USE SECONDARY ROLES ALL')).toEqual({ kind: 'use-secondary-roles', roles: 'ALL' });
    expect(parse('USE SECONDARY ROLES none')).toEqual({ kind: 'use-secondary-roles', roles: 'NONE' });
    expect(parse('USE SECONDARY ROLES analyst, sysadmin')).toEqual({ kind: 'use-secondary-roles', roles: ['ANALYST', 'SYSADMIN'] });
  });

  it('CREATE [OR REPLACE | OR ALTER] [TRANSIENT] DATABASE [IF NOT EXISTS] with COMMENT and the retention properties (https://docs.snowflake.com/en/sql-reference/sql/create-database)', () => {
    expect(parse('CREATE DATABASE provider_db')).toEqual({ kind: 'create-database', mode: {}, transient: false, name: 'PROVIDER_DB' });
    expect(parse("create or replace transient database d comment = 'scratch' DATA_RETENTION_TIME_IN_DAYS = 0")).toEqual({ kind: 'create-database', mode: { orReplace: true }, transient: true, name: 'D', comment: 'scratch' });
    expect(parse('CREATE DATABASE IF NOT EXISTS d')).toMatchObject({ mode: { ifNotExists: true } });
    expect(parse('CREATE OR ALTER DATABASE d')).toMatchObject({ mode: { orAlter: true } });
    expect(syntaxErrorAt('CREATE OR REPLACE DATABASE IF NOT EXISTS d')).toBe('IF');
    expect(syntaxErrorAt('CREATE DATABASE d CLONE other')).toBe('CLONE');
    expect(syntaxErrorAt("CREATE DATABASE d COMMENT = 'a' COMMENT = 'b'")).toBe('COMMENT');
  });

  it('CREATE SCHEMA [<d>.]<s> [WITH MANAGED ACCESS] (https://docs.snowflake.com/en/sql-reference/sql/create-schema); other CREATEs are not context statements', () => {
    expect(parse('CREATE SCHEMA IF NOT EXISTS provider_db.app_schema WITH MANAGED ACCESS DATA_RETENTION_TIME_IN_DAYS = 1')).toEqual({ kind: 'create-schema', mode: { ifNotExists: true }, database: 'PROVIDER_DB', name: 'APP_SCHEMA' });
    expect(parse('CREATE OR REPLACE TRANSIENT SCHEMA s')).toEqual({ kind: 'create-schema', mode: { orReplace: true }, name: 'S' });
    for (const sql of ['CREATE TABLE t (a INT)', 'CREATE VERSIONED SCHEMA s', 'CREATE SECRET s TYPE = OAUTH2', 'CREATE OR REPLACE WAREHOUSE w']) {
      const c = new Cursor(tokenize(sql));
      expect(parseContextCommand(c), sql).toBeUndefined();
      expect(c.peek().value, `${sql}: nothing consumed`).toBe('CREATE');
    }
  });

  it('SHOW DATABASES / SCHEMAS / WAREHOUSES with LIKE, IN, STARTS WITH, LIMIT; SHOW TERSE is left to the next grammar', () => {
    expect(parse("SHOW DATABASES LIKE 'prov%' STARTS WITH 'P' LIMIT 2")).toEqual({ kind: 'show-databases', filter: { like: 'prov%', startsWith: 'P', limit: 2 } });
    expect(parse('SHOW SCHEMAS')).toEqual({ kind: 'show-schemas', filter: {}, scope: {} });
    expect(parse('SHOW SCHEMAS IN ACCOUNT')).toEqual({ kind: 'show-schemas', filter: {}, scope: { account: true } });
    expect(parse('SHOW SCHEMAS IN DATABASE')).toEqual({ kind: 'show-schemas', filter: {}, scope: {} });
    expect(parse("SHOW SCHEMAS LIKE 'A%' IN DATABASE provider_db")).toEqual({ kind: 'show-schemas', filter: { like: 'A%' }, scope: { database: 'PROVIDER_DB' } });
    expect(parse("SHOW WAREHOUSES LIKE '%wh'")).toEqual({ kind: 'show-warehouses', filter: { like: '%wh' } });
    expect(parse('SHOW TERSE DATABASES')).toBeUndefined();
    expect(syntaxErrorAt('SHOW DATABASES HISTORY')).toBe('HISTORY');
    expect(syntaxErrorAt('SHOW DATABASES LIMIT 0')).toBe('<EOF>');
  });

  it('ALTER SESSION SET any parameters (strings, numbers, keywords; commas optional) and UNSET (https://docs.snowflake.com/en/sql-reference/sql/alter-session)', () => {
    expect(parse("ALTER SESSION SET query_tag = 'nightly', TIMEZONE = 'UTC' WEEK_START = 1 ABORT_DETACHED_QUERY = TRUE ROWS_PER_RESULTSET = -1.5")).toEqual({
      kind: 'alter-session-set',
      parameters: [['QUERY_TAG', 'nightly'], ['TIMEZONE', 'UTC'], ['WEEK_START', '1'], ['ABORT_DETACHED_QUERY', 'TRUE'], ['ROWS_PER_RESULTSET', '-1.5']],
    });
    expect(parse('ALTER SESSION UNSET query_tag, timezone')).toEqual({ kind: 'alter-session-unset', parameters: ['QUERY_TAG', 'TIMEZONE'] });
    expect(syntaxErrorAt('ALTER SESSION SET query_tag')).toBe('<EOF>');
    expect(syntaxErrorAt('ALTER SESSION SET x = (1)')).toBe('(');
  });
});

describe('USE ROLE and USE SECONDARY ROLES', () => {
  it('a granted role becomes the current role; CURRENT_ROLE() follows', () => {
    const alice = setup().login('ALICE');
    expect(status(alice.run('USE ROLE sysadmin'))).toBe('Statement executed successfully.');
    expect(cells(alice.run('SELECT CURRENT_ROLE()'))).toEqual([['SYSADMIN']]);
    expect(status(alice.run('USE ROLE PUBLIC'))).toBe('Statement executed successfully.');
    expect(alice.session.role).toBe('PUBLIC');
  });

  it('a role not granted (or unknown) is 002003 "Role … does not exist or not authorized." and the role stays', () => {
    const alice = setup().login('ALICE');
    expect(failure(alice.run('USE ROLE accountadmin'))).toEqual({ code: '002003', message: "SQL compilation error:\nRole 'ACCOUNTADMIN' does not exist or not authorized." });
    expect(failure(alice.run('USE ROLE nobody')).code).toBe('002003');
    expect(alice.session.role).toBe('ANALYST');
  });

  it('the system-role hierarchy counts (https://docs.snowflake.com/en/user-guide/security-access-control-overview): ACCOUNTADMIN may use SYSADMIN, SECURITYADMIN, USERADMIN', () => {
    const s = setup();
    expect([...usableRoles(s.account.users.get('ADMIN')!)].sort()).toEqual(['ACCOUNTADMIN', 'PUBLIC', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN']);
    const admin = s.login('ADMIN');
    for (const role of ['SYSADMIN', 'SECURITYADMIN', 'USERADMIN']) expect(status(admin.run(`USE ROLE ${role}`))).toBe('Statement executed successfully.');
    expect(failure(s.login('ALICE').run('USE ROLE useradmin')).code).toBe('002003');
  });

  it('a credential that fixes the role (PAT ROLE_RESTRICTION, OAuth token) allows USE ROLE of that role only (002003 otherwise, inferred); External OAuth any-role: its selectable roles only', () => {
    // https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token, https://docs.snowflake.com/en/user-guide/oauth-custom
    const s = setup();
    const alice = s.account.users.get('ALICE')!;
    const env: SqlEnv = { world: s.world, now: LATER, ids: createIds(9) };
    const locked: SqlSession = { account: s.account, user: alice, role: 'ANALYST', auth: 'PROGRAMMATIC_ACCESS_TOKEN', roleLocked: true };
    expect(failure(executeSql('USE ROLE sysadmin', locked, env))).toEqual({ code: '002003', message: "SQL compilation error:\nRole 'SYSADMIN' does not exist or not authorized." });
    expect(failure(executeSql('USE ROLE public', locked, env)).code).toBe('002003');
    expect(executeSql('USE ROLE analyst', locked, env)).toMatchObject({ ok: true, context: { role: 'ANALYST' } });
    const anyRole: SqlSession = { account: s.account, user: alice, role: 'ANALYST', auth: 'OAUTH', selectableRoles: new Set(['ANALYST', 'PUBLIC']) };
    expect(failure(executeSql('USE ROLE sysadmin', anyRole, env)).code).toBe('002003');
    expect(executeSql('USE ROLE public', anyRole, env)).toMatchObject({ ok: true, context: { role: 'PUBLIC' } });
    // The store keeps the lock the login decided.
    const opened = createSessionStore(createIds(4)).open({ account: s.account.name, user: 'ALICE', auth: 'OAUTH', role: 'ANALYST', roleLocked: true, warehouse: null, database: null, schema: null, validity: 3600, masterValidity: 14400 }, NOW);
    expect(opened.roleLocked).toBe(true);
  });

  it('USE SECONDARY ROLES: ALL and NONE succeed, a named role must be granted (002003, inferred); the primary role stays', () => {
    const alice = setup().login('ALICE');
    expect(status(alice.run('USE SECONDARY ROLES ALL'))).toBe('Statement executed successfully.');
    expect(status(alice.run('USE SECONDARY ROLES sysadmin'))).toBe('Statement executed successfully.');
    expect(failure(alice.run('USE SECONDARY ROLES sysadmin, accountadmin'))).toMatchObject({ code: '002003', message: expect.stringContaining("Role 'ACCOUNTADMIN'") });
    expect(alice.session.role).toBe('ANALYST');
  });
});

describe('USE WAREHOUSE, USE DATABASE, USE SCHEMA', () => {
  it('USE WAREHOUSE: a warehouse of the account becomes current; CURRENT_WAREHOUSE() follows; an unknown one is 002043', () => {
    const bob = setup().login('BOB');
    expect(status(bob.run('USE WAREHOUSE etl_wh'))).toBe('Statement executed successfully.');
    expect(cells(bob.run('SELECT CURRENT_WAREHOUSE()'))).toEqual([['ETL_WH']]);
    expect(failure(bob.run('USE WAREHOUSE nope_wh'))).toEqual({ code: '002043', message: 'SQL compilation error:\nObject does not exist, or operation cannot be performed.' });
    expect(bob.session.warehouse).toBe('ETL_WH');
  });

  it('USE DATABASE selects the database and its PUBLIC schema (https://docs.snowflake.com/en/sql-reference/sql/use-database); unknown is 002043', () => {
    const bob = setup().login('BOB');
    expect(status(bob.run('USE DATABASE analytics'))).toBe('Statement executed successfully.');
    expect(cells(bob.run('SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()'))).toEqual([['ANALYTICS', 'PUBLIC']]);
    expect(failure(bob.run('USE nope_db')).code).toBe('002043');
    expect(bob.session.database).toBe('ANALYTICS');
  });

  it('USE DATABASE of a database without PUBLIC leaves no current schema', () => {
    const s = setup();
    schemasOf(findDatabase(s.account, 'ANALYTICS')!).delete('PUBLIC');
    const bob = s.login('BOB', { schema: 'RAW' });
    bob.run('USE DATABASE analytics');
    expect(cells(bob.run('SELECT CURRENT_SCHEMA()'))).toEqual([[null]]);
  });

  it('USE SCHEMA: one part in the current database, two parts anywhere; 090105 without a current database; 002043 for a missing schema', () => {
    const bob = setup().login('BOB');
    expect(failure(bob.run('USE SCHEMA raw'))).toEqual({ code: '090105', message: "Cannot perform USE SCHEMA. This session does not have a current database. Call 'USE DATABASE', or use a qualified name." });
    expect(status(bob.run('USE SCHEMA analytics.raw'))).toBe('Statement executed successfully.');
    expect(cells(bob.run('SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()'))).toEqual([['ANALYTICS', 'RAW']]);
    expect(status(bob.run('USE SCHEMA information_schema'))).toBe('Statement executed successfully.');
    expect(failure(bob.run('USE SCHEMA nope')).code).toBe('002043');
    expect(failure(bob.run('USE nope_db.raw')).code).toBe('002043');
    expect(bob.session.schema).toBe('INFORMATION_SCHEMA');
  });
});

describe('CREATE DATABASE', () => {
  it('needs CREATE DATABASE on the account: ANALYST is 003001 on the account (inferred)', () => {
    const bob = setup().login('BOB');
    expect(failure(bob.run('CREATE DATABASE d'))).toEqual({ code: '003001', message: "SQL access control error:\nInsufficient privileges to operate on account 'XY12345'" });
  });

  it('SYSADMIN creates it with PUBLIC and INFORMATION_SCHEMA, owns it, and the session moves into it (create-database usage notes)', () => {
    const s = setup();
    const alice = s.login('ALICE');
    alice.run('USE ROLE SYSADMIN');
    const r = alice.run('CREATE DATABASE provider_db');
    expect(status(r)).toBe('Database PROVIDER_DB successfully created.');
    expect(r).toMatchObject({ kind: 'ddl', changed: true, cacheable: false, context: { database: 'PROVIDER_DB', schema: 'PUBLIC' } });
    const db = findDatabase(s.account, 'PROVIDER_DB')!;
    expect(db).toMatchObject({ owner: 'SYSADMIN', kind: 'PERMANENT', createdOn: LATER });
    expect([...schemasOf(db).keys()]).toEqual(['PUBLIC', 'INFORMATION_SCHEMA']);
    expect(cells(alice.run('SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()'))).toEqual([['PROVIDER_DB', 'PUBLIC']]);
  });

  it('again: 002002; IF NOT EXISTS: "<D> already exists, statement succeeded." and the session stays; OR ALTER: success, nothing changed', () => {
    const admin = setup().login('ADMIN');
    admin.run('CREATE DATABASE d');
    admin.run('USE DATABASE analytics');
    expect(failure(admin.run('CREATE DATABASE d'))).toEqual({ code: '002002', message: "SQL compilation error:\nObject 'D' already exists." });
    const again = admin.run('CREATE DATABASE IF NOT EXISTS d');
    expect(status(again)).toBe('D already exists, statement succeeded.');
    expect(again).toMatchObject({ changed: false });
    expect(status(admin.run('CREATE OR ALTER DATABASE d'))).toBe('Statement executed successfully.');
    expect(admin.session.database).toBe('ANALYTICS');
  });

  it('OR REPLACE makes an empty database: created schemas and its secrets go (with their grants)', () => {
    const s = setup();
    const admin = s.login('ADMIN');
    admin.run('CREATE DATABASE d');
    admin.run('CREATE SCHEMA d.app');
    expect(status(admin.run('CREATE SECRET d.app.s TYPE = OAUTH2 API_AUTHENTICATION = crm'))).toBe('Secret S successfully created.');
    admin.run('GRANT READ ON SECRET d.app.s TO ROLE analyst');
    expect(status(admin.run('CREATE OR REPLACE TRANSIENT DATABASE d'))).toBe('Database D successfully created.');
    expect([...schemasOf(findDatabase(s.account, 'D')!).keys()]).toEqual(['PUBLIC', 'INFORMATION_SCHEMA']);
    expect(findDatabase(s.account, 'D')!.kind).toBe('TRANSIENT');
    expect(secretsOf(s.account).has('D.APP.S')).toBe(false);
    expect(s.account.grants?.some((g) => g.name === 'D.APP.S')).toBe(false);
    expect(s.account.databases.filter((d) => d.name === 'D')).toHaveLength(1);
  });

  it("an installed application's name is taken (inferred): 002002, IF NOT EXISTS succeeds, OR REPLACE is 003001", () => {
    const admin = setup((c) => { c.applications = [{ name: 'EXAMPLE_APP' }]; }).login('ADMIN');
    expect(failure(admin.run('CREATE DATABASE example_app')).code).toBe('002002');
    expect(status(admin.run('CREATE DATABASE IF NOT EXISTS example_app'))).toBe('EXAMPLE_APP already exists, statement succeeded.');
    expect(failure(admin.run('CREATE OR REPLACE DATABASE example_app'))).toMatchObject({ code: '003001', message: expect.stringContaining("application 'EXAMPLE_APP'") });
  });
});

describe('CREATE SCHEMA', () => {
  it('in the current database or a named one; the schema becomes current (create-schema usage notes); 090105 without a database', () => {
    const s = setup();
    const admin = s.login('ADMIN');
    expect(failure(admin.run('CREATE SCHEMA app')).code).toBe('090105');
    admin.run('CREATE DATABASE provider_db');
    const r = admin.run('CREATE SCHEMA app_schema');
    expect(status(r)).toBe('Schema APP_SCHEMA successfully created.');
    expect(r).toMatchObject({ changed: true, context: { database: 'PROVIDER_DB', schema: 'APP_SCHEMA' } });
    expect(status(admin.run('CREATE SCHEMA analytics.staging'))).toBe('Schema STAGING successfully created.');
    expect(cells(admin.run('SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()'))).toEqual([['ANALYTICS', 'STAGING']]);
    expect(schemasOf(findDatabase(s.account, 'PROVIDER_DB')!).get('APP_SCHEMA')).toEqual({ name: 'APP_SCHEMA', owner: 'ACCOUNTADMIN', createdOn: LATER });
  });

  it('a missing database is 002003 "Database … does not exist or not authorized."', () => {
    expect(failure(setup().login('ADMIN').run('CREATE SCHEMA nope_db.s'))).toEqual({ code: '002003', message: "SQL compilation error:\nDatabase 'NOPE_DB' does not exist or not authorized." });
  });

  it("only the database's owner or a system role above it (inferred): ANALYST 003001, ACCOUNTADMIN in SYSADMIN's database yes, nobody in SNOWFLAKE's", () => {
    const s = setup();
    expect(failure(s.login('BOB').run('CREATE SCHEMA analytics.s'))).toEqual({ code: '003001', message: "SQL access control error:\nInsufficient privileges to operate on database 'ANALYTICS'" });
    expect(status(s.login('ADMIN').run('CREATE SCHEMA analytics.s'))).toBe('Schema S successfully created.');
    // Without `databases:` the account has Snowflake's own SNOWFLAKE database (owner '').
    const snowflake = setup((c) => { delete c.databases; });
    expect(findDatabase(snowflake.account, 'SNOWFLAKE')?.owner).toBe('');
    expect(failure(snowflake.login('ADMIN').run('CREATE SCHEMA snowflake.s')).code).toBe('003001');
  });

  it('again: 002002; IF NOT EXISTS: "<S> already exists, statement succeeded."; OR REPLACE of INFORMATION_SCHEMA: 002002', () => {
    const admin = setup().login('ADMIN');
    expect(failure(admin.run('CREATE SCHEMA analytics.raw'))).toEqual({ code: '002002', message: "SQL compilation error:\nObject 'RAW' already exists." });
    expect(status(admin.run('CREATE SCHEMA IF NOT EXISTS analytics.raw'))).toBe('RAW already exists, statement succeeded.');
    expect(status(admin.run('CREATE OR REPLACE SCHEMA analytics.raw'))).toBe('Schema RAW successfully created.');
    expect(failure(admin.run('CREATE OR REPLACE SCHEMA analytics.information_schema')).code).toBe('002002');
  });

  it("inside an application: 003001, only its setup script creates schemas there (decisions/0008)", () => {
    const admin = setup((c) => { c.applications = [{ name: 'EXAMPLE_APP' }]; }).login('ADMIN');
    expect(failure(admin.run('CREATE SCHEMA example_app.s'))).toMatchObject({ code: '003001', message: expect.stringContaining("application 'EXAMPLE_APP'") });
  });
});

describe('SHOW DATABASES, SHOW SCHEMAS, SHOW WAREHOUSES', () => {
  it('SHOW DATABASES: the documented columns, sorted rows, is_current, LIKE (case-insensitive), STARTS WITH (case-sensitive), LIMIT', () => {
    const admin = setup().login('ADMIN');
    admin.run("CREATE TRANSIENT DATABASE provider_db COMMENT = 'setup'");
    const r = admin.run('SHOW DATABASES');
    if (!r.ok) throw new Error('failed');
    expect(r.kind).toBe('show');
    expect(r.columns.map((c) => c.name)).toEqual(['created_on', 'name', 'is_default', 'is_current', 'origin', 'owner', 'comment', 'options', 'retention_time', 'kind', 'budget', 'owner_role_type', 'object_visibility']);
    expect(r.columns[0]).toMatchObject({ type: 'timestamp_ltz' });
    expect(column(r, 'name')).toEqual(['ANALYTICS', 'PROVIDER_DB']);
    expect(r.rows[1]).toEqual(['1772366460.000000000', 'PROVIDER_DB', 'N', 'Y', '', 'ACCOUNTADMIN', 'setup', 'TRANSIENT', '1', 'STANDARD', null, 'ROLE', null]);
    expect(column(admin.run("SHOW DATABASES LIKE 'prov%'"), 'name')).toEqual(['PROVIDER_DB']);
    expect(column(admin.run("SHOW DATABASES STARTS WITH 'prov'"), 'name')).toEqual([]);
    expect(column(admin.run("SHOW DATABASES STARTS WITH 'PROV'"), 'name')).toEqual(['PROVIDER_DB']);
    expect(column(admin.run('SHOW DATABASES LIMIT 1'), 'name')).toEqual(['ANALYTICS']);
  });

  it('SHOW SCHEMAS: the current database, a named one, every one IN ACCOUNT or without a current database; a missing database is 002043', () => {
    const admin = setup().login('ADMIN');
    const all = admin.run('SHOW SCHEMAS');
    if (!all.ok) throw new Error('failed');
    expect(all.columns.map((c) => c.name)).toEqual(['created_on', 'name', 'is_default', 'is_current', 'database_name', 'owner', 'comment', 'options', 'retention_time', 'owner_role_type', 'budget']);
    expect(column(all, 'name')).toEqual(['INFORMATION_SCHEMA', 'PUBLIC', 'RAW']);
    admin.run('CREATE DATABASE provider_db');
    admin.run('CREATE SCHEMA app_schema');
    const here = admin.run('SHOW SCHEMAS');
    expect(column(here, 'name')).toEqual(['APP_SCHEMA', 'INFORMATION_SCHEMA', 'PUBLIC']);
    expect(column(here, 'is_current')).toEqual(['Y', 'N', 'N']);
    expect(column(here, 'owner')).toEqual(['ACCOUNTADMIN', '', 'ACCOUNTADMIN']);
    expect(column(admin.run("SHOW SCHEMAS LIKE 'r%' IN DATABASE analytics"), 'database_name')).toEqual(['ANALYTICS']);
    expect(column(admin.run('SHOW SCHEMAS IN ACCOUNT'), 'name')).toHaveLength(6);
    expect(failure(admin.run('SHOW SCHEMAS IN DATABASE nope_db')).code).toBe('002043');
  });

  it('SHOW WAREHOUSES: the documented columns (less the internal ones), a suspended STANDARD warehouse, is_current after USE WAREHOUSE', () => {
    const bob = setup().login('BOB');
    bob.run('USE WAREHOUSE compute_wh');
    const r = bob.run("SHOW WAREHOUSES LIKE '%_wh'");
    if (!r.ok) throw new Error('failed');
    expect(r.columns.map((c) => c.name)).toEqual([
      'name', 'state', 'type', 'size', 'min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued', 'is_default', 'is_current',
      'auto_suspend', 'auto_resume', 'available', 'provisioning', 'quiescing', 'other', 'created_on', 'resumed_on', 'updated_on', 'owner', 'comment',
      'enable_query_acceleration', 'query_acceleration_max_scale_factor', 'resource_monitor', 'scaling_policy', 'budget', 'owner_role_type',
    ]);
    expect(r.columns[4]).toMatchObject({ type: 'fixed' });
    expect(column(r, 'name')).toEqual(['COMPUTE_WH', 'ETL_WH']);
    expect(column(r, 'size')).toEqual(['X-Small', 'Small']);
    expect(column(r, 'is_current')).toEqual(['Y', 'N']);
    expect(r.rows[0]!.slice(0, 4)).toEqual(['COMPUTE_WH', 'SUSPENDED', 'STANDARD', 'X-Small']);
    expect(column(bob.run("SHOW WAREHOUSES LIKE 'etl\\_%'"), 'name')).toEqual(['ETL_WH']);
  });

  it('LIKE patterns: % any run, _ one character, \\ escapes, case-insensitive', () => {
    expect(likeMatcher('a_c')('ABC')).toBe(true);
    expect(likeMatcher('a_c')('ABBC')).toBe(false);
    expect(likeMatcher('100\\%')('100%')).toBe(true);
    expect(likeMatcher('100\\%')('1000')).toBe(false);
    expect(likeMatcher('(x)%')('(X)Y')).toBe(true);
  });
});

describe('ALTER SESSION', () => {
  it('SET records any parameter in the session, UNSET removes it; "Statement executed successfully."', () => {
    const bob = setup().login('BOB');
    expect(status(bob.run("ALTER SESSION SET QUERY_TAG = 'nightly' TIMEZONE = 'UTC'"))).toBe('Statement executed successfully.');
    expect([...bob.parameters]).toEqual([['QUERY_TAG', 'nightly'], ['TIMEZONE', 'UTC']]);
    expect(status(bob.run('ALTER SESSION UNSET query_tag'))).toBe('Statement executed successfully.');
    expect([...bob.parameters]).toEqual([['TIMEZONE', 'UTC']]);
  });

  it(`a session keeps at most ${MAX_SESSION_PARAMETERS} parameters (new names past that are dropped; known ones still change)`, () => {
    const bob = setup().login('BOB');
    for (let i = 0; i < MAX_SESSION_PARAMETERS + 5; i++) bob.run(`ALTER SESSION SET P${i} = ${i}`);
    expect(bob.parameters.size).toBe(MAX_SESSION_PARAMETERS);
    bob.run('ALTER SESSION SET P0 = 42');
    expect(bob.parameters.get('P0')).toBe('42');
  });
});

describe('bounds: identifier length (Snowflake), databases, schemas and session values (the mock)', () => {
  it(`an identifier of more than ${MAX_IDENTIFIER_LENGTH} characters is 001003 (https://docs.snowflake.com/en/sql-reference/identifiers-syntax; code inferred); ${MAX_IDENTIFIER_LENGTH} is fine`, () => {
    expect(MAX_IDENTIFIER_LENGTH).toBe(255);
    const s = setup();
    const alice = s.login('ALICE');
    alice.run('USE ROLE SYSADMIN');
    const longest = 'D'.repeat(MAX_IDENTIFIER_LENGTH);
    expect(status(alice.run(`CREATE DATABASE ${longest}`))).toBe(`Database ${longest} successfully created.`);
    const before = s.account.databases.length;
    for (const sql of [`CREATE DATABASE "${'x'.repeat(MAX_IDENTIFIER_LENGTH + 1)}"`, `CREATE DATABASE "${'x'.repeat(100_000)}"`, `CREATE SCHEMA ${longest}.${'S'.repeat(256)}`, `USE ROLE ${'R'.repeat(256)}`, `ALTER SESSION SET ${'P'.repeat(256)} = 1`]) {
      const f = failure(alice.run(sql));
      expect(f.code, sql.slice(0, 40)).toBe('001003');
      expect(f.message.length).toBeLessThan(200);
    }
    expect(s.account.databases.length).toBe(before);
    expect(alice.session.role).toBe('SYSADMIN');
  });

  it(`CREATE DATABASE past ${MAX_DATABASES} databases is the mock's 999003; IF NOT EXISTS and OR REPLACE of an existing one still answer`, () => {
    const s = setup();
    const admin = s.login('ADMIN');
    while (s.account.databases.length < MAX_DATABASES) s.account.databases.push({ name: `FILL_${s.account.databases.length}`, owner: 'SYSADMIN', kind: 'PERMANENT' } as (typeof s.account.databases)[number]);
    const f = failure(admin.run('CREATE DATABASE one_too_many'));
    expect(f).toEqual({ code: '999003', message: `snowflake-auth-mock: account ${s.account.name} already holds ${MAX_DATABASES} databases, the most the mock keeps; the mock bounds what SQL may add to it (see decisions/0015).` });
    expect(s.account.databases.length).toBe(MAX_DATABASES);
    expect(status(admin.run('CREATE DATABASE IF NOT EXISTS analytics'))).toBe('ANALYTICS already exists, statement succeeded.');
    expect(status(admin.run('CREATE OR REPLACE DATABASE analytics'))).toBe('Database ANALYTICS successfully created.');
  });

  it(`CREATE SCHEMA past ${MAX_SCHEMAS_PER_DATABASE} schemas in a database is the mock's 999003`, () => {
    const s = setup();
    const admin = s.login('ADMIN', {});
    expect(status(admin.run('CREATE DATABASE big'))).toBe('Database BIG successfully created.');
    const schemas = schemasOf(findDatabase(s.account, 'BIG')!);
    while (schemas.size < MAX_SCHEMAS_PER_DATABASE) schemas.set(`S${schemas.size}`, { name: `S${schemas.size}`, owner: 'ACCOUNTADMIN', createdOn: NOW });
    expect(failure(admin.run('CREATE SCHEMA big.one_too_many'))).toMatchObject({ code: '999003', message: expect.stringContaining(`database BIG already holds ${MAX_SCHEMAS_PER_DATABASE} schemas`) });
    expect(schemas.size).toBe(MAX_SCHEMAS_PER_DATABASE);
    expect(status(admin.run('CREATE OR REPLACE SCHEMA big.s5'))).toBe('Schema S5 successfully created.');
  });

  it(`an ALTER SESSION SET value longer than ${MAX_SESSION_PARAMETER_VALUE} characters is the mock's 999003 and nothing is recorded`, () => {
    const bob = setup().login('BOB');
    expect(status(bob.run(`ALTER SESSION SET QUERY_TAG = '${'q'.repeat(MAX_SESSION_PARAMETER_VALUE)}'`))).toBe('Statement executed successfully.');
    const f = failure(bob.run(`ALTER SESSION SET TIMEZONE = 'UTC' QUERY_TAG = '${'q'.repeat(MAX_SESSION_PARAMETER_VALUE + 1)}'`));
    expect(f).toMatchObject({ code: '999003', message: expect.stringContaining(`QUERY_TAG has ${MAX_SESSION_PARAMETER_VALUE + 1} characters`) });
    expect(bob.parameters.get('QUERY_TAG')).toHaveLength(MAX_SESSION_PARAMETER_VALUE);
    expect(bob.parameters.has('TIMEZONE')).toBe(false);
  });
});

describe('secrets in databases and schemas created by SQL (seed 002 provider setup)', () => {
  it('CREATE SECRET in a schema created by SQL works; in a schema that does not exist it is 002003 "Schema …"', () => {
    const s = setup();
    const admin = s.login('ADMIN');
    admin.run('CREATE DATABASE provider_db');
    admin.run('CREATE SCHEMA provider_db.app_schema');
    expect(status(admin.run('CREATE SECRET app_schema.oauth_secret TYPE = oauth2 API_AUTHENTICATION = crm'))).toBe('Secret OAUTH_SECRET successfully created.');
    expect(secretsOf(s.account).get('PROVIDER_DB.APP_SCHEMA.OAUTH_SECRET')).toMatchObject({ owner: 'ACCOUNTADMIN', database: 'PROVIDER_DB' });
    expect(failure(admin.run('CREATE SECRET provider_db.nope.s TYPE = OAUTH2 API_AUTHENTICATION = crm'))).toEqual({ code: '002003', message: "SQL compilation error:\nSchema 'PROVIDER_DB.NOPE' does not exist or not authorized." });
  });
});

describe('world config: databases[].schemas, and a declared secret brings its schema', () => {
  it('declared schemas exist (owned by the database owner); a duplicate is a config problem', () => {
    const s = setup();
    expect([...schemasOf(findDatabase(s.account, 'ANALYTICS')!).keys()]).toEqual(['PUBLIC', 'INFORMATION_SCHEMA', 'RAW']);
    expect(() => buildWorld(config((c) => { c.databases = [{ name: 'X', schemas: ['RAW', 'raw'] }]; }), { now: NOW, ids: createIds(1) })).toThrow(WorldConfigError);
    expect(() => buildWorld(config((c) => { c.databases = [{ name: 'X', schemas: [''] }]; }), { now: NOW, ids: createIds(1) })).toThrow(/databases\[0\]\.schemas\[0\]/);
  });

  it('a secret declared in an undeclared schema of a declared database loads, and the schema then exists', () => {
    const s = setup((c) => { c.secrets = [{ name: 'ANALYTICS.VAULT.S', type: 'oauth2', api_authentication: 'CRM' }]; });
    expect(schemasOf(findDatabase(s.account, 'ANALYTICS')!).has('VAULT')).toBe(true);
    expect(status(s.login('BOB').run('USE SCHEMA analytics.vault'))).toBe('Statement executed successfully.');
  });
});
