/**
 * One `serve` with the control API on, per test file, reset after every test: the world is the
 * example world with ALICE on a loopback network policy (loopback clients are 127.0.0.1).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../server/index.ts';
import { exampleWorld } from './http-world.ts';

/** The example world, ALICE's policy opened to loopback so the socket address passes. */
export const LOOPBACK_WORLD = exampleWorld((w) => {
  w.accounts[0]!.network_policies!.push({ name: 'LOOPBACK', allowed_ip_list: ['127.0.0.0/8', '::1'] });
  w.accounts[0]!.users![0]!.network_policy = 'LOOPBACK';
});

/**
 * Starts the server before the file's tests, resets it after each, closes it at the end.
 *
 * @example
 * const server = useControlServer();
 * it('…', async () => { await fetch(`${server().url}/__mock/faults`) });
 */
export function useControlServer(): () => RunningServer {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer({ world: LOOPBACK_WORLD, port: 0, control: true, seed: 1 });
  });
  afterEach(async () => {
    await fetch(`${server!.url}/__mock/reset`, { method: 'POST' });
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => server!;
}
