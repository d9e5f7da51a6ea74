/**
 * Structured logs (pino, one JSON object per line, time in UTC ISO 8601): one `request` entry per
 * HTTP request, `security` entries for authentication and authorization events, and `error`
 * entries for unexpected failures, all carrying the request id the client saw in `X-Request-Id`.
 *
 * What never reaches a log: passwords, API keys, session ids, cookies, Authorization headers,
 * request or response bodies (so no conversation text). Entries name ids, routes and outcomes
 * only; `securityLog` drops fields whose names look like secrets. Control characters in values are
 * escaped by pino's JSON encoding, so a user-supplied `\n` cannot forge a second entry.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import type { Actor } from '../orgs/actor.ts';
import { idsOf, OUTCOMES, routeParams, routeSecurityEvent, type SecurityEvent } from './log-events.ts';

export type { Logger, SecurityEvent };

declare module 'hono' {
  interface ContextVariableMap {
    /** The app's logger, set by `requestLog` before any route runs. */
    logger: Logger;
  }
}

export const LOG_LEVEL_ENV = 'PREFER_LOG_LEVEL';
const LEVELS: readonly (Level | 'silent')[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * A logger writing to `destination` (default: stdout) at `level` (default: `PREFER_LOG_LEVEL`, else
 * `info`). An unknown level stops the process at start, naming the variable.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? process.env[LOG_LEVEL_ENV] ?? 'info';
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new Error(`${LOG_LEVEL_ENV} must be one of ${LEVELS.join(', ')} (got ${JSON.stringify(level)})`);
  }
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Belt and braces: no code here logs these, and if one ever does they never leave the process.
      redact: {
        paths: SECRET_PATHS,
        censor: '[redacted]',
      },
    },
    options.destination ?? stdout(),
  );
}

let stdoutDestination: DestinationStream | undefined;
/** One synchronous stdout stream shared by every logger (apps are created per test and per server). */
function stdout(): DestinationStream {
  stdoutDestination ??= pino.destination({ dest: 1, sync: true });
  return stdoutDestination;
}

const SECRET_NAMES = ['password', 'key', 'apiKey', 'token', 'secret', 'cookie', 'authorization', 'session'];
const SECRET_PATHS = [...SECRET_NAMES, ...SECRET_NAMES.map((n) => `*.${n}`)];
/** Field names a security entry never carries (`keyId`, `keyPrefix` and `sessionCount` are fine). */
const SECRET_FIELD = /^(password.*|.*secret.*|.*token|cookies?|authorization|key|api_?key|session(_?id)?)$/i;

/**
 * Logs one line per request once it is answered: method, the route pattern (so entries group by
 * route), status, duration, and who asked when known.
 */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    c.set('logger', logger);
    try {
      await next();
    } finally {
      const actor = actorOf(c);
      const route = routePattern(c);
      const rule = routeSecurityEvent(c.req.method, route, c.res.status);
      if (rule) await logRouteEvent(c, route, rule);
      logger.info({
        msg: 'request',
        requestId: c.get('requestId'),
        method: c.req.method,
        route,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        ...(actor ? { userId: actor.userId, orgId: actor.orgId } : {}),
      });
    }
  };
}

/**
 * One `security` entry: the event, its outcome, the request id and route, the acting user when
 * known, and `fields` (ids such as `keyId`, `userId` of the target, the address of a login).
 * Fields named like secrets are dropped, so a careless caller cannot log a password or key.
 *
 * @example securityLog(c, 'key.created', { keyId: created.id, keyPrefix: created.prefix })
 */
export function securityLog(
  c: Context,
  event: SecurityEvent,
  fields: Record<string, string | number | boolean | null | undefined> = {},
): void {
  const logger = c.get('logger');
  if (!logger) return;
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!SECRET_FIELD.test(name) && value !== undefined) safe[name] = value;
  }
  const actor = actorOf(c);
  logger.info({
    msg: 'security',
    event,
    outcome: OUTCOMES[event],
    requestId: c.get('requestId'),
    method: c.req.method,
    route: routePattern(c),
    ...(actor ? { userId: actor.userId, orgId: actor.orgId } : {}),
    ...safe,
  });
}

/** An unexpected error, with its request id: the stack stays in the log, never in the answer. */
export function logUnexpected(
  logger: Logger,
  entry: { requestId: string; method: string; path: string; error: unknown },
): void {
  const { error } = entry;
  const err =
    error instanceof Error
      ? { type: error.name, message: error.message, stack: error.stack, code: codeOf(error) }
      : { type: typeof error, message: String(error) };
  logger.error({
    msg: 'unexpected error',
    requestId: entry.requestId,
    method: entry.method,
    path: entry.path,
    err,
  });
}

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A security entry for an answered request: its path's ids, ids of its JSON answer, a login's address. */
async function logRouteEvent(
  c: Context,
  route: string | null,
  rule: NonNullable<ReturnType<typeof routeSecurityEvent>>,
): Promise<void> {
  // The target of the event; `userId` stays the actor's.
  const { userId: targetUserId, ...targets } = routeParams(route, c.req.path);
  let answered = {};
  if (rule.ids && c.res.headers.get('content-type')?.startsWith('application/json')) {
    answered = idsOf(
      await c.res
        .clone()
        .json()
        .catch(() => undefined),
      rule.ids,
    );
  }
  securityLog(c, rule.event, {
    ...targets,
    targetUserId,
    ...answered,
    ...(rule.event.startsWith('login.') ? { address: clientAddress(c) } : {}),
    status: c.res.status,
  });
}

/** The peer address of the connection (a proxy's, behind one); unknown in-process. */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

function actorOf(c: Context): Actor | undefined {
  return (c.get as (key: string) => unknown)('actor') as Actor | undefined;
}

/**
 * The pattern of the endpoint the request matched (`/api/v1/projects/:projectId`), even when a
 * middleware answered before it ran (a 401); null when no endpoint matched.
 */
function routePattern(c: Context): string | null {
  const endpoint = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  return endpoint?.path ?? null;
}
