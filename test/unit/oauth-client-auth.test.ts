/**
 * Client authentication at POST /oauth/token-request (reference §1.4, §2.5; drivers §3.6).
 */
import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importPublicKey } from '../../domain/keys/fingerprint.ts';
import { authenticateClient, type ClientAuthResult } from '../../domain/oauth/client-auth.ts';
import type { Account, OAuthIntegration, PublicKeySlot } from '../../domain/world/model.ts';
import { privateKeyPem, publicKeyPem, type FixtureKeyName } from '../helpers/keys.ts';
import { T0, makeAccount, makeOAuthIntegration } from '../helpers/world-builder.ts';

const NOW = T0;
const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');

function slot(name: FixtureKeyName, which: PublicKeySlot['slot'] = 'RSA_PUBLIC_KEY'): PublicKeySlot {
  const k = importPublicKey(publicKeyPem(name));
  return { slot: which, fingerprint: k.fingerprint, key: k.key, text: k.body };
}

function account(...integrations: Partial<OAuthIntegration>[]): Account {
  const list = integrations.length === 0 ? [{}] : integrations;
  return makeAccount({ locator: 'XY12345', securityIntegrations: list.map((i) => makeOAuthIntegration({ name: 'MY_APP', ...i })) });
}

function refused(r: ClientAuthResult, code: string, cause: string): string {
  if (r.ok) throw new Error(`expected ${cause}, got success (${r.method})`);
  expect(r.rejection).toMatchObject({ code, cause });
  return r.rejection.explanation;
}

describe('authenticateClient: secrets (reference §1.4)', () => {
  it('accepts HTTP Basic (documented), scheme case-insensitive', () => {
    expect(authenticateClient({ authorization: basic('client-my_app', 'secret-my_app'), form: {} }, account(), NOW)).toMatchObject({ ok: true, method: 'client_secret_basic', integration: { name: 'MY_APP' } });
    const lower = basic('client-my_app', 'secret-my_app').replace('Basic', 'basic');
    expect(authenticateClient({ authorization: lower, form: {} }, account(), NOW).ok).toBe(true);
  });

  it('accepts Basic with url-encoded id and secret, and the same characters not encoded', () => {
    const acc = account({ oauthClientId: 'my:client', oauthClientSecret: 'p@ss w+rd/=' });
    const encoded = basic(encodeURIComponent('my:client'), encodeURIComponent('p@ss w+rd/='));
    expect(authenticateClient({ authorization: encoded, form: {} }, acc, NOW)).toMatchObject({ ok: true, method: 'client_secret_basic' });
    const plainSecret = account({ oauthClientSecret: 'p@ss w+rd/=' });
    expect(authenticateClient({ authorization: basic('client-my_app', 'p@ss w+rd/='), form: {} }, plainSecret, NOW).ok).toBe(true);
  });

  it('accepts body client_id + client_secret (what snowflake-sdk sends)', () => {
    const r = authenticateClient({ form: { client_id: 'client-my_app', client_secret: 'secret-my_app' } }, account(), NOW);
    expect(r).toMatchObject({ ok: true, method: 'client_secret_post' });
  });

  it('accepts OAUTH_CLIENT_SECRET_2', () => {
    const acc = account({ oauthClientSecret2: 'second' });
    expect(authenticateClient({ authorization: basic('client-my_app', 'second'), form: {} }, acc, NOW).ok).toBe(true);
    expect(authenticateClient({ form: { client_id: 'client-my_app', client_secret: 'second' } }, acc, NOW).ok).toBe(true);
  });

  it('refuses a wrong secret', () => {
    refused(authenticateClient({ authorization: basic('client-my_app', 'wrong'), form: {} }, account(), NOW), 'invalid_client', 'CLIENT_SECRET_MISMATCH');
    refused(authenticateClient({ form: { client_id: 'client-my_app', client_secret: 'wrong' } }, account(), NOW), 'invalid_client', 'CLIENT_SECRET_MISMATCH');
  });

  it('refuses an unknown client, a disabled one, and no credentials at all', () => {
    refused(authenticateClient({ authorization: basic('nope', 'x'), form: {} }, account(), NOW), 'invalid_client', 'CLIENT_UNKNOWN');
    refused(authenticateClient({ authorization: basic('client-my_app', 'secret-my_app'), form: {} }, account({ enabled: false }), NOW), 'invalid_client', 'CLIENT_DISABLED');
    refused(authenticateClient({ form: {} }, account(), NOW), 'invalid_client', 'CLIENT_CREDENTIALS_MISSING');
  });

  it('refuses a malformed Basic header and an unknown scheme', () => {
    refused(authenticateClient({ authorization: 'Basic !!!', form: {} }, account(), NOW), 'invalid_client', 'CLIENT_BASIC_MALFORMED');
    refused(authenticateClient({ authorization: 'Basic ' + btoa('no-colon'), form: {} }, account(), NOW), 'invalid_client', 'CLIENT_BASIC_MALFORMED');
    refused(authenticateClient({ authorization: 'Digest abc', form: {} }, account(), NOW), 'invalid_client', 'CLIENT_AUTH_SCHEME_UNSUPPORTED');
  });

  it('refuses a confidential client without a secret, accepts a PUBLIC client with client_id alone', () => {
    refused(authenticateClient({ form: { client_id: 'client-my_app' } }, account(), NOW), 'invalid_client', 'CLIENT_SECRET_MISSING');
    expect(authenticateClient({ form: { client_id: 'client-my_app' } }, account({ oauthClientType: 'PUBLIC' }), NOW)).toMatchObject({ ok: true, method: 'public' });
  });

  it('refuses Basic plus a body client_secret with invalid_request (one method per request)', () => {
    const r = authenticateClient({ authorization: basic('client-my_app', 'secret-my_app'), form: { client_id: 'client-my_app', client_secret: 'secret-my_app' } }, account(), NOW);
    refused(r, 'invalid_request', 'CLIENT_AUTH_MULTIPLE_METHODS');
  });

  it('accepts a body client_id beside Basic only when it names the same client', () => {
    const auth = basic('client-my_app', 'secret-my_app');
    expect(authenticateClient({ authorization: auth, form: { client_id: 'client-my_app' } }, account(), NOW).ok).toBe(true);
    refused(authenticateClient({ authorization: auth, form: { client_id: 'client-other' } }, account(), NOW), 'invalid_client', 'CLIENT_ID_MISMATCH');
  });
});

