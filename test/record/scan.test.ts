/**
 * The final scan (record/scan.ts), fail closed: a secret the recording saw elsewhere, a secret
 * shape, or a random-looking string nobody declared stops the file, naming file and JSON pointer and
 * never the value; `allow` lets shapes and random strings through at named pointers, never a value
 * redaction itself knew as a secret. And the guards against false positives: what is random but
 * public (UUIDs, statement handles, fingerprints, public keys, JWT claims, PKCE challenges) passes.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { highEntropyRuns, shannonBits } from '../../record/entropy.ts';
import type { Exchange, RecordedBody } from '../../record/format.ts';
import { createRedactor } from '../../record/redact.ts';
import { RedactionError } from '../../record/redaction-error.ts';
import { isAllowed, scanExchange } from '../../record/scan.ts';
import { SecretBook } from '../../record/secret-book.ts';

type Raw = Omit<Exchange, 'id'>;
const FILE = 'exchanges/0002-post-queries-v1-query-request.json';

function ex(responseJson: unknown, requestBody?: RecordedBody): Raw {
  return {
    startedAt: '2026-03-01T12:00:00.000Z', durationMs: 1,
    request: { method: 'POST', url: '/queries/v1/query-request', headers: {}, ...(requestBody && { body: requestBody }) },
    response: { status: 200, headers: {}, body: { json: responseJson } },
  };
}

/** The RedactionError `fn` throws (fails the test when it throws none). */
function refusal(fn: () => unknown): RedactionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RedactionError) return error;
    throw error;
  }
  throw new Error('expected a RedactionError');
}

const scan = (exchange: Raw, book = new SecretBook(), allow: readonly string[] = []): string[] => scanExchange(exchange, JSON.stringify(exchange), { file: FILE, book, allow });

const SESSION = 'ver:1-hint:1172562260498-ETMsDgAAAZxQ9mK3vT7yRb2LwP0sHnC5dUeF';
const RANDOM = 'q7Xr2LmZ9vBc4NtK8wYp3HsJ6dFa1GeU0iOo5QxR';

describe('a secret the recording saw elsewhere', () => {
  it('in a field no rule knows: refused, naming file and pointer, never the value', () => {
    const book = new SecretBook();
    book.add(SESSION, 'session_token');
    const error = refusal(() => scan(ex({ data: { nested: { weird: `x${SESSION}x` } } }), book));
    expect(error).toMatchObject({ file: FILE, path: '/response/body/json/data/nested/weird', rule: 'seen' });
    expect(error.message).toBe(`${FILE}#/response/body/json/data/nested/weird: holds a secret redaction replaced elsewhere by __redacted_session_token_1__ — nothing written`);
    expect(error.message).not.toContain(SESSION);
  });

  it('URL-encoded, JSON-escaped, or inside a JWT\'s claims', () => {
    const book = new SecretBook();
    book.add('se/cr"et value+1', 'password');
    expect(refusal(() => scan(ex({ url: `/x?p=${encodeURIComponent('se/cr"et value+1')}` }), book)).path).toBe('/response/body/json/url');
    expect(refusal(() => scan(ex({ text: JSON.stringify({ p: 'se/cr"et value+1' }) }), book)).path).toBe('/response/body/json/text');
    const claims = Buffer.from(JSON.stringify({ leaked: 'se/cr"et value+1' })).toString('base64url');
    expect(refusal(() => scan(ex({ jwt: `eyJhbGciOiJub25lIn0.${claims}.__redacted_jwt_signature_1__` }), book)).path).toBe('/response/body/json/jwt');
  });

  it('is never let through by allow', () => {
    const book = new SecretBook();
    book.add(SESSION, 'session_token');
    expect(refusal(() => scan(ex({ weird: SESSION }), book, ['/response/body/json/weird', `${FILE}#/response/body/json/weird`])).rule).toBe('seen');
  });
});

