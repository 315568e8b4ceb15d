/**
 * RFC 6238 time-based one-time passwords (HMAC-SHA1, 30 s steps, 6 digits — what authenticator
 * apps use), computed on the mock clock so a test can produce the passcode a user would type.
 */
import { createHmac } from 'node:crypto';

const STEP_MS = 30_000;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The 6-digit TOTP code for a base32 secret at a mock-clock time.
 *
 * @example
 * totpCode('JBSWY3DPEHPK3PXP', mock.clock.now()) // e.g. '492039'
 */
export function totpCode(secret: string, atMs: number): string {
  return hotp(base32Decode(secret), Math.floor(atMs / STEP_MS));
}

/**
 * Whether `code` is the TOTP code of the current step or one step either side (RFC 6238 §5.2
 * recommends allowing one step of drift).
 *
 * @example
 * verifyTotp(secret, totpCode(secret, now), now) // true
 */
export function verifyTotp(secret: string, code: string, nowMs: number): boolean {
  const key = base32Decode(secret);
  const counter = Math.floor(nowMs / STEP_MS);
  return [counter - 1, counter, counter + 1].some((c) => hotp(key, c) === code);
}

/** RFC 4226 HOTP with dynamic truncation. */
function hotp(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(Math.max(0, counter)));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 1_000_000).padStart(6, '0');
}

function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) continue;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
