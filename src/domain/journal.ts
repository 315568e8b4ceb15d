/**
 * The journal: every request the mock saw, the decision taken, and one line saying why.
 * A ring buffer, so a long-running `serve` keeps a bounded amount of memory.
 */

export type Decision = 'allowed' | 'rejected' | 'error';

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
}

export type JournalInput = Omit<JournalEntry, 'seq' | 'at'>;

/** The journal's public face. */
export interface Journal {
  /** All entries still held, oldest first. */
  entries(): JournalEntry[];
  /** The newest entry, if any. */
  last(): JournalEntry | undefined;
  /** Entries matching a predicate, oldest first. */
  filter(predicate: (entry: JournalEntry) => boolean): JournalEntry[];
  /** Number of entries held. */
  readonly size: number;
  /** Forgets every entry (sequence numbers keep counting). */
  clear(): void;
  /** Appends an entry; used by the transports. */
  record(entry: JournalInput, atMs: number): JournalEntry;
}

/**
 * Creates a journal holding at most `capacity` entries.
 *
 * @example
 * const journal = createJournal(1000)
 * journal.record({ method: 'GET', path: '/', decision: 'allowed', status: 200, explanation: 'ok' }, Date.now())
 */
export function createJournal(capacity = 10_000): Journal {
  const ring: JournalEntry[] = [];
  let start = 0; // index of the oldest entry once the ring is full
  let seq = 0;
  const ordered = (): JournalEntry[] => (start === 0 ? ring.slice() : [...ring.slice(start), ...ring.slice(0, start)]);
  return {
    entries: ordered,
    last: () => (ring.length === 0 ? undefined : ring[(start + ring.length - 1) % ring.length]),
    filter: (predicate) => ordered().filter(predicate),
    get size() {
      return ring.length;
    },
    clear() {
      ring.length = 0;
      start = 0;
    },
    record(input, atMs) {
      const entry: JournalEntry = { seq: ++seq, at: new Date(atMs).toISOString(), ...input };
      if (ring.length < capacity) ring.push(entry);
      else {
        ring[start] = entry;
        start = (start + 1) % capacity;
      }
      return entry;
    },
  };
}
