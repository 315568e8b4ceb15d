import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { createIds } from '../../domain/ids.ts';
import { buildWorld, clockSettingsOf } from '../../domain/world/build.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import type { OAuthIntegration } from '../../domain/world/model.ts';
import { DEFAULT_FIXTURE_KEYS, defaultWorldConfig } from '../../domain/world/default-world.ts';
import { parseWorldText } from '../../domain/world/parse-text.ts';
import { WorldConfigError, formatPath, validateWorldConfig, type WorldConfigIssue } from '../../domain/world/validate.ts';
import { loadWorldFile, resolveWorldInput } from '../../api/world-file.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;
const ALICE_FP = 'SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=';
const WORLDS = 'test/fixtures/worlds';

const keyBody = (file: string): string => readFileSync(`fixtures/keys/${file}`, 'utf8').replace(/-----[A-Z ]+-----|\s/g, '');
const ALICE_KEY = keyBody('alice.pub');
const build = (config: WorldConfig, seed = 7) => buildWorld(config, { now: NOW, ids: createIds(seed) });

/** Strips the common indentation of a template literal, so YAML can sit indented in the test. */
function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

/** The issues a text raises (empty when it loads). */
function textIssues(text: string, file = 'world.yaml'): WorldConfigIssue[] {
  try {
    parseWorldText(text, file);
    return [];
  } catch (e) {
    if (e instanceof WorldConfigError) return e.issues;
    throw e;
  }
}

/** A small valid single-account world, to break one rule at a time. */
function base(): WorldConfig {
  return {
    roles: ['ANALYST', 'SYSADMIN'],
    network_policies: [{ name: 'CORP_ONLY', allowed_ip_list: ['10.0.0.0/8'] }],
    users: [
      { name: 'ALICE', default_role: 'ANALYST', roles: ['ANALYST'], programmatic_access_tokens: [{ name: 'CI', secret: 'pat-ci', role_restriction: 'ANALYST' }] },
      { name: 'ETL_BOT', type: 'service', default_role: 'SYSADMIN', roles: ['SYSADMIN'] },
    ],
    security_integrations: [
      { name: 'MY_APP', type: 'oauth', oauth_client: 'custom', oauth_client_type: 'confidential', oauth_redirect_uri: 'https://app.example.com/callback' },
    ],
    oauth_access_tokens: [{ token: 'oauth-alice', user: 'ALICE' }],
  };
}

/** `path: message` of every problem once `change` is applied to {@link base}. */
function problems(change: (config: WorldConfig & Record<string, any>) => void): string[] {
  const config = base() as WorldConfig & Record<string, any>;
  change(config);
  return validateWorldConfig(config).map((p) => `${formatPath(p.path)}: ${p.message}`);
}

describe('the example world from the brief', () => {
  const config = loadWorldFile(`${WORLDS}/example.yaml`);
  const world = build(config);
  const account = world.accounts[0]!;
  const alice = account.users.get('ALICE')!;

  it('loads into the runtime model with normalised values', () => {
    expect(account.name).toBe('MYORG-MYACCOUNT');
    expect(account.locator).toBe('XY12345');
    expect(account.networkPolicy).toBe('ACCOUNT_POLICY');
    expect(alice.loginName).toBe('ALICE');
    expect(alice.type).toBe('PERSON');
    expect([...alice.roles]).toEqual(['PUBLIC', 'ANALYST']);
    expect(account.roles.has('PUBLIC')).toBe(true);
    expect(alice.networkPolicy).toBe('CORP_ONLY');
    expect(account.users.get('ETL_BOT')!.type).toBe('SERVICE');
  });

  it('parses CIDR lists', () => {
    const corp = account.networkPolicies.get('CORP_ONLY')!;
    expect(corp.allowedIpList.map((c) => [c.text, c.prefix, c.family])).toEqual([['10.0.0.0/8', 8, 4]]);
    expect(corp.blockedIpList.map((c) => [c.text, c.prefix])).toEqual([['10.0.0.99', 32]]);
    expect(account.networkPolicies.get('ACCOUNT_POLICY')!.allowedIpList[0]!.prefix).toBe(0);
  });

  it('imports keys into named slots with the Snowflake fingerprint', () => {
    expect(alice.rsaPublicKey).toMatchObject({ slot: 'RSA_PUBLIC_KEY', fingerprint: ALICE_FP, text: ALICE_KEY });
    expect(alice.rsaPublicKey!.key.asymmetricKeyType).toBe('rsa');
    expect(alice.rsaPublicKey2).toBeUndefined();
  });

  it('computes PAT and token expiries from the clock start', () => {
    const pat = alice.programmaticAccessTokens[0]!;
    expect(pat).toMatchObject({ name: 'CI', secret: 'pat-alice-ci', roleRestriction: 'ANALYST', daysToExpiry: 15, createdAt: NOW, disabled: false });
    expect(pat.expiresAt).toBe(NOW + 15 * DAY);
    expect(account.oauthAccessTokens).toEqual([{ token: 'oauth-alice-token', user: 'ALICE', role: 'ANALYST', expiresAt: NOW + 600_000, integration: undefined }]);
  });

  it('builds the oauth integration with its defaults', () => {
    expect(account.securityIntegrations.get('MY_APP')).toMatchObject({
      type: 'OAUTH', oauthClient: 'CUSTOM', oauthClientType: 'CONFIDENTIAL', oauthClientId: 'my-app-client',
      oauthClientSecret: 'my-app-secret', networkPolicy: 'CORP_ONLY', enabled: true, oauthAccessTokenValidity: 600,
      oauthRefreshTokenValidity: 7_776_000, oauthIssueRefreshTokens: true, oauthEnforcePkce: false,
    });
  });

  it('fills account defaults: PAT policy, parameters, databases, warehouses, switches, clock', () => {
    expect(account.patPolicy).toEqual({ networkPolicyEvaluation: 'ENFORCED_REQUIRED', requireRoleRestrictionForServiceUsers: true, defaultExpiryInDays: 15, maxExpiryInDays: 365 });
    expect(account.parameters.oauthAddPrivilegedRolesToBlockedList).toBe(true);
    expect(account.databases.map((d) => d.name)).toEqual(['SNOWFLAKE', 'SNOWFLAKE_SAMPLE_DATA']);
    expect(account.warehouses).toEqual([{ name: 'COMPUTE_WH', size: 'X-Small', owner: 'ACCOUNTADMIN', createdOn: NOW }]);
    expect(world.switches).toEqual({ networkPolicyPrecedence: 'seed', bcr2026_07: false, jwtSpecificErrors: false, jwtAlgorithms: ['RS256'] });
    expect(world.clock).toEqual({ frozen: false });
  });
});

