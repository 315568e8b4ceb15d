/**
 * Endpoint contracts (issue #3 §3, DESIGN.md §4): for every route of `http/routes.ts`, and for the
 * external OAuth provider the mock also plays, a JSON Schema (draft-07) of the request and of each
 * response the mock can give, with fidelity labels and the public source of each fact.
 *
 * The contracts are data, one file per endpoint in `contracts/endpoints/` (format:
 * `schemas/contract.schema.json`, contracts/README.md), so a user in any language can validate
 * against them. This module reads and checks those files, and answers which contract governs a
 * request. Schemas are strict (`additionalProperties: false`): they describe exactly what the mock sends.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { packagePath } from '../api/package-files.ts';
import type { Surface } from '../domain/errors/types.ts';
import type { Fidelity } from '../domain/world/model.ts';
import { createRouter } from '../http/router.ts';
import { PROVIDER_KIND_HEADER } from '../http/provider/types.ts';

/**
 * A field whose fidelity differs from its response's, e.g. a value the documentation leaves open.
 *
 * @example
 * const note: FieldNote = { path: '$.code', fidelity: 'inferred', note: '394400 for a PAT is ours', source: 'decisions/0004-inferred-choices-of-issue-2.md' }
 */
export interface FieldNote {
  /** JSONPath-like: `$.code`, `$.resultSetMetaData.rowType[].type`. */
  readonly path: string;
  readonly fidelity: Fidelity;
  readonly note?: string;
  readonly source?: string;
}

/**
 * One response an endpoint can give.
 *
 * @example
 * const r = contractFor('GET', '/api/v2/databases/SALES')?.responses.find((r) => r.status === 404)
 * r?.fidelity // 'inferred'
 * r?.schemaRef // 'https://snowflake-auth-mock.dev/contracts/endpoints/get-api-v2-databases-name.json#/definitions/DatabaseNotFound'
 */
export interface ResponseContract {
  /** Short name of the shape: `ResultSet`, `AuthFailure`, … (unique within its endpoint). */
  readonly name: string;
  readonly status: number | readonly number[];
  /** Media type (parameters ignored); `null` = no body (content type not checked); absent = not checked. */
  readonly contentType?: 'application/json' | 'text/html' | null;
  /** JSON Schema (draft-07) of the parsed body, self-contained; absent = body not checked beyond its content type. */
  readonly schema?: object;
  /** Where {@link schema} lives: `<file $id>#/definitions/<name>`, for validators that load the files. */
  readonly schemaRef?: string;
  readonly fidelity: Fidelity;
  readonly fields?: readonly FieldNote[];
  /** A public URL, or a path from the repository root (`decisions/…`, `recordings/driver-fixtures/…`). */
  readonly source: string;
  readonly note?: string;
}

/**
 * One endpoint: a method on a route pattern. `method: '*'` stands for every method the pattern
 * does not serve (405); `pattern: '*'` for every path of no route (404).
 *
 * @example
 * const c: EndpointContract | undefined = contractFor('POST', '/api/v2/statements')
 * c?.request.body // JSON Schema of { statement, timeout?, database?, … }
 * c?.file // '/…/contracts/endpoints/post-api-v2-statements.json'
 */
export interface EndpointContract {
  readonly method: string;
  /** As in ROUTES: `/api/v2/statements/:handle`. */
  readonly pattern: string;
  readonly surface: Surface;
  readonly source: string;
  readonly note?: string;
  readonly request: {
    /** JSON Schema of the headers (lower-case names) a client must send. */
    readonly headers?: object;
    /** JSON Schema of the JSON body. */
    readonly body?: object;
  };
  readonly responses: readonly ResponseContract[];
  /** The file's `$id`. */
  readonly id: string;
  /** The file the contract was read from. */
  readonly file: string;
}

/**
 * A contract of the external OAuth provider the mock also plays. Its URLs are the world's
 * (OAUTH_TOKEN_ENDPOINT, OAUTH_AUTHORIZATION_ENDPOINT, any path of a provider host), so a contract
 * is found by the endpoint kind the answer names in `x-snowflake-auth-mock-provider`, not by path.
 *
 * @example
 * providerContractFor('POST', { 'x-snowflake-auth-mock-provider': 'token' })?.pattern // '<provider token endpoint>'
 */
