/**
 * Issue #13 part 4, papercuts 3 and 5: what a new user copies out of README.md works as is. Every
 * ```yaml block loads with the loader of its kind; the in-process example runs on the world it
 * shows and answers what its comments say; the control API's curl lines say they need
 * `serve --control`, and the serve section names every control endpoint.
 *
 * How a block's kind is decided (explicitly, here and nowhere else):
 * 1. by a marker comment on its first line —
 *    `# world.yaml…` a world, `# scenarios/<path>.yaml` a scenario (its `world:` path is resolved
 *    from that path), `# explained.yaml…` a verify explained file, `# .github/workflows/<file>.yml`
 *    a GitHub Actions workflow (plain YAML only: no loader of ours reads it);
 * 2. without a marker, by content: `steps:` a scenario, `jobs:` a workflow, `reasons:`/`differences:`
 *    an explained file, anything else a world (the single-account shorthand takes any account field
 *    at the top, so a fragment such as `security_integrations:` must load as a whole world).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { controlEndpoints } from '../../cli/serve.ts';
import { parseScenarioText } from '../../contracts/load-scenario.ts';
import { buildWorld } from '../../domain/world/build.ts';
import { createIds } from '../../domain/ids.ts';
import { parseWorldTextWithWarnings } from '../../domain/world/parse-text.ts';
import { formatIssue } from '../../domain/world/validate.ts';
import { loadExplained } from '../../record/verify/explained.ts';
import { call, scalar, useMock } from '../helpers/msw.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

type Kind = 'world' | 'scenario' | 'explained' | 'workflow';

interface Block {
  readonly lang: string;
  readonly body: string;
  /** 1-based line of the opening fence in README.md. */
  readonly line: number;
}

/** Every fenced block of a text, with its language. */
function blocks(text: string): Block[] {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]!, line: text.slice(0, m.index).split('\n').length }));
}

/** The kind of a YAML block, by marker comment, else by content (see the file's comment). */
function classify(body: string): { kind: Kind; by: 'marker' | 'content'; file?: string } {
  const first = body.split('\n', 1)[0]!;
  const marker = /^# (\S+)/.exec(first)?.[1];
  if (marker !== undefined) {
    if (/^\.github\/workflows\/[\w.-]+\.ya?ml$/.test(marker)) return { kind: 'workflow', by: 'marker', file: marker };
    if (/^scenarios\/[\w/.-]+\.ya?ml$/.test(marker)) return { kind: 'scenario', by: 'marker', file: marker };
    if (/^explained\.ya?ml$/.test(marker)) return { kind: 'explained', by: 'marker' };
    if (/^world\.ya?ml$/.test(marker)) return { kind: 'world', by: 'marker' };
  }
  const top = parse(body) as Record<string, unknown> | null;
  const has = (key: string): boolean => top !== null && typeof top === 'object' && key in top;
  if (has('steps')) return { kind: 'scenario', by: 'content' };
  if (has('jobs')) return { kind: 'workflow', by: 'content' };
  if (has('reasons') || has('differences')) return { kind: 'explained', by: 'content' };
  return { kind: 'world', by: 'content' };
}

