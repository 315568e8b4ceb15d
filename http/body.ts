/**
 * Request bodies as text, once, for both transports. Drivers may gzip what they send
 * (`Content-Encoding: gzip`; the Python connector does for query requests); the mock reads the
 * text inside, never more than {@link MAX_BODY_BYTES} of it.
 */
import { gunzipSync } from 'node:zlib';
import { MAX_BODY_BYTES } from './record.ts';

/** A body read: its text, and whether it was cut (too large, also once inflated). */
export interface DecodedBody {
  readonly body: string;
  readonly tooLarge: boolean;
}

const NONE: DecodedBody = { body: '', tooLarge: false };

/**
 * Decodes raw body bytes; a gzip body (by header and magic number) is inflated up to the limit.
 *
 * @example
 * decodeBody(gzipSync('{"sqlText":"SELECT 1"}'), 'gzip').body // '{"sqlText":"SELECT 1"}'
 */
export function decodeBody(bytes: Uint8Array, contentEncoding: string | undefined): DecodedBody {
  if (bytes.byteLength === 0) return NONE;
  if (bytes.byteLength > MAX_BODY_BYTES) return { body: '', tooLarge: true };
  const gzipped = contentEncoding !== undefined && bytes[0] === 0x1f && bytes[1] === 0x8b && /gzip/i.test(contentEncoding);
  if (!gzipped) return { body: utf8(bytes), tooLarge: false };
  try {
    return { body: gunzipSync(bytes, { maxOutputLength: MAX_BODY_BYTES }).toString('utf8'), tooLarge: false };
  } catch (error) {
    // Over the limit once inflated: refused like an oversized body. A stream that does not inflate
    // (truncated, corrupt) is read as sent, so the endpoint refuses it as the malformed body it is
    // rather than as "larger than the mock reads" (issue #14, the fuzz suite).
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return { body: '', tooLarge: true };
    return { body: utf8(bytes), tooLarge: false };
  }
}

/** The node server hands in Buffers already; only msw's Uint8Array needs a view. */
function utf8(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');
}
