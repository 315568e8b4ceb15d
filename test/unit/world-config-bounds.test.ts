/**
 * A world config is untrusted input too (PUT /__mock/world, SNOWFLAKE_MOCK_WORLD): its problems are
 * reported in bounded text whatever the config holds, and a `null` where a list may be absent reads
 * as absent (issue #14).
 */
import { describe, expect, it } from 'vitest';
import { createCore } from '../../http/core.ts';
import { WorldConfigError } from '../../domain/world/validate.ts';
import { suggest } from '../../domain/world/validate/suggest.ts';
import type { WorldConfig } from '../../domain/world/config.ts';

const refusal = (config: unknown): WorldConfigError => {
  try {
    createCore({ config: config as WorldConfig });
  } catch (error) {
    if (error instanceof WorldConfigError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('world config problems in bounded text', () => {
  it('a megabyte-long unknown key is named, cut, in the path and the message', () => {
    const key = 'k'.repeat(1_000_000);
    const error = refusal({ accounts: [{ name: 'MYORG-A', [key]: 1 }] });
    expect(error.message.length).toBeLessThan(1000);
    expect(error.issues[0]!.path).toBe(`accounts[0].${'k'.repeat(80)}…`);
  });

  it('a megabyte-long string value is quoted, cut, wherever a message names it', () => {
    const big = 'x'.repeat(1_000_000);
    for (const config of [
      { accounts: [{ name: 'MYORG-A', users: [{ name: 'U', default_role: big }] }] },
      { accounts: [{ name: 'MYORG-A', users: [{ name: 'U', type: big }] }] },
      { clock: { start: big } },
      { accounts: [{ name: 'MYORG-A', users: [{ name: 'U', default_role: 5 }], [big]: { [big]: big } }] },
    ]) {
      const error = refusal(config);
      expect(error.message.length).toBeLessThan(3000);
      for (const issue of error.issues) expect(issue.message.length).toBeLessThanOrEqual(1001);
    }
  });

  it('accounts: null is the default account, as an absent list is', () => {
    expect(createCore({ config: { accounts: null } as unknown as WorldConfig }).world.accounts.map((a) => a.name)).toEqual(['MYORG-MYACCOUNT']);
  });

  it('"did you mean" skips candidates too far in length to be within reach', () => {
    expect(suggest('x'.repeat(1_000_000), ['users', 'roles'])).toBeUndefined();
    expect(suggest('uesrs', ['users', 'roles'])).toBe('users');
  });
});
