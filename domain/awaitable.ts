/**
 * A value now, or later. jose verifies and signs asynchronously (https://github.com/panva/jose),
 * so a request that needs a first-sight signature check or a signing answers with a promise;
 * every other request, cached JWTs included, stays synchronous: no promise, no microtask.
 */
export type Awaitable<T> = T | Promise<T>;

/**
 * Runs `next` on the value: at once when it is here, once it resolves when it is a promise.
 *
 * @example
 * andThen(verifier.verify(token, ctx), (outcome) => outcome.ok) // true, or a Promise of it
 */
export function andThen<T, U>(value: Awaitable<T>, next: (value: T) => Awaitable<U>): Awaitable<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
