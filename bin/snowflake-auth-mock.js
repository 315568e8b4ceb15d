#!/usr/bin/env node
// In a source checkout, run the TypeScript source (Node >= 22.18 strips types), so a stale build can
// never shadow it; an installed package ships only dist/, which runs as built.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const entry = existsSync(source) ? source : new URL('../dist/cli/main.js', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
