/**
 * Targets for running the shipped scenarios in the test suite: the in-process one, and a `serve`
 * started on first use — both checking every response against its endpoint contract.
 */
import { afterAll, expect } from 'vitest';
import type { Target } from '../../contracts/targets/target.ts';
import { validateResponse } from '../../contracts/validate-response.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { urlTarget } from '../../contracts/targets/url.ts';

/**
 * Wraps a target so each response is validated against its contract; call `assertClean()` after.
 *
 * @example
 * const target = contractChecked(mswTarget())
 */
export function contractChecked(target: Target): Target & { problems: string[] } {
  const problems: string[] = [];
  return {
    name: target.name,
    problems,
    async open(loaded, options) {
      const session = await target.open(loaded, options);
      return {
        ...session,
        async send(request) {
          const response = await session.send(request);
          const url = new URL(request.url);
          const result = validateResponse({ method: request.method, path: url.pathname }, response);
          if (!result.ok) problems.push(...result.problems.map((p) => `${loaded.file ?? loaded.scenario.name}: ${p}`));
          return response;
        },
      };
    },
  };
}

/**
 * A URL target whose `serve --control` is started on the first scenario and closed after the file.
 *
 * @example
 * defineScenarioSuite(['scenarios/'], { target: servedTarget() })
 */
export function servedTarget(): Target {
  let server: Promise<RunningServer> | undefined;
  afterAll(async () => {
    if (server) await (await server).close();
  });
  return {
    name: 'serve',
    async open(loaded, options) {
      server ??= startServer({ port: 0, control: true });
      return urlTarget((await server).url).open(loaded, options);
    },
  };
}

/** Fails the file if any response broke its contract. */
export function expectNoContractDrift(target: { problems: string[] }): void {
  afterAll(() => expect(target.problems, 'responses that do not match their endpoint contract').toEqual([]));
}