export interface ProviderContract extends Omit<EndpointContract, 'surface'> {
  /** `token`, `authorize`, `resource` or `idp`: the value of the marker header. */
  readonly kind: string;
}

/**
 * One contract file as read (frozen): a draft-07 JSON Schema document, to add to a validator by its `$id`.
 *
 * @example
 * for (const d of CONTRACT_SET.documents) ajv.addSchema(d.json)
 */
export interface ContractDocument {
  readonly file: string;
  readonly json: ContractJson;
}

/**
 * A set of contracts read from one folder, with its lookups.
 *
 * @example
 * const set = loadContracts('/tmp/my-contracts')
 * set.contractFor('GET', '/api/v2/warehouses')?.file // '/tmp/my-contracts/get-api-v2-warehouses.json'
 */
export interface ContractSet {
  /** Snowflake's endpoints: per route its methods, then a `*` (405) per route, then the `*` path (404). */
  readonly contracts: readonly EndpointContract[];
  /** The external provider's endpoints, by kind: its methods, then `*`. */
  readonly providerContracts: readonly ProviderContract[];
  readonly documents: readonly ContractDocument[];
  contractFor(method: string, path: string): EndpointContract | undefined;
  providerContractFor(method: string, headers: Readonly<Record<string, string>>): ProviderContract | undefined;
}

// ---- the file format (schemas/contract.schema.json) ----------------------------------------------

type Ref = { readonly $ref: string };

/** The JSON of a contract file, as the meta-schema guarantees it. */
export interface ContractJson {
  readonly $schema: string;
  readonly $id: string;
  readonly title: string;
  readonly description: string;
  readonly 'x-endpoint': {
    readonly method: string;
    readonly pattern: string;
    readonly surface?: Surface;
    readonly kind?: string;
    readonly source: string;
    readonly note?: string;
    readonly request: { readonly headers?: Ref; readonly body?: Ref };
  };
  readonly 'x-responses': readonly (Omit<ResponseContract, 'schema' | 'schemaRef'> & { readonly body?: Ref })[];
  readonly definitions: Readonly<Record<string, object>>;
}

/** The annotation keywords of a contract file: register them (see {@link addContractKeywords}) to keep ajv strict. */
export const CONTRACT_KEYWORDS = ['x-endpoint', 'x-responses'] as const;

/**
 * Registers {@link CONTRACT_KEYWORDS} as annotations, so a strict ajv accepts contract files.
 *
 * @example
 * const ajv = addContractKeywords(new Ajv({ strict: true }))
 * ajv.addSchema(JSON.parse(readFileSync('contracts/endpoints/post-api-v2-statements.json', 'utf8')))
 */
export function addContractKeywords(ajv: Ajv): Ajv {
  for (const keyword of CONTRACT_KEYWORDS) if (!ajv.getKeyword(keyword)) ajv.addKeyword(keyword);
  return ajv;
}

/**
 * Every fidelity and surface, as the meta-schema lists them (a test compares): `satisfies` refuses
 * a value the type lacks, and `_everyOneListed` fails the build when the type gains one.
 *
 * @example
 * FIDELITIES.includes(response.fidelity) // true
 */
export const FIDELITIES = ['documented', 'driver-observed', 'recorded', 'inferred', 'mock'] as const satisfies readonly Fidelity[];
/** @example SURFACES.includes(contract.surface) // true */
export const SURFACES = ['login', 'session', 'api', 'oauth-token', 'oauth-authorize'] as const satisfies readonly Surface[];
type AllListed<T, Listed> = Exclude<T, Listed> extends never ? true : never;
const _everyOneListed: [AllListed<Fidelity, (typeof FIDELITIES)[number]>, AllListed<Surface, (typeof SURFACES)[number]>] = [true, true];

const ID_BASE = 'https://snowflake-auth-mock.dev/contracts/endpoints/';

