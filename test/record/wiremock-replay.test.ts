/**
 * Issue #11, "Done when": the real snowflake-sdk logs in with a PAT against `serve --replay` of
 * the imported snowflake-connector-nodejs PAT mappings
 * (recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/pat/: an invalid PAT
 * refused with 394400, then MOCK_TOKEN accepted) — the same two logins that driver's own tests
 * make against those mappings in WireMock.
 *
 * A mapping pins only some fields (`equalToJson` with `ignoreExtraElements`) and WireMock ignores the
 * fields it does not pin (https://wiremock.org/docs/request-matching/); the driver sends many more,
 * which the replay allows for a WireMock import (record/replay-engine.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReplayReport } from '../../record/replay-report.ts';
import { importWiremock } from '../../record/wiremock.ts';
import { startCli, type CliProcess } from '../helpers/cli-process.ts';
import { baseOptions, connect, connectError, forgetCachedCredentials, type DriverTarget } from '../helpers/snowflake-sdk.ts';

const PAT_MAPPINGS = fileURLToPath(new URL('../../recordings/driver-fixtures/snowflake-connector-nodejs/wiremock/mappings/pat/', import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), 'wiremock-replay-'));
importWiremock(PAT_MAPPINGS, DIR, { name: 'nodejs-pat' });
let replay: CliProcess | undefined;

beforeAll(async () => {
  replay = await startCli(['serve', '--replay', DIR, '--port', '0', '--control'], /Ctrl-C/);
}, 60_000);
afterAll(async () => {
  await replay?.stop();
  forgetCachedCredentials();
  rmSync(DIR, { recursive: true, force: true });
});

/** The connection options of snowflake-connector-nodejs's PAT tests (its mappings pin account, user and token). */
const options = (token: string): ReturnType<typeof baseOptions> =>
  baseOptions({ name: 'replay', accessUrl: replay!.url } as DriverTarget, { account: 'MOCK_ACCOUNT_NAME', username: 'MOCK_USERNAME', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token });

it('snowflake-sdk: an invalid PAT is refused (394400), MOCK_TOKEN logs in; both recorded exchanges used, nothing unmatched', async () => {
  const refused = await connectError(options('INVALID_TOKEN'));
  expect(String(refused.code)).toBe('394400');
  expect(refused.message).toContain('Programmatic access token is invalid.');
  const connection = await connect(options('MOCK_TOKEN'));
  expect(connection.isUp()).toBe(true);
  const report = (await (await fetch(`${replay!.url}/__mock/replay/report`)).json()) as ReplayReport;
  expect(report).toMatchObject({ matched: 2, unmatched: 0 });
  expect(report.exchanges.map((x) => x.uses)).toEqual([1, 1]);
}, 60_000);
