/**
 * The image and the Testcontainers module against a real Docker engine (issue #12): a container
 * starts from a world, the real snowflake-sdk logs in with a PAT and a key-pair JWT, the mock clock
 * moves 16 days and the PAT fails with 394400, and the container stops cleanly on SIGTERM.
 *
 * Needs a built image (scripts/build-image.sh) named in SNOWFLAKE_AUTH_MOCK_IMAGE and a Docker
 * engine. CI (.ci/run) provides both and sets SNOWFLAKE_AUTH_MOCK_REQUIRE_DOCKER=1, which turns a
 * missing engine into a failure; elsewhere the suite says why it did not run.
 */
import { connect, connectError, destroy, query, sdk } from '../helpers/snowflake-sdk.ts';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { GenericContainer, Wait, getContainerRuntimeClient } from 'testcontainers';
import { SnowflakeAuthMockContainer, type StartedSnowflakeAuthMockContainer } from '../../testcontainers/index.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import { keyPair } from '../helpers/keys.ts';
import { dockerUnavailable, networkMode } from '../helpers/docker.ts';

void sdk;
const image = process.env.SNOWFLAKE_AUTH_MOCK_IMAGE;
const missing = await dockerUnavailable(image);
if (missing && process.env.SNOWFLAKE_AUTH_MOCK_REQUIRE_DOCKER === '1') throw new Error(`container tests are required here but cannot run: ${missing}`);
if (missing) console.warn(`[container tests not run] ${missing}`);

const alice = keyPair('alice');
const WORLD = {
  accounts: [{
    name: 'MYORG-MYACCOUNT',
    locator: 'XY12345',
    network_policy: 'ANYWHERE',
    network_policies: [{ name: 'ANYWHERE', allowed_ip_list: ['0.0.0.0/0'] }],
    roles: ['PUBLIC', 'ANALYST'],
    users: [{
      name: 'ALICE',
      login_name: 'alice',
      default_role: 'ANALYST',
      roles: ['ANALYST'],
      rsa_public_key: alice.publicKey,
      programmatic_access_tokens: [{ name: 'CI', secret: 'pat-alice-ci', role_restriction: 'ANALYST', days_to_expiry: 15 }],
    }],
  }],
} as unknown as WorldConfig;

const START = new Date();
/** The HEALTHCHECK's verdict: Docker runs it every 5 s, so wait for a verdict (bounded), not for a fixed time. */
async function healthOf(id: string): Promise<string | undefined> {
  const client = await getContainerRuntimeClient();
  let health: string | undefined;
  for (let i = 0; i < 60 && (health === undefined || health === 'starting'); i++) {
    health = (await client.container.inspect(client.container.getById(id))).State.Health?.Status;
    if (health === undefined || health === 'starting') await new Promise((r) => setTimeout(r, 500));
  }
  return health;
}

/** Runs when the test ends, passed or failed: no container outlives its test (Ryuk is off in CI). */
const cleanUp = (stop: () => Promise<unknown>): void => onTestFinished(async () => void (await stop().catch(() => undefined)));
const withNetwork = <T extends GenericContainer>(container: T): T => (networkMode() ? container.withNetworkMode(networkMode()!) : container);

