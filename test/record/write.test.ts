/**
 * The recording writer (record/write.ts): one pretty-printed JSON file per exchange, written
 * atomically, only after redaction and the final scan; a refused exchange leaves no file; the
 * manifest says how it was redacted; written files match schemas/*.schema.json and read back.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../record/atomic-file.ts';
import { RECORDING_FORMAT, type Exchange, type RecordedBody } from '../../record/format.ts';
import { readRecording } from '../../record/store.ts';
import { createRecordingWriter, RedactionError, writeRecording } from '../../record/write.ts';

type Raw = Omit<Exchange, 'id'>;
const tempDir = (): string => join(mkdtempSync(join(tmpdir(), 'sam-write-')), 'rec');
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const SESSION = 'ver:1-hint:1172562260498-ETMsDgAAAZxQ9mK3vT7yRb2LwP0sHnC5dUeF';
const RANDOM = 'q7Xr2LmZ9vBc4NtK8wYp3HsJ6dFa1GeU0iOo5QxR';

function ex(url: string, o: { headers?: Record<string, string>; body?: RecordedBody; response?: RecordedBody; status?: number } = {}): Raw {
  return {
    startedAt: '2026-03-01T12:00:00.000Z', durationMs: 7,
    request: { method: 'POST', url, headers: o.headers ?? {}, ...(o.body && { body: o.body }) },
    response: { status: o.status ?? 200, headers: { 'content-type': 'application/json' }, ...(o.response && { body: o.response }) },
  };
}

const login = ex('/session/v1/login-request?requestId=1', { body: { json: { data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password' } } }, response: { json: { data: { token: SESSION } } } });
const query = ex('/queries/v1/query-request', { headers: { authorization: `Snowflake Token="${SESSION}"` }, body: { json: { sqlText: 'SELECT 1' } } });
const files = (dir: string): string[] => (existsSync(join(dir, 'exchanges')) ? readdirSync(join(dir, 'exchanges')).sort() : []);

describe('createRecordingWriter', () => {
  it('writes one pretty-printed file per exchange, named by order, method and path, then the manifest', () => {
    const dir = tempDir();
    const writer = createRecordingWriter(dir, { name: 'pat-login', upstream: 'http://127.0.0.1:4010', recordedAt: '2026-03-01T12:00:00.000Z' });
    expect(writer.add(login)).toBe('exchanges/0001-post-session-v1-login-request.json');
    expect(writer.add(query)).toBe('exchanges/0002-post-queries-v1-query-request.json');
    expect(existsSync(join(dir, 'recording.json'))).toBe(false);
    const manifest = writer.finish();
    const text = readFileSync(join(dir, 'exchanges/0002-post-queries-v1-query-request.json'), 'utf8');
    expect(text).toBe(`${JSON.stringify({ id: '0002', ...query, request: { ...query.request, headers: { authorization: 'Snowflake Token="__redacted_session_token_1__"' } } }, null, 2)}\n`);
    expect(manifest).toEqual({
      format: RECORDING_FORMAT, version: 1, name: 'pat-login', upstream: 'http://127.0.0.1:4010', recordedAt: '2026-03-01T12:00:00.000Z', mockVersion: PACKAGE_VERSION,
      redaction: {
        identities: false,
        placeholders: {
          __redacted_password_1__: { kind: 'password', firstSeen: 'exchanges/0001-post-session-v1-login-request.json#/request/body/json/data/PASSWORD' },
          __redacted_session_token_1__: { kind: 'session_token', firstSeen: 'exchanges/0001-post-session-v1-login-request.json#/response/body/json/data/token' },
        },
      },
      exchanges: ['0001-post-session-v1-login-request.json', '0002-post-queries-v1-query-request.json'],
    });
    expect(JSON.parse(readFileSync(join(dir, 'recording.json'), 'utf8'))).toEqual(manifest);
    expect(readRecording(dir).exchanges.map((e) => e.id)).toEqual(['0001', '0002']);
  });

  it('refuses an exchange with a secret left (RedactionError names file and pointer), writes nothing for it, and goes on', () => {
    const dir = tempDir();
    const writer = createRecordingWriter(dir, { name: 'r', upstream: 'http://127.0.0.1:4010' });
    writer.add(login);
    let error: unknown;
    try {
      writer.add(ex('/queries/v1/query-request', { response: { json: { data: { blob: RANDOM } } } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RedactionError);
    expect(error).toMatchObject({ file: 'exchanges/0002-post-queries-v1-query-request.json', path: '/response/body/json/data/blob' });
    expect(String(error)).not.toContain(RANDOM);
    expect(files(dir)).toEqual(['0001-post-session-v1-login-request.json']);
    expect(writer.add(query)).toBe('exchanges/0002-post-queries-v1-query-request.json');
    expect(writer.finish().exchanges).toHaveLength(2);
  });

  it('a message never carries a secret, even one in a path segment or an object key (they are masked)', () => {
    const dir = tempDir();
    const writer = createRecordingWriter(dir, { name: 'r', upstream: 'http://127.0.0.1:4010' });
    let error: unknown;
    try {
      writer.add(ex(`/api/v2/things/${RANDOM}`, { response: { json: { [RANDOM]: 1 } } }));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ file: 'exchanges/0001-post-api-v2-things-redacted.json', path: '/request/url' });
    try {
      writer.add(ex('/api/v2/things', { response: { json: { [RANDOM]: 1 } } }));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ path: '/response/body/json/…', rule: 'entropy' });
    expect(String(error).toLowerCase()).not.toContain(RANDOM.toLowerCase());
  });

  it('a secret in a JWT\'s claims that redaction saw elsewhere is refused too (the scan decodes JWTs)', () => {
    const dir = tempDir();
    const writer = createRecordingWriter(dir, { name: 'r', upstream: 'http://127.0.0.1:4010' });
    writer.add(login);
    const claims = Buffer.from(JSON.stringify({ session: SESSION })).toString('base64url');
    const jwt = `eyJhbGciOiJub25lIn0.${claims}.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg`;
    expect(() => writer.add(ex('/api/v2/statements', { response: { json: { data: { nested: { weird: jwt } } } } }))).toThrow(/#\/response\/body\/json\/data\/nested\/weird: holds a secret redaction replaced elsewhere by __redacted_session_token_1__/);
  });

  it('--allow lets a named pointer through and the manifest lists it with its file', () => {
    const dir = tempDir();
    const writer = createRecordingWriter(dir, { name: 'r', upstream: 'http://127.0.0.1:4010', allow: ['/response/body/json/data/blob'] });
    writer.add(ex('/api/v2/databases', { response: { json: { data: { blob: RANDOM } } } }));
    expect(writer.finish().redaction.allowed).toEqual(['exchanges/0001-post-api-v2-databases.json#/response/body/json/data/blob']);
  });

  it('keeps each kind of body: json, form, text, and base64 for bytes that are not UTF-8', () => {
    const dir = tempDir();
    const writer = createRecordingWriter(dir, { name: 'r', upstream: 'http://127.0.0.1:4010' });
    const bodies: RecordedBody[] = [{ json: [1, 'a'] }, { form: [['grant_type', 'refresh_token'], ['refresh_token', 'rt-0123456789']] }, { text: 'plain' }, { base64: Buffer.from([0xff, 0x00, 0x10]).toString('base64') }];
    bodies.forEach((body) => writer.add(ex('/oauth/token-request', { body })));
    writer.finish();
    expect(readRecording(dir).exchanges.map((e) => e.request.body)).toEqual([{ json: [1, 'a'] }, { form: [['grant_type', 'refresh_token'], ['refresh_token', '__redacted_refresh_token_1__']] }, { text: 'plain' }, { base64: '/wAQ' }]);
  });

  it('with identities, redacts the upstream too and notes DNS-form placeholders', () => {
    const dir = tempDir();
    const writer = createRecordingWriter(dir, { name: 'r', upstream: 'https://myorg-myaccount.snowflakecomputing.com', identities: true, attribution: 'test' });
    writer.add(login);
    const manifest = writer.finish();
    expect(manifest.upstream).toBe('https://redacted-account-1.snowflakecomputing.com');
    expect(manifest.redaction.identities).toBe(true);
    expect(manifest.redaction.placeholders.__redacted_account_1__).toEqual({ kind: 'account', firstSeen: 'recording.json#/upstream' });
    expect(manifest.redaction.placeholders.__redacted_user_1__?.kind).toBe('user');
    expect(manifest.attribution).toBe('test');
  });

  it('replaces an earlier recording in the folder (its exchange files go), leaving other files alone', () => {
    const dir = tempDir();
    writeRecording(dir, { name: 'old', upstream: 'http://127.0.0.1:4010' }, [login, query, query]);
    writeFileSync(join(dir, 'NOTES.md'), 'mine');
    writeRecording(dir, { name: 'new', upstream: 'http://127.0.0.1:4010' }, [query]);
    expect(files(dir)).toEqual(['0001-post-queries-v1-query-request.json']);
    expect(readFileSync(join(dir, 'NOTES.md'), 'utf8')).toBe('mine');
    expect(readRecording(dir).manifest.name).toBe('new');
  });
});

describe('writeRecording (all at once)', () => {
  it('scans everything before writing anything: a refusal leaves the folder empty', () => {
    const dir = tempDir();
    expect(() => writeRecording(dir, { name: 'r', upstream: 'http://127.0.0.1:4010' }, [login, query, ex('/x', { response: { json: { k: RANDOM } } })])).toThrow(RedactionError);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('atomic files', () => {
  it('leaves no temporary file behind after writing', () => {
    const dir = tempDir();
    writeRecording(dir, { name: 'r', upstream: 'http://127.0.0.1:4010' }, [login, query]);
    expect([...readdirSync(dir), ...files(dir)].filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('when the final rename fails, neither a partial target nor the temporary file is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sam-atomic-'));
    mkdirSync(join(dir, 'target.json'));
    writeFileSync(join(dir, 'target.json', 'occupied'), 'x');
    expect(() => writeFileAtomic(join(dir, 'target.json'), '{"a":1}')).toThrow();
    expect(readdirSync(dir)).toEqual(['target.json']);
  });

  it('replaces the target by a rename (a new file takes its place), never by writing into it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sam-atomic-'));
    const target = join(dir, 'f.json');
    writeFileAtomic(target, 'old'.repeat(1000));
    const before = statSync(target).ino;
    writeFileAtomic(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    // Writing in place keeps the inode; rename(2) puts another file there, so a reader sees old or new, never half.
    expect(statSync(target).ino).not.toBe(before);
  });
});

describe('schemas/recording.schema.json and schemas/exchange.schema.json', () => {
  const schema = (name: string): object => JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as object;
  const ajv = new Ajv({ strict: true, allErrors: true, validateFormats: false });
  const manifestValid = ajv.compile(schema('recording.schema.json'));
  const exchangeValid = ajv.compile(schema('exchange.schema.json'));

  it('every written file matches its schema', () => {
    const dir = tempDir();
    writeRecording(dir, { name: 'r', upstream: 'https://myorg-myaccount.snowflakecomputing.com', identities: true, allow: ['/response/body/json/k'] }, [
      login, query,
      ex('/oauth/token-request', { body: { form: [['code', 'abcdefgh1234']] }, response: { json: { k: RANDOM } } }),
      ex('/x', { body: { base64: Buffer.from([0xff]).toString('base64') }, response: { text: 'ok' } }),
    ]);
    expect(manifestValid(JSON.parse(readFileSync(join(dir, 'recording.json'), 'utf8'))), JSON.stringify(manifestValid.errors)).toBe(true);
    for (const f of files(dir)) expect(exchangeValid(JSON.parse(readFileSync(join(dir, 'exchanges', f), 'utf8'))), `${f}: ${JSON.stringify(exchangeValid.errors)}`).toBe(true);
  });

  it('and they reject what the format does not allow', () => {
    expect(exchangeValid({ id: '1', startedAt: 'x', durationMs: 1, request: { method: 'POST', url: '/', headers: {} }, response: { status: 200, headers: {} } })).toBe(false);
    expect(exchangeValid({ id: '0001', startedAt: 'x', durationMs: 1, request: { method: 'POST', url: '/', headers: {}, body: { json: 1, text: 'both' } }, response: { status: 200, headers: {} } })).toBe(false);
    expect(manifestValid({ format: RECORDING_FORMAT, version: 2, name: 'r', upstream: '', recordedAt: '', mockVersion: '', redaction: { identities: false, placeholders: {} }, exchanges: [] })).toBe(false);
    expect(manifestValid({ format: RECORDING_FORMAT, version: 1, name: 'r', upstream: '', recordedAt: '', mockVersion: '', redaction: { identities: false, placeholders: { __redacted_pat_1__: { kind: 'nope', firstSeen: '' } } }, exchanges: [] })).toBe(false);
  });
});

describe('origin: the importer\'s own label', () => {
  it('is written as given, neither redacted nor refused, though it shares text with a secret', () => {
    const dir = tempDir();
    // A fixture whose PAT value is also the name of its file, as the python PAT fixture is.
    const raw = { ...ex('/session/v1/login-request', { body: { json: { data: { AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', TOKEN: 'invalid_token_value' } } } }), origin: 'auth/pat/invalid_token_value.json#1' };
    writeRecording(dir, { name: 'fixtures', upstream: 'wiremock:fixtures' }, [raw]);
    const written = readRecording(dir).exchanges[0]!;
    expect(written.origin).toBe('auth/pat/invalid_token_value.json#1');
    expect(JSON.stringify(written.request.body)).not.toContain('invalid_token_value');
  });
});
