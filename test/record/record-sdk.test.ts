/**
 * Issue #11, "done when": the real snowflake-sdk logs in through the recording proxy in front of
 * `serve` with a password, a key-pair JWT, a PAT and an OAuth access token issued by the mock's
 * OAuth server, runs `SELECT 1` each time, and disconnects. Then every file of the recording is read:
 * none of the secrets used — in raw, URL-encoded or JSON-escaped form — is on disk, and the
 * recording is still useful: the flows in order with their statuses, the JWT's claims readable, the
 * session token's placeholder linking each login to the queries that use it.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecording, type Recording } from '../../record/store.ts';
import { recordSdkFlows, type RecordedFlows } from '../helpers/record-flows.ts';

let flows: RecordedFlows;
let recording: Recording;
let files: { name: string; text: string }[];

beforeAll(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'sam-sdk-rec-')), 'sdk-flows');
  flows = await recordSdkFlows(dir);
  recording = readRecording(dir);
  files = walk(dir).map((file) => ({ name: relative(dir, file), text: readFileSync(file, 'utf8') }));
}, 60_000);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}

/** The ways a secret can be written down in a JSON file: as is, URL-encoded (query, form), JSON-escaped, both. */
function forms(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  const url = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [...new Set([secret, escaped, url, form, JSON.stringify(url).slice(1, -1)])];
}

type Json = { json: Record<string, unknown> };
const summaryOf = (r: Recording) => r.exchanges.map((e) => `${e.request.method} ${e.request.url.split('?')[0]} ${e.response.status}`);
const dataOf = (body: unknown) => ((body as Json | undefined)?.json?.data ?? {}) as Record<string, unknown>;

describe('the real snowflake-sdk through the recording proxy in front of serve', () => {
  it('recorded every flow without a refused exchange', () => {
    expect(flows.log).toEqual([]);
    expect(recording.manifest.exchanges).toHaveLength(flows.raw.length);
    expect(files.map((f) => f.name)).toContain('recording.json');
  });

  it('collected the secrets to look for: four sessions, their master tokens, the access token, the JWT signature', () => {
    const labels = flows.secrets.map((s) => s.label.replace(/ \(.*\)$/, ''));
    expect(labels.filter((l) => l === 'session token').length).toBeGreaterThanOrEqual(4);
    expect(labels.filter((l) => l === 'master token').length).toBeGreaterThanOrEqual(4);
    expect(labels).toEqual(expect.arrayContaining(['password', 'PAT', 'client secret', 'Basic credentials', 'private key PEM', 'OAuth access token', 'JWT signature']));
    expect(flows.secrets.every((s) => s.value.length >= 8)).toBe(true);
  });

  it('no secret used appears in any file, raw, URL-encoded or JSON-escaped', () => {
    const leaks: string[] = [];
    for (const secret of flows.secrets) {
      for (const form of forms(secret.value)) {
        for (const file of files) if (file.text.includes(form)) leaks.push(`${secret.label} in ${file.name}`);
      }
    }
    // Labels and file names only: the values never reach the test output.
    expect(leaks).toEqual([]);
  });

  it('the flows are there in order with their statuses', () => {
    const flow = (extra: string[] = []) => [...extra, 'POST /session/v1/login-request 200', 'POST /queries/v1/query-request 200', 'POST /session 200'];
    expect(summaryOf(recording)).toEqual([...flow(), ...flow(), ...flow(), ...flow(['POST /oauth/token-request 200'])]);
    const authenticators = recording.exchanges.filter((e) => e.request.url.startsWith('/session/v1/login-request')).map((e) => dataOf(e.request.body).AUTHENTICATOR ?? 'SNOWFLAKE');
    expect(authenticators).toEqual(['SNOWFLAKE', 'SNOWFLAKE_JWT', 'PROGRAMMATIC_ACCESS_TOKEN', 'OAUTH']);
  });

  it("the JWT's claims stay readable; only its signature is a placeholder", () => {
    const login = recording.exchanges.find((e) => dataOf(e.request.body).AUTHENTICATOR === 'SNOWFLAKE_JWT')!;
    const [header, payload, signature] = String(dataOf(login.request.body).TOKEN).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ alg: 'RS256' });
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.sub).toBe('MYORG-MYACCOUNT.ALICE');
    expect(claims.iss).toMatch(/^MYORG-MYACCOUNT\.ALICE\.SHA256:/);
    expect(typeof claims.iat).toBe('number');
    expect(signature).toMatch(/^__redacted_jwt_signature_\d+__$/);
  });

  it("each login's session token placeholder is the one the next query and the disconnect send", () => {
    const { exchanges } = recording;
    const logins = exchanges.flatMap((e, i) => (e.request.url.startsWith('/session/v1/login-request') ? [i] : []));
    expect(logins).toHaveLength(4);
    const placeholders = new Set<string>();
    for (const i of logins) {
      const token = String(dataOf(exchanges[i]!.response.body).token);
      expect(token).toMatch(/^__redacted_session_token_\d+__$/);
      expect(String(dataOf(exchanges[i]!.response.body).masterToken)).toMatch(/^__redacted_master_token_\d+__$/);
      expect(exchanges[i + 1]!.request.headers.authorization).toBe(`Snowflake Token="${token}"`);
      expect(exchanges[i + 2]!.request.headers.authorization).toBe(`Snowflake Token="${token}"`);
      placeholders.add(token);
    }
    expect(placeholders.size).toBe(4); // four sessions, four distinct placeholders
  });

  it('the manifest lists each placeholder with its kind and where it was first seen', () => {
    const kinds = Object.values(recording.manifest.redaction.placeholders).map((p) => p.kind);
    for (const kind of ['session_token', 'master_token', 'jwt_signature', 'access_token'] as const) expect(kinds).toContain(kind);
    for (const info of Object.values(recording.manifest.redaction.placeholders)) expect(recording.manifest.exchanges.some((f) => info.firstSeen.startsWith(`exchanges/${f}`))).toBe(true);
  });
});
