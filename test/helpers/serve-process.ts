/**
 * `snowflake-auth-mock serve` as a separate process with an environment of the test's choosing
 * (cli/serve-env.ts reads SNOWFLAKE_MOCK_*), and the lines of its banner a test needs: the URL
 * (http or https), the dev CA's path, a PAT. The runner's own SNOWFLAKE_MOCK_* and
 * NODE_EXTRA_CA_CERTS never leak in.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CliResult } from './cli-process.ts';

const BIN = fileURLToPath(new URL('../../bin/snowflake-auth-mock.js', import.meta.url));

/**
 * A running `serve`.
 *
 * @example
 * const serve: ServeProcess = await startServe(['serve', '--port', '0'])
 */
export interface ServeProcess {
  /** The URL of its "listening on" (or "replaying … on") line. */
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then its exit. */
  stop(): Promise<CliResult>;
}

/**
 * The environment for a child: this process's, less every SNOWFLAKE_MOCK_* and NODE_EXTRA_CA_CERTS, plus `extra`.
 *
 * @example
 * spawn(process.execPath, [script], { env: childEnv({ NODE_EXTRA_CA_CERTS: ca }) })
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('SNOWFLAKE_MOCK_') && name !== 'NODE_EXTRA_CA_CERTS') env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs `serve` (or any command) to its exit.
 *
 * @example
 * const { code, stderr } = await runServe(['serve'], { SNOWFLAKE_MOCK_PORT: 'abc' })
 */
export function runServe(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) });
    let [stdout, stderr] = ['', ''];
    const limit = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      resolve({ code: code ?? (signal ? `signal ${signal}` : null), stdout, stderr });
    });
  });
}

/**
 * Starts `serve` and resolves once it printed "Ctrl-C to stop."; rejects if it exits first.
 *
 * @example
 * const serve = await startServe(['serve', '--https', '--port', '0', '--tls-dir', dir])
 * await serve.stop()
 */
export function startServe(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) });
  let [stdout, stderr] = ['', ''];
  const exited = new Promise<CliResult>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? `signal ${signal}` : null), stdout, stderr }));
  });
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready within ${timeoutMs} ms; stdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (c) => {
      stdout += c;
      if (!/Ctrl-C to stop/.test(stdout)) return;
      clearTimeout(limit);
      resolve({
        url: / on (https?:\/\/\S+)/.exec(stdout)?.[1] ?? '',
        stdout: () => stdout,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((r) => {
      clearTimeout(limit);
      reject(new Error(`exited (${String(r.code)}) before it was ready; stdout: ${r.stdout}\nstderr: ${r.stderr}`));
    });
  });
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
