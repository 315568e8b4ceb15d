/**
 * Matching one client request against one recorded request (Polly.js's idea of a request identity
 * — method, URL, body, chosen headers — with WireMock's near misses: every difference is kept so the
 * closest recorded requests can be named, https://wiremock.org/docs/verifying/#near-misses).
 *
 * Decisive: method, path, the account in the Host, query (volatile parameters aside), chosen headers
 * (record/volatile.ts) and body (JSON canonically, form by fields, text exactly). Placeholders
 * match any value, then keep matching that value (record/replay-bindings.ts). Everything else is
 * reported. A recording that pins only some fields (a WireMock import) lets the client send more:
 * only the recorded fields decide, as WireMock's `ignoreExtraElements` does
 * (https://wiremock.org/docs/request-matching/).
 */
import type { RecordedBody, RecordedRequest } from './format.ts';
import type { MockRequest } from '../http/record.ts';
import { Trial, type Bindings } from './replay-bindings.ts';
import { accountOfHost, groupFields, queryFields, type Fields } from './canonical.ts';
import { compareFields, compareJson, compareString, differ, segment, shown, type CompareContext, type Loc } from './match-values.ts';
import type { Aspect, Difference } from './replay-difference.ts';
import { showRecorded } from './replay-mask.ts';
import { DECISIVE_HEADERS, UNCOMPARED_HEADERS } from './volatile.ts';

/** A recorded request, parsed once when the replay starts. */
export interface PreparedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Fields;
  readonly account: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: RecordedBody | undefined;
}

/** A client request, parsed once per request. */
export interface ClientRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Fields;
  readonly account: string | undefined;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: unknown;
}

/** The outcome of comparing: every difference, and the bindings to keep if this exchange is chosen. */
export interface Comparison {
  readonly differences: readonly Difference[];
  /** Decisive differences; 0 means a match. */
  readonly decisive: number;
  /** How many aspects (method, path, host, query, headers, body) differ decisively, for ranking near misses. */
  readonly aspects: number;
  readonly trial: Trial;
}

/**
 * Parses a recorded request (its Host defaults to the upstream's).
 *
 * @example
 * prepareRecorded(exchange.request, 'https://myorg-myaccount.snowflakecomputing.com')
 */
export function prepareRecorded(req: RecordedRequest, upstream: string): PreparedRequest {
  const q = req.url.indexOf('?');
  return {
    method: req.method.toUpperCase(),
    path: q < 0 ? req.url : req.url.slice(0, q),
    query: queryFields(q < 0 ? '' : req.url.slice(q + 1)),
    account: accountOfHost(req.host ?? hostOf(upstream)),
    headers: req.headers,
    body: req.body,
  };
}

/**
 * Parses a client request once, whatever it is compared with.
 *
 * @example
 * prepareClient({ method: 'POST', host: 'myorg-myaccount.snowflakecomputing.com', path: '/session/v1/login-request', query: 'requestId=1', headers: {}, body: '{}', clientIp: '127.0.0.1' })
 */
export function prepareClient(req: MockRequest): ClientRequest {
  let json: unknown;
  try {
    json = req.body === '' ? undefined : JSON.parse(req.body);
  } catch {
    json = undefined;
  }
  return { method: req.method.toUpperCase(), path: req.path, query: queryFields(req.query), account: accountOfHost(req.headers.host ?? req.host), headers: req.headers, text: req.body, json };
}

/**
 * Compares a client request with a recorded one under the session's bindings.
 *
 * @example
 * const c = compareRequest(prepared, client, bindings, issued)
 * if (c.decisive === 0) c.trial.commit()
 */
export function compareRequest(recorded: PreparedRequest, client: ClientRequest, bindings: Bindings, issued: ReadonlySet<string>, extraFieldsAllowed = false): Comparison {
  const ctx: CompareContext = { trial: new Trial(bindings), issued, out: [], extraFieldsAllowed };
  const loc = (aspect: Aspect, where: string, name = where): Loc => ({ aspect, where, path: [], name, decisive: true });
  if (recorded.method !== client.method) differ(ctx, loc('method', 'method'), `recorded ${recorded.method}, got ${segment(client.method)}`);
  compareString(ctx, loc('path', 'path'), recorded.path, client.path);
  if (recorded.account !== undefined && client.account !== undefined) compareString(ctx, loc('host', 'host', 'account'), recorded.account, client.account);
  compareFields(ctx, loc('query', 'query'), recorded.query, client.query);
  compareHeaders(ctx, recorded.headers, client.headers);
  compareBody(ctx, recorded.body, client);
  const decisive = ctx.out.filter((d) => d.decisive);
  return { differences: ctx.out, decisive: decisive.length, aspects: new Set(decisive.map((d) => d.aspect)).size, trial: ctx.trial };
}

