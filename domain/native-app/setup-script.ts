/**
 * A Native App's setup script (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Provider setup", steps 1–5), run in the application's
 * context: split into statements, each run through the SQL layer's application context, in order,
 * stopping at the first failure (as an install or upgrade does; the mock does not roll back).
 *
 * The mock models the authentication statements (CREATE SCHEMA, CREATE APPLICATION ROLE, CREATE
 * SECURITY INTEGRATION, CREATE SECRET, GRANT/REVOKE on integrations and secrets, ALTER APPLICATION
 * SET SPECIFICATION … TYPE = SECURITY_INTEGRATION / CONFIGURATION DEFINITION). Statements about
 * objects without authentication state — procedures, functions, Streamlits, tables, views, stages,
 * tasks, services, grants on them, CALL, USE, DML, other specification types (EXTERNAL_ACCESS …),
 * other ALTER APPLICATION SET properties (DEFAULT_STREAMLIT …), the application-role hierarchy
 * (GRANT APPLICATION ROLE … TO APPLICATION ROLE …) — are *skipped* and reported as such, so a real setup script runs; anything
 * else fails like an unknown statement.
 */
import { executeSqlInApplication, type SqlEnv } from '../sql/execute.ts';
import type { Rejection } from '../errors/rejection.ts';
import { tokenize, type Token } from '../sql/tokens.ts';
import type { Account } from '../world/model.ts';

/** One statement of a script: its text and the 1-based line it starts on. */
export interface ScriptStatement {
  readonly text: string;
  readonly line: number;
}

/** What happened to one statement. */
export interface StatementReport extends ScriptStatement {
  readonly outcome: 'ran' | 'skipped';
  /** The statement's status row, or why it was skipped. */
  readonly message: string;
}

/** A script's result: every statement's report, or the first failure. */
export type SetupScriptResult =
  | { readonly ok: true; readonly statements: readonly StatementReport[]; readonly changed: boolean }
  | { readonly ok: false; readonly statements: readonly StatementReport[]; readonly failed: ScriptStatement; readonly rejection: Rejection; readonly changed: boolean };

/**
 * Splits a script at `;` outside strings, quoted identifiers, comments and `$$ … $$` bodies;
 * statements holding only comments or blanks are dropped.
 *
 * @example
 * splitScript("CREATE SCHEMA s;\n-- note\nCREATE APPLICATION ROLE r;") // [{ text: 'CREATE SCHEMA s', line: 1 }, { text: '…CREATE APPLICATION ROLE r', line: 2 }]
 */
