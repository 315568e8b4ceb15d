/**
 * The driver teams' WireMock fixtures against the mock (issue #5, "Done when" 2), as one use of
 * `import wiremock` and `verify` (issue #11): the mappings under recordings/driver-fixtures/
 * (copied verbatim; SOURCES.md there) are imported into a recording in a temporary folder
 * (record/wiremock.ts: each mapping's request derived from its matcher, secrets redacted), and
 * that recording is verified against the fixture world (recordings/driver-fixtures/world.yaml) by
 * record/verify.ts — the one comparison engine — with the explained differences of
 * recordings/driver-fixtures/explained.yaml. Any difference not listed there fails, and so does a
 * listed one that no longer happens. docs/driver-fixtures.md is rendered from the result; after a
 * change, rewrite it with `npx vitest run test/contracts/driver-fixtures.test.ts --update`.
 *
 * Why a temporary folder and not a committed import: the recording is derived data. Importing
 * takes a fraction of a second, so the fixtures stay the single source, and the test checks the
 * import on every run instead of a copy that could drift from the mappings or the redaction rules.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecording } from '../../record/store.ts';
import { importWiremock } from '../../record/wiremock.ts';
import { mappingFiles } from '../../record/wiremock/mapping.ts';
import { loadExplained, verifyRecording, type FlowResult } from '../../record/verify.ts';
import { nameMatch, originFile } from '../../record/verify/origin-match.ts';

const ROOT = fileURLToPath(new URL('../../recordings/driver-fixtures/', import.meta.url));
const WORLD = join(ROOT, 'world.yaml');
const EXPLAINED_FILE = join(ROOT, 'explained.yaml');
/** What the drivers' own test suites replace before loading a mapping (SOURCES.md). */
const SUBSTITUTIONS = { '{{OAUTH_REDIRECT_PORT}}': '8011', '%CLIENT_TELEMETRY_ENABLED%': 'true' };

const N = 'snowflake-connector-nodejs/wiremock/mappings/';
const P = 'snowflake-connector-python/test/data/wiremock/mappings/';
const G = 'gosnowflake/test_data/wiremock/mappings/';
const J = 'snowflake-jdbc/src/test/resources/wiremock/mappings/';
const DRIVERS: readonly (readonly [string, string])[] = [
  ['snowflake-connector-nodejs', N],
  ['snowflake-connector-python', P],
  ['gosnowflake', G],
  ['snowflake-jdbc', J],
];

const FILES = mappingFiles(ROOT);
const OUT = mkdtempSync(join(tmpdir(), 'driver-fixtures-'));
const MANIFEST = importWiremock(ROOT, OUT, { name: 'driver-fixtures', substitutions: SUBSTITUTIONS, at: new Date('2026-03-01T12:00:00Z') });
const EXPLAINED = loadExplained(EXPLAINED_FILE);
const RESULT = await verifyRecording(readRecording(OUT), { world: WORLD, explained: EXPLAINED.differences, reasons: EXPLAINED.reasons, adaptations: EXPLAINED.adaptations });

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** The flow of a fixture file (the writer may have redacted part of an origin: see record/verify/origin-match.ts). */
function flowOf(file: string): FlowResult {
  const match = (f: FlowResult): string | undefined => nameMatch(file, { id: '', file: '', origin: `${f.name}#1` }, true);
  const flow = RESULT.flows.find((f) => match(f) === 'exact') ?? RESULT.flows.find((f) => match(f) === 'redacted');
  if (!flow) throw new Error(`no flow for ${file}`);
  return flow;
}

// ---- the doc ----------------------------------------------------------------------------------------

