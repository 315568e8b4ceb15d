/**
 * Validation of a world config (DESIGN.md §3: "bad config fails at load with file, line, field and
 * what was expected; nothing starts half-configured"). Every rule reports a problem at a config
 * path and carries on, so one run lists every problem; `parse-text.ts` maps paths to lines.
 * `build.ts` runs this first and then trusts the config's shape.
 *
 * This file is the public entry; the rules live in `validate/`, one file per config section:
 * `world.ts` (root, switches, clock) → `account.ts` → `network.ts`, `users.ts` (and PATs),
 * `integrations.ts`, `oauth-tokens.ts`, `databases-warehouses.ts`. They share the field readers
 * of `checker.ts`, the per-account names of `scope.ts`, and the single-value rules of
 * `field-rules.ts`, which `build.ts` and `mutations.ts` apply too.
 *
 * @example
 * import { validateWorldConfig, worldConfigError } from './validate.ts'
 */
export {
  WorldConfigError, formatIssue, formatPath, placeIssues, worldConfigError,
  type ConfigPath, type ConfigProblem, type ConfigSource, type LineLocator, type WorldConfigIssue,
} from './validate/world-config-error.ts';
export { suggest } from './validate/suggest.ts';
export {
  SERVICE_USER_TYPES, importConfiguredKey, parseInstant, patNameProblem, redirectUriProblem, splitLocator, warehouseSize,
} from './validate/field-rules.ts';
export { validateClockConfig, validateWorldConfig } from './validate/world.ts';
