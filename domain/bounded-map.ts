/**
 * The one bounded map every store of the mock uses (issue #14). A `Map` keeps insertion order, but
 * finding its oldest entry with `map.keys().next()` walks every deleted slot at the table's start:
 * with a store full and evicting, that was ~66 µs per insert at 200 000 entries against 0.4 µs for a
 * plain insert. Here the order lives in a queue of (key, stamp) pairs beside the map instead, and
 * stale pairs (a key deleted, or re-inserted later with a newer stamp) are skipped when they reach
 * the head (lazy deletion) and dropped in bulk when they outnumber the live ones, so insert, evict
 * and delete are O(1) amortised.
 */

/** One held value and the stamp of the insertion that put it there (matches its live queue pair). */
interface Slot<V> {
  value: V;
  stamp: number;
}

/**
 * A map holding at most `capacity` entries; setting a new key when full evicts the oldest entry.
 * Setting an existing key replaces its value and makes it the newest entry (as `delete` then `set`
 * would), so "oldest" always means "least recently set". Iteration is oldest first.
 *
 * @example
 * const m = new BoundedMap<string, number>(2, (key) => console.log('evicted', key))
 * m.set('a', 1); m.set('b', 2); m.set('c', 3) // logs "evicted a"
 * [...m.keys()] // ['b', 'c']
 */
export class BoundedMap<K, V> implements Iterable<[K, V]> {
  readonly capacity: number;
  readonly #onEvict: ((key: K, value: V) => void) | undefined;
  readonly #map = new Map<K, Slot<V>>();
  // The insertion-order queue as two parallel arrays read from `#head`: no object per pair.
  #keys: K[] = [];
  #stamps: number[] = [];
  #head = 0;
  #stamp = 0;
  #cursor: Iterator<[K, Slot<V>]> | undefined;
  /**
   * Test hook (issue #14): queue pairs examined or moved so far by evictions and compactions. The
   * unit test asserts it grows by a bounded amount per insert, which is the O(1) claim without timing.
   */
  steps = 0;

