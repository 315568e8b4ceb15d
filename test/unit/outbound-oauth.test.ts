/**
 * The Snowflake side of outbound OAuth and Native App configuration (issue #6 items 2, 3, 4, 6;
 * https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth; https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md, https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization; decisions/0008), pure: the SQL layer over a world built from
 * scenarios/native-app/worlds/native-app.yaml (whose setup script is steps 1–5 of https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization), with a
 * fake ProviderService. One test per statement, rule, privilege and failure.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryFor, formatMessage } from '../../domain/errors/catalogue.ts';
import { createIds } from '../../domain/ids.ts';
import { createJournal } from '../../domain/journal.ts';
import { parseExpiryTime } from '../../domain/native-app/expiry-time.ts';
import { MAX_PENDING_FLOWS, MAX_PENDING_FLOWS_PER_USER, PENDING_FLOW_TTL_MS, redirectUriFor } from '../../domain/native-app/oauth-flow.ts';
import { runSetupScript, skipReason, splitScript } from '../../domain/native-app/setup-script.ts';
import { flowsOf, secretsOf } from '../../domain/native-app/state.ts';
import { useSecretToken } from '../../domain/native-app/token-use.ts';
import { executeSql, type SqlEnv, type SqlResult, type SqlSession } from '../../domain/sql/execute.ts';
import { buildWorld } from '../../domain/world/build.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import type { Account, World } from '../../domain/world/model.ts';
import { parseWorldText } from '../../domain/world/parse-text.ts';
import { worldToYaml } from '../../domain/world/to-yaml.ts';
import { WorldConfigError } from '../../domain/world/validate.ts';
import { APIAuthenticationSecurityIntegration } from '../../api/world-builders.ts';
import { fakeProvider, type FakeProvider } from '../helpers/fake-provider.ts';
import type { ProviderResult, ProviderService } from '../../domain/provider/service.ts';
import { checkAuthorizeRequest, decideConsent } from '../../domain/provider/authorize.ts';
import { createProviderService } from '../../domain/provider/provider.ts';

const WORLD_FILE = new URL('../../scenarios/native-app/worlds/native-app.yaml', import.meta.url);
const WORLD_TEXT = readFileSync(WORLD_FILE, 'utf8');
const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;
const APP_SECRET = 'EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET';
const START = `SELECT SYSTEM$START_OAUTH_FLOW('example_app.app_schema.oauth_secret')`;
const finish = (qs: string): string => `SELECT SYSTEM$FINISH_OAUTH_FLOW('${qs.replace(/'/g, "''")}')`;
const APPROVE = 'ALTER APPLICATION example_app APPROVE SPECIFICATION oauth_spec SEQUENCE_NUMBER = 1';
const CONFIGURE = "ALTER APPLICATION example_app SET CONFIGURATION oauth_config VALUE = 'configured'";
const SEED_DENIED = 'Applications can not use security integration without a corresponding approved application specification.';

const worldConfig = (): WorldConfig => parseWorldText(WORLD_TEXT, 'native-app.yaml');

interface Setup {
  readonly world: World;
  readonly account: Account;
  readonly provider: FakeProvider;
  readonly journal: ReturnType<typeof createJournal>;
  now: number;
  /** Runs a statement as `user` (default ALICE in ANALYST) in session `session` (default 's1'). */
  run(sql: string, user?: 'ALICE' | 'ADMIN' | 'BOB', session?: string, role?: string): SqlResult;
  /** Runs SQL as EXAMPLE_APP's setup script. */
  script(sql: string): ReturnType<typeof runSetupScript>;
  env(session?: string): SqlEnv;
}

function setup(patch?: (c: WorldConfig) => void): Setup {
  const config = worldConfig();
  patch?.(config);
  const world = buildWorld(config, { now: NOW, ids: createIds(1) });
  const account = world.accounts[0]!;
  const provider = fakeProvider();
  const journal = createJournal();
  const ids = createIds(2);
  const s: Setup = {
    world, account, provider, journal, now: NOW,
    env: (session = 's1') => ({ world, now: s.now, ids, provider, journal, sessionKey: session }),
    run(sql, user = 'ALICE', session = 's1', role) {
      const u = account.users.get(user)!;
      const sqlSession: SqlSession = { account, user: u, role: role ?? u.defaultRole!, auth: 'PASSWORD' };
      return executeSql(sql, sqlSession, s.env(session));
    },
    script: (sql) => runSetupScript(account, 'EXAMPLE_APP', sql, s.env()),
  };
  return s;
}

function ok(r: SqlResult): Extract<SqlResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected success, got ${r.rejection.code}: ${r.rejection.explanation}`);
  return r;
}
const cell = (r: SqlResult): string | null => ok(r).rows[0]![0]!;
const code = (r: SqlResult): string => (r.ok ? 'ok' : r.rejection.code);
const why = (r: SqlResult): string => (r.ok ? '' : r.rejection.explanation);
const message = (r: SqlResult): string => {
  if (r.ok) throw new Error('expected a failure');
  return formatMessage(entryFor(r.rejection.code), r.rejection.params);
};

/** Approves the spec and runs START as ALICE in session s1; returns the authorization URL. */
function started(s: Setup, session = 's1'): string {
  if (s.account.applications!.get('EXAMPLE_APP')!.specifications.get('OAUTH_SPEC')!.status !== 'APPROVED') ok(s.run(APPROVE, 'ADMIN'));
  return cell(s.run(START, 'ALICE', session))!;
}

/** START, consent and FINISH as ALICE in session s1. */
function authorized(s: Setup): void {
  const qs = s.provider.consent(started(s));
  expect(cell(s.run(finish(qs)))).toBe('OAuth flow completed successfully.');
}

describe('the seed world loads: setup script (provider steps 1–5), grants, skipped statements', () => {
  it('builds the integration, secret, specification, configuration and grants of the docs\' example (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization)', () => {
    const s = setup();
    expect(s.account.securityIntegrations.get('OAUTH_INTEGRATION')).toMatchObject({
      type: 'API_AUTHENTICATION', enabled: true, authType: 'OAUTH2', oauthClientAuthMethod: 'CLIENT_SECRET_POST', oauthGrant: 'AUTHORIZATION_CODE',
      oauthClientId: 'example-app-client', oauthTokenEndpoint: 'https://provider.example.com/oauth2/token', oauthAccessTokenValidity: 0,
    });
    expect(secretsOf(s.account).get(APP_SECRET)).toMatchObject({ application: 'EXAMPLE_APP', apiAuthentication: 'OAUTH_INTEGRATION', oauthScopes: [] });
    const app = s.account.applications!.get('EXAMPLE_APP')!;
    expect([...app.applicationRoles]).toEqual(['APP_USER']);
    expect(app.specifications.get('OAUTH_SPEC')).toMatchObject({ sequenceNumber: 1, status: 'PENDING', oauthType: 'AUTHORIZATION_CODE' });
    expect(app.configurations.get('OAUTH_CONFIG')).toMatchObject({ secret: APP_SECRET, applicationRoles: ['APP_USER'] });
    expect([...app.roleGrants.get('APP_USER')!]).toEqual(['ANALYST']);
    expect(s.account.grants).toContainEqual({ privilege: 'MODIFY', on: 'SECRET', name: APP_SECRET, to: { application: 'EXAMPLE_APP', applicationRole: 'APP_USER' } });
  });

  it('splits at ; outside strings, comments and $$ bodies, and skips statements without authentication state', () => {
    const parts = splitScript("CREATE SCHEMA s; -- a; comment\nCREATE PROCEDURE p() AS $$ a; b $$;\n/* x; */ GRANT USAGE ON PROCEDURE p() TO APPLICATION ROLE r; SELECT 'a;b'");
    expect(parts.map((p) => p.line)).toEqual([1, 2, 3, 3]);
    expect(parts[1]!.text).toBe('CREATE PROCEDURE p() AS $$ a; b $$');
    expect(skipReason(parts[1]!.text)).toMatch(/PROCEDURE/);
    expect(skipReason(parts[2]!.text)).toMatch(/on PROCEDURE/);
    expect(skipReason('GRANT USAGE ON INTEGRATION i TO APPLICATION ROLE r')).toBeUndefined();
    expect(skipReason('CREATE SCHEMA s')).toBeUndefined();
    expect(skipReason('DROP SECRET x')).toBeUndefined();
  });

  it('a failing statement stops the world with the script line, the code and the message', () => {
    const load = (): World => buildWorld(withScript('CREATE SCHEMA s;\n\nCREATE SECRET s.x TYPE = OAUTH2 API_AUTHENTICATION = nowhere;'), { now: NOW, ids: createIds(1) });
    expect(load).toThrow(WorldConfigError);
    expect(load).toThrow(/applications\[0\]\.setup_script: statement at line 3 of the script failed \(002003: SQL compilation error: Integration 'NOWHERE' does not exist or not authorized\.\)/);
  });

  it('in a world file, a failing setup script is reported at its file and line', () => {
    const text = WORLD_TEXT.replace('API_AUTHENTICATION = oauth_integration;', 'API_AUTHENTICATION = oauth_integraton;');
    let error: WorldConfigError | undefined;
    try {
      parseWorldText(text, 'native-app.yaml');
    } catch (e) {
      error = e as WorldConfigError;
    }
    expect(error?.issues).toEqual([expect.objectContaining({ file: 'native-app.yaml', line: text.split('\n').findIndex((l) => l.includes('setup_script:')) + 1, path: 'applications[0].setup_script' })]);
    expect(error?.message).toMatch(/statement at line 17 of the script failed \(002003: .*Integration 'OAUTH_INTEGRATON'/);
  });

  it('CREATE APPLICATION ROLE of a declared role needs IF NOT EXISTS (002002), as in Snowflake', () => {
    const config = withScript('CREATE APPLICATION ROLE app_user;');
    config.applications![0]!.application_roles = ['APP_USER'];
    expect(() => buildWorld(config, { now: NOW, ids: createIds(1) })).toThrow(/002002/);
  });

  it('rejects at load, with field paths: an unknown integration, a grant of the wrong shape, an unknown application', () => {
    let error: WorldConfigError | undefined;
    try {
      parseWorldText(`${WORLD_TEXT}
  - { privilege: usage, on_integration: EXT_CC, to_role: ANALYST, application_role: EXAMPLE_APP.APP_USER }
  - { application_role: NO_APP.APP_USER, to_role: ANALYST }
