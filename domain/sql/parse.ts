/**
 * The grammar of the admin statements the mock runs (besides SELECT, see statements.ts): key-pair
 * keys, programmatic access tokens, DESC USER and a security integration's network policy. Each
 * rule cites the Snowflake docs page it follows. Keywords are case-insensitive, identifiers
 * upper-cased unless "quoted", strings use '' for a quote, and a trailing `;` is allowed.
 */
import { Cursor, SqlSyntaxError, type Token } from './tokens.ts';

/** `ALTER USER … ADD PAT` options (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token). */
export interface AddPatOptions {
  readonly roleRestriction?: string;
  readonly daysToExpiry?: number;
  readonly minsToBypassNetworkPolicyRequirement?: number;
  readonly comment?: string;
}

/** `ALTER USER … MODIFY PAT … SET|UNSET` changes (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens); `null` = UNSET (COMMENT, the bypass window). */
export interface ModifyPatChanges {
  readonly disabled?: boolean;
  readonly minsToBypassNetworkPolicyRequirement?: number | null;
  readonly comment?: string | null;
  readonly newName?: string;
}

/** A parsed admin statement. `user` absent = the session's user. */
export type Command =
  | { readonly kind: 'set-keys'; readonly ifExists: boolean; readonly user?: string; readonly keys: readonly { readonly slot: 1 | 2; readonly value: string | null }[] }
  | { readonly kind: 'add-pat'; readonly ifExists: boolean; readonly user?: string; readonly ifNotExists: boolean; readonly name: string; readonly options: AddPatOptions }
  | { readonly kind: 'remove-pat'; readonly ifExists: boolean; readonly user?: string; readonly name: string }
  | { readonly kind: 'rotate-pat'; readonly ifExists: boolean; readonly user?: string; readonly patIfExists: boolean; readonly name: string; readonly hours?: number }
  | { readonly kind: 'modify-pat'; readonly ifExists: boolean; readonly user?: string; readonly name: string; readonly changes: ModifyPatChanges }
  | { readonly kind: 'show-pats'; readonly user?: string }
  | { readonly kind: 'describe-user'; readonly user: string }
  | { readonly kind: 'alter-integration'; readonly ifExists: boolean; readonly name: string; readonly policy: string | null }
  | { readonly kind: 'alter-integration-enabled'; readonly ifExists: boolean; readonly name: string; readonly enabled: boolean };

const PAT_ACTIONS = ['ADD', 'REMOVE', 'ROTATE', 'MODIFY'];
const KEY_SLOTS: Readonly<Record<string, 1 | 2>> = { RSA_PUBLIC_KEY: 1, RSA_PUBLIC_KEY_2: 2 };
const BYPASS = 'MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT';

/**
 * Parses an admin statement; `undefined` when the statement is none of them (the caller then
 * refuses it at its first token). Throws {@link SqlSyntaxError} for a known statement that goes
 * wrong later, naming the offending token.
 *
 * @example
 * parseCommand(new Cursor(tokenize('ALTER USER ADD PAT nightly DAYS_TO_EXPIRY = 7')))
 * // { kind: 'add-pat', ifExists: false, ifNotExists: false, name: 'NIGHTLY', options: { daysToExpiry: 7 } }
 */
export function parseCommand(c: Cursor): Command | undefined {
  if (c.isWord(0, 'ALTER') && c.isWord(1, 'USER')) {
    c.next();
    c.next();
    return alterUser(c);
  }
  if (c.isWord(0, 'ALTER') && (c.isWord(1, 'INTEGRATION') || (c.isWord(1, 'SECURITY') && c.isWord(2, 'INTEGRATION')))) {
    c.next();
    c.word('SECURITY');
    c.next();
    return alterIntegration(c);
  }
  if (c.isWord(0, 'DESC', 'DESCRIBE') && c.isWord(1, 'USER')) {
    c.next();
    c.next();
    // DESC[RIBE] USER <name> (https://docs.snowflake.com/en/user-guide/key-pair-auth: shows RSA_PUBLIC_KEY_FP)
    const user = c.identifier('a user name');
    c.expectEnd();
    return { kind: 'describe-user', user };
  }
  if (c.isWord(0, 'SHOW') && c.isWord(1, 'USER') && c.isWord(2, 'PROGRAMMATIC', 'PATS')) {
    c.next();
    c.next();
    // SHOW USER { PROGRAMMATIC ACCESS TOKENS | PATS } [ FOR USER <u> ] (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)
    if (!c.word('PATS')) {
      c.expectWord('PROGRAMMATIC');
      c.expectWord('ACCESS');
      c.expectWord('TOKENS');
    }
    let user: string | undefined;
    if (c.word('FOR')) {
      c.expectWord('USER');
      user = c.identifier('a user name');
    }
    c.expectEnd();
    return { kind: 'show-pats', ...(user !== undefined && { user }) };
  }
  return undefined;
}

