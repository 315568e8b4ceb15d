/**
 * The one "is this host this machine" rule (domain/network/loopback.ts): the control API's bind,
 * `--live` for run/record, and the Testcontainers module's local-engine check all use it.
 */
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../domain/network/loopback.ts';
import { isOnThisMachine } from '../../cli/args.ts';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', 'myorg-myaccount.localhost', 'a.b.localhost'])('%s is this machine', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['10.0.0.5', '0.0.0.0', '::', '128.0.0.1', '127.0.0.1.nip.io', 'localhost.attacker.example', 'notlocalhost', 'myorg.snowflakecomputing.com', '127.0.0'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
  it('isOnThisMachine reads a URL through it', () => {
    expect([isOnThisMachine('http://127.0.0.1:4010'), isOnThisMachine('http://[::1]:4010'), isOnThisMachine('https://myorg-myaccount.snowflakecomputing.com'), isOnThisMachine('not a url')]).toEqual([true, true, false, undefined]);
  });
});