`.replace('api_authentication: EXT_CC, oauth_scopes', 'api_authentication: EXT_CX, oauth_scopes'), 'w.yaml');
    } catch (e) {
      error = e as WorldConfigError;
    }
    expect(error?.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^secrets\[1\]\.api_authentication: integration "EXT_CX" is not declared .*did you mean "EXT_CC"\?/),
      expect.stringMatching(/^grants\[3\]\.application_role: a grant takes exactly one of privilege, application_role/),
      expect.stringMatching(/^grants\[4\]\.application_role: application "NO_APP" is not declared in applications/),
    ]);
    expect(error?.issues[0]?.line).toBeGreaterThan(1);
  });

  it('declared specifications, configurations and approvals load in the same way as the script', () => {
    const config = worldConfig();
    const app = config.applications![0]!;
    app.setup_script = 'CREATE APPLICATION ROLE app_user; GRANT MODIFY ON SECRET app_schema.s TO APPLICATION ROLE app_user;'.replace('GRANT', 'SELECT 1; GRANT');
    config.security_integrations!.push({ name: 'OAUTH_INTEGRATION', type: 'api_authentication', oauth_grant: 'authorization_code', oauth_token_endpoint: 'https://p.example.com/t', oauth_authorization_endpoint: 'https://p.example.com/a', oauth_client_id: 'c' });
    config.secrets!.push({ name: 'APP_SCHEMA.S', application: 'EXAMPLE_APP', type: 'oauth2', api_authentication: 'OAUTH_INTEGRATION' });
    app.specifications = [{ name: 'SPEC', type: 'security_integration', oauth_type: 'authorization_code', oauth_token_endpoint: 'https://p.example.com/t' }];
    app.configurations = [{ name: 'CONF', type: 'secret_authorization', secret: 'APP_SCHEMA.S', application_roles: ['APP_USER'] }];
    app.approved_specifications = ['SPEC'];
    config.grants!.push({ privilege: 'usage', on_integration: 'OAUTH_INTEGRATION', to_application_role: 'EXAMPLE_APP.APP_USER' });
    const world = buildWorld(config, { now: NOW, ids: createIds(1) });
    const built = world.accounts[0]!.applications!.get('EXAMPLE_APP')!;
    expect(built.specifications.get('SPEC')!.status).toBe('APPROVED');
    expect(built.configurations.get('CONF')!.secret).toBe('EXAMPLE_APP.APP_SCHEMA.S');
  });
});

function withScript(script: string): WorldConfig {
  const config = worldConfig();
  config.applications![0]!.setup_script = script;
  config.grants = [];
  return config;
}

describe('CREATE SECURITY INTEGRATION … TYPE = API_AUTHENTICATION (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth)', () => {
  const CREATE = "CREATE SECURITY INTEGRATION ext TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 OAUTH_CLIENT_ID = 'c' OAUTH_CLIENT_SECRET = 's' OAUTH_GRANT = 'CLIENT_CREDENTIALS' OAUTH_TOKEN_ENDPOINT = 'https://x.example.com/token' OAUTH_ALLOWED_SCOPES = ('read', 'write') ENABLED = TRUE";

  it('creates the integration with the seed defaults (validity 0) and answers a status', () => {
    const s = setup();
    expect(cell(s.run(CREATE, 'ADMIN'))).toBe('Integration EXT successfully created.');
    expect(s.account.securityIntegrations.get('EXT')).toMatchObject({ enabled: true, oauthGrant: 'CLIENT_CREDENTIALS', oauthAllowedScopes: ['read', 'write'], oauthAccessTokenValidity: 0 });
  });

  it('ENABLED, AUTH_TYPE and TYPE are required (001003); AUTH_TYPE other than OAUTH2 and a bad OAUTH_GRANT are 001422', () => {
    const s = setup();
    expect(why(s.run(CREATE.replace(' ENABLED = TRUE', ''), 'ADMIN'))).toMatch(/ENABLED is required/);
    expect(why(s.run(CREATE.replace(' AUTH_TYPE = OAUTH2', ''), 'ADMIN'))).toMatch(/AUTH_TYPE is required/);
    expect(code(s.run(CREATE.replace('TYPE = API_AUTHENTICATION', 'TYPE = OAUTH'), 'ADMIN'))).toBe('001003');
    expect(message(s.run(CREATE.replace('AUTH_TYPE = OAUTH2', 'AUTH_TYPE = OAUTH1'), 'ADMIN'))).toBe("SQL compilation error:\ninvalid value [OAUTH1] for parameter 'AUTH_TYPE'");
    expect(message(s.run(CREATE.replace("'CLIENT_CREDENTIALS'", "'PASSWORD'"), 'ADMIN'))).toBe("SQL compilation error:\ninvalid value [PASSWORD] for parameter 'OAUTH_GRANT'");
    expect(code(s.run(CREATE.replace("'https://x.example.com/token'", "'ftp://x'"), 'ADMIN'))).toBe('001422');
  });

  it('needs ACCOUNTADMIN or SECURITYADMIN (003001); exists → 002002; IF NOT EXISTS and OR REPLACE', () => {
    const s = setup();
    expect(message(s.run(CREATE))).toBe("SQL access control error:\nInsufficient privileges to operate on integration 'EXT'");
    ok(s.run(CREATE, 'ADMIN'));
    expect(code(s.run(CREATE, 'ADMIN'))).toBe('002002');
    expect(cell(s.run(CREATE.replace('INTEGRATION ext', 'INTEGRATION IF NOT EXISTS ext'), 'ADMIN'))).toBe('EXT already exists, statement succeeded.');
    ok(s.run(CREATE.replace('CREATE', 'CREATE OR REPLACE').replace('ENABLED = TRUE', 'ENABLED = FALSE'), 'ADMIN'));
    expect(s.account.securityIntegrations.get('EXT')!.enabled).toBe(false);
  });

  it('ALTER SECURITY INTEGRATION … SET ENABLED = FALSE disables it (ACCOUNTADMIN only)', () => {
    const s = setup();
    expect(code(s.run('ALTER SECURITY INTEGRATION ext_code SET ENABLED = FALSE'))).toBe('003001');
    ok(s.run('ALTER SECURITY INTEGRATION ext_code SET ENABLED = FALSE', 'ADMIN'));
    expect(s.account.securityIntegrations.get('EXT_CODE')!.enabled).toBe(false);
  });
});

describe('CREATE SECRET … TYPE = OAUTH2 (https://docs.snowflake.com/en/sql-reference/sql/create-secret)', () => {
  const SECRET = "CREATE SECRET my_db.public.s2 TYPE = OAUTH2 API_AUTHENTICATION = ext_cc OAUTH_SCOPES = ('read')";

  it('creates an account secret owned by the creating role; exists → 002002; OR REPLACE drops its grants', () => {
    const s = setup();
    expect(cell(s.run(SECRET, 'ADMIN'))).toBe('Secret S2 successfully created.');
    expect(secretsOf(s.account).get('MY_DB.PUBLIC.S2')).toMatchObject({ owner: 'ACCOUNTADMIN', oauthScopes: ['read'] });
    expect(code(s.run(SECRET, 'ADMIN'))).toBe('002002');
    ok(s.run('GRANT MODIFY ON SECRET my_db.public.s2 TO ROLE analyst', 'ADMIN'));
    ok(s.run(SECRET.replace('CREATE', 'CREATE OR REPLACE'), 'ADMIN'));
    expect(s.account.grants!.some((g) => g.name === 'MY_DB.PUBLIC.S2')).toBe(false);
  });

  it('the refresh token and its expiry are kept; the expiry takes the documented forms', () => {
    const s = setup();
    ok(s.run("CREATE SECRET my_db.public.s3 TYPE = OAUTH2 API_AUTHENTICATION = ext_code OAUTH_REFRESH_TOKEN = 'rt-x' OAUTH_REFRESH_TOKEN_EXPIRY_TIME = '2026-06-01 12:30'", 'ADMIN'));
    expect(secretsOf(s.account).get('MY_DB.PUBLIC.S3')).toMatchObject({ oauthRefreshToken: 'rt-x', oauthRefreshTokenExpiryTime: Date.parse('2026-06-01T12:30:00Z') });
    expect(parseExpiryTime('2026-06-01')).toBe(Date.parse('2026-06-01T00:00:00Z'));
    expect(parseExpiryTime('2026-06-01 12:30:15 +02:00')).toBe(Date.parse('2026-06-01T10:30:15Z'));
    expect(parseExpiryTime('June 1st')).toBeUndefined();
    expect(code(s.run("CREATE SECRET my_db.public.s4 TYPE = OAUTH2 API_AUTHENTICATION = ext_code OAUTH_REFRESH_TOKEN = 'x' OAUTH_REFRESH_TOKEN_EXPIRY_TIME = 'soon'", 'ADMIN'))).toBe('001422');
  });

  it('refuses: unknown database (002003), unknown integration (002003), scopes outside OAUTH_ALLOWED_SCOPES, a refresh token on a client-credentials integration (001422)', () => {
    const s = setup();
    expect(message(s.run(SECRET.replace('my_db', 'nodb'), 'ADMIN'))).toBe("SQL compilation error:\nDatabase 'NODB' does not exist or not authorized.");
    expect(message(s.run(SECRET.replace('ext_cc', 'nothing'), 'ADMIN'))).toBe("SQL compilation error:\nIntegration 'NOTHING' does not exist or not authorized.");
    expect(message(s.run(SECRET.replace("('read')", "('admin')"), 'ADMIN'))).toBe("SQL compilation error:\ninvalid value [admin] for parameter 'OAUTH_SCOPES'");
    expect(code(s.run(`${SECRET} OAUTH_REFRESH_TOKEN = 'rt'`, 'ADMIN'))).toBe('001422');
    expect(code(s.run("CREATE SECRET my_db.public.s5 TYPE = PASSWORD USERNAME = 'x'", 'ADMIN'))).toBe('001003');
  });

  it('privileges: ANALYST may not create secrets; SYSADMIN needs USAGE on the integration; nobody creates one inside an application', () => {
    const s = setup();
    expect(message(s.run(SECRET))).toBe("SQL access control error:\nInsufficient privileges to operate on secret 'MY_DB.PUBLIC.S2'");
    expect(message(s.run(SECRET, 'ADMIN', 's1', 'SYSADMIN'))).toBe("SQL access control error:\nInsufficient privileges to operate on integration 'EXT_CC'");
    ok(s.run('GRANT USAGE ON INTEGRATION ext_cc TO ROLE sysadmin', 'ADMIN'));
    ok(s.run(SECRET, 'ADMIN', 's1', 'SYSADMIN'));
    expect(message(s.run('CREATE SECRET example_app.app_schema.x TYPE = OAUTH2 API_AUTHENTICATION = oauth_integration', 'ADMIN'))).toBe("SQL access control error:\nInsufficient privileges to operate on application 'EXAMPLE_APP'");
  });

  it('in a setup script: SCHEMA.NAME lies in the application database, whose schema must exist (002003 Schema)', () => {
    const s = setup();
    const r = s.script('CREATE SECRET other_schema.x TYPE = OAUTH2 API_AUTHENTICATION = oauth_integration;');
    expect(r.ok ? 'ok' : formatMessage(entryFor(r.rejection.code), r.rejection.params)).toBe("SQL compilation error:\nSchema 'EXAMPLE_APP.OTHER_SCHEMA' does not exist or not authorized.");
    expect(s.script('CREATE SCHEMA other_schema; CREATE SECRET other_schema.x TYPE = OAUTH2 API_AUTHENTICATION = oauth_integration;').ok).toBe(true);
    expect(secretsOf(s.account).get('EXAMPLE_APP.OTHER_SCHEMA.X')?.application).toBe('EXAMPLE_APP');
  });
});

describe('GRANT / REVOKE on integrations, secrets and application roles (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 4)', () => {
  it('a session grants to account roles with ACCOUNTADMIN only (ANALYST: 003001); MODIFY on an integration is 001422', () => {
    const s = setup();
    expect(code(s.run('GRANT USAGE ON INTEGRATION ext_cc TO ROLE other'))).toBe('003001');
    ok(s.run('GRANT USAGE ON INTEGRATION ext_cc TO ROLE other', 'ADMIN'));
    expect(s.account.grants).toContainEqual({ privilege: 'USAGE', on: 'INTEGRATION', name: 'EXT_CC', to: { role: 'OTHER' } });
    ok(s.run('REVOKE USAGE ON INTEGRATION ext_cc FROM ROLE other', 'ADMIN'));
    expect(s.account.grants!.some((g) => g.name === 'EXT_CC')).toBe(false);
    expect(message(s.run('GRANT MODIFY ON INTEGRATION ext_cc TO ROLE other', 'ADMIN'))).toBe("SQL compilation error:\ninvalid value [MODIFY] for parameter 'PRIVILEGE'");
    expect(message(s.run('GRANT USAGE ON INTEGRATION ext_cc TO ROLE nobody', 'ADMIN'))).toBe("SQL compilation error:\nRole 'NOBODY' does not exist or not authorized.");
  });

  it('application roles get privileges only from their application; a script grants only to its own application roles', () => {
    const s = setup();
    expect(code(s.run('GRANT USAGE ON INTEGRATION ext_cc TO APPLICATION ROLE example_app.app_user', 'ADMIN'))).toBe('003001');
    const toRole = s.script('GRANT USAGE ON INTEGRATION oauth_integration TO ROLE analyst;');
    expect(toRole.ok ? 'ok' : toRole.rejection.code).toBe('003001');
    const unknown = s.script('GRANT USAGE ON INTEGRATION oauth_integration TO APPLICATION ROLE app_admin;');
    expect(unknown.ok ? 'ok' : formatMessage(entryFor(unknown.rejection.code), unknown.rejection.params)).toBe("SQL compilation error:\nApplication role 'EXAMPLE_APP.APP_ADMIN' does not exist or not authorized.");
  });

  it('GRANT APPLICATION ROLE: the application owner or MANAGE GRANTS; unknown application role 002003', () => {
    const s = setup();
    expect(code(s.run('GRANT APPLICATION ROLE example_app.app_user TO ROLE other'))).toBe('003001');
    ok(s.run('GRANT APPLICATION ROLE example_app.app_user TO ROLE other', 'ADMIN'));
    expect([...s.account.applications!.get('EXAMPLE_APP')!.roleGrants.get('APP_USER')!]).toEqual(['ANALYST', 'OTHER']);
    expect(code(s.run('GRANT APPLICATION ROLE example_app.nobody TO ROLE other', 'ADMIN'))).toBe('002003');
    ok(s.run('REVOKE APPLICATION ROLE example_app.app_user FROM ROLE analyst', 'ADMIN'));
    expect(code(s.run(START))).toBe('003001');
  });
});

describe('specifications: SHOW, APPROVE, DECLINE, and the seed\'s refusal (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 3, "Consumer authentication")', () => {
  it('SHOW SPECIFICATIONS IN APPLICATION lists the documented columns for ACCOUNTADMIN, nothing for ANALYST', () => {
    const s = setup();
    const shown = ok(s.run('SHOW SPECIFICATIONS IN APPLICATION example_app', 'ADMIN'));
    expect(shown.columns.map((c) => c.name)).toEqual(['name', 'requested_on', 'type', 'sequence_number', 'status', 'status_updated_on', 'label', 'description', 'definition']);
    expect(shown.rows[0]!.slice(0, 5)).toEqual(['OAUTH_SPEC', '1772366400.000000000', 'SECURITY_INTEGRATION', '1', 'PENDING']);
    expect(ok(s.run('SHOW SPECIFICATIONS IN APPLICATION example_app')).rows).toEqual([]);
    expect(ok(s.run('SHOW APPROVED SPECIFICATIONS IN APPLICATION example_app', 'ADMIN')).rows).toEqual([]);
  });

  it('approving needs MANAGE APPLICATION SPECIFICATIONS (ACCOUNTADMIN / SECURITYADMIN) and the current sequence number', () => {
    const s = setup();
    expect(message(s.run(APPROVE))).toBe("SQL access control error:\nInsufficient privileges to operate on application 'EXAMPLE_APP'");
    expect(message(s.run(APPROVE.replace('= 1', '= 2'), 'ADMIN'))).toBe("SQL compilation error:\ninvalid value [2] for parameter 'SEQUENCE_NUMBER'");
    expect(code(s.run('ALTER APPLICATION example_app APPROVE SPECIFICATION oauth_spec', 'ADMIN'))).toBe('001003');
    ok(s.run(APPROVE, 'ADMIN'));
    expect(s.account.applications!.get('EXAMPLE_APP')!.specifications.get('OAUTH_SPEC')!.status).toBe('APPROVED');
  });

  it('START on an app secret without an approved specification fails with the seed\'s exact text (394616)', () => {
    const s = setup();
    const r = s.run(START);
    expect(code(r)).toBe('394616');
    expect(message(r)).toBe(SEED_DENIED);
  });

  it('a declined specification makes the secret unusable again; a changed one asks again at sequence number 2', () => {
    const s = setup();
    authorized(s);
    ok(s.run('ALTER APPLICATION example_app DECLINE SPECIFICATION oauth_spec SEQUENCE_NUMBER = 1', 'ADMIN'));
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now)).toMatchObject({ ok: false, rejection: { code: '394616' } });
    const upgraded = s.script("ALTER APPLICATION SET SPECIFICATION oauth_spec TYPE = SECURITY_INTEGRATION LABEL = 'x' DESCRIPTION = 'y' OAUTH_TYPE = 'AUTHORIZATION_CODE' OAUTH_TOKEN_ENDPOINT = 'https://provider.example.com/oauth2/token';");
    expect(upgraded.ok).toBe(true);
    expect(s.account.applications!.get('EXAMPLE_APP')!.specifications.get('OAUTH_SPEC')).toMatchObject({ sequenceNumber: 2, status: 'PENDING' });
    expect(code(s.run(APPROVE, 'ADMIN'))).toBe('001422');
    ok(s.run(APPROVE.replace('= 1', '= 2'), 'ADMIN'));
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now).ok).toBe(true);
  });

  it('a specification whose endpoint differs from the integration\'s does not count (394616)', () => {
    const s = setup();
    ok(s.run(APPROVE, 'ADMIN'));
    s.script("ALTER APPLICATION SET SPECIFICATION oauth_spec TYPE = SECURITY_INTEGRATION OAUTH_TYPE = 'AUTHORIZATION_CODE' OAUTH_TOKEN_ENDPOINT = 'https://elsewhere.example.com/token';");
    ok(s.run(APPROVE.replace('= 1', '= 2'), 'ADMIN'));
    expect(why(s.run(START))).toMatch(/no SECURITY_INTEGRATION specification matches integration OAUTH_INTEGRATION/);
  });

  it('SET SPECIFICATION and SET CONFIGURATION DEFINITION run only in a setup script (001003 from a session)', () => {
    const s = setup();
    expect(why(s.run("ALTER APPLICATION SET SPECIFICATION x TYPE = SECURITY_INTEGRATION OAUTH_TYPE = 'CLIENT_CREDENTIALS' OAUTH_TOKEN_ENDPOINT = 'https://x'", 'ADMIN'))).toMatch(/only in an application's setup script/);
    expect(code(s.run('CREATE APPLICATION ROLE r', 'ADMIN'))).toBe('001003');
  });
});

describe('configurations: definition, SHOW, DESCRIBE, SET VALUE, UNSET, callbacks (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization step 5, Step 1, Step 3)', () => {
  it('the definition needs the application\'s own secret and MODIFY for each application role', () => {
    const s = setup();
    const def = (secret: string, roles = 'app_user'): string => `ALTER APPLICATION SET CONFIGURATION DEFINITION c2 TYPE = SECRET_AUTHORIZATION SECRET = ${secret} APPLICATION_ROLES = (${roles});`;
    const failure = (r: ReturnType<Setup['script']>): string => (r.ok ? 'ok' : r.rejection.code);
    expect(failure(s.script(def('my_db.public.code_secret')))).toBe('001422');
    expect(failure(s.script(`CREATE APPLICATION ROLE viewer; ${def('app_schema.oauth_secret', 'app_user, viewer')}`))).toBe('003001');
    expect(failure(s.script(def('app_schema.missing')))).toBe('002003');
    expect(failure(s.script(def('app_schema.oauth_secret')))).toBe('ok');
  });

  it('SHOW CONFIGURATIONS shows what the role sees; additionalProperties names the secret; DESCRIBE by others is 003001', () => {
    const s = setup();
    const shown = ok(s.run('SHOW CONFIGURATIONS IN APPLICATION example_app'));
    expect(shown.columns.map((c) => c.name)).toEqual(['name', 'created_on', 'updated_on', 'type', 'status', 'value', 'value_updated_on', 'label', 'description', 'application_roles', 'additionalProperties']);
    expect(shown.rows[0]![0]).toBe('OAUTH_CONFIG');
    expect(JSON.parse(shown.rows[0]![10]!)).toEqual({ secret: APP_SECRET });
    expect(ok(s.run('SHOW CONFIGURATIONS IN APPLICATION example_app', 'BOB')).rows).toEqual([]);
    expect(ok(s.run('SHOW CONFIGURATIONS IN APPLICATION example_app', 'ADMIN')).rows).toHaveLength(1);
    expect(ok(s.run('DESCRIBE CONFIGURATION oauth_config IN APPLICATION example_app')).rows[0]![4]).toBe('PENDING');
    expect(message(s.run('DESC CONFIGURATION oauth_config IN APPLICATION example_app', 'BOB'))).toBe("SQL access control error:\nInsufficient privileges to operate on configuration 'EXAMPLE_APP.OAUTH_CONFIG'");
    expect(code(s.run('SHOW CONFIGURATIONS'))).toBe('001003');
    expect(message(s.run('SHOW CONFIGURATIONS IN APPLICATION no_app'))).toBe("SQL compilation error:\nApplication 'NO_APP' does not exist or not authorized.");
  });

  it("VALUE = 'configured' only, and only once the secret holds tokens (394617, 394618)", () => {
    const s = setup();
    expect(message(s.run("ALTER APPLICATION example_app SET CONFIGURATION oauth_config VALUE = 'done'"))).toBe("SQL execution error:\nInvalid value 'done' for configuration EXAMPLE_APP.OAUTH_CONFIG: a SECRET_AUTHORIZATION configuration can only be set to 'configured'.");
    const early = s.run(CONFIGURE);
    expect(code(early)).toBe('394618');
    expect(early.ok ? '' : early.rejection.cause).toBe('SECRET_NOT_AUTHORIZED');
    expect(s.journal.size).toBe(0);
  });

  it('a role without an application role listed in the configuration lacks MODIFY VALUE (003001)', () => {
    const s = setup();
    authorized(s);
    expect(message(s.run(CONFIGURE, 'BOB'))).toBe("SQL access control error:\nInsufficient privileges to operate on configuration 'EXAMPLE_APP.OAUTH_CONFIG'");
    expect(message(s.run(CONFIGURE, 'ADMIN'))).toBe("SQL access control error:\nInsufficient privileges to operate on configuration 'EXAMPLE_APP.OAUTH_CONFIG'");
  });

  it("'configured' fires before_ and after_configuration_change (journaled); UNSET fires both again and keeps the tokens", () => {
    const s = setup();
    authorized(s);
    ok(s.run(CONFIGURE));
    expect(s.journal.entries().map((e) => `${e.method} ${e.path}`)).toEqual(['CALLBACK before_configuration_change', 'CALLBACK after_configuration_change']);
    expect(s.journal.last()).toMatchObject({ user: 'ALICE', role: 'ANALYST', explanation: expect.stringContaining("EXAMPLE_APP.OAUTH_CONFIG: SET VALUE = 'configured'") });
    expect(ok(s.run('DESCRIBE CONFIGURATION oauth_config IN APPLICATION example_app')).rows[0]!.slice(4, 6)).toEqual(['DONE', 'configured']);
    ok(s.run('ALTER APPLICATION example_app UNSET CONFIGURATION oauth_config'));
    expect(s.journal.entries().map((e) => e.path).slice(2)).toEqual(['before_configuration_change', 'after_configuration_change']);
    expect(s.journal.last()!.explanation).toMatch(/UNSET \(the tokens stay in the secret\)/);
    expect(ok(s.run('DESCRIBE CONFIGURATION oauth_config IN APPLICATION example_app')).rows[0]!.slice(4, 6)).toEqual(['PENDING', null]);
    expect(secretsOf(s.account).get(APP_SECRET)!.oauthRefreshToken).toBeDefined();
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now).ok).toBe(true);
  });
});

describe('SYSTEM$START_OAUTH_FLOW (https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow)', () => {
  it("returns the provider's authorization URL: client id, Snowflake's redirect URI, a fresh state, the scopes", () => {
    const s = setup();
    const url = new URL(started(s));
    expect(url.origin + url.pathname).toBe('https://provider.example.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('example-app-client');
    expect(url.searchParams.get('redirect_uri')).toBe('https://myorg-myaccount.snowflakecomputing.com/oauth/complete-secret');
    expect(url.searchParams.get('state')).toMatch(/^\S{32}$/);
    const again = new URL(started(s));
    expect(again.searchParams.get('state')).not.toBe(url.searchParams.get('state'));
    const code = new URL(cell(s.run("SELECT SYSTEM$START_OAUTH_FLOW('my_db.public.code_secret') AS url"))!);
    expect(code.searchParams.get('scope')).toBe('read');
    expect(ok(s.run("SELECT SYSTEM$START_OAUTH_FLOW('my_db.public.code_secret') AS url")).columns[0]!.name).toBe('URL');
    expect(redirectUriFor(s.account)).toBe(url.searchParams.get('redirect_uri'));
  });

  it('refuses an unknown secret (002003) and a client-credentials secret (001422)', () => {
    const s = setup();
    expect(message(s.run("SELECT SYSTEM$START_OAUTH_FLOW('example_app.app_schema.nope')"))).toBe("SQL compilation error:\nSecret 'EXAMPLE_APP.APP_SCHEMA.NOPE' does not exist or not authorized.");
    ok(s.run('GRANT USAGE ON INTEGRATION ext_cc TO ROLE analyst', 'ADMIN'));
    ok(s.run('GRANT MODIFY ON SECRET my_db.public.cc_secret TO ROLE analyst', 'ADMIN'));
    expect(message(s.run("SELECT SYSTEM$START_OAUTH_FLOW('my_db.public.cc_secret')"))).toBe("SQL compilation error:\ninvalid value [CLIENT_CREDENTIALS] for parameter 'OAUTH_GRANT'");
  });

  it('app secret privileges: an application role listed in a configuration, with USAGE on the integration and MODIFY on the secret', () => {
    const s = setup();
    ok(s.run(APPROVE, 'ADMIN'));
    expect(message(s.run(START, 'BOB'))).toBe(`SQL access control error:\nInsufficient privileges to operate on secret '${APP_SECRET}'`);
    expect(s.script('REVOKE USAGE ON INTEGRATION oauth_integration FROM APPLICATION ROLE app_user;').ok).toBe(true);
    expect(message(s.run(START))).toBe("SQL access control error:\nInsufficient privileges to operate on integration 'OAUTH_INTEGRATION'");
    expect(s.script('GRANT USAGE ON INTEGRATION oauth_integration TO APPLICATION ROLE app_user; REVOKE MODIFY ON SECRET app_schema.oauth_secret FROM APPLICATION ROLE app_user;').ok).toBe(true);
    expect(message(s.run(START))).toBe(`SQL access control error:\nInsufficient privileges to operate on secret '${APP_SECRET}'`);
  });

  it('account secret privileges: USAGE on the integration and MODIFY on the secret, each named when missing', () => {
    const s = setup();
    const start = "SELECT SYSTEM$START_OAUTH_FLOW('my_db.public.code_secret')";
    expect(code(s.run(start))).toBe('ok');
    ok(s.run('REVOKE MODIFY ON SECRET my_db.public.code_secret FROM ROLE analyst', 'ADMIN'));
    expect(message(s.run(start))).toBe("SQL access control error:\nInsufficient privileges to operate on secret 'MY_DB.PUBLIC.CODE_SECRET'");
    ok(s.run('REVOKE USAGE ON INTEGRATION ext_code FROM ROLE analyst', 'ADMIN'));
    expect(message(s.run(start))).toBe("SQL access control error:\nInsufficient privileges to operate on integration 'EXT_CODE'");
    expect(code(s.run(start, 'ADMIN'))).toBe('ok');
  });

  it('a disabled integration is unusable (394615)', () => {
    const s = setup();
    ok(s.run(APPROVE, 'ADMIN'));
    s.account.securityIntegrations.get('OAUTH_INTEGRATION')!.enabled = false;
    expect(message(s.run(START))).toBe("SQL execution error:\nSecurity integration 'OAUTH_INTEGRATION' is disabled.");
  });
});

describe('SYSTEM$FINISH_OAUTH_FLOW (https://docs.snowflake.com/en/sql-reference/functions/system_finish_oauth_flow)', () => {
  it('exchanges the code in the same session and stores the tokens in the secret', () => {
    const s = setup();
    authorized(s);
    expect(secretsOf(s.account).get(APP_SECRET)).toMatchObject({ accessToken: 'at-2', accessTokenExpiresAt: NOW + HOUR, oauthRefreshToken: 'rt-2', oauthRefreshTokenExpiryTime: NOW + 24 * HOUR });
    expect(s.provider.calls.exchange).toBe(1);
  });

  it("accepts the docs' authz_code, a leading ? and a whole redirect URL", () => {
    for (const shape of [(qs: string) => qs.replace('code=', 'authz_code='), (qs: string) => `?${qs}`, (qs: string) => `https://myorg-myaccount.snowflakecomputing.com/oauth/complete-secret?${qs}`]) {
      const s = setup();
      const qs = s.provider.consent(started(s));
      expect(cell(s.run(finish(shape(qs))))).toBe('OAuth flow completed successfully.');
    }
  });

  it('without a START in this session: 394610; again after success: 394610 (the flow is consumed)', () => {
    const s = setup();
    expect(message(s.run(finish('state=x&code=y')))).toBe('SQL execution error:\nNo OAuth flow was started in this session. Call SYSTEM$START_OAUTH_FLOW, complete the consent in a browser, then call SYSTEM$FINISH_OAUTH_FLOW in the same session.');
    const qs = s.provider.consent(started(s));
    ok(s.run(finish(qs)));
    expect(code(s.run(finish(qs)))).toBe('394610');
  });

  it("another session's state: 394611, and the flow still finishes in its own session", () => {
    const s = setup();
    const qs = s.provider.consent(started(s, 's1'));
    expect(message(s.run(finish(qs), 'ALICE', 's2'))).toBe('SQL execution error:\nThe OAuth flow was started in another session. Call SYSTEM$FINISH_OAUTH_FLOW in the session that called SYSTEM$START_OAUTH_FLOW.');
    ok(s.run(finish(qs), 'ALICE', 's1'));
  });

  it('a state other than this session\'s, or none: 394612 (the pending flow stays); a new START replaces the old state', () => {
    const s = setup();
    const first = s.provider.consent(started(s));
    expect(code(s.run(finish('state=forged&code=abc')))).toBe('394612');
    expect(code(s.run(finish('code=abc')))).toBe('394612');
    const second = s.provider.consent(started(s));
    expect(code(s.run(finish(first)))).toBe('394612');
    ok(s.run(finish(second)));
  });

  it('error=access_denied from the provider: 394613 with cause OAUTH_FLOW_CONSENT_DENIED; a refused code: OAUTH_FLOW_CODE_REJECTED', () => {
    const s = setup();
    const denied = s.run(finish(s.provider.consent(started(s), { deny: true })));
    expect(message(denied)).toBe('SQL execution error:\nThe OAuth provider returned an error: access_denied (The resource owner denied the request.).');
    expect(denied.ok ? '' : denied.rejection.cause).toBe('OAUTH_FLOW_CONSENT_DENIED');
    const qs = s.provider.consent(started(s));
    const state = new URLSearchParams(qs).get('state');
    const reused = s.run(finish(`state=${state}&code=never-issued`));
    expect(reused.ok ? '' : `${reused.rejection.code} ${reused.rejection.cause}`).toBe('394613 OAUTH_FLOW_CODE_REJECTED');
  });

  it('no code in the query string: 394614', () => {
    const s = setup();
    const state = new URL(started(s)).searchParams.get('state');
    expect(message(s.run(finish(`state=${state}`)))).toBe('SQL execution error:\nInvalid query string for SYSTEM$FINISH_OAUTH_FLOW: no code or authz_code parameter.');
  });

  it('the integration disabled, or the specification declined, between START and FINISH: 394615, 394616', () => {
    const s = setup();
    const qs = s.provider.consent(started(s));
    s.account.securityIntegrations.get('OAUTH_INTEGRATION')!.enabled = false;
    expect(code(s.run(finish(qs)))).toBe('394615');
    s.account.securityIntegrations.get('OAUTH_INTEGRATION')!.enabled = true;
    const qs2 = s.provider.consent(started(s));
    ok(s.run('ALTER APPLICATION example_app DECLINE SPECIFICATION oauth_spec SEQUENCE_NUMBER = 1', 'ADMIN'));
    expect(message(s.run(finish(qs2)))).toBe(SEED_DENIED);
  });

  it('FINISH is never cacheable and the query string is masked in the journal line', () => {
    const s = setup();
    const qs = s.provider.consent(started(s));
    expect(ok(s.run(finish(qs)))).toMatchObject({ cacheable: false, kind: 'select' });
  });
});

