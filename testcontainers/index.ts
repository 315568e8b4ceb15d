/**
 * `snowflake-auth-mock/testcontainers`: the mock's container image as a Testcontainers module, in the
 * style of the official ones (`new PostgreSqlContainer().start()`,
 * https://node.testcontainers.org/modules/postgresql/). `testcontainers` ^12 is an optional peer
 * dependency: only this entry point imports it.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { WorldConfig } from '../domain/world/config.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { Fault, FaultRule } from '../domain/faults.ts';
import type { WorldView } from '../api/world-view.ts';
import { loadWorldFile } from '../api/world-file.ts';
import { controlClient, freePort, type ControlClient } from './control-client.ts';

/** The image `docker build -t snowflake-auth-mock .` (or `npm run image`) makes; `SNOWFLAKE_AUTH_MOCK_IMAGE` overrides it. */
export const DEFAULT_IMAGE = 'snowflake-auth-mock:latest';
/** The port `serve` listens on inside the container (unless host networking moves it). */
export const CONTAINER_PORT = 4010;
const WORLD_DIR = '/world';

/**
 * A container running `snowflake-auth-mock serve` with its control API.
 *
 * @example
 * const mock = await new SnowflakeAuthMockContainer().withWorld('world.yaml').withClockStart('2026-01-01T00:00:00Z').start()
 * const connection = snowflake.createConnection({ ...mock.getConnectionOptions(), username: 'ALICE', token: pat, authenticator: 'PROGRAMMATIC_ACCESS_TOKEN' })
 * await mock.advanceClock('16d')
 * await mock.stop()
 */
export class SnowflakeAuthMockContainer extends GenericContainer {
  private world?: { name: string; text: string };
  private https = false;

  /**
   * @param image Image name; default `SNOWFLAKE_AUTH_MOCK_IMAGE` or {@link DEFAULT_IMAGE}.
   *
   * @example
   * new SnowflakeAuthMockContainer('ghcr.io/acme/snowflake-auth-mock:1.2.0')
   */
  constructor(image: string = process.env.SNOWFLAKE_AUTH_MOCK_IMAGE ?? DEFAULT_IMAGE) {
    super(image);
    this.withWaitStrategy(Wait.forLogMessage(/snowflake-auth-mock listening on/)).withStartupTimeout(60_000);
  }

  /**
   * The world the mock serves: a config object, or the path of a YAML/JSON world file. A file is
   * validated here first, so a mistake is reported with its file, line and field before any
   * container starts.
   *
   * @example
   * new SnowflakeAuthMockContainer().withWorld({ accounts: [{ name: 'MYORG-MYACCOUNT', users: [{ name: 'ALICE', password: 'pw' }] }] })
   */
  withWorld(world: WorldConfig | string): this {
    if (typeof world === 'string') {
      loadWorldFile(world);
      this.world = { name: `world${extname(world).toLowerCase()}`, text: readFileSync(world, 'utf8') };
    } else {
      this.world = { name: 'world.json', text: JSON.stringify(world) };
    }
    return this;
  }

  /**
   * Starts the mock clock at this time (`serve --clock-start`).
   *
   * @example
   * new SnowflakeAuthMockContainer().withClockStart('2026-01-01T00:00:00Z')
   */
  withClockStart(start: string | Date): this {
    const iso = start instanceof Date ? start.toISOString() : start;
    if (!Number.isFinite(Date.parse(iso))) throw new TypeError(`withClockStart: cannot read ${JSON.stringify(start)} as an ISO 8601 time`);
    return this.withEnvironment({ SNOWFLAKE_MOCK_CLOCK_START: iso });
  }

  /**
   * Seeds generated ids, tokens and secrets, so two runs issue the same values.
   *
   * @example
   * new SnowflakeAuthMockContainer().withSeed(42)
   */
  withSeed(seed: number): this {
    if (!Number.isSafeInteger(seed)) throw new TypeError(`withSeed: ${seed} is not an integer`);
    return this.withEnvironment({ SNOWFLAKE_MOCK_SEED: String(seed) });
  }

  /**
   * Serves TLS with a certificate from the container's own dev CA (`serve --https`); the started
   * container hands out the CA ({@link StartedSnowflakeAuthMockContainer.getCaCertificate}).
   *
   * @example
   * const mock = await new SnowflakeAuthMockContainer().withHttps().start()
   */
  withHttps(): this {
    this.https = true;
    return this.withEnvironment({ SNOWFLAKE_MOCK_HTTPS: 'true' });
  }

  /**
   * Starts the container and waits until `serve` is listening.
   *
   * @example
   * const mock = await new SnowflakeAuthMockContainer().start()
   */
  override async start(): Promise<StartedSnowflakeAuthMockContainer> {
    // With host networking nothing is mapped: the server takes a port that is free on the host.
    const hostNetwork = this.networkMode === 'host';
    const port = hostNetwork ? await freePort() : CONTAINER_PORT;
    this.withEnvironment({ SNOWFLAKE_MOCK_PORT: String(port) });
    if (!hostNetwork) this.withExposedPorts(CONTAINER_PORT);
    if (this.world) {
      this.withCopyContentToContainer([{ content: this.world.text, target: `${WORLD_DIR}/${this.world.name}`, mode: 0o644 }]);
      this.withEnvironment({ SNOWFLAKE_MOCK_WORLD_FILE: `${WORLD_DIR}/${this.world.name}` });
    }
    const started = await super.start();
    const hostPort = hostNetwork ? port : started.getMappedPort(CONTAINER_PORT);
    const ca = this.https ? (await started.exec(['node', '-e', "process.stdout.write(require('node:fs').readFileSync('/tls/ca.pem', 'utf8'))"])).stdout : undefined;
    return new StartedSnowflakeAuthMockContainer(started, hostPort, ca);
  }
}

