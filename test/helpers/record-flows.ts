/**
 * Records the real snowflake-sdk's four token logins through the recording proxy in front of
 * `serve` (issue #11): password, key-pair JWT, PAT and OAuth (a token issued by the mock's OAuth
 * server through the proxy, client_secret_basic), each followed by `SELECT 1` and a disconnect.
 * Returns every secret that went over the wire, taken from the raw exchanges before redaction, so
 * a test can look for each of them on disk. The replay tests regenerate the same recording with it.
 */
import { forgetCachedCredentials, baseOptions, connect, destroy, query, type DriverTarget } from './snowflake-sdk.ts';
import { readFileSync } from 'node:fs';
import { createWorldApi } from '../../api/world.ts';
import { startServer } from '../../server/index.ts';
import type { RecordingManifest } from '../../record/format.ts';
import { startRecordingProxy } from '../../record/proxy.ts';
import type { RawExchange } from '../../record/sink.ts';

/** The key of ALICE in the default world (fixtures/keys/alice.p8). */
export const ALICE_KEY = readFileSync(new URL('../../fixtures/keys/alice.p8', import.meta.url), 'utf8');

/** A secret that was used, and what it is (the label goes into failure messages; the value never does). */
export interface UsedSecret {
  readonly label: string;
  readonly value: string;
}

/** What {@link recordSdkFlows} did. */
export interface RecordedFlows {
  readonly manifest: RecordingManifest;
  /** Every secret sent or issued: passwords, PAT, client secret, access token, session and master tokens, the private key, the JWT's signature. */
  readonly secrets: readonly UsedSecret[];
  /** The exchanges before redaction, in order (real values: never print them). */
  readonly raw: readonly RawExchange[];
  /** Lines the proxy printed (problems only). */
  readonly log: readonly string[];
}

const CLIENT = { id: 'driver-app-client', secret: 'driver-app-secret' };

/**
 * Starts `serve` (seed 11) and the proxy writing to `dir`, runs the four flows, stops both.
 *
 * @example
 * const { manifest, secrets } = await recordSdkFlows(mkdtempSync(join(tmpdir(), 'rec-')))
 */
export async function recordSdkFlows(dir: string): Promise<RecordedFlows> {
  const server = await startServer({ port: 0, seed: 11 });
  const raw: RawExchange[] = [];
  const log: string[] = [];
  const proxy = await startRecordingProxy({ upstream: server.url, port: 0, out: dir, name: 'sdk-flows', onRawExchange: (r) => raw.push(r), log: (line) => log.push(line) });
  let manifest: RecordingManifest | undefined;
  try {
    const target: DriverTarget = { name: 'proxy', accessUrl: proxy.url, clock: server.core.clock, journal: server.core.journal, world: createWorldApi(server.core), faults: server.core.faults, reset: () => server.core.reset() };
    const logIn = async (extra: Parameters<typeof baseOptions>[1]): Promise<void> => {
      const connection = await connect(baseOptions(target, extra));
      await query(connection, 'SELECT 1');
      await destroy(connection);
    };
    await logIn({ username: 'alice', password: 'alice-password' });
    await logIn({ authenticator: 'SNOWFLAKE_JWT', username: 'alice', privateKey: ALICE_KEY });
    await logIn({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' });
    const accessToken = await oauthToken(proxy.url);
    await logIn({ authenticator: 'OAUTH', token: accessToken });
  } finally {
    forgetCachedCredentials();
    try {
      manifest = await proxy.close();
    } finally {
      await server.close();
    }
  }
  if (!manifest) throw new Error('recordSdkFlows: the proxy wrote no manifest');
  return { manifest, secrets: secretsIn(raw), raw, log };
}

/** An access token from the mock's OAuth server, asked for through the proxy as a client would (RFC 6749 §4.4). */
async function oauthToken(proxyUrl: string): Promise<string> {
  const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
  const res = await fetch(`${proxyUrl}/oauth/token-request`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'session:role:ANALYST' }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`recordSdkFlows: token request answered ${res.status}`);
  return body.access_token;
}

/** The secrets of the flows: the fixed ones, and whatever the server issued or the driver signed. */
function secretsIn(raw: readonly RawExchange[]): UsedSecret[] {
  const secrets: UsedSecret[] = [
    { label: 'password', value: 'alice-password' },
    { label: 'PAT', value: 'pat-alice-ci' },
    { label: 'client secret', value: CLIENT.secret },
    { label: 'Basic credentials', value: Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64') },
    { label: 'private key PEM', value: ALICE_KEY.trim() },
    // Each base64 line of the key: a fragment of it on disk would be a leak too.
    ...ALICE_KEY.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----')).map((value, i) => ({ label: `private key line ${i + 1}`, value })),
  ];
  for (const exchange of raw) {
    const data = jsonOf(exchange.response.body)?.data as Record<string, unknown> | undefined;
    if (typeof data?.token === 'string') secrets.push({ label: `session token (${exchange.request.url.split('?')[0]})`, value: data.token });
    if (typeof data?.masterToken === 'string') secrets.push({ label: 'master token', value: data.masterToken });
    const access = jsonOf(exchange.response.body)?.access_token;
    if (typeof access === 'string') secrets.push({ label: 'OAuth access token', value: access });
    const sent = (jsonOf(exchange.request.body)?.data as Record<string, unknown> | undefined)?.TOKEN;
    if (typeof sent === 'string' && sent.split('.').length === 3) secrets.push({ label: 'JWT signature', value: sent.split('.')[2]! });
  }
  return secrets;
}

function jsonOf(body: RawExchange['response']['body']): Record<string, unknown> | undefined {
  return body && 'json' in body && typeof body.json === 'object' && body.json !== null ? (body.json as Record<string, unknown>) : undefined;
}