describe("app code's tokens: refresh on expiry on the mock clock, re-authentication (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization \"Token expiration\")", () => {
  it('the stored access token while it lives; after expiry a refresh through the provider, kept in the secret', () => {
    const s = setup();
    authorized(s);
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now)).toMatchObject({ ok: true, accessToken: 'at-2', how: 'stored' });
    s.now += HOUR;
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now)).toMatchObject({ ok: true, accessToken: 'at-3', how: 'refreshed' });
    expect(s.provider.calls.refresh).toBe(1);
    expect(secretsOf(s.account).get(APP_SECRET)).toMatchObject({ accessToken: 'at-3', accessTokenExpiresAt: s.now + HOUR, oauthRefreshToken: 'rt-2' });
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now + HOUR - 1)).toMatchObject({ how: 'stored' });
  });

  it('an expired refresh token fails (394618 SECRET_REFRESH_TOKEN_EXPIRED) without asking the provider; START/FINISH again works', () => {
    const s = setup();
    authorized(s);
    s.now += 24 * HOUR;
    const r = useSecretToken(s.account, APP_SECRET, s.provider, s.now);
    expect(r).toMatchObject({ ok: false, rejection: { code: '394618', cause: 'SECRET_REFRESH_TOKEN_EXPIRED' } });
    expect(s.provider.calls.refresh).toBe(0);
    authorized(s);
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now)).toMatchObject({ ok: true, how: 'stored' });
  });

  it('a refused refresh token without a provider cause fails (SECRET_REFRESH_TOKEN_REJECTED); the consumer re-authenticates and use works', () => {
    const s = setup();
    authorized(s);
    s.provider.revokeRefreshTokens();
    s.now += 2 * HOUR;
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now)).toMatchObject({ ok: false, rejection: { code: '394618', cause: 'SECRET_REFRESH_TOKEN_REJECTED' } });
    authorized(s);
    s.now += 2 * HOUR;
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now)).toMatchObject({ ok: true, how: 'refreshed' });
  });

  it('no tokens yet: SECRET_NOT_AUTHORIZED; disabled integration: 394615; unknown secret: 002003', () => {
    const s = setup();
    ok(s.run(APPROVE, 'ADMIN'));
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now)).toMatchObject({ ok: false, rejection: { code: '394618', cause: 'SECRET_NOT_AUTHORIZED' } });
    s.account.securityIntegrations.get('OAUTH_INTEGRATION')!.enabled = false;
    expect(useSecretToken(s.account, APP_SECRET, s.provider, s.now)).toMatchObject({ ok: false, rejection: { code: '394615' } });
    expect(useSecretToken(s.account, 'X.Y.Z', s.provider, s.now)).toMatchObject({ ok: false, rejection: { code: '002003' } });
  });

  it('a client-credentials secret gets its token from the client-credentials grant with its OAUTH_SCOPES, then reuses it', () => {
    const s = setup();
    const r = useSecretToken(s.account, 'MY_DB.PUBLIC.CC_SECRET', s.provider, s.now);
    expect(r).toMatchObject({ ok: true, how: 'client_credentials' });
    expect(useSecretToken(s.account, 'MY_DB.PUBLIC.CC_SECRET', s.provider, s.now)).toMatchObject({ ok: true, how: 'stored' });
    expect(s.provider.calls.clientCredentials).toBe(1);
    (s.account.securityIntegrations.get('EXT_CC') as { oauthClientSecret?: string }).oauthClientSecret = 'wrong';
    s.now += 2 * HOUR;
    expect(useSecretToken(s.account, 'MY_DB.PUBLIC.CC_SECRET', s.provider, s.now)).toMatchObject({ ok: false, rejection: { code: '394613', cause: 'SECRET_GRANT_REJECTED', params: { error: 'invalid_client' } } });
  });
});

