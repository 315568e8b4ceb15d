/**
 * Identities (`--redact-identities`): account names and locators (in host names too), user and
 * login names, IP addresses. Unlike secrets they are matched without case and at word boundaries
 * wherever they appear, because Snowflake writes `MYORG-MYACCOUNT` in a login body and
 * `myorg-myaccount` in the host (https://docs.snowflake.com/en/user-guide/admin-account-identifier).
 */
import { isIPv6 } from 'node:net';
import type { Exchange } from './format.ts';
import { decodeSegment, JWT_IN_TEXT } from './jwt.ts';
import { child, eachExchangeString } from './pointer.ts';
import { accountKind, identityKindOfName, type IdentityKind } from './secret-names.ts';
import { decodeComponent, isPlaceholderOnly, paramPairs } from './secret-shapes.ts';

/**
 * An identity value and where it was found.
 *
 * @example
 * const f: IdentityFinding = { value: 'alice', kind: 'user', pointer: '/request/body/json/data/LOGIN_NAME' }
 */
export interface IdentityFinding {
  readonly value: string;
  readonly kind: IdentityKind;
  readonly pointer: string;
}

/**
 * A host an account is served on: its first label names the account or locator.
 *
 * @example
 * [...'https://xy12345.us-east-2.aws.snowflakecomputing.com'.matchAll(ACCOUNT_HOST)][0]?.[1] // 'xy12345'
 */
export const ACCOUNT_HOST = /(?<![A-Za-z0-9_.-])([a-z0-9][a-z0-9_-]*)((?:\.[a-z0-9-]+)*?)\.(?:snowflakecomputing\.(?:com|cn)|localhost)(?![A-Za-z0-9-])/gi;
/** First labels of Snowflake hosts that name a service, not an account. */
const SERVICE_LABELS = /^(ocsp|www|app|apps|status|docs|community|signup|trust|sfc-.*)$/i;
const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;
const IPV6 = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;

/**
 * Identities in one text: account hosts, IP addresses (not loopback or unspecified), and the
 * account and user of key-pair JWT claims (`iss`/`sub` are `ACCOUNT.USER[.SHA256:…]`).
 *
 * @example
 * identitiesInText('https://myorg-myaccount.snowflakecomputing.com from 10.0.0.5').map((f) => f.value) // ['myorg-myaccount', '10.0.0.5']
 */
export function identitiesInText(text: string, pointer = ''): IdentityFinding[] {
  const out: IdentityFinding[] = [];
  for (const m of text.matchAll(ACCOUNT_HOST)) if (!SERVICE_LABELS.test(m[1]!)) out.push({ value: m[1]!, kind: accountKind(m[1]!), pointer });
  for (const m of text.matchAll(IPV4)) if (!/^(127\.|0\.0\.0\.0$|255\.255\.255\.255$)/.test(m[0])) out.push({ value: m[0], kind: 'ip', pointer });
  for (const m of text.matchAll(IPV6)) if (isIPv6(m[0]) && !/^::1?$/.test(m[0])) out.push({ value: m[0].toLowerCase(), kind: 'ip', pointer });
  for (const m of text.matchAll(JWT_IN_TEXT)) out.push(...jwtIdentities(m[0], pointer));
  for (const p of paramPairs(text)) {
    const value = decodeComponent(p.raw);
    const kind = value === '' ? undefined : identityKindOfName(p.name, value);
    if (kind) out.push({ value, kind, pointer });
  }
  return out;
}

function jwtIdentities(jwt: string, pointer: string): IdentityFinding[] {
  const claims = decodeSegment(jwt.split('.')[1] ?? '');
  const out: IdentityFinding[] = [];
  for (const claim of [claims?.iss, claims?.sub]) {
    const m = typeof claim === 'string' ? /^([A-Za-z0-9_-]+)\.([^.]+)(\.SHA256:.*)?$/.exec(claim) : null;
    if (m) out.push({ value: m[1]!, kind: accountKind(m[1]!), pointer }, { value: m[2]!, kind: 'user', pointer });
  }
  return out;
}

