/**
 * Every rule's source is something a reader can open: a public URL or a path in this repository.
 * Fails, naming file:line, on a section citation of research notes that are not in the repository
 * (the patterns below) and on absolute paths of a machine's home or work folders; and checks that
 * every error-catalogue entry and cause names sources that exist, an `inferred` one the decision
 * that records it. The samples that prove the checker are built from pieces, so this file holds
 * none of what it forbids.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../domain/errors/catalogue.ts';
import { CAUSES } from '../../domain/errors/causes.ts';
import { SOURCES, sourceList, type Source } from '../../domain/errors/sources.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** This file: its own fixtures below are the citations and paths it looks for. */
const SELF = 'test/architecture/sources.test.ts';

/** Files git tracks, plus new ones it does not ignore (so a file is checked before its first commit). */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return [...new Set(out.split('\0').filter((f) => f !== ''))].filter((f) => existsSync(join(ROOT, f))).sort();
}

/** Citations of the private research notes, on one line. */
const NOTE_CITATION = /\b(?:auth-surface|drivers|reference)(?:\.md)? ?\u00a7|reference\/snowflake-|snowflake-(?:auth-surface|drivers)\.md/i;
/** A citation broken over two lines: "(reference" at a line's end, the section number at the next one's start. */
const CITATION_HEAD_AT_END = /\b(?:auth-surface|drivers|reference)\s*$/i;
const SECTION_AT_START = /^\s*(?:\*|\/\/|#)?\s*\u00a7\d/;
/** An absolute path of a machine; not part of a URL (`https://host/home/…`) or of a longer word. */
// Home and work folders of a machine, by absolute path, by `../` reaching out of the checkout, or
// with a Windows drive. Well-known system paths (/var/run/docker.sock, /usr/bin/chromium) are not a machine's own.
const MACHINE_PATH = /(?<![\w.~-])\/(?:work|home|Users|tmp|root)\/|(?<![\w.])(?:\.\.\/)+work\/|\b[A-Z]:\\(?:Users|work)\\/g;

/**
 * Where a `/tmp/` path is legitimate, and only there: a string literal in a test or an example (a
 * temporary directory the test makes), or the `@example` section of a doc comment (an
 * illustrative path). Home and work folders are never legitimate.
 */
function tmpAllowed(file: string, line: string, inExample: boolean, column: number): boolean {
  if (!line.startsWith('/tmp/', column)) return false;
  const quoted = /['"`]$/.test(line.slice(0, column));
  if (quoted && /^(test|examples)\//.test(file) && !/^\s*(\*|\/\/)/.test(line)) return true;
  return inExample && /^\s*\*/.test(line);
}

/** Problems of one file, as `file:line: text`. */
function problemsOf(file: string, text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  let inExample = false;
  lines.forEach((line, i) => {
    if (/^\s*\/\*\*/.test(line) || /\*\/\s*$/.test(line)) inExample = false;
    if (/^\s*\*\s*@example\b/.test(line)) inExample = true;
    else if (/^\s*\*\s*@\w+/.test(line)) inExample = false;
    const cites = NOTE_CITATION.test(line) || (i > 0 && SECTION_AT_START.test(line) && CITATION_HEAD_AT_END.test(lines[i - 1]!));
    const machinePath = [...line.matchAll(MACHINE_PATH)].some((m) => !tmpAllowed(file, line, inExample, m.index!));
    if (cites || machinePath) problems.push(`${file}:${i + 1}: ${line.trim().slice(0, 160)}`);
  });
  return problems;
}

describe('sources a reader can open', () => {
  it('no file cites the private notes or a machine path', () => {
    const problems: string[] = [];
    for (const file of repositoryFiles()) {
      if (file === SELF) continue;
      const bytes = readFileSync(join(ROOT, file));
      if (bytes.includes(0)) continue; // binary (images)
      problems.push(...problemsOf(file, bytes.toString('utf8')));
    }
    expect(problems, 'cite a public URL or a repository path instead (see domain/errors/sources.ts)').toEqual([]);
  });

  it('the checker finds what it should, and lets legitimate temporary paths through', () => {
    const S = String.fromCharCode(0xa7); // the section sign
    const W = `/${'work'}/`;
    expect(problemsOf('domain/x.ts', `// see auth-surface ${S}2.4\n// drivers ${S}3.1\n// (Reference ${S}1.4)`)).toHaveLength(3);
    expect(problemsOf('domain/x.ts', ` * a rule (reference\n * ${S}6.1). More.`)).toEqual([`domain/x.ts:2: * ${S}6.1). More.`]);
    expect(problemsOf('README.md', `notes in ${W}shared/${'reference'}/snowflake-drivers.md`)).toHaveLength(1);
    expect(problemsOf('domain/x.ts', "const p = '/home/alice/key.p8';")).toHaveLength(1);
    expect(problemsOf('domain/x.ts', "const dir = '/tmp/mock';")).toHaveLength(1);
    expect(problemsOf('test/unit/x.test.ts', "const dir = '/tmp/mock-test';")).toEqual([]);
    expect(problemsOf('test/unit/x.test.ts', '// written to /tmp/somewhere')).toHaveLength(1);
    expect(problemsOf('contracts/x.ts', "/**\n * Loads.\n *\n * @example\n * load('/tmp/my-contracts')\n */")).toEqual([]);
    expect(problemsOf('contracts/x.ts', "/**\n * Loads from /tmp/my-contracts.\n */")).toHaveLength(1);
    expect(problemsOf('docs/x.md', `DESIGN.md ${S}5.3, RFC 6749 ${S}4.1.2.1, https://example.com/home/page`)).toEqual([]);
    expect(problemsOf('domain/x.ts', `const notes = '../..${W}shared/notes';`)).toHaveLength(1);
    expect(problemsOf('README.md', 'npm caches in /root/.npm')).toHaveLength(1);
    expect(problemsOf('README.md', 'C:\\Users\\me\\key.p8')).toHaveLength(1);
    expect(problemsOf('README.md', 'the socket /var/run/docker.sock and /usr/bin/chromium')).toEqual([]);
  });
});

/** Why a source is not something a reader can open, or undefined. */
function badRef(ref: string): string | undefined {
  if (ref.startsWith('https://')) {
    try {
      return new URL(ref).hostname.includes('.') ? undefined : 'not a public URL';
    } catch {
      return 'not a URL';
    }
  }
  if (/^(\/|\.\.?\/|[a-z]+:)/i.test(ref)) return 'neither an https URL nor a repository path';
  return existsSync(join(ROOT, ref)) ? undefined : 'no such file in the repository';
}

function sourceProblems(what: string, source: Source, fidelity: string): string[] {
  const refs = sourceList(source);
  const problems = refs.flatMap((ref) => {
    const why = badRef(ref);
    return why === undefined ? [] : [`${what}: ${ref}: ${why}`];
  });
  if (refs.length === 0) problems.push(`${what}: no source`);
  if (fidelity === 'inferred' && !refs.some((ref) => /^decisions\/\d{4}-[\w.-]+\.md$/.test(ref))) {
    problems.push(`${what}: inferred, but names no decisions/ file`);
  }
  return problems;
}

describe('catalogue sources', () => {
  it('every named source is an https URL or an existing repository path', () => {
    const problems = Object.entries(SOURCES).flatMap(([name, ref]) => {
      const why = badRef(ref);
      return why === undefined ? [] : [`SOURCES.${name}: ${ref}: ${why}`];
    });
    expect(problems).toEqual([]);
  });

  it('every catalogue entry has openable sources; an inferred one names its decision', () => {
    const problems = Object.entries(CATALOGUE).flatMap(([key, e]) => sourceProblems(`catalogue ${key}`, e.source, e.fidelity));
    expect(problems).toEqual([]);
  });

  it('every cause has openable sources; an inferred one names its decision', () => {
    const problems = Object.values(CAUSES).flatMap((c) => sourceProblems(`cause ${c.name}`, c.source, c.fidelity));
    expect(problems).toEqual([]);
  });

  it('every repository path a source names is shipped in the package (docs/errors.md links resolve in an installed copy)', () => {
    const shipped = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }).files;
    const refs = [...Object.values(SOURCES), ...Object.values(CATALOGUE).flatMap((e) => [e.source].flat()), ...Object.values(CAUSES).flatMap((c) => [c.source].flat())];
    // The driver tests are evidence of what snowflake-sdk does; they stay in the repository, not the package.
    const inRepoOnly = (r: string): boolean => r.startsWith('test/driver/');
    const unshipped = [...new Set(refs.filter((r) => !r.startsWith('https://') && !inRepoOnly(r) && !shipped.some((f) => r === f || r.startsWith(`${f}/`))))];
    expect(unshipped).toEqual([]);
  });
});
