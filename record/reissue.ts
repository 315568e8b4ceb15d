/**
 * Values a replay answers in place of the secrets a recording's server issued (session and master
 * tokens, OAuth codes, access and refresh tokens, new PAT secrets). Each is fresh — nothing like
 * the redacted original — and stable: the same recording and placeholder give the same value, so a
 * replay is reproducible. Shapes follow the kind where a client may look (a session token starts
 * `ver:1-hint:`, as Snowflake's do); everything else is an opaque URL-safe string.
 */
import { createHash } from 'node:crypto';
import { placeholdersIn, type SecretKind } from './format.ts';

/**
 * The value this replay answers for a placeholder.
 *
 * @example
 * issuedValue('pat-login|2026-12-06T10:00:00.000Z', '__redacted_session_token_1__') // 'ver:1-hint:0-rp-3f1c…'
 */
export function issuedValue(seed: string, placeholder: string): string {
  const info = placeholdersIn(placeholder)[0];
  const kind: SecretKind | undefined = info?.kind;
  const n = info?.n ?? 0;
  const hex = createHash('sha256').update(`${seed}\u0000${placeholder}`).digest('hex').slice(0, 40);
  switch (kind) {
    case 'session_token': return `ver:1-hint:0-rp-${hex}`;
    case 'master_token': return `ver:1-hint:0-m-rp-${hex}`;
    case 'user': return `REPLAY_USER_${n}`;
    case 'account': return `REPLAY-ACCOUNT-${n}`;
    case 'locator': return `RP${String(n).padStart(5, '0')}`;
    // RFC 5737 documentation range: never a real client.
    case 'ip': return `192.0.2.${(n % 254) + 1}`;
    default: return `rp_${kind ?? 'secret'}_${hex}`;
  }
}
