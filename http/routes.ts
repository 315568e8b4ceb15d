/**
 * The route table: every endpoint the mock serves, shared by the MSW handlers and the node server
 * (DESIGN.md §5.1). Later surfaces (login, OAuth server) add their rows here.
 */
import { fetchDatabase, listDatabases, listWarehouses } from './endpoints/rest-api.ts';
import { cancelStatement, statementStatus, submitStatement } from './endpoints/sql-api.ts';
import { authorize, authorizeForm } from './endpoints/oauth-authorize.ts';
import { tokenRequest } from './endpoints/oauth-token-request.ts';
import { completeSecretPage } from './endpoints/oauth-complete-secret.ts';
import { loginRequest } from './endpoints/login-request.ts';
import { queryRequest } from './endpoints/query-request.ts';
import { deleteSession, heartbeat, telemetry } from './endpoints/session.ts';
import { renewSession } from './endpoints/session-renewal.ts';
import { createRouter, type Route, type Router } from './router.ts';

/**
 * The control API's paths (server/control.ts answers them, the replay server its own): never an
 * account's endpoint, and answered in the control API's `{error}` shape.
 */
export const CONTROL_PREFIX = '/__mock/';

export const ROUTES: readonly Route[] = [
  { pattern: '/api/v2/statements', surface: 'api', methods: { POST: submitStatement } },
  { pattern: '/api/v2/statements/:handle', surface: 'api', methods: { GET: statementStatus } },
  { pattern: '/api/v2/statements/:handle/cancel', surface: 'api', methods: { POST: cancelStatement } },
  { pattern: '/api/v2/databases', surface: 'api', methods: { GET: listDatabases } },
  { pattern: '/api/v2/databases/:name', surface: 'api', methods: { GET: fetchDatabase } },
  { pattern: '/api/v2/warehouses', surface: 'api', methods: { GET: listWarehouses } },
  { pattern: '/oauth/authorize', surface: 'oauth-authorize', methods: { GET: authorize, POST: authorizeForm } },
  { pattern: '/oauth/token-request', surface: 'oauth-token', methods: { POST: tokenRequest } },
  // Snowflake's redirect URI for SYSTEM$START_OAUTH_FLOW (issue #6, decisions/0008): shows the query string to copy into FINISH.
  { pattern: '/oauth/complete-secret', surface: 'oauth-authorize', methods: { GET: completeSecretPage } },
  // Driver session surface (what snowflake-sdk calls: test/driver/driver-cases.ts, decisions/0006).
  { pattern: '/session/v1/login-request', surface: 'login', methods: { POST: loginRequest } },
  { pattern: '/session/token-request', surface: 'session', methods: { POST: renewSession } },
  { pattern: '/session/heartbeat', surface: 'session', methods: { POST: heartbeat } },
  { pattern: '/session', surface: 'session', methods: { POST: deleteSession } },
  { pattern: '/queries/v1/query-request', surface: 'session', methods: { POST: queryRequest } },
  { pattern: '/telemetry/send', surface: 'session', methods: { POST: telemetry } },
];

/**
 * The route table compiled once, for those that ask where a path goes without a core (the provider's
 * dispatch, the internal-error answer). A core compiles its own.
 *
 * @example
 * ACCOUNT_ROUTER.match('/session/v1/login-request')?.route.surface // 'login'
 */
export const ACCOUNT_ROUTER: Router = createRouter(ROUTES);
