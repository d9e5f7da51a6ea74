/**
 * Records how many assertions each test made, as `meta.assertions` of the test, so the JSON
 * report (`PREFER_TEST_REPORT`) carries them and `test/support/assertion-total.ts` can sum them:
 * a change to the suite must not lower that total.
 */
import { afterEach, expect } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    assertions?: number;
  }
}

// Hooks run in stack order, so this file-level hook runs after every other afterEach: the count
// includes assertions made in beforeEach, the test, and the inner afterEach hooks. A test may
// assert through the global `expect` or its context's own `expect`; each keeps its own count.
afterEach((ctx) => {
  const local = ctx.expect === expect ? 0 : ctx.expect.getState().assertionCalls;
  ctx.task.meta.assertions = expect.getState().assertionCalls + local;
});
