import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string): string => fileURLToPath(new URL(`./${p}`, import.meta.url));

export default defineConfig({
  // Examples import the package by name, as users do; here that name means this checkout's source.
  resolve: {
    alias: [
      { find: /^snowflake-auth-mock\/server$/, replacement: here('server/index.ts') },
      { find: /^snowflake-auth-mock$/, replacement: here('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
  },
});
