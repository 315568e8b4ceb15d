/**
 * Issue #13 part 4, papercut 1: `locator` is optional everywhere, not only in the shorthand. A
 * missing one is derived from the account name — deterministic, Snowflake-shaped (two letters and
 * digits), unique in the world — and shows in serve's banner and in GET /__mock/world's view.
 * Explicit locators are kept as written.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { describeCredentials } from '../../cli/credentials.ts';
import { worldView } from '../../api/world-view.ts';
import { accountsOf, type WorldConfig } from '../../domain/world/config.ts';
import { buildWorld } from '../../domain/world/build.ts';
import { createIds } from '../../domain/ids.ts';
import { deriveLocator, resolveLocators } from '../../domain/world/locator.ts';
import { parseWorldText } from '../../domain/world/parse-text.ts';
import { validateWorldConfig } from '../../domain/world/validate.ts';
import { startServer } from '../../server/index.ts';

const build = (config: WorldConfig) => buildWorld(config, { now: Date.parse('2026-01-01T00:00:00Z'), ids: createIds(1) });
const SHAPE = /^[A-Z]{2}\d{5}$/;

describe('a locator derived from the account name', () => {
  it('looks like a Snowflake locator and is the same on every call', () => {
    for (const name of ['MYORG-ANALYTICS', 'acme-prod', 'X', 'ORG-123', 'A_B-C9']) {
      expect(deriveLocator(name)).toMatch(SHAPE);
      expect(deriveLocator(name)).toBe(deriveLocator(name.toLowerCase()));
    }
    expect(deriveLocator('MYORG-ANALYTICS').slice(0, 2)).toBe('AN');
    expect(deriveLocator('MYORG-ANALYTICS')).not.toBe(deriveLocator('MYORG-ANALYTICS2'));
  });

  it('is XY12345 for the default account MYORG-MYACCOUNT, as the docs and the embedded world show', () => {
    expect(deriveLocator('MYORG-MYACCOUNT')).toBe('XY12345');
  });

  it('resolves collisions with given locators, account names and earlier derived ones by taking the next number', () => {
    expect(resolveLocators([{ name: 'MYORG-MYACCOUNT' }, { name: 'OTHER', locator: 'xy12345.us-east-2.aws' }])).toEqual([
      { locator: 'XY12346', derived: true },
      { locator: 'xy12345.us-east-2.aws', derived: false },
    ]);
    const clash = deriveLocator('ORG-SALES');
    const [first, second] = resolveLocators([{ name: 'ORG-SALES' }, { name: 'org-sales' }]);
    expect(first).toEqual({ locator: clash, derived: true });
    expect(second!.locator).toBe(clash.slice(0, 2) + String((Number(clash.slice(2)) + 1) % 100_000).padStart(5, '0'));
    // An account named like a derived locator keeps its name routable: the derived one moves on.
    const named = resolveLocators([{ name: 'ORG-SALES' }, { name: clash }]);
    expect(named[0]!.locator).not.toBe(clash);
  });
});

describe('locator is optional in a world config', () => {
  const twoAccounts: WorldConfig = {
    accounts: [
      { name: 'MYORG-ANALYTICS', users: [{ name: 'ALICE' }] },
      { name: 'MYORG-BILLING', locator: 'zz99999', users: [{ name: 'BOB' }] },
      { name: 'MYORG-ANALYTICS2', users: [] },
    ],
  };

  it('loads under accounts: without a locator (it used to be required there)', () => {
    expect(validateWorldConfig(twoAccounts)).toEqual([]);
    const text = 'accounts:\n  - name: MYORG-ANALYTICS\n    users: [{ name: ALICE, password: pw }]\n';
    expect(() => parseWorldText(text, 'w.yaml')).not.toThrow();
  });

  it('derives missing locators and keeps an explicit one as written', () => {
    const world = build(twoAccounts);
    const [analytics, billing, analytics2] = world.accounts;
    expect(analytics!.locator).toBe(deriveLocator('MYORG-ANALYTICS'));
    expect(analytics!.locatorDerived).toBe(true);
    expect(billing!.locator).toBe('ZZ99999');
    expect(billing!.locatorDerived).toBeUndefined();
    expect(analytics2!.locator).toMatch(SHAPE);
    expect(new Set(world.accounts.map((a) => a.locator)).size).toBe(3);
    // The same world, loaded again, names the same hosts.
    expect(build(twoAccounts).accounts.map((a) => a.locator)).toEqual(world.accounts.map((a) => a.locator));
  });

  it('the shorthand derives from its name the same way (XY12345 when unnamed)', () => {
    expect(build({ users: [] }).accounts[0]!.locator).toBe('XY12345');
    expect(build({ name: 'ACME-PROD', users: [] }).accounts[0]!.locator).toBe(deriveLocator('ACME-PROD'));
    expect(accountsOf({ name: 'ACME-PROD', locator: 'ab12345', users: [] })[0]).toMatchObject({ account: { locator: 'ab12345' }, locatorDerived: false });
  });

  it('still refuses two accounts with the same explicit locator', () => {
    const problems = validateWorldConfig({ accounts: [{ name: 'A-ONE', locator: 'AB12345' }, { name: 'A-TWO', locator: 'ab12345' }] });
    expect(problems.map((p) => p.message).join('\n')).toMatch(/locator/);
  });

  it('shows a derived locator in the banner (marked derived) and in the world view; an explicit one unmarked', () => {
    const world = build(twoAccounts);
    const banner = describeCredentials(world, 'http://127.0.0.1:4010', Date.parse('2026-01-01T00:00:00Z'));
    const derived = world.accounts[0]!.locator;
    expect(banner).toContain(`account MYORG-ANALYTICS (locator ${derived}, derived from the name`);
    expect(banner).toContain('account MYORG-BILLING (locator ZZ99999)\n');
    const view = worldView(world);
    expect(view.account.locator).toBe(derived);
    expect(view.accounts['MYORG-ANALYTICS']!.locator).toBe(derived);
  });

  it('GET /__mock/world shows the derived locator, and requests reach the account by its locator host', async () => {
    const server = await startServer({ world: twoAccounts, port: 0, control: true });
    try {
      const view = (await (await fetch(`${server.url}/__mock/world`)).json()) as { accounts: Record<string, { locator: string }> };
      const derived = view.accounts['MYORG-ANALYTICS2']!.locator;
      expect(derived).toBe(build(twoAccounts).accounts[2]!.locator);
      expect(view.accounts['MYORG-ANALYTICS']!.locator).toBe(deriveLocator('MYORG-ANALYTICS'));
      // Routed by the Host's first label (fetch may not set Host, node:http does): the derived
      // locator names the third account as an explicit locator would.
      await new Promise<void>((resolve, reject) => {
        const req = request(`${server.url}/api/v2/databases`, { headers: { host: `${derived.toLowerCase()}.localhost` } }, (res) => res.resume().on('end', resolve));
        req.on('error', reject).end();
      });
      const { entries } = (await (await fetch(`${server.url}/__mock/journal`)).json()) as { entries: { account?: string; path: string }[] };
      expect(entries.filter((e) => e.path === '/api/v2/databases').map((e) => e.account)).toEqual(['MYORG-ANALYTICS2']);
    } finally {
      await server.close();
    }
  });
});
