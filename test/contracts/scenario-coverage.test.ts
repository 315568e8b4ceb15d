/**
 * Every error-catalogue entry the mock can produce has a shipped scenario that produces it — as
 * the code on the wire or as the journal's cause (issue #3 §4). Entries of surfaces not built yet
 * are listed below with the issue that will produce them; when that issue lands, its entries
 * leave this list and need scenarios.
 */
import { describe, expect, it } from 'vitest';
import { findScenarioFiles, loadScenarioFile } from '../../contracts/load-scenario.ts';
import type { RequestStep } from '../../contracts/scenario.ts';
import { CATALOGUE } from '../../domain/errors/catalogue.ts';

/** Catalogue entries no endpoint of the mock produces yet, and why. */
const NOT_PRODUCED_YET: Readonly<Record<string, string>> = {
  '333333': 'query in progress: query-request runs every statement synchronously (no asyncExec)',
  '390110': 'ID tokens (external browser, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_web.js) are not implemented',
  '390195': 'ID tokens (external browser, https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_web.js) are not implemented',
  '390201': 'an unknown warehouse/database at login leaves the session without one instead (inferred, domain/login/login.ts)',
  '390401': 'generic login failure: every refusal of the mock has a more specific code',
  '390511': 'external browser (POST /session/authenticator-request) is not implemented',
  '390505': 'only the default body of an injected 429 fault (decisions/0005); the mock has no rate limit of its own',
  '391908': 'large result sets (not planned: the mock answers small results only)',
  '999000': 'a bug of the mock, which no input is meant to reach (the fuzz suite checks that): test/unit/internal-error.test.ts forces it on every surface (decisions/0017)',
  '999002': 'only an onStatement hook (test code) answers it, and scenarios have no hook: test/http/statements.test.ts covers it (decisions/0016)',
};

/** Codes a step observes: `expect.code`, `expect.journal.code` and `expect.journal.cause`. */
function observed(): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const file of findScenarioFiles(['scenarios/'])) {
    for (const step of loadScenarioFile(file).scenario.steps) {
      const expect = (step as RequestStep).expect;
      const journal = (expect?.journal ?? {}) as Record<string, unknown>;
      for (const code of [expect?.code, journal.code, journal.cause]) {
        if (typeof code === 'string') seen.set(code, [...(seen.get(code) ?? []), file]);
      }
    }
  }
  return seen;
}

describe('scenario coverage of the error catalogue', () => {
  const seen = observed();

  it('every catalogue entry the mock produces is produced by a shipped scenario', () => {
    const missing = Object.entries(CATALOGUE)
      .filter(([key]) => !(key in NOT_PRODUCED_YET))
      .map(([key, entry]) => (key.includes('-') ? entry.code : key)) // a variant key (390144-host, 002003-rest) counts as its code
      .filter((code) => !seen.has(code));
    expect(missing, 'catalogue codes with no scenario producing them').toEqual([]);
  });

  it('the host variant of 390144 has its own scenario (403 "Invalid account name or host.")', () => {
    const files = findScenarioFiles(['scenarios/']).filter((f) => /Invalid account name or host/.test(JSON.stringify(loadScenarioFile(f).scenario)));
    expect(files.length).toBeGreaterThan(0);
  });

  it('every code a scenario expects exists in the catalogue or names a cause', async () => {
    const { CAUSES } = await import('../../domain/errors/causes.ts');
    const unknown = [...seen.keys()].filter((c) => !(c in CATALOGUE) && !(c in CAUSES));
    expect(unknown).toEqual([]);
  });

  it('the not-yet list only names real catalogue entries', () => {
    expect(Object.keys(NOT_PRODUCED_YET).filter((k) => !(k in CATALOGUE))).toEqual([]);
  });
});