describe('APIAuthenticationSecurityIntegration and the YAML round trip (https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md; issue #6 item 6)', () => {
  const seedObject = (): APIAuthenticationSecurityIntegration => new APIAuthenticationSecurityIntegration({
    name: 'some_api_authentication_security_integration', auth_type: 'OAUTH2', oauth_token_endpoint: 'https://example.com/oauth/token',
    oauth_client_auth_method: 'CLIENT_SECRET_POST', oauth_client_id: 'your_client_id', oauth_client_secret: 'your_client_secret',
    oauth_grant: 'client_credentials', oauth_access_token_validity: 3600, oauth_allowed_scopes: ['read', 'write'], enabled: true,
    comment: 'Integration for external API authentication.',
  });

  it('is exported from the package with worldToYaml', async () => {
    const pkg = await import('../../index.ts');
    expect(pkg.APIAuthenticationSecurityIntegration).toBe(APIAuthenticationSecurityIntegration);
    expect(pkg.worldToYaml).toBe(worldToYaml);
  });

  it("has the seed's defaults: auth_type OAUTH2, enabled true, oauth_access_token_validity 0", () => {
    const bare = new APIAuthenticationSecurityIntegration({ name: 'ext' });
    expect([bare.auth_type, bare.enabled, bare.oauth_access_token_validity]).toEqual(['OAUTH2', true, 0]);
    expect(bare.toConfig()).toEqual({ name: 'ext', type: 'api_authentication', auth_type: 'OAUTH2', oauth_access_token_validity: 0, enabled: true });
    expect(() => new APIAuthenticationSecurityIntegration({ name: '' })).toThrow(/name is required/);
  });

  it("toConfig() is the seed's YAML example (indentation repaired)", () => {
    const yaml = `security_integrations:
- name: some_api_authentication_security_integration
  type: api_authentication
  auth_type: OAUTH2
  oauth_token_endpoint: https://example.com/oauth/token
  oauth_client_auth_method: CLIENT_SECRET_POST
  oauth_client_id: your_client_id
  oauth_client_secret: your_client_secret
  oauth_grant: client_credentials
  oauth_access_token_validity: 3600
  oauth_allowed_scopes: [read, write]
  enabled: true
  comment: Integration for external API authentication.
`;
    expect(parseWorldText(yaml).security_integrations).toEqual([seedObject().toConfig()]);
    expect(APIAuthenticationSecurityIntegration.fromConfig(seedObject().toConfig())).toEqual(seedObject());
  });

  it('worldToYaml round-trips: the seed object, and the whole native-app world with its setup script', () => {
    const config: WorldConfig = { roles: ['ANALYST'], security_integrations: [seedObject().toConfig()] };
    expect(parseWorldText(worldToYaml(config))).toEqual(config);
    const world = worldConfig();
    const again = parseWorldText(worldToYaml(world));
    expect(again).toEqual(world);
    const built = buildWorld(again, { now: NOW, ids: createIds(1) });
    expect(built.accounts[0]!.applications!.get('EXAMPLE_APP')!.configurations.has('OAUTH_CONFIG')).toBe(true);
  });
});