describe('single-account shorthand', () => {
  it('reads top-level account fields as one account with default name and locator', () => {
    const config = parseWorldText(yaml(`
      roles: [analyst]
      users:
        - name: alice
          default_role: analyst
          roles: [analyst]
    `));
    const account = build(config).accounts[0]!;
    expect([account.name, account.locator]).toEqual(['MYORG-MYACCOUNT', 'XY12345']);
    expect(account.users.get('ALICE')!.defaultRole).toBe('ANALYST');
  });

  it('takes name and a locator with its region', () => {
    const account = build({ name: 'acme-prod', locator: 'ab12345.us-east-2.aws' }).accounts[0]!;
    expect([account.name, account.locator, account.region]).toEqual(['ACME-PROD', 'AB12345', 'us-east-2.aws']);
  });

  it('refuses account fields beside accounts:', () => {
    expect(validateWorldConfig({ accounts: [{ name: 'A', locator: 'X1' }], users: [] }).map((p) => p.message)).toEqual([
      '"users" cannot sit beside "accounts": move it into one of the accounts',
    ]);
  });

  it('requires a name in the full form; the locator is optional there too (derived from the name, test/unit/world-locator.test.ts)', () => {
    const found = validateWorldConfig({ accounts: [{ users: [] }] }).map((p) => formatPath(p.path));
    expect(found).toEqual(['accounts[0].name']);
  });

  it('refuses duplicate accounts', () => {
    const found = validateWorldConfig({ accounts: [{ name: 'A-B', locator: 'X1' }, { name: 'a-b', locator: 'X2' }] });
    expect(found.map((p) => p.message)).toEqual(['duplicate account name "A-B" (already declared at accounts[0].name)']);
  });
});

describe('JSON worlds', () => {
  const json = JSON.stringify({ roles: ['ANALYST'], users: [{ name: 'ALICE', default_role: 'ANALIST', roles: ['ANALYST'] }] }, null, 2);

  it('load like YAML', () => {
    const config = parseWorldText(json.replace('ANALIST', 'ANALYST'), 'world.json');
    expect(build(config).accounts[0]!.users.get('ALICE')!.defaultRole).toBe('ANALYST');
  });

  it('report problems with line numbers', () => {
    const [issue] = textIssues(json, 'world.json');
    const line = json.split('\n').findIndex((l) => l.includes('default_role')) + 1;
    expect(issue).toMatchObject({ file: 'world.json', line, column: 7, path: 'users[0].default_role' });
  });

  it('load from a .json file through loadWorldFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'world-'));
    writeFileSync(join(dir, 'w.json'), json.replace('ANALIST', 'ANALYST'));
    expect(loadWorldFile(join(dir, 'w.json')).users![0]!.name).toBe('ALICE');
  });
});

describe('the API_AUTHENTICATION example (https://github.com/Titan-Systems/titan/blob/main/docs/resources/api_authentication_security_integration.md)', () => {
  it('loads when correctly indented', () => {
    const account = build(loadWorldFile(`${WORLDS}/seed-000.yaml`)).accounts[0]!;
    expect(account.securityIntegrations.get('SOME_API_AUTHENTICATION_SECURITY_INTEGRATION')).toEqual({
      type: 'API_AUTHENTICATION', name: 'SOME_API_AUTHENTICATION_SECURITY_INTEGRATION', enabled: true, authType: 'OAUTH2',
      oauthTokenEndpoint: 'https://example.com/oauth/token', oauthAuthorizationEndpoint: undefined,
      oauthClientAuthMethod: 'CLIENT_SECRET_POST', oauthClientId: 'your_client_id', oauthClientSecret: 'your_client_secret',
      oauthGrant: 'CLIENT_CREDENTIALS', oauthAccessTokenValidity: 3600, oauthRefreshTokenValidity: undefined,
      oauthAllowedScopes: ['read', 'write'], oauthAssertionIssuer: undefined, comment: 'Integration for external API authentication.',
    });
  });

  it('fails as printed, naming the file, the first mis-indented line and the cause', () => {
    const file = `${WORLDS}/seed-000-as-printed.yaml`;
    const error = (() => {
      try {
        loadWorldFile(file);
      } catch (e) {
        return e as WorldConfigError;
      }
    })();
    expect(error).toBeInstanceOf(WorldConfigError);
    expect(error!.issues).toHaveLength(1); // not the cascade of YAML "implicit key" errors
    expect(error!.issues[0]).toMatchObject({ file, line: 3, column: 5 });
    expect(error!.message).toContain(`${file}:3:5: the fields of the list item that starts on line 2 are mis-indented`);
    expect(error!.message).toMatch(/indent/);
  });

  it('api_authentication rules: endpoints, grant, auth type, validity', () => {
    const found = problems((c) => c.security_integrations!.push({
      type: 'API_AUTHENTICATION', name: 'EXT', auth_type: 'SAML2' as 'OAUTH2', oauth_token_endpoint: 'example.com/token',
      oauth_grant: 'password' as 'jwt_bearer', oauth_access_token_validity: -1, oauth_client_auth_method: 'client_secret_jwt' as 'CLIENT_SECRET_POST',
    }));
    expect(found).toEqual([
      'security_integrations[1].auth_type: expected one of OAUTH2, got "SAML2"',
      'security_integrations[1].oauth_token_endpoint: "example.com/token" is not an absolute http(s) URL',
      'security_integrations[1].oauth_client_auth_method: expected one of CLIENT_SECRET_POST, CLIENT_SECRET_BASIC, got "client_secret_jwt"',
      'security_integrations[1].oauth_grant: expected one of CLIENT_CREDENTIALS, AUTHORIZATION_CODE, JWT_BEARER, got "password"',
      'security_integrations[1].oauth_access_token_validity: expected a whole number at least 0, got number -1',
    ]);
  });
});

