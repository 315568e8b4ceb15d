/**
 * The journal: every request the mock saw, the decision taken, and one line saying why.
 * A ring buffer, so a long-running `serve` keeps a bounded amount of memory.
 */
import { randomUUID } from 'node:crypto';
import { isoTime } from './clock.ts';
import { createInterner } from './intern.ts';
import { decodeSigningInput, jwtSigningInput, type IsPatSecret, type JournalJwt } from './journal-jwt.ts';

/** `fault`: an injected fault answered instead of the endpoint (domain/faults.ts). */
export type Decision = 'allowed' | 'rejected' | 'error' | 'fault';

/** One request as the journal records it. */
export interface JournalEntry {
  readonly seq: number;
  /** Mock-clock time, ISO 8601. */
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly account?: string;
  readonly clientIp?: string;
  /** `KEYPAIR_JWT`, `OAUTH`, `PROGRAMMATIC_ACCESS_TOKEN`, … when a credential was presented. */
  readonly authMethod?: string;
  readonly user?: string;
  readonly role?: string;
  readonly decision: Decision;
  readonly status: number;
  /** Snowflake code on the wire, when there is one. */
  readonly code?: string;
  /** The finer reason (e.g. `394302`, `PAT_EXPIRED`) when it differs from `code`. */
  readonly cause?: string;
  /** Reference section of the deciding rule. */
  readonly rule?: string;
  /** One line naming the rule and the object that decided. */
  readonly explanation: string;
  /**
   * The decoded header and claims of the JWT the request carried (key-pair, OAuth or External
   * OAuth JWT, bearer or login token); never its signature, never a PAT (domain/journal-jwt.ts).
   */
  readonly jwt?: JournalJwt;
}

/** The request fields the journal reads (a subset of the transport record). */
export interface JournalRequest {
  readonly method: string;
  readonly path: string;
  readonly clientIp: string;
  /** Looked at only for a JWT (Authorization, X-Snowflake-Authorization-Token-Type); not kept. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** Looked at only for a login's JWT `data.TOKEN`; not kept. */
  readonly body?: string;
}

/** What was decided, as the endpoint reported it. */
export interface JournalOutcome {
  readonly response: { readonly status: number };
  readonly decision: Decision;
  readonly explanation: string;
  readonly code?: string | undefined;
  readonly cause?: string | undefined;
  readonly rule?: string | undefined;
  readonly authMethod?: string | undefined;
  readonly user?: string | undefined;
  readonly role?: string | undefined;
}

/** The journal's public face. */
export interface Journal {
  /** All entries still held, oldest first. */
  entries(): JournalEntry[];
  /** The newest entry, if any. */
  last(): JournalEntry | undefined;
  /** Entries matching a predicate, oldest first. */
  filter(predicate: (entry: JournalEntry) => boolean): JournalEntry[];
  /** Entries with a sequence number above `seq`, oldest first (a reader's cursor: the inspector polls with it). */
  since(seq: number): JournalEntry[];
  /** The newest sequence number given so far (0 before any); it keeps counting across `clear()`. */
  readonly lastSeq: number;
  /** The oldest sequence number still held, or `lastSeq + 1` when empty: everything below it is gone. */
  readonly firstSeq: number;
  /** Number of entries held. */
  readonly size: number;
  /**
   * A random id of this journal, new with every journal (every core, every process). Sequence
   * numbers start at 1 again in a new one, so a reader holding a cursor of another instance must
   * start over: a restarted mock may already have passed the old cursor (the inspector checks it).
   */
  readonly instance: string;
  /** Forgets every entry (sequence numbers keep counting). */
  clear(): void;
  /** Appends a request and its outcome; used by the transports. */
  record(request: JournalRequest, account: string | undefined, outcome: JournalOutcome, atMs: number): void;
}

/** Options of {@link createJournal}. */
export interface JournalOptions {
  /**
   * Tells a PAT secret of the world from a JWT: a JWT-shaped PAT sent with a JWT token type or
   * login authenticator is refused, and must still never be decoded (the core passes its PAT index).
   */
  readonly isPatSecret?: IsPatSecret;
}

/**
 * Creates a journal holding at most `capacity` entries.
 *
 * @example
 * const journal = createJournal(1000, { isPatSecret: (token) => core.stores.pats.lookup(token) !== undefined })
 * journal.record({ method: 'GET', path: '/', clientIp: '127.0.0.1' }, 'MYORG-MYACCOUNT', { response: { status: 200 }, decision: 'allowed', explanation: 'ok' }, Date.now())
 */
