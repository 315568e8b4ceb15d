/**
 * A development certificate authority and a server certificate it signs, for `serve --https`
 * (issue #12). Made with @peculiar/x509 over Node's WebCrypto, kept in a directory so that a user
 * trusts the CA once: later runs reuse it and reissue only the server certificate, when it nears
 * its end or does not cover the names asked for.
 *
 * Files: `ca.pem` (trust this), `ca-key.pem` (0600, to sign later server certificates),
 * `cert.pem` and `key.pem` (0600, what the server presents); `.lock` while a process is making them.
 * The directory must be the user's own and closed to writing by others (a folder made here is
 * 0700): whoever can write it can swap the CA a client trusts.
 */
import { X509Certificate as NodeCertificate, createPrivateKey } from 'node:crypto';
import { accessSync, chmodSync, constants, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { isIP } from 'node:net';
import { homedir, hostname as machineName, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

type X509 = typeof import('@peculiar/x509');
type Certificate = import('@peculiar/x509').X509Certificate;

/**
 * Names every server certificate covers: what a client on the same machine calls the server.
 *
 * @example
 * DEFAULT_HOSTNAMES // ['localhost', '*.localhost', '127.0.0.1', '::1']
 */
export const DEFAULT_HOSTNAMES: readonly string[] = ['localhost', '*.localhost', '127.0.0.1', '::1'];

const DAY = 86_400_000;
/**
 * Server certificate lifetime. Public CAs may issue at most 398 days (Apple's rule for TLS
 * certificates, https://support.apple.com/en-us/102028) and, by the CA/Browser Forum's Baseline
 * Requirements §6.3.2, at most 200 days since 2026-03-15 and 100 since 2027-03-15
 * (https://cabforum.org/working-groups/server/baseline-requirements/requirements/). A private CA is
 * exempt, but some clients apply the limits to every certificate; 90 days is within all of them,
 * and reissuing is free since the CA stays.
 */
const LEAF_DAYS = 90;
/** Reissue the server certificate when it has fewer days left than this. */
const RENEW_DAYS = 30;
/** The CA lives long: re-trusting it is the one step a user does by hand. */
const CA_DAYS = 3650;
/** notBefore an hour back: a container's clock slightly behind the host's must not see a certificate from the future. */
const BACKDATE_MS = 3_600_000;
/**
 * RSA 2048 with SHA-256 (PKCS #1 v1.5 signatures): accepted by every JDK's default TLS setup and
 * keytool, by OpenSSL (Python's ssl and requests) and by Node — also where EC support is missing or
 * restricted (older JDKs, some FIPS setups), which ECDSA P-256 cannot say. It fits the key usages
 * too: keyEncipherment is an RSA usage (RFC 5480 §3 forbids it for EC keys).
 */
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };

/**
 * One subjectAltName entry.
 *
 * @example
 * const entry: SanEntry = { type: 'ip', value: '::1' }
 */
export interface SanEntry {
  readonly type: 'dns' | 'ip';
  /** Lower-case DNS name, or an IP address in its canonical text form. */
  readonly value: string;
}

/**
 * Options of {@link ensureDevCertificates}.
 *
 * @example
 * const options: DevCertificateOptions = { dir: '/tmp/tls', hostnames: ['snowflake-mock', '10.0.0.5'] }
 */
export interface DevCertificateOptions {
  /** Directory of the CA and certificate files; default {@link defaultTlsDir}(). */
  readonly dir?: string;
  /** Names (DNS or IP) the server certificate covers besides {@link DEFAULT_HOSTNAMES}. */
  readonly hostnames?: readonly string[];
  /** The time to judge expiry and issue at (tests); default now. */
  readonly now?: Date;
  /**
   * How long to wait for another process making the files in `dir` (it holds `dir/.lock`) before
   * failing with a {@link TlsSetupError} (tests); default 10 s.
   */
  readonly lockWaitMs?: number;
}

/**
 * The files {@link ensureDevCertificates} made or reused, with their PEM text.
 *
 * @example
 * const { caPath, cert, key, created } = await ensureDevCertificates({ dir: '/tmp/tls' })
 */
export interface DevCertificates {
  readonly dir: string;
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** PEM of the CA certificate (what clients trust). */
  readonly ca: string;
  /** PEM of the server certificate and its PKCS #8 private key (what `startServer({ tls })` takes). */
  readonly cert: string;
  readonly key: string;
  /** The server certificate's subjectAltNames. */
  readonly hostnames: readonly string[];
  readonly notAfter: Date;
  /** What this call generated (false: reused from the directory). */
  readonly created: { readonly ca: boolean; readonly leaf: boolean };
}

/**
 * A name that is neither a DNS name nor an IP address, or a TLS directory that cannot be used.
 *
 * @example
 * try { subjectAltNameOf('a b') } catch (e) { if (e instanceof TlsSetupError) console.error(e.message) }
 */
export class TlsSetupError extends Error {
  override readonly name = 'TlsSetupError';
}

/**
 * Reads a host name as a subjectAltName: an IP literal (`[::1]` too) is an IP entry, anything else
 * must be a DNS name (RFC 1123 §2.1 labels; a `*` only as the whole left-most label, RFC 6125 §6.4.3).
 * Throws a {@link TlsSetupError} otherwise.
 *
 * @example
 * subjectAltNameOf('10.0.0.5')           // { type: 'ip', value: '10.0.0.5' }
 * subjectAltNameOf('Snowflake-Mock.lan') // { type: 'dns', value: 'snowflake-mock.lan' }
 */
export function subjectAltNameOf(name: string): SanEntry {
  const bare = name.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) {
    // net.isIP accepts an IPv6 zone (fe80::1%eth0), but a certificate's iPAddress is the 16 bytes
    // alone (RFC 5280 §4.2.1.6) and the WHATWG URL parser refuses a zone (https://url.spec.whatwg.org/#host-parsing).
    // Zones are the only addresses net.isIP takes that the parser refuses (tried: also %25eth0 and %1).
    if (bare.includes('%')) throw new TlsSetupError(`"${name}" is an IPv6 address with a zone (the part from %); a certificate cannot name a zone: give the address without it`);
    return { type: 'ip', value: canonicalIp(bare) };
  }
  const dns = name.toLowerCase().replace(/\.$/, '');
  if (dns.length <= 253 && DNS_NAME.test(dns)) return { type: 'dns', value: dns };
  throw new TlsSetupError(`"${name}" is neither an IP address nor a DNS name (letters, digits and hyphens in dot-separated labels, e.g. snowflake-mock or mock.example.test)`);
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
// The last label has a letter: an all-digit one would be a mistyped IPv4 address (RFC 3696 §2).
const DNS_NAME = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)*(?=[a-z0-9-]*[a-z])${LABEL}$`);

/** One text per address (`0:0::1` and `::1` alike), as WHATWG URL host parsing writes it. */
function canonicalIp(ip: string): string {
  const host = new URL(`http://${isIP(ip) === 6 ? `[${ip}]` : ip}/`).hostname;
  return host.replace(/^\[(.*)\]$/, '$1');
}

