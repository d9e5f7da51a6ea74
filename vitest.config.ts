import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['packages/server/test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // .ci/run reads the counts from a JSON report to print its closing line.
    reporters: process.env.PREFER_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.PREFER_TEST_REPORT ? { json: process.env.PREFER_TEST_REPORT } : undefined,
  },
});
