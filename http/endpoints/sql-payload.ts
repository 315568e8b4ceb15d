/**
 * Reading the SQL API request body (https://docs.snowflake.com/en/developer-guide/sql-api/reference). Anything that is not a JSON object with a
 * non-empty string `statement` and well-typed optional fields is "not a valid payload" (390142).
 */
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../domain/json-object.ts';
import type { MockRequest } from '../record.ts';

/** The fields of a statement request the mock uses. */
export interface StatementPayload {
  readonly statement: string;
  readonly timeout?: number;
  readonly database?: string;
  readonly schema?: string;
  readonly warehouse?: string;
  readonly role?: string;
  /** Bound values, `{"1": {"type": "FIXED", "value": "42"}, …}` (checked to be an object only). */
  readonly bindings?: Readonly<Record<string, unknown>>;
}

export type PayloadResult = { readonly ok: true; readonly value: StatementPayload } | { readonly ok: false; readonly explanation: string };

const STRING_FIELDS = ['database', 'schema', 'warehouse', 'role'] as const;
const OBJECT_FIELDS = ['bindings', 'parameters'] as const;

/**
 * Parses and checks a statement request body.
 *
 * @example
 * parsePayload(request) // { ok: true, value: { statement: 'SELECT 1' } }
 */
export function parsePayload(req: MockRequest): PayloadResult {
  if (req.bodyTooLarge) return fail('the body is larger than the mock reads');
  // A client sends the same body again and again (the same SELECT): the last short body's reading is
  // reused (a pure function of the text; the value is frozen, so no request changes it for the next).
  if (req.body === lastBody) return lastRead!;
  const read = readPayload(req.body);
  if (req.body.length <= MAX_REMEMBERED_BODY) {
    lastBody = req.body;
    lastRead = read;
  }
  return read;
}

/** Longer bodies are not remembered: the memory is for the short statement sent again and again. */
const MAX_REMEMBERED_BODY = 4096;
let lastBody: string | undefined;
let lastRead: PayloadResult | undefined;

function readPayload(text: string): PayloadResult {
  if (exceedsJsonDepth(text)) return fail(`the body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(text.trim() === '' ? 'the body is empty' : 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('the body is not a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.statement !== 'string' || b.statement.trim() === '') return fail('"statement" is missing or not a non-empty string');
  if (b.timeout !== undefined && !(Number.isInteger(b.timeout) && (b.timeout as number) >= 0)) return fail('"timeout" is not a non-negative integer');
  for (const f of STRING_FIELDS) if (b[f] !== undefined && typeof b[f] !== 'string') return fail(`"${f}" is not a string`);
  for (const f of OBJECT_FIELDS) if (b[f] !== undefined && (typeof b[f] !== 'object' || b[f] === null || Array.isArray(b[f]))) return fail(`"${f}" is not an object`);
  return { ok: true, value: Object.freeze(b) as unknown as StatementPayload };
}

const fail = (explanation: string): PayloadResult => ({ ok: false, explanation: `invalid payload: ${explanation}` });
