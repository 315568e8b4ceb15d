/**
 * `npm run docs:errors`: writes docs/errors.md and the README's error table from the catalogue
 * (domain/errors/catalogue.ts). A test fails when either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderErrorTable, withReadmeErrorTable } from '../domain/errors/markdown.ts';

const docs = new URL('../docs/errors.md', import.meta.url);
writeFileSync(docs, renderErrorTable());
const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withReadmeErrorTable(readFileSync(readme, 'utf8')));
console.log(`wrote ${docs.pathname} and the error table of ${readme.pathname}`);
