/**
 * An injected fault's headers are checked by pure code (domain/faults-headers.ts) that must agree
 * with what Node's http module sends (issue #14): a header it lets through and Node refuses makes
 * the injected answer a 500 at writeHead; one it refuses and Node sends is a needless refusal.
 * fast-check compares both on arbitrary strings — unicode, lone surrogates, control characters —
 * biased towards the edges (token characters, 0x7F, 0x80–0xFF, U+0100).
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerNameProblem, headerValueProblem } from '../../domain/faults-headers.ts';
import { createFaultPlan, validateFaultRules } from '../../domain/faults.ts';

const RUNS = { seed: 14, numRuns: 2000 } as const;

const nodeSendsName = (name: string): boolean => {
  try {
    validateHeaderName(name);
    return true;
  } catch {
    return false;
  }
};
const nodeSendsValue = (value: string): boolean => {
  try {
    validateHeaderValue('x-a', value);
    return true;
  } catch {
    return false;
  }
};

/** One UTF-16 unit from anywhere (lone surrogates included), or one from near the limits. */
const edgeUnit = fc.oneof(
  fc.constantFrom(...'!#$%&\'*+-.^_`|~azAZ09', '\t', ' ', '\r', '\n', '\0', '\x7f', '\x80', '\xff', '\u0100', '"', '(', ':', '@', '\u00e9'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0, max: 0x1ff }).map((c) => String.fromCharCode(c)),
);
const strings = fc.oneof(
  fc.string({ unit: edgeUnit, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ maxLength: 12 }),
);

describe('fault headers: the pure check agrees with node:http', () => {
  it('names: headerNameProblem refuses exactly what validateHeaderName refuses', () => {
    fc.assert(fc.property(strings, (name) => (headerNameProblem(name) === undefined) === nodeSendsName(name)), RUNS);
  });

  it('values: headerValueProblem refuses exactly what validateHeaderValue refuses', () => {
    fc.assert(fc.property(strings, (value) => (headerValueProblem(value) === undefined) === nodeSendsValue(value)), RUNS);
  });

  it('the cases that used to pass the plan and fail at writeHead are refused, each naming its character', () => {
    expect(headerValueProblem('caf\u00e9')).toBeUndefined();
    expect(headerValueProblem('\u0100')).toBe('a header value holds only tab, space, visible ASCII and bytes 0x80–0xFF; U+0100 at index 0 is none of them');
    expect(headerValueProblem('a\x01')).toMatch(/U\+0001 at index 1/);
    expect(headerValueProblem('a\u{1F600}')).toMatch(/U\+1F600 at index 1/);
    expect(headerNameProblem('')).toMatch(/empty name/);
    expect(headerNameProblem('x-\u00e9')).toMatch(/^not a valid header name/);
  });

  it('every answer a plan accepts carries only headers node:http sends', () => {
    const plan = createFaultPlan();
    fc.assert(
      // Numbers too: the schema and the plan take them and send their decimal text.
      fc.property(fc.dictionary(strings, fc.oneof(strings, fc.integer()), { maxKeys: 3 }) as fc.Arbitrary<Record<string, string>>, (headers) => {
        plan.clear();
        const { problems } = validateFaultRules({ path: '/a', status: 503, headers });
        if (problems.length > 0) return true;
        const answer = plan.inject({ path: '/a', status: 503, headers }) && plan.take('GET', '/a')?.response;
        return answer !== undefined && Object.entries(answer.headers).every(([n, v]) => nodeSendsName(n) && nodeSendsValue(v));
      }),
      { seed: 14, numRuns: 500 },
    );
  });

  it('a header node refuses is a problem at its field, for rules added in-process', () => {
    const plan = createFaultPlan();
    expect(() => plan.inject({ path: '/a', status: 503, headers: { 'x-a': 'caf\u0100' } })).toThrow(/^headers\.x-a: a header value holds only tab/);
    expect(() => plan.inject([{ path: '/a', status: 503 }, { path: '/b', status: 503, headers: { 'x y': '1' } }])).toThrow(/^\[1\]\.headers\.x y: not a valid header name/);
    expect(() => plan.inject({ path: '/a', status: 503, headers: { 'x-a': Number.NaN as unknown as string } })).toThrow(/^headers\.x-a: expected text or a finite number, got number NaN/);
    expect(plan.size).toBe(0);
  });
});
