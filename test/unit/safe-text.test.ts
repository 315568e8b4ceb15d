/**
 * The one renderer for untrusted values in explanations (domain/safe-text.ts) and the JSON depth
 * limit (domain/json-object.ts), issue #14: bounded whatever they are given, and never running a
 * client object's own methods.
 */
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth, MAX_JSON_DEPTH, readJsonObject } from '../../domain/json-object.ts';
import { quoteUntrusted } from '../../domain/safe-text.ts';

describe('quoteUntrusted', () => {
  it('quotes strings with their escapes, cut at the limit', () => {
    expect(quoteUntrusted('a\nb')).toBe('"a\\nb"');
    expect(quoteUntrusted('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}…"`);
  });

  it('writes primitives as themselves', () => {
    expect([7, true, null, undefined, Number.NaN, 10n].map((v) => quoteUntrusted(v))).toEqual(['7', 'true', 'null', 'undefined', 'NaN', '10n']);
  });

  it('never calls toString, valueOf, toJSON or getters of an object', () => {
    let called = false;
    const hostile = { toString: () => { called = true; return 'x'; }, valueOf: () => { called = true; return 1; }, toJSON: () => { called = true; return 1; } };
    Object.defineProperty(hostile, 'getter', { enumerable: true, get: () => { called = true; return 1; } });
    expect(quoteUntrusted(hostile, 200)).toBe('{"toString":a function,"valueOf":a function,"toJSON":a function,"getter":undefined}');
    expect(called).toBe(false);
    expect(quoteUntrusted(JSON.parse('{"toString":1}'))).toBe('{"toString":1}');
  });

  it('describes deep and large containers by kind and size, in bounded time and length', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(quoteUntrusted(deep)).toBe('[[[…1 item]]]');
    expect(quoteUntrusted(JSON.parse('{"a":{"b":{"c":1,"d":2}}}'))).toBe('{"a":{"b":{…2 keys}}}');
    expect(quoteUntrusted(Array.from({ length: 1_000 }, (_, i) => i))).toBe('[0,1,2,3,4,…+995]');
    expect(quoteUntrusted(Array.from({ length: 1_000 }, () => 'y'.repeat(1_000))).length).toBeLessThanOrEqual(81);
  });
});

describe('exceedsJsonDepth', () => {
  it('counts brackets outside strings only', () => {
    expect(exceedsJsonDepth('[[1]]', 1)).toBe(true);
    expect(exceedsJsonDepth('[[1]]', 2)).toBe(false);
    expect(exceedsJsonDepth('{"a":"[[[[\\"[["}', 1)).toBe(false);
  });

  it(`readJsonObject refuses more than ${MAX_JSON_DEPTH} levels and reads ${MAX_JSON_DEPTH}`, () => {
    const at = (n: number) => `{"x":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
    expect(readJsonObject(at(MAX_JSON_DEPTH))).toEqual(expect.any(Object));
    expect(readJsonObject(at(MAX_JSON_DEPTH + 1))).toBe(`is nested more than ${MAX_JSON_DEPTH} levels deep`);
  });
});
