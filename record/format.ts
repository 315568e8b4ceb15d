/**
 * The recording format, version 1 (docs/recording-format.md): a folder `recordings/<name>/` with a
 * manifest `recording.json` and one readable JSON file per exchange under `exchanges/`, in the
 * order they happened. Secrets never appear in either: redaction (record/redact.ts) puts
 * placeholders such as `__redacted_session_token_1__` in their place before anything is written,
 * and the manifest lists each placeholder's kind.
 */

/** The `format` value of every manifest; readers refuse anything else. */
export const RECORDING_FORMAT = 'snowflake-auth-mock/recording';
/** Bumped on any change a version-1 reader could misread. */
export const RECORDING_VERSION = 1;

/**
 * A body as stored: parsed JSON when it was JSON (readable, diffable), form fields in order for
 * `application/x-www-form-urlencoded`, text otherwise, base64 for bytes that are not UTF-8.
 *
 * @example
 * const body: RecordedBody = { json: { data: { LOGIN_NAME: 'ALICE' } } }
 */
export type RecordedBody =
  | { readonly json: unknown }
  | { readonly form: readonly (readonly [string, string])[] }
  | { readonly text: string }
  | { readonly base64: string };

/**
 * One request as sent to the upstream.
 *
 * @example
 * const r: RecordedRequest = { method: 'POST', url: '/session/v1/login-request?requestId=…', headers: { 'content-type': 'application/json' }, body: { json: {} } }
 */
export interface RecordedRequest {
  /** Upper-case. */
  readonly method: string;
  /** Path and query, as sent (`/api/v2/statements?async=false`). */
  readonly url: string;
  /** The Host the client addressed (`myorg-myaccount.snowflakecomputing.com`), when not the upstream's own. */
  readonly host?: string;
  /** Lower-case names; hop-by-hop headers and content-length left out. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: RecordedBody;
}

/**
 * One response as the upstream gave it (decoded: no content-encoding).
 *
 * @example
 * const r: RecordedResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: { json: { success: true } } }
 */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: RecordedBody;
}

/**
 * One request/response pair, the unit of recording, replay and drift checks.
 *
 * @example
 * const e: Exchange = { id: '0001', startedAt: '2026-12-06T10:00:00.000Z', durationMs: 12, request, response }
 */
export interface Exchange {
  /** Four digits, the order in the recording (`0001`); also the start of its file name. */
  readonly id: string;
  /** When the request was sent (the recorder's wall clock, or the mock clock for `serve`). */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly request: RecordedRequest;
  readonly response: RecordedResponse;
  /** Where the exchange came from when imported: a WireMock mapping file, a HAR entry. */
  readonly origin?: string;
}

/** Kinds of secret; a placeholder of one kind matches any value of that kind on replay. */
export type SecretKind =
  | 'password' | 'passcode' | 'mfa_token' | 'pat' | 'client_secret' | 'oauth_code' | 'code_verifier'
  | 'access_token' | 'refresh_token' | 'session_token' | 'master_token' | 'id_token' | 'private_key'
  | 'jwt_signature' | 'cookie' | 'authorization' | 'provider_token' | 'secret'
  | 'account' | 'locator' | 'user' | 'ip';

/**
 * What the manifest says of one placeholder: its kind and where it first appeared.
 *
 * @example
 * const p: PlaceholderInfo = { kind: 'session_token', firstSeen: 'exchanges/0001-post-session-v1-login-request.json#/response/body/json/data/token' }
 */
export interface PlaceholderInfo {
  readonly kind: SecretKind;
  readonly firstSeen: string;
}

/**
 * `recording.json`.
 *
 * @example
 * const m: RecordingManifest = { format: RECORDING_FORMAT, version: 1, name: 'pat-login', upstream: 'http://127.0.0.1:4010', recordedAt: '…', mockVersion: '0.1.0', redaction: { identities: false, placeholders: {} }, exchanges: [] }
 */
export interface RecordingManifest {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: typeof RECORDING_VERSION;
  readonly name: string;
  /** Base URL the recorder forwarded to (`https://myorg-myaccount.snowflakecomputing.com`, `http://127.0.0.1:4010`), or the import's origin. */
  readonly upstream: string;
  readonly recordedAt: string;
  /** Version of snowflake-auth-mock that wrote it. */
  readonly mockVersion: string;
  readonly redaction: {
    /** Account names, locators, user names and IPs were replaced too (`--redact-identities`). */
    readonly identities: boolean;
    readonly placeholders: Readonly<Record<string, PlaceholderInfo>>;
    /** JSON paths the user allowed through the final scan (`--allow`), with the file they are in. */
    readonly allowed?: readonly string[];
  };
  /** Exchange file names under `exchanges/`, in order. */
  readonly exchanges: readonly string[];
  /** For imports: what the exchanges were made from and under which licence. */
  readonly attribution?: string;
}

const PLACEHOLDER = /__redacted_([a-z_]+?)_(\d+)__/g;

/**
 * The placeholder text for the n-th secret of a kind: URL-safe, so it survives in queries and
 * headers, and shaped so that no real token looks like it.
 *
 * @example
 * placeholder('session_token', 1) // '__redacted_session_token_1__'
 */
export function placeholder(kind: SecretKind, n: number): string {
  return `__redacted_${kind}_${n}__`;
}

/**
 * Every placeholder in a text, in order.
 *
 * @example
 * placeholdersIn('Snowflake Token="__redacted_session_token_1__"') // [{ text: '__redacted_session_token_1__', kind: 'session_token', n: 1 }]
 */
export function placeholdersIn(text: string): { readonly text: string; readonly kind: SecretKind; readonly n: number }[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ text: m[0], kind: m[1] as SecretKind, n: Number(m[2]) }));
}

/**
 * The exchange file name: order, method and a slug of the path, so a folder listing reads as the flow.
 *
 * @example
 * exchangeFileName('0003', 'POST', '/session/v1/login-request?requestId=1') // '0003-post-session-v1-login-request.json'
 */
export function exchangeFileName(id: string, method: string, url: string): string {
  const path = url.split('?')[0] ?? '';
  const slug = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'root';
  return `${id}-${method.toLowerCase()}-${slug}.json`;
}
