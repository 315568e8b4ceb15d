/**
 * snowflake-auth-mock — an offline, faithful imitation of Snowflake's authentication surface.
 *
 * @example
 * import { setupServer } from 'msw/node'
 * import { createSnowflakeMock } from 'snowflake-auth-mock'
 * const mock = createSnowflakeMock({ seed: 42 })
 * setupServer(...mock.handlers).listen({ onUnhandledFrame: 'error' })
 */
export { createSnowflakeMock, type SnowflakeMock, type SnowflakeMockOptions } from './handlers/mock.ts';
export type { WorldApi } from './api/world.ts';
export { createClock, parseDuration, type Clock } from './domain/clock.ts';
export type { Journal, JournalEntry, Decision } from './domain/journal.ts';
export { CATALOGUE, entryFor, formatMessage } from './domain/errors/catalogue.ts';
export { CAUSES } from './domain/errors/causes.ts';
export type { CatalogueEntry, CauseEntry, Surface, Envelope } from './domain/errors/types.ts';
export type { WorldConfig } from './domain/world/config.ts';
export type { World, Account, User, Switches, Fidelity } from './domain/world/model.ts';
export { WorldConfigError, formatIssue, type WorldConfigIssue } from './domain/world/validate.ts';
export { defaultWorldConfig } from './domain/world/default-world.ts';
export { parseWorldText, parseWorldTextWithWarnings, type LoadedWorldConfig } from './domain/world/parse-text.ts';
export { loadWorldFile, loadWorldFileWithWarnings } from './api/world-file.ts';
export { signKeypairJwt, type SignKeypairJwtOptions } from './domain/auth/keypair-jwt-sign.ts';
export { signExternalOAuthToken, publicJwk, type SignExternalOAuthTokenOptions, type RsaJwk } from './domain/auth/external-oauth-sign.ts';
export type { ExternalOAuthApi, IssueTokenOptions } from './api/external-oauth.ts';
export { fingerprintOf, importPublicKey } from './domain/keys/fingerprint.ts';
export { totpCode } from './domain/login/totp.ts';
export { FaultRuleError, type Fault, type FaultControl, type FaultRule } from './domain/faults.ts';
export type { ProviderService, ProviderResult, ProviderTokenSet, ProviderErrorCode, AuthorizationRequest } from './domain/provider/service.ts';
export type { ProviderControl, ProviderTokenView } from './domain/provider/provider.ts';
// Outbound OAuth and Native App configuration, the Snowflake side (issue #6, decisions/0008).
export { APIAuthenticationSecurityIntegration, type APIAuthenticationSecurityIntegrationFields } from './api/world-builders.ts';
export { worldToYaml } from './domain/world/to-yaml.ts';
export { OutboundError, type OutboundWorldApi } from './api/world-outbound.ts';
export type { StatementReport } from './domain/native-app/setup-script.ts';
export type { OAuth2Secret, Application, AppSpecification, AppConfiguration, PrivilegeGrant } from './domain/world/model.ts';
export type { SecretConfig, GrantConfig, ApplicationConfig, AppSpecificationConfig, AppConfigurationConfig } from './domain/world/config.ts';
export type { StatementConfig, StatementAnswerConfig, StatementColumnConfig, StatementRowsConfig, StatementCountConfig, StatementErrorConfig, StatementCell } from './domain/world/config.ts';
export type { StatementHook, StatementContext, StatementSurface } from './domain/sql/responders.ts';
export type { StatementBinding } from './domain/sql/matching.ts';
// Recording (issue #11): the recording proxy and the in-process recorder; every exchange is redacted before it is written.
export { startRecordingProxy, PROXY_MODES, type RecordingProxy, type RecordingProxyOptions, type ProxyMode } from './record/proxy.ts';
export { createRecorder, type Recorder, type RecorderOptions, type RecorderMode } from './record/msw-recorder.ts';
export { RecordingIncompleteError, type RecordingFailure } from './record/sink.ts';
// Replay (issue #11): answering from a recording, in-process (msw) or behind any transport.
export { createReplayEngine, createReplayHandlers, UNMATCHED_HEADER, type ReplayEngine, type ReplayOptions, type ReplayHandlerOptions, type ReplayReport, type ReplayEntry, type NearMiss } from './record/replay.ts';
export { readRecording, isRecordingDir, RecordingError, type Recording } from './record/store.ts';
