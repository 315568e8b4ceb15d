/**
 * Issue #13 part 4, papercut 8: installing the package runs no script of ours. npm warns consumers
 * about install scripts, and a `prepare` cannot even build from the tarball (it ships no tsconfig
 * and no TypeScript): the build runs when the tarball is made (`prepack`), and dist/ ships in it.
 * scripts/pack-smoke.sh checks the real tarball; this checks the manifest and that the smoke test
 * keeps checking, so neither can slip back unnoticed in `npm test`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const manifest = JSON.parse(read('package.json')) as { scripts: Record<string, string>; files: string[]; bin: Record<string, string>; exports: Record<string, unknown> };

/** Scripts npm runs when someone installs the package (https://docs.npmjs.com/cli/v10/using-npm/scripts#life-cycle-operation-order). */
const INSTALL_TIME = ['preinstall', 'install', 'postinstall', 'prepare'];

describe('the package builds at pack time, never at install time', () => {
  it('has no preinstall, install, postinstall or prepare script', () => {
    expect(INSTALL_TIME.filter((name) => name in manifest.scripts)).toEqual([]);
  });

  it('builds dist/ in prepack with the build config, and ships dist/', () => {
    expect(manifest.scripts.prepack).toBe('tsc -p tsconfig.build.json');
    expect(manifest.files).toContain('dist');
    expect(JSON.stringify(manifest.exports)).toContain('./dist/index.js');
  });

  it('the bin needs no build in a checkout: it runs the TypeScript source where Node can strip types', () => {
    const bin = read(manifest.bin['snowflake-auth-mock']!.replace(/^\.\//, ''));
    expect(bin).toContain("new URL('../cli/main.ts', import.meta.url)");
    expect(bin).toContain('process.features?.typescript');
  });

  it("scripts/pack-smoke.sh checks the tarball's scripts and its dist/", () => {
    const smoke = read('scripts/pack-smoke.sh');
    expect(smoke).toMatch(/\["preinstall", "install", "postinstall", "prepare"\]/);
    expect(smoke).toContain("grep -qx 'package/dist/index.js' <<< \"$packed_files\"");
  });
});