/**
 * The default TLS directory: `~/.snowflake-auth-mock/tls` (made here), or, when the home directory
 * cannot be written (a container's user may have none), `snowflake-auth-mock-<uid>/tls` under the
 * system's temporary directory — its per-user folder made here and checked to be the user's own and
 * closed to others (a shared temporary directory lets anyone make it first).
 *
 * @example
 * defaultTlsDir() // '~/.snowflake-auth-mock/tls', expanded
 */
export function defaultTlsDir(): string {
  const home = homeTlsDir();
  if (home !== undefined && writable(home)) return home;
  const base = join(tmpdir(), `snowflake-auth-mock-${userKey()}`);
  try {
    mkdirSync(base, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new TlsSetupError(`cannot create a TLS directory: the home directory is not writable and ${base} fails too (${(error as Error).message})`);
  }
  assertPrivate(base);
  return join(base, 'tls');
}

function homeTlsDir(): string | undefined {
  try {
    const home = homedir();
    return home ? join(home, '.snowflake-auth-mock', 'tls') : undefined;
  } catch {
    // No HOME and no passwd entry (a container's arbitrary uid): os.homedir() throws.
    return undefined;
  }
}

function writable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function userKey(): string {
  const uid = process.getuid?.();
  if (uid !== undefined) return String(uid);
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}

/** In a shared temporary directory another user could have made the folder first (and would read our keys). */
function assertPrivate(dir: string): void {
  const uid = process.getuid?.();
  if (uid === undefined) return; // Windows: per-user temporary directories
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw new TlsSetupError(`${dir} is not a private directory of this user (a symbolic link, another owner, or writable by others); remove it or give a TLS directory`);
  }
}

