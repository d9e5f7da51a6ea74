import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: [
      'packages/server/test/support/global-setup.ts',
      'packages/web/test/support/global-setup.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Servers started by tests log nothing unless a test passes its own logger (http/log.ts).
    env: { PREFER_LOG_LEVEL: 'silent' },
    // .ci/run reads the counts from a JSON report to print its closing line.
    reporters: process.env.PREFER_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.PREFER_TEST_REPORT ? { json: process.env.PREFER_TEST_REPORT } : undefined,
  },
});
