/**
 * The refusal of the final scan (record/scan.ts): a file would have carried a secret, so nothing
 * was written. The message names the file and the JSON pointer, never the value.
 */

/**
 * Which check refused: a value redaction saw elsewhere, a known secret shape, or a random-looking string.
 *
 * @example
 * if (error instanceof RedactionError && error.rule === 'entropy') console.error(`allow it with --allow '${error.file}#${error.path}'`)
 */
export type RedactionRule = 'seen' | 'shape' | 'entropy';

/**
 * A secret survived redaction; the exchange was not written.
 *
 * @example
 * throw new RedactionError('exchanges/0003-post-session-v1-login-request.json', '/response/body/json/data/weird', 'seen', 'the session token first seen as __redacted_session_token_1__')
 * // message: 'exchanges/0003-…json#/response/body/json/data/weird: the session token … — nothing written'
 */
export class RedactionError extends Error {
  /** The exchange file (relative to the recording folder) that was not written. */
  readonly file: string;
  /** JSON pointer of the value inside that file ('' for the whole file). */
  readonly path: string;
  readonly rule: RedactionRule;
  constructor(file: string, path: string, rule: RedactionRule, problem: string) {
    super(`${file}#${path}: ${problem} — nothing written`);
    this.name = 'RedactionError';
    this.file = file;
    this.path = path;
    this.rule = rule;
  }
}
