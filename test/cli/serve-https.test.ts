/**
 * `snowflake-auth-mock serve --https` as a user runs it (cli/serve-tls.ts, issue #12): the banner
 * gives the https URL, the names the certificate covers and the dev CA with how each client trusts
 * it; the CA is kept and reused; `--hostname`, `--tls-cert`/`--tls-key` and `serve --replay
 * --https`; mistakes are usage errors (exit 2), an unusable TLS directory a start failure (exit 1).
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDevCertificates } from '../../server/tls.ts';
import { loginAnswer, loginBody, recordedLogin, recordingOf, writeRecordingDir } from '../helpers/replay-fixtures.ts';
import { caPathOf, runServe, startServe, useServeScratch } from '../helpers/serve-process.ts';

const scratch = useServeScratch('sam-serve-https-');
const { root, freshDir } = scratch;

/** POSTs a statement with ALICE's PAT over node:https, verification on with `tls.ca`. */
function statement(base: string, tls: RequestOptions): Promise<{ status: number; body: string } | { error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const req = httpsRequest(`${base}/api/v2/statements`, { method: 'POST', agent: false, headers: { authorization: 'Bearer pat-alice-ci', 'content-type': 'application/json' }, ...tls }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => resolve({ error }));
    req.end(JSON.stringify({ statement: 'SELECT CURRENT_USER()' }));
  });
}

describe('serve --https', () => {
  it('prints the https URL, the names covered and the dev CA with how to trust it; answers a client that trusts it', async () => {
    const dir = freshDir();
    scratch.running = await startServe(['serve', '--https', '--port', '0', '--tls-dir', dir]);
    const out = scratch.running.stdout();
    expect(scratch.running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(out).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+/);
    const ca = join(dir, 'ca.pem');
    expect(caPathOf(out)).toBe(ca);
    expect(out).toContain(`the dev CA ${ca} (new: trust it once`);
    expect(out).toMatch(/TLS {7}certificate for localhost, \*\.localhost, 127\.0\.0\.1, ::1, myorg-myaccount\.localhost, xy12345\.localhost \(until \d{4}-\d\d-\d\d\)/);
    expect(out).toContain(`NODE_EXTRA_CA_CERTS=${ca}`);
    expect(out).toContain(`REQUESTS_CA_BUNDLE=${ca} SSL_CERT_FILE=${ca}`);
    expect(out).toContain(`keytool -importcert -noprompt -file ${ca} -keystore mock-truststore.jks -storepass changeit -alias snowflake-auth-mock`);
    expect(out).toContain('-Djavax.net.ssl.trustStore=mock-truststore.jks');
    expect(out).toMatch(/accessUrl: 'https:\/\/127\.0\.0\.1:\d+'/);
    expect(out).toMatch(/\(or https:\/\/myorg-myaccount\.localhost:\d+\)/);
    const trusted = await statement(scratch.running.url, { ca: readFileSync(ca) });
    expect(trusted).toMatchObject({ status: 200 });
    expect(JSON.parse((trusted as { body: string }).body).data).toEqual([['ALICE']]);
    // An account's own host name is covered (a *.localhost wildcard would not do for Node or OpenSSL).
    expect(await statement(scratch.running.url, { ca: readFileSync(ca), servername: 'myorg-myaccount.localhost' })).toMatchObject({ status: 200 });
    const untrusted = await statement(scratch.running.url, {});
    expect('error' in untrusted && untrusted.error.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect((await scratch.running.stop()).code).toBe(0);
    scratch.running = undefined;
  });

  it('a second run reuses the CA; --hostname (repeatable, an IP as an IP) gets a new certificate from it', async () => {
    const dir = freshDir();
    scratch.running = await startServe(['serve', '--https', '--port', '0', '--tls-dir', dir]);
    await scratch.running.stop();
    const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
    scratch.running = await startServe(['serve', '--https', '--port', '0', '--tls-dir', dir, '--hostname', 'snowflake-mock', '--hostname=10.1.2.3']);
    expect(scratch.running.stdout()).toContain(`the dev CA ${join(dir, 'ca.pem')} (reused)`);
    expect(scratch.running.stdout()).toMatch(/certificate for [^\n]*snowflake-mock, 10\.1\.2\.3/);
    expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).toBe(ca);
    expect(await statement(scratch.running.url, { ca, servername: 'snowflake-mock' })).toMatchObject({ status: 200 });
  });

  it.skipIf(process.platform !== 'linux')('a specific --host is covered too (127.0.0.2: all of 127/8 is loopback on Linux)', async () => {
    const dir = freshDir();
    scratch.running = await startServe(['serve', '--https', '--host', '127.0.0.2', '--port', '0', '--tls-dir', dir]);
    expect(scratch.running.url).toMatch(/^https:\/\/127\.0\.0\.2:\d+$/);
    expect(scratch.running.stdout()).toMatch(/certificate for localhost, \*\.localhost, 127\.0\.0\.1, ::1, 127\.0\.0\.2, /);
    expect(await statement(scratch.running.url, { ca: readFileSync(join(dir, 'ca.pem')) })).toMatchObject({ status: 200 });
  });

  it('without --tls-dir the CA lives in ~/.snowflake-auth-mock/tls', async () => {
    const home = freshDir();
    mkdirSync(home);
    scratch.running = await startServe(['serve', '--https', '--port', '0'], { HOME: home });
    expect(caPathOf(scratch.running.stdout())).toBe(join(home, '.snowflake-auth-mock', 'tls', 'ca.pem'));
    expect(existsSync(join(home, '.snowflake-auth-mock', 'tls', 'key.pem'))).toBe(true);
  });

  it('--tls-cert/--tls-key serve your own certificate; no CA is made', async () => {
    const mine = await ensureDevCertificates({ dir: freshDir(), hostnames: ['my-host'] });
    const home = freshDir();
    mkdirSync(home);
    scratch.running = await startServe(['serve', '--https', '--port', '0', '--tls-cert', mine.certPath, '--tls-key', mine.keyPath], { HOME: home });
    expect(scratch.running.stdout()).toContain(`TLS       your certificate ${mine.certPath}: DNS:localhost`);
    expect(scratch.running.stdout()).toContain('clients must trust its issuer');
    expect(scratch.running.stdout()).not.toContain('the dev CA');
    expect(existsSync(join(home, '.snowflake-auth-mock'))).toBe(false);
    expect(await statement(scratch.running.url, { ca: mine.ca, servername: 'my-host' })).toMatchObject({ status: 200 });
  });

  it('serve --replay --https answers the recording over https', async () => {
    const LOGIN = '/session/v1/login-request';
    const recording = writeRecordingDir(recordingOf([{ url: `${LOGIN}?requestId=r1`, host: 'myorg-myaccount.localhost:4010', body: recordedLogin({ LOGIN_NAME: 'ALICE', PASSWORD: '__redacted_password_1__' }), response: loginAnswer(1) }], 'http://127.0.0.1:4010', 'alice-login'));
    const dir = freshDir();
    try {
      scratch.running = await startServe(['serve', '--replay', recording, '--https', '--port', '0', '--tls-dir', dir]);
      expect(scratch.running.stdout()).toMatch(/replaying "alice-login" on https:\/\/127\.0\.0\.1:\d+/);
      expect(scratch.running.stdout()).toMatch(/certificate for [^\n]*myorg-myaccount\.localhost/);
      const login = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(`${scratch.running!.url}${LOGIN}?requestId=x`, { method: 'POST', ca: readFileSync(join(dir, 'ca.pem')), headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(JSON.stringify(loginBody({ LOGIN_NAME: 'ALICE', PASSWORD: 'pw' })));
      });
      expect(login).toBe(200);
    } finally {
      rmSync(recording, { recursive: true, force: true });
    }
  });
});