/**
 * The file name of an endpoint's contract: the method in lower case (`any` for `*`), then the path's
 * segments joined by `-` (a `:param` by its name, the `*` path as `unknown-path`); the provider's
 * are `provider-<kind>-<method>`.
 *
 * @example
 * contractFileName('GET', '/api/v2/statements/:handle') // 'get-api-v2-statements-handle.json'
 * contractFileName('*', '*') // 'any-unknown-path.json'
 * contractFileName('POST', '<provider token endpoint>', 'token') // 'provider-token-post.json'
 */
export function contractFileName(method: string, pattern: string, kind?: string): string {
  const m = method === '*' ? 'any' : method.toLowerCase();
  if (kind !== undefined) return `provider-${kind}-${m}.json`;
  const path = pattern === '*' ? 'unknown-path' : pattern.split('/').filter(Boolean).map((s) => s.replace(/^:/, '')).join('-');
  return `${m}-${path}.json`;
}

// ---- reading and checking the files --------------------------------------------------------------

let metaValidator: ValidateFunction | undefined;

/** The meta-schema, compiled once (ajv knows draft-07, which it builds on). */
function metaSchema(): ValidateFunction {
  if (!metaValidator) {
    const schema = JSON.parse(readFileSync(packagePath('schemas/contract.schema.json'), 'utf8')) as object;
    metaValidator = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return metaValidator;
}

const describeError = (e: ErrorObject): string => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`;

/** Everything wrong with one parsed file beyond the meta-schema: names, refs, uniqueness. */
function consistencyProblems(name: string, doc: ContractJson): string[] {
  const problems: string[] = [];
  const e = doc['x-endpoint'];
  const expected = contractFileName(e.method, e.pattern, e.kind);
  if (name !== expected) problems.push(`named ${name}, but its endpoint's file name is ${expected}`);
  if (doc.$id !== ID_BASE + name) problems.push(`$id must be ${ID_BASE + name}`);
  if (doc.title !== `${e.method} ${e.pattern}`) problems.push(`title must be "${e.method} ${e.pattern}"`);
  const used = new Set<string>();
  const resolve = (ref: Ref | undefined, where: string): void => {
    if (!ref) return;
    const def = ref.$ref.slice('#/definitions/'.length);
    if (!(def in doc.definitions)) problems.push(`${where}: ${ref.$ref} names no definition`);
    used.add(def);
  };
  resolve(e.request.headers, 'x-endpoint/request/headers');
  resolve(e.request.body, 'x-endpoint/request/body');
  const names = new Set<string>();
  doc['x-responses'].forEach((r, i) => {
    if (names.has(r.name)) problems.push(`x-responses/${i}: a second response named ${r.name}`);
    names.add(r.name);
    resolve(r.body, `x-responses/${i}/body`);
  });
  for (const def of Object.keys(doc.definitions)) {
    if (!used.has(def)) problems.push(`definitions/${def}: no request or response uses it`);
    if (JSON.stringify(doc.definitions[def]).includes('"$ref"')) problems.push(`definitions/${def}: must be self-contained (no $ref)`);
  }
  return problems;
}

