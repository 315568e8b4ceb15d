/**
 * The scenario model: one auth behaviour, described once as data (YAML or JSON), checked against
 * any target — the in-process mock, `serve`, any base URL, recordings, a real account.
 *
 * A scenario has a world (inline or a path; the world-config shape) and ordered steps. A step is
 * exactly one of: a request with expectations and captures, a clock move, a client-IP change, a
 * world change, or signing a key-pair JWT into a variable. Strings in requests, expectations and
 * step arguments may use templates: `{{ name }}` (a capture or signed JWT), `{{ world.… }}`
 * (e.g. `{{ world.users.ALICE.pat.CI }}`), `{{ env.NAME }}`.
 */
import type { WorldConfig } from '../domain/world/config.ts';
import type { WorldChange } from '../api/world-change.ts';

export type { WorldChange };

/** A whole scenario as written. */
export interface Scenario {
  readonly name: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Public source(s) of what the scenario demonstrates, e.g. `https://docs.snowflake.com/en/user-guide/programmatic-access-tokens`. */
  readonly reference?: string;
  /** Inline world, or a path relative to the scenario file. Absent = the embedded default world. */
  readonly world?: WorldConfig | string;
  /** Client IP at the start (default 127.0.0.1). */
  readonly client_ip?: string;
  readonly steps: readonly Step[];
}

export type Step = RequestStep | AdvanceStep | ClientIpStep | WorldStep | SignJwtStep;

/** Common to every step. */
interface StepBase {
  /** Shown in reports; default derived from the step. */
  readonly name?: string;
}

/** An HTTP request and what its answer must look like. */
export interface RequestStep extends StepBase {
  readonly request: RequestSpec;
  readonly expect?: Expectation;
  /**
   * Variables taken from the answer: `$.access_token` (JSONPath-like), `header:Name`, `location:code`
   * (a query parameter of the Location header) or `body:<regex>` (its first group, e.g. from an HTML page).
   */
  readonly capture?: Readonly<Record<string, string>>;
}

export interface RequestSpec {
  /** Default POST when a body is given, else GET. */
  readonly method?: string;
  /** Path (with query) relative to the account's base URL, e.g. `/api/v2/statements?async=true`. */
  readonly path?: string;
  /** An absolute URL instead of a path (for hosts that are not an account). */
  readonly url?: string;
  /** Account the request is for (org-account name or locator); default: the world's first account. */
  readonly account?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  /** A JSON body (sets `Content-Type: application/json` unless given). */
  readonly json?: unknown;
  /** A form body (sets `Content-Type: application/x-www-form-urlencoded` unless given). */
  readonly form?: Readonly<Record<string, string | number | boolean>>;
  /** A raw body. */
  readonly body?: string;
  /** Shorthand for `Authorization: Bearer <token>`. */
  readonly bearer?: string;
  /** Shorthand for `X-Snowflake-Authorization-Token-Type`. */
  readonly token_type?: string;
}

/** What the answer must look like; every field present is checked. */
export interface Expectation {
  readonly status?: number;
  /** Snowflake's `code` in the body (string), e.g. `'390303'`. */
  readonly code?: string;
  /** The `error` field of an OAuth error envelope, e.g. `invalid_client`. */
  readonly error?: string;
  /** Subset match against the JSON body; values may be matchers (see matchers.ts). */
  readonly json?: unknown;
  /** Subset match on response headers (names case-insensitive); values may be matchers. */
  readonly headers?: Readonly<Record<string, unknown>>;
  /** The body must be exactly empty. */
  readonly empty_body?: boolean;
  /** Subset match on the mock's journal entry for this request (targets with a journal only). */
  readonly journal?: Readonly<Record<string, unknown>>;
}

/** Moves the mock clock: `advance: 16d` (needs a target with a clock). */
export interface AdvanceStep extends StepBase {
  readonly advance: string | number;
}

/** Changes the client IP for the following requests. */
export interface ClientIpStep extends StepBase {
  readonly client_ip: string;
}

/**
 * A change to the world, named like the Snowflake command it stands for, or to the mock's injected
 * faults (`inject_fault`, `clear_faults`; decisions/0005). Needs a target with a world.
 */
export interface WorldStep extends StepBase {
  readonly world: WorldChange;
}

/** Signs a key-pair JWT from a named fixture key into a variable (`as`). */
export interface SignJwtStep extends StepBase {
  readonly sign_jwt: {
    /** Variable name the token is stored under. */
    readonly as: string;
    /** Fixture key name (fixtures/keys/<key>.p8), e.g. `alice`. */
    readonly key: string;
    readonly account: string;
    readonly user: string;
    /** iat relative to the mock clock: `-61s`, `+2m`, `0`. Default 0. */
    readonly iat?: string | number;
    /** Lifetime from iat: `1h`, `2h`, `59m`. Default 59m. */
    readonly lifetime?: string | number;
    /** `s` (default) or `ms` for iat/exp. */
    readonly unit?: 's' | 'ms';
    readonly alg?: string;
    /** Keep account/user exactly as written (default: upper-cased like Snowflake's clients do). */
    readonly keep_case?: boolean;
    /** Extra or overriding claims; `null` removes a claim. */
    readonly claims?: Readonly<Record<string, unknown>>;
  };
}
