import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/sequencer.ts';

// Workspace packages resolve to their TypeScript source (the `source` export condition), never
// to a built dist that could be stale; child processes and worker threads get the same condition.
const SOURCE_CONDITIONS = ['source', 'module', 'node', 'development|production'];

const INCLUDE = ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'];

// The browser suites: the files of packages/web/test that launch Chromium.
const WEB_TESTS = new URL('packages/web/test/', import.meta.url);
const BROWSER_TESTS = readdirSync(WEB_TESTS)
  .filter(
    (f) => f.endsWith('.test.ts') && readFileSync(new URL(f, WEB_TESTS), 'utf8').includes('launchBrowser'),
  )
  .map((f) => `packages/web/test/${f}`);

/** What every project shares (a project does not inherit the root's `test` options). */
const project = (name: string, test: { include: string[]; exclude?: string[]; isolate: boolean }) => ({
  resolve: { conditions: SOURCE_CONDITIONS },
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
  test: {
    name,
    ...test,
    execArgv: ['--conditions=source'],
    // assertion-count.ts counts each test's assertions into the JSON report (assertion-total.ts
    // sums them); fresh-file.ts resets the module state of test support. vitest evaluates setup
    // files again before every test file, in a shared worker too.
    setupFiles: ['test/support/assertion-count.ts', 'test/support/fresh-file.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks' as const,
    // Servers started by tests log nothing unless a test passes its own logger (http/log.ts).
    // Passwords hash at scrypt N=2^10 instead of 2^15 (accounts/password.ts): the suite signs in
    // and creates users thousands of times; accounts-users.test.ts checks the production cost.
    env: { PREFER_LOG_LEVEL: 'silent', PREFER_PASSWORD_COST: '10' },
  },
});

export default defineConfig({
  test: {
    projects: [
      // Importing the source into a fresh process cost a fifth of the workers' time: these files
      // share their worker process (and its loaded modules) with the files run before them.
      // They leave no process-wide state behind: each restores the env vars, cwd, listeners and
      // module settings it changes, and vitest restores spies after each file.
      project('shared', {
        include: INCLUDE,
        exclude: ['**/node_modules/**', ...BROWSER_TESTS],
        isolate: false,
      }),
      // The browser suites keep a process each: browser.ts closes the file's Chromium in an
      // `afterAll` registered when the module loads, i.e. once per process. They are long
      // (Chromium, two backends), so the import is a small part of their time.
      project('browser', { include: BROWSER_TESTS, isolate: true }),
    ],
    globalSetup: [
      'packages/server/test/support/global-setup.ts',
      'packages/cli/test/support/build-setup.ts',
      'packages/web/test/support/global-setup.ts',
    ],
    sequence: { sequencer: LongestFirstSequencer },
    // vitest's default is one file at a time on 2 cores (CPUs - 1). Files here spend much of
    // their time waiting on fsyncs (SQLite's write-ahead log, PostgreSQL commits) and on child
    // processes, so one file per core keeps both cores busy; each file has its own databases.
    maxWorkers: Math.max(2, availableParallelism()),
    // .ci/run reads the counts from a JSON report to print its closing line.
    reporters: process.env.PREFER_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.PREFER_TEST_REPORT ? { json: process.env.PREFER_TEST_REPORT } : undefined,
  },
});
