/**
 * Issue #13 part 4, papercut 2: a PAT whose user is subject to no network policy can never be used
 * under Snowflake's default PAT policy (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens),
 * and until now only the journal said so. The loader warns (file and line, the world still loads),
 * the banner marks the PAT with the fix, and both agree with what a request gets.
 */
import { describe, expect, it } from 'vitest';
import { describeCredentials } from '../../cli/credentials.ts';
import { buildWorld } from '../../domain/world/build.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import { createIds } from '../../domain/ids.ts';
import { parseWorldTextWithWarnings } from '../../domain/world/parse-text.ts';
import { formatIssue } from '../../domain/world/validate.ts';
import { worldConfigWarnings } from '../../domain/world/warnings.ts';
import { call, useMock } from '../helpers/msw.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const pat = (name: string, extra: Record<string, unknown> = {}) => ({ name, secret: `pat-${name.toLowerCase()}`, ...extra });

/** A world with one user of each kind that matters, no network policy anywhere. */
function bare(): WorldConfig {
  return {
    clock: { start: '2026-01-01T00:00:00Z' },
    roles: ['ANALYST'],
    users: [
      { name: 'ALICE', default_role: 'ANALYST', roles: ['ANALYST'], programmatic_access_tokens: [pat('CI')] },
      { name: 'NULLA', type: null, programmatic_access_tokens: [pat('N1')] },
      { name: 'ETL_BOT', type: 'service', default_role: 'ANALYST', roles: ['ANALYST'], programmatic_access_tokens: [pat('ETL', { role_restriction: 'ANALYST' })] },
      { name: 'OLD_BOT', type: 'legacy_service', default_role: 'ANALYST', roles: ['ANALYST'], programmatic_access_tokens: [pat('OLD', { role_restriction: 'ANALYST' })] },
      { name: 'AGENT', type: 'service_agent', default_role: 'ANALYST', roles: ['ANALYST'], programmatic_access_tokens: [pat('AG', { role_restriction: 'ANALYST' })] },
      { name: 'BRIEF', programmatic_access_tokens: [pat('WINDOW', { mins_to_bypass_network_policy_requirement: 60 })] },
      { name: 'NOPAT', password: 'pw' },
    ],
  };
}

const flagged = (config: WorldConfig): string[] => worldConfigWarnings(config).map((w) => /^PAT (\S+) of user (\S+)/.exec(w.message)!.slice(1).join('/'));

