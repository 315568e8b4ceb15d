/**
 * After each answer: what the model issued where the recording has a placeholder — at the same
 * place in the two answers (a session token, an access or refresh token, an MFA token, the code in
 * an authorize redirect) — is bound to it for the rest of the flow. A login or renewal also sets
 * the flow's session.
 */
import { placeholdersIn, type Exchange } from '../format.ts';
import type { MockResponse } from '../../http/record.ts';
import { isPlaceholder } from './answers.ts';
import { bodyValue, isObject, parseJson } from './compare.ts';
import type { EndpointKind } from './endpoints.ts';
import { bind, type Flow } from './flow.ts';

/**
 * Learns from one answer.
 *
 * @example
 * learn(flow, 'login', exchange, modelResponse) // flow.session set, token placeholders bound
 */
export function learn(flow: Flow, kind: EndpointKind, ex: Exchange, res: MockResponse): void {
  const model = parseJson(res.body);
  walk(flow, bodyValue(ex.response.body), model);
  if (kind === 'authorize') learnRedirect(flow, ex.response.headers.location, res.headers.location);
  if (!isObject(model) || !isObject(model.data)) return;
  const d = model.data;
  const validityS = typeof d.validityInSeconds === 'number' ? d.validityInSeconds : typeof d.validityInSecondsST === 'number' ? d.validityInSecondsST : undefined;
  if (kind === 'login' && typeof d.token === 'string' && typeof d.masterToken === 'string') flow.session = { token: d.token, master: d.masterToken, ...(validityS !== undefined && { validityS }) };
  if (kind === 'renew' && typeof d.sessionToken === 'string') {
    flow.session = { token: d.sessionToken, master: typeof d.masterToken === 'string' ? d.masterToken : flow.session?.master ?? '', ...(validityS !== undefined && { validityS }) };
  }
}

/** Binds every recorded placeholder to the string the model has at the same place. */
function walk(flow: Flow, recorded: unknown, model: unknown): void {
  if (isPlaceholder(recorded)) return bind(flow, recorded, model);
  if (Array.isArray(recorded) && Array.isArray(model)) recorded.forEach((r, i) => walk(flow, r, model[i]));
  else if (isObject(recorded) && isObject(model)) for (const [k, v] of Object.entries(recorded)) walk(flow, v, model[k]);
}

/** The model's code, and each placeholder of the recorded redirect bound to the model's value. */
function learnRedirect(flow: Flow, recorded: string | undefined, model: string | undefined): void {
  if (model === undefined) return;
  try {
    const m = new URL(model).searchParams;
    flow.lastCode = m.get('code') ?? undefined;
    if (recorded === undefined || placeholdersIn(recorded).length === 0) return;
    for (const [k, v] of new URL(recorded).searchParams) if (isPlaceholder(v)) bind(flow, v, m.get(k) ?? undefined);
  } catch {
    // A Location that is not a URL binds nothing.
  }
}
