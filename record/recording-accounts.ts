/**
 * The Snowflake accounts a recording addresses: by the Host its requests named
 * (`<account>.snowflakecomputing.com`, `<account>.localhost`) and by the `ACCOUNT_NAME` of its logins.
 */
import { accountOfHost } from './canonical.ts';
import type { Recording } from './store.ts';

/**
 * Account names, upper case, sorted (a redacted one stays a placeholder).
 *
 * @example
 * accountsOf(readRecording('recordings/sdk-flows')) // ['MYORG-MYACCOUNT']
 */
export function accountsOf(recording: Recording): string[] {
  const found = new Set<string>();
  const byUpstream = accountOfHost(hostOf(recording.manifest.upstream));
  if (byUpstream) found.add(byUpstream);
  for (const e of recording.exchanges) {
    const byHost = accountOfHost(e.request.host);
    if (byHost) found.add(byHost);
    const body = e.request.body && 'json' in e.request.body ? (e.request.body.json as { data?: { ACCOUNT_NAME?: unknown } } | null) : undefined;
    const name = body?.data?.ACCOUNT_NAME;
    if (typeof name === 'string') found.add(name.startsWith('__redacted_') ? name : name.toUpperCase().replace(/_/g, '-'));
  }
  return [...found].sort();
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
