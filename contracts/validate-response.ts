/**
 * Checks one response against the contract of its request (endpoints.ts). The body schemas are
 * compiled from the contract files themselves: each file is added to ajv by its `$id`, and a
 * response's schema is `<$id>#/definitions/<name>`, as a user of another language would do. No
 * http: it runs on the mock's own records, on a user's fetch responses and on recordings alike.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { FAULT_HEADER } from '../domain/faults.ts';
import { addContractKeywords, CONTRACT_SET, responseKey, type ContractSet, type EndpointContract, type ProviderContract, type ResponseContract } from './endpoints.ts';

/**
 * The request side a response is judged by.
 *
 * @example
 * const req: RequestToCheck = { method: 'GET', path: '/api/v2/warehouses' }
 */
export interface RequestToCheck {
  readonly method: string;
  /** Path without the query (a query string is ignored). */
  readonly path: string;
}

/**
 * The response to check: header names in any case, the body as text ('' for none).
 *
 * @example
 * const res: ResponseToCheck = { status: 405, headers: { allow: 'POST' }, body: '' }
 */
export interface ResponseToCheck {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * `contract` names the response contract that matched; `problems` say what did not.
 *
 * @example
 * // { ok: true, contract: 'POST /api/v2/statements 200 ResultSet' }
 * // { ok: false, problems: ['no contract for 418 on POST /api/v2/statements'] }
 */
export type ValidationResult = { readonly ok: true; readonly contract: string } | { readonly ok: false; readonly problems: string[] };

/**
 * Validates a response against its endpoint contract: a declared status, the content type, and the
 * body (empty, or JSON matching the schema). When several response contracts share the status,
 * one match is enough; when none matches, every candidate's problems are reported.
 *
 * @example
 * const res = await fetch(url, init)
 * const result = validateResponse({ method: 'POST', path: new URL(url).pathname }, { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() })
 * if (!result.ok) console.log(result.problems.join('\n'))
 */
export function validateResponse(req: RequestToCheck, res: ResponseToCheck): ValidationResult {
  shipped ??= createResponseValidator(CONTRACT_SET);
  return shipped(req, res);
}

let shipped: ResponseValidator | undefined;

/**
 * {@link validateResponse} over any set of contracts, e.g. files of your own read with `loadContracts`.
 *
 * @example
 * const validate = createResponseValidator(loadContracts('./my-contracts'))
 * validate({ method: 'GET', path: '/api/v2/warehouses' }, { status: 200, headers: { 'content-type': 'application/json' }, body: '[]' })
 */
export type ResponseValidator = (req: RequestToCheck, res: ResponseToCheck) => ValidationResult;

/**
 * Builds a {@link ResponseValidator} for a contract set. Body schemas compile on first use; a schema
 * ajv refuses (say an unknown keyword, strict mode) throws an error naming its file and definition.
 *
 * @example
 * const validate = createResponseValidator(CONTRACT_SET)
 * validate({ method: 'GET', path: '/nowhere' }, { status: 404, headers: {}, body: '' }) // { ok: true, contract: '* * 404 NotFound' }
 */
export function createResponseValidator(set: ContractSet): ResponseValidator {
  const bodyValidator = bodyValidators(set);
  return (req, res) => {
    const where = `${req.method.toUpperCase()} ${req.path}`;
    // An injected fault's answer is the one its user asked for, not the endpoint's (decisions/0005).
    if (Object.keys(res.headers).some((name) => name.toLowerCase() === FAULT_HEADER)) return { ok: true, contract: 'injected fault' };
    // The external OAuth provider's answers name their endpoint kind (its URLs are the world's, issue #6).
    const contract = set.providerContractFor(req.method, res.headers) ?? set.contractFor(req.method, req.path);
    if (!contract) return { ok: false, problems: [`no contract for ${where}`] };
    const candidates = contract.responses.filter((r) => hasStatus(r, res.status));
    if (candidates.length === 0) return { ok: false, problems: [`no contract for ${res.status} on ${where}`] };
    const problems: string[] = [];
    for (const candidate of candidates) {
      const found = problemsOf(candidate, res, () => bodyValidator(contract, candidate));
      if (found.length === 0) return { ok: true, contract: responseKey(contract, candidate) };
      problems.push(...found.map((p) => `${where} → ${res.status} ${candidate.name}: ${p}`));
    }
    return { ok: false, problems };
  };
}

const hasStatus = (r: ResponseContract, status: number): boolean => (typeof r.status === 'number' ? r.status === status : r.status.includes(status));

function problemsOf(contract: ResponseContract, res: ResponseToCheck, validator: () => ValidateFunction): string[] {
  if (contract.contentType === null) return res.body === '' ? [] : [`body must be empty, got ${excerpt(res.body)}`];
  const type = mediaType(res.headers);
  if (contract.contentType !== undefined && type !== contract.contentType) return [`content-type must be ${contract.contentType}, got ${type ?? 'none'}`];
  return contract.schema === undefined ? [] : schemaProblems(validator(), res.body);
}

/** The media type without parameters, lower-case; undefined when absent. */
function mediaType(headers: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type') return value.split(';', 1)[0]!.trim().toLowerCase();
  }
  return undefined;
}

function schemaProblems(validate: ValidateFunction, body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [`body is not JSON: ${excerpt(body)}`];
  }
  if (validate(parsed)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}

/**
 * One ajv per set, holding every contract file by its `$id` (strict, with the annotation keywords
 * registered); each response's `schemaRef` compiles once. Errors name the file they come from.
 */
function bodyValidators(set: ContractSet): (contract: EndpointContract | ProviderContract, response: ResponseContract) => ValidateFunction {
  let ajv: Ajv | undefined;
  const compiled = new Map<string, ValidateFunction>();
  const load = (): Ajv => {
    const created = addContractKeywords(new Ajv({ allErrors: true, allowUnionTypes: true, strict: true }));
    for (const { file, json } of set.documents) {
      try {
        created.addSchema(json);
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
    }
    return created;
  };
  return (contract, response) => {
    const ref = response.schemaRef ?? `${contract.id}#/definitions/${response.name}`;
    let validate = compiled.get(ref);
    if (!validate) {
      ajv ??= load();
      try {
        validate = ajv.getSchema(ref);
      } catch (err) {
        throw new Error(`${contract.file}: ${ref.slice(ref.indexOf('#'))}: ${(err as Error).message}`);
      }
      if (!validate) throw new Error(`${contract.file}: ${ref} resolves to no schema`);
      compiled.set(ref, validate);
    }
    return validate;
  };
}

/** `$.data[0][1]: must be string,null`, with the offending key or allowed values when ajv gives them. */
function describe(e: ErrorObject): string {
  const path = '$' + e.instancePath.replace(/\/([^/]*)/g, (_m, seg: string) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`));
  const p = e.params as Record<string, unknown>;
  const detail = p.additionalProperty ?? p.allowedValue ?? p.allowedValues ?? p.missingProperty;
  return `${path}: ${e.message ?? e.keyword}${detail === undefined || e.keyword === 'required' ? '' : ` (${JSON.stringify(detail)})`}`;
}

const excerpt = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
