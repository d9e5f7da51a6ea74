import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';

/**
 * Headers every response carries, error pages included: they are set after the handler (and the
 * error handler) ran, on whatever response came out.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export const responseHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  c.res.headers.set('X-Request-Id', c.get('requestId'));
};