// ---- client JWT (reference §1.4 "Using key-pair authentication", §2.5) ----

function clientJwt(payload: Record<string, unknown>, key: FixtureKeyName = 'bob', alg = 'RS256'): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg, typ: 'JWT' })}.${enc(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKeyPem(key)).toString('base64url')}`;
}

function claims(fingerprint = slot('bob').fingerprint, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: `client-my_app.${fingerprint}`, sub: 'XY12345.client-my_app', iat: NOW / 1000, exp: NOW / 1000 + 30, ...extra };
}

const jwtAccount = () => account({ oauthClientRsaPublicKey: slot('bob') });
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, form: {} });

describe('authenticateClient: client JWT (reference §1.4, §2.5)', () => {
  it('accepts an RS256 client JWT signed with the integration key', () => {
    expect(authenticateClient(bearer(clientJwt(claims())), jwtAccount(), NOW)).toMatchObject({ ok: true, method: 'client_jwt', integration: { name: 'MY_APP' } });
  });

  it('accepts the second key', () => {
    const acc = account({ oauthClientRsaPublicKey: slot('alice'), oauthClientRsaPublicKey2: slot('bob', 'RSA_PUBLIC_KEY_2') });
    expect(authenticateClient(bearer(clientJwt(claims())), acc, NOW).ok).toBe(true);
  });

  it('refuses a bad signature', () => {
    // claims name bob's fingerprint, but alice signed
    refused(authenticateClient(bearer(clientJwt(claims(), 'alice')), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_SIGNATURE_INVALID');
  });

  it('refuses a fingerprint of no integration key, and an integration without keys', () => {
    refused(authenticateClient(bearer(clientJwt(claims(slot('alice').fingerprint), 'alice')), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_FINGERPRINT_MISMATCH');
    refused(authenticateClient(bearer(clientJwt(claims())), account(), NOW), 'invalid_client', 'CLIENT_JWT_NOT_CONFIGURED');
  });

  it('refuses an expired JWT and one without exp', () => {
    refused(authenticateClient(bearer(clientJwt(claims(undefined, { exp: NOW / 1000 - 1 }))), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_EXPIRED');
    refused(authenticateClient(bearer(clientJwt(claims(undefined, { exp: undefined }))), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_EXPIRY_MISSING');
  });

  it('refuses a sub that is not <account_locator>.<client_id>', () => {
    const r = authenticateClient(bearer(clientJwt(claims(undefined, { sub: 'MYORG-MYACCOUNT.client-my_app' }))), jwtAccount(), NOW);
    expect(refused(r, 'invalid_client', 'CLIENT_JWT_SUBJECT_MISMATCH')).toContain('"XY12345.client-my_app"');
  });

  it('refuses another algorithm, a malformed token and an iss without fingerprint', () => {
    refused(authenticateClient(bearer(clientJwt(claims(), 'bob', 'RS512')), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_ALGORITHM');
    refused(authenticateClient(bearer('not.a-jwt'), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_MALFORMED');
    refused(authenticateClient(bearer(clientJwt(claims(undefined, { iss: 'client-my_app' }))), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_MALFORMED');
  });

  it('refuses a client JWT of a disabled integration', () => {
    refused(authenticateClient(bearer(clientJwt(claims())), account({ oauthClientRsaPublicKey: slot('bob'), enabled: false }), NOW), 'invalid_client', 'CLIENT_DISABLED');
  });
});
