/**
 * The grammar of the outbound-OAuth and Native App statements (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth, https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md, https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization;
 * issue #6), beside parse.ts's admin statements. Property lists (`KEY = value …`, commas
 * optional) are read generically and checked by the commands, so a wrong value is Snowflake's
 * 001422 and a wrong shape a 001003 naming the token.
 *
 * ```
 * (OR REPLACE and IF NOT EXISTS are mutually exclusive: 001003 at IF)
 * CREATE [OR REPLACE] SECURITY INTEGRATION [IF NOT EXISTS] <name> TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 ENABLED = TRUE|FALSE [OAUTH_… = …]…
 * CREATE [OR REPLACE] SECRET [IF NOT EXISTS] <[db.][schema.]name> TYPE = OAUTH2 API_AUTHENTICATION = <integration> [OAUTH_SCOPES = ('…', …)] [OAUTH_REFRESH_TOKEN = '…'] [OAUTH_REFRESH_TOKEN_EXPIRY_TIME = '…'] [COMMENT = '…']
 * CREATE [OR REPLACE | OR ALTER] [VERSIONED] SCHEMA [IF NOT EXISTS] <name> [COMMENT = '…']      (setup script)
 * CREATE [OR REPLACE] APPLICATION ROLE [IF NOT EXISTS] <name> [COMMENT = '…']                     (setup script)
 * GRANT { USAGE | MODIFY | READ } ON { INTEGRATION | SECRET } <name> TO [APPLICATION] ROLE <role>
 * REVOKE { USAGE | MODIFY | READ } ON { INTEGRATION | SECRET } <name> FROM [APPLICATION] ROLE <role>
 * GRANT APPLICATION ROLE <app>.<role> TO ROLE <role>   /   REVOKE APPLICATION ROLE <app>.<role> FROM ROLE <role>
 * ALTER APPLICATION SET SPECIFICATION <s> TYPE = SECURITY_INTEGRATION LABEL = '…' DESCRIPTION = '…' OAUTH_TYPE = '…' OAUTH_TOKEN_ENDPOINT = '…' [OAUTH_AUTHORIZATION_ENDPOINT = '…'] [OAUTH_ALLOWED_SCOPES = (…)]
 * ALTER APPLICATION SET CONFIGURATION DEFINITION <c> TYPE = SECRET_AUTHORIZATION SECRET = <[db.]schema.name> LABEL = '…' DESCRIPTION = '…' APPLICATION_ROLES = (<r>, …)
 * ALTER APPLICATION <app> { APPROVE | DECLINE } SPECIFICATION <s> SEQUENCE_NUMBER = <n>
 * ALTER APPLICATION <app> SET CONFIGURATION <c> VALUE = '<value>'   /   ALTER APPLICATION <app> UNSET CONFIGURATION <c>
 * SHOW [APPROVED | DECLINED | PENDING] SPECIFICATIONS [IN APPLICATION <app>]
 * SHOW CONFIGURATIONS [IN APPLICATION <app>]
 * { DESC | DESCRIBE } CONFIGURATION <c> [IN APPLICATION <app>]
 * ```
 */
import { Cursor, SqlSyntaxError, type Token } from './tokens.ts';

/** A property value as written. */
export type PropertyValue =
  | { readonly kind: 'string'; readonly value: string; readonly token: Token }
  | { readonly kind: 'word'; readonly value: string; readonly token: Token }
  | { readonly kind: 'number'; readonly value: number; readonly token: Token }
  | { readonly kind: 'list'; readonly value: readonly string[]; readonly token: Token };

/** `KEY = value` pairs of a statement, by upper-case key. */
export type Properties = ReadonlyMap<string, PropertyValue>;

/** A privilege grant as written (`application` set when the grantee is an application role). */
export interface GrantTarget {
  readonly privilege: string;
  readonly on: 'INTEGRATION' | 'SECRET';
  readonly object: readonly string[];
  readonly to: { readonly role: string } | { readonly applicationRole: readonly string[] };
}

