/**
 * Which recorded requests a client request can match at all: those of its method and path (a
 * recorded path holding a placeholder is tried for every path of its method). Only these are
 * compared field by field; every recorded request is compared only to name near misses.
 */
import type { ClientRequest, PreparedRequest } from './match.ts';

/**
 * An index of prepared recorded requests by method and path.
 *
 * @example
 * const candidates = routeIndex(prepared)
 * candidates(client) // [0, 3]: indices in recorded order
 */
export function routeIndex(prepared: readonly PreparedRequest[]): (client: ClientRequest) => number[] {
  const exact = new Map<string, number[]>();
  const templated: number[] = [];
  prepared.forEach((p, i) => {
    if (p.path.includes('__redacted_')) return void templated.push(i);
    const key = `${p.method} ${p.path}`;
    const list = exact.get(key);
    if (list) list.push(i);
    else exact.set(key, [i]);
  });
  return (client) => {
    const hits = exact.get(`${client.method} ${client.path}`) ?? [];
    const more = templated.filter((i) => prepared[i]!.method === client.method);
    return more.length === 0 ? hits : [...hits, ...more].sort((a, b) => a - b);
  };
}
