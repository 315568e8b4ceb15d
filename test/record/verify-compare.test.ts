/**
 * The per-endpoint comparison of `verify` (record/verify/compare.ts): what counts as a difference,
 * and what does not (an incident number, an unset field below the top, a redirect to the request's
 * own redirect URI).
 */
import { describe, expect, it } from 'vitest';
import type { MockResponse } from '../../http/record.ts';
import type { RecordedResponse } from '../../record/format.ts';
import { compareAnswers } from '../../record/verify/compare.ts';

const rec = (status: number, json?: unknown, headers: Record<string, string> = {}): RecordedResponse => ({ status, headers, ...(json !== undefined && { body: { json } }) });
const model = (status: number, json?: unknown, headers: Record<string, string> = {}): MockResponse => ({ status, headers, body: json === undefined ? '' : JSON.stringify(json) });

describe('GS endpoints', () => {
  const ok = { data: { token: 't', parameters: [{ name: 'A', value: 1 }], sessionInfo: { roleName: 'R' } }, code: null, message: null, success: true };

  it('the same envelope, values aside, is no difference', () => {
    expect(compareAnswers('login', rec(200, ok), model(200, { ...ok, data: { ...ok.data, token: 'other' } }), {})).toEqual([]);
  });

  it('status, success (with the code), code and message; the mock\'s [incident] suffix is ignored', () => {
    const fail = (code: string, message: string): unknown => ({ data: null, code, message, success: false });
    expect(compareAnswers('login', rec(200, ok), model(200, fail('390100', 'x')), {})).toEqual(['success: true → false ("390100")']);
    expect(compareAnswers('login', rec(403, fail('390144', 'Bad.')), model(200, fail('390100', 'Other. [1234]')), {})).toEqual(['status: 403 → 200', 'code: "390144" → "390100"', 'message: "Bad." → "Other."']);
    expect(compareAnswers('login', rec(200, fail('390100', 'Same.')), model(200, fail('390100', 'Same. [98765]')), {})).toEqual([]);
  });

  it('envelope keys, data keys two levels deep, value types; null below the top is an unset field', () => {
    expect(compareAnswers('query', rec(200, { ...ok, headers: null }), model(200, { ...ok, extra: 1 }), {})).toEqual(['envelope keys missing: headers', 'envelope keys extra: extra']);
    expect(compareAnswers('query', rec(200, { ...ok, data: { token: 't', sessionInfo: { roleName: 'R', schema: 'S' } } }), model(200, { ...ok, data: { token: 1, sessionInfo: { roleName: 'R' }, more: true } }), {}))
      .toEqual(['data keys extra: more', 'data.token: string → number', 'data.sessionInfo keys missing: schema']);
    expect(compareAnswers('query', rec(200, { ...ok, data: { token: null } }), model(200, { ...ok, data: { token: 'set' } }), {})).toEqual([]);
    expect(compareAnswers('heartbeat', rec(200, { ...ok, data: { a: 1 } }), model(200, { ...ok, data: null }), {})).toEqual(['data: object → null']);
  });

  it('a deliberate delay of an imported mapping', () => {
    expect(compareAnswers('login', rec(200, ok), model(200, ok), { delayMs: 2000 })).toEqual(['delay: 2000 ms → none']);
  });
});

describe('/oauth/token-request', () => {
  it('error, its text (error_description or message) and the body keys', () => {
    const rfc = { error: 'invalid_grant', error_description: 'Expired code.' };
    const sf = { data: null, message: 'This is an invalid grant.', code: null, success: false, error: 'invalid_grant' };
    expect(compareAnswers('token', rec(400, rfc), model(400, sf), {})).toEqual(['error text: "Expired code." → "This is an invalid grant."', 'body keys missing: error_description', 'body keys extra: code, data, message, success']);
    expect(compareAnswers('token', rec(400, { error: 'Invalid refresh token' }), model(400, { error: 'invalid_grant' }), {})).toEqual(['error: "Invalid refresh token" → "invalid_grant"']);
  });

  it('a recorded error without a body', () => {
    expect(compareAnswers('token', rec(400), model(400, { error: 'invalid_client' }), {})).toEqual(['body: none → JSON (error "invalid_client")']);
  });
});

describe('/oauth/authorize', () => {
  const q = (s: string): URLSearchParams => new URLSearchParams(s);
  const loc = (url: string): Record<string, string> => ({ location: url });

  it('query keys of the redirect; a redirect to each side\'s own redirect_uri is the same target', () => {
    const recordedQuery = q('redirect_uri=http://localhost:8001/cb&state=s1');
    const sentQuery = q('redirect_uri=http://localhost:8009/cb&state=s2');
    const d = compareAnswers('authorize', rec(302, undefined, loc('http://localhost:8001/cb?code=a&state=s1')), model(302, undefined, loc('http://localhost:8009/cb?code=b&state=s2&scope=x')), { recordedQuery, sentQuery });
    expect(d).toEqual(['Location keys extra: scope']);
  });

  it('another target, a missing redirect, a state that is not the request\'s', () => {
    const sentQuery = q('redirect_uri=http://localhost:8009/cb&state=s2');
    expect(compareAnswers('authorize', rec(302, undefined, loc('http://elsewhere/cb?code=a')), model(302, undefined, loc('http://localhost:8009/cb?code=b')), { recordedQuery: q('redirect_uri=http://localhost:8009/cb'), sentQuery }))
      .toEqual(['Location target: http://elsewhere/cb → the request\'s redirect_uri']);
    expect(compareAnswers('authorize', rec(302, undefined, loc('http://localhost:8009/cb?error=x')), model(400, undefined), { sentQuery })).toEqual(['status: 302 → 400', 'Location: redirect with error → none']);
    expect(compareAnswers('authorize', rec(302, undefined, loc('http://localhost:8009/cb?code=a&state=other')), model(302, undefined, loc('http://localhost:8009/cb?code=b&state=s2')), { recordedQuery: q('state=s1'), sentQuery }))
      .toEqual(['Location state: not the request\'s → the request\'s']);
  });
});
