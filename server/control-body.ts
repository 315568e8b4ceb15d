/**
 * The control API's boundary (issue #14): its JSON bodies are read with the same depth limit as
 * the Snowflake surfaces, and every field is type- and value-checked here, before anything uses
 * it, so a wrong value is a 400 naming its field — never a JavaScript error's own message
 * (`user.toUpperCase is not a function`) nor a 500. Values a client sent are quoted only through
 * quoteUntrusted (bounded, never runs the value's own methods).
 *
 * Every refusal has the control API's shape `{ "error": "<path>: <message>[; …]", "issues": [{ path, message }] }`;
 * the path is the field's place in the body (`advance`, `disable_user.user`, `[1].headers.x-a`), `body` for the body itself.
 */
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../domain/json-object.ts';
import { quoteUntrusted } from '../domain/safe-text.ts';
import type { ConfigPath, ConfigProblem } from '../domain/world/validate/world-config-error.ts';
import { internalErrorResponse } from '../http/internal-error.ts';
import { MAX_BODY_BYTES, type MockRequest, type MockResponse } from '../http/record.ts';
import { json } from '../http/respond.ts';

/**
 * A JSON object from a control body, not yet checked field by field.
 *
 * @example
 * const body: Fields = { advance: '10m' }
 */
export type Fields = Record<string, unknown>;

/** Problems listed in one answer at most (the `issues` count says how many there were). */
const MAX_LISTED = 20;
/** A path segment (a header name, an unknown key) is cut to this length when shown. */
const MAX_SEGMENT = 80;

/**
 * Parses a control request's body: the JSON value, or the 400/413 that refuses it — a body past
 * the transports' limit, one nested deeper than {@link MAX_JSON_DEPTH}, or one that is not JSON.
 * `hint` (what to send instead) follows the reason; an empty body reads as `empty` when given.
 *
 * @example
 * const body = readControlJson(req, 'send {"advance":"10m"}', {})
 * if ('refused' in body) return body.refused
 */
export function readControlJson(req: MockRequest, hint: string, empty?: unknown): { value: unknown } | { refused: MockResponse } {
  if (req.bodyTooLarge) return { refused: json(413, { error: `body: larger than the ${MAX_BODY_BYTES / (1024 * 1024)} MiB the mock reads`, issues: [{ path: 'body', message: `larger than ${MAX_BODY_BYTES} bytes` }] }) };
  if (req.body.trim() === '' && empty !== undefined) return { value: empty };
  const refuse = (message: string): { refused: MockResponse } => ({ refused: invalid([{ path: [], message: `${message}; ${hint}` }]) });
  if (req.body.trim() === '') return refuse('empty');
  // Checked on the text before parsing: JSON.parse itself would build the deep value.
  if (exceedsJsonDepth(req.body)) return refuse(`nested more than ${MAX_JSON_DEPTH} levels deep`);
  try {
    return { value: JSON.parse(req.body) as unknown };
  } catch {
    // Not the parser's message: that is a JavaScript error's text.
    return refuse('not JSON');
  }
}

/**
 * The 400 listing problems, each at its field (`body` for the body itself).
 *
 * @example
 * invalid([{ path: ['advance'], message: 'expected a duration' }]) // 400 {"error":"advance: expected a duration","issues":[…]}
 */
export function invalid(problems: readonly ConfigProblem[], prefix = ''): MockResponse {
  const issues = problems.slice(0, MAX_LISTED).map((p) => ({ path: shownPath(p.path), message: p.message }));
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  return json(400, { error: `${prefix}${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}${more}`, issues });
}

