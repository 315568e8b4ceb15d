/**
 * Key-pair keys on a user and `DESC USER` (https://docs.snowflake.com/en/user-guide/key-pair-auth).
 */
import { keySlot } from '../world/build.ts';
import { setRsaPublicKey } from '../world/mutations.ts';
import type { PublicKeySlot, User } from '../world/model.ts';
import { textColumn, type Column } from './columns.ts';
import type { SqlEnv, SqlResult, SqlSession } from './execute.ts';
import type { Command } from './parse.ts';
import { statusResult, targetUser } from './privileges.ts';
import { failed, invalidValue } from './refusals.ts';

const KEY_RULE = 'https://docs.snowflake.com/en/user-guide/key-pair-auth';
const SLOT_NAMES = { 1: 'RSA_PUBLIC_KEY', 2: 'RSA_PUBLIC_KEY_2' } as const;

/**
 * `ALTER USER [IF EXISTS] [<u>] SET RSA_PUBLIC_KEY[_2] = '<base64 body>' …` / `UNSET …`
 * (https://docs.snowflake.com/en/user-guide/key-pair-auth): RSA keys of at least 2048 bits (or EC keys, as the world loader accepts);
 * every key is checked before any is set, so the statement changes all or nothing. Another
 * user's keys need an administrative role (inferred, see privileges.ts).
 *
 * @example
 * setKeys({ kind: 'set-keys', ifExists: false, user: 'ALICE', keys: [{ slot: 2, value: body }] }, session, env)
 */
export function setKeys(cmd: Extract<Command, { kind: 'set-keys' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const target = targetUser(cmd.user, cmd.ifExists, session, KEY_RULE);
  if (!target.ok) return target.result;
  for (const k of cmd.keys) {
    if (k.value === null) continue;
    try {
      keySlot(k.value, SLOT_NAMES[k.slot]);
    } catch (e) {
      const why = `not a usable public key for ${SLOT_NAMES[k.slot]} of ${target.user.name}: ${(e as Error).message}`;
      return failed(invalidValue(SLOT_NAMES[k.slot], k.value, `${KEY_RULE} (minimum 2048-bit RSA)`, why));
    }
  }
  for (const k of cmd.keys) setRsaPublicKey(env.world, session.account.name, target.user.name, k.slot, k.value);
  return statusResult('Statement executed successfully.', true);
}

const DESC_COLUMNS: readonly Column[] = Object.freeze(['property', 'value', 'default', 'description'].map(textColumn));

/**
 * `DESC[RIBE] USER <u>`: property, value, default, description. Unset values show as the string
 * `null`, as Snowflake's DESC USER does; fingerprints carry the `SHA256:` prefix (https://docs.snowflake.com/en/user-guide/key-pair-auth).
 * The property list and descriptions are a subset of Snowflake's, from its DESC USER output
 * (inferred wording). Another user needs an administrative role (inferred).
 *
 * @example
 * describeUser({ kind: 'describe-user', user: 'ALICE' }, session).rows.find((r) => r[0] === 'RSA_PUBLIC_KEY_FP')
 */
export function describeUser(cmd: Extract<Command, { kind: 'describe-user' }>, session: SqlSession): SqlResult {
  const target = targetUser(cmd.user, false, session, 'https://docs.snowflake.com/en/user-guide/key-pair-auth');
  if (!target.ok) return target.result;
  return { ok: true, kind: 'describe', columns: DESC_COLUMNS, rows: userProperties(target.user), changed: false, cacheable: false };
}

const shown = (v: string | undefined): string => v ?? 'null';
const keyText = (k: PublicKeySlot | undefined): string => shown(k?.text);
const keyFp = (k: PublicKeySlot | undefined): string => shown(k?.fingerprint);

function userProperties(u: User): (string | null)[][] {
  const rows: [string, string, string, string][] = [
    ['NAME', u.name, 'null', 'Name'],
    ['COMMENT', shown(u.comment), 'null', 'user comment associated to an object in the dictionary'],
    ['DISPLAY_NAME', u.displayName ?? u.name, 'null', 'Display name of the associated object'],
    ['TYPE', u.type === 'NULL' ? 'null' : u.type, 'null', 'Type of the user'],
    ['LOGIN_NAME', u.loginName, 'null', 'Login name of the user'],
    ['EMAIL', shown(u.email), 'null', 'Email address of the user'],
    ['PASSWORD', u.password === undefined ? 'null' : '********', 'null', 'Password of the user'],
    ['DISABLED', String(u.disabled), 'false', 'Whether the user is disabled'],
    ['DEFAULT_ROLE', shown(u.defaultRole), 'null', 'Primary principal of user session will be set to this role'],
    ['RSA_PUBLIC_KEY', keyText(u.rsaPublicKey), 'null', 'RSA public key of the user'],
    ['RSA_PUBLIC_KEY_FP', keyFp(u.rsaPublicKey), 'null', "Fingerprint of user's RSA public key."],
    ['RSA_PUBLIC_KEY_2', keyText(u.rsaPublicKey2), 'null', 'Second RSA public key of the user'],
    ['RSA_PUBLIC_KEY_2_FP', keyFp(u.rsaPublicKey2), 'null', "Fingerprint of user's second RSA public key."],
  ];
  return rows;
}