describe('problems are placed at file:line:column with the field path', () => {
  it('an undeclared default role, with a suggestion', () => {
    const text = loadText('example.yaml').replace('default_role: ANALYST', 'default_role: ANALIST');
    const issues = textIssues(text);
    expect(issues).toHaveLength(1);
    expect(new WorldConfigError(issues).message).toContain(
      'world.yaml:15:9: accounts[0].users[0].default_role: role "ANALIST" is not declared in accounts[0].roles ' +
        '(declared: PUBLIC, ANALYST, SYSADMIN, ACCOUNTADMIN); did you mean "ANALYST"?',
    );
  });

  it('an object input has paths but no lines', () => {
    expect(() => build({ users: [{ name: 'A', default_role: 'NOPE' }] })).toThrowError(/^invalid world config \(1 problem\):\nusers\[0\]\.default_role: role "NOPE" is not declared in roles \(declared: PUBLIC\)$/);
  });

  it('a mis-indented item hides only its own YAML errors', () => {
    const text = yaml(`
      users:
      - name: A
          login_name: a
          password: p
      roles: [X
    `);
    expect(textIssues(text).map((i) => [i.line, i.message.slice(0, 30)])).toEqual([
      [3, 'the fields of the list item th'],
      [6, 'YAML syntax error: Flow sequen'], // yaml places an unclosed flow at the end of input
    ]);
  });

  it('YAML syntax errors become issues with a line', () => {
    const [issue] = textIssues('users:\n  - name: A\n    roles: [A, B\n');
    expect(issue!.line).toBeGreaterThan(0);
    expect(issue!.message).toMatch(/^YAML syntax error: /);
  });

  it('an empty file and a non-mapping are refused', () => {
    expect(textIssues('')[0]!.message).toMatch(/empty/);
    expect(textIssues('- a\n- b\n')[0]!.message).toBe('expected a mapping, got a list');
  });

  it('reports every problem at once, sorted by line', () => {
    const text = yaml(`
      roles: [ANALYST]
      network_policies:
        - { name: P, allowed_ip_list: [10.0.0.0/33] }
      users:
        - name: A
          pasword: x
          default_role: ANALIST
          network_policy: Q
        - name: A
      security_integrations:
        - { name: S, type: oauth, oauth_client: custom }
    `);
    const issues = textIssues(text);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [3, 'network_policies[0].allowed_ip_list[0]'],
      [6, 'users[0].pasword'],
      [7, 'users[0].default_role'],
      [8, 'users[0].network_policy'],
      [9, 'users[1].name'], // duplicate user name
      [9, 'users[1].name'], // duplicate login name (LOGIN_NAME defaults to NAME)
      [11, 'security_integrations[0].oauth_client_type'], // missing: placed at the item
      [11, 'security_integrations[0].oauth_redirect_uri'],
    ]);
  });
});

function loadText(name: string): string {
  return readFileSync(`${WORLDS}/${name}`, 'utf8');
}

describe('keys', () => {
  it('a truncated key fails with a clear message', () => {
    const text = loadText('example.yaml').replace(ALICE_KEY, 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A...');
    expect(textIssues(text).map((i) => `${i.line} ${i.path}: ${i.message}`)).toEqual([
      '17 accounts[0].users[0].rsa_public_key: not a usable public key: not base64 (expected a PEM public key or its base64 DER SubjectPublicKeyInfo body)',
    ]);
  });

  it('base64 that is not a key fails', () => {
    expect(problems((c) => (c.users![0]!.rsa_public_key = 'AAAA'))).toEqual(['users[0].rsa_public_key: not a usable public key: not a DER SubjectPublicKeyInfo public key']);
  });

  it('a 1024-bit RSA key fails (https://docs.snowflake.com/en/user-guide/key-pair-auth)', () => {
    expect(problems((c) => (c.users![0]!.rsa_public_key_2 = keyBody('weak-1024.pub')))).toEqual([
      'users[0].rsa_public_key_2: not a usable public key: RSA key is 1024 bits; Snowflake requires at least 2048 bits (https://docs.snowflake.com/en/user-guide/key-pair-auth)',
    ]);
  });

  it('accepts a PEM and an EC key', () => {
    const pem = readFileSync('fixtures/keys/alice.pub', 'utf8');
    const user = build({ users: [{ name: 'A', rsa_public_key: pem, rsa_public_key_2: readFileSync('fixtures/keys/ec-p256.pub', 'utf8') }] }).accounts[0]!.users.get('A')!;
    expect(user.rsaPublicKey!.fingerprint).toBe(ALICE_FP);
    expect(user.rsaPublicKey2).toMatchObject({ slot: 'RSA_PUBLIC_KEY_2' });
    expect(user.rsaPublicKey2!.key.asymmetricKeyType).toBe('ec');
  });

  it('oauth client keys follow the same rules', () => {
    expect(problems((c) => ((c.security_integrations![0] as any).oauth_client_rsa_public_key = keyBody('weak-1024.pub')))).toHaveLength(1);
  });
});

describe('network policies and rules (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  it('refuses bad CIDRs, naming the entry', () => {
    expect(problems((c) => (c.network_policies![0]!.blocked_ip_list = ['10.0.0.0/33', '300.1.1.1', '10.0.0.1/8', '::/0']))).toEqual([
      'network_policies[0].blocked_ip_list[0]: "10.0.0.0/33" has an invalid prefix length (an IPv4 prefix is /0 to /32)',
      'network_policies[0].blocked_ip_list[1]: "300.1.1.1" is not an IP address or CIDR block (expected e.g. 10.0.0.0/8, 10.0.0.99 or 2001:db8::/32)',
      'network_policies[0].blocked_ip_list[2]: "10.0.0.1/8" has host bits set below /8; write the block\'s network address',
    ]);
  });

  it('refuses references to undeclared policies at account, user and integration level', () => {
    expect(problems((c) => {
      c.network_policy = 'CORP';
      c.users![0]!.network_policy = 'corp_only';
      c.users![1]!.network_policy = 'NOPE';
      (c.security_integrations![0] as any).network_policy = 'ELSEWHERE';
    })).toEqual([
      'network_policy: network policy "CORP" is not declared in network_policies (declared: CORP_ONLY)',
      'users[1].network_policy: network policy "NOPE" is not declared in network_policies (declared: CORP_ONLY)',
      'security_integrations[0].network_policy: network policy "ELSEWHERE" is not declared in network_policies (declared: CORP_ONLY)',
    ]);
    expect(problems((c) => (c.network_policy = 'CORP_ONL'))[0]).toMatch(/did you mean "CORP_ONLY"\?$/);
  });

  it('resolves network rules and checks their names and families', () => {
    const rules = [{ name: 'office', type: 'ipv4' as const, value_list: ['192.168.1.0/24'] }];
    const world = build({ ...base(), network_rules: rules, network_policies: [{ name: 'P', allowed_network_rule_list: ['OFFICE'] }] });
    expect(world.accounts[0]!.networkRules.get('OFFICE')).toMatchObject({ type: 'IPV4', mode: 'INGRESS', valueList: [{ prefix: 24 }] });
    expect(world.accounts[0]!.networkPolicies.get('P')!.allowedNetworkRuleList).toEqual(['OFFICE']);
    expect(problems((c) => {
      c.network_rules = [{ name: 'R6', type: 'IPV6', value_list: ['10.0.0.0/8'] }];
      c.network_policies![0]!.blocked_network_rule_list = ['R7'];
    })).toEqual([
      'network_rules[0].value_list[0]: "10.0.0.0/8" is not an IPV6 block, but the rule\'s type is IPV6',
      'network_policies[0].blocked_network_rule_list[0]: network rule "R7" is not declared in network_rules; did you mean "R6"?',
    ]);
  });

  it('refuses duplicate policy names', () => {
    expect(problems((c) => c.network_policies!.push({ name: 'corp_only' }))).toEqual([
      'network_policies[1].name: duplicate network policy name "CORP_ONLY" (already declared at network_policies[0].name)',
    ]);
  });
});

