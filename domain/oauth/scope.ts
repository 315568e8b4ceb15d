/**
 * Snowflake OAuth scopes (https://docs.snowflake.com/en/user-guide/oauth-custom): a space-delimited list of `refresh_token`, at most one
 * session-role scope (`session:role:<ROLE>` or `session:role-encoded:<URL-encoded ROLE>`) and
 * `session:role-any`. Only the syntax is judged here — whether the user may have the role is a
 * question for consent, after sign-in (https://docs.snowflake.com/en/user-guide/oauth-custom "Validation timing").
 */

/** A scope string taken apart. */
export interface ParsedScope {
  /** The scope exactly as requested ('' when absent); echoed on the authorize redirect (https://docs.snowflake.com/en/user-guide/oauth-custom). */
  raw: string;
  /** `refresh_token` was asked for (offline access). */
  refreshToken: boolean;
  /** The session role, case kept exactly (role names are case-sensitive, https://docs.snowflake.com/en/user-guide/oauth-custom). */
  role?: string;
}

export type ScopeParse = { ok: true; scope: ParsedScope } | { ok: false; reason: string };

const ROLE = 'session:role:';
const ROLE_ENCODED = 'session:role-encoded:';

/**
 * Parses a scope parameter. Absent or blank is valid: no refresh token, the user's default role.
 *
 * @example
 * parseScope('refresh_token session:role:R1') // { ok: true, scope: { raw: 'refresh_token session:role:R1', refreshToken: true, role: 'R1'} }
 * parseScope('session:role-encoded:AUTH%20SNOWFLAKE') // role 'AUTH SNOWFLAKE'
 * parseScope('bogus_scope') // { ok: false, reason: 'unknown scope "bogus_scope" …' }
 */
export function parseScope(raw: string | undefined): ScopeParse {
  const scope: ParsedScope = { raw: raw ?? '', refreshToken: false};
  for (const item of scope.raw.split(' ')) {
    if (item === '') continue; // tolerate doubled spaces; the list is space-delimited
    const problem = apply(scope, item);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, scope };
}

/** Adds one scope item to `scope`; returns why it is invalid, if it is. */
function apply(scope: ParsedScope, item: string): string | undefined {
  if (item === 'refresh_token') return void (scope.refreshToken = true);
  // https://docs.snowflake.com/en/user-guide/oauth-custom, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake: session:role-any needs OAUTH_ANY_ROLE_MODE ≠ DISABLE; the mock models only the
  // default (DISABLE), so it is refused rather than accepted and silently ignored.
  if (item === 'session:role-any') return 'session:role-any needs OAUTH_ANY_ROLE_MODE = ENABLE, and the integration has DISABLE (the default)';
  const role = roleOf(item);
  if (role === undefined) return `unknown scope ${JSON.stringify(cut(item))} (expected refresh_token, session:role:<ROLE>, session:role-encoded:<ROLE> or session:role-any)`;
  if (role === '') return `scope ${JSON.stringify(cut(item))} names no role`;
  if (role === null) return `scope ${JSON.stringify(cut(item))} is not valid URL encoding`;
  // https://docs.snowflake.com/en/user-guide/oauth-custom: "Only one session-role scope may be given".
  if (scope.role !== undefined) return `more than one session role scope (${scope.role} and ${role}); only one is allowed`;
  scope.role = role;
  return undefined;
}

/** The role of a session-role scope item; undefined = not a role scope, null = bad encoding. */
function roleOf(item: string): string | null | undefined {
  if (item.startsWith(ROLE)) return item.slice(ROLE.length);
  if (!item.startsWith(ROLE_ENCODED)) return undefined;
  try {
    return decodeURIComponent(item.slice(ROLE_ENCODED.length));
  } catch {
    return null;
  }
}

/**
 * Shortens user-supplied text for an explanation (at most 80 characters).
 *
 * @example
 * cut('x'.repeat(100)).length // 81
 */
export function cut(text: string): string {
  return text.length > 80 ? text.slice(0, 80) + '…' : text;
}