describe('review fixes (Snowflake side)', () => {
  it('CREATE SECURITY INTEGRATION refuses an endpoint with a fragment or that is no URL (001422), like the world loader', () => {
    const s = setup();
    const create = (url: string) => s.run(`CREATE SECURITY INTEGRATION frag TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 ENABLED = TRUE OAUTH_AUTHORIZATION_ENDPOINT = '${url}'`, 'ADMIN');
    expect(code(create('https://f.example.com/a?tenant=1#frag'))).toBe('001422');
    expect(code(create('not a url'))).toBe('001422');
    expect(code(create('https://f.example.com/a?tenant=1'))).not.toBe('001422');
  });

  it('setup scripts skip the application-role hierarchy, ALTER APPLICATION SET DEFAULT_STREAMLIT and non-integration specifications', () => {
    expect(skipReason('GRANT APPLICATION ROLE app_user TO APPLICATION ROLE app_admin')).toMatch(/hierarchy/);
    expect(skipReason('REVOKE APPLICATION ROLE app_user FROM APPLICATION ROLE app_admin')).toMatch(/hierarchy/);
    expect(skipReason('GRANT APPLICATION ROLE example_app.app_user TO ROLE analyst')).toBeUndefined();
    expect(skipReason('ALTER APPLICATION SET DEFAULT_STREAMLIT = app_schema.ui')).toMatch(/DEFAULT_STREAMLIT/);
    expect(skipReason("ALTER APPLICATION SET SPECIFICATION eai TYPE = EXTERNAL_ACCESS LABEL = 'x' DESCRIPTION = 'y' HOST_PORTS = ('provider.example.com')")).toMatch(/EXTERNAL_ACCESS/);
    expect(skipReason("ALTER APPLICATION SET SPECIFICATION s TYPE = 'SECURITY_INTEGRATION' LABEL = 'x'")).toBeUndefined();
    expect(skipReason("ALTER APPLICATION SET CONFIGURATION DEFINITION c TYPE = SECRET_AUTHORIZATION")).toBeUndefined();
    const s = setup();
    const r = s.script([
      'CREATE APPLICATION ROLE IF NOT EXISTS app_admin',
      'GRANT APPLICATION ROLE app_user TO APPLICATION ROLE app_admin',
      'ALTER APPLICATION SET DEFAULT_STREAMLIT = app_schema.ui',
      "ALTER APPLICATION SET SPECIFICATION eai TYPE = EXTERNAL_ACCESS LABEL = 'Provider' DESCRIPTION = 'reach the provider' HOST_PORTS = ('provider.example.com')",
    ].join(';\n'));
    expect(r.ok).toBe(true);
    expect(r.statements.map((x) => x.outcome)).toEqual(['ran', 'skipped', 'skipped', 'skipped']);
  });

  it('OR REPLACE with IF NOT EXISTS is a syntax error at IF (001003) for integrations, secrets, schemas and application roles', () => {
    const s = setup();
    const integration = s.run("CREATE OR REPLACE SECURITY INTEGRATION IF NOT EXISTS x TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 ENABLED = TRUE", 'ADMIN');
    expect(code(integration)).toBe('001003');
    expect(message(integration)).toMatch(/'IF'/);
    expect(code(s.run("CREATE OR REPLACE SECRET IF NOT EXISTS my_db.public.x TYPE = OAUTH2 API_AUTHENTICATION = ext_cc", 'ADMIN'))).toBe('001003');
    for (const sql of ['CREATE OR REPLACE SCHEMA IF NOT EXISTS s2', 'CREATE OR REPLACE APPLICATION ROLE IF NOT EXISTS r2']) {
      const r = s.script(sql);
      expect(r.ok ? 'ok' : r.rejection.code).toBe('001003');
    }
  });

  it('required properties (compilation) come before privileges: the same 001003 for ALICE as for ADMIN', () => {
    const s = setup();
    const sql = 'CREATE SECURITY INTEGRATION x TYPE = API_AUTHENTICATION';
    expect(code(s.run(sql, 'ADMIN'))).toBe('001003');
    expect(code(s.run(sql))).toBe('001003');
    expect(code(s.run('CREATE SECURITY INTEGRATION x TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 ENABLED = TRUE'))).toBe('003001');
    expect(code(s.run('CREATE SECRET my_db.public.x TYPE = OAUTH2'))).toBe('001003');
    expect(code(s.run("CREATE SECRET my_db.public.x TYPE = OAUTH2 API_AUTHENTICATION = ext_code OAUTH_REFRESH_TOKEN = 'r' OAUTH_REFRESH_TOKEN_EXPIRY_TIME = 'soon'"))).toBe('001422');
  });

  it('a pending flow expires after 10 minutes: FINISH answers 394610 with cause OAUTH_FLOW_EXPIRED', () => {
    const s = setup();
    const qs = s.provider.consent(started(s));
    s.now += PENDING_FLOW_TTL_MS;
    const r = s.run(finish(qs));
    expect(r.ok ? '' : `${r.rejection.code} ${r.rejection.cause}`).toBe('394610 OAUTH_FLOW_EXPIRED');
    expect(why(r)).toMatch(/expired after 10 minutes/);
    expect(flowsOf(s.account).size).toBe(0);
    const mismatch = s.provider.consent(started(s));
    s.now += PENDING_FLOW_TTL_MS;
    expect(s.run(finish('state=other&code=x'))).toMatchObject({ ok: false, rejection: { code: '394610', cause: 'OAUTH_FLOW_EXPIRED' } });
    expect(code(s.run(finish(mismatch)))).toBe('394610');
    const fresh = s.provider.consent(started(s));
    s.now += PENDING_FLOW_TTL_MS - 1;
    ok(s.run(finish(fresh)));
  });

  it('a statement-only session (no sessionKey: SQL API) gets the URL but keeps no pending flow', () => {
    const s = setup();
    ok(s.run(APPROVE, 'ADMIN'));
    const u = s.account.users.get('ALICE')!;
    const r = executeSql(START, { account: s.account, user: u, role: u.defaultRole!, auth: 'PASSWORD' }, { ...s.env(), sessionKey: undefined });
    expect(cell(r)).toMatch(/^https:\/\/provider\.example\.com\/.*state=/);
    expect(flowsOf(s.account).size).toBe(0);
  });

  it(`a user keeps at most MAX_PENDING_FLOWS_PER_USER (${MAX_PENDING_FLOWS_PER_USER}) pending flows: their oldest is forgotten`, () => {
    const s = setup();
    const first = s.provider.consent(started(s, 'session-0'));
    for (let i = 1; i <= MAX_PENDING_FLOWS_PER_USER; i++) started(s, `session-${i}`);
    expect([...flowsOf(s.account).values()].filter((f) => f.user === 'ALICE')).toHaveLength(MAX_PENDING_FLOWS_PER_USER);
    expect(code(s.run(finish(first), 'ALICE', 'session-0'))).toBe('394610');
  });

  it(`the account keeps at most MAX_PENDING_FLOWS (${MAX_PENDING_FLOWS}): expired flows go first, then the oldest`, () => {
    const s = setup();
    const flows = flowsOf(s.account);
    const fill = (i: number, startedAt: number) => flows.set(`st-${i}`, { state: `st-${i}`, session: `x-${i}`, user: `U${i}`, secret: APP_SECRET, redirectUri: 'r', scopes: [], startedAt });
    for (let i = 0; i < MAX_PENDING_FLOWS; i++) fill(i, i === 500 ? s.now - PENDING_FLOW_TTL_MS : s.now);
    started(s);
    expect(flows.size).toBe(MAX_PENDING_FLOWS);
    expect(flows.has('st-500')).toBe(false);
    expect(flows.has('st-0')).toBe(true);
    started(s, 's2');
    expect(flows.size).toBe(MAX_PENDING_FLOWS);
    expect(flows.has('st-0')).toBe(false);
  });

  it("CREATE OR REPLACE of a secret forgets its pending flows (forgetSecret)", () => {
    const s = setup();
    const qs = s.provider.consent(started(s));
    expect(flowsOf(s.account).size).toBe(1);
    const r = s.script('CREATE OR REPLACE SECRET app_schema.oauth_secret TYPE = OAUTH2 API_AUTHENTICATION = oauth_integration');
    expect(r.ok).toBe(true);
    expect(flowsOf(s.account).size).toBe(0);
    expect(code(s.run(finish(qs)))).toBe('394610');
  });

  it("a refused refresh names the provider's cause: expired → SECRET_REFRESH_TOKEN_EXPIRED, revoked → …_REVOKED, other → …_REJECTED", () => {
    const refusing = (s: Setup, cause: string | undefined): ProviderService => ({
      ...s.provider,
      refresh: (): ProviderResult => ({ ok: false, error: 'invalid_grant', description: 'refused', status: 400, ...(cause !== undefined && { cause }) }),
    });
    for (const [cause, expected] of [['PROVIDER_REFRESH_TOKEN_EXPIRED', 'SECRET_REFRESH_TOKEN_EXPIRED'], ['PROVIDER_REFRESH_TOKEN_REVOKED', 'SECRET_REFRESH_TOKEN_REVOKED'], ['PROVIDER_REFRESH_TOKEN_UNKNOWN', 'SECRET_REFRESH_TOKEN_REJECTED'], [undefined, 'SECRET_REFRESH_TOKEN_REJECTED']] as const) {
      const s = setup();
      authorized(s);
      s.now += 2 * HOUR;
      expect(useSecretToken(s.account, APP_SECRET, refusing(s, cause), s.now)).toMatchObject({ ok: false, rejection: { code: '394618', cause: expected } });
    }
  });

  it('scopes must be RFC 6749 §3.3 scope tokens: refused at load (field path) and in SQL (001422)', () => {
    let error: WorldConfigError | undefined;
    try {
      parseWorldText(WORLD_TEXT.replace('oauth_allowed_scopes: [read]', "oauth_allowed_scopes: ['read write', 'a\"b']"), 'w.yaml');
    } catch (e) {
      error = e as WorldConfigError;
    }
    expect(error?.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^security_integrations\[0\]\.oauth_allowed_scopes\[0\]: scope "read write" contains whitespace/),
      expect.stringMatching(/^security_integrations\[0\]\.oauth_allowed_scopes\[1\]: scope "a"b" contains "\\""/),
    ]);
    const s = setup();
    const integration = "CREATE SECURITY INTEGRATION x TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 ENABLED = TRUE OAUTH_ALLOWED_SCOPES = ('a b')";
    expect(message(s.run(integration, 'ADMIN'))).toBe("SQL compilation error:\ninvalid value [a b] for parameter 'OAUTH_ALLOWED_SCOPES'");
    const secret = s.run("CREATE SECRET my_db.public.x TYPE = OAUTH2 API_AUTHENTICATION = ext_code OAUTH_SCOPES = ('read x')", 'ADMIN');
    expect(code(secret)).toBe('001422');
    expect(why(secret)).toMatch(/OAUTH_SCOPES: scope "read x" contains whitespace/);
    const spec = s.script("ALTER APPLICATION SET SPECIFICATION s2 TYPE = SECURITY_INTEGRATION LABEL = 'l' DESCRIPTION = 'd' OAUTH_TYPE = CLIENT_CREDENTIALS OAUTH_TOKEN_ENDPOINT = 'https://x.example.com/t' OAUTH_ALLOWED_SCOPES = ('x y')");
    expect(spec.ok ? 'ok' : spec.rejection.code).toBe('001422');
  });

  it('a specification matches the integration when the endpoints differ only in host case or a trailing /', () => {
    const s = setup();
    ok(s.run(APPROVE, 'ADMIN'));
    const spec = (endpoint: string): void => {
      const r = s.script(`ALTER APPLICATION SET SPECIFICATION oauth_spec TYPE = SECURITY_INTEGRATION OAUTH_TYPE = 'AUTHORIZATION_CODE' OAUTH_TOKEN_ENDPOINT = '${endpoint}'`);
      expect(r.ok).toBe(true);
      const n = s.account.applications!.get('EXAMPLE_APP')!.specifications.get('OAUTH_SPEC')!.sequenceNumber;
      ok(s.run(APPROVE.replace('= 1', `= ${n}`), 'ADMIN'));
    };
    spec('https://Provider.EXAMPLE.com/oauth2/token/');
    expect(cell(s.run(START))).toMatch(/^https:/);
    spec('https://provider.example.com/oauth2/token2');
    expect(code(s.run(START))).toBe('394616');
    spec('http://provider.example.com/oauth2/token');
    expect(code(s.run(START))).toBe('394616');
  });

  it('the application owns what its setup script creates: session OR REPLACE, SET ENABLED and GRANT on them are 003001', () => {
    const s = setup();
    expect(s.account.securityIntegrations.get('OAUTH_INTEGRATION')).toMatchObject({ application: 'EXAMPLE_APP' });
    const grantsBefore = s.account.grants!.length;
    const replace = s.run("CREATE OR REPLACE SECURITY INTEGRATION oauth_integration TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 ENABLED = TRUE", 'ADMIN');
    expect(code(replace)).toBe('003001');
    expect(why(replace)).toMatch(/belongs to application EXAMPLE_APP/);
    expect(code(s.run('ALTER SECURITY INTEGRATION oauth_integration SET ENABLED = FALSE', 'ADMIN'))).toBe('003001');
    expect(code(s.run('GRANT USAGE ON INTEGRATION oauth_integration TO ROLE analyst', 'ADMIN'))).toBe('003001');
    expect(code(s.run('GRANT MODIFY ON SECRET example_app.app_schema.oauth_secret TO ROLE analyst', 'ADMIN'))).toBe('003001');
    expect(s.account.grants!.length).toBe(grantsBefore);
    expect(s.account.securityIntegrations.get('OAUTH_INTEGRATION')!.enabled).toBe(true);
    // the application itself may replace its own integration; it may not replace the account's
    expect(s.script("CREATE OR REPLACE SECURITY INTEGRATION oauth_integration TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 ENABLED = TRUE").ok).toBe(true);
    const other = s.script("CREATE OR REPLACE SECURITY INTEGRATION ext_code TYPE = API_AUTHENTICATION AUTH_TYPE = OAUTH2 ENABLED = TRUE");
    expect(other.ok ? 'ok' : other.rejection.code).toBe('003001');
    // account integrations stay the session's to manage
    ok(s.run('ALTER SECURITY INTEGRATION ext_code SET ENABLED = FALSE', 'ADMIN'));
  });

  it('the main flow against the REAL provider (createProviderService): START → consent → FINISH → configured → use → refresh', () => {
    const s = setup();
    const ids = createIds(3);
    const provider = createProviderService({ world: () => s.world, ids: () => ids, now: () => s.now });
    const run = (sql: string, user: 'ALICE' | 'ADMIN'): SqlResult => {
      const u = s.account.users.get(user)!;
      return executeSql(sql, { account: s.account, user: u, role: u.defaultRole!, auth: 'PASSWORD' }, { ...s.env('real'), provider });
    };
    ok(run(APPROVE, 'ADMIN'));
    const url = new URL(cell(run(START, 'ALICE'))!);
    const check = checkAuthorizeRequest(url.searchParams, provider.index().authorizeClients(url.hostname, url.pathname) ?? []);
    if (!check.ok) throw new Error(`authorize refused: ${JSON.stringify(check)}`);
    const outcome = decideConsent(check.request, 'allow', 'alice', { store: provider.store, ids, now: s.now });
    if (outcome.kind !== 'redirect') throw new Error(`consent: ${JSON.stringify(outcome)}`);
    expect(new URL(outcome.location).origin + new URL(outcome.location).pathname).toBe(redirectUriFor(s.account));
    expect(cell(run(finish(new URL(outcome.location).search.slice(1)), 'ALICE'))).toBe('OAuth flow completed successfully.');
    ok(run(CONFIGURE, 'ALICE'));
    const stored = useSecretToken(s.account, APP_SECRET, provider, s.now);
    expect(stored).toMatchObject({ ok: true, how: 'stored' });
    s.now += 2 * HOUR;
    const refreshed = useSecretToken(s.account, APP_SECRET, provider, s.now);
    expect(refreshed).toMatchObject({ ok: true, how: 'refreshed' });
    expect(refreshed.ok && stored.ok && refreshed.accessToken !== stored.accessToken).toBe(true);
    provider.revokeRefreshTokens('OAUTH_INTEGRATION');
    s.now += 2 * HOUR;
    expect(useSecretToken(s.account, APP_SECRET, provider, s.now)).toMatchObject({ ok: false, rejection: { code: '394618', cause: 'SECRET_REFRESH_TOKEN_REVOKED' } });
  });
});
