/**
 * WireMock stub mappings as files hold them (https://wiremock.org/docs/stubbing/,
 * https://wiremock.org/docs/request-matching/, https://wiremock.org/docs/stateful-behaviour/): a
 * file is one mapping or `{ "mappings": [...] }`. Only the parts the import reads are typed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../input-error.ts';

/** A value matcher (`equalTo`, `contains`, `matches`, `doesNotMatch`, `absent`). */
export interface WmMatcher {
  readonly equalTo?: string;
  readonly contains?: string;
  readonly matches?: string;
  readonly doesNotMatch?: string;
  readonly absent?: boolean | string;
  readonly caseInsensitive?: boolean;
}

/** `matchesJsonPath` in its object form. */
export interface WmJsonPath {
  readonly expression: string;
  readonly equalTo?: string;
  readonly contains?: string;
  readonly matches?: string;
  readonly absent?: boolean | string;
}

/** One of `bodyPatterns`. */
export interface WmBodyPattern extends WmMatcher {
  readonly equalToJson?: unknown;
  readonly matchesJsonPath?: string | WmJsonPath;
  readonly ignoreExtraElements?: boolean;
}

/** A mapping's request matcher. */
export interface WmRequest {
  readonly method?: string;
  readonly url?: string;
  readonly urlPath?: string;
  readonly urlPathPattern?: string;
  readonly urlPattern?: string;
  readonly host?: WmMatcher;
  readonly queryParameters?: Readonly<Record<string, WmMatcher>>;
  readonly headers?: Readonly<Record<string, WmMatcher>>;
  readonly bodyPatterns?: readonly WmBodyPattern[];
  readonly formParameters?: Readonly<Record<string, WmMatcher>>;
}

/** A mapping's response definition. */
export interface WmResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly jsonBody?: unknown;
  readonly body?: string;
  readonly base64Body?: string;
  readonly bodyFileName?: string;
  readonly fixedDelayMilliseconds?: number;
}

/** A stub mapping. */
export interface WmMapping {
  readonly request: WmRequest;
  readonly response: WmResponse;
  readonly scenarioName?: string;
  readonly requiredScenarioState?: string;
  readonly newScenarioState?: string;
}

/** A mapping with where it came from: its file (relative to the mappings folder) and its number there, from 1. */
export interface LoadedMapping {
  readonly file: string;
  readonly index: number;
  /** How errors name it: `mappings[0]`, or `(root)` in a single-mapping file. */
  readonly where: string;
  readonly mapping: WmMapping;
}

/**
 * A mappings file that cannot be imported; the message is `file: field: problem`.
 *
 * @example
 * new WiremockError('a.json', 'mappings[0].response', 'expected an object').message // 'a.json: mappings[0].response: expected an object'
 */
export class WiremockError extends InputError {}

/**
 * Every `.json` file under a mappings folder, relative to it, sorted (WireMock's `__files` body
 * folder is skipped: it holds response bodies, not mappings).
 *
 * @example
 * mappingFiles('recordings/driver-fixtures') // ['gosnowflake/test_data/wiremock/mappings/auth/mfa/…json', …]
 */
export function mappingFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const full = join(abs, name);
      if (statSync(full).isDirectory()) {
        if (name !== '__files') walk(full, `${rel}${name}/`);
      } else if (name.endsWith('.json')) out.push(`${rel}${name}`);
    }
  };
  walk(dir, '');
  return out;
}

/**
 * The mappings of one file, in file order, after literal text substitutions (what a driver's test
 * suite replaces before loading, e.g. a port placeholder).
 *
 * @example
 * loadMappingFile('recordings/driver-fixtures', 'gosnowflake/…/select1.json')[0]?.mapping.request.method // 'POST'
 */
export function loadMappingFile(dir: string, file: string, substitutions: Readonly<Record<string, string>> = {}): LoadedMapping[] {
  let text = readFileSync(join(dir, file), 'utf8');
  for (const [from, to] of Object.entries(substitutions)) text = text.replaceAll(from, to);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new WiremockError(file, '(file)', `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const many = isObject(parsed) && Array.isArray(parsed.mappings);
  const list = many ? ((parsed as { mappings: unknown[] }).mappings) : [parsed];
  return list.map((m, i) => {
    const where = many ? `mappings[${i}]` : '(root)';
    return { file, index: i + 1, where, mapping: checkMapping(file, where, m) };
  });
}

function checkMapping(file: string, where: string, m: unknown): WmMapping {
  if (!isObject(m)) throw new WiremockError(file, where, 'expected a mapping object');
  if (!isObject(m.request)) throw new WiremockError(file, `${where}.request`, 'expected an object (a WireMock mapping has request and response)');
  if (!isObject(m.response)) throw new WiremockError(file, `${where}.response`, 'expected an object (a WireMock mapping has request and response)');
  const status = m.response.status;
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) {
    throw new WiremockError(file, `${where}.response.status`, `expected an HTTP status, found ${JSON.stringify(status)}`);
  }
  return m as unknown as WmMapping;
}

/**
 * A file's mappings in the order a client meets them: WireMock scenarios are state machines that
 * start in "Started" (https://wiremock.org/docs/stateful-behaviour/), so a mapping that needs state
 * S comes after the mapping of the same scenario that sets S. Otherwise file order is kept.
 *
 * @example
 * scenarioOrder([needsAuthorized, setsAuthorized]) // [setsAuthorized, needsAuthorized]
 */
export function scenarioOrder(mappings: readonly LoadedMapping[]): LoadedMapping[] {
  const pending = [...mappings];
  const out: LoadedMapping[] = [];
  const reached = new Set<string>();
  const ready = (m: WmMapping): boolean => {
    const state = m.requiredScenarioState;
    if (m.scenarioName === undefined || state === undefined || state === 'Started') return true;
    const setBySomeone = pending.some((p) => p.mapping.scenarioName === m.scenarioName && p.mapping.newScenarioState === state && p.mapping !== m);
    return reached.has(`${m.scenarioName}\u0000${state}`) || !setBySomeone;
  };
  while (pending.length > 0) {
    const i = Math.max(0, pending.findIndex((p) => ready(p.mapping)));
    const [next] = pending.splice(i, 1);
    out.push(next!);
    const { scenarioName, newScenarioState } = next!.mapping;
    if (scenarioName !== undefined && newScenarioState !== undefined) reached.add(`${scenarioName}\u0000${newScenarioState}`);
  }
  return out;
}

/**
 * True for a plain object.
 *
 * @example
 * isObject({ request: {} }) // true
 */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
