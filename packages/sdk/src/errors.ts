/**
 * Errors thrown by the SDK. Every one is a `PreferError`; the subclasses let callers catch the
 * cases they can act on (a bad key, a missing object, bad input, a rate limit, the network).
 */
import type { ErrorCode, Fault } from '@prefer/schemas';

/** One fault of a refused input: the line (of an uploaded file), the field (a JSON path) and why. */
export type { Fault };

export interface ErrorInfo {
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** The server's error code, e.g. `NOT_FOUND` or `TASK_NOT_READY`. */
  code?: ErrorCode;
  /** The server's request id: quote it when reporting a problem. */
  requestId?: string;
  details?: unknown;
  cause?: unknown;
}

export class PreferError extends Error {
  readonly status: number | undefined;
  readonly code: ErrorCode | undefined;
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(message: string, info: ErrorInfo = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = new.target.name;
    this.status = info.status;
    this.code = info.code;
    this.requestId = info.requestId;
    this.details = info.details;
  }
}

/** 401: no API key, or one that is unknown, revoked or expired. */
export class AuthenticationError extends PreferError {}
/** 403: the key's user may not do this (their role does not allow it); the message names the roles that may. */
export class AuthorizationError extends PreferError {}
/** 404: the object does not exist or belongs to another organization. */
export class ResourceNotFoundError extends PreferError {}

/**
 * 400, 413, 422: the request was refused for its content; the message says why. `faults` lists
 * every fault the server named (an import: the first 100, with `errorCount` counting them all).
 */
export class ValidationError extends PreferError {
  get faults(): Fault[] {
    const d = this.details as { errors?: unknown } | unknown[] | undefined;
    const list = Array.isArray(d) ? d : Array.isArray(d?.errors) ? d.errors : [];
    return list.filter((f): f is Fault => typeof (f as Fault)?.message === 'string');
  }
  get errorCount(): number {
    const n = (this.details as { errorCount?: unknown } | undefined)?.errorCount;
    return typeof n === 'number' ? n : this.faults.length;
  }
}
/** 429 after the retries allowed by `maxRetries`; `retryAfterSeconds` is the server's hint. */
export class ApiLimitError extends PreferError {
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, info: ErrorInfo & { retryAfterSeconds?: number } = {}) {
    super(message, info);
    this.retryAfterSeconds = info.retryAfterSeconds;
  }
}
/** The server could not be reached, or the connection broke. */
export class NetworkError extends PreferError {}
/** A request or a wait took longer than allowed. */
export class TimeoutError extends PreferError {}
/**
 * 409 `LEASE_LOST`: the row is no longer yours to work on (your lease ran out and someone else
 * took it, or the row moved on). Drop it and ask the queue for the next row.
 */
export class LeaseLostError extends PreferError {}
/** Reading an export task that failed ("Task failed") or is still running ("Task is not ready yet"). */
export class ExportTaskError extends PreferError {}

/** The error as the SDK throws it: a 409 `LEASE_LOST` becomes a `LeaseLostError`. */
export function withLeaseLost(err: unknown): unknown {
  if (!(err instanceof PreferError) || err.code !== 'LEASE_LOST' || err instanceof LeaseLostError) return err;
  const { status, code, requestId, details } = err;
  return new LeaseLostError(err.message, { status, code, requestId, details, cause: err });
}
