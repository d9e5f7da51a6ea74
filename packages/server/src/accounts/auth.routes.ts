/**
 * Browser sessions over HTTP: `POST /auth/login` (public), `POST /auth/logout`, `GET /auth/session`,
 * and `POST /me/password`. The session cookie is `__Host-prefer_session` (Secure, HttpOnly,
 * SameSite=Lax, Path=/); its CSRF token comes back in the login answer and from `GET /auth/session`.
 */
import { currentSessionSchema, sessionSchema } from '@prefer/schemas';
import type { Context } from 'hono';
import { z } from 'zod';
import { checkOrigin } from '../auth/csrf.ts';
import { SESSION_COOKIE } from '../auth/require-actor.ts';
import { SESSION_ABSOLUTE_MS } from '../auth/session.service.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { AppError } from '../shared/errors.ts';
import { formatV2 } from '../shared/time.ts';
import { changeOwnPassword, login } from './login.service.ts';
import { loginLimiter } from './login-limit.ts';
import { findUser, userView } from './user.service.ts';

export const sessionCookie = (value: string, maxAgeSeconds: number) =>
  `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`;

/** The client's address for the login rate limit: the socket's peer (a proxy's, behind one). */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** A 429 carries Retry-After (the error handler keeps headers set before it answers). */
async function withRetryAfter<T>(c: Context, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === 'RATE_LIMITED') {
      const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
      c.header('Retry-After', String(seconds));
    }
    throw err;
  }
}

export function authRoutes(api: ApiRouter): void {
  const { store } = api;
  const limiter = loginLimiter(store);

  api.publicRoute({
    method: 'post',
    path: '/auth/login',
    summary: 'Log in with email and password: sets the session cookie, answers the user and CSRF token',
    tag: 'accounts',
    body: z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(4096) }),
    responses: {
      200: { description: 'Logged in: a new session (Set-Cookie)', schema: sessionSchema },
      401: { description: 'The email or the password is wrong (one answer for every case)' },
      403: { description: 'The request came from another origin' },
      429: { description: 'Too many failed logins for this account or address; see Retry-After' },
    },
    handler: async (c, { body }) => {
      checkOrigin(c, api.origins);
      const result = await withRetryAfter(c, () =>
        login(store, limiter, { email: body.email, password: body.password, address: clientAddress(c) }),
      );
      c.header('Set-Cookie', sessionCookie(result.session.token, Math.floor(SESSION_ABSOLUTE_MS / 1000)));
      c.header('Cache-Control', 'no-store');
      return c.json({
        user: result.user,
        csrfToken: result.session.csrfToken,
        expires_at: formatV2(result.session.expiresAt),
      });
    },
  });

  api.route({
    method: 'post',
    path: '/auth/logout',
    summary: 'Log out: ends the session and clears its cookie',
    tag: 'accounts',
    permission: 'self',
    responses: { 204: { description: 'The session is ended (nothing to end with an API key)' } },
    handler: async (c) => {
      const session = c.get('session');
      if (session) {
        await store.write((tx) => tx.deleteFrom('sessions').where('id_hash', '=', session.idHash).execute());
        c.header('Set-Cookie', sessionCookie('', 0));
      }
      return c.body(null, 204);
    },
  });

  api.route({
    method: 'get',
    path: '/auth/session',
    summary: 'The current session: its user and CSRF token (send it in X-CSRF-Token)',
    tag: 'accounts',
    permission: 'self',
    responses: {
      200: {
        description: 'The session',
        schema: currentSessionSchema,
      },
      404: { description: 'The request was authenticated by an API key, not a session' },
    },
    handler: async (c, { actor }) => {
      const session = c.get('session');
      if (!session)
        throw new AppError('NOT_FOUND', 'no session: this request was authenticated by an API key');
      c.header('Cache-Control', 'no-store');
      return c.json({
        user: userView(await findUser(store.db, actor, actor.userId)),
        csrfToken: session.csrfToken,
      });
    },
  });

  api.route({
    method: 'post',
    path: '/me/password',
    summary: "Change one's password (ends one's other sessions; API keys stay valid)",
    tag: 'accounts',
    permission: 'self',
    body: z.strictObject({ current_password: z.string().max(4096), new_password: z.string().max(4096) }),
    responses: {
      204: { description: 'Changed' },
      403: { description: 'current_password is wrong' },
      422: { description: 'new_password is shorter than 12 or longer than 1,024 characters' },
      429: { description: 'Too many wrong current passwords; see Retry-After' },
    },
    handler: async (c, { actor, body }) => {
      await withRetryAfter(c, () =>
        changeOwnPassword(store, limiter, actor, {
          currentPassword: body.current_password,
          newPassword: body.new_password,
          keepSession: c.get('session')?.idHash,
          address: clientAddress(c),
        }),
      );
      return c.body(null, 204);
    },
  });
}
