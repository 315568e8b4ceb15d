/**
 * Comparing one recorded value with the client's: strings with placeholders (any value of the
 * kind, then the same value for the rest of the replay), JWTs by their claims, JSON structurally
 * with volatile paths skipped, and fields (query, form) by name.
 */
import { placeholdersIn } from './format.ts';
import { Bindings, Trial } from './replay-bindings.ts';
import type { Aspect, Difference } from './replay-difference.ts';
import { compareJwt } from './match-jwt.ts';
import { cut, isJwtLike, showRecorded, showValue } from './replay-mask.ts';
import type { Fields } from './canonical.ts';
import { isVolatileBodyPath, VOLATILE_QUERY_PARAMS } from './volatile.ts';

/** What a comparison needs: the trial bindings, the placeholders only the replay may bind, and where differences go. */
export interface CompareContext {
  readonly trial: Trial;
  /** Placeholders the recording issued in a response before any request carried them: a client cannot bind these, only the replay's answer. */
  readonly issued: ReadonlySet<string>;
  readonly out: Difference[];
  /** Fields the client sends beyond the recorded ones are reported, not decisive (a recording that pins only some, as a WireMock mapping does). */
  readonly extraFieldsAllowed?: boolean;
}

/** Where a value sits: the text shown (`body.data.TOKEN`) and the path for volatile checks. */
export interface Loc {
  readonly aspect: Aspect;
  readonly where: string;
  /** JSON path segments below the body (empty elsewhere). */
  readonly path: readonly string[];
  /** The field or header name, for masking. */
  readonly name: string;
  /** False for differences that are only reported. */
  readonly decisive: boolean;
  /** Inside a decoded JWT (body volatile paths do not apply). */
  readonly inJwt?: boolean;
}

/**
 * Records a difference at `loc`.
 *
 * @example
 * differ(ctx, loc, 'recorded "ALICE", got "BOB"')
 */
export function differ(ctx: CompareContext, loc: Loc, text: string, decisive = loc.decisive): void {
  ctx.out.push({ aspect: loc.aspect, where: clipText(loc.where, MAX_WHERE), decisive, text: clipText(text, MAX_TEXT) });
}

/** A JSON key, field or header name as a `where` shows it: the client chooses these, so they are cut. */
const MAX_SEGMENT = 40;
/** Backstops for one difference (a JWT's claim names, deep nesting): its `where` and its text. */
const MAX_WHERE = 240;
const MAX_TEXT = 400;

/**
 * A client-chosen name cut for a `where` (`k…` past {@link MAX_SEGMENT} characters).
 *
 * @example
 * segment('LOGIN_NAME') // 'LOGIN_NAME'
 */
export function segment(name: string): string {
  return clipText(name, MAX_SEGMENT);
}

function clipText(text: string, max: number): string {
  return cut(text, max);
}

/**
 * Compares a recorded string with the client's.
 *
 * @example
 * compareString(ctx, loc, '__redacted_password_1__', 'alice-password') // binds, no difference
 */
export function compareString(ctx: CompareContext, loc: Loc, recorded: string, actual: string): void {
  if (isJwtLike(recorded) && isJwtLike(actual)) return compareJwt(ctx, loc, recorded, actual);
  const holes = placeholdersIn(recorded);
  if (holes.length === 0) {
    if (recorded !== actual) differ(ctx, loc, `recorded ${showRecorded(recorded)}, got ${shown(ctx, loc, actual)}`);
    return;
  }
  const captured = fillTemplate(literalsOf(recorded), actual);
  if (!captured) return differ(ctx, loc, `recorded ${showRecorded(recorded)}, got ${shown(ctx, loc, actual)}`);
  holes.forEach((hole, i) => acceptHole(ctx, loc, hole.text, hole.kind, captured[i]!));
}

