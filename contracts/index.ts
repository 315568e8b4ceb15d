/**
 * Public face of the contracts: the schema of every endpoint's request and responses, with
 * fidelity labels and sources (the files of `contracts/endpoints/`, also exported as
 * `snowflake-auth-mock/contracts/endpoints/*`), and a validator for responses — the mock's own, or
 * those a user's client gets.
 *
 * @example
 * import { validateResponse } from 'snowflake-auth-mock/contracts'
 * const result = validateResponse({ method: 'GET', path: '/api/v2/databases' }, { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' })
 * result.ok // true; result.contract === 'GET /api/v2/databases 200 DatabaseList'
 */
export {
  CONTRACTS,
  contractFor,
  responseKey,
  PROVIDER_CONTRACTS,
  providerContractFor,
  CONTRACT_SET,
  CONTRACTS_DIR,
  CONTRACT_KEYWORDS,
  addContractKeywords,
  contractFileName,
  loadContracts,
  type ContractDocument,
  type ContractJson,
  type ContractSet,
  type EndpointContract,
  type FieldNote,
  type ProviderContract,
  type ResponseContract,
} from './endpoints.ts';
export { validateResponse, createResponseValidator, type RequestToCheck, type ResponseToCheck, type ResponseValidator, type ValidationResult } from './validate-response.ts';
export type { Scenario, Step, RequestStep, RequestSpec, Expectation, SignJwtStep, WorldChange } from './scenario.ts';
export type { RunResult, ScenarioResult, StepResult, Mismatch, Status } from './result.ts';
export { parseScenarioText, loadScenarioFile, findScenarioFiles, ScenarioError, type LoadedScenario } from './load-scenario.ts';
export { runScenario, runScenarios, type RunOptions } from './runner.ts';
export { mswTarget } from './targets/msw.ts';
export { urlTarget } from './targets/url.ts';
export type { Target, TargetSession, Capabilities, OutgoingRequest, TargetResponse } from './targets/target.ts';
export { REPORTERS, reporterNames } from './reporters/index.ts';
export { matchSubset } from './matchers.ts';
export { renderTemplates, TemplateError } from './templates.ts';