describe('unknown keys', () => {
  it('are refused with a suggestion when one is close', () => {
    expect(problems((c) => ((c.users![0] as any).pasword = 'x'))).toEqual(['users[0].pasword: unknown key "pasword"; did you mean "password"?']);
    expect(problems((c) => ((c.security_integrations![0] as any).OAUTH_ENFORCE_PKCE = true))).toEqual([
      'security_integrations[0].OAUTH_ENFORCE_PKCE: unknown key "OAUTH_ENFORCE_PKCE"; did you mean "oauth_enforce_pkce"?',
    ]);
  });

  it('list the expected keys when none is close', () => {
    expect(problems((c) => (c.switches = { turbo: true } as any))[0]).toBe(
      'switches.turbo: unknown key "turbo" (expected one of: network_policy_precedence, bcr_2026_07, jwt_specific_errors, jwt_algorithms, unmodelled_statements)',
    );
  });

  it('point at the key in the text', () => {
    expect(textIssues('users:\n  - name: A\n    pasword: x\n')[0]).toMatchObject({ line: 3, column: 5, path: 'users[0].pasword' });
  });
});

describe('users and roles', () => {
  it('refuses duplicate users and duplicate login names', () => {
    expect(problems((c) => c.users!.push({ name: 'alice' }))).toEqual([
      'users[2].name: duplicate user name "ALICE" (already declared at users[0].name)',
      'users[2].name: duplicate login_name "ALICE" (already declared at users[0].name)',
    ]);
    expect(problems((c) => c.users!.push({ name: 'ALICE2', login_name: 'Alice' }))).toEqual([
      'users[2].login_name: duplicate login_name "ALICE" (already declared at users[0].name)',
    ]);
  });

  it('refuses a default role that is not granted', () => {
    expect(problems((c) => (c.users![0]!.default_role = 'SYSADMIN'))).toEqual([
      'users[0].default_role: default role "SYSADMIN" is not granted to user ALICE (granted: PUBLIC, ANALYST); add it to the user\'s roles',
    ]);
  });

  it('knows the system roles without declaring them, and no other role', () => {
    expect(problems((c) => (c.users![0]!.roles = ['ANALYST', 'ACCOUNTADMIN', 'USERADMIN']))).toEqual([]);
    expect(problems((c) => (c.users![0]!.roles = ['ANALYST', 'READER']))).toEqual([
      'users[0].roles[1]: role "READER" is not declared in roles (declared: PUBLIC, ANALYST, SYSADMIN)',
    ]);
  });

  it('normalises names, login names and types', () => {
    const world = build({ users: [{ name: 'svc', login_name: 'svc@corp', type: 'LEGACY_SERVICE' }, { name: 'n', type: null }, { name: 'p' }] });
    const users = world.accounts[0]!.users;
    expect([...users.values()].map((u) => [u.name, u.loginName, u.type])).toEqual([
      ['SVC', 'SVC@CORP', 'LEGACY_SERVICE'], ['N', 'N', 'NULL'], ['P', 'P', 'PERSON'],
    ]);
    expect(problems((c) => (c.users![0]!.type = 'robot' as 'person'))).toEqual([
      'users[0].type: expected one of PERSON, SERVICE, LEGACY_SERVICE, SERVICE_AGENT, NULL, got "robot"',
    ]);
  });

  it('adds PUBLIC and the system roles to the account', () => {
    expect([...build(base()).accounts[0]!.roles]).toEqual(['PUBLIC', 'ANALYST', 'SYSADMIN', 'ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN', 'ORGADMIN', 'GLOBALORGADMIN']);
  });

  it('refuses wrong value types with the value shown', () => {
    expect(problems((c) => {
      (c.users![0] as any).password = 12345;
      (c.users![0] as any).disabled = 'yes';
    })).toEqual([
      'users[0].password: expected a non-empty string, got number 12345 (quote it: "12345")',
      'users[0].disabled: expected true or false, got the string "yes"',
    ]);
  });
});

