/**
 * `serve --https` (issue #12): the certificate the server presents — one the dev CA of
 * `server/tls.ts` issues, or the user's own (`--tls-cert`/`--tls-key`) — and the banner lines that
 * tell each kind of client how to trust it, verification on.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ensureDevCertificates, subjectAltNameOf, TlsSetupError } from '../server/tls.ts';
import { UsageError } from './args.ts';

/**
 * What the command line and environment asked for.
 *
 * @example
 * const request: TlsRequest = { dir: '/tmp/tls', hostnames: ['snowflake-mock'], host: '127.0.0.1' }
 */
export interface TlsRequest {
  /** Where the dev CA lives; default `~/.snowflake-auth-mock/tls` (server/tls.ts defaultTlsDir). */
  readonly dir?: string;
  /** `--hostname` values (validated by {@link checkHostnames}). */
  readonly hostnames: readonly string[];
  /** The user's own certificate and key files (both or neither). */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** The address the server binds: a specific one is covered too. */
  readonly host: string;
  /** How messages name the certificate and key options (the flag, or the variable they came from). */
  readonly labels?: { readonly cert: string; readonly key: string };
}

/**
 * A certificate ready for `startServer({ tls })`, and how the banner describes it.
 *
 * @example
 * const { cert, key, lines } = await prepareTls(request, ['MYORG-MYACCOUNT'])
 */
export interface ServeTls {
  readonly cert: string;
  readonly key: string;
  /** Banner lines (indented like the endpoint lines). */
  readonly lines: readonly string[];
}

/**
 * Splits and validates `--hostname` values (comma-separated lists too); `source` names where they
 * came from in the usage error.
 *
 * @example
 * checkHostnames(['mock,10.0.0.5'], '--hostname') // ['mock', '10.0.0.5']
 */
export function checkHostnames(values: readonly string[], source: string): string[] {
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  for (const name of names) {
    try {
      subjectAltNameOf(name);
    } catch (error) {
      // Only the refusal of a name is the user's mistake; anything else is a bug to show as it is.
      if (!(error instanceof TlsSetupError)) throw error;
      throw new UsageError(`${source}: ${error.message}`);
    }
  }
  return names;
}

/**
 * The certificate to serve: the user's files when given, else one from the dev CA covering the
 * defaults, `--hostname`s, the bound address and `<account>.localhost` for each account — the
 * `*.localhost` wildcard does not do for those: Node's tls.checkServerIdentity
 * (https://nodejs.org/api/tls.html#tlscheckserveridentityhostname-cert) and OpenSSL's
 * X509_check_host (https://docs.openssl.org/master/man3/X509_check_host/, Python's ssl) refuse a
 * wildcard with a single label after it (tried: both fail `myorg-myaccount.localhost`).
 *
 * @example
 * const tls = await prepareTls({ hostnames: [], host: '127.0.0.1' }, ['MYORG-MYACCOUNT', 'XY12345'])
 * await startServer({ port: 0, tls })
 */
export async function prepareTls(request: TlsRequest, accounts: readonly string[]): Promise<ServeTls> {
  if (request.certFile !== undefined && request.keyFile !== undefined) return ownCertificate(request.certFile, request.keyFile, request.labels ?? { cert: '--tls-cert', key: '--tls-key' });
  const hostnames = [...request.hostnames, ...boundHost(request.host), ...accountHostnames(accounts)];
  try {
    const made = await ensureDevCertificates({ ...(request.dir !== undefined && { dir: request.dir }), hostnames });
    return { cert: made.cert, key: made.key, lines: devCaLines(made.caPath, made.hostnames, made.notAfter, made.created.ca) };
  } catch (error) {
    // Not a usage error: the server cannot start here (exit code 1), and the user may pick another place.
    if (error instanceof TlsSetupError) throw new Error(`${error.message}; pick another with --tls-dir (or SNOWFLAKE_MOCK_TLS_DIR)`);
    throw error;
  }
}

/** `<name>.localhost` for each account name or locator that is a valid DNS label ('_' written '-', as hosts do). */
function accountHostnames(accounts: readonly string[]): string[] {
  return accounts.flatMap((a) => {
    const name = `${a.split('.')[0]!.toLowerCase().replace(/_/g, '-')}.localhost`;
    try {
      return [subjectAltNameOf(name).value];
    } catch {
      return [];
    }
  });
}

/** A specific bound address is a name clients use; the unspecified 0.0.0.0 and :: are not. */
function boundHost(host: string): string[] {
  if (isIP(host) !== 0 && /^(0\.0\.0\.0|[0:]+)$/.test(host)) return [];
  try {
    return [subjectAltNameOf(host).value];
  } catch {
    return [];
  }
}

function devCaLines(caPath: string, hostnames: readonly string[], notAfter: Date, newCa: boolean): string[] {
  return [
    `  TLS       certificate for ${hostnames.join(', ')} (until ${notAfter.toISOString().slice(0, 10)})`,
    `  trust     the dev CA ${caPath}${newCa ? ' (new: trust it once, later runs reuse it)' : ' (reused)'}; keep verification on.`,
    // The drivers' OCSP check has no responder to ask for a private CA (https://docs.snowflake.com/en/user-guide/ocsp).
    '            Snowflake drivers: turn OCSP checks off (no responder for a private CA).',
    `            Node, snowflake-sdk  NODE_EXTRA_CA_CERTS=${caPath} (read at start); configure({ disableOCSPChecks: true })`,
    `            Python connector     REQUESTS_CA_BUNDLE=${caPath} SSL_CERT_FILE=${caPath}; connect(…, disable_ocsp_checks=True)`,
    `            JDBC                 keytool -importcert -noprompt -file ${caPath} -keystore mock-truststore.jks -storepass changeit -alias snowflake-auth-mock`,
    '                                 java -Djavax.net.ssl.trustStore=mock-truststore.jks -Djavax.net.ssl.trustStorePassword=changeit …; URL disableOCSPChecks=true',
  ];
}

/** The user's certificate and key, checked to belong together before the server is started with them. */
function ownCertificate(certFile: string, keyFile: string, labels: { readonly cert: string; readonly key: string }): ServeTls {
  const cert = readPem(certFile, labels.cert);
  const key = readPem(keyFile, labels.key);
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(cert);
  } catch {
    throw new UsageError(`${labels.cert}: ${certFile} is not a PEM certificate`);
  }
  let matches: boolean;
  try {
    matches = parsed.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new UsageError(`${labels.key}: ${keyFile} is not a PEM private key (without a passphrase)`);
  }
  if (!matches) throw new UsageError(`${labels.key}: ${keyFile} is not the private key of the certificate in ${certFile}`);
  return {
    cert,
    key,
    lines: [
      `  TLS       your certificate ${certFile}: ${parsed.subjectAltName ?? parsed.subject} (until ${parsed.validTo})`,
      `  trust     clients must trust its issuer (${parsed.issuer.replace(/\n/g, ', ')}); keep verification on`,
    ],
  };
}

function readPem(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