function compareHeaders(ctx: CompareContext, recorded: Readonly<Record<string, string>>, client: Readonly<Record<string, string | undefined>>): void {
  const names = [...new Set([...Object.keys(recorded), ...Object.keys(client).filter((n) => client[n] !== undefined)])].filter((n) => !UNCOMPARED_HEADERS.includes(n)).sort();
  for (const name of names) {
    const at: Loc = { aspect: 'header', where: `header ${segment(name)}`, path: [], name, decisive: DECISIVE_HEADERS.includes(name) };
    const [r, a] = [recorded[name], client[name]];
    if (r === undefined) differ(ctx, at, `not recorded, got ${shown(ctx, at, a)}`, at.decisive && !ctx.extraFieldsAllowed);
    else if (a === undefined) differ(ctx, at, `recorded ${showRecorded(r)}, missing`);
    else if (name === 'content-type') compareContentType(ctx, at, r, a);
    else if (name === 'authorization') compareAuthorization(ctx, at, r, a);
    else if (name === 'x-snowflake-authorization-token-type') {
      if (r.toUpperCase() !== a.toUpperCase()) differ(ctx, at, `recorded ${showRecorded(r)}, got ${shown(ctx, at, a)}`);
    } else compareString(ctx, at, r, a);
  }
}

/** The media type decides; its parameters (charset) are only reported. */
function compareContentType(ctx: CompareContext, at: Loc, recorded: string, actual: string): void {
  const split = (v: string): [string, string] => {
    const i = v.indexOf(';');
    return i < 0 ? [v.trim().toLowerCase(), ''] : [v.slice(0, i).trim().toLowerCase(), v.slice(i + 1).replace(/\s+/g, '').toLowerCase()];
  };
  const [rt, rp] = split(recorded);
  const [at_, ap] = split(actual);
  if (rt !== at_) differ(ctx, at, `recorded ${JSON.stringify(rt)}, got ${JSON.stringify(at_)}`);
  else if (rp !== ap) differ(ctx, at, `parameters recorded ${JSON.stringify(rp)}, got ${JSON.stringify(ap)}`, false);
}

/** The scheme is case-insensitive (RFC 9110 §11.1); the credentials are compared with placeholders. */
function compareAuthorization(ctx: CompareContext, at: Loc, recorded: string, actual: string): void {
  const split = (v: string): [string, string] => {
    const i = v.indexOf(' ');
    return i < 0 ? [v, ''] : [v.slice(0, i), v.slice(i + 1).trim()];
  };
  const [rs, rc] = split(recorded);
  const [as, ac] = split(actual);
  // Without a space the whole value is the credential, not a scheme: shown by length only.
  if (!actual.includes(' ') && rs.toLowerCase() !== as.toLowerCase()) return differ(ctx, at, `scheme recorded ${JSON.stringify(rs)}, got a value without a scheme (hidden, ${actual.length} characters)`);
  if (rs.toLowerCase() !== as.toLowerCase()) return differ(ctx, at, `scheme recorded ${JSON.stringify(rs)}, got ${JSON.stringify(segment(as))}`);
  compareString(ctx, { ...at, name: 'authorization' }, rc, ac);
}

function compareBody(ctx: CompareContext, recorded: RecordedBody | undefined, client: ClientRequest): void {
  const at: Loc = { aspect: 'body', where: 'body', path: [], name: 'body', decisive: true };
  if (recorded === undefined || ('text' in recorded && recorded.text === '')) {
    if (client.text !== '') differ(ctx, at, `recorded none, got ${client.text.length} characters`);
  } else if ('json' in recorded) {
    if (client.json === undefined) differ(ctx, at, `recorded JSON, got ${client.text === '' ? 'none' : `${client.text.length} characters that are not JSON`}`);
    else compareJson(ctx, at, recorded.json, client.json);
  } else if ('form' in recorded) {
    compareFields(ctx, at, groupFields(recorded.form), groupFields(new URLSearchParams(client.text)));
  } else if ('text' in recorded) {
    compareString(ctx, at, recorded.text, client.text);
  } else if (Buffer.from(client.text, 'utf8').toString('base64') !== recorded.base64) {
    differ(ctx, at, `recorded ${Buffer.from(recorded.base64, 'base64').length} bytes (base64), got ${Buffer.byteLength(client.text)} bytes that differ`);
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