describe('programmatic access tokens (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)', () => {
  it('need a role restriction on service users, unless the PAT policy says otherwise', () => {
    const addServicePat = (c: WorldConfig) => (c.users![1]!.programmatic_access_tokens = [{ name: 'ETL' }]);
    expect(problems(addServicePat)).toEqual([
      'users[1].programmatic_access_tokens[0].role_restriction: user ETL_BOT is a SERVICE user, so its PATs need a role_restriction (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token); set one, or set pat_policy.require_role_restriction_for_service_users: false',
    ]);
    expect(problems((c) => {
      addServicePat(c);
      c.pat_policy = { require_role_restriction_for_service_users: false };
    })).toEqual([]);
  });

  it('restrict to a role granted to the user', () => {
    expect(problems((c) => (c.users![0]!.programmatic_access_tokens![0]!.role_restriction = 'SYSADMIN'))).toEqual([
      'users[0].programmatic_access_tokens[0].role_restriction: role_restriction "SYSADMIN" is not granted to user ALICE (granted: PUBLIC, ANALYST); https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token',
    ]);
  });

  it('expire within 1 … max_expiry_in_days', () => {
    const pat = (c: WorldConfig) => c.users![0]!.programmatic_access_tokens![0]!;
    expect(problems((c) => (pat(c).days_to_expiry = 366))).toEqual([
      'users[0].programmatic_access_tokens[0].days_to_expiry: expected a whole number between 1 and 365 (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token), got number 366',
    ]);
    expect(problems((c) => (pat(c).days_to_expiry = 365))).toEqual([]);
    expect(problems((c) => (pat(c).days_to_expiry = 0))).toHaveLength(1);
    expect(problems((c) => {
      c.pat_policy = { max_expiry_in_days: 30, default_expiry_in_days: 7 };
      pat(c).days_to_expiry = 31;
    })).toEqual([
      'users[0].programmatic_access_tokens[0].days_to_expiry: expected a whole number between 1 and 30 (pat_policy.max_expiry_in_days), got number 31',
    ]);
    expect(problems((c) => (c.pat_policy = { max_expiry_in_days: 7 }))).toEqual([
      'pat_policy.max_expiry_in_days: max_expiry_in_days (7) is below default_expiry_in_days (15); the maximum ranges from the default to 365 (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)',
    ]);
  });

  it('default their expiry to the PAT policy', () => {
    const config = base();
    config.pat_policy = { default_expiry_in_days: 5 };
    expect(build(config).accounts[0]!.users.get('ALICE')!.programmaticAccessTokens[0]!.expiresAt).toBe(NOW + 5 * DAY);
  });

  it('bypass the network-policy requirement for 0 … 1440 minutes', () => {
    const set = (mins: number) => problems((c) => (c.users![0]!.programmatic_access_tokens![0]!.mins_to_bypass_network_policy_requirement = mins));
    expect(set(0)).toEqual([]);
    expect(set(1440)).toEqual([]);
    expect(set(1441)).toEqual([
      'users[0].programmatic_access_tokens[0].mins_to_bypass_network_policy_requirement: expected a whole number between 0 and 1440 (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token), got number 1441',
    ]);
  });

  it('have valid, unique names, at most 15 per user', () => {
    expect(problems((c) => (c.users![0]!.programmatic_access_tokens![0]!.name = '1st-token'))).toEqual([
      'users[0].programmatic_access_tokens[0].name: PAT name "1st-token" must be at most 255 letters, digits and underscores, and start with a letter or underscore (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)',
    ]);
    expect(problems((c) => c.users![0]!.programmatic_access_tokens!.push({ name: 'ci' }))).toEqual([
      'users[0].programmatic_access_tokens[1].name: duplicate PAT name of user ALICE "CI" (already declared at users[0].programmatic_access_tokens[0].name)',
    ]);
    const sixteen = Array.from({ length: 16 }, (_, i) => ({ name: `T${i}` }));
    expect(problems((c) => (c.users![0]!.programmatic_access_tokens = sixteen))).toEqual([
      'users[0].programmatic_access_tokens: user ALICE has 16 programmatic access tokens; Snowflake allows at most 15 per user (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)',
    ]);
  });

  it('generate missing secrets from the seed', () => {
    const secret = (seed: number) => build({ users: [{ name: 'A', programmatic_access_tokens: [{ name: 'T' }] }] }, seed).accounts[0]!.users.get('A')!.programmaticAccessTokens[0]!.secret;
    expect(secret(1)).toBe(secret(1));
    expect(secret(1)).not.toBe(secret(2));
    expect(secret(1)).toMatch(/^pat-[A-Za-z0-9]{40}$/);
  });

  it('take created_on and rotated secrets', () => {
    const pat = build({
      users: [{
        name: 'A',
        programmatic_access_tokens: [{
          name: 't', secret: 'new', days_to_expiry: 2, created_on: '2025-12-31T00:00:00Z',
          rotated: [{ secret: 'old', rotated_on: '2025-12-31T12:00:00Z' }, { secret: 'older', expire_after_hours: 0 }],
        }],
      }],
    }).accounts[0]!.users.get('A')!.programmaticAccessTokens[0]!;
    const created = Date.parse('2025-12-31T00:00:00Z');
    expect([pat.createdAt, pat.expiresAt]).toEqual([created, created + 2 * DAY]);
    expect(pat.rotated).toEqual([
      { name: `T_ROTATED_${created + 12 * 3_600_000}`, secret: 'old', expiresAt: created + 36 * 3_600_000 },
      { name: `T_ROTATED_${NOW}`, secret: 'older', expiresAt: NOW },
    ]);
  });

  it('refuse a secret used twice in an account', () => {
    expect(problems((c) => (c.oauth_access_tokens![0]!.token = 'pat-ci'))).toEqual([
      'oauth_access_tokens[0].token: the same secret is already used at users[0].programmatic_access_tokens[0].secret; every PAT secret and OAuth token must be unique within an account',
    ]);
    expect(problems((c) => (c.oauth_access_tokens![0]!.token = 'PAT-CI'))).toEqual([]); // secrets are case-sensitive
  });

  it('refuse a created_on without a time zone', () => {
    expect(problems((c) => (c.users![0]!.programmatic_access_tokens![0]!.created_on = '2026-01-01T10:00:00'))).toEqual([
      'users[0].programmatic_access_tokens[0].created_on: expected an ISO 8601 instant with a time zone (e.g. 2026-01-01T00:00:00Z), got the string "2026-01-01T10:00:00"',
    ]);
  });
});

describe('oauth integrations (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)', () => {
  const app = (c: WorldConfig) => c.security_integrations![0] as any;

  it('require a redirect URI and client type for custom clients', () => {
    expect(problems((c) => {
      delete app(c).oauth_redirect_uri;
      delete app(c).oauth_client_type;
    })).toEqual([
      'security_integrations[0].oauth_client_type: required for a CUSTOM client (CONFIDENTIAL or PUBLIC)',
      'security_integrations[0].oauth_redirect_uri: required for a CUSTOM client (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)',
    ]);
  });

  it('require https redirects unless non-TLS is allowed', () => {
    expect(problems((c) => (app(c).oauth_alternate_redirect_uris = ['http://localhost/cb']))).toEqual([
      'security_integrations[0].oauth_alternate_redirect_uris[0]: "http://localhost/cb" must use https (set oauth_allow_non_tls_redirect_uri: true to allow it, https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)',
    ]);
    expect(problems((c) => {
      app(c).oauth_redirect_uri = 'http://localhost/cb';
      app(c).oauth_allow_non_tls_redirect_uri = true;
    })).toEqual([]);
  });

  it('keep token validities in range', () => {
    expect(problems((c) => {
      app(c).oauth_access_token_validity = 30;
      app(c).oauth_refresh_token_validity = 3600;
    })).toEqual([
      'security_integrations[0].oauth_access_token_validity: expected a whole number between 60 and 3600 (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake), got number 30',
      'security_integrations[0].oauth_refresh_token_validity: expected a whole number between 86400 and 7776000 for custom clients (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake), got number 3600',
    ]);
    expect(problems((c) => c.security_integrations!.push({ type: 'oauth', name: 'TAB', oauth_client: 'tableau_desktop', oauth_refresh_token_validity: 3600 }))).toEqual([]);
  });

  it('pre-authorize roles only for confidential custom clients, never privileged ones', () => {
    expect(problems((c) => (app(c).pre_authorized_roles_list = ['ANALYST', 'ACCOUNTADMIN']))).toEqual([
      'security_integrations[0].pre_authorized_roles_list[1]: pre_authorized_roles_list cannot contain ACCOUNTADMIN (Snowflake forbids ACCOUNTADMIN, ORGADMIN, GLOBALORGADMIN, SECURITYADMIN; https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)',
    ]);
    expect(problems((c) => {
      app(c).oauth_client_type = 'public';
      app(c).pre_authorized_roles_list = ['ANALYST'];
    })).toEqual(['security_integrations[0].pre_authorized_roles_list: only CUSTOM clients of type CONFIDENTIAL take pre_authorized_roles_list (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake)']);
  });

  it('generate client id and secret when absent, and default partner client types', () => {
    const account = build({ security_integrations: [{ type: 'OAuth' as 'oauth', name: 'tab', oauth_client: 'TABLEAU_DESKTOP' }] }).accounts[0]!;
    const tab = account.securityIntegrations.get('TAB') as OAuthIntegration;
    expect(tab).toMatchObject({ type: 'OAUTH', oauthClient: 'TABLEAU_DESKTOP', oauthClientType: 'PUBLIC' });
    expect([tab.oauthClientId.length, tab.oauthClientSecret.length]).toEqual([28, 44]);
  });

  it('need a known type, unique names and unique client ids', () => {
    expect(problems((c) => c.security_integrations!.push({ type: 'saml2', name: 'X' } as any))).toEqual([
      'security_integrations[1].type: expected one of OAUTH, API_AUTHENTICATION, EXTERNAL_OAUTH, got "saml2"',
    ]);
    expect(problems((c) => {
      app(c).oauth_client_id = 'Same';
      c.security_integrations!.push({ ...app(c), name: 'my_app' });
    })).toEqual([
      'security_integrations[1].name: duplicate security integration name "MY_APP" (already declared at security_integrations[0].name)',
      'security_integrations[1].oauth_client_id: duplicate oauth_client_id "Same" (already declared at security_integrations[0].oauth_client_id)',
    ]);
  });

  it('check role lists against the account roles', () => {
    expect(problems((c) => (app(c).blocked_roles_list = ['ANALYSTS']))).toEqual([
      'security_integrations[0].blocked_roles_list[0]: role "ANALYSTS" is not declared in roles (declared: PUBLIC, ANALYST, SYSADMIN); did you mean "ANALYST"?',
    ]);
  });
});

