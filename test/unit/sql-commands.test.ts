/**
 * The SQL command layer, pure: `executeSql` over a built world, one describe per statement, one
 * test per documented rule (key pairs: https://docs.snowflake.com/en/user-guide/key-pair-auth; PATs:
 * https://docs.snowflake.com/en/user-guide/programmatic-access-tokens; network policies: https://docs.snowflake.com/en/user-guide/network-policies)
 * and per inferred choice.
 */
import { describe, expect, it } from 'vitest';
import { entryFor, formatMessage } from '../../domain/errors/catalogue.ts';
import { createIds } from '../../domain/ids.ts';
import { executeSql, type SqlEnv, type SqlResult, type SqlSession } from '../../domain/sql/execute.ts';
import { MAX_TOKENS } from '../../domain/sql/tokens.ts';
import { buildWorld } from '../../domain/world/build.ts';
import type { WorldConfig } from '../../domain/world/config.ts';
import type { Account, World } from '../../domain/world/model.ts';
import { exampleWorld } from '../helpers/http-world.ts';
import { publicKeyPem } from '../helpers/keys.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ALICE_FP = 'SHA256:eWMz6eM66QqFwFnkPePGR0uacBqEdbIml0+8ofV7jDk=';
const ROTATED_FP = 'SHA256:C3OvZnDBiDrzm0SC3Tye/Ldvoc1pkX0u5hyq2MYV1Qo=';
const body = (pem: string): string => pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');

type Patch = Parameters<typeof exampleWorld>[0];

interface Setup {
  readonly world: World;
  readonly account: Account;
  readonly env: SqlEnv;
  /** A session of `user` (default ALICE) in its default role, signed in with a key pair unless told. */
  session(user?: string, over?: Partial<SqlSession>): SqlSession;
  /** Runs a statement as ALICE (or the given session). */
  run(sql: string, session?: SqlSession): SqlResult;
  /** The world's user. */
  user(name: string): NonNullable<ReturnType<Account['users']['get']>>;
}

function setup(patch?: Patch, now = NOW): Setup {
  const world = buildWorld(exampleWorld(patch) as WorldConfig, { now: NOW, ids: createIds(1) });
  const account = world.accounts[0]!;
  const env: SqlEnv = { world, now, ids: createIds(2) };
  const user = (name: string) => {
    const u = account.users.get(name);
    if (!u) throw new Error(`no user ${name}`);
    return u;
  };
  const session = (name = 'ALICE', over: Partial<SqlSession> = {}): SqlSession => ({ account, user: user(name), role: user(name).defaultRole ?? 'PUBLIC', auth: 'KEYPAIR_JWT', ...over });
  return { world, account, env, session, user, run: (sql, s = session()) => executeSql(sql, s, env) };
}

/** The rows of a successful result (fails the test with the rejection otherwise). */
function rows(r: SqlResult): readonly (readonly (string | null)[])[] {
  if (!r.ok) throw new Error(`expected success, got ${r.rejection.code}: ${r.rejection.explanation}`);
  return r.rows;
}

function ok(r: SqlResult): Extract<SqlResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected success, got ${r.rejection.code}: ${r.rejection.explanation}`);
  return r;
}

/** The wire message of a failed result. */
function message(r: SqlResult): string {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.rows)}`);
  return formatMessage(entryFor(r.rejection.code), r.rejection.params);
}

const code = (r: SqlResult): string => (r.ok ? 'ok' : r.rejection.code);
const names = (r: SqlResult): string[] => ok(r).columns.map((c) => c.name);
const STATUS_OK = [['Statement executed successfully.']];
const pats = (s: Setup, user = 'ALICE') => s.user(user).programmaticAccessTokens;
const pat = (s: Setup, name: string, user = 'ALICE') => pats(s, user).find((p) => p.name === name);

