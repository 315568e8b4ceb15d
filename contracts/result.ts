/**
 * What a scenario run produces, the input of every reporter (pretty, json, junit, markdown).
 */

export type Status = 'passed' | 'failed' | 'skipped';

/** One difference between what a step expected and what came back. */
export interface Mismatch {
  /** Where: `status`, `code`, `error`, `json $.data[0][0]`, `header content-type`, `journal cause`, `body`. */
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
  /** One line, e.g. `expected 401, got 200`. */
  readonly message: string;
}

export type StepKind = 'request' | 'advance' | 'client_ip' | 'world' | 'sign_jwt';

export interface StepResult {
  readonly index: number;
  readonly kind: StepKind;
  /** The step's name, or one derived from it (`POST /api/v2/statements`, `advance 16d`). */
  readonly name: string;
  readonly status: Status;
  readonly durationMs: number;
  /** Request steps: what was sent (secrets in headers redacted). */
  readonly request?: { readonly method: string; readonly url: string; readonly account?: string };
  /** Request steps: what came back. */
  readonly response?: { readonly status: number; readonly code?: string; readonly error?: string; readonly body?: string };
  readonly mismatches: readonly Mismatch[];
  /** Why the step was skipped (e.g. "needs control API") or why it errored. */
  readonly note?: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly file?: string;
  readonly tags: readonly string[];
  readonly target: string;
  readonly status: Status;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  /** A problem that stopped the scenario (bad template, target down), not a mismatch. */
  readonly error?: string;
}

export interface RunResult {
  readonly target: string;
  readonly scenarios: readonly ScenarioResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly durationMs: number;
}
