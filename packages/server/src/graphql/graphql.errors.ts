/**
 * Errors in the shape the Labelbox SDK reads: `{ message, extensions: { code } }`, with the codes
 * it maps to its exceptions. Input faults use GRAPHQL_VALIDATION_FAILED (the SDK raises
 * InvalidQueryError with our message); MALFORMED_REQUEST is never used for them because the SDK
 * reads that error's `errors` key on export calls, which would hide the message behind a KeyError.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError, type ErrorCode } from '../shared/errors.ts';

export type GraphqlCode =
  | 'AUTHENTICATION_ERROR'
  | 'AUTHORIZATION_ERROR'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'GRAPHQL_PARSE_FAILED'
  | 'RESOURCE_NOT_FOUND'
  | 'RESOURCE_CONFLICT'
  | 'MALFORMED_REQUEST'
  | 'OPERATION_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export const GRAPHQL_CODE: Record<ErrorCode, GraphqlCode> = {
  BAD_REQUEST: 'GRAPHQL_VALIDATION_FAILED',
  VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  RANGE_NOT_SATISFIABLE: 'GRAPHQL_VALIDATION_FAILED',
  PAYLOAD_TOO_LARGE: 'GRAPHQL_VALIDATION_FAILED',
  UNAUTHENTICATED: 'AUTHENTICATION_ERROR',
  FORBIDDEN: 'AUTHORIZATION_ERROR',
  NOT_FOUND: 'RESOURCE_NOT_FOUND',
  CONFLICT: 'RESOURCE_CONFLICT',
  LEASE_LOST: 'RESOURCE_CONFLICT',
  TASK_NOT_READY: 'OPERATION_NOT_ALLOWED',
  TASK_FAILED: 'OPERATION_NOT_ALLOWED',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'INTERNAL_SERVER_ERROR',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** What the SDK recognises as an API limit (`ApiLimitError`): a top-level message so worded. */
export const API_LIMIT_PREFIX = 'You have exceeded';

export interface GraphqlErrorBody {
  errors: GraphQLFormattedError[];
  data?: unknown;
  /** Only with RATE_LIMITED: read by the SDK to raise ApiLimitError. */
  message?: string;
}

export function errorOf(code: GraphqlCode, message: string): GraphQLFormattedError {
  return { message, extensions: { code } };
}

/**
 * A GraphQL error for the answer: AppErrors keep their message under the mapped code; anything
 * else was a bug and says only "internal error" with the request id (`log` gets the cause).
 */
export function formatError(
  error: GraphQLError,
  requestId: string,
  log: (cause: unknown) => void,
): GraphQLFormattedError {
  const cause = error.originalError;
  const located = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
  if (cause instanceof AppError) {
    return { message: cause.message, ...located, extensions: { code: GRAPHQL_CODE[cause.code] } };
  }
  // A GraphQLError cause is one of ours on purpose (a scalar refusing a value): shown as it is.
  if (cause && !(cause instanceof GraphQLError)) {
    log(cause);
    return {
      message: `internal error; quote request id ${requestId} when reporting it`,
      ...located,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  }
  // graphql-js's own: an input value that does not fit its type.
  return { message: error.message, ...located, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
}
