/**
 * Turning what went over the wire into the parts of an {@link Exchange}, shared by the recording
 * proxy, the msw recorder and `run --record`: bodies decoded and stored readably, headers without
 * the hop-by-hop ones (RFC 9110 §7.6.1, https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1) or
 * content-length, and the Host the client addressed. Everything here still holds real values;
 * redaction happens in record/write.ts.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { MAX_BODY_BYTES } from '../http/record.ts';
import type { RecordedBody } from './format.ts';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1); never forwarded or recorded. */
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'te', 'transfer-encoding', 'upgrade']);

type HeaderInput = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The end-to-end headers of a message: lower-case names, repeated values joined with `, `, without
 * the hop-by-hop headers and those the Connection header names.
 *
 * @example
 * endToEndHeaders({ Connection: 'keep-alive, x-trace', 'X-Trace': '1', Accept: 'application/json' }) // { accept: 'application/json' }
 */
export function endToEndHeaders(headers: HeaderInput): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) lower[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  }
  const named = (lower.connection ?? '').split(',').map((s) => s.trim().toLowerCase());
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(lower)) if (!HOP_BY_HOP.has(name) && !named.includes(name)) out[name] = value;
  return out;
}

/**
 * The headers as recorded: end-to-end, without content-length (the stored body is decoded, its
 * length is not the wire's), without host (kept apart, see {@link addressedHost}), and without
 * content-encoding when the body was decoded.
 *
 * @example
 * recordedHeaders({ 'content-length': '12', 'content-encoding': 'gzip', 'content-type': 'application/json' }, true) // { 'content-type': 'application/json' }
 */
export function recordedHeaders(headers: HeaderInput, decoded: boolean): Record<string, string> {
  const out = endToEndHeaders(headers);
  delete out['content-length'];
  delete out.host;
  if (decoded) delete out['content-encoding'];
  return out;
}

/**
 * Undoes a Content-Encoding (gzip, deflate, br; several applied in order are undone in reverse),
 * as fetch does for responses and the mock does for gzip request bodies. `decoded` is false when
 * an encoding is unknown or the bytes do not decode: the bytes are then kept as they were.
 *
 * @example
 * decodeContent(gzipSync('{"a":1}'), 'gzip') // { bytes: <Buffer 7b 22 61 …>, decoded: true }
 */
export function decodeContent(bytes: Buffer, encoding: string | undefined): { bytes: Buffer; decoded: boolean } {
  const codings = (encoding ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '' && s !== 'identity');
  if (codings.length === 0 || bytes.length === 0) return { bytes, decoded: true };
  try {
    let out = bytes;
    for (const coding of codings.reverse()) out = decodeOne(out, coding);
    return { bytes: out, decoded: true };
  } catch {
    return { bytes, decoded: false };
  }
}

/** What a decoded body may grow to: a few kilobytes of gzip must not become gigabytes in memory. */
const DECODE_LIMIT = { maxOutputLength: 4 * MAX_BODY_BYTES };

function decodeOne(bytes: Buffer, coding: string): Buffer {
  if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(bytes, DECODE_LIMIT);
  if (coding === 'br') return brotliDecompressSync(bytes, DECODE_LIMIT);
  if (coding !== 'deflate') throw new Error(`unknown content-coding ${coding}`);
  // "deflate" is zlib-wrapped by the RFC, raw in some servers; fetch accepts both, so do we.
  try {
    return inflateSync(bytes, DECODE_LIMIT);
  } catch {
    return inflateRawSync(bytes, DECODE_LIMIT);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A decoded body as stored: parsed JSON for JSON, form fields in order for
 * `application/x-www-form-urlencoded`, text for other UTF-8, base64 for anything else; undefined
 * when empty.
 *
 * @example
 * recordedBody(Buffer.from('grant_type=refresh_token&refresh_token=abc'), 'application/x-www-form-urlencoded')
 * // { form: [['grant_type', 'refresh_token'], ['refresh_token', 'abc']] }
 */
export function recordedBody(bytes: Uint8Array, contentType: string | undefined): RecordedBody | undefined {
  if (bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { base64: Buffer.from(bytes).toString('base64') };
  }
  const type = (contentType ?? '').toLowerCase();
  if (/[/+]json\b/.test(type) || (!type && /^\s*[[{]/.test(text))) {
    try {
      return { json: JSON.parse(text) as unknown };
    } catch {
      return { text };
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return { form: [...new URLSearchParams(text)] };
  return { text };
}

/**
 * The host name the client addressed, when it says something: not an IP literal or `localhost`
 * (the recorder's own address) and not the upstream's own host. Without the port, as the mock's
 * request record has it (http/record.ts).
 *
 * @example
 * addressedHost('myorg-myaccount.localhost:4011', new URL('http://127.0.0.1:4010')) // 'myorg-myaccount.localhost'
 * addressedHost('127.0.0.1:4011', new URL('http://127.0.0.1:4010'))                 // undefined
 */
export function addressedHost(hostHeader: string | undefined, upstream: URL): string | undefined {
  const name = hostName(hostHeader ?? '');
  if (name === '' || name === 'localhost' || name.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return undefined;
  return name === upstream.hostname.toLowerCase() ? undefined : name;
}

/**
 * `myorg-myaccount.localhost:4010` → `myorg-myaccount.localhost`; `[::1]:4010` → `::1`.
 *
 * @example
 * hostName('[::1]:4011') // '::1'
 */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/**
 * Headers and body of one message as recorded: the body decoded from its Content-Encoding and
 * stored by {@link recordedBody}, the headers by {@link recordedHeaders}.
 *
 * @example
 * capturedMessage({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"a":1}'))
 * // { headers: { 'content-type': 'application/json' }, body: { json: { a: 1 } } }
 */
export function capturedMessage(headers: HeaderInput, bytes: Buffer): { headers: Record<string, string>; body?: RecordedBody } {
  const encoding = headerValue(headers, 'content-encoding');
  const decoded = decodeContent(bytes, encoding);
  const body = decoded.decoded ? recordedBody(decoded.bytes, headerValue(headers, 'content-type')) : recordedBody(bytes, 'application/octet-stream');
  return { headers: recordedHeaders(headers, decoded.decoded), ...(body !== undefined && { body }) };
}

function headerValue(headers: HeaderInput, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined) return typeof value === 'string' ? value : value.join(', ');
  }
  return undefined;
}
