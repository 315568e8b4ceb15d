/**
 * One way a client's request differs from a recorded one. Decisive differences stop a match;
 * the others are only reported (record/volatile.ts says which is which).
 */

/** The part of a request a difference is in; near misses are ranked by how many of these differ. */
export type Aspect = 'method' | 'path' | 'host' | 'query' | 'header' | 'body';

/**
 * A difference, e.g. `{ where: 'body.data.LOGIN_NAME', text: 'recorded "ALICE", got "BOB"' }`.
 *
 * @example
 * const d: Difference = { aspect: 'body', where: 'body.data.LOGIN_NAME', decisive: true, text: 'recorded "ALICE", got "BOB"' }
 */
export interface Difference {
  readonly aspect: Aspect;
  /** `method`, `path`, `host`, `query.delete`, `header content-type`, `body.data.LOGIN_NAME`, `body.data.TOKEN (JWT) claim sub`. */
  readonly where: string;
  readonly decisive: boolean;
  readonly text: string;
}

/**
 * The one-line form used in reports and error bodies.
 *
 * @example
 * differenceLine({ aspect: 'body', where: 'body.data.LOGIN_NAME', decisive: true, text: 'recorded "ALICE", got "BOB"' })
 * // 'body.data.LOGIN_NAME: recorded "ALICE", got "BOB"'
 */
export function differenceLine(d: Difference): string {
  return `${d.where}: ${d.text}`;
}
