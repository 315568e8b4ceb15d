/**
 * The standalone server's control API under `/__mock/` (DESIGN.md §2): health, clock, journal,
 * reset, world (GET the credentials view, PUT a whole world, POST a change), client-ip and faults
 * (issue #5), provider (the external OAuth provider, issue #6), and the inspector page with its
 * secret-free world summary (issue #12). On only with `--control`; never on a non-loopback bind without an explicit flag.
 * A browser reaches it only through the machine's own names, and changes it only from its own
 * origin ({@link controlRefusal}): DNS rebinding and cross-site pages are refused.
 */
import { isIP } from 'node:net';
import { andThen, type Awaitable } from '../domain/awaitable.ts';
import { isoTime, MAX_TIME_MS, parseDuration } from '../domain/clock.ts';
import { FaultRuleError, type FaultRule } from '../domain/faults.ts';
import { quoteUntrusted } from '../domain/safe-text.ts';
import type { MockCore } from '../http/core.ts';
import type { MockRequest, MockResponse } from '../http/record.ts';
import { json } from '../http/respond.ts';
import type { WorldConfig } from '../domain/world/config.ts';
import { WorldConfigError } from '../domain/world/validate.ts';
import { parseIp } from '../domain/network/cidr.ts';
import { applyWorldChange, type WorldChange } from '../api/world-change.ts';
import { createWorldApi } from '../api/world.ts';
import { worldView } from '../api/world-view.ts';
import { worldSummary } from '../api/world-summary.ts';
import { INSPECTOR_FILES, inspectorFile, inspectorRedirect } from './inspector.ts';
import { controlFailure, FieldReader, got, invalid, isObject, readControlJson } from './control-body.ts';
import { worldChangeProblems } from './control-world-change.ts';
import { CONTROL_PREFIX } from '../http/routes.ts';

export { CONTROL_PREFIX };
/** The prefix without its slash: the inspector's address as people type it. */
const CONTROL_ROOT = CONTROL_PREFIX.slice(0, -1);

/**
 * Answers a control request, or `undefined` when the path is not a control path. A promise only
 * for a world change that signs a token (issue_external_oauth_token).
 *
 * @example
 * await handleControl(core, { method: 'GET', path: '/__mock/health', … })
 */
export function handleControl(core: MockCore, req: MockRequest, server: ServerState): Awaitable<MockResponse> | undefined {
  if (req.path !== CONTROL_ROOT && !req.path.startsWith(CONTROL_PREFIX)) return undefined;
  const refusal = controlRefusal(req);
  if (refusal) return refusal;
  if (req.path === CONTROL_ROOT) return req.method === 'GET' ? inspectorRedirect() : json(405, { error: `${req.method} is not allowed on ${CONTROL_ROOT}; GET it for the inspector` });
  const name = req.path.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
  const action = ACTIONS[`${req.method} ${name}`];
  if (action) {
    try {
      const response = action(core, req, server);
      return response instanceof Promise ? response.catch(controlFailure) : response;
    } catch (error) {
      return controlFailure(error);
    }
  }
  const known = Object.keys(ACTIONS).filter((k) => k.endsWith(` ${name}`));
  return known.length > 0
    ? json(405, { error: `${req.method} is not allowed on ${req.path}; use ${known.map((k) => k.split(' ')[0]).join(' or ')}` })
    : json(404, { error: `no control endpoint ${req.path}; known: ${[...new Set(Object.keys(ACTIONS).map((k) => CONTROL_PREFIX + k.split(' ')[1]))].join(', ')}` });
}

