import { issueKeyPath } from '@prefer/schemas';
import type { z } from 'zod';
import type { Fault } from '../shared/errors.ts';
import { formatPath } from './strict-json.ts';

/**
 * zod issues as faults with JSON paths (`$.classifications[0].options[1].value`). `base` is the
 * path of the validated value inside the record, so nested checks report full paths.
 */
export function zodFaults(
  error: z.ZodError,
  base: readonly (string | number)[] = [],
  line?: number,
): Fault[] {
  return error.issues.map((issue) => ({
    ...(line === undefined ? {} : { line }),
    path: formatPath([...base, ...issueKeyPath(issue).map((p) => (typeof p === 'number' ? p : String(p)))]),
    message: issue.message,
  }));
}