/** A parsed outbound-OAuth / Native App statement. */
export type OutboundCommand =
  | { readonly kind: 'create-integration'; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly name: string; readonly props: Properties; readonly at: Token }
  | { readonly kind: 'create-secret'; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly name: readonly string[]; readonly props: Properties; readonly at: Token }
  | { readonly kind: 'create-schema'; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly name: string }
  | { readonly kind: 'create-application-role'; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly name: string }
  | { readonly kind: 'grant'; readonly revoke: boolean; readonly grant: GrantTarget }
  | { readonly kind: 'grant-application-role'; readonly revoke: boolean; readonly applicationRole: readonly string[]; readonly role: string }
  | { readonly kind: 'set-specification'; readonly name: string; readonly props: Properties; readonly at: Token }
  | { readonly kind: 'set-configuration-definition'; readonly name: string; readonly props: Properties; readonly at: Token }
  | { readonly kind: 'answer-specification'; readonly application: string; readonly approve: boolean; readonly name: string; readonly sequenceNumber: number }
  | { readonly kind: 'set-configuration-value'; readonly application: string; readonly name: string; readonly value: string }
  | { readonly kind: 'unset-configuration-value'; readonly application: string; readonly name: string }
  | { readonly kind: 'show-specifications'; readonly status?: 'APPROVED' | 'DECLINED' | 'PENDING'; readonly application?: string }
  | { readonly kind: 'show-configurations'; readonly application?: string }
  | { readonly kind: 'describe-configuration'; readonly name: string; readonly application?: string };

/** Property kinds a statement takes: a string literal, a keyword or string, a number, TRUE/FALSE, a list, a (qualified) name. */
type PropertyKind = 'string' | 'word' | 'number' | 'boolean' | 'list' | 'name';

const INTEGRATION_PROPS: Readonly<Record<string, PropertyKind>> = {
  TYPE: 'word', AUTH_TYPE: 'word', ENABLED: 'boolean', OAUTH_TOKEN_ENDPOINT: 'string', OAUTH_AUTHORIZATION_ENDPOINT: 'string',
  OAUTH_CLIENT_AUTH_METHOD: 'word', OAUTH_CLIENT_ID: 'string', OAUTH_CLIENT_SECRET: 'string', OAUTH_GRANT: 'word',
  OAUTH_ACCESS_TOKEN_VALIDITY: 'number', OAUTH_REFRESH_TOKEN_VALIDITY: 'number', OAUTH_ALLOWED_SCOPES: 'list',
  OAUTH_ASSERTION_ISSUER: 'string', COMMENT: 'string',
};
const SECRET_PROPS: Readonly<Record<string, PropertyKind>> = {
  TYPE: 'word', API_AUTHENTICATION: 'name', OAUTH_SCOPES: 'list', OAUTH_REFRESH_TOKEN: 'string', OAUTH_REFRESH_TOKEN_EXPIRY_TIME: 'string', COMMENT: 'string',
};
const SPEC_PROPS: Readonly<Record<string, PropertyKind>> = {
  TYPE: 'word', LABEL: 'string', DESCRIPTION: 'string', OAUTH_TYPE: 'word', OAUTH_TOKEN_ENDPOINT: 'string',
  OAUTH_AUTHORIZATION_ENDPOINT: 'string', OAUTH_ALLOWED_SCOPES: 'list',
};
const CONFIG_PROPS: Readonly<Record<string, PropertyKind>> = {
  TYPE: 'word', SECRET: 'name', LABEL: 'string', DESCRIPTION: 'string', APPLICATION_ROLES: 'list',
};

/**
 * Parses an outbound-OAuth or Native App statement; `undefined` when the statement is none of
 * them. Throws {@link SqlSyntaxError} for one of them that goes wrong later.
 *
 * @example
 * parseOutboundCommand(new Cursor(tokenize('GRANT USAGE ON INTEGRATION oauth_integration TO APPLICATION ROLE app_user')))
 * // { kind: 'grant', revoke: false, grant: { privilege: 'USAGE', on: 'INTEGRATION', object: ['OAUTH_INTEGRATION'], to: { applicationRole: ['APP_USER'] } } }
 */
export function parseOutboundCommand(c: Cursor): OutboundCommand | undefined {
  if (c.isWord(0, 'CREATE')) return create(c);
  if (c.isWord(0, 'GRANT', 'REVOKE') && (c.isWord(1, 'APPLICATION') || c.isWord(2, 'ON'))) return grant(c);
  if (c.isWord(0, 'ALTER') && c.isWord(1, 'APPLICATION')) {
    c.next();
    c.next();
    return alterApplication(c);
  }
  if (c.isWord(0, 'SHOW')) return show(c);
  if (c.isWord(0, 'DESC', 'DESCRIBE') && c.isWord(1, 'CONFIGURATION')) {
    c.next();
    c.next();
    const name = c.identifier('a configuration name');
    const application = inApplication(c);
    c.expectEnd();
    return { kind: 'describe-configuration', name, ...(application !== undefined && { application }) };
  }
  return undefined;
}

