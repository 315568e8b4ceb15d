/**
 * Contract checking for tests (issue #3 §3): wraps a core's `handle` so every response the mock
 * produces is validated against its endpoint contract, and drift between a handler and its
 * contract fails the test that caused it.
 */
import { validateResponse } from '../../contracts/validate-response.ts';
import type { MockCore } from '../../http/core.ts';
import type { MockRequest, MockResponse } from '../../http/record.ts';

/**
 * What {@link checkContracts} collected since the last reset.
 *
 * @example
 * expect(check.problems()).toEqual([])
 * expect(check.exercised().has('GET /api/v2/warehouses 200 WarehouseList')).toBe(true)
 */
export interface ContractCheck {
  /** Every problem so far (a copy), each naming the request and the response contract. */
  problems(): string[];
  /** Response keys (`POST /api/v2/statements 200 ResultSet`) that matched at least once. */
  exercised(): ReadonlySet<string>;
  /** Forgets problems and exercised responses. */
  reset(): void;
  /** Puts the core's own `handle` back. */
  restore(): void;
}

/**
 * Validates every response of `core` from now on (against the contract files, through
 * `validateResponse`). The response itself is returned unchanged, a promised one once it resolves.
 * Take and clear the problems in one step, so one failing test does not fail all later ones.
 *
 * @example
 * const mock = useMock({ world: exampleWorld() })
 * const check = checkContracts(mock.core)
 * afterEach(() => {
 *   const problems = check.problems()
 *   check.reset()
 *   expect(problems).toEqual([])
 * })
 */
export function checkContracts(core: MockCore): ContractCheck {
  const original = core.handle;
  let problems: string[] = [];
  const exercised = new Set<string>();
  const judge = (request: MockRequest, response: MockResponse): MockResponse => {
    const result = validateResponse(request, response);
    if (result.ok) exercised.add(result.contract);
    else problems.push(...result.problems);
    return response;
  };
  // A request that needs a signature check may answer with a promise: judge it once it resolves.
  const checked = ((request: MockRequest) => {
    const response = original.call(core, request) as MockResponse | Promise<MockResponse>;
    return response instanceof Promise ? response.then((r) => judge(request, r)) : judge(request, response);
  }) as MockCore['handle'];
  core.handle = checked;
  return {
    problems: () => [...problems],
    exercised: () => new Set(exercised),
    reset() {
      problems = [];
      exercised.clear();
    },
    restore() {
      if (core.handle === checked) core.handle = original;
    },
  };
}