describe('pre-issued oauth tokens', () => {
  it('default role to the user\'s default role and expiry to 600 s; accept durations and absolute expiries', () => {
    const config = base();
    config.oauth_access_tokens = [
      { token: 'a', user: 'alice' },
      { token: 'b', user: 'ETL_BOT', expires_in: '10m', integration: 'my_app' },
      { token: 'c', user: 'ALICE', role: 'public', expires_at: '2026-01-02T00:00:00Z' },
      { token: 'd', user: 'ALICE', expires_in: -1 },
    ];
    expect(build(config).accounts[0]!.oauthAccessTokens).toEqual([
      { token: 'a', user: 'ALICE', role: 'ANALYST', expiresAt: NOW + 600_000, integration: undefined },
      { token: 'b', user: 'ETL_BOT', role: 'SYSADMIN', expiresAt: NOW + 600_000, integration: 'MY_APP' },
      { token: 'c', user: 'ALICE', role: 'PUBLIC', expiresAt: NOW + DAY, integration: undefined },
      { token: 'd', user: 'ALICE', role: 'ANALYST', expiresAt: NOW - 1000, integration: undefined },
    ]);
  });

  it('name a declared user, role and oauth integration', () => {
    expect(problems((c) => {
      c.security_integrations!.push({ type: 'api_authentication', name: 'EXT' });
      c.oauth_access_tokens = [
        { token: 'a', user: 'ALICEE', role: 'GUEST', integration: 'EXT' },
        { token: 'b', user: 'ALICE', integration: 'NOPE', expires_in: 'soon', expires_at: 'later' },
      ];
    })).toEqual([
      'oauth_access_tokens[0].user: user "ALICEE" is not declared in users; did you mean "ALICE"?',
      'oauth_access_tokens[0].role: role "GUEST" is not declared in roles (declared: PUBLIC, ANALYST, SYSADMIN)',
      'oauth_access_tokens[0].integration: integration "EXT" is of type API_AUTHENTICATION; OAuth access tokens come from an oauth integration',
      'oauth_access_tokens[1].expires_in: expected seconds or a duration such as 10m, got the string "soon"',
      'oauth_access_tokens[1].expires_at: expected an ISO 8601 instant with a time zone (e.g. 2026-01-01T00:00:00Z), got the string "later"',
      'oauth_access_tokens[1].expires_at: give expires_in or expires_at, not both',
      'oauth_access_tokens[1].integration: oauth integration "NOPE" is not declared in security_integrations',
    ]);
  });
});

describe('switches, clock, parameters, databases and warehouses', () => {
  it('read switches case-insensitively', () => {
    const world = build({ switches: { network_policy_precedence: 'current-docs', bcr_2026_07: true, jwt_specific_errors: true, jwt_algorithms: ['rs256', 'ES256'] } });
    expect(world.switches).toEqual({ networkPolicyPrecedence: 'current-docs', bcr2026_07: true, jwtSpecificErrors: true, jwtAlgorithms: ['RS256', 'ES256'] });
    expect(validateWorldConfig({ switches: { jwt_algorithms: ['HS256'], network_policy_precedence: 'docs' } }).map((p) => p.message)).toEqual([
      'expected one of seed, current-docs, got "docs"',
      'expected one of RS256, RS384, RS512, ES256, ES384, ES512, got "HS256"; did you mean "RS256"?',
    ]);
  });

  it('freeze the clock by default when a start is given', () => {
    expect(clockSettingsOf({ clock: { start: '2026-01-01T00:00:00Z' } })).toEqual({ start: NOW, frozen: true });
    expect(clockSettingsOf({ clock: { start: '2026-01-01', frozen: false } })).toEqual({ start: NOW, frozen: false });
    expect(clockSettingsOf({})).toEqual({ frozen: false });
    expect(() => clockSettingsOf({ clock: { start: 'tomorrow' } })).toThrowError(/clock\.start: expected an ISO 8601 instant/);
  });

  it('read account parameters and the PAT policy', () => {
    const account = build({ parameters: { oauth_add_privileged_roles_to_blocked_list: false }, pat_policy: { network_policy_evaluation: 'not_enforced' } }).accounts[0]!;
    expect(account.parameters.oauthAddPrivilegedRolesToBlockedList).toBe(false);
    expect(account.patPolicy.networkPolicyEvaluation).toBe('NOT_ENFORCED');
  });

  it('build declared databases and warehouses, checking owners and sizes', () => {
    const account = build({ roles: ['DBA'], databases: [{ name: 'sales', owner: 'dba', kind: 'transient' }], warehouses: [{ name: 'wh', size: 'xlarge' }] }).accounts[0]!;
    expect(account.databases).toEqual([{ name: 'SALES', owner: 'DBA', kind: 'TRANSIENT', comment: undefined, createdOn: NOW }]);
    expect(account.warehouses).toEqual([{ name: 'WH', size: 'X-Large', owner: 'SYSADMIN', createdOn: NOW }]);
    expect(validateWorldConfig({ databases: [{ name: 'A', owner: 'NOBODY' }], warehouses: [{ name: 'W', size: 'huge' }] }).map((p) => p.message)).toEqual([
      'role "NOBODY" is not declared in roles (declared: PUBLIC)',
      'unknown warehouse size "huge" (expected X-Small, Small, Medium, Large, X-Large, 2X-Large … 6X-Large)',
    ]);
  });

  it('refuse a locator that disagrees with the region', () => {
    expect(validateWorldConfig({ locator: 'xy12345.us-east-2.aws', region: 'eu-west-1.aws' }).map((p) => p.message)).toEqual([
      'region "eu-west-1.aws" disagrees with the region "us-east-2.aws" in locator "xy12345.us-east-2.aws"',
    ]);
  });
});

