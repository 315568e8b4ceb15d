/**
 * Driver sessions (recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/login_request_ok.json, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/constants/gs_errors.ts): what a successful `POST /session/v1/login-request` opens. A
 * session has an opaque session token (sent back as `Authorization: Snowflake Token="…"`, valid
 * 1 h by default) and a master token (valid 4 h) that renews the session token through
 * `POST /session/token-request`. All times are mock-clock epoch ms; nothing here reads real time.
 *
 * Bounded like every store of the mock: past `capacity` live sessions the oldest is dropped, and
 * sessions whose master token expired long ago are swept in small slices.
 */
import { BoundedMap } from '../bounded-map.ts';
import type { Ids } from '../ids.ts';
import type { SessionAuth } from '../auth/context.ts';
import type { ContextChange } from '../sql/context-commands.ts';

/** Where the session runs: the login's `roleName`/`warehouse`/`databaseName`/`schemaName` after checks. */
export interface SessionNamespace {
  readonly role: string;
  readonly warehouse: string | null;
  readonly database: string | null;
  readonly schema: string | null;
  /**
   * The credential fixes the session role (a role-restricted PAT, a Snowflake OAuth token, an
   * External OAuth token with one `session:role:` scope): `USE ROLE` may name no other role
   * (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token,
   * https://docs.snowflake.com/en/user-guide/oauth-custom). Absent = false.
   */
  readonly roleLocked?: boolean;
  /** External OAuth under an any-role mode: the only roles `USE ROLE` may pick (decisions/0009, 0015; inferred). */
  readonly selectableRoles?: ReadonlySet<string>;
}

/**
 * One driver session. Mutable fields change on renewal and close, and — the namespace and the
 * parameters — when a statement moves the session ({@link applyContext}).
 */
export interface Session extends SessionNamespace {
  role: string;
  warehouse: string | null;
  database: string | null;
  schema: string | null;
  /** ALTER SESSION SET parameters, by upper-case name, as written (their effects are not modelled). */
  readonly parameters: Map<string, string>;
  /** Numeric session id, as drivers print it. */
  readonly id: number;
  readonly account: string;
  /** User NAME. */
  readonly user: string;
  readonly auth: SessionAuth;
  /** Current session token and its expiry. */
  token: string;
  tokenExpiresAt: number;
  readonly masterToken: string;
  readonly masterExpiresAt: number;
  /** Session tokens replaced by renewal (a late request with one is told the session token is invalid). */
  readonly previousTokens: string[];
  /** Set by `POST /session?delete=true`. */
  closedAt?: number;
  /** Renewals so far (for the journal). */
  renewals: number;
}

/** What a login decided; the store adds the tokens. */
export interface SessionSpec extends SessionNamespace {
  readonly account: string;
  readonly user: string;
  readonly auth: SessionAuth;
  /** Seconds. */
  readonly validity: number;
  readonly masterValidity: number;
}

/** A token looked up: the session it belongs to and whether it is the current one. */
export interface TokenHit {
  readonly session: Session;
  readonly current: boolean;
}

/** The session store's face. */
export interface SessionStore {
  open(spec: SessionSpec, now: number): Session;
  /** By session token (current or replaced). */
  bySessionToken(token: string): TokenHit | undefined;
  byMasterToken(token: string): Session | undefined;
  /** New session token; the old one stops working at once. */
  renew(session: Session, now: number, validitySeconds: number): void;
  close(session: Session, now: number): void;
  sweep(now: number, budget: number): void;
  readonly size: number;
}

/** Sessions kept at most; the oldest goes first. */
export const MAX_SESSIONS = 100_000;

/** A closed or dead session is remembered this long so late requests get 390111, not 390104. */
const TOMBSTONE_MS = 3_600_000;

/**
 * Creates an empty session store; `generation` goes into every token, so stores made after a
 * reset with the same seed never reissue an earlier store's tokens.
 *
 * @example
 * const sessions = createSessionStore(ids)
 * const s = sessions.open({ account: 'MYORG-MYACCOUNT', user: 'ALICE', auth: 'PASSWORD', role: 'ANALYST', warehouse: null, database: null, schema: null, validity: 3600, masterValidity: 14400 }, clock.now())
 * sessions.bySessionToken(s.token)?.current // true
 */
