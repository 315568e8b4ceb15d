import { describe, expect, it } from 'vitest';
import { appendSegment, formatPath, parsePath, readPath } from '../../contracts/json-path.ts';
import { decodeJwt, describeExpected, isIsoDateTime, isMatcher, matchSubset } from '../../contracts/matchers.ts';

/** A compact JWS with the given header and claims; the signature is junk because $jwt never checks it. */
function jwt(header: object, claims: object): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(claims)}.c2lnbmF0dXJl`;
}

/** The messages only, for compact assertions. */
const messages = (expected: unknown, actual: unknown): string[] => matchSubset(expected, actual).map((m) => m.message);

describe('json-path', () => {
  const body = { data: [['42', 'x']], 'odd key': { a: null }, nested: { b: [{ c: 1 }] } };

  it('reads $, dotted keys, indexes and quoted keys', () => {
    expect(readPath(body, '$')).toEqual({ found: true, value: body });
    expect(readPath(body, '$.data[0][0]')).toEqual({ found: true, value: '42' });
    expect(readPath(body, '$.nested.b[0].c')).toEqual({ found: true, value: 1 });
    expect(readPath(body, "$['odd key'].a")).toEqual({ found: true, value: null });
    expect(readPath(body, '$["odd key"]')).toEqual({ found: true, value: { a: null } });
  });

  it('reports missing steps as not found, distinct from null', () => {
    expect(readPath(body, '$.data[1]')).toEqual({ found: false });
    expect(readPath(body, '$.missing.deeper')).toEqual({ found: false });
    expect(readPath(body, '$.data.length')).toEqual({ found: false });
    expect(readPath(body, '$.nested[0]')).toEqual({ found: false });
    expect(readPath({}, '$.constructor')).toEqual({ found: false });
  });

  it('throws a clear error for syntax that could select several values', () => {
    expect(() => readPath(body, '$.data[*]')).toThrow(/unsupported JSONPath "\$\.data\[\*\]": unsupported index \[\*\]/);
    expect(() => readPath(body, '$..c')).toThrow(/recursive descent "\.\." is not supported/);
    expect(() => readPath(body, '$.*')).toThrow(/wildcards and filters are not supported/);
    expect(() => readPath(body, '$.data[?(@.x)]')).toThrow(/unsupported JSONPath/);
    expect(() => readPath(body, 'data[0]')).toThrow(/must start with "\$"/);
    expect(() => readPath(body, "$['open")).toThrow(/unterminated quoted key/);
  });

  it('formats segments back into the path syntax it parses', () => {
    expect(formatPath(['data', 0, 0])).toBe('$.data[0][0]');
    expect(formatPath(['odd key', "it's"])).toBe("$['odd key']['it\\'s']");
    expect(parsePath(formatPath(['odd key', "it's", 3]))).toEqual(['odd key', "it's", 3]);
    expect(appendSegment('$.token#claims', 'iss')).toBe('$.token#claims.iss');
  });
});

describe('matchSubset: plain values', () => {
  it('passes on equal values and lists nothing', () => {
    expect(matchSubset({ code: '390303', success: false, data: null }, { code: '390303', success: false, data: null })).toEqual([]);
  });

  it('reports a differing primitive with its path, expected, actual and a one-line message', () => {
    expect(matchSubset({ code: '390303' }, { code: '390144' })).toEqual([
      { path: 'json $.code', expected: '390303', actual: '390144', message: 'expected "390303", got "390144"' },
    ]);
  });

  it('ignores extra keys in the actual object', () => {
    expect(matchSubset({ code: '390303' }, { code: '390303', message: 'x', headers: null })).toEqual([]);
  });

  it('reports a missing key', () => {
    expect(matchSubset({ message: 'x' }, {})).toEqual([{ path: 'json $.message', expected: 'x', actual: undefined, message: 'missing key' }]);
  });

  it('is strict about a number against a numeric string, and says why', () => {
    expect(messages({ code: 390303 }, { code: '390303' })).toEqual(['expected 390303, got "390303" (a string, not a number: types must match exactly)']);
    expect(messages({ code: '390303' }, { code: 390303 })).toEqual(['expected "390303", got 390303 (a number, not a string: types must match exactly)']);
    expect(messages({ ok: true }, { ok: 'true' })).toEqual(['expected true, got "true" (a string, not a boolean: types must match exactly)']);
  });

  it('requires arrays of the same length, then matches element-wise', () => {
    expect(matchSubset([1, 2], [1, 2, 3])).toEqual([{ path: 'json $', expected: [1, 2], actual: [1, 2, 3], message: 'expected array of length 2, got 3' }]);
    expect(matchSubset({ data: [['1', '2']] }, { data: [['1', '3']] })[0]).toMatchObject({ path: 'json $.data[0][1]', message: 'expected "2", got "3"' });
  });

  it('reports a kind mismatch between object, array and primitive', () => {
    expect(messages({ data: { a: 1 } }, { data: 'x' })).toEqual(['expected an object, got "x"']);
    expect(messages({ data: [1] }, { data: { 0: 1 } })).toEqual(['expected an array, got {"0":1}']);
    expect(messages({ data: null }, { data: {} })).toEqual(['expected null, got {}']);
  });

  it('names nested paths, quoting odd keys', () => {
    const found = matchSubset({ a: { 'odd key': [{ b: 1 }] } }, { a: { 'odd key': [{ b: 2 }] } });
    expect(found.map((m) => m.path)).toEqual(["json $.a['odd key'][0].b"]);
  });

  it('uses the label and base path given, or no label at all', () => {
    expect(matchSubset('application/json', 'text/html', 'content-type', 'header')[0]?.path).toBe('header content-type');
    expect(matchSubset({ cause: 'x' }, { cause: 'y' }, '$', 'journal')[0]?.path).toBe('journal $.cause');
    expect(matchSubset({ cause: 'x' }, { cause: 'y' }, 'entry', '')[0]?.path).toBe('entry.cause');
  });

  it('keeps keys without $ literal, even when named like a matcher', () => {
    expect(matchSubset({ regex: '^x' }, { regex: '^x' })).toEqual([]);
    expect(messages({ regex: '^x' }, { regex: 'xyz' })).toEqual(['expected "^x", got "xyz"']);
  });

  it('skips expected keys whose value is undefined, as JSON would', () => {
    expect(matchSubset({ a: undefined, b: 1 }, { b: 1 })).toEqual([]);
  });

  it('never matches through the prototype', () => {
    expect(messages({ constructor: { $type: 'object' } }, {})).toEqual(['missing key']);
  });
});

describe('matchSubset: matchers', () => {
  it('$regex matches strings, with optional flags', () => {
    expect(matchSubset({ message: { $regex: '^JWT token is invalid' } }, { message: 'JWT token is invalid. [abc]' })).toEqual([]);
    expect(matchSubset({ $regex: '^jwt', $flags: 'i' }, 'JWT token')).toEqual([]);
    expect(messages({ $regex: '^jwt' }, 'JWT token')).toEqual(['expected a string matching /^jwt/, got "JWT token"']);
    expect(messages({ $regex: '^x' }, 42)).toEqual(['expected a string matching /^x/, got 42']);
    expect(messages({ $regex: '(' }, 'x')[0]).toMatch(/^invalid \$regex \/\(\/: /);
  });

  it('$like checks shape and types, not values', () => {
    const template = { token: 'a', validityInSeconds: 1, sessionInfo: { roleName: 'R' }, list: [{ n: 0 }] };
    expect(matchSubset({ $like: template }, { token: 'zzz', validityInSeconds: 3600, sessionInfo: { roleName: 'X', extra: 1 }, list: [{ n: 5 }, { n: 6 }] })).toEqual([]);
    const found = matchSubset({ $like: template }, { token: 1, validityInSeconds: 2, sessionInfo: {}, list: [{ n: 1 }, { n: '2' }] });
    expect(found.map((m) => `${m.path}: ${m.message}`)).toEqual([
      'json $.token: expected a string (like "a"), got 1',
      'json $.sessionInfo.roleName: missing key',
      'json $.list[1].n: expected a number (like 0), got "2"',
    ]);
  });

  it('$like needs a non-empty array for a non-empty template, any array for []', () => {
    expect(messages({ $like: [1] }, [])).toEqual(['expected a non-empty array like [1], got []']);
    expect(messages({ $like: [1] }, { a: 1 })).toEqual(['expected an array like [1], got {"a":1}']);
    expect(matchSubset({ $like: [] }, [1, 'x'])).toEqual([]);
    expect(messages({ $like: { a: 1 } }, [1])).toEqual(['expected an object like {"a":1}, got [1]']);
    expect(messages({ $like: null }, 'x')).toEqual(['expected null (like null), got "x"']);
  });

  it('$like applies matchers found inside its template', () => {
    expect(matchSubset({ $like: { code: { $regex: '^39' }, n: 1 } }, { code: '390303', n: 7 })).toEqual([]);
    expect(messages({ $like: { code: { $regex: '^39' } } }, { code: '250001' })).toEqual(['expected a string matching /^39/, got "250001"']);
  });

  it('$type checks JSON types, with null and array as their own types', () => {
    const cases: [string, unknown][] = [['string', 'x'], ['number', 1], ['boolean', false], ['object', {}], ['array', []], ['null', null]];
    for (const [type, value] of cases) expect(matchSubset({ $type: type }, value)).toEqual([]);
    expect(messages({ $type: 'string' }, 42)).toEqual(['expected a string, got 42']);
    expect(messages({ $type: 'object' }, [])).toEqual(['expected an object, got []']);
    expect(messages({ $type: 'array' }, {})).toEqual(['expected an array, got {}']);
    expect(messages({ $type: 'object' }, null)).toEqual(['expected an object, got null']);
    expect(messages({ $type: 'null' }, 0)).toEqual(['expected null, got 0']);
    expect(messages({ $type: 'int' }, 1)).toEqual(['invalid $type "int" (use string, number, boolean, object, array, null)']);
  });

  it('$absent: true requires the key to be missing; false requires it present', () => {
    expect(matchSubset({ data: { $absent: true } }, { code: '1' })).toEqual([]);
    expect(matchSubset({ data: { $absent: true } }, { data: null })).toEqual([
      { path: 'json $.data', expected: { $absent: true }, actual: null, message: 'unexpected key present' },
    ]);
    expect(matchSubset({ data: { $absent: false } }, { data: null })).toEqual([]);
    expect(messages({ data: { $absent: false } }, {})).toEqual(['missing key']);
    expect(messages({ data: { $absent: 'yes' } }, {})).toEqual(['invalid $absent "yes": expected true or false']);
  });

  it('other matchers report a missing key as such', () => {
    expect(matchSubset({ token: { $type: 'string' } }, {})).toEqual([
      { path: 'json $.token', expected: { $type: 'string' }, actual: undefined, message: 'missing key' },
    ]);
  });

  it('$iso8601 accepts real ISO 8601 date-times only', () => {
    expect(matchSubset({ at: { $iso8601: true } }, { at: '2026-01-01T00:00:00.000Z' })).toEqual([]);
    expect(matchSubset({ $iso8601: true }, '2026-06-30T23:59:59+05:30')).toEqual([]);
    expect(messages({ $iso8601: true }, '2026-02-30T00:00:00Z')).toEqual(['expected an ISO 8601 date-time, got "2026-02-30T00:00:00Z"']);
    expect(messages({ $iso8601: true }, 1767225600000)).toEqual(['expected an ISO 8601 date-time, got 1767225600000']);
    expect(messages({ $iso8601: 'yes' }, 'x')).toEqual(['invalid $iso8601 "yes": expected true']);
    expect(isIsoDateTime('2026-01-01')).toBe(false);
    expect(isIsoDateTime('2026-01-01T24:00:00Z')).toBe(false);
    expect(isIsoDateTime('2026-01-01T10:00')).toBe(true);
  });

  it('$jwt decodes a compact JWS and matches header and claims recursively', () => {
    const token = jwt({ alg: 'RS256', typ: 'JWT' }, { iss: 'MYORG-MYACCOUNT.ALICE.SHA256:abc=', sub: 'MYORG-MYACCOUNT.ALICE', exp: 1767229200 });
    const spec = { $jwt: { header: { alg: 'RS256' }, claims: { iss: { $regex: '^MYORG-MYACCOUNT\\.ALICE\\.SHA256:' }, exp: { $type: 'number' } } } };
    expect(matchSubset({ token: spec }, { token })).toEqual([]);
    expect(matchSubset({ token: { $jwt: true } }, { token })).toEqual([]);
  });

  it('$jwt reports claim and header mismatches with a path into the token', () => {
    const token = jwt({ alg: 'HS256' }, { sub: 'BOB' });
    const found = matchSubset({ token: { $jwt: { header: { alg: 'RS256' }, claims: { sub: 'ALICE', iat: { $type: 'number' } } } } }, { token });
    expect(found.map((m) => `${m.path}: ${m.message}`)).toEqual([
      'json $.token#header.alg: expected "RS256", got "HS256"',
      'json $.token#claims.sub: expected "ALICE", got "BOB"',
      'json $.token#claims.iat: missing key',
    ]);
  });

  it('$jwt rejects what is not a JWT and malformed specs', () => {
    expect(messages({ $jwt: true }, 'not-a-jwt')).toEqual(['expected a JWT (three base64url segments), got "not-a-jwt"']);
    const notJson = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('nope').toString('base64url')}.sig`;
    expect(messages({ $jwt: true }, notJson)[0]).toMatch(/^expected a JWT, but its claims are not base64url JSON/);
    expect(messages({ $jwt: { payload: {} } }, jwt({}, {}))).toEqual(['invalid $jwt {"payload":{}}: expected true or { header?, claims? }']);
    expect(decodeJwt(jwt({ alg: 'RS256' }, { sub: 'A' }))).toEqual({ header: { alg: 'RS256' }, claims: { sub: 'A' } });
  });

  it('$contains finds every listed element in any order, each actual element used once', () => {
    expect(matchSubset({ roles: { $contains: ['PUBLIC', 'ANALYST'] } }, { roles: ['ANALYST', 'SYSADMIN', 'PUBLIC'] })).toEqual([]);
    expect(matchSubset({ $contains: [{ $type: 'string' }, 'a'] }, ['a', 'b'])).toEqual([]);
    expect(matchSubset({ $contains: [{ name: 'X' }] }, [{ name: 'X', extra: 1 }])).toEqual([]);
    expect(messages({ $contains: [1, 1] }, [1, 2])).toEqual(['expected an array containing 1, got [1,2]']);
    expect(matchSubset({ roles: { $contains: ['ADMIN'] } }, { roles: ['PUBLIC'] })).toEqual([
      { path: 'json $.roles', expected: 'ADMIN', actual: ['PUBLIC'], message: 'expected an array containing "ADMIN", got ["PUBLIC"]' },
    ]);
    expect(messages({ $contains: ['a'] }, 'abc')).toEqual(['expected an array containing ["a"], got "abc"']);
    expect(messages({ $contains: 'a' }, ['a'])).toEqual(['invalid $contains "a": expected an array']);
  });

  it('$any passes when one alternative matches, including $absent', () => {
    const spec = { data: { $any: [null, { $absent: true }] } };
    expect(matchSubset(spec, { data: null })).toEqual([]);
    expect(matchSubset(spec, {})).toEqual([]);
    expect(messages(spec, { data: 1 })).toEqual(['expected any of: null | an absent key, got 1']);
    expect(messages({ x: { $any: ['a', { $regex: '^b' }] } }, {})).toEqual(['expected any of: "a" | a string matching /^b/, got a missing key']);
    expect(messages({ $any: [] }, 1)).toEqual(['invalid $any []: expected a non-empty array of alternatives']);
  });

  it('reports unknown and malformed matchers instead of passing', () => {
    expect(matchSubset({ code: { $equals: '1' } }, { code: '1' })).toEqual([{
      path: 'json $.code', expected: { $equals: '1' }, actual: '1',
      message: 'unknown matcher $equals (known: $regex, $like, $type, $absent, $iso8601, $jwt, $contains, $any)',
    }]);
    expect(messages({ $flags: 'i' }, 'x')).toEqual(['invalid matcher {"$flags":"i"}: use exactly one matcher per object ($flags only next to $regex)']);
    expect(messages({ $type: 'string', $regex: 'x' }, 'x')).toEqual(['invalid matcher {"$type":"string","$regex":"x"}: use exactly one matcher per object ($flags only next to $regex)']);
    expect(messages({ $regex: 'x', note: 1 }, 'x')).toEqual(['invalid matcher {"$regex":"x","note":1}: mixes $-keys with literal keys']);
  });

  it('shortens huge values in messages', () => {
    const [message] = messages('x', 'y'.repeat(500));
    expect(message?.length).toBeLessThan(140);
    expect(message).toMatch(/…$/);
  });
});

