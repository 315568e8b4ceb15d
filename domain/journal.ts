/**
 * The journal: every request the mock saw, the decision taken, and one line saying why.
 * A ring buffer, so a long-running `serve` keeps a bounded amount of memory.
 */
import { isoTime } from './clock.ts';
import { createInterner } from './intern.ts';
import { decodeSigningInput, jwtSigningInput, type JournalJwt } from './journal-jwt.ts';

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
  /** Forgets every entry (sequence numbers keep counting). */
  clear(): void;
  /** Appends a request and its outcome; used by the transports. */
  record(request: JournalRequest, account: string | undefined, outcome: JournalOutcome, atMs: number): void;
}

/**
 * Creates a journal holding at most `capacity` entries.
 *
 * @example
 * const journal = createJournal(1000)
 * journal.record({ method: 'GET', path: '/', clientIp: '127.0.0.1' }, 'MYORG-MYACCOUNT', { response: { status: 200 }, decision: 'allowed', explanation: 'ok' }, Date.now())
 */
export function createJournal(capacity = 10_000): Journal {
  // Kept as recorded (no copying on the hot path); the public entry is built only when read.
  const ring: Stored[] = [];
  let start = 0; // index of the oldest entry once the ring is full
  let seq = 0;
  const intern = createInterner();
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
    clear() {
      ring.length = 0;
      start = 0;
    },
    record(request, account, o, atMs) {
      // One fixed-shape object per request, not holding the response (its body would be kept alive too).
      // Repeated texts are shared, so under load a kept entry adds one small object to the old generation.
      const stored: Stored = {
        seq: ++seq, atMs, method: request.method, path: intern(request.path), clientIp: intern(request.clientIp), account, status: o.response.status,
        decision: o.decision, explanation: intern(o.explanation), code: o.code, cause: o.cause, rule: o.rule, authMethod: o.authMethod, user: o.user, role: o.role,
        jwt: jwtOf(request, o.authMethod, intern),
      };
      if (ring.length < capacity) ring.push(stored);
      else {
        ring[start] = stored;
        start = (start + 1) % capacity;
      }
    },
  };
}

interface Stored extends Omit<JournalOutcome, 'response'> {
  readonly seq: number;
  readonly atMs: number;
  readonly method: string;
  readonly path: string;
  readonly clientIp: string;
  readonly account: string | undefined;
  readonly status: number;
  /** The JWT's signing input (no signature), decoded only when read. */
  readonly jwt: string | undefined;
}

/** A reused JWT is kept once (interned); most requests carry none and pay one header lookup. */
function jwtOf(request: JournalRequest, authMethod: string | undefined, intern: (text: string) => string): string | undefined {
  if (request.headers === undefined) return undefined;
  const input = jwtSigningInput(request, authMethod);
  return input === undefined ? undefined : intern(input);
}

function toEntry(s: Stored): JournalEntry {
  const entry: Record<string, unknown> = {
    seq: s.seq, at: isoTime(s.atMs), method: s.method, path: s.path, account: s.account, clientIp: s.clientIp,
    authMethod: s.authMethod, user: s.user, role: s.role, decision: s.decision, status: s.status,
    code: s.code, cause: s.cause, rule: s.rule, explanation: s.explanation,
    jwt: s.jwt === undefined ? undefined : decodeSigningInput(s.jwt),
  };
  for (const key of Object.keys(entry)) if (entry[key] === undefined) delete entry[key];
  return entry as unknown as JournalEntry;
}
