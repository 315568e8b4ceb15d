/**
 * Runs scenarios against a target: renders templates, sends requests, checks expectations,
 * captures values, drives clock/IP/world steps where the target can, and reports every step.
 * After the first failed step the rest are skipped (they would only repeat the same cause).
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../api/package-files.ts';
import { parseDuration } from '../domain/clock.ts';
import { signKeypairJwt } from '../domain/auth/keypair-jwt-sign.ts';
import type { LoadedScenario } from './load-scenario.ts';
import { readPath } from './json-path.ts';
import { matchSubset } from './matchers.ts';
import type { Mismatch, RunResult, ScenarioResult, Status, StepKind, StepResult } from './result.ts';
import type { RequestSpec, RequestStep, SignJwtStep, Step } from './scenario.ts';
import type { Capabilities, Target, TargetResponse, TargetSession } from './targets/target.ts';
import { renderTemplates } from './templates.ts';

/** Options of a run. */
export interface RunOptions {
  readonly seed?: number;
  /** Only scenarios with at least one of these tags. */
  readonly tags?: readonly string[];
  /** Values for `{{ env.NAME }}` (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Folder of fixture keys for `sign_jwt` (default: the package's fixtures/keys). */
  readonly keysDir?: string;
}

const KEYS_DIR = packagePath('fixtures/keys');

/**
 * Runs many scenarios, one after another, each in a fresh target session.
 *
 * @example
 * const result = await runScenarios(files.map(loadScenarioFile), mswTarget())
 * console.log(REPORTERS.pretty(result))
 */
export async function runScenarios(scenarios: readonly LoadedScenario[], target: Target, options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const selected = scenarios.filter((s) => !options.tags?.length || s.scenario.tags?.some((t) => options.tags!.includes(t)));
  const results: ScenarioResult[] = [];
  for (const s of selected) results.push(await runScenario(s, target, options));
  const count = (status: Status): number => results.filter((r) => r.status === status).length;
  return { target: target.name, scenarios: results, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), durationMs: performance.now() - started };
}

/**
 * Runs one scenario in a fresh session of the target.
 *
 * @example
 * const result = await runScenario(loadScenarioFile('scenarios/pat/pat-expires.yaml'), mswTarget())
 */
export async function runScenario(loaded: LoadedScenario, target: Target, options: RunOptions = {}): Promise<ScenarioResult> {
  const started = performance.now();
  const { scenario } = loaded;
  const base = { name: scenario.name, ...(loaded.file !== undefined && { file: loaded.file }), tags: scenario.tags ?? [], target: target.name };
  let session: TargetSession;
  try {
    session = await target.open(loaded, { ...(options.seed !== undefined && { seed: options.seed }) });
  } catch (error) {
    return { ...base, status: 'failed', durationMs: performance.now() - started, steps: [], error: `could not prepare the target: ${message(error)}` };
  }
  const run = new Run(session, options);
  const steps: StepResult[] = [];
  let stop: string | undefined;
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const kind = kindOf(step);
      if (stop) steps.push({ index, kind, name: nameOf(step, kind), status: 'skipped', durationMs: 0, mismatches: [], note: stop });
      else {
        const result = await run.step(index, step, kind);
        steps.push(result);
        if (result.status === 'failed') stop = `skipped after step ${index + 1} failed`;
        // A request whose journal could not be checked changed nothing later steps depend on: go on.
        else if (result.status === 'skipped' && result.kind !== 'request') stop = `skipped: step ${index + 1} ${result.note ?? 'was skipped'}`;
      }
    }
  } finally {
    await session.close().catch(() => undefined);
  }
  const status: Status = steps.some((s) => s.status === 'failed') ? 'failed' : steps.some((s) => s.status === 'skipped') ? 'skipped' : 'passed';
  return { ...base, status, durationMs: performance.now() - started, steps };
}

type Capability = Exclude<keyof Capabilities, 'unavailable'>;
const NEEDS: Partial<Record<StepKind, Capability>> = { advance: 'clock', client_ip: 'clientIp', world: 'world' };
const CAPABILITY_NAMES: Readonly<Record<Capability, string>> = { clock: 'clock', world: 'world', journal: 'journal', clientIp: 'client IP' };

/** The skip note of a step needing a capability the target lacks. */
function missing(capabilities: Capabilities, need: Capability): string {
  return capabilities.unavailable === undefined ? 'needs control API' : `needs the mock's ${CAPABILITY_NAMES[need]} (${capabilities.unavailable})`;
}

/** The state of one scenario run: variables and the session. */
class Run {
  private readonly vars: Record<string, unknown> = {};
  private readonly session: TargetSession;
  private readonly options: RunOptions;
  constructor(session: TargetSession, options: RunOptions) {
    this.session = session;
    this.options = options;
  }

