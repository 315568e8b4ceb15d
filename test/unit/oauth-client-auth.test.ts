/**
 * Client authentication at POST /oauth/token-request (https://docs.snowflake.com/en/user-guide/oauth-custom; client_secret_post as snowflake-sdk sends it,
 * https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/authentication/auth_oauth_client_credentials.ts).
 */
import { CompactSign } from 'jose';
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyJws, type JoseFailure } from '../../domain/auth/jws.ts';
import { importPublicKey } from '../../domain/keys/fingerprint.ts';
import { authenticateClient, clientJwtJoseProblem, type ClientAuthResult } from '../../domain/oauth/client-auth.ts';
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

describe('authenticateClient: secrets (https://docs.snowflake.com/en/user-guide/oauth-custom)', () => {
  it('accepts HTTP Basic (documented), scheme case-insensitive', async () => {
    expect(await authenticateClient({ authorization: basic('client-my_app', 'secret-my_app'), form: {} }, account(), NOW)).toMatchObject({ ok: true, method: 'client_secret_basic', integration: { name: 'MY_APP' } });
    const lower = basic('client-my_app', 'secret-my_app').replace('Basic', 'basic');
    expect((await authenticateClient({ authorization: lower, form: {} }, account(), NOW)).ok).toBe(true);
  });

  it('accepts Basic with url-encoded id and secret, and the same characters not encoded', async () => {
    const acc = account({ oauthClientId: 'my:client', oauthClientSecret: 'p@ss w+rd/=' });
    const encoded = basic(encodeURIComponent('my:client'), encodeURIComponent('p@ss w+rd/='));
    expect(await authenticateClient({ authorization: encoded, form: {} }, acc, NOW)).toMatchObject({ ok: true, method: 'client_secret_basic' });
    const plainSecret = account({ oauthClientSecret: 'p@ss w+rd/=' });
    expect((await authenticateClient({ authorization: basic('client-my_app', 'p@ss w+rd/='), form: {} }, plainSecret, NOW)).ok).toBe(true);
  });

  it('accepts body client_id + client_secret (what snowflake-sdk sends)', async () => {
    const r = await authenticateClient({ form: { client_id: 'client-my_app', client_secret: 'secret-my_app' } }, account(), NOW);
    expect(r).toMatchObject({ ok: true, method: 'client_secret_post' });
  });

  it('accepts OAUTH_CLIENT_SECRET_2', async () => {
    const acc = account({ oauthClientSecret2: 'second' });
    expect((await authenticateClient({ authorization: basic('client-my_app', 'second'), form: {} }, acc, NOW)).ok).toBe(true);
    expect((await authenticateClient({ form: { client_id: 'client-my_app', client_secret: 'second' } }, acc, NOW)).ok).toBe(true);
  });

  it('refuses a wrong secret', async () => {
    refused(await authenticateClient({ authorization: basic('client-my_app', 'wrong'), form: {} }, account(), NOW), 'invalid_client', 'CLIENT_SECRET_MISMATCH');
    refused(await authenticateClient({ form: { client_id: 'client-my_app', client_secret: 'wrong' } }, account(), NOW), 'invalid_client', 'CLIENT_SECRET_MISMATCH');
  });

  it('refuses an unknown client, a disabled one, and no credentials at all', async () => {
    refused(await authenticateClient({ authorization: basic('nope', 'x'), form: {} }, account(), NOW), 'invalid_client', 'CLIENT_UNKNOWN');
    refused(await authenticateClient({ authorization: basic('client-my_app', 'secret-my_app'), form: {} }, account({ enabled: false }), NOW), 'invalid_client', 'CLIENT_DISABLED');
    refused(await authenticateClient({ form: {} }, account(), NOW), 'invalid_client', 'CLIENT_CREDENTIALS_MISSING');
  });

  it('refuses a malformed Basic header and an unknown scheme', async () => {
    refused(await authenticateClient({ authorization: 'Basic !!!', form: {} }, account(), NOW), 'invalid_client', 'CLIENT_BASIC_MALFORMED');
    refused(await authenticateClient({ authorization: 'Basic ' + btoa('no-colon'), form: {} }, account(), NOW), 'invalid_client', 'CLIENT_BASIC_MALFORMED');
    refused(await authenticateClient({ authorization: 'Digest abc', form: {} }, account(), NOW), 'invalid_client', 'CLIENT_AUTH_SCHEME_UNSUPPORTED');
  });

  it('refuses a confidential client without a secret, accepts a PUBLIC client with client_id alone', async () => {
    refused(await authenticateClient({ form: { client_id: 'client-my_app' } }, account(), NOW), 'invalid_client', 'CLIENT_SECRET_MISSING');
    expect(await authenticateClient({ form: { client_id: 'client-my_app' } }, account({ oauthClientType: 'PUBLIC' }), NOW)).toMatchObject({ ok: true, method: 'public' });
  });

  it('refuses Basic plus a body client_secret with invalid_request (one method per request)', async () => {
    const r = await authenticateClient({ authorization: basic('client-my_app', 'secret-my_app'), form: { client_id: 'client-my_app', client_secret: 'secret-my_app' } }, account(), NOW);
    refused(r, 'invalid_request', 'CLIENT_AUTH_MULTIPLE_METHODS');
  });

  it('accepts a body client_id beside Basic only when it names the same client', async () => {
    const auth = basic('client-my_app', 'secret-my_app');
    expect((await authenticateClient({ authorization: auth, form: { client_id: 'client-my_app' } }, account(), NOW)).ok).toBe(true);
    refused(await authenticateClient({ authorization: auth, form: { client_id: 'client-other' } }, account(), NOW), 'invalid_client', 'CLIENT_ID_MISMATCH');
  });
});