/** After `ALTER USER`: `[IF EXISTS] [<name>] <action> …`. */
function alterUser(c: Cursor): Command {
  const ifExists = ifClause(c, 'EXISTS');
  // The user may be omitted before a PAT action (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token) or a key SET/UNSET.
  const omitted =
    (c.isWord(0, ...PAT_ACTIONS) && c.isWord(1, 'PAT', 'PROGRAMMATIC')) || (c.isWord(0, 'SET', 'UNSET') && c.isWord(1, 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2'));
  const user = omitted ? undefined : c.identifier('a user name');
  const on = { ifExists, ...(user !== undefined && { user }) };
  const action = c.expectWord('SET', 'UNSET', ...PAT_ACTIONS);
  if (action === 'SET' || action === 'UNSET') return { kind: 'set-keys', ...on, keys: keys(c, action === 'SET') };
  patKeyword(c);
  switch (action) {
    case 'ADD': {
      // ADD { PROGRAMMATIC ACCESS TOKEN | PAT } [ IF NOT EXISTS ] <name> [options] (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)
      const ifNotExists = c.isWord(0, 'IF') && c.isWord(1, 'NOT') ? (c.next(), c.next(), c.expectWord('EXISTS'), true) : false;
      const name = patName(c);
      const options = addOptions(c);
      c.expectEnd();
      return { kind: 'add-pat', ...on, ifNotExists, name, options };
    }
    case 'REMOVE': {
      // REMOVE { PROGRAMMATIC ACCESS TOKEN | PAT } <name> (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)
      const name = patName(c);
      c.expectEnd();
      return { kind: 'remove-pat', ...on, name };
    }
    case 'ROTATE': {
      // ROTATE { … } [ IF EXISTS ] <name> [ EXPIRE_ROTATED_TOKEN_AFTER_HOURS = n ] (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)
      const patIfExists = ifClause(c, 'EXISTS');
      const name = patName(c);
      let hours: number | undefined;
      if (c.word('EXPIRE_ROTATED_TOKEN_AFTER_HOURS')) {
        c.expectPunct('=');
        hours = c.integer('a number of hours');
      }
      c.expectEnd();
      return { kind: 'rotate-pat', ...on, patIfExists, name, ...(hours !== undefined && { hours }) };
    }
    default: {
      // MODIFY { … } <name> { RENAME TO <new> | SET … | UNSET … } (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)
      const name = patName(c);
      const changes = modifyChanges(c);
      c.expectEnd();
      return { kind: 'modify-pat', ...on, name, changes };
    }
  }
}

/** `IF EXISTS` / `IF NOT EXISTS` when present. */
function ifClause(c: Cursor, last: 'EXISTS'): boolean {
  if (!c.isWord(0, 'IF') || !c.isWord(1, last)) return false;
  c.next();
  c.next();
  return true;
}

/** `PAT` or `PROGRAMMATIC ACCESS TOKEN` (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token). */
function patKeyword(c: Cursor): void {
  if (c.word('PAT')) return;
  c.expectWord('PROGRAMMATIC');
  c.expectWord('ACCESS');
  c.expectWord('TOKEN');
}

/** Token names are stored upper-case (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token); the name rule is checked by the command. */
function patName(c: Cursor): string {
  return c.identifier('a token name').toUpperCase();
}

/** `SET RSA_PUBLIC_KEY = '…' [RSA_PUBLIC_KEY_2 = '…']` or `UNSET RSA_PUBLIC_KEY[, RSA_PUBLIC_KEY_2]` (https://docs.snowflake.com/en/user-guide/key-pair-auth). */
function keys(c: Cursor, set: boolean): { slot: 1 | 2; value: string | null }[] {
  const out: { slot: 1 | 2; value: string | null }[] = [];
  do {
    const at = c.peek();
    const slot = KEY_SLOTS[c.expectWord('RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2')]!;
    if (out.some((k) => k.slot === slot)) throw new SqlSyntaxError(at, `${at.value} is given twice`);
    let value: string | null = null;
    if (set) {
      c.expectPunct('=');
      value = c.string('the public key');
    }
    out.push({ slot, value });
  } while (c.punct(',') || (set && c.isWord(0, 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2')));
  c.expectEnd();
  return out;
}

function addOptions(c: Cursor): AddPatOptions {
  const seen = new Set<string>();
  const o: { roleRestriction?: string; daysToExpiry?: number; minsToBypassNetworkPolicyRequirement?: number; comment?: string } = {};
  for (;;) {
    const at = c.peek();
    const key = c.word('ROLE_RESTRICTION', 'DAYS_TO_EXPIRY', BYPASS, 'COMMENT');
    if (key === undefined) return o;
    once(seen, key, at);
    c.expectPunct('=');
    if (key === 'ROLE_RESTRICTION') o.roleRestriction = roleName(c);
    else if (key === 'DAYS_TO_EXPIRY') o.daysToExpiry = c.integer('a number of days');
    else if (key === BYPASS) o.minsToBypassNetworkPolicyRequirement = c.integer('a number of minutes');
    else o.comment = c.string('a comment');
  }
}

/** ROLE_RESTRICTION = '<role>' (a string, https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token; a bare name is accepted too). Role names are upper-case. */
function roleName(c: Cursor): string {
  const t = c.peek();
  if (t.kind === 'string') {
    c.next();
    return t.value.toUpperCase();
  }
  return c.identifier('a role name');
}

function modifyChanges(c: Cursor): ModifyPatChanges {
  if (c.word('RENAME')) {
    c.expectWord('TO');
    return { newName: c.identifier('the new token name') };
  }
  const set = c.expectWord('SET', 'UNSET') === 'SET';
  const seen = new Set<string>();
  const o: { disabled?: boolean; minsToBypassNetworkPolicyRequirement?: number | null; comment?: string | null } = {};
  do {
    const at = c.peek();
    const key = c.expectWord('DISABLED', BYPASS, 'COMMENT');
    once(seen, key, at);
    if (set) c.expectPunct('=');
    if (key === 'DISABLED') o.disabled = set ? c.boolean() : false;
    else if (key === BYPASS) o.minsToBypassNetworkPolicyRequirement = set ? c.integer('a number of minutes') : null;
    else o.comment = set ? c.string('a comment') : null;
  } while (c.punct(',') || (set && c.isWord(0, 'DISABLED', BYPASS, 'COMMENT')));
  return o;
}

/**
 * After `ALTER [SECURITY] INTEGRATION`: `[IF EXISTS] <name> SET NETWORK_POLICY = '<p>' | UNSET
 * NETWORK_POLICY` (https://docs.snowflake.com/en/user-guide/network-policies), or `SET ENABLED = TRUE | FALSE` (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth).
 */
function alterIntegration(c: Cursor): Command {
  const ifExists = ifClause(c, 'EXISTS');
  const name = c.identifier('an integration name');
  const set = c.expectWord('SET', 'UNSET') === 'SET';
  if (set && c.word('ENABLED')) {
    c.expectPunct('=');
    const enabled = c.boolean();
    c.expectEnd();
    return { kind: 'alter-integration-enabled', ifExists, name, enabled };
  }
  c.expectWord(...(set ? ['NETWORK_POLICY', 'ENABLED'] : ['NETWORK_POLICY']));
  let policy: string | null = null;
  if (set) {
    c.expectPunct('=');
    const t = c.peek();
    policy = t.kind === 'string' ? (c.next(), t.value.toUpperCase()) : c.identifier('a network policy name');
  }
  c.expectEnd();
  return { kind: 'alter-integration', ifExists, name, policy };
}

function once(seen: Set<string>, key: string, at: Token): void {
  if (seen.has(key)) throw new SqlSyntaxError(at, `${key} is given twice`);
  seen.add(key);
}
