/**
 * `snowflake-auth-mock/testcontainers`: the mock's container image as a Testcontainers module, in the
 * style of the official ones (`new PostgreSqlContainer().start()`,
 * https://node.testcontainers.org/modules/postgresql/). `testcontainers` ^12 is an optional peer
 * dependency: only this entry point imports it.
 */
import { isLoopbackHost } from '../domain/network/loopback.ts';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { AbstractStartedContainer, GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';
import type { WorldConfig } from '../domain/world/config.ts';
import type { JournalEntry } from '../domain/journal.ts';
import type { Fault, FaultRule } from '../domain/faults.ts';
import type { WorldView } from '../api/world-view.ts';
import { loadWorldFile } from '../api/world-file.ts';
import { controlClient, type ControlClient } from './control-client.ts';

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
  private https?: { ca?: string };
  private userLogConsumer?: (stream: Readable) => unknown;

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
   * Serves TLS (`serve --https`) with a certificate from the container's own dev CA, which the
   * started container hands out ({@link StartedSnowflakeAuthMockContainer.getCaCertificate}); with
   * your own certificate (`SNOWFLAKE_MOCK_TLS_CERT`/`_KEY` in the environment) pass the CA that
   * signed it as `ca`.
   *
   * @example
   * const mock = await new SnowflakeAuthMockContainer().withHttps().start()
   */
  withHttps(options: { ca?: string } = {}): this {
    this.https = { ...(options.ca !== undefined && { ca: options.ca }) };
    return this.withEnvironment({ SNOWFLAKE_MOCK_HTTPS: 'true' });
  }

  /**
   * Also hands the container's output to `consumer` (the module reads it too, to learn the port
   * and to explain a failed start).
   *
   * @example
   * new SnowflakeAuthMockContainer().withLogConsumer((stream) => stream.pipe(process.stderr))
   */
  override withLogConsumer(consumer: (stream: Readable) => unknown): this {
    this.userLogConsumer = consumer;
    return this;
  }

  /**
   * Starts the container and waits until `serve` is listening. A failed start names the reason
   * `serve` gave (its output is part of the error) and leaves no container behind.
   *
   * @example
   * const mock = await new SnowflakeAuthMockContainer().start()
   */
  override async start(): Promise<StartedSnowflakeAuthMockContainer> {
    const runtimeHost = (await getContainerRuntimeClient()).info.containerRuntime.host;
    const hostNetwork = this.networkMode === 'host';
    this.configureNetwork(hostNetwork, isLoopbackHost(runtimeHost));
    // The certificate must name the host the test connects to (a remote engine, docker:dind).
    if (this.https && !isLoopbackHost(runtimeHost)) this.withEnvironment({ SNOWFLAKE_MOCK_HOSTNAME: [this.environment.SNOWFLAKE_MOCK_HOSTNAME, runtimeHost].filter(Boolean).join(',') });
    if (this.world) {
      this.withCopyContentToContainer([{ content: this.world.text, target: `${WORLD_DIR}/${this.world.name}`, mode: 0o644 }]);
      this.withEnvironment({ SNOWFLAKE_MOCK_WORLD_FILE: `${WORLD_DIR}/${this.world.name}` });
    }
    const output = this.captureOutput();
    let started: StartedTestContainer;
    try {
      started = await super.start();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await output.text()}`, { cause: error });
    }
    try {
      const port = hostNetwork ? listeningPort(await output.until(LISTENING)) : started.getMappedPort(CONTAINER_PORT);
      const ca = this.https ? (this.https.ca ?? (await this.readCa(started))) : undefined;
      return new StartedSnowflakeAuthMockContainer(started, port, ca);
    } catch (error) {
      await started.stop().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Keeps the control API off every interface but loopback where that is reachable: on the host's
   * network `serve` binds 127.0.0.1 on a port it picks itself (port 0: no race with other
   * processes for a port probed free), and a mapped port is published on 127.0.0.1 when the engine
   * runs on this machine (Testcontainers publishes on all interfaces otherwise).
   */
  private configureNetwork(hostNetwork: boolean, localEngine: boolean): void {
    if (hostNetwork) {
      this.withEnvironment({ SNOWFLAKE_MOCK_HOST: '127.0.0.1', SNOWFLAKE_MOCK_PORT: '0', SNOWFLAKE_MOCK_ALLOW_REMOTE_CONTROL: 'false' });
      return;
    }
    this.withEnvironment({ SNOWFLAKE_MOCK_PORT: String(CONTAINER_PORT) }).withExposedPorts(CONTAINER_PORT);
    if (localEngine) this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${CONTAINER_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '0' }] };
  }

  /** Collects the container's output (and passes it on to a consumer the user set). */
  private captureOutput(): OutputBuffer {
    const buffer = outputBuffer();
    const user = this.userLogConsumer;
    super.withLogConsumer((stream) => {
      stream.on('data', (chunk: Buffer | string) => buffer.add(String(chunk)));
      if (user) user(stream);
    });
    return buffer;
  }

  /** The dev CA's PEM from the container's TLS directory. */
  private async readCa(started: StartedTestContainer): Promise<string> {
    if (this.environment.SNOWFLAKE_MOCK_TLS_CERT) throw new Error('withHttps(): the container serves your own certificate (SNOWFLAKE_MOCK_TLS_CERT); pass the CA that signed it as withHttps({ ca })');
    const path = `${this.environment.SNOWFLAKE_MOCK_TLS_DIR ?? '/tls'}/ca.pem`;
    const read = await started.exec(['node', '-e', `process.stdout.write(require('node:fs').readFileSync(${JSON.stringify(path)}, 'utf8'))`]);
    if (read.exitCode !== 0 || !read.stdout.includes('BEGIN CERTIFICATE')) throw new Error(`withHttps(): cannot read the dev CA at ${path} in the container: ${read.stderr.trim() || read.stdout.trim()}`);
    return read.stdout;
  }
}

const LISTENING = /snowflake-auth-mock listening on https?:\/\/\S+:(\d+)/;

/** The port of serve's "listening on" line. */
function listeningPort(line: RegExpExecArray): number {
  return Number(line[1]);
}


interface OutputBuffer {
  add(text: string): void;
  /** The output so far, for an error message (the last 4 000 characters). */
  text(): Promise<string>;
  /** Resolves with the first match of `pattern` in the output, once it is there (bounded). */
  until(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

function outputBuffer(): OutputBuffer {
  let text = '';
  const waiting = new Set<() => void>();
  return {
    add(chunk) {
      text += chunk;
      for (const wake of waiting) wake();
    },
    // A moment for the last lines to arrive: the stream may trail the wait strategy's own reader.
    text: async () => {
      await new Promise((r) => setTimeout(r, 100));
      return text.length > 0 ? `container output:\n${text.slice(-4000)}` : 'the container printed nothing';
    },
    until: (pattern, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = pattern.exec(text);
          if (m) resolve(m);
          return m !== null;
        };
        if (check()) return;
        const timer = setTimeout(() => {
          waiting.delete(wake);
          reject(new Error(`serve said it was listening, but its output has no ${pattern}: ${text.slice(-2000)}`));
        }, timeoutMs);
        const wake = (): void => {
          if (!check()) return;
          clearTimeout(timer);
          waiting.delete(wake);
        };
        waiting.add(wake);
      }),
  };
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
   * The PEM of the CA that signed the server's certificate (`withHttps()` only): give it to the
   * client and keep verification on — as `ca` of an https request or agent in this process, or as a
   * file for a client process you start next (`NODE_EXTRA_CA_CERTS`, which Node reads only at start,
   * `REQUESTS_CA_BUNDLE`, a Java trust store).
   *
   * @example
   * writeFileSync('ca.pem', mock.getCaCertificate()) // then spawn the client with NODE_EXTRA_CA_CERTS=ca.pem
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
