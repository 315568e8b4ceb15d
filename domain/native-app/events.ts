/**
 * Things the mock does on its own, recorded in the journal beside the requests (issue #6): the
 * Native App framework's configuration callbacks and app code's use of a secret. Each is one
 * journal entry with a synthetic method and path, so `journal.filter` finds them like requests:
 *
 * - method `CALLBACK`, path `before_configuration_change` / `after_configuration_change`
 *   (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 3"): explanation `EXAMPLE_APP.OAUTH_CONFIG: SET VALUE = 'configured'`.
 * - method `APP`, path `oauth_access_token`: app code asked for a secret's token; allowed with how
 *   it was obtained, or rejected with the code and cause that explain why.
 */
import type { Journal } from '../journal.ts';

/** One event to journal. */
export interface MockEvent {
  readonly method: 'CALLBACK' | 'APP';
  readonly path: string;
  readonly account: string;
  readonly decision: 'allowed' | 'rejected';
  readonly explanation: string;
  readonly code?: string | undefined;
  readonly cause?: string | undefined;
  readonly rule?: string | undefined;
  readonly user?: string | undefined;
  readonly role?: string | undefined;
}

/**
 * Records an event in the journal (status 200 when allowed, 422 when refused; client IP `-`).
 *
 * @example
 * recordEvent(journal, { method: 'CALLBACK', path: 'before_configuration_change', account: 'MYORG-MYACCOUNT', decision: 'allowed', explanation: '…' }, now)
 */
export function recordEvent(journal: Journal, e: MockEvent, atMs: number): void {
  journal.record({ method: e.method, path: e.path, clientIp: '-' }, e.account, {
    response: { status: e.decision === 'allowed' ? 200 : 422 },
    decision: e.decision, explanation: e.explanation, code: e.code, cause: e.cause, rule: e.rule, user: e.user, role: e.role,
  }, atMs);
}

/**
 * The two callbacks the framework fires around a configuration change (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 3": set
 * and unset both fire before_configuration_change, then after_configuration_change).
 *
 * @example
 * configurationCallbacks(journal, 'MYORG-MYACCOUNT', 'EXAMPLE_APP', 'OAUTH_CONFIG', "SET VALUE = 'configured'", now, principal)
 */
export function configurationCallbacks(
  journal: Journal | undefined, account: string, application: string, configuration: string, change: string, atMs: number,
  who: { readonly user?: string; readonly role?: string } = {},
): void {
  if (!journal) return;
  for (const path of ['before_configuration_change', 'after_configuration_change']) {
    recordEvent(journal, {
      method: 'CALLBACK', path, account, decision: 'allowed', user: who.user, role: who.role,
      rule: 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 3" (configuration callbacks)',
      explanation: `${application}.${configuration}: ${change} — the framework calls the application's ${path} callback`,
    }, atMs);
  }
}
