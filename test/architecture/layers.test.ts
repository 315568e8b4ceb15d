/**
 * The import direction of docs/DESIGN.md §4 and decisions/0010, checked on the source text:
 * domain ← http ← api ← {handlers, server, testcontainers}; {handlers, server} ← contracts ← record ← cli. A file that imports a layer above
 * its own, or a domain file that reaches for transport or the file system, fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Each layer and the layers it may import (itself included). */
const ALLOWED: Record<string, readonly string[]> = {
  domain: ['domain'],
  http: ['domain', 'http'],
  api: ['domain', 'http', 'api'],
  handlers: ['domain', 'http', 'api', 'handlers'],
  server: ['domain', 'http', 'api', 'server'],
  // A client of the server's image over HTTP: beside handlers/ and server/, never inside them.
  testcontainers: ['domain', 'http', 'api', 'testcontainers'],
  contracts: ['domain', 'http', 'api', 'handlers', 'server', 'contracts'],
  record: ['domain', 'http', 'api', 'handlers', 'server', 'contracts', 'record'],
  cli: ['domain', 'http', 'api', 'handlers', 'server', 'contracts', 'record', 'cli'],
};
/** Packages the pure model must not use: transport, interception, the file system. */
const DOMAIN_FORBIDDEN = /^(?:node:)?(?:http|https|http2|net|tls|dgram|fs|fs\/promises|child_process|worker_threads|cluster)$|^msw(?:\/.*)?$/;
/** The package's own name: code inside it imports by path, never through its published entry points. */
const SELF = /^snowflake-auth-mock(?:\/|$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports (comments included: a JSDoc example is not an import, so only `from '…'` and `import('…')` count). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"`]([^'"`]+)['"`]\s*[,)]/gm)) {
    found.push((m[1] ?? m[2] ?? m[3])!);
  }
  return found;
}

const layerOf = (file: string): string => relative(ROOT, file).split('/')[0]!;

describe('layers (imports point one way)', () => {
  for (const layer of Object.keys(ALLOWED)) {
    it(`${layer}/ imports only ${ALLOWED[layer]!.join(', ')}`, () => {
      const offences: string[] = [];
      for (const file of sourceFiles(join(ROOT, layer))) {
        for (const spec of specifiers(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) {
            // Any file outside the allowed layers counts: index.ts, test/, bench/, scripts/ as much as a higher layer.
            const target = layerOf(resolve(dirname(file), spec));
            if (!ALLOWED[layer]!.includes(target)) offences.push(`${relative(ROOT, file)} → ${spec}`);
          } else if (SELF.test(spec) || (layer === 'domain' && DOMAIN_FORBIDDEN.test(spec))) {
            offences.push(`${relative(ROOT, file)} → ${spec}`);
          }
        }
      }
      expect(offences).toEqual([]);
    });
  }

  it('index.ts, the package entry, imports no test helper', () => {
    expect(specifiers(readFileSync(join(ROOT, 'index.ts'), 'utf8')).filter((s) => s.includes('test/'))).toEqual([]);
  });

  it('no src/ folder is left', () => {
    expect(readdirSync(ROOT)).not.toContain('src');
  });
});

/** Specifiers a module loads when it is imported: static imports and re-exports, not `import type`/`export type` (erased) nor dynamic `import()`. */
function loadedSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)(?!\s+type\b)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) found.push((m[1] ?? m[2])!);
  return found;
}

/** Packages reached by loading `file`, following relative static imports through the source tree. */
function packagesLoadedBy(file: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(file)) return packages;
  seen.add(file);
  for (const spec of loadedSpecifiers(readFileSync(file, 'utf8'))) {
    if (spec.startsWith('.')) packagesLoadedBy(resolve(dirname(file), spec), seen, packages);
    else packages.add(spec);
  }
  return packages;
}

describe('optional peers stay optional', () => {
  // The container image and a plain `npm install snowflake-auth-mock` have no msw, vitest or
  // testcontainers: no command may need them to load (`run` imports its msw target only when used).
  const OPTIONAL_PEER = /^(?:msw|vitest|testcontainers)(?:\/|$)/;
  const entries = [...readdirSync(join(ROOT, 'cli')).filter((f) => f.endsWith('.ts')).map((f) => `cli/${f}`), 'server/index.ts'];
  for (const entry of entries) {
    it(`${entry} loads no optional peer dependency`, () => {
      expect([...packagesLoadedBy(join(ROOT, entry))].filter((p) => OPTIONAL_PEER.test(p))).toEqual([]);
    });
  }
});