/**
 * Every identity of an exchange: the addressed host, named fields (`LOGIN_NAME`, `ACCOUNT_NAME`,
 * `username`, …) in JSON and form bodies, and {@link identitiesInText} in every string.
 *
 * @example
 * discoverIdentities(raw).filter((f) => f.kind === 'user').map((f) => f.value) // ['alice', 'ALICE']
 */
export function discoverIdentities(exchange: Omit<Exchange, 'id'>): IdentityFinding[] {
  const out: IdentityFinding[] = [];
  const host = exchange.request.host;
  if (host !== undefined && !SERVICE_LABELS.test(host.split('.')[0]!) && /[a-z]/i.test(host)) out.push({ value: host.split('.')[0]!, kind: accountKind(host.split('.')[0]!), pointer: '/request/host' });
  for (const [side, body] of [['request', exchange.request.body], ['response', exchange.response.body]] as const) {
    if (body && 'json' in body) namedJson(body.json, `/${side}/body/json`, out);
    if (body && 'form' in body) {
      body.form.forEach(([name, value], i) => {
        const kind = value === '' ? undefined : identityKindOfName(name, value);
        if (kind) out.push({ value, kind, pointer: `/${side}/body/form/${i}/1` });
      });
    }
  }
  eachExchangeString(exchange, (text, pointer, isKey) => {
    if (!isKey) out.push(...identitiesInText(text, pointer));
  });
  return out.filter((f) => !isPlaceholderOnly(f.value));
}

function namedJson(value: unknown, pointer: string, out: IdentityFinding[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => namedJson(v, child(pointer, i), out));
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    const kind = typeof v === 'string' && v !== '' ? identityKindOfName(key, v) : undefined;
    if (kind) out.push({ value: v as string, kind, pointer: child(pointer, key) });
    else namedJson(v, child(pointer, key), out);
  }
}

/**
 * The form of an identity placeholder inside a host name, where `_` is not allowed (RFC 1123 §2.1):
 * `__redacted_account_1__` → `redacted-account-1`.
 *
 * @example
 * dnsPlaceholder('__redacted_account_1__') // 'redacted-account-1'
 */
export function dnsPlaceholder(placeholder: string): string {
  return placeholder.replace(/^__|__$/g, '').replace(/_/g, '-');
}

const HOST_AFTER = /^(?:\.[a-z0-9-]+)*?\.(?:snowflakecomputing\.(?:com|cn)|localhost)(?![A-Za-z0-9-])/i;

/**
 * True when an identity found at `end` of `text` (starting at `start`) sits in a host name.
 *
 * @example
 * inHostName('https://myorg-acc.snowflakecomputing.com', 8, 17) // true
 */
export function inHostName(text: string, start: number, end: number): boolean {
  return HOST_AFTER.test(text.slice(end)) || /(\/\/|@)$/.test(text.slice(Math.max(0, start - 2), start));
}

/**
 * The text with the identities inside each JWT's header and claims rewritten by `rewrite`, the
 * segments encoded again (the signature is a placeholder by then, so nothing is lost).
 *
 * @example
 * rewriteJwtClaims(jwt, (json) => json.replace('ALICE', '__redacted_user_1__'))
 */
export function rewriteJwtClaims(text: string, rewrite: (json: string) => string): string {
  return text.replace(JWT_IN_TEXT, (jwt) => {
    const [header, claims, signature] = jwt.split('.') as [string, string, string];
    const again = (segment: string): string => {
      const json = Buffer.from(segment, 'base64url').toString('utf8');
      const next = rewrite(json);
      return next === json ? segment : Buffer.from(next, 'utf8').toString('base64url');
    };
    return decodeSegment(header) === undefined ? jwt : `${again(header)}.${again(claims)}.${signature}`;
  });
}