describe('every configured field reaches the model', () => {
  it('account, user, PAT and integration fields', () => {
    const account = build({
      name: 'A', locator: 'AB12345', region: 'EU-WEST-1.AWS', databases: [{ name: 'D' }],
      pat_policy: { max_expiry_in_days: 90, require_role_restriction_for_service_users: false, network_policy_evaluation: 'ENFORCED_NOT_REQUIRED' },
      users: [{
        name: 'U', disabled: true, email: 'u@example.com', comment: 'c',
        programmatic_access_tokens: [{ name: 'T', disabled: true, mins_to_bypass_network_policy_requirement: 30, comment: 'pc' }],
      }],
      security_integrations: [{
        type: 'oauth', name: 'I', enabled: false, oauth_client: 'custom', oauth_client_type: 'public', oauth_redirect_uri: 'https://x/cb',
        oauth_alternate_redirect_uris: ['https://y/cb'], oauth_client_secret_2: 's2', oauth_enforce_pkce: true, oauth_issue_refresh_tokens: false,
        oauth_access_token_validity: 60, oauth_refresh_token_validity: 86400, oauth_single_use_refresh_tokens_required: true,
        allowed_roles_list: ['public'], blocked_roles_list: ['sysadmin'], oauth_client_rsa_public_key: ALICE_KEY, comment: 'ic',
      }],
    }).accounts[0]!;
    expect(account.region).toBe('eu-west-1.aws');
    expect(account.patPolicy).toEqual({ networkPolicyEvaluation: 'ENFORCED_NOT_REQUIRED', requireRoleRestrictionForServiceUsers: false, defaultExpiryInDays: 15, maxExpiryInDays: 90 });
    expect(account.databases).toEqual([{ name: 'D', owner: 'SYSADMIN', kind: 'PERMANENT', comment: undefined, createdOn: NOW }]);
    const user = account.users.get('U')!;
    expect(user).toMatchObject({ disabled: true, email: 'u@example.com', comment: 'c' });
    expect(user.programmaticAccessTokens[0]).toMatchObject({ disabled: true, minsToBypassNetworkPolicyRequirement: 30, comment: 'pc' });
    expect(account.securityIntegrations.get('I')).toMatchObject({
      enabled: false, oauthClientType: 'PUBLIC', oauthAlternateRedirectUris: ['https://y/cb'], oauthClientSecret2: 's2',
      oauthEnforcePkce: true, oauthIssueRefreshTokens: false, oauthAccessTokenValidity: 60, oauthRefreshTokenValidity: 86400,
      oauthSingleUseRefreshTokensRequired: true, allowedRolesList: ['PUBLIC'], blockedRolesList: ['SYSADMIN'],
      oauthClientRsaPublicKey: { slot: 'RSA_PUBLIC_KEY', fingerprint: ALICE_FP }, comment: 'ic',
    });
  });
});

describe('smaller rules', () => {
  const messagesOf = (config: unknown) => validateWorldConfig(config).map((p) => `${formatPath(p.path)}: ${p.message}`);

  it('accounts: at least one, with identifier-shaped names and locators, no repeated locator', () => {
    expect(messagesOf({ accounts: [] })).toEqual(['accounts: list at least one account']);
    expect(messagesOf({ accounts: [{ name: 'my org', locator: 'XY-1' }, { name: 'B', locator: 'xy-1.us-west-2.aws' }] })).toEqual([
      'accounts[1].locator: duplicate account locator "XY-1" (already declared at accounts[0].locator)',
      'accounts[0].name: account name "my org" must be an org-account identifier such as MYORG-MYACCOUNT (letters, digits, "-" and "_")',
      'accounts[0].locator: locator "XY-1" must be letters and digits, optionally followed by its region (e.g. xy12345.us-east-2.aws)',
      'accounts[1].locator: locator "xy-1.us-west-2.aws" must be letters and digits, optionally followed by its region (e.g. xy12345.us-east-2.aws)',
    ]);
  });

  it('lists and list items have the right types', () => {
    expect(messagesOf({ roles: 'ANALYST', users: [{ name: 'A', roles: [1] }], switches: { jwt_algorithms: [] } })).toEqual([
      'switches.jwt_algorithms: list at least one algorithm',
      'roles: expected a list, got the string "ANALYST"',
      'users[0].roles[0]: expected a non-empty string, got number 1',
    ]);
    expect(messagesOf({ clock: { frozen: 'yes' }, users: ['ALICE'] })).toEqual([
      'clock.frozen: expected true or false, got the string "yes"',
      'users[0]: expected a mapping, got the string "ALICE"',
    ]);
  });

  it('network rules need a type and addresses, and are INGRESS only', () => {
    expect(messagesOf({ network_rules: [{ name: 'R', mode: 'EGRESS' }, { name: 'r', type: 'IPV4', value_list: [] }] })).toEqual([
      'network_rules[0].type: required for a network rule (IPV4 or IPV6)',
      'network_rules[0].mode: expected one of INGRESS, got "EGRESS"',
      "network_rules[0].value_list: required field is missing (the rule's addresses or CIDR blocks)",
      'network_rules[1].name: duplicate network rule name "R" (already declared at network_rules[0].name)',
    ]);
  });

  it('rotated PAT secrets need a secret, whole hours and an instant', () => {
    const users = [{ name: 'A', programmatic_access_tokens: [{ name: 'T', rotated: [{ expire_after_hours: -1, rotated_on: 'yesterday' }] }] }];
    expect(messagesOf({ users })).toEqual([
      'users[0].programmatic_access_tokens[0].rotated[0].secret: required for a rotated PAT secret',
      'users[0].programmatic_access_tokens[0].rotated[0].expire_after_hours: expected a whole number at least 0, got number -1',
      'users[0].programmatic_access_tokens[0].rotated[0].rotated_on: expected an ISO 8601 instant with a time zone (e.g. 2026-01-01T00:00:00Z), got the string "yesterday"',
    ]);
  });

  it('oauth integrations need a client kind and absolute redirect URIs', () => {
    expect(messagesOf({ security_integrations: [{ type: 'oauth', name: 'I' }, { type: 'oauth', name: 'J', oauth_client: 'looker', oauth_redirect_uri: 'callback' }] })).toEqual([
      'security_integrations[0].oauth_client: required for an oauth integration (CUSTOM, TABLEAU_DESKTOP, TABLEAU_SERVER or LOOKER)',
      'security_integrations[1].oauth_redirect_uri: "callback" is not an absolute URL',
    ]);
  });

  it('api_authentication refresh validity is not negative', () => {
    expect(messagesOf({ security_integrations: [{ type: 'api_authentication', name: 'E', oauth_refresh_token_validity: -1 }] })).toEqual([
      'security_integrations[0].oauth_refresh_token_validity: expected a whole number at least 0, got number -1',
    ]);
  });

  it('databases and warehouses: kinds, owners, unique names', () => {
    expect(messagesOf({
      databases: [{ name: 'D', kind: 'temporary' }, { name: 'd' }],
      warehouses: [{ name: 'W', owner: 'NOBODY' }, { name: 'w' }],
    })).toEqual([
      'databases[0].kind: expected one of PERMANENT, TRANSIENT, got "temporary"',
      'databases[1].name: duplicate database name "D" (already declared at databases[0].name)',
      'warehouses[0].owner: role "NOBODY" is not declared in roles (declared: PUBLIC)',
      'warehouses[1].name: duplicate warehouse name "W" (already declared at warehouses[0].name)',
    ]);
  });

  it('keys other than RSA and EC are refused', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const body = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(messagesOf({ users: [{ name: 'A', rsa_public_key: body }] })).toEqual([
      'users[0].rsa_public_key: not a usable public key: ed25519 keys are not accepted (expected an RSA key of at least 2048 bits, or an EC key)',
    ]);
  });

  it('the PAT policy\'s network_policy_evaluation is one of three', () => {
    expect(messagesOf({ pat_policy: { network_policy_evaluation: 'ENFORCED' } })).toEqual([
      'pat_policy.network_policy_evaluation: expected one of ENFORCED_REQUIRED, ENFORCED_NOT_REQUIRED, NOT_ENFORCED, got "ENFORCED"',
    ]);
  });
});

