/**
 * The one error type of prefer. Codes are a closed set; every code has an HTTP status, so adding a
 * code without deciding its status fails to compile.
 */
import type { ErrorCode, Fault } from '@prefer/schemas';

export type { ErrorCode, Fault };

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** The caller's lease on a row ran out or was never theirs: take the next row. */
  LEASE_LOST: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  TASK_NOT_READY: 409,
  TASK_FAILED: 409,
  RANGE_NOT_SATISFIABLE: 416,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** The message a user sees for a list of faults: the first few, each with its line and path. */
export function describeFaults(faults: readonly Fault[], shown = 10): string {
  const lines = faults.slice(0, shown).map(formatFault);
  const more = faults.length > shown ? `\n  ... and ${faults.length - shown} more` : '';
  return `${lines.map((l) => `  ${l}`).join('\n')}${more}`;
}

export function formatFault(f: Fault): string {
  const where = [f.line === undefined ? '' : `line ${f.line}`, f.path].filter(Boolean).join(', ');
  return where ? `${where}: ${f.message}` : f.message;
}

export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `${what} ${id} not found`);