  /**
   * @param capacity the most entries held (at least 1).
   * @param onEvict called with each entry evicted for room (not for `delete`, `clear` or `sweep`),
   * so a store can forget the indexes it keeps beside the map.
   * @example
   * new BoundedMap<string, Session>(100_000, (_, s) => forgetTokensOf(s))
   */
  constructor(capacity: number, onEvict?: (key: K, value: V) => void) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
    this.capacity = capacity;
    this.#onEvict = onEvict;
  }

  /**
   * Entries held.
   *
   * @example
   * new BoundedMap(10).size // 0
   */
  get size(): number {
    return this.#map.size;
  }

  /**
   * Test hook (issue #14): queue pairs held, consumed and stale ones included. Compaction keeps it
   * within a constant factor of {@link BoundedMap.size}, so the queue's memory is bounded too.
   *
   * @example
   * m.queueLength <= 2 * (2 * m.size + 32) // always
   */
  get queueLength(): number {
    return this.#keys.length;
  }

  /**
   * The value of `key`, if held.
   *
   * @example
   * m.get('a') // 1
   */
  get(key: K): V | undefined {
    return this.#map.get(key)?.value;
  }

  /**
   * Whether `key` is held.
   *
   * @example
   * m.has('a') // true
   */
  has(key: K): boolean {
    return this.#map.has(key);
  }

  /**
   * Sets `key` as the newest entry; when the map is full and `key` is new, the oldest entry goes first.
   *
   * @example
   * m.set('token', record)
   */
  set(key: K, value: V): this {
    const stamp = ++this.#stamp;
    const held = this.#map.get(key);
    if (held) {
      // Re-insert: the old queue pair goes stale (its stamp no longer matches); the key moves to the
      // map's end too, so the map's own iteration order stays the queue's order.
      this.#map.delete(key);
      held.value = value;
      held.stamp = stamp;
      this.#map.set(key, held);
    } else {
      if (this.#map.size >= this.capacity) this.#evictOldest();
      this.#map.set(key, { value, stamp });
    }
    this.#keys.push(key);
    this.#stamps.push(stamp);
    this.#compact();
    return this;
  }

  /**
   * Forgets `key`; its queue pair is skipped later. True when it was held.
   *
   * @example
   * m.delete('token') // true
   */
  delete(key: K): boolean {
    if (!this.#map.delete(key)) return false;
    this.#compact();
    return true;
  }

  /**
   * Forgets everything.
   *
   * @example
   * m.clear(); m.size // 0
   */
  clear(): void {
    this.#map.clear();
    this.#keys = [];
    this.#stamps = [];
    this.#head = 0;
    this.#cursor = undefined;
  }

  /**
   * Looks at up to `look` entries, round-robin across calls (a live cursor that survives inserts and
   * deletes), deleting those `drop` accepts, and stops after `maxDrops` deletions. A store's sweep of
   * expired entries costs a bounded slice per call this way, never a walk of the whole map.
   *
   * @example
   * tokens.sweep(16, (t) => now - t.expiresAt > GRACE_MS) // how many went
   */
  sweep(look: number, drop: (value: V, key: K) => boolean, maxDrops = Infinity): number {
    let dropped = 0;
    let wrapped = false;
    for (let seen = Math.min(look, this.#map.size); seen > 0 && dropped < maxDrops; seen--) {
      let step = this.#cursor?.next();
      if (!step || step.done) {
        // One lap at most per call: a cursor that ends twice means the map emptied under us.
        if (wrapped) break;
        wrapped = true;
        step = (this.#cursor = this.#map.entries()).next();
        if (step.done) break;
      }
      const [key, slot] = step.value;
      if (drop(slot.value, key) && this.#map.delete(key)) dropped++;
    }
    if (dropped > 0) this.#compact();
    return dropped;
  }

  /**
   * Keys, oldest first.
   *
   * @example
   * [...m.keys()] // ['b', 'c']
   */
  keys(): IterableIterator<K> {
    return this.#map.keys();
  }

  /**
   * Values, oldest first.
   *
   * @example
   * for (const t of tokens.values()) t.revoked = true
   */
  *values(): IterableIterator<V> {
    for (const slot of this.#map.values()) yield slot.value;
  }

  /**
   * Entries, oldest first.
   *
   * @example
   * for (const [key, t] of tokens.entries()) if (t.user === 'ALICE') tokens.delete(key)
   */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, slot] of this.#map) yield [key, slot.value];
  }

  /**
   * Same as {@link BoundedMap.entries}.
   *
   * @example
   * for (const [key, value] of m) console.log(key, value)
   */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Pops queue pairs until one is live, and evicts that entry: the least recently set. */
  #evictOldest(): void {
    while (this.#head < this.#keys.length) {
      const key = this.#keys[this.#head]!;
      const stamp = this.#stamps[this.#head]!;
      this.#head++;
      this.steps++;
      const held = this.#map.get(key);
      if (held?.stamp !== stamp) continue; // deleted, or re-inserted later: a stale pair
      this.#map.delete(key);
      this.#onEvict?.(key, held.value);
      return;
    }
  }

  /**
   * Keeps the queue within a constant factor of the live entries: drops the consumed prefix once it
   * is half the array, and rewrites the queue without stale pairs once they are more than the live
   * ones. Each rewrite moves O(size) pairs after at least O(size) operations made them stale or
   * consumed, so the amortised cost per operation is O(1).
   */
  #compact(): void {
    const pending = this.#keys.length - this.#head;
    if (pending > 2 * this.#map.size + 32) {
      const keys: K[] = [];
      const stamps: number[] = [];
      for (let i = this.#head; i < this.#keys.length; i++) {
        this.steps++;
        const key = this.#keys[i]!;
        if (this.#map.get(key)?.stamp === this.#stamps[i]) {
          keys.push(key);
          stamps.push(this.#stamps[i]!);
        }
      }
      this.#keys = keys;
      this.#stamps = stamps;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#keys.length) {
      this.steps += pending;
      this.#keys = this.#keys.slice(this.#head);
      this.#stamps = this.#stamps.slice(this.#head);
      this.#head = 0;
    }
  }
}