/**
 * A running mock container: where it is, what it accepts, and its control API (clock, journal,
 * reset, faults) on the mock clock.
 *
 * @example
 * const mock = await new SnowflakeAuthMockContainer().start()
 * const { users } = await mock.credentials()
 * await mock.advanceClock('10m')
 * const rejected = (await mock.journal()).filter((e) => e.decision === 'rejected')
 */
export class StartedSnowflakeAuthMockContainer extends AbstractStartedContainer {
  private readonly port: number;
  private readonly ca: string | undefined;
  private readonly control: ControlClient;

  /** Fault injection on the running mock (`POST/GET/DELETE /__mock/faults`). */
  readonly faults: {
    inject(rule: FaultRule | FaultRule[]): Promise<Fault[]>;
    list(): Promise<Fault[]>;
    clear(): Promise<number>;
  };

  /**
   * @example
   * new StartedSnowflakeAuthMockContainer(started, 4010) // made by SnowflakeAuthMockContainer.start()
   */
  constructor(started: StartedTestContainer, port: number, ca?: string) {
    super(started);
    this.port = port;
    this.ca = ca;
    this.control = controlClient(this.getBaseUrl(), ca);
    this.faults = {
      inject: async (rule) => (await this.control.send<{ injected: Fault[] }>('POST', 'faults', rule)).injected,
      list: async () => (await this.control.send<{ faults: Fault[] }>('GET', 'faults')).faults,
      clear: async () => (await this.control.send<{ cleared: number }>('DELETE', 'faults')).cleared,
    };
  }

  /**
   * The server's base URL as seen from the test, e.g. `http://localhost:32768`.
   *
   * @example
   * await fetch(`${mock.getBaseUrl()}/api/v2/statements`, { method: 'POST', … })
   */
  getBaseUrl(): string {
    return `${this.ca === undefined ? 'http' : 'https'}://${urlHost(this.getHost())}:${this.port}`;
  }

  /**
   * An account's own URL, `<account>.localhost` (the mock routes by the host's first label, as
   * Snowflake does). It needs a resolver that maps `*.localhost` to loopback (browsers, curl;
   * RFC 6761 §6.3); elsewhere send the base URL with a `Host: <account>.localhost` header.
   *
   * @example
   * mock.getAccountUrl('MYORG-OTHER') // 'http://myorg-other.localhost:32768'
   */
  getAccountUrl(account: string): string {
    return `${this.ca === undefined ? 'http' : 'https'}://${account.toLowerCase().replace(/_/g, '-')}.localhost:${this.port}`;
  }

  /**
   * What `snowflake-sdk`'s `createConnection` needs to reach the mock (add the user and how it
   * authenticates). The account is the world's first unless named.
   *
   * @example
   * snowflake.createConnection({ ...(await mock.getConnectionOptions()), username: 'ALICE', password: 'pw' })
   */
  async getConnectionOptions(account?: string): Promise<{ account: string; accessUrl: string }> {
    return { account: account ?? (await this.credentials()).account.name, accessUrl: this.getBaseUrl() };
  }

  /**
   * The PEM of the dev CA that signed the server's certificate (`withHttps()` only): give it to the
   * client (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`, a Java trust store) and keep verification on.
   *
   * @example
   * writeFileSync('ca.pem', mock.getCaCertificate())
   */
  getCaCertificate(): string {
    if (this.ca === undefined) throw new Error('the container serves plain HTTP; start it withHttps() to get a CA');
    return this.ca;
  }

  /**
   * The names and credentials the world accepts (`GET /__mock/world`), keyed by upper-case names.
   *
   * @example
   * const pat = (await mock.credentials()).users.ALICE.pat.CI
   */
  credentials(): Promise<WorldView> {
    return this.control.send<WorldView>('GET', 'world');
  }

  /**
   * Moves the mock clock forward, e.g. past a PAT's expiry.
   *
   * @example
   * await mock.advanceClock('16d') // returns the new mock time, ISO 8601
   */
  async advanceClock(duration: string | number): Promise<string> {
    return (await this.control.send<{ now: string }>('POST', 'clock', { advance: duration })).now;
  }

  /**
   * Every decision the mock made, oldest first, each with its explanation.
   *
   * @example
   * const last = (await mock.journal()).at(-1)
   */
  async journal(): Promise<JournalEntry[]> {
    return (await this.control.send<{ entries: JournalEntry[] }>('GET', 'journal')).entries;
  }

  /**
   * Back to the world as started: clock, journal, issued tokens, faults.
   *
   * @example
   * afterEach(() => mock.reset())
   */
  async reset(): Promise<void> {
    await this.control.send('POST', 'reset');
  }
}

const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