describe('load-time warnings: a PAT that needs a network policy it does not have', () => {
  it('flags PERSON, NULL, SERVICE and LEGACY_SERVICE users without a policy; not SERVICE_AGENT, not inside a bypass window', () => {
    expect(flagged(bare())).toEqual(['CI/ALICE', 'N1/NULLA', 'ETL/ETL_BOT', 'OLD/OLD_BOT']);
  });

  it('places each at its file, line and column, says why and how to fix it, and the world still loads', () => {
    const text = [
      'roles: [ANALYST]', //                                                           1
      'users:', //                                                                     2
      '  - name: ALICE', //                                                            3
      '    default_role: ANALYST', //                                                  4
      '    roles: [ANALYST]', //                                                       5
      '    programmatic_access_tokens:', //                                            6
      '      - { name: CI, secret: pat-alice-ci, role_restriction: ANALYST }', //     7
      '',
    ].join('\n');
    const { config, warnings } = parseWorldTextWithWarnings(text, 'world.yaml');
    expect(config.users![0]!.name).toBe('ALICE');
    expect(warnings).toHaveLength(1);
    const line = formatIssue(warnings[0]!);
    expect(line).toMatch(/^world\.yaml:7:9: users\[0\]\.programmatic_access_tokens\[0\]: PAT CI of user ALICE can never be used: /);
    expect(line).toContain('NETWORK_POLICY_EVALUATION = ENFORCED_REQUIRED');
    expect(line).toContain('394400');
    expect(line).toContain('Fix: add network_policy: <a policy of network_policies> on the account or on the user');
  });

  it('a policy on the account or on the user, or a PAT policy that does not require one, silences it', () => {
    const withAccount = { ...bare(), network_policies: [{ name: 'ALL', allowed_ip_list: ['0.0.0.0/0'] }], network_policy: 'ALL' };
    expect(flagged(withAccount)).toEqual([]);
    const withUser = bare();
    withUser.network_policies = [{ name: 'ALL', allowed_ip_list: ['0.0.0.0/0'] }];
    withUser.users![0]!.network_policy = 'ALL';
    expect(flagged(withUser)).toEqual(['N1/NULLA', 'ETL/ETL_BOT', 'OLD/OLD_BOT']);
    expect(flagged({ ...bare(), pat_policy: { network_policy_evaluation: 'ENFORCED_NOT_REQUIRED' } })).toEqual([]);
    expect(flagged({ ...bare(), pat_policy: { network_policy_evaluation: 'not_enforced' } })).toEqual([]);
  });

  it('works per account under accounts:, with the path of the account', () => {
    const config: WorldConfig = { accounts: [
      { name: 'A-ONE', network_policy: 'ALL', network_policies: [{ name: 'ALL', allowed_ip_list: ['0.0.0.0/0'] }], users: [{ name: 'U', programmatic_access_tokens: [pat('P')] }] },
      { name: 'A-TWO', users: [{ name: 'V', programmatic_access_tokens: [pat('Q')] }] },
    ] };
    expect(worldConfigWarnings(config).map((w) => w.path)).toEqual([['accounts', 1, 'users', 0, 'programmatic_access_tokens', 0]]);
  });

  it('the embedded default world has none', () => {
    expect(worldConfigWarnings(defaultWorldConfig())).toEqual([]);
  });
});

describe("serve's banner marks such PATs with the one-line fix", () => {
  it('"needs a network policy" on exactly the flagged PATs; a bypass window says when it ends', () => {
    const world = buildWorld(bare(), { now: NOW, ids: createIds(1) });
    const lines = describeCredentials(world, 'http://127.0.0.1:4010', NOW).split('\n').filter((l) => l.includes(' PAT '));
    const marked = lines.filter((l) => l.includes('needs a network policy: ')).map((l) => /PAT (\S+)/.exec(l)![1]);
    expect(marked).toEqual(['CI', 'N1', 'ETL', 'OLD']);
    expect(lines.find((l) => l.includes('PAT CI'))).toContain('needs a network policy: add network_policy: on account MYORG-MYACCOUNT or on user ALICE');
    expect(lines.find((l) => l.includes('PAT WINDOW'))).toContain('needs a network policy from 2026-01-01T01:00:00.000Z (bypass window)');
    expect(lines.find((l) => l.includes('PAT AG'))).not.toContain('network policy');
  });

  it('the default world marks nothing', () => {
    const world = buildWorld(defaultWorldConfig(), { now: NOW, ids: createIds(1) });
    expect(describeCredentials(world, 'http://127.0.0.1:4010', NOW)).not.toContain('needs a network policy');
  });
});

describe('the warning and the banner say what a request gets', () => {
  const mock = useMock({ world: bare(), clientIp: '10.0.0.5' });

  it('every flagged PAT is refused 394400 PAT_NETWORK_POLICY_REQUIRED; the others are not', async () => {
    const warned = new Set(flagged(bare()).map((f) => f.split('/')[0]));
    for (const name of ['CI', 'N1', 'ETL', 'OLD', 'AG', 'WINDOW']) {
      const answer = await call('SELECT 1', { token: `pat-${name.toLowerCase()}`, tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' });
      const entry = mock.journal.last()!;
      if (warned.has(name)) {
        expect([name, answer.status, answer.body.code, entry.cause]).toEqual([name, 401, '394400', 'PAT_NETWORK_POLICY_REQUIRED']);
      } else {
        expect([name, entry.cause]).not.toEqual([name, 'PAT_NETWORK_POLICY_REQUIRED']);
      }
    }
  });
});
