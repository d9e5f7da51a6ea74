/**
 * The error answer of every route, `{ error: { code, message, details?, requestId } }`, and the
 * closed list of its codes. The server maps each code to its HTTP status (shared/errors.ts:
 * `HTTP_STATUS`, a record over these codes, so a new code without a status fails to compile);
 * the SDK exports the union so callers can switch on it.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'LEASE_LOST',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'TASK_NOT_READY',
  'TASK_FAILED',
  'RANGE_NOT_SATISFIABLE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One fault of a refused input: the line (of an uploaded file), the field (a JSON path) and why. */
export const faultSchema = z.object({
  line: z.number().int().optional(),
  path: z.string(),
  message: z.string(),
});
export type Fault = z.infer<typeof faultSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The 422 answer of an import: every fault found (the first 100) and how many there were. */
export const importFaultsSchema = z.object({
  error: z.object({
    code: z.literal('VALIDATION_FAILED'),
    message: z.string(),
    details: z.object({ errors: z.array(faultSchema), errorCount: z.number().int() }),
    requestId: z.string(),
  }),
});