describe('isMatcher and describeExpected', () => {
  it('recognises matcher syntax by its $-keys', () => {
    expect(isMatcher({ $regex: 'x' })).toBe(true);
    expect(isMatcher({ $nope: 1 })).toBe(true);
    expect(isMatcher({ regex: 'x' })).toBe(false);
    expect(isMatcher(['$regex'])).toBe(false);
    expect(isMatcher('$regex')).toBe(false);
  });

  it('describes what each matcher accepts in a few words', () => {
    expect(describeExpected({ $regex: '^x', $flags: 'i' })).toBe('a string matching /^x/i');
    expect(describeExpected({ $like: { a: 1 } })).toBe('a value shaped like {"a":1}');
    expect(describeExpected({ $type: 'array' })).toBe('an array');
    expect(describeExpected({ $absent: true })).toBe('an absent key');
    expect(describeExpected({ $absent: false })).toBe('a present key');
    expect(describeExpected({ $iso8601: true })).toBe('an ISO 8601 date-time');
    expect(describeExpected({ $jwt: { claims: { sub: 'A' } } })).toBe('a JWT with claims {"sub":"A"}');
    expect(describeExpected({ $jwt: true })).toBe('a JWT');
    expect(describeExpected({ $contains: ['A'] })).toBe('an array containing ["A"]');
    expect(describeExpected({ $any: ['a', { $type: 'null' }] })).toBe('any of: "a" | null');
    expect(describeExpected({ $nope: 1 })).toBe('unknown matcher {"$nope":1}');
    expect(describeExpected('390303')).toBe('"390303"');
  });
});