describe('SELECT of literals and context functions (unchanged)', () => {
  it('answers literals and context functions, names columns by their text, and is cacheable', () => {
    const r = ok(setup().run("select 1, -5, 'x''y', true, null, current_user(), current_role() as r, current_account() as \"Acct\";"));
    expect(r.rows).toEqual([['1', '-5', "x'y", 'true', null, 'ALICE', 'ANALYST', 'XY12345']]);
    expect(r.columns.map((c) => c.name)).toEqual(['1', '-5', "'X''Y'", 'TRUE', 'NULL', 'CURRENT_USER()', 'R', 'Acct']);
    expect(r.columns.map((c) => c.type)).toEqual(['fixed', 'fixed', 'text', 'boolean', 'text', 'text', 'text', 'text']);
    expect(r).toMatchObject({ kind: 'select', changed: false, cacheable: true });
  });

  it('reads the namespace of the session; comments are skipped', () => {
    const s = setup();
    const r = s.run('SELECT CURRENT_DATABASE(), /* x */ CURRENT_WAREHOUSE() -- trailing', s.session('ALICE', { database: 'DB', warehouse: 'WH' }));
    expect(rows(r)).toEqual([['DB', 'WH']]);
  });

  it('a SELECT it cannot evaluate is not modelled (999001, decisions/0016); a supported function called wrongly is malformed (001003)', () => {
    const s = setup();
    for (const sql of ['SELECT * FROM orders', 'SELECT 1,\n  2 3', 'SELECT NOW()', 'SELECT 1 FROM t', 'SELECT', `SELECT ${'9'.repeat(39)}`, 'SELECT 1; SELECT 2']) {
      expect(code(s.run(sql)), sql).toBe('999001');
    }
    expect(message(s.run('SELECT * FROM orders'))).toBe('snowflake-auth-mock: this statement is not modelled ("SELECT * FROM orders"). Answer it with a statements: entry in the world or an onStatement hook; see README.md#statements-you-answer.');
    expect(rows(s.run(`SELECT ${'9'.repeat(38)}`))).toEqual([['9'.repeat(38)]]);
    expect(message(s.run('SELECT CURRENT_USER(1)'))).toBe("SQL compilation error:\nsyntax error line 1 at position 20 unexpected '1'.");
    expect(message(s.run('SELECT SYSTEM$DECODE_PAT(42)'))).toMatch(/^SQL compilation error:\nsyntax error line 1 at position 25 unexpected '42'\.$/);
  });
});

describe('SYSTEM$DECODE_PAT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('decodes an active secret; the column is the upper-cased expression; not cacheable', () => {
    const r = ok(setup().run("SELECT SYSTEM$DECODE_PAT('pat-alice-ci')"));
    expect(r.columns.map((c) => c.name)).toEqual(["SYSTEM$DECODE_PAT('PAT-ALICE-CI')"]);
    expect(r.rows).toEqual([['{"STATE":"ACTIVE","PAT_NAME":"CI","USER_NAME":"ALICE"}']]);
    expect(r.cacheable).toBe(false);
  });

  it('inferred states: DISABLED, EXPIRED, a rotated secret under its rotated name, INVALID for unknown or foreign secrets', () => {
    const s = setup((w) => {
      w.accounts[0]!.users![0]!.programmatic_access_tokens!.push({ name: 'OFF', secret: 'pat-off', disabled: true }, { name: 'OLD', secret: 'pat-new', rotated: [{ secret: 'pat-old', expire_after_hours: 2 }] });
    });
    const decode = (secret: string) => JSON.parse(rows(s.run(`SELECT SYSTEM$DECODE_PAT('${secret}')`))[0]![0]!);
    expect(decode('pat-off')).toEqual({ STATE: 'DISABLED', PAT_NAME: 'OFF', USER_NAME: 'ALICE' });
    expect(decode('pat-old')).toMatchObject({ STATE: 'ACTIVE', PAT_NAME: expect.stringMatching(/^OLD_ROTATED_\d+$/) });
    expect(decode('nope')).toEqual({ STATE: 'INVALID' });
    expect(decode('pat-other-alice')).toEqual({ STATE: 'INVALID' });
    const later = setup(undefined, NOW + 16 * DAY);
    expect(JSON.parse(rows(later.run("SELECT SYSTEM$DECODE_PAT('pat-alice-ci')"))[0]![0]!)).toMatchObject({ STATE: 'EXPIRED' });
  });
});

