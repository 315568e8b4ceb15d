/**
 * Renders the error catalogue and the named causes as the Markdown of `docs/errors.md`.
 * Pure string building: `scripts/gen-error-docs.ts` writes the file, a unit test keeps it in sync.
 */
import { CATALOGUE, COINED_NAMES } from './catalogue.ts';
import { CAUSES } from './causes.ts';
import { sourceLabel, sourceList, type Source } from './sources.ts';
import type { CatalogueEntry, Surface } from './types.ts';

const SURFACES: readonly Surface[] = ['login', 'api', 'oauth-token', 'oauth-authorize'];

const INTRO = `# Error codes

Every code the mock answers with, and every named cause it records. Generated from
\`domain/errors/catalogue.ts\` and \`domain/errors/causes.ts\` by \`npm run docs:errors\`;
do not edit by hand (a unit test fails when this file and the catalogue disagree).

Fidelity labels:

- **documented**: stated by Snowflake's documentation.
- **driver-observed**: taken from Snowflake's driver sources or their WireMock fixtures.
- **recorded**: seen in a capture of the real service (none yet).
- **inferred**: our choice, where Snowflake's documentation and drivers say nothing; the decision
  that records it is among the entry's sources.
- **mock**: the mock's own answer, standing for no Snowflake behaviour (a 999xxx code Snowflake
  does not use, e.g. "this statement is not modelled"); README.md and the decision describe it.

A code's label is the weaker of its number and its message. Each surface cell reads
"status envelope (label)": the label there is for that status + body pairing. A † marks a name
Snowflake does not publish, so ours. Source: where the fact comes from — a page of Snowflake's
documentation, a driver's source file, a driver team's WireMock fixture (copied under
[recordings/driver-fixtures/](../recordings/driver-fixtures/SOURCES.md)), the driver tests of this
repository, or a decision under [decisions/](../decisions/).

Surfaces: \`login\` = \`/session/v1/login-request\` and the other GS JSON endpoints; \`api\` = SQL API
and REST API (\`/api/v2/...\`); \`oauth-token\` = \`POST /oauth/token-request\`; \`oauth-authorize\` =
\`GET /oauth/authorize\`.
`;

/**
 * Markdown links to a source, for a file in `base` (`'../'` from docs/, `''` from the README):
 * URLs as they are, repository paths relative to that file.
 *
 * @example
 * sourceLinks('decisions/0004-inferred-choices-of-issue-2.md', '../')
 * // '[decisions/0004](../decisions/0004-inferred-choices-of-issue-2.md)'
 */
export function sourceLinks(source: Source, base: string): string {
  return sourceList(source)
    .map((ref) => `[${sourceLabel(ref)}](${ref.startsWith('https://') ? ref : base + ref})`)
    .join(', ');
}

/** Makes text safe for one Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Deterministic order: by code (plain code-unit order: numbers before RFC names), then key. */
function byCode(a: [string, CatalogueEntry], b: [string, CatalogueEntry]): number {
  const [ka, ea] = a;
  const [kb, eb] = b;
  if (ea.code !== eb.code) return ea.code < eb.code ? -1 : 1;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function surfaceCell(entry: CatalogueEntry, surface: Surface): string {
  const f = entry.surfaces[surface];
  return f === undefined ? '' : `${f.status} ${f.envelope} (${f.fidelity})`;
}

function notesCell(entry: CatalogueEntry): string {
  const notes: string[] = [];
  if (entry.wireCode !== undefined) notes.push(`on the wire as ${entry.wireCode} unless \`jwt_specific_errors\` is on`);
  if (entry.incident !== undefined) notes.push(`incident: ${entry.incident}`);
  if (entry.sqlState !== undefined) notes.push(`sqlState ${entry.sqlState}`);
  if (entry.oauthError !== undefined) notes.push(`error: ${entry.oauthError}`);
  if (entry.loginData !== undefined) notes.push(`data: ${JSON.stringify(entry.loginData)}`);
  for (const s of SURFACES) {
    const note = entry.surfaces[s]?.note;
    if (note !== undefined) notes.push(`${s}: ${note}`);
  }
  return notes.join('; ');
}

function codeTable(): string[] {
  const head = ['Code', 'Name', 'Message', ...SURFACES, 'Fidelity', 'Source', 'When', 'Notes'];
  const lines = [row(head), row(head.map(() => '---'))];
  for (const [key, e] of Object.entries(CATALOGUE).sort(byCode)) {
    lines.push(
      row([
        `\`${key}\``,
        `\`${e.name}\`${COINED_NAMES.has(key) ? ' †' : ''}`,
        cell(e.message),
        ...SURFACES.map((s) => surfaceCell(e, s)),
        e.fidelity,
        sourceLinks(e.source, '../'),
        cell(e.when),
        cell(notesCell(e)),
      ]),
    );
  }
  return lines;
}

function causeTable(): string[] {
  const head = ['Cause', 'Wire code', 'Fidelity', 'Source', 'When'];
  const lines = [row(head), row(head.map(() => '---'))];
  const causes = Object.values(CAUSES).sort((a, b) =>
    a.wireCode !== b.wireCode ? (a.wireCode < b.wireCode ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const c of causes) {
    lines.push(row([`\`${c.name}\``, `\`${c.wireCode}\``, c.fidelity, sourceLinks(c.source, '../'), cell(c.when)]));
  }
  return lines;
}

/**
 * The whole `docs/errors.md`: intro, the code table sorted by code, and the cause table.
 *
 * @example
 * renderErrorTable().startsWith('# Error codes') // true
 */
export function renderErrorTable(): string {
  return [
    INTRO,
    '## Codes',
    '',
    ...codeTable(),
    '',
    '## Causes',
    '',
    'Journal-only reasons finer than a code: the journal shows the cause, the wire shows its code.',
    '',
    ...causeTable(),
    '',
  ].join('\n');
}

/** Markers around the generated table in README.md. */
export const README_TABLE_START = '<!-- error-table:start (generated by npm run docs:errors; do not edit) -->';
export const README_TABLE_END = '<!-- error-table:end -->';

/**
 * The compact table of codes for the README: code, name, HTTP status on the SQL/REST API and on
 * login, message, fidelity and source. The full table (envelopes, notes, causes) is docs/errors.md.
 *
 * @example
 * renderReadmeErrorTable().startsWith('| Code |') // true
 */
export function renderReadmeErrorTable(): string {
  const status = (e: CatalogueEntry, s: Surface): string => (e.surfaces[s] ? String(e.surfaces[s]!.status) : '');
  const head = ['Code', 'Name', 'API', 'Login', 'OAuth', 'Message', 'Fidelity', 'Source'];
  const lines = [row(head), row(head.map(() => '---'))];
  for (const [, e] of Object.entries(CATALOGUE).sort(byCode)) {
    lines.push(row([`\`${e.code}\``, cell(e.name), status(e, 'api'), status(e, 'login'), status(e, 'oauth-token') || status(e, 'oauth-authorize'), cell(e.message.replace(/ ?\{incident\}/, ' […]')), e.fidelity, sourceLinks(e.source, '')]));
  }
  return lines.join('\n');
}

/**
 * README text with the generated table put between its markers.
 *
 * @example
 * withReadmeErrorTable(readFileSync('README.md', 'utf8'))
 */
export function withReadmeErrorTable(readme: string): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_TABLE_START} … ${README_TABLE_END} markers`);
  return `${readme.slice(0, start + README_TABLE_START.length)}\n${renderReadmeErrorTable()}\n${readme.slice(end)}`;
}
