/**
 * The replay report's printers (record/replay-reporters.ts): what each says about matched,
 * unmatched and unused exchanges.
 */
import { describe, expect, it } from 'vitest';
import { createReplayEngine } from '../../record/replay.ts';
import { jsonReplay, junitReplay, prettyReplay } from '../../record/replay-reporters.ts';
import { clientRequest, recordingOf } from '../helpers/replay-fixtures.ts';

const rec = recordingOf([
  { method: 'GET', url: '/api/v2/warehouses', response: { json: [] } },
  { method: 'GET', url: '/api/v2/databases', response: { json: [] } },
], 'https://myorg-myaccount.snowflakecomputing.com', 'two-gets');
const engine = createReplayEngine(rec, { strict: true });
engine.handle(clientRequest('GET', '/api/v2/warehouses', undefined, { 'user-agent': 'client/2' }));
engine.handle(clientRequest('GET', '/api/v2/warehouses'));
engine.handle(clientRequest('GET', '/api/v2/nothing & <more>'));
const report = engine.report();

describe('replay reporters', () => {
  it('pretty: ✓ per matched request with its differences, ✗ with near misses, ○ per unused exchange, a summary', () => {
    expect(prettyReplay(report).split('\n')).toEqual([
      'replay of "two-gets" (2 exchanges, recorded from https://myorg-myaccount.snowflakecomputing.com) — strict',
      '  ✓ #1 GET /api/v2/warehouses → exchanges/0001-get-api-v2-warehouses.json',
      '      header user-agent: not recorded, got "client/2"',
      '  ✓ #2 GET /api/v2/warehouses → exchanges/0001-get-api-v2-warehouses.json (use 2)',
      '  ✗ #3 GET /api/v2/nothing & <more> — no recorded exchange matches',
      '      nearest exchanges/0001-get-api-v2-warehouses.json',
      '        path: recorded "/api/v2/warehouses", got "/api/v2/nothing & <more>"',
      '      nearest exchanges/0002-get-api-v2-databases.json',
      '        path: recorded "/api/v2/databases", got "/api/v2/nothing & <more>"',
      '  ○ exchanges/0002-get-api-v2-databases.json (GET /api/v2/databases) never used',
      '',
      '2 matched, 1 unmatched of 3 requests; 1 of 2 exchanges unused — strict replay failed',
      '',
    ]);
    expect(prettyReplay(report, { color: true })).toContain('\x1b[31m✗\x1b[0m');
  });

  it('junit: a testcase per request, a failure per unmatched one, a skipped one per unused exchange; XML escaped', () => {
    const xml = junitReplay(report);
    expect(xml).toContain('<testsuites name="snowflake-auth-mock replay" tests="4" failures="1" errors="0" skipped="1">');
    expect(xml).toContain('<testcase name="#3 GET /api/v2/nothing &amp; &lt;more&gt;" classname="two-gets">');
    expect(xml).toContain('<failure message="no recorded exchange matches" type="replay-unmatched">nearest exchanges/0001-get-api-v2-warehouses.json\n  path: recorded &quot;/api/v2/warehouses&quot;');
    expect(xml).toContain('<skipped message="recorded exchange never used"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(4);
  });

  it('json: the report as served by GET /__mock/replay/report', () => {
    expect(JSON.parse(jsonReplay(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