describe('a secret shape redaction left', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  it.each([
    ['a Snowflake token', { note: `see ${SESSION}` }, '/response/body/json/note'],
    ['a JWT with its signature', { note: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXZhbHVl' }, '/response/body/json/note'],
    ['a PEM private key', { note: privateKey }, '/response/body/json/note'],
    ['Basic credentials', { note: `Authorization: Basic ${Buffer.from('client-id:client-pw').toString('base64')}` }, '/response/body/json/note'],
    ['a secret-named member', { data: { client_secret: 'abc' } }, '/response/body/json/data/client_secret'],
    ['a programmatic access token', { note: 'pat-AbCdEfGhIjKlMnOpQrStUv' }, '/response/body/json/note'],
  ])('%s', (_, json, path) => {
    const error = refusal(() => scan(ex(json)));
    expect(error).toMatchObject({ path, rule: 'shape' });
  });

  it('is let through at an allowed pointer, and the allowance is reported for the manifest', () => {
    expect(scan(ex({ note: `see ${SESSION}` }), new SecretBook(), ['/response/body/json/note'])).toEqual([`${FILE}#/response/body/json/note`]);
  });
});

describe('a random-looking string nobody declared', () => {
  it('is refused with its length and entropy, and a ready --allow', () => {
    const error = refusal(() => scan(ex({ data: { blob: RANDOM } })));
    expect(error).toMatchObject({ path: '/response/body/json/data/blob', rule: 'entropy' });
    expect(error.message).toContain(`--allow '${FILE}#/response/body/json/data/blob'`);
    expect(error.message).not.toContain(RANDOM);
  });

  it('in a binary body, after decoding', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0x00, 0x81]), Buffer.from(RANDOM), Buffer.from([0xfe])]);
    const exchange: Raw = { ...ex({}), response: { status: 200, headers: {}, body: { base64: bytes.toString('base64') } } };
    expect(refusal(() => scan(exchange)).path).toBe('/response/body/base64');
  });

  it('is let through by a plain pointer or file#pointer (full path or file name)', () => {
    expect(scan(ex({ data: { blob: RANDOM } }), new SecretBook(), ['0002-post-queries-v1-query-request.json#/response/body/json/data/blob'])).toHaveLength(1);
    expect(isAllowed(['/a'], FILE, '/a')).toBe(true);
    expect(isAllowed([`${FILE}#/a`], FILE, '/a')).toBe(true);
    expect(isAllowed(['exchanges/0003-other.json#/a'], FILE, '/a')).toBe(false);
    expect(isAllowed(['/a/b'], FILE, '/a')).toBe(false);
  });

  it('flags random base64 and base64url of 32 characters and more', () => {
    // Fixed draws (reproducible): the threshold's margin is shown by shannonBits below.
    for (const s of [RANDOM, 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdI', 'kR3v8Qz1XyLmN0pAbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_Ab']) expect(highEntropyRuns(`"${s}"`)).toHaveLength(1);
    let flagged = 0;
    // Measured over 100 000 draws: 48 base64url characters are missed 0.02 % of the time, so 3 misses in 200 would take ~1e-6 luck.
    for (let i = 0; i < 200; i++) flagged += highEntropyRuns(randomBytes(36).toString('base64url')).length > 0 ? 1 : 0;
    expect(flagged).toBeGreaterThanOrEqual(198);
  });
});

