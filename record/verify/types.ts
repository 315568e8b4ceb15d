/**
 * What `verify` returns and what it reads besides the recording: the explained differences and
 * the adaptations a recording cannot carry itself.
 */
import type { WorldConfig } from '../../domain/world/config.ts';
import type { EndpointKind } from './endpoints.ts';

/**
 * One known difference: `exchange` names it (the exchange's origin such as
 * `gosnowflake/…/invalid_code.json#2`, its file name or its id), `diff` is the difference line as
 * verify writes it, `reason` an id of the explained file's `reasons`.
 *
 * @example
 * const e: ExplainedDifference = { exchange: 'select1.json#1', diff: 'data keys extra: finalRoleName', reason: 'select1-final-role' }
 */
export interface ExplainedDifference {
  readonly exchange: string;
  readonly diff: string;
  readonly reason: string;
}

/**
 * A request change verify cannot derive from the recording alone (which account a flow ran
 * against, which grant an open matcher stood for), with why. `exchanges` are origins: a file means
 * every exchange of that flow, `file#n` one exchange.
 *
 * @example
 * const a: Adaptation = { id: 'mfa-account', text: 'Sent to account MYORG-MFA, where testUser has MFA.', exchanges: ['gosnowflake/…/parallel_login_successful_flow.json'], host: 'myorg-mfa.snowflakecomputing.com' }
 */
export interface Adaptation {
  readonly id: string;
  readonly text: string;
  readonly exchanges: readonly string[];
  /** Send to this host instead of the recorded one (or the world's first account). */
  readonly host?: string;
  /** Form fields set before resolution (`null` removes one), e.g. the grant an open matcher stood for. */
  readonly form?: Readonly<Record<string, string | null>>;
  /** Scope of the authorize request verify makes to obtain a code for this exchange. */
  readonly codeScope?: string;
  /** Which of the world's pre-issued access tokens a TOKEN the model did not issue stands for. */
  readonly accessToken?: 'valid' | 'expired' | 'unknown';
}

/** Options of `verifyRecording`. */
export interface VerifyOptions {
  /** World file or config the model runs with; default the embedded world. */
  readonly world?: string | WorldConfig;
  /** Known differences; any other fails, and a listed one that no longer happens fails too. */
  readonly explained?: readonly ExplainedDifference[];
  /** Texts of the reason ids (reports show them). */
  readonly reasons?: Readonly<Record<string, string>>;
  /** Recording-specific adaptations (see {@link Adaptation}). */
  readonly adaptations?: readonly Adaptation[];
  /** Seed of the model's generated values (default 7). */
  readonly seed?: number;
}

/** How one difference stands against the explained list. */
export type DifferenceStatus = 'explained' | 'unexplained';

/** One difference of one exchange. */
export interface Difference {
  readonly diff: string;
  readonly status: DifferenceStatus;
  readonly reason?: string;
}

/** One exchange sent to the model. */
export interface ExchangeResult {
  /** `0003`. */
  readonly id: string;
  /** File under the recording folder. */
  readonly file: string;
  readonly origin?: string;
  /** How explained entries name it: the origin when imported, else the file name. */
  readonly key: string;
  readonly kind: EndpointKind;
  /** What was sent, for people (secrets as placeholders, `⇒issued`/`⇒world` where resolved). */
  readonly sent: string;
  /** What verify did first for this exchange (a login to have a session, an authorize for a code, …). */
  readonly setup: readonly string[];
  /** Ids of the adaptations made to the request. */
  readonly adaptations: readonly string[];
  readonly differences: readonly Difference[];
}

/** One flow: the exchanges of one mapping file (imports) or the whole recording, against a fresh model. */
export interface FlowResult {
  readonly name: string;
  readonly host: string;
  readonly exchanges: readonly ExchangeResult[];
}

/** The outcome of `verifyRecording`. */
export interface VerifyResult {
  readonly recording: string;
  readonly dir: string;
  /** The world file, or `(embedded)` / `(config)`. */
  readonly world: string;
  readonly flows: readonly FlowResult[];
  /** Listed differences that did not happen. */
  readonly stale: readonly ExplainedDifference[];
  /** Texts of every adaptation id used. */
  readonly adaptations: Readonly<Record<string, string>>;
  readonly reasons: Readonly<Record<string, string>>;
  readonly counts: {
    readonly flows: number;
    readonly exchanges: number;
    /** Flows whose every exchange matched. */
    readonly matchingFlows: number;
    readonly differences: number;
    readonly explained: number;
    readonly unexplained: number;
    readonly stale: number;
  };
  /** No unexplained and no stale difference. */
  readonly passed: boolean;
  readonly durationMs: number;
}
