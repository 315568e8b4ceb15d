/**
 * A recorded body as the text a request carries.
 */
import type { RecordedBody } from '../format.ts';

/**
 * The body text: JSON serialised, a form encoded, text as is, base64 decoded as UTF-8; '' for none.
 *
 * @example
 * bodyText({ form: [['grant_type', 'refresh_token']] }) // 'grant_type=refresh_token'
 */
export function bodyText(body: RecordedBody | undefined): string {
  if (body === undefined) return '';
  if ('json' in body) return JSON.stringify(body.json);
  if ('form' in body) return new URLSearchParams(body.form.map(([k, v]) => [k, v])).toString();
  if ('text' in body) return body.text;
  return Buffer.from(body.base64, 'base64').toString('utf8');
}

/**
 * A recorded body as form fields (a form as is, text or JSON-less bodies parsed as a query string).
 *
 * @example
 * formOf({ text: 'grant_type=client_credentials' }).get('grant_type') // 'client_credentials'
 */
export function formOf(body: RecordedBody | undefined): Map<string, string> {
  if (body === undefined) return new Map();
  if ('form' in body) return new Map(body.form.map(([k, v]) => [k, v]));
  if ('text' in body) return new Map(new URLSearchParams(body.text));
  return new Map();
}