function acceptHole(ctx: CompareContext, loc: Loc, placeholder: string, kind: string, value: string): void {
  const bound = ctx.trial.valueOf(placeholder);
  if (bound === undefined && ctx.issued.has(placeholder)) {
    return differ(ctx, loc, `recorded ${placeholder}, which the recording's server issued and this replay has not issued yet; got ${shown(ctx, loc, value)}`);
  }
  if (ctx.trial.accept(placeholder, kind, value, sameToken)) return;
  const other = ctx.trial.placeholderOf(value);
  if (bound === undefined && other !== undefined) return differ(ctx, loc, `recorded ${placeholder}; got the value bound to ${other}`);
  differ(ctx, loc, `recorded ${placeholder}, bound in this replay to another value; got ${shown(ctx, loc, value)}`);
}

/** Bound whole tokens compare equal when they are the same JWT re-signed (only volatile claims changed). */
function sameToken(bound: string, value: string): boolean {
  if (bound === value) return true;
  if (!isJwtLike(bound) || !isJwtLike(value)) return false;
  return jwtEquivalent(bound, value);
}

function jwtEquivalent(a: string, b: string): boolean {
  const out: Difference[] = [];
  const scratch: CompareContext = { trial: new Trial(new Bindings()), issued: new Set(), out };
  compareJwt(scratch, { aspect: 'body', where: '', path: [], name: '', decisive: true }, a, b);
  return !out.some((d) => d.decisive);
}

const templates = new Map<string, readonly string[]>();

/** `Snowflake Token="__redacted_session_token_1__"` → the literals around its placeholders, `['Snowflake Token="', '"']` (cached: recordings are read once). */
function literalsOf(recorded: string): readonly string[] {
  let literals = templates.get(recorded);
  if (!literals) {
    literals = recorded.split(/__redacted_[a-z_]+?_\d+__/);
    if (templates.size > 10_000) templates.clear();
    templates.set(recorded, literals);
  }
  return literals;
}

/**
 * What each placeholder stands for in `actual` — literal, value, literal, …, literal, each value at
 * least one character — or undefined when `actual` does not have that form. No regular expression:
 * one lazy group per placeholder backtracks in polynomial time on a long client string. A
 * left-to-right scan with `indexOf` is linear and gives the same values as the lazy groups did: the
 * first literal at the start, the last at the end, and each one between at its earliest place after
 * the previous value's first character — the earliest place leaves the most room for the rest, so if
 * any placement fits, that one does (and a lazy group takes exactly that shortest value).
 *
 * @example
 * fillTemplate(['Snowflake Token="', '"'], 'Snowflake Token="abc"') // ['abc']
 */
export function fillTemplate(literals: readonly string[], actual: string): string[] | undefined {
  const first = literals[0]!;
  const last = literals[literals.length - 1]!;
  if (literals.length < 2) return first === actual ? [] : undefined;
  if (!actual.startsWith(first)) return undefined;
  const end = actual.length - last.length;
  if (end < first.length || !actual.endsWith(last)) return undefined;
  const values: string[] = [];
  let at = first.length;
  for (let i = 1; i < literals.length - 1; i++) {
    const found = actual.indexOf(literals[i]!, at + 1);
    if (found < 0 || found > end) return undefined;
    values.push(actual.slice(at, found));
    at = found + literals[i]!.length;
  }
  if (end < at + 1) return undefined;
  values.push(actual.slice(at, end));
  return values;
}

/**
 * The client's value as shown in a difference (never a secret; record/replay-mask.ts).
 *
 * @example
 * shown(ctx, loc, 'BOB') // '"BOB"'
 */
export function shown(ctx: CompareContext, loc: Loc, value: unknown): string {
  return showValue(loc.name, value, typeof value === 'string' ? ctx.trial.placeholderOf(value) : undefined);
}

/**
 * Compares two JSON values structurally: key order ignored, volatile paths skipped (their presence
 * reported), strings through {@link compareString}.
 *
 * @example
 * compareJson(ctx, bodyLoc, { data: { LOGIN_NAME: 'ALICE' } }, { data: { LOGIN_NAME: 'BOB' } })
 */
