/**
 * The in-process target: a fresh mock per scenario, requests answered by its msw handlers
 * (msw's `getResponse`, so no global fetch is patched and the runner can live inside any test).
 */
import { getResponse } from 'msw';
import { createSnowflakeMock } from '../../handlers/mock.ts';
import { applyWorldChange } from '../../api/world-change.ts';
import { worldView } from '../../api/world-view.ts';
import type { Target, TargetResponse } from './target.ts';

/**
 * Creates the in-process target.
 *
 * @example
 * await runScenarios(loaded, mswTarget())
 */
export function mswTarget(): Target {
  return {
    name: 'msw',
    async open(loaded, options) {
      const mock = createSnowflakeMock({
        ...(loaded.world !== undefined && { world: loaded.world }),
        ...(options.seed !== undefined && { seed: options.seed }),
        ...(loaded.scenario.client_ip !== undefined && { clientIp: loaded.scenario.client_ip }),
      });
      const host = (account: string | undefined): string => {
        const a = account === undefined ? mock.world.model.accounts[0]! : mock.world.forAccount(account).account();
        return `https://${a.name.toLowerCase()}.snowflakecomputing.com`;
      };
      return {
        capabilities: { clock: true, world: true, journal: true, clientIp: true },
        urlFor: (account, path) => host(account) + path,
        async send(r) {
          const request = new Request(r.url, { method: r.method, headers: r.headers, ...(r.body !== undefined && { body: r.body }) });
          const response = await getResponse(mock.handlers, request);
          if (!response) throw new Error(`no handler answered ${r.method} ${r.url} (the in-process mock serves *.snowflakecomputing.com)`);
          return read(response);
        },
        now: async () => mock.clock.now(),
        advance: async (by) => void mock.clock.advance(by),
        setClientIp: async (ip) => void (mock.clientIp = ip),
        changeWorld: async (change) => applyWorldChange(mock.world, change),
        lastJournal: async () => mock.journal.last(),
        view: async () => worldView(mock.world.model),
        close: async () => undefined,
      };
    },
  };
}

async function read(response: Response): Promise<TargetResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}