describe('ALTER USER SET / UNSET RSA_PUBLIC_KEY[_2] (https://docs.snowflake.com/en/user-guide/key-pair-auth)', () => {
  it('sets the second slot from a base64 body (or a PEM) and unsets the first', () => {
    const s = setup();
    const r = ok(s.run(`ALTER USER ALICE SET RSA_PUBLIC_KEY_2 = '${body(publicKeyPem('alice-rotated'))}'`));
    expect(r).toMatchObject({ kind: 'ddl', changed: true, cacheable: false, rows: STATUS_OK });
    expect(names(r)).toEqual(['status']);
    expect(s.user('ALICE').rsaPublicKey2?.fingerprint).toBe(ROTATED_FP);
    ok(s.run('alter user alice unset rsa_public_key'));
    expect(s.user('ALICE').rsaPublicKey).toBeUndefined();
    ok(s.run(`ALTER USER SET RSA_PUBLIC_KEY = '${publicKeyPem('alice').replace(/'/g, "''")}'`));
    expect(s.user('ALICE').rsaPublicKey?.fingerprint).toBe(ALICE_FP);
  });

  it('refuses a key under 2048 bits (001422) and changes nothing when one key of several is bad', () => {
    const s = setup();
    const r = s.run(`ALTER USER ALICE SET RSA_PUBLIC_KEY_2 = '${body(publicKeyPem('alice-rotated'))}' RSA_PUBLIC_KEY = '${body(publicKeyPem('weak-1024'))}'`);
    expect(code(r)).toBe('001422');
    expect(message(r)).toMatch(/^SQL compilation error:\ninvalid value \[MIGf.*\] for parameter 'RSA_PUBLIC_KEY'$/);
    expect(s.user('ALICE').rsaPublicKey2).toBeUndefined();
    expect(s.user('ALICE').rsaPublicKey?.fingerprint).toBe(ALICE_FP);
    expect(code(s.run("ALTER USER ALICE SET RSA_PUBLIC_KEY = 'not a key'"))).toBe('001422');
  });

  it("another user's keys need an administrative role (003001, inferred)", () => {
    const s = setup();
    const sql = 'ALTER USER ETL_BOT UNSET RSA_PUBLIC_KEY';
    expect(message(s.run(sql))).toBe("SQL access control error:\nInsufficient privileges to operate on user 'ETL_BOT'");
    expect(s.user('ETL_BOT').rsaPublicKey).toBeDefined();
    for (const role of ['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN']) expect(code(setup().run(sql, s.session('ALICE', { role })))).toBe('ok');
    expect(code(s.run(sql, s.session('ALICE', { role: 'SYSADMIN' })))).toBe('003001');
  });

  it('an unknown user is 002003 unless IF EXISTS', () => {
    const s = setup();
    const r = s.run('ALTER USER NOBODY UNSET RSA_PUBLIC_KEY');
    expect(message(r)).toBe("SQL compilation error:\nUser 'NOBODY' does not exist or not authorized.");
    expect(ok(s.run('ALTER USER IF EXISTS NOBODY UNSET RSA_PUBLIC_KEY'))).toMatchObject({ rows: STATUS_OK, changed: false });
    expect(code(s.run('ALTER USER "alice" UNSET RSA_PUBLIC_KEY'))).toBe('002003'); // quoted names keep their case
  });

  it('a PAT session may change its own keys (only PATs are restricted, https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
    const s = setup();
    expect(code(s.run('ALTER USER ALICE UNSET RSA_PUBLIC_KEY', s.session('ALICE', { auth: 'PROGRAMMATIC_ACCESS_TOKEN' })))).toBe('ok');
  });
});