/** A difference as the doc shows it: long key lists cut to their first five. */
function shownDiff(diff: string): string {
  const m = /^(.* keys (?:missing|extra): )(.*)$/.exec(diff);
  const keys = m?.[2]?.split(', ') ?? [];
  if (!m || keys.length <= 6) return diff;
  return `${m[1]}${keys.slice(0, 5).join(', ')} … (${keys.length} keys)`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function fixtureRow(file: string, prefix: string): string {
  const flow = flowOf(file);
  const sent: string[] = [];
  const result: string[] = [];
  flow.exchanges.forEach((e, i) => {
    const n = flow.exchanges.length > 1 ? `${i + 1}. ` : '';
    for (const s of e.setup) sent.push(`*setup: ${s}*`);
    sent.push(`${n}\`${e.sent}\`${e.adaptations.length ? ` *adapted: ${e.adaptations.join(', ')}*` : ''}`);
    result.push(`${n}${e.differences.length === 0 ? 'match' : e.differences.map((d) => `${shownDiff(d.diff)} (${d.reason ?? 'UNEXPLAINED'})`).join('; ')}`);
  });
  if (flow.host !== 'myorg-myaccount.snowflakecomputing.com') sent.unshift(`*sent to ${flow.host}*`);
  return `| [${file.slice(prefix.length)}](../recordings/driver-fixtures/${file}) | ${cell(sent.join('<br>'))} | ${cell(result.join('<br>'))} |`;
}

function renderDoc(): string {
  const c = RESULT.counts;
  const lines: string[] = [
    '# The drivers\' WireMock fixtures against the mock',
    '',
    '<!-- Generated by test/contracts/driver-fixtures.test.ts; do not edit. Rewrite it with: npx vitest run test/contracts/driver-fixtures.test.ts --update -->',
    '',
    'The driver teams wrote WireMock mappings for their own tests (snowflake-connector-nodejs, snowflake-connector-python,',
    'gosnowflake, snowflake-jdbc; Apache-2.0). The ones for login, PAT, key pair, OAuth, MFA, session renewal and close,',
    'telemetry and `SELECT 1` are copied verbatim under [recordings/driver-fixtures/](../recordings/driver-fixtures/SOURCES.md).',
    '[test/contracts/driver-fixtures.test.ts](../test/contracts/driver-fixtures.test.ts) imports them as a recording',
    '(`import wiremock`: each mapping\'s request derived from its matcher, every secret redacted to a placeholder) and checks',
    'that recording with `verify` against the fixture world',
    '[recordings/driver-fixtures/world.yaml](../recordings/driver-fixtures/world.yaml) (testUser/testPassword, the PATs `some PAT`',
    'and `MOCK_TOKEN`, the OAuth clients `123`/`clientSecret` and `testClientId`/`testClientSecret`, and the fixtures\' access',
    'tokens), one fresh model per fixture file. It compares the mock\'s answer with the mapping\'s response:',
    '',
    '- GS endpoints (login, renewal, query, close, heartbeat, telemetry): HTTP status, `success`, `code`, `message` (the mock\'s',
    '  ` [incident]` suffix is ignored), the envelope keys, the keys of `data` two levels deep, and the JSON types of their values.',
    '  Below the top level, `null` matches any type, because it marks a field that is not set.',
    '- `/oauth/token-request`: HTTP status, `error`, its text (`error_description` or `message`), the body keys and the value types.',
    '- `/oauth/authorize`: HTTP status, the redirect target, the keys of the redirect\'s query, and whether `state` comes back.',
    '',
    'Placeholders in the recorded requests are resolved to values the mock accepts: "⇒world" marks a credential of the world',
    '(the password of the LOGIN_NAME, that user\'s PAT, a pre-issued access token), "⇒issued" a value the mock issued earlier in',
    'the same fixture (a session token, a code, an access or refresh token), "⇒refused" a value the world does not hold, sent',
    'where the recorded answer refused the credential, and "⇒added" a value the mapping does not pin. Some fixtures do not pin',
    'the request, or pin something the mock cannot hold; those requests are adapted, and each adaptation is named after',
    '*adapted:* ([Adaptations](#adaptations)); *setup:* lines are requests made first (a login for a session, an authorize',
    'request for a code). Each difference is shown as "fixture → mock" with the id of its [reason](#reasons), as listed in',
    '[recordings/driver-fixtures/explained.yaml](../recordings/driver-fixtures/explained.yaml). The test fails when a difference',
    'appears that is not listed, or when a listed one no longer happens. The same check from the command line:',
    '`snowflake-auth-mock verify <imported dir> --world recordings/driver-fixtures/world.yaml --explained recordings/driver-fixtures/explained.yaml`.',
    '',
    `**${FILES.length} fixture files, ${c.exchanges} mappings: ${c.matchingFlows} files match completely; the other ${c.flows - c.matchingFlows} differ only`,
    'in the listed ways.** The fixtures that were not imported (external browser, Okta, WIF, DPoP, external IdP URLs, a',
    'request-retry template) are listed in [SOURCES.md](../recordings/driver-fixtures/SOURCES.md).',
  ];
  for (const [driver, prefix] of DRIVERS) {
    lines.push('', `## ${driver}`, '', `Paths relative to \`${prefix}\`.`, '', '| Fixture | What we sent | Result |', '| --- | --- | --- |');
    for (const file of FILES.filter((f) => f.startsWith(prefix))) lines.push(fixtureRow(file, prefix));
  }
  const count = (id: string): number => new Set(EXPLAINED.differences.filter((e) => e.reason === id).map((e) => originFile(e.exchange))).size;
  lines.push('', '## Reasons', '', '| id | fixtures | why the mock differs from the fixture |', '| --- | --- | --- |');
  for (const [id, text] of Object.entries(EXPLAINED.reasons)) lines.push(`| ${id} | ${count(id)} | ${cell(text)} |`);
  lines.push('', '## Adaptations', '', '| id | what was changed in the request, and why |', '| --- | --- |');
  for (const [id, text] of Object.entries(RESULT.adaptations)) lines.push(`| ${id} | ${cell(text)} |`);
  lines.push('');
  return lines.join('\n');
}

// ---- the tests ----------------------------------------------------------------------------------------

describe('driver WireMock fixtures: import wiremock + verify', () => {
  it('imports every fixture file, each mapping an exchange with its origin and the attribution', () => {
    expect(FILES.length).toBe(96);
    expect(MANIFEST.exchanges.length).toBe(153);
    expect(RESULT.flows.length).toBe(96);
    for (const file of FILES) expect(flowOf(file).exchanges.length, file).toBeGreaterThan(0);
    expect(new Set(FILES.map(flowOf)).size, 'each fixture file is its own flow').toBe(96);
    for (const repo of ['snowflake-connector-nodejs', 'snowflake-connector-python', 'gosnowflake', 'snowflake-jdbc']) expect(MANIFEST.attribution).toContain(`snowflakedb/${repo}@`);
    expect(MANIFEST.attribution).toContain('Apache License');
  });

  it('SOURCES.md lists exactly the imported files', () => {
    const sources = readFileSync(join(ROOT, 'SOURCES.md'), 'utf8');
    const section = sources.slice(sources.indexOf('## Imported'), sources.indexOf('## Not imported'));
    const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
    expect(listed.sort()).toEqual([...FILES].sort());
  });

  it('no fixture secret reaches the imported recording', () => {
    const text = readdirSync(join(OUT, 'exchanges')).map((f) => readFileSync(join(OUT, 'exchanges', f), 'utf8')).join('\n');
    for (const secret of ['testPassword', 'clientSecret', 'testClientSecret', 'MOCK_TOKEN', 'some PAT', 'access-token-123', 'refresh-token-123', 'expired_token', 'session token', 'master token', 'dGVzdENsaWVudElk']) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it('uses every reason and adaptation of explained.yaml', () => {
    const reasons = new Set(EXPLAINED.differences.map((e) => e.reason));
    expect(Object.keys(EXPLAINED.reasons).filter((id) => !reasons.has(id))).toEqual([]);
    expect(EXPLAINED.adaptations.map((a) => a.id).filter((id) => !(id in RESULT.adaptations))).toEqual([]);
  });

  it('differs from the fixtures exactly as explained.yaml lists', () => {
    const unexplained = RESULT.flows.flatMap((f) => f.exchanges.flatMap((e) => e.differences.filter((d) => d.status === 'unexplained').map((d) => `${e.key}  ${d.diff}`)));
    const stale = RESULT.stale.map((s) => `${s.exchange}  ${s.diff}`);
    expect({ unexplained, stale }).toEqual({ unexplained: [], stale: [] });
    expect(RESULT.passed).toBe(true);
  });

  it('gives the outcome the in-test comparison gave before it moved to verify: 21 files match, 75 differ in 145 listed ways for 31 reasons', () => {
    expect(RESULT.counts).toMatchObject({ flows: 96, exchanges: 153, matchingFlows: 21, differences: 145, explained: 145, unexplained: 0, stale: 0 });
    expect(Object.keys(EXPLAINED.reasons).length).toBe(31);
    expect(new Set(EXPLAINED.differences.map((d) => originFile(d.exchange))).size).toBe(75);
  });

  it('docs/driver-fixtures.md is up to date', async () => {
    await expect(renderDoc()).toMatchFileSnapshot('../../docs/driver-fixtures.md');
  });
});
