/**
 * Checks one response against the contract of its request (endpoints.ts). Pure: no fs, no http,
 * so it runs on the mock's own records, on a user's fetch responses and on recordings alike.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { FAULT_HEADER } from '../domain/faults.ts';
import { contractFor, providerContractFor, responseKey, type ResponseContract } from './endpoints.ts';

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
  const where = `${req.method.toUpperCase()} ${req.path}`;
  // An injected fault's answer is the one its user asked for, not the endpoint's (decisions/0005).
  if (Object.keys(res.headers).some((name) => name.toLowerCase() === FAULT_HEADER)) return { ok: true, contract: 'injected fault' };
  // The external OAuth provider's answers name their endpoint kind (its URLs are the world's, issue #6).
  const contract = providerContractFor(req.method, res.headers) ?? contractFor(req.method, req.path);
  if (!contract) return { ok: false, problems: [`no contract for ${where}`] };
  const candidates = contract.responses.filter((r) => hasStatus(r, res.status));
  if (candidates.length === 0) return { ok: false, problems: [`no contract for ${res.status} on ${where}`] };
  const problems: string[] = [];
  for (const candidate of candidates) {
    const found = problemsOf(candidate, res);
    if (found.length === 0) return { ok: true, contract: responseKey(contract, candidate) };
    problems.push(...found.map((p) => `${where} → ${res.status} ${candidate.name}: ${p}`));
  }
  return { ok: false, problems };
}

const hasStatus = (r: ResponseContract, status: number): boolean => (typeof r.status === 'number' ? r.status === status : r.status.includes(status));

function problemsOf(contract: ResponseContract, res: ResponseToCheck): string[] {
  if (contract.contentType === null) return res.body === '' ? [] : [`body must be empty, got ${excerpt(res.body)}`];
  const type = mediaType(res.headers);
  if (contract.contentType !== undefined && type !== contract.contentType) return [`content-type must be ${contract.contentType}, got ${type ?? 'none'}`];
  return contract.schema === undefined ? [] : schemaProblems(contract.schema, res.body);
}

/** The media type without parameters, lower-case; undefined when absent. */
function mediaType(headers: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type') return value.split(';', 1)[0]!.trim().toLowerCase();
  }
  return undefined;
}

function schemaProblems(schema: object, body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [`body is not JSON: ${excerpt(body)}`];
  }
  const validate = compiled(schema);
  if (validate(parsed)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}

let ajv: Ajv | undefined;
const cache = new WeakMap<object, ValidateFunction>();

/** Compiles each schema once; the contracts are frozen, so the object is a safe cache key. */
function compiled(schema: object): ValidateFunction {
  let validate = cache.get(schema);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, allowUnionTypes: true, strict: true });
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  return validate;
}

/** `$.data[0][1]: must be string,null`, with the offending key or allowed values when ajv gives them. */
function describe(e: ErrorObject): string {
  const path = '$' + e.instancePath.replace(/\/([^/]*)/g, (_m, seg: string) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`));
  const p = e.params as Record<string, unknown>;
  const detail = p.additionalProperty ?? p.allowedValue ?? p.allowedValues ?? p.missingProperty;
  return `${path}: ${e.message ?? e.keyword}${detail === undefined || e.keyword === 'required' ? '' : ` (${JSON.stringify(detail)})`}`;
}

const excerpt = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