describe('DESC USER (https://docs.snowflake.com/en/user-guide/key-pair-auth)', () => {
  it('shows property, value, default, description with SHA256 fingerprints and the string null for unset values', () => {
    const s = setup();
    const r = ok(s.run('describe user alice'));
    expect(r.kind).toBe('describe');
    expect(names(r)).toEqual(['property', 'value', 'default', 'description']);
    const byName = new Map(r.rows.map((row) => [row[0], row]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['NAME', 'LOGIN_NAME', 'DISPLAY_NAME', 'EMAIL', 'TYPE', 'DISABLED', 'DEFAULT_ROLE', 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_FP', 'RSA_PUBLIC_KEY_2', 'RSA_PUBLIC_KEY_2_FP', 'COMMENT']));
    expect(byName.get('RSA_PUBLIC_KEY_FP')?.slice(0, 3)).toEqual(['RSA_PUBLIC_KEY_FP', ALICE_FP, 'null']);
    expect(byName.get('RSA_PUBLIC_KEY')?.[1]).toBe(body(publicKeyPem('alice')));
    expect(byName.get('RSA_PUBLIC_KEY_2')?.[1]).toBe('null');
    expect(byName.get('RSA_PUBLIC_KEY_2_FP')?.[1]).toBe('null');
    expect(byName.get('EMAIL')?.[1]).toBe('null');
    expect(byName.get('DISABLED')?.[1]).toBe('false');
    expect(byName.get('TYPE')?.[1]).toBe('PERSON');
    expect(byName.get('DEFAULT_ROLE')?.[1]).toBe('ANALYST');
    expect(byName.get('PASSWORD')?.[1]).toBe('********');
  });

  it('another user needs an administrative role; an unknown one is 002003', () => {
    const s = setup();
    expect(code(s.run('DESC USER ETL_BOT'))).toBe('003001');
    expect(ok(s.run('DESC USER ETL_BOT', s.session('ALICE', { role: 'USERADMIN' }))).rows.find((r) => r[0] === 'TYPE')?.[1]).toBe('SERVICE');
    expect(code(s.run('DESC USER NOBODY'))).toBe('002003');
  });
});

describe('ALTER USER ADD PROGRAMMATIC ACCESS TOKEN (https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token)', () => {
  it('answers token_name and token_secret; the user omitted is the session user; DAYS_TO_EXPIRY defaults to 15', () => {
    const s = setup();
    const r = ok(s.run("ALTER USER ADD PROGRAMMATIC ACCESS TOKEN nightly COMMENT = 'it''s mine'"));
    expect(names(r)).toEqual(['token_name', 'token_secret']);
    expect(r).toMatchObject({ kind: 'ddl', changed: true, cacheable: false });
    const [name, secret] = r.rows[0]!;
    expect(name).toBe('NIGHTLY');
    expect(pat(s, 'NIGHTLY')).toMatchObject({ secret, daysToExpiry: 15, expiresAt: NOW + 15 * DAY, createdAt: NOW, comment: "it's mine", disabled: false, minsToBypassNetworkPolicyRequirement: 0 });
    expect(pat(s, 'NIGHTLY')!.roleRestriction).toBeUndefined();
  });

  it("the default and the maximum come from the account's PAT policy", () => {
    const s = setup((w) => {
      w.accounts[0]!.pat_policy = { default_expiry_in_days: 10, max_expiry_in_days: 30 };
    });
    ok(s.run('ALTER USER ADD PAT A'));
    expect(pat(s, 'A')!.expiresAt).toBe(NOW + 10 * DAY);
    expect(message(s.run('ALTER USER ADD PAT B DAYS_TO_EXPIRY = 31'))).toBe("SQL compilation error:\ninvalid value [31] for parameter 'DAYS_TO_EXPIRY'");
    ok(s.run('ALTER USER ADD PAT B DAYS_TO_EXPIRY = 30'));
    expect(pat(s, 'B')!.expiresAt).toBe(NOW + 30 * DAY);
  });

  it('DAYS_TO_EXPIRY is 1 … 365 by default', () => {
    const s = setup();
    expect(code(s.run('ALTER USER ADD PAT A DAYS_TO_EXPIRY = 0'))).toBe('001422');
    expect(message(s.run('ALTER USER ADD PAT A DAYS_TO_EXPIRY = -1'))).toMatch(/invalid value \[-1\]/);
    expect(code(s.run('ALTER USER ADD PAT A DAYS_TO_EXPIRY = 366'))).toBe('001422');
    ok(s.run('ALTER USER ADD PAT A DAYS_TO_EXPIRY = 365'));
    ok(s.run('ALTER USER ADD PAT B DAYS_TO_EXPIRY = 1'));
    expect(pats(s).map((p) => p.name)).toEqual(['CI', 'A', 'B']);
  });

  it('MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT is 1 … 1440 when given', () => {
    const s = setup();
    for (const bad of [0, 1441, -5]) {
      expect(message(s.run(`ALTER USER ADD PAT A MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = ${bad}`))).toBe(`SQL compilation error:\ninvalid value [${bad}] for parameter 'MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT'`);
    }
    ok(s.run('ALTER USER ADD PAT A MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 1'));
    ok(s.run('ALTER USER ADD PAT B MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 1440'));
    expect(pat(s, 'B')!.minsToBypassNetworkPolicyRequirement).toBe(1440);
  });

  it('ROLE_RESTRICTION must be a role granted to the user (394401), an existing role (002003)', () => {
    const s = setup();
    ok(s.run("ALTER USER ADD PAT A ROLE_RESTRICTION = 'SYSADMIN'"));
    expect(pat(s, 'A')!.roleRestriction).toBe('SYSADMIN');
    const r = s.run("ALTER USER ADD PAT B ROLE_RESTRICTION = 'ACCOUNTADMIN'");
    expect(message(r)).toBe("SQL execution error:\nRole 'ACCOUNTADMIN' is not granted to the user, so it cannot restrict a programmatic access token.");
    expect(message(s.run("ALTER USER ADD PAT B ROLE_RESTRICTION = 'NO_SUCH_ROLE'"))).toBe("SQL compilation error:\nRole 'NO_SUCH_ROLE' does not exist or not authorized.");
    expect(pat(s, 'B')).toBeUndefined();
  });

  it('service users need a ROLE_RESTRICTION unless the PAT policy says otherwise', () => {
    const admin = (s: Setup) => s.session('ALICE', { role: 'ACCOUNTADMIN' });
    const s = setup();
    const r = s.run('ALTER USER ETL_BOT ADD PAT LOAD', admin(s));
    expect(message(r)).toBe('SQL execution error:\nROLE_RESTRICTION is required for programmatic access tokens of service users.');
    ok(s.run("ALTER USER ETL_BOT ADD PAT LOAD ROLE_RESTRICTION = 'SYSADMIN'", admin(s)));
    const relaxed = setup((w) => {
      w.accounts[0]!.pat_policy = { require_role_restriction_for_service_users: false };
    });
    ok(relaxed.run('ALTER USER ETL_BOT ADD PAT LOAD', admin(relaxed)));
  });

  it('service users need a network policy to generate a PAT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens); persons do not', () => {
    const noPolicy: Patch = (w) => {
      w.accounts[0]!.network_policy = null;
    };
    const s = setup(noPolicy);
    const admin = s.session('ALICE', { role: 'ACCOUNTADMIN' });
    expect(message(s.run("ALTER USER ETL_BOT ADD PAT LOAD ROLE_RESTRICTION = 'SYSADMIN'", admin))).toBe('SQL execution error:\nA service user must be subject to a network policy to generate a programmatic access token.');
    const notRequired = setup((w) => {
      noPolicy(w);
      w.accounts[0]!.pat_policy = { network_policy_evaluation: 'ENFORCED_NOT_REQUIRED' };
    });
    ok(notRequired.run("ALTER USER ETL_BOT ADD PAT LOAD ROLE_RESTRICTION = 'SYSADMIN'", notRequired.session('ALICE', { role: 'ACCOUNTADMIN' })));
    const person = setup((w) => {
      noPolicy(w);
      w.accounts[0]!.users![0]!.network_policy = null;
    });
    ok(person.run('ALTER USER ADD PAT MINE'));
  });

  it('at most 15 tokens per user: disabled ones count, expired ones do not', () => {
    // ALICE has CI; `count` more tokens make CI + count.
    const more = (count: number, disabled: boolean, days = 15) => (w: Parameters<NonNullable<Patch>>[0]) => {
      for (let i = 0; i < count; i++) w.accounts[0]!.users![0]!.programmatic_access_tokens!.push({ name: `T${i}`, secret: `pat-t${i}`, disabled, days_to_expiry: days });
    };
    const s = setup(more(13, true));
    ok(s.run('ALTER USER ADD PAT FIFTEENTH'));
    expect(message(s.run('ALTER USER ADD PAT SIXTEENTH'))).toBe('SQL execution error:\nThe maximum of 15 programmatic access tokens per user has been reached.');
    expect(pats(s)).toHaveLength(15);
    const expired = setup(more(14, false, 1), NOW + 2 * DAY);
    ok(expired.run('ALTER USER ADD PAT SIXTEENTH'));
    expect(pats(expired)).toHaveLength(16);
  });

  it('names: letters, digits, underscore, stored upper-case; an existing name is 002002 unless IF NOT EXISTS', () => {
    const s = setup();
    expect(message(s.run('ALTER USER ADD PAT "my-token"'))).toBe("SQL compilation error:\ninvalid value [MY-TOKEN] for parameter 'TOKEN_NAME'");
    ok(s.run('ALTER USER ADD PAT "lower_case"'));
    expect(pat(s, 'LOWER_CASE')).toBeDefined();
    expect(message(s.run('ALTER USER ADD PAT ci'))).toBe("SQL compilation error:\nObject 'CI' already exists.");
    const r = ok(s.run('ALTER USER ADD PAT IF NOT EXISTS ci'));
    expect(r).toMatchObject({ changed: false, rows: [['Programmatic access token CI already exists, statement succeeded.']] });
    expect(names(r)).toEqual(['status']);
    expect(pat(s, 'CI')!.secret).toBe('pat-alice-ci');
    expect(ok(s.run('ALTER USER ADD PAT IF NOT EXISTS fresh')).rows[0]![0]).toBe('FRESH');
  });

  it('a PAT session cannot add a PAT for its own user (394401) but may for another as an administrator', () => {
    const s = setup();
    const viaPat = s.session('ALICE', { auth: 'PROGRAMMATIC_ACCESS_TOKEN' });
    const r = s.run('ALTER USER ADD PAT X', viaPat);
    expect(message(r)).toBe('SQL execution error:\nCannot add a programmatic access token in a session authenticated with a programmatic access token of the same user.');
    expect(code(s.run('ALTER USER ALICE ADD PAT X', { ...viaPat, role: 'ACCOUNTADMIN' }))).toBe('394401');
    ok(s.run("ALTER USER ETL_BOT ADD PAT X ROLE_RESTRICTION = 'SYSADMIN'", { ...viaPat, role: 'ACCOUNTADMIN' }));
    for (const auth of ['PASSWORD', 'MFA', 'OAUTH', 'KEYPAIR_JWT'] as const) expect(code(setup().run('ALTER USER ADD PAT X', s.session('ALICE', { auth })))).toBe('ok');
  });

  it("another user's PATs need an administrative role; unknown users are 002003 unless IF EXISTS", () => {
    const s = setup();
    expect(code(s.run("ALTER USER ETL_BOT ADD PAT X ROLE_RESTRICTION = 'SYSADMIN'"))).toBe('003001');
    expect(pats(s, 'ETL_BOT')).toHaveLength(1);
    expect(code(s.run('ALTER USER NOBODY ADD PAT X'))).toBe('002003');
    expect(ok(s.run('ALTER USER IF EXISTS NOBODY ADD PAT X'))).toMatchObject({ rows: STATUS_OK, changed: false });
  });

  it('refuses a repeated option or an unknown one at its token (001003)', () => {
    const s = setup();
    expect(message(s.run('ALTER USER ADD PAT X DAYS_TO_EXPIRY = 1 DAYS_TO_EXPIRY = 2'))).toMatch(/unexpected 'DAYS_TO_EXPIRY'\.$/);
    expect(message(s.run('ALTER USER ADD PAT X LIFETIME = 2'))).toMatch(/unexpected 'LIFETIME'\.$/);
    expect(message(s.run('ALTER USER ADD PAT X DAYS_TO_EXPIRY = TRUE'))).toMatch(/unexpected 'TRUE'\.$/);
    expect(pats(s)).toHaveLength(1);
  });
});

describe('ALTER USER REMOVE PAT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('removes the token with its documented status row', () => {
    const s = setup();
    const r = ok(s.run('ALTER USER ALICE REMOVE PROGRAMMATIC ACCESS TOKEN ci'));
    expect(r).toMatchObject({ rows: [['Programmatic access token CI successfully removed.']], changed: true });
    expect(pat(s, 'CI')).toBeUndefined();
  });

  it('an unknown token is 002003; a PAT session cannot remove its own user’s tokens', () => {
    const s = setup();
    expect(message(s.run('ALTER USER REMOVE PAT NOPE'))).toBe("SQL compilation error:\nProgrammatic access token 'NOPE' does not exist or not authorized.");
    expect(code(s.run('ALTER USER REMOVE PAT CI', s.session('ALICE', { auth: 'PROGRAMMATIC_ACCESS_TOKEN' })))).toBe('394401');
    expect(pat(s, 'CI')).toBeDefined();
  });
});

