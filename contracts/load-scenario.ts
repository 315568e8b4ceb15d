/**
 * Reading scenario files: YAML or JSON, checked against the published JSON Schema
 * (schemas/scenario.schema.json) step by step, with the inline world checked by the world
 * validator. Every problem is reported at file:line:column with its field path, all at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { validateFaultRules } from '../domain/faults.ts';
import { lineLocator } from '../domain/world/parse-text.ts';
import { formatIssue, suggest, validateWorldConfig, type ConfigPath, type WorldConfigIssue } from '../domain/world/validate.ts';
import type { WorldConfig } from '../domain/world/config.ts';
import { loadWorldFile } from '../api/world-file.ts';
import { packagePath } from '../api/package-files.ts';
import type { Scenario } from './scenario.ts';

/** A scenario ready to run: its world resolved to a config (or absent: the default world). */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file?: string;
  readonly world?: WorldConfig;
}

/** Everything wrong with a scenario file, each problem placed in its source. */
export class ScenarioError extends Error {
  readonly issues: readonly WorldConfigIssue[];
  constructor(issues: readonly WorldConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

const schema = JSON.parse(readFileSync(packagePath('schemas/scenario.schema.json'), 'utf8')) as { $id: string; properties: object; definitions: Record<string, unknown> };
const STEP_KINDS = ['request', 'advance', 'client_ip', 'world', 'sign_jwt'] as const;
let validators: { top: ValidateFunction; steps: Record<(typeof STEP_KINDS)[number], ValidateFunction> } | undefined;

/** Compiled once: the top level without steps, then one validator per step kind (precise messages instead of oneOf noise). */
function compiled(): NonNullable<typeof validators> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true }); // verbose: errors carry their schema, for "did you mean"
  ajv.addSchema(schema);
  const top = ajv.compile({ ...schema, $id: undefined, properties: { ...schema.properties, steps: { type: 'array', minItems: 1, items: { type: 'object' } } } });
  const ref = (name: string): ValidateFunction => ajv.compile({ $ref: `${schema.$id}#/definitions/${name}` });
  const branch = (key: string, value: object): ValidateFunction =>
    ajv.compile({ type: 'object', required: [key], additionalProperties: false, properties: { name: { type: 'string' }, [key]: value } });
  validators = {
    top,
    steps: {
      request: ref('requestStep'),
      advance: branch('advance', { type: ['string', 'number'] }),
      client_ip: branch('client_ip', { type: 'string' }),
      world: branch('world', { $ref: `${schema.$id}#/definitions/worldChange` }),
      sign_jwt: branch('sign_jwt', { $ref: `${schema.$id}#/definitions/signJwt` }),
    },
  };
  return validators;
}

/**
 * Parses and checks scenario text; a world given as a path is resolved against `file`'s folder.
 *
 * @example
 * const loaded = parseScenarioText(readFileSync('pat-expiry.yaml', 'utf8'), 'pat-expiry.yaml')
 */
export function parseScenarioText(text: string, file?: string): LoadedScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { ...(file !== undefined && { file }), line, column: col, path: '', message: `YAML: ${e.message.split('\n')[0]}` };
    }));
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const where = lineLocator(doc, lineCounter);
  const issues = problemsOf(value).map(({ path, message }) => ({ ...(file !== undefined && { file }), ...where(path), path: dotted(path), message }));
  if (issues.length > 0) throw new ScenarioError(issues);
  const scenario = value as Scenario;
  return { scenario, ...(file !== undefined && { file }), ...worldOf(scenario, file) };
}

/**
 * Reads and checks one scenario file.
 *
 * @example
 * loadScenarioFile('scenarios/pat/pat-expires.yaml').scenario.name
 */
export function loadScenarioFile(path: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError([{ file: path, path: '', message: `cannot read the scenario file (${(error as { code?: string }).code ?? String(error)})` }]);
  }
  return parseScenarioText(text, path);
}

/**
 * Scenario files under the given files or folders (recursively; `.yaml`, `.yml`, `.json`), sorted.
 *
 * @example
 * findScenarioFiles(['scenarios/']) // ['scenarios/jwt/….yaml', …]
 */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    const stat = statSync(p, { throwIfNoEntry: false });
    if (!stat) throw new ScenarioError([{ file: p, path: '', message: 'no such file or folder' }]);
    if (stat.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith('.') && name !== 'worlds') visit(join(p, name));
    } else if (['.yaml', '.yml', '.json'].includes(extname(p))) out.push(p);
  };
  for (const p of paths) visit(p);
  return out;
}

interface Problem {
  readonly path: ConfigPath;
  readonly message: string;
}

function problemsOf(value: unknown): Problem[] {
  const v = compiled();
  const problems: Problem[] = v.top(value) ? [] : ajvProblems(v.top.errors ?? [], []);
  // Steps and the world are checked even when the top level has problems: report everything at once.
  const scenario = (typeof value === 'object' && value !== null ? value : {}) as { steps?: unknown; world?: unknown };
  if (Array.isArray(scenario.steps)) {
    scenario.steps.forEach((step, i) => {
      if (typeof step === 'object' && step !== null && !Array.isArray(step)) problems.push(...stepProblems(step as Record<string, unknown>, ['steps', i]));
    });
  }
  if (typeof scenario.world === 'object' && scenario.world !== null && !Array.isArray(scenario.world)) {
    problems.push(...validateWorldConfig(scenario.world).map((p) => ({ path: ['world', ...p.path], message: p.message })));
  }
  return problems;
}

function stepProblems(step: Record<string, unknown>, at: ConfigPath): Problem[] {
  const kinds = STEP_KINDS.filter((k) => k in step);
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? `none (keys: ${Object.keys(step).join(', ') || 'none'})` : kinds.join(' and ');
    return [{ path: at, message: `a step has exactly one of ${STEP_KINDS.join(', ')}; found ${found}` }];
  }
  const validate = compiled().steps[kinds[0]!];
  if (!validate(step)) return ajvProblems(validate.errors ?? [], at);
  // A fault rule's values the schema cannot judge (a delay's duration, status with reset, …); a rule
  // with templates is checked when it is applied.
  const fault = (step.world as { inject_fault?: unknown } | undefined)?.inject_fault;
  if (fault === undefined || JSON.stringify(fault).includes('{{')) return [];
  return validateFaultRules(fault, [...at, 'world', 'inject_fault']).problems;
}

function ajvProblems(errors: readonly ErrorObject[], at: ConfigPath): Problem[] {
  // oneOf/anyOf summaries repeat what their branches already said; keep the specific messages.
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  return (specific.length > 0 ? specific : errors).map((e) => ({ path: [...at, ...pointer(e.instancePath)], message: messageOf(e) }));
}

function messageOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const key = String(p.additionalProperty);
    const known = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties) ?? {});
    const hint = suggest(key, known);
    return `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : known.length ? ` (expected one of: ${known.join(', ')})` : ''}`;
  }
  if (e.keyword === 'required') return `missing required key "${String(p.missingProperty)}"`;
  if (e.keyword === 'enum') return `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
  return e.message ?? e.keyword;
}

const pointer = (instancePath: string): (string | number)[] =>
  instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));

const dotted = (path: ConfigPath): string => path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

function worldOf(scenario: Scenario, file: string | undefined): { world?: WorldConfig } {
  if (scenario.world === undefined) return {};
  if (typeof scenario.world === 'object') return { world: scenario.world };
  const path = file === undefined ? resolve(scenario.world) : resolve(dirname(file), scenario.world);
  return { world: loadWorldFile(path) };
}
