/**
 * The contract every endpoint implements: a plain request record in, an {@link Outcome} out.
 */
import type { AuthContext } from '../domain/auth/context.ts';
import type { Awaitable } from '../domain/awaitable.ts';
import type { Account } from '../domain/world/model.ts';
import type { MockCore } from './core.ts';
import type { Outcome } from './outcome.ts';
import type { MockRequest } from './record.ts';
import type { RespondContext } from './respond.ts';
import type { SessionStore } from '../domain/session/sessions.ts';

/** What an endpoint gets besides the request. */
export interface RequestContext extends RespondContext {
  readonly core: MockCore;
  /** The account routed to by host. */
  readonly account: Account;
  readonly params: Readonly<Record<string, string>>;
  /** Mock-clock time of this request, epoch ms. */
  readonly now: number;
  readonly clientIp: string;
  /** The context auth modules take. */
  readonly auth: AuthContext;
  /**
   * The session store when the request arrived: an answer that settles after jose's work writes
   * here, never into the store a `reset()` put in its place meanwhile.
   */
  readonly sessions: SessionStore;
}

/** An endpoint of the route table; a promise only while jose verifies or signs something. */
export type Endpoint = (req: MockRequest, ctx: RequestContext) => Awaitable<Outcome>;
