import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, COINED_NAMES, entryFor, formatMessage } from '../../domain/errors/catalogue.ts';
import { CAUSES, causeFor } from '../../domain/errors/causes.ts';
import { renderErrorTable } from '../../domain/errors/markdown.ts';
import { sourceList } from '../../domain/errors/sources.ts';
import type { Envelope, Surface } from '../../domain/errors/types.ts';

const FIDELITIES = ['documented', 'driver-observed', 'recorded', 'inferred', 'mock'];
const ENVELOPES: readonly Envelope[] = ['login', 'api', 'query-failure', 'oauth', 'rest-error', 'html', 'empty'];
const SURFACES: readonly Surface[] = ['login', 'api', 'oauth-token', 'oauth-authorize'];
const RFC_ERRORS = ['invalid_client', 'invalid_grant', 'unsupported_grant_type', 'invalid_request'];

describe('docs/errors.md', () => {
  it('is in sync with the catalogue', () => {
    const onDisk = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    expect(onDisk, 'docs/errors.md is stale: run `npm run docs:errors`').toBe(renderErrorTable());
  });
});

describe('catalogue shape', () => {
  const entries = Object.entries(CATALOGUE);

  it.each(entries)('%s is well-formed', (key, e) => {
    if (RFC_ERRORS.includes(key)) {
      expect(e.code).toBe(key);
      expect(e.name).toBe(key);
      expect(e.oauthError).toBe(key);
    } else {
      // A key is its code, or a documented variant `<code>-<suffix>` (e.g. 390144-host).
      expect(key === e.code || key.startsWith(`${e.code}-`), `key ${key} vs code ${e.code}`).toBe(true);
      expect(e.code).toMatch(/^\d{6}$/);
      expect(e.name).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    }
    expect(FIDELITIES).toContain(e.fidelity);
    expect(sourceList(e.source).length).toBeGreaterThan(0);
    expect(e.when.trim()).not.toBe('');
    expect(e.message.trim()).not.toBe('');
    const surfaces = Object.entries(e.surfaces);
    expect(surfaces.length).toBeGreaterThan(0);
    for (const [surface, f] of surfaces) {
      expect(SURFACES).toContain(surface);
      expect(Number.isInteger(f.status) && f.status >= 100 && f.status <= 599, `${key} ${surface} status ${f.status}`).toBe(true);
      expect(ENVELOPES).toContain(f.envelope);
      expect(FIDELITIES).toContain(f.fidelity);
      if (f.envelope === 'query-failure') expect(e.sqlState, `${key} query-failure needs sqlState`).toBeDefined();
    }
    if (e.wireCode !== undefined) expect(CATALOGUE[e.wireCode], `${key} wireCode ${e.wireCode}`).toBeDefined();
    if (e.surfaces['oauth-token'] !== undefined) expect(e.oauthError).toBeDefined();
  });

  it('marks only existing keys as coined names', () => {
    for (const key of COINED_NAMES) expect(CATALOGUE[key], key).toBeDefined();
  });

  it.each(Object.entries(CAUSES))('cause %s is well-formed', (name, c) => {
    expect(c.name).toBe(name);
    expect(name).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(CATALOGUE[c.wireCode], `${name} wireCode ${c.wireCode}`).toBeDefined();
    expect(FIDELITIES).toContain(c.fidelity);
    expect(sourceList(c.source).length).toBeGreaterThan(0);
    expect(c.when.trim()).not.toBe('');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(CATALOGUE)).toBe(true);
    expect(Object.isFrozen(entryFor('390303').surfaces)).toBe(true);
    expect(Object.isFrozen(CAUSES)).toBe(true);
  });
});