  async step(index: number, step: Step, kind: StepKind): Promise<StepResult> {
    const started = performance.now();
    const name = nameOf(step, kind);
    const need = NEEDS[kind];
    if (need && !this.session.capabilities[need]) return { index, kind, name, status: 'skipped', durationMs: 0, mismatches: [], note: missing(this.session.capabilities, need) };
    try {
      const outcome = await this.perform(step, kind);
      const mismatches = outcome.mismatches ?? [];
      // Journal expectations the target cannot check make the step skipped, never silently passed.
      const unchecked = mismatches.length === 0 && (step as RequestStep).expect?.journal !== undefined && !this.session.capabilities.journal;
      if (unchecked) return { index, kind, name, status: 'skipped', durationMs: performance.now() - started, mismatches, ...outcome.extra, note: `journal expectation not checked: ${missing(this.session.capabilities, 'journal')}` };
      return { index, kind, name, status: mismatches.length ? 'failed' : 'passed', durationMs: performance.now() - started, mismatches, ...outcome.extra };
    } catch (error) {
      return { index, kind, name, status: 'failed', durationMs: performance.now() - started, mismatches: [], note: message(error) };
    }
  }

  private async perform(step: Step, kind: StepKind): Promise<{ mismatches?: Mismatch[]; extra?: Partial<StepResult> }> {
    if (kind === 'request') return this.request(step as RequestStep);
    if (kind === 'advance') return void (await this.session.advance(this.render((step as { advance: string | number }).advance) as string | number)), {};
    if (kind === 'client_ip') return void (await this.session.setClientIp(String(this.render((step as { client_ip: string }).client_ip)))), {};
    if (kind === 'world') return void Object.assign(this.vars, await this.session.changeWorld(this.render((step as { world: object }).world) as never)), {};
    return void (this.vars[(step as SignJwtStep).sign_jwt.as] = await this.signJwt((step as SignJwtStep).sign_jwt)), {};
  }

  private async request(step: RequestStep): Promise<{ mismatches: Mismatch[]; extra: Partial<StepResult> }> {
    const spec = (await this.renderWithWorld(step.request)) as RequestSpec;
    const outgoing = this.outgoing(spec);
    const response = await this.session.send(outgoing);
    const body = parseJson(response.body);
    const expect = step.expect ? await this.renderWithWorld(step.expect) as NonNullable<RequestStep['expect']> : undefined;
    const mismatches = expect ? await this.check(expect, response, body) : [];
    if (mismatches.length === 0 && step.capture) this.capture(step.capture, response, body, mismatches);
    const b = body as { code?: unknown; error?: unknown } | undefined;
    return {
      mismatches,
      extra: {
        request: { method: outgoing.method, url: outgoing.url, ...(spec.account !== undefined && { account: spec.account }) },
        response: { status: response.status, ...(typeof b?.code === 'string' && { code: b.code }), ...(typeof b?.error === 'string' && { error: b.error }), body: response.body.slice(0, 2000) },
      },
    };
  }

  private outgoing(spec: RequestSpec): { method: string; url: string; headers: Record<string, string>; body?: string; account?: string } {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k.toLowerCase()] = v;
    if (spec.bearer !== undefined) headers.authorization ??= `Bearer ${spec.bearer}`;
    if (spec.token_type !== undefined) headers['x-snowflake-authorization-token-type'] ??= spec.token_type;
    let body: string | undefined;
    if (spec.json !== undefined) [body, headers['content-type']] = [JSON.stringify(spec.json), headers['content-type'] ?? 'application/json'];
    else if (spec.form !== undefined) [body, headers['content-type']] = [new URLSearchParams(Object.entries(spec.form).map(([k, v]) => [k, String(v)])).toString(), headers['content-type'] ?? 'application/x-www-form-urlencoded'];
    else if (spec.body !== undefined) body = spec.body;
    headers.accept ??= 'application/json';
    const query = spec.query ? new URLSearchParams(Object.entries(spec.query).map(([k, v]) => [k, String(v)])).toString() : '';
    const path = spec.path ?? '';
    const withQuery = (base: string): string => (query ? `${base}${base.includes('?') ? '&' : '?'}${query}` : base);
    // `query:` applies to an absolute `url:` too (its own query string is kept, the step's appended).
    const url = spec.url !== undefined ? withQuery(spec.url) : this.session.urlFor(spec.account, withQuery(path));
    const method = (spec.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
    return { method, url, headers, ...(body !== undefined && { body }), ...(spec.account !== undefined && { account: spec.account }) };
  }