export function createJournal(capacity = 10_000, options: JournalOptions = {}): Journal {
  // The full ring overwrites its oldest record: it needs at least one slot.
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`journalCapacity must be a whole number of entries, at least 1 (got ${String(capacity)})`);
  // Kept as recorded (no copying on the hot path); the public entry is built only when read.
  const ring: Stored[] = [];
  let start = 0; // index of the oldest entry once the ring is full
  let seq = 0;
  // One interner per field, so each one's last text is the one that comes back next.
  const internPath = createInterner(), internIp = createInterner(), internExplanation = createInterner();
  const jwtOf = createJwtKeeper(options.isPatSecret);
  const instance = randomUUID();
  const ordered = (): JournalEntry[] => (start === 0 ? ring : [...ring.slice(start), ...ring.slice(0, start)]).map(toEntry);
  return {
    entries: ordered,
    last: () => (ring.length === 0 ? undefined : toEntry(ring[(start + ring.length - 1) % ring.length]!)),
    filter: (predicate) => ordered().filter(predicate),
    since(after) {
      // Newest first from the end of the ring: a poller asks for a few new entries out of thousands.
      const found: JournalEntry[] = [];
      for (let i = ring.length - 1; i >= 0; i--) {
        const stored = ring[(start + i) % ring.length]!;
        if (stored.seq <= after) break;
        found.push(toEntry(stored));
      }
      return found.reverse();
    },
    get lastSeq() {
      return seq;
    },
    get firstSeq() {
      return ring.length === 0 ? seq + 1 : ring[start]!.seq;
    },
    get size() {
      return ring.length;
    },
    instance,
    clear() {
      ring.length = 0;
      start = 0;
    },
    record(request, account, o, atMs) {
      // Not holding the response (its body would be kept alive too), and repeated texts are shared.
      // Once the ring is full its oldest record is overwritten in place: a kept entry then costs no
      // allocation at all, where a new object per request lived ~capacity requests, was promoted to
      // the old generation and died there (half the GC time of a SELECT 1 under load, issue #14).
      // Safe because a record never leaves the journal: readers get copies (toEntry).
      const path = internPath(request.path), clientIp = internIp(request.clientIp), explanation = internExplanation(o.explanation), jwt = jwtOf(request, o.authMethod);
      if (ring.length < capacity) {
        ring.push({
          seq: ++seq, atMs, method: request.method, path, clientIp, account, status: o.response.status,
          decision: o.decision, explanation, code: o.code, cause: o.cause, rule: o.rule, authMethod: o.authMethod, user: o.user, role: o.role, jwt,
        });
        return;
      }
      const s = ring[start]!;
      start = (start + 1) % capacity;
      s.seq = ++seq; s.atMs = atMs; s.method = request.method; s.path = path; s.clientIp = clientIp; s.account = account; s.status = o.response.status;
      s.decision = o.decision; s.explanation = explanation; s.code = o.code; s.cause = o.cause; s.rule = o.rule; s.authMethod = o.authMethod; s.user = o.user; s.role = o.role; s.jwt = jwt;
    },
  };
}

/** A held record; mutable because a full ring overwrites its oldest record in place (see `record`). */
type Stored = { -readonly [K in keyof Omit<JournalOutcome, 'response'>]: JournalOutcome[K] } & {
  seq: number;
  atMs: number;
  method: string;
  path: string;
  clientIp: string;
  account: string | undefined;
  status: number;
  /** The JWT's header and claims, decoded when recorded (frozen, shared by the entries that carried it). */
  jwt: JournalJwt | undefined;
};

/** Distinct JWTs whose decoding is remembered; past it the memory starts over (as the interner's does). */
const DECODED_LIMIT = 1024;

/**
 * The JWT a request carried, decoded once when it is recorded: a read of thousands of entries then
 * copies nothing and decodes nothing (decoding on read cost ~100 ms for 10 000 JWT entries). A
 * client reuses its JWT, so a JWT seen before costs one map lookup; most requests carry none and
 * pay one header lookup.
 */
function createJwtKeeper(isPatSecret: IsPatSecret | undefined): (request: JournalRequest, authMethod: string | undefined) => JournalJwt | undefined {
  let decoded = new Map<string, JournalJwt>();
  return (request, authMethod) => {
    if (request.headers === undefined) return undefined;
    const input = jwtSigningInput(request, authMethod, isPatSecret);
    if (input === undefined) return undefined;
    let jwt = decoded.get(input);
    if (jwt === undefined) {
      if (decoded.size >= DECODED_LIMIT) decoded = new Map();
      jwt = decodeSigningInput(input);
      decoded.set(input, jwt);
    }
    return jwt;
  };
}

/** Built field by field in one order (no delete): reads of the whole ring stay cheap. */
function toEntry(s: Stored): JournalEntry {
  const entry: Record<string, unknown> = { seq: s.seq, at: isoTime(s.atMs), method: s.method, path: s.path };
  if (s.account !== undefined) entry.account = s.account;
  entry.clientIp = s.clientIp;
  if (s.authMethod !== undefined) entry.authMethod = s.authMethod;
  if (s.user !== undefined) entry.user = s.user;
  if (s.role !== undefined) entry.role = s.role;
  entry.decision = s.decision;
  entry.status = s.status;
  if (s.code !== undefined) entry.code = s.code;
  if (s.cause !== undefined) entry.cause = s.cause;
  if (s.rule !== undefined) entry.rule = s.rule;
  entry.explanation = s.explanation;
  if (s.jwt !== undefined) entry.jwt = s.jwt;
  return entry as unknown as JournalEntry;
}
