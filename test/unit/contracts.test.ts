/**
 * Endpoint contracts (issue #3 §3): the files (each a draft-07 schema that the meta-schema accepts,
 * citing sources a reader can open, loaded and checked with errors naming the file), the schemas
 * themselves (compile, accept known-good bodies, refuse known-bad ones), the lookup, and the drift
 * test — a real mock driven through every declared response of every contract, each validated,
 * none left unproduced.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addContractKeywords,
  CONTRACT_KEYWORDS,
  CONTRACT_SET,
  CONTRACTS,
  CONTRACTS_DIR,
  contractFileName,
  contractFor,
  createResponseValidator,
  loadContracts,
  PROVIDER_CONTRACTS,
  providerContractFor,
  responseKey,
  validateResponse,
  type ContractJson,
  type EndpointContract,
  type ResponseContract,
} from '../../contracts/index.ts';
import { FIDELITIES, SURFACES } from '../../contracts/endpoints.ts';
import { packagePath } from '../../api/package-files.ts';
import { PROVIDER_ENDPOINT_KINDS } from '../../http/provider/dispatch.ts';
import type { ResponseToCheck } from '../../contracts/validate-response.ts';
import { signKeypairJwt } from '../../domain/auth/keypair-jwt-sign.ts';
import { defaultWorldConfig } from '../../domain/world/default-world.ts';
import { createCore, type MockCore } from '../../http/core.ts';
import { createWorldApi } from '../../api/world.ts';
import type { MockRequest, MockResponse } from '../../http/record.ts';
import { ROUTES } from '../../http/routes.ts';
import { checkContracts } from '../helpers/contract-check.ts';
import { privateKeyPem } from '../helpers/keys.ts';

const endpointKey = (c: EndpointContract): string => `${c.method} ${c.pattern}`;
const statusKey = (r: ResponseContract): string => `${String(r.status)} ${r.name}`;

/** A request path for a contract, with `x` for every parameter. */
function samplePath(c: EndpointContract): string {
  return c.pattern === '*' ? '/nowhere' : c.pattern.replace(/:\w+/g, 'x');
}
const sampleMethod = (c: EndpointContract): string => (c.method === '*' ? 'DELETE' : c.method);

// ---- known-good bodies, one per response shape ---------------------------------------------------

