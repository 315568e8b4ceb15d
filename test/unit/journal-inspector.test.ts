/**
 * What the journal gives the inspector (issue #12): a cursor (`since`, `lastSeq`, `firstSeq`)
 * that survives clears and the ring wrapping, an id per journal (a restarted mock's count starts
 * again), and the decoded header and claims of a JWT the request carried — never its signature,
 * never a PAT (whatever type it was sent as), never a password — decoded once, when recorded.
 */
import { describe, expect, it } from 'vitest';
import { createJournal, type JournalRequest } from '../../domain/journal.ts';
import { decodeSigningInput, jwtSigningInput } from '../../domain/journal-jwt.ts';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = b64({ alg: 'RS256', typ: 'JWT' });
const CLAIMS = b64({ iss: 'MYORG-MYACCOUNT.ALICE.SHA256:abc=', sub: 'MYORG-MYACCOUNT.ALICE', iat: 1, exp: 61 });
const SIGNATURE = 'c2lnbmF0dXJlLW9mLWFsaWNl';
const JWT = `${HEADER}.${CLAIMS}.${SIGNATURE}`;

const request = (over: Partial<JournalRequest> = {}): JournalRequest => ({ method: 'POST', path: '/api/v2/statements', clientIp: '127.0.0.1', headers: {}, body: '', ...over });
const outcome = (authMethod?: string) => ({ response: { status: 200 }, decision: 'allowed' as const, explanation: 'ok', authMethod });
const login = (data: Record<string, string>): JournalRequest => request({ path: '/session/v1/login-request', body: JSON.stringify({ data }) });

describe('journal cursor', () => {
  it('since(seq) answers the newer entries, oldest first; lastSeq and firstSeq bound what is held', () => {
    const journal = createJournal(3);
    expect([journal.lastSeq, journal.firstSeq, journal.since(0)]).toEqual([0, 1, []]);
    for (let i = 1; i <= 5; i++) journal.record(request({ path: `/p${i}` }), undefined, outcome(), i);
    // Capacity 3: entries 1 and 2 were pushed out of the ring.
    expect([journal.lastSeq, journal.firstSeq]).toEqual([5, 3]);
    expect(journal.since(0).map((e) => e.path)).toEqual(['/p3', '/p4', '/p5']);
    expect(journal.since(3).map((e) => e.seq)).toEqual([4, 5]);
    expect(journal.since(5)).toEqual([]);
    journal.clear();
    expect([journal.lastSeq, journal.firstSeq, journal.since(0)]).toEqual([5, 6, []]);
    journal.record(request(), undefined, outcome(), 6);
    expect(journal.since(5).map((e) => e.seq)).toEqual([6]);
  });

  it('instance names the journal: kept across clear(), another for another journal', () => {
    const journal = createJournal();
    const { instance } = journal;
    expect(instance).toMatch(/^[0-9a-f-]{36}$/);
    journal.clear();
    expect(journal.instance).toBe(instance);
    expect(createJournal().instance).not.toBe(instance);
  });
});