/**
 * The 403 for a control request (any path under `/__mock`) that a web page may have sent against
 * the user's will, or `undefined` to go on. Two guards, both only for what a browser sends, so
 * scripts, drivers, the Testcontainers module and curl keep working with any Host (a container is
 * reached by its service name):
 *
 * - **DNS rebinding**: a page of `attacker.example` whose name is re-pointed at 127.0.0.1 is
 *   same-origin with the mock, Origin and Host both `attacker.example:PORT`, and could read
 *   `GET /__mock/world` (every credential) or reset the mock. A browser request must therefore name
 *   the mock by an IP literal, `localhost` or a `*.localhost` name — names no DNS answer can re-point.
 * - **Cross-site changes**: a state-changing request whose Origin is not the server's own.
 *
 * Also used by the replay server's control API (server/index.ts).
 *
 * @example
 * controlRefusal({ method: 'GET', host: 'attacker.example', path: '/__mock/world', headers: { host: 'attacker.example:4010', 'user-agent': 'Mozilla/5.0 …' }, … })?.status // 403
 */
export function controlRefusal(req: MockRequest): MockResponse | undefined {
  if (fromBrowser(req.headers) && !machineName(req.host)) {
    return json(403, {
      error: `refused: a browser asked for ${req.path.slice(0, 100)} through the name ${JSON.stringify(req.host.slice(0, 100))}, which is not this machine's own (a DNS-rebinding page could use such a name to read the mock's credentials or change it); open the mock as http://127.0.0.1:<port>/__mock/ or http://localhost:<port>/__mock/ (a *.localhost name or an IP address works too). Clients that are not browsers may use any name.`,
    });
  }
  const foreign = foreignOrigin(req);
  if (foreign) return json(403, { error: `refused: a page from ${foreign} may not change the mock (the control API takes changes from its own page, or from clients that send no Origin)` });
  return undefined;
}

/**
 * Whether a browser may have sent the request. Origin and fetch metadata (`Sec-Fetch-Site`, `-Dest`,
 * `-User`, https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Sec-Fetch-Site) are not enough:
 * browsers send fetch metadata only to https and localhost URLs, and Origin only on cross-origin or
 * non-GET requests, so a rebinding page's same-origin GET over plain HTTP carries neither (seen in
 * Chromium, test/browser/inspector.test.ts). Its User-Agent is a browser's `Mozilla/5.0 …`, which
 * a page cannot change in Chromium or Safari (Firefox lets a page set it on a GET; its POSTs still
 * carry Origin). Node's fetch sends `Sec-Fetch-Mode: cors` by itself, so that header is no browser's.
 */
function fromBrowser(headers: MockRequest['headers']): boolean {
  if (headers.origin !== undefined || BROWSER_USER_AGENT.test(headers['user-agent'] ?? '')) return true;
  for (const name in headers) if (name.startsWith('sec-fetch-') && name !== 'sec-fetch-mode') return true;
  return false;
}

/** Every browser's User-Agent starts so (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/User-Agent). */
const BROWSER_USER_AGENT = /^Mozilla\//;

/** An IP literal, `localhost` or `*.localhost` (`host` is the record's: lower-cased, no port, IPv6 without brackets). */
function machineName(host: string): boolean {
  return isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost');
}

/**
 * The Origin of a state-changing request sent by a page of another site, or undefined. A browser
 * sends any page's "simple" POST cross-origin without asking (https://fetch.spec.whatwg.org/#cors-safelisted-method),
 * so without this a site open in the same browser could move the clock or reset the mock; the
 * inspector's own requests carry the server's origin, and scripts and drivers send no Origin.
 */
function foreignOrigin(req: MockRequest): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined || req.method === 'GET' || req.method === 'HEAD') return undefined;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  return host !== undefined && host === req.headers.host?.toLowerCase() ? undefined : origin.slice(0, 200);
}

/** Server state the control API can change. */
export interface ServerState {
  /** Client IP assumed for requests without a trusted X-Forwarded-For (set with POST /__mock/client-ip). */
  clientIp?: string;
}

type Action = (core: MockCore, req: MockRequest, server: ServerState) => Awaitable<MockResponse>;

const clockBody = (core: MockCore): Record<string, unknown> => ({ now: isoTime(core.clock.now()), epochMs: core.clock.now(), frozen: core.clock.frozen });

