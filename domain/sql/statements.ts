/**
 * `SELECT` of literals and context functions: enough for a client to prove who it is logged in as
 * (`SELECT CURRENT_USER()`), never a SQL engine; plus `SYSTEM$DECODE_PAT('<secret>')`
 * (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens). A SELECT it cannot evaluate is not modelled: a user's answer, else the mock's
 * 999001 (decisions/0016), so a test that depends on real SQL fails loudly instead of passing on made-up data.
 */
import type { ProgrammaticAccessToken, RotatedPatSecret, User } from '../world/model.ts';
import { textColumn, type Column, type Row } from './columns.ts';
import type { SqlEnv, SqlResult, SqlSession } from './execute.ts';
import { SqlSyntaxError, type Cursor, type Token } from './tokens.ts';

export type { Column } from './columns.ts';

type Value = { readonly column: Omit<Column, 'name'>; readonly value: string | null; readonly pure: boolean };

const TEXT = (({ name: _name, ...rest }) => rest)(textColumn(''));
const text = (value: string | null | undefined): Value => ({ column: TEXT, value: value ?? null, pure: true });
const BOOLEAN: Omit<Column, 'name'> = { type: 'boolean', nullable: false, scale: null, precision: null, length: null, byteLength: null };

/** Context functions Snowflake evaluates from the session. */
const FUNCTIONS: Readonly<Record<string, (s: SqlSession) => Value>> = {
  CURRENT_USER: (s) => text(s.user.name),
  CURRENT_ROLE: (s) => text(s.role),
  CURRENT_ACCOUNT: (s) => text(s.account.locator),
  CURRENT_ACCOUNT_NAME: (s) => text(s.account.name.split('-').slice(1).join('-') || s.account.name),
  CURRENT_ORGANIZATION_NAME: (s) => text(s.account.name.includes('-') ? s.account.name.split('-')[0] : null),
  CURRENT_REGION: (s) => text(s.account.region ?? null),
  CURRENT_DATABASE: (s) => text(s.database),
  CURRENT_SCHEMA: (s) => text(s.schema),
  CURRENT_WAREHOUSE: (s) => text(s.warehouse),
  CURRENT_VERSION: () => text('9.0.0'),
};

/**
 * Evaluates the items after `SELECT` (the cursor stands on the first item): integers, 'strings',
 * TRUE/FALSE, NULL, context functions and SYSTEM$DECODE_PAT, each optionally `AS alias`, comma
 * separated. A column without an alias is named by its expression text, upper-cased, as
 * Snowflake names expression columns. Cacheable unless an item reads the world (DECODE_PAT).
 *
 * @example
 * runSelect(cursorAfterSelect, 'select current_user()', session, env) // { ok: true, kind: 'select', rows: [['ALICE']], … }
 */
export function runSelect(c: Cursor, sql: string, session: SqlSession, env: SqlEnv): SqlResult {
  const columns: Column[] = [];
  const row: (string | null)[] = [];
  let cacheable = true;
  do {
    const start = c.peek().start;
    const v = item(c, session, env);
    const end = c.lastEnd();
    let name: string;
    if (c.word('AS')) {
      const alias = c.peek();
      name = c.identifier('an alias');
      if (alias.kind === 'word') name = alias.value;
    } else {
      name = sql.slice(start, end).toUpperCase();
    }
    columns.push({ name, ...v.column });
    row.push(v.value);
    cacheable &&= v.pure;
  } while (c.punct(','));
  c.expectEnd();
  const rows: Row[] = [row];
  return { ok: true, kind: 'select', columns, rows, changed: false, cacheable };
}

