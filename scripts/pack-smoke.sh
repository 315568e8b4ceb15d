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
# Installing the package must run no script of ours (npm warns consumers about install scripts, and a
# `prepare` cannot build from the tarball anyway: no tsconfig, no TypeScript): the build happens at
# pack time (`prepack`), so dist/ must be in the tarball.
packed_scripts="$(tar -xzOf "$tarball" package/package.json | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")).scripts ?? {}; console.log(["preinstall", "install", "postinstall", "prepare"].filter((k) => k in s).join(" "))')"
[ -z "$packed_scripts" ] || { echo "the packed package.json has install-time scripts: $packed_scripts"; exit 1; }
# The listing is read whole first: `tar | grep -q` fails under pipefail when grep stops reading early.
packed_files="$(tar -tzf "$tarball")"
grep -qx 'package/dist/index.js' <<< "$packed_files" || { echo "dist/index.js is not in the tarball (prepack did not build?)"; exit 1; }
grep -qx 'package/dist/cli/main.js' <<< "$packed_files" || { echo "dist/cli/main.js is not in the tarball"; exit 1; }
echo "tarball: dist/ packed, no install-time script"
cd "$scratch"
npm init -y >/dev/null
npm pkg set type=module
# First the package alone, as `npx snowflake-auth-mock serve` users and the image have it: no peer
# dependency. serve must start; the in-process `run`, which needs msw, must say so (exit 2).
npm install --no-audit --no-fund --silent "$tarball" >/dev/null
node_modules/.bin/snowflake-auth-mock serve --port 0 > serve-bare.log 2>&1 &
serve_pid=$!
for _ in $(seq 50); do grep -q 'http://' serve-bare.log && break; sleep 0.1; done
grep -q 'listening on http://' serve-bare.log || { cat serve-bare.log; echo "serve did not start without msw"; exit 1; }
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=""
set +e; node_modules/.bin/snowflake-auth-mock run node_modules/snowflake-auth-mock/scenarios/keypair-jwt/ > run-bare.log 2>&1; code=$?; set -e
[ "$code" = 2 ] && grep -q 'needs msw' run-bare.log || { cat run-bare.log; echo "run without msw: exit $code, expected 2 with a hint"; exit 1; }
echo "without peers: serve starts, run says it needs msw"

npm install --no-audit --no-fund --silent "$tarball" msw@^3 vitest@^5 testcontainers@^12.2 >/dev/null
cat > smoke.test.ts <<'TS'
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSnowflakeMock, CATALOGUE } from 'snowflake-auth-mock';
import { startServer } from 'snowflake-auth-mock/server';
import { CONTRACTS, validateResponse, loadScenarioFile } from 'snowflake-auth-mock/contracts';
import { defineScenarioSuite } from 'snowflake-auth-mock/vitest';
import { SnowflakeAuthMockContainer, DEFAULT_IMAGE } from 'snowflake-auth-mock/testcontainers';

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

it('testcontainers: the module loads and configures a container (no engine needed to build one)', () => {
  const container = new SnowflakeAuthMockContainer().withSeed(1).withClockStart('2026-01-01T00:00:00Z');
  expect(container).toBeInstanceOf(SnowflakeAuthMockContainer);
  expect(DEFAULT_IMAGE).toBe('snowflake-auth-mock:latest');
  expect(() => container.withWorld('node_modules/snowflake-auth-mock/no-such-world.yaml')).toThrow(/no such file/);
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
