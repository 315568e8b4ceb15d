/**
 * The request verify sends for one recorded exchange, with what it shows and what the comparison needs.
 */
import type { CompareContext } from './compare.ts';
import type { SendRequest, Step } from './flow.ts';
import type { Adaptation } from './types.ts';

/** A prepared request. */
export interface Prepared {
  readonly request: SendRequest;
  readonly sent: string;
  readonly compare: CompareContext;
}

/**
 * The first hint of the step that sets `key`, noted as an adaptation when used.
 *
 * @example
 * const scope = hint(step, 'codeScope') // 'session:role:ANALYST' when the explained file says so
 */
export function hint<K extends 'host' | 'form' | 'codeScope' | 'accessToken'>(step: Step, key: K): Adaptation[K] | undefined {
  const h = step.hints.find((a) => a[key] !== undefined);
  if (!h) return undefined;
  note(step, h.id);
  return h[key];
}

/**
 * Notes an adaptation id on the step (once).
 *
 * @example
 * note(step, 'session-header')
 */
export function note(step: Step, id: string): void {
  if (!step.notes.includes(id)) step.notes.push(id);
}

/**
 * The recorded request's path and query.
 *
 * @example
 * splitUrl('/session?delete=true') // ['/session', 'delete=true']
 */
export function splitUrl(url: string): [string, string] {
  const i = url.indexOf('?');
  return i < 0 ? [url, ''] : [url.slice(0, i), url.slice(i + 1)];
}