/** Reads one file; its problems are prefixed with its path. */
function readDocument(file: string): { doc?: ContractJson; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { problems: [`${file}: not JSON: ${(err as Error).message}`] };
  }
  const validate = metaSchema();
  if (!validate(json)) return { problems: (validate.errors ?? []).map((e) => `${file}: ${describeError(e)}`) };
  const doc = json as ContractJson;
  return { doc, problems: consistencyProblems(basename(file), doc).map((p) => `${file}: ${p}`) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

// ---- from files to contracts ---------------------------------------------------------------------

function responseOf(doc: ContractJson, r: ContractJson['x-responses'][number]): ResponseContract {
  const { body, ...rest } = r;
  if (!body) return rest;
  return { ...rest, schema: definition(doc, body), schemaRef: doc.$id + body.$ref };
}

const definition = (doc: ContractJson, ref: Ref): object => doc.definitions[ref.$ref.slice('#/definitions/'.length)]!;

function contractOf(d: ContractDocument): EndpointContract | ProviderContract {
  const { json: doc, file } = d;
  const { method, pattern, surface, kind, source, note, request } = doc['x-endpoint'];
  const where = surface !== undefined ? { surface } : { kind: kind! };
  return {
    method,
    pattern,
    ...where,
    source,
    ...(note !== undefined && { note }),
    request: { ...(request.headers && { headers: definition(doc, request.headers) }), ...(request.body && { body: definition(doc, request.body) }) },
    responses: doc['x-responses'].map((r) => responseOf(doc, r)),
    id: doc.$id,
    file,
  };
}

const isProvider = (c: EndpointContract | ProviderContract): c is ProviderContract => 'kind' in c;

/**
 * Route patterns, most specific first: at the first segment where two differ, a literal beats a
 * `:param`. The router takes the first match, so the file order cannot change which contract wins.
 */
function bySpecificity(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const [x, y] = [as[i]!, bs[i]!];
    if (x === y) continue;
    if (x.startsWith(':') !== y.startsWith(':')) return x.startsWith(':') ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}

/** Methods first, then `*`; within a group by pattern (Snowflake's) or kind (the provider's), then method. */
function contractOrder(a: EndpointContract | ProviderContract, b: EndpointContract | ProviderContract): number {
  const group = (c: EndpointContract | ProviderContract): number => (c.pattern === '*' ? 2 : c.method === '*' ? 1 : 0);
  const key = (c: EndpointContract | ProviderContract): string => (isProvider(c) ? c.kind : '');
  return key(a).localeCompare(key(b)) || group(a) - group(b) || bySpecificity(a.pattern, b.pattern) || a.method.localeCompare(b.method);
}

/** The lookups of {@link ContractSet} over its contracts. */
function lookups(contracts: readonly EndpointContract[], providerContracts: readonly ProviderContract[]): Pick<ContractSet, 'contractFor' | 'providerContractFor'> {
  const patterns = [...new Set(contracts.map((c) => c.pattern).filter((p) => p !== '*'))].sort(bySpecificity);
  // The router's own matcher, so contracts match paths exactly as the mock routes them.
  const router = createRouter(patterns.map((pattern) => ({ pattern, surface: 'api' as const, methods: {} })));
  const byKey = new Map(contracts.map((c) => [`${c.method} ${c.pattern}`, c]));
  const providerByKey = new Map(providerContracts.map((c) => [`${c.kind} ${c.method}`, c]));
  return {
    contractFor(method, path) {
      const pattern = router.match(path.split('?', 1)[0] ?? '')?.route.pattern ?? '*';
      return byKey.get(`${method.toUpperCase()} ${pattern}`) ?? byKey.get(`* ${pattern}`);
    },
    providerContractFor(method, headers) {
      let kind: string | undefined;
      for (const name in headers) if (name.toLowerCase() === PROVIDER_KIND_HEADER) kind = headers[name];
      if (kind === undefined) return undefined;
      return providerByKey.get(`${kind} ${method.toUpperCase()}`) ?? providerByKey.get(`${kind} *`);
    },
  };
}

/**
 * Reads every `*.json` of `dir` as a contract file and checks it: against
 * `schemas/contract.schema.json`, then its name, `$id`, title and refs, and that no two files claim
 * one endpoint. Throws one error listing every problem, each prefixed with its file.
 *
 * @example
 * loadContracts(CONTRACTS_DIR).contracts.length // 32 (and 9 providerContracts)
 * loadContracts('/tmp/broken') // Error: snowflake-auth-mock: 1 problem in contract files:
 * //   /tmp/broken/post-session.json: /x-responses/0/status must be integer
 */
export function loadContracts(dir: string): ContractSet {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  const problems: string[] = names.length === 0 ? [`${dir}: no contract files`] : [];
  const documents: ContractDocument[] = [];
  const claimed = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    const read = readDocument(file);
    problems.push(...read.problems);
    if (!read.doc || read.problems.length > 0) continue;
    const e = read.doc['x-endpoint'];
    const key = `${e.kind ?? ''} ${e.method} ${e.pattern}`;
    if (claimed.has(key)) problems.push(`${file}: ${e.method} ${e.pattern} is already the contract of ${claimed.get(key)}`);
    claimed.set(key, file);
    documents.push(deepFreeze({ file, json: read.doc }));
  }
  if (problems.length > 0) throw new Error(`snowflake-auth-mock: ${problems.length} problem${problems.length === 1 ? '' : 's'} in contract files:\n  ${problems.join('\n  ')}`);
  const all = documents.map(contractOf).sort(contractOrder);
  const contracts = all.filter((c): c is EndpointContract => !isProvider(c));
  const providerContracts = all.filter(isProvider);
  return Object.freeze({ contracts: Object.freeze(contracts), providerContracts: Object.freeze(providerContracts), documents: Object.freeze(documents), ...lookups(contracts, providerContracts) });
}

