/**
 * The mock's own clock. Every expiry decision reads it; nothing in the mock reads `Date.now()`
 * for a decision. A running clock follows real time from its start (so JWTs that real clients sign
 * stay valid while `serve` runs); a frozen one moves only when told to (deterministic tests).
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION = /^(-?)((?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+)$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/**
 * Parses `90s`, `10m`, `1h30m`, `16d`, `2w`, `-5m`, or a number of seconds, into milliseconds.
 * Returns `undefined` for anything else.
 *
 * @example
 * parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const m = DURATION.exec(text);
  if (!m) return undefined;
  let seconds = 0;
  for (const [, n, unit] of (m[2] ?? '').matchAll(PART)) seconds += Number(n) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  return Math.round((m[1] === '-' ? -seconds : seconds) * 1000);
}

/** The range a JS Date can show (±8.64e15 ms, about ±273 000 years). */
export const MAX_TIME_MS = 8.64e15;

/**
 * Formats epoch ms as ISO 8601; a value out of Date's range (a far-future expiry) as its number,
 * so an explanation can never throw.
 *
 * @example
 * isoTime(0) // '1970-01-01T00:00:00.000Z'
 */
export function isoTime(ms: number): string {
  return Math.abs(ms) <= MAX_TIME_MS ? new Date(ms).toISOString() : String(ms);
}

/** The mock clock's public face. */
export interface Clock {
  /** Current mock time, epoch milliseconds. */
  now(): number;
  /** Moves the clock forward (or back, with a negative value): `'16d'`, `'10m'`, or seconds. */
  advance(by: string | number): number;
  /** Puts the clock at a date (Date, ISO string or epoch ms). */
  set(to: Date | string | number): number;
  /** True when the clock only moves when told to. */
  readonly frozen: boolean;
  /** Freezes or unfreezes the clock at its current reading. */
  freeze(frozen?: boolean): void;
}

/** Where real time comes from; injected so the clock itself is testable. */
export type RealTime = () => number;

/**
 * Creates a clock.
 *
 * @example
 * const clock = createClock({ start: Date.parse('2026-01-01T00:00:00Z'), frozen: true })
 * clock.advance('16d')
 */
export function createClock(options: { start?: number; frozen?: boolean; realTime?: RealTime } = {}): Clock {
  const realTime = options.realTime ?? Date.now;
  let frozen = options.frozen ?? false;
  // A running clock reads realTime() + offset; a frozen one reads `fixed`.
  let fixed = options.start ?? realTime();
  let offset = fixed - realTime();
  const now = (): number => (frozen ? fixed : realTime() + offset);
  const setTo = (ms: number): number => {
    if (!(Math.abs(ms) <= MAX_TIME_MS)) throw new RangeError(`the mock clock cannot go to ${ms} ms: out of the range of dates (±${MAX_TIME_MS})`);
    fixed = ms;
    offset = ms - realTime();
    return ms;
  };
  return {
    now,
    advance(by) {
      const ms = parseDuration(by);
      if (ms === undefined) throw new TypeError(`clock.advance: cannot read duration ${JSON.stringify(by)} (use e.g. "10m", "16d", "1h30m" or seconds)`);
      return setTo(now() + ms);
    },
    set(to) {
      const ms = to instanceof Date ? to.getTime() : typeof to === 'number' ? to : Date.parse(to);
      if (!Number.isFinite(ms)) throw new TypeError(`clock.set: cannot read date ${JSON.stringify(to)} (use an ISO 8601 string, a Date or epoch ms)`);
      return setTo(ms);
    },
    get frozen() {
      return frozen;
    },
    freeze(value = true) {
      setTo(now());
      frozen = value;
    },
  };
}
