/**
 * zod compiles fast parsers with `new Function` when it may; under the app's CSP (no
 * 'unsafe-eval') its probe would only log a violation, so it is told not to try. Imported first
 * by main.tsx, before any module that builds a schema.
 */
import { config } from 'zod';

config({ jitless: true });
