import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TemplateError, parseTemplateString, renderTemplates, worldView, type TemplateScope } from '../../contracts/templates.ts';
import type { PublicKeySlot } from '../../domain/world/model.ts';
import { publicKeyPem } from '../helpers/keys.ts';
import { makeAccount, makeOAuthIntegration, makeOAuthToken, makePat, makeUser, makeWorld } from '../helpers/world-builder.ts';

const scope: TemplateScope = { vars: { token: 'tok-123', count: 3, ok: false, nothing: null, resp: { data: [['42']] } } };

/** Renders and returns the error it throws, so its text can be asserted exactly. */
function errorOf(value: unknown, s: TemplateScope): TemplateError {
  try {
    renderTemplates(value, s);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

/** A key slot with a chosen fingerprint; the key itself is irrelevant to the view. */
function slot(name: PublicKeySlot['slot'], fingerprint: string): PublicKeySlot {
  return { slot: name, fingerprint, key: createPublicKey(publicKeyPem('alice')), text: '' };
}

describe('renderTemplates: variables', () => {
  it('keeps the type of a string that is exactly one template', () => {
    expect(renderTemplates('{{ count }}', scope)).toBe(3);
    expect(renderTemplates('{{ok}}', scope)).toBe(false);
    expect(renderTemplates('{{ nothing }}', scope)).toBeNull();
    expect(renderTemplates('{{ resp }}', scope)).toEqual({ data: [['42']] });
  });

  it('interpolates into surrounding text, whitespace inside braces optional', () => {
    expect(renderTemplates('Bearer {{ token }}', scope)).toBe('Bearer tok-123');
    expect(renderTemplates('{{token}}/{{  count  }}', scope)).toBe('tok-123/3');
    expect(renderTemplates(' {{ count }}', scope)).toBe(' 3');
    expect(renderTemplates('v={{ resp }} {{ nothing }} {{ ok }}', scope)).toBe('v={"data":[["42"]]} null false');
  });

  it('follows a dotted path into a variable', () => {
    expect(renderTemplates('{{ resp.data.0.0 }}', scope)).toBe('42');
  });

  it('walks objects and arrays, leaves keys and non-strings alone, and does not mutate', () => {
    const input = { headers: { '{{ token }}': 'Bearer {{ token }}' }, list: ['{{ count }}', 7, true, null], n: 1 };
    const copy = structuredClone(input);
    expect(renderTemplates(input, scope)).toEqual({ headers: { '{{ token }}': 'Bearer tok-123' }, list: [3, 7, true, null], n: 1 });
    expect(input).toEqual(copy);
  });

  it('fails loudly on an unknown name, listing the known variables', () => {
    const error = errorOf({ bearer: '{{ tokn }}' }, scope);
    expect(error.message).toBe('unknown variable "tokn" in {{ tokn }}; known variables: count, nothing, ok, resp, token (plus world.… and env.…)');
    expect(error.template).toBe('{{ tokn }}');
    expect(error.known).toEqual(['count', 'nothing', 'ok', 'resp', 'token']);
    expect(errorOf('{{ x }}', { vars: {} }).message).toBe('unknown variable "x" in {{ x }}; known variables: (none yet) (plus world.… and env.…)');
  });

  it('fails on a path into a variable that does not exist, or a variable that is undefined', () => {
    expect(errorOf('{{ resp.body }}', scope).message).toBe('{{ resp.body }}: resp has no "body" (known: data)');
    expect(errorOf('{{ u }}', { vars: { u: undefined } }).message).toBe('{{ u }}: u is undefined');
  });

  it('treats \\{{ as a literal {{', () => {
    expect(renderTemplates('\\{{ token }}', scope)).toBe('{{ token }}');
    expect(renderTemplates('a \\{{ b }} {{ count }}', scope)).toBe('a {{ b }} 3');
  });

  it('rejects unclosed and empty templates', () => {
    expect(errorOf('x {{ token', scope).message).toBe('unclosed template in "x {{ token" (write \\{{ for a literal "{{")');
    expect(errorOf('{{ }}', scope).message).toMatch(/^malformed template \{\{ \}\}/);
    expect(errorOf('{{ a b }}', scope).message).toMatch(/^malformed template \{\{ a b \}\}/);
  });

  it('splits strings into literal and template parts', () => {
    expect(parseTemplateString('Bearer {{ token }}!')).toEqual([{ text: 'Bearer ' }, { name: 'token', raw: '{{ token }}' }, { text: '!' }]);
  });
});

describe('renderTemplates: env', () => {
  it('reads environment variables', () => {
    expect(renderTemplates('{{ env.SNOWFLAKE_PAT }}', { vars: {}, env: { SNOWFLAKE_PAT: 'secret' } })).toBe('secret');
  });

  it('fails when the variable is not set, or no env is given', () => {
    expect(errorOf('{{ env.MISSING }}', { vars: {}, env: {} }).message).toBe('environment variable MISSING is not set (used in {{ env.MISSING }})');
    expect(errorOf('{{ env.X }}', { vars: {} }).message).toBe('environment variable X is not set (used in {{ env.X }})');
  });
});

describe('worldView and {{ world.… }}', () => {
  const alice = makeUser({
    name: 'ALICE', loginName: 'alice_login', password: 'pw',
    rsaPublicKey: slot('RSA_PUBLIC_KEY', 'SHA256:one='), rsaPublicKey2: slot('RSA_PUBLIC_KEY_2', 'SHA256:two='),
    programmaticAccessTokens: [makePat({ name: 'CI', secret: 'pat-ci' })],
  });
  const bob = makeUser({ name: 'BOB' });
  const world = makeWorld({
    accounts: [
      makeAccount({
        users: [alice, bob],
        securityIntegrations: [makeOAuthIntegration({ name: 'MY_APP', oauthClientId: 'cid', oauthClientSecret: 'csecret' })],
        oauthAccessTokens: [makeOAuthToken({ token: 'tok-a1', user: 'ALICE' }), makeOAuthToken({ token: 'tok-a2', user: 'ALICE' })],
      }),
      makeAccount({ name: 'MYORG-OTHER', locator: 'ZZ99999', users: [makeUser({ name: 'CAROL', programmaticAccessTokens: [makePat({ name: 'X', secret: 'pat-x' })] })] }),
    ],
  });
  const view = worldView(world);
  const w: TemplateScope = { vars: {}, world: view };

  it('builds the plain view: first account on top, every account under accounts.<NAME>', () => {
    expect(view.account).toEqual({ name: 'MYORG-MYACCOUNT', locator: 'XY12345' });
    expect(view.users.ALICE).toEqual({
      name: 'ALICE', login_name: 'ALICE_LOGIN', password: 'pw', pat: { CI: 'pat-ci' }, fingerprint: { 1: 'SHA256:one=', 2: 'SHA256:two=' },
    });
    expect(view.users.BOB).toEqual({ name: 'BOB', login_name: 'BOB', pat: {}, fingerprint: {} });
    expect(view.integrations).toEqual({ MY_APP: { client_id: 'cid', client_secret: 'csecret' } });
    expect(view.oauth_tokens).toEqual({ 'tok-a1': 'tok-a1', 'tok-a2': 'tok-a2', by_user: { ALICE: 'tok-a1' } });
    expect(Object.keys(view.accounts)).toEqual(['MYORG-MYACCOUNT', 'MYORG-OTHER']);
    expect(view.accounts['MYORG-OTHER']).toMatchObject({ name: 'MYORG-OTHER', locator: 'ZZ99999', account: { name: 'MYORG-OTHER' }, users: { CAROL: { pat: { X: 'pat-x' } } } });
  });

  it('resolves world paths in templates', () => {
    expect(renderTemplates('{{ world.users.ALICE.pat.CI }}', w)).toBe('pat-ci');
    expect(renderTemplates('{{ world.users.ALICE.fingerprint.2 }}', w)).toBe('SHA256:two=');
    expect(renderTemplates('{{ world.integrations.MY_APP.client_id }}:{{ world.integrations.MY_APP.client_secret }}', w)).toBe('cid:csecret');
    expect(renderTemplates('{{ world.oauth_tokens.by_user.ALICE }}', w)).toBe('tok-a1');
    expect(renderTemplates('{{ world.accounts.MYORG-OTHER.users.CAROL.pat.X }}', w)).toBe('pat-x');
    expect(renderTemplates('{{ world.account.locator }}', w)).toBe('XY12345');
  });

  it('falls back to upper case for names written as in SQL, but keeps field names exact', () => {
    expect(renderTemplates('{{ world.users.alice.pat.ci }}', w)).toBe('pat-ci');
    expect(renderTemplates('{{ world.integrations.my_app.client_id }}', w)).toBe('cid');
    expect(errorOf('{{ world.users.ALICE.PAT.CI }}', w).message).toBe('{{ world.users.ALICE.PAT.CI }}: world.users.ALICE has no "PAT" (known: name, login_name, password, pat, fingerprint)');
  });

  it('fails with the keys known at the level where the path broke', () => {
    const error = errorOf('{{ world.users.DAVE.pat.CI }}', w);
    expect(error.message).toBe('{{ world.users.DAVE.pat.CI }}: world.users has no "DAVE" (known: ALICE, BOB)');
    expect(error.known).toEqual(['ALICE', 'BOB']);
    expect(errorOf('{{ world.users.BOB.password }}', w).message).toBe('{{ world.users.BOB.password }}: world.users.BOB has no "password" (known: name, login_name, pat, fingerprint)');
    expect(errorOf('{{ world.users.constructor }}', w).message).toMatch(/has no "constructor"/);
  });

  it('fails when no world is available', () => {
    expect(errorOf('{{ world.account.name }}', { vars: {} }).message).toBe('{{ world.account.name }}: no world is available here');
  });
});