describe('the default world', () => {
  const world = build(defaultWorldConfig());
  const account = world.accounts[0]!;

  it('builds with the documented users, keys, PATs, policies and integrations', () => {
    expect([account.name, account.locator, account.networkPolicy]).toEqual(['MYORG-MYACCOUNT', 'XY12345', 'ALLOW_ALL']);
    expect([...account.users.keys()]).toEqual(['ALICE', 'BOB', 'CAROL', 'ETL_BOT']);
    expect(account.users.get('CAROL')).toMatchObject({ loginName: 'CAROL', mfa: { passcode: '123456', totpSecret: 'JBSWY3DPEHPK3PXP' } });
    expect(account.parameters).toMatchObject({ allowClientMfaCaching: true, sessionTokenValidity: 3600, masterTokenValidity: 14_400 });
    expect(account.users.get('ALICE')!.rsaPublicKey!.fingerprint).toBe(ALICE_FP);
    expect(account.users.get('BOB')).toMatchObject({ loginName: 'BOB', password: 'bob-password', networkPolicy: 'CORP_ONLY' });
    expect(account.users.get('ETL_BOT')!.programmaticAccessTokens[0]).toMatchObject({ name: 'ETL', secret: 'pat-etl-bot', roleRestriction: 'SYSADMIN', expiresAt: NOW + 30 * DAY });
    expect(account.networkPolicies.get('ALLOW_ALL')!.allowedIpList.map((c) => c.family)).toEqual([4, 6]);
    expect([...account.securityIntegrations.keys()]).toEqual(['MY_APP', 'TEST_APP', 'DRIVER_APP', 'SOME_API_AUTHENTICATION_SECURITY_INTEGRATION']);
    expect(account.oauthAccessTokens[0]).toMatchObject({ token: 'oauth-alice-token', integration: 'MY_APP' });
  });

  it('embeds the fixture public keys, whose private halves are listed', () => {
    const users = defaultWorldConfig().accounts![0]!.users!;
    for (const [user, file] of Object.entries(DEFAULT_FIXTURE_KEYS)) {
      expect(users.find((u) => u.name === user)!.rsa_public_key).toBe(keyBody(file.replace('fixtures/keys/', '').replace('.p8', '.pub')));
      expect(readFileSync(file, 'utf8')).toContain('PRIVATE KEY');
    }
  });

  it('is a fresh object on every call', () => {
    const a = defaultWorldConfig();
    a.accounts![0]!.users!.length = 0;
    expect(defaultWorldConfig().accounts![0]!.users).toHaveLength(4);
  });
});

describe('world files', () => {
  it('a missing file is one issue naming the file', () => {
    expect(() => loadWorldFile('nope/world.yaml')).toThrowError(/^invalid world config \(1 problem\):\nnope\/world\.yaml: cannot read world file: no such file$/);
  });

  it('an unknown extension is refused', () => {
    expect(() => loadWorldFile(`${WORLDS}/example.txt`)).toThrowError(/must end in \.yaml, \.yml, \.json/);
  });

  it('resolveWorldInput takes a path, an object or nothing', () => {
    expect(resolveWorldInput(`${WORLDS}/seed-000.yaml`).file).toBe(`${WORLDS}/seed-000.yaml`);
    expect(resolveWorldInput({ users: [] })).toEqual({ config: { users: [] } });
    expect(resolveWorldInput(undefined).config).toEqual(defaultWorldConfig());
  });
});

describe('secrets across accounts', () => {
  it('a PAT secret or OAuth token may not serve two accounts (the indexes are world-wide)', () => {
    const world = {
      accounts: [
        { name: 'A-ONE', locator: 'AA11111', users: [{ name: 'U', programmatic_access_tokens: [{ name: 'P', secret: 'same-secret' }] }] },
        { name: 'B-TWO', locator: 'BB22222', users: [{ name: 'U' }], oauth_access_tokens: [{ token: 'same-secret', user: 'U' }] },
      ],
    };
    const problems = validateWorldConfig(world);
    expect(problems.map((p) => p.path.join('.'))).toContain('accounts.1.oauth_access_tokens.0.token');
    expect(JSON.stringify(problems)).not.toContain('same-secret'); // secrets are never printed
  });
});
