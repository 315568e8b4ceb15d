/**
 * README "Who answers first", step 1: the statements of the auth model cannot be overridden — not by
 * a catch-all `statements:` entry, not by the onStatement hook. SYSTEM$DECODE_PAT
 * (https://docs.snowflake.com/en/user-guide/programmatic-access-tokens) is answered by the mock
 * while any other SELECT (a context function) goes to the user's answers first (decisions/0016).
 */
import { describe, expect, it } from 'vitest';
import { exampleWorld } from '../helpers/http-world.ts';
import { call, scalar, useMock } from '../helpers/msw.ts';

const SHADOW = { columns: [{ name: 'X', type: 'TEXT' }], rows: [['shadowed']] };
const mock = useMock({ world: exampleWorld(), statements: [{ regex: '.*', result: SHADOW }], clientIp: '10.0.0.5' });
const pat = { token: 'pat-alice-ci', tokenType: 'PROGRAMMATIC_ACCESS_TOKEN' };

describe('a catch-all statements: entry', () => {
  it('does not answer SYSTEM$DECODE_PAT (any case, with an alias): the auth model does', async () => {
    expect(JSON.parse(String(scalar(await call("SELECT SYSTEM$DECODE_PAT('pat-alice-ci')", pat))))).toEqual({ STATE: 'ACTIVE', PAT_NAME: 'CI', USER_NAME: 'ALICE' });
    const aliased = await call("select system$decode_pat('nope') as d, current_user()", pat);
    expect(aliased.body.data).toEqual([['{"STATE":"INVALID"}', 'ALICE']]);
    expect(mock.journal.last()?.explanation).not.toContain('answered by statements');
  });

  it('still answers a SELECT of context functions, and a SELECT around DECODE_PAT the built-in SELECT cannot evaluate (inferred)', async () => {
    expect(scalar(await call('SELECT CURRENT_ROLE()', pat))).toBe('shadowed');
    expect(scalar(await call("SELECT SYSTEM$DECODE_PAT(secret) FROM pats", pat))).toBe('shadowed');
  });

  it('a malformed DECODE_PAT call it may answer (as any malformed statement); without an answer it is 001003', async () => {
    expect(scalar(await call('SELECT SYSTEM$DECODE_PAT(42)', pat))).toBe('shadowed');
  });
});
