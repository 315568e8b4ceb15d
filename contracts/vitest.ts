/**
 * `snowflake-auth-mock/vitest`: one vitest test per scenario file.
 *
 * @example
 * // scenarios.test.ts
 * import { defineScenarioSuite } from 'snowflake-auth-mock/vitest'
 * defineScenarioSuite(['scenarios/'])                                  // in-process
 * defineScenarioSuite(['scenarios/'], { target: process.env.MOCK_URL }) // against serve
 */
import { describe, it } from 'vitest';
import { findScenarioFiles, loadScenarioFile } from './load-scenario.ts';
import { REPORTERS } from './reporters/index.ts';
import { runScenario, type RunOptions } from './runner.ts';
import { mswTarget } from './targets/msw.ts';
import { urlTarget } from './targets/url.ts';
import type { Target } from './targets/target.ts';

/** Options of {@link defineScenarioSuite}. */
export interface ScenarioSuiteOptions extends RunOptions {
  /** `msw` (default), a base URL, or a Target. */
  readonly target?: string | Target;
  /** Suite name (default: "scenarios (<target>)"). */
  readonly name?: string;
}

/**
 * Registers a `describe` with one `it` per scenario found under `paths` (files or folders). A failing
 * scenario fails its test with the pretty report of its steps; a scenario skipped by the target
 * (e.g. a clock step against a server without the control API) is reported as skipped.
 *
 * @example
 * defineScenarioSuite(['scenarios/pat'], { tags: ['expiry'] })
 */
export function defineScenarioSuite(paths: readonly string[], options: ScenarioSuiteOptions = {}): void {
  const target = typeof options.target === 'object' ? options.target : options.target === undefined || options.target === 'msw' ? mswTarget() : urlTarget(options.target);
  const files = findScenarioFiles(paths);
  describe(options.name ?? `scenarios (${target.name})`, () => {
    for (const file of files) {
      const loaded = loadScenarioFile(file);
      if (options.tags?.length && !loaded.scenario.tags?.some((t) => options.tags!.includes(t))) continue;
      it(`${loaded.scenario.name} [${file}]`, async (ctx) => {
        const result = await runScenario(loaded, target, options);
        if (result.status === 'skipped') ctx.skip(result.steps.find((s) => s.status === 'skipped')?.note ?? 'skipped by the target');
        if (result.status === 'failed') {
          const report = REPORTERS.pretty({ target: target.name, scenarios: [result], passed: 0, failed: 1, skipped: 0, durationMs: result.durationMs });
          throw new Error(`scenario failed\n${report}`);
        }
      });
    }
  });
}
