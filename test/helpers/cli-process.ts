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

/** A running CLI process. */
export interface CliProcess {
  /** The first `http://…` URL it printed. */
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
export function runCli(args: readonly string[], timeoutMs = 15_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
 * Starts a long-running command and resolves once its standard output matches `ready`.
 *
 * @example
 * const serve = await startCli(['serve', '--replay', dir, '--port', '0'], /Ctrl-C/)
 * await fetch(serve.url)
 * const { code } = await serve.stop()
 */
export function startCli(args: readonly string[], ready: RegExp, timeoutMs = 15_000): Promise<CliProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
        url: /http:\/\/[^\s/]+/.exec(stdout)?.[0] ?? '',
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
