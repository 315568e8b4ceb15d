/**
 * The transport-neutral request and response records every endpoint takes and returns
 * (DESIGN.md §4, §5.1). The node server builds a {@link MockRequest} straight from an
 * IncomingMessage; the MSW adapter builds one from a Fetch Request. No Fetch objects beyond that.
 */

/** A request as the endpoints see it. */
export interface MockRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Lower-case host name without port, e.g. `myorg-myaccount.snowflakecomputing.com`. */
  readonly host: string;
  /** Raw path without the query, e.g. `/api/v2/statements`. */
  readonly path: string;
  /** Raw query string without `?` ('' when none). */
  readonly query: string;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Body as UTF-8 text ('' when none). */
  readonly body: string;
  /** True when the body was cut at the transport's size limit. */
  readonly bodyTooLarge?: boolean;
  /** The address the request came from, as the transport determined it. */
  readonly clientIp: string;
}

/** A response as the endpoints produce it. */
export interface MockResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Body text ('' for none). */
  readonly body: string;
  /**
   * Set by an injected fault (domain/faults.ts) for the transport to carry out: wait `delayMs`
   * before answering, and with `reset` drop the connection instead of answering (status is then 0).
   */
  readonly fault?: { readonly delayMs?: number; readonly reset?: boolean };
}

/** The largest body the transports read (statements are small; this stops memory abuse). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
