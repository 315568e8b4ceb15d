/**
 * A development certificate authority and a server certificate it signs, for `serve --https`
 * (issue #12). Made with @peculiar/x509 over Node's WebCrypto, kept in a directory so that a user
 * trusts the CA once: later runs reuse it and reissue only the server certificate, when it nears
 * its end or does not cover the names asked for.
 *
 * Files: `ca.pem` (trust this), `ca-key.pem` (0600, to sign later server certificates),
 * `cert.pem` and `key.pem` (0600, what the server presents).
 */
import { X509Certificate as NodeCertificate, createPrivateKey } from 'node:crypto';
import { accessSync, constants, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  if (isIP(bare)) return { type: 'ip', value: canonicalIp(bare) };
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
 * not covering a name; a new CA means a new server certificate.
 *
 * @example
 * const tls = await ensureDevCertificates({ dir: '/tmp/tls', hostnames: ['snowflake-mock'] })
 * const server = await startServer({ port: 0, tls })
 * // clients: NODE_EXTRA_CA_CERTS=/tmp/tls/ca.pem
 */
export async function ensureDevCertificates(options: DevCertificateOptions = {}): Promise<DevCertificates> {
  const dir = options.dir ?? defaultTlsDir();
  const now = (options.now ?? new Date()).getTime();
  const names = wantedNames(options.hostnames ?? []);
  const paths = { caPath: join(dir, 'ca.pem'), caKeyPath: join(dir, 'ca-key.pem'), certPath: join(dir, 'cert.pem'), keyPath: join(dir, 'key.pem') };
  prepareDir(dir);
  const x509 = await loadX509();
  const oldCa = readPair(paths.caPath, paths.caKeyPath);
  const ca = oldCa && usableCa(x509, oldCa, now) ? oldCa : writePair(paths.caPath, paths.caKeyPath, await createCa(x509, now));
  const oldLeaf = readPair(paths.certPath, paths.keyPath);
  const leaf = oldLeaf && ca === oldCa && (await usableLeaf(x509, oldLeaf, ca, names, now)) ? oldLeaf : writePair(paths.certPath, paths.keyPath, await createLeaf(x509, ca, names, now));
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

function prepareDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new TlsSetupError(`cannot use ${dir} as the TLS directory: ${(error as Error).message}`);
  }
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

function writeAtomically(path: string, text: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  // A left-over file would keep its old mode: the mode only applies to a file being created.
  rmSync(temporary, { force: true });
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, path);
}
