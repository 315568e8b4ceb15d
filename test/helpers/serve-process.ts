/**
 * `snowflake-auth-mock serve` as a separate process with an environment of the test's choosing
 * (cli/serve-env.ts reads SNOWFLAKE_MOCK_*), and the lines of its banner a test needs: the URL
 * (http or https), the dev CA's path, a PAT. The runner's own SNOWFLAKE_MOCK_* and
 * NODE_EXTRA_CA_CERTS never leak in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { childEnv, runCli, startCli, type CliProcess, type CliResult } from './cli-process.ts';

export { childEnv };

/**
 * A running `serve`.
 *
 * @example
 * const serve: ServeProcess = await startServe(['serve', '--port', '0'])
 */
export type ServeProcess = CliProcess;

/**
 * Runs `serve` (or any command) to its exit, with `env` added to the cleaned environment.
 *
 * @example
 * const { code, stderr } = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: 'abc' })
 */
export function runServe(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<CliResult> {
  return runCli(args, { env, timeoutMs });
}

/**
 * Starts `serve` and resolves once it printed "Ctrl-C to stop."; its URL is the one of its
 * "listening on" (or "replaying … on") line, http or https. Rejects if it exits first.
 *
 * @example
 * const serve = await startServe(['serve', '--https', '--port', '0', '--tls-dir', dir])
 * await serve.stop()
 */
export function startServe(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<ServeProcess> {
  return startCli(args, /Ctrl-C to stop/, { env, timeoutMs, url: / on (https?:\/\/\S+)/ });
}

/**
 * The dev CA path `serve --https` printed.
 *
 * @example
 * caPathOf(serve.stdout()) // '/tmp/…/ca.pem'
 */
export function caPathOf(stdout: string): string {
  const m = /the dev CA (\S+\.pem)/.exec(stdout);
  if (!m) throw new Error(`no dev CA in the banner:\n${stdout}`);
  return m[1]!;
}

/** A test file's scratch folder for `serve` runs and the one it is running, stopped after each test. */
export interface ServeScratch {
  /** The folder, removed after the file's tests. */
  readonly root: string;
  /** A new empty path under it. */
  freshDir(): string;
  /** Set it to the process a test starts: it is stopped after the test. */
  running: ServeProcess | undefined;
}

/**
 * Registers the file's scratch folder and the after-each stop of its `serve`.
 *
 * @example
 * const scratch = useServeScratch('sam-url-file-');
 * scratch.running = await startServe(['serve', '--port', '0', '--tls-dir', scratch.freshDir()]);
 */
export function useServeScratch(prefix: string): ServeScratch {
  const root = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  const scratch: ServeScratch = { root, freshDir: () => join(root, `d${++n}`), running: undefined };
  afterEach(async () => {
    await scratch.running?.stop();
    scratch.running = undefined;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return scratch;
}
