/**
 * Databases (with their schemas) and warehouses: the account objects that SHOW DATABASES, SHOW
 * SCHEMAS and SHOW WAREHOUSES list and USE selects.
 * Each owner must be a role of the account.
 */
import { names, type Checker, type Rec } from './checker.ts';
import { warehouseSize } from './field-rules.ts';
import { roleField, type Scope } from './scope.ts';

const DATABASE_KEYS = ['name', 'owner', 'comment', 'kind', 'schemas'];
const WAREHOUSE_KEYS = ['name', 'size', 'owner'];

/**
 * Checks `databases`: name, kind, owner role, schemas, and unique names.
 *
 * @example
 * checkDatabases(c, scope, { databases: [{ name: 'SALES', kind: 'transient', owner: 'SYSADMIN', schemas: ['RAW'] }] })
 */
export function checkDatabases(c: Checker, scope: Scope, a: Rec): void {
  const databases = c.records(a, 'databases', scope.path, DATABASE_KEYS);
  for (const { value: d, path } of databases) {
    c.string(d, 'name', path, true);
    c.string(d, 'comment', path);
    c.choice(d, 'kind', path, ['PERMANENT', 'TRANSIENT']);
    roleField(c, scope, d, 'owner', path);
    // PUBLIC and INFORMATION_SCHEMA are there anyway; naming them again is harmless.
    c.unique(c.strings(d, 'schemas', path), 'schema name');
  }
  c.unique(names(databases), 'database name');
}

/**
 * Checks `warehouses`: name, size (any SHOW WAREHOUSES spelling or alias), owner role, and unique names.
 *
 * @example
 * checkWarehouses(c, scope, { warehouses: [{ name: 'COMPUTE_WH', size: 'xsmall' }] })
 */
export function checkWarehouses(c: Checker, scope: Scope, a: Rec): void {
  const warehouses = c.records(a, 'warehouses', scope.path, WAREHOUSE_KEYS);
  for (const { value: w, path } of warehouses) {
    c.string(w, 'name', path, true);
    const size = c.string(w, 'size', path);
    if (size && !warehouseSize(size)) c.add([...path, 'size'], `unknown warehouse size "${size}" (expected X-Small, Small, Medium, Large, X-Large, 2X-Large … 6X-Large)`);
    roleField(c, scope, w, 'owner', path);
  }
  c.unique(names(warehouses), 'warehouse name');
}
