/**
 * IPv4/IPv6 addresses and CIDR blocks as unsigned integers, parsed once at load so a policy check
 * on the hot path is a shift and a compare (https://docs.snowflake.com/en/user-guide/network-policies).
 */
import type { Cidr } from '../world/model.ts';

/** A parsed address. */
export interface Ip {
  readonly family: 4 | 6;
  readonly value: bigint;
  readonly text: string;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): bigint | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255 || (m[i]!.length > 1 && m[i]!.startsWith('0'))) return undefined;
    v = (v << 8n) | BigInt(octet);
  }
  return v;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const groups = (s: string): bigint[] | undefined => {
    if (s === '') return [];
    const out: bigint[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p); // embedded IPv4, e.g. ::ffff:10.0.0.1
        if (v4 === undefined) return undefined;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(BigInt('0x' + p));
      else return undefined;
    }
    return out;
  };
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  if (!h || !t) return undefined;
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  return [...h, ...Array<bigint>(tail === undefined ? 0 : missing).fill(0n), ...t].reduce((acc, g) => (acc << 16n) | g, 0n);
}

/**
 * Parses an IP address. IPv4-mapped IPv6 (`::ffff:10.0.0.5`, what dual-stack sockets report) is
 * read as the IPv4 address it carries, since that is the address the client has.
 *
 * @example
 * parseIp('::ffff:10.0.0.5') // { family: 4, value: 167772165n, text: '10.0.0.5' }
 */
export function parseIp(text: string): Ip | undefined {
  // Clients repeat their address on every request; parsing (BigInt) is the costly part, so memoise.
  const known = parsed.get(text);
  if (known !== undefined || parsed.has(text)) return known;
  const ip = parseIpText(text);
  if (parsed.size >= 1024) parsed.clear();
  parsed.set(text, ip);
  return ip;
}

const parsed = new Map<string, Ip | undefined>();

function parseIpText(text: string): Ip | undefined {
  const t = text.trim();
  const v4 = parseV4(t);
  if (v4 !== undefined) return { family: 4, value: v4, text: t };
  const zoneless = t.replace(/%.*$/, '').replace(/^\[(.*)\]$/, '$1');
  const v6 = parseV6(zoneless);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) {
    const v = v6 & 0xffffffffn;
    return { family: 4, value: v, text: [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.') };
  }
  return { family: 6, value: v6, text: zoneless };
}

/**
 * Parses `10.0.0.0/8`, `10.0.0.99`, `2001:db8::/32` or `::/0`. Returns `undefined` when malformed
 * (bad address, prefix out of range, or host bits set below the prefix).
 *
 * @example
 * parseCidr('10.0.0.0/8')?.prefix // 8
 */
export function parseCidr(text: string): Cidr | undefined {
  const [addr = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= width)) return undefined;
  const hostBits = BigInt(width - prefix);
  if ((ip.value & ((1n << hostBits) - 1n)) !== 0n) return undefined;
  return { text: text.trim(), family: ip.family, base: ip.value, prefix };
}

/**
 * True when the address lies inside the block (families must agree).
 *
 * @example
 * cidrContains(parseCidr('10.0.0.0/8')!, parseIp('10.1.2.3')!) // true
 */
export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  if (cidr.family !== ip.family) return false;
  // 0.0.0.0/0 and ::/0 (allow-all policies) hold every address of their family: no BigInt arithmetic, which allocates.
  if (cidr.prefix === 0) return true;
  const shift = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix);
  return ip.value >> shift === cidr.base >> shift;
}