/**
 * Makes sure `dir` holds a development CA and a server certificate it signed for `localhost`,
 * `*.localhost`, `127.0.0.1`, `::1` and `hostnames`: reuses what is there while it is valid (so the
 * CA is trusted once), issues what is missing, unreadable, mismatched, expiring within 30 days or
 * not covering a name; a new CA means a new server certificate. Processes sharing `dir` (parallel
 * test workers, several `serve --https`) take turns under `dir/.lock`, so each gets a certificate
 * the `ca.pem` on disk signed. Refuses (a {@link TlsSetupError}) a directory that is not the
 * user's own or that others can write, and a key to reuse that is not the user's or that others
 * can read.
 *
 * @example
 * const tls = await ensureDevCertificates({ dir: '/tmp/tls', hostnames: ['snowflake-mock'] })
 * const server = await startServer({ port: 0, tls })
 * // clients: NODE_EXTRA_CA_CERTS=/tmp/tls/ca.pem
 */
export async function ensureDevCertificates(options: DevCertificateOptions = {}): Promise<DevCertificates> {
  const dir = options.dir ?? defaultTlsDir();
  const names = wantedNames(options.hostnames ?? []);
  const paths = { caPath: join(dir, 'ca.pem'), caKeyPath: join(dir, 'ca-key.pem'), certPath: join(dir, 'cert.pem'), keyPath: join(dir, 'key.pem') };
  prepareDir(dir);
  const x509 = await loadX509();
  // Read, decide and write under one lock: without it two processes on a fresh directory each make
  // a CA, and one serves a certificate that the ca.pem left on disk did not sign.
  const { ca, oldCa, leaf, oldLeaf } = await withLock(dir, options.lockWaitMs ?? LOCK_WAIT_MS, async () => {
    const now = (options.now ?? new Date()).getTime();
    const oldCa = readPair(paths.caPath, paths.caKeyPath);
    const reuseCa = oldCa !== undefined && usableCa(x509, oldCa, now);
    if (reuseCa) assertOwnKey(paths.caKeyPath);
    const ca = reuseCa ? oldCa : writePair(paths.caPath, paths.caKeyPath, await createCa(x509, now));
    const oldLeaf = readPair(paths.certPath, paths.keyPath);
    const reuseLeaf = oldLeaf !== undefined && ca === oldCa && (await usableLeaf(x509, oldLeaf, ca, names, now));
    if (reuseLeaf) assertOwnKey(paths.keyPath);
    const leaf = reuseLeaf ? oldLeaf : writePair(paths.certPath, paths.keyPath, await createLeaf(x509, ca, names, now));
    return { ca, oldCa, leaf, oldLeaf };
  });
  const leafCert = new x509.X509Certificate(leaf.cert);
  return {
    dir,
    caPath: paths.caPath,
    certPath: paths.certPath,
    keyPath: paths.keyPath,
    ca: ca.cert,
    cert: leaf.cert,
    key: leaf.key,
    hostnames: sanEntries(x509, leafCert).map((e) => e.value),
    notAfter: leafCert.notAfter,
    created: { ca: ca !== oldCa, leaf: leaf !== oldLeaf },
  };
}

function wantedNames(hostnames: readonly string[]): SanEntry[] {
  const seen = new Map<string, SanEntry>();
  for (const name of [...DEFAULT_HOSTNAMES, ...hostnames]) {
    const entry = subjectAltNameOf(name);
    seen.set(`${entry.type}:${entry.value}`, entry);
  }
  return [...seen.values()];
}

