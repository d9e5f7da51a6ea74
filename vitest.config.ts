import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/sequencer.ts';

// Workspace packages resolve to their TypeScript source (the `source` export condition), never
// to a built dist that could be stale; child processes and worker threads get the same condition.
const SOURCE_CONDITIONS = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions: SOURCE_CONDITIONS },
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
  test: {
    execArgv: ['--conditions=source'],
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: [
      'packages/server/test/support/global-setup.ts',
      'packages/cli/test/support/build-setup.ts',
      'packages/web/test/support/global-setup.ts',
    ],
    // Counts each test's assertions into the JSON report (test/support/assertion-total.ts sums them).
    setupFiles: ['test/support/assertion-count.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    sequence: { sequencer: LongestFirstSequencer },
    // vitest's default is one file at a time on 2 cores (CPUs - 1). Files here spend much of
    // their time waiting on fsyncs (SQLite synchronous=FULL, PostgreSQL commits) and on child
    // processes, so one file per core keeps both cores busy; each file has its own databases.
    maxWorkers: Math.max(2, availableParallelism()),
    // Servers started by tests log nothing unless a test passes its own logger (http/log.ts).
    // Passwords hash at scrypt N=2^10 instead of 2^15 (accounts/password.ts): the suite signs in
    // and creates users thousands of times; accounts-users.test.ts checks the production cost.
    env: { PREFER_LOG_LEVEL: 'silent', PREFER_PASSWORD_COST: '10' },
    // .ci/run reads the counts from a JSON report to print its closing line.
    reporters: process.env.PREFER_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.PREFER_TEST_REPORT ? { json: process.env.PREFER_TEST_REPORT } : undefined,
  },
});