describe.skipIf(missing !== undefined)(`the image ${image ?? ''} through SnowflakeAuthMockContainer`, () => {
  let mock: StartedSnowflakeAuthMockContainer;
  beforeAll(async () => {
    // The mock clock starts now: snowflake-sdk signs key-pair JWTs with the wall clock, and a JWT
    // issued in the mock's future is refused (as Snowflake refuses one from a skewed client).
    mock = await withNetwork(new SnowflakeAuthMockContainer(image).withWorld(WORLD).withClockStart(START).withSeed(7)).start();
  }, 90_000);
  afterAll(async () => {
    await mock?.stop();
  });

  const options = async (extra: Record<string, unknown>) =>
    ({ ...(await mock.getConnectionOptions()), sfRetryMaxLoginRetries: 0, retryTimeout: 0, ...extra }) as Parameters<typeof connect>[0];

  it('keeps the control API on loopback: serve binds 127.0.0.1 on the host network, a mapped port is published on 127.0.0.1', async () => {
    const client = await getContainerRuntimeClient();
    const info = await client.container.inspect(client.container.getById(mock.getId()));
    if (networkMode() === 'host') {
      expect(info.Config.Env).toEqual(expect.arrayContaining(['SNOWFLAKE_MOCK_HOST=127.0.0.1', 'SNOWFLAKE_MOCK_PORT=0', 'SNOWFLAKE_MOCK_ALLOW_REMOTE_CONTROL=false']));
      const logs = await mock.logs();
      const line = await new Promise<string>((resolve) => logs.on('data', (d: Buffer | string) => /listening on/.test(String(d)) && resolve(String(d))));
      logs.destroy();
      expect(line).toContain(`listening on http://127.0.0.1:${new URL(mock.getBaseUrl()).port}`);
    } else {
      expect(info.HostConfig.PortBindings?.['4010/tcp']).toEqual([expect.objectContaining({ HostIp: '127.0.0.1' })]);
    }
  });

  it('serves the world it was given, on the clock it was given', async () => {
    const view = await mock.credentials();
    expect(view.account.name).toBe('MYORG-MYACCOUNT');
    expect(view.users.ALICE?.pat.CI).toBe('pat-alice-ci');
    expect(await mock.getConnectionOptions()).toEqual({ account: 'MYORG-MYACCOUNT', accessUrl: mock.getBaseUrl() });
    const now = Date.parse(await mock.advanceClock(0));
    expect(now - START.getTime()).toBeGreaterThanOrEqual(0);
    expect(now - START.getTime()).toBeLessThan(120_000);
  });

  it('snowflake-sdk logs in with a PAT and with a key-pair JWT', async () => {
    for (const how of [{ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' }, { authenticator: 'SNOWFLAKE_JWT', username: 'alice', privateKey: alice.privateKey }]) {
      const connection = await connect(await options(how));
      expect(await query(connection, 'SELECT CURRENT_USER()')).toEqual([{ 'CURRENT_USER()': 'ALICE' }]);
      await destroy(connection);
    }
    const allowed = (await mock.journal()).filter((e) => e.path === '/session/v1/login-request' && e.decision === 'allowed');
    expect(allowed.map((e) => e.authMethod)).toEqual(['PROGRAMMATIC_ACCESS_TOKEN', 'KEYPAIR_JWT']);
  });

  it("advanceClock('16d') makes the PAT fail with 394400, with the reason in the journal", async () => {
    await mock.advanceClock('16d');
    const error = await connectError(await options({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' }));
    expect(error.code).toBe('394400');
    const last = (await mock.journal()).at(-1)!;
    expect(last.decision).toBe('rejected');
    expect(last.code).toBe('394400');
    expect(last.explanation).toMatch(/expired/i);
  });

  it('reset() goes back to the world as started; faults are injected and cleared', async () => {
    await mock.reset();
    expect(await mock.journal()).toEqual([]);
    const connection = await connect(await options({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', username: 'alice', token: 'pat-alice-ci' }));
    await destroy(connection);
    const [fault] = await mock.faults.inject({ path: '/session/v1/login-request', status: 503, count: 1 });
    expect(fault).toMatchObject({ status: 503 });
    expect(await mock.faults.list()).toHaveLength(1);
    expect(await mock.faults.clear()).toBe(1);
  });
});

describe.skipIf(missing !== undefined)('the image itself', () => {
  it('runs as a non-root user, reports healthy, and stops cleanly on SIGTERM (exit 0)', async () => {
    const started = await withNetwork(new SnowflakeAuthMockContainer(image)).start();
    const client = await getContainerRuntimeClient();
    const container = client.container.getById(started.getId());
    cleanUp(async () => {
      await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
      await client.container.remove(container, { removeVolumes: true });
    });
    const uid = await started.exec(['node', '-e', 'process.stdout.write(String(process.getuid()))']);
    expect(uid.output).toBe('1000');
    expect(await healthOf(started.getId())).toBe('healthy');
    await started.stop({ remove: false, timeout: 10_000 });
    const state = (await client.container.inspect(container)).State;
    expect({ exitCode: state.ExitCode, oomKilled: state.OOMKilled }).toEqual({ exitCode: 0, oomKilled: false });
  }, 90_000);

  it('takes the world as YAML text in SNOWFLAKE_MOCK_WORLD, and names the variable, line and field when it is wrong', async () => {
    const yaml = 'accounts:\n  - name: ACME-PROD\n    locator: AB12345\n    users:\n      - name: BOB\n        password: bob-password\n';
    const mock = await withNetwork(new SnowflakeAuthMockContainer(image).withEnvironment({ SNOWFLAKE_MOCK_WORLD: yaml })).start();
    cleanUp(() => mock.stop());
    expect((await mock.credentials()).account.name).toBe('ACME-PROD');

    const bad = 'accounts:\n  - name: ACME-PROD\n    locator: AB12345\n    users:\n      - name: BOB\n        pasword: typo\n';
    const failed = await withNetwork(new GenericContainer(image!).withEnvironment({ SNOWFLAKE_MOCK_WORLD: bad }).withWaitStrategy(Wait.forLogMessage('the world config is invalid')).withStartupTimeout(30_000)).start();
    cleanUp(() => failed.stop());
    // The log stream ends when the process does.
    const logs = await new Promise<string>((resolve) => {
      let text = '';
      void failed.logs().then((stream) => stream.on('data', (d: Buffer | string) => (text += String(d))).on('end', () => resolve(text)));
    });
    const client = await getContainerRuntimeClient();
    const container = client.container.getById(failed.getId());
    let state = (await client.container.inspect(container)).State;
    for (let i = 0; i < 40 && state.Running; i++) {
      await new Promise((r) => setTimeout(r, 250));
      state = (await client.container.inspect(container)).State;
    }
    expect(state.ExitCode).toBe(2);
    expect(logs).toMatch(/SNOWFLAKE_MOCK_WORLD:6/);
    expect(logs).toMatch(/pasword/);
  }, 90_000);

  it('withHttps(): TLS from the container\'s own dev CA, which the module hands out and trusts; a client without it is refused', async () => {
    const mock = await withNetwork(new SnowflakeAuthMockContainer(image).withHttps()).start();
    cleanUp(() => mock.stop());
    expect(mock.getBaseUrl()).toMatch(/^https:\/\/localhost:\d+$/);
    expect(mock.getCaCertificate()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect((await mock.credentials()).account.name).toBe('MYORG-MYACCOUNT');
    const untrusted = await fetch(`${mock.getBaseUrl()}/__mock/health`).then(() => 'answered', (error: Error & { cause?: { code?: string } }) => error.cause?.code);
    expect(untrusted).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // The health check follows the scheme and port serve really took (its --url-file), not the image's defaults.
    expect(await healthOf(mock.getId())).toBe('healthy');
  }, 90_000);

  it('a failed start says why (serve\'s own message) and leaves no container behind', async () => {
    const client = await getContainerRuntimeClient();
    const before = new Set((await client.container.list()).map((c) => c.Id));
    const start = withNetwork(new SnowflakeAuthMockContainer(image).withEnvironment({ SNOWFLAKE_MOCK_SEED: 'not-a-number' }).withStartupTimeout(20_000)).start();
    await expect(start).rejects.toThrow(/SNOWFLAKE_MOCK_SEED/);
    const left = (await client.container.list()).filter((c) => !before.has(c.Id) && c.Image === image);
    expect(left).toEqual([]);
  }, 90_000);

  it("the image has no msw: `run` in-process says how to get it instead of crashing", async () => {
    const mock = await withNetwork(new SnowflakeAuthMockContainer(image)).start();
    cleanUp(() => mock.stop());
    const result = await mock.exec(['node', '/app/bin/snowflake-auth-mock.js', 'run', '/app/scenarios/keypair-jwt']);
    expect(result.exitCode).toBe(2);
    expect(result.output).toMatch(/needs msw .*npm install --save-dev msw@\^3/);
  }, 90_000);
});