function create(c: Cursor): OutboundCommand | undefined {
  // Look ahead without consuming, so a CREATE of another kind falls through to the caller's refusal.
  let i = 1;
  let orReplace = false;
  let orAlter = false;
  if (c.isWord(1, 'OR') && c.isWord(2, 'REPLACE', 'ALTER')) {
    orReplace = c.isWord(2, 'REPLACE');
    orAlter = !orReplace;
    i = 3;
  }
  const versioned = c.isWord(i, 'VERSIONED');
  const kind = c.isWord(i, 'SECURITY') && c.isWord(i + 1, 'INTEGRATION') ? 'integration'
    : c.isWord(i, 'SECRET') && !orAlter ? 'secret'
    : c.isWord(versioned ? i + 1 : i, 'SCHEMA') ? 'schema'
    : c.isWord(i, 'APPLICATION') && c.isWord(i + 1, 'ROLE') && !orAlter ? 'application-role'
    : undefined;
  if (kind === undefined) return undefined;
  for (let k = 0; k < i; k++) c.next();
  if (kind === 'integration') {
    c.next();
    c.next();
    const ifNotExists = ifNotExistsClause(c, orReplace);
    const name = c.identifier('an integration name');
    const at = c.peek();
    return { kind: 'create-integration', orReplace, ifNotExists, name, props: properties(c, INTEGRATION_PROPS), at };
  }
  if (kind === 'secret') {
    c.next();
    const ifNotExists = ifNotExistsClause(c, orReplace);
    const name = qualifiedName(c, 'a secret name');
    const at = c.peek();
    return { kind: 'create-secret', orReplace, ifNotExists, name, props: properties(c, SECRET_PROPS), at };
  }
  if (kind === 'schema') {
    if (versioned) c.next();
    c.next();
    const ifNotExists = ifNotExistsClause(c, orReplace);
    const name = c.identifier('a schema name');
    properties(c, { COMMENT: 'string', DATA_RETENTION_TIME_IN_DAYS: 'number' });
    return { kind: 'create-schema', orReplace: orReplace || orAlter, ifNotExists, name };
  }
  c.next();
  c.next();
  const ifNotExists = ifNotExistsClause(c, orReplace);
  const name = c.identifier('an application role name');
  properties(c, { COMMENT: 'string' });
  return { kind: 'create-application-role', orReplace, ifNotExists, name };
}

function grant(c: Cursor): OutboundCommand {
  const revoke = c.next().value === 'REVOKE';
  const towards = revoke ? 'FROM' : 'TO';
  if (c.word('APPLICATION')) {
    c.expectWord('ROLE');
    const applicationRole = qualifiedName(c, 'an application role (<app>.<role>)');
    c.expectWord(towards);
    c.expectWord('ROLE');
    const role = c.identifier('a role name');
    c.expectEnd();
    return { kind: 'grant-application-role', revoke, applicationRole, role };
  }
  const privilege = c.expectWord('USAGE', 'MODIFY', 'READ');
  c.expectWord('ON');
  const on = c.expectWord('INTEGRATION', 'SECRET') as 'INTEGRATION' | 'SECRET';
  const object = on === 'INTEGRATION' ? [c.identifier('an integration name')] : qualifiedName(c, 'a secret name');
  c.expectWord(towards);
  const application = c.word('APPLICATION') !== undefined;
  c.expectWord('ROLE');
  const to = application ? { applicationRole: qualifiedName(c, 'an application role') } : { role: c.identifier('a role name') };
  c.expectEnd();
  return { kind: 'grant', revoke, grant: { privilege, on, object, to } };
}

function alterApplication(c: Cursor): OutboundCommand {
  // Without a name (the application's own setup script): SET SPECIFICATION / SET CONFIGURATION DEFINITION.
  if (c.isWord(0, 'SET') && c.isWord(1, 'SPECIFICATION')) {
    c.next();
    c.next();
    const name = c.identifier('a specification name');
    const at = c.peek();
    return { kind: 'set-specification', name, props: properties(c, SPEC_PROPS), at };
  }
  if (c.isWord(0, 'SET') && c.isWord(1, 'CONFIGURATION') && c.isWord(2, 'DEFINITION')) {
    c.next();
    c.next();
    c.next();
    const name = c.identifier('a configuration name');
    const at = c.peek();
    return { kind: 'set-configuration-definition', name, props: properties(c, CONFIG_PROPS), at };
  }
  const application = c.identifier('an application name');
  const action = c.expectWord('APPROVE', 'DECLINE', 'SET', 'UNSET');
  if (action === 'APPROVE' || action === 'DECLINE') {
    c.expectWord('SPECIFICATION');
    const name = c.identifier('a specification name');
    c.expectWord('SEQUENCE_NUMBER');
    c.expectPunct('=');
    const sequenceNumber = c.integer('a sequence number');
    c.expectEnd();
    return { kind: 'answer-specification', application, approve: action === 'APPROVE', name, sequenceNumber };
  }
  c.expectWord('CONFIGURATION');
  const name = c.identifier('a configuration name');
  if (action === 'UNSET') {
    c.expectEnd();
    return { kind: 'unset-configuration-value', application, name };
  }
  c.expectWord('VALUE');
  c.expectPunct('=');
  const value = c.string('the configuration value');
  c.expectEnd();
  return { kind: 'set-configuration-value', application, name, value };
}