describe('ALTER USER ROTATE PAT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('answers token_name, token_secret, rotated_token_name; the old secret is kept 24 h by default', () => {
    const s = setup();
    const r = ok(s.run('ALTER USER ROTATE PAT CI'));
    expect(names(r)).toEqual(['token_name', 'token_secret', 'rotated_token_name']);
    const [name, secret, rotated] = r.rows[0]!;
    expect([name, rotated]).toEqual(['CI', `CI_ROTATED_${NOW}`]);
    expect(pat(s, 'CI')).toMatchObject({ secret, expiresAt: NOW + 15 * DAY });
    expect(pat(s, 'CI')!.rotated).toEqual([{ name: `CI_ROTATED_${NOW}`, secret: 'pat-alice-ci', expiresAt: NOW + 24 * HOUR }]);
  });

  it('EXPIRE_ROTATED_TOKEN_AFTER_HOURS is 0 … the hours left; without it the grace is capped at the hours left (inferred)', () => {
    const s = setup();
    ok(s.run('ALTER USER ROTATE PAT CI EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 0'));
    expect(pat(s, 'CI')!.rotated[0]!.expiresAt).toBe(NOW);
    expect(message(s.run('ALTER USER ROTATE PAT CI EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 361'))).toBe("SQL compilation error:\ninvalid value [361] for parameter 'EXPIRE_ROTATED_TOKEN_AFTER_HOURS'");
    const late = setup(undefined, NOW + 15 * DAY - 10 * HOUR);
    ok(late.run('ALTER USER ROTATE PAT CI'));
    expect(pat(late, 'CI')!.rotated[0]!.expiresAt).toBe(late.env.now + 10 * HOUR);
  });

  it('IF EXISTS on a missing token succeeds and does nothing; without it 002003; a PAT session cannot rotate its own', () => {
    const s = setup();
    expect(ok(s.run('ALTER USER ROTATE PAT IF EXISTS NOPE'))).toMatchObject({ rows: STATUS_OK, changed: false });
    expect(code(s.run('ALTER USER ROTATE PAT NOPE'))).toBe('002003');
    expect(code(s.run('ALTER USER ROTATE PAT CI', s.session('ALICE', { auth: 'PROGRAMMATIC_ACCESS_TOKEN' })))).toBe('394401');
    expect(pat(s, 'CI')!.rotated).toEqual([]);
  });
});