export function splitScript(script: string): ScriptStatement[] {
  const out: ScriptStatement[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  const flush = (end: number): void => {
    const from = codeStart(script, start, end);
    if (from < end) out.push({ text: script.slice(from, end).trim(), line: lineOf(script, from) });
  };
  while (i < n) {
    const ch = script[i]!;
    const two = script.slice(i, i + 2);
    if (ch === "'" || ch === '"') {
      i++;
      while (i < n && script[i] !== ch) i += ch === "'" && script[i] === '\\' ? 2 : 1;
      i++;
    } else if (two === '--' || two === '//') {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (two === '/*') {
      const close = script.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (two === '$$') {
      const close = script.indexOf('$$', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (ch === ';') {
      flush(i);
      start = ++i;
    } else {
      i++;
    }
  }
  flush(n);
  return out;
}

/** Where the code of a statement starts: after blanks and comments (`end` when there is none). */
function codeStart(text: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const two = text.slice(i, i + 2);
    if (/\s/.test(text[i]!)) i++;
    else if (two === '--' || two === '//') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > end ? end : nl + 1;
    } else if (two === '/*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 || close + 2 > end ? end : close + 2;
    } else return i;
  }
  return end;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Object kinds whose CREATE / ALTER / GRANT the mock skips: they hold no authentication state. */
const SKIPPED_OBJECTS = new Set([
  'PROCEDURE', 'FUNCTION', 'STREAMLIT', 'TABLE', 'VIEW', 'STAGE', 'TASK', 'SERVICE', 'SEQUENCE', 'STREAM', 'FILE', 'NOTEBOOK',
  'COMPUTE', 'IMAGE', 'NETWORK', 'MATERIALIZED', 'DYNAMIC', 'EXTERNAL', 'WAREHOUSE', 'DATABASE', 'ALL', 'FUTURE', 'SCHEMA', 'TAG', 'ROW', 'MASKING',
]);
const SKIPPED_VERBS = new Set(['CALL', 'EXECUTE', 'USE', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'PUT', 'SELECT', 'COMMENT', 'SET', 'UNSET', 'TRUNCATE']);
const CREATE_MODIFIERS = new Set(['OR', 'REPLACE', 'ALTER', 'SECURE', 'TEMPORARY', 'TEMP', 'TRANSIENT', 'VOLATILE', 'RECURSIVE', 'IF', 'NOT', 'EXISTS']);

/**
 * Why the mock skips a statement (not modelled: no authentication state), or undefined when it
 * runs it.
 *
 * @example
 * skipReason('CREATE OR REPLACE PROCEDURE app_schema.cb() RETURNS STRING AS $$ … $$') // 'CREATE PROCEDURE …'
 */
export function skipReason(text: string): string | undefined {
  const head = text.includes('$$') ? text.slice(0, text.indexOf('$$')) : text;
  let words: string[];
  try {
    words = tokenize(head).filter((t: Token) => t.kind === 'word').slice(0, 12).map((t) => t.value);
  } catch {
    return undefined;
  }
  const verb = words[0];
  if (verb === undefined) return undefined;
  if (SKIPPED_VERBS.has(verb)) return `${verb} statements hold no authentication state`;
  if (verb === 'CREATE' || verb === 'ALTER') {
    const kind = words.slice(1).find((w) => !CREATE_MODIFIERS.has(w));
    if (kind === 'SCHEMA' || kind === 'VERSIONED') return undefined; // the schemas of the application's secrets are modelled
    if (kind === 'APPLICATION' && verb === 'ALTER') return alterApplicationSkip(words, head);
    if (kind !== undefined && SKIPPED_OBJECTS.has(kind)) return `${verb} ${kind} holds no authentication state`;
    return undefined;
  }
  if (verb === 'GRANT' || verb === 'REVOKE') {
    const towards = words.indexOf(verb === 'GRANT' ? 'TO' : 'FROM');
    if (words[1] === 'APPLICATION' && towards > 0 && words[towards + 1] === 'APPLICATION') {
      return `${verb} APPLICATION ROLE … ${words[towards]} APPLICATION ROLE: the mock does not model the application-role hierarchy (grant privileges and configurations to each application role)`;
    }
    const on = words.indexOf('ON');
    const kind = on < 0 ? undefined : words[on + 1];
    if (kind !== undefined && kind !== 'INTEGRATION' && kind !== 'SECRET') return `${verb} on ${kind} holds no authentication state`;
  }
  return undefined;
}

/**
 * `ALTER APPLICATION SET …` in a setup script: SPECIFICATION … TYPE = SECURITY_INTEGRATION and
 * CONFIGURATION DEFINITION run; other specification types (EXTERNAL_ACCESS, CONNECTION, …) and
 * other properties (DEFAULT_STREAMLIT, …) are skipped.
 */
function alterApplicationSkip(words: readonly string[], head: string): string | undefined {
  if (words[2] !== 'SET' && words[2] !== 'UNSET') return undefined;
  const what = words[3];
  if (what === 'CONFIGURATION' && words[4] === 'DEFINITION') return undefined;
  if (what === 'SPECIFICATION') {
    const values = tokenize(head).filter((t: Token) => t.kind === 'word' || t.kind === 'string');
    const at = values.findIndex((t, i) => i >= 4 && t.kind === 'word' && t.value === 'TYPE');
    const type = at < 0 ? undefined : values[at + 1]?.value.toUpperCase();
    if (type === undefined || type === 'SECURITY_INTEGRATION') return undefined;
    return `a specification of TYPE = ${type} holds no authentication state (only SECURITY_INTEGRATION specifications are modelled)`;
  }
  return `ALTER APPLICATION ${words[2]} ${what ?? ''} holds no authentication state`;
}

/**
 * Runs a setup script for an installed application; stops at the first failing statement.
 *
 * @example
 * const r = runSetupScript(account, 'EXAMPLE_APP', script, { world, now, ids })
 * if (!r.ok) console.log(r.failed.line, r.rejection.code)
 */
export function runSetupScript(account: Account, application: string, script: string, env: SqlEnv): SetupScriptResult {
  const statements: StatementReport[] = [];
  let changed = false;
  for (const s of splitScript(script)) {
    const skip = skipReason(s.text);
    if (skip) {
      statements.push({ ...s, outcome: 'skipped', message: `skipped by the mock: ${skip}` });
      continue;
    }
    const result = executeSqlInApplication(s.text, account, application, env);
    if (!result.ok) return { ok: false, statements, failed: s, rejection: result.rejection, changed };
    changed ||= result.changed;
    statements.push({ ...s, outcome: 'ran', message: String(result.rows[0]?.[0] ?? '') });
  }
  return { ok: true, statements, changed };
}
