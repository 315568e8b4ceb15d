/**
 * What a recorded answer says, for choosing what to send: whether it refused a credential (then a
 * value the model does not hold is sent, since redaction hides whether the recorded one was right)
 * and what it issued. Codes from Snowflake's error catalogue (domain/errors/catalogue.ts, docs/errors.md).
 */
import { placeholdersIn, type Exchange } from '../format.ts';
import { bodyValue, isObject } from './compare.ts';

/** The parts of a recorded answer verify looks at. */
export interface Answer {
  readonly status: number;
  readonly success?: boolean;
  readonly code?: string;
  readonly message?: string;
  readonly data?: Record<string, unknown>;
  /** RFC 6749 §5.2 `error` of a token answer. */
  readonly error?: string;
  readonly body?: Record<string, unknown>;
}

/**
 * The recorded answer of an exchange.
 *
 * @example
 * answerOf(exchange).code // '390100'
 */
export function answerOf(ex: Exchange): Answer {
  const body = bodyValue(ex.response.body);
  if (!isObject(body)) return { status: ex.response.status };
  return {
    status: ex.response.status,
    ...(typeof body.success === 'boolean' && { success: body.success }),
    ...(body.code !== undefined && body.code !== null && { code: String(body.code) }),
    ...(typeof body.message === 'string' && { message: body.message }),
    ...(isObject(body.data) && { data: body.data }),
    ...(typeof body.error === 'string' && { error: body.error }),
    body,
  };
}

/**
 * Codes by which Snowflake refuses a credential of a login (docs/errors.md).
 *
 * @example
 * REFUSALS.password // ['390100']
 */
export const REFUSALS = {
  password: ['390100'],
  pat: ['394400'],
  jwt: ['390144'],
  accessTokenExpired: ['390318'],
} as const;

/**
 * True when the recorded login answer refused the credential of this kind.
 *
 * @example
 * loginRefused(answerOf(ex), 'password') // true for 390100
 */
export function loginRefused(a: Answer, kind: keyof typeof REFUSALS): boolean {
  return a.success === false && a.code !== undefined && (REFUSALS[kind] as readonly string[]).includes(a.code);
}

/**
 * True for a whole-value placeholder (`__redacted_password_1__`).
 *
 * @example
 * isPlaceholder('__redacted_pat_1__') // true
 */
export function isPlaceholder(v: unknown): v is string {
  return typeof v === 'string' && placeholdersIn(v)[0]?.text === v;
}

/**
 * True when a token answer succeeded.
 *
 * @example
 * tokenGranted(answerOf(ex)) // true for 200 with an access_token
 */
export function tokenGranted(a: Answer): boolean {
  return a.status >= 200 && a.status < 300 && a.error === undefined;
}
