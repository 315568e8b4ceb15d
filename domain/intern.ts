/**
 * String interning for long-lived records (journal entries, stored statements). Under load most
 * texts repeat; keeping one shared copy means a retained record adds one small object to the old
 * generation instead of a fresh string each time, which is what the garbage collector pays for.
 */

/**
 * Creates an interner: equal strings come back as the same instance. Bounded; starts over when full.
 *
 * @example
 * const intern = createInterner()
 * intern('SELECT 1') === intern(JSON.parse('"SELECT 1"')) // true
 */
export function createInterner(limit = 4096): (text: string) => string {
  let known = new Map<string, string>();
  // Under load the same text comes back request after request: comparing it with the last one costs
  // less than the lookup, which must flatten and hash every fresh string first.
  let last: string | undefined;
  return (text) => {
    if (text === last) return last;
    let hit = known.get(text);
    if (hit === undefined) {
      if (known.size >= limit) known = new Map();
      known.set(text, text);
      hit = text;
    }
    return (last = hit);
  };
}
