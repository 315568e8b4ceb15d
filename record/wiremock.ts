/**
 * `import wiremock`: WireMock stub mappings (https://wiremock.org/docs/stubbing/) turned into a
 * recording. Each mapping becomes one exchange — the request its matcher stands for
 * (record/wiremock/derive-request.ts) and the response it gives — in the order a client meets
 * them (files sorted, scenario states followed within a file). The exchanges go through the
 * recording writer (record/write.ts), so values that are secrets by field become placeholders even
 * though fixtures are public test data: redaction is the rule for everything that reaches disk.
 * Each exchange keeps its `origin`, `<file>#<mapping number>`; the manifest keeps the attribution.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RecordingManifest } from './format.ts';
import { wiremockExchanges, type ExchangeOptions } from './wiremock/exchanges.ts';
import { writeRecording } from './write.ts';

export { WiremockError } from './wiremock/mapping.ts';
export { wiremockExchanges } from './wiremock/exchanges.ts';

/** Options of {@link importWiremock}. */
export interface ImportWiremockOptions extends ExchangeOptions {
  /** Recording name (default: the mappings folder's name). */
  readonly name?: string;
  /** Where the mappings come from and under which licence (default: read from a SOURCES.md in the folder). */
  readonly attribution?: string;
}

/**
 * Imports every mapping under `mappingsDir` into a new recording in `outDir`; returns its manifest.
 * Throws a {@link WiremockError} (`file: field: problem`) for a mapping it cannot read, and the
 * writer's RedactionError when a secret would reach disk.
 *
 * @example
 * const manifest = importWiremock('recordings/driver-fixtures', '/tmp/driver-fixtures', { name: 'driver-fixtures' })
 * manifest.exchanges.length // 153
 */
export function importWiremock(mappingsDir: string, outDir: string, options: ImportWiremockOptions = {}): RecordingManifest {
  const raws = wiremockExchanges(mappingsDir, options);
  const attribution = options.attribution ?? attributionFrom(mappingsDir);
  return writeRecording(outDir, { name: options.name ?? basename(mappingsDir), upstream: `wiremock:${mappingsDir}`, ...(attribution && { attribution }) }, raws);
}

/**
 * An attribution line from a SOURCES.md in the folder: the repositories and commits of its table
 * and the licence it names. Undefined when there is none.
 *
 * @example
 * attributionFrom('recordings/driver-fixtures') // 'WireMock mappings copied verbatim from snowflakedb/snowflake-connector-nodejs@618c3f24998a, … (Apache License 2.0); see SOURCES.md'
 */
export function attributionFrom(mappingsDir: string): string | undefined {
  const file = join(mappingsDir, 'SOURCES.md');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const repos = [...text.matchAll(/^\|\s*\[([\w.-]+\/[\w.-]+)\]\([^)]*\)\s*\|\s*`([0-9a-f]{7,40})`/gm)].map((m) => `${m[1]}@${m[2]!.slice(0, 12)}`);
  const license = /\*\*License:\*\*\s*([^,.(]+)/.exec(text)?.[1]?.trim();
  const from = repos.length > 0 ? ` from ${repos.join(', ')}` : '';
  return `WireMock mappings copied verbatim${from}${license ? ` (${license})` : ''}; see ${basename(mappingsDir)}/SOURCES.md`;
}