const HANDLE = '01b2c3d4-0000-4000-8000-000000000001';
const json = (status: number, body: unknown): ResponseToCheck => ({ status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
const none = (status: number): ResponseToCheck => ({ status, headers: {}, body: '' });

const ROW_TYPE = { name: 'C1', database: 'DB', schema: 'PUBLIC', table: 'T', scale: null, precision: null, length: 16777216, type: 'text', nullable: true, byteLength: 16777216, collation: null };
const RESULT_SET = {
  resultSetMetaData: { numRows: 2, format: 'jsonv2', rowType: [ROW_TYPE], partitionInfo: [{ rowCount: 2, uncompressedSize: 20, compressedSize: 10 }] },
  data: [['customer1'], [null]],
  code: '090001',
  statementStatusUrl: `/api/v2/statements/${HANDLE}?requestId=r1`,
  requestId: 'r1',
  sqlState: '00000',
  statementHandle: HANDLE,
  message: 'Statement executed successfully.',
  createdOn: 1620151693299,
};
const DATABASE = {
  name: 'SALES',
  kind: 'PERMANENT',
  comment: null,
  created_on: '2024-01-01T00:00:00.000+00:00',
  dropped_on: null,
  is_current: false,
  is_default: false,
  owner: 'SYSADMIN',
  owner_role_type: 'ROLE',
  data_retention_time_in_days: 1,
  max_data_extension_time_in_days: 14,
};
const WAREHOUSE = { name: 'COMPUTE_WH', state: 'SUSPENDED', type: 'STANDARD', size: 'X-Small', owner: 'ACCOUNTADMIN', owner_role_type: 'ROLE', auto_suspend: 600, auto_resume: 'true', created_on: '2024-01-01T00:00:00Z' };

const GOOD: Readonly<Record<string, ResponseToCheck>> = {
  '200 ResultSet': json(200, RESULT_SET),
  '202 QueryStatus': json(202, { code: '333334', message: 'Asynchronous execution in progress.', statementHandle: HANDLE, statementStatusUrl: `/api/v2/statements/${HANDLE}` }),
  '400 InvalidPayload': json(400, { code: '390142', message: 'Incoming request does not contain a valid payload.' }),
  '401 AuthFailure': json(401, { code: '390303', message: 'Invalid OAuth access token. [1172527951366]' }),
  '403 NetworkPolicyRefusal': json(403, { code: '390422', message: 'Incoming request with IP/Token 10.0.0.99 is not allowed to access Snowflake. Contact your local security administrator.' }),
  '403 UnknownAccountHost': json(403, { code: '390144', message: 'Invalid account name or host.' }),
  '403 UnknownAccountHostGs': json(403, { data: null, code: '390144', message: 'Invalid account name or host.', success: false, headers: null }),
  '405 MethodNotAllowed': { status: 405, headers: { allow: 'POST' }, body: '' },
  '415 UnsupportedMediaType': none(415),
  '422 QueryFailureStatus': json(422, { code: '000904', message: "SQL compilation error: error line 1 at position 7 invalid identifier 'X'", sqlState: '42000', statementHandle: HANDLE }),
  '422 NotAcceptable': none(422),
  '200 CancelStatus': json(200, { code: '000604', sqlState: '57014', message: 'SQL execution canceled', statementHandle: HANDLE, statementStatusUrl: `/api/v2/statements/${HANDLE}` }),
  '200 DatabaseList': json(200, [DATABASE]),
  '200 Database': json(200, DATABASE),
  '404 DatabaseNotFound': json(404, { message: "Database 'NOPE' does not exist or not authorized.", error_code: '002003', request_id: HANDLE }),
  '200 WarehouseList': json(200, [WAREHOUSE]),
  '404 NotFound': none(404),
  '200 SignInOrConsentPage': { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Sign in</title>' },
  '302 RedirectToClient': { status: 302, headers: { location: 'https://app.example.com/callback?code=c&state=s' }, body: '' },
  '400,403 AuthorizeErrorPage': { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><p>390307</p>' },
  '200 CompleteSecretPage': { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><pre>SELECT SYSTEM$FINISH_OAUTH_FLOW(…)</pre>' },
  '200 TokenResponse': json(200, { access_token: 'a', expires_in: 600, token_type: 'Bearer', refresh_token: 'r', username: 'ALICE' }),
  '400,401 TokenError': json(401, { data: null, message: 'This is an invalid client.', code: null, success: false, error: 'invalid_client' }),
  '200 LoginSuccess': json(200, {
    data: {
      token: 'ver:1-hint:s', masterToken: 'ver:1-hint:m', validityInSeconds: 3600, masterValidityInSeconds: 14400, sessionId: 1172562260498,
      displayUserName: 'TEST_USER', serverVersion: '9.0.0', firstLogin: false, remMeToken: null, remMeValidityInSeconds: 0, healthCheckInterval: 45,
      newClientForUpgrade: null, parameters: [{ name: 'TIMEZONE', value: 'UTC' }, { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 }],
      sessionInfo: { databaseName: null, schemaName: null, warehouseName: null, roleName: 'PUBLIC' },
      idToken: null, idTokenValidityInSeconds: 0, mfaToken: null, mfaTokenValidityInSeconds: 0, responseData: null,
    },
    code: null, message: null, success: true,
  }),
  '200 GsFailure': json(200, { data: { nextAction: 'RETRY_LOGIN', authnMethod: 'PAT', signInOptions: {} }, code: '394400', message: 'Programmatic access token is invalid.', success: false, headers: null }),
  '200 RenewSuccess': json(200, { data: { sessionToken: 's2', validityInSecondsST: 3600, masterToken: 'm', validityInSecondsMT: 10000, sessionId: 1 }, code: null, message: null, success: true }),
  '200 QueryResult': json(200, {
    data: {
      parameters: [], rowtype: [{ ...ROW_TYPE, database: '', schema: '', table: '' }], rowset: [['ALICE']], total: 1, returned: 1, queryId: HANDLE,
      databaseProvider: null, finalDatabaseName: null, finalSchemaName: null, finalWarehouseName: 'COMPUTE_WH', finalRoleName: 'ANALYST',
      numberOfBinds: 0, arrayBindSupported: false, statementTypeId: 4096, version: 1, sendResultTime: 1620151693299, queryResultFormat: 'json', queryContext: { entries: [] },
    },
    code: null, message: null, success: true,
  }),
  '200 QueryFailure': json(200, {
    data: { internalError: false, errorCode: '001003', age: 0, sqlState: '42000', queryId: HANDLE, line: -1, pos: -1, type: 'COMPILATION' },
    code: '001003', message: "SQL compilation error: syntax error line 1 at position 0 unexpected 'DROP'.", success: false, headers: null,
  }),
  '200 SessionClosed': json(200, { data: null, code: null, message: null, success: true }),
  '200 HeartbeatOk': json(200, { data: null, code: null, message: null, success: true }),
  '200 TelemetryReceived': json(200, { data: 'Log Received', code: null, message: null, success: true }),
};

const ALL_RESPONSES = CONTRACTS.flatMap((c) => c.responses.map((r) => [responseKey(c, r), c, r] as const));

describe('contract table', () => {
  it('has one contract per method of each route, a 405 contract per route and one 404 contract', () => {
    const routeKeys = ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${r.pattern}`));
    const expected = [...routeKeys, ...ROUTES.map((r) => `* ${r.pattern}`), '* *'];
    expect(CONTRACTS.map(endpointKey).sort()).toEqual(expected.sort());
    for (const route of ROUTES) expect(CONTRACTS.filter((c) => c.pattern === route.pattern).every((c) => c.surface === route.surface)).toBe(true);
  });

  it('names each response uniquely within its endpoint', () => {
    const keys = ALL_RESPONSES.map(([key]) => key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('labels fields only where their fidelity differs from the response', () => {
    for (const [key, , response] of ALL_RESPONSES) {
      for (const field of response.fields ?? []) {
        expect(field.fidelity, `${key} ${field.path}`).not.toBe(response.fidelity);
        expect(field.path).toMatch(/^\$\./);
      }
      expect(response.source, key).not.toBe('');
    }
  });

  it('is frozen, shared fragments included', () => {
    const first = CONTRACTS[0]!;
    expect(Object.isFrozen(CONTRACTS)).toBe(true);
    expect(Object.isFrozen(first.responses[0]!.schema)).toBe(true);
    expect(Object.isFrozen(first.request.body)).toBe(true);
  });

  it.each(CONTRACTS.map((c) => [endpointKey(c), c] as const))('%s: every schema compiles in strict mode', (_key, contract) => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    const schemas = [contract.request.headers, contract.request.body, ...contract.responses.map((r) => r.schema)];
    for (const schema of schemas) if (schema !== undefined) expect(() => ajv.compile(schema)).not.toThrow();
  });
});

// ---- the files: format, sources, loading -----------------------------------------------------------

const ROOT = packagePath('.');
const META = JSON.parse(readFileSync(packagePath('schemas/contract.schema.json'), 'utf8')) as { definitions: Record<string, { enum?: unknown[] }> };
const FILES = readdirSync(CONTRACTS_DIR).filter((n) => n.endsWith('.json')).sort();
const readJson = (name: string): ContractJson => JSON.parse(readFileSync(join(CONTRACTS_DIR, name), 'utf8')) as ContractJson;
const metaValidator = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(META);

/** Every `source` of a file: its endpoint's, its responses', their field notes'. */
function sourcesOf(doc: ContractJson): string[] {
  const responses = doc['x-responses'];
  return [doc['x-endpoint'].source, ...responses.map((r) => r.source), ...responses.flatMap((r) => (r.fields ?? []).flatMap((f) => (f.source ? [f.source] : [])))];
}

/** Public places a reader can open: Snowflake's documentation, its drivers' repositories, the RFCs. */
const PUBLIC = /^https:\/\/(docs\.snowflake\.com\/en\/[a-z0-9/_-]+|github\.com\/snowflakedb\/[\w.-]+\/blob\/[0-9a-f]{40}\/\S+|www\.rfc-editor\.org\/rfc\/rfc\d+#section-[\d.]+)$/;

describe('contract files (contracts/endpoints/)', () => {
  it('one file per contract, named after its endpoint, read from the package', () => {
    expect(FILES).toHaveLength(CONTRACTS.length + PROVIDER_CONTRACTS.length);
    expect(CONTRACTS_DIR).toBe(join(ROOT, 'contracts', 'endpoints'));
    for (const c of [...CONTRACTS, ...PROVIDER_CONTRACTS]) {
      expect(basename(c.file)).toBe(contractFileName(c.method, c.pattern, 'kind' in c ? c.kind : undefined));
      expect(c.id).toBe(`https://snowflake-auth-mock.dev/contracts/endpoints/${basename(c.file)}`);
    }
    expect(contractFileName('*', '/api/v2/statements/:handle/cancel')).toBe('any-api-v2-statements-handle-cancel.json');
  });

  it.each(FILES)('%s matches schemas/contract.schema.json', (name) => {
    const ok = metaValidator(readJson(name));
    expect(metaValidator.errors ?? [], name).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the meta-schema refuses what the format forbids', () => {
    const doc = readJson('post-api-v2-statements.json');
    const refused = (changed: object): string[] => (metaValidator(changed) ? [] : (metaValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
    const [first, ...rest] = doc['x-responses'];
    expect(refused({ ...doc, 'x-responses': [{ ...first, status: '200' }, ...rest] })).toContain('/x-responses/0/status must be integer');
    const { source: _s, ...noSource } = first!;
    expect(refused({ ...doc, 'x-responses': [noSource, ...rest] })).toContain("/x-responses/0 must have required property 'source'");
    expect(refused({ ...doc, 'x-responses': [{ ...first, source: 'our notes §5.3' }, ...rest] })).toContain('/x-responses/0/source must match pattern "^(https://[^\\s]+|(decisions|recordings|docs)/[^\\s]+)$"');
    expect(refused({ ...doc, 'x-responses': [{ ...first, contentType: null }, ...rest] })).toContain('/x-responses/0/body boolean schema is false');
    expect(refused({ ...doc, reference: 'x' })).toContain(' must NOT have additional properties');
    expect(refused({ ...doc, definitions: { ...doc.definitions, ResultSet: { type: 'strin' } } }).length).toBeGreaterThan(0); // draft-07 itself
    expect(refused({ ...doc, 'x-endpoint': { ...doc['x-endpoint'], kind: 'token' } })).toContain('/x-endpoint must match exactly one schema in oneOf');
  });

  it('lists the fidelities, surfaces and provider kinds the code knows', () => {
    expect(META.definitions.fidelity!.enum).toEqual([...FIDELITIES]);
    expect(META.definitions.surface!.enum).toEqual([...SURFACES]);
    expect([...META.definitions.kind!.enum!].sort()).toEqual(PROVIDER_ENDPOINT_KINDS.map((k) => k.name).sort());
  });

  it.each(FILES)('%s: every source opens, in public or in this repository; none is a private note', (name) => {
    const doc = readJson(name);
    for (const source of sourcesOf(doc)) {
      if (source.startsWith('https://')) expect(source, name).toMatch(PUBLIC);
      else expect(existsSync(join(ROOT, source)), `${name}: ${source}`).toBe(true);
    }
    const text = readFileSync(join(CONTRACTS_DIR, name), 'utf8');
    expect(text).not.toMatch(/auth-surface|snowflake-drivers|\/work\/|(drivers|reference) §/);
  });

  it('inferred answers cite the decision or the public page behind the choice, never nothing', () => {
    const inferred = CONTRACTS.flatMap((c) => c.responses.filter((r) => r.fidelity === 'inferred').map((r) => [responseKey(c, r), r.source] as const));
    expect(inferred.length).toBeGreaterThan(10);
    for (const [key, source] of inferred) expect(source, key).toMatch(/^(decisions\/\d{4}-|https:\/\/)/);
  });

  it.each(FILES)('%s: a plain strict ajv validates bodies by `$id#/definitions/<name>`, once the x- keywords are registered', (name) => {
    const doc = readJson(name);
    expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(doc)).toThrow(/unknown keyword: "x-endpoint"/);
    const ajv = addContractKeywords(new Ajv({ strict: true, allowUnionTypes: true }));
    ajv.addSchema(doc);
    for (const r of doc['x-responses'].filter((r) => r.body)) {
      const validate = ajv.getSchema(doc.$id + r.body!.$ref);
      expect(validate, `${name} ${r.name}`).toBeDefined();
      const sample = GOOD[statusKey(r as ResponseContract)] ?? PROVIDER_GOOD[statusKey(r as ResponseContract)];
      expect(validate!(JSON.parse(sample!.body)), `${name} ${r.name}: ${JSON.stringify(validate!.errors)}`).toBe(true);
      expect(validate!({ unexpected: true })).toBe(false);
    }
    expect(CONTRACT_KEYWORDS).toEqual(Object.keys(doc).filter((k) => k.startsWith('x-')));
  });

  it('definitions are self-contained: one alone is a complete schema, as the loader hands it out', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    const resultSet = readJson('post-api-v2-statements.json').definitions.ResultSet!;
    expect(ajv.validate(resultSet, JSON.parse(GOOD['200 ResultSet']!.body))).toBe(true);
    expect(contractFor('POST', '/api/v2/statements')?.responses[0]?.schema).toEqual(resultSet);
  });
});

describe('loadContracts: a folder of contract files', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  /** A copy of the shipped files, one of them changed. */
  function copyWith(name: string, change: (doc: Record<string, any>) => unknown): string {
    dir = mkdtempSync(join(tmpdir(), 'contracts-'));
    cpSync(CONTRACTS_DIR, dir, { recursive: true });
    const file = join(dir, name);
    const changed = change(JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>);
    writeFileSync(file, typeof changed === 'string' ? changed : JSON.stringify(changed));
    return file;
  }

  it('a faithful copy loads the same contracts', () => {
    copyWith('post-session.json', (doc) => doc);
    const set = loadContracts(dir!);
    expect(set.contracts.map(endpointKey)).toEqual(CONTRACTS.map(endpointKey));
    expect(set.contractFor('POST', '/session')?.file).toBe(join(dir!, 'post-session.json'));
    expect(set.documents.map((d) => d.json)).toEqual(CONTRACT_SET.documents.map((d) => d.json));
  });

  it.each([
    ['a file that is not JSON', () => '{ "title": ', /post-session\.json: not JSON: /],
    ['a status that is a string', (d: Record<string, any>) => ({ ...d, 'x-responses': [{ ...d['x-responses'][0], status: '200' }, ...d['x-responses'].slice(1)] }), /post-session\.json: \/x-responses\/0\/status must be integer/],
    ['a body $ref to no definition', (d: Record<string, any>) => ({ ...d, 'x-responses': [{ ...d['x-responses'][0], body: { $ref: '#/definitions/Nope' } }, ...d['x-responses'].slice(1)] }), /post-session\.json: x-responses\/0\/body: #\/definitions\/Nope names no definition/],
    ['a title that is not its endpoint', (d: Record<string, any>) => ({ ...d, title: 'POST /sessions' }), /post-session\.json: title must be "POST \/session"/],
    ['a definition with a $ref', (d: Record<string, any>) => ({ ...d, definitions: { ...d.definitions, SessionClosed: { $ref: '#/definitions/RequestHeaders' } } }), /post-session\.json: definitions\/SessionClosed: must be self-contained/],
    ['a second response of the same name', (d: Record<string, any>) => ({ ...d, 'x-responses': [...d['x-responses'], { ...d['x-responses'][0], status: 201 }] }), /post-session\.json: x-responses\/3: a second response named SessionClosed/],
    ['the endpoint of another file', (d: Record<string, any>) => ({ ...d, 'x-endpoint': { ...d['x-endpoint'], pattern: '/session/heartbeat' } }), /post-session\.json: named post-session\.json, but its endpoint's file name is post-session-heartbeat\.json/],
  ])('%s is refused, naming the file', (_what, change, message) => {
    copyWith('post-session.json', change);
    expect(() => loadContracts(dir!)).toThrow(message);
  });

  it('two files of one endpoint are refused, and every problem is listed at once', () => {
    const file = copyWith('post-session.json', (d) => ({ ...d, title: 'x' }));
    writeFileSync(join(dir!, 'post-telemetry-send.json'), '[');
    const error = (() => {
      try {
        loadContracts(dir!);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(error).toMatch(/^snowflake-auth-mock: 2 problems in contract files:/);
    expect(error).toContain(`${file}: title must be "POST /session"`);
    expect(error).toContain(`${join(dir!, 'post-telemetry-send.json')}: not JSON`);
  });

  it('a schema ajv refuses in strict mode fails validation with the file and definition named', () => {
    const file = copyWith('post-session.json', (d) => ({ ...d, definitions: { ...d.definitions, SessionClosed: { ...d.definitions.SessionClosed, minimun: 0 } } }));
    const validate = createResponseValidator(loadContracts(dir!));
    const res = { status: 200, headers: { 'content-type': 'application/json' }, body: GOOD['200 SessionClosed']!.body };
    expect(() => validate({ method: 'POST', path: '/session' }, res)).toThrow(`${file}: #/definitions/SessionClosed: strict mode: unknown keyword: "minimun"`);
  });

  it('the validator judges by the files: a tightened definition refuses what the shipped one accepts', () => {
    copyWith('post-api-v2-statements.json', (d) => ({ ...d, definitions: { ...d.definitions, AuthFailure: { ...d.definitions.AuthFailure, properties: { ...d.definitions.AuthFailure.properties, code: { const: '390144' } } } } }));
    const req = { method: 'POST', path: '/api/v2/statements' };
    expect(validateResponse(req, GOOD['401 AuthFailure']!)).toEqual({ ok: true, contract: 'POST /api/v2/statements 401 AuthFailure' });
    expect(createResponseValidator(loadContracts(dir!))(req, GOOD['401 AuthFailure']!)).toEqual({ ok: false, problems: ['POST /api/v2/statements → 401 AuthFailure: $.code: must be equal to constant ("390144")'] });
  });
});

describe('package.json publishes the contract files', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, unknown> };
  it('ships contracts/endpoints and the meta-schema, and exports both', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['contracts/endpoints', 'schemas']));
    expect(pkg.exports['./contracts/endpoints/*']).toBe('./contracts/endpoints/*');
    expect(pkg.exports['./schemas/contract.schema.json']).toBe('./schemas/contract.schema.json');
  });
});

describe('validateResponse: known-good bodies', () => {
  it.each(ALL_RESPONSES)('%s', (key, contract, response) => {
    const sample = GOOD[statusKey(response)];
    expect(sample, `no known-good sample for ${statusKey(response)}`).toBeDefined();
    expect(validateResponse({ method: sampleMethod(contract), path: samplePath(contract) }, sample!)).toEqual({ ok: true, contract: key });
  });

  it('accepts a multi-statement ResultSet with statementHandles', () => {
    const body = { ...RESULT_SET, data: [['Multiple statements executed successfully.']], statementHandles: [HANDLE, HANDLE] };
    expect(validateResponse({ method: 'POST', path: '/api/v2/statements' }, json(200, body)).ok).toBe(true);
  });

  it('accepts a REST 401 with a PAT code and a 403 for an unknown host on any path', () => {
    expect(validateResponse({ method: 'GET', path: '/api/v2/warehouses' }, json(401, { code: '394400', message: 'Programmatic access token is invalid.' })).ok).toBe(true);
    expect(validateResponse({ method: 'PUT', path: '/whatever' }, GOOD['403 UnknownAccountHost']!)).toEqual({ ok: true, contract: '* * 403 UnknownAccountHost' });
  });
});

// ---- the external OAuth provider (issue #6): found by the answer's marker header, not by path ----

const PROVIDER_HEADER = 'x-snowflake-auth-mock-provider';
const provider = (kind: string, r: ResponseToCheck): ResponseToCheck => ({ ...r, headers: { ...r.headers, [PROVIDER_HEADER]: kind } });
const html = (status: number): ResponseToCheck => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Allow access</title>' });
const PROVIDER_GOOD: Readonly<Record<string, ResponseToCheck>> = {
  '200 ProviderTokenResponse': json(200, { access_token: 'mock-at-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'mock-rt-1', scope: 'read' }),
  '400,401 ProviderTokenError': json(401, { error: 'invalid_client', error_description: 'client_secret does not match' }),
  [`${Array.from({ length: 100 }, (_, i) => 500 + i).join(',')} ProviderDown`]: json(503, { error: 'temporarily_unavailable', error_description: 'down' }),
  '405 ProviderMethodNotAllowed': { ...json(405, { error: 'invalid_request', error_description: 'use POST' }), headers: { 'content-type': 'application/json', allow: 'POST' } },
  '200 ProviderConsentPage': html(200),
  '302 ProviderRedirect': { status: 302, headers: { location: 'https://app.example.com/cb?code=c&state=s' }, body: '' },
  '400 ProviderErrorPage': html(400),
  '200 ProviderResource': json(200, { sub: 'jane', scope: 'read', client_id: 'code-client', exp: 1772370000 }),
  '401 ProviderBearerChallenge': json(401, { error: 'invalid_token', error_description: 'expired' }),
  '404 UnknownProvider': json(404, { error: 'unknown_provider', error_description: 'no provider at nowhere.example.com' }),
  '200 IdpJwks': json(200, { keys: [{ kty: 'RSA', kid: 'okta-idp-1', use: 'sig', alg: 'RS256', n: 'sXch', e: 'AQAB' }] }),
  '405 IdpMethodNotAllowed': { status: 405, headers: { 'content-type': 'application/json', allow: 'POST' }, body: '{"error":"invalid_request","error_description":"GET is not allowed on the mock IdP token endpoint; use POST"}' },
};

describe('provider contracts', () => {
  const all = PROVIDER_CONTRACTS.flatMap((c) => c.responses.map((r) => [responseKey(c, r), c, r] as const));

  it.each(all)('%s: a known-good sample validates', (key, contract, response) => {
    const sample = PROVIDER_GOOD[statusKey(response)];
    expect(sample, `no known-good sample for ${statusKey(response)}`).toBeDefined();
    expect(validateResponse({ method: contract.method === '*' ? 'PUT' : contract.method, path: '/any/provider/path' }, provider(contract.kind, sample!))).toEqual({ ok: true, contract: key });
  });

  it('every provider schema compiles in strict mode', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    for (const c of PROVIDER_CONTRACTS) for (const schema of [c.request.headers, ...c.responses.map((r) => r.schema)]) if (schema !== undefined) expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('refuses a Snowflake envelope from the provider, and an answer without the marker is judged by its path', () => {
    const snowflakeStyle = json(400, { data: null, message: 'x', code: null, success: false, error: 'invalid_grant' });
    expect(validateResponse({ method: 'POST', path: '/oauth2/token' }, provider('token', snowflakeStyle))).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.stringContaining('must NOT have additional properties ("success")')]) });
    expect(validateResponse({ method: 'POST', path: '/oauth2/token' }, PROVIDER_GOOD['200 ProviderTokenResponse']!)).toEqual({ ok: false, problems: ['no contract for 200 on POST /oauth2/token'] });
    expect(providerContractFor('PATCH', { 'X-Snowflake-Auth-Mock-Provider': 'token' })?.method).toBe('*');
  });
});

describe('validateResponse: known-bad bodies', () => {
  const submit = { method: 'POST', path: '/api/v2/statements' };
  const problemsOf = (req: { method: string; path: string }, res: ResponseToCheck): string[] => {
    const result = validateResponse(req, res);
    return result.ok ? [] : result.problems;
  };

  it('a 401 with the login envelope keys is refused (exactly code and message)', () => {
    const problems = problemsOf(submit, json(401, { code: '390303', message: 'Invalid OAuth access token.', success: false }));
    expect(problems).toEqual(['POST /api/v2/statements → 401 AuthFailure: $: must NOT have additional properties ("success")']);
  });

  it('a 401 whose code is a number is refused', () => {
    expect(problemsOf(submit, json(401, { code: 390303, message: 'x' })).join('\n')).toMatch(/\$\.code: must be string/);
  });

  it('a ResultSet with numeric data cells is refused, naming the cell', () => {
    const problems = problemsOf(submit, json(200, { ...RESULT_SET, data: [[1], ['ok', 2]] }));
    expect(problems).toEqual([
      'POST /api/v2/statements → 200 ResultSet: $.data[0][0]: must be string,null',
      'POST /api/v2/statements → 200 ResultSet: $.data[1][1]: must be string,null',
    ]);
  });

  it('a ResultSet without resultSetMetaData or with a wrong constant is refused', () => {
    const { resultSetMetaData: _m, ...rest } = RESULT_SET;
    expect(problemsOf(submit, json(200, rest))).toEqual(["POST /api/v2/statements → 200 ResultSet: $: must have required property 'resultSetMetaData'"]);
    expect(problemsOf(submit, json(200, { ...RESULT_SET, sqlState: '42000' }))).toEqual(['POST /api/v2/statements → 200 ResultSet: $.sqlState: must be equal to constant ("00000")']);
  });

  it('a 405 with a body, a JSON body under text/html and a body that is not JSON are refused', () => {
    expect(problemsOf({ method: 'GET', path: '/api/v2/statements' }, { status: 405, headers: {}, body: 'nope' })).toEqual([
      'GET /api/v2/statements → 405 MethodNotAllowed: body must be empty, got "nope"',
    ]);
    expect(problemsOf(submit, { ...GOOD['400 InvalidPayload']!, headers: { 'content-type': 'text/html' } })).toEqual([
      'POST /api/v2/statements → 400 InvalidPayload: content-type must be application/json, got text/html',
    ]);
    expect(problemsOf(submit, { status: 400, headers: { 'content-type': 'application/json' }, body: '<html>' })[0]).toMatch(/body is not JSON: "<html>"/);
  });

  it('when several contracts share a status and none matches, every candidate says why', () => {
    const problems = problemsOf(submit, json(422, { code: '000904' }));
    expect(problems).toEqual([
      "POST /api/v2/statements → 422 QueryFailureStatus: $: must have required property 'message'",
      "POST /api/v2/statements → 422 QueryFailureStatus: $: must have required property 'sqlState'",
      "POST /api/v2/statements → 422 QueryFailureStatus: $: must have required property 'statementHandle'",
      'POST /api/v2/statements → 422 NotAcceptable: body must be empty, got "{\\"code\\":\\"000904\\"}"',
    ]);
  });

  it('an undeclared status is a problem, on a route and on an unknown path', () => {
    expect(problemsOf(submit, none(418))).toEqual(['no contract for 418 on POST /api/v2/statements']);
    expect(problemsOf({ method: 'GET', path: '/nowhere' }, json(200, {}))).toEqual(['no contract for 200 on GET /nowhere']);
    expect(problemsOf({ method: 'GET', path: '/api/v2/statements' }, GOOD['200 ResultSet']!)).toEqual(['no contract for 200 on GET /api/v2/statements']);
  });
});

describe('contractFor', () => {
  it.each([
    ['POST', '/api/v2/statements', 'POST /api/v2/statements'],
    ['post', '/api/v2/statements/', 'POST /api/v2/statements'],
    ['POST', '/api/v2/statements?async=true', 'POST /api/v2/statements'],
    ['GET', '/api/v2/statements/01b2-c3', 'GET /api/v2/statements/:handle'],
    ['POST', '/api/v2/statements/01b2/cancel', 'POST /api/v2/statements/:handle/cancel'],
    ['GET', '/api/v2/databases/SALES', 'GET /api/v2/databases/:name'],
    ['GET', '/api/v2/statements', '* /api/v2/statements'],
    ['DELETE', '/api/v2/warehouses', '* /api/v2/warehouses'],
    ['GET', '/api/v2/nothing', '* *'],
    ['GET', '/api/v2/databases/a/b', '* *'],
  ])('%s %s → %s', (method, path, key) => {
    const contract = contractFor(method, path);
    expect(contract && endpointKey(contract)).toBe(key);
  });
});

// ---- the drift test ------------------------------------------------------------------------------

const HOST = 'myorg-myaccount.snowflakecomputing.com';
const UNKNOWN_HOST = 'nosuch-account.snowflakecomputing.com';
const SELECT_1 = JSON.stringify({ statement: 'SELECT 1' });

interface RequestSpec {
  readonly method?: string;
  readonly path: string;
  /** Bearer token; default ALICE's PAT (allowed from 127.0.0.1). */
  readonly token?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly query?: string;
  readonly host?: string;
}

function record(spec: RequestSpec): MockRequest {
  const headers = { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'contracts-test/1.0', authorization: `Bearer ${spec.token ?? 'pat-alice-ci'}`, ...spec.headers };
  return { method: spec.method ?? 'GET', host: spec.host ?? HOST, path: spec.path, query: spec.query ?? '', headers, body: spec.body ?? '', clientIp: '127.0.0.1' };
}

/** What cases need from the running mock. */
interface Driver {
  /** A statement handle of ALICE (runs SELECT 1 once). */
  handle(): Promise<string>;
  /** A valid key-pair JWT of BOB, whose user policy CORP_ONLY refuses 127.0.0.1. */
  bobJwt(): Promise<string>;
  /** An authorization code of TEST_APP (auto-consent) for ALICE. */
  code(): Promise<string>;
  /** The consent id of MY_APP's consent page after ALICE signs in. */
  consentId(): Promise<string>;
  /** Puts TEST_APP behind CORP_ONLY (10.0.0.0/8), which refuses 127.0.0.1 at the token endpoint. */
  restrictTestApp(): void;
  /** A driver session of ALICE (password login, once): its session and master tokens. */
  session(): Promise<{ token: string; masterToken: string }>;
}

/** The core's answer, whether it comes at once or as a promise (a signature check). */
const answer = async (core: MockCore, request: MockRequest): Promise<MockResponse> => core.handle(request);

function driverFor(core: MockCore): Driver {
  let handle: string | undefined;
  let session: { token: string; masterToken: string } | undefined;
  return {
    async handle() {
      handle ??= (JSON.parse((await answer(core, record({ method: 'POST', path: '/api/v2/statements', body: SELECT_1 }))).body) as { statementHandle: string }).statementHandle;
      return handle;
    },
    bobJwt: async () => signKeypairJwt({ privateKey: privateKeyPem('bob'), account: 'MYORG-MYACCOUNT', user: 'BOB', now: core.clock.now() }),
    async code() {
      const query = new URLSearchParams({ ...TEST_APP, response_type: 'code', login_hint: 'alice', scope: 'refresh_token' }).toString();
      const location = (await answer(core, record({ path: '/oauth/authorize', query }))).headers.location ?? '';
      return new URL(location).searchParams.get('code') ?? '';
    },
    async consentId() {
      const body = new URLSearchParams({ ...MY_APP, response_type: 'code', step: 'login', login_name: 'alice', password: 'alice-password' }).toString();
      const page = (await answer(core, record({ method: 'POST', path: '/oauth/authorize', headers: FORM, body }))).body;
      return /name="consent_id" value="([^"]+)"/.exec(page)?.[1] ?? '';
    },
    restrictTestApp: () => createWorldApi(core).setNetworkPolicy({ integration: 'TEST_APP' }, 'CORP_ONLY'),
    async session() {
      session ??= (JSON.parse((await answer(core, login())).body) as { data: { token: string; masterToken: string } }).data;
      return session;
    },
  };
}

