/**
 * Issue #13 part 4, papercut 6: journal explanations name Snowflake's parameters as Snowflake (and
 * the README) writes them — `DAYS_TO_EXPIRY 15`, not the world file's `days_to_expiry 15`. The
 * world config's snake_case keys belong to the config's own messages (domain/world/validate, which
 * point at a field of the file); an explanation says what Snowflake decided.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { authenticatePat } from '../../domain/auth/pat.ts';
import { DAY, T0, makeAccount, makeAuthContext, makeNetworkPolicy, makePat, makeUser, makeWorld } from '../helpers/world-builder.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** World config keys that are Snowflake parameters, with the name Snowflake gives each. */
const SNOWFLAKE_NAMES: Readonly<Record<string, string>> = {
  days_to_expiry: 'DAYS_TO_EXPIRY',
  mins_to_bypass_network_policy_requirement: 'MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT',
  role_restriction: 'ROLE_RESTRICTION',
  network_policy: 'NETWORK_POLICY',
  network_policy_evaluation: 'NETWORK_POLICY_EVALUATION',
  max_expiry_in_days: 'MAX_EXPIRY_IN_DAYS',
  default_expiry_in_days: 'DEFAULT_EXPIRY_IN_DAYS',
  require_role_restriction_for_service_users: 'REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS',
  mins_to_unlock: 'MINS_TO_UNLOCK',
  allow_client_mfa_caching: 'ALLOW_CLIENT_MFA_CACHING',
  expire_rotated_token_after_hours: 'EXPIRE_ROTATED_TOKEN_AFTER_HOURS',
  rsa_public_key: 'RSA_PUBLIC_KEY',
  default_role: 'DEFAULT_ROLE',
  allowed_ip_list: 'ALLOWED_IP_LIST',
  blocked_ip_list: 'BLOCKED_IP_LIST',
};

function setup(daysToExpiry: number, maxExpiryInDays: number, now: number) {
  const pat = makePat({ name: 'CI', secret: 'pat-ci', daysToExpiry });
  const user = makeUser({ name: 'ALICE', roles: ['ANALYST'], defaultRole: 'ANALYST', programmaticAccessTokens: [pat] });
  const account = makeAccount({ users: [user], networkPolicy: 'CORP', networkPolicies: [makeNetworkPolicy({ name: 'CORP', allowedIpList: ['0.0.0.0/0'] })], patPolicy: { maxExpiryInDays } });
  return makeAuthContext(makeWorld({ accounts: [account] }), { now });
}

describe('PAT explanations use Snowflake parameter names', () => {
  it('an expired PAT: "(DAYS_TO_EXPIRY 15)"', () => {
    const outcome = authenticatePat('pat-ci', setup(15, 365, T0 + 15 * DAY));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.rejection.explanation).toMatch(/ expired at \S+ \(DAYS_TO_EXPIRY 15\)$/);
  });

  it('a PAT longer than the policy allows: "DAYS_TO_EXPIRY 30 exceeds PAT_POLICY MAX_EXPIRY_IN_DAYS 10"', () => {
    const outcome = authenticatePat('pat-ci', setup(30, 10, T0));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.rejection.explanation).toContain('DAYS_TO_EXPIRY 30 exceeds PAT_POLICY MAX_EXPIRY_IN_DAYS 10');
  });
});

/** Source files of the layers that write journal explanations (not the world config's own checks). */
function explanationSources(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.ts') ? [path] : [];
  });
  // domain/world validates and builds the config file: its messages name the file's keys on purpose.
  // domain/sql prints SHOW output, whose column names Snowflake writes in lower case (role_restriction, …).
  return [...walk(join(ROOT, 'domain')), ...walk(join(ROOT, 'http'))].filter((f) => !/\/domain\/(world|sql)\//.test(f));
}

/** String literals and template texts of a line, comments dropped. */
function literals(line: string): string[] {
  const code = line.replace(/^\s*(\*|\/\/).*$/, '').replace(/\s\/\/ .*$/, '');
  return [...code.matchAll(/`([^`]*)`|'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('no explanation names a Snowflake parameter by its world-config spelling', () => {
  it('domain/ and http/ (but the config\'s own checks) carry no snake_case parameter name in a string', () => {
    const offences: string[] = [];
    for (const file of explanationSources()) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        for (const text of literals(line)) {
          for (const [key, name] of Object.entries(SNOWFLAKE_NAMES)) {
            // A whole word: not part of an upper-case name, a longer key, or a URL's path.
            if (new RegExp(`(?<![\\w/.-])${key}(?![\\w])`).test(text)) offences.push(`${relative(ROOT, file)}:${i + 1}: "${key}" (Snowflake: ${name})`);
          }
        }
      });
    }
    expect(offences).toEqual([]);
  });

  it('the scan finds what it looks for', () => {
    expect(literals("  return fail('PAT_EXPIRED', rule, `${label} (days_to_expiry ${n})`, user);")).toContain('${label} (days_to_expiry ${n})');
    expect(literals(' * days_to_expiry in a comment')).toEqual([]);
  });
});
