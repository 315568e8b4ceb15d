/**
 * `POST /__mock/world/change` at the boundary (issue #14): the change is checked field by field —
 * the types the published scenario schema gives each change (schemas/scenario.schema.json
 * `worldChange`; test/server/control-validation.test.ts keeps the two in step), a duration that
 * reads, a 5xx for a provider that is down, fault rules as the fault plan checks them — before
 * the world API sees it. Whether the named user, PAT or integration exists is the world API's
 * to say; it says so in words.
 */
import { parseDuration } from '../domain/clock.ts';
import { validateFaultRules } from '../domain/faults.ts';
import type { ConfigPath, ConfigProblem } from '../domain/world/validate/world-config-error.ts';
import { FieldReader, got, isObject, type Fields } from './control-body.ts';

/** How one field of a change is checked. */
type Kind = 'string' | 'string|null' | 'boolean' | 'integer' | 'hours' | 'duration' | 'slot' | 'strings' | 'object' | 'level' | 'precedence' | '5xx';

/**
 * One world change's fields and the ones it requires.
 *
 * @example
 * const shape: ChangeShape = { required: ['user'], fields: { user: 'string', disabled: 'boolean', account: 'string' } }
 */
export interface ChangeShape {
  readonly required: readonly string[];
  readonly fields: Readonly<Record<string, Kind>>;
}

const on = { account: 'string' } as const;
const userAndName = { user: 'string', name: 'string', ...on } as const;

/**
 * Every world change `POST /__mock/world/change` takes, with its fields (api/world-change.ts `WorldChange`).
 *
 * @example
 * WORLD_CHANGE_SHAPES.disable_user?.required // ['user']
 */
export const WORLD_CHANGE_SHAPES: Readonly<Record<string, ChangeShape>> = {
  disable_user: { required: ['user'], fields: { user: 'string', disabled: 'boolean', ...on } },
  disable_pat: { required: ['user', 'name'], fields: { ...userAndName, disabled: 'boolean' } },
  remove_pat: { required: ['user', 'name'], fields: userAndName },
  rotate_pat: { required: ['user', 'name'], fields: { ...userAndName, expire_rotated_token_after_hours: 'hours', capture: 'string' } },
  add_pat: { required: ['user', 'name'], fields: { ...userAndName, role_restriction: 'string', days_to_expiry: 'integer', mins_to_bypass_network_policy_requirement: 'integer', capture: 'string' } },
  set_rsa_public_key: { required: ['user', 'key'], fields: { user: 'string', slot: 'slot', key: 'string|null', ...on } },
  set_network_policy: { required: ['level', 'policy'], fields: { level: 'level', policy: 'string|null', ...on } },
  grant_role: { required: ['user', 'role'], fields: { user: 'string', role: 'string', ...on } },
  revoke_role: { required: ['user', 'role'], fields: { user: 'string', role: 'string', ...on } },
  set_integration_enabled: { required: ['integration', 'enabled'], fields: { integration: 'string', enabled: 'boolean', ...on } },
  issue_oauth_token: { required: ['user'], fields: { user: 'string', role: 'string', expires_in: 'duration', integration: 'string', capture: 'string', ...on } },
  issue_external_oauth_token: {
    required: ['integration', 'subject', 'capture'],
    fields: { integration: 'string', subject: 'string', scopes: 'strings', expires_in: 'duration', audience: 'string', claims: 'object', capture: 'string', ...on },
  },
  revoke_consent: { required: ['user', 'integration'], fields: { user: 'string', integration: 'string', ...on } },
  run_setup_script: { required: ['application', 'sql'], fields: { application: 'string', sql: 'string', ...on } },
  approve_specification: { required: ['application', 'specification'], fields: { application: 'string', specification: 'string', approve: 'boolean', ...on } },
  set_switches: { required: [], fields: { network_policy_precedence: 'precedence', bcr_2026_07: 'boolean', jwt_specific_errors: 'boolean', jwt_algorithms: 'strings' } },
  provider_down: { required: [], fields: { integration: 'string', origin: 'string', status: '5xx' } },
  provider_up: { required: [], fields: { integration: 'string', origin: 'string' } },
  revoke_provider_refresh_tokens: { required: [], fields: { integration: 'string' } },
  expire_provider_refresh_tokens: { required: [], fields: { integration: 'string' } },
};