// ---- the shipped contracts -----------------------------------------------------------------------

/**
 * Where the shipped contract files are: `contracts/endpoints/` of the package, found from its
 * package.json (the built code runs from `dist/contracts/`, one folder deeper than the source).
 *
 * @example
 * CONTRACTS_DIR // '/…/node_modules/snowflake-auth-mock/contracts/endpoints'
 */
export const CONTRACTS_DIR = packagePath('contracts/endpoints');

/**
 * The shipped contracts, read once.
 *
 * @example
 * CONTRACT_SET.documents.map((d) => d.json.$id)
 */
export const CONTRACT_SET: ContractSet = loadContracts(CONTRACTS_DIR);

/**
 * Every endpoint contract: one per method of each route, one `*` method per route (405), and one
 * `*` path (404). Frozen.
 *
 * @example
 * CONTRACTS.find((c) => c.method === 'POST' && c.pattern === '/api/v2/statements')?.responses.map((r) => r.status)
 * // [200, 202, 400, 401, 403, 403, 415, 422, 422]
 */
export const CONTRACTS: readonly EndpointContract[] = CONTRACT_SET.contracts;

/**
 * The contract that governs a request: the route's contract for the method, else the route's `*`
 * (405) contract, else the unknown-path (404) one. A query string on `path` is ignored.
 *
 * @example
 * contractFor('GET', '/api/v2/statements/01b2c3d4')?.pattern // '/api/v2/statements/:handle'
 * contractFor('DELETE', '/api/v2/databases')?.responses[0]?.status // 405
 * contractFor('GET', '/nowhere')?.pattern // '*'
 */
export function contractFor(method: string, path: string): EndpointContract | undefined {
  return CONTRACT_SET.contractFor(method, path);
}

/**
 * A stable name for one response of one endpoint, e.g. for coverage of the declared responses.
 *
 * @example
 * responseKey(contract, contract.responses[0]) // 'POST /api/v2/statements 200 ResultSet'
 */
export function responseKey(contract: Pick<EndpointContract, 'method' | 'pattern'>, response: ResponseContract): string {
  const status = typeof response.status === 'number' ? response.status : response.status.join('|');
  return `${contract.method} ${contract.pattern} ${status} ${response.name}`;
}

/**
 * Every contract of the provider: per kind, its methods and a `*` (405) contract; resources answer every method.
 *
 * @example
 * PROVIDER_CONTRACTS.map((c) => `${c.method} ${c.pattern}`)
 * // ['GET <provider authorization endpoint>', 'POST <provider authorization endpoint>', '* <provider authorization endpoint>', 'GET <mock IdP token endpoint or JWKS URL>', …]
 */
export const PROVIDER_CONTRACTS: readonly ProviderContract[] = CONTRACT_SET.providerContracts;

/**
 * The provider contract of an answer, found by its marker header (kind) and the request method;
 * undefined when the answer is not the provider's.
 *
 * @example
 * providerContractFor('GET', { 'X-Snowflake-Auth-Mock-Provider': 'resource' })?.responses.map((r) => r.name)
 * // ['ProviderResource', 'ProviderBearerChallenge', 'UnknownProvider', 'ProviderDown']
 */
export function providerContractFor(method: string, headers: Readonly<Record<string, string>>): ProviderContract | undefined {
  return CONTRACT_SET.providerContractFor(method, headers);
}
