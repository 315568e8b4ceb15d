/**
 * A seed makes every generated value reproducible (issue #2 §3): two mocks with the same seed give
 * the same statement handles, incident ids and generated secrets; another seed gives others.
 */
import { describe, expect, it } from 'vitest';
import { createIds } from '../../domain/ids.ts';
import { createCore } from '../../http/core.ts';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import { keySlot } from '../../domain/world/build.ts';
import { ALICE_PUBLIC_KEY } from '../../domain/world/default-world.ts';

const request = (token: string) => ({
  method: 'POST', host: 'myorg-myaccount.snowflakecomputing.com', path: '/api/v2/statements', query: '',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"statement":"SELECT 1"}', clientIp: '127.0.0.1',
});

describe('seed', () => {
  it('the same seed gives the same ids, tokens and incident numbers', () => {
    const [a, b, c] = [createIds(42), createIds(42), createIds(43)];
    const draw = (ids: ReturnType<typeof createIds>) => [ids.uuid(), ids.incidentNumber(), ids.token('pat-', 20), ids.personName()];
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
    expect(first[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first[1]).toMatch(/^[1-9]\d{12}$/);
  });

  it('two mocks with the same seed answer with the same statement handles and incident ids', async () => {
    const answers: string[][] = [];
    for (const _ of [1, 2]) {
      const core = createCore({ config: defaultWorldConfig(), seed: 42, clock: { start: Date.parse('2026-01-01T00:00:00Z'), frozen: true } });
      answers.push([(await core.handle(request('pat-alice-ci'))).body, (await core.handle(request('unknown-token'))).body]);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(JSON.parse(answers[0]![1]!).message).toMatch(/^Invalid OAuth access token\. \[\d{13}\]$/);
  });

  it('reset() replays the same sequence', async () => {
    const core = createCore({ config: defaultWorldConfig(), seed: 7 });
    const before = (await core.handle(request('pat-alice-ci'))).body;
    core.reset();
    expect(JSON.parse((await core.handle(request('pat-alice-ci'))).body).statementHandle).toBe(JSON.parse(before).statementHandle);
  });
});

describe('keys', () => {
  it('are imported once per key (the same KeyObject on every world build, PEM or bare body)', () => {
    expect(keySlot(ALICE_PUBLIC_KEY, 'RSA_PUBLIC_KEY').key).toBe(keySlot(ALICE_PUBLIC_KEY, 'RSA_PUBLIC_KEY_2').key);
    const pem = `-----BEGIN PUBLIC KEY-----\n${ALICE_PUBLIC_KEY.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    expect(keySlot(pem, 'RSA_PUBLIC_KEY').key).toBe(keySlot(ALICE_PUBLIC_KEY, 'RSA_PUBLIC_KEY').key);
  });
});