/** Makes `dir` (0700, whatever the umask) or checks the one there: see {@link assertOwnDirectory}. */
function prepareDir(dir: string): void {
  try {
    // recursive: the first folder it made, or undefined when `dir` was there (and is only checked, not changed).
    const made = mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The mode passes through the umask; chmod is not subject to it (https://man7.org/linux/man-pages/man2/umask.2.html).
    if (made !== undefined && process.platform !== 'win32') chmodSync(dir, 0o700);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new TlsSetupError(`cannot use ${dir} as the TLS directory: ${(error as Error).message}`);
  }
  assertOwnDirectory(dir);
}

/**
 * The TLS directory, made here or given, must be the user's own and not writable by group or
 * others: whoever can write it can put their own CA and key in place of ours (clients then trust
 * theirs), or read new keys through a file they planted. Readable is fine: the keys are 0600.
 * `stat`, not `lstat`: a symbolic link the user made to a folder of theirs is fine; what counts is
 * the folder the files land in. Windows has ACLs, not these bits: Node reports neither an owner
 * nor group/other modes there (https://nodejs.org/api/fs.html#file-modes).
 */
function assertOwnDirectory(dir: string): void {
  const uid = process.getuid?.();
  if (uid === undefined || process.platform === 'win32') return;
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new TlsSetupError(`cannot use ${dir} as the TLS directory: not a directory`);
  if (stat.uid !== uid) {
    throw new TlsSetupError(`refusing the TLS directory ${dir}: it belongs to uid ${stat.uid}, not to this user (uid ${uid}), who could replace the CA clients trust; use a directory of your own`);
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new TlsSetupError(`refusing the TLS directory ${dir}: group or others can write it (mode ${modeText(stat)}) and so replace the CA clients trust; chmod go-w ${dir}, or use another directory`);
  }
}

/**
 * A key file about to be reused must be the user's and closed to group and others, as OpenSSH asks
 * of a private key (https://man.openbsd.org/ssh#FILES: "ssh will simply ignore a private key file
 * if it is accessible by others"). Refused, not quietly tightened: a key others could read may
 * already be copied, and with the CA key anyone can make certificates the user's clients accept —
 * whether to keep it (chmod 600) or make a new CA is the user's call, not ours. Files this module
 * writes are 0600 from the start.
 */
function assertOwnKey(path: string): void {
  const uid = process.getuid?.();
  if (uid === undefined || process.platform === 'win32') return;
  const stat = lstatSync(path);
  if (!stat.isFile()) throw new TlsSetupError(`refusing to reuse ${path}: not a regular file`);
  if (stat.uid !== uid) throw new TlsSetupError(`refusing to reuse ${path}: it belongs to uid ${stat.uid}, not to this user (uid ${uid})`);
  if ((stat.mode & 0o077) !== 0) {
    throw new TlsSetupError(`refusing to reuse ${path}: group or others can access it (mode ${modeText(stat)}), and a copy of a CA key makes certificates your clients trust; if nobody else read it, chmod 600 ${path}; otherwise delete the TLS directory's files for a new CA (and trust the new ca.pem)`);
  }
}

function modeText(stat: Stats): string {
  return `0${(stat.mode & 0o777).toString(8)}`;
}

// ---------------------------------------------------------------------------------------------
// Taking turns: an exclusive lock file in the directory

const LOCK_FILE = '.lock';
/**
 * Long enough for a holder making a CA and a certificate (two RSA 2048 keys: well under a second,
 * a few on a loaded CI machine), short enough that a lock left by a crash fails fast with a clear
 * message instead of hanging a test run.
 */
const LOCK_WAIT_MS = 10_000;
/** A lock this old was left by a process that died (a holder needs seconds): it is broken. */
const LOCK_STALE_MS = 30_000;
/** Waits between tries: doubling from 10 ms to at most 200 ms, jittered so waiters do not wake together. */
const BACKOFF_MIN_MS = 10;
const BACKOFF_MAX_MS = 200;

/**
 * Runs `work` holding `dir/.lock`, created with O_CREAT|O_EXCL (`wx`): exactly one process can
 * create it, on local file systems and on NFSv3 and later (https://man7.org/linux/man-pages/man2/open.2.html).
 */
async function withLock<T>(dir: string, waitMs: number, work: () => Promise<T>): Promise<T> {
  const path = join(dir, LOCK_FILE);
  const token = randomHex(16);
  const deadline = Date.now() + waitMs;
  for (let delay = BACKOFF_MIN_MS; ; delay = Math.min(delay * 2, BACKOFF_MAX_MS)) {
    if (tryLock(path, token)) break;
    if (breakStaleLock(path)) continue;
    const left = deadline - Date.now();
    if (left <= 0) throw new TlsSetupError(lockTimeout(dir, path, waitMs));
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, delay * (0.5 + Math.random() / 2))));
  }
  try {
    return await work();
  } finally {
    unlock(path, token);
  }
}

