/**
 * A mapping's response as a recorded response: status, headers (lower-case names), the body
 * (`jsonBody`, `body`, `base64Body` or `bodyFileName` from the `__files` folder beside the
 * mappings), with WireMock's request templates (`{{request.query.state}}`,
 * https://wiremock.org/docs/response-templating/) filled from the derived request, as WireMock
 * would have answered it. `fixedDelayMilliseconds` becomes the exchange's duration.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RecordedBody, RecordedRequest, RecordedResponse } from '../format.ts';
import { WiremockError, type WmResponse } from './mapping.ts';

const TEMPLATE = /\{\{\s*request\.(query|headers)\.([\w.-]+)\s*\}\}|\{\{\s*request\.(path|url|method)\s*\}\}/g;

/**
 * Fills WireMock's request templates from a request; other helpers are left as written.
 *
 * @example
 * renderTemplate('{{ request.query.redirect_uri }}?code=1', { method: 'GET', url: '/oauth/authorize?redirect_uri=http%3A%2F%2Fx', headers: {} }) // 'http://x?code=1'
 */
export function renderTemplate(text: string, req: RecordedRequest): string {
  const url = new URL(req.url, 'http://wiremock.invalid');
  return text.replace(TEMPLATE, (whole, part: string | undefined, name: string | undefined, simple: string | undefined) => {
    if (simple === 'path') return url.pathname;
    if (simple === 'url') return req.url;
    if (simple === 'method') return req.method;
    if (part === 'query') return url.searchParams.get(name!) ?? '';
    return req.headers[name!.toLowerCase()] ?? whole;
  });
}

/**
 * The query parameters a response shows its request had: those its templates read
 * (`{{request.query.state}}`), and `state` when it redirects with one — an authorization server
 * returns the state only when the request carried it (RFC 6749 §4.1.2).
 *
 * @example
 * impliedQuery({ headers: { Location: '{{request.query.redirect_uri}}?code=1' } }) // ['redirect_uri']
 * impliedQuery({ status: 302, headers: { Location: 'http://localhost/cb?code=1&state=x' } }) // ['state']
 */
export function impliedQuery(res: WmResponse): string[] {
  const text = JSON.stringify([res.headers ?? {}, res.body ?? '', res.jsonBody ?? null]);
  const templated = [...text.matchAll(/\{\{\s*request\.query\.([\w.-]+)\s*\}\}/g)].map((m) => m[1]!);
  const location = Object.entries(res.headers ?? {}).find(([k]) => k.toLowerCase() === 'location')?.[1];
  const redirectsState = typeof location === 'string' && /[?&]state=/.test(location) ? ['state'] : [];
  return [...new Set([...templated, ...redirectsState])];
}

/**
 * The recorded response of a mapping, given the request derived for it.
 *
 * @example
 * deriveResponse({ status: 200, jsonBody: { success: true } }, req, 'recordings/x', 'a.json', 'response').response.body // { json: { success: true } }
 */
export function deriveResponse(res: WmResponse, req: RecordedRequest, dir: string, file: string, where: string): { response: RecordedResponse; delayMs: number } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers ?? {})) {
    headers[name.toLowerCase()] = renderTemplate(typeof value === 'string' ? value : value.join(', '), req);
  }
  const body = responseBody(res, req, dir, file, where);
  return { response: { status: res.status ?? 200, headers, ...(body && { body }) }, delayMs: delayOf(res.fixedDelayMilliseconds) };
}

function responseBody(res: WmResponse, req: RecordedRequest, dir: string, file: string, where: string): RecordedBody | undefined {
  if (res.jsonBody !== undefined) return { json: renderJson(res.jsonBody, req) };
  if (res.base64Body !== undefined) return { base64: res.base64Body };
  const text = res.body ?? (res.bodyFileName === undefined ? undefined : bodyFile(res.bodyFileName, dir, file, `${where}.bodyFileName`));
  if (text === undefined) return undefined;
  const rendered = renderTemplate(text, req);
  try {
    return { json: JSON.parse(rendered) as unknown };
  } catch {
    return { text: rendered };
  }
}

function renderJson(value: unknown, req: RecordedRequest): unknown {
  if (typeof value === 'string') return renderTemplate(value, req);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, req));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, req)]));
  return value;
}

/** WireMock reads body files from `__files` beside the `mappings` folder; the import looks there and beside the file. */
function bodyFile(name: string, dir: string, file: string, where: string): string {
  const fileDir = dirname(join(dir, file));
  const candidates = [join(dirname(fileDir), '__files', name), join(dir, '__files', name), join(dirname(dir), '__files', name), join(fileDir, name)];
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) throw new WiremockError(file, where, `body file ${JSON.stringify(name)} not found in a __files folder`);
  return readFileSync(found, 'utf8');
}

/** WireMock takes the delay as a number or a numeric string (the python fixtures write `"1000"`); the format wants a number. */
function delayOf(value: unknown): number {
  const ms = typeof value === 'string' ? Number(value) : value;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : 0;
}