export function compareJson(ctx: CompareContext, loc: Loc, recorded: unknown, actual: unknown): void {
  if (typeof recorded === 'string' && typeof actual === 'string') return compareString(ctx, loc, recorded, actual);
  if (Array.isArray(recorded) && Array.isArray(actual)) return compareArrays(ctx, loc, recorded, actual);
  if (isObject(recorded) && isObject(actual)) return compareObjects(ctx, loc, recorded, actual);
  if (recorded !== actual) differ(ctx, loc, `recorded ${showRecorded(recorded)}, got ${shown(ctx, loc, actual)}`);
}

function compareArrays(ctx: CompareContext, loc: Loc, recorded: readonly unknown[], actual: readonly unknown[]): void {
  if (recorded.length !== actual.length) differ(ctx, loc, `recorded ${recorded.length} items, got ${actual.length}`);
  for (let i = 0; i < Math.min(recorded.length, actual.length); i++) compareJson(ctx, child(loc, String(i), `[${i}]`), recorded[i], actual[i]);
}

function compareObjects(ctx: CompareContext, loc: Loc, recorded: Record<string, unknown>, actual: Record<string, unknown>): void {
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(actual)])].sort();
  for (const key of keys) {
    const at = child(loc, key, loc.where === '' ? segment(key) : `.${segment(key)}`);
    const [r, a] = [recorded[key], actual[key]];
    const volatile = loc.aspect === 'body' && !loc.inJwt && isVolatileBodyPath(at.path);
    if (r === undefined || a === undefined) {
      if (r !== undefined) differ(ctx, at, `recorded ${volatile ? 'a value' : showRecorded(r)}, missing`, !volatile && at.decisive);
      else differ(ctx, at, `not recorded, got ${volatile ? 'a value' : shown(ctx, at, a)}`, !volatile && !ctx.extraFieldsAllowed && at.decisive);
    } else if (!volatile) compareJson(ctx, at, r, a);
  }
}

/**
 * Compares fields by name (query parameters, form fields): volatile names only by presence.
 *
 * @example
 * compareFields(ctx, queryLoc, queryFields('delete=true'), queryFields('delete=false'))
 */
export function compareFields(ctx: CompareContext, loc: Loc, recorded: Fields, actual: Fields): void {
  const names = [...new Set([...recorded.keys(), ...actual.keys()])].sort();
  for (const name of names) {
    const at: Loc = { ...loc, where: `${loc.where}.${segment(name)}`, name };
    const [r, a] = [recorded.get(name), actual.get(name)];
    const volatile = VOLATILE_QUERY_PARAMS.includes(name);
    if (r === undefined) differ(ctx, at, `not recorded, got ${volatile ? 'a value' : shown(ctx, at, a!.join(', '))}`, !volatile && !ctx.extraFieldsAllowed && at.decisive);
    else if (a === undefined) differ(ctx, at, `recorded ${volatile ? 'a value' : showRecorded(r.join(', '))}, missing`, !volatile && at.decisive);
    else {
      // A volatile value never decides, but one the recording redacted is still bound, so the answer can repeat the client's (an OAuth `state`).
      const field = volatile ? { ...at, decisive: false } : at;
      if (r.length !== a.length && !volatile) differ(ctx, at, `recorded ${r.length} values, got ${a.length}`);
      for (let i = 0; i < Math.min(r.length, a.length); i++) {
        if (!volatile || r[i]!.includes('__redacted_')) compareString(ctx, r.length > 1 ? { ...field, where: `${field.where}[${i}]` } : field, r[i]!, a[i]!);
      }
    }
  }
}

function child(loc: Loc, key: string, suffix: string): Loc {
  return { ...loc, where: loc.where + suffix, path: [...loc.path, key], name: key };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