const yamlBlocks = blocks(README).filter((b) => b.lang === 'yaml' || b.lang === 'yml');
const tmp = mkdtempSync(join(tmpdir(), 'sam-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Loads a block with its kind's loader; throws what a user copying it would see. */
function load(block: Block, kind: Kind, file: string | undefined): void {
  const where = `README.md:${block.line}`;
  if (kind === 'world') {
    const { config, warnings } = parseWorldTextWithWarnings(block.body, where);
    // Building checks what only a build can (keys, setup scripts); a README world warns of nothing.
    buildWorld(config, { now: Date.parse('2026-01-01T00:00:00Z'), ids: createIds(1) });
    expect(warnings.map(formatIssue), `${where}: warnings`).toEqual([]);
  } else if (kind === 'scenario') {
    parseScenarioText(block.body, join(ROOT, file ?? 'scenarios/readme-example.yaml'));
  } else if (kind === 'explained') {
    const path = join(tmp, `explained-${block.line}.yaml`);
    writeFileSync(path, block.body);
    loadExplained(path);
  } else {
    const workflow = parse(block.body, { uniqueKeys: true }) as { jobs?: unknown };
    expect(workflow?.jobs, `${where}: a workflow has jobs`).toBeTypeOf('object');
  }
}

describe('every ```yaml block of README.md loads as is (papercut 5)', () => {
  it('finds the blocks and classifies every one', () => {
    const kinds = yamlBlocks.map((b) => classify(b.body).kind);
    // At least what the README had when this test was written: worlds, a scenario, an explained file, workflows.
    expect(kinds.filter((k) => k === 'world').length).toBeGreaterThanOrEqual(4);
    expect(kinds).toContain('scenario');
    expect(kinds).toContain('explained');
    expect(kinds.filter((k) => k === 'workflow').length).toBeGreaterThanOrEqual(2);
  });

  it.each(yamlBlocks.map((b) => [`README.md:${b.line} ${b.body.split('\n', 1)[0]!.slice(0, 70)}`, b] as const))('%s', (_name, block) => {
    const { kind, file } = classify(block.body);
    expect(() => load(block, kind, file)).not.toThrow();
  });

  it('the classification rules themselves', () => {
    expect(classify('# world.yaml — anything\nusers: []\n')).toEqual({ kind: 'world', by: 'marker' });
    expect(classify('# scenarios/pat/x.yaml\nname: x\n')).toEqual({ kind: 'scenario', by: 'marker', file: 'scenarios/pat/x.yaml' });
    expect(classify('# .github/workflows/ci.yml\njobs: {}\n')).toEqual({ kind: 'workflow', by: 'marker', file: '.github/workflows/ci.yml' });
    expect(classify('# explained.yaml (YAML or JSON)\nreasons: {}\n')).toEqual({ kind: 'explained', by: 'marker' });
    expect(classify('jobs: {}\n').kind).toBe('workflow');
    expect(classify('name: x\nsteps: []\n').kind).toBe('scenario');
    expect(classify('security_integrations: []\n').kind).toBe('world');
  });

  it('a broken world block would fail: the loader is really run', () => {
    const broken = { lang: 'yaml', line: 1, body: '# world.yaml\nusers:\n  - { name: ALICE, rsa_public_key: MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A... }\n' };
    expect(() => load(broken, 'world', undefined)).toThrow(/rsa_public_key/);
  });
});

/** The section of README.md under a `## ` heading, up to the next one. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}`);
  expect(start, `README section "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('"In a test suite": the example shows its world and does what it says (papercut 5)', () => {
  const text = section('In a test suite');
  const [world] = blocks(text).filter((b) => b.lang === 'yaml');
  const [example] = blocks(text).filter((b) => b.lang === 'ts');

  it('shows the world it loads: a world.yaml block, and the example loads ./world.yaml', () => {
    expect(world, 'a ```yaml world block in "In a test suite"').toBeDefined();
    expect(classify(world!.body)).toMatchObject({ kind: 'world', by: 'marker' });
    expect(example!.body).toContain("createSnowflakeMock({ world: './world.yaml'");
  });

  // Without the block the test above fails; this one must still be collected to say so.
  const mock = useMock({ world: world ? parseWorldTextWithWarnings(world.body, 'README.md').config : {} });

  it('answers as the comments of the example say, before and after clock.advance', async () => {
    expect(world, 'the world of the example').toBeDefined();
    const pat = /authorization: 'Bearer ([\w-]+)'/.exec(example!.body)![1]!;
    const ip = /'x-forwarded-for': '([\d.]+)'/.exec(example!.body)![1]!;
    const ok = await call('SELECT CURRENT_USER()', { token: pat, ip });
    expect(example!.body).toContain('// 200, data [["ALICE"]]');
    expect([ok.status, scalar(ok)]).toEqual([200, 'ALICE']);

    const advance = /mock\.clock\.advance\('(\w+)'\)/.exec(example!.body)![1]!;
    mock.clock.advance(advance);
    const refused = await call('SELECT CURRENT_USER()', { token: pat, ip });
    expect(example!.body).toContain('401 {"code":"394400","message":"Programmatic access token is invalid."}');
    expect([refused.status, refused.body.code, refused.body.message]).toEqual([401, '394400', 'Programmatic access token is invalid.']);

    const shown = /explanation: '([^']+)'/.exec(example!.body)![1]!;
    const pattern = new RegExp(`^${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '.*')}$`);
    const last = mock.journal.last()!;
    expect({ decision: last.decision, code: last.code, cause: last.cause }).toEqual({ decision: 'rejected', code: '394400', cause: 'PAT_EXPIRED' });
    expect(last.explanation).toMatch(pattern);
  });
});

describe('the control API in the README (papercut 3)', () => {
  it('every curl line against /__mock/ says it needs serve --control (in its block or just before it)', () => {
    const lines = README.split('\n');
    const curls = blocks(README).filter((b) => b.lang === 'sh' && /curl[^\n]*\/__mock\//.test(b.body));
    expect(curls.length).toBeGreaterThan(0);
    for (const b of curls) {
      const before = lines.slice(Math.max(0, b.line - 4), b.line - 1).join('\n');
      expect(`${before}\n${b.body}`, `README.md:${b.line}`).toContain('--control');
    }
  });

  it("serve's section names every control endpoint", () => {
    const serve = section('From any language: `serve`');
    for (const { name } of controlEndpoints()) expect(serve, name).toMatch(new RegExp(`/__mock/${name}\\b(?!/)`));
  });
});
