/**
 * Snowflake OAuth over real fetch (msw): rules the scenarios do not reach — HTML escaping of the
 * pages, consent ids single-use and short-lived, the remembered Basic credentials after a change,
 * and codes and refresh tokens bound to their account.
 */
import { describe, expect, it } from 'vitest';
import type { WorldConfig } from '../../domain/world/config.ts';
import { useMock } from '../helpers/msw.ts';
import { MAX_PENDING_CONSENTS } from '../../http/endpoints/oauth-authorize.ts';

const app = (name: string, id: string) => ({
  name, type: 'oauth' as const, oauth_client: 'custom' as const, oauth_client_type: 'confidential' as const,
  oauth_redirect_uri: 'https://app.example.com/cb', oauth_client_id: id, oauth_client_secret: `${id}-secret`,
});
const account = (name: string, locator: string) => ({
  name, locator, roles: ['ANALYST'], network_policy: 'OPEN', network_policies: [{ name: 'OPEN', allowed_ip_list: ['0.0.0.0/0'] }],
  users: [{ name: 'ALICE', login_name: 'alice', password: 'alice-password', default_role: 'ANALYST', roles: ['ANALYST'] }],
  security_integrations: [{ ...app('AUTO', 'auto-client'), mock_auto_consent: true }, app('PAGES', 'pages-client')],
});
const world: WorldConfig = { clock: { start: '2026-03-01T12:00:00Z' }, accounts: [account('MYORG-ONE', 'AA11111'), account('MYORG-TWO', 'BB22222')] };
const mock = useMock({ world });

const ONE = 'https://myorg-one.snowflakecomputing.com';
const TWO = 'https://myorg-two.snowflakecomputing.com';
const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string): string => 'Basic ' + Buffer.from(`${id}:${id}-secret`).toString('base64');

async function authorizeForm(host: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${host}/oauth/authorize`, { method: 'POST', headers: { 'content-type': FORM }, body: new URLSearchParams(fields), redirect: 'manual' });
}
async function code(host: string): Promise<string> {
  const q = new URLSearchParams({ client_id: 'auto-client', response_type: 'code', redirect_uri: 'https://app.example.com/cb', scope: 'refresh_token', login_hint: 'alice' });
  const res = await fetch(`${host}/oauth/authorize?${q}`, { redirect: 'manual' });
  return new URL(res.headers.get('location')!).searchParams.get('code')!;
}
async function token(host: string, form: Record<string, string>, client = 'auto-client'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${host}/oauth/token-request`, { method: 'POST', headers: { authorization: basic(client), 'content-type': FORM }, body: new URLSearchParams(form) });
  return { status: res.status, body: await res.json() };
}
const exchange = async (host: string, c: string) => token(host, { grant_type: 'authorization_code', code: c, redirect_uri: 'https://app.example.com/cb' });

describe('OAuth pages', () => {
  it('escape what the request puts on them (no markup from the query or the form)', async () => {
    const evil = '"><script>alert(1)</script>';
    const q = new URLSearchParams({ client_id: 'pages-client', response_type: 'code', redirect_uri: 'https://app.example.com/cb', state: evil });
    const page = await (await fetch(`${ONE}/oauth/authorize?${q}`)).text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#34;&#62;&#60;script&#62;');
    const again = await (await authorizeForm(ONE, { step: 'login', client_id: 'pages-client', response_type: 'code', redirect_uri: 'https://app.example.com/cb', login_name: evil, password: 'x' })).text();
    expect(again).not.toContain('<script>');
    expect(again).toContain('Incorrect username or password');
  });

  it('a consent id works once, and not after 10 minutes', async () => {
    const open = async (): Promise<string> => {
      const page = await (await authorizeForm(ONE, { step: 'login', client_id: 'pages-client', response_type: 'code', redirect_uri: 'https://app.example.com/cb', login_name: 'alice', password: 'alice-password' })).text();
      return /name="consent_id" value="([^"]+)"/.exec(page)![1]!;
    };
    const first = await open();
    expect((await authorizeForm(ONE, { step: 'consent', consent_id: first, decision: 'allow' })).status).toBe(302);
    expect((await authorizeForm(ONE, { step: 'consent', consent_id: first, decision: 'allow' })).status).toBe(400);
    const late = await open();
    mock.clock.advance('10m');
    expect((await authorizeForm(ONE, { step: 'consent', consent_id: late, decision: 'allow' })).status).toBe(400);
  });

  it('open consent pages are bounded: past MAX_PENDING_CONSENTS the oldest is forgotten (issue #14)', async () => {
    // Straight to the core (no fetch): thousands of sign-ins in well under a second.
    const signIn = (): string => {
      const body = new URLSearchParams({ step: 'login', client_id: 'pages-client', response_type: 'code', redirect_uri: 'https://app.example.com/cb', login_name: 'alice', password: 'alice-password' }).toString();
      const r = mock.core.handle({ method: 'POST', host: 'myorg-one.snowflakecomputing.com', path: '/oauth/authorize', query: '', clientIp: '127.0.0.1', headers: { 'content-type': FORM }, body }) as { body: string };
      return /name="consent_id" value="([^"]+)"/.exec(r.body)![1]!;
    };
    const oldest = signIn();
    const second = signIn();
    for (let i = 2; i < MAX_PENDING_CONSENTS; i++) signIn();
    signIn(); // one past the cap: the oldest goes
    expect((await authorizeForm(ONE, { step: 'consent', consent_id: oldest, decision: 'allow' })).status).toBe(400);
    expect((await authorizeForm(ONE, { step: 'consent', consent_id: second, decision: 'allow' })).status).toBe(302);
  });
});

describe('token endpoint', () => {
  it('remembered Basic credentials stop working when the integration is disabled', async () => {
    expect((await exchange(ONE, await code(ONE))).status).toBe(200);
    const c = await code(ONE);
    mock.world.forAccount('MYORG-ONE').setIntegrationEnabled('AUTO', false);
    const refused = await exchange(ONE, c);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
  });

  it('a code or refresh token of one account is refused on another (same client id there)', async () => {
    const c = await code(ONE);
    expect((await exchange(TWO, c)).body.error).toBe('invalid_grant');
    const ok = await exchange(ONE, c);
    expect(ok.status).toBe(200);
    const other = await token(TWO, { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token });
    expect(other.body.error).toBe('invalid_grant');
    expect((await token(ONE, { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token })).status).toBe(200);
  });
});