function item(c: Cursor, session: SqlSession, env: SqlEnv): Value {
  const t = c.peek();
  if ((t.kind === 'punct' && t.value === '-') || t.kind === 'number') return integer(c);
  if (t.kind === 'string') {
    c.next();
    return { column: { ...TEXT, nullable: false, length: t.value.length, byteLength: Buffer.byteLength(t.value) }, value: t.value, pure: true };
  }
  if (t.kind === 'word') {
    if (t.value === 'TRUE' || t.value === 'FALSE') {
      c.next();
      return { column: BOOLEAN, value: t.value.toLowerCase(), pure: true };
    }
    if (t.value === 'NULL') {
      c.next();
      return text(null);
    }
    if (c.peek(1).kind === 'punct' && c.peek(1).value === '(') return call(c, t, session, env);
  }
  throw c.unexpected('not a literal or a supported context function');
}

function integer(c: Cursor): Value {
  const negative = c.punct('-');
  const t = c.peek();
  if (t.kind !== 'number' || t.value.length > 38) throw c.unexpected('expected an integer of at most 38 digits');
  c.next();
  const digits = t.value.length;
  const value = String(BigInt(t.value) * (negative ? -1n : 1n));
  return { column: { type: 'fixed', nullable: false, scale: 0, precision: digits, length: null, byteLength: null }, value, pure: true };
}

/**
 * A syntax error inside a call of a function the built-in SELECT runs (`SELECT CURRENT_USER(1)`,
 * `SYSTEM$DECODE_PAT(42)`): a malformed statement of the mock's (001003), where any other
 * SELECT it cannot evaluate is one it does not model (decisions/0016).
 *
 * @example
 * throw new MalformedCall(token, 'expected )')
 */
export class MalformedCall extends SqlSyntaxError {
  constructor(token: Token, explanation: string) {
    super(token, explanation);
    this.name = 'MalformedCall';
  }
}

function call(c: Cursor, name: Token, session: SqlSession, env: SqlEnv): Value {
  const known = name.value === 'SYSTEM$DECODE_PAT' || FUNCTIONS[name.value] !== undefined;
  if (!known) throw new SqlSyntaxError(name, `${name.value} is not a supported context function`);
  try {
    return knownCall(c, name, session, env);
  } catch (e) {
    throw e instanceof SqlSyntaxError && !(e instanceof MalformedCall) ? new MalformedCall(e.token, e.message) : e;
  }
}

function knownCall(c: Cursor, name: Token, session: SqlSession, env: SqlEnv): Value {
  c.next();
  c.expectPunct('(');
  if (name.value === 'SYSTEM$DECODE_PAT') {
    const secret = c.string('the token secret');
    c.expectPunct(')');
    return { column: TEXT, value: decodePat(secret, session, env), pure: false };
  }
  c.expectPunct(')');
  return FUNCTIONS[name.value]!(session);
}

/**
 * `SYSTEM$DECODE_PAT` (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens): `{"STATE":"ACTIVE","PAT_NAME":"…","USER_NAME":"…"}` for a
 * secret of the session's account. Inferred (the docs show only ACTIVE): a disabled
 * token (or one of a disabled user) answers STATE "DISABLED", an expired one "EXPIRED"; a rotated
 * secret answers under its `<NAME>_ROTATED_<ms>` name; a secret the account does not know answers
 * `{"STATE":"INVALID"}` without names (not an error, so the function never confirms which
 * accounts exist).
 */
function decodePat(secret: string, session: SqlSession, env: SqlEnv): string {
  for (const user of session.account.users.values()) {
    for (const pat of user.programmaticAccessTokens) {
      if (pat.secret === secret) return decoded(user, pat, pat.name, pat.expiresAt, env.now);
      const rotated = pat.rotated.find((r: RotatedPatSecret) => r.secret === secret);
      if (rotated) return decoded(user, pat, rotated.name, rotated.expiresAt, env.now);
    }
  }
  return JSON.stringify({ STATE: 'INVALID' });
}

function decoded(user: User, pat: ProgrammaticAccessToken, name: string, expiresAt: number, now: number): string {
  const state = expiresAt <= now ? 'EXPIRED' : user.disabled || pat.disabled ? 'DISABLED' : 'ACTIVE';
  return JSON.stringify({ STATE: state, PAT_NAME: name, USER_NAME: user.name });
}
