/**
 * Pre-issued OAuth access tokens (`oauth_access_tokens`), for tests that start with a token in
 * hand. Checked after users and integrations, as each token names a user and an oauth integration.
 */
import { parseDuration } from '../../clock.ts';
import { describe, isAbsent, type Checker, type Rec } from './checker.ts';
import { roleField, type Scope } from './scope.ts';
import { didYouMean, suggest } from './suggest.ts';
import { formatPath, type ConfigPath } from './world-config-error.ts';

const TOKEN_KEYS = ['token', 'user', 'role', 'expires_in', 'expires_at', 'integration'];

/**
 * Checks each pre-issued token and gathers its value for the account-wide secret uniqueness check.
 *
 * @example
 * checkOAuthTokens(c, scope, account) // scope.secrets now holds every token value
 */
export function checkOAuthTokens(c: Checker, scope: Scope, a: Rec): void {
  for (const { value: t, path } of c.records(a, 'oauth_access_tokens', scope.path, TOKEN_KEYS)) {
    const token = c.string(t, 'token', path, 'for a pre-issued OAuth access token (its opaque value)');
    if (token) scope.secrets.push({ value: token, path: [...path, 'token'] });
    const user = c.string(t, 'user', path, 'for an OAuth access token (the user NAME it belongs to)')?.toUpperCase();
    if (user && !scope.users.has(user)) {
      c.add([...path, 'user'], `user "${user}" is not declared in ${formatPath([...scope.path, 'users'])}${didYouMean(suggest(user, scope.users.keys()))}`);
    }
    roleField(c, scope, t, 'role', path);
    checkTokenExpiry(c, t, path);
    checkTokenIntegration(c, scope, t, path);
  }
}

function checkTokenExpiry(c: Checker, t: Rec, path: ConfigPath): void {
  const expiresIn = t.expires_in;
  if (!isAbsent(expiresIn) && !((typeof expiresIn === 'number' || typeof expiresIn === 'string') && parseDuration(expiresIn) !== undefined)) {
    c.add([...path, 'expires_in'], `expected seconds or a duration such as 10m, got ${describe(expiresIn)}`);
  }
  c.instant(t, 'expires_at', path);
  if (!isAbsent(expiresIn) && !isAbsent(t.expires_at)) c.add([...path, 'expires_at'], 'give expires_in or expires_at, not both');
}

function checkTokenIntegration(c: Checker, scope: Scope, t: Rec, path: ConfigPath): void {
  const name = c.string(t, 'integration', path)?.toUpperCase();
  if (name === undefined) return;
  const type = scope.integrations.get(name);
  if (type === 'OAUTH') return;
  const where = formatPath([...scope.path, 'security_integrations']);
  const oauth = [...scope.integrations].filter(([, ty]) => ty === 'OAUTH').map(([n]) => n);
  c.add([...path, 'integration'], type
    ? `integration "${name}" is of type ${type}; OAuth access tokens come from an oauth integration`
    : `oauth integration "${name}" is not declared in ${where}${didYouMean(suggest(name, oauth))}`);
}