/** The two changes of the fault plan: not a mapping of fields. */
const FAULT_CHANGES = ['inject_fault', 'clear_faults'] as const;
const CHANGES = [...Object.keys(WORLD_CHANGE_SHAPES), ...FAULT_CHANGES];

/**
 * Every problem of a world change body, each at its field; empty when the world API may apply it.
 *
 * @example
 * worldChangeProblems({ disable_user: { user: 5 } }) // [{ path: ['disable_user', 'user'], message: 'expected a string, got number 5' }]
 */
export function worldChangeProblems(body: unknown): ConfigProblem[] {
  const f = new FieldReader();
  const keys = isObject(body) ? Object.keys(body) : [];
  if (!isObject(body) || keys.length !== 1) {
    f.add([], `expected a JSON object with exactly one of ${CHANGES.join(', ')}; got ${isObject(body) ? (keys.length === 0 ? 'none' : `${keys.length} keys`) : got(body)}`);
    return f.problems;
  }
  const key = keys[0]!;
  const value = body[key];
  if (key === 'inject_fault') return validateFaultRules(value, ['inject_fault']).problems;
  if (key === 'clear_faults') {
    if (value !== true) f.add([key], `expected true, got ${got(value)}`);
    return f.problems;
  }
  const shape = Object.hasOwn(WORLD_CHANGE_SHAPES, key) ? WORLD_CHANGE_SHAPES[key] : undefined;
  if (!shape) {
    f.add([key], `unknown world change; expected one of ${CHANGES.join(', ')}`);
    return f.problems;
  }
  const change = f.object(value, [key], Object.keys(shape.fields), `a JSON object of ${Object.keys(shape.fields).join(', ')}`);
  if (!change) return f.problems;
  for (const name of shape.required) if (change[name] === undefined) f.add([key, name], 'required');
  for (const [name, kind] of Object.entries(shape.fields)) if (change[name] !== undefined) readField(f, change, name, [key], kind);
  if (key === 'provider_down' && (change.integration === undefined) === (change.origin === undefined)) f.add([key], 'name exactly one of integration or origin');
  return f.problems;
}

function readField(f: FieldReader, obj: Fields, key: string, path: ConfigPath, kind: Kind): void {
  const v = obj[key];
  const at = [...path, key];
  switch (kind) {
    case 'string':
      return void f.string(obj, key, path);
    case 'string|null':
      return void f.string(obj, key, path, { nullable: true });
    case 'boolean':
      return void f.boolean(obj, key, path);
    case 'integer':
      return void f.integer(obj, key, path);
    case 'hours':
      return void f.integer(obj, key, path, 0);
    case '5xx':
      return void f.integer(obj, key, path, 500, 599, 'a 5xx status');
    case 'strings':
      return void f.strings(obj, key, path);
    case 'object':
      if (!isObject(v)) f.add(at, `expected a JSON object, got ${got(v)}`);
      return;
    case 'slot':
      if (v !== 1 && v !== 2) f.add(at, `expected 1 or 2 (the user's RSA_PUBLIC_KEY or RSA_PUBLIC_KEY_2), got ${got(v)}`);
      return;
    case 'precedence':
      if (v !== 'seed' && v !== 'current-docs') f.add(at, `expected "seed" or "current-docs", got ${got(v)}`);
      return;
    case 'duration': {
      // Whole seconds or text such as "10m", like the world file's expires_in.
      const ms = Number.isInteger(v) || typeof v === 'string' ? parseDuration(v as number | string) : undefined;
      if (ms === undefined || !Number.isSafeInteger(ms)) f.add(at, `expected whole seconds or a duration such as "10m" or "1h", got ${got(v)}`);
      return;
    }
    case 'level':
      if (v === 'account') return;
      if (isObject(v) && Object.keys(v).length === 1 && (typeof v.user === 'string' || typeof v.integration === 'string')) return;
      f.add(at, `expected "account", {"user": "<name>"} or {"integration": "<name>"}, got ${got(v)}`);
      return;
  }
}