describe('ALTER USER MODIFY PAT (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  it('SET and UNSET DISABLED, COMMENT and the bypass window', () => {
    const s = setup();
    ok(s.run("ALTER USER MODIFY PAT CI SET DISABLED = TRUE COMMENT = 'paused' MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 30"));
    expect(pat(s, 'CI')).toMatchObject({ disabled: true, comment: 'paused', minsToBypassNetworkPolicyRequirement: 30 });
    ok(s.run('ALTER USER MODIFY PAT CI UNSET DISABLED, COMMENT, MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT'));
    expect(pat(s, 'CI')).toMatchObject({ disabled: false, comment: undefined, minsToBypassNetworkPolicyRequirement: 0 });
    ok(s.run('ALTER USER MODIFY PAT CI SET DISABLED = TRUE'));
    ok(s.run('ALTER USER MODIFY PAT CI SET DISABLED = FALSE'));
    expect(pat(s, 'CI')!.disabled).toBe(false);
    expect(code(s.run('ALTER USER MODIFY PAT CI SET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = 0'))).toBe('001422');
  });

  it('RENAME TO a free name; an existing name is 002002', () => {
    const s = setup();
    ok(s.run('ALTER USER ADD PAT OTHER'));
    expect(code(s.run('ALTER USER MODIFY PAT CI RENAME TO other'))).toBe('002002');
    ok(s.run('ALTER USER MODIFY PAT CI RENAME TO ci_2'));
    expect(pat(s, 'CI_2')!.secret).toBe('pat-alice-ci');
  });

  it('expiry and role restriction cannot change (001003); unknown tokens are 002003; PAT sessions cannot modify their own', () => {
    const s = setup();
    expect(message(s.run('ALTER USER MODIFY PAT CI SET DAYS_TO_EXPIRY = 30'))).toMatch(/unexpected 'DAYS_TO_EXPIRY'\.$/);
    expect(code(s.run('ALTER USER MODIFY PAT NOPE SET DISABLED = TRUE'))).toBe('002003');
    expect(code(s.run('ALTER USER MODIFY PAT CI SET DISABLED = TRUE', s.session('ALICE', { auth: 'PROGRAMMATIC_ACCESS_TOKEN' })))).toBe('394401');
    expect(pat(s, 'CI')!.disabled).toBe(false);
  });
});