const ACTIONS: Readonly<Record<string, Action>> = {
  'GET health': (core) => json(200, { status: 'ok', accounts: core.world.accounts.map((a) => a.name), clock: isoTime(core.clock.now()) }),
  'GET clock': (core) => json(200, clockBody(core)),
  'POST clock': setClock,
  'GET journal': journalAnswer,
  'DELETE journal': (core) => {
    core.journal.clear();
    return json(200, { cleared: true });
  },
  'POST reset': (core, _req, server) => {
    core.reset();
    delete server.clientIp;
    return json(200, { reset: true, ...clockBody(core) });
  },
  'GET world': (core) => json(200, worldView(core.world)),
  // No secret in it: what the inspector page shows (issue #12).
  'GET world/summary': (core) => json(200, worldSummary(core.world, core.clock.now(), core.clock.frozen)),
  'PUT world': (core, req, server) =>
    withJson(req, 'send a world config as JSON', (body) => {
      core.load(body as WorldConfig);
      delete server.clientIp;
      return json(200, { loaded: true, accounts: core.world.accounts.map((a) => a.name), ...clockBody(core) });
    }),
  'POST world/change': (core, req) =>
    withJson(req, 'send one change, e.g. {"disable_user":{"user":"ALICE"}}', (body) => {
      const problems = worldChangeProblems(body);
      // Said like POST /__mock/faults says it, at the rule's place in the change.
      if (problems.length > 0) return invalid(problems, isObject(body) && Object.hasOwn(body, 'inject_fault') ? 'invalid fault: ' : '');
      return andThen(applyWorldChange(createWorldApi(core), body as WorldChange, core.faults, core.provider), (captured) => json(200, { captured }));
    }),
  'GET faults': (core) => json(200, { faults: core.faults.list() }),
  // The plan checks every field itself (it also takes rules in-process): its FaultRuleError is the 400.
  'POST faults': (core, req) => withJson(req, 'send a fault rule or a list of them, e.g. {"path":"/session/v1/login-request","status":503}', (body) => json(200, { injected: core.faults.inject(body as FaultRule | FaultRule[]), faults: core.faults.list() })),
  'DELETE faults': (core) => json(200, { cleared: core.faults.clear() }),
  // The external OAuth provider (issue #6, decisions/0007).
  'GET provider': (core) => json(200, { down: core.provider.downHosts(), tokens: core.provider.tokens() }),
  'POST provider': (core, req) => withJson(req, `send one of ${PROVIDER_ACTIONS.map((a) => `{"${a}":…}`).join(', ')}`, (body) => providerAction(core, body)),
  'POST client-ip': (_core, req, server) =>
    withJson(req, CLIENT_IP_HINT, (body) => {
      const f = new FieldReader();
      const b = f.object(body, [], ['ip']);
      const ip = b && f.string(b, 'ip', [], { required: true, nullable: true });
      if (typeof ip === 'string' && parseIp(ip) === undefined) f.add(['ip'], `expected an IPv4 or IPv6 address, got ${got(ip)}`);
      if (f.problems.length > 0 || ip === undefined) return invalid(f.problems.map((p) => ({ ...p, message: `${p.message}; ${CLIENT_IP_HINT}` })));
      if (ip === null) delete server.clientIp;
      else server.clientIp = ip;
      return json(200, { clientIp: server.clientIp ?? null });
    }),
  // The inspector page (issue #12): `GET /__mock/` and its script and style sheet.
  ...Object.fromEntries(INSPECTOR_FILES.map((name) => [`GET ${name}`, () => inspectorFile(name)])),
};

const CLIENT_IP_HINT = 'send {"ip":"10.0.0.5"} (an IPv4 or IPv6 address), or {"ip":null} to use the socket address again';

