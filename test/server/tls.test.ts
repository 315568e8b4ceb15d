/**
 * The dev CA and server certificate of `serve --https` (server/tls.ts, issue #12): what is in them
 * (subjectAltNames, CA flags, key usages, identifiers, validity, key size), which files are kept and
 * with what mode, when the CA is reused and the server certificate reissued, and where the files go
 * by default.
 */
import { X509Certificate as NodeCertificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultTlsDir, ensureDevCertificates, subjectAltNameOf, TlsSetupError, type DevCertificates } from '../../server/tls.ts';

// The test reads certificates with the same library; tsyringe under it needs the polyfill first.
await import('reflect-metadata');
const x509 = await import('@peculiar/x509');

const DAY = 86_400_000;
const root = mkdtempSync(join(tmpdir(), 'sam-tls-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `d${++n}`);

function sans(pem: string): string[] {
  const ext = new x509.X509Certificate(pem).getExtension(x509.SubjectAlternativeNameExtension);
  return (ext?.names.items ?? []).map((g) => `${g.type}:${g.value}`);
}

describe('ensureDevCertificates: what is issued', () => {
  let made: DevCertificates;
  const now = Date.now();
  beforeAll(async () => {
    made = await ensureDevCertificates({ dir: freshDir(), hostnames: ['snowflake-mock', '10.0.0.5', '[fd00::1]', 'Mock.Example.Test'] });
  });

  it('covers localhost, *.localhost, 127.0.0.1, ::1 and every hostname (an IP literal as an IP entry)', () => {
    const names = sans(made.cert);
    expect(names.filter((s) => s.startsWith('dns:'))).toEqual(['dns:localhost', 'dns:*.localhost', 'dns:snowflake-mock', 'dns:mock.example.test']);
    expect(names.filter((s) => s.startsWith('ip:')).length).toBe(4);
    expect(made.hostnames).toEqual(['localhost', '*.localhost', '127.0.0.1', '::1', 'snowflake-mock', '10.0.0.5', 'fd00::1', 'mock.example.test']);
    // Node's own reading agrees, and its host check passes for each name.
    const cert = new NodeCertificate(made.cert);
    for (const host of ['localhost', '127.0.0.1', '::1', 'snowflake-mock', '10.0.0.5', 'fd00::1', 'mock.example.test']) {
      expect(cert.checkHost(host) ?? cert.checkIP(host), host).toBeTruthy();
    }
    expect(cert.checkHost('other.example.test')).toBeUndefined();
  });

  it('the CA: CA:true (critical), keyCertSign|cRLSign (critical), self-signed, about ten years', async () => {
    const ca = new x509.X509Certificate(made.ca);
    const constraints = ca.getExtension(x509.BasicConstraintsExtension)!;
    expect([constraints.ca, constraints.critical]).toEqual([true, true]);
    const usage = ca.getExtension(x509.KeyUsagesExtension)!;
    expect([usage.usages, usage.critical]).toEqual([x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true]);
    expect(ca.subject).toBe(ca.issuer);
    expect(await ca.verify({ signatureOnly: true })).toBe(true);
    expect(ca.notAfter.getTime() - now).toBeGreaterThan(9 * 365 * DAY);
    expect(ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);
  });

  it('the server certificate: CA:false, digitalSignature|keyEncipherment, serverAuth, key identifiers, signed by the CA', async () => {
    const leaf = new x509.X509Certificate(made.cert);
    const ca = new x509.X509Certificate(made.ca);
    const constraints = leaf.getExtension(x509.BasicConstraintsExtension)!;
    expect([constraints.ca, constraints.critical]).toEqual([false, true]);
    const usage = leaf.getExtension(x509.KeyUsagesExtension)!;
    expect([usage.usages, usage.critical]).toEqual([x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true]);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
    expect(leaf.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);
    expect(leaf.issuer).toBe(ca.subject);
    expect(await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
    expect(new NodeCertificate(made.cert).checkIssued(new NodeCertificate(made.ca))).toBe(true);
  });

  it('the server certificate is valid now and for at most 397 days; RSA 2048 with SHA-256', () => {
    const leaf = new NodeCertificate(made.cert);
    expect(leaf.validFromDate.getTime()).toBeLessThanOrEqual(now);
    expect(leaf.validToDate.getTime() - leaf.validFromDate.getTime()).toBeLessThanOrEqual(397 * DAY);
    expect(leaf.validToDate.getTime() - now).toBeGreaterThan(60 * DAY);
    expect(made.notAfter.getTime()).toBe(leaf.validToDate.getTime());
    expect(leaf.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048 });
    expect(new x509.X509Certificate(made.cert).signatureAlgorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } });
  });

  it('writes ca.pem, cert.pem and key.pem, the private keys mode 0600', () => {
    expect(readFileSync(made.caPath, 'utf8')).toBe(made.ca);
    expect(readFileSync(made.certPath, 'utf8')).toBe(made.cert);
    expect(readFileSync(made.keyPath, 'utf8')).toBe(made.key);
    expect(new NodeCertificate(made.cert).checkPrivateKey(createPrivateKey(made.key))).toBe(true);
    if (process.platform === 'win32') return;
    expect(statSync(made.keyPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(made.dir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
  });
});

describe('ensureDevCertificates: reuse and reissue', () => {
  it('reuses the CA and the certificate across calls (the CA is trusted once)', async () => {
    const dir = freshDir();
    const first = await ensureDevCertificates({ dir, hostnames: ['a-host'] });
    const second = await ensureDevCertificates({ dir, hostnames: ['a-host'] });
    expect(first.created).toEqual({ ca: true, leaf: true });
    expect(second.created).toEqual({ ca: false, leaf: false });
    expect([second.ca, second.cert, second.key]).toEqual([first.ca, first.cert, first.key]);
  });

  it('a hostname the certificate does not cover: a new certificate from the same CA', async () => {
    const dir = freshDir();
    const first = await ensureDevCertificates({ dir, hostnames: ['a-host'] });
    const second = await ensureDevCertificates({ dir, hostnames: ['b-host'] });
    expect(second.created).toEqual({ ca: false, leaf: true });
    expect(second.ca).toBe(first.ca);
    expect(sans(second.cert)).toContain('dns:b-host');
    expect(new NodeCertificate(second.cert).checkIssued(new NodeCertificate(first.ca))).toBe(true);
    // The defaults alone are covered by any certificate: no reissue.
    expect((await ensureDevCertificates({ dir })).created).toEqual({ ca: false, leaf: false });
  });

  it('reissues the certificate when fewer than 30 days are left, not before', async () => {
    const dir = freshDir();
    const first = await ensureDevCertificates({ dir });
    const left = (days: number): Date => new Date(first.notAfter.getTime() - days * DAY);
    expect((await ensureDevCertificates({ dir, now: left(31) })).created).toEqual({ ca: false, leaf: false });
    const renewed = await ensureDevCertificates({ dir, now: left(29) });
    expect(renewed.created).toEqual({ ca: false, leaf: true });
    expect(renewed.notAfter.getTime()).toBeGreaterThan(first.notAfter.getTime());
  });

  it('a key that does not belong to its certificate is replaced', async () => {
    const dir = freshDir();
    const first = await ensureDevCertificates({ dir });
    writeFileSync(first.keyPath, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const again = await ensureDevCertificates({ dir });
    expect(again.created).toEqual({ ca: false, leaf: true });
    expect(new NodeCertificate(again.cert).checkPrivateKey(createPrivateKey(again.key))).toBe(true);
  });

  it('a CA that is gone is made anew, and with it the certificate', async () => {
    const dir = freshDir();
    const first = await ensureDevCertificates({ dir });
    rmSync(join(dir, 'ca-key.pem'));
    const again = await ensureDevCertificates({ dir });
    expect(again.created).toEqual({ ca: true, leaf: true });
    expect(again.ca).not.toBe(first.ca);
    expect(new NodeCertificate(again.cert).checkIssued(new NodeCertificate(again.ca))).toBe(true);
  });
});

describe('names', () => {
  it('an IP literal is an IP entry, in one canonical form', () => {
    expect(subjectAltNameOf('10.0.0.5')).toEqual({ type: 'ip', value: '10.0.0.5' });
    expect(subjectAltNameOf('0:0:0:0:0:0:0:1')).toEqual({ type: 'ip', value: '::1' });
    expect(subjectAltNameOf('[FD00::1]')).toEqual({ type: 'ip', value: 'fd00::1' });
    expect(subjectAltNameOf('Snowflake-Mock.lan.')).toEqual({ type: 'dns', value: 'snowflake-mock.lan' });
    expect(subjectAltNameOf('*.mock.test')).toEqual({ type: 'dns', value: '*.mock.test' });
  });

  it('anything else is refused with a clear error', async () => {
    for (const bad of ['http://mock', 'mock:4010', 'a b', '-mock', 'mock-', 'a..b', '1.2.3.999', 'mo*ck.test', 'a.*.test', '', 'x'.repeat(64)]) {
      expect(() => subjectAltNameOf(bad), bad).toThrow(TlsSetupError);
    }
    expect(() => subjectAltNameOf('a b')).toThrow(/"a b" is neither an IP address nor a DNS name/);
    await expect(ensureDevCertificates({ dir: freshDir(), hostnames: ['not a name'] })).rejects.toThrow(TlsSetupError);
  });

  it('an IPv6 address with a zone is refused as a TlsSetupError naming it (net.isIP takes it; a certificate and a URL cannot)', () => {
    for (const zoned of ['fe80::1%eth0', '[fe80::1%eth0]', 'fe80::1%25eth0', 'fe80::1%1']) {
      expect(() => subjectAltNameOf(zoned), zoned).toThrow(TlsSetupError);
      expect(() => subjectAltNameOf(zoned), zoned).toThrow(`"${zoned}" is an IPv6 address with a zone (the part from %); a certificate cannot name a zone: give the address without it`);
    }
    // Without the zone it is an ordinary IP entry.
    expect(subjectAltNameOf('fe80::1')).toEqual({ type: 'ip', value: 'fe80::1' });
  });
});

describe('defaultTlsDir', () => {
  const saved = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is ~/.snowflake-auth-mock/tls', () => {
    process.env.HOME = join(root, 'home');
    mkdirSync(process.env.HOME, { recursive: true });
    expect(defaultTlsDir()).toBe(join(root, 'home', '.snowflake-auth-mock', 'tls'));
  });

  it.skipIf(process.platform === 'win32')('falls back to a private per-user folder under the temporary directory when home cannot be written', async () => {
    // A file as HOME: nothing can be made under it, even by root.
    process.env.HOME = join(root, 'home-is-a-file');
    writeFileSync(process.env.HOME, '');
    process.env.TMPDIR = join(root, 'tmp');
    mkdirSync(process.env.TMPDIR, { recursive: true });
    const dir = defaultTlsDir();
    expect(dir).toBe(join(root, 'tmp', `snowflake-auth-mock-${process.getuid!()}`, 'tls'));
    expect(statSync(join(dir, '..')).mode & 0o077).toBe(0);
    const made = await ensureDevCertificates();
    expect(made.caPath).toBe(join(dir, 'ca.pem'));
  });

  it.skipIf(process.platform === 'win32')('refuses a per-user folder that others can write (someone else may have made it)', () => {
    process.env.HOME = join(root, 'home-is-a-file-too');
    writeFileSync(process.env.HOME, '');
    process.env.TMPDIR = join(root, 'tmp-shared');
    const base = join(process.env.TMPDIR, `snowflake-auth-mock-${process.getuid!()}`);
    mkdirSync(base, { recursive: true });
    chmodSync(base, 0o777);
    expect(() => defaultTlsDir()).toThrow(/not a private directory/);
  });
});
