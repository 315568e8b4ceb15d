/**
 * The reporters of `verify` (pretty, json, markdown, junit) and the explained-differences file
 * (YAML or JSON; problems as `file: field: problem`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExplainedError, loadExplained, verifyRecording, type VerifyResult } from '../../record/verify.ts';
import { VERIFY_REPORTERS } from '../../record/verify/reporters/index.ts';
import { aliceLogin, capture, recordingOf, selectOne } from '../helpers/verify-fixtures.ts';

/** A result with one explained, one unexplained and one stale difference. */
async function mixedResult(): Promise<VerifyResult> {
  const c = capture();
  const login = await c.send(aliceLogin());
  const query = await c.send(selectOne(login.json));
  const body = query.raw.response.body as { json: Record<string, unknown> & { data: Record<string, unknown> } };
  body.json.data.recordedOnly = 1;
  body.json.message = 'Recorded <text> & "quotes"';
  return verifyRecording(recordingOf(c.raws, 'mixed'), {
    explained: [
      { exchange: '0002', diff: 'data keys missing: recordedOnly', reason: 'edited' },
      { exchange: '0001', diff: 'code: "1" → null', reason: 'gone' },
    ],
    reasons: { edited: 'The recording was edited by the test.', gone: 'Listed, never happens.' },
  });
}

const RESULT = await mixedResult();

describe('reporters', () => {
  it('the result the reporters show', () => {
    expect(RESULT.counts).toMatchObject({ exchanges: 2, differences: 2, explained: 1, unexplained: 1, stale: 1 });
  });

  it('pretty: the differing exchange with each difference, its reason or "unexplained", the stale ones, the verdict', () => {
    const text = VERIFY_REPORTERS.pretty(RESULT, {});
    expect(text).toContain('✗ (recording) (2 exchange(s), 1 differ)');
    expect(text).toContain('data keys missing: recordedOnly (edited)');
    expect(text).toContain('message: "Recorded <text> & \\"quotes\\"" → null (unexplained)');
    expect(text).toContain('stale: listed differences that no longer happen\n  ✗ 0001: code: "1" → null (gone)');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^2 exchange\(s\) in 1 flow\(s\) against \(embedded\): 2 difference\(s\), 1 explained, 1 unexplained, 1 stale — FAILED in /);
    expect(text).not.toContain('\x1b[');
    expect(VERIFY_REPORTERS.pretty(RESULT, { color: true })).toContain('\x1b[31m');
  });

  it('json: the result itself', () => {
    expect(JSON.parse(VERIFY_REPORTERS.json(RESULT, {}))).toEqual(JSON.parse(JSON.stringify(RESULT)));
  });

  it('markdown: summary, the differences with reasons, UNEXPLAINED, the stale table, the reasons used', () => {
    const md = VERIFY_REPORTERS.markdown(RESULT, {});
    expect(md).toContain('# Verify mixed');
    expect(md).toContain('**Failed.** 2 exchange(s) in 1 flow(s)');
    expect(md).toMatch(/\| 0002-post-queries-v1-query-request\.json \| `POST \/queries\/v1\/query-request\?requestId=r2 [^|]*` \| data keys missing: recordedOnly \| edited \|/);
    expect(md).toMatch(/\| message: "Recorded &lt;text> & \\"quotes\\"" → null \| \*\*UNEXPLAINED\*\* \|/);
    expect(md).toContain('## Stale');
    expect(md).toContain('| edited | The recording was edited by the test. |');
    expect(md).not.toContain('Listed, never happens.');
  });

  it('junit: a testcase per exchange, a failure for the unexplained one and one for the stale list, escaped', () => {
    const xml = VERIFY_REPORTERS.junit(RESULT, {});
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="snowflake-auth-mock verify" tests="3" failures="2" errors="0"/);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('<failure message="1 unexplained difference(s): message: &quot;Recorded &lt;text&gt; &amp; \\&quot;quotes\\&quot;&quot; → null" type="drift">');
    expect(xml).toContain('<system-out>data keys missing: recordedOnly (edited)</system-out>');
    expect(xml).toContain('<failure message="1 listed difference(s) no longer happen" type="stale">0001: code: &quot;1&quot; → null (gone)</failure>');
  });
});

describe('the explained-differences file', () => {
  const file = (name: string, text: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'explained-')), name);
    writeFileSync(path, text);
    return path;
  };

  it('YAML and JSON: reasons, differences and adaptations', () => {
    const yaml = loadExplained(file('e.yaml', 'reasons:\n  r1: Why.\ndifferences:\n  - { exchange: "a.json#1", diff: "status: 200 → 400", reason: r1 }\nadaptations:\n  acct:\n    text: Another account.\n    exchanges: [a.json]\n    host: other.snowflakecomputing.com\n    form: { grant_type: refresh_token, scope: null }\n    code_scope: session:role:X\n    access_token: expired\n'));
    expect(yaml).toEqual({
      reasons: { r1: 'Why.' },
      differences: [{ exchange: 'a.json#1', diff: 'status: 200 → 400', reason: 'r1' }],
      adaptations: [{ id: 'acct', text: 'Another account.', exchanges: ['a.json'], host: 'other.snowflakecomputing.com', form: { grant_type: 'refresh_token', scope: null }, codeScope: 'session:role:X', accessToken: 'expired' }],
    });
    expect(loadExplained(file('e.json', JSON.stringify({ reasons: { r: 'x' }, differences: [{ exchange: '0001', diff: 'd', reason: 'r' }] }))).differences).toHaveLength(1);
  });

  it.each([
    ['reasons: [\n', /e\.yaml: \(file\): /],
    ['- a list', /e\.yaml: \(root\): expected a mapping with reasons and differences$/],
    ['reasons: { r: "" }', /e\.yaml: reasons\.r: expected a text$/],
    ['reasons: { r: x }\ndifferences: [{ exchange: a, diff: d }]', /e\.yaml: differences\[0\]\.reason: expected a non-empty string$/],
    ['reasons: { r: x }\ndifferences: [{ exchange: a, diff: d, reason: nope }]', /e\.yaml: differences\[0\]\.reason: "nope" is not one of reasons$/],
    ['reasons: { r: x }\ndifferences: [{ exchange: a, diff: d, reason: r }, { exchange: a, diff: d, reason: r }]', /e\.yaml: differences\[1\]: lists the same difference twice$/],
    ['adaptations: { a: { text: t, exchanges: [x], access_token: stale } }', /e\.yaml: adaptations\.a\.access_token: expected one of valid, expired, unknown$/],
    ['adaptations: { a: { text: t } }', /e\.yaml: adaptations\.a\.exchanges: expected a list of exchange names$/],
  ])('%s', (text, message) => {
    expect(() => loadExplained(file('e.yaml', text))).toThrow(ExplainedError);
    expect(() => loadExplained(file('e.yaml', text))).toThrow(message);
  });

  it('a missing file', () => {
    expect(() => loadExplained('/nonexistent/explained.yaml')).toThrow(/^\/nonexistent\/explained\.yaml: \(file\): ENOENT/);
  });
});
