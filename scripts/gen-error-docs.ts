/**
 * Writes docs/errors.md from the error catalogue. Run with `npm run docs:errors`.
 *
 * @example
 * // node scripts/gen-error-docs.ts
 */
import { writeFileSync } from 'node:fs';
import { renderErrorTable } from '../src/domain/errors/markdown.ts';

const target = new URL('../docs/errors.md', import.meta.url);
writeFileSync(target, renderErrorTable());
console.log(`wrote ${target.pathname}`);
