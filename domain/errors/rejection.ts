/**
 * What an auth rule returns when it says no. The domain decides *which* catalogue code applies
 * and *why*; only `http/respond.ts` turns it into a status and a body.
 */

/** A refusal by a documented (or decided) rule, with the words the journal shows. */
export interface Rejection {
  /** Catalogue code that goes on the wire by default, e.g. `390144`. */
  readonly code: string;
  /**
   * The specific reason, when it is finer than the wire code: a catalogue code (`394302`) that a
   * switch may put on the wire, or a named cause (`PAT_EXPIRED`) that only the journal shows.
   */
  readonly cause?: string;
  /** One line naming the rule and the object that decided, e.g. "PAT CI of ALICE expired at …". */
  readonly explanation: string;
  /** Where the rule comes from, e.g. `https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token`. */
  readonly rule: string;
  /** Values for the catalogue message template, e.g. `{ ip: '10.0.0.5' }`. */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * A failure a user wrote (a `statements:` entry or an `onStatement` hook, decisions/0016): sent as
   * given, in the envelope of a failed statement, instead of a catalogue entry's code and message.
   */
  readonly answer?: UserAnswerError;
}

/**
 * A user-written statement failure: Snowflake's 6-digit code, 5-character SQL state, and message.
 *
 * @example
 * const e: UserAnswerError = { code: '002003', sqlState: '02000', message: "SQL compilation error:\nObject 'ORDERS' does not exist or not authorized." }
 */
export interface UserAnswerError {
  readonly code: string;
  readonly sqlState: string;
  readonly message: string;
}

/**
 * Builds a {@link Rejection}.
 *
 * @example
 * reject('390144', 'https://docs.snowflake.com/en/developer-guide/sql-api/authenticating', 'iss account is lower-case', '394300')
 */
export function reject(code: string, rule: string, explanation: string, cause?: string, params?: Record<string, string>): Rejection {
  return cause === undefined && params === undefined
    ? { code, rule, explanation }
    : { code, rule, explanation, ...(cause !== undefined && { cause }), ...(params !== undefined && { params }) };
}