const LOGIN_BODY = JSON.stringify({ data: { LOGIN_NAME: 'alice', PASSWORD: 'alice-password', CLIENT_APP_ID: 'JavaScript' } });
const login = (): MockRequest => record({ method: 'POST', path: '/session/v1/login-request', body: LOGIN_BODY, headers: { authorization: '' } });
const withSession = (path: string, token: string, body = '', query = ''): MockRequest =>
  record({ method: 'POST', path, body, query, headers: { authorization: `Snowflake Token="${token}"` } });

const TEST_APP = { client_id: 'test-app-client', redirect_uri: 'http://localhost:8080/callback' };
const MY_APP = { client_id: 'my-app-client', redirect_uri: 'https://app.example.com/callback' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const TEST_APP_BASIC = { ...FORM, authorization: 'Basic ' + Buffer.from('test-app-client:test-app-secret').toString('base64') };
const exchange = async (d: Driver): Promise<MockRequest> =>
  record({ method: 'POST', path: '/oauth/token-request', headers: TEST_APP_BASIC, body: new URLSearchParams({ grant_type: 'authorization_code', code: await d.code(), redirect_uri: TEST_APP.redirect_uri }).toString() });

type Case = (d: Driver) => MockRequest | Promise<MockRequest>;

const pathOf = async (pattern: string, d: Driver): Promise<string> => pattern.replace(':handle', pattern.includes(':handle') ? await d.handle() : '').replace(':name', 'ANALYTICS');
const submit = (spec: Partial<RequestSpec> = {}): MockRequest => record({ method: 'POST', path: '/api/v2/statements', body: SELECT_1, ...spec });

/** Requests every endpoint of a kind can be refused with: bad token, network policy, unknown host. */
function gateCases(c: EndpointContract): Case[] {
  if (c.pattern === '*') return [() => record({ path: '/api/v2/nothing-here' }), () => record({ path: '/api/v2/nothing-here', host: UNKNOWN_HOST })];
  if (c.method === '*') {
    return [async (d) => record({ method: 'DELETE', path: await pathOf(c.pattern, d) }), async (d) => record({ method: 'DELETE', path: await pathOf(c.pattern, d), host: UNKNOWN_HOST })];
  }
  const base = async (d: Driver, spec: Partial<RequestSpec>): Promise<MockRequest> => record({ method: c.method, path: await pathOf(c.pattern, d), body: c.method === 'POST' ? SELECT_1 : '', ...spec });
  return [(d) => base(d, { token: 'not-a-token' }), async (d) => base(d, { token: await d.bobJwt() }), (d) => base(d, { host: UNKNOWN_HOST })];
}

/** Requests for the responses particular to one endpoint. */
const SPECIFIC_CASES: Readonly<Record<string, readonly Case[]>> = {
  'POST /api/v2/statements': [
    () => submit(),
    () => submit({ query: 'async=true' }),
    () => submit({ body: '{"statement": ' }),
    () => submit({ headers: { 'content-type': 'text/plain' } }),
    () => submit({ body: JSON.stringify({ statement: 'DROP TABLE T' }) }),
    () => submit({ headers: { accept: 'text/csv' } }),
  ],
  'GET /api/v2/statements/:handle': [async (d) => record({ path: `/api/v2/statements/${await d.handle()}` }), () => record({ path: '/api/v2/statements/no-such-handle' })],
  'POST /api/v2/statements/:handle/cancel': [
    async (d) => record({ method: 'POST', path: `/api/v2/statements/${await d.handle()}/cancel` }),
    () => record({ method: 'POST', path: '/api/v2/statements/no-such-handle/cancel' }),
  ],
  'GET /api/v2/databases': [() => record({ path: '/api/v2/databases' })],
  'GET /api/v2/databases/:name': [() => record({ path: '/api/v2/databases/analytics' }), () => record({ path: '/api/v2/databases/NO_SUCH_DB' })],
  'GET /api/v2/warehouses': [() => record({ path: '/api/v2/warehouses' })],
  'GET /oauth/authorize': [
    () => record({ path: '/oauth/authorize', query: new URLSearchParams({ ...MY_APP, response_type: 'code' }).toString() }),
    async (d) => record({ path: '/oauth/authorize', query: `code=${await d.code()}` }),
    () => record({ path: '/oauth/authorize', query: new URLSearchParams({ ...TEST_APP, response_type: 'code', login_hint: 'alice' }).toString() }),
  ],
  'POST /oauth/authorize': [
    () => record({ method: 'POST', path: '/oauth/authorize', headers: FORM, body: new URLSearchParams({ ...MY_APP, response_type: 'code', step: 'login', login_name: 'alice', password: 'wrong' }).toString() }),
    async (d) => record({ method: 'POST', path: '/oauth/authorize', headers: FORM, body: new URLSearchParams({ step: 'consent', consent_id: await d.consentId(), decision: 'allow' }).toString() }),
  ],
  'POST /session/v1/login-request': [() => login()],
  'POST /session/token-request': [
    async (d) => {
      const { masterToken, token } = await d.session();
      return withSession('/session/token-request', masterToken, JSON.stringify({ requestType: 'RENEW', oldSessionToken: token }));
    },
  ],
  'POST /session/heartbeat': [async (d) => withSession('/session/heartbeat', (await d.session()).token)],
  'POST /telemetry/send': [async (d) => withSession('/telemetry/send', (await d.session()).token, JSON.stringify({ logs: [] }))],
  'POST /queries/v1/query-request': [
    async (d) => withSession('/queries/v1/query-request', (await d.session()).token, JSON.stringify({ sqlText: 'SELECT CURRENT_USER()' })),
    async (d) => withSession('/queries/v1/query-request', (await d.session()).token, JSON.stringify({ sqlText: 'DROP TABLE T' })),
  ],
  'POST /session': [async (d) => withSession('/session', (await d.session()).token, '', 'delete=true')],
  'POST /oauth/token-request': [
    (d) => exchange(d),
    (d) => {
      d.restrictTestApp();
      return exchange(d);
    },
  ],
};

describe('drift: the mock produces every declared response, and only those', () => {
  it.each(CONTRACTS.map((c) => [endpointKey(c), c] as const))('%s', async (key, contract) => {
    const core = createCore({ config: defaultWorldConfig(), seed: 3 });
    const check = checkContracts(core);
    const driver = driverFor(core);
    for (const make of [...gateCases(contract), ...(SPECIFIC_CASES[key] ?? [])]) await answer(core, await make(driver));
    expect(check.problems()).toEqual([]);
    const unproduced = contract.responses.map((r) => responseKey(contract, r)).filter((k) => !check.exercised().has(k));
    expect(unproduced, 'declared responses no request produced').toEqual([]);
  });
});

describe('checkContracts', () => {
  const bad = { status: 401, headers: { 'content-type': 'application/json' }, body: '{"code":"390303","message":"x","success":false}' };

  it('collects drift, returns the response unchanged, and resets', () => {
    const core = createCore({ config: defaultWorldConfig(), seed: 3 });
    core.handle = () => bad;
    const check = checkContracts(core);
    expect(core.handle(submit())).toBe(bad);
    expect(check.problems()).toEqual(['POST /api/v2/statements → 401 AuthFailure: $: must NOT have additional properties ("success")']);
    check.reset();
    expect(check.problems()).toEqual([]);
  });

  it('judges a promised response once it resolves (a first-sight signature check answers later)', async () => {
    const core = createCore({ config: defaultWorldConfig(), seed: 3 });
    core.handle = (() => Promise.resolve(bad)) as unknown as MockCore['handle'];
    const check = checkContracts(core);
    const pending = core.handle(submit());
    expect(check.problems()).toEqual([]);
    expect(await pending).toBe(bad);
    expect(check.problems()).toEqual(['POST /api/v2/statements → 401 AuthFailure: $: must NOT have additional properties ("success")']);
  });

  it('records what matched, and restore() puts the original handle back', async () => {
    const core = createCore({ config: defaultWorldConfig(), seed: 3 });
    const original = core.handle;
    const check = checkContracts(core);
    await answer(core, record({ path: '/api/v2/warehouses' }));
    expect([...check.exercised()]).toEqual(['GET /api/v2/warehouses 200 WarehouseList']);
    check.restore();
    expect(core.handle).toBe(original);
  });
});
