/**
 * The shared bounded map (issue #14): eviction order, re-insert, delete then insert, capacity 1,
 * a full map that keeps working, and its cost per insert counted in steps (never timed).
 */
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../domain/bounded-map.ts';

const filled = (capacity: number, count: number, onEvict?: (k: string, v: number) => void) => {
  const m = new BoundedMap<string, number>(capacity, onEvict);
  for (let i = 0; i < count; i++) m.set(`k${i}`, i);
  return m;
};

describe('BoundedMap', () => {
  it('evicts the oldest entry first, and tells the store which', () => {
    const evicted: string[] = [];
    const m = filled(3, 6, (k) => evicted.push(k));
    expect(evicted).toEqual(['k0', 'k1', 'k2']);
    expect([...m.keys()]).toEqual(['k3', 'k4', 'k5']);
    expect(m.size).toBe(3);
  });

  it('re-inserting a held key replaces its value, makes it the newest and evicts nothing', () => {
    const evicted: string[] = [];
    const m = filled(3, 3, (k) => evicted.push(k));
    m.set('k0', 100);
    expect(evicted).toEqual([]);
    expect(m.get('k0')).toBe(100);
    expect([...m.entries()]).toEqual([['k1', 1], ['k2', 2], ['k0', 100]]);
    m.set('k3', 3); // the stale queue pair of k0 must not evict the re-inserted k0
    expect(evicted).toEqual(['k1']);
    m.set('k4', 4);
    m.set('k5', 5);
    expect(evicted).toEqual(['k1', 'k2', 'k0']);
    expect([...m.keys()]).toEqual(['k3', 'k4', 'k5']);
  });

  it('a deleted key is skipped by eviction, and inserted again it counts as new', () => {
    const evicted: string[] = [];
    const m = filled(3, 3, (k) => evicted.push(k));
    expect(m.delete('k0')).toBe(true);
    expect(m.delete('k0')).toBe(false);
    m.set('k0', 10); // not full: nothing goes
    expect(evicted).toEqual([]);
    m.set('k3', 3);
    expect(evicted).toEqual(['k1']); // the old k0 pair is stale; k1 is the oldest live entry
    m.set('k4', 4);
    m.set('k5', 5);
    expect(evicted).toEqual(['k1', 'k2', 'k0']);
    expect(m.has('k0')).toBe(false);
  });

  it('capacity 1 keeps the last key set', () => {
    const m = new BoundedMap<string, number>(1);
    m.set('a', 1);
    m.set('a', 2);
    expect([...m]).toEqual([['a', 2]]);
    m.set('b', 3);
    expect([...m]).toEqual([['b', 3]]);
    m.delete('b');
    m.set('c', 4);
    expect([...m]).toEqual([['c', 4]]);
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });

  it('a filled map keeps working through many evictions, deletes and re-inserts', () => {
    const cap = 100;
    const m = new BoundedMap<number, number>(cap);
    const model: number[] = []; // keys, oldest first: what the map must hold
    const touch = (k: number) => {
      const at = model.indexOf(k);
      if (at >= 0) model.splice(at, 1);
      else if (model.length >= cap) model.shift();
      model.push(k);
      m.set(k, k * 2);
    };
    for (let i = 0; i < 20_000; i++) {
      const k = (i * 7919) % 350;
      if (i % 5 === 0) {
        const at = model.indexOf(k);
        if (at >= 0) model.splice(at, 1);
        expect(m.delete(k)).toBe(at >= 0);
      } else touch(k);
    }
    expect([...m.keys()]).toEqual(model);
    expect([...m.values()]).toEqual(model.map((k) => k * 2));
    m.clear();
    expect(m.size).toBe(0);
    touch(1);
    expect(m.get(1)).toBe(2);
  });

  it('sweep looks at a bounded slice per call, round-robin, and drops what it is told', () => {
    const m = filled(10, 10);
    let looked = 0;
    const odd = (v: number) => (looked++, v % 2 === 1);
    expect(m.sweep(4, odd)).toBe(2); // k0..k3
    expect(looked).toBe(4);
    expect(m.sweep(4, odd)).toBe(2); // k4..k7
    expect(m.sweep(100, odd)).toBe(1); // k8, k9, then one lap at most (8 entries held at the start)
    expect([...m.values()]).toEqual([0, 2, 4, 6, 8]);
    expect(m.sweep(100, () => true, 2)).toBe(2); // maxDrops
    expect(m.size).toBe(3);
    for (let i = 0; i < 1000; i++) {
      m.set('x', i);
      m.delete('x');
    }
    expect(m.queueLength).toBeLessThanOrEqual(2 * (2 * m.size + 32)); // deletes alone compact the queue
    // Swept entries leave stale queue pairs: eviction still takes the oldest live entry.
    for (let i = 10; i < 17; i++) m.set(`k${i}`, i);
    expect(m.size).toBe(10);
  });

  it('costs a bounded number of steps per insert at capacity, whatever was deleted (no timing)', () => {
    const cap = 50_000;
    const m = filled(cap, cap);
    // Delete a third of the entries and re-insert others: stale pairs pile up in the queue.
    for (let i = 0; i < cap; i += 3) m.delete(`k${i}`);
    for (let i = 1; i < cap; i += 3) m.set(`k${i}`, -i);
    const before = m.steps;
    const inserts = 4 * cap;
    let worst = 0;
    for (let i = 0; i < inserts; i++) {
      const s = m.steps;
      m.set(`n${i}`, i);
      worst = Math.max(worst, m.steps - s);
    }
    expect(m.size).toBe(cap);
    // The queue's memory stays within a constant factor of the entries held.
    expect(m.queueLength).toBeLessThanOrEqual(2 * (2 * cap + 32));
    // Amortised: every queue pair is popped or copied a constant number of times.
    expect((m.steps - before) / inserts).toBeLessThanOrEqual(4);
    // And an eviction never walked the whole map (the old cost: up to `cap` slots per insert).
    expect(worst).toBeLessThan(2 * cap + 64);
  });
});