describe('facts from the docs and the drivers', () => {
  it('390303: 401 api on the SQL API, 200 login on login-request', () => {
    expect(entryFor('390303').surfaces.api).toMatchObject({ status: 401, envelope: 'api', fidelity: 'documented' });
    expect(entryFor('390303').incident).toBe('number');
  });

  it.each(['390303', '390318', '390144', '394400', '390100'])('%s answers HTTP 200 on login-request', (code) => {
    expect(entryFor(code).surfaces.login).toMatchObject({ status: 200, envelope: 'login' });
  });

  it('394300..394307 carry the docs names and go on the wire as 390144', () => {
    const names: Record<string, string> = {
      '394300': 'JWT_TOKEN_INVALID_USER_IN_ISSUER',
      '394301': 'JWT_TOKEN_MISSING_ISSUE_OR_EXPIRATION_TIME',
      '394302': 'JWT_TOKEN_INVALID_ISSUE_TIME',
      '394303': 'JWT_TOKEN_INVALID_EXPIRATION_TIME',
      '394304': 'JWT_TOKEN_INVALID_PUBLIC_KEY_FINGERPRINT_MISMATCH',
      '394305': 'JWT_TOKEN_INVALID_ALGORITHM',
      '394306': 'JWT_TOKEN_INVALID_SIGNATURE',
      '394307': 'JWT_TOKEN_ACCOUNT_MISMATCH',
    };
    for (const [code, name] of Object.entries(names)) {
      expect(entryFor(code).name).toBe(name);
      expect(entryFor(code).wireCode).toBe('390144');
    }
  });

  it('OAuth names and gaps', () => {
    expect(entryFor('390309').name).toBe('OAUTH_USERNAMES_MISMATCH');
    expect(entryFor('390303').name).toBe('OAUTH_ACCESS_TOKEN_INVALID');
    expect(entryFor('390318').name).toBe('OAUTH_ACCESS_TOKEN_EXPIRED');
    expect(CATALOGUE['390310']).toBeUndefined();
  });

  it('token endpoint and SQL API texts', () => {
    expect(entryFor('invalid_client').message).toBe('This is an invalid client.');
    expect(entryFor('invalid_client').surfaces['oauth-token']).toMatchObject({ status: 401, envelope: 'oauth' });
    expect(entryFor('390142').message).toBe('Incoming request does not contain a valid payload.');
    expect(entryFor('390142').surfaces.api?.status).toBe(400);
    expect(entryFor('333334').surfaces.api?.status).toBe(202);
    expect(entryFor('090001').message).toBe('Statement executed successfully.');
    expect(entryFor('000604').sqlState).toBe('57014');
  });

  it('PAT_INVALID asks the driver to retry', () => {
    expect(entryFor('394400').loginData).toEqual({ nextAction: 'RETRY_LOGIN', authnMethod: 'PAT', signInOptions: {} });
  });

  it('390144-host is the go fixture 403', () => {
    const e = entryFor('390144-host');
    expect(e.code).toBe('390144');
    expect(e.message).toBe('Invalid account name or host.');
    expect(e.surfaces.login?.status).toBe(403);
  });
});

describe('entryFor / causeFor', () => {
  it('throws on an unknown code', () => {
    expect(() => entryFor('999999')).toThrow(/unknown code/);
  });

  it('finds causes by name only', () => {
    expect(causeFor('PAT_EXPIRED')?.wireCode).toBe('394400');
    expect(causeFor('NETWORK_POLICY_BLOCKED')?.wireCode).toBe('390422');
    expect(causeFor('394302')).toBeUndefined();
    expect(causeFor('toString')).toBeUndefined();
  });
});

describe('formatMessage', () => {
  it('fills {ip}', () => {
    expect(formatMessage(entryFor('390422'), { ip: '10.0.0.5' })).toMatch(
      /^Incoming request with IP\/Token 10\.0\.0\.5 is not allowed to access Snowflake\. Contact/,
    );
  });

  it('appends the incident in brackets, or drops it', () => {
    expect(formatMessage(entryFor('390144'), {}, '0ce9eb56-821d-4ca9-a774-04ae89a0cf5a')).toBe(
      'JWT token is invalid. [0ce9eb56-821d-4ca9-a774-04ae89a0cf5a]',
    );
    expect(formatMessage(entryFor('390303'), {}, '1172527951366')).toBe('Invalid OAuth access token. [1172527951366]');
    expect(formatMessage(entryFor('390318'), {})).toBe('OAuth access token expired.');
  });

  it('leaves unknown placeholders visible and does not re-expand values', () => {
    expect(formatMessage(entryFor('000709'), {})).toBe('Statement {handle} not found');
    expect(formatMessage(entryFor('000709'), { handle: '{incident}' })).toBe('Statement {incident} not found');
  });

  it('keeps newlines of multi-line messages', () => {
    expect(formatMessage(entryFor('001003'), { token: 'GRANT', line: '1', position: '0' })).toBe(
      "SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'GRANT'.",
    );
  });
});

describe('README error table', () => {
  it('is in sync with the catalogue (run `npm run docs:errors` to regenerate)', async () => {
    const { readFileSync } = await import('node:fs');
    const { withReadmeErrorTable } = await import('../../domain/errors/markdown.ts');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withReadmeErrorTable(readme) === readme, 'README error table is stale: run `npm run docs:errors`').toBe(true);
  });
});
