/**
 * The TLS directory of server/tls.ts as a shared, security-relevant place: processes that start at
 * once on a fresh directory take turns under its lock (each serves a certificate the ca.pem left on
 * disk signed), a lock left by a crash is broken, and the directory and the keys to reuse must be
 * the user's own and closed to others; temporaries are never followed through a planted link.
 */
import { spawn } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ensureDevCertificates, TlsSetupError } from '../../server/tls.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TLS_MODULE = pathToFileURL(join(ROOT, 'server', 'tls.ts')).href;
const root = mkdtempSync(join(tmpdir(), 'sam-tls-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `d${++n}`);
const posix = process.platform !== 'win32';
const isRoot = process.getuid?.() === 0;
const FILES = ['ca-key.pem', 'ca.pem', 'cert.pem', 'key.pem'];

/** The four files agree: each key is its certificate's, and ca.pem signed cert.pem. */
function assertConsistent(dir: string): X509Certificate {
  const ca = new X509Certificate(readFileSync(join(dir, 'ca.pem')));
  const leaf = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
  expect(ca.checkPrivateKey(createPrivateKey(readFileSync(join(dir, 'ca-key.pem'))))).toBe(true);
  expect(leaf.checkPrivateKey(createPrivateKey(readFileSync(join(dir, 'key.pem'))))).toBe(true);
  expect(leaf.verify(ca.publicKey)).toBe(true);
  return ca;
}

/**
 * `count` processes that each load server/tls.ts, say "ready", and on "go" (sent to all at once)
 * call ensureDevCertificates on `dir`; resolves with what each returned.
 */
async function concurrently(dir: string, count: number): Promise<Array<{ ca: string; cert: string; key: string; created: { ca: boolean; leaf: boolean } }>> {
  const script = [
    `import { ensureDevCertificates } from ${JSON.stringify(TLS_MODULE)};`,
    // Load the certificate library before the start line, so the calls overlap instead of the loads.
    "await import('reflect-metadata'); await import('@peculiar/x509');",
    "process.stdout.write('ready\\n');",
    "await new Promise((resolve) => process.stdin.once('data', resolve));",
    `const made = await ensureDevCertificates({ dir: ${JSON.stringify(dir)} });`,
    'process.stdout.write(JSON.stringify({ ca: made.ca, cert: made.cert, key: made.key, created: made.created }) + "\\n");',
    'process.stdin.destroy();',
  ].join('\n');
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
  const outputs = children.map((child) => {
    let [out, err] = ['', ''];
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => out.startsWith('ready\n') && resolve());
      child.on('exit', (code) => reject(new Error(`exited ${String(code)} before ready: ${err}`)));
    });
    const done = new Promise<string>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${String(code)}: ${err}`)))));
    return { child, ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const { child } of outputs) child.stdin.write('go\n');
  const texts = await Promise.all(outputs.map((o) => o.done));
  return texts.map((t) => JSON.parse(t.split('\n')[1]!));
}

describe('processes starting at once on a fresh directory', () => {
  it('take turns: every one serves a certificate the final ca.pem signed, one CA is made, and the directory is consistent', async () => {
    const dir = freshDir();
    const made = await concurrently(dir, 6);
    const ca = assertConsistent(dir);
    for (const m of made) {
      expect(m.ca).toBe(readFileSync(join(dir, 'ca.pem'), 'utf8'));
      expect(new X509Certificate(m.cert).verify(ca.publicKey)).toBe(true);
      expect(new X509Certificate(m.cert).checkPrivateKey(createPrivateKey(m.key))).toBe(true);
    }
    expect(made.filter((m) => m.created.ca)).toHaveLength(1);
    // The later ones reused the first one's files (read again after taking the lock).
    expect(made.filter((m) => m.created.leaf)).toHaveLength(1);
    // No lock and no temporary is left behind.
    expect(readdirSync(dir).sort()).toEqual(FILES);
  }, 60_000);
});

describe('the lock', () => {
  const lockOf = (dir: string): string => join(dir, '.lock');
  const takeLock = (dir: string): string => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(lockOf(dir), JSON.stringify({ pid: 4242, host: 'elsewhere', token: 'x', since: '2026-01-01T00:00:00.000Z' }), { mode: 0o600 });
    return lockOf(dir);
  };

  it('a call waits while another process holds it, and goes on once it is released', async () => {
    const dir = freshDir();
    const lock = takeLock(dir);
    let releasedAt = 0;
    setTimeout(() => {
      releasedAt = Date.now();
      rmSync(lock);
    }, 400);
    const made = await ensureDevCertificates({ dir });
    expect(releasedAt).toBeGreaterThan(0);
    expect(made.created).toEqual({ ca: true, leaf: true });
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock held past the wait is a TlsSetupError naming the holder and the file to delete; nothing is written', async () => {
    const dir = freshDir();
    const lock = takeLock(dir);
    const error = await ensureDevCertificates({ dir, lockWaitMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TlsSetupError);
    expect((error as Error).message).toBe(`waited 0.3 s for process 4242 on elsewhere (since 2026-01-01T00:00:00.000Z) making the certificates in ${dir}; if no such process runs, delete ${lock} (it counts as abandoned after 30 s)`);
    expect(readdirSync(dir)).toEqual(['.lock']);
  });

  it('a lock older than 30 s was left by a crash: it is broken at once', async () => {
    const dir = freshDir();
    const lock = takeLock(dir);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const started = Date.now();
    const made = await ensureDevCertificates({ dir, lockWaitMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(made.created.ca).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(FILES);
  });

  it('a lock 20 s old is not stale yet: it is waited for', async () => {
    const dir = freshDir();
    const lock = takeLock(dir);
    const recent = new Date(Date.now() - 20_000);
    utimesSync(lock, recent, recent);
    await expect(ensureDevCertificates({ dir, lockWaitMs: 200 })).rejects.toThrow(/^waited 0\.2 s for process 4242/);
  });
});

describe.skipIf(!posix)('the TLS directory must be the user\'s own and closed to writing by others', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a directory made here is 0700 even under a umask that would take the owner\'s bits', async () => {
    const dir = freshDir();
    const saved = process.umask(0o277);
    try {
      await ensureDevCertificates({ dir });
    } finally {
      process.umask(saved);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('an existing directory others can read is used as it is (the keys are 0600); its mode is left alone', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    await ensureDevCertificates({ dir });
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('an existing directory group or others can write is refused, naming it, before anything is written', async () => {
    for (const mode of [0o777, 0o770, 0o702]) {
      const dir = freshDir();
      mkdirSync(dir);
      chmodSync(dir, mode);
      const error = await ensureDevCertificates({ dir }).catch((e: unknown) => e);
      expect(error, mode.toString(8)).toBeInstanceOf(TlsSetupError);
      expect((error as Error).message).toBe(`refusing the TLS directory ${dir}: group or others can write it (mode 0${mode.toString(8)}) and so replace the CA clients trust; chmod go-w ${dir}, or use another directory`);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it.skipIf(!isRoot)('a directory of another user is refused (as root: chown makes one)', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 4242, 4242);
    await expect(ensureDevCertificates({ dir })).rejects.toThrow(`refusing the TLS directory ${dir}: it belongs to uid 4242, not to this user (uid 0)`);
  });
});

describe.skipIf(!posix)('keys to reuse must be the user\'s own and closed to others', () => {
  it('a CA key or server key others can read (or write) is refused, not reused and not tightened; chmod 600 makes it usable again', async () => {
    const dir = freshDir();
    const first = await ensureDevCertificates({ dir });
    for (const [file, mode] of [['ca-key.pem', 0o644], ['key.pem', 0o640], ['ca-key.pem', 0o604], ['key.pem', 0o620]] as const) {
      const path = join(dir, file);
      chmodSync(path, mode);
      const error = await ensureDevCertificates({ dir }).catch((e: unknown) => e);
      expect(error, `${file} ${mode.toString(8)}`).toBeInstanceOf(TlsSetupError);
      expect((error as Error).message).toMatch(new RegExp(`^refusing to reuse ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: group or others can access it \\(mode 0${mode.toString(8)}\\).*chmod 600`));
      expect(statSync(path).mode & 0o777).toBe(mode);
      chmodSync(path, 0o600);
    }
    const again = await ensureDevCertificates({ dir });
    expect([again.ca, again.cert, again.created]).toEqual([first.ca, first.cert, { ca: false, leaf: false }]);
  });

  it('a key file that is a symbolic link is refused', async () => {
    const dir = freshDir();
    await ensureDevCertificates({ dir });
    const elsewhere = join(root, `key-elsewhere-${n}.pem`);
    writeFileSync(elsewhere, readFileSync(join(dir, 'key.pem')), { mode: 0o600 });
    rmSync(join(dir, 'key.pem'));
    symlinkSync(elsewhere, join(dir, 'key.pem'));
    await expect(ensureDevCertificates({ dir })).rejects.toThrow(`refusing to reuse ${join(dir, 'key.pem')}: not a regular file`);
  });

  it.skipIf(!isRoot)('a key file of another user is refused (as root: chown makes one)', async () => {
    const dir = freshDir();
    await ensureDevCertificates({ dir });
    chownSync(join(dir, 'ca-key.pem'), 4242, 4242);
    await expect(ensureDevCertificates({ dir })).rejects.toThrow(`refusing to reuse ${join(dir, 'ca-key.pem')}: it belongs to uid 4242, not to this user (uid 0)`);
  });
});

describe.skipIf(!posix)('temporary files', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a link planted where the old predictable name <file>.<pid>.tmp was is neither followed nor removed', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    const victim = join(root, `victim-${n}`);
    writeFileSync(victim, 'precious');
    for (const file of FILES) symlinkSync(victim, join(dir, `${file}.${process.pid}.tmp`));
    await ensureDevCertificates({ dir });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    assertConsistent(dir);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(4);
  });

  it('even a temporary name known in advance is not followed: it is created exclusively (O_EXCL), so the write fails instead', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    // Make the random part known: every random byte 0xab.
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      if (array) new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(0xab);
      return array;
    });
    const victim = join(root, `victim-${n}`);
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, `ca-key.pem.${'ab'.repeat(8)}.tmp`));
    await expect(ensureDevCertificates({ dir })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });
});
