/**
 * A world config as YAML text (issue #6, item 6): the inverse of `parseWorldText`, so a world built
 * in code (e.g. with `APIAuthenticationSecurityIntegration.toConfig()`) can be saved as a world
 * file and read back equal. Keys keep their order; `undefined` fields are left out; dates become
 * ISO 8601 instants.
 */
import { stringify } from 'yaml';
import type { WorldConfig } from './config.ts';

/**
 * The YAML text of a world config.
 *
 * @example
 * parseWorldText(worldToYaml(config)) // deep-equals config
 */
export function worldToYaml(config: WorldConfig): string {
  return stringify(config, (_key, value: unknown) => (value instanceof Date ? value.toISOString() : value), { lineWidth: 0, aliasDuplicateObjects: false });
}
