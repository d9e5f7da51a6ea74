import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';

/**
 * Headers every response carries, error pages included: they are set after the handler (and the
 * error handler) ran, on whatever response came out.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // The web app is served under the same policy: scripts and styles only from its own files (no
  // inline script; React and KaTeX set styles through the CSSOM, which style-src does not govern),
  // no images from elsewhere, nothing may frame it.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export const responseHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  c.res.headers.set('X-Request-Id', c.get('requestId'));
};