export function createSessionStore(ids: Ids, capacity = MAX_SESSIONS, generation = 0): SessionStore {
  // The generation (the core's reset count) keeps a seeded mock from handing a pre-reset token out again.
  const tokenPrefix = `ver:1-hint:${generation}-`;
  const tokens = new Map<string, Session>();
  const masters = new Map<string, Session>();
  const forgetTokens = (s: Session): void => {
    tokens.delete(s.token);
    for (const t of s.previousTokens) tokens.delete(t);
    masters.delete(s.masterToken);
  };
  // Full, the oldest session goes in O(1) (issue #14), and its tokens with it.
  const byId = new BoundedMap<number, Session>(capacity, (_, s) => forgetTokens(s));
  let nextId = 1_172_562_260_000 + Number.parseInt(ids.incidentNumber().slice(-4), 10);

  return {
    open(spec, now) {
      const session: Session = {
        id: nextId++,
        account: spec.account,
        user: spec.user,
        auth: spec.auth,
        role: spec.role,
        warehouse: spec.warehouse,
        database: spec.database,
        schema: spec.schema,
        ...(spec.roleLocked === true && { roleLocked: true }),
        ...(spec.selectableRoles !== undefined && { selectableRoles: spec.selectableRoles }),
        parameters: new Map(),
        token: ids.token(tokenPrefix, 48),
        // Inferred: a session token never outlives its master token.
        tokenExpiresAt: now + Math.min(spec.validity, spec.masterValidity) * 1000,
        masterToken: ids.token(`${tokenPrefix}m-`, 48),
        masterExpiresAt: now + spec.masterValidity * 1000,
        previousTokens: [],
        renewals: 0,
      };
      byId.set(session.id, session);
      tokens.set(session.token, session);
      masters.set(session.masterToken, session);
      return session;
    },
    bySessionToken(token) {
      const session = tokens.get(token);
      return session ? { session, current: session.token === token } : undefined;
    },
    byMasterToken: (token) => masters.get(token),
    renew(session, now, validitySeconds) {
      // Remember only the last few replaced tokens: a driver resends with the new one at once.
      session.previousTokens.push(session.token);
      if (session.previousTokens.length > 4) tokens.delete(session.previousTokens.shift()!);
      session.token = ids.token(tokenPrefix, 48);
      // Inferred: a session token never outlives the master token that renewed it.
      session.tokenExpiresAt = Math.min(now + validitySeconds * 1000, session.masterExpiresAt);
      session.renewals++;
      tokens.set(session.token, session);
    },
    close(session, now) {
      session.closedAt = now;
    },
    sweep(now, budget) {
      // `budget` sessions looked at per call, round-robin, so a sweep on the hot path stays O(1).
      byId.sweep(budget, (s) => {
        const dead = now - Math.min(s.masterExpiresAt, s.closedAt ?? Infinity) > TOMBSTONE_MS;
        if (dead) forgetTokens(s);
        return dead;
      });
    },
    get size() {
      return byId.size;
    },
  };
}

/**
 * Parameters a session keeps at most (ALTER SESSION SET of ever new names cannot grow it without bound).
 *
 * @example
 * session.parameters.size <= MAX_SESSION_PARAMETERS // always
 */
export const MAX_SESSION_PARAMETERS = 200;

/**
 * Longest ALTER SESSION SET value a session keeps, in characters (a mock bound, 4 KiB; longer
 * values are refused by the statement with the mock's 999003, and never stored here).
 *
 * @example
 * [...session.parameters.values()].every((v) => v.length <= MAX_SESSION_PARAMETER_VALUE) // always
 */
export const MAX_SESSION_PARAMETER_VALUE = 4096;

/**
 * Applies what a statement changed (USE, CREATE DATABASE/SCHEMA, ALTER SESSION) to a driver
 * session: it keeps it for the statements that follow and reports it in `finalRoleName`,
 * `finalWarehouseName`, `finalDatabaseName`, `finalSchemaName`.
 *
 * @example
 * applyContext(session, { database: 'PROVIDER_DB', schema: 'PUBLIC' }); session.database // 'PROVIDER_DB'
 */
export function applyContext(session: Session, change: ContextChange): void {
  if (change.role !== undefined) session.role = change.role;
  if (change.warehouse !== undefined) session.warehouse = change.warehouse;
  if (change.database !== undefined) session.database = change.database;
  if (change.schema !== undefined) session.schema = change.schema;
  for (const name of change.parameters?.unset ?? []) session.parameters.delete(name);
  for (const [name, value] of change.parameters?.set ?? []) {
    if (value.length > MAX_SESSION_PARAMETER_VALUE) continue;
    if (!session.parameters.has(name) && session.parameters.size >= MAX_SESSION_PARAMETERS) continue;
    session.parameters.set(name, value);
  }
}
