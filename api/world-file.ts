/**
 * Reading a world config file: the one place the world touches the file system, kept outside
 * `domain/` (DESIGN.md §4).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { WorldConfig } from '../domain/world/config.ts';
import { defaultWorldConfig } from '../domain/world/default-world.ts';
import { parseWorldTextWithWarnings, type LoadedWorldConfig } from '../domain/world/parse-text.ts';
import { WorldConfigError } from '../domain/world/validate.ts';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Reads and validates a `.yaml`, `.yml` or `.json` world file; problems name the file as given.
 * Throws a `WorldConfigError` (also for a missing or unreadable file).
 *
 * @example
 * const config = loadWorldFile('test/fixtures/worlds/example.yaml')
 */
export function loadWorldFile(path: string): WorldConfig {
  return loadWorldFileWithWarnings(path).config;
}

/**
 * {@link loadWorldFile}, plus the world's warnings (domain/world/warnings.ts) placed at the file's
 * lines: what loads but cannot work as written. `serve` prints them.
 *
 * @example
 * const { config, warnings } = loadWorldFileWithWarnings('world.yaml')
 * warnings.map(formatIssue) // ['world.yaml:14:13: users[0].programmatic_access_tokens[0]: PAT CI of user ALICE can never be used: …']
 */
export function loadWorldFileWithWarnings(path: string): LoadedWorldConfig {
  if (!EXTENSIONS.includes(extname(path).toLowerCase())) {
    throw new WorldConfigError([{ file: path, path: '', message: `a world file must end in ${EXTENSIONS.join(', ')}` }]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new WorldConfigError([{ file: path, path: '', message: `cannot read world file: ${reason}` }]);
  }
  return parseWorldTextWithWarnings(text, path);
}

/**
 * Turns what a user passed as `world` into a config: a path is loaded, an object used as is,
 * nothing gives the embedded default world.
 *
 * @example
 * const { config, file } = resolveWorldInput(options.world)
 */
export function resolveWorldInput(input: string | WorldConfig | undefined): { config: WorldConfig; file?: string } {
  if (input === undefined) return { config: defaultWorldConfig() };
  if (typeof input === 'string') return { config: loadWorldFile(input), file: input };
  return { config: input };
}
