/**
 * `snowflake-auth-mock import <kind> <input> --out <dir>`: turns other people's captures into a
 * recording, through the recording writer, so they are redacted and scanned like a live capture.
 * Kinds: `har` (HAR 1.2 from devtools, proxies, Polly.js; record/har-import.ts) and `wiremock`
 * (WireMock stub mappings, as the Snowflake drivers' test suites ship them; record/wiremock.ts).
 */
import type { RecordingManifest } from '../record/format.ts';
import { importHar } from '../record/har-import.ts';
import { RedactionError } from '../record/redaction-error.ts';
import { RecordingError } from '../record/store.ts';
import { importWiremock, WiremockError } from '../record/wiremock.ts';
import { flagHelp, parseFlags, takeRepeated, UsageError, type FlagSpec } from './args.ts';

const HAR_FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: { type: 'string', description: 'recording folder to write (required), e.g. recordings/browser-login' },
  name: { type: 'string', description: 'recording name in the manifest (default: the HAR file name)' },
  'redact-identities': { type: 'boolean', description: 'also replace account names, locators, user names and IPs' },
  allow: { type: 'string', description: 'JSON pointer (or file#pointer) the final secret scan lets through; repeat for several' },
  help: { type: 'boolean', description: 'show this help' },
};

const WIREMOCK_FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: { type: 'string', description: 'recording folder to write (required)' },
  name: { type: 'string', description: 'recording name in the manifest (default: the mappings folder name)' },
  attribution: { type: 'string', description: 'where the mappings come from and their licence (default: from a SOURCES.md in the folder)' },
  set: { type: 'string', description: 'NAME=VALUE: replace the text NAME in every mapping file before reading it (a driver test fills such placeholders, e.g. %CLIENT_TELEMETRY_ENABLED%=true); repeat for several' },
  help: { type: 'boolean', description: 'show this help' },
};

const EXIT_CODES = `exit codes:
  0  imported
  1  the final scan found a secret left after redaction (file#pointer named, value never shown); nothing written
  2  usage error, or the input cannot be read (file: field: problem)`;

const HELP = `usage: snowflake-auth-mock import har <file.har> --out <dir> [--name N] [--redact-identities] [--allow PTR]…
       snowflake-auth-mock import wiremock <mappings dir> --out <dir> [--name N] [--attribution TEXT] [--set NAME=VALUE]…

Imports a capture as a recording. Everything goes through redaction and the final secret scan:
a HAR saved from browser devtools holds every cookie and token of the session, and only
placeholders of them reach <dir> (see docs/recording-format.md).

flags of import har:
${flagHelp(HAR_FLAGS)}

flags of import wiremock:
${flagHelp(WIREMOCK_FLAGS)}

${EXIT_CODES}`;

/**
 * Runs `import`; resolves with the exit code.
 *
 * @example
 * process.exitCode = await importCommand(['har', 'session.har', '--out', 'recordings/browser-login'])
 */
export async function importCommand(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === undefined || kind === '--help' || kind === 'help' || rest.includes('--help')) {
    console.log(HELP);
    return kind === undefined ? 2 : 0;
  }
  if (kind !== 'har' && kind !== 'wiremock') throw new UsageError(`unknown kind "${kind}": import har or import wiremock`);
  const { values: allow, rest: afterAllow } = takeRepeated(rest, 'allow');
  const { values: sets, rest: others } = takeRepeated(afterAllow, 'set');
  const substitutions: Record<string, string> = {};
  for (const s of sets) {
    const at = s.indexOf('=');
    if (at <= 0) throw new UsageError(`--set ${JSON.stringify(s)}: expected NAME=VALUE`);
    substitutions[s.slice(0, at)] = s.slice(at + 1);
  }
  const [input, ...flagArgs] = others;
  if (input === undefined || input.startsWith('--')) throw new UsageError(`name the ${kind === 'har' ? 'HAR file' : 'mappings folder'} to import`);
  const flags = parseFlags(flagArgs, kind === 'har' ? HAR_FLAGS : WIREMOCK_FLAGS);
  if (typeof flags.out !== 'string' || flags.out === '') throw new UsageError('--out <dir> is required');
  const name = typeof flags.name === 'string' ? flags.name : undefined;
  try {
    const manifest = kind === 'har'
      ? importHar(input, flags.out, { ...(name && { name }), identities: flags['redact-identities'] === true, ...(allow.length > 0 && { allow }) })
      : importWiremock(input, flags.out, { ...(name && { name }), ...(typeof flags.attribution === 'string' && { attribution: flags.attribution }), ...(sets.length > 0 && { substitutions }) });
    console.log(summary(manifest, input, flags.out));
    return 0;
  } catch (error) {
    return failure(error);
  }
}

/** What the user can do about each kind of refusal (an entropy refusal says it in its own message). */
const REDACTION_HINTS: Readonly<Record<RedactionError['rule'], (e: RedactionError) => string>> = {
  seen: () => '\nthat value is a secret redaction found elsewhere in the input; it cannot be allowed: remove it from the input',
  shape: (e) => `\nif that value is not a secret, pass --allow '${e.file}#${e.path}'`,
  entropy: () => '',
};

/**
 * Exit code and message for an error of reading, redacting or writing (never a stack trace).
 *
 * @example
 * failure(new RecordingError('x.har', 'log.entries', 'expected a list of entries')) // 2
 */
export function failure(error: unknown): number {
  if (error instanceof RedactionError) {
    console.error(`snowflake-auth-mock import: ${error.message}${REDACTION_HINTS[error.rule](error)}`);
    return 1;
  }
  if (error instanceof RecordingError || error instanceof WiremockError) {
    console.error(`snowflake-auth-mock import: ${error.message}`);
    return 2;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && error instanceof Error) {
    console.error(`snowflake-auth-mock import: ${error.message}`);
    return 2;
  }
  throw error;
}

function summary(manifest: RecordingManifest, input: string, out: string): string {
  const counts = new Map<string, number>();
  for (const p of Object.values(manifest.redaction.placeholders)) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  const kinds = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
  return `imported ${manifest.exchanges.length} exchange(s) from ${input} into ${out}; placeholders: ${kinds || 'none'}`;
}

