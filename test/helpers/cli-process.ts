/**
 * The CLI as a separate process, as a user runs it: started, read until it says it is ready,
 * stopped with SIGTERM, its exit code and output returned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/snowflake-auth-mock.js', import.meta.url));

/** A finished CLI run. */
export interface CliResult {
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a CLI process runs. */
export interface CliOptions {
  /** Added to the environment (see {@link childEnv}). */
  readonly env?: Record<string, string>;
  /** Killed after this long; default 15 s. */
  readonly timeoutMs?: number;
  /** Where a started process's URL is in its output (group 1, else the match); default the first `http://host:port`. */
  readonly url?: RegExp;
}

/**
 * The environment for a child: this process's, less every SNOWFLAKE_MOCK_* (cli/serve-env.ts would
 * read them) and NODE_EXTRA_CA_CERTS, plus `extra`: the runner's own settings never leak in.
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

const spawnCli = (args: readonly string[], options: CliOptions): ChildProcess => spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(options.env) });

/** A running CLI process. */
export interface CliProcess {
  /** The URL it printed (see {@link CliOptions.url}). */
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then its exit. */
  stop(): Promise<CliResult>;
}

/**
 * Runs the CLI to completion.
 *
 * @example
 * const { code, stdout } = await runCli(['replay-report', '--help'])
 */
export function runCli(args: readonly string[], options: number | CliOptions = {}): Promise<CliResult> {
  const { timeoutMs = 15_000, ...rest } = typeof options === 'number' ? { timeoutMs: options } : options;
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, rest);
    let [stdout, stderr] = ['', ''];
    const limit = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      resolve({ code: code ?? (signal ? `signal ${signal}` : null), stdout, stderr });
    });
  });
}

/**
 * Starts a long-running command and resolves once its standard output matches `ready`.
 *
 * @example
 * const serve = await startCli(['serve', '--replay', dir, '--port', '0'], /Ctrl-C/)
 * await fetch(serve.url)
 * const { code } = await serve.stop()
 */
export function startCli(args: readonly string[], ready: RegExp, options: number | CliOptions = {}): Promise<CliProcess> {
  const { timeoutMs = 15_000, url = /http:\/\/[^\s/]+/, ...rest } = typeof options === 'number' ? { timeoutMs: options } : options;
  const child = spawnCli(args, rest);
  let [stdout, stderr] = ['', ''];
  const exited = new Promise<CliResult>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? `signal ${signal}` : null), stdout, stderr }));
  });
  child.stderr!.on('data', (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready within ${timeoutMs} ms; stdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (c) => {
      stdout += c;
      if (!ready.test(stdout)) return;
      clearTimeout(limit);
      resolve({
        url: ((m) => m?.[1] ?? m?.[0] ?? '')(url.exec(stdout)),
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
