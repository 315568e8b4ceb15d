import { describe, expect, it } from 'vitest';
import type { Mismatch, RunResult, ScenarioResult, StepResult } from '../../contracts/result.ts';
import { REPORTERS, isReporterName, reporterNames } from '../../contracts/reporters/index.ts';
import { json } from '../../contracts/reporters/json.ts';
import { escapeXml, escapeXmlAttr, junit } from '../../contracts/reporters/junit.ts';
import { escapeCell, escapeMermaid, inlineCode, markdown, sequenceDiagram } from '../../contracts/reporters/markdown.ts';
import { compactValue, formatDuration, pretty, truncate } from '../../contracts/reporters/pretty.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const LONG_TOKEN = `ver:1-hint:${'x'.repeat(400)}`;
const NASTY = `bad <tag> & "quote" 'apos'`;

function step(s: Partial<StepResult> & Pick<StepResult, 'index' | 'kind' | 'name'>): StepResult {
  return { status: 'passed', durationMs: 3, mismatches: [], ...s };
}

function post(index: number, path: string, response: StepResult['response'], extra: Partial<StepResult> = {}): StepResult {
  return step({
    index, kind: 'request', name: `POST ${path}`,
    request: { method: 'POST', url: `https://acme-prod.snowflakecomputing.com${path}` },
    ...(response && { response }), ...extra,
  });
}

const statusMismatch: Mismatch = { path: 'status', expected: 401, actual: 200, message: 'expected 401, got 200' };
const jsonMismatch: Mismatch = { path: 'json $.data[0][0]', expected: LONG_TOKEN, actual: null, message: NASTY };

const passing: ScenarioResult = {
  name: 'key-pair JWT accepted', file: 'scenarios/keypair-jwt/accepted.yaml', tags: ['keypair-jwt'],
  target: 'msw', status: 'passed', durationMs: 12,
  steps: [
    step({ index: 0, kind: 'sign_jwt', name: 'sign_jwt alice' }),
    post(1, '/api/v2/statements', { status: 200 }),
    step({ index: 2, kind: 'client_ip', name: 'client_ip 10.0.0.5', status: 'skipped', note: 'needs control API' }),
  ],
};

const failing: ScenarioResult = {
  name: 'PAT disabled; then expired #2', tags: ['pat', 'expiry'], target: 'msw', status: 'failed', durationMs: 40,
  steps: [
    step({ index: 0, kind: 'world', name: 'world disable_pat ALICE/CI' }),
    post(1, '/api/v2/statements', { status: 401, code: '390303' }),
    step({ index: 2, kind: 'advance', name: 'advance 16d' }),
    step({ index: 3, kind: 'client_ip', name: 'client_ip 10.0.0.5' }),
    post(4, '/api/v2/statements?async=true', { status: 200 }, { status: 'failed', mismatches: [statusMismatch, jsonMismatch] }),
  ],
};

const skipped: ScenarioResult = {
  name: 'clock moves', file: 'scenarios/pat/clock.yaml', tags: [], target: 'msw', status: 'skipped', durationMs: 0,
  steps: [step({ index: 0, kind: 'advance', name: 'advance 16d', status: 'skipped', note: 'needs control API' })],
};

const errored: ScenarioResult = {
  name: 'target down', tags: [], target: 'msw', status: 'failed', durationMs: 1182,
  steps: [], error: 'connect ECONNREFUSED 127.0.0.1:8080',
};

const RUN: RunResult = { target: 'msw', scenarios: [passing, failing, skipped, errored], passed: 1, failed: 2, skipped: 1, durationMs: 1234 };

// ---------------------------------------------------------------------------------------------
// A tiny XML parser: throws on anything not well-formed (unbalanced tags, bad entities, raw `<`
// or `&` in text or attributes, control characters, more than one root).

