/**
 * The one place where failures become HTTP answers: `{ error: { code, message, details?, requestId } }`.
 * Unexpected errors are logged with their request id and answered with a generic 500, so no stack
 * trace, SQL or file path ever reaches a client.
 */
import type { ErrorBody } from '@prefer/schemas';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode, HTTP_STATUS } from '../shared/errors.ts';
import type { AppEnv } from './context.ts';
import { securityLog } from './log.ts';

export type { ErrorBody } from '@prefer/schemas';

export type ErrorLogger = (entry: {
  requestId: string;
  method: string;
  path: string;
  error: unknown;
}) => void;

const defaultLogger: ErrorLogger = ({ requestId, method, path, error }) => {
  console.error(`[prefer] ${requestId} ${method} ${path} failed:`, error);
};

export function errorHandler(log: ErrorLogger = defaultLogger): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof AppError) {
      // 401s are logged by requestLog (log-events.ts), which tells failed logins apart.
      if (err.code === 'FORBIDDEN') securityLog(c, 'authz.denied', { reason: err.message });
      return answer(c, err.code, err.message, err.details);
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Raised by hono itself (body limit, malformed JSON): its message is safe to show.
      return answer(c, codeOfStatus(err.status), err.message || 'bad request');
    }
    log({ requestId: c.get('requestId'), method: c.req.method, path: c.req.path, error: err });
    return answer(c, 'INTERNAL', 'internal error; quote the request id when reporting it');
  };
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  answer(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`);

function answer(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = {
    error: { code, message, ...(details === undefined ? {} : { details }), requestId: c.get('requestId') },
  };
  return c.json(body, HTTP_STATUS[code] as ContentfulStatusCode);
}

function codeOfStatus(status: number): ErrorCode {
  const codes = Object.keys(HTTP_STATUS) as ErrorCode[];
  return codes.find((code) => HTTP_STATUS[code] === status) ?? 'BAD_REQUEST';
}
