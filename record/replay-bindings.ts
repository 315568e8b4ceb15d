/**
 * Which value each placeholder stands for in one replay session. A placeholder matches any value of
 * its kind the first time; from then on only that value, and that value only that placeholder (a
 * recording gives two secrets two placeholders, so one value cannot be both). Values the replay
 * issues for placeholders of recorded responses are bound the same way, which is how a client that
 * sends back the session token it got is matched to the recorded request that carried it.
 */
import { UNBOUND_PLACEHOLDER_KINDS } from './volatile.ts';

/**
 * The session's bindings, both ways.
 *
 * @example
 * const bindings = new Bindings()
 * bindings.bind('__redacted_password_1__', 'alice-password')
 * bindings.placeholderOf('alice-password') // '__redacted_password_1__'
 */
export class Bindings {
  private readonly values = new Map<string, string>();
  private readonly placeholders = new Map<string, string>();

  /**
   * The value bound to a placeholder.
   *
   * @example
   * bindings.valueOf('__redacted_session_token_1__') // 'ver:1-hint:0-rp-…' once issued
   */
  valueOf(placeholder: string): string | undefined {
    return this.values.get(placeholder);
  }

  /**
   * The placeholder a value is bound to.
   *
   * @example
   * bindings.placeholderOf('alice-password') // '__redacted_password_1__'
   */
  placeholderOf(value: string): string | undefined {
    return this.placeholders.get(value);
  }

  /**
   * Binds for good (callers check with a {@link Trial} first).
   *
   * @example
   * bindings.bind('__redacted_password_1__', 'alice-password')
   */
  bind(placeholder: string, value: string): void {
    this.values.set(placeholder, value);
    this.placeholders.set(value, placeholder);
  }

  /** Forgets every binding (a reset replay). */
  clear(): void {
    this.values.clear();
    this.placeholders.clear();
  }

  /** Number of bindings. */
  get size(): number {
    return this.values.size;
  }
}

/**
 * Bindings tried while comparing one recorded request: kept only if that exchange is chosen.
 *
 * @example
 * const trial = new Trial(bindings)
 * trial.accept('__redacted_password_1__', 'password', 'alice-password') // true
 * trial.commit()
 */
export class Trial {
  private readonly base: Bindings;
  readonly added = new Map<string, string>();
  private readonly addedValues = new Map<string, string>();
  constructor(base: Bindings) {
    this.base = base;
  }

  /** The value a placeholder stands for, bound before or in this trial. */
  valueOf(placeholder: string): string | undefined {
    return this.added.get(placeholder) ?? this.base.valueOf(placeholder);
  }

  /** The placeholder a value stands for, bound before or in this trial. */
  placeholderOf(value: string): string | undefined {
    return this.addedValues.get(value) ?? this.base.placeholderOf(value);
  }

  /**
   * Whether `value` may stand where `placeholder` was recorded; binds it (in this trial) when
   * neither is bound yet. Unbound kinds (a JWT signature) accept any value and bind nothing. `same`
   * compares with the bound value (a re-signed JWT is the same token for replay, record/jwt.ts).
   */
  accept(placeholder: string, kind: string, value: string, same: (bound: string, value: string) => boolean = (a, b) => a === b): boolean {
    if (UNBOUND_PLACEHOLDER_KINDS.includes(kind)) return value !== '';
    const bound = this.valueOf(placeholder);
    if (bound !== undefined) return same(bound, value);
    if (value === '' || this.placeholderOf(value) !== undefined) return false;
    this.added.set(placeholder, value);
    this.addedValues.set(value, placeholder);
    return true;
  }

  /** Makes this trial's bindings permanent. */
  commit(): void {
    for (const [placeholder, value] of this.added) this.base.bind(placeholder, value);
  }
}
