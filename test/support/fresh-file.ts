/**
 * Resets the module state of test support that a test file expects to find as a fresh process
 * would have it. Files of the `shared` project (vitest.config.ts) run one after another in one
 * worker process and keep its loaded modules; vitest evaluates setup files again before each file.
 */
import { resetExportRowIds } from '../../packages/training/test/support/export-rows.ts';

resetExportRowIds();