  private async check(expect: NonNullable<RequestStep['expect']>, response: TargetResponse, body: unknown): Promise<Mismatch[]> {
    const out: Mismatch[] = [];
    const eq = (path: string, expected: unknown, actual: unknown): void => {
      if (expected !== undefined && expected !== actual) out.push({ path, expected, actual, message: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}` });
    };
    eq('status', expect.status, response.status);
    eq('code', expect.code, (body as { code?: unknown } | undefined)?.code);
    eq('error', expect.error, (body as { error?: unknown } | undefined)?.error);
    if (expect.empty_body && response.body !== '') out.push({ path: 'body', expected: '', actual: response.body.slice(0, 200), message: 'expected an empty body' });
    if (expect.json !== undefined) {
      if (body === undefined) out.push({ path: 'body', expected: 'JSON', actual: response.body.slice(0, 200), message: 'expected a JSON body' });
      else out.push(...matchSubset(expect.json, body, '$', 'json'));
    }
    if (expect.headers) out.push(...matchSubset(lowerKeys(expect.headers), response.headers, '$', 'header'));
    if (expect.journal && this.session.capabilities.journal) out.push(...matchSubset(expect.journal, (await this.session.lastJournal()) ?? {}, '$', 'journal'));
    return out;
  }

  private capture(capture: Readonly<Record<string, string>>, response: TargetResponse, body: unknown, out: Mismatch[]): void {
    for (const [name, from] of Object.entries(capture)) {
      if (from.startsWith('location:')) {
        // A query parameter of the redirect, e.g. `location:code` after /oauth/authorize.
        const location = response.headers.location;
        const value = location === undefined ? null : new URL(location, 'http://redirect.invalid').searchParams.get(from.slice(9));
        if (value === null) out.push({ path: `capture ${name}`, expected: from, actual: location, message: `no ${from.slice(9)} parameter in the Location header to capture` });
        else this.vars[name] = value;
        continue;
      }
      if (from.startsWith('body:')) {
        // The first group of a regular expression over the body (HTML pages).
        const m = new RegExp(from.slice(5)).exec(response.body);
        if (!m) out.push({ path: `capture ${name}`, expected: from, actual: response.body.slice(0, 200), message: `the body does not match ${from.slice(5)}` });
        else this.vars[name] = m[1] ?? m[0];
        continue;
      }
      if (from.startsWith('header:')) {
        const value = response.headers[from.slice(7).toLowerCase()];
        if (value === undefined) out.push({ path: `capture ${name}`, expected: from, actual: undefined, message: `no header ${from.slice(7)} to capture` });
        else this.vars[name] = value;
        continue;
      }
      const hit = readPath(body, from);
      if (!hit.found) out.push({ path: `capture ${name}`, expected: from, actual: undefined, message: `nothing at ${from} to capture` });
      else this.vars[name] = hit.value;
    }
  }

  private async signJwt(o: SignJwtStep['sign_jwt']): Promise<string> {
    const a = (await this.renderWithWorld(o)) as SignJwtStep['sign_jwt'];
    const now = await this.session.now();
    const iat = now + duration(a.iat ?? 0, 'iat');
    const claims: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a.claims ?? {})) claims[k] = v === null ? undefined : v;
    return signKeypairJwt({
      privateKey: readFileSync(`${this.options.keysDir ?? KEYS_DIR}/${a.key}.p8`, 'utf8'),
      account: a.account,
      user: a.user,
      iat,
      lifetimeSeconds: duration(a.lifetime ?? '59m', 'lifetime') / 1000,
      timeUnit: a.unit ?? 's',
      ...(a.alg !== undefined && { alg: a.alg }),
      upperCase: a.keep_case !== true,
      claims,
    });
  }

  private render(value: unknown): unknown {
    return renderTemplates(value, { vars: this.vars, env: this.options.env ?? process.env });
  }

  private async renderWithWorld(value: unknown): Promise<unknown> {
    if (!JSON.stringify(value).includes('{{')) return value;
    return renderTemplates(value, { vars: this.vars, env: this.options.env ?? process.env, world: await this.session.view() });
  }
}

function duration(value: string | number, what: string): number {
  const ms = parseDuration(typeof value === 'string' ? value.replace(/^\+/, '') : value);
  if (ms === undefined) throw new Error(`sign_jwt ${what}: cannot read ${JSON.stringify(value)} as a duration (e.g. -61s, 2h, 59m)`);
  return ms;
}

/**
 * Which kind of step this is.
 *
 * @example
 * kindOf({ advance: '16d' }) // 'advance'
 */
export function kindOf(step: Step): StepKind {
  for (const k of ['request', 'advance', 'client_ip', 'world', 'sign_jwt'] as const) if (k in step) return k;
  throw new Error(`unknown step ${JSON.stringify(step).slice(0, 100)}`);
}

function nameOf(step: Step, kind: StepKind): string {
  if (step.name) return step.name;
  const s = step as unknown as Record<string, unknown>;
  if (kind === 'request') {
    const r = s.request as RequestSpec;
    return `${(r.method ?? (r.json ?? r.form ?? r.body) !== undefined ? (r.method ?? 'POST') : 'GET').toUpperCase()} ${r.path ?? r.url}`;
  }
  if (kind === 'advance') return `advance ${String(s.advance)}`;
  if (kind === 'client_ip') return `client IP ${String(s.client_ip)}`;
  if (kind === 'world') return `world: ${Object.keys(s.world as object)[0]} ${JSON.stringify(Object.values(s.world as object)[0]).slice(0, 80)}`;
  const j = s.sign_jwt as SignJwtStep['sign_jwt'];
  return `sign JWT ${j.as} (${j.key}, ${j.account}.${j.user}${j.iat !== undefined ? `, iat ${j.iat}` : ''})`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const lowerKeys = (o: Readonly<Record<string, unknown>>): Record<string, unknown> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
