/**
 * A few Snowflake REST API resources (https://docs.snowflake.com/en/developer-guide/snowflake-rest-api/reference/database;
 * `GET /api/v2/databases` is the PAT example of https://docs.snowflake.com/en/user-guide/programmatic-access-tokens),
 * behind the same bearer gate as the SQL API.
 */
import { reject } from '../../domain/errors/rejection.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import type { Database, Warehouse } from '../../domain/world/model.ts';
import type { Endpoint } from '../endpoint.ts';
import { allowed, principalOf, rejected } from '../outcome.ts';
import { json } from '../respond.ts';
import { withBearer } from './bearer-gate.ts';

const CREATED_ON = '2024-01-01T00:00:00.000+00:00';

function databaseJson(db: Database): Record<string, unknown> {
  return {
    name: db.name,
    kind: db.kind,
    comment: db.comment ?? null,
    created_on: CREATED_ON,
    dropped_on: null,
    is_current: false,
    is_default: false,
    owner: db.owner,
    owner_role_type: 'ROLE',
    data_retention_time_in_days: 1,
    max_data_extension_time_in_days: 14,
  };
}

function warehouseJson(wh: Warehouse): Record<string, unknown> {
  return { name: wh.name, state: 'SUSPENDED', type: 'STANDARD', size: wh.size, owner: wh.owner, owner_role_type: 'ROLE', auto_suspend: 600, auto_resume: 'true', created_on: CREATED_ON };
}

/** `GET /api/v2/databases` */
export const listDatabases: Endpoint = (req, ctx) =>
  withBearer(req, ctx, (auth) => allowed(json(200, ctx.account.databases.map(databaseJson)), `${auth.explanation}; listed ${ctx.account.databases.length} databases`, principalOf(auth)));

/** `GET /api/v2/databases/{name}` */
export const fetchDatabase: Endpoint = (req, ctx) =>
  withBearer(req, ctx, (auth) => {
    const name = ctx.params.name ?? '';
    const db = ctx.account.databases.find((d) => d.name === name.toUpperCase() || d.name === name);
    if (!db) return rejected(reject('002003-rest', `${SOURCES.restApiDatabase}; ${SOURCES.decisionInferred}`, `no database ${name.slice(0, 100)} in ${ctx.account.name}`, undefined, { kind: 'Database', name: name.slice(0, 255) }), 'api', ctx, principalOf(auth));
    return allowed(json(200, databaseJson(db)), `${auth.explanation}; fetched database ${db.name}`, principalOf(auth));
  });

/** `GET /api/v2/warehouses` */
export const listWarehouses: Endpoint = (req, ctx) =>
  withBearer(req, ctx, (auth) => allowed(json(200, ctx.account.warehouses.map(warehouseJson)), `${auth.explanation}; listed ${ctx.account.warehouses.length} warehouses`, principalOf(auth)));
