#!/usr/bin/env node
// In a source checkout on a Node that strips types (>= 22.18), run the TypeScript source so a stale
// build never shadows it; otherwise run the build (an installed package ships only dist/).
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
const built = new URL('../dist/cli/main.js', import.meta.url);
const canStrip = Boolean(process.features?.typescript);
const entry = existsSync(source) && canStrip ? source : existsSync(built) ? built : undefined;
if (!entry) {
  console.error(`snowflake-auth-mock: needs Node >= 22.12 with a build (npm run build), or Node >= 22.18 in a source checkout; this is Node ${process.versions.node}`);
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
