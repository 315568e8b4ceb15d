/**
 * `{{ … }}` templates in scenario steps: `{{ token }}` (a capture or signed JWT, optionally with
 * a dotted path into it), `{{ world.users.ALICE.pat.CI }}` and `{{ env.SNOWFLAKE_PAT }}`.
 *
 * An unknown name throws {@link TemplateError}: a scenario that sent the text "undefined" as a
 * token would fail for the wrong reason, far from the typo. `\{{` writes a literal `{{`.
 */
export { worldView, type WorldView, type AccountView, type UserView, type IntegrationView } from '../api/world-view.ts';

/**
 * What templates can see.
 *
 * @example
 * const scope: TemplateScope = { vars: { token: 'abc' }, world: worldView(world), env: process.env }
 */
export interface TemplateScope {
  /** Captures and signed JWTs, by exact name. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The plain world view ({@link worldView}); dotted lookup, upper-case fallback per segment. */
  readonly world?: unknown;
  /** Environment variables (`{{ env.NAME }}`); the runner passes `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * A template that cannot be rendered: an unknown variable, an unset environment variable, a
 * world path that does not exist, or malformed braces.
 *
 * @example
 * try { renderTemplates('{{ tokn }}', { vars: { token: 'x' } }) }
 * catch (e) { if (e instanceof TemplateError) console.log(e.template, e.known) } // '{{ tokn }}' ['token']
 */
export class TemplateError extends Error {
  /** The template text as written, e.g. `{{ tokn }}`. */
  readonly template: string;
  /** Names that were available where the lookup failed (variables, or keys at that world level). */
  readonly known: readonly string[];

  constructor(template: string, message: string, known: readonly string[] = []) {
    super(message);
    this.name = 'TemplateError';
    this.template = template;
    this.known = known;
  }
}

/**
 * Returns a copy of `value` with every template in its strings replaced (object keys are left
 * alone). A string that is exactly one template takes the variable's own type; otherwise values
 * are written into the text (objects as JSON).
 *
 * @example
 * renderTemplates({ bearer: '{{ token }}', n: '{{ count }}', note: 'n={{count}}' }, { vars: { token: 't', count: 3 } })
 * // { bearer: 't', n: 3, note: 'n=3' }
 */
export function renderTemplates(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderTemplates(item, scope));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderTemplates(item, scope)]));
  }
  return value;
}

/**
 * A piece of a template string: literal text, or a `{{ name }}` with its raw text.
 *
 * @example
 * const part: TemplatePart = { name: 'token', raw: '{{ token }}' }
 */
export type TemplatePart = { readonly text: string } | { readonly name: string; readonly raw: string };

function renderString(text: string, scope: TemplateScope): unknown {
  const parts = parseTemplateString(text);
  const [first] = parts;
  // Exactly one template and nothing else: keep the value's type (a number capture stays a number).
  if (parts.length === 1 && first && 'name' in first && first.raw === text) return lookup(first, scope);
  return parts.map((part) => ('name' in part ? stringify(lookup(part, scope)) : part.text)).join('');
}

/**
 * Splits a string into literal text and `{{ name }}` parts; `\{{` becomes a literal `{{`.
 *
 * @example
 * parseTemplateString('Bearer {{ token }}') // [{ text: 'Bearer ' }, { name: 'token', raw: '{{ token }}' }]
 */
export function parseTemplateString(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('\\{{', i)) {
      literal += '{{';
      i += 3;
    } else if (text.startsWith('{{', i)) {
      const end = text.indexOf('}}', i + 2);
      if (end < 0) throw new TemplateError(text.slice(i), `unclosed template in ${JSON.stringify(text)} (write \\{{ for a literal "{{")`);
      const raw = text.slice(i, end + 2);
      if (literal) parts.push({ text: literal });
      parts.push({ name: templateName(raw), raw });
      literal = '';
      i = end + 2;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal) parts.push({ text: literal });
  return parts;
}

function templateName(raw: string): string {
  const name = raw.slice(2, -2).trim();
  if (!name || /[{}\s]/.test(name)) throw new TemplateError(raw, `malformed template ${raw}: expected {{ name }}, {{ world.… }} or {{ env.NAME }}`);
  return name;
}

function lookup(part: { readonly name: string; readonly raw: string }, scope: TemplateScope): unknown {
  const [head = '', ...rest] = part.name.split('.');
  if (head === 'env') return lookupEnv(part.raw, rest.join('.'), scope.env);
  if (head === 'world') {
    if (scope.world === undefined) throw new TemplateError(part.raw, `${part.raw}: no world is available here`);
    return walk(part.raw, 'world', scope.world, rest, true);
  }
  if (!Object.hasOwn(scope.vars, head)) {
    const known = Object.keys(scope.vars).sort();
    const list = known.length > 0 ? known.join(', ') : '(none yet)';
    throw new TemplateError(part.raw, `unknown variable "${head}" in ${part.raw}; known variables: ${list} (plus world.… and env.…)`, known);
  }
  return walk(part.raw, head, scope.vars[head], rest, false);
}

function lookupEnv(raw: string, name: string, env: TemplateScope['env']): string {
  const value = name && env && Object.hasOwn(env, name) ? env[name] : undefined;
  if (value === undefined) throw new TemplateError(raw, `environment variable ${name || '(no name)'} is not set (used in ${raw})`);
  return value;
}

/**
 * Follows dotted segments from `start`. In the world, a missing key is retried upper-cased,
 * because users, PATs and integrations are stored upper-case but often written as in SQL.
 */
function walk(raw: string, rootName: string, start: unknown, segments: readonly string[], upperFallback: boolean): unknown {
  let current = start;
  let where = rootName;
  for (const segment of segments) {
    const key = resolveKey(current, segment, upperFallback);
    if (key === undefined) {
      const known = keysOf(current);
      throw new TemplateError(raw, `${raw}: ${where} has no "${segment}" (known: ${known.join(', ') || 'nothing'})`, known);
    }
    current = (current as Record<string, unknown>)[key];
    where = `${where}.${key}`;
  }
  if (current === undefined) throw new TemplateError(raw, `${raw}: ${where} is undefined`);
  return current;
}

function resolveKey(container: unknown, segment: string, upperFallback: boolean): string | undefined {
  if (container === null || typeof container !== 'object') return undefined;
  // Own keys only: `{{ world.users.constructor }}` must not find Object.prototype.constructor.
  if (Object.hasOwn(container, segment)) return segment;
  const upper = segment.toUpperCase();
  return upperFallback && Object.hasOwn(container, upper) ? upper : undefined;
}

function keysOf(value: unknown): string[] {
  return value !== null && typeof value === 'object' ? Object.keys(value) : [];
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  // Class instances (Buffer, Date) pass through untouched; only data objects are walked.
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