describe('SHOW USER PROGRAMMATIC ACCESS TOKENS (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens)', () => {
  const COLUMNS = ['name', 'user_name', 'role_restriction', 'expires_at', 'status', 'comment', 'created_on', 'created_by', 'mins_to_bypass_network_policy_requirement', 'rotated_to'];

  it('lists the documented columns; times are TIMESTAMP_LTZ in epoch seconds', () => {
    const s = setup();
    const r = ok(s.run('SHOW USER PROGRAMMATIC ACCESS TOKENS'));
    expect(r).toMatchObject({ kind: 'show', changed: false, cacheable: false });
    expect(names(r)).toEqual(COLUMNS);
    expect(r.columns[3]).toMatchObject({ type: 'timestamp_ltz', scale: 9 });
    expect(r.rows).toEqual([['CI', 'ALICE', 'ANALYST', `${(NOW + 15 * DAY) / 1000}.000000000`, 'ACTIVE', null, `${NOW / 1000}.000000000`, 'ALICE', '0', null]]);
  });

  it('statuses DISABLED and EXPIRED (inferred); expired tokens are gone after 7 days; rotated secrets list rotated_to', () => {
    const s = setup((w) => {
      w.accounts[0]!.users![0]!.programmatic_access_tokens!.push({ name: 'OFF', secret: 'pat-off', disabled: true, days_to_expiry: 30 }, { name: 'SHORT', secret: 'pat-short', days_to_expiry: 1 });
    }, NOW + 2 * DAY);
    ok(s.run('ALTER USER ROTATE PAT OFF EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 1'));
    const status = (r: SqlResult) => ok(r).rows.map((row) => [row[0], row[4], row[9]]);
    expect(status(s.run('SHOW USER PATS'))).toEqual([
      ['CI', 'ACTIVE', null],
      ['OFF', 'DISABLED', null],
      [`OFF_ROTATED_${NOW + 2 * DAY}`, 'DISABLED', 'OFF'],
      ['SHORT', 'EXPIRED', null],
    ]);
    // SHORT expired at NOW + 1 d, so it is gone 7 days later; the rotated secret (expired NOW + 2 d 1 h) is still listed.
    const week = { ...s.env, now: NOW + 8 * DAY + 1 };
    expect(status(executeSql('SHOW USER PATS', s.session(), week))).toEqual([
      ['CI', 'ACTIVE', null],
      ['OFF', 'DISABLED', null],
      [`OFF_ROTATED_${NOW + 2 * DAY}`, 'EXPIRED', 'OFF'],
    ]);
  });

  it('FOR USER another user needs an administrative role; unknown users are 002003', () => {
    const s = setup();
    expect(code(s.run('SHOW USER PATS FOR USER ETL_BOT'))).toBe('003001');
    expect(ok(s.run('SHOW USER PATS FOR USER etl_bot', s.session('ALICE', { role: 'SECURITYADMIN' }))).rows.map((r) => r[0])).toEqual(['ETL']);
    expect(code(s.run('SHOW USER PATS FOR USER NOBODY'))).toBe('002003');
    expect(code(s.run('SHOW USER PATS', s.session('ALICE', { auth: 'PROGRAMMATIC_ACCESS_TOKEN' })))).toBe('ok');
  });
});