/**
 * Every control endpoint as `METHOD name` (the path under `/__mock/`; `GET ` is the inspector page,
 * `GET inspector.js` one of its files): the one list `serve --help` and its banner show.
 *
 * @example
 * CONTROL_ENDPOINTS.includes('POST world/change') // true
 */
export const CONTROL_ENDPOINTS: readonly string[] = Object.keys(ACTIONS);

/**
 * `GET /__mock/journal[?limit=N][&since=SEQ]`: `{ entries }`, oldest first (the newest N with a
 * limit). With `since`, only entries after that sequence number, plus `lastSeq` (the next cursor),
 * `firstSeq` (entries below it are gone: cleared, reset or pushed out of the ring) and `instance`
 * (the journal's id: when it changes, the mock was restarted and the cursor means nothing any more).
 */
function journalAnswer(core: MockCore, req: MockRequest): MockResponse {
  const query = new URLSearchParams(req.query);
  const f = new FieldReader();
  for (const name of new Set(query.keys())) {
    if (name !== 'limit' && name !== 'since') f.add([name], 'unknown query parameter; the journal takes limit and since');
    else if (query.getAll(name).length > 1) f.add([name], 'given more than once');
  }
  const limitText = query.get('limit');
  const since = query.get('since');
  // Whole numbers only: Number('') is 0 and Number('1e3') 1000, neither what was meant.
  if (limitText !== null && !/^\d{1,15}$/.test(limitText)) f.add(['limit'], `expected a whole number of entries (0 for all), got ${quoteUntrusted(limitText, 40)}`);
  if (since !== null && !/^\d{1,15}$/.test(since)) f.add(['since'], `${quoteUntrusted(since, 40)} is not a sequence number; send the lastSeq of the previous answer (0 for everything)`);
  if (f.problems.length > 0) return invalid(f.problems);
  const limit = Number(limitText ?? '0');
  const newest = <T>(entries: T[]): T[] => (limit > 0 ? entries.slice(-limit) : entries);
  if (since === null) return json(200, { entries: newest(core.journal.entries()) });
  const { journal } = core;
  return json(200, { entries: newest(journal.since(Number(since))), firstSeq: journal.firstSeq, lastSeq: journal.lastSeq, instance: journal.instance });
}

/**
 * Runs `next` on the JSON body (read by {@link readControlJson}: size, depth, syntax; `hint` says
 * what to send); a bad body or a refused change is a 400 with the reason, never a 500.
 */
function withJson(req: MockRequest, hint: string, next: (body: unknown) => Awaitable<MockResponse>): Awaitable<MockResponse> {
  const body = readControlJson(req, hint);
  if ('refused' in body) return body.refused;
  try {
    const response = next(body.value);
    return response instanceof Promise ? response.catch(refused) : response;
  } catch (error) {
    return refused(error);
  }
}

/** A change the model refused after the boundary let it through (an unknown user, a full fault plan), or a bug of the mock ({@link controlFailure}). */
function refused(error: unknown): MockResponse {
  if (error instanceof WorldConfigError) return json(400, { error: 'invalid world', issues: error.issues });
  if (error instanceof FaultRuleError) return invalid(error.issues, 'invalid fault: ');
  return controlFailure(error);
}

const PROVIDER_ACTIONS = ['revoke_refresh_tokens', 'expire_refresh_tokens', 'revoke_tokens', 'down', 'up'] as const;

/**
 * `POST /__mock/provider`: one action on the external OAuth provider — `{"revoke_refresh_tokens":"<integration>"}`,
 * `{"expire_refresh_tokens":…}`, `{"revoke_tokens":…}` (null = every integration), `{"down":"<integration or origin>","status":503}`,
 * `{"up":"<integration or origin>"}` (null = all).
 */