// ---- client JWT (https://docs.snowflake.com/en/user-guide/oauth-custom, "Using key-pair authentication") ----

/** A client JWT signed by jose with a fixture key. */
function clientJwt(payload: Record<string, unknown>, key: FixtureKeyName = 'bob', alg = 'RS256', header: Record<string, unknown> = {}): Promise<string> {
  const crit = Array.isArray(header.crit) ? Object.fromEntries((header.crit as string[]).map((name) => [name, false])) : undefined;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(createPrivateKey(privateKeyPem(key)), { ...(crit && { crit }) });
}

function claims(fingerprint = slot('bob').fingerprint, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: `client-my_app.${fingerprint}`, sub: 'XY12345.client-my_app', iat: NOW / 1000, exp: NOW / 1000 + 30, ...extra };
}

const jwtAccount = () => account({ oauthClientRsaPublicKey: slot('bob') });
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, form: {} });

describe('authenticateClient: client JWT (https://docs.snowflake.com/en/user-guide/oauth-custom)', () => {
  it('accepts an RS256 client JWT signed with the integration key', async () => {
    expect(await authenticateClient(bearer(await clientJwt(claims())), jwtAccount(), NOW)).toMatchObject({ ok: true, method: 'client_jwt', integration: { name: 'MY_APP' } });
  });

  it('accepts the second key', async () => {
    const acc = account({ oauthClientRsaPublicKey: slot('alice'), oauthClientRsaPublicKey2: slot('bob', 'RSA_PUBLIC_KEY_2') });
    expect((await authenticateClient(bearer(await clientJwt(claims())), acc, NOW)).ok).toBe(true);
  });

  it('refuses a bad signature', async () => {
    // claims name bob's fingerprint, but alice signed
    refused(await authenticateClient(bearer(await clientJwt(claims(), 'alice')), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_SIGNATURE_INVALID');
  });

  it('refuses a fingerprint of no integration key, and an integration without keys', async () => {
    refused(await authenticateClient(bearer(await clientJwt(claims(slot('alice').fingerprint), 'alice')), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_FINGERPRINT_MISMATCH');
    refused(await authenticateClient(bearer(await clientJwt(claims())), account(), NOW), 'invalid_client', 'CLIENT_JWT_NOT_CONFIGURED');
  });

  it('refuses an expired JWT and one without exp', async () => {
    refused(await authenticateClient(bearer(await clientJwt(claims(undefined, { exp: NOW / 1000 - 1 }))), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_EXPIRED');
    refused(await authenticateClient(bearer(await clientJwt(claims(undefined, { exp: undefined }))), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_EXPIRY_MISSING');
  });

  it('refuses a sub that is not <account_locator>.<client_id>', async () => {
    const r = await authenticateClient(bearer(await clientJwt(claims(undefined, { sub: 'MYORG-MYACCOUNT.client-my_app' }))), jwtAccount(), NOW);
    expect(refused(r, 'invalid_client', 'CLIENT_JWT_SUBJECT_MISMATCH')).toContain('"XY12345.client-my_app"');
  });

  it('refuses another algorithm, a malformed token and an iss without fingerprint', async () => {
    refused(await authenticateClient(bearer(await clientJwt(claims(), 'bob', 'RS512')), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_ALGORITHM');
    refused(await authenticateClient(bearer('not.a-jwt'), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_MALFORMED');
    refused(await authenticateClient(bearer(await clientJwt(claims(undefined, { iss: 'client-my_app' }))), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_MALFORMED');
  });

  it('refuses an unknown critical header extension (jose: ERR_JOSE_NOT_SUPPORTED) as malformed', async () => {
    const token = await clientJwt(claims(), 'bob', 'RS256', { crit: ['x-client'], 'x-client': 1 });
    expect(refused(await authenticateClient(bearer(token), jwtAccount(), NOW), 'invalid_client', 'CLIENT_JWT_MALFORMED')).toMatch(/Extension Header Parameter "x-client" is not recognized/);
  });

  it('checks the signature asynchronously (jose), answers every other refusal at once', async () => {
    expect(authenticateClient(bearer(await clientJwt(claims())), jwtAccount(), NOW)).toBeInstanceOf(Promise);
    expect(authenticateClient(bearer(await clientJwt(claims(), 'bob', 'RS512')), jwtAccount(), NOW)).not.toBeInstanceOf(Promise);
    expect(authenticateClient({ authorization: basic('client-my_app', 'secret-my_app'), form: {} }, account(), NOW)).not.toBeInstanceOf(Promise);
  });

  it('refuses a client JWT of a disabled integration', async () => {
    refused(await authenticateClient(bearer(await clientJwt(claims())), account({ oauthClientRsaPublicKey: slot('bob'), enabled: false }), NOW), 'invalid_client', 'CLIENT_DISABLED');
  });
});

describe('jose refusals keep their client-JWT causes', () => {
  const refusal = async (token: string, algorithms = ['RS256'], key: FixtureKeyName = 'bob'): Promise<JoseFailure> => {
    const failure = await verifyJws(token, slot(key).key, algorithms);
    if (!failure) throw new Error('expected jose to refuse the token');
    return failure;
  };
  const mapped = (failure: JoseFailure): ClientAuthResult => clientJwtJoseProblem(failure, slot('bob'), makeOAuthIntegration({ name: 'MY_APP' }));

  it('a tampered signature (ERR_JWS_SIGNATURE_VERIFICATION_FAILED) → CLIENT_JWT_SIGNATURE_INVALID', async () => {
    const token = await clientJwt(claims());
    const failure = await refusal(token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
    expect(failure.kind).toBe('signature');
    refused(mapped(failure), 'invalid_client', 'CLIENT_JWT_SIGNATURE_INVALID');
  });

  it('alg none and RS512 outside the allow-list (ERR_JOSE_ALG_NOT_ALLOWED) → CLIENT_JWT_ALGORITHM', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
    for (const token of [none, await clientJwt(claims(), 'bob', 'RS512')]) {
      const failure = await refusal(token);
      expect(failure.kind).toBe('algorithm');
      refused(mapped(failure), 'invalid_client', 'CLIENT_JWT_ALGORITHM');
    }
  });

  it('an ES256 token against the RSA key (jose refuses the key) → CLIENT_JWT_SIGNATURE_INVALID', async () => {
    const failure = await refusal(await clientJwt(claims(), 'ec-p256', 'ES256'), ['ES256']);
    expect(failure.kind).toBe('key');
    refused(mapped(failure), 'invalid_client', 'CLIENT_JWT_SIGNATURE_INVALID');
  });

  it('a malformed compact form (ERR_JWS_INVALID) → CLIENT_JWT_MALFORMED', async () => {
    const failure = await refusal('eyJhbGciOiJSUzI1NiJ9.e30');
    expect(failure.kind).toBe('malformed');
    refused(mapped(failure), 'invalid_client', 'CLIENT_JWT_MALFORMED');
  });
});
