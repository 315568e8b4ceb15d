/**
 * The inspector (issue #12): a page for people at `GET /__mock/` on a server started with
 * `--control` — the journal live, the world at a glance, the clock and the faults. Plain files in
 * `server/inspector/`, read when asked for (from the source tree or an installed package alike,
 * through packagePath), served with a strict Content-Security-Policy: scripts and styles only from
 * the mock itself, nothing inline, no frames, no forms posting elsewhere.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../api/package-files.ts';
import type { MockResponse } from '../http/record.ts';

/**
 * The policy of every inspector file. No 'unsafe-inline': an entry's path or user name that slipped
 * into the markup could not run anyway. `connect-src 'self'` is what the page's polling needs.
 *
 * @example
 * inspectorFile('').headers['content-security-policy'] === INSPECTOR_CSP // true
 */
export const INSPECTOR_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The files of the page, by the name they are asked for under `/__mock/`, and their types. */
const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'inspector.js': { file: 'inspector.js', type: 'text/javascript; charset=utf-8' },
  'inspector.css': { file: 'inspector.css', type: 'text/css; charset=utf-8' },
  // Named by the page, so the browser does not ask the mock for /favicon.ico (a journaled 404).
  'inspector.svg': { file: 'inspector.svg', type: 'image/svg+xml' },
};

/**
 * The names {@link inspectorFile} answers (`''` is the page itself, `/__mock/`).
 *
 * @example
 * INSPECTOR_FILES // ['', 'inspector.js', 'inspector.css', 'inspector.svg']
 */
export const INSPECTOR_FILES: readonly string[] = Object.keys(FILES);

/**
 * Answers one file of the page, read from disk on every request (no-store: a changed mock is
 * never shown through a stale script).
 *
 * @example
 * inspectorFile('inspector.css').headers['content-type'] // 'text/css; charset=utf-8'
 */
export function inspectorFile(name: string): MockResponse {
  const entry = FILES[name];
  if (!entry) throw new Error(`no inspector file ${JSON.stringify(name)}`);
  const body = readFileSync(packagePath(`server/inspector/${entry.file}`), 'utf8');
  return { status: 200, headers: { 'content-type': entry.type, ...INSPECTOR_HEADERS }, body };
}

/**
 * `GET /__mock` without the slash: to the page, whose relative links need the folder form.
 *
 * @example
 * inspectorRedirect().headers.location // '/__mock/'
 */
export function inspectorRedirect(): MockResponse {
  return { status: 308, headers: { location: '/__mock/', 'cache-control': 'no-store' }, body: '' };
}

const INSPECTOR_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': INSPECTOR_CSP,
  // The types above are the only reading of these files; no referrer leaks the mock's URL.
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