interface XmlNode { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string }

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const NAME = '[A-Za-z_][\\w.-]*';
const TOKEN = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>|([^<]+)|([\\s\\S])`, 'g');

function unescape(text: string): string {
  return text.replace(ENTITY, (e) => {
    const named: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
    if (named[e]) return named[e];
    return String.fromCodePoint(e[2] === 'x' ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10));
  });
}

function checkChars(text: string): string {
  if (/[\x00-\x08\x0B\x0C\x0E-\x1F]/.test(text)) throw new Error(`control character in ${JSON.stringify(text)}`);
  if (text.replace(ENTITY, '').includes('&')) throw new Error(`bare & in ${JSON.stringify(text)}`);
  return unescape(text);
}

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of source.matchAll(new RegExp(`(${NAME})="([^"]*)"`, 'g'))) {
    if (m[1]! in attrs) throw new Error(`duplicate attribute ${m[1]}`);
    attrs[m[1]!] = checkChars(m[2]!.replace(/[\t\n\r]/g, ' ')); // attribute-value normalisation, as parsers do
  }
  return attrs;
}

function parseXml(xml: string): XmlNode {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  if (body === xml) throw new Error('missing XML declaration');
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  for (const [, close, name, attrSource, selfClose, text, stray] of body.matchAll(TOKEN)) {
    const top = stack[stack.length - 1]!;
    if (stray !== undefined) throw new Error(`stray ${JSON.stringify(stray)}`);
    if (text !== undefined) { top.text += checkChars(text); continue; }
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const node: XmlNode = { name: name!, attrs: parseAttrs(attrSource ?? ''), children: [], text: '' };
    top.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('not exactly one root element');
  return root.children[0]!;
}

function all(node: XmlNode, name: string): XmlNode[] {
  return [...node.children.filter((c) => c.name === name), ...node.children.flatMap((c) => all(c, name))];
}

function only(node: XmlNode, name: string): XmlNode {
  const found = all(node, name);
  expect(found, `exactly one <${name}>`).toHaveLength(1);
  return found[0]!;
}

function testcase(root: XmlNode, name: string): XmlNode {
  const found = all(root, 'testcase').find((t) => t.attrs.name === name);
  if (!found) throw new Error(`no testcase ${name}`);
  return found;
}

const ANSI = /\x1b\[/;

// ---------------------------------------------------------------------------------------------

describe('pretty', () => {
  const out = pretty(RUN);
  const lines = out.split('\n');

  it('heads each scenario with its symbol, name, target and duration', () => {
    expect(lines).toContain('✓ key-pair JWT accepted (msw, 12 ms)');
    expect(lines).toContain('✗ PAT disabled; then expired #2 (msw, 40 ms)');
    expect(lines).toContain('○ clock moves (msw, 0 ms)');
    expect(lines).toContain('✗ target down (msw, 1.18 s)');
  });

  it('lists each step with its symbol and, for requests, status and code', () => {
    expect(lines).toContain('  ✓ sign_jwt alice');
    expect(lines).toContain('  ✓ POST /api/v2/statements → 401 390303');
    expect(lines).toContain('  ✗ POST /api/v2/statements?async=true → 200');
  });

  it('shows the OAuth error when there is no Snowflake code', () => {
    const oauth = { ...RUN, scenarios: [{ ...passing, steps: [post(0, '/oauth/token-request', { status: 400, error: 'invalid_grant' })] }] };
    expect(pretty(oauth)).toContain('  ✓ POST /oauth/token-request → 400 invalid_grant');
  });

  it('shows every mismatch of a failed step as path, expected and actual', () => {
    const at = lines.indexOf('  ✗ POST /api/v2/statements?async=true → 200');
    expect(lines.slice(at + 1, at + 7).map((l) => l.trim())).toEqual([
      'status: expected 401, got 200',
      'expected: 401',
      'actual:   200',
      `json $.data[0][0]: ${NASTY}`,
      `expected: ${compactValue(LONG_TOKEN)}`,
      'actual:   null',
    ]);
  });

  it('prints values as compact JSON and truncates long ones', () => {
    const expectedLine = lines.find((l) => l.includes('expected: "ver:1'))!;
    expect(expectedLine.trim().length).toBeLessThan(140);
    expect(expectedLine.endsWith('…')).toBe(true);
    expect(pretty({ ...RUN, scenarios: [failing] }, { maxValueLength: 20 })).toContain('expected: "ver:1-hint:xxxxxxx…\n');
    const objectMismatch = { ...statusMismatch, expected: { code: '390303', data: [1, 2] } };
    const run = { ...RUN, scenarios: [{ ...failing, steps: [{ ...failing.steps[4]!, mismatches: [objectMismatch] }] }] };
    expect(pretty(run)).toContain('expected: {"code":"390303","data":[1,2]}');
  });

  it('shows why a step was skipped and why a scenario could not run', () => {
    expect(lines).toContain('  ○ client_ip 10.0.0.5 — needs control API');
    expect(lines).toContain('  ○ advance 16d — needs control API');
    expect(lines).toContain('  error: connect ECONNREFUSED 127.0.0.1:8080');
  });

  it('ends with the scenario counts and the total time', () => {
    expect(lines.at(-2)).toBe('1 passed, 2 failed, 1 skipped in 1.23 s');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('has no ANSI codes unless asked, and green/red/yellow/dim when asked', () => {
    expect(out).not.toMatch(ANSI);
    expect(pretty(RUN, { color: false })).not.toMatch(ANSI);
    const colored = pretty(RUN, { color: true });
    expect(colored).toContain('\x1b[32m✓\x1b[0m key-pair JWT accepted');
    expect(colored).toContain('\x1b[31m✗\x1b[0m PAT disabled');
    expect(colored).toContain('\x1b[33m○\x1b[0m clock moves');
    expect(colored).toContain('\x1b[2m(msw, 12 ms)\x1b[0m');
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(out);
  });
});

describe('json', () => {
  it('round-trips the run', () => {
    expect(JSON.parse(json(RUN))).toEqual(RUN);
  });

  it('is pretty-printed with keys in the object order', () => {
    const out = json(RUN);
    expect(out.startsWith('{\n  "target": "msw",\n  "scenarios": [')).toBe(true);
    expect(Object.keys(JSON.parse(out))).toEqual(Object.keys(RUN));
    expect(Object.keys(JSON.parse(out).scenarios[0])).toEqual(Object.keys(passing));
    expect(json(RUN, { indent: 4 })).toContain('\n    "target"');
  });

  it('writes BigInts as strings instead of throwing', () => {
    const run = { ...RUN, scenarios: [{ ...failing, steps: [{ ...failing.steps[4]!, mismatches: [{ ...statusMismatch, actual: 10n }] }] }] };
    expect(JSON.parse(json(run)).scenarios[0].steps[0].mismatches[0].actual).toBe('10');
  });
});

describe('junit', () => {
  const xml = junit(RUN);
  const root = parseXml(xml);

  it('is well-formed XML (and the checker rejects what is not)', () => {
    expect(root.name).toBe('testsuites');
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a></b>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="<"/>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a>&</a>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a>x</a><b/>')).toThrow();
  });

  it('counts tests, failures, errors and skips in the suite attributes, time in seconds', () => {
    const suite = only(root, 'testsuite');
    expect(suite.attrs).toMatchObject({ name: 'msw', tests: '4', failures: '1', errors: '1', skipped: '1', time: '1.234' });
    expect(root.attrs).toMatchObject({ name: 'snowflake-auth-mock', tests: '4', failures: '1', errors: '1', skipped: '1', time: '1.234' });
  });

  it('has one testcase per scenario, classname the file or else the tags', () => {
    expect(all(root, 'testcase').map((t) => t.attrs.name)).toEqual(RUN.scenarios.map((s) => s.name));
    expect(testcase(root, passing.name).attrs).toMatchObject({ classname: 'scenarios/keypair-jwt/accepted.yaml', time: '0.012' });
    expect(testcase(root, failing.name).attrs.classname).toBe('pat.expiry');
    expect(testcase(root, errored.name).attrs.classname).toBe('msw');
  });

  it('puts every mismatch of the failed steps in <failure>, the first in its message', () => {
    const failure = only(testcase(root, failing.name), 'failure');
    expect(failure.attrs.message).toBe('expected 401, got 200 (+1 more)');
    expect(failure.text).toContain('step 5: ✗ POST /api/v2/statements?async=true → 200');
    expect(failure.text).toContain('status: expected 401, got 200');
    expect(failure.text).toContain(`json $.data[0][0]: ${NASTY}`);
    expect(failure.text).toContain('actual:   null');
    expect(all(testcase(root, passing.name), 'failure')).toHaveLength(0);
  });

  it('reports a scenario that could not run as <error>', () => {
    const error = only(testcase(root, errored.name), 'error');
    expect(error.attrs.message).toBe('connect ECONNREFUSED 127.0.0.1:8080');
    expect(all(testcase(root, errored.name), 'failure')).toHaveLength(0);
  });

  it('marks a skipped scenario with <skipped message>', () => {
    expect(only(testcase(root, skipped.name), 'skipped').attrs.message).toBe('needs control API');
    expect(all(testcase(root, passing.name), 'skipped')).toHaveLength(0);
  });

  it('lists the steps in <system-out>', () => {
    expect(only(testcase(root, failing.name), 'system-out').text.split('\n')).toEqual([
      '✓ world disable_pat ALICE/CI',
      '✓ POST /api/v2/statements → 401 390303',
      '✓ advance 16d',
      '✓ client_ip 10.0.0.5',
      '✗ POST /api/v2/statements?async=true → 200',
    ]);
  });

  it('escapes <&"\' in attributes and text and strips control characters', () => {
    const nasty = `${NASTY}\x00\x1b[31m\x07`;
    const run: RunResult = { ...RUN, scenarios: [{ ...failing, name: nasty, steps: [{ ...failing.steps[4]!, mismatches: [{ ...statusMismatch, message: nasty }] }] }] };
    const out = junit(run);
    const tc = only(parseXml(out), 'testcase');
    const clean = `${NASTY}[31m`;
    expect(tc.attrs.name).toBe(clean);
    expect(only(tc, 'failure').attrs.message).toBe(clean);
    expect(only(tc, 'failure').text).toContain(clean);
    expect(out).toContain('bad &lt;tag&gt; &amp; &quot;quote&quot; &apos;apos&apos;');
    expect(escapeXml('<&>"\'')).toBe('&lt;&amp;&gt;&quot;&apos;');
    expect(escapeXmlAttr('a\nb\tc')).toBe('a&#10;b&#9;c');
  });

  it('keeps line breaks in attributes as character references', () => {
    const run: RunResult = { ...RUN, scenarios: [{ ...errored, error: 'line one\nline two' }] };
    expect(only(parseXml(junit(run)), 'error').attrs.message).toBe('line one\nline two');
  });

  it('has one testsuite per target', () => {
    const run: RunResult = { ...RUN, scenarios: [passing, { ...failing, target: 'http://localhost:8080' }, skipped] };
    const suites = all(parseXml(junit(run)), 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.skipped])).toEqual([
      ['msw', '2', '0', '1'],
      ['http://localhost:8080', '1', '1', '0'],
    ]);
  });
});

describe('markdown', () => {
  const out = markdown(RUN);
  const blocks = [...out.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!.split('\n'));

  it('starts with a summary and a table of scenario, status, steps and duration', () => {
    expect(out.startsWith('# Scenario report\n')).toBe(true);
    expect(out).toContain('**1 passed, 2 failed, 1 skipped** · 4 scenarios');
    expect(out).toContain('| Scenario | Status | Steps | Duration |');
    expect(out).toContain('| key-pair JWT accepted | ✓ passed | 2/3 | 12 ms |');
    expect(out).toContain('| PAT disabled; then expired #2 | ✗ failed | 4/5 | 40 ms |');
    expect(out).toContain('| clock moves | ○ skipped | 0/1 | 0 ms |');
  });

  it('has a section per scenario with a mermaid block for each that has steps', () => {
    expect(out).toContain('## ✗ PAT disabled; then expired #2');
    expect(blocks).toHaveLength(3);
    expect(out).toContain('## ✗ target down');
    expect(out).toContain('> **Error:** connect ECONNREFUSED 127.0.0.1:8080');
    expect(out).toContain('_No steps ran._');
  });

  it('draws requests, replies and notes in order, the mock labelled with the target', () => {
    expect(blocks[1]).toEqual([
      'sequenceDiagram',
      '  participant Client',
      '  participant Mock as msw',
      '  Note over Mock: world: disable_pat ALICE/CI',
      '  Client->>Mock: POST /api/v2/statements',
      '  Mock-->>Client: 401 390303',
      '  Note over Mock: clock +16d',
      '  Note over Client: client IP 10.0.0.5',
      '  Client->>Mock: POST /api/v2/statements?async=true',
      '  Mock-->>Client: ✗ 200',
      '  Note over Client,Mock: ✗ expected 401, got 200 (+1 more)',
    ]);
  });

  it('notes JWT signing and skipped steps', () => {
    expect(blocks[0]).toEqual([
      'sequenceDiagram',
      '  participant Client',
      '  participant Mock as msw',
      '  Note over Client: sign JWT alice',
      '  Client->>Mock: POST /api/v2/statements',
      '  Mock-->>Client: 200',
      '  Note over Client: ○ client IP 10.0.0.5',
      '  Note over Client,Mock: ○ skipped: needs control API',
    ]);
  });

  it('shows a skipped request as a note, not an arrow', () => {
    const s = { ...skipped, steps: [post(0, '/session/v1/login-request', undefined, { status: 'skipped', note: 'needs control API' })] };
    expect(sequenceDiagram(s).slice(3)).toEqual(['  Note over Client,Mock: ○ POST /session/v1/login-request — skipped: needs control API']);
  });

  it('escapes ; # < > and line breaks and truncates long text in the diagram', () => {
    const mismatch = { ...statusMismatch, message: `a; b # c <d>\nnext line ${'z'.repeat(300)}` };
    const s = { ...failing, target: 'url; #1', steps: [{ ...failing.steps[4]!, mismatches: [mismatch] }] };
    const lines = sequenceDiagram(s);
    expect(lines[2]).toBe('  participant Mock as url#59; #35;1');
    const note = lines.find((l) => l.includes('Note over Client,Mock'))!;
    expect(note).toContain('a#59; b #35; c #lt;d#gt; next line zzz');
    expect(note.endsWith('…')).toBe(true);
    expect(note.length).toBeLessThan(160);
    for (const line of lines.slice(1)) expect(line.replace(/#(\d+|lt|gt);/g, '')).not.toMatch(/[;#\n]/);
    expect(escapeMermaid('a;b')).toBe('a#59;b');
  });

  it('lists the mismatches of failed steps', () => {
    expect(out).toContain('**Mismatches**');
    expect(out).toContain('- step 5 `POST /api/v2/statements?async=true` — `status`: expected 401, got 200 (expected `401`, actual `200`)');
    expect(out).toContain('- step 5 `POST /api/v2/statements?async=true` — `json $.data[0][0]`: bad &lt;tag> & "quote" \'apos\' (expected `"ver:1-hint:xxx');
  });

  it('keeps table cells and inline code intact', () => {
    expect(escapeCell('a|b\nc')).toBe('a\\|b c');
    expect(inlineCode('a`b')).toBe('`` a`b ``');
    const run = { ...RUN, scenarios: [{ ...passing, name: 'x | y' }] };
    expect(markdown(run)).toContain('| x \\| y | ✓ passed |');
  });

  it('takes a title', () => {
    expect(markdown(RUN, { title: 'Auth contracts' }).startsWith('# Auth contracts\n')).toBe(true);
  });
});

describe('helpers', () => {
  it('formats durations and truncates by code point', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('😀😀😀😀😀😀', 3)).toBe('😀😀…');
    expect(compactValue(undefined)).toBe('(absent)');
  });
});

describe('REPORTERS', () => {
  it('has every named reporter', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual([...reporterNames].sort());
    expect(isReporterName('junit')).toBe(true);
    expect(isReporterName('html')).toBe(false);
  });

  it('passes color to pretty only', () => {
    expect(REPORTERS.pretty(RUN, { color: true })).toMatch(ANSI);
    expect(REPORTERS.pretty(RUN)).toBe(pretty(RUN));
    expect(REPORTERS.json(RUN, { color: true })).toBe(json(RUN));
    expect(REPORTERS.junit(RUN, { color: true })).toBe(junit(RUN));
    expect(REPORTERS.markdown(RUN, { color: true })).toBe(markdown(RUN));
  });
});