function show(c: Cursor): OutboundCommand | undefined {
  const status = c.isWord(1, 'APPROVED', 'DECLINED', 'PENDING') && c.isWord(2, 'SPECIFICATIONS') ? (c.peek(1).value as 'APPROVED' | 'DECLINED' | 'PENDING') : undefined;
  if (!(status !== undefined || c.isWord(1, 'SPECIFICATIONS', 'CONFIGURATIONS'))) return undefined;
  c.next();
  if (status !== undefined) c.next();
  const what = c.expectWord('SPECIFICATIONS', 'CONFIGURATIONS');
  const application = inApplication(c);
  c.expectEnd();
  const on = application !== undefined ? { application } : {};
  return what === 'SPECIFICATIONS' ? { kind: 'show-specifications', ...(status !== undefined && { status }), ...on } : { kind: 'show-configurations', ...on };
}

function inApplication(c: Cursor): string | undefined {
  if (!c.word('IN')) return undefined;
  c.expectWord('APPLICATION');
  return c.identifier('an application name');
}

/**
 * `IF NOT EXISTS`; after `OR REPLACE` a syntax error at `IF` (the clauses are mutually exclusive,
 * https://docs.snowflake.com/en/sql-reference/sql/create-database). Shared with parse-context.ts.
 *
 * @example
 * const ifNotExists = ifNotExistsClause(c, orReplace)
 */
export function ifNotExistsClause(c: Cursor, orReplace: boolean): boolean {
  if (!(c.isWord(0, 'IF') && c.isWord(1, 'NOT'))) return false;
  if (orReplace) throw c.unexpected('OR REPLACE and IF NOT EXISTS are mutually exclusive');
  c.next();
  c.next();
  c.expectWord('EXISTS');
  return true;
}

/** `a`, `a.b` or `a.b.c`: each part upper-cased unless quoted. */
function qualifiedName(c: Cursor, what: string): string[] {
  const parts = [c.identifier(what)];
  while (c.punct('.')) {
    if (parts.length === 3) throw c.unexpected('a name has at most three parts (database.schema.name)');
    parts.push(c.identifier(what));
  }
  return parts;
}

/** `KEY = value` pairs up to the end of the statement (commas between them allowed). */
function properties(c: Cursor, allowed: Readonly<Record<string, PropertyKind>>): Properties {
  const out = new Map<string, PropertyValue>();
  for (;;) {
    c.punct(',');
    const at = c.peek();
    if (at.kind === 'end' || (at.kind === 'punct' && at.value === ';')) break;
    const key = c.expectWord(...Object.keys(allowed));
    if (out.has(key)) throw new SqlSyntaxError(at, `${key} is given twice`);
    c.expectPunct('=');
    out.set(key, value(c, key, allowed[key]!));
  }
  c.expectEnd();
  return out;
}

function value(c: Cursor, key: string, kind: PropertyKind): PropertyValue {
  const t = c.peek();
  switch (kind) {
    case 'string':
      return { kind: 'string', value: c.string(`a string literal for ${key}`), token: t };
    case 'word':
      if (t.kind === 'string' || t.kind === 'word') {
        c.next();
        return { kind: 'word', value: t.value.toUpperCase(), token: t };
      }
      throw c.unexpected(`expected a keyword or string for ${key}`);
    case 'boolean':
      return { kind: 'word', value: c.boolean() ? 'TRUE' : 'FALSE', token: t };
    case 'number':
      return { kind: 'number', value: c.integer(`a whole number for ${key}`), token: t };
    case 'name':
      return { kind: 'list', value: qualifiedName(c, `a name for ${key}`), token: t };
    case 'list': {
      c.expectPunct('(');
      const items: string[] = [];
      if (!c.punct(')')) {
        do {
          const item = c.peek();
          if (item.kind === 'string' || item.kind === 'word' || item.kind === 'quoted') {
            c.next();
            items.push(item.value);
          } else throw c.unexpected(`expected a list item for ${key}`);
        } while (c.punct(','));
        c.expectPunct(')');
      }
      return { kind: 'list', value: items, token: t };
    }
  }
}
