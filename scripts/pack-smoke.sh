#!/usr/bin/env bash
# Packs this checkout and uses the tarball from a scratch project, as a new user would: installs it
# with msw and vitest from the registry, runs an in-process test through every subpath export, then
# the CLI (`serve` answering a PAT over loopback, `run` on a shipped scenario). Usage:
#   bash scripts/pack-smoke.sh [tarball]   (default: npm pack of this checkout)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$here/node_modules/.bin:$PATH"   # Node 22 from the devDependency
scratch="$(mktemp -d)"
serve_pid=""
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$scratch"' EXIT
tarball="${1:-}"
if [ -z "$tarball" ]; then tarball="$scratch/$(cd "$here" && npm pack --silent --pack-destination "$scratch" | tail -1)"; fi
cd "$scratch"
npm init -y >/dev/null
npm pkg set type=module
npm install --no-audit --no-fund --silent "$tarball" msw@^3 vitest@^5 >/dev/null
cat > smoke.test.ts <<'TS'
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSnowflakeMock, CATALOGUE } from 'snowflake-auth-mock';
import { startServer } from 'snowflake-auth-mock/server';
import { CONTRACTS, validateResponse, loadScenarioFile } from 'snowflake-auth-mock/contracts';
import { defineScenarioSuite } from 'snowflake-auth-mock/vitest';

const mock = createSnowflakeMock({ seed: 1 });
const msw = setupServer(...mock.handlers);
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterAll(() => msw.close());
const account = 'https://myorg-myaccount.snowflakecomputing.com';

it('in-process: a PAT answers, a bad one is refused with its code', async () => {
  const pat = 'pat-alice-ci'; // the default world's PAT for ALICE (serve prints it)
  const ok = await fetch(`${account}/api/v2/statements`, { method: 'POST', headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ statement: 'SELECT 1' }) });
  expect(ok.status).toBe(200);
  const bad = await fetch(`${account}/api/v2/statements`, { method: 'POST', headers: { authorization: 'Bearer nope', 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN', 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ statement: 'SELECT 1' }) });
  expect(bad.status).toBe(401);
  const body = await bad.json();
  expect(CATALOGUE[body.code]).toBeDefined();
  expect(validateResponse({ method: 'POST', path: '/api/v2/statements' }, { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).ok).toBe(true);
});

it('subpaths: server, contracts and the shipped files they read', async () => {
  const server = await startServer({ port: 0 });
  const r = await fetch(`${server.url}/api/v2/databases`);
  expect(r.status).toBe(401);
  await server.close();
  expect(CONTRACTS.length).toBeGreaterThan(10);
  const s = loadScenarioFile('node_modules/snowflake-auth-mock/scenarios/pat/disabled-pat-is-refused-until-re-enabled.yaml');
  expect(s.scenario.name).toBeTruthy();
});

defineScenarioSuite(['node_modules/snowflake-auth-mock/scenarios/pat/']);
TS
npx vitest run smoke.test.ts 2>&1 | tail -6
npx snowflake-auth-mock run node_modules/snowflake-auth-mock/scenarios/keypair-jwt/ | tail -2
# The bin itself, not npx: $! must be the server, so the trap stops it (npx would leave it orphaned).
node_modules/.bin/snowflake-auth-mock serve --port 0 > serve.log 2>&1 &
serve_pid=$!
for _ in $(seq 50); do grep -q 'http://' serve.log && break; sleep 0.1; done
head -3 serve.log
echo "pack smoke: ok"