describe('random but public: no false positives', () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const spki = publicKey.replace(/-----[A-Z ]+-----|\s/g, '');
  it.each([
    ['a UUID request id', '9f1c2d3e-8a7b-4c6d-9e0f-1a2b3c4d5e6f'],
    ['a statement handle and its status URL', '/api/v2/statements/01b2c3d4-0000-4000-8000-000000000001?requestId=9f1c2d3e-8a7b-4c6d-9e0f-1a2b3c4d5e6f'],
    ['a SHA-256 fingerprint of a public key', 'SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk='],
    ['a base64 public key (DESC USER\'s RSA_PUBLIC_KEY)', spki],
    ['a PEM public key', publicKey],
    ['a PEM public key inside JSON text', JSON.stringify({ key: publicKey })],
    ['a redacted JWT (header and claims stay)', 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNWU9SRy1NWUFDQ09VTlQuQUxJQ0UuU0hBMjU2OmVXTXo2ZU02NlFxRndGbmtQZVBHUjB1YWNCcUVkYkltbDArOG9mVjdqRGs9In0.__redacted_jwt_signature_1__'],
    ['a lower-case hex digest', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['a PKCE challenge in a query', '/oauth/authorize?code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256'],
    ['a data: URI', 'url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)'],
    ['an SRI hash', '<script integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC">'],
    ['placeholders', '__redacted_provider_token_12__ __redacted_session_token_123__'],
    ['driver names and versions', 'snowflake-connector-python/3.12.0 CPython/3.11.4 Linux/6.5.0-1015-aws SNOWFLAKE_SAMPLE_DATA_TPCH_SF1000'],
  ])('%s', (_, text) => {
    expect(highEntropyRuns(text)).toEqual([]);
  });

  it.each([
    ['an RSA_PUBLIC_KEY of 1024 bits (refused by Snowflake as too short)', 'rsa', { modulusLength: 1024 }],
    ['an RSA_PUBLIC_KEY of 4096 bits', 'rsa', { modulusLength: 4096 }],
    ['an EC public key', 'ec', { namedCurve: 'P-256' }],
  ] as const)('%s, whole in SQL and cut short in the error that echoes it', (_, type, options) => {
    const der = generateKeyPairSync(type as 'rsa', { ...(options as { modulusLength: number }), publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).publicKey.toString('base64');
    expect(highEntropyRuns(`ALTER USER ALICE SET RSA_PUBLIC_KEY_2 = '${der}'`)).toEqual([]);
    expect(highEntropyRuns(`SQL compilation error:\ninvalid value [${der.slice(0, 40)}…] for parameter 'RSA_PUBLIC_KEY_2'`)).toEqual([]);
  });

  it('but a private key\'s DER, whole or cut short, is still random-looking', () => {
    const der = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } }).privateKey.toString('base64');
    expect(highEntropyRuns(`invalid value [${der}]`)).not.toEqual([]);
    expect(highEntropyRuns(`invalid value [${der.slice(0, 28)}${RANDOM.slice(0, 20)}]`)).not.toEqual([]);
  });

  it('an OAuth state (RFC 6749 §10.12) in a query string, SQL text, a form field or a hidden input; not a random value under another name', () => {
    const state = 'SYCZWGGI5VMYhzgkwg9kc3g9ox20gb7L';
    expect(highEntropyRuns(`SELECT SYSTEM$FINISH_OAUTH_FLOW('state=${state}')`)).toEqual([]);
    expect(highEntropyRuns(`/cb?code=__redacted_oauth_code_1__&state=${state}`)).toEqual([]);
    expect(highEntropyRuns(`<input type="hidden" name="state" value="${state}">`)).toEqual([]);
    expect(scan(ex({}, { form: [['state', state]] }))).toEqual([]);
    expect(highEntropyRuns(`/cb?mystate=${state}`)).not.toEqual([]);
    expect(highEntropyRuns(`SELECT SYSTEM$FINISH_OAUTH_FLOW('code=${state}')`)).not.toEqual([]);
  });

  it('nor in an exchange\'s public fields: a code_challenge form field, an etag header', () => {
    const exchange: Raw = { ...ex({}, { form: [['code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM']] }), response: { status: 200, headers: { etag: '"Zk9xQ2LmW8vB3cN7tY1pH4sJ6dFa0GeU"' } } };
    expect(scan(exchange)).toEqual([]);
  });

  it('the threshold sits between English-like names and random draws', () => {
    expect(shannonBits('SNOWFLAKE_SAMPLE_DATA_TPCH_SF1000')).toBeLessThan(4);
    expect(shannonBits(RANDOM)).toBeGreaterThan(4.5);
  });
});

describe('redaction then scan: what the redactor writes passes its own scan', () => {
  it('an exchange full of secrets, once redacted, scans clean', () => {
    const redactor = createRedactor();
    const raw = ex({ data: { token: SESSION, masterToken: `${SESSION}-m` } }, { json: { data: { PASSWORD: 'hunter22', TOKEN: 'pat-alice-ci', AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN' } } });
    const redacted = redactor.exchange(raw);
    expect(scanExchange(redacted, JSON.stringify(redacted), { file: FILE, book: redactor.book })).toEqual([]);
    expect(() => scanExchange(raw, JSON.stringify(raw), { file: FILE, book: redactor.book })).toThrow(RedactionError);
  });
});