function tryLock(path: string, token: string): boolean {
  try {
    writeFileSync(path, `${JSON.stringify({ pid: process.pid, host: machineName(), token, since: new Date().toISOString() })}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new TlsSetupError(`cannot lock the TLS directory: ${path}: ${(error as Error).message}`);
  }
}

/** Only our own lock: had ours been broken as stale, the file is another process's now. */
function unlock(path: string, token: string): void {
  try {
    if (readFileSync(path, 'utf8').includes(token)) rmSync(path, { force: true });
  } catch {
    // Gone already.
  }
}

/**
 * Removes the lock when it is stale; true when it is gone (try again at once). One waiter breaks
 * it at a time, holding `.lock.break`, and looks again before removing: two waiters that both saw
 * the stale lock must not let the second remove the lock the first has just taken.
 */
function breakStaleLock(path: string): boolean {
  const seen = statIfAny(path);
  if (seen === undefined) return true;
  if (Date.now() - seen.mtimeMs < LOCK_STALE_MS) return false;
  const breaker = `${path}.break`;
  try {
    writeFileSync(breaker, '', { flag: 'wx', mode: 0o600 });
  } catch {
    // Another waiter is breaking it; one that died while doing so leaves a stale breaker, removed here.
    const stale = statIfAny(breaker);
    if (stale !== undefined && Date.now() - stale.mtimeMs >= LOCK_STALE_MS) rmSync(breaker, { force: true });
    return false;
  }
  try {
    const now = statIfAny(path);
    if (now !== undefined && Date.now() - now.mtimeMs >= LOCK_STALE_MS) rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(breaker, { force: true });
  }
}

function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lockTimeout(dir: string, path: string, waitMs: number): string {
  let holder = 'another process';
  try {
    const { pid, host, since } = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number; host?: string; since?: string };
    holder = `process ${String(pid)} on ${String(host)} (since ${String(since)})`;
  } catch {
    // Unreadable or half written: say what we know.
  }
  return `waited ${waitMs / 1000} s for ${holder} making the certificates in ${dir}; if no such process runs, delete ${path} (it counts as abandoned after ${LOCK_STALE_MS / 1000} s)`;
}

let x509Module: Promise<X509> | undefined;

/**
 * Loaded on first use: a plain-HTTP server never pays for it. `reflect-metadata` first: the
 * library's dependency tsyringe refuses to load without a Reflect metadata polyfill
 * (https://github.com/microsoft/tsyringe#installation); it only adds what is missing from `Reflect`.
 */
function loadX509(): Promise<X509> {
  x509Module ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(globalThis.crypto);
    return x509;
  })();
  return x509Module;
}

// ---------------------------------------------------------------------------------------------
// Reading and checking what is there

/** A certificate and its private key, both PEM. */
interface Pair {
  readonly cert: string;
  readonly key: string;
}

/** The pair in two files, or undefined when either is missing, unreadable or not a certificate and its key. */
function readPair(certPath: string, keyPath: string): Pair | undefined {
  try {
    const pair = { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
    return new NodeCertificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key)) ? pair : undefined;
  } catch {
    return undefined;
  }
}

function usableCa(x509: X509, pair: Pair, now: number): boolean {
  const cert = new x509.X509Certificate(pair.cert);
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  // It must outlive any server certificate it signs now.
  return constraints?.ca === true && cert.notBefore.getTime() <= now && cert.notAfter.getTime() > now + LEAF_DAYS * DAY;
}

async function usableLeaf(x509: X509, pair: Pair, ca: Pair, names: readonly SanEntry[], now: number): Promise<boolean> {
  const cert = new x509.X509Certificate(pair.cert);
  if (cert.notBefore.getTime() > now || cert.notAfter.getTime() - now < RENEW_DAYS * DAY) return false;
  const have = new Set(sanEntries(x509, cert).map((e) => `${e.type}:${e.value}`));
  if (!names.every((n) => have.has(`${n.type}:${n.value}`))) return false;
  return cert.verify({ publicKey: new x509.X509Certificate(ca.cert).publicKey, signatureOnly: true });
}

function sanEntries(x509: X509, cert: Certificate): SanEntry[] {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  return (san?.names.items ?? []).flatMap((n): SanEntry[] => {
    if (n.type === 'ip') return [{ type: 'ip', value: canonicalIp(n.value) }];
    return n.type === 'dns' ? [{ type: 'dns', value: n.value.toLowerCase() }] : [];
  });
}

// ---------------------------------------------------------------------------------------------
// Issuing

async function createCa(x509: X509, now: number): Promise<Pair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    // A random part: two CAs (another machine, a deleted directory) never share a name in a trust store.
    name: [{ CN: [`snowflake-auth-mock development CA ${randomHex(4)}`] }, { O: ['snowflake-auth-mock'] }, { OU: [`${userName()}@${machineName()}`] }],
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + CA_DAYS * DAY),
    signingAlgorithm: RSA,
    keys,
    extensions: [
      // RFC 5280 §4.2.1.9: critical in a CA certificate; path length 0: it signs server certificates only.
      new x509.BasicConstraintsExtension(true, 0, true),
      // RFC 5280 §4.2.1.3: SHOULD be critical.
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(x509, keys.privateKey) };
}

async function createLeaf(x509: X509, ca: Pair, names: readonly SanEntry[], now: number): Promise<Pair> {
  const keys = await generateKeys();
  const caCert = new x509.X509Certificate(ca.cert);
  const caKeyId = caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const signingKey = await crypto.subtle.importKey('pkcs8', createPrivateKey(ca.key).export({ type: 'pkcs8', format: 'der' }), RSA, false, ['sign']);
  const firstDns = names.find((n) => n.type === 'dns' && !n.value.startsWith('*'))?.value ?? 'localhost';
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    // Clients match the subjectAltNames (RFC 6125 §6.4.4: not the CN when a SAN is present); the CN is for people.
    subject: [{ CN: [firstDns] }, { O: ['snowflake-auth-mock'] }],
    issuer: caCert.subject,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(Math.min(now + LEAF_DAYS * DAY, caCert.notAfter.getTime())),
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: n.type, value: n.value }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      // The CA's own key identifier (RFC 5280 §4.2.1.1): clients pick the issuer by it.
      ...(caKeyId ? [new x509.AuthorityKeyIdentifierExtension(caKeyId)] : []),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(x509, keys.privateKey) };
}

function generateKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
}

async function exportKey(x509: X509, key: CryptoKey): Promise<string> {
  return `${x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')}\n`;
}

/**
 * 126 random bits, positive and with a non-zero first byte (RFC 5280 §4.1.2.2: a positive
 * integer of at most 20 octets; the Baseline Requirements §7.1 ask for at least 64 random bits).
 */
function serialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return Buffer.from(bytes).toString('hex');
}

function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid-${userKey()}`;
  }
}

/** Key first, then certificate, each through a temporary file and a rename: a reader never sees half a file. */
function writePair(certPath: string, keyPath: string, pair: Pair): Pair {
  writeAtomically(keyPath, pair.key, 0o600);
  writeAtomically(certPath, pair.cert, 0o644);
  return pair;
}

/**
 * A temporary file of a random name, created with O_EXCL (`wx`) and so with `mode`, then renamed
 * over `path`. O_EXCL fails on any existing name, a symbolic link too, instead of following it
 * (https://man7.org/linux/man-pages/man2/open.2.html); a random name cannot be planted in advance.
 */
function writeAtomically(path: string, text: string, mode: number): void {
  const temporary = `${path}.${randomHex(8)}.tmp`;
  try {
    writeFileSync(temporary, text, { mode, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    // EEXIST: the name is someone else's file, not ours to remove.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(temporary, { force: true });
    throw error;
  }
}
