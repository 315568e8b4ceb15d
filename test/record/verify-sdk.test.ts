/**
 * `verify` of a real capture: the recording proxy's recording of snowflake-sdk against `serve`
 * (password, key pair, PAT and OAuth logins, each with SELECT 1 and a disconnect;
 * test/helpers/record-flows.ts) verifies clean against the world it was recorded from — every
 * placeholder the writer put there (password, JWT signature, PAT, Basic client credentials,
 * session and access tokens) resolved to a value the model accepts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readRecording } from '../../record/store.ts';
import { verifyRecording } from '../../record/verify.ts';
import { recordSdkFlows } from '../helpers/record-flows.ts';

const DIR = mkdtempSync(join(tmpdir(), 'verify-sdk-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

it('the recorded snowflake-sdk flows verify with no difference', async () => {
  await recordSdkFlows(DIR);
  const result = await verifyRecording(readRecording(DIR));
  const exchanges = result.flows.flatMap((f) => f.exchanges);
  expect(exchanges.flatMap((e) => e.differences.map((d) => `${e.id} ${d.diff}`))).toEqual([]);
  expect(result.passed).toBe(true);
  const sent = exchanges.map((e) => e.sent).join('\n');
  expect(sent).toMatch(/PASSWORD=__redacted_password_1__⇒world/);
  expect(sent).toMatch(/AUTHENTICATOR=SNOWFLAKE_JWT, LOGIN_NAME=alice, TOKEN=eyJ\S*⇒world/);
  expect(sent).toMatch(/AUTHENTICATOR=PROGRAMMATIC_ACCESS_TOKEN, LOGIN_NAME=alice, TOKEN=__redacted_pat_1__⇒world/);
  expect(sent).toMatch(/AUTHENTICATOR=OAUTH, TOKEN=__redacted_\w+__⇒issued/);
  expect(exchanges.filter((e) => e.kind === 'query').every((e) => /Snowflake Token=__redacted_session_token_\d+__⇒issued/.test(e.sent))).toBe(true);
}, 60_000);