describe('ALTER SECURITY INTEGRATION SET / UNSET NETWORK_POLICY (https://docs.snowflake.com/en/user-guide/network-policies)', () => {
  const withApiIntegration: Patch = (w) => {
    (w.accounts[0]!.security_integrations as unknown[]).push({ name: 'EXT', type: 'api_authentication', oauth_token_endpoint: 'https://example.com/token', oauth_grant: 'client_credentials' });
  };
  const integration = (s: Setup, name = 'MY_APP') => s.account.securityIntegrations.get(name) as { networkPolicy?: string };

  it('ACCOUNTADMIN or SECURITYADMIN set and unset it (inferred); other roles are 003001', () => {
    const s = setup();
    expect(message(s.run("ALTER SECURITY INTEGRATION MY_APP SET NETWORK_POLICY = 'CORP_ONLY'"))).toBe("SQL access control error:\nInsufficient privileges to operate on integration 'MY_APP'");
    expect(code(s.run("ALTER SECURITY INTEGRATION MY_APP SET NETWORK_POLICY = 'CORP_ONLY'", s.session('ALICE', { role: 'USERADMIN' })))).toBe('003001');
    expect(integration(s).networkPolicy).toBe('INTEGRATION_ONLY');
    const r = ok(s.run("alter security integration my_app set network_policy = 'corp_only'", s.session('ALICE', { role: 'ACCOUNTADMIN' })));
    expect(r).toMatchObject({ rows: STATUS_OK, changed: true });
    expect(integration(s).networkPolicy).toBe('CORP_ONLY');
    ok(s.run('ALTER INTEGRATION MY_APP UNSET NETWORK_POLICY', s.session('ALICE', { role: 'SECURITYADMIN' })));
    expect(integration(s).networkPolicy).toBeUndefined();
  });

  it('unknown policy or integration is 002003 (IF EXISTS: nothing done); a non-OAuth integration is 001422 (inferred)', () => {
    const s = setup(withApiIntegration);
    const admin = s.session('ALICE', { role: 'ACCOUNTADMIN' });
    expect(message(s.run("ALTER SECURITY INTEGRATION MY_APP SET NETWORK_POLICY = 'NOPE'", admin))).toBe("SQL compilation error:\nNetwork policy 'NOPE' does not exist or not authorized.");
    expect(message(s.run('ALTER SECURITY INTEGRATION NOPE UNSET NETWORK_POLICY', admin))).toBe("SQL compilation error:\nIntegration 'NOPE' does not exist or not authorized.");
    expect(ok(s.run('ALTER SECURITY INTEGRATION IF EXISTS NOPE UNSET NETWORK_POLICY', admin))).toMatchObject({ rows: STATUS_OK, changed: false });
    expect(code(s.run('ALTER SECURITY INTEGRATION EXT SET NETWORK_POLICY = CORP_ONLY', admin))).toBe('001422');
    expect(integration(s).networkPolicy).toBe('INTEGRATION_ONLY');
  });
});

describe('anything else (999001, or 001003 when malformed), and input that must not hurt', () => {
  it.each(['SHOW TABLES', 'show users', 'ALTER TABLE t ADD COLUMN c INT', 'DESC TABLE t', 'GRANT ROLE SYSADMIN TO USER BOB', 'CREATE TABLE t (id INT)'])('%j is not modelled: 999001 naming it (decisions/0016)', (sql) => {
    const r = setup().run(sql);
    expect(code(r)).toBe('999001');
    expect(message(r)).toBe(`snowflake-auth-mock: this statement is not modelled (${JSON.stringify(sql)}). Answer it with a statements: entry in the world or an onStatement hook; see README.md#statements-you-answer.`);
  });

  it.each([
    ['', '<EOF>'],
    ['   ;', ';', 3],
    ["'unterminated", "'"],
    ['"unterminated', '"'],
  ] as [string, string, number?][])('%j → syntax error at %j', (sql, token, position = 0) => {
    expect(message(setup().run(sql))).toBe(`SQL compilation error:\nsyntax error line 1 at position ${position} unexpected '${token}'.`);
  });

  it('1 MB statements end quickly: a long literal works, long lists and garbage are refused', () => {
    const s = setup();
    const mb = 1 << 20;
    const started = performance.now();
    expect(rows(s.run(`SELECT '${'x'.repeat(mb)}'`))[0]![0]).toHaveLength(mb);
    const list = s.run(`SELECT ${'1,'.repeat(mb / 2)}1`);
    expect(code(list)).toBe('001003');
    expect(!list.ok && list.rejection.explanation).toMatch(new RegExp(`more than ${MAX_TOKENS} tokens`));
    expect(code(s.run('('.repeat(mb)))).toBe('001003');
    expect(code(s.run(`SELECT ${' '.repeat(mb)} AS`))).toBe('999001');
    expect(code(s.run(`ALTER USER ADD PAT X COMMENT = '${"''".repeat(mb / 2)}`))).toBe('001003');
    expect(message(s.run(`${'Z'.repeat(mb)}`))).toContain(`not modelled ("${'Z'.repeat(60)}…")`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('never throws on random input', () => {
    const s = setup();
    const pieces = ['SELECT', 'ALTER', 'USER', 'ADD', 'PAT', 'IF', 'NOT', 'EXISTS', 'ROTATE', 'MODIFY', 'SET', 'UNSET', 'REMOVE', 'SHOW', 'PATS', 'DESC', 'FOR', 'INTEGRATION', 'SECURITY', 'NETWORK_POLICY', 'RSA_PUBLIC_KEY', 'DAYS_TO_EXPIRY', 'ROLE_RESTRICTION', 'DISABLED', 'RENAME', 'TO', 'ALICE', 'CI', 'X', '=', ',', ';', '(', ')', "'", '"', "'ANALYST'", '-', '1', '99999999999999999999', 'TRUE', 'AS', 'CURRENT_USER', '/*', '--', '\n', 'é', '😀'];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 3000; i++) {
      const sql = Array.from({ length: 1 + rand(12) }, () => pieces[rand(pieces.length)]).join(' ');
      const r = executeSql(sql, s.session('ALICE', { role: rand(2) ? 'ACCOUNTADMIN' : 'ANALYST' }), s.env);
      if (!r.ok) expect(() => message(r), sql).not.toThrow();
    }
  });
});
