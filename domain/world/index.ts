/**
 * The world: config types, loading from text, validation, the embedded default world, the
 * runtime model and its mutations.
 *
 * @example
 * import { buildWorld, defaultWorldConfig } from './domain/world/index.ts'
 */
export type * from './config.ts';
export { SYSTEM_ROLES, PRIVILEGED_ROLES, WORLD_DEFAULTS, accountsOf } from './config.ts';
export type * from './model.ts';
export { buildWorld, clockSettingsOf, keySlot, type BuildOptions } from './build.ts';
export { parseWorldText, parseWorldTextWithWarnings, lineLocator, type LoadedWorldConfig } from './parse-text.ts';
export { worldConfigWarnings } from './warnings.ts';
export { deriveLocator, resolveLocators, type LocatorInput, type ResolvedLocator } from './locator.ts';
export { patBypassApplies, patRequiresNetworkPolicy } from './pat-network.ts';
export {
  WorldConfigError, formatIssue, formatPath, importConfiguredKey, parseInstant, patNameProblem, placeIssues, validateWorldConfig,
  worldConfigError, type ConfigPath, type ConfigProblem, type ConfigSource, type LineLocator, type WorldConfigIssue,
} from './validate.ts';
export { ALICE_PUBLIC_KEY, BOB_PUBLIC_KEY, DEFAULT_FIXTURE_KEYS, ETL_BOT_PUBLIC_KEY, defaultWorldConfig } from './default-world.ts';
export {
  addOAuthAccessToken, addPat, disableUser, findAccount, findUser, grantRole, removePat, revokeRole, rotatePat,
  setIntegrationEnabled, setNetworkPolicy, setPatDisabled, setRsaPublicKey,
  type AddOAuthTokenSpec, type AddPatSpec, type MutationContext, type PolicyLevel, type RotatedPat,
} from './mutations.ts';