describe('serve --https: mistakes', () => {
  it('a --hostname that is neither a DNS name nor an IP address is a usage error', async () => {
    const r = await runServe(['serve', '--https', '--port', '0', '--tls-dir', freshDir(), '--hostname', 'http://mock:4010']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--hostname: "http://mock:4010" is neither an IP address nor a DNS name');
  });

  it('TLS flags without --https, a certificate without its key, --hostname with your own certificate: usage errors', async () => {
    const noHttps = await runServe(['serve', '--port', '0', '--tls-dir', freshDir()]);
    expect([noHttps.code, noHttps.stderr]).toEqual([2, expect.stringContaining('--tls-dir applies to --https only')]);
    expect((await runServe(['serve', '--port', '0', '--hostname', 'mock'])).stderr).toContain('--hostname applies to --https only');
    const noKey = await runServe(['serve', '--https', '--port', '0', '--tls-cert', 'cert.pem']);
    expect([noKey.code, noKey.stderr]).toEqual([2, expect.stringContaining('--tls-cert needs --tls-key too')]);
    const both = await runServe(['serve', '--https', '--port', '0', '--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--hostname', 'mock']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('--hostname has no meaning with --tls-cert')]);
  });

  it('an unreadable certificate, or a key of another certificate, is a usage error', async () => {
    const missing = await runServe(['serve', '--https', '--port', '0', '--tls-cert', join(root, 'nope.pem'), '--tls-key', join(root, 'nope-key.pem')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining(`--tls-cert: cannot read ${join(root, 'nope.pem')}: no such file`)]);
    const a = await ensureDevCertificates({ dir: freshDir() });
    const b = await ensureDevCertificates({ dir: freshDir() });
    const mismatch = await runServe(['serve', '--https', '--port', '0', '--tls-cert', a.certPath, '--tls-key', b.keyPath]);
    expect([mismatch.code, mismatch.stderr]).toEqual([2, expect.stringContaining(`--tls-key: ${b.keyPath} is not the private key of the certificate in ${a.certPath}`)]);
  });

  it('a TLS directory that cannot be made: exit 1, naming it', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const r = await runServe(['serve', '--https', '--port', '0', '--tls-dir', join(file, 'tls')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot use ${join(file, 'tls')} as the TLS directory`);
    expect(r.stderr).toContain('pick another with --tls-dir');
  });
});
