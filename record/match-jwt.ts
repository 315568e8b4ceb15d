/**
 * JWTs compared by what they say, not by their bytes: a key-pair JWT or client assertion is signed
 * afresh on every login, so its `iat`/`exp`/`jti` values and signature never repeat. Header and the
 * other claims must match (placeholders allowed, e.g. an account redacted inside `iss`); of the
 * volatile claims, which are present, their unit (seconds or milliseconds, as some drivers send)
 * and the lifetime `exp − iat` must match — they change what Snowflake answers. Decoding is
 * jose's (`decodeJwt`, `decodeProtectedHeader`); nothing is verified — a replay has no keys, and a
 * recording keeps no signature (record/jwt.ts).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { compareJson, differ, type CompareContext, type Loc } from './match-values.ts';
import { VOLATILE_JWT_CLAIMS } from './volatile.ts';

/**
 * Compares two JWTs at `loc` (differences go to `ctx.out`).
 *
 * @example
 * compareJwt(ctx, { aspect: 'body', where: 'body.data.TOKEN', path: ['data', 'TOKEN'], name: 'TOKEN', decisive: true }, recordedJwt, clientJwt)
 */
export function compareJwt(ctx: CompareContext, loc: Loc, recorded: string, actual: string): void {
  // Inside a JWT the body's volatile paths do not apply; its own volatile claims do.
  const inJwt = (what: string, name: string): Loc => ({ ...loc, where: `${loc.where} (JWT) ${what}`, path: [], name, inJwt: true });
  compareJson(ctx, inJwt('header', 'header'), decodeProtectedHeader(recorded), decodeProtectedHeader(actual));
  const r = decodeJwt(recorded) as Record<string, unknown>;
  const a = decodeJwt(actual) as Record<string, unknown>;
  for (const claim of [...new Set([...Object.keys(r), ...Object.keys(a)])].sort()) {
    const at = inJwt(`claim ${claim}`, claim);
    if (!VOLATILE_JWT_CLAIMS.includes(claim)) {
      if (r[claim] === undefined) differ(ctx, at, 'not recorded, present');
      else if (a[claim] === undefined) differ(ctx, at, 'recorded, missing');
      else compareJson(ctx, at, r[claim], a[claim]);
    } else if ((r[claim] === undefined) !== (a[claim] === undefined)) {
      differ(ctx, at, r[claim] === undefined ? 'not recorded, present' : 'recorded, missing');
    } else if (unit(r[claim]) !== unit(a[claim])) {
      differ(ctx, at, `recorded in ${unit(r[claim])}, got in ${unit(a[claim])}`);
    }
  }
  const lifetime = (c: Record<string, unknown>): number | undefined => (typeof c.exp === 'number' && typeof c.iat === 'number' ? c.exp - c.iat : undefined);
  const [lr, la] = [lifetime(r), lifetime(a)];
  if (lr !== undefined && la !== undefined && lr !== la) differ(ctx, inJwt('lifetime (exp − iat)', 'lifetime'), `recorded ${lr}, got ${la}`);
}

/** Seconds or milliseconds since the epoch: 1e11 s is the year 5138, 1e11 ms is 1973. */
function unit(value: unknown): string {
  return typeof value !== 'number' ? typeof value : Math.abs(value) >= 1e11 ? 'milliseconds' : 'seconds';
}