/** `disable_user.user`, `[1].headers.x-a`; `body` for the root. Long segments are cut: a key is the client's text. */
function shownPath(path: ConfigPath): string {
  if (path.length === 0) return 'body';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p.length > MAX_SEGMENT ? `${p.slice(0, MAX_SEGMENT)}…` : p}`)).join('');
}

/** The classes the engine itself throws (`x.toUpperCase is not a function`); the model refuses with Error and its own subclasses. */
const ENGINE_ERRORS: readonly object[] = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError].map((E) => E.prototype);

/**
 * V8's own wording of those errors. The model also throws a few TypeErrors and RangeErrors on
 * purpose, written for people (`the mock clock cannot go to …`): only the engine's wording marks a bug.
 */
const ENGINE_WORDING = /^Cannot (?:read|set) properties of |is not (?:a function|iterable|a constructor|defined)\b|^Cannot (?:convert|destructure|create property|assign to read only|access '|mix BigInt)|^Maximum call stack size exceeded|^Invalid (?:time value|array length|string length|regular expression)|^Unexpected (?:token|end of JSON|non-whitespace)|in JSON at position|^Converting circular structure|^Do not know how to serialize|^Reduce of empty array/;

/**
 * The answer for an error thrown while a control request was applied, after its fields passed the
 * boundary: a refusal of the model (an unknown user, a full fault plan, a clock out of range) is a
 * 400 with its message, written for people; an error in the engine's own words is a bug of the
 * mock, the control API's internal-error 500 (code 999000) — its message is JavaScript's, not the client's business.
 *
 * @example
 * controlFailure(new Error('user "BOB" does not exist')).status // 400
 * controlFailure(new TypeError("Cannot read properties of null (reading 'map')")).status // 500
 */
export function controlFailure(error: unknown): MockResponse {
  // The one internal-error answer of the control API (decisions/0017): 999000, never the error's text.
  if (error instanceof Error && ENGINE_ERRORS.includes(Object.getPrototypeOf(error) as object) && ENGINE_WORDING.test(error.message)) return internalErrorResponse('control');
  return json(400, { error: error instanceof Error ? error.message : `refused: ${quoteUntrusted(error)}` });
}

/**
 * Names a value a client sent, bounded: `the string "soon"`, `number 5`, `a list`, `a JSON object`, `null`.
 *
 * @example
 * got('soon') // 'the string "soon"'
 * got({ toString: 1 }) // 'a JSON object'
 */
export function got(v: unknown): string {
  if (typeof v === 'string') return `the string ${quoteUntrusted(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${quoteUntrusted(v)}`;
  if (Array.isArray(v)) return 'a list';
  return v !== null && typeof v === 'object' ? 'a JSON object' : quoteUntrusted(v);
}

/**
 * Whether a value is a JSON object (not a list, not null).
 *
 * @example
 * isObject(JSON.parse('{"ip":null}')) // true
 * isObject([]) // false
 */
export const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Collects the problems of one body, field by field; each reader returns the value only when it
 * is right, so nothing later sees a half-valid value.
 *
 * @example
 * const f = new FieldReader()
 * const b = f.object(body, [], ['ip'])
 * const ip = b && f.string(b, 'ip', [], { nullable: true })
 * if (f.problems.length > 0) return invalid(f.problems)
 */
export class FieldReader {
  readonly problems: ConfigProblem[] = [];

  add(path: ConfigPath, message: string): void {
    this.problems.push({ path, message });
  }

  /** A JSON object whose keys are all in `allowed` (each unknown key is a problem at itself). */
  object(value: unknown, path: ConfigPath, allowed: readonly string[], what = 'a JSON object'): Fields | undefined {
    if (!isObject(value)) {
      this.add(path, `expected ${what}, got ${got(value)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.add([...path, key], `unknown field; expected ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}`);
    return value;
  }

  /** A required (or optional) field that is a string, or null when `nullable`. */
  string(obj: Fields, key: string, path: ConfigPath, o: { required?: boolean; nullable?: boolean } = {}): string | null | undefined {
    const v = obj[key];
    if (v === undefined) {
      if (o.required) this.add([...path, key], `required: ${o.nullable ? 'a string or null' : 'a string'}`);
      return undefined;
    }
    if (typeof v === 'string' || (v === null && o.nullable)) return v;
    this.add([...path, key], `expected a string${o.nullable ? ' or null' : ''}, got ${got(v)}`);
    return undefined;
  }

  boolean(obj: Fields, key: string, path: ConfigPath, required = false): boolean | undefined {
    const v = obj[key];
    if (typeof v === 'boolean') return v;
    if (v !== undefined || required) this.add([...path, key], `expected true or false, got ${v === undefined ? 'nothing' : got(v)}`);
    return undefined;
  }

  /** A whole number in [min, max]; `what` names it in the message (`a 5xx status`). */
  integer(obj: Fields, key: string, path: ConfigPath, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, what = 'a whole number'): number | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    const range = min === Number.MIN_SAFE_INTEGER ? '' : max === Number.MAX_SAFE_INTEGER ? ` of at least ${min}` : ` from ${min} to ${max}`;
    this.add([...path, key], `expected ${what}${range}, got ${got(v)}`);
    return undefined;
  }

  /** A list of strings. */
  strings(obj: Fields, key: string, path: ConfigPath): string[] | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.add([...path, key], `expected a list of strings, got ${got(v)}`);
      return undefined;
    }
    const before = this.problems.length;
    v.forEach((item, i) => {
      if (typeof item !== 'string') this.add([...path, key, i], `expected a string, got ${got(item)}`);
    });
    return this.problems.length === before ? (v as string[]) : undefined;
  }
}