describe('the JWT a request carried', () => {
  it('keeps a bearer JWT of any JWT type, signature cut off, and decodes header and claims on read', () => {
    for (const type of [undefined, 'KEYPAIR_JWT', 'OAUTH', 'keypair_jwt']) {
      const headers = { authorization: `Bearer ${JWT}`, ...(type && { 'x-snowflake-authorization-token-type': type }) };
      expect(jwtSigningInput(request({ headers }), 'KEYPAIR_JWT'), String(type)).toBe(`${HEADER}.${CLAIMS}`);
    }
    const journal = createJournal();
    journal.record(request({ headers: { authorization: `bearer ${JWT}` } }), 'MYORG-MYACCOUNT', outcome('KEYPAIR_JWT'), 0);
    const entry = journal.last()!;
    expect(entry.jwt).toEqual({ header: { alg: 'RS256', typ: 'JWT' }, claims: { iss: 'MYORG-MYACCOUNT.ALICE.SHA256:abc=', sub: 'MYORG-MYACCOUNT.ALICE', iat: 1, exp: 61 } });
    expect(JSON.stringify(journal.entries())).not.toContain(SIGNATURE);
  });

  it('keeps the TOKEN of a key-pair or OAuth driver login', () => {
    expect(jwtSigningInput(login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'alice', TOKEN: JWT }), 'KEYPAIR_JWT')).toBe(`${HEADER}.${CLAIMS}`);
    expect(jwtSigningInput(login({ AUTHENTICATOR: 'oauth', TOKEN: JWT }), 'OAUTH')).toBe(`${HEADER}.${CLAIMS}`);
  });

  it.each([
    ['a PAT sent as a PAT', request({ headers: { authorization: `Bearer ${JWT}`, 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' } }), undefined],
    ['a PAT the mock recognised (no type header)', request({ headers: { authorization: `Bearer ${JWT}` } }), 'PROGRAMMATIC_ACCESS_TOKEN'],
    ['a PAT login', login({ AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', LOGIN_NAME: 'alice', TOKEN: JWT }), undefined],
    ['a password shaped like a JWT', login({ LOGIN_NAME: 'alice', PASSWORD: JWT }), 'PASSWORD'],
    ['an MFA-token login', login({ LOGIN_NAME: 'alice', PASSWORD: 'pw', TOKEN: JWT }), 'PASSWORD'],
    ['a TOKEN in the body of another endpoint', request({ body: JSON.stringify({ data: { AUTHENTICATOR: 'SNOWFLAKE_JWT', TOKEN: JWT } }) }), undefined],
    ['an opaque bearer token', request({ headers: { authorization: 'Bearer oauth-alice-token' } }), 'OAUTH'],
    ['a JWE (five parts)', request({ headers: { authorization: `Bearer ${JWT}.a.b` } }), undefined],
    ['a token of more than 16 KiB', request({ headers: { authorization: `Bearer ${HEADER}.${'A'.repeat(16_400)}.${SIGNATURE}` } }), undefined],
    ['another scheme', request({ headers: { authorization: `Basic ${JWT}` } }), undefined],
  ])('keeps nothing for %s', (_what, req, authMethod) => {
    expect(jwtSigningInput(req, authMethod)).toBeUndefined();
    const journal = createJournal();
    journal.record(req, undefined, outcome(authMethod), 0);
    expect(journal.last()!.jwt).toBeUndefined();
  });

  describe('a PAT secret of the world sent as a JWT (refused, and still a secret)', () => {
    const isPatSecret = (token: string): boolean => token === JWT;
    it.each([
      ['a bearer OAUTH token', request({ headers: { authorization: `Bearer ${JWT}`, 'x-snowflake-authorization-token-type': 'OAUTH' } }), 'OAUTH'],
      ['a bearer KEYPAIR_JWT token', request({ headers: { authorization: `Bearer ${JWT}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' } }), 'KEYPAIR_JWT'],
      ['a bearer token without a type', request({ headers: { authorization: `Bearer ${JWT}` } }), 'KEYPAIR_JWT'],
      ['an OAUTH login', login({ AUTHENTICATOR: 'OAUTH', TOKEN: JWT }), 'OAUTH'],
      ['a SNOWFLAKE_JWT login', login({ AUTHENTICATOR: 'SNOWFLAKE_JWT', LOGIN_NAME: 'alice', TOKEN: JWT }), 'KEYPAIR_JWT'],
    ])('keeps nothing for %s', (_what, req, authMethod) => {
      expect(jwtSigningInput(req, authMethod), 'a JWT when no PAT has that secret').toBe(`${HEADER}.${CLAIMS}`);
      expect(jwtSigningInput(req, authMethod, isPatSecret)).toBeUndefined();
      const journal = createJournal(10, { isPatSecret });
      journal.record(req, 'MYORG-MYACCOUNT', { ...outcome(authMethod), decision: 'rejected', response: { status: 401 } }, 0);
      expect(journal.last()!.jwt).toBeUndefined();
      expect(JSON.stringify(journal.entries())).not.toContain('MYORG-MYACCOUNT.ALICE');
    });

    it('is asked on every request, so a PAT added at run time is never decoded after it', () => {
      const secrets = new Set<string>();
      const journal = createJournal(10, { isPatSecret: (token) => secrets.has(token) });
      const req = request({ headers: { authorization: `Bearer ${JWT}`, 'x-snowflake-authorization-token-type': 'OAUTH' } });
      journal.record(req, undefined, outcome('OAUTH'), 0);
      expect(journal.last()!.jwt).toBeDefined();
      secrets.add(JWT);
      journal.record(req, undefined, outcome('OAUTH'), 1);
      expect(journal.last()!.jwt).toBeUndefined();
    });
  });

  it('decodes a JWT once, when recorded: every read and every entry of that JWT share one frozen copy', () => {
    const journal = createJournal();
    const req = request({ headers: { authorization: `Bearer ${JWT}` } });
    journal.record(req, undefined, outcome('KEYPAIR_JWT'), 0);
    journal.record(req, undefined, outcome('KEYPAIR_JWT'), 1);
    const [first, second] = journal.entries();
    expect(first!.jwt).toBe(second!.jwt);
    expect(journal.since(0)[0]!.jwt).toBe(first!.jwt);
    expect(journal.last()!.jwt).toBe(first!.jwt);
    expect(Object.isFrozen(first!.jwt) && Object.isFrozen(first!.jwt!.claims) && Object.isFrozen(first!.jwt!.header)).toBe(true);
    // Nested claims too: no reader can change what the next reader sees.
    const nested = `${HEADER}.${b64({ aud: ['a', 'b'], ctx: { n: 1 } })}.${SIGNATURE}`;
    journal.record(request({ headers: { authorization: `Bearer ${nested}` } }), undefined, outcome('OAUTH'), 2);
    const claims = journal.last()!.jwt!.claims as { aud: string[]; ctx: { n: number } };
    expect(() => claims.aud.push('c')).toThrow(TypeError);
    expect(() => (claims.ctx.n = 2)).toThrow(TypeError);
    expect(journal.last()!.jwt!.claims).toEqual({ aud: ['a', 'b'], ctx: { n: 1 } });
  });

  it('a part that is not JSON decodes as null, never as an error', () => {
    expect(decodeSigningInput(`${HEADER}.bm90IGpzb24`)).toEqual({ header: { alg: 'RS256', typ: 'JWT' }, claims: null });
    expect(decodeSigningInput(`bm90IGpzb24.${CLAIMS}`)).toMatchObject({ header: null, claims: { sub: 'MYORG-MYACCOUNT.ALICE' } });
  });
});

describe('journal capacity', () => {
  it('must be a whole number of at least one entry: the full ring overwrites its oldest slot', () => {
    for (const bad of [0, -1, Number.NaN, 1.5]) expect(() => createJournal(bad)).toThrow(/journalCapacity must be a whole number of entries, at least 1/);
    expect(() => createJournal(1)).not.toThrow();
  });
});
