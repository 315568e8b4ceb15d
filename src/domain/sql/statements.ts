/**
 * The few statements the mock answers: enough for a client to prove who it is logged in as
 * (`SELECT CURRENT_USER()`), never a SQL engine. Anything else is a Snowflake-shaped compilation
 * failure, so a test that depends on real SQL fails loudly instead of passing on made-up data.
 */
import type { Account, User } from '../world/model.ts';

/** Who runs the statement and where. */
export interface SessionInfo {
  readonly account: Account;
  readonly user: User;
  readonly role: string;
  readonly database?: string;
  readonly schema?: string;
  readonly warehouse?: string;
}

/** Column metadata in the SQL API's `rowType` vocabulary (reference §5.3). */
export interface Column {
  readonly name: string;
  readonly type: 'fixed' | 'text' | 'boolean';
  readonly nullable: boolean;
  readonly scale: number | null;
  readonly precision: number | null;
  readonly length: number | null;
  readonly byteLength: number | null;
}

export type StatementResult =
  | { readonly ok: true; readonly columns: readonly Column[]; readonly rows: readonly (readonly (string | null)[])[] }
  | { readonly ok: false; readonly token: string; readonly explanation: string };

type Value = { column: Omit<Column, 'name'>; value: string | null };

const TEXT = { type: 'text', nullable: true, scale: null, precision: null, length: 16777216, byteLength: 16777216 } as const;
const text = (value: string | null | undefined): Value => ({ column: TEXT, value: value ?? null });

/** Context functions Snowflake evaluates from the session. */
const FUNCTIONS: Readonly<Record<string, (s: SessionInfo) => Value>> = {
  'CURRENT_USER()': (s) => text(s.user.name),
  'CURRENT_ROLE()': (s) => text(s.role),
  'CURRENT_ACCOUNT()': (s) => text(s.account.locator),
  'CURRENT_ACCOUNT_NAME()': (s) => text(s.account.name.split('-').slice(1).join('-') || s.account.name),
  'CURRENT_ORGANIZATION_NAME()': (s) => text(s.account.name.includes('-') ? s.account.name.split('-')[0] : null),
  'CURRENT_REGION()': (s) => text(s.account.region ?? null),
  'CURRENT_DATABASE()': (s) => text(s.database),
  'CURRENT_SCHEMA()': (s) => text(s.schema),
  'CURRENT_WAREHOUSE()': (s) => text(s.warehouse),
  'CURRENT_VERSION()': () => text('9.0.0'),
};

/**
 * Evaluates `SELECT <item>[, <item>…]` where an item is an integer, a quoted string, TRUE/FALSE,
 * NULL or a context function, each optionally `AS alias`.
 *
 * @example
 * evaluateStatement('select current_user()', session) // { ok: true, columns: [{ name: 'CURRENT_USER()', … }], rows: [['ALICE']] }
 */
export function evaluateStatement(sql: string, session: SessionInfo): StatementResult {
  const body = sql.trim().replace(/;\s*$/, '');
  const m = /^select\s+([\s\S]+)$/i.exec(body);
  if (!m) return unsupported(body, 'only SELECT of literals and context functions is supported by the mock');
  const items = splitItems(m[1]!);
  const columns: Column[] = [];
  const row: (string | null)[] = [];
  for (const item of items) {
    const parsed = evaluateItem(item, session);
    if (!parsed) return unsupported(item, `"${item.slice(0, 60)}" is not a literal or a supported context function`);
    columns.push({ name: parsed.name, ...parsed.value.column });
    row.push(parsed.value.value);
  }
  return { ok: true, columns, rows: [row] };
}

function evaluateItem(item: string, session: SessionInfo): { name: string; value: Value } | undefined {
  const alias = /^([\s\S]+?)\s+as\s+("?)([A-Za-z_][\w$]*)\2$/i.exec(item);
  const expr = (alias ? alias[1]! : item).trim();
  const value = literal(expr) ?? FUNCTIONS[expr.toUpperCase().replace(/\s+/g, '')]?.(session);
  if (!value) return undefined;
  const name = alias ? (alias[2] ? alias[3]! : alias[3]!.toUpperCase()) : expr.toUpperCase();
  return { name, value };
}

function literal(expr: string): Value | undefined {
  if (/^-?\d{1,38}$/.test(expr)) {
    const digits = expr.replace('-', '').length;
    return { column: { type: 'fixed', nullable: false, scale: 0, precision: digits, length: null, byteLength: null }, value: String(BigInt(expr)) };
  }
  const str = /^'((?:[^']|'')*)'$/.exec(expr);
  if (str) {
    const v = str[1]!.replace(/''/g, "'");
    return { column: { ...TEXT, nullable: false, length: v.length, byteLength: Buffer.byteLength(v) }, value: v };
  }
  if (/^(true|false)$/i.test(expr)) return { column: { type: 'boolean', nullable: false, scale: null, precision: null, length: null, byteLength: null }, value: expr.toLowerCase() };
  if (/^null$/i.test(expr)) return text(null);
  return undefined;
}

/** Splits on top-level commas (not inside quotes or parentheses). */
function splitItems(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      items.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(list.slice(start).trim());
  return items;
}

function unsupported(text: string, explanation: string): StatementResult {
  const token = (/^\S+/.exec(text)?.[0] ?? '').slice(0, 40);
  return { ok: false, token, explanation };
}
