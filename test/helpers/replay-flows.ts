/**
 * The four snowflake-sdk flows that test/helpers/record-flows.ts records — password, key-pair JWT,
 * PAT, OAuth (an access token asked for with client_secret_basic, then the OAuth login) — each with
 * `SELECT 1` and a disconnect, run again against any base URL: a replay of that recording must
 * carry them all.
 */
import { baseOptions, connect, destroy, forgetCachedCredentials, query, type DriverTarget } from './snowflake-sdk.ts';
import { ALICE_KEY } from './record-flows.ts';

const CLIENT = { id: 'driver-app-client', secret: 'driver-app-secret' };

/** Each flow's `SELECT 1` rows, by flow. */
export type FlowRows = Record<'password' | 'keypair' | 'pat' | 'oauth', Record<string, unknown>[]>;

/**
 * Runs the four flows against `accessUrl` (`http://127.0.0.1:…` for a server, `https://…snowflakecomputing.com` in-process).
 *
 * @example
 * const rows = await runSdkFlows(replay.url) // { password: [{ '1': 1 }], … }
 */
export async function runSdkFlows(accessUrl: string): Promise<FlowRows> {
  const target = { name: 'replay', accessUrl } as DriverTarget;
  const flow = async (extra: Parameters<typeof baseOptions>[1]): Promise<Record<string, unknown>[]> => {
    const connection = await connect(baseOptions(target, extra));
    try {
      return await query(connection, 'SELECT 1');
    } finally {
      await destroy(connection);
    }
  };
  try {
    const password = await flow({ username: 'alice', password: 'alice-password' });
    const keypair = await flow({ authenticator: 'SNOWFLAKE_JWT', username: 'alice', privateKey: ALICE_KEY });
    const pat = await flow({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' });
    const oauth = await flow({ authenticator: 'OAUTH', token: await accessToken(accessUrl) });
    return { password, keypair, pat, oauth };
  } finally {
    forgetCachedCredentials();
  }
}

/** An access token from `/oauth/token-request` (RFC 6749 §4.4, client_secret_basic), as the recording asked for it. */
async function accessToken(base: string): Promise<string> {
  const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
  const res = await fetch(`${base}/oauth/token-request`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'session:role:ANALYST' }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token request answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.access_token;
}