function providerAction(core: MockCore, body: unknown): MockResponse {
  const f = new FieldReader();
  const b = f.object(body, [], [...PROVIDER_ACTIONS, 'status']);
  if (!b) return invalid(f.problems);
  const actions = PROVIDER_ACTIONS.filter((k) => Object.hasOwn(b, k));
  if (actions.length !== 1) f.add([], `send exactly one of ${PROVIDER_ACTIONS.join(', ')} (with "status" beside "down"); got ${actions.join(', ') || 'none'}`);
  const action = actions.length === 1 ? actions[0]! : undefined;
  let target: string | null | undefined;
  // null means "every integration" elsewhere; the provider is taken down only where it is named.
  if (action === 'down' && b.down === null) f.add(['down'], 'expected an integration name or an origin, got null');
  else if (action !== undefined) target = f.string(b, action, [], { nullable: action !== 'down' });
  if (b.status !== undefined && action !== undefined && action !== 'down') f.add(['status'], 'goes only beside "down"');
  const status = f.integer(b, 'status', [], 500, 599, 'a 5xx status');
  if (f.problems.length > 0 || action === undefined || target === undefined) return invalid(f.problems);
  const p = core.provider;
  const named = target ?? undefined;
  if (action === 'down') return json(200, { down: p.down(target!, status), hosts: p.downHosts() });
  if (action === 'up') return json(200, { up: p.up(named), hosts: p.downHosts() });
  const count = action === 'revoke_refresh_tokens' ? p.revokeRefreshTokens(named) : action === 'expire_refresh_tokens' ? p.expireRefreshTokens(named) : p.revokeTokens(named);
  return json(200, { [action]: count });
}

const CLOCK_HINT = 'send {"advance":"10m"}, {"set":"<ISO 8601>"} or {"freeze":true}';
const CLOCK_FIELDS = ['advance', 'set', 'freeze'] as const;

/** `POST /__mock/clock`: exactly one of advance, set or freeze, checked before the clock moves. */
function setClock(core: MockCore, req: MockRequest): MockResponse {
  // An empty body reads as {}: the answer then says what to send.
  const body = readControlJson(req, CLOCK_HINT, {});
  if ('refused' in body) return body.refused;
  const f = new FieldReader();
  const b = f.object(body.value, [], CLOCK_FIELDS);
  if (!b) return invalid(f.problems);
  const given = CLOCK_FIELDS.filter((k) => b[k] !== undefined);
  if (given.length !== 1) return invalid([...f.problems, { path: [], message: `${given.length === 0 ? 'nothing to do' : `give only one of advance, set and freeze, got ${given.join(' and ')}`}; ${CLOCK_HINT}` }]);
  const now = core.clock.now();
  let to: number | undefined;
  if (b.advance !== undefined) {
    const ms = typeof b.advance === 'string' || typeof b.advance === 'number' ? parseDuration(b.advance) : undefined;
    if (ms === undefined) f.add(['advance'], `cannot read duration ${quoteUntrusted(b.advance)}; use e.g. "10m", "16d", "1h30m" or seconds`);
    else to = now + ms;
  } else if (b.set !== undefined) {
    const ms = typeof b.set === 'number' ? b.set : typeof b.set === 'string' ? Date.parse(b.set) : Number.NaN;
    if (!Number.isFinite(ms)) f.add(['set'], `cannot read date ${quoteUntrusted(b.set)}; use an ISO 8601 string or epoch ms`);
    else to = ms;
  } else f.boolean(b, 'freeze', []);
  // The clock's own range (an advance of 1e308 seconds is Infinity), checked here so the answer names the field.
  if (to !== undefined && !(Math.abs(to) <= MAX_TIME_MS)) f.add([given[0]!], `would put the clock at ${to} ms, out of the range of dates (±${MAX_TIME_MS} ms)`);
  if (f.problems.length > 0) return invalid(f.problems);
  if (b.advance !== undefined) core.clock.advance(b.advance as string | number);
  else if (b.set !== undefined) core.clock.set(to!);
  else core.clock.freeze(b.freeze as boolean);
  return json(200, clockBody(core));
}
