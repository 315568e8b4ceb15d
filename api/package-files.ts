/**
 * Files the package ships beside its code (scenario schema, fixture keys, contract schemas). The
 * source runs from `contracts/x.ts` and the build from `dist/contracts/x.js`, one folder deeper, so
 * no fixed `../` path can serve both: the package root is found by walking up to our package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'snowflake-auth-mock';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`${NAME}: cannot find its package.json above ${start}`);
  }
}

let root: string | undefined;

/**
 * Absolute path of a file or folder shipped in the package, given relative to its root.
 *
 * @example
 * packagePath('schemas/scenario.schema.json') // '/…/node_modules/snowflake-auth-mock/schemas/scenario.schema.json'
 */
export function packagePath(relative: string): string {
  root ??= findRoot(dirname(fileURLToPath(import.meta.url)));
  return join(root, relative);
}
